// Client of the CYMAT API (spec 40, /api/v1/cymat): roster, requests, dispatches, damage
// reports, consents of CymatRules 15, trainings and the periodic report.
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

export type RosterRole = 'manager' | 'field_lead' | 'member' | 'candidate' | 'trainee';
export const ROSTER_ROLES: RosterRole[] = ['manager', 'field_lead', 'member', 'candidate', 'trainee'];

export interface RosterRow {
  id: number;
  org: string;
  name: string;
  role: RosterRole;
  user: string | null;
  state: 'active' | 'ended';
  from: string;
  until: string | null;
  replaces: number | null;
  created_by: string;
  ended_by: string | null;
  end_reason: string | null;
}

export interface RosterWarning {
  code: string;
  message: string;
  basis: Citation[];
}

export interface RosterOrg {
  org: string;
  kind: string;
  counts: Record<RosterRole, number>;
  limits: Record<string, number | Citation[]> & { basis?: Citation[] };
  warnings: RosterWarning[];
}

export interface RosterView extends List<RosterRow> {
  orgs: RosterOrg[];
  team: { members: number; planned: number; basis: Citation[] };
}

export interface CymatRequest {
  id: number;
  subject: string;
  requester_org: string;
  channel: 'ciso' | 'emergency';
  paragraph: number;
  on_behalf_of: string | null;
  related_request: number | null;
  summary: string;
  confidentiality: number;
  event_at: string;
  state: string;
  dispatch: number | null;
  created_at: string;
  created_by: string;
  basis: Citation[];
  allowed_actions: string[];
  timeline?: TimelineEntry[];
}

export interface DispatchStep {
  party: string;
  org: string;
  actor: string;
  note: string;
  at: string;
}

export interface Member {
  roster: number;
  name: string;
  org: string;
  role: string;
  user: string | null;
  from: string;
  until: string | null;
  assigned_by: string;
}

export interface Activity {
  id: number;
  category: string;
  text: string;
  confidentiality: number;
  actor: string;
  org: string;
  at: string;
}

export interface DamageReport {
  id: number;
  dispatch: number;
  text: string;
  confidentiality: number;
  counts_as_gsoc_report: boolean;
  major_emergency: boolean;
  gsoc_ref: string | null;
  reported_by: string;
  org: string;
  at: string;
}

export interface Opinion {
  id: number;
  opinion: string;
  heard_from: string | null;
  actor: string;
  org: string;
  at: string;
}

export interface Dispatch {
  id: number;
  subject: string;
  request: number | null;
  requester_org: string | null;
  paragraph: number;
  basis: Citation[];
  summary: string;
  confidentiality: number;
  state: string;
  major_emergency: boolean;
  ordered_at: string | null;
  ordered_by: string | null;
  terminated_at: string | null;
  created_at: string;
  created_by: string;
  members_assigned?: number;
  damage_reports_count?: number;
  consents?: { required: string[]; recorded: DispatchStep[]; missing: string[] };
  members?: Member[];
  activities?: Activity[];
  damage_reports?: DamageReport[] | number;
  ciso_opinions?: Opinion[];
  allowed_actions?: string[];
  timeline?: TimelineEntry[];
}

export interface Consent {
  id: number;
  provider_org: string;
  purpose: 'other_support' | 'peacetime' | 'other';
  dispatch: number | null;
  scope: 'item' | 'purpose';
  note: string;
  state: string;
  created_at: string;
  created_by: string;
  created_org: string;
  approved_by: string | null;
  approved_at: string | null;
  revoked_at: string | null;
  basis: Citation[];
  allowed_actions?: string[];
  timeline?: TimelineEntry[];
}

export interface Training {
  id: number;
  kind: 'training' | 'exercise';
  title: string;
  from: string;
  until: string;
  note: string;
  state: string;
  participants: { roster: number; name: string; org: string; role: string; user: string | null; cost_bearer: string | null }[];
}

const B = '/cymat';

export const cymat = {
  roster(query: { org?: string; history?: boolean; cursor?: string } = {}): Promise<RosterView> {
    return request('GET', `${B}/roster`, { query: { org: query.org, history: query.history ? 'true' : undefined, cursor: query.cursor, limit: 500 } });
  },
  addRoster(body: { org: string; name: string; role: RosterRole; user?: string; replaces?: number }): Promise<RosterRow> {
    return request('POST', `${B}/roster`, { body });
  },
  endRoster(id: number, reason?: string): Promise<RosterRow> {
    return request('POST', `${B}/roster/${id}/actions/end`, { body: reason ? { reason } : {} });
  },
  requests(query: { subject?: string; state?: string; cursor?: string } = {}): Promise<List<CymatRequest>> {
    return request('GET', `${B}/requests`, { query });
  },
  request(id: number): Promise<CymatRequest> {
    return request('GET', `${B}/requests/${id}`);
  },
  createRequest(body: Record<string, unknown>): Promise<CymatRequest> {
    return request('POST', `${B}/requests`, { body });
  },
  requestAction(id: number, action: string, body: Record<string, unknown> = {}): Promise<CymatRequest> {
    return request('POST', `${B}/requests/${id}/actions/${encodeURIComponent(action)}`, { body });
  },
  dispatches(query: { subject?: string; state?: string; cursor?: string } = {}): Promise<List<Dispatch>> {
    return request('GET', `${B}/dispatches`, { query });
  },
  dispatch(id: number): Promise<Dispatch> {
    return request('GET', `${B}/dispatches/${id}`);
  },
  createDispatch(body: { subject: string; summary: string; confidentiality: number }): Promise<Dispatch> {
    return request('POST', `${B}/dispatches`, { body });
  },
  dispatchAction(id: number, action: string, body: Record<string, unknown> = {}): Promise<Dispatch> {
    return request('POST', `${B}/dispatches/${id}/actions/${encodeURIComponent(action)}`, { body });
  },
  consents(query: { provider_org?: string; cursor?: string } = {}): Promise<List<Consent>> {
    return request('GET', `${B}/consents`, { query });
  },
  createConsent(body: { provider_org: string; purpose: string; dispatch?: number; note: string }): Promise<Consent> {
    return request('POST', `${B}/consents`, { body });
  },
  consentAction(id: number, action: string): Promise<Consent> {
    return request('POST', `${B}/consents/${id}/actions/${encodeURIComponent(action)}`, { body: {} });
  },
  trainings(): Promise<List<Training>> {
    return request('GET', `${B}/trainings`);
  },
};
