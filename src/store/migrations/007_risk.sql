-- 007_risk: risk assessment against advanced cyber attacks (spec 60, RiskGuideline).
-- The countermeasure sets NISC issues, one assessment cycle per body and fiscal year, and
-- its worksheet: business domains, target systems, the current-state check and the
-- countermeasure introduction plan. The worksheet rows are rewritten per system by the
-- module (src/modules/risk_worksheet.c); the assessment's revision guards against two
-- requests editing the same worksheet at once.

-- A countermeasure set (対策セット, RiskGuideline 1.3; revised by NISC, 4.2(2), 4.3): each
-- version is issued once and never changed. body is the set as issued (canonical JSON).
CREATE TABLE risk_sets (
  id {{ID}},
  version TEXT NOT NULL UNIQUE,
  note TEXT,
  body TEXT NOT NULL,
  issued_at {{INT}} NOT NULL,
  issued_by TEXT NOT NULL
) {{STRICT}};

-- The set flattened: one row per countermeasure and system component it applies to, with
-- its control objective and attack scenario (checks and the aggregate join on these).
CREATE TABLE risk_set_items (
  set_id {{INT}} NOT NULL REFERENCES risk_sets(id),
  countermeasure TEXT NOT NULL,
  component TEXT NOT NULL,
  objective TEXT NOT NULL,
  scenario TEXT NOT NULL,
  countermeasure_title TEXT NOT NULL,
  objective_title TEXT NOT NULL,
  scenario_title TEXT NOT NULL,
  PRIMARY KEY (set_id, countermeasure, component)
) {{STRICT}};

-- One cycle per body per fiscal year (spec 60 Part 2). state is the workflow state; the
-- approval is bound to the content hash of the worksheet it approved.
CREATE TABLE risk_assessments (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  fiscal_year {{INT}} NOT NULL,
  set_id {{INT}} NOT NULL REFERENCES risk_sets(id),
  state TEXT NOT NULL,
  revision {{INT}} NOT NULL DEFAULT 0,
  infosec_agreed_by TEXT,
  infoprotect_agreed_by TEXT,
  roles_note TEXT,
  dashboard_hash TEXT,
  dashboard_at {{INT}},
  approval_state TEXT NOT NULL DEFAULT 'none',
  approved_hash TEXT,
  approved_at {{INT}},
  approved_by TEXT,
  instructions TEXT,
  reported_at {{INT}},
  forwarded_by TEXT,
  forwarded_at {{INT}},
  accepted_at {{INT}},
  nisc_issues TEXT,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL,
  UNIQUE (org, fiscal_year)
) {{STRICT}};
CREATE INDEX risk_assessments_fy ON risk_assessments(fiscal_year, state);

-- Business domains likely to be targeted (2.2(1)イ) with the owner's impact assessment and
-- the protected-domain mark (2.2(2)ア). categories: JSON array of codes.
CREATE TABLE risk_domains (
  assessment_id {{INT}} NOT NULL REFERENCES risk_assessments(id),
  name TEXT NOT NULL,
  reason TEXT NOT NULL,
  categories TEXT NOT NULL,
  impact TEXT,
  protected {{INT}} NOT NULL DEFAULT 0,
  PRIMARY KEY (assessment_id, name)
) {{STRICT}};

-- Target systems (2.2(2)イ): criterion 1 or 2, components (JSON array), the system it is
-- built on, the air-gapped counterpart (criterion 2), residual risk once checked;
-- plan_drafted is 1 once a plan (possibly empty) was drafted.
CREATE TABLE risk_systems (
  assessment_id {{INT}} NOT NULL REFERENCES risk_assessments(id),
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  criterion {{INT}} NOT NULL,
  components TEXT NOT NULL,
  built_on TEXT,
  air_gapped_counterpart TEXT,
  pulled_in_by TEXT,
  residual_risk TEXT,
  plan_drafted {{INT}} NOT NULL DEFAULT 0,
  plan_review TEXT,
  PRIMARY KEY (assessment_id, name)
) {{STRICT}};

-- The current-state check: one row per countermeasure and component of a system.
CREATE TABLE risk_checks (
  assessment_id {{INT}} NOT NULL REFERENCES risk_assessments(id),
  system TEXT NOT NULL,
  countermeasure TEXT NOT NULL,
  component TEXT NOT NULL,
  implemented {{INT}} NOT NULL,
  PRIMARY KEY (assessment_id, system, countermeasure, component)
) {{STRICT}};

-- The countermeasure introduction plan (2.2(3)ア): which countermeasure in which fiscal year.
CREATE TABLE risk_plan_items (
  assessment_id {{INT}} NOT NULL REFERENCES risk_assessments(id),
  system TEXT NOT NULL,
  countermeasure TEXT NOT NULL,
  fiscal_year {{INT}} NOT NULL,
  PRIMARY KEY (assessment_id, system, countermeasure)
) {{STRICT}};

-- The domain owner's review of each system's draft plan (2.2(3)イ): coordination, not
-- worksheet content; a new draft of the plan clears it.
CREATE TABLE risk_reviews (
  assessment_id {{INT}} NOT NULL REFERENCES risk_assessments(id),
  system TEXT NOT NULL,
  changes_requested {{INT}} NOT NULL,
  comment TEXT,
  reviewed_by TEXT NOT NULL,
  reviewed_at {{INT}} NOT NULL,
  PRIMARY KEY (assessment_id, system)
) {{STRICT}};
