// The risk evaluation dashboard (RiskGuideline 2.2(4)ア, 3.2): protected domains, target
// systems with their risk results, implementation by attack scenario, control objectives,
// residual risk, the plan by fiscal year and progress against last year's plan, as SVG
// charts; the PDF is the same content from the server.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import type { RouteContext, ScreenHandle } from '../../router';
import { riskApi, type Dashboard } from './api';
import { countColumns, percentBars } from './charts';
import { approvalBadge, stateBadge } from './common';
import { rCode, rt } from './i18n';

function view(d: Dashboard): HTMLElement[] {
  const p = d.progress;
  return [
    h('p', { class: 'breadcrumb' }, h('a', { href: `#/risk/assessments/${d.assessment}` }, rt('nav.assessment'))),
    h('section', { class: 'panel risk-page', testid: 'risk-dashboard' },
      h('div', { class: 'org-title-row' },
        h('div', null, h('h1', { class: 'org-title' }, `${rt('dash.title')}: ${d.org} ${d.fiscal_year}`),
          h('p', { class: 'org-meta' }, stateBadge(d.state), approvalBadge(d.approval.state), h('code', { class: 'small' }, d.countermeasure_set))),
        h('div', { class: 'risk-links' }, h('a', { href: riskApi.pdfUrl(d.assessment), download: `risk-dashboard-${d.org}-${d.fiscal_year}.pdf`, testid: 'risk-pdf-link' }, rt('nav.pdf')))),
      h('p', { class: d.built ? 'muted small' : 'notice', testid: 'risk-dash-built' }, d.built ? rt('dash.built') : d.dashboard_hash ? rt('dash.stale') : rt('dash.not_built'))),
    h('div', { class: 'risk-dash-grid' },
      h('section', { class: 'panel' }, h('h2', null, rt('dash.by_scenario')),
        percentBars(rt('dash.by_scenario'), d.by_scenario.map((s) => ({ label: s.title, percent: s.percent, detail: `${s.implemented}/${s.applicable}` })), 'risk-chart-scenario')),
      h('section', { class: 'panel' }, h('h2', null, rt('dash.residual')),
        countColumns(rt('dash.residual'), [
          { label: rCode('residual', 'high'), value: d.residual_risk.high, cls: 'risk-col-high' },
          { label: rCode('residual', 'medium'), value: d.residual_risk.medium, cls: 'risk-col-medium' },
          { label: rCode('residual', 'low'), value: d.residual_risk.low, cls: 'risk-col-low' },
          { label: rCode('residual', 'unchecked'), value: d.residual_risk.unchecked, cls: 'risk-col-none' },
        ], 'risk-chart-residual')),
      h('section', { class: 'panel' }, h('h2', null, rt('dash.plan')),
        d.plan.by_fiscal_year.length ? countColumns(rt('dash.plan'), d.plan.by_fiscal_year.map((y) => ({ label: String(y.fiscal_year), value: y.items })), 'risk-chart-plan') : h('p', { class: 'muted' }, rt('ws.no_plan'))),
      h('section', { class: 'panel' }, h('h2', null, rt('dash.progress')),
        p.previous
          ? [percentBars(rt('dash.progress'), [{ label: `${p.previous.fiscal_year}`, percent: p.percent, detail: `${p.implemented}/${p.due}` }], 'risk-chart-progress'),
             h('p', { class: 'small' }, rt('dash.progress_text', { due: p.due, done: p.implemented }))]
          : h('p', { class: 'muted' }, rt('dash.progress_none')))),
    h('section', { class: 'panel' }, h('h2', null, rt('dash.systems')),
      percentBars(rt('dash.systems'), d.target_systems.map((s) => ({ label: s.name, percent: s.percent, detail: `${s.implemented}/${s.applicable}` })), 'risk-chart-systems'),
      h('div', { class: 'table-scroll' }, h('table', { class: 'table', testid: 'risk-dash-systems' },
        h('thead', null, h('tr', null, [rt('form.system'), rt('form.domain'), rt('form.criterion'), rt('dash.implemented'), rt('form.residual'), rt('ws.plan')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, d.target_systems.map((s) => h('tr', null, h('th', { scope: 'row' }, s.name), h('td', null, s.domain), h('td', null, String(s.criterion)), h('td', null, `${s.implemented}/${s.applicable}`), h('td', null, rCode('residual', s.residual_risk ?? 'unchecked')), h('td', null, s.planned === null ? rt('ws.no_plan') : String(s.planned)))))))),
    h('section', { class: 'panel' }, h('h2', null, rt('dash.domains')),
      h('ul', null, d.protected_domains.map((x) => h('li', null, h('strong', null, x.name), ` — ${rCode('reason', x.reason)}`, x.impact ? `: ${x.impact}` : '', x.dropped_out ? h('span', { class: 'hint' }, ` (${rt('ws.dropped')})`) : null)))),
    h('section', { class: 'panel' }, h('h2', null, rt('dash.by_objective')),
      h('table', { class: 'table' }, h('tbody', null, d.by_objective.map((o) => h('tr', null, h('th', { scope: 'row' }, o.title), h('td', null, `${o.implemented}/${o.applicable}`), h('td', null, o.reached_in ? rt('dash.reached_in', { fy: o.reached_in }) : rt('dash.not_reached'))))))),
  ];
}

export function mountRiskDashboard(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let data: Dashboard | null = null;
  let destroyed = false;
  const render = (): void => {
    if (data) mount(ctx.main, ...view(data));
  };
  const load = async (): Promise<void> => {
    mount(ctx.main, loadingView());
    try {
      data = await riskApi.dashboard(id);
      if (!destroyed) render();
    } catch (e) {
      if (!destroyed) mount(ctx.main, problemView(e, () => void load()));
    }
  };
  void load();
  return { relabel: render, destroy: () => { destroyed = true; } };
}
