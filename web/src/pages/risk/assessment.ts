// One assessment cycle: the ten steps as a guided sequence for the user's department (only
// the steps the server offers in allowed_actions are shown), the worksheet as a table that
// is editable where the user's department may change it, and the timeline with the basis
// of every step. Every change goes through an action of the workflow; a refusal is shown
// with the provisions that caused it.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import type { RouteContext, ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { riskApi, type Assessment, type CountermeasureSet, type TargetSystem } from './api';
import { ACTION_STEP, approvalBadge, field, orgName, run, stateBadge, statusLine, stepper } from './common';
import { rCode, rt, type RiskKey } from './i18n';

const REASONS = ['sensitive', 'grave_impact', 'confidential'];
const CATEGORIES = ['national_security', 'foreign_relations', 'public_safety'];
const RESIDUAL = ['high', 'medium', 'low'];
const DEPARTMENTS = ['infosec', 'infoprotect', 'domain_owner', 'system_owner', 'resource', 'ciso', 'nisc_staff'];
/** actions edited in the worksheet table rather than in the guide */
const IN_TABLE = ['assess_impact', 'mark_protected', 'check_state', 'draft_plan', 'review_plan'];

interface Ctx {
  a: Assessment;
  set: CountermeasureSet | null;
  reload: () => void;
}

function can(c: Ctx, action: string): boolean {
  return c.a.allowed_actions.includes(action);
}

function cmTitle(set: CountermeasureSet | null, id: string): string {
  for (const sc of set?.scenarios ?? []) for (const ob of sc.objectives) for (const cm of ob.countermeasures) if (cm.id === id) return cm.title;
  return '';
}

/** (countermeasure, component) pairs of the set that apply to the components. */
function applicablePairs(set: CountermeasureSet | null, components: string[]): { countermeasure: string; component: string }[] {
  const out: { countermeasure: string; component: string }[] = [];
  for (const sc of set?.scenarios ?? []) for (const ob of sc.objectives) for (const cm of ob.countermeasures) for (const comp of cm.components) if (components.includes(comp)) out.push({ countermeasure: cm.id, component: comp });
  return out;
}

function textArea(value: string, testid: string, rows = 2): HTMLTextAreaElement {
  const t = h('textarea', { rows, testid, class: 'risk-text' }) as HTMLTextAreaElement;
  t.value = value;
  return t;
}

function button(label: string, testid: string, primary = false): HTMLButtonElement {
  return h('button', { type: 'button', class: ['btn', primary && 'btn-primary'], testid }, label) as HTMLButtonElement;
}

/** A guide entry: the step, a short form, the action button. */
function actionForm(c: Ctx, action: string, fields: HTMLElement[], body: () => unknown, primary = true): HTMLElement {
  const out = statusLine();
  const b = button(rt(`action.${action}` as RiskKey), `risk-do-${action}`, primary);
  b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, action, body()), c.reload));
  return h('div', { class: 'risk-action', 'data-action': action }, fields, h('div', { class: 'inline' }, b), out);
}

