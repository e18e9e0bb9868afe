// Client of the GSOC API (spec 30): detections and their triage, campaigns, the overview,
// sensors with their health, and coverage.
import { request, type Citation, type List } from '../../api';

export type DetectionState = 'new' | 'investigating' | 'notified' | 'closed' | 'escalated';
export const DETECTION_STATES: DetectionState[] = ['new', 'investigating', 'notified', 'closed', 'escalated'];

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

export interface DetectionIndicator {
  type: string;
  /** null when TLP does not let the reader receive it */
  value: string | null;
  withheld: boolean;
  id: number | null;
  tlp: string;
  severity: string;
}

export interface Evidence {
  at: string;
  matched_value: string | null;
  src_ip: string | null;
  src_port: number | null;
  dest_ip: string | null;
  dest_port: number | null;
  proto: string | null;
  app_proto: string | null;
  sensor: number;
}

export interface Detection {
  id: number;
  org: string;
  indicator: DetectionIndicator;
  day: string;
  first_seen: string;
  last_seen: string;
  alerts: number;
  state: DetectionState;
  resolution: string | null;
  report: number | null;
  created_at: string;
  updated_at: string;
  sensors?: { id: number; name: string; alerts: number }[];
  evidence?: Evidence[];
  allowed_actions?: string[];
  timeline?: TimelineEntry[];
}

export interface Campaign {
  indicator: { type: string; value: string; tlp: string; id: number | null };
  orgs: string[];
  org_count: number;
  detections: number[];
  first_seen: string;
  last_seen: string;
  alerts: number;
}

export interface Overview {
  from: string;
  to: string;
  series: { day: string; detections: number; alerts: number }[];
  by_org: { org: string; detections: number; alerts: number; open: number }[];
  by_state: Record<string, number>;
  /** null for everyone but NISC */
  campaigns: number | null;
}

export interface Sensor {
  id: number;
  org: string;
  name: string;
  token?: string;
  created_at: string;
  created_by: string;
  revoked: boolean;
  revoked_at: string | null;
  last_seen: string | null;
  live: boolean;
  last_alert_at: string | null;
  alerts: number;
  health: {
    at: string | null;
    uptime: number | null;
    kernel_packets: number | null;
    kernel_drops: number | null;
    spool_batches: number | null;
    spool_bytes: number | null;
    spool_dropped: number | null;
    feed_version: number | null;
  };
}

export interface CoverageItem {
  org: string;
  name_ja: string;
  name_en: string;
  kind: string;
  sensors: number;
  live_sensors: number;
  last_seen: string | null;
  status: 'live' | 'stale' | 'none';
  basis: Citation[];
}

export interface Coverage {
  date: string;
  items: CoverageItem[];
  covered: number;
  with_live_sensor: number;
  without_live_sensor: number;
}

export interface DetectionQuery {
  org?: string;
  indicator?: string;
  state?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export const gsoc = {
  overview: (from?: string, to?: string) => request<Overview>('GET', '/gsoc/overview', { query: { from, to } }),
  detections: (q: DetectionQuery) => request<List<Detection>>('GET', '/detections', { query: { ...q } }),
  detection: (id: number) => request<Detection>('GET', `/detections/${id}`),
  act: (id: number, action: string, body: Record<string, unknown>) =>
    request<Detection>('POST', `/detections/${id}/actions/${encodeURIComponent(action)}`, { body }),
  campaigns: (windowHours?: number, from?: string, to?: string) =>
    request<List<Campaign>>('GET', '/campaigns', { query: { window_hours: windowHours, from, to } }),
  sensors: (org?: string) => request<List<Sensor>>('GET', '/sensors', { query: { org } }),
  registerSensor: (org: string, name: string) => request<Sensor>('POST', '/sensors', { body: { org, name } }),
  revokeSensor: (id: number) => request<Sensor>('POST', `/sensors/${id}/actions/revoke`, { body: {} }),
  coverage: (date?: string) => request<Coverage>('GET', '/gsoc/coverage', { query: { date } }),
};
