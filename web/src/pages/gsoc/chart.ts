// The detections-over-time chart: a column per day (detections), a line of alerts on its own
// scale, axis labels and a <title> per column for tooltips and screen readers. Colours come
// from gsoc.css: the CSP allows no inline styles.
import { svg } from '../../dom';

export interface DayPoint {
  day: string;
  detections: number;
  alerts: number;
}

export function detectionsChart(title: string, points: DayPoint[], labels: { detections: string; alerts: string }): SVGElement {
  const left = 44;
  const right = 44;
  const top = 14;
  const plotH = 160;
  const colW = Math.max(6, Math.min(28, Math.floor(720 / Math.max(1, points.length))));
  const width = left + right + colW * Math.max(1, points.length);
  const height = top + plotH + 40;
  const maxD = Math.max(1, ...points.map((p) => p.detections));
  const maxA = Math.max(1, ...points.map((p) => p.alerts));
  const el = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'gsoc-chart', 'aria-label': title, 'data-testid': 'gsoc-chart' }, svg('title', {}, title));
  const base = top + plotH;
  el.append(svg('line', { x1: left, y1: base, x2: width - right, y2: base, class: 'gsoc-axis' }));
  el.append(svg('text', { x: left - 6, y: top + 8, 'text-anchor': 'end', class: 'gsoc-chart-label gsoc-chart-det' }, String(maxD)));
  el.append(svg('text', { x: left - 6, y: base, 'text-anchor': 'end', class: 'gsoc-chart-label' }, '0'));
  el.append(svg('text', { x: width - right + 6, y: top + 8, class: 'gsoc-chart-label gsoc-chart-alerts' }, String(maxA)));
  const step = Math.max(1, Math.ceil(points.length / 8));
  let path = '';
  points.forEach((p, i) => {
    const x = left + i * colW;
    const hgt = Math.round((plotH * p.detections) / maxD);
    const col = svg('rect', { x: x + 1, y: base - hgt, width: Math.max(1, colW - 2), height: hgt, class: 'gsoc-col', 'data-day': p.day });
    col.append(svg('title', {}, `${p.day}: ${labels.detections} ${p.detections}, ${labels.alerts} ${p.alerts}`));
    el.append(col);
    const ay = base - Math.round((plotH * p.alerts) / maxA);
    path += `${i ? 'L' : 'M'}${x + colW / 2},${ay} `;
    if (i % step === 0) el.append(svg('text', { x: x + colW / 2, y: base + 16, 'text-anchor': 'middle', class: 'gsoc-chart-label' }, p.day.slice(5)));
  });
  if (points.length) el.append(svg('path', { d: path.trim(), class: 'gsoc-line' }));
  el.append(svg('rect', { x: left, y: height - 14, width: 10, height: 10, class: 'gsoc-col' }));
  el.append(svg('text', { x: left + 14, y: height - 5, class: 'gsoc-chart-label' }, labels.detections));
  el.append(svg('line', { x1: left + 120, y1: height - 9, x2: left + 134, y2: height - 9, class: 'gsoc-line' }));
  el.append(svg('text', { x: left + 138, y: height - 5, class: 'gsoc-chart-label' }, labels.alerts));
  return el;
}