function guideEntry(c: Ctx, action: string): HTMLElement | null {
  switch (action) {
    case 'agree_roles': {
      const note = textArea(c.a.roles.note ?? '', 'risk-roles-note');
      return actionForm(c, action, [field(rt('form.note'), note)], () => (note.value ? { note: note.value } : {}));
    }
    case 'select_domains':
      return selectDomainsForm(c);
    case 'add_target_system':
      return addSystemForm(c);
    case 'finalise':
    case 'build_dashboard':
    case 'report':
    case 'forward':
      return actionForm(c, action, [], () => ({}));
    case 'approve': {
      const comment = textArea('', 'risk-approve-comment');
      return actionForm(c, action, [field(rt('form.comment'), comment)], () => (comment.value ? { comment: comment.value } : {}));
    }
    case 'send_back': {
      const text = textArea('', 'risk-send-back-text', 3);
      return actionForm(c, action, [field(rt('form.instructions'), text)], () => ({ instructions: text.value }), false);
    }
    case 'accept': {
      const issues = textArea('', 'risk-accept-issues', 3);
      return actionForm(c, action, [field(rt('form.issues'), issues)], () => (issues.value ? { issues: issues.value } : {}));
    }
    case 'change_countermeasure_set': {
      const sel = h('select', { testid: 'risk-change-set' }, c.a.newer_countermeasure_sets.map((v) => h('option', { value: v }, v)));
      if (!c.a.newer_countermeasure_sets.length) return null;
      return actionForm(c, action, [field(rt('form.version'), sel)], () => ({ version: sel.value }), false);
    }
    case 'import_worksheet': {
      const file = h('input', { type: 'file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', testid: 'risk-import-file' }) as HTMLInputElement;
      const out = statusLine();
      const b = button(rt('action.import_worksheet'), 'risk-do-import_worksheet');
      b.addEventListener('click', () => {
        const f = file.files?.[0];
        if (f) void run(out, b, () => riskApi.importXlsx(c.a.id, f), c.reload);
      });
      return h('div', { class: 'risk-action', 'data-action': action }, field(rt('form.file'), file), h('div', { class: 'inline' }, b), out);
    }
    default:
      return null;
  }
}

function selectDomainsForm(c: Ctx): HTMLElement {
  const rows = h('tbody');
  const addRow = (name = '', reason = 'grave_impact', cats: string[] = []): void => {
    const nameIn = h('input', { type: 'text', value: name, class: 'risk-domain-name', 'aria-label': rt('form.name') });
    const reasonSel = h('select', { class: 'risk-domain-reason', 'aria-label': rt('form.reason') }, REASONS.map((r) => h('option', { value: r, selected: r === reason }, rCode('reason', r))));
    const catBoxes = CATEGORIES.map((k) => h('label', { class: 'risk-check' }, h('input', { type: 'checkbox', value: k, checked: cats.includes(k), class: 'risk-domain-cat' }), rCode('category', k)));
    const remove = button(rt('form.remove_row'), 'risk-domain-remove');
    const tr = h('tr', { class: 'risk-domain-row' }, h('td', null, nameIn), h('td', null, reasonSel), h('td', null, catBoxes), h('td', null, remove));
    remove.addEventListener('click', () => tr.remove());
    rows.append(tr);
  };
  for (const d of c.a.worksheet.domains) addRow(d.name, d.reason, d.categories);
  if (!c.a.worksheet.domains.length) addRow();
  const add = button(rt('form.add_row'), 'risk-domain-add');
  add.addEventListener('click', () => addRow());
  const body = (): unknown => ({
    domains: [...rows.querySelectorAll('tr')].map((tr) => {
      const name = (tr.querySelector('.risk-domain-name') as HTMLInputElement).value;
      const reason = (tr.querySelector('.risk-domain-reason') as HTMLSelectElement).value;
      const categories = [...tr.querySelectorAll<HTMLInputElement>('.risk-domain-cat')].filter((x) => x.checked).map((x) => x.value);
      return reason === 'sensitive' ? { name, reason, categories } : { name, reason };
    }),
  });
  const tableEl = h('table', { class: 'table', testid: 'risk-domains-form' }, h('thead', null, h('tr', null, h('th', null, rt('form.name')), h('th', null, rt('form.reason')), h('th', null, rt('form.categories')), h('th', null, ''))), rows);
  return actionForm(c, 'select_domains', [tableEl, add], body);
}

