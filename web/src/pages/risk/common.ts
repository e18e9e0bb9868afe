// Pieces shared by the risk pages: state and approval badges, the ten steps, a busy-safe
// action runner that shows refusals with their basis.
import { problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { lang } from '../../i18n';
import { rCode, rt, type RiskKey } from './i18n';

export const STATES = ['preparation', 'domain_selection', 'impact_assessment', 'target_systems', 'planning', 'finalised', 'awaiting_approval', 'approved', 'at_ministry', 'reported', 'accepted'];

/** The steps of the guideline (1..10) a state is at; accepted is past all of them. */
export function stepsOf(state: string): number[] {
  switch (state) {
    case 'preparation': return [1];
    case 'domain_selection': return [2];
    case 'impact_assessment': return [3];
    case 'target_systems': return [4, 5];
    case 'planning': return [6, 7];
    case 'finalised':
    case 'awaiting_approval': return [8];
    case 'approved':
    case 'at_ministry': return [9];
    case 'reported': return [10];
    default: return [11];
  }
}

/** Which step an action belongs to (for the guide). */
export const ACTION_STEP: Record<string, number> = {
  agree_roles: 1, select_domains: 2, assess_impact: 3, mark_protected: 3, add_target_system: 4, check_state: 5,
  draft_plan: 6, review_plan: 7, finalise: 7, build_dashboard: 8, approve: 8, send_back: 8, report: 9, forward: 9,
  accept: 10, import_worksheet: 0, change_countermeasure_set: 0,
};

export function stateBadge(state: string): HTMLElement {
  const n = STATES.indexOf(state);
  return h('span', { class: ['badge', 'risk-state', n >= 9 ? 'risk-state-done' : n >= 7 ? 'risk-state-late' : 'risk-state-open'], 'data-state': state, testid: 'risk-state' }, rCode('state', state));
}

export function approvalBadge(state: string): HTMLElement {
  return h('span', { class: ['badge', `risk-approval-${state}`], 'data-approval': state, testid: 'risk-approval' }, rCode('approval', state));
}

export function orgName(a: { org: string; org_name_ja: string; org_name_en: string }): string {
  return (lang() === 'ja' ? a.org_name_ja : a.org_name_en || a.org_name_ja) || a.org;
}

export function stepper(state: string): HTMLElement {
  const current = stepsOf(state);
  const max = Math.max(...current);
  return h(
    'ol',
    { class: 'risk-steps', testid: 'risk-steps' },
    Array.from({ length: 10 }, (_, i) => i + 1).map((n) => {
      const status = current.includes(n) ? 'current' : n < max ? 'done' : 'pending';
      return h('li', { class: ['risk-step', `risk-step-${status}`], 'aria-current': status === 'current' ? 'step' : undefined, 'data-step': n },
        h('span', { class: 'risk-step-label' }, rt(`step.${n}` as RiskKey)),
        h('span', { class: 'risk-step-status sr-only' }, ` (${rt(`step.${status}` as RiskKey)})`));
    }),
  );
}

/** Runs an action with the button disabled, shows success or the problem in `out`. */
export async function run(out: HTMLElement, button: HTMLButtonElement | null, fn: () => Promise<unknown>, onDone: () => void): Promise<void> {
  if (button) button.disabled = true;
  mount(out);
  try {
    await fn();
    onDone();
  } catch (e) {
    mount(out, problemView(e));
    if (button) button.disabled = false;
  }
}

export function statusLine(): HTMLElement {
  return h('div', { class: 'risk-out', 'aria-live': 'polite' });
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', null, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}
