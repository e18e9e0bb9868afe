-- 004_gsoc: the GSOC centre (spec 30): sensors and their health, the versioned indicator
-- set, alerts as sensors posted them, and detections (per organisation, indicator and
-- day) with their triage state. Nothing here is deleted by the application: a revoked
-- sensor and a removed indicator keep their rows.

CREATE TABLE gsoc_sensors (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the token; the token is shown once
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at {{INT}},
  last_seen_at {{INT}},              -- last request the sensor made
  last_alert_at {{INT}},             -- timestamp of the newest alert it sent
  alerts_total {{INT}} NOT NULL DEFAULT 0,
  stats_at {{INT}},                  -- timestamp of the newest stats event
  uptime {{INT}},
  kernel_packets {{INT}},
  kernel_drops {{INT}},
  spool_batches {{INT}},
  spool_bytes {{INT}},
  spool_dropped {{INT}},
  feed_version {{INT}}
) {{STRICT}};
CREATE INDEX gsoc_sensors_org ON gsoc_sensors(org);

-- The indicator set's version: every change takes the next number, and each version
-- records when and by whom, so that a feed client asking "since N" gets what changed.
CREATE TABLE gsoc_feed_versions (
  version {{INT}} PRIMARY KEY,
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  added {{INT}} NOT NULL,
  updated {{INT}} NOT NULL,
  removed {{INT}} NOT NULL
) {{STRICT}};
INSERT INTO gsoc_feed_versions (version, at, actor, added, updated, removed) VALUES (0, 0, 'system', 0, 0, 0);

CREATE TABLE gsoc_indicators (
  id {{ID}},
  type TEXT NOT NULL,
  value TEXT NOT NULL,               -- canonical form (src/modules/gsoc_ioc.h)
  severity {{INT}} NOT NULL,         -- 1 high .. 4 info
  tlp TEXT NOT NULL,                 -- TLP:CLEAR .. TLP:RED
  recipients TEXT NOT NULL DEFAULT '', -- TLP:RED: the organisations named, space-separated
  source TEXT NOT NULL DEFAULT '',
  confidence {{INT}},
  expires_at {{INT}},
  stix_id TEXT NOT NULL UNIQUE,      -- indicator--<uuid> used on export
  external_id TEXT,                  -- id of the STIX object it was imported from
  owner_org TEXT NOT NULL REFERENCES orgs(code),
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  version {{INT}} NOT NULL,          -- the set's version at its last change
  removed {{INT}} NOT NULL DEFAULT 0,
  UNIQUE (type, value)
) {{STRICT}};
CREATE INDEX gsoc_indicators_version ON gsoc_indicators(version);
CREATE INDEX gsoc_indicators_expires ON gsoc_indicators(expires_at);

-- Detections: alerts rolled up per (organisation, indicator, JST day).
CREATE TABLE gsoc_detections (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  indicator_type TEXT NOT NULL,
  indicator_value TEXT NOT NULL,
  day {{INT}} NOT NULL,
  indicator_id {{INT}},              -- the central indicator, when the value is one
  tlp TEXT NOT NULL,
  severity {{INT}} NOT NULL,
  first_seen {{INT}} NOT NULL,
  last_seen {{INT}} NOT NULL,
  alerts {{INT}} NOT NULL,
  state TEXT NOT NULL,
  resolution TEXT,
  report_id {{INT}},
  created_at {{INT}} NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (org, indicator_type, indicator_value, day)
) {{STRICT}};
CREATE INDEX gsoc_detections_indicator ON gsoc_detections(indicator_type, indicator_value, first_seen);
CREATE INDEX gsoc_detections_org_day ON gsoc_detections(org, day);
CREATE INDEX gsoc_detections_day ON gsoc_detections(day);

-- Alerts, idempotent on (sensor, seq). The hot path of ingestion: no foreign keys here,
-- both parents are written by the same code in the same transaction.
CREATE TABLE gsoc_alerts (
  sensor_id {{INT}} NOT NULL,
  seq {{INT}} NOT NULL,
  detection_id {{INT}} NOT NULL,
  at {{INT}} NOT NULL,
  received_at {{INT}} NOT NULL,
  matched_value TEXT NOT NULL,
  src_ip TEXT,
  src_port {{INT}},
  dest_ip TEXT,
  dest_port {{INT}},
  proto TEXT,
  app_proto TEXT,
  flow_id {{INT}},
  event TEXT NOT NULL,               -- the EVE event as received (compact JSON)
  PRIMARY KEY (sensor_id, seq)
) {{STRICT}};
CREATE INDEX gsoc_alerts_detection ON gsoc_alerts(detection_id, at);
