// Organisation page: the registry record (GET /api/v1/orgs/{code}?date=), what the regime
// applies to it on a date with the basis of each answer (GET .../applicability?date=), and
// how each answer changed across the 2015-2016 amendment (the same query at several dates).
import { api, type Applicability, type Citation, type FunctionAnswer, type Interval, type OrgRecord } from '../api';
import { appliesBadge, kindBadge, routeText } from '../components/badges';
import { basisView } from '../components/citation';
import { loadingView, problemView } from '../components/problem';
import { isIsoDate, timelineDates, todayJst, TIMELINE_DATES } from '../dates';
import { h, mount, uid, type Child } from '../dom';
import { lang, t, tCode } from '../i18n';
import { buildHash, replaceQuery, type RouteContext, type ScreenHandle } from '../router';

/** The function codes of spec 10, in the order of its table. */
export const FUNCTION_CODES = [
  'gsoc_monitoring',
  'audit',
  'cause_investigation',
  'delegation',
  'mandatory_reporting',
  'materials_request',
  'cymat_support',
  'risk_guideline',
];

interface State {
  date: string; // '' = today (server default)
  org: OrgRecord | null;
  orgError: unknown;
  app: Applicability | null;
  appError: unknown;
  timeline: Map<string, Applicability | Error>;
}

function functionOrder(app: Applicability | null): string[] {
  const codes = [...FUNCTION_CODES];
  if (app) for (const k of Object.keys(app.functions)) if (!codes.includes(k)) codes.push(k);
  return codes;
}

function intervalFrom(iv: Interval): string {
  return (iv.from ?? iv.from_date ?? '') as string;
}
function intervalUntil(iv: Interval): string | null {
  return (iv.until ?? iv.until_date ?? null) as string | null;
}

function orgLink(code: string, date: string): HTMLElement {
  return h('a', { href: buildHash(`/orgs/${encodeURIComponent(code)}`, { date: date || undefined }) }, code);
}

