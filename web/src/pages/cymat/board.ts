// The dispatch board (GET /cymat/dispatches, /cymat/requests): dispatches by state, requests
// waiting for the head, and for the head the form of a dispatch without a request (11(2)-(4)).
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import { navigate, type RouteContext, type ScreenHandle } from '../../router';
import { cymat, type CymatRequest, type Dispatch } from './client';
import { actionForm, classBadge, classSelect, emptyRow, field, isHead, stateBadge, subnav, textArea, textInput, when } from './common';

const COLUMNS = ['awaiting_consent', 'ordered', 'terminated', 'cancelled'];

export function mountCymatBoard(ctx: RouteContext): ScreenHandle {
  let dispatches: Dispatch[] | null = null;
  let requests: CymatRequest[] | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    try {
      const [d, r] = await Promise.all([cymat.dispatches({}), cymat.requests({})]);
      if (destroyed) return;
      dispatches = d.items;
      requests = r.items;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const dispatchCard = (d: Dispatch): HTMLElement =>
    h(
      'li',
      { class: 'cymat-card', testid: `dispatch-${d.id}` },
      h('div', { class: 'cymat-card-head' }, h('a', { href: `#/cymat/dispatches/${d.id}` }, t('cymat.dispatch_no', { id: d.id })), ' ', classBadge(d.confidentiality), d.major_emergency ? h('span', { class: 'tag cymat-major' }, t('cymat.major_emergency')) : null),
      h('div', null, h('code', null, d.subject), ' ', h('span', { class: 'muted small' }, t('cymat.paragraph_11', { n: d.paragraph }))),
      h('div', { class: 'cymat-card-summary' }, d.summary),
      h('div', { class: 'muted small' }, t('cymat.members_n', { n: d.members_assigned ?? 0 }), ' · ', t('cymat.reports_n', { n: typeof d.damage_reports === 'number' ? d.damage_reports : 0 })),
    );

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('board'), problemView(error, () => void load()));
      return;
    }
    if (!dispatches || !requests) {
      mount(ctx.main, subnav('board'), loadingView());
      return;
    }
    const open = requests.filter((r) => r.state === 'requested');
    const board = h(
      'div',
      { class: 'cymat-board', testid: 'dispatch-board' },
      COLUMNS.map((state) => {
        const items = (dispatches ?? []).filter((d) => d.state === state);
        return h('section', { class: 'cymat-column', 'data-state': state }, h('h2', null, stateBadge(state), ' ', h('span', { class: 'muted small' }, String(items.length))), items.length ? h('ul', { class: 'plain cymat-cards' }, items.map(dispatchCard)) : h('p', { class: 'muted small' }, t('cymat.none')));
      }),
    );
    const reqTable = h(
      'table',
      { class: 'table', testid: 'request-list' },
      h('thead', null, h('tr', null, [t('cymat.col.id'), t('cymat.col.subject'), t('cymat.col.requester'), t('cymat.col.channel'), t('cymat.col.paragraph'), t('cymat.col.state'), t('cymat.col.event_at')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        requests.length
          ? requests.map((r) =>
              h(
                'tr',
                { testid: `request-${r.id}` },
                h('td', null, h('a', { href: `#/cymat/requests/${r.id}` }, `#${r.id}`)),
                h('td', null, h('code', null, r.subject)),
                h('td', null, h('code', null, r.requester_org)),
                h('td', null, tCode('cymat.channel', r.channel)),
                h('td', null, t('cymat.paragraph_10', { n: r.paragraph })),
                h('td', null, stateBadge(r.state)),
                h('td', null, when(r.event_at)),
              ),
            )
          : emptyRow(7, t('cymat.none')),
      ),
    );
    let create: HTMLElement | null = null;
    if (isHead()) {
      const subject = textInput('subject', { required: true, maxlength: 32, placeholder: 'mic' });
      const summary = textArea('summary', { required: true, maxlength: 20000 });
      const conf = classSelect();
      create = h(
        'section',
        { class: 'panel' },
        h('h2', null, t('cymat.new_dispatch')),
        h('p', { class: 'muted small' }, t('cymat.new_dispatch_intro')),
        actionForm({
          testid: 'dispatch-form',
          fields: [field(t('cymat.col.subject'), subject, t('cymat.subject_hint')), field(t('cymat.summary'), summary), field(t('cymat.confidentiality'), conf)],
          submit: t('cymat.create'),
          run: () => cymat.createDispatch({ subject: subject.value.trim(), summary: summary.value, confidentiality: Number(conf.value) }),
          done: (d) => navigate(`/cymat/dispatches/${(d as Dispatch).id}`),
        }),
      );
    }
    mount(
      ctx.main,
      subnav('board'),
      h('section', { class: 'panel' }, h('h1', null, t('cymat.board_title')), board),
      h('section', { class: 'panel' }, h('h2', null, t('cymat.requests_title'), ' ', h('span', { class: 'muted small' }, t('cymat.requests_open', { n: open.length }))), reqTable),
      create,
    );
  };

  render();
  void load();
  return {
    relabel: render,
    destroy() {
      destroyed = true;
    },
  };
}
