-- 006_audit: audits (spec 50; AuditPolicy 1-5, Act 30): the annual policy, engagements per
-- body and year, findings with their published revisions, reports back from the bodies,
-- good practices, criteria catalogues and the published annual summaries. Workflow states
-- and their history live in wf_timeline (002); delegations to IPA in access_grants (001).

-- One policy per fiscal year (AuditPolicy 5(1)); themes as JSON [{"code","title","rationale"}].
CREATE TABLE audit_policies (
  id {{ID}},
  fiscal_year {{INT}} NOT NULL UNIQUE,
  approach TEXT NOT NULL,
  themes TEXT NOT NULL,
  state TEXT NOT NULL,
  adopted_at {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};

-- An engagement: one audit of one body in one fiscal year (AuditPolicy 4, 5(2)).
-- applies/route record the regime's answer on start_date; reason is the recorded ground
-- when that answer was "conditional" (IAIs before 2016-10-21, AuditPolicy 2015 2).
CREATE TABLE audit_engagements (
  id {{ID}},
  uuid TEXT NOT NULL,
  org TEXT NOT NULL REFERENCES orgs(code),
  fiscal_year {{INT}} NOT NULL,
  type TEXT NOT NULL,
  scope TEXT NOT NULL,
  method TEXT NOT NULL,
  start_date {{INT}} NOT NULL,
  end_date {{INT}},
  experts TEXT NOT NULL,
  themes TEXT NOT NULL,
  delegate_org TEXT REFERENCES orgs(code),
  reason TEXT,
  applies TEXT NOT NULL,
  method_agreed_at {{INT}},
  method_agreed_by TEXT,
  confidentiality {{INT}} NOT NULL,
  state TEXT NOT NULL,
  published_at {{INT}},
  delivered_at {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX audit_engagements_org ON audit_engagements(org, fiscal_year);
CREATE INDEX audit_engagements_fy ON audit_engagements(fiscal_year, id);

-- Findings. The row holds the current content; revision is 0 while a draft and counts the
-- published revisions after (audit_finding_revisions keeps each one, never changed).
CREATE TABLE audit_findings (
  id {{ID}},
  uuid TEXT NOT NULL,
  engagement_id {{INT}} NOT NULL REFERENCES audit_engagements(id),
  org TEXT NOT NULL REFERENCES orgs(code),
  fiscal_year {{INT}} NOT NULL,
  seq {{INT}} NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  important {{INT}} NOT NULL,
  requirement TEXT,
  theme TEXT,
  evidence TEXT NOT NULL,
  proposal TEXT,
  revision {{INT}} NOT NULL,
  state TEXT NOT NULL,
  closed_at {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (engagement_id, seq)
) {{STRICT}};
CREATE INDEX audit_findings_org ON audit_findings(org, fiscal_year);

CREATE TABLE audit_finding_revisions (
  finding_id {{INT}} NOT NULL REFERENCES audit_findings(id),
  revision {{INT}} NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  important {{INT}} NOT NULL,
  requirement TEXT,
  theme TEXT,
  evidence TEXT NOT NULL,
  proposal TEXT,
  reason TEXT,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (finding_id, revision)
) {{STRICT}};

-- Improvement results and plans reported back per finding (AuditPolicy 5(3)); an IAI's or
-- designated corporation's report waits at its supervising ministry (state at_ministry)
-- until the ministry forwards it.
CREATE TABLE audit_reports (
  id {{ID}},
  finding_id {{INT}} NOT NULL REFERENCES audit_findings(id),
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  due_date {{INT}},
  by_org TEXT NOT NULL,
  by_login TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  state TEXT NOT NULL,
  via_org TEXT,
  forwarded_at {{INT}},
  forwarded_by TEXT
) {{STRICT}};
CREATE INDEX audit_reports_finding ON audit_reports(finding_id, id);

-- Good practices found on an engagement, publishable to all bodies (AuditPolicy 3(1)),
-- anonymised when the body asks; the published text is kept as it was published.
CREATE TABLE audit_good_practices (
  id {{ID}},
  engagement_id {{INT}} NOT NULL REFERENCES audit_engagements(id),
  org TEXT NOT NULL REFERENCES orgs(code),
  fiscal_year {{INT}} NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  anonymise {{INT}} NOT NULL,
  state TEXT NOT NULL,
  published_title TEXT,
  published_description TEXT,
  published_at {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX audit_good_practices_fy ON audit_good_practices(fiscal_year, state);

-- The annual summary as published to HQ (AuditPolicy 5(4)): aggregates only, after the
-- redaction rule ran over it.
CREATE TABLE audit_summaries (
  fiscal_year {{INT}} PRIMARY KEY,
  body TEXT NOT NULL,
  redacted {{INT}} NOT NULL,
  published_at {{INT}} NOT NULL,
  published_by TEXT NOT NULL
) {{STRICT}};

-- Criteria catalogues (the framework of a management audit, AuditPolicy 4(1)), imported
-- from CSV or an OSCAL catalog.
CREATE TABLE audit_catalogues (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  version TEXT,
  format TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL
) {{STRICT}};

CREATE TABLE audit_requirements (
  catalogue_id {{INT}} NOT NULL REFERENCES audit_catalogues(id),
  req_id TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  grp TEXT,
  sort {{INT}} NOT NULL,
  PRIMARY KEY (catalogue_id, req_id)
) {{STRICT}};
