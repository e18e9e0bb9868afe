// Hash-based router: '#/orgs/jps?date=2016-10-21'. Routes are declared in one table (routes.ts)
// so later modules (reports, cases, GSOC, CYMAT, audits, risk) add rows, not code here.

export interface Location {
  path: string;
  query: URLSearchParams;
}

/** What a screen returns when mounted: re-render on a language change, clean up on leave. */
export interface ScreenHandle {
  relabel?(): void;
  destroy?(): void;
}

export interface RouteContext {
  params: string[];
  query: URLSearchParams;
  main: HTMLElement;
}

export interface Route {
  pattern: RegExp;
  /** navigation key of the module it belongs to (highlights the menu) */
  nav?: string;
  /** true for screens reachable without a session */
  public?: boolean;
  mount(ctx: RouteContext): ScreenHandle | void;
}

export function parseHash(hash: string = location.hash): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

export function buildHash(path: string, query?: Record<string, string | null | undefined>): string {
  const qs = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) if (v) qs.set(k, v);
  }
  const s = qs.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** Navigates (adds a history entry and renders). */
export function navigate(path: string, query?: Record<string, string | null | undefined>): void {
  const target = buildHash(path, query);
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

/** Updates the URL to reflect a screen's state without re-rendering it. */
export function replaceQuery(path: string, query: Record<string, string | null | undefined>): void {
  history.replaceState(history.state, '', buildHash(path, query));
}

export function match(routes: Route[], path: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return null;
}
