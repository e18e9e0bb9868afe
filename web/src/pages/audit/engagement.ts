// The engagement page: the plan (method agreed with the body, delegation), the route the
// results take (directly to the CISO, or through the supervising ministry), the findings
// with their revisions and reports back, good practices, the follow-up of earlier years,
// notices, the timeline with basis, and the steps the caller may take now.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount, type Child } from '../../dom';
import { buildHash, type RouteContext, type ScreenHandle } from '../../router';
import { audits, exportUrl, type Engagement, type Finding, type Followup, type Practice } from './client';
import {
  actionButton,
  actionForm,
  checkbox,
  disclosure,
  field,
  importantBadge,
  isNisc,
  noticesView,
  select,
  severityBadge,
  stateBadge,
  subnav,
  textArea,
  textInput,
  timelineView,
  when,
} from './common';
import { m, mc } from './i18n';

function severities(): [string, string][] {
  return ['low', 'medium', 'high', 'critical'].map((s) => [s, mc('sev', s)]);
}

/** The finding fields as a form part; `partial` leaves unchanged fields out of the body. */
function findingFields(f: Finding | null): { fields: Child[]; body: (partial: boolean) => Record<string, unknown> } {
  const title = textInput('title', { value: f?.title ?? '', required: !f });
  const severity = select('severity', severities(), f?.severity ?? 'medium');
  const [important, importantField] = checkbox('important', m('f.important'));
  important.checked = f?.important ?? false;
  const requirement = textInput('requirement', { value: f?.requirement ?? '' });
  const evidence = textArea('evidence', { required: !f });
  evidence.value = f?.evidence ?? '';
  const proposal = textArea('proposal');
  proposal.value = f?.proposal ?? '';
  const theme = textInput('theme', { value: f?.theme ?? '' });
  const body = (partial: boolean) => {
    const b: Record<string, unknown> = {};
    const put = (k: string, v: unknown, old: unknown) => {
      if (!partial || v !== old) b[k] = v;
    };
    put('title', title.value, f?.title);
    put('severity', severity.value, f?.severity);
    put('important', important.checked, f?.important);
    put('evidence', evidence.value, f?.evidence);
    const req = requirement.value.trim() || null;
    if (req !== (f?.requirement ?? null) && (req || partial)) b.requirement = req;
    const prop = proposal.value.trim() || null;
    if (prop !== (f?.proposal ?? null) && (prop || partial)) b.proposal = prop;
    const th = theme.value.trim() || null;
    if (th !== (f?.theme ?? null) && (th || partial)) b.theme = th;
    return b;
  };
  return {
    fields: [
      field(m('f.title'), title),
      field(m('f.severity'), severity),
      importantField,
      field(m('f.requirement'), requirement),
      field(m('f.evidence'), evidence),
      field(m('f.proposal'), proposal),
      field(m('f.theme'), theme),
    ],
    body,
  };
}

function findingActions(f: Finding, reload: () => void): Child[] {
  const actions = f.allowed_actions ?? [];
  const out: Child[] = [];
  if (actions.includes('edit') && f.state === 'draft') {
    const ff = findingFields(f);
    out.push(disclosure(m('action.edit'), `finding-${f.id}-edit`, actionForm({ testid: `finding-${f.id}-edit-form`, fields: ff.fields, submit: m('f.save'), run: () => audits.findingAction(f.id, 'edit', ff.body(true)), done: reload })));
  }
  if (actions.includes('revise')) {
    const ff = findingFields(f);
    const reason = textArea('reason', { required: true });
    out.push(
      disclosure(
        m('action.revise'),
        `finding-${f.id}-revise`,
        actionForm({ testid: `finding-${f.id}-revise-form`, fields: [...ff.fields, field(m('f.reason_revision'), reason)], submit: m('f.save'), run: () => audits.findingAction(f.id, 'revise', { ...ff.body(true), reason: reason.value }), done: reload }),
      ),
    );
  }
  if (actions.includes('report_back')) {
    const kind = select('kind', [['plan', m('kind.plan')], ['result', m('kind.result')]]);
    const text = textArea('text', { required: true });
    const due = h('input', { type: 'date', name: 'due', testid: 'in-due' });
    out.push(
      disclosure(
        m('action.report_back'),
        `finding-${f.id}-report`,
        actionForm({
          testid: `finding-${f.id}-report-form`,
          fields: [field(m('f.kind'), kind), field(m('f.text'), text), field(m('f.due'), due)],
          submit: m('action.report_back'),
          run: () => audits.findingAction(f.id, 'report_back', due.value ? { kind: kind.value, text: text.value, due: due.value } : { kind: kind.value, text: text.value }),
          done: reload,
        }),
      ),
    );
  }
  for (const a of ['forward_report', 'withdraw', 'close']) {
    if (actions.includes(a)) out.push(actionButton(mc('action', a), `finding-${f.id}-${a}`, () => audits.findingAction(f.id, a), reload));
  }
  return out;
}

