// NISC's aggregate of the reports of a fiscal year (RiskGuideline 2.2(5)ウ, 3.1):
// implementation by attack scenario and countermeasure, plan items by fiscal year and
// progress; the publishable form names no body.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { replaceQuery, type RouteContext, type ScreenHandle } from '../../router';
import { currentFiscalYear, riskApi, type Aggregate } from './api';
import { countColumns, percentBars } from './charts';
import { field, stateBadge } from './common';
import { rt } from './i18n';

function view(a: Aggregate): HTMLElement[] {
  return [
    h('p', { class: 'muted', testid: 'risk-agg-count' }, rt('agg.reports', { n: a.reports })),
    h('div', { class: 'risk-dash-grid' },
      h('section', { class: 'panel' }, h('h2', null, rt('dash.by_scenario')),
        percentBars(rt('dash.by_scenario'), a.by_scenario.map((s) => ({ label: s.title ?? s.scenario, percent: s.percent, detail: `${s.implemented}/${s.applicable}` })), 'risk-agg-scenario')),
      h('section', { class: 'panel' }, h('h2', null, rt('dash.plan')),
        countColumns(rt('dash.plan'), a.plan.by_fiscal_year.map((y) => ({ label: String(y.fiscal_year), value: y.items })), 'risk-agg-plan'),
        h('p', { class: 'small' }, `${rt('agg.progress')}: `, rt('dash.progress_text', { due: a.plan.progress.due, done: a.plan.progress.implemented })))),
    h('section', { class: 'panel' }, h('h2', null, rt('agg.by_cm')),
      percentBars(rt('agg.by_cm'), a.by_countermeasure.map((c) => ({ label: `${c.countermeasure} ${c.title ?? ''}`, percent: c.percent, detail: `${c.implemented}/${c.applicable}` })), 'risk-agg-cm')),
    a.bodies
      ? h('section', { class: 'panel' }, h('h2', null, rt('agg.bodies')),
          h('table', { class: 'table', testid: 'risk-agg-bodies' }, h('tbody', null, a.bodies.map((b) => h('tr', null,
            h('th', { scope: 'row' }, h('a', { href: `#/risk/assessments/${b.assessment}` }, b.name_ja), ' ', h('code', { class: 'small' }, b.org)),
            h('td', null, stateBadge(b.state)), h('td', null, b.percent === null ? '-' : `${b.percent}%`),
            h('td', { class: 'small' }, b.issues ? `${rt('agg.issues')}: ${b.issues}` : ''))))))
      : null,
  ].filter((x): x is HTMLElement => x !== null);
}

export function mountRiskAggregate(ctx: RouteContext): ScreenHandle {
  let fy = Number(ctx.query.get('fiscal_year')) || currentFiscalYear();
  let publish = ctx.query.get('publish') === '1';
  let destroyed = false;
  const out = h('div', { 'aria-live': 'polite' });
  const load = async (): Promise<void> => {
    replaceQuery('/risk/aggregate', { fiscal_year: String(fy), publish: publish ? '1' : null });
    mount(out, loadingView());
    try {
      const a = await riskApi.aggregate(fy, publish);
      if (!destroyed) mount(out, ...view(a));
    } catch (e) {
      if (!destroyed) mount(out, problemView(e));
    }
  };
  const render = (): void => {
    const fyIn = h('input', { type: 'number', min: 2014, max: 2100, value: String(fy), testid: 'risk-agg-fy' }) as HTMLInputElement;
    const pub = h('input', { type: 'checkbox', checked: publish, testid: 'risk-agg-publish' }) as HTMLInputElement;
    mount(ctx.main,
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/risk' }, rt('nav.back'))),
      h('section', { class: 'panel', testid: 'risk-aggregate' }, h('h1', null, rt('agg.title')),
        h('form', { class: 'filters', on: { submit: (ev: SubmitEvent) => { ev.preventDefault(); fy = Number(fyIn.value); publish = pub.checked; void load(); } } },
          field(rt('agg.fy'), fyIn), h('label', { class: 'risk-check' }, pub, rt('agg.publish')), h('button', { type: 'submit', class: 'btn btn-primary' }, rt('agg.load')))),
      out);
    void load();
  };
  render();
  return { relabel: render, destroy: () => { destroyed = true; } };
}
