-- 005_cymat: CYMAT (spec 40, CymatRules): the roster with its history, support requests,
-- dispatches with the consents of Rule 11, members assigned, the activity log, damage
-- reports (13), the CISO's opinion before termination (14), information-use consents (15)
-- and the peacetime trainings and exercises (12(2)). Nothing here is deleted: an ended
-- roster row, assignment or consent keeps its row with the time it ended.

-- The roster (5-9). role: manager | field_lead | member | candidate | trainee. A row may
-- be linked to the user account of the person, which is how assignments and training
-- participation give that user access (src/modules/cymat.c, grants).
CREATE TABLE cymat_roster (
  id {{ID}},
  org TEXT NOT NULL REFERENCES orgs(code),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  user_id {{INT}} REFERENCES users(id),
  state TEXT NOT NULL,
  from_at {{INT}} NOT NULL,
  until_at {{INT}},
  replaces {{INT}},
  created_by TEXT NOT NULL,
  ended_by TEXT,
  end_reason TEXT,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_roster_org ON cymat_roster(org, role, state);
CREATE INDEX cymat_roster_user ON cymat_roster(user_id);

-- Requests for support (10). paragraph: 1, 2 or 3 of Rule 10; channel: ciso | emergency (10(4)).
CREATE TABLE cymat_requests (
  id {{ID}},
  subject TEXT NOT NULL REFERENCES orgs(code),
  requester_org TEXT NOT NULL REFERENCES orgs(code),
  channel TEXT NOT NULL,
  paragraph {{INT}} NOT NULL,
  on_behalf_of TEXT REFERENCES orgs(code),
  related_request {{INT}},
  summary TEXT NOT NULL,
  confidentiality {{INT}} NOT NULL,
  event_at {{INT}} NOT NULL,
  state TEXT NOT NULL,
  dispatch {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_requests_subject ON cymat_requests(subject);
CREATE INDEX cymat_requests_requester ON cymat_requests(requester_org);

-- Dispatches (11). paragraph: the paragraph of Rule 11 the order rests on (1 = on a request).
CREATE TABLE cymat_dispatches (
  id {{ID}},
  subject TEXT NOT NULL REFERENCES orgs(code),
  request {{INT}} REFERENCES cymat_requests(id),
  paragraph {{INT}} NOT NULL,
  summary TEXT NOT NULL,
  confidentiality {{INT}} NOT NULL,
  state TEXT NOT NULL,
  major_emergency {{INT}} NOT NULL DEFAULT 0,
  ordered_at {{INT}},
  ordered_by TEXT,
  terminated_at {{INT}},
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_dispatches_subject ON cymat_dispatches(subject);
CREATE INDEX cymat_dispatches_state ON cymat_dispatches(state);

-- The steps of Rule 11(2)-(4) before an order without a request, each recorded once:
-- party csirt (11(2)), sound_out and observer_request (11(3)), ministry and body (11(4)).
CREATE TABLE cymat_dispatch_consents (
  id {{ID}},
  dispatch {{INT}} NOT NULL REFERENCES cymat_dispatches(id),
  party TEXT NOT NULL,
  org TEXT NOT NULL REFERENCES orgs(code),
  actor TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  at {{INT}} NOT NULL,
  UNIQUE (dispatch, party)
) {{STRICT}};

-- Members assigned to a dispatch (12(1)); open while until_at is NULL.
CREATE TABLE cymat_assignments (
  id {{ID}},
  dispatch {{INT}} NOT NULL REFERENCES cymat_dispatches(id),
  roster {{INT}} NOT NULL REFERENCES cymat_roster(id),
  from_at {{INT}} NOT NULL,
  until_at {{INT}},
  assigned_by TEXT NOT NULL
) {{STRICT}};
CREATE UNIQUE INDEX cymat_assignments_open ON cymat_assignments(dispatch, roster) WHERE until_at IS NULL;
CREATE INDEX cymat_assignments_roster ON cymat_assignments(roster);

-- The activity log of a dispatch (12(1) ア-ウ); each entry has its confidentiality class.
CREATE TABLE cymat_activities (
  id {{ID}},
  dispatch {{INT}} NOT NULL REFERENCES cymat_dispatches(id),
  category TEXT NOT NULL,
  content TEXT NOT NULL,
  confidentiality {{INT}} NOT NULL,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_activities_dispatch ON cymat_activities(dispatch);

-- Damage reports (13). counts_as_gsoc_report: the body agrees that NISC treats the report
-- as its report to GSOC (13(2)); gsoc_ref names the GSOC record it became, when one exists.
CREATE TABLE cymat_damage_reports (
  id {{ID}},
  dispatch {{INT}} NOT NULL REFERENCES cymat_dispatches(id),
  content TEXT NOT NULL,
  confidentiality {{INT}} NOT NULL,
  counts_as_gsoc_report {{INT}} NOT NULL,
  major_emergency {{INT}} NOT NULL DEFAULT 0,
  gsoc_ref TEXT,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_damage_reports_dispatch ON cymat_damage_reports(dispatch);

-- Opinions of the body's CISO heard before the end of support (14).
CREATE TABLE cymat_opinions (
  id {{ID}},
  dispatch {{INT}} NOT NULL REFERENCES cymat_dispatches(id),
  opinion TEXT NOT NULL,
  heard_from TEXT,
  actor TEXT NOT NULL,
  org TEXT NOT NULL,
  at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_opinions_dispatch ON cymat_opinions(dispatch);

-- Consents to other uses of a body's class-2/3 information (15). purpose: other_support
-- (15 ア) | peacetime (15 イ) | other (15 ウ, in force once the head approves it). dispatch
-- NULL: every item the body provided (consent per purpose); else that dispatch's items.
CREATE TABLE cymat_consents (
  id {{ID}},
  provider_org TEXT NOT NULL REFERENCES orgs(code),
  purpose TEXT NOT NULL,
  dispatch {{INT}} REFERENCES cymat_dispatches(id),
  note TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  created_org TEXT NOT NULL,
  approved_by TEXT,
  approved_at {{INT}},
  revoked_at {{INT}},
  updated_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX cymat_consents_provider ON cymat_consents(provider_org, state);

-- Peacetime trainings and exercises (12(2)ウ) with their participants (members, candidates
-- and trainees of the roster; 7(2): the registering body bears a trainee's costs).
CREATE TABLE cymat_trainings (
  id {{ID}},
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  held_from {{INT}} NOT NULL,
  held_until {{INT}} NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  created_by TEXT NOT NULL,
  updated_at {{INT}} NOT NULL
) {{STRICT}};

CREATE TABLE cymat_training_participants (
  training {{INT}} NOT NULL REFERENCES cymat_trainings(id),
  roster {{INT}} NOT NULL REFERENCES cymat_roster(id),
  org TEXT NOT NULL REFERENCES orgs(code),
  added_at {{INT}} NOT NULL,
  PRIMARY KEY (training, roster)
) {{STRICT}};
CREATE INDEX cymat_training_participants_roster ON cymat_training_participants(roster);
