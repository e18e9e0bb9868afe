// Engagement board by fiscal year: the engagements the caller may see, in columns by state,
// and (NISC) the form that plans a new one; a refusal shows the regime's basis.
import type { List } from '../../api';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { buildHash, navigate, type RouteContext, type ScreenHandle } from '../../router';
import { audits, type Engagement, type EngagementRow } from './client';
import { actionForm, field, fiscalYearOf, fySwitch, isNisc, lines, select, stateBadge, subnav, textArea, textInput } from './common';
import { m, mc } from './i18n';

const COLUMNS = ['planned', 'fieldwork', 'published', 'at_ministry', 'notified', 'closed', 'cancelled'];

function card(e: EngagementRow): HTMLElement {
  return h(
    'li',
    { class: 'audit-card', testid: `engagement-${e.id}`, 'data-org': e.org },
    h('a', { href: buildHash(`/audits/engagements/${e.id}`), class: 'audit-card-title' }, `${e.org_name_ja} (${e.org})`),
    h('div', { class: 'small' }, mc('type', e.type), ' · ', e.start),
    e.delegate_org ? h('div', { class: 'small muted' }, `${m('eng.delegate')}: ${e.delegate_org}`) : null,
    typeof e.findings === 'number'
      ? h('div', { class: 'small' }, m('board.findings', { n: e.findings, imp: e.important_findings ?? 0 }))
      : h('div', { class: 'small muted' }, m('board.results_held')),
  );
}

function boardView(rows: EngagementRow[]): HTMLElement {
  return h(
    'div',
    { class: 'audit-board', testid: 'audit-board' },
    COLUMNS.map((state) => {
      const mine = rows.filter((r) => r.state === state);
      return h(
        'section',
        { class: 'audit-column', 'data-state': state },
        h('h3', null, stateBadge(state), ' ', h('span', { class: 'muted small' }, m('count', { n: mine.length }))),
        mine.length ? h('ul', { class: 'plain' }, mine.map(card)) : h('p', { class: 'muted small' }, m('none')),
      );
    }),
  );
}

function createForm(fy: number): HTMLElement {
  const org = textInput('org', { required: true, pattern: '[a-z0-9_\\-]{1,32}', autocomplete: 'off' });
  const type = select('type', [['management', m('type.management')], ['penetration', m('type.penetration')]]);
  const scope = textArea('scope', { required: true });
  const method = textArea('method', { required: true });
  const start = h('input', { type: 'date', name: 'start', testid: 'in-start' });
  const end = h('input', { type: 'date', name: 'end', testid: 'in-end' });
  const delegate = textInput('delegate_org', { pattern: '[a-z0-9_\\-]{1,32}' });
  const reason = textArea('reason');
  const experts = textArea('experts');
  const themes = textInput('themes');
  return actionForm({
    testid: 'engagement-form',
    title: m('board.new'),
    fields: [
      h('p', { class: 'small muted' }, m('board.new_intro')),
      field(m('f.org'), org),
      field(m('f.type'), type),
      field(m('f.scope'), scope),
      field(m('f.method'), method),
      field(m('f.start'), start),
      field(m('f.end'), end),
      field(m('f.delegate'), delegate),
      field(m('f.reason'), reason),
      field(m('f.experts'), experts),
      field(m('f.themes'), themes),
    ],
    submit: m('f.create'),
    run: () => {
      const body: Record<string, unknown> = { org: org.value.trim(), fiscal_year: fy, type: type.value, scope: scope.value, method: method.value };
      if (start.value) body.start = start.value;
      if (end.value) body.end = end.value;
      if (delegate.value.trim()) body.delegate_org = delegate.value.trim();
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (lines(experts.value).length) body.experts = lines(experts.value);
      const codes = themes.value.split(/\s+/).filter(Boolean);
      if (codes.length) body.themes = codes;
      return audits.createEngagement(body);
    },
    done: (r) => navigate(`/audits/engagements/${(r as Engagement).id}`),
  });
}

export function mountAuditBoard(ctx: RouteContext): ScreenHandle {
  const fy = fiscalYearOf(ctx.query);
  let data: List<EngagementRow> | null = null;
  let error: unknown = null;
  const render = () => {
    mount(
      ctx.main,
      h(
        'div',
        { class: 'audit-page', testid: 'audit-board-page' },
        h('h1', null, m('board.title', { fy })),
        subnav('board', fy),
        fySwitch('/audits', fy),
        h('p', { class: 'muted' }, m('board.intro')),
        error ? problemView(error, load) : data ? boardView(data.items) : loadingView(),
        isNisc() ? createForm(fy) : null,
      ),
    );
  };
  const load = () => {
    error = null;
    audits.engagements({ fiscal_year: fy, limit: 500 }).then(
      (d) => {
        data = d;
        render();
      },
      (e) => {
        error = e;
        render();
      },
    );
  };
  render();
  load();
  return { relabel: render };
}
