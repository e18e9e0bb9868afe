// Specified major incident cases (MajorIncidentRules): the list (with the overdue filter of
// the dashboard and the stage targets), and the case page: the stage bar of Art. 3(1) with
// the time in each stage, the allowed actions as buttons, the timeline with the basis of
// each step, and the notices the case sent.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount, uid } from '../../dom';
import { t, tCode } from '../../i18n';
import { replaceQuery, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { duration, incidents, shortTime, type Case, type CaseItem, type Notice } from './client';
import { actionsView, exportLinks, facts, stateBadge, timelineView } from './common';

function mayEditTargets(): boolean {
  return (currentUser()?.roles ?? []).some((r) => r === 'admin' || r === 'nisc_director');
}

function targetsView(): HTMLElement {
  const box = h('section', { class: 'panel', testid: 'targets' });
  const render = (hours: Record<string, number | null>): void => {
    const inputs: Record<string, HTMLInputElement> = {};
    const error = h('div');
    mount(
      box,
      h('h2', null, t('inc.targets_title')),
      h('p', { class: 'muted small' }, t('inc.targets_hint')),
      h(
        'div',
        { class: 'filters' },
        ['1', '2', '3', '4'].map((s) => {
          const id = uid('tg');
          inputs[s] = h('input', { id, type: 'number', min: 1, value: hours[s] ?? '', disabled: !mayEditTargets(), testid: `target-${s}` }) as HTMLInputElement;
          return h('div', { class: 'field' }, h('label', { for: id }, `${s}. ${tCode('inc.stage', s)}`), inputs[s]);
        }),
        mayEditTargets()
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn',
                testid: 'targets-save',
                on: {
                  click: () => {
                    const next: Record<string, number | null> = {};
                    for (const [s, el] of Object.entries(inputs)) next[s] = el.value ? Number(el.value) : null;
                    incidents.setTargets(next).then((r) => render(r.stage_targets_hours), (e) => mount(error, problemView(e)));
                  },
                },
              },
              t('inc.save'),
            )
          : null,
      ),
      error,
    );
  };
  incidents.targets().then((r) => render(r.stage_targets_hours), (e) => mount(box, problemView(e)));
  return box;
}

