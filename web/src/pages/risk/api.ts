// Client of /api/v1/risk (spec 60). The session is the HttpOnly cookie; state-changing
// requests carry the CSRF token, which this module asks the session endpoint for once
// (the shared client keeps its copy private). Errors are thrown as the shared ApiError so
// the shared problem view shows them with their basis.
import { ApiError, type Citation, type Problem } from '../../api';

const BASE = '/api/v1';
let csrf: string | null = null;

async function problemOf(res: Response): Promise<Problem> {
  try {
    const p = (await res.json()) as Partial<Problem>;
    return { type: p.type, title: p.title ?? res.statusText, status: p.status ?? res.status, detail: p.detail, basis: p.basis };
  } catch {
    return { title: res.statusText, status: res.status };
  }
}

async function csrfToken(): Promise<string | null> {
  if (csrf) return csrf;
  const res = await fetch(`${BASE}/session`, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new ApiError(await problemOf(res));
  csrf = ((await res.json()) as { csrf_token?: string }).csrf_token ?? null;
  return csrf;
}

async function send<T>(method: string, path: string, body?: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (method !== 'GET') {
    const token = await csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError({ status: 0, title: 'network' });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  return (await res.json()) as T;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  org: string;
  action: string;
  from: string | null;
  to: string | null;
  detail: Record<string, unknown>;
  basis: Citation[];
}

export interface Domain {
  name: string;
  reason: 'sensitive' | 'grave_impact' | 'confidential';
  categories: string[];
  impact: string | null;
  protected: boolean;
}

export interface Check {
  countermeasure: string;
  component: string;
  implemented: boolean;
}

export interface PlanItem {
  countermeasure: string;
  fiscal_year: number;
}

export interface TargetSystem {
  name: string;
  domain: string;
  criterion: 1 | 2;
  components: string[];
  built_on: string | null;
  air_gapped_counterpart: string | null;
  pulled_in_by: string | null;
  residual_risk: 'high' | 'medium' | 'low' | null;
  checks: Check[];
  plan: PlanItem[] | null;
  plan_review: string | null;
}

export interface Worksheet {
  domains: Domain[];
  systems: TargetSystem[];
}

export interface Assessment {
  id: number;
  org: string;
  org_name_ja: string;
  org_name_en: string;
  fiscal_year: number;
  countermeasure_set: string;
  state: string;
  stage: string;
  content_hash: string;
  approval: { state: 'none' | 'approved' | 'void'; content_hash: string | null; approved_at: string | null; approved_by: string | null };
  dashboard: { built_at: string | null; content_hash: string | null; current: boolean };
  roles: { infosec_agreed_by: string | null; infoprotect_agreed_by: string | null; note: string | null };
  instructions: string | null;
  worksheet: Worksheet;
  reviews: { system: string; request_changes: boolean; comment: string | null; reviewed_by: string; reviewed_at: string }[];
  previous: { id: number; fiscal_year: number } | null;
  newer_countermeasure_sets: string[];
  allowed_actions: string[];
  timeline: TimelineEntry[];
  forwarded_by: string | null;
  nisc_issues: string | null;
}

export interface AssessmentSummary {
  id: number;
  org: string;
  org_name_ja: string;
  org_name_en: string;
  fiscal_year: number;
  state: string;
  countermeasure_set: string;
  approval_state: string;
  updated_at: string;
}

export interface SetCountermeasure {
  id: string;
  title: string;
  components: string[];
}
export interface SetObjective {
  id: string;
  title: string;
  countermeasures: SetCountermeasure[];
}
export interface SetScenario {
  id: string;
  title: string;
  objectives: SetObjective[];
}
export interface CountermeasureSet {
  version: string;
  note: string | null;
  issued_at: string;
  issued_by: string;
  scenarios: SetScenario[];
}

export interface Rate {
  applicable: number;
  implemented: number;
  percent: number | null;
}

export interface Dashboard {
  assessment: number;
  org: string;
  fiscal_year: number;
  countermeasure_set: string;
  state: string;
  content_hash: string;
  approval: { state: string; content_hash: string | null };
  built: boolean;
  dashboard_hash: string | null;
  protected_domains: (Omit<Domain, 'protected'> & { systems: number; dropped_out: boolean })[];
  target_systems: (Rate & { name: string; domain: string; criterion: number; built_on: string | null; pulled_in_by: string | null; residual_risk: string | null; planned: number | null })[];
  by_scenario: (Rate & { scenario: string; title: string })[];
  by_objective: (Rate & { objective: string; title: string; scenario: string; reached_in: number | null })[];
  residual_risk: { high: number; medium: number; low: number; unchecked: number };
  plan: { items: number; by_fiscal_year: { fiscal_year: number; items: number }[] };
  progress: { previous: { id: number; fiscal_year: number } | null; due: number; implemented: number; percent: number | null; items: { system: string; countermeasure: string; planned_fiscal_year: number; due: boolean; implemented: boolean }[] };
}

export interface Aggregate {
  fiscal_year: number;
  publishable: boolean;
  reports: number;
  by_countermeasure: (Rate & { countermeasure: string; scenario: string; title?: string; scenario_title?: string; bodies?: number })[];
  by_scenario: (Rate & { scenario: string; title?: string })[];
  plan: { by_fiscal_year: { fiscal_year: number; items: number }[]; progress: { due: number; implemented: number; percent: number | null } };
  bodies?: { assessment: number; org: string; name_ja: string; state: string; issues: string | null; percent: number | null; progress: { due: number; implemented: number; percent: number | null } }[];
}

export interface SetDiff {
  from: string;
  to: string;
  scenarios: DiffPart;
  objectives: DiffPart;
  countermeasures: DiffPart;
}
export interface DiffPart {
  added: { id: string; title: string }[];
  removed: { id: string; title: string }[];
  changed: ({ id: string } & Record<string, unknown>)[];
}

const enc = encodeURIComponent;

export const riskApi = {
  list(query: { org?: string; fiscal_year?: string; state?: string }): Promise<{ items: AssessmentSummary[]; next_cursor: string | null }> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) qs.set(k, v);
    const s = qs.toString();
    return send('GET', `/risk/assessments${s ? `?${s}` : ''}`);
  },
  get(id: number): Promise<Assessment> {
    return send('GET', `/risk/assessments/${id}`);
  },
  create(org: string, fiscalYear: number, version: string): Promise<Assessment> {
    return send('POST', '/risk/assessments', JSON.stringify({ org, fiscal_year: fiscalYear, countermeasure_set: version }), 'application/json');
  },
  act(id: number, action: string, body: unknown = {}): Promise<Assessment> {
    return send('POST', `/risk/assessments/${id}/actions/${enc(action)}`, JSON.stringify(body), 'application/json');
  },
  importXlsx(id: number, file: Blob): Promise<Assessment> {
    return send('POST', `/risk/assessments/${id}/worksheet`, file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  },
  dashboard(id: number): Promise<Dashboard> {
    return send('GET', `/risk/assessments/${id}/dashboard`);
  },
  sets(): Promise<{ items: { version: string; issued_at: string; note: string | null; countermeasures: number }[] }> {
    return send('GET', '/risk/countermeasure-sets');
  },
  set(version: string): Promise<CountermeasureSet> {
    return send('GET', `/risk/countermeasure-sets/${enc(version)}`);
  },
  diff(from: string, to: string): Promise<SetDiff> {
    return send('GET', `/risk/countermeasure-sets/diff?from=${enc(from)}&to=${enc(to)}`);
  },
  aggregate(fiscalYear: number, publish: boolean): Promise<Aggregate> {
    return send('GET', `/risk/aggregate?fiscal_year=${fiscalYear}${publish ? '&publish=1' : ''}`);
  },
  xlsxUrl(id: number): string {
    return `${BASE}/risk/assessments/${id}/worksheet.xlsx`;
  },
  pdfUrl(id: number): string {
    return `${BASE}/risk/assessments/${id}/dashboard.pdf`;
  },
};

/** The current fiscal year in Japan (April to March). */
export function currentFiscalYear(): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  const y = Number(parts.find((p) => p.type === 'year')?.value);
  const m = Number(parts.find((p) => p.type === 'month')?.value);
  return m >= 4 ? y : y - 1;
}
