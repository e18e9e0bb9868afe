// The GSOC overview (GET /gsoc/overview, /campaigns): detections over time, by organisation
// and by state for what the caller may see; for NISC, the campaigns across organisations.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t } from '../../i18n';
import { replaceQuery, type RouteContext, type ScreenHandle } from '../../router';
import { detectionsChart } from './chart';
import { gsoc, type Campaign, type Overview } from './client';
import { daysAgo, emptyRow, indicatorText, isNisc, stateBadge, subnav, tlpBadge, when } from './common';

const PERIODS = [7, 30, 90];

export function mountGsocOverview(ctx: RouteContext): ScreenHandle {
  let days = PERIODS.includes(Number(ctx.query.get('days'))) ? Number(ctx.query.get('days')) : 30;
  let data: Overview | null = null;
  let campaigns: Campaign[] | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    data = null;
    render();
    try {
      const from = daysAgo(days - 1);
      const [o, c] = await Promise.all([gsoc.overview(from), isNisc() ? gsoc.campaigns(24, from) : Promise.resolve(null)]);
      if (destroyed) return;
      data = o;
      campaigns = c ? c.items : null;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const periodPicker = (): HTMLElement =>
    h(
      'div',
      { class: 'gsoc-period', role: 'group', 'aria-label': t('gsoc.period') },
      PERIODS.map((n) =>
        h('button', { type: 'button', class: ['btn', 'btn-small', n === days && 'btn-current'], 'aria-pressed': n === days ? 'true' : 'false', testid: `period-${n}`, on: { click: () => { days = n; replaceQuery('/gsoc', { days: String(n) }); void load(); } } }, t('gsoc.days', { n })),
      ),
    );

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('overview'), problemView(error, () => void load()));
      return;
    }
    if (!data) {
      mount(ctx.main, subnav('overview'), loadingView());
      return;
    }
    const total = data.series.reduce((a, p) => a + p.detections, 0);
    const alerts = data.series.reduce((a, p) => a + p.alerts, 0);
    const chart = detectionsChart(t('gsoc.chart_title', { from: data.from, to: data.to }), data.series, { detections: t('gsoc.detections'), alerts: t('gsoc.alerts') });
    const byOrg = h(
      'table',
      { class: 'table', testid: 'by-org' },
      h('thead', null, h('tr', null, [t('gsoc.col.org'), t('gsoc.detections'), t('gsoc.open'), t('gsoc.alerts')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, data.by_org.length ? data.by_org.map((o) => h('tr', { testid: `org-${o.org}` }, h('td', null, h('a', { href: `#/gsoc/detections?org=${encodeURIComponent(o.org)}` }, h('code', null, o.org))), h('td', null, String(o.detections)), h('td', null, String(o.open)), h('td', null, String(o.alerts)))) : emptyRow(4, t('gsoc.none'))),
    );
    const states = h('ul', { class: 'plain inline gsoc-states' }, Object.entries(data.by_state).map(([s, n]) => h('li', null, h('a', { href: `#/gsoc/detections?state=${s}` }, stateBadge(s)), ' ', String(n))));
    let camp: HTMLElement | null = null;
    if (campaigns) {
      camp = h(
        'section',
        { class: 'panel', testid: 'campaigns' },
        h('h2', null, t('gsoc.campaigns_title'), ' ', h('span', { class: 'muted small' }, String(campaigns.length))),
        h('p', { class: 'muted small' }, t('gsoc.campaigns_intro')),
        h(
          'table',
          { class: 'table' },
          h('thead', null, h('tr', null, [t('gsoc.col.indicator'), t('gsoc.col.tlp'), t('gsoc.col.orgs'), t('gsoc.col.first_seen'), t('gsoc.col.last_seen'), t('gsoc.alerts')].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            null,
            campaigns.length
              ? campaigns.map((c) =>
                  h(
                    'tr',
                    { testid: 'campaign' },
                    h('td', null, h('a', { href: `#/gsoc/detections?indicator=${encodeURIComponent(c.indicator.value)}` }, indicatorText(c.indicator.type, c.indicator.value, false))),
                    h('td', null, tlpBadge(c.indicator.tlp)),
                    h('td', null, c.orgs.map((o) => h('code', { class: 'gsoc-org' }, o))),
                    h('td', null, when(c.first_seen)),
                    h('td', null, when(c.last_seen)),
                    h('td', null, String(c.alerts)),
                  ),
                )
              : emptyRow(6, t('gsoc.no_campaigns')),
          ),
        ),
      );
    }
    mount(
      ctx.main,
      subnav('overview'),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'gsoc-head' }, h('h1', null, t('gsoc.overview_title')), periodPicker()),
        h('p', { class: 'muted small' }, isNisc() ? t('gsoc.scope_nisc') : t('gsoc.scope_own')),
        h('p', { testid: 'totals' }, t('gsoc.totals', { detections: total, alerts })),
        h('div', { class: 'gsoc-chart-wrap' }, chart),
        states,
      ),
      h('section', { class: 'panel' }, h('h2', null, t('gsoc.by_org')), byOrg),
      camp,
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