function addSystemForm(c: Ctx): HTMLElement {
  const protectedDomains = c.a.worksheet.domains.filter((d) => d.protected);
  const domain = h('select', { testid: 'risk-sys-domain' }, protectedDomains.map((d) => h('option', { value: d.name }, d.name)));
  const name = h('input', { type: 'text', testid: 'risk-sys-name' }) as HTMLInputElement;
  const crit = h('select', { testid: 'risk-sys-criterion' }, h('option', { value: '1' }, rt('form.criterion1')), h('option', { value: '2' }, rt('form.criterion2'))) as HTMLSelectElement;
  const comps = h('input', { type: 'text', testid: 'risk-sys-components', placeholder: 'terminal; mail_gateway' }) as HTMLInputElement;
  const builtOn = h('input', { type: 'text', testid: 'risk-sys-built-on' }) as HTMLInputElement;
  const gap = h('input', { type: 'text', testid: 'risk-sys-counterpart' }) as HTMLInputElement;
  const gapField = field(rt('form.counterpart'), gap);
  gapField.hidden = true;
  crit.addEventListener('change', () => { gapField.hidden = crit.value !== '2'; });
  return actionForm(c, 'add_target_system', [
    h('div', { class: 'risk-grid' }, field(rt('form.domain'), domain), field(rt('form.name'), name), field(rt('form.criterion'), crit), field(rt('form.components'), comps), field(rt('form.built_on'), builtOn), gapField),
  ], () => {
    const body: Record<string, unknown> = { domain: domain.value, name: name.value, criterion: Number(crit.value), components: comps.value.split(/[;,\s]+/).filter(Boolean) };
    if (builtOn.value) body.built_on = builtOn.value;
    if (crit.value === '2' && gap.value) body.air_gapped_counterpart = gap.value;
    return body;
  });
}

function guide(c: Ctx): HTMLElement {
  const roles = (currentUser()?.roles ?? []).filter((r) => DEPARTMENTS.includes(r));
  const offered = [...c.a.allowed_actions].sort((x, y) => (ACTION_STEP[x] || 99) - (ACTION_STEP[y] || 99));
  const entries = offered.map((action) => {
    const step = ACTION_STEP[action];
    const heading = h('h3', null, step ? `${rt(`step.${step}` as RiskKey)}: ` : '', rt(`action.${action}` as RiskKey));
    if (IN_TABLE.includes(action))
      return h('div', { class: 'risk-guide-entry', 'data-action': action }, heading, h('p', { class: 'hint' }, h('a', { href: '#risk-worksheet', on: { click: (ev: MouseEvent) => { ev.preventDefault(); document.getElementById('risk-worksheet')?.scrollIntoView(); } } }, rt('ws.title'))));
    const form = guideEntry(c, action);
    return form ? h('div', { class: 'risk-guide-entry', 'data-action': action }, heading, form) : null;
  });
  return h(
    'section',
    { class: 'panel', testid: 'risk-guide' },
    h('h2', null, rt('guide.title')),
    roles.length ? h('p', { class: 'muted small' }, `${rt('guide.roles')}: `, roles.map((r) => rCode('role', r)).join('、')) : null,
    c.a.instructions ? h('p', { class: 'notice', testid: 'risk-instructions' }, `${rt('form.instructions')}: ${c.a.instructions}`) : null,
    offered.length ? entries : h('p', { class: 'muted', testid: 'risk-guide-none' }, rt('guide.none')),
  );
}

/* ---- the worksheet as a table ---- */

