// The countermeasure sets NISC issues (the guideline's annex): every version, one version's
// scenarios -> control objectives -> countermeasures -> components, and what changed from
// one version to another.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import type { RouteContext, ScreenHandle } from '../../router';
import { riskApi, type CountermeasureSet, type DiffPart, type SetDiff, type SetObjective, type SetScenario } from './api';
import { field } from './common';
import { rt } from './i18n';

function setView(s: CountermeasureSet): HTMLElement {
  const objective = (ob: SetObjective): HTMLElement =>
    h('div', { class: 'risk-set-objective' },
      h('h4', null, h('code', null, ob.id), ' ', ob.title),
      h('ul', null, ob.countermeasures.map((cm) => h('li', null, h('code', null, cm.id), ' ', cm.title, ' ', h('span', { class: 'muted small' }, `[${cm.components.join(', ')}]`)))));
  const scenario = (sc: SetScenario): HTMLElement =>
    h('details', { class: 'risk-set-scenario', open: true }, h('summary', null, h('code', null, sc.id), ' ', sc.title), sc.objectives.map(objective));
  return h('div', { testid: `risk-set-${s.version}` },
    h('h2', null, s.version, ' ', h('span', { class: 'muted small' }, s.issued_at.slice(0, 10))),
    s.note ? h('p', { class: 'muted' }, s.note) : null,
    s.scenarios.map(scenario));
}

function diffPart(title: string, part: DiffPart): HTMLElement {
  const item = (x: { id: string } & Record<string, unknown>): HTMLElement => h('li', null, h('code', null, x.id), ' ', typeof x.title === 'string' ? x.title : JSON.stringify(Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'id'))));
  return h('div', null, h('h3', null, title),
    h('dl', { class: 'fn-facts' },
      h('dt', null, rt('sets.added')), h('dd', null, h('ul', { class: 'plain' }, part.added.map(item))),
      h('dt', null, rt('sets.removed')), h('dd', null, h('ul', { class: 'plain' }, part.removed.map(item))),
      h('dt', null, rt('sets.changed')), h('dd', null, h('ul', { class: 'plain' }, part.changed.map(item)))));
}

function diffView(d: SetDiff): HTMLElement {
  return h('div', { testid: 'risk-set-diff' }, h('h2', null, `${d.from} → ${d.to}`),
    diffPart(rt('sets.scenarios'), d.scenarios), diffPart(rt('sets.objectives'), d.objectives), diffPart(rt('sets.countermeasures'), d.countermeasures));
}

export function mountRiskSets(ctx: RouteContext): ScreenHandle {
  let destroyed = false;
  const detail = h('div', { 'aria-live': 'polite' });
  const show = async (fn: () => Promise<HTMLElement>): Promise<void> => {
    mount(detail, loadingView());
    try {
      const el = await fn();
      if (!destroyed) mount(detail, el);
    } catch (e) {
      if (!destroyed) mount(detail, problemView(e));
    }
  };
  const render = async (): Promise<void> => {
    mount(ctx.main, loadingView());
    try {
      const { items } = await riskApi.sets();
      if (destroyed) return;
      const from = h('select', { testid: 'risk-diff-from' }, items.map((s, i) => h('option', { value: s.version, selected: i === items.length - 2 }, s.version))) as HTMLSelectElement;
      const to = h('select', { testid: 'risk-diff-to' }, items.map((s, i) => h('option', { value: s.version, selected: i === items.length - 1 }, s.version))) as HTMLSelectElement;
      mount(ctx.main,
        h('p', { class: 'breadcrumb' }, h('a', { href: '#/risk' }, rt('nav.back'))),
        h('section', { class: 'panel', testid: 'risk-sets' }, h('h1', null, rt('sets.title')),
          h('table', { class: 'table' }, h('thead', null, h('tr', null, h('th', null, rt('sets.versions')), h('th', null, rt('sets.issued')), h('th', null, rt('sets.count')))),
            h('tbody', null, items.map((s) => h('tr', null,
              h('td', null, h('a', { href: '#', on: { click: (ev: MouseEvent) => { ev.preventDefault(); void show(async () => setView(await riskApi.set(s.version))); } } }, s.version)),
              h('td', null, s.issued_at.slice(0, 10)), h('td', null, String(s.countermeasures)))))),
          items.length > 1
            ? h('form', { class: 'filters', on: { submit: (ev: SubmitEvent) => { ev.preventDefault(); void show(async () => diffView(await riskApi.diff(from.value, to.value))); } } },
                h('strong', null, rt('sets.diff')), field(rt('sets.from'), from), field(rt('sets.to'), to), h('button', { type: 'submit', class: 'btn', testid: 'risk-diff-submit' }, rt('sets.compare')))
            : null),
        h('section', { class: 'panel' }, detail));
    } catch (e) {
      if (!destroyed) mount(ctx.main, problemView(e, () => void render()));
    }
  };
  void render();
  return { relabel: () => void render(), destroy: () => { destroyed = true; } };
}
