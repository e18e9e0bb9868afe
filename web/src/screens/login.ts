// Login screen: POST /api/v1/session. The server sets the session cookie; we keep only the
// user and the CSRF token (in memory).
import { api, ApiError, type User } from '../api';
import { problemView } from '../components/problem';
import { h, mount, uid } from '../dom';
import { t } from '../i18n';
import type { RouteContext, ScreenHandle } from '../router';

export function mountLogin(ctx: RouteContext, notice: string | null, onLoggedIn: (user: User, next: string | null) => void): ScreenHandle {
  const next = ctx.query.get('next');
  let loginValue = '';
  let error: unknown = null;
  let busy = false;

  const render = (): void => {
    const loginId = uid('login');
    const pwId = uid('password');
    const loginInput = h('input', { id: loginId, name: 'login', type: 'text', autocomplete: 'username', required: true, testid: 'login-user', value: loginValue, autocapitalize: 'none', spellcheck: false });
    const pwInput = h('input', { id: pwId, name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
    const errorBox = h('div', { class: 'form-error', 'aria-live': 'assertive' });
    if (error) errorBox.append(error instanceof ApiError && error.status === 401 ? h('p', { class: 'problem', role: 'alert', testid: 'login-error' }, t('login.failed')) : problemView(error));
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'login-submit', disabled: busy }, busy ? t('login.submitting') : t('login.submit'));

    const form = h(
      'form',
      {
        class: 'login-form',
        testid: 'login-form',
        novalidate: true,
        on: {
          submit: async (ev: SubmitEvent) => {
            ev.preventDefault();
            if (busy) return;
            loginValue = loginInput.value.trim();
            const password = pwInput.value;
            if (!loginValue || !password) {
              error = new Error(t('login.required'));
              render();
              return;
            }
            busy = true;
            error = null;
            render();
            try {
              const user = await api.login(loginValue, password);
              busy = false;
              onLoggedIn(user, next);
            } catch (e) {
              busy = false;
              error = e;
              render();
              const el = ctx.main.querySelector<HTMLInputElement>('[data-testid="login-password"]');
              el?.focus();
            }
          },
        },
      },
      notice && !error ? h('p', { class: 'notice', role: 'status', testid: 'login-notice' }, notice) : null,
      h('div', { class: 'field' }, h('label', { for: loginId }, t('login.login')), loginInput),
      h('div', { class: 'field' }, h('label', { for: pwId }, t('login.password')), pwInput),
      errorBox,
      submit,
    );

    mount(ctx.main, h('section', { class: 'login-panel', 'aria-labelledby': 'login-title' }, h('h1', { id: 'login-title' }, t('login.title')), h('p', { class: 'muted' }, t('login.intro')), form));
    if (!busy && !error) loginInput.focus();
  };

  render();
  return {
    relabel() {
      const el = ctx.main.querySelector<HTMLInputElement>('[data-testid="login-user"]');
      if (el) loginValue = el.value;
      render();
    },
  };
}