function domainsTable(c: Ctx): HTMLElement {
  const ws = c.a.worksheet;
  if (!ws.domains.length) return h('p', { class: 'muted' }, rt('ws.empty'));
  const editImpact = can(c, 'assess_impact');
  const editProtected = can(c, 'mark_protected');
  const protectBoxes: HTMLInputElement[] = [];
  const rows = ws.domains.map((d) => {
    let impactCell: HTMLElement = h('span', null, d.impact ?? '—');
    if (editImpact) {
      const ta = textArea(d.impact ?? '', `risk-impact-${d.name}`);
      const out = statusLine();
      const b = button(rt('form.save'), `risk-save-impact-${d.name}`);
      b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, 'assess_impact', { domain: d.name, impact: ta.value }), c.reload));
      impactCell = h('div', null, ta, b, out);
    }
    const box = h('input', { type: 'checkbox', checked: d.protected, disabled: !editProtected, value: d.name, 'aria-label': `${rt('ws.protected')}: ${d.name}` }) as HTMLInputElement;
    protectBoxes.push(box);
    const dropped = d.protected && !ws.systems.some((s) => s.domain === d.name) && ['planning', 'finalised', 'awaiting_approval', 'approved', 'at_ministry', 'reported', 'accepted'].includes(c.a.state);
    return h('tr', { 'data-domain': d.name }, h('th', { scope: 'row' }, d.name), h('td', null, rCode('reason', d.reason)), h('td', null, d.categories.map((k) => rCode('category', k)).join('、')), h('td', null, impactCell), h('td', null, box, dropped ? h('div', { class: 'hint' }, rt('ws.dropped')) : null));
  });
  let protectForm: HTMLElement | null = null;
  if (editProtected) {
    const out = statusLine();
    const b = button(rt('action.mark_protected'), 'risk-do-mark_protected', true);
    b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, 'mark_protected', { domains: protectBoxes.filter((x) => x.checked).map((x) => x.value) }), c.reload));
    protectForm = h('div', null, b, out);
  }
  return h('div', null, h('div', { class: 'table-scroll' }, h('table', { class: 'table', testid: 'risk-ws-domains' }, h('thead', null, h('tr', null, [rt('form.name'), rt('form.reason'), rt('form.categories'), rt('form.impact'), rt('ws.protected')].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', null, rows))), protectForm);
}

function checksBlock(c: Ctx, s: TargetSystem): HTMLElement {
  const editable = can(c, 'check_state') && s.components.length > 0;
  const pairs = editable ? applicablePairs(c.set, s.components) : s.checks;
  const boxes: { cm: string; comp: string; box: HTMLInputElement }[] = [];
  const rows = pairs.map((p) => {
    const existing = s.checks.find((x) => x.countermeasure === p.countermeasure && x.component === p.component);
    const box = h('input', { type: 'checkbox', checked: existing?.implemented ?? false, disabled: !editable, 'aria-label': `${p.countermeasure} / ${p.component}` }) as HTMLInputElement;
    boxes.push({ cm: p.countermeasure, comp: p.component, box });
    return h('tr', null, h('td', null, h('code', null, p.countermeasure), ' ', h('span', { class: 'small' }, cmTitle(c.set, p.countermeasure))), h('td', null, h('code', null, p.component)), h('td', null, box));
  });
  const tableEl = rows.length ? h('table', { class: 'table risk-checks', testid: `risk-checks-${s.name}` }, h('thead', null, h('tr', null, h('th', null, rt('ws.countermeasure')), h('th', null, rt('ws.component')), h('th', null, rt('form.implemented')))), h('tbody', null, rows)) : h('p', { class: 'muted small' }, rt('ws.empty'));
  if (!editable) return h('div', null, h('h4', null, rt('ws.checks')), tableEl);
  const residual = h('select', { testid: `risk-residual-${s.name}` }, RESIDUAL.map((r) => h('option', { value: r, selected: r === s.residual_risk }, rCode('residual', r)))) as HTMLSelectElement;
  const out = statusLine();
  const b = button(rt('action.check_state'), `risk-save-checks-${s.name}`, true);
  b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, 'check_state', { system: s.name, residual_risk: residual.value, checks: boxes.map((x) => ({ countermeasure: x.cm, component: x.comp, implemented: x.box.checked })) }), c.reload));
  return h('div', null, h('h4', null, rt('ws.checks')), tableEl, field(rt('form.residual'), residual), b, out);
}

function planBlock(c: Ctx, s: TargetSystem): HTMLElement {
  const fy = c.a.fiscal_year;
  const open = [...new Set(s.checks.filter((x) => !x.implemented).map((x) => x.countermeasure))];
  const editable = can(c, 'draft_plan') && s.residual_risk !== null;
  if (!editable) {
    const items = s.plan ?? [];
    return h('div', null, h('h4', null, rt('ws.plan')),
      s.plan === null ? h('p', { class: 'muted small' }, rt('ws.no_plan')) : h('ul', { class: 'plain', testid: `risk-plan-${s.name}` }, items.map((p) => h('li', null, `${p.fiscal_year}: `, h('code', null, p.countermeasure), ' ', cmTitle(c.set, p.countermeasure)))),
      s.plan_review ? h('p', { class: 'small' }, `${rt('form.review')}: ${s.plan_review}`) : null);
  }
  const selects = open.map((cm) => {
    const current = s.plan?.find((p) => p.countermeasure === cm)?.fiscal_year ?? fy;
    const sel = h('select', { 'aria-label': `${rt('form.fiscal_year')} ${cm}` }, Array.from({ length: 11 }, (_, i) => fy + i).map((y) => h('option', { value: String(y), selected: y === current }, String(y)))) as HTMLSelectElement;
    return { cm, sel };
  });
  const review = textArea(s.plan_review ?? '', `risk-plan-review-${s.name}`);
  const out = statusLine();
  const b = button(rt('action.draft_plan'), `risk-save-plan-${s.name}`, true);
  b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, 'draft_plan', {
    system: s.name,
    items: selects.map((x) => ({ countermeasure: x.cm, fiscal_year: Number(x.sel.value) })),
    ...(review.value ? { review: review.value } : {}),
  }), c.reload));
  return h('div', null, h('h4', null, rt('ws.plan')),
    h('table', { class: 'table', testid: `risk-plan-form-${s.name}` }, h('tbody', null, selects.map((x) => h('tr', null, h('td', null, h('code', null, x.cm), ' ', cmTitle(c.set, x.cm)), h('td', null, x.sel))))),
    field(rt('form.review'), review), b, out);
}