function findingView(f: Finding, reload: () => void): HTMLElement {
  return h(
    'article',
    { class: 'audit-finding', testid: `finding-${f.id}`, 'data-state': f.state },
    h('h3', null, m('finding.no', { n: f.seq }), ' ', f.title, ' ', severityBadge(f.severity), ' ', importantBadge(f.important), ' ', stateBadge(f.state), ' ', h('span', { class: 'muted small' }, m('finding.revision', { n: f.revision }))),
    h(
      'dl',
      { class: 'audit-dl' },
      f.requirement ? [h('dt', null, m('f.requirement')), h('dd', null, f.requirement, f.requirement_title ? ` — ${f.requirement_title}` : '')] : null,
      h('dt', null, m('f.evidence')),
      h('dd', { class: 'audit-pre' }, f.evidence),
      h('dt', null, m('f.proposal')),
      h('dd', { class: 'audit-pre' }, f.proposal ?? '—'),
      f.theme ? [h('dt', null, m('f.theme')), h('dd', null, f.theme)] : null,
    ),
    f.revisions.length > 1
      ? disclosure(
          m('finding.revisions'),
          `finding-${f.id}-revisions`,
          h(
            'ol',
            { class: 'audit-revisions' },
            f.revisions.map((r) => h('li', null, h('strong', null, m('finding.revision', { n: r.revision })), ' ', when(r.at), ' ', r.by, ' — ', r.title, r.reason ? h('div', { class: 'small' }, `${m('eng.reason')}: ${r.reason}`) : null)),
          ),
        )
      : null,
    f.reports.length
      ? h(
          'div',
          { class: 'audit-reports' },
          h('h4', null, m('finding.reports')),
          h(
            'ul',
            { class: 'plain' },
            f.reports.map((r) => h('li', { class: 'audit-report', 'data-state': r.state }, when(r.at), ' ', h('strong', null, mc('kind', r.kind)), ` (${r.by_org}) `, stateBadge(r.state), r.due ? ` ${m('f.due')}: ${r.due}` : '', h('div', { class: 'audit-pre' }, r.text))),
          ),
        )
      : null,
    h('div', { class: 'audit-actions' }, findingActions(f, reload)),
  );
}

function practiceView(g: Practice, reload: () => void): HTMLElement {
  return h(
    'li',
    { class: 'audit-practice', testid: `practice-${g.id}` },
    h('strong', null, g.title),
    ' ',
    stateBadge(g.state),
    g.anonymise ? h('span', { class: 'muted small' }, ` ${m('gp.anonymous')}`) : null,
    h('div', { class: 'audit-pre' }, g.description),
    g.state === 'recorded'
      ? h(
          'div',
          { class: 'audit-actions' },
          isNisc() ? actionButton(m('action.publish'), `practice-${g.id}-publish`, () => audits.practiceAction(g.id, 'publish'), reload) : null,
          !isNisc() && !g.anonymise ? actionButton(m('action.request_anonymity'), `practice-${g.id}-anon`, () => audits.practiceAction(g.id, 'request_anonymity'), reload) : null,
        )
      : null,
  );
}

