// Entry point: probes the session (GET /api/v1/session), then runs the hash router. The
// login screen is shown whenever there is no session; after login the user returns to the
// screen they asked for.
import './styles.css';
import { api, onUnauthorized } from './api';
import { headerView } from './components/header';
import { problemView, loadingView } from './components/problem';
import { h, mount } from './dom';
import { lang, onLangChange, t } from './i18n';
import { match, navigate, parseHash, type ScreenHandle } from './router';
import { routes } from './routes';
import { mountLogin } from './screens/login';
import { mountNotFound } from './screens/placeholder';
import { currentUser, onUserChange, setUser, setUserOrgNames, userOrgNames } from './session';

const root = document.getElementById('app') as HTMLElement;
const headerSlot = h('div', { class: 'header-slot' });
const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
const skip = h('a', { class: 'skip-link', href: '#main', on: { click: (ev: MouseEvent) => { ev.preventDefault(); main.focus(); } } });
mount(root, skip, headerSlot, main);

let screen: ScreenHandle | void = undefined;
let activeNav: string | undefined;
let expired = false;

function renderChrome(): void {
  document.title = t('app.title');
  skip.textContent = t('app.skip');
  const names = userOrgNames();
  mount(headerSlot, headerView(currentUser(), names ? names[lang()] || names.ja : null, activeNav, () => void logout()));
}

// Look up the name of the user's organisation for the header, once per login.
onUserChange(() => {
  const user = currentUser();
  if (user && !userOrgNames()) {
    const code = user.org;
    api.org(code).then(
      (o) => {
        if (currentUser()?.org === code) setUserOrgNames({ ja: o.name_ja, en: o.name_en });
      },
      () => undefined,
    );
  }
  renderChrome();
});

async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    /* the session is gone either way */
  }
  setUser(null);
  navigate('/login');
}

function route(): void {
  screen?.destroy?.();
  screen = undefined;
  const loc = parseHash();
  const user = currentUser();
  if (loc.path === '/login' || !user) {
    activeNav = undefined;
    renderChrome();
    if (user) {
      navigate(loc.query.get('next') ?? '/orgs');
      return;
    }
    const wanted = loc.path === '/login' ? loc.query : new URLSearchParams({ next: location.hash.replace(/^#/, '') || '/orgs' });
    if (loc.path !== '/login') history.replaceState(history.state, '', `#/login?${wanted.toString()}`);
    const notice = expired ? t('app.session_expired') : null;
    expired = false;
    screen = mountLogin({ params: [], query: wanted, main }, notice, (user, next) => {
      setUser(user);
      navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next.split('?')[0] : '/orgs', next && next.includes('?') ? Object.fromEntries(new URLSearchParams(next.split('?')[1])) : undefined);
    });
    return;
  }
  if (loc.path === '/' || loc.path === '') {
    navigate('/orgs');
    return;
  }
  const m = match(routes, loc.path);
  activeNav = m?.route.nav;
  renderChrome();
  screen = m ? m.route.mount({ params: m.params, query: loc.query, main }) : mountNotFound({ params: [], query: loc.query, main });
}

onLangChange(() => {
  renderChrome();
  screen?.relabel?.();
});

onUnauthorized(() => {
  if (!currentUser()) return;
  expired = true;
  setUser(null);
  route();
});

window.addEventListener('hashchange', route);

async function start(): Promise<void> {
  renderChrome();
  mount(main, loadingView());
  try {
    setUser(await api.session());
  } catch (e) {
    mount(main, problemView(e, () => void start()));
    return;
  }
  route();
}

void start();