function reviewBlock(c: Ctx, s: TargetSystem): HTMLElement | null {
  const done = c.a.reviews.find((r) => r.system === s.name);
  const status = done ? h('p', { class: 'small' }, `${rt('ws.reviews')}: `, done.request_changes ? rt('ws.changes_requested') : rt('ws.reviewed_ok'), done.comment ? ` — ${done.comment}` : '') : null;
  if (!can(c, 'review_plan') || s.plan === null) return status;
  const req = h('input', { type: 'checkbox', testid: `risk-review-changes-${s.name}` }) as HTMLInputElement;
  const comment = textArea('', `risk-review-comment-${s.name}`);
  const out = statusLine();
  const b = button(rt('action.review_plan'), `risk-do-review-${s.name}`, true);
  b.addEventListener('click', () => void run(out, b, () => riskApi.act(c.a.id, 'review_plan', { system: s.name, request_changes: req.checked, ...(comment.value ? { comment: comment.value } : {}) }), c.reload));
  return h('div', null, status, h('label', { class: 'risk-check' }, req, rt('form.request_changes')), field(rt('form.comment'), comment), b, out);
}

function systemsBlock(c: Ctx): HTMLElement {
  const ws = c.a.worksheet;
  if (!ws.systems.length) return h('p', { class: 'muted' }, rt('ws.empty'));
  return h('div', { class: 'risk-systems' }, ws.systems.map((s) =>
    h('article', { class: 'risk-system', 'data-system': s.name, testid: `risk-system-${s.name}` },
      h('h3', null, s.name, ' ', h('span', { class: ['badge', `risk-residual-${s.residual_risk ?? 'unchecked'}`] }, `${rt('form.residual')}: ${rCode('residual', s.residual_risk ?? 'unchecked')}`)),
      h('dl', { class: 'fn-facts' },
        h('dt', null, rt('form.domain')), h('dd', null, s.domain),
        h('dt', null, rt('form.criterion')), h('dd', null, s.criterion === 2 ? rt('form.criterion2') : rt('form.criterion1')),
        h('dt', null, rt('form.components')), h('dd', null, s.components.join('; ') || '—'),
        s.built_on ? [h('dt', null, rt('form.built_on')), h('dd', null, s.built_on)] : null,
        s.air_gapped_counterpart ? [h('dt', null, rt('form.counterpart')), h('dd', null, s.air_gapped_counterpart)] : null,
        s.pulled_in_by ? [h('dt', null, ''), h('dd', { class: 'hint' }, rt('ws.pulled_in', { name: s.pulled_in_by }))] : null),
      checksBlock(c, s),
      planBlock(c, s),
      reviewBlock(c, s))));
}

