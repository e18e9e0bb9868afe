-- 001_core: registry, users and sessions, the visibility grants, notices and the
-- tamper-evident log. Module tables come in later migrations.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) {{STRICT}};

-- Registry (spec 10). Statuses are dated intervals [from_date, until_date) of day numbers;
-- NULL until_date means still in force. Nothing here is ever rewritten: a revocation sets
-- until_date on the interval it ends.
CREATE TABLE orgs (
  code TEXT PRIMARY KEY,
  name_ja TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  sector TEXT,
  source TEXT,
  created_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX orgs_kind ON orgs(kind);

CREATE TABLE org_supervisors (
  org TEXT NOT NULL REFERENCES orgs(code),
  ministry TEXT NOT NULL REFERENCES orgs(code),
  rank {{INT}} NOT NULL,
  PRIMARY KEY (org, ministry)
) {{STRICT}};
CREATE INDEX org_supervisors_ministry ON org_supervisors(ministry);

CREATE TABLE org_former_names (
  org TEXT NOT NULL REFERENCES orgs(code),
  name_ja TEXT NOT NULL,
  until_date {{INT}},
  PRIMARY KEY (org, name_ja)
) {{STRICT}};

CREATE TABLE org_designations (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  from_date {{INT}} NOT NULL,
  until_date {{INT}},
  decision TEXT NOT NULL,
  criterion1 TEXT NOT NULL DEFAULT '',
  criterion2 TEXT NOT NULL DEFAULT '',
  criterion3 TEXT NOT NULL DEFAULT '',
  criterion4 TEXT NOT NULL DEFAULT '',
  grp TEXT,
  created_at {{INT}} NOT NULL,
  created_by TEXT
) {{STRICT}};
CREATE INDEX org_designations_org ON org_designations(org);

CREATE TABLE org_listings (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  from_date {{INT}} NOT NULL,
  until_date {{INT}},
  decision TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT
) {{STRICT}};
CREATE INDEX org_listings_org ON org_listings(org);

-- Users, roles, sessions (spec 70).
CREATE TABLE users (
  id {{ID}},
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  org TEXT NOT NULL REFERENCES orgs(code),
  password_hash TEXT NOT NULL,
  disabled {{INT}} NOT NULL DEFAULT 0,
  failed_logins {{INT}} NOT NULL DEFAULT 0,
  locked_until {{INT}} NOT NULL DEFAULT 0,
  created_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX users_org ON users(org);

CREATE TABLE user_roles (
  user_id {{INT}} NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  acting {{INT}} NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, role)
) {{STRICT}};

-- Sessions and API tokens: only the SHA-256 of the secret is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id {{INT}} NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  expires_at {{INT}} NOT NULL,
  revoked {{INT}} NOT NULL DEFAULT 0
) {{STRICT}};
CREATE INDEX sessions_user ON sessions(user_id);

-- Login throttling lives in the store so that several server instances agree.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  window_start {{INT}} NOT NULL,
  failures {{INT}} NOT NULL
) {{STRICT}};

-- Explicit grants read by the visibility layer: a delegation of a case or an engagement
-- to IPA, an assignment to a dispatch, a consent. Open while until_at is NULL.
CREATE TABLE access_grants (
  id {{ID}},
  record_kind TEXT NOT NULL,
  record_id {{INT}} NOT NULL,
  grantee_org TEXT NOT NULL REFERENCES orgs(code),
  grantee_user {{INT}} REFERENCES users(id),
  reason TEXT NOT NULL,
  from_at {{INT}} NOT NULL,
  until_at {{INT}}
) {{STRICT}};
CREATE INDEX access_grants_record ON access_grants(record_kind, record_id);
CREATE INDEX access_grants_org ON access_grants(grantee_org);

-- Notices to an organisation (and optionally a role there), each with its basis.
CREATE TABLE notifications (
  id {{ID}},
  to_org TEXT NOT NULL REFERENCES orgs(code),
  to_role TEXT,
  subject TEXT NOT NULL,
  record_kind TEXT,
  record_id {{INT}},
  basis TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  read_at {{INT}}
) {{STRICT}};
CREATE INDEX notifications_to ON notifications(to_org, created_at);
CREATE INDEX notifications_record ON notifications(record_kind, record_id);

-- Tamper-evident log: each entry holds the SHA-256 of the previous one. The application
-- only ever inserts here; audit_log_head serialises appends across server instances.
CREATE TABLE audit_log (
  seq {{INT}} PRIMARY KEY,
  at {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  action TEXT NOT NULL,
  record_kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) {{STRICT}};

CREATE TABLE audit_log_head (
  id {{INT}} PRIMARY KEY,
  seq {{INT}} NOT NULL,
  hash TEXT NOT NULL
) {{STRICT}};
INSERT INTO audit_log_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
