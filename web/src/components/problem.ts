// Shows an error: the problem document's detail and, when a rule of the regime refused the
// request, the basis it cites.
import { ApiError } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { basisView } from './citation';

export function problemView(err: unknown, onRetry?: () => void): HTMLElement {
  let title = t('problem.title');
  let detail = '';
  let status = 0;
  let basis = undefined as ApiError['problem']['basis'];
  if (err instanceof ApiError) {
    status = err.status;
    if (status === 0) detail = t('app.network_error');
    else {
      title = err.problem.title || title;
      detail = err.problem.detail || '';
      basis = err.problem.basis;
    }
  } else if (err instanceof Error) {
    detail = err.message;
  }
  return h(
    'div',
    { class: 'problem', role: 'alert', testid: 'problem' },
    h('div', { class: 'problem-title' }, title, status ? h('span', { class: 'problem-status' }, ` (${t('problem.status', { status })})`) : null),
    detail ? h('p', { class: 'problem-detail', testid: 'problem-detail' }, detail) : null,
    basis && basis.length ? basisView(basis, t('problem.basis')) : null,
    onRetry ? h('button', { type: 'button', class: 'btn', on: { click: onRetry } }, t('app.retry')) : null,
  );
}

export function loadingView(): HTMLElement {
  return h('p', { class: 'loading', role: 'status', 'aria-live': 'polite' }, t('app.loading'));
}
