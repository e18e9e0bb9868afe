// Pieces the report and case pages share: state badges, the timeline with the basis of each
// step, the allowed actions as buttons with their small forms, and export links.
import { basisView } from '../../components/citation';
import { problemView } from '../../components/problem';
import { h, mount, uid, type Child } from '../../dom';
import { t, tCode, type MessageKey } from '../../i18n';
import { shortTime, type TimelineEntry } from './client';

export function stateBadge(kind: 'report' | 'case', state: string): HTMLElement {
  return h('span', { class: ['badge', `inc-state`, `inc-state-${state}`], testid: `${kind}-state`, 'data-state': state }, tCode(`inc.${kind}_state`, state));
}

export function actionLabel(action: string): string {
  return tCode('inc.action', action);
}

/** The timeline of a record: who, when, what, the state change, the notices, the basis. */
export function timelineView(kind: 'report' | 'case', entries: TimelineEntry[]): HTMLElement {
  if (!entries.length) return h('p', { class: 'muted' }, t('inc.timeline_empty'));
  return h(
    'ol',
    { class: 'inc-timeline', testid: 'timeline' },
    entries.map((e) =>
      h(
        'li',
        { class: 'inc-tl-entry', testid: 'timeline-entry', 'data-action': e.action },
        h(
          'div',
          { class: 'inc-tl-head' },
          h('time', { class: 'inc-tl-at', datetime: e.at }, shortTime(e.at)),
          h('span', { class: 'inc-tl-action' }, actionLabel(e.action)),
          h('span', { class: 'muted small' }, `${e.actor} (${e.org})`),
          e.to && e.to !== e.from ? h('span', { class: 'inc-tl-move small' }, e.from ? `${tCode(`inc.${kind}_state`, e.from)} → ` : '', tCode(`inc.${kind}_state`, e.to)) : null,
        ),
        detailView(e.detail),
        basisView(e.basis, t('inc.basis')),
      ),
    ),
  );
}

const SHOWN_DETAIL = ['comment', 'question', 'answer', 'note', 'summary', 'findings', 'record', 'meeting', 'recommendation', 'guidance', 'plan', 'evaluation', 'detail', 'reason', 'rationale', 'request_materials', 'performer', 'delegate_org', 'trigger', 'criteria', 'case'];

function detailView(detail: TimelineEntry['detail']): Child {
  const rows: Child[] = [];
  for (const key of SHOWN_DETAIL) {
    const v = detail?.[key];
    if (v === undefined || v === null || v === '') continue;
    rows.push(h('dt', null, tCode('inc.field', key)), h('dd', null, Array.isArray(v) ? v.join(', ') : String(v)));
  }
  const notices = detail?.notices ?? [];
  if (notices.length) rows.push(h('dt', null, t('inc.notices_sent')), h('dd', { testid: 'notices-sent' }, notices.map((n) => n.to_org).join(', ')));
  return rows.length ? h('dl', { class: 'inc-detail' }, rows) : null;
}

/** A field of an action form. */
export interface FieldSpec {
  name: string;
  type: 'text' | 'textarea' | 'select' | 'checks';
  required?: boolean;
  options?: { value: string; label: string }[];
  numeric?: boolean;
}

/** The inputs each action takes (spec 80); actions not listed take none. */
export const ACTION_FIELDS: Record<string, FieldSpec[]> = {
  forward: [{ name: 'comment', type: 'textarea' }],
  acknowledge: [{ name: 'note', type: 'textarea' }],
  request_info: [{ name: 'question', type: 'textarea', required: true }],
  provide_info: [{ name: 'answer', type: 'textarea', required: true }],
  confirm_major: [
    { name: 'criteria', type: 'checks', required: true, numeric: true, options: [1, 2, 3].map((n) => ({ value: String(n), label: `inc.criterion.${n}` })) },
    { name: 'rationale', type: 'textarea', required: true },
  ],
  prepare_recommendation: [{ name: 'recommendation', type: 'textarea', required: true }],
  record_org_investigation: [{ name: 'summary', type: 'textarea', required: true }],
  start_supplementary_investigation: [
    { name: 'performer', type: 'select', required: true, options: ['nisc', 'contractor', 'delegate'].map((v) => ({ value: v, label: `inc.performer.${v}` })) },
    { name: 'request_materials', type: 'textarea' },
  ],
  record_supplementary_findings: [{ name: 'findings', type: 'textarea', required: true }],
  compile_results: [{ name: 'summary', type: 'textarea', required: true }],
  deliberate: [{ name: 'meeting', type: 'text' }, { name: 'record', type: 'textarea', required: true }],
  notify_results: [{ name: 'note', type: 'textarea' }],
  recommend: [{ name: 'recommendation', type: 'textarea', required: true }],
  give_guidance: [{ name: 'guidance', type: 'textarea', required: true }],
  submit_recovery_plan: [{ name: 'plan', type: 'textarea', required: true }],
  evaluate_measures: [{ name: 'evaluation', type: 'textarea', required: true }, { name: 'recommendation', type: 'textarea' }],
  request_cooperation: [
    { name: 'trigger', type: 'select', required: true, numeric: true, options: [1, 2, 3].map((n) => ({ value: String(n), label: `inc.trigger.${n}` })) },
    { name: 'detail', type: 'textarea', required: true },
  ],
  request_report: [{ name: 'detail', type: 'textarea', required: true }],
  set_emergency: [{ name: 'reason', type: 'textarea', required: true }],
};