function timelineView(a: Assessment): HTMLElement {
  return h('section', { class: 'panel', testid: 'risk-timeline' }, h('h2', null, rt('timeline.title')),
    h('ol', { class: 'risk-timeline' }, a.timeline.map((e) =>
      h('li', null,
        h('div', null, h('time', { datetime: e.at }, e.at.slice(0, 16).replace('T', ' ')), ' ', h('strong', null, rCode('action', e.action) || e.action), ' ', h('span', { class: 'muted small' }, `${e.actor} (${e.org})`), e.to ? [' → ', stateBadge(e.to)] : null),
        e.basis.length ? basisView(e.basis) : null))));
}

export function mountRiskAssessment(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let destroyed = false;
  let c: Ctx | null = null;

  const render = (): void => {
    if (!c) return;
    const a = c.a;
    mount(
      ctx.main,
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/risk' }, rt('nav.back'))),
      h('section', { class: 'panel risk-page', testid: 'risk-assessment', 'data-id': a.id },
        h('div', { class: 'org-title-row' },
          h('div', null, h('h1', { class: 'org-title' }, `${orgName(a)} ${a.fiscal_year}`), h('p', { class: 'org-meta' }, stateBadge(a.state), approvalBadge(a.approval.state), h('code', { class: 'small', title: rt('ws.hash'), testid: 'risk-hash' }, a.content_hash.slice(0, 16)))),
          h('div', { class: 'risk-links' },
            h('a', { href: `#/risk/assessments/${a.id}/dashboard`, testid: 'risk-dashboard-link' }, rt('nav.dashboard')),
            h('a', { href: riskApi.xlsxUrl(a.id), download: `risk-${a.org}-${a.fiscal_year}.xlsx`, testid: 'risk-xlsx-link' }, rt('nav.xlsx')),
            h('a', { href: riskApi.pdfUrl(a.id), download: `risk-dashboard-${a.org}-${a.fiscal_year}.pdf` }, rt('nav.pdf')))),
        stepper(a.state)),
      guide(c),
      h('section', { class: 'panel', id: 'risk-worksheet', testid: 'risk-worksheet' },
        h('h2', null, rt('ws.title'), ' ', h('code', { class: 'muted small' }, a.countermeasure_set)),
        h('h3', null, rt('ws.domains')), domainsTable(c),
        h('h3', null, rt('ws.systems')), systemsBlock(c)),
      timelineView(a),
    );
  };

  const load = async (): Promise<void> => {
    if (!c) mount(ctx.main, loadingView());
    try {
      const a = await riskApi.get(id);
      let set: CountermeasureSet | null = c && c.set && c.set.version === a.countermeasure_set ? c.set : null;
      if (!set) {
        try {
          set = await riskApi.set(a.countermeasure_set);
        } catch {
          set = null; /* readers such as CIRO do not see the sets */
        }
      }
      if (destroyed) return;
      c = { a, set, reload: () => void load() };
      render();
    } catch (e) {
      if (!destroyed) mount(ctx.main, problemView(e, () => void load()));
    }
  };

  void load();
  return { relabel: render, destroy: () => { destroyed = true; } };
}
