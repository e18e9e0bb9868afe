// Requests for support (CymatRules 10): the form, with the channel of 10(4) (the CISO to the
// head, or in an emergency the CSIRT or a CYMAT member to the manager or a field leader), and
// the request's page with the head's decision (dispatch under 11(1), or decline).
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import { navigate, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { cymat, type CymatRequest } from './client';
import { actionForm, classBadge, classSelect, field, select, stateBadge, subnav, textArea, textInput, timelineView, when } from './common';

function nowLocal(): string {
  const d = new Date(Date.now() + 9 * 3600 * 1000);
  return d.toISOString().slice(0, 16);
}

export function mountCymatRequestForm(ctx: RouteContext): ScreenHandle {
  const render = (): void => {
    const user = currentUser();
    const subject = textInput('subject', { required: true, maxlength: 32, value: user?.org ?? '' });
    const channel = select('channel', [
      ['ciso', t('cymat.channel.ciso')],
      ['emergency', t('cymat.channel.emergency')],
    ], user?.roles.includes('ciso') ? 'ciso' : 'emergency');
    const summary = textArea('summary', { required: true, maxlength: 20000 });
    const eventAt = h('input', { type: 'datetime-local', name: 'event_at', required: true, value: nowLocal(), testid: 'in-event_at' });
    const behalf = textInput('on_behalf_of', { maxlength: 32 });
    const related = h('input', { type: 'number', name: 'related_request', min: 1, testid: 'in-related_request' });
    const conf = classSelect();
    mount(
      ctx.main,
      subnav('request'),
      h(
        'section',
        { class: 'panel' },
        h('h1', null, t('cymat.request_title')),
        h('p', { class: 'muted' }, t('cymat.request_intro')),
        actionForm({
          testid: 'request-form',
          fields: [
            field(t('cymat.col.subject'), subject, t('cymat.request_subject_hint')),
            field(t('cymat.col.channel'), channel, t('cymat.channel_hint')),
            field(t('cymat.summary'), summary),
            field(t('cymat.col.event_at'), eventAt, t('cymat.jst')),
            field(t('cymat.on_behalf_of'), behalf, t('cymat.on_behalf_of_hint')),
            field(t('cymat.related_request'), related, t('cymat.related_request_hint')),
            field(t('cymat.confidentiality'), conf),
          ],
          submit: t('cymat.request_submit'),
          run: () => {
            const body: Record<string, unknown> = {
              subject: subject.value.trim(),
              channel: channel.value,
              summary: summary.value,
              event_at: `${eventAt.value}:00+09:00`,
              confidentiality: Number(conf.value),
            };
            if (behalf.value.trim()) body.on_behalf_of = behalf.value.trim();
            if (related.value) body.related_request = Number(related.value);
            return cymat.createRequest(body);
          },
          done: (r) => navigate(`/cymat/requests/${(r as CymatRequest).id}`),
        }),
      ),
    );
  };
  render();
  return { relabel: render };
}

export function mountCymatRequest(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let rec: CymatRequest | null = null;
  let error: unknown = null;
  let destroyed = false;
  const load = async (): Promise<void> => {
    try {
      rec = await cymat.request(id);
      error = null;
    } catch (e) {
      error = e;
    }
    if (!destroyed) render();
  };
  const render = (): void => {
    if (error) return mount(ctx.main, subnav('board'), problemView(error, () => void load()));
    if (!rec) return mount(ctx.main, subnav('board'), loadingView());
    const r = rec;
    const actions: HTMLElement[] = [];
    if (r.allowed_actions.includes('dispatch')) {
      const note = textInput('note', { maxlength: 4000 });
      actions.push(actionForm({ testid: 'act-dispatch', title: t('cymat.action.dispatch'), fields: [field(t('cymat.note'), note)], submit: t('cymat.action.dispatch'), run: () => cymat.requestAction(id, 'dispatch', note.value ? { note: note.value } : {}), done: (x) => { rec = x as CymatRequest; render(); } }));
    }
    if (r.allowed_actions.includes('decline')) {
      const reason = textArea('reason', { required: true, maxlength: 4000 });
      actions.push(actionForm({ testid: 'act-decline', title: t('cymat.action.decline'), fields: [field(t('cymat.reason'), reason)], submit: t('cymat.action.decline'), run: () => cymat.requestAction(id, 'decline', { reason: reason.value }), done: (x) => { rec = x as CymatRequest; render(); } }));
    }
    mount(
      ctx.main,
      subnav('board'),
      h(
        'section',
        { class: 'panel', testid: 'request-page' },
        h('h1', null, t('cymat.request_no', { id: r.id }), ' ', stateBadge(r.state), ' ', classBadge(r.confidentiality)),
        h(
          'dl',
          { class: 'facts cymat-facts' },
          h('dt', null, t('cymat.col.subject')), h('dd', null, h('a', { href: `#/orgs/${encodeURIComponent(r.subject)}` }, r.subject)),
          h('dt', null, t('cymat.col.requester')), h('dd', null, r.requester_org),
          h('dt', null, t('cymat.col.channel')), h('dd', null, tCode('cymat.channel', r.channel)),
          h('dt', null, t('cymat.col.paragraph')), h('dd', null, t('cymat.paragraph_10', { n: r.paragraph })),
          h('dt', null, t('cymat.col.event_at')), h('dd', null, when(r.event_at)),
          r.on_behalf_of ? [h('dt', null, t('cymat.on_behalf_of')), h('dd', null, r.on_behalf_of)] : null,
          r.dispatch ? [h('dt', null, t('cymat.dispatch')), h('dd', null, h('a', { href: `#/cymat/dispatches/${r.dispatch}`, testid: 'dispatch-link' }, t('cymat.dispatch_no', { id: r.dispatch })))] : null,
        ),
        h('h2', null, t('cymat.summary')),
        h('p', { class: 'cymat-text' }, r.summary),
        basisView(r.basis, t('cymat.basis')),
      ),
      actions.length ? h('section', { class: 'panel' }, h('h2', null, t('cymat.actions')), actions) : null,
      h('section', { class: 'panel' }, h('h2', null, t('cymat.timeline')), timelineView(r.timeline)),
    );
  };
  render();
  void load();
  return { relabel: render, destroy() { destroyed = true; } };
}
