// Detections (GET /detections): filters by organisation, indicator and state, newest first,
// with paging. A body's users see their own; a ministry also those of the bodies it
// supervises; NISC all of them.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import { navigate, type RouteContext, type ScreenHandle } from '../../router';
import { DETECTION_STATES, gsoc, type Detection } from './client';
import { emptyRow, field, indicatorText, select, stateBadge, subnav, textInput, tlpBadge, when } from './common';

export function mountGsocDetections(ctx: RouteContext): ScreenHandle {
  const q = { org: ctx.query.get('org') ?? '', indicator: ctx.query.get('indicator') ?? '', state: ctx.query.get('state') ?? '' };
  let items: Detection[] | null = null;
  let next: string | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (more = false): Promise<void> => {
    try {
      const page = await gsoc.detections({ org: q.org || undefined, indicator: q.indicator || undefined, state: q.state || undefined, cursor: more && next ? next : undefined, limit: 50 });
      if (destroyed) return;
      items = more && items ? items.concat(page.items) : page.items;
      next = page.next_cursor;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const filters = (): HTMLElement => {
    const org = textInput('org', { value: q.org, maxlength: 32, placeholder: 'jps' });
    const indicator = textInput('indicator', { value: q.indicator, maxlength: 2048 });
    const state = select('state', [['', t('gsoc.any')], ...DETECTION_STATES.map((s): [string, string] => [s, tCode('gsoc.state', s)])], q.state);
    return h(
      'form',
      {
        class: 'gsoc-filters',
        testid: 'detection-filters',
        on: {
          submit: (ev: SubmitEvent) => {
            ev.preventDefault();
            navigate('/gsoc/detections', { org: org.value.trim(), indicator: indicator.value.trim(), state: state.value });
          },
        },
      },
      field(t('gsoc.col.org'), org),
      field(t('gsoc.col.indicator'), indicator, t('gsoc.indicator_hint')),
      field(t('gsoc.col.state'), state),
      h('div', { class: 'gsoc-filter-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('gsoc.filter'))),
    );
  };

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('detections'), h('section', { class: 'panel' }, h('h1', null, t('gsoc.detections_title')), filters()), problemView(error, () => void load()));
      return;
    }
    if (!items) {
      mount(ctx.main, subnav('detections'), loadingView());
      return;
    }
    const table = h(
      'table',
      { class: 'table', testid: 'detection-list' },
      h('thead', null, h('tr', null, [t('gsoc.col.id'), t('gsoc.col.org'), t('gsoc.col.indicator'), t('gsoc.col.tlp'), t('gsoc.col.day'), t('gsoc.col.last_seen'), t('gsoc.alerts'), t('gsoc.col.state')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        items.length
          ? items.map((d) =>
              h(
                'tr',
                { testid: `detection-${d.id}` },
                h('td', null, h('a', { href: `#/gsoc/detections/${d.id}` }, `#${d.id}`)),
                h('td', null, h('code', null, d.org)),
                h('td', null, indicatorText(d.indicator.type, d.indicator.value, d.indicator.withheld)),
                h('td', null, tlpBadge(d.indicator.tlp)),
                h('td', null, d.day),
                h('td', null, when(d.last_seen)),
                h('td', null, String(d.alerts)),
                h('td', null, stateBadge(d.state)),
              ),
            )
          : emptyRow(8, t('gsoc.none')),
      ),
    );
    mount(
      ctx.main,
      subnav('detections'),
      h(
        'section',
        { class: 'panel' },
        h('h1', null, t('gsoc.detections_title')),
        filters(),
        h('div', { class: 'table-scroll' }, table),
        next ? h('button', { type: 'button', class: 'btn', testid: 'more', on: { click: () => void load(true) } }, t('gsoc.more')) : null,
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
