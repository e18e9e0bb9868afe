"""test_cymat.py: CYMAT (spec 40, CymatRules) on one store: the roster and the limits of
Rule 8, requests and their channels (10), dispatches and the consents of Rule 11, members,
activities, damage reports (13), termination after the CISO's opinion (14), the
information-use gate of Rule 15 with its consents and logged refusals, trainings, the
periodic report (16), visibility (another organisation gets 404 everywhere) and malformed
input (a 4xx problem, nothing written)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402

PW = "long-enough-pass"
BASE = "/api/v1/cymat"
EVENT = "2016-11-01T10:00:00+09:00"


def cites(body):
    """(doc, article, paragraph, item) of a problem's or record's basis."""
    return {(c["doc"], str(c["article"]), c["paragraph"], c["item"]) for c in body.get("basis") or []}


class Cymat(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.srv.login("admin")
        users = [
            ("cymat.deputy", "nisc", ["nisc_deputy"], True),
            ("cymat.deputy2", "nisc", ["nisc_deputy"], False),
            ("cymat.manager", "nisc", ["cymat_manager", "nisc_staff"], False),
            ("cymat.lead", "nisc", ["cymat_field_lead", "nisc_staff"], False),
            ("cymat.m1", "nisc", ["cymat_member"], False),
            ("cymat.m2", "nisc", ["cymat_member"], False),
            ("cymat.m3", "nisc", ["cymat_member"], False),
            ("mic.ciso", "mic", ["ciso"], False),
            ("mic.csirt", "mic", ["csirt"], False),
            ("mic.staff", "mic", ["staff"], False),
            ("mic.member", "mic", ["cymat_member", "staff"], False),
            ("mof.ciso", "mof", ["ciso"], False),
            ("mod.ciso", "mod", ["ciso"], False),
            ("env.ciso", "env", ["ciso"], False),
            ("shugiin.ciso", "shugiin", ["ciso"], False),
            ("shugiin.csirt", "shugiin", ["csirt"], False),
            ("mhlw.sys", "mhlw", ["system_owner"], False),
        ]
        for login, org, roles, acting in users:
            body = {"login": login, "password": PW, "name": login, "org": org, "roles": roles}
            if acting:
                body["acting"] = True
            st, _, b = cls.admin.post("/api/v1/users", body)
            assert st == 201, (login, st, b)
        login = lambda name: cls.srv.login(name, PW)  # noqa: E731
        cls.director = cls.srv.login("nisc.director")
        cls.staff = cls.srv.login("nisc.staff")
        cls.deputy = login("cymat.deputy")
        cls.deputy2 = login("cymat.deputy2")
        cls.manager = login("cymat.manager")
        cls.lead = login("cymat.lead")
        cls.m1, cls.m2, cls.m3 = login("cymat.m1"), login("cymat.m2"), login("cymat.m3")
        cls.mic_ciso, cls.mic_csirt = login("mic.ciso"), login("mic.csirt")
        cls.mic_staff, cls.mic_member = login("mic.staff"), login("mic.member")
        cls.mof_ciso, cls.mod_ciso, cls.env_ciso = login("mof.ciso"), login("mod.ciso"), login("env.ciso")
        cls.shugiin_ciso, cls.shugiin_csirt = login("shugiin.ciso"), login("shugiin.csirt")
        cls.mhlw_sys = login("mhlw.sys")
        cls.mhlw_ciso = cls.srv.login("mhlw.ciso")
        cls.mhlw_csirt = cls.srv.login("mhlw.csirt")
        cls.jps_ciso = cls.srv.login("jps.ciso")
        cls.jps_csirt = cls.srv.login("jps.csirt")
        cls.nict = cls.srv.login("nict.staff")
        # the team: members linked to their accounts
        cls.roster_ids = {}
        for name in ("cymat.m1", "cymat.m2", "cymat.m3"):
            st, _, b = cls.director.post(BASE + "/roster", {"org": "nisc", "name": name, "role": "member", "user": name})
            assert st == 201, b
            cls.roster_ids[name] = b["id"]
        st, _, b = cls.director.post(BASE + "/roster", {"org": "mic", "name": "総務 要員", "role": "member",
                                                       "user": "mic.member"})
        assert st == 201, b
        cls.roster_ids["mic.member"] = b["id"]

    # --- helpers
    def count(self, table, where="1 = 1"):
        return int(self.srv.sql(f"SELECT count(*) FROM {table} WHERE {where}") or 0)

    def refusals(self):
        return self.count("audit_log", "action = 'cymat_access_refused'")

    def ok(self, result, status=200):
        st, _, body = result
        self.assertEqual(st, status, body)
        return body

    def refused(self, result, status, doc_article_par=None):
        body = self.assertProblem(result, status)
        if doc_article_par:
            doc, art, par = doc_article_par
            self.assertIn(doc, [c["doc"] for c in body.get("basis", [])], body)
            self.assertTrue(any(c["doc"] == doc and str(c["article"]) == art and (par is None or c["paragraph"] == par)
                                for c in body["basis"]), body)
            for c in body["basis"]:
                self.assertTrue(c["text_ja"])
        return body

    def act(self, client, kind, rid, action, body=None):
        return client.post(f"{BASE}/{kind}/{rid}/actions/{action}", body if body is not None else {})

    def new_dispatch(self, subject, summary="事象の概要", confidentiality=2):
        return self.ok(self.director.post(BASE + "/dispatches", {"subject": subject, "summary": summary,
                                                                "confidentiality": confidentiality}), 201)

    def ordered_dispatch(self, subject="mhlw", confidentiality=2, summary="要請に基づく出動"):
        """A dispatch ordered on a request of the body's CISO (11(1))."""
        ciso = {"mhlw": self.mhlw_ciso, "mic": self.mic_ciso, "mof": self.mof_ciso, "mod": self.mod_ciso}[subject]
        req = self.ok(ciso.post(BASE + "/requests", {"subject": subject, "channel": "ciso", "summary": summary,
                                                      "event_at": EVENT, "confidentiality": confidentiality}), 201)
        req = self.ok(self.act(self.director, "requests", req["id"], "dispatch"))
        return self.ok(self.director.get(f"{BASE}/dispatches/{req['dispatch']}"))

    # --- roster (5-9)
    def test_roster_seventh_candidate_refused(self):
        for i in range(6):
            self.ok(self.mof_ciso.post(BASE + "/roster", {"org": "mof", "name": f"候補者{i}", "role": "candidate"}), 201)
        before = self.count("cymat_roster", "org = 'mof'")
        body = self.refused(self.mof_ciso.post(BASE + "/roster", {"org": "mof", "name": "7人目", "role": "candidate"}),
                            409, ("CymatRules", "8", 1))
        self.assertIn("6", body["detail"])
        self.assertEqual(self.count("cymat_roster", "org = 'mof'"), before)
        view = self.ok(self.director.get(BASE + "/roster?org=mof"))
        self.assertEqual(view["counts"]["candidate"], 6)
        self.assertEqual(view["limits"]["candidates_max"], 6)
        # a replacement at the limit is allowed (Rule 9): the old row ends, history kept
        old = view["items"][0]["id"]
        new = self.ok(self.mof_ciso.post(BASE + "/roster", {"org": "mof", "name": "後任", "role": "candidate",
                                                            "replaces": old}), 201)
        self.assertEqual(new["replaces"], old)
        hist = self.ok(self.director.get(BASE + "/roster?org=mof&history=true"))
        ended = [r for r in hist["items"] if r["id"] == old][0]
        self.assertEqual(ended["state"], "ended")
        self.assertIsNotNone(ended["until"])
        current = self.ok(self.director.get(BASE + "/roster?org=mof"))
        self.assertNotIn(old, [r["id"] for r in current["items"]])
        self.assertEqual(current["counts"]["candidate"], 6)

    def test_roster_fifth_trainee_refused(self):
        for i in range(4):
            self.ok(self.director.post(BASE + "/roster", {"org": "moj", "name": f"研修員{i}", "role": "trainee"}), 201)
        self.refused(self.director.post(BASE + "/roster", {"org": "moj", "name": "5人目", "role": "trainee"}),
                     409, ("CymatRules", "8", 2))
        self.assertEqual(self.count("cymat_roster", "org = 'moj' AND role = 'trainee'"), 4)
        # candidates + trainees at most 6
        self.ok(self.director.post(BASE + "/roster", {"org": "moj", "name": "候補者1", "role": "candidate"}), 201)
        self.ok(self.director.post(BASE + "/roster", {"org": "moj", "name": "候補者2", "role": "candidate"}), 201)
        self.refused(self.director.post(BASE + "/roster", {"org": "moj", "name": "候補者3", "role": "candidate"}),
                     409, ("CymatRules", "8", 2))

    def test_roster_observer_trainees_and_no_candidates(self):
        for i in range(4):
            self.ok(self.shugiin_ciso.post(BASE + "/roster", {"org": "shugiin", "name": f"研修員{i}", "role": "trainee"}),
                    201)
        self.refused(self.shugiin_ciso.post(BASE + "/roster", {"org": "shugiin", "name": "5", "role": "trainee"}),
                     409, ("CymatRules", "8", 3))
        self.refused(self.shugiin_ciso.post(BASE + "/roster", {"org": "shugiin", "name": "c", "role": "candidate"}),
                     409, ("CymatRules", "8", 1))
        # an IAI neither nominates nor registers
        self.refused(self.director.post(BASE + "/roster", {"org": "nict", "name": "x", "role": "candidate"}),
                     409, ("CymatRules", "8", 1))
        self.refused(self.director.post(BASE + "/roster", {"org": "nict", "name": "x", "role": "trainee"}),
                     409, ("CymatRules", "7", 1))
        # the manager and field leaders are NISC's; one manager
        self.refused(self.director.post(BASE + "/roster", {"org": "mic", "name": "x", "role": "manager"}),
                     409, ("CymatRules", "6", 1))
        self.refused(self.director.post(BASE + "/roster", {"org": "mic", "name": "x", "role": "field_lead"}),
                     409, ("CymatRules", "6", 2))

    def test_roster_warnings_where_a_ministry_has_none(self):
        view = self.ok(self.director.get(BASE + "/roster?org=npa"))
        codes = {w["code"] for w in view["warnings"]}
        self.assertEqual(codes, {"no_candidate", "no_candidate_or_trainee"})
        self.assertIn(("CymatRules", "8", 1, None), cites(view["warnings"][0]))
        self.ok(self.director.post(BASE + "/roster", {"org": "npa", "name": "研修員", "role": "trainee"}), 201)
        view = self.ok(self.director.get(BASE + "/roster?org=npa"))
        self.assertEqual({w["code"] for w in view["warnings"]}, {"no_candidate"})
        everything = self.ok(self.director.get(BASE + "/roster"))
        by_org = {o["org"]: o for o in everything["orgs"]}
        self.assertIn("nra", by_org)  # a ministry with nobody registered shows its warning
        self.assertIn("no_candidate_or_trainee", {w["code"] for w in by_org["nra"]["warnings"]})
        self.assertEqual(everything["team"]["planned"], 40)

    def test_roster_permissions_and_manager(self):
        self.refused(self.deputy2.post(BASE + "/roster", {"org": "nisc", "name": "x", "role": "member"}), 403,
                     ("CymatRules", "4", 2))
        self.refused(self.mhlw_csirt.post(BASE + "/roster", {"org": "mhlw", "name": "x", "role": "candidate"}), 403)
        self.assertProblem(self.mhlw_ciso.post(BASE + "/roster", {"org": "mof", "name": "x", "role": "candidate"}), 404)
        self.ok(self.deputy.post(BASE + "/roster", {"org": "nisc", "name": "管理責任者", "role": "manager",
                                                    "user": "cymat.manager"}), 201)
        self.refused(self.director.post(BASE + "/roster", {"org": "nisc", "name": "二人目", "role": "manager"}),
                     409, ("CymatRules", "6", 1))
        # a user is on the roster once
        self.assertProblem(self.director.post(BASE + "/roster", {"org": "nisc", "name": "again", "role": "field_lead",
                                                                 "user": "cymat.manager"}), 409)
        # ending keeps the row; ending twice is a state conflict
        row = self.ok(self.mhlw_ciso.post(BASE + "/roster", {"org": "mhlw", "name": "候補", "role": "candidate"}), 201)
        ended = self.ok(self.act(self.mhlw_ciso, "roster", row["id"], "end", {"reason": "異動"}))
        self.assertEqual(ended["state"], "ended")
        self.assertEqual(ended["end_reason"], "異動")
        self.assertProblem(self.act(self.mhlw_ciso, "roster", row["id"], "end"), 409)

    # --- requests (10)
    def test_request_ciso_and_emergency_channels(self):
        body = self.ok(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mhlw", "channel": "ciso", "summary": "不審な通信",
                                                                 "event_at": EVENT}), 201)
        self.assertEqual(body["state"], "requested")
        self.assertEqual(body["paragraph"], 1)
        self.assertEqual(body["channel"], "ciso")
        self.assertIn(("CymatRules", "10", 1, None), cites(body))
        self.assertIn(("CymatRules", "10", 4, None), cites(body))
        self.refused(self.mhlw_csirt.post(BASE + "/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x",
                                                                "event_at": EVENT}), 409, ("CymatRules", "10", 4))
        self.refused(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mhlw", "channel": "emergency", "summary": "x",
                                                               "event_at": EVENT}), 409, ("CymatRules", "10", 4))
        em = self.ok(self.mhlw_csirt.post(BASE + "/requests", {"subject": "mhlw", "channel": "emergency",
                                                               "summary": "緊急", "event_at": EVENT}), 201)
        self.assertEqual(em["channel"], "emergency")
        # without a CSIRT, the department of the system; or a CYMAT member of the body
        self.ok(self.mhlw_sys.post(BASE + "/requests", {"subject": "mhlw", "channel": "emergency", "summary": "x",
                                                        "event_at": EVENT}), 201)
        self.ok(self.mic_member.post(BASE + "/requests", {"subject": "mic", "channel": "emergency", "summary": "x",
                                                          "event_at": EVENT}), 201)
        # the emergency channel reaches the manager and field leaders
        st, _, seen = self.lead.get(f"{BASE}/requests/{em['id']}")
        self.assertEqual(st, 200, seen)

    def test_request_for_supervised_body_and_stakeholder(self):
        self.refused(self.mhlw_ciso.post(BASE + "/requests", {"subject": "jps", "channel": "ciso", "summary": "x",
                                                               "event_at": EVENT}), 409, ("CymatRules", "10", 2))
        body = self.ok(self.mhlw_ciso.post(BASE + "/requests", {"subject": "jps", "channel": "ciso", "summary": "年金",
                                                                 "event_at": EVENT, "on_behalf_of": "jps"}), 201)
        self.assertEqual(body["paragraph"], 2)
        self.assertEqual(body["requester_org"], "mhlw")
        self.refused(self.mic_ciso.post(BASE + "/requests", {"subject": "jps", "channel": "ciso", "summary": "x",
                                                              "event_at": EVENT, "on_behalf_of": "jps"}),
                     409, ("CymatRules", "10", 2))
        self.refused(self.jps_ciso.post(BASE + "/requests", {"subject": "jps", "channel": "ciso", "summary": "x",
                                                              "event_at": EVENT}), 409, ("CymatRules", "10", 1))
        self.refused(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mic", "channel": "ciso", "summary": "x",
                                                               "event_at": EVENT}), 409, ("CymatRules", "10", 1))
        # 10(3): a direct stakeholder, by a body that itself requested support
        self.refused(self.env_ciso.post(BASE + "/requests", {"subject": "nhk", "channel": "ciso", "summary": "x",
                                                              "event_at": EVENT, "on_behalf_of": "nhk"}),
                     409, ("CymatRules", "10", 3))
        st = self.ok(self.mhlw_ciso.post(BASE + "/requests", {"subject": "nhk", "channel": "ciso", "summary": "関係者",
                                                               "event_at": EVENT, "on_behalf_of": "nhk",
                                                               "related_request": body["id"]}), 201)
        self.assertEqual(st["paragraph"], 3)
        self.assertIn(("CymatRules", "10", 3, None), cites(st))
        self.assertProblem(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x",
                                                                     "event_at": EVENT, "on_behalf_of": "jps"}), 422)
        # the head's bodies are not supported
        self.refused(self.mhlw_ciso.post(BASE + "/requests", {"subject": "hq", "channel": "ciso", "summary": "x",
                                                               "event_at": EVENT, "on_behalf_of": "hq"}),
                     409, ("CymatRules", "2", None))

    def test_request_dispatch_and_decline(self):
        req = self.ok(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x",
                                                                "event_at": EVENT}), 201)
        self.assertIn("dispatch", self.ok(self.director.get(f"{BASE}/requests/{req['id']}"))["allowed_actions"])
        self.refused(self.act(self.deputy2, "requests", req["id"], "dispatch"), 403, ("CymatRules", "4", 2))
        self.assertProblem(self.act(self.mhlw_ciso, "requests", req["id"], "dispatch"), 403)
        self.assertProblem(self.act(self.manager, "requests", req["id"], "dispatch"), 403)
        done = self.ok(self.act(self.deputy, "requests", req["id"], "dispatch"))
        self.assertEqual(done["state"], "dispatched")
        disp = self.ok(self.director.get(f"{BASE}/dispatches/{done['dispatch']}"))
        self.assertEqual(disp["state"], "ordered")
        self.assertEqual(disp["paragraph"], 1)
        self.assertEqual(disp["request"], req["id"])
        self.assertIn(("CymatRules", "11", 1, None), cites(disp))
        self.assertProblem(self.act(self.director, "requests", req["id"], "dispatch"), 409)
        other = self.ok(self.mhlw_ciso.post(BASE + "/requests", {"subject": "mhlw", "channel": "ciso", "summary": "y",
                                                                  "event_at": EVENT}), 201)
        self.assertProblem(self.act(self.director, "requests", other["id"], "decline"), 422)
        declined = self.ok(self.act(self.director, "requests", other["id"], "decline", {"reason": "支援対象事象に当たらない"}))
        self.assertEqual(declined["state"], "declined")
        self.assertEqual(declined["timeline"][-1]["action"], "decline")

    # --- dispatch without a request (11(2)-(4))
    def test_dispatch_ministry_needs_csirt_consent(self):
        d = self.new_dispatch("mic")
        self.assertEqual(d["state"], "awaiting_consent")
        self.assertEqual(d["consents"]["required"], ["csirt"])
        self.refused(self.act(self.director, "dispatches", d["id"], "order"), 409, ("CymatRules", "11", 2))
        self.assertProblem(self.act(self.mic_ciso, "dispatches", d["id"], "consent"), 403)
        self.ok(self.act(self.mic_csirt, "dispatches", d["id"], "consent", {"note": "合意"}))
        self.assertProblem(self.act(self.mic_csirt, "dispatches", d["id"], "consent"), 409)
        done = self.ok(self.act(self.director, "dispatches", d["id"], "order"))
        self.assertEqual(done["state"], "ordered")
        self.assertEqual(done["consents"]["missing"], [])
        rec = done["consents"]["recorded"][0]
        self.assertEqual((rec["party"], rec["org"], rec["actor"]), ("csirt", "mic", "mic.csirt"))
        self.assertTrue(rec["at"])

    def test_dispatch_iai_needs_ministry_and_body_consent(self):
        d = self.new_dispatch("nict")
        self.assertEqual(d["paragraph"], 4)
        self.assertEqual(d["consents"]["required"], ["ministry", "body"])
        self.refused(self.act(self.director, "dispatches", d["id"], "order"), 409, ("CymatRules", "11", 4))
        self.assertProblem(self.act(self.mic_csirt, "dispatches", d["id"], "consent"), 422)  # which party?
        self.ok(self.act(self.mic_csirt, "dispatches", d["id"], "consent", {"party": "ministry"}))
        body = self.refused(self.act(self.director, "dispatches", d["id"], "order"), 409, ("CymatRules", "11", 4))
        self.assertIn("body", body["detail"])
        self.assertProblem(self.act(self.mhlw_csirt, "dispatches", d["id"], "consent", {"party": "body"}), 404)
        self.ok(self.act(self.mic_csirt, "dispatches", d["id"], "consent", {"party": "body", "note": "機構の合意を得た"}))
        done = self.ok(self.act(self.director, "dispatches", d["id"], "order"))
        self.assertEqual(done["state"], "ordered")
        self.assertEqual({c["party"] for c in done["consents"]["recorded"]}, {"ministry", "body"})

    def test_dispatch_designated_corporation_body_consents_itself(self):
        d = self.new_dispatch("jps")
        self.assertEqual(d["paragraph"], 4)
        self.ok(self.act(self.jps_csirt, "dispatches", d["id"], "consent"))
        self.refused(self.act(self.director, "dispatches", d["id"], "order"), 409, ("CymatRules", "11", 4))
        self.ok(self.act(self.mhlw_csirt, "dispatches", d["id"], "consent", {"party": "ministry"}))
        self.ok(self.act(self.director, "dispatches", d["id"], "order"))

    def test_dispatch_observer_sound_out_and_request(self):
        d = self.new_dispatch("shugiin")
        self.assertEqual(d["paragraph"], 3)
        self.refused(self.act(self.shugiin_csirt, "dispatches", d["id"], "consent"), 409, ("CymatRules", "11", 3))
        self.refused(self.act(self.shugiin_ciso, "dispatches", d["id"], "request"), 409, ("CymatRules", "11", 3))
        self.refused(self.act(self.director, "dispatches", d["id"], "order"), 409, ("CymatRules", "11", 3))
        self.ok(self.act(self.director, "dispatches", d["id"], "sound_out", {"note": "打診"}))
        self.assertIn("request", self.ok(self.shugiin_ciso.get(f"{BASE}/dispatches/{d['id']}"))["allowed_actions"])
        self.ok(self.act(self.shugiin_ciso, "dispatches", d["id"], "request"))
        self.assertEqual(self.ok(self.act(self.director, "dispatches", d["id"], "order"))["state"], "ordered")

    def test_dispatch_refused_for_bodies_rule_11_does_not_cover(self):
        self.refused(self.director.post(BASE + "/dispatches", {"subject": "nhk", "summary": "x"}), 409,
                     ("CymatRules", "11", 1))
        self.refused(self.director.post(BASE + "/dispatches", {"subject": "hq", "summary": "x"}), 409,
                     ("CymatRules", "2", None))
        self.refused(self.staff.post(BASE + "/dispatches", {"subject": "mic", "summary": "x"}), 403)
        self.refused(self.deputy2.post(BASE + "/dispatches", {"subject": "mic", "summary": "x"}), 403,
                     ("CymatRules", "4", 2))
        d = self.ok(self.deputy.post(BASE + "/dispatches", {"subject": "mof", "summary": "x"}), 201)
        self.ok(self.act(self.director, "dispatches", d["id"], "cancel"))
        self.assertProblem(self.act(self.director, "dispatches", d["id"], "order"), 409)

    # --- members, activities, damage reports, end (12-14)
    def test_assign_log_report_and_terminate_after_opinion(self):
        d = self.ordered_dispatch("mod", summary="防衛省の事象")
        m3 = self.roster_ids["cymat.m3"]
        cand = self.ok(self.mod_ciso.post(BASE + "/roster", {"org": "mod", "name": "候補", "role": "candidate"}), 201)
        self.assertProblem(self.act(self.manager, "dispatches", d["id"], "assign", {"members": [cand["id"]]}), 422)
        self.assertProblem(self.act(self.m3, "dispatches", d["id"], "log_activity", {"text": "x"}), 404)
        self.assertProblem(self.act(self.mod_ciso, "dispatches", d["id"], "assign", {"members": [m3]}), 403)
        d = self.ok(self.act(self.manager, "dispatches", d["id"], "assign", {"members": [m3]}))
        self.assertEqual([m["roster"] for m in d["members"]], [m3])
        self.assertIn("log_activity", self.ok(self.m3.get(f"{BASE}/dispatches/{d['id']}"))["allowed_actions"])
        d = self.ok(self.act(self.m3, "dispatches", d["id"], "log_activity", {"text": "ログ解析", "category": "grasp"}))
        self.assertEqual(d["activities"][0]["category"], "grasp")
        self.assertProblem(self.act(self.m1, "dispatches", d["id"], "log_activity", {"text": "x"}), 404)
        d = self.ok(self.act(self.mod_ciso, "dispatches", d["id"], "damage_report",
                             {"text": "端末2台に感染", "confidentiality": 2, "counts_as_gsoc_report": True,
                              "major_emergency": True}))
        rep = d["damage_reports"][0]
        self.assertTrue(rep["counts_as_gsoc_report"])
        self.assertTrue(d["major_emergency"])
        # 13(2): filed once as the body's report when the incidents module is built
        st, _, spec = self.srv.request("GET", "/api/v1/openapi.json")
        if "/api/v1/reports/{id}" in spec["paths"]:
            self.assertTrue((rep["gsoc_ref"] or "").startswith("report/"), rep)
            rid = rep["gsoc_ref"].split("/")[1]
            filed = self.ok(self.mod_ciso.get(f"/api/v1/reports/{rid}"))
            self.assertEqual(filed["subject"], "mod")
            self.assertNotEqual(filed["state"], "draft")
            self.assertProblem(self.nict.get(f"/api/v1/reports/{rid}"), 404)
        else:
            self.assertIsNone(rep["gsoc_ref"])
        last = d["timeline"][-1]
        self.assertEqual(last["action"], "damage_report")
        self.assertIn(("CymatRules", "13", 2, None), cites(last))
        self.assertIn(("CymatRules", "13", 3, None), cites(last))
        self.assertNotIn("端末", str(last))  # the timeline carries no content
        # termination waits for the CISO's opinion (14)
        self.refused(self.act(self.director, "dispatches", d["id"], "terminate"), 409, ("CymatRules", "14", None))
        self.assertProblem(self.act(self.mod_ciso, "dispatches", d["id"], "terminate"), 403)
        self.assertProblem(self.act(self.director, "dispatches", d["id"], "ciso_opinion", {"opinion": "x"}), 422)
        self.ok(self.act(self.mod_ciso, "dispatches", d["id"], "ciso_opinion", {"opinion": "復旧を確認、終了に異存なし"}))
        d = self.ok(self.act(self.director, "dispatches", d["id"], "terminate"))
        self.assertEqual(d["state"], "terminated")
        self.assertTrue(all(m["until"] for m in d["members"]))
        self.assertProblem(self.act(self.m3, "dispatches", d["id"], "log_activity", {"text": "x"}), 404)

    def test_damage_report_malformed_writes_nothing(self):
        d = self.ordered_dispatch("mhlw")
        before = (self.count("cymat_damage_reports"), self.count("wf_timeline"), self.count("audit_log"))
        path = f"{BASE}/dispatches/{d['id']}/actions/damage_report"
        for bad in ({"text": "x", "confidentiality": 4, "counts_as_gsoc_report": False},
                    {"text": "x", "confidentiality": 2},
                    {"text": "", "confidentiality": 2, "counts_as_gsoc_report": False},
                    {"text": "x", "confidentiality": "2", "counts_as_gsoc_report": False},
                    {"text": "x", "confidentiality": 2, "counts_as_gsoc_report": False, "extra": 1}):
            self.assertProblem(self.mhlw_csirt.post(path, bad), 422)
        self.assertProblem(self.mhlw_csirt.call("POST", path, raw=b'{"text": "x",', headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.mhlw_csirt.call("POST", path, raw=b'{"a":1,"a":2}', headers={"Content-Type": "application/json"}), 400)
        self.assertEqual((self.count("cymat_damage_reports"), self.count("wf_timeline"), self.count("audit_log")), before)

    # --- Rule 15
    def test_class3_report_gated_until_matching_consent(self):
        a = self.ordered_dispatch("mic", summary="総務省の事象")
        b = self.ordered_dispatch("mhlw", summary="厚労省の事象")
        m1, m2 = self.roster_ids["cymat.m1"], self.roster_ids["cymat.m2"]
        self.ok(self.act(self.lead, "dispatches", b["id"], "assign", {"members": [m1]}))
        self.ok(self.act(self.lead, "dispatches", a["id"], "assign", {"members": [m2]}))
        a = self.ok(self.act(self.mic_csirt, "dispatches", a["id"], "damage_report",
                             {"text": "機密性3の被害情報", "confidentiality": 3, "counts_as_gsoc_report": False}))
        rid = a["damage_reports"][0]["id"]
        url = f"{BASE}/damage-reports/{rid}"
        self.ok(self.m2.get(url))  # assigned to A
        self.ok(self.mic_staff.get(url))  # the body's own
        logged = self.refusals()
        self.assertProblem(self.m1.get(url), 404)  # assigned only to B
        self.assertProblem(self.m1.get(f"{BASE}/dispatches/{a['id']}"), 404)
        self.assertGreater(self.refusals(), logged)
        self.assertNotIn(a["id"], [x["id"] for x in self.ok(self.m1.get(BASE + "/dispatches"))["items"]])
        # a consent of another purpose does not match
        peace = self.ok(self.mic_ciso.post(BASE + "/consents", {"provider_org": "mic", "purpose": "peacetime",
                                                                "dispatch": a["id"], "note": "訓練に限り"}), 201)
        self.assertEqual(peace["state"], "in_force")
        self.assertProblem(self.m1.get(url), 404)
        consent = self.ok(self.mic_ciso.post(BASE + "/consents", {"provider_org": "mic", "purpose": "other_support",
                                                                  "dispatch": a["id"], "note": "類似事象の支援に"}), 201)
        self.assertIn(("CymatRules", "15", None, 1), cites(consent))
        self.assertEqual(self.ok(self.m1.get(url))["text"], "機密性3の被害情報")
        self.ok(self.m1.get(f"{BASE}/dispatches/{a['id']}"))
        # withdrawn: invisible again, and the refusal logged
        self.ok(self.act(self.mic_ciso, "consents", consent["id"], "revoke"))
        logged = self.refusals()
        self.assertProblem(self.m1.get(url), 404)
        self.assertEqual(self.refusals(), logged + 1)
        row = self.srv.sql("SELECT actor, record_kind, record_id FROM audit_log WHERE action = 'cymat_access_refused' "
                           "ORDER BY seq DESC LIMIT 1")
        self.assertEqual(row, f"cymat.m1|cymat_damage_report|{rid}")

    def test_class2_information_gated_for_nisc_staff_until_head_approves(self):
        a = self.ordered_dispatch("mof", summary="財務省の事象")
        self.ok(self.act(self.mof_ciso, "dispatches", a["id"], "damage_report",
                         {"text": "被害2", "confidentiality": 2, "counts_as_gsoc_report": True}))
        logged = self.refusals()
        self.assertProblem(self.staff.get(f"{BASE}/dispatches/{a['id']}"), 404)
        self.assertEqual(self.refusals(), logged + 1)
        other = self.ok(self.mof_ciso.post(BASE + "/consents", {"provider_org": "mof", "purpose": "other",
                                                                "note": "活動報告の作成に"}), 201)
        self.assertEqual(other["state"], "awaiting_approval")
        self.assertEqual(other["scope"], "purpose")
        self.assertProblem(self.staff.get(f"{BASE}/dispatches/{a['id']}"), 404)
        self.assertProblem(self.act(self.manager, "consents", other["id"], "approve"), 403)
        self.assertEqual(self.ok(self.act(self.director, "consents", other["id"], "approve"))["state"], "in_force")
        seen = self.ok(self.staff.get(f"{BASE}/dispatches/{a['id']}"))
        self.assertEqual(seen["damage_reports"][0]["text"], "被害2")
        # class 1 is not gated: the body's plain information
        c1 = self.ordered_dispatch("mhlw", confidentiality=1, summary="公開情報")
        self.ok(self.staff.get(f"{BASE}/dispatches/{c1['id']}"))

    def test_peacetime_consent_for_training_participants(self):
        a = self.ordered_dispatch("mhlw", summary="訓練教材の候補")
        trainee = self.ok(self.mhlw_ciso.post(BASE + "/roster", {"org": "mhlw", "name": "研修員", "role": "trainee"}), 201)
        self.assertProblem(self.mhlw_ciso.post(BASE + "/trainings", {"kind": "training", "title": "x",
                                                                     "from": "2016-12-01"}), 403)
        tr = self.ok(self.manager.post(BASE + "/trainings", {"kind": "exercise", "title": "机上演習", "from": "2016-12-01",
                                                             "until": "2016-12-02",
                                                             "participants": [self.roster_ids["cymat.m3"], trainee["id"]]}),
                     201)
        parts = {p["roster"]: p for p in tr["participants"]}
        self.assertEqual(parts[trainee["id"]]["cost_bearer"], "mhlw")
        self.assertIsNone(parts[self.roster_ids["cymat.m3"]]["cost_bearer"])
        self.ok(self.mhlw_ciso.get(f"{BASE}/trainings/{tr['id']}"))  # its trainee takes part
        self.assertProblem(self.mic_ciso.get(f"{BASE}/trainings/{tr['id']}"), 404)
        self.assertProblem(self.m3.get(f"{BASE}/dispatches/{a['id']}"), 404)
        self.ok(self.mhlw_ciso.post(BASE + "/consents", {"provider_org": "mhlw", "purpose": "peacetime",
                                                         "dispatch": a["id"], "note": "研修教材として"}), 201)
        self.ok(self.m3.get(f"{BASE}/dispatches/{a['id']}"))
        self.ok(self.act(self.manager, "trainings", tr["id"], "end"))
        self.assertProblem(self.m3.get(f"{BASE}/dispatches/{a['id']}"), 404)

    def test_consent_input_and_permissions(self):
        before = self.count("cymat_consents")
        for bad in ({"provider_org": "mic", "purpose": "anything", "note": "x"},
                    {"provider_org": "mic", "purpose": "peacetime"},
                    {"provider_org": "mic", "purpose": "peacetime", "note": "x", "extra": True},
                    {"provider_org": "nosuch", "purpose": "peacetime", "note": "x"},
                    {"provider_org": "mic", "purpose": "peacetime", "note": "x", "dispatch": "1"}):
            self.assertProblem(self.mic_ciso.post(BASE + "/consents", bad), 422)
        other = self.ordered_dispatch("mhlw")
        self.assertProblem(self.mic_ciso.post(BASE + "/consents", {"provider_org": "mic", "purpose": "peacetime",
                                                                   "note": "x", "dispatch": other["id"]}), 422)
        self.assertProblem(self.mhlw_ciso.post(BASE + "/consents", {"provider_org": "mic", "purpose": "peacetime",
                                                                    "note": "x"}), 404)
        self.refused(self.mic_staff.post(BASE + "/consents", {"provider_org": "mic", "purpose": "peacetime",
                                                              "note": "x"}), 403, ("CymatRules", "15", None))
        self.assertEqual(self.count("cymat_consents"), before)

    # --- the periodic report (16)
    def test_periodic_report_and_published_summary(self):
        self.ordered_dispatch("mhlw", summary="秘匿すべき概要XYZ")
        full = self.ok(self.director.get(BASE + "/report"))  # the current fiscal year
        self.assertGreaterEqual(full["dispatches"]["total"], 1)
        self.assertIn("mhlw", full["dispatches"]["by_subject"])
        self.assertIn("1", full["dispatches"]["by_paragraph"])
        self.assertTrue(full["requests"]["by_quarter"])
        self.assertIn(("CymatRules", "16", None, None), cites(full))
        pub = self.ok(self.director.get(BASE + "/report?published=true"))
        self.assertTrue(pub["published"])
        text = str(pub)
        self.assertNotIn("by_subject", pub["dispatches"])
        self.assertNotIn("by_subject", pub["requests"])
        self.assertNotIn("秘匿すべき概要XYZ", text)
        self.assertNotIn("mhlw", text)
        self.assertEqual(pub["dispatches"]["total"], full["dispatches"]["total"])
        self.assertProblem(self.director.get(BASE + "/report?from=2016-13-01"), 400)
        self.assertProblem(self.director.get(BASE + "/report?from=2017-04-01&until=2017-04-01"), 400)
        old = self.ok(self.director.get(BASE + "/report?from=2015-04-01&until=2016-04-01"))
        self.assertEqual(old["dispatches"]["total"], 0)
        self.assertProblem(self.mhlw_ciso.get(BASE + "/report"), 404)
        self.assertProblem(self.nict.get(BASE + "/report?published=true"), 404)

    # --- every endpoint: another organisation gets 404
    def test_other_organisation_gets_404_everywhere(self):
        d = self.ordered_dispatch("mic", summary="他機関に見せない")
        self.ok(self.act(self.lead, "dispatches", d["id"], "assign", {"members": [self.roster_ids["mic.member"]]}))
        d = self.ok(self.act(self.mic_csirt, "dispatches", d["id"], "damage_report",
                             {"text": "r", "confidentiality": 1, "counts_as_gsoc_report": False}))
        rid = d["damage_reports"][0]["id"]
        req = d["request"]
        row = self.ok(self.mic_ciso.post(BASE + "/roster", {"org": "mic", "name": "候補", "role": "candidate"}), 201)
        consent = self.ok(self.mic_ciso.post(BASE + "/consents", {"provider_org": "mic", "purpose": "other_support",
                                                                  "note": "x"}), 201)
        tr = self.ok(self.manager.post(BASE + "/trainings", {"kind": "training", "title": "研修", "from": "2017-01-10",
                                                             "participants": [row["id"]]}), 201)
        pending = self.new_dispatch("mic", summary="合意待ち")
        for outsider in (self.nict, self.jps_csirt, self.mhlw_ciso, self.shugiin_ciso):
            for path in (f"/roster?org=mic", f"/roster/{row['id']}", f"/requests/{req}", f"/dispatches/{d['id']}",
                         f"/dispatches/{pending['id']}", f"/damage-reports/{rid}", f"/consents/{consent['id']}",
                         f"/consents?provider_org=mic", f"/trainings/{tr['id']}", "/report",
                         "/report?published=true"):
                self.assertProblem(outsider.get(BASE + path), 404)
            for path, body in ((f"/roster/{row['id']}/actions/end", {}),
                               (f"/requests/{req}/actions/decline", {"reason": "x"}),
                               (f"/dispatches/{d['id']}/actions/log_activity", {"text": "x"}),
                               (f"/dispatches/{d['id']}/actions/damage_report",
                                {"text": "x", "confidentiality": 1, "counts_as_gsoc_report": False}),
                               (f"/dispatches/{pending['id']}/actions/consent", {"party": "body"}),
                               (f"/consents/{consent['id']}/actions/revoke", {}),
                               (f"/trainings/{tr['id']}/actions/end", {})):
                self.assertProblem(outsider.post(BASE + path, body), 404)
            self.assertProblem(outsider.post(BASE + "/roster", {"org": "mic", "name": "x", "role": "candidate"}), 404)
            self.assertProblem(outsider.post(BASE + "/consents", {"provider_org": "mic", "purpose": "peacetime",
                                                                  "note": "x"}), 404)
            # lists leave the records out
            for path, rec in (("/roster", row["id"]), ("/requests", req), ("/dispatches", d["id"]),
                              ("/consents", consent["id"]), ("/trainings", tr["id"])):
                items = self.ok(outsider.get(BASE + path))["items"]
                self.assertNotIn(rec, [i["id"] for i in items], (outsider, path))
        # unknown ids and actions
        self.assertProblem(self.director.get(BASE + "/dispatches/999999"), 404)
        self.assertProblem(self.director.get(BASE + "/dispatches/abc"), 404)
        self.assertProblem(self.act(self.director, "dispatches", d["id"], "no_such_action"), 404)
        # the admin role alone sees no content
        self.assertProblem(self.admin.get(f"{BASE}/dispatches/{d['id']}"), 404)
        self.assertEqual(self.ok(self.admin.get(BASE + "/dispatches"))["items"], [])

    def test_malformed_input_writes_nothing(self):
        tables = ("cymat_roster", "cymat_requests", "cymat_dispatches", "cymat_consents", "cymat_trainings",
                  "wf_timeline", "audit_log")
        before = [self.count(t) for t in tables]
        bad = [
            ("/roster", {"org": "mof", "name": "x", "role": "boss"}, 422),
            ("/roster", {"org": "mof", "name": "", "role": "candidate"}, 422),
            ("/roster", {"org": "mof", "role": "candidate"}, 422),
            ("/roster", {"org": "mof", "name": "x", "role": "candidate", "user": "nobody"}, 422),
            ("/roster", {"org": "nosuch", "name": "x", "role": "candidate"}, 422),
            ("/roster", {"org": "mof", "name": "x", "role": "candidate", "replaces": -1}, 422),
            ("/requests", {"subject": "mhlw", "channel": "phone", "summary": "x", "event_at": EVENT}, 422),
            ("/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x", "event_at": "yesterday"}, 422),
            ("/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x", "event_at": EVENT,
                           "confidentiality": 5}, 422),
            ("/requests", {"subject": "mhlw", "channel": "ciso", "summary": "x", "event_at": EVENT, "x": 1}, 422),
            ("/dispatches", {"subject": "mic"}, 422),
            ("/dispatches", {"subject": "mic", "summary": "x", "confidentiality": 0}, 422),
            ("/trainings", {"kind": "party", "title": "x", "from": "2017-01-01"}, 422),
            ("/trainings", {"kind": "training", "title": "x", "from": "2017-02-30"}, 422),
            ("/trainings", {"kind": "training", "title": "x", "from": "2017-01-02", "until": "2017-01-01"}, 422),
            ("/trainings", {"kind": "training", "title": "x", "from": "2017-01-01", "participants": [0]}, 422),
        ]
        for path, body, status in bad:
            client = self.mhlw_ciso if path == "/requests" else self.director
            self.assertProblem(client.post(BASE + path, body), status)
        for path in ("/roster", "/requests", "/dispatches", "/consents", "/trainings"):
            self.assertProblem(self.director.call("POST", BASE + path, raw=b"[1,2]",
                                                  headers={"Content-Type": "application/json"}), 400)
            self.assertProblem(self.director.call("POST", BASE + path, raw=b"not json",
                                                  headers={"Content-Type": "application/json"}), 400)
        for q in ("/roster?limit=0", "/dispatches?limit=x", "/requests?cursor=abc", "/consents?limit=501",
                  "/roster?history=maybe"):
            self.assertProblem(self.director.get(BASE + q), 400)
        self.assertEqual([self.count(t) for t in tables], before)

    def test_openapi_lists_cymat_paths(self):
        st, _, body = self.srv.request("GET", "/api/v1/openapi.json")
        self.assertEqual(st, 200)
        for p in ("/api/v1/cymat/roster", "/api/v1/cymat/requests", "/api/v1/cymat/dispatches/{id}/actions/{action}",
                  "/api/v1/cymat/consents", "/api/v1/cymat/damage-reports/{id}", "/api/v1/cymat/report"):
            self.assertIn(p, body["paths"])

    def test_log_chain_still_verifies(self):
        self.ordered_dispatch("mhlw")
        st, _, body = self.admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200, body)
        self.assertTrue(body["ok"], body)


if __name__ == "__main__":
    main()