export function mountCases(ctx: RouteContext): ScreenHandle {
  let overdue = ctx.query.get('overdue') === '1';
  let items: CaseItem[] = [];
  let error: unknown = null;
  let loading = true;
  const results = h('div', { 'aria-live': 'polite' });
  const load = async (): Promise<void> => {
    loading = true;
    renderResults();
    try {
      items = (await incidents.cases({ overdue: overdue ? 1 : undefined, limit: 200 })).items;
      error = null;
    } catch (e) {
      error = e;
    }
    loading = false;
    renderResults();
  };
  function renderResults(): void {
    if (error) return mount(results, problemView(error, () => void load()));
    if (loading && !items.length) return mount(results, loadingView());
    mount(
      results,
      items.length
        ? h(
            'table',
            { class: 'table', testid: 'case-list' },
            h('thead', null, h('tr', null, ['inc.col_id', 'inc.col_subject', 'inc.col_title', 'inc.col_stage', 'inc.col_state', 'inc.col_since'].map((k) => h('th', { scope: 'col' }, t(k as never))))),
            h(
              'tbody',
              null,
              items.map((c) =>
                h(
                  'tr',
                  { testid: `case-row-${c.id}`, class: [c.overdue && 'inc-overdue'] },
                  h('td', null, h('a', { href: `#/cases/${c.id}`, testid: `case-link-${c.id}` }, c.id)),
                  h('td', null, h('code', null, c.subject)),
                  h('td', null, c.title, c.emergency ? h('span', { class: 'badge inc-emergency' }, t('inc.emergency')) : null),
                  h('td', null, `${c.stage}. ${tCode('inc.stage', String(c.stage))}`),
                  h('td', null, stateBadge('case', c.state)),
                  h('td', null, shortTime(c.stage_since), c.overdue ? h('span', { class: 'badge inc-overdue-badge' }, t('inc.overdue')) : null),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted', testid: 'case-list-empty' }, t('inc.none')),
    );
  }
  function render(): void {
    const box = h('input', { type: 'checkbox', id: uid('od'), checked: overdue, testid: 'filter-overdue' }) as HTMLInputElement;
    box.addEventListener('change', () => {
      overdue = box.checked;
      replaceQuery('/cases', { overdue: overdue ? '1' : undefined });
      void load();
    });
    mount(
      ctx.main,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'inc-title-row' }, h('h1', null, t('inc.cases_title')), h('a', { class: 'btn', href: '#/reports' }, t('inc.reports_title'))),
        h('p', { class: 'inline' }, box, h('label', { for: box.id }, t('inc.only_overdue'))),
        results,
      ),
      targetsView(),
    );
    renderResults();
  }
  render();
  void load();
  return { relabel: render };
}

/** The four stages of Art. 3(1): done, current (with its time against the target), to come. */
function stageBar(c: Case): HTMLElement {
  return h(
    'ol',
    { class: 'inc-stagebar', testid: 'stage-bar', 'data-stage': String(c.stage), 'aria-label': t('inc.stages') },
    c.stages.map((s) => {
      const status = s.current ? 'current' : s.ended_at || (c.closed_at && s.started_at) ? 'done' : s.started_at ? 'done' : 'todo';
      return h(
        'li',
        { class: ['inc-stage', `inc-stage-${status}`, s.overdue && 'inc-stage-overdue'], testid: s.current ? 'stage-current' : `stage-${s.stage}`, 'aria-current': s.current ? 'step' : undefined, 'data-stage': String(s.stage) },
        h('span', { class: 'inc-stage-n' }, String(s.stage)),
        h('span', { class: 'inc-stage-label' }, tCode('inc.stage', String(s.stage))),
        s.started_at ? h('span', { class: 'inc-stage-time small' }, duration(s.seconds), s.target_hours ? ` / ${s.target_hours}h` : '') : null,
        s.overdue ? h('span', { class: 'badge inc-overdue-badge' }, t('inc.overdue')) : null,
      );
    }),
  );
}

function noticesView(list: Notice[] | null, error: unknown): HTMLElement {
  if (error) return problemView(error);
  if (!list) return loadingView();
  if (!list.length) return h('p', { class: 'muted' }, t('inc.none'));
  return h(
    'ul',
    { class: 'plain inc-notices', testid: 'case-notices' },
    list.map((n) =>
      h(
        'li',
        { class: 'inc-notice', testid: 'notice', 'data-to': n.to_org },
        h('div', null, h('strong', null, n.to_org), ' ', n.subject, ' ', h('span', { class: 'muted small' }, shortTime(n.created_at)), n.read_at ? h('span', { class: 'muted small' }, ` · ${t('inc.read')}`) : null),
        basisView(n.basis),
      ),
    ),
  );
}

export function mountCase(ctx: RouteContext): ScreenHandle {
  const cid = ctx.params[0];
  let rec: Case | null = null;
  let error: unknown = null;
  let notices: Notice[] | null = null;
  let noticeError: unknown = null;
  const loadNotices = (): void => {
    incidents.notices({ case: cid, limit: 500 }).then(
      (l) => {
        notices = l.items;
        render();
      },
      (e) => {
        noticeError = e;
        render();
      },
    );
  };
  const load = async (): Promise<void> => {
    try {
      rec = await incidents.case(cid);
      error = null;
    } catch (e) {
      error = e;
    }
    render();
    loadNotices();
  };
  const run = async (action: string, body: Record<string, unknown>): Promise<void> => {
    rec = await incidents.caseAction(cid, action, body);
    render();
    loadNotices();
  };
  function render(): void {
    if (error) return mount(ctx.main, problemView(error, () => void load()));
    if (!rec) return mount(ctx.main, loadingView());
    const c = rec;
    const si = c.supplementary_investigation;
    mount(
      ctx.main,
      h(
        'div',
        { class: 'record inc-record', testid: 'case-page', 'data-id': c.id },
        h('p', { class: 'breadcrumb' }, h('a', { href: '#/cases' }, t('inc.cases_title'))),
        h(
          'div',
          { class: 'inc-title-row' },
          h('h1', null, t('inc.case_n', { id: c.id }), ' ', c.title),
          h('div', { class: 'inline' }, stateBadge('case', c.state), c.emergency ? h('span', { class: 'badge inc-emergency', testid: 'emergency' }, t('inc.emergency')) : null, c.overdue ? h('span', { class: 'badge inc-overdue-badge' }, t('inc.overdue')) : null),
        ),
        h('section', { class: 'panel' }, h('h2', null, t('inc.stages')), stageBar(c)),
        h(
          'section',
          { class: 'panel' },
          facts([
            [t('inc.col_subject'), h('code', null, c.subject)],
            [t('inc.origin'), h('a', { href: `#/reports/${c.report}` }, t('inc.report_n', { id: c.report }))],
            [t('inc.field.criteria'), c.criteria.map((n) => t(`inc.criterion.${n}` as never)).join(' / ')],
            [t('inc.field.rationale'), c.rationale],
            [t('inc.field.occurred_at'), shortTime(c.occurred_at)],
            [t('inc.opened_at'), shortTime(c.opened_at)],
            [t('inc.closed_at'), shortTime(c.closed_at)],
            [t('inc.emergency'), c.emergency ? c.emergency_reason ?? '' : ''],
            [t('inc.supplementary'), si ? `${tCode('inc.performer', si.performer)}${si.delegate_org ? ` (${si.delegate_org})` : ''}` : ''],
            [t('inc.field.confidentiality'), t(`inc.conf.${c.confidentiality}` as never)],
          ]),
          exportLinks('cases', c.id),
        ),
        h('section', { class: 'panel' }, h('h2', null, t('inc.actions')), actionsView(c.allowed_actions, run)),
        h('section', { class: 'panel' }, h('h2', null, t('inc.timeline')), timelineView('case', c.timeline)),
        h('section', { class: 'panel' }, h('h2', null, t('inc.notices')), noticesView(notices, noticeError)),
      ),
    );
  }
  render();
  void load();
  return { relabel: render };
}

/** The organisation's inbox (NISC: every notice), with mark-as-read. */
export function mountInbox(ctx: RouteContext): ScreenHandle {
  let unread = ctx.query.get('unread') === '1';
  let items: Notice[] | null = null;
  let error: unknown = null;
  const load = (): void => {
    incidents.notices({ unread: unread ? 1 : undefined, limit: 200 }).then(
      (l) => {
        items = l.items;
        error = null;
        render();
      },
      (e) => {
        error = e;
        render();
      },
    );
  };
  function render(): void {
    const box = h('input', { type: 'checkbox', id: uid('ur'), checked: unread, testid: 'filter-unread' }) as HTMLInputElement;
    box.addEventListener('change', () => {
      unread = box.checked;
      replaceQuery('/notifications', { unread: unread ? '1' : undefined });
      load();
    });
    const me = currentUser()?.org;
    mount(
      ctx.main,
      h(
        'section',
        { class: 'panel' },
        h('h1', null, t('inc.inbox_title')),
        h('p', { class: 'inline' }, box, h('label', { for: box.id }, t('inc.only_unread'))),
        error
          ? problemView(error, load)
          : !items
            ? loadingView()
            : !items.length
              ? h('p', { class: 'muted' }, t('inc.none'))
              : h(
                  'ul',
                  { class: 'plain inc-notices', testid: 'inbox' },
                  items.map((n) =>
                    h(
                      'li',
                      { class: ['inc-notice', !n.read_at && 'inc-unread'], testid: `notice-${n.id}` },
                      h(
                        'div',
                        { class: 'inline' },
                        h('strong', null, n.to_org),
                        n.case ? h('a', { href: `#/cases/${n.case}` }, n.subject) : n.report ? h('a', { href: `#/reports/${n.report}` }, n.subject) : n.subject,
                        h('span', { class: 'muted small' }, shortTime(n.created_at)),
                        !n.read_at && n.to_org === me
                          ? h('button', { type: 'button', class: 'btn btn-small', testid: `read-${n.id}`, on: { click: () => incidents.markRead(n.id).then(load, (e) => { error = e; render(); }) } }, t('inc.mark_read'))
                          : n.read_at
                            ? h('span', { class: 'muted small' }, t('inc.read'))
                            : null,
                      ),
                      basisView(n.basis),
                    ),
                  ),
                ),
      ),
    );
  }
  render();
  load();
  return { relabel: render };
}
