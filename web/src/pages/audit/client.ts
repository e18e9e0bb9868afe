// Client of the audit API (spec 50, /api/v1/audits): policies, engagements, findings,
// good practices, follow-up and the annual summary.
import { request, type Citation, type List } from '../../api';

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

export interface Notice {
  id: number;
  to_org: string;
  to_role: string | null;
  subject: string;
  basis: Citation[];
  created_at: string;
  read_at: string | null;
}

export interface Theme {
  code: string;
  title: string;
  rationale: string | null;
}

export interface Policy {
  id: number;
  fiscal_year: number;
  approach: string;
  themes: Theme[];
  state: 'draft' | 'adopted';
  adopted_at: string | null;
  allowed_actions?: string[];
  timeline?: TimelineEntry[];
  basis?: Citation[];
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface Report {
  id: number;
  kind: 'result' | 'plan';
  text: string;
  due: string | null;
  by_org: string;
  by: string;
  at: string;
  state: 'at_ministry' | 'received';
  via: string | null;
  forwarded_at: string | null;
}

export interface Revision {
  revision: number;
  title: string;
  severity: Severity;
  important: boolean;
  requirement: string | null;
  theme: string | null;
  evidence: string;
  proposal: string | null;
  reason: string | null;
  at: string;
  by: string;
}

export interface Finding {
  id: number;
  engagement: number;
  org: string;
  fiscal_year: number;
  seq: number;
  title: string;
  severity: Severity;
  important: boolean;
  requirement: string | null;
  requirement_title?: string;
  theme: string | null;
  evidence: string;
  proposal: string | null;
  state: string;
  revision: number;
  revisions: Revision[];
  reports: Report[];
  allowed_actions?: string[];
  timeline?: TimelineEntry[];
  notices?: Notice[];
}

export interface Followup {
  finding: number;
  engagement: number;
  fiscal_year: number;
  seq: number;
  title: string;
  severity: Severity;
  requirement: string | null;
  state: string;
  previous_state: string | null;
  change: 'new' | 'unchanged' | 'progressed' | 'resolved';
  changed: boolean;
  events: { at: string; action: string; from: string | null; to: string | null; org: string }[];
  latest_report: { kind: string; due: string | null; state: string; at: string } | null;
  years_open: number;
  recurring_in: number[];
}

export interface FollowupView {
  org: string;
  org_name_ja: string;
  fiscal_year: number;
  since: string;
  as_of: string;
  items: Followup[];
  resolved: Followup[];
  basis: Citation[];
}

export interface Practice {
  id: number;
  title: string;
  description: string;
  anonymise: boolean;
  state: string;
  published_at: string | null;
}

export interface Engagement {
  id: number;
  uuid: string;
  org: string;
  org_name_ja: string;
  org_name_en: string;
  fiscal_year: number;
  type: 'management' | 'penetration';
  scope: string;
  method: string;
  start: string;
  end: string | null;
  experts: string[];
  themes: string[];
  reason: string | null;
  applies: string;
  method_agreed: { at: string; by: string } | null;
  delegate_org: string | null;
  delegation_open: boolean;
  state: string;
  route?: { type: 'direct' | 'via'; via: string[]; basis: Citation[] };
  results_visible: boolean;
  findings?: Finding[];
  good_practices: Practice[];
  notices: Notice[];
  followups?: Followup[];
  allowed_actions: string[];
  timeline: TimelineEntry[];
  published_at: string | null;
  delivered_at: string | null;
}

export interface EngagementRow {
  id: number;
  org: string;
  org_name_ja: string;
  org_name_en: string;
  fiscal_year: number;
  type: 'management' | 'penetration';
  state: string;
  start: string;
  delegate_org: string | null;
  findings?: number;
  important_findings?: number;
}

export interface Summary {
  fiscal_year: number;
  engagements: { total: number; bodies: number; delegated: number; by_type: Record<string, number>; by_state: Record<string, number> };
  findings: {
    total: number;
    important: number;
    by_severity: Record<string, number>;
    by_status: Record<string, number>;
    by_theme: { theme: string; title: string; engagements: number; findings: number; important: number }[];
    without_theme: number;
  };
  followup: { open_important_from_earlier_years: number; important_resolved_in_year: number };
  good_practices: { recorded: number; published: number };
  redaction: { rule: string; redacted: number };
  basis: Citation[];
  published_at: string | null;
}

export interface PublishedPractice {
  id: number;
  fiscal_year: number;
  org: string | null;
  org_name_ja: string | null;
  org_name_en: string | null;
  anonymised: boolean;
  title: string;
  description: string;
  published_at: string;
}

const A = '/audits';
type Body = Record<string, unknown>;

export const audits = {
  policies: (fiscal_year?: number) => request<List<Policy>>('GET', `${A}/policies`, { query: { fiscal_year } }),
  policy: (id: number) => request<Policy>('GET', `${A}/policies/${id}`),
  createPolicy: (body: Body) => request<Policy>('POST', `${A}/policies`, { body }),
  policyAction: (id: number, action: string, body: Body = {}) => request<Policy>('POST', `${A}/policies/${id}/actions/${encodeURIComponent(action)}`, { body }),

  engagements: (query: { fiscal_year?: number; org?: string; state?: string; limit?: number; cursor?: string }) => request<List<EngagementRow>>('GET', `${A}/engagements`, { query }),
  engagement: (id: number) => request<Engagement>('GET', `${A}/engagements/${id}`),
  createEngagement: (body: Body) => request<Engagement>('POST', `${A}/engagements`, { body }),
  engagementAction: (id: number, action: string, body: Body = {}) => request<Engagement>('POST', `${A}/engagements/${id}/actions/${encodeURIComponent(action)}`, { body }),
  addFinding: (id: number, body: Body) => request<Finding>('POST', `${A}/engagements/${id}/findings`, { body }),
  addPractice: (id: number, body: Body) => request<Practice>('POST', `${A}/engagements/${id}/good-practices`, { body }),

  finding: (id: number) => request<Finding>('GET', `${A}/findings/${id}`),
  findingAction: (id: number, action: string, body: Body = {}) => request<Finding>('POST', `${A}/findings/${id}/actions/${encodeURIComponent(action)}`, { body }),
  practiceAction: (id: number, action: string, body: Body = {}) => request<unknown>('POST', `${A}/good-practices/${id}/actions/${encodeURIComponent(action)}`, { body }),
  publishedPractices: (fiscal_year?: number) => request<List<PublishedPractice>>('GET', `${A}/good-practices`, { query: { fiscal_year } }),

  followups: (org: string, fiscal_year?: number) => request<FollowupView>('GET', `${A}/followups`, { query: { org, fiscal_year } }),
  summary: (fiscal_year: number) => request<Summary>('GET', `${A}/summary`, { query: { fiscal_year } }),
  publishSummary: (fiscal_year: number) => request<Summary>('POST', `${A}/summary/actions/publish`, { body: { fiscal_year } }),
};

/** Links to the exports (opened by the browser with the session cookie). */
export function exportUrl(id: number, what: 'report.pdf' | 'oscal' | 'oscal/poam'): string {
  return `/api/v1${A}/engagements/${id}/${what}`;
}
