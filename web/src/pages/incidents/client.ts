// Client of the reports, cases and notifications API (spec 80, spec 20).
import { ApiError, csrf, request, type Citation, type List } from '../../api';

export interface TimelineEntry {
  at: string;
  actor: string;
  org: string;
  action: string;
  from: string | null;
  to: string | null;
  detail: Record<string, unknown> & { notices?: { to_org: string; subject: string }[] };
  basis: Citation[];
}

export interface ReportUpdate {
  at: string;
  actor: string;
  org: string;
  kind: string;
  body: string;
}

export interface Attachment {
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  created_at: string;
  created_by: string;
}

export interface Report {
  id: string;
  subject: string;
  subject_name_ja?: string | null;
  item: number;
  title: string;
  summary: string;
  occurred_at: string;
  detected_at: string | null;
  reported_at: string | null;
  affected_systems: string[];
  classification: { class: string; type: string } | null;
  confidentiality: number;
  tlp: string;
  state: string;
  route: { type: 'direct' | 'via'; via: string[] } | null;
  filed_by_org: string;
  created_by: string;
  created_at: string;
  case: string | null;
  updates: ReportUpdate[];
  attachments: Attachment[];
  allowed_actions: string[];
  timeline: TimelineEntry[];
}

export type ReportItem = Pick<Report, 'id' | 'subject' | 'item' | 'title' | 'state' | 'occurred_at' | 'reported_at' | 'confidentiality' | 'tlp' | 'classification' | 'case' | 'filed_by_org'>;

export interface Stage {
  stage: number;
  label_ja: string;
  started_at: string | null;
  ended_at: string | null;
  seconds: number;
  target_hours: number | null;
  current: boolean;
  overdue: boolean;
}

export interface Case {
  id: string;
  report: string;
  subject: string;
  title: string;
  stage: number;
  stage_label_ja: string;
  state: string;
  emergency: boolean;
  emergency_reason: string | null;
  criteria: number[];
  rationale: string;
  confidentiality: number;
  tlp: string;
  occurred_at: string;
  opened_at: string;
  closed_at: string | null;
  stage_since: string;
  overdue: boolean;
  supplementary_investigation: { performer: string; delegate_org: string | null; materials_requested: boolean } | null;
  stages: Stage[];
  allowed_actions: string[];
  timeline: TimelineEntry[];
}

export interface CaseItem {
  id: string;
  report: string;
  subject: string;
  title: string;
  state: string;
  stage: number;
  stage_since: string;
  emergency: boolean;
  opened_at: string;
  closed_at: string | null;
  overdue: boolean;
}

export interface Notice {
  id: string;
  to_org: string;
  to_role: string | null;
  subject: string;
  case?: string;
  report?: string;
  basis: Citation[];
  created_at: string;
  read_at: string | null;
}

export interface RsitClass {
  class: string;
  label_ja: string;
  types: { type: string; label_ja: string }[];
}

export interface NewReport {
  subject: string;
  item: number;
  title: string;
  summary: string;
  occurred_at: string;
  detected_at?: string;
  confidentiality?: number;
  tlp?: string;
  classification?: { class: string; type: string };
  affected_systems?: string[];
}

type Query = Record<string, string | number | null | undefined>;
const id = (s: string): string => encodeURIComponent(s);

export const incidents = {
  reports(query: Query): Promise<List<ReportItem>> {
    return request('GET', '/reports', { query });
  },
  report(rid: string): Promise<Report> {
    return request('GET', `/reports/${id(rid)}`);
  },
  file(body: NewReport): Promise<Report> {
    return request('POST', '/reports', { body });
  },
  reportAction(rid: string, action: string, body: Record<string, unknown>): Promise<Report> {
    return request('POST', `/reports/${id(rid)}/actions/${id(action)}`, { body });
  },
  addUpdate(rid: string, text: string): Promise<Report> {
    return request('POST', `/reports/${id(rid)}/updates`, { body: { text } });
  },
  classifications(): Promise<{ classes: RsitClass[]; tlp: string[] }> {
    return request('GET', '/reports/classifications');
  },
  cases(query: Query): Promise<List<CaseItem>> {
    return request('GET', '/cases', { query });
  },
  case(cid: string): Promise<Case> {
    return request('GET', `/cases/${id(cid)}`);
  },
  caseAction(cid: string, action: string, body: Record<string, unknown>): Promise<Case> {
    return request('POST', `/cases/${id(cid)}/actions/${id(action)}`, { body });
  },
  notices(query: Query): Promise<List<Notice>> {
    return request('GET', '/notifications', { query });
  },
  markRead(nid: string): Promise<Notice> {
    return request('POST', `/notifications/${id(nid)}/actions/read`, { body: {} });
  },
  targets(): Promise<{ stage_targets_hours: Record<string, number | null> }> {
    return request('GET', '/case-stage-targets');
  },
  setTargets(hours: Record<string, number | null>): Promise<{ stage_targets_hours: Record<string, number | null> }> {
    return request('PUT', '/case-stage-targets', { body: { stage_targets_hours: hours } });
  },
  /** Uploads a file as an attachment (the body is the file itself). */
  async attach(rid: string, file: File): Promise<Attachment> {
    const headers: Record<string, string> = { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json' };
    const token = csrf();
    if (token) headers['X-CSRF-Token'] = token;
    const res = await fetch(`/api/v1/reports/${id(rid)}/attachments?filename=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers,
      body: file,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError({ status: res.status, title: body?.title, detail: body?.detail, basis: body?.basis });
    return body as Attachment;
  },
};

/** "2024-05-01T10:00" typed in a datetime-local field, read as Japan time. */
export function jstInput(value: string): string {
  return value ? `${value.length === 16 ? `${value}:00` : value}+09:00` : '';
}

/** An RFC 3339 time shown as "2024-05-01 10:00" (the server writes JST). */
export function shortTime(s: string | null | undefined): string {
  return s ? s.slice(0, 16).replace('T', ' ') : '';
}

export function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m`;
}
