// The annual summary of the audits (AuditPolicy 5(4)): counts by type, state, severity,
// status and theme, with no body-identifying detail; NISC reports it to HQ (publishes it).
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount, type Child } from '../../dom';
import type { RouteContext, ScreenHandle } from '../../router';
import { audits, type Summary } from './client';
import { actionButton, emptyRow, fiscalYearOf, fySwitch, isNisc, subnav, when } from './common';
import { m, mc, type AuditKey } from './i18n';

function counts(title: AuditKey, prefix: string, values: Record<string, number>, testid: string): HTMLElement {
  const entries = Object.entries(values);
  return h(
    'div',
    { class: 'audit-counts', testid },
    h('h3', null, m(title)),
    entries.length ? h('dl', { class: 'audit-dl' }, entries.map(([k, v]) => [h('dt', null, mc(prefix, k)), h('dd', { 'data-key': k }, String(v))])) : h('p', { class: 'muted' }, m('none')),
  );
}

function stat(label: AuditKey, value: Child, testid: string): HTMLElement {
  return h('div', { class: 'audit-stat', testid }, h('div', { class: 'audit-stat-value' }, value), h('div', { class: 'audit-stat-label' }, m(label)));
}

function view(s: Summary, reload: () => void): HTMLElement {
  return h(
    'div',
    { testid: 'summary' },
    h(
      'div',
      { class: 'audit-stats' },
      stat('sum.engagements', String(s.engagements.total), 'sum-engagements'),
      stat('sum.bodies', String(s.engagements.bodies), 'sum-bodies'),
      stat('sum.delegated', String(s.engagements.delegated), 'sum-delegated'),
      stat('sum.findings', String(s.findings.total), 'sum-findings'),
      stat('sum.important', String(s.findings.important), 'sum-important'),
      stat('sum.followup_open', String(s.followup.open_important_from_earlier_years), 'sum-followup-open'),
      stat('sum.followup_resolved', String(s.followup.important_resolved_in_year), 'sum-followup-resolved'),
      stat('sum.gp', `${s.good_practices.recorded} / ${s.good_practices.published}`, 'sum-gp'),
    ),
    h(
      'div',
      { class: 'audit-grid' },
      counts('sum.by_type', 'type', s.engagements.by_type, 'sum-by-type'),
      counts('sum.by_state', 'state', s.engagements.by_state, 'sum-by-state'),
      counts('sum.by_severity', 'sev', s.findings.by_severity, 'sum-by-severity'),
      counts('sum.by_status', 'state', s.findings.by_status, 'sum-by-status'),
    ),
    h('h3', null, m('sum.by_theme')),
    h(
      'table',
      { class: 'table', testid: 'sum-by-theme' },
      h('thead', null, h('tr', null, (['sum.col.theme', 'sum.col.engagements', 'sum.col.findings', 'sum.col.important'] as AuditKey[]).map((k) => h('th', { scope: 'col' }, m(k))))),
      h(
        'tbody',
        null,
        s.findings.by_theme.length ? s.findings.by_theme.map((t) => h('tr', null, h('td', null, h('code', null, t.theme), ' ', t.title), h('td', null, String(t.engagements)), h('td', null, String(t.findings)), h('td', null, String(t.important)))) : emptyRow(4, m('none')),
        h('tr', null, h('td', null, m('sum.without_theme')), h('td', null, ''), h('td', null, String(s.findings.without_theme)), h('td', null, '')),
      ),
    ),
    h('p', { class: 'small muted', testid: 'sum-redaction' }, m('sum.redacted', { n: s.redaction.redacted })),
    h('p', { testid: 'sum-published' }, s.published_at ? m('sum.published', { at: '' }) : m('sum.not_published'), s.published_at ? when(s.published_at) : null),
    isNisc() ? actionButton(m('sum.publish'), 'summary-publish', () => audits.publishSummary(s.fiscal_year), reload) : null,
    basisView(s.basis),
  );
}

export function mountAuditSummary(ctx: RouteContext): ScreenHandle {
  const fy = fiscalYearOf(ctx.query);
  let data: Summary | null = null;
  let error: unknown = null;
  const render = () =>
    mount(
      ctx.main,
      h('div', { class: 'audit-page', testid: 'audit-summary-page' }, h('h1', null, m('sum.title', { fy })), subnav('summary', fy), fySwitch('/audits/summary', fy), h('p', { class: 'muted' }, m('sum.intro')), error ? problemView(error, load) : data ? view(data, load) : loadingView()),
    );
  function load(): void {
    audits.summary(fy).then(
      (d) => {
        data = d;
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
