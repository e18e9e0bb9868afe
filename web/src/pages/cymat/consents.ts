// Consents of CymatRules 15: a body lets CYMAT use its class-2/3 information for another
// body's support (ア), peacetime activities (イ) or a purpose the head approves (ウ), for one
// dispatch (per item) or all of it (per purpose). Listing, recording, approving, withdrawing.
import { basisView } from '../../components/citation';
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { cymat, type Consent } from './client';
import { actionButton, actionForm, emptyRow, field, select, stateBadge, subnav, textArea, textInput, when } from './common';

export function mountCymatConsents(ctx: RouteContext): ScreenHandle {
  let items: Consent[] | null = null;
  let error: unknown = null;
  let destroyed = false;
  const load = async (): Promise<void> => {
    try {
      items = (await cymat.consents({})).items;
      error = null;
    } catch (e) {
      error = e;
    }
    if (!destroyed) render();
  };

  const table = (list: Consent[]): HTMLElement =>
    h(
      'table',
      { class: 'table', testid: 'consent-list' },
      h('thead', null, h('tr', null, [t('cymat.col.id'), t('cymat.col.provider'), t('cymat.col.purpose'), t('cymat.col.scope'), t('cymat.col.state'), t('cymat.note'), t('cymat.col.recorded'), ''].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        list.length
          ? list.map((c) =>
              h(
                'tr',
                { testid: `consent-${c.id}` },
                h('td', null, String(c.id)),
                h('td', null, h('code', null, c.provider_org)),
                h('td', null, tCode('cymat.purpose', c.purpose), basisView(c.basis)),
                h('td', null, c.dispatch ? h('a', { href: `#/cymat/dispatches/${c.dispatch}` }, t('cymat.dispatch_no', { id: c.dispatch })) : t('cymat.scope.purpose')),
                h('td', null, stateBadge(c.state)),
                h('td', { class: 'cymat-text' }, c.note),
                h('td', null, when(c.created_at), h('div', { class: 'muted small' }, `${c.created_by} (${c.created_org})`)),
                h(
                  'td',
                  null,
                  c.state === 'awaiting_approval' && currentUser()?.roles.some((r) => r === 'nisc_director' || r === 'nisc_deputy') ? actionButton(t('cymat.action.approve'), `approve-${c.id}`, () => cymat.consentAction(c.id, 'approve'), () => void load()) : null,
                  c.state !== 'revoked' ? actionButton(t('cymat.action.revoke'), `revoke-${c.id}`, () => cymat.consentAction(c.id, 'revoke'), () => void load()) : null,
                ),
              ),
            )
          : emptyRow(8, t('cymat.none')),
      ),
    );

  const render = (): void => {
    const u = currentUser();
    const provider = textInput('provider_org', { required: true, maxlength: 32, value: u?.org ?? '' });
    const purpose = select('purpose', ['other_support', 'peacetime', 'other'].map((p) => [p, tCode('cymat.purpose', p)] as [string, string]), 'other_support');
    const dispatch = h('input', { type: 'number', name: 'dispatch', min: 1, testid: 'in-dispatch' });
    const note = textArea('note', { required: true, maxlength: 4000 });
    const form = actionForm({
      testid: 'consent-form',
      title: t('cymat.consent_add'),
      fields: [field(t('cymat.col.provider'), provider), field(t('cymat.col.purpose'), purpose), field(t('cymat.dispatch'), dispatch, t('cymat.consent_dispatch_hint')), field(t('cymat.note'), note)],
      submit: t('cymat.record'),
      run: () => cymat.createConsent({ provider_org: provider.value.trim(), purpose: purpose.value, note: note.value, ...(dispatch.value ? { dispatch: Number(dispatch.value) } : {}) }),
      done: () => void load(),
    });
    let body: HTMLElement;
    if (error) body = problemView(error, () => void load());
    else if (!items) body = loadingView();
    else body = table(items);
    mount(ctx.main, subnav('consents'), h('section', { class: 'panel' }, h('h1', null, t('cymat.consents_title')), h('p', { class: 'muted' }, t('cymat.consents_intro')), body), h('section', { class: 'panel' }, form));
  };
  render();
  void load();
  return { relabel: render, destroy() { destroyed = true; } };
}
