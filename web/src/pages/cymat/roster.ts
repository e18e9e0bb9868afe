// The roster by organisation (CymatRules 5-9): who serves, with the limits of Rule 8 and the
// warnings where a ministry has nobody registered; registering (with the replacement of
// Rule 9) and ending rows. The history (ended rows) stays visible on request.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import { replaceQuery, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { cymat, ROSTER_ROLES, type RosterOrg, type RosterRow, type RosterView } from './client';
import { actionButton, actionForm, emptyRow, field, select, subnav, textInput, when } from './common';

function limitsText(o: RosterOrg): string {
  const l = o.limits;
  const parts: string[] = [];
  if (typeof l.candidates_max === 'number') parts.push(t('cymat.limit.candidates', { n: o.counts.candidate + (o.kind === 'ministry' ? o.counts.member : 0), max: l.candidates_max }));
  if (typeof l.trainees_max === 'number') parts.push(t('cymat.limit.trainees', { n: o.counts.trainee, max: l.trainees_max }));
  if (typeof l.candidates_and_trainees_max === 'number') parts.push(t('cymat.limit.total', { n: o.counts.candidate + o.counts.member + o.counts.trainee, max: l.candidates_and_trainees_max }));
  if (typeof l.managers_max === 'number') parts.push(t('cymat.limit.manager', { n: o.counts.manager }));
  if (typeof l.field_leads_planned === 'number') parts.push(t('cymat.limit.field_leads', { n: o.counts.field_lead, planned: l.field_leads_planned }));
  return parts.join(' / ');
}

export function mountCymatRoster(ctx: RouteContext): ScreenHandle {
  let org = ctx.query.get('org') ?? '';
  let history = ctx.query.get('history') === 'true';
  let view: RosterView | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    try {
      view = await cymat.roster({ org: org || undefined, history });
      error = null;
    } catch (e) {
      error = e;
      view = null;
    }
    if (!destroyed) render();
  };

  const rows = (items: RosterRow[]): HTMLElement =>
    h(
      'table',
      { class: 'table', testid: 'roster-rows' },
      h('thead', null, h('tr', null, [t('cymat.col.id'), t('cymat.col.org'), t('cymat.col.name'), t('cymat.col.role'), t('cymat.col.user'), t('cymat.col.from'), t('cymat.col.until'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        items.length
          ? items.map((r) =>
              h(
                'tr',
                { class: r.state === 'ended' ? 'cymat-ended' : undefined, testid: `roster-${r.id}` },
                h('td', null, String(r.id)),
                h('td', null, h('code', null, r.org)),
                h('td', null, r.name),
                h('td', null, tCode('cymat.role', r.role)),
                h('td', null, r.user ?? ''),
                h('td', null, when(r.from)),
                h('td', null, when(r.until), r.end_reason ? h('div', { class: 'muted small' }, r.end_reason) : null),
                h('td', null, r.state === 'active' ? actionButton(t('cymat.action.end'), `end-${r.id}`, () => cymat.endRoster(r.id), () => void load()) : null),
              ),
            )
          : emptyRow(8, t('cymat.none')),
      ),
    );

  const summaries = (orgs: RosterOrg[]): HTMLElement =>
    h(
      'table',
      { class: 'table', testid: 'roster-orgs' },
      h('thead', null, h('tr', null, [t('cymat.col.org'), t('cymat.col.kind'), t('cymat.col.limits'), t('cymat.col.warnings')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        orgs.map((o) =>
          h(
            'tr',
            { testid: `roster-org-${o.org}`, 'data-warnings': String(o.warnings.length) },
            h('td', null, h('a', { href: `#/cymat/roster?org=${encodeURIComponent(o.org)}` }, o.org)),
            h('td', null, tCode('kind', o.kind)),
            h('td', null, limitsText(o)),
            h('td', null, o.warnings.length ? h('ul', { class: 'plain' }, o.warnings.map((w) => h('li', { class: 'cymat-warning', 'data-code': w.code }, h('details', null, h('summary', null, '⚠ ', tCode('cymat.warning', w.code)), basisView(w.basis))))) : h('span', { class: 'muted' }, '—')),
          ),
        ),
      ),
    );

  const addForm = (): HTMLElement => {
    const u = currentUser();
    const orgIn = textInput('org', { required: true, maxlength: 32, value: org || u?.org || '' });
    const name = textInput('name', { required: true, maxlength: 200 });
    const role = select('role', ROSTER_ROLES.map((r) => [r, tCode('cymat.role', r)] as [string, string]), 'candidate');
    const user = textInput('user', { maxlength: 64 });
    const replaces = h('input', { type: 'number', name: 'replaces', min: 1, testid: 'in-replaces' });
    return actionForm({
      testid: 'roster-form',
      title: t('cymat.roster_add'),
      fields: [field(t('cymat.col.org'), orgIn), field(t('cymat.col.name'), name), field(t('cymat.col.role'), role), field(t('cymat.col.user'), user, t('cymat.user_hint')), field(t('cymat.replaces'), replaces, t('cymat.replaces_hint'))],
      submit: t('cymat.register'),
      run: () => cymat.addRoster({ org: orgIn.value.trim(), name: name.value, role: role.value as RosterRow['role'], ...(user.value.trim() ? { user: user.value.trim() } : {}), ...(replaces.value ? { replaces: Number(replaces.value) } : {}) }),
      done: () => void load(),
      className: 'cymat-form-inline',
    });
  };

  const render = (): void => {
    const orgFilter = textInput('org-filter', { value: org, maxlength: 32, placeholder: t('cymat.all_orgs') });
    const hist = h('input', { type: 'checkbox', checked: history, testid: 'in-history' });
    const filters = h(
      'form',
      { class: 'filters', on: { submit: (ev: SubmitEvent) => { ev.preventDefault(); org = orgFilter.value.trim(); history = hist.checked; replaceQuery('/cymat/roster', { org, history: history ? 'true' : null }); void load(); } } },
      field(t('cymat.col.org'), orgFilter),
      h('label', { class: 'cymat-check' }, hist, ' ', t('cymat.history')),
      h('button', { type: 'submit', class: 'btn' }, t('cymat.show')),
    );
    let body: HTMLElement;
    if (error) body = problemView(error, () => void load());
    else if (!view) body = loadingView();
    else
      body = h(
        'div',
        null,
        h('p', { class: 'muted', testid: 'team-size' }, t('cymat.team_size', { n: view.team.members, planned: view.team.planned })),
        summaries(view.orgs),
        h('h2', null, t('cymat.roster_rows')),
        rows(view.items),
      );
    mount(ctx.main, subnav('roster'), h('section', { class: 'panel' }, h('h1', null, t('cymat.roster_title')), h('p', { class: 'muted' }, t('cymat.roster_intro')), filters, body), h('section', { class: 'panel' }, addForm()));
  };

  render();
  void load();
  return { relabel: render, destroy() { destroyed = true; } };
}