function followupsView(items: Followup[]): HTMLElement {
  if (!items.length) return h('p', { class: 'muted' }, m('none'));
  return h(
    'ul',
    { class: 'plain', testid: 'followups' },
    items.map((x) => h('li', null, m('fy', { fy: x.fiscal_year }), ' ', h('a', { href: buildHash(`/audits/engagements/${x.engagement}`) }, x.title), ' ', stateBadge(x.state), ' ', h('span', { class: 'muted small' }, mc('change', x.change)))),
  );
}

function engagementActions(e: Engagement, reload: () => void): Child[] {
  const out: Child[] = [];
  for (const a of e.allowed_actions) {
    // offered by state and role; shown only when they can apply to this engagement
    if ((a === 'end_delegation' && !e.delegation_open) || (a === 'delegate' && e.delegation_open)) continue;
    if (a === 'cancel') {
      const reason = textArea('reason', { required: true });
      out.push(disclosure(m('action.cancel'), 'engagement-cancel', actionForm({ testid: 'engagement-cancel-form', fields: [field(m('eng.reason'), reason)], submit: m('action.cancel'), run: () => audits.engagementAction(e.id, 'cancel', { reason: reason.value }), done: reload })));
    } else if (a === 'delegate') {
      const org = textInput('delegate_org', { value: 'ipa' });
      out.push(disclosure(m('action.delegate'), 'engagement-delegate', actionForm({ testid: 'engagement-delegate-form', fields: [field(m('f.delegate'), org)], submit: m('action.delegate'), run: () => audits.engagementAction(e.id, 'delegate', { delegate_org: org.value.trim() }), done: reload })));
    } else if (a === 'agree_method') {
      const note = textArea('note');
      out.push(actionForm({ testid: 'engagement-agree-form', fields: [field(m('f.note'), note)], submit: m('action.agree_method'), run: () => audits.engagementAction(e.id, 'agree_method', note.value.trim() ? { note: note.value.trim() } : {}), done: reload }));
    } else {
      out.push(actionButton(mc('action', a), `engagement-${a}`, () => audits.engagementAction(e.id, a), reload));
    }
  }
  return out;
}

function routeView(e: Engagement): HTMLElement {
  const r = e.route;
  return h(
    'div',
    { class: 'audit-route', testid: 'route', 'data-route': r?.type ?? 'direct' },
    h('p', null, r && r.type === 'via' ? m('eng.route_via', { via: r.via.join(', ') }) : m('eng.route_direct'), ' — ', stateBadge(e.state)),
    r ? basisView(r.basis) : null,
  );
}

