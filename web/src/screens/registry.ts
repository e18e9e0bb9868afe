// Registry browser: search by Japanese or English name, code or former name
// (GET /api/v1/orgs?q=&kind=&date=), filter by kind, statuses as of a date.
import { api, type OrgSummary } from '../api';
import { kindBadge } from '../components/badges';
import { loadingView, problemView } from '../components/problem';
import { isIsoDate, todayJst } from '../dates';
import { h, mount, uid } from '../dom';
import { lang, t, tCode } from '../i18n';
import { buildHash, replaceQuery, type RouteContext, type ScreenHandle } from '../router';

export const ORG_KINDS = ['hq', 'nisc', 'cabinet_unit', 'ministry', 'observer', 'iai', 'corporation', 'ci_operator', 'other'];

interface State {
  q: string;
  kind: string;
  date: string;
  items: OrgSummary[];
  /** the query the items answer (q|kind|date), for tests and screen readers */
  shown: string;
  next: string | null;
  loading: boolean;
  error: unknown;
}

export function mountRegistry(ctx: RouteContext): ScreenHandle {
  const qd = ctx.query.get('date');
  const s: State = {
    q: ctx.query.get('q') ?? '',
    kind: ctx.query.get('kind') ?? '',
    date: isIsoDate(qd) ? qd : '',
    items: [],
    shown: '',
    next: null,
    loading: true,
    error: null,
  };
  let seq = 0;
  let timer: number | undefined;
  let destroyed = false;

  const ids = { q: uid('q'), kind: uid('kind'), date: uid('date') };
  const results = h('div', { class: 'results', 'aria-live': 'polite' });

  const syncUrl = (): void => replaceQuery('/orgs', { q: s.q, kind: s.kind, date: s.date });

  const load = async (append = false): Promise<void> => {
    const mySeq = ++seq;
    const asked = { q: s.q, kind: s.kind, date: s.date };
    s.loading = true;
    s.error = null;
    if (!append) renderResults();
    try {
      const page = await api.orgs({ q: asked.q || undefined, kind: asked.kind || undefined, date: asked.date || undefined, cursor: append && s.next ? s.next : undefined });
      if (destroyed || mySeq !== seq) return;
      s.items = append ? [...s.items, ...page.items] : page.items;
      s.shown = `${asked.q}|${asked.kind}|${asked.date}`;
      s.next = page.next_cursor ?? null;
    } catch (e) {
      if (destroyed || mySeq !== seq) return;
      s.error = e;
    }
    s.loading = false;
    renderResults();
  };

  const schedule = (): void => {
    syncUrl();
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 200);
  };

  function renderResults(): void {
    if (s.error) {
      mount(results, problemView(s.error, () => void load()));
      return;
    }
    if (s.loading && s.items.length === 0) {
      mount(results, loadingView());
      return;
    }
    const orgDate = s.date || undefined;
    const primaryName = (o: OrgSummary): string => (lang() === 'ja' ? o.name_ja : o.name_en || o.name_ja);
    const secondaryName = (o: OrgSummary): string => (lang() === 'ja' ? o.name_en : o.name_ja);
    mount(
      results,
      h('p', { class: 'result-count', testid: 'result-count' }, s.items.length ? t('registry.count', { n: s.items.length }) : t('registry.none')),
      s.items.length
        ? h(
            'table',
            { class: 'table orgs-table', testid: 'org-results', 'data-shown': s.shown },
            h(
              'thead',
              null,
              h('tr', null, h('th', { scope: 'col' }, t('registry.col_code')), h('th', { scope: 'col' }, t('registry.col_name')), h('th', { scope: 'col' }, t('registry.col_kind')), h('th', { scope: 'col' }, t('registry.col_supervising')), h('th', { scope: 'col' }, t('registry.col_status'))),
            ),
            h(
              'tbody',
              null,
              s.items.map((o) => {
                const href = buildHash(`/orgs/${encodeURIComponent(o.code)}`, { date: orgDate });
                return h(
                  'tr',
                  { testid: `org-row-${o.code}`, class: 'org-row', on: { click: (ev: MouseEvent) => {
                    if ((ev.target as HTMLElement).closest('a')) return;
                    location.hash = href;
                  } } },
                  h('td', null, h('code', null, o.code)),
                  h('td', null, h('a', { href, class: 'org-link', testid: `org-link-${o.code}` }, primaryName(o)), secondaryName(o) ? h('div', { class: 'muted small', lang: lang() === 'ja' ? 'en' : 'ja' }, secondaryName(o)) : null),
                  h('td', null, kindBadge(o.kind)),
                  h('td', null, (o.supervising ?? []).join(', ')),
                  h(
                    'td',
                    null,
                    o.art13_designated ? h('span', { class: 'tag tag-art13' }, t('registry.art13')) : null,
                    o.art32_listed ? h('span', { class: 'tag tag-art32' }, t('registry.art32')) : null,
                  ),
                );
              }),
            ),
          )
        : null,
      s.next ? h('button', { type: 'button', class: 'btn', testid: 'load-more', disabled: s.loading, on: { click: () => void load(true) } }, t('registry.more')) : null,
    );
  }

  const render = (): void => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.testid : undefined;
    const qInput = h('input', { id: ids.q, type: 'search', value: s.q, testid: 'org-search', 'aria-describedby': `${ids.q}-hint`, autocomplete: 'off', on: { input: () => { s.q = qInput.value; schedule(); } } });
    const kindSelect = h(
      'select',
      { id: ids.kind, testid: 'org-kind', on: { change: () => { s.kind = kindSelect.value; schedule(); } } },
      h('option', { value: '' }, t('registry.kind_all')),
      ORG_KINDS.map((k) => h('option', { value: k, selected: s.kind === k }, tCode('kind', k))),
    );
    const dateInput = h('input', { id: ids.date, type: 'date', value: s.date, testid: 'asof-date', min: '2000-01-01', max: '2099-12-31', on: { change: () => { s.date = isIsoDate(dateInput.value) ? dateInput.value : ''; schedule(); } } });
    const form = h(
      'form',
      { class: 'filters', role: 'search', testid: 'registry-form', on: { submit: (ev: SubmitEvent) => { ev.preventDefault(); window.clearTimeout(timer); syncUrl(); void load(); } } },
      h('div', { class: 'field field-grow' }, h('label', { for: ids.q }, t('registry.search')), qInput, h('span', { id: `${ids.q}-hint`, class: 'hint' }, t('registry.search_hint'))),
      h('div', { class: 'field' }, h('label', { for: ids.kind }, t('registry.kind')), kindSelect),
      h(
        'div',
        { class: 'field' },
        h('label', { for: ids.date }, t('registry.asof')),
        h('div', { class: 'inline' }, dateInput, h('button', { type: 'button', class: 'btn btn-small', on: { click: () => { s.date = ''; dateInput.value = ''; schedule(); } } }, t('registry.asof_today'))),
      ),
      h('button', { type: 'submit', class: 'btn btn-primary', testid: 'org-search-submit' }, t('registry.search')),
    );
    mount(ctx.main, h('section', { class: 'panel' }, h('h1', null, t('registry.title'), ' ', h('span', { class: 'muted small' }, s.date || todayJst())), form, results));
    renderResults();
    if (active) ctx.main.querySelector<HTMLElement>(`[data-testid="${active}"]`)?.focus();
    else qInput.focus();
  };

  render();
  void load();
  return {
    relabel: render,
    destroy() {
      destroyed = true;
      window.clearTimeout(timer);
    },
  };
}
