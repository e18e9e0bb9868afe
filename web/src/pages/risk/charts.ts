// Small SVG charts for the dashboard and the aggregate. Colours come from classes in
// risk.css (the CSP allows no inline styles); every chart has a text title and each bar a
// <title> so screen readers and tooltips give the numbers.
import { svg } from '../../dom';

export interface BarRow {
  label: string;
  /** 0..100, or null when there is nothing to measure */
  percent: number | null;
  detail?: string;
}

/** Horizontal bars of percentages (implementation by scenario, progress). */
export function percentBars(title: string, rows: BarRow[], testid?: string): SVGElement {
  const rowH = 26;
  const labelW = 260;
  const barW = 320;
  const height = Math.max(1, rows.length) * rowH + 10;
  const width = labelW + barW + 60;
  const el = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'risk-chart', 'aria-label': title, ...(testid ? { 'data-testid': testid } : {}) }, svg('title', {}, title));
  rows.forEach((r, i) => {
    const y = i * rowH + 5;
    const label = r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label;
    el.append(svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'risk-chart-label' }, label));
    el.append(svg('rect', { x: labelW, y: y + 3, width: barW, height: rowH - 8, class: 'risk-bar-bg' }));
    const p = r.percent ?? 0;
    const bar = svg('rect', { x: labelW, y: y + 3, width: Math.round((barW * p) / 100), height: rowH - 8, class: r.percent === null ? 'risk-bar-none' : p >= 80 ? 'risk-bar-good' : p >= 50 ? 'risk-bar-mid' : 'risk-bar-low' });
    bar.append(svg('title', {}, `${r.label}: ${r.percent === null ? '-' : `${p}%`}${r.detail ? ` (${r.detail})` : ''}`));
    el.append(bar);
    el.append(svg('text', { x: labelW + barW + 6, y: y + 16, class: 'risk-chart-value' }, r.percent === null ? '-' : `${p}%`));
  });
  return el;
}

export interface ColumnRow {
  label: string;
  value: number;
  cls?: string;
}

/** Vertical columns of counts (plan items by fiscal year, residual risk). */
export function countColumns(title: string, rows: ColumnRow[], testid?: string): SVGElement {
  const colW = 56;
  const chartH = 140;
  const width = Math.max(1, rows.length) * colW + 20;
  const top = 16;
  const height = chartH + 44 + top;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const el = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'risk-chart', 'aria-label': title, ...(testid ? { 'data-testid': testid } : {}) }, svg('title', {}, title));
  rows.forEach((r, i) => {
    const x = 10 + i * colW;
    const h = Math.round((chartH * r.value) / max);
    const col = svg('rect', { x: x + 8, y: top + 10 + chartH - h, width: colW - 16, height: h, class: r.cls ?? 'risk-col' });
    col.append(svg('title', {}, `${r.label}: ${r.value}`));
    el.append(col);
    el.append(svg('text', { x: x + colW / 2, y: top + 6 + chartH - h, 'text-anchor': 'middle', class: 'risk-chart-value' }, String(r.value)));
    el.append(svg('text', { x: x + colW / 2, y: top + chartH + 30, 'text-anchor': 'middle', class: 'risk-chart-label' }, r.label));
  });
  return el;
}
