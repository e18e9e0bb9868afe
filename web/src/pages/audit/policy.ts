// The annual audit policy of a fiscal year (AuditPolicy 5(1)): its basic approach and the
// themes chosen by importance, urgency and risk (3(4)); NISC drafts and revises it, HQ
// adopts it as part of its annual plan.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import type { RouteContext, ScreenHandle } from '../../router';
import { audits, type Policy } from './client';
import { actionButton, actionForm, disclosure, field, fiscalYearOf, fySwitch, isNisc, lines, stateBadge, subnav, textArea, timelineView } from './common';
import { m } from './i18n';

/** "code: title" or a bare title per line. */
function parseThemes(text: string): unknown[] {
  return lines(text).map((l) => {
    const mm = /^([a-z0-9_-]{1,32})\s*[:：]\s*(.+)$/.exec(l);
    return mm ? { code: mm[1], title: mm[2] } : l;
  });
}

function themesText(p: Policy): string {
  return p.themes.map((t) => `${t.code}: ${t.title}`).join('\n');
}

function policyView(p: Policy, reload: () => void): HTMLElement {
  const actions = p.allowed_actions ?? [];
  let revise = null;
  if (actions.includes('revise')) {
    const approach = textArea('approach');
    approach.value = p.approach;
    const themes = textArea('themes', { rows: 5 });
    themes.value = themesText(p);
    revise = disclosure(
      m('action.revise'),
      'policy-revise',
      actionForm({ testid: 'policy-revise-form', fields: [field(m('f.approach'), approach), field(m('f.themes_lines'), themes)], submit: m('f.save'), run: () => audits.policyAction(p.id, 'revise', { approach: approach.value, themes: parseThemes(themes.value) }), done: reload }),
    );
  }
  return h(
    'section',
    { class: 'audit-section', testid: 'policy', 'data-state': p.state },
    h('p', null, stateBadge(p.state)),
    h('h2', null, m('policy.approach')),
    h('p', { class: 'audit-pre' }, p.approach),
    h('h2', null, m('policy.themes')),
    h(
      'ol',
      { class: 'audit-themes', testid: 'themes' },
      p.themes.map((t) => h('li', null, h('code', null, t.code), ' ', h('strong', null, t.title), t.rationale ? h('div', { class: 'small muted' }, t.rationale) : null)),
    ),
    h('div', { class: 'audit-actions' }, revise, actions.includes('adopt') ? actionButton(m('action.adopt'), 'policy-adopt', () => audits.policyAction(p.id, 'adopt'), reload) : null),
    p.basis ? basisView(p.basis) : null,
    h('h2', null, m('eng.timeline')),
    timelineView(p.timeline),
  );
}

function createForm(fy: number, reload: () => void): HTMLElement {
  const approach = textArea('approach', { required: true });
  const themes = textArea('themes', { rows: 5, required: true });
  return actionForm({
    testid: 'policy-form',
    title: m('policy.new'),
    fields: [field(m('f.approach'), approach), field(m('f.themes_lines'), themes)],
    submit: m('f.create'),
    run: () => audits.createPolicy({ fiscal_year: fy, approach: approach.value, themes: parseThemes(themes.value) }),
    done: reload,
  });
}

export function mountAuditPolicy(ctx: RouteContext): ScreenHandle {
  const fy = fiscalYearOf(ctx.query);
  let policy: Policy | null | undefined;
  let error: unknown = null;
  const render = () =>
    mount(
      ctx.main,
      h(
        'div',
        { class: 'audit-page', testid: 'audit-policy-page' },
        h('h1', null, m('policy.title', { fy })),
        subnav('policy', fy),
        fySwitch('/audits/policy', fy),
        error ? problemView(error, load) : policy === undefined ? loadingView() : policy ? policyView(policy, load) : [h('p', { class: 'muted' }, m('policy.none')), isNisc() ? createForm(fy, load) : null],
      ),
    );
  function load(): void {
    audits
      .policies(fy)
      .then((l) => (l.items[0] ? audits.policy(l.items[0].id) : null))
      .then(
        (p) => {
          policy = p;
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

