-- 002_workflow: the timeline every workflow record shares (src/workflow). Entries are
-- appended, never changed; each carries the basis of its step as JSON citations.
CREATE TABLE wf_timeline (
  id {{ID}},
  record_kind TEXT NOT NULL,
  record_id {{INT}} NOT NULL,
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  detail TEXT NOT NULL,
  basis TEXT NOT NULL
) {{STRICT}};
CREATE INDEX wf_timeline_record ON wf_timeline(record_kind, record_id, id);
