// Follow-up of one body (AuditPolicy 5(2)): the important findings of every earlier fiscal
// year still open, each with its state when the year began and now (the change by finding),
// the same requirement found again this year, and those resolved during the year.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { buildHash, navigate, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { audits, type Followup, type FollowupView } from './client';
import { emptyRow, field, fiscalYearOf, fySwitch, severityBadge, stateBadge, subnav, textInput } from './common';
import { m, mc } from './i18n';

function rows(items: Followup[], testid: string): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', testid },
      h(
        'thead',
        null,
        h('tr', null, ['fu.col.fy', 'fu.col.finding', 'fu.col.previous', 'fu.col.now', 'fu.col.change', 'fu.col.report', 'fu.col.recurring'].map((k) => h('th', { scope: 'col' }, m(k as Parameters<typeof m>[0])))),
      ),
      h(
        'tbody',
        null,
        items.length
          ? items.map((x) =>
              h(
                'tr',
                { 'data-finding': String(x.finding), 'data-change': x.change },
                h('td', null, m('fy', { fy: x.fiscal_year })),
                h('td', null, h('a', { href: buildHash(`/audits/engagements/${x.engagement}`) }, x.title), ' ', severityBadge(x.severity)),
                h('td', null, x.previous_state ? stateBadge(x.previous_state) : h('span', { class: 'muted' }, '—')),
                h('td', null, stateBadge(x.state)),
                h('td', { class: ['audit-change', `audit-change-${x.change}`] }, mc('change', x.change)),
                h('td', null, x.latest_report ? `${mc('kind', x.latest_report.kind)}${x.latest_report.due ? ` (${m('f.due')} ${x.latest_report.due})` : ''}` : '—'),
                h('td', null, x.recurring_in.length ? x.recurring_in.map((id) => `#${id}`).join(', ') : '—'),
              ),
            )
          : emptyRow(7, m('none')),
      ),
    ),
  );
}

export function mountAuditFollowups(ctx: RouteContext): ScreenHandle {
  const fy = fiscalYearOf(ctx.query);
  const org = ctx.query.get('org') || currentUser()?.org || '';
  let data: FollowupView | null = null;
  let error: unknown = null;
  const input = textInput('org', { value: org, pattern: '[a-z0-9_\\-]{1,32}' });
  const form = h(
    'form',
    {
      class: 'inline audit-form',
      testid: 'followup-form',
      on: {
        submit: (ev: SubmitEvent) => {
          ev.preventDefault();
          navigate('/audits/followups', { org: input.value.trim(), fiscal_year: String(fy) });
        },
      },
    },
    field(m('fu.org'), input),
    h('button', { type: 'submit', class: 'btn' }, m('fu.show')),
  );
  const render = () =>
    mount(
      ctx.main,
      h(
        'div',
        { class: 'audit-page', testid: 'audit-followups-page' },
        h('h1', null, m('fu.title', { org: data?.org_name_ja ?? org, fy })),
        subnav('followups', fy),
        fySwitch('/audits/followups', fy, org ? { org } : {}),
        h('p', { class: 'muted' }, m('fu.intro')),
        form,
        error ? problemView(error, load) : !org ? null : data ? [rows(data.items, 'followup-open'), h('h2', null, m('fu.resolved')), rows(data.resolved, 'followup-resolved'), basisView(data.basis)] : loadingView(),
      ),
    );
  function load(): void {
    if (!org) return render();
    audits.followups(org, fy).then(
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