function fieldView(f: FieldSpec, values: Record<string, unknown>): HTMLElement {
  const fid = uid(`f-${f.name}`);
  const label = h('label', { for: fid }, tCode('inc.field', f.name), f.required ? ' *' : '');
  if (f.type === 'checks') {
    const chosen = new Set<number>();
    values[f.name] = [];
    return h(
      'fieldset',
      { class: 'field inc-checks' },
      h('legend', null, tCode('inc.field', f.name), f.required ? ' *' : ''),
      (f.options ?? []).map((o) => {
        const cid = uid('c');
        return h(
          'label',
          { for: cid, class: 'inc-check' },
          h('input', {
            type: 'checkbox',
            id: cid,
            value: o.value,
            testid: `check-${f.name}-${o.value}`,
            on: {
              change: (ev: Event) => {
                const n = Number(o.value);
                if ((ev.target as HTMLInputElement).checked) chosen.add(n);
                else chosen.delete(n);
                values[f.name] = [...chosen].sort();
              },
            },
          }),
          ' ',
          t(o.label as MessageKey),
        );
      }),
    );
  }
  if (f.type === 'select') {
    const first = f.options?.[0]?.value ?? '';
    values[f.name] = f.numeric ? Number(first) : first;
    return h(
      'div',
      { class: 'field' },
      label,
      h(
        'select',
        { id: fid, testid: `input-${f.name}`, on: { change: (ev: Event) => { const v = (ev.target as HTMLSelectElement).value; values[f.name] = f.numeric ? Number(v) : v; } } },
        (f.options ?? []).map((o) => h('option', { value: o.value }, t(o.label as MessageKey))),
      ),
    );
  }
  const input =
    f.type === 'textarea'
      ? h('textarea', { id: fid, rows: 3, required: f.required, testid: `input-${f.name}` })
      : h('input', { id: fid, type: 'text', required: f.required, testid: `input-${f.name}` });
  input.addEventListener('input', () => {
    const v = (input as HTMLInputElement).value;
    if (v) values[f.name] = v;
    else delete values[f.name];
  });
  return h('div', { class: 'field' }, label, input);
}

/**
 * The allowed actions as buttons; an action with inputs opens its form first. run() posts
 * the action and resolves when the record has been re-rendered; a refusal is shown with
 * its basis.
 */
export function actionsView(actions: string[], run: (action: string, body: Record<string, unknown>) => Promise<void>): HTMLElement {
  const formSlot = h('div', { class: 'inc-action-form-slot' });
  const box = h('div', { class: 'inc-actions', testid: 'actions' });
  const open = (action: string): void => {
    const fields = ACTION_FIELDS[action] ?? [];
    const values: Record<string, unknown> = {};
    const error = h('div', { class: 'inc-action-error' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: `do-${action}` }, actionLabel(action));
    const form = h(
      'form',
      { class: 'inc-action-form panel', testid: `form-${action}`, novalidate: true },
      h('h3', null, actionLabel(action)),
      fields.map((f) => fieldView(f, values)),
      h('div', { class: 'inline' }, submit, h('button', { type: 'button', class: 'btn', on: { click: () => mount(formSlot) } }, t('inc.cancel'))),
      error,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      mount(error);
      run(action, values).catch((e) => {
        submit.disabled = false;
        mount(error, problemView(e));
      });
    });
    mount(formSlot, form);
    (form.querySelector('textarea, input, select') as HTMLElement | null)?.focus();
  };
  mount(
    box,
    actions.length
      ? h(
          'div',
          { class: 'inline inc-action-buttons' },
          actions.map((a) => h('button', { type: 'button', class: 'btn', testid: `action-${a}`, on: { click: () => open(a) } }, actionLabel(a))),
        )
      : h('p', { class: 'muted', testid: 'no-actions' }, t('inc.no_actions')),
    formSlot,
  );
  return box;
}

export function exportLinks(kind: 'reports' | 'cases', id: string): HTMLElement {
  return h(
    'p',
    { class: 'inline small' },
    h('a', { href: `/api/v1/${kind}/${encodeURIComponent(id)}/export?format=pdf`, testid: 'export-pdf', target: '_blank', rel: 'noopener' }, t('inc.export_pdf')),
    h('a', { href: `/api/v1/${kind}/${encodeURIComponent(id)}/export?format=json`, testid: 'export-json', target: '_blank', rel: 'noopener' }, t('inc.export_json')),
  );
}

/** Label/value rows. */
export function facts(rows: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts inc-facts' },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}
