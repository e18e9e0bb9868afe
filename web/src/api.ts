// Client of the cshq JSON API (spec 80). The session lives in an HttpOnly cookie set by the
// server; this module never sees or stores the bearer token. The CSRF token is kept in
// memory only and sent as X-CSRF-Token on every state-changing request.

export interface Citation {
  doc: string;
  version: string;
  article: number | string | null;
  paragraph: number | null;
  item: number | null;
  text_ja: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  basis?: Citation[];
}

export interface User {
  login: string;
  name?: string;
  org: string;
  roles: string[];
}

export interface OrgSummary {
  code: string;
  name_ja: string;
  name_en: string;
  kind: string;
  supervising: string[];
  art13_designated: boolean;
  art32_listed: boolean;
}

/** A dated interval of a status; field names vary a little between versions of the server,
 * so both spellings are accepted. */
export interface Interval {
  from?: string;
  until?: string | null;
  from_date?: string;
  until_date?: string | null;
  decision?: string;
  criteria?: Record<string, string>;
  group?: string;
  [key: string]: unknown;
}

export interface OrgRecord extends OrgSummary {
  former_names_ja?: (string | { name_ja: string; until?: string | null })[];
  history?: unknown[];
  designations?: Interval[];
  art13_designations?: Interval[];
  art32_listings?: Interval[];
  listings?: Interval[];
  sector?: string | null;
  [key: string]: unknown;
}

export type Applies = 'yes' | 'no' | 'conditional';

export interface Route {
  type: 'direct' | 'via';
  via?: string[];
}

export interface FunctionAnswer {
  applies: Applies;
  condition?: string;
  route?: Route;
  basis: Citation[];
}

export interface Applicability {
  org: string;
  date: string;
  functions: Record<string, FunctionAnswer>;
}

export interface List<T> {
  items: T[];
  next_cursor: string | null;
}

/** Error raised for any non-2xx answer; carries the RFC 9457 problem document. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

const BASE = '/api/v1';
let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** The CSRF token of the session, for requests not made through request() (uploads). */
export function csrf(): string | null {
  return csrfToken;
}

/** Called when an authenticated request answers 401 (session expired or revoked). */
export function onUnauthorized(fn: () => void): void {
  unauthorizedHandler = fn;
}

type Query = Record<string, string | number | null | undefined>;

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
  }
  const qs = params.toString();
  return BASE + path + (qs ? `?${qs}` : '');
}

async function parseProblem(res: Response): Promise<Problem> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (body && typeof body === 'object') {
    const p = body as Partial<Problem>;
    return {
      type: typeof p.type === 'string' ? p.type : undefined,
      title: typeof p.title === 'string' ? p.title : res.statusText,
      status: typeof p.status === 'number' ? p.status : res.status,
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      basis: Array.isArray(p.basis) ? p.basis : undefined,
    };
  }
  return { title: res.statusText, status: res.status };
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** do not call the 401 handler (used by the session probe and login) */
  quiet401?: boolean;
}

/** A JSON request to /api/v1 (modules build their clients on it). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError({ status: 0, title: 'network', detail: undefined });
  }
  if (!res.ok) {
    const problem = await parseProblem(res);
    if (res.status === 401 && !opts.quiet401 && unauthorizedHandler) unauthorizedHandler();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface SessionInfo {
  user: User;
  csrf_token?: string;
}

export const api = {
  /** The current session, or null when not logged in. */
  async session(): Promise<User | null> {
    try {
      const s = await request<SessionInfo>('GET', '/session', { quiet401: true });
      csrfToken = s.csrf_token ?? null;
      return s.user;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },

  async login(login: string, password: string): Promise<User> {
    const s = await request<SessionInfo & { token?: string }>('POST', '/session', {
      body: { login, password },
      quiet401: true,
    });
    // The bearer token in the answer is for API clients; the browser uses the cookie.
    csrfToken = s.csrf_token ?? null;
    return s.user;
  },

  async logout(): Promise<void> {
    try {
      await request<void>('DELETE', '/session', { quiet401: true });
    } finally {
      csrfToken = null;
    }
  },

  orgs(query: { q?: string; kind?: string; date?: string; limit?: number; cursor?: string }): Promise<List<OrgSummary>> {
    return request('GET', '/orgs', { query });
  },

  org(code: string, date?: string): Promise<OrgRecord> {
    return request('GET', `/orgs/${encodeURIComponent(code)}`, { query: { date } });
  },

  applicability(code: string, date?: string): Promise<Applicability> {
    return request('GET', `/orgs/${encodeURIComponent(code)}/applicability`, { query: { date } });
  },
};
