// Coverage (GET /gsoc/coverage): the bodies gsoc_monitoring covers today, within the
// caller's scope, and whether a live sensor watches each; the basis of each answer.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { lang, t, tCode } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { gsoc, type Coverage } from './client';
import { emptyRow, subnav, when } from './common';

export function mountGsocCoverage(ctx: RouteContext): ScreenHandle {
  let data: Coverage | null = null;
  let error: unknown = null;
  let destroyed = false;
  let showGaps = ctx.query.get('gaps') === '1';

  const load = async (): Promise<void> => {
    try {
      const r = await gsoc.coverage();
      if (destroyed) return;
      data = r;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('coverage'), problemView(error, () => void load()));
      return;
    }
    if (!data) {
      mount(ctx.main, subnav('coverage'), loadingView());
      return;
    }
    const rows = showGaps ? data.items.filter((c) => c.status !== 'live') : data.items;
    const table = h(
      'table',
      { class: 'table', testid: 'coverage-list' },
      h('thead', null, h('tr', null, [t('gsoc.col.org'), t('gsoc.col.name'), t('gsoc.col.kind'), t('gsoc.col.status'), t('gsoc.sensors'), t('gsoc.col.last_seen')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        rows.length
          ? rows.map((c) =>
              h(
                'tr',
                { testid: `coverage-${c.org}`, 'data-status': c.status },
                h('td', null, h('a', { href: `#/orgs/${encodeURIComponent(c.org)}` }, h('code', null, c.org))),
                h('td', null, lang() === 'en' ? c.name_en : c.name_ja),
                h('td', null, tCode('kind', c.kind)),
                h('td', null, h('span', { class: ['gsoc-cov', `gsoc-cov-${c.status}`] }, tCode('gsoc.coverage', c.status))),
                h('td', null, `${c.live_sensors} / ${c.sensors}`),
                h('td', null, when(c.last_seen)),
              ),
            )
          : emptyRow(6, t('gsoc.none')),
      ),
    );
    const basis = data.items.length ? basisView(data.items[0].basis, t('gsoc.coverage_basis')) : null;
    mount(
      ctx.main,
      subnav('coverage'),
      h(
        'section',
        { class: 'panel' },
        h('h1', null, t('gsoc.coverage_title')),
        h('p', { testid: 'coverage-summary' }, t('gsoc.coverage_summary', { date: data.date, covered: data.covered, live: data.with_live_sensor, gaps: data.without_live_sensor })),
        h('label', { class: 'gsoc-check' }, h('input', { type: 'checkbox', checked: showGaps, testid: 'gaps-only', on: { change: (ev: Event) => { showGaps = (ev.target as HTMLInputElement).checked; render(); } } }), ' ', t('gsoc.gaps_only')),
        h('div', { class: 'table-scroll' }, table),
        basis,
      ),
    );
  };

  render();
  void load();
  return {
    relabel: render,
    destroy() {
      destroyed = true;
    },
  };
}
