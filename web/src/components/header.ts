// The top bar: product name, module menu, the user (login, name, organisation, roles), the
// language toggle and logout.
import type { User } from '../api';
import { h } from '../dom';
import { lang, setLang, t, type MessageKey } from '../i18n';

export interface NavItem {
  key: string;
  label: MessageKey;
  href: string;
  ready: boolean;
}

/** Modules of the platform; those not ready yet show a placeholder screen. */
export const NAV: NavItem[] = [
  { key: 'registry', label: 'nav.registry', href: '#/orgs', ready: true },
  { key: 'reports', label: 'nav.reports', href: '#/reports', ready: true },
  { key: 'gsoc', label: 'nav.gsoc', href: '#/gsoc', ready: true },
  { key: 'cymat', label: 'nav.cymat', href: '#/cymat', ready: true },
  { key: 'audits', label: 'nav.audits', href: '#/audits', ready: true },
  { key: 'risk', label: 'nav.risk', href: '#/risk', ready: true },
];

export function langToggle(): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-lang',
      testid: 'lang-toggle',
      'aria-label': t('lang.toggle_label'),
      lang: lang() === 'ja' ? 'en' : 'ja',
      on: { click: () => setLang(lang() === 'ja' ? 'en' : 'ja') },
    },
    t('lang.toggle'),
  );
}

export function headerView(user: User | null, orgName: string | null, activeNav: string | undefined, onLogout: () => void): HTMLElement {
  return h(
    'header',
    { class: 'topbar', testid: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), ' ', h('span', { class: 'brand-name' }, t('app.short')), h('span', { class: 'brand-sub' }, t('app.title'))),
    user
      ? h(
          'nav',
          { class: 'mainnav', 'aria-label': t('nav.main') },
          h(
            'ul',
            null,
            NAV.map((n) =>
              h(
                'li',
                null,
                h(
                  'a',
                  {
                    href: n.href,
                    class: ['navlink', n.key === activeNav && 'active', !n.ready && 'navlink-pending'],
                    'aria-current': n.key === activeNav ? 'page' : undefined,
                    testid: `nav-${n.key}`,
                  },
                  t(n.label),
                ),
              ),
            ),
          ),
        )
      : null,
    h(
      'div',
      { class: 'topbar-right' },
      user
        ? h(
            'div',
            { class: 'userbox', testid: 'userbox' },
            h('span', { class: 'user-name', title: t('header.user') }, h('span', { class: 'sr-only' }, `${t('header.user')}: `), user.name ? `${user.name} ` : '', h('span', { class: ['user-login', !!user.name && 'user-login-secondary'], testid: 'user-login' }, user.name ? `(${user.login})` : user.login)),
            h('span', { class: 'user-org', title: t('header.org') }, h('span', { class: 'sr-only' }, `${t('header.org')}: `), h('a', { href: `#/orgs/${encodeURIComponent(user.org)}`, testid: 'user-org', 'data-org': user.org }, orgName ?? user.org)),
            h('span', { class: 'user-roles', title: t('header.roles'), testid: 'user-roles' }, h('span', { class: 'sr-only' }, `${t('header.roles')}: `), user.roles.map((r) => h('span', { class: 'role' }, r))),
          )
        : null,
      langToggle(),
      user ? h('button', { type: 'button', class: 'btn btn-logout', testid: 'logout', on: { click: onLogout } }, t('header.logout')) : null,
    ),
  );
}