/** Renders a value of unknown shape (history entries are free-form) as text. */
function plain(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(plain).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${plain(x)}`)
    .join('; ');
}

function intervalsTable(rows: Interval[], withCriteria: boolean, testid: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted', testid }, t('org.none'));
  return h(
    'table',
    { class: 'table', testid },
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, t('org.from')), h('th', { scope: 'col' }, t('org.until')), h('th', { scope: 'col' }, t('org.decision')), withCriteria ? h('th', { scope: 'col' }, t('org.criteria')) : null),
    ),
    h(
      'tbody',
      null,
      rows.map((iv) => {
        const criteria = iv.criteria && typeof iv.criteria === 'object' ? Object.entries(iv.criteria).filter(([, v]) => v) : [];
        return h(
          'tr',
          null,
          h('td', null, h('time', { datetime: intervalFrom(iv) }, intervalFrom(iv))),
          h('td', null, intervalUntil(iv) ?? h('span', { class: 'muted' }, t('org.open_ended'))),
          h('td', null, iv.decision ?? '', iv.group ? h('div', { class: 'muted small' }, `${t('org.group')}: ${iv.group}`) : null),
          withCriteria
            ? h('td', null, criteria.length ? h('dl', { class: 'criteria' }, criteria.map(([k, v]) => [h('dt', null, tCode('criterion', k) === k ? t('org.criterion', { n: k }) : tCode('criterion', k)), h('dd', { lang: 'ja' }, String(v))])) : null)
            : null,
        );
      }),
    ),
  );
}

function historyView(history: unknown[]): HTMLElement {
  if (!history.length) return h('p', { class: 'muted', testid: 'org-history' }, t('org.none'));
  return h(
    'ol',
    { class: 'history', testid: 'org-history' },
    history.map((e) => {
      if (!e || typeof e !== 'object') return h('li', null, plain(e));
      const o = { ...(e as Record<string, unknown>) };
      const date = o.date ?? o.at ?? o.from ?? o.from_date;
      const what = o.event ?? o.action ?? o.type ?? o.kind;
      const decision = o.decision;
      for (const k of ['date', 'at', 'from', 'from_date', 'event', 'action', 'type', 'kind', 'decision', 'id']) delete o[k];
      const basis = Array.isArray(o.basis) ? (o.basis as Citation[]) : null;
      delete o.basis;
      return h(
        'li',
        { class: 'history-entry' },
        date ? h('time', { class: 'history-date', datetime: String(date) }, String(date)) : null,
        what ? h('span', { class: 'history-event', 'data-event': String(what) }, tCode('event', String(what))) : null,
        decision ? h('span', { class: 'history-decision', lang: 'ja' }, plain(decision)) : null,
        Object.keys(o).length ? h('span', { class: 'history-detail' }, plain(o)) : null,
        basis && basis.length ? basisView(basis) : null,
      );
    }),
  );
}

function functionCard(code: string, ans: FunctionAnswer | undefined): HTMLElement {
  const titleId = uid('fn');
  if (!ans) {
    return h('article', { class: 'fn-card', testid: `fn-${code}`, 'data-applies': 'unknown', 'aria-labelledby': titleId }, h('h3', { id: titleId }, tCode('fn', code)), h('p', { class: 'muted' }, '—'));
  }
  return h(
    'article',
    { class: ['fn-card', `fn-applies-${ans.applies}`], testid: `fn-${code}`, 'data-applies': ans.applies, 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'fn-head' },
      h('h3', { id: titleId, class: 'fn-title' }, tCode('fn', code), ' ', h('code', { class: 'fn-code' }, code)),
      h('div', { class: 'fn-answer', testid: 'fn-answer' }, appliesBadge(ans.applies)),
    ),
    h(
      'dl',
      { class: 'fn-facts' },
      ans.condition ? [h('dt', null, t('org.condition')), h('dd', { lang: 'ja', testid: 'fn-condition' }, ans.condition)] : null,
      ans.route ? [h('dt', null, t('org.route')), h('dd', { testid: 'fn-route', 'data-route': ans.route.type }, routeText(ans.route))] : null,
    ),
    basisView(ans.basis, t('org.basis')),
  );
}

export function mountOrg(ctx: RouteContext): ScreenHandle {
  const code = ctx.params[0];
  const qd = ctx.query.get('date');
  const s: State = {
    date: isIsoDate(qd) ? qd : '',
    org: null,
    orgError: null,
    app: null,
    appError: null,
    timeline: new Map(),
  };
  const pending = new Set<string>();
  let seq = 0;
  let destroyed = false;
  const dateId = uid('asof');

  const head = h('div', { class: 'org-head' });
  const statusBox = h('section', { class: 'panel', 'aria-live': 'polite' });
  const appBox = h('section', { class: 'panel', testid: 'applicability', 'aria-live': 'polite' });
  const timelineBox = h('section', { class: 'panel', testid: 'timeline-panel' });
  const recordBox = h('div', { class: 'record' });

  const effectiveDate = (): string => s.date || todayJst();

  const loadDate = async (): Promise<void> => {
    const my = ++seq;
    s.org = null;
    s.app = null;
    s.orgError = null;
    s.appError = null;
    renderAll();
    const date = s.date || undefined;
    const [org, app] = await Promise.allSettled([api.org(code, date), api.applicability(code, date)]);
    if (destroyed || my !== seq) return;
    if (org.status === 'fulfilled') s.org = org.value;
    else s.orgError = org.reason;
    if (app.status === 'fulfilled') s.app = app.value;
    else s.appError = app.reason;
    renderAll();
    void loadTimeline();
  };

  const loadTimeline = async (): Promise<void> => {
    const dates = timelineDates(effectiveDate()).filter((d) => !s.timeline.has(d) && !pending.has(d));
    if (!dates.length) {
      renderTimeline();
      return;
    }
    for (const d of dates) pending.add(d);
    renderTimeline();
    const answers = await Promise.allSettled(dates.map((d) => api.applicability(code, d)));
    if (destroyed) return;
    answers.forEach((a, i) => {
      pending.delete(dates[i]);
      s.timeline.set(dates[i], a.status === 'fulfilled' ? a.value : a.reason instanceof Error ? a.reason : new Error(String(a.reason)));
    });
    renderTimeline();
  };

  function renderHead(): void {
    const dateInput = h('input', {
      id: dateId,
      type: 'date',
      value: effectiveDate(),
      testid: 'asof-date',
      min: '2000-01-01',
      max: '2099-12-31',
      on: {
        change: () => {
          const v = dateInput.value;
          if (!isIsoDate(v)) return;
          s.date = v;
          replaceQuery(`/orgs/${encodeURIComponent(code)}`, { date: s.date });
          void loadDate();
        },
      },
    });
    const org = s.org;
    const nameMain = org ? (lang() === 'ja' ? org.name_ja : org.name_en || org.name_ja) : code;
    const nameSub = org ? (lang() === 'ja' ? org.name_en : org.name_ja) : '';
    mount(
      head,
      h('nav', { class: 'breadcrumb', 'aria-label': 'breadcrumb' }, h('a', { href: buildHash('/orgs', { date: s.date || undefined }), testid: 'back-to-registry' }, t('app.back_to_registry'))),
      h('div', { class: 'org-title-row' },
        h('div', null,
          h('h1', { class: 'org-title', testid: 'org-title' }, nameMain),
          nameSub ? h('p', { class: 'org-subtitle', lang: lang() === 'ja' ? 'en' : 'ja' }, nameSub) : null,
          h('p', { class: 'org-meta' }, h('code', { testid: 'org-code' }, code), ' ', org ? kindBadge(org.kind) : null),
        ),
        h('div', { class: 'field asof-field' }, h('label', { for: dateId }, t('registry.asof')), dateInput,
          h('div', { class: 'quick-dates', role: 'group', 'aria-label': t('registry.asof') },
            [...TIMELINE_DATES, todayJst()].map((d) => h('button', { type: 'button', class: ['btn', 'btn-small', d === effectiveDate() && 'btn-current'], testid: `quick-date-${d}`, on: { click: () => { s.date = d; replaceQuery(`/orgs/${encodeURIComponent(code)}`, { date: d }); void loadDate(); } } }, d === todayJst() ? t('org.timeline_today') : d)),
          ),
        ),
      ),
    );
  }

  function renderStatus(): void {
    if (s.orgError) {
      mount(statusBox, problemView(s.orgError, () => void loadDate()));
      return;
    }
    const org = s.org;
    if (!org) {
      mount(statusBox, loadingView());
      return;
    }
    const sup = org.supervising ?? [];
    const yesNo = (b: boolean, testid: string): HTMLElement => h('span', { class: ['tag', b ? 'tag-yes' : 'tag-no'], testid, 'data-value': String(b) }, b ? t('org.yes') : t('org.no'));
    mount(
      statusBox,
      h('h2', null, t('org.status_asof', { date: effectiveDate() })),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, t('org.name_ja')), h('dd', { lang: 'ja' }, org.name_ja),
        h('dt', null, t('org.name_en')), h('dd', { lang: 'en' }, org.name_en),
        h('dt', null, t('org.kind')), h('dd', null, kindBadge(org.kind)),
        h('dt', null, t('org.supervising')),
        h('dd', { testid: 'org-supervising' }, sup.length ? sup.map((c, i) => [i ? ', ' : '', orgLink(c, s.date), i === 0 && sup.length > 1 ? ` (${t('org.primary')})` : '']) : t('org.supervising_none')),
        h('dt', null, t('org.art13')), h('dd', null, yesNo(!!org.art13_designated, 'org-art13')),
        h('dt', null, t('org.art32')), h('dd', null, yesNo(!!org.art32_listed, 'org-art32')),
      ),
    );
  }

  function renderApplicability(): void {
    const headChildren: Child[] = [h('h2', null, t('org.applicability', { date: s.app?.date ?? effectiveDate() })), h('p', { class: 'muted' }, t('org.applicability_intro'))];
    if (s.appError) {
      mount(appBox, headChildren, problemView(s.appError, () => void loadDate()));
      return;
    }
    const app = s.app;
    if (!app) {
      mount(appBox, headChildren, loadingView());
      return;
    }
    appBox.dataset.date = app.date;
    mount(appBox, headChildren, h('div', { class: 'fn-list', testid: 'fn-list' }, functionOrder(app).map((c) => functionCard(c, app.functions[c]))));
  }

  function renderTimeline(): void {
    const dates = timelineDates(effectiveDate());
    const heading: Child[] = [h('h2', null, t('org.timeline')), h('p', { class: 'muted' }, t('org.timeline_intro'))];
    const loaded = dates.every((d) => s.timeline.has(d));
    if (!loaded) {
      mount(timelineBox, heading, loadingView());
      return;
    }
    const answerAt = (d: string, fn: string): FunctionAnswer | undefined => {
      const a = s.timeline.get(d);
      return a && !(a instanceof Error) ? a.functions[fn] : undefined;
    };
    const firstError = dates.map((d) => s.timeline.get(d)).find((a) => a instanceof Error);
    const fns = functionOrder(s.app);
    const today = todayJst();
    mount(
      timelineBox,
      heading,
      firstError ? problemView(firstError) : null,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'table timeline', testid: 'timeline' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('org.function')),
              dates.map((d) =>
                h('th', { scope: 'col', class: ['tl-date', d === effectiveDate() && 'tl-asof', d === '2016-10-21' && 'tl-boundary'] },
                  h('time', { datetime: d }, d),
                  d === today ? h('div', { class: 'small muted' }, t('org.timeline_today')) : null,
                  d === effectiveDate() && d !== today ? h('div', { class: 'small muted' }, t('org.timeline_asof')) : null,
                ),
              ),
              h('th', { scope: 'col' }, t('org.changes')),
            ),
          ),
          h(
            'tbody',
            null,
            fns.map((fn) => {
              const changes: string[] = [];
              let prev: FunctionAnswer | undefined;
              const cells = dates.map((d, i) => {
                const a = answerAt(d, fn);
                const changed = i > 0 && a && prev && a.applies !== prev.applies;
                if (changed && prev && a) changes.push(t('org.change_entry', { date: d, from: t(`applies.${prev.applies}`), to: t(`applies.${a.applies}`) }));
                const routeChanged = !changed && i > 0 && a && prev && routeText(a.route) !== routeText(prev.route);
                prev = a ?? prev;
                return h(
                  'td',
                  { class: ['tl-cell', changed && 'tl-changed', d === effectiveDate() && 'tl-asof'], testid: `tl-${fn}-${d}`, 'data-applies': a?.applies ?? 'unknown', title: a ? `${d}: ${t(`applies.${a.applies}`)}${a.route ? ` / ${routeText(a.route)}` : ''}${a.condition ? ` / ${a.condition}` : ''}` : d },
                  a ? appliesBadge(a.applies, true) : '?',
                  a?.route && a.applies !== 'no' ? h('div', { class: ['tl-route', routeChanged && 'tl-route-changed'] }, routeText(a.route)) : null,
                  changed ? h('span', { class: 'sr-only' }, ` (${t('org.timeline_changed')})`) : null,
                );
              });
              return h(
                'tr',
                { testid: `tl-row-${fn}` },
                h('th', { scope: 'row' }, tCode('fn', fn)),
                cells,
                h('td', { class: 'tl-changes', testid: `tl-changes-${fn}` }, changes.length ? h('ul', { class: 'plain' }, changes.map((c) => h('li', null, c))) : h('span', { class: 'muted' }, t('org.no_changes'))),
              );
            }),
          ),
        ),
      ),
    );
  }

  function renderRecord(): void {
    const org = s.org;
    if (!org) {
      mount(recordBox);
      return;
    }
    const formers = (org.former_names_ja ?? []).map((f) => (typeof f === 'string' ? { name_ja: f, until: null } : f));
    const designations = org.designations ?? org.art13_designations ?? [];
    const listings = org.art32_listings ?? org.listings ?? [];
    mount(
      recordBox,
      h('section', { class: 'panel' }, h('h2', null, t('org.former_names')),
        formers.length
          ? h('ul', { class: 'plain', testid: 'org-former-names' }, formers.map((f) => h('li', { lang: 'ja' }, f.name_ja, f.until ? h('span', { class: 'muted small' }, ` (〜${f.until})`) : null)))
          : h('p', { class: 'muted', testid: 'org-former-names' }, t('org.none'))),
      h('section', { class: 'panel' }, h('h2', null, t('org.designations')), intervalsTable(designations, true, 'org-designations')),
      h('section', { class: 'panel' }, h('h2', null, t('org.listings')), intervalsTable(listings, false, 'org-listings')),
      h('section', { class: 'panel' }, h('h2', null, t('org.history')), historyView(Array.isArray(org.history) ? org.history : [])),
    );
  }

  function renderAll(): void {
    renderHead();
    renderStatus();
    renderApplicability();
    renderTimeline();
    renderRecord();
  }

  mount(ctx.main, h('div', { class: 'org-page', testid: 'org-page', 'data-org': code }, head, h('div', { class: 'org-grid' }, statusBox, appBox), timelineBox, recordBox));
  void loadDate();

  return {
    relabel() {
      const active = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.testid : undefined;
      renderAll();
      if (active) ctx.main.querySelector<HTMLElement>(`[data-testid="${active}"]`)?.focus();
    },
    destroy() {
      destroyed = true;
    },
  };
}
