// Screen of a module that is not built yet; keeps the menu and routes in place.
import { h, mount } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { RouteContext, ScreenHandle } from '../router';

export function mountPlaceholder(ctx: RouteContext, title: MessageKey): ScreenHandle {
  const render = (): void => {
    mount(ctx.main, h('section', { class: 'panel' }, h('h1', null, t(title)), h('p', { class: 'muted', testid: 'coming-soon' }, t('app.coming_soon'))));
  };
  render();
  return { relabel: render };
}

export function mountNotFound(ctx: RouteContext): ScreenHandle {
  const render = (): void => {
    mount(ctx.main, h('section', { class: 'panel' }, h('h1', null, t('app.not_found')), h('p', null, h('a', { href: '#/orgs' }, t('app.back_to_registry')))));
  };
  render();
  return { relabel: render };
}
