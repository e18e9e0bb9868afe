// One dispatch (GET /cymat/dispatches/{id}): the steps of Rule 11 its order needs (recorded
// and missing), the members assigned, the activity log (12(1)), the damage reports (13) and
// the CISO's opinions before the end of support (14). Every form is offered only when the
// server lists the action in allowed_actions; refusals show the provision cited.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount, type Child } from '../../dom';
import { t, tCode } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { cymat, type Dispatch, type RosterRow } from './client';
import { actionButton, actionForm, classBadge, classSelect, emptyRow, field, select, stateBadge, subnav, textArea, textInput, timelineView, when } from './common';

/** The report the damage report was filed as (13(2)), linked to the reports pages. */
function gsocLink(ref: string | null): Child {
  const m = ref ? /^report\/(\d+)$/.exec(ref) : null;
  if (!m) return ref ? ` ${ref}` : null;
  return [' ', h('a', { href: `#/reports/${m[1]}`, testid: 'gsoc-ref' }, t('cymat.report_no', { id: m[1] }))];
}

export function mountCymatDispatch(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let rec: Dispatch | null = null;
  let team: RosterRow[] = [];
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    try {
      rec = await cymat.dispatch(id);
      error = null;
      if (rec.allowed_actions?.includes('assign')) {
        try {
          team = (await cymat.roster({})).items.filter((r) => ['manager', 'field_lead', 'member'].includes(r.role));
        } catch {
          team = [];
        }
      }
    } catch (e) {
      error = e;
    }
    if (!destroyed) render();
  };
  const update = (x: unknown): void => {
    rec = x as Dispatch;
    render();
  };
  const can = (a: string): boolean => !!rec?.allowed_actions?.includes(a);
  const act = (a: string, body: Record<string, unknown> = {}) => () => cymat.dispatchAction(id, a, body);

  const consentsSection = (d: Dispatch): HTMLElement => {
    const c = d.consents ?? { required: [], recorded: [], missing: [] };
    const forms: HTMLElement[] = [];
    if (can('consent')) {
      const user = currentUser();
      const own = user?.org === d.subject;
      const party = select('party', own ? [['', t('cymat.party.default')]] : [['ministry', t('cymat.party.ministry')], ['body', t('cymat.party.body')]]);
      const note = textInput('note', { maxlength: 4000 });
      forms.push(actionForm({ testid: 'act-consent', title: t('cymat.action.consent'), fields: [d.paragraph === 4 ? field(t('cymat.party'), party) : null, field(t('cymat.note'), note)], submit: t('cymat.action.consent'), run: () => cymat.dispatchAction(id, 'consent', { ...(party.value && d.paragraph === 4 ? { party: party.value } : {}), ...(note.value ? { note: note.value } : {}) }), done: update }));
    }
    if (can('sound_out')) forms.push(actionButton(t('cymat.action.sound_out'), 'act-sound_out', act('sound_out'), update));
    if (can('request')) forms.push(actionButton(t('cymat.action.request'), 'act-request', act('request'), update));
    if (can('order')) forms.push(actionButton(t('cymat.action.order'), 'act-order', act('order'), update));
    if (can('cancel')) forms.push(actionButton(t('cymat.action.cancel'), 'act-cancel', act('cancel'), update));
    return h(
      'section',
      { class: 'panel', testid: 'consents' },
      h('h2', null, t('cymat.consents_11')),
      d.request ? h('p', null, t('cymat.on_request'), ' ', h('a', { href: `#/cymat/requests/${d.request}` }, t('cymat.request_no', { id: d.request }))) : null,
      c.required.length
        ? h(
            'ul',
            { class: 'plain cymat-steps' },
            c.required.map((p) => {
              const done = c.recorded.find((r) => r.party === p);
              return h('li', { class: ['cymat-step', done ? 'cymat-step-done' : 'cymat-step-missing'], 'data-party': p }, h('span', { 'aria-hidden': 'true' }, done ? '✔ ' : '○ '), tCode('cymat.party', p), done ? h('span', { class: 'muted small' }, ` — ${done.actor} (${done.org}) `, when(done.at), done.note ? ` 「${done.note}」` : '') : h('span', { class: 'muted small' }, ` — ${t('cymat.missing')}`));
            }),
          )
        : null,
      forms,
    );
  };

  const membersSection = (d: Dispatch): HTMLElement => {
    const members = d.members ?? [];
    let form: HTMLElement | null = null;
    if (can('assign')) {
      const assigned = new Set(members.filter((m) => !m.until).map((m) => m.roster));
      const choices = team.filter((r) => r.state === 'active' && !assigned.has(r.id));
      const pick = h('select', { name: 'members', multiple: true, size: Math.min(8, Math.max(2, choices.length)), testid: 'in-members' }, choices.map((r) => h('option', { value: String(r.id) }, `${r.name} (${r.org}, ${tCode('cymat.role', r.role)})`)));
      form = actionForm({ testid: 'act-assign', title: t('cymat.action.assign'), fields: [field(t('cymat.members'), pick)], submit: t('cymat.action.assign'), run: () => cymat.dispatchAction(id, 'assign', { members: Array.from(pick.selectedOptions).map((o) => Number(o.value)) }), done: update });
    }
    return h(
      'section',
      { class: 'panel', testid: 'members' },
      h('h2', null, t('cymat.members')),
      h(
        'table',
        { class: 'table' },
        h('thead', null, h('tr', null, [t('cymat.col.name'), t('cymat.col.org'), t('cymat.col.role'), t('cymat.col.from'), t('cymat.col.until'), ''].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          members.length
            ? members.map((m) =>
                h('tr', null, h('td', null, m.name), h('td', null, m.org), h('td', null, tCode('cymat.role', m.role)), h('td', null, when(m.from)), h('td', null, when(m.until)), h('td', null, !m.until && can('unassign') ? actionButton(t('cymat.action.unassign'), `unassign-${m.roster}`, act('unassign', { members: [m.roster] }), update) : null)),
              )
            : emptyRow(6, t('cymat.none')),
        ),
      ),
      form,
    );
  };

  const activitiesSection = (d: Dispatch): HTMLElement => {
    const items = d.activities ?? [];
    let form: HTMLElement | null = null;
    if (can('log_activity')) {
      const text = textArea('text', { required: true, maxlength: 20000 });
      const cat = select('category', ['grasp', 'support', 'special'].map((c) => [c, tCode('cymat.category', c)] as [string, string]), 'support');
      const conf = classSelect('confidentiality', String(d.confidentiality));
      form = actionForm({ testid: 'act-log_activity', title: t('cymat.action.log_activity'), fields: [field(t('cymat.category'), cat), field(t('cymat.text'), text), field(t('cymat.confidentiality'), conf)], submit: t('cymat.record'), run: () => cymat.dispatchAction(id, 'log_activity', { text: text.value, category: cat.value, confidentiality: Number(conf.value) }), done: update });
    }
    return h(
      'section',
      { class: 'panel', testid: 'activities' },
      h('h2', null, t('cymat.activities')),
      items.length ? h('ul', { class: 'plain cymat-entries' }, items.map((a) => h('li', { class: 'cymat-entry' }, h('div', { class: 'small muted' }, when(a.at), ` ${a.actor} (${a.org}) · `, tCode('cymat.category', a.category), ' ', classBadge(a.confidentiality)), h('p', { class: 'cymat-text' }, a.text)))) : h('p', { class: 'muted' }, t('cymat.none')),
      form,
    );
  };

  const reportsSection = (d: Dispatch): HTMLElement => {
    const items = Array.isArray(d.damage_reports) ? d.damage_reports : [];
    let form: HTMLElement | null = null;
    if (can('damage_report')) {
      const text = textArea('text', { required: true, maxlength: 20000 });
      const conf = classSelect('confidentiality', '2');
      const gsoc = h('input', { type: 'checkbox', name: 'counts_as_gsoc_report', testid: 'in-counts_as_gsoc_report' });
      const major = h('input', { type: 'checkbox', name: 'major_emergency', testid: 'in-major_emergency' });
      form = actionForm({
        testid: 'act-damage_report',
        title: t('cymat.action.damage_report'),
        fields: [field(t('cymat.text'), text), field(t('cymat.confidentiality'), conf), h('label', { class: 'cymat-check' }, gsoc, ' ', t('cymat.counts_as_gsoc')), h('label', { class: 'cymat-check' }, major, ' ', t('cymat.major_emergency_check'))],
        submit: t('cymat.record'),
        run: () => cymat.dispatchAction(id, 'damage_report', { text: text.value, confidentiality: Number(conf.value), counts_as_gsoc_report: gsoc.checked, major_emergency: major.checked }),
        done: update,
      });
    }
    return h(
      'section',
      { class: 'panel', testid: 'damage-reports' },
      h('h2', null, t('cymat.damage_reports')),
      h('p', { class: 'muted small' }, t('cymat.gate_note')),
      items.length
        ? h(
            'ul',
            { class: 'plain cymat-entries' },
            items.map((r) => h('li', { class: 'cymat-entry', testid: `damage-${r.id}` }, h('div', { class: 'small muted' }, when(r.at), ` ${r.reported_by} (${r.org}) `, classBadge(r.confidentiality), r.counts_as_gsoc_report ? h('span', { class: 'tag tag-yes' }, t('cymat.counts_as_gsoc_short'), gsocLink(r.gsoc_ref)) : null, r.major_emergency ? h('span', { class: 'tag cymat-major' }, t('cymat.major_emergency')) : null), h('p', { class: 'cymat-text' }, r.text))),
          )
        : h('p', { class: 'muted' }, t('cymat.none')),
      form,
    );
  };

  const endSection = (d: Dispatch): HTMLElement | null => {
    const ops = d.ciso_opinions ?? [];
    const parts: HTMLElement[] = [];
    if (can('ciso_opinion')) {
      const opinion = textArea('opinion', { required: true, maxlength: 20000 });
      const heard = textInput('heard_from', { maxlength: 200 });
      const nisc = currentUser()?.roles.some((r) => r.startsWith('nisc_'));
      parts.push(actionForm({ testid: 'act-ciso_opinion', title: t('cymat.action.ciso_opinion'), fields: [field(t('cymat.opinion'), opinion), nisc ? field(t('cymat.heard_from'), heard) : null], submit: t('cymat.record'), run: () => cymat.dispatchAction(id, 'ciso_opinion', { opinion: opinion.value, ...(heard.value ? { heard_from: heard.value } : {}) }), done: update }));
    }
    if (can('terminate')) parts.push(actionButton(t('cymat.action.terminate'), 'act-terminate', act('terminate'), update));
    if (!ops.length && !parts.length) return null;
    return h(
      'section',
      { class: 'panel', testid: 'end-of-support' },
      h('h2', null, t('cymat.end_title')),
      ops.length ? h('ul', { class: 'plain cymat-entries' }, ops.map((o) => h('li', { class: 'cymat-entry' }, h('div', { class: 'small muted' }, when(o.at), ` ${o.actor} (${o.org})`, o.heard_from ? ` · ${t('cymat.heard_from')}: ${o.heard_from}` : ''), h('p', { class: 'cymat-text' }, o.opinion)))) : h('p', { class: 'muted' }, t('cymat.no_opinion')),
      parts,
    );
  };

  const render = (): void => {
    if (error) return mount(ctx.main, subnav('board'), problemView(error, () => void load()));
    if (!rec) return mount(ctx.main, subnav('board'), loadingView());
    const d = rec;
    mount(
      ctx.main,
      subnav('board'),
      h(
        'section',
        { class: 'panel', testid: 'dispatch-page' },
        h('h1', null, t('cymat.dispatch_no', { id: d.id }), ' ', stateBadge(d.state), ' ', classBadge(d.confidentiality), d.major_emergency ? h('span', { class: 'tag cymat-major' }, t('cymat.major_emergency')) : null),
        h(
          'dl',
          { class: 'facts cymat-facts' },
          h('dt', null, t('cymat.col.subject')), h('dd', null, h('a', { href: `#/orgs/${encodeURIComponent(d.subject)}` }, d.subject)),
          h('dt', null, t('cymat.col.paragraph')), h('dd', null, t('cymat.paragraph_11', { n: d.paragraph })),
          h('dt', null, t('cymat.ordered')), h('dd', null, when(d.ordered_at), d.ordered_by ? ` (${d.ordered_by})` : ''),
          h('dt', null, t('cymat.terminated')), h('dd', null, when(d.terminated_at)),
        ),
        h('h2', null, t('cymat.summary')),
        h('p', { class: 'cymat-text' }, d.summary),
        basisView(d.basis, t('cymat.basis')),
      ),
      consentsSection(d),
      membersSection(d),
      activitiesSection(d),
      reportsSection(d),
      endSection(d),
      h('section', { class: 'panel' }, h('h2', null, t('cymat.timeline')), timelineView(d.timeline)),
    );
  };
  render();
  void load();
  return { relabel: render, destroy() { destroyed = true; } };
}
