-- 003_incidents: incident reports (Act 31, DataProvisionRules 1) with their appended updates
-- and attachments, and the cases of specified major incidents (MajorIncidentRules) with the
-- stage they are in. Both are workflow records (src/workflow): their steps are in
-- wf_timeline, their notices in notifications.

-- A report concerns one organisation (subject) and one item of DataProvisionRules 1(1).
-- Times are epoch seconds; occurred_date is the JST day of occurred_at (the regime's date
-- questions and the list's date filter use it). Text fields are never overwritten after
-- submission: what follows goes to report_updates.
CREATE TABLE reports (
  id {{ID}},
  subject TEXT NOT NULL REFERENCES orgs(code),
  item {{INT}} NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  occurred_at {{INT}} NOT NULL,
  occurred_date {{INT}} NOT NULL,
  detected_at {{INT}},
  reported_at {{INT}},
  affected_systems TEXT NOT NULL,
  rsit_class TEXT,
  rsit_type TEXT,
  confidentiality {{INT}} NOT NULL,
  tlp TEXT NOT NULL,
  indicators TEXT NOT NULL,
  state TEXT NOT NULL,
  route TEXT,
  via TEXT,
  filed_by_org TEXT NOT NULL REFERENCES orgs(code),
  created_by TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  case_id {{INT}}
) {{STRICT}};
-- Lists are newest first (id descending) with one of these filters leading. The state and
-- date indexes also carry what the visibility condition and the other filters read, so a
-- list with a date range is answered from the index alone before its rows are read.
CREATE INDEX reports_subject ON reports(subject, id);
CREATE INDEX reports_state ON reports(state, id, subject, confidentiality);
CREATE INDEX reports_subject_state ON reports(subject, state, id);
CREATE INDEX reports_occurred ON reports(occurred_date, subject, state, item, confidentiality, id);
CREATE INDEX reports_subject_occurred ON reports(subject, occurred_date, state, item, confidentiality, id);

-- Updates, questions, answers and ministry comments: appended, never changed.
CREATE TABLE report_updates (
  id {{ID}},
  report_id {{INT}} NOT NULL REFERENCES reports(id),
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
) {{STRICT}};
CREATE INDEX report_updates_report ON report_updates(report_id, id);

-- Attachment bytes, stored once per SHA-256 (hex) in the store itself, so they share the
-- request's transaction, the backups and every server instance.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size {{INT}} NOT NULL,
  content {{BLOB}} NOT NULL,
  created_at {{INT}} NOT NULL
) {{STRICT}};

CREATE TABLE report_attachments (
  id {{ID}},
  report_id {{INT}} NOT NULL REFERENCES reports(id),
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size {{INT}} NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (report_id, sha256)
) {{STRICT}};

-- A specified major incident case (MajorIncidentRules 3(1)): stage 1..4 and since when, so
-- that overdue cases are one indexed query. Confidentiality 3 by default (Art. 2).
CREATE TABLE cases (
  id {{ID}},
  report_id {{INT}} NOT NULL UNIQUE REFERENCES reports(id),
  subject TEXT NOT NULL REFERENCES orgs(code),
  state TEXT NOT NULL,
  stage {{INT}} NOT NULL,
  stage_since {{INT}} NOT NULL,
  emergency {{INT}} NOT NULL DEFAULT 0,
  emergency_reason TEXT,
  confidentiality {{INT}} NOT NULL,
  criteria TEXT NOT NULL,
  rationale TEXT NOT NULL,
  occurred_at {{INT}} NOT NULL,
  opened_at {{INT}} NOT NULL,
  closed_at {{INT}},
  performer TEXT,
  delegate_org TEXT REFERENCES orgs(code),
  materials_requested {{INT}} NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cases_subject ON cases(subject, id);
CREATE INDEX cases_open ON cases(stage, stage_since) WHERE closed_at IS NULL;

-- The inbox of an organisation reads notices addressed to it, newest first, by record.
CREATE INDEX notifications_to_id ON notifications(to_org, id);