function page(e: Engagement, reload: () => void): HTMLElement {
  const nisc = isNisc();
  const canAdd = (nisc || e.delegation_open) && (e.state === 'planned' || e.state === 'fieldwork');
  const addFinding = () => {
    const ff = findingFields(null);
    return disclosure(m('f.add_finding'), 'finding-add', actionForm({ testid: 'finding-form', fields: ff.fields, submit: m('f.add_finding'), run: () => audits.addFinding(e.id, ff.body(false)), done: reload }));
  };
  const addPractice = () => {
    const title = textInput('gp_title', { required: true });
    const desc = textArea('gp_description', { required: true });
    const [anon, anonField] = checkbox('gp_anonymise', m('f.gp_anonymise'));
    return disclosure(m('eng.practices'), 'practice-add', actionForm({ testid: 'practice-form', fields: [field(m('f.gp_title'), title), field(m('f.gp_description'), desc), anonField], submit: m('f.save'), run: () => audits.addPractice(e.id, { title: title.value, description: desc.value, anonymise: anon.checked }), done: reload }));
  };
  return h(
    'div',
    { class: 'audit-page', testid: 'audit-engagement' },
    h('h1', null, m('eng.title', { org: e.org_name_ja, fy: e.fiscal_year, type: mc('type', e.type) }), ' ', stateBadge(e.state)),
    subnav('board', e.fiscal_year),
    h(
      'section',
      { class: 'audit-section' },
      h('h2', null, m('eng.plan')),
      h(
        'dl',
        { class: 'audit-dl' },
        h('dt', null, m('f.org')),
        h('dd', null, h('a', { href: buildHash(`/orgs/${encodeURIComponent(e.org)}`) }, `${e.org_name_ja} (${e.org})`)),
        h('dt', null, m('eng.scope')),
        h('dd', { class: 'audit-pre' }, e.scope),
        h('dt', null, m('eng.method')),
        h('dd', { class: 'audit-pre' }, e.method),
        h('dt', null, m('eng.agreed')),
        h('dd', { testid: 'method-agreed' }, e.method_agreed ? [when(e.method_agreed.at), ` ${e.method_agreed.by}`] : h('span', { class: 'muted' }, m('eng.not_agreed'))),
        h('dt', null, m('eng.period')),
        h('dd', null, e.start, ' — ', e.end ?? '…'),
        e.experts.length ? [h('dt', null, m('eng.experts')), h('dd', null, e.experts.join(', '))] : null,
        h('dt', null, m('eng.applies')),
        h('dd', null, e.applies, e.reason ? ` — ${m('eng.reason')}: ${e.reason}` : ''),
        e.delegate_org ? [h('dt', null, m('eng.delegate')), h('dd', { testid: 'delegate' }, e.delegate_org, ' ', h('span', { class: 'muted small' }, e.delegation_open ? m('eng.delegation_open') : m('eng.delegation_closed')))] : null,
      ),
    ),
    ((acts) => (acts.length ? h('section', { class: 'audit-section' }, h('h2', null, m('eng.actions')), h('div', { class: 'audit-actions' }, acts)) : null))(engagementActions(e, reload)),
    h('section', { class: 'audit-section' }, h('h2', null, m('eng.route')), routeView(e), h('h3', null, m('eng.notices')), noticesView(e.notices)),
    h(
      'section',
      { class: 'audit-section', testid: 'findings' },
      h('h2', null, m('eng.findings')),
      e.results_visible ? (e.findings && e.findings.length ? e.findings.map((f) => findingView(f, reload)) : h('p', { class: 'muted' }, m('none'))) : h('p', { class: 'muted', testid: 'results-held' }, m('eng.results_held')),
      canAdd ? addFinding() : null,
      e.results_visible && e.published_at
        ? h(
            'p',
            { class: 'audit-exports' },
            h('strong', null, m('eng.exports'), ': '),
            h('a', { href: exportUrl(e.id, 'report.pdf'), testid: 'export-pdf', target: '_blank', rel: 'noopener' }, m('eng.pdf')),
            ' · ',
            h('a', { href: exportUrl(e.id, 'oscal'), testid: 'export-oscal', target: '_blank', rel: 'noopener' }, m('eng.oscal')),
            ' · ',
            h('a', { href: exportUrl(e.id, 'oscal/poam'), target: '_blank', rel: 'noopener' }, m('eng.poam')),
          )
        : null,
    ),
    h('section', { class: 'audit-section' }, h('h2', null, m('eng.practices')), e.good_practices.length ? h('ul', { class: 'plain' }, e.good_practices.map((g) => practiceView(g, reload))) : h('p', { class: 'muted' }, m('none')), canAdd || (nisc && e.state !== 'cancelled') ? addPractice() : null),
    e.followups ? h('section', { class: 'audit-section' }, h('h2', null, m('eng.followups')), followupsView(e.followups)) : null,
    h('section', { class: 'audit-section' }, h('h2', null, m('eng.timeline')), timelineView(e.timeline)),
  );
}

export function mountAuditEngagement(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let data: Engagement | null = null;
  let error: unknown = null;
  const render = () => mount(ctx.main, error ? problemView(error, load) : data ? page(data, load) : loadingView());
  function load(): void {
    audits.engagement(id).then(
      (e) => {
        data = e;
        error = null;
        render();
      },
      (e) => {
        error = e;
        render();
      },
    );
  }
  render();
  load();
  return { relabel: render };
}
