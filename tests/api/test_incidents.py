"""test_incidents.py: incident reports and specified major incident cases (spec 20) through
the HTTP API, on the store CSHQ_TEST_STORE names: routing by the regime, the case steps with
their basis in both versions, the delegation to IPA, the Art. 8 addressees, the inbox, stage
times and targets, exports, attachments, malformed input, and that an unrelated IAI sees
none of it on any endpoint."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402

RECENT = "2024-05-01T10:00:00+09:00"
BEFORE_AMENDMENT = "2016-09-01T10:00:00+09:00"
CI_CSV = (
    "code,name_ja,name_en,kind,supervising,art13_designated_from,art32_listed_from,art32_listed_until,"
    "former_names_ja,source,art13_designated_until,sector\n"
    "ci_power,試験電力株式会社,Test Power Co.,ci_operator,meti,,,,,test,,電力\n"
)


def cites(basis, doc, article, version=None, paragraph=None, item=None):
    """Whether a basis list holds the citation."""
    for c in basis or []:
        if c["doc"] == doc and c["article"] == article and (version is None or c["version"] == version) \
                and (paragraph is None or c["paragraph"] == paragraph) and (item is None or c["item"] == item):
            return True
    return False


class Incidents(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.srv
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write(CI_CSV)
            path = f.name
        out = srv.cli("orgs", "import", path)
        os.unlink(path)
        assert out.returncode == 0, out.stderr
        cls.admin = srv.login("admin")
        for login, org, roles in (("ci.csirt", "ci_power", ["csirt"]), ("meti.csirt", "meti", ["csirt"]),
                                  ("hq.other", "hq", ["hq"]), ("nisc.other", "nisc", ["nisc_staff"])):
            st, _, body = cls.admin.post("/api/v1/users", {"login": login, "password": "long-enough-pass",
                                                           "name": login, "org": org, "roles": roles})
            assert st == 201, body
        cls.nisc = srv.login("nisc.staff")
        cls.director = srv.login("nisc.director")
        cls.hq = srv.login("hq.member")
        cls.mhlw = srv.login("mhlw.csirt")
        cls.mhlw_ciso = srv.login("mhlw.ciso")
        cls.jps = srv.login("jps.csirt")
        cls.nict = srv.login("nict.staff")
        cls.ipa = srv.login("ipa.delegate")
        cls.ci = srv.login("ci.csirt", "long-enough-pass")
        cls.meti = srv.login("meti.csirt", "long-enough-pass")
        cls.nisc_other = srv.login("nisc.other", "long-enough-pass")

        # the scenario every test reads: a jps report through mhlw to a case, delegated to IPA
        cls.jps_report = cls.file(cls.jps, "jps", 1, RECENT, title="年金個人情報の流出の疑い")
        cls.jps_submitted = cls.act(cls.jps, "reports", cls.jps_report["id"], "submit")
        cls.jps_forward_by_jps = cls.act(cls.jps, "reports", cls.jps_report["id"], "forward")
        cls.jps_forwarded = cls.act(cls.mhlw, "reports", cls.jps_report["id"], "forward",
                                    {"comment": "厚生労働省として提供する。"})
        cls.jps_confirmed = cls.act(cls.nisc, "reports", cls.jps_report["id"], "confirm_major",
                                    {"criteria": [2], "rationale": "約125万件の個人情報が流出した可能性"})
        cls.jps_case = cls.jps_confirmed[1]["case"]
        cls.delegated = cls.act(cls.nisc, "cases", cls.jps_case, "start_supplementary_investigation",
                                {"performer": "delegate", "delegate_org": "ipa",
                                 "request_materials": "ログ一式の提出"})
        # a ministry's own report and case
        cls.mhlw_report = cls.file(cls.mhlw, "mhlw", 1, RECENT, title="厚生労働省のウェブサーバ改ざん")
        cls.mhlw_submitted = cls.act(cls.mhlw, "reports", cls.mhlw_report["id"], "submit")
        cls.mhlw_confirmed = cls.act(cls.nisc, "reports", cls.mhlw_report["id"], "confirm_major",
                                     {"criteria": [1, 3], "rationale": "業務の停止"})
        cls.mhlw_case = cls.mhlw_confirmed[1]["case"]

    @classmethod
    def file(cls, client, subject, item, occurred, **extra):
        body = {"subject": subject, "item": item, "title": extra.pop("title", "事象"),
                "summary": extra.pop("summary", "概要"), "occurred_at": occurred}
        body.update(extra)
        st, _, rec = client.post("/api/v1/reports", body)
        assert st == 201, (st, rec)
        return rec

    @classmethod
    def act(cls, client, kind, rid, action, body=None):
        st, _, rec = client.post(f"/api/v1/{kind}/{rid}/actions/{action}", body or {})
        return st, rec

    def count(self, table, where="1=1"):
        return int(self.srv.sql(f"SELECT count(*) FROM {table} WHERE {where}"))

    def log_count(self, action, actor=None):
        w = f"action = '{action}'" + (f" AND actor = '{actor}'" if actor else "")
        return self.count("audit_log", w)

    # --- reports: routing by the regime
    def test_jps_report_waits_at_mhlw(self):
        st, rec = self.jps_submitted
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "awaiting_ministry")
        self.assertEqual(rec["route"], {"type": "via", "via": ["mhlw"]})
        step = [e for e in rec["timeline"] if e["action"] == "submit"][0]
        self.assertTrue(cites(step["basis"], "DataProvisionRules", 1, "2016", 1, 1), step["basis"])
        self.assertTrue(cites(step["basis"], "Act", 31, "2016", 1))
        self.assertEqual([n["to_org"] for n in step["detail"]["notices"]], ["mhlw"])

    def test_jps_user_cannot_forward_mhlw_user_does(self):
        st, body = self.jps_forward_by_jps
        self.assertEqual(st, 403, body)
        st, rec = self.jps_forwarded
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["timeline"][-1]["action"], "forward")
        self.assertEqual(rec["state"], "received")
        self.assertEqual(rec["updates"][0]["kind"], "ministry_comment")
        self.assertEqual(rec["updates"][0]["org"], "mhlw")

    def test_ministry_report_goes_direct(self):
        st, rec = self.mhlw_submitted
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "received")
        self.assertEqual(rec["route"]["type"], "direct")

    def test_ministry_files_on_behalf_and_provides_directly(self):
        rec = self.file(self.mhlw, "jps", 1, RECENT, title="代理提出")
        self.assertEqual(rec["filed_by_org"], "mhlw")
        st, rec = self.act(self.mhlw, "reports", rec["id"], "submit")
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "received")
        # the subject sees what was filed on its behalf
        st, _, _ = self.jps.get(f"/api/v1/reports/{rec['id']}")
        self.assertEqual(st, 200)

    def test_only_the_body_or_its_ministry_files(self):
        body = {"subject": "jps", "item": 1, "title": "x", "summary": "x", "occurred_at": RECENT}
        self.assertProblem(self.nict.post("/api/v1/reports", body), 403)
        self.assertProblem(self.meti.post("/api/v1/reports", body), 403)
        self.assertProblem(self.ipa.post("/api/v1/reports", body), 403)

    def test_item_must_match_the_regime(self):
        b = self.assertProblem(self.jps.post("/api/v1/reports", {"subject": "jps", "item": 2, "title": "x",
                                                                 "summary": "x", "occurred_at": RECENT}), 409)
        self.assertTrue(cites(b["basis"], "DataProvisionRules", 1, "2016", 1, 1), b)

    # --- confirm_major
    def test_nisc_confirms_with_criterion_2_and_notices_cite_art4(self):
        st, rec = self.jps_confirmed
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "confirmed_major")
        self.assertIsInstance(rec["case"], str)
        st, _, case = self.nisc.get(f"/api/v1/cases/{self.jps_case}")
        self.assertEqual(st, 200, case)
        self.assertEqual(case["report"], self.jps_report["id"])
        self.assertEqual(case["subject"], "jps")
        self.assertEqual(case["stage"], 1 if case["state"] == "opened" else 2)
        confirm = case["timeline"][0]
        self.assertEqual(confirm["action"], "confirm")
        self.assertTrue(cites(confirm["basis"], "MajorIncidentRules", 4, "2016"))
        self.assertTrue(cites(confirm["basis"], "MajorIncidentRules", 1, "2016", item=2))
        st, _, inbox = self.nisc.get(f"/api/v1/notifications?case={self.jps_case}")
        self.assertEqual(st, 200, inbox)
        art4 = [n for n in inbox["items"] if n["subject"].startswith("特定重大事象の発生の確認")]
        self.assertTrue(all(cites(n["basis"], "MajorIncidentRules", 4, "2016") for n in art4), art4)
        self.assertEqual(sorted(n["to_org"] for n in art4), ["jps", "mhlw"])
        for n in art4:
            self.assertEqual(n["case"], self.jps_case)
        # each head's organisation sees its own notice
        for client, org in ((self.mhlw, "mhlw"), (self.jps, "jps")):
            st, _, mine = client.get(f"/api/v1/notifications?case={self.jps_case}")
            self.assertEqual(st, 200)
            self.assertTrue(mine["items"])
            self.assertTrue(all(n["to_org"] == org for n in mine["items"]))

    def test_confirm_refused_for_iai_event_before_amendment(self):
        rec = self.file(self.mhlw, "pmda", 1, BEFORE_AMENDMENT, title="2016年9月の事象")
        st, rec = self.act(self.mhlw, "reports", rec["id"], "submit")
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "received")
        self.assertNotIn("confirm_major", self.nisc.get(f"/api/v1/reports/{rec['id']}")[2]["allowed_actions"])
        cases_before = self.count("cases")
        b = self.assertProblem(self.nisc.post(f"/api/v1/reports/{rec['id']}/actions/confirm_major",
                                              {"criteria": [2], "rationale": "x"}), 409)
        self.assertTrue(cites(b["basis"], "MajorIncidentRules", 1, "2015", 0 or None), b)
        self.assertFalse(cites(b["basis"], "MajorIncidentRules", 1, "2016"), b)
        self.assertEqual(self.count("cases"), cases_before)
        st, _, again = self.nisc.get(f"/api/v1/reports/{rec['id']}")
        self.assertEqual(again["state"], "received")

    def test_item2_report_cannot_become_a_case(self):
        rec = self.file(self.ci, "ci_power", 2, RECENT, title="発電所制御系の障害")
        st, rec = self.act(self.ci, "reports", rec["id"], "submit")
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "awaiting_ministry")
        self.assertEqual(rec["route"]["via"], ["meti"])
        st, rec = self.act(self.meti, "reports", rec["id"], "forward")
        self.assertEqual(st, 200, rec)
        st, _, seen = self.nisc.get(f"/api/v1/reports/{rec['id']}")
        self.assertNotIn("confirm_major", seen["allowed_actions"])
        self.assertIn("prepare_recommendation", seen["allowed_actions"])
        b = self.assertProblem(self.nisc.post(f"/api/v1/reports/{rec['id']}/actions/confirm_major",
                                              {"criteria": [1], "rationale": "x"}), 409)
        self.assertTrue(cites(b["basis"], "MajorIncidentRules", 1), b)
        self.assertTrue(cites(b["basis"], "DataProvisionRules", 1, "2016", 1, 2), b)
        st, rec = self.act(self.nisc, "reports", rec["id"], "prepare_recommendation",
                           {"recommendation": "所管大臣による監督権限の行使を促す"})
        self.assertEqual(st, 200, rec)
        self.assertEqual(rec["state"], "recommendation_prepared")
        self.assertTrue(cites(rec["timeline"][-1]["basis"], "HQPolicy", 4))

    # --- delegation to IPA (Act 30(1))
    def test_delegate_sees_that_case_only_and_reads_are_logged(self):
        st, case = self.delegated
        self.assertEqual(st, 200, case)
        self.assertEqual(case["supplementary_investigation"]["delegate_org"], "ipa")
        step = case["timeline"][-1]
        self.assertTrue(cites(step["basis"], "Act", 30, "2016", 1), step["basis"])
        self.assertTrue(cites(step["basis"], "MajorIncidentRules", 5, "2016", 5))
        before = self.log_count("delegate_read", "ipa.delegate")
        st, _, seen = self.ipa.get(f"/api/v1/cases/{self.jps_case}")
        self.assertEqual(st, 200, seen)
        self.assertEqual(self.log_count("delegate_read", "ipa.delegate"), before + 1)
        st, _, lst = self.ipa.get("/api/v1/cases")
        self.assertEqual([c["id"] for c in lst["items"]], [self.jps_case])
        self.assertEqual(self.log_count("delegate_read", "ipa.delegate"), before + 2)
        # nothing else: not the report, not the ministry's case, no report in lists
        self.assertProblem(self.ipa.get(f"/api/v1/reports/{self.jps_report['id']}"), 404)
        self.assertProblem(self.ipa.get(f"/api/v1/cases/{self.mhlw_case}"), 404)
        self.assertEqual(self.ipa.get("/api/v1/reports")[2]["items"], [])
        st, _, inbox = self.ipa.get("/api/v1/notifications")
        self.assertTrue(all(n["to_org"] == "ipa" for n in inbox["items"]))
        # the delegate records its findings on that case
        st, rec = self.act(self.ipa, "cases", self.jps_case, "record_supplementary_findings",
                           {"findings": "標的型メールによる感染端末を特定"})
        self.assertEqual(st, 200, rec)

    def test_delegate_refused_for_a_ministry_case(self):
        st, case = self.act(self.nisc, "cases", self.mhlw_case, "start_supplementary_investigation",
                            {"performer": "delegate", "delegate_org": "ipa"})
        self.assertEqual(st, 409, case)
        self.assertTrue(cites(case["basis"], "Act", 30, "2016", 1), case)
        self.assertProblem(self.ipa.get(f"/api/v1/cases/{self.mhlw_case}"), 404)
        st, _, seen = self.nisc.get(f"/api/v1/cases/{self.mhlw_case}")
        self.assertEqual(seen["state"], "opened")
        self.assertIsNone(seen["supplementary_investigation"])

    # --- Art. 8 and the other notices
    def test_request_cooperation_reaches_mhlw_only(self):
        st, case = self.act(self.nisc, "cases", self.jps_case, "request_cooperation",
                            {"trigger": 1, "detail": "調査に必要な資料が提供されない"})
        self.assertEqual(st, 200, case)
        step = case["timeline"][-1]
        self.assertEqual(step["action"], "request_cooperation")
        self.assertEqual([n["to_org"] for n in step["detail"]["notices"]], ["mhlw"])
        self.assertTrue(cites(step["basis"], "MajorIncidentRules", 8, "2016"))
        self.assertTrue(cites(step["basis"], "MajorIncidentRules", 8, "2016", item=1))
        st, _, inbox = self.nisc.get(f"/api/v1/notifications?case={self.jps_case}")
        art8 = [n for n in inbox["items"] if cites(n["basis"], "MajorIncidentRules", 8)]
        self.assertTrue(art8)
        self.assertEqual({n["to_org"] for n in art8}, {"mhlw"})

    def test_cooperation_triggers(self):
        self.assertProblem(self.nisc.post(f"/api/v1/cases/{self.mhlw_case}/actions/request_cooperation",
                                          {"trigger": 4, "detail": "x"}), 422)
        b = self.assertProblem(self.nisc.post(f"/api/v1/cases/{self.mhlw_case}/actions/request_cooperation",
                                              {"trigger": 2, "detail": "x"}), 409)
        self.assertTrue(cites(b["basis"], "MajorIncidentRules", 5, "2016", 2), b)
        st, case = self.act(self.nisc, "cases", self.jps_case, "request_cooperation",
                            {"trigger": 2, "detail": "提出の求めに応じない"})
        self.assertEqual(st, 200, case)

    # --- the whole path of a case, HQ and emergency
    def run_to_results(self, client_rep, subject, title):
        rec = self.file(client_rep, subject, 1, RECENT, title=title)
        st, rec = self.act(client_rep, "reports", rec["id"], "submit")
        self.assertEqual(st, 200, rec)
        st, rec = self.act(self.nisc, "reports", rec["id"], "confirm_major", {"criteria": [1], "rationale": "r"})
        self.assertEqual(st, 200, rec)
        cid = rec["case"]
        st, case = self.act(client_rep, "cases", cid, "record_org_investigation", {"summary": "自組織の調査"})
        self.assertEqual(st, 200, case)
        self.assertEqual(case["stage"], 2)
        # spec 80 gives this step no body: {} is enough
        st, case = self.act(self.nisc, "cases", cid, "compile_results", {})
        self.assertEqual(st, 200, case)
        return cid

    def test_full_path_with_hq(self):
        cid = self.run_to_results(self.mhlw, "mhlw", "通常の事案")
        # HQ sees the case now; results need deliberation first
        b = self.assertProblem(self.nisc.post(f"/api/v1/cases/{cid}/actions/notify_results", {}), 409)
        self.assertTrue(cites(b["basis"], "MajorIncidentRules", 5, "2016", 3), b)
        self.assertProblem(self.nisc.post(f"/api/v1/cases/{cid}/actions/deliberate", {"record": "x"}), 403)
        st, case = self.act(self.hq, "cases", cid, "deliberate", {"record": "第N回本部会合で審議", "meeting": "第N回"})
        self.assertEqual(st, 200, case)
        st, case = self.act(self.nisc, "cases", cid, "notify_results", {})
        self.assertEqual(st, 200, case)
        self.assertEqual(case["stage"], 3)
        self.assertEqual([n["to_org"] for n in case["timeline"][-1]["detail"]["notices"]], ["mhlw"])
        st, case = self.act(self.hq, "cases", cid, "recommend", {"recommendation": "体制の強化"})
        self.assertEqual(st, 200, case)
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 5, "2016", 4))
        st, case = self.act(self.mhlw, "cases", cid, "submit_recovery_plan", {"plan": "再発防止策"})
        self.assertEqual(st, 200, case)
        self.assertEqual(case["stage"], 4)
        self.assertNotIn("evaluate_measures", case["allowed_actions"])  # not for mhlw
        st, _, nisc_view = self.nisc.get(f"/api/v1/cases/{cid}")
        self.assertNotIn("evaluate_measures", nisc_view["allowed_actions"])  # NISC only in an emergency
        b = self.assertProblem(self.nisc.post(f"/api/v1/cases/{cid}/actions/evaluate_measures",
                                              {"evaluation": "x"}), 409)
        self.assertTrue(cites(b["basis"], "MajorIncidentRules", 9, "2016", 2), b)
        st, case = self.act(self.hq, "cases", cid, "evaluate_measures", {"evaluation": "妥当"})
        self.assertEqual(st, 200, case)
        self.assertEqual(case["state"], "closed")
        self.assertIsNotNone(case["closed_at"])
        self.assertEqual(case["allowed_actions"], [])
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 7, "2016"))
        stages = case["stages"]
        self.assertEqual([s["stage"] for s in stages], [1, 2, 3, 4])
        self.assertTrue(all(s["started_at"] for s in stages))
        self.assertTrue(all(s["ended_at"] for s in stages))
        self.assertProblem(self.nisc.post(f"/api/v1/cases/{cid}/actions/give_guidance", {"guidance": "x"}), 409)
        # an HQ member of another session sees it too (grant to the organisation)
        self.assertEqual(self.srv.login("hq.other", "long-enough-pass").get(f"/api/v1/cases/{cid}")[0], 200)

    def test_emergency_path(self):
        cid = self.run_to_results(self.mhlw, "mhlw", "緊急の事案")
        self.assertProblem(self.nisc.post(f"/api/v1/cases/{cid}/actions/set_emergency", {}), 422)
        st, case = self.act(self.nisc, "cases", cid, "set_emergency", {"reason": "国民生活への影響が拡大"})
        self.assertEqual(st, 200, case)
        self.assertTrue(case["emergency"])
        self.assertEqual(case["emergency_reason"], "国民生活への影響が拡大")
        self.assertIn("notify_results", case["allowed_actions"])
        st, case = self.act(self.nisc, "cases", cid, "notify_results", {})
        self.assertEqual(st, 200, case)
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 9, "2016", 2))
        st, case = self.act(self.mhlw, "cases", cid, "submit_recovery_plan", {"plan": "計画"})
        self.assertEqual(st, 200, case)
        st, case = self.act(self.nisc, "cases", cid, "evaluate_measures", {"evaluation": "評価"})
        self.assertEqual(st, 200, case)
        self.assertEqual(case["state"], "closed")
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 9, "2016", 2))

    def test_guidance_and_report_request(self):
        st, case = self.act(self.nisc, "cases", self.jps_case, "give_guidance", {"guidance": "助言"})
        self.assertEqual(st, 200, case)
        self.assertEqual(sorted(n["to_org"] for n in case["timeline"][-1]["detail"]["notices"]), ["jps", "mhlw"])
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 6))
        st, case = self.act(self.nisc, "cases", self.jps_case, "request_report", {"detail": "報告を求める"})
        self.assertEqual(st, 200, case)
        self.assertEqual([n["to_org"] for n in case["timeline"][-1]["detail"]["notices"]], ["mhlw"])
        self.assertTrue(cites(case["timeline"][-1]["basis"], "MajorIncidentRules", 9, "2016", 3, 2))

    def test_class3_case_is_for_the_case_team(self):
        # a NISC analyst not on the case team does not see the class-3 case; the director does
        self.assertProblem(self.nisc_other.get(f"/api/v1/cases/{self.jps_case}"), 404)
        self.assertEqual(self.director.get(f"/api/v1/cases/{self.jps_case}")[0], 200)
        self.assertEqual(self.mhlw_ciso.get(f"/api/v1/cases/{self.jps_case}")[0], 200)
        self.assertProblem(self.hq.get(f"/api/v1/cases/{self.jps_case}"), 404)  # before deliberation

    # --- time: stages, targets, overdue
    def test_targets_and_overdue(self):
        self.assertProblem(self.nisc.call("PUT", "/api/v1/case-stage-targets",
                                          {"stage_targets_hours": {"1": 1}}), 403)
        self.assertProblem(self.director.call("PUT", "/api/v1/case-stage-targets",
                                              {"stage_targets_hours": {"5": 1}}), 422)
        st, _, t = self.director.call("PUT", "/api/v1/case-stage-targets",
                                      {"stage_targets_hours": {"1": 24, "2": 720, "3": None}})
        self.assertEqual(st, 200, t)
        self.assertEqual(t["stage_targets_hours"], {"1": 24, "2": 720, "3": None, "4": None})
        self.assertEqual(self.nisc.get("/api/v1/case-stage-targets")[2], t)
        rec = self.file(self.mhlw, "mhlw", 1, RECENT, title="期限超過の事案")
        self.act(self.mhlw, "reports", rec["id"], "submit")
        st, rec = self.act(self.nisc, "reports", rec["id"], "confirm_major", {"criteria": [1], "rationale": "r"})
        cid = rec["case"]
        self.srv.sql(f"UPDATE cases SET stage_since = stage_since - 90000 WHERE id = {int(cid)}")
        st, _, lst = self.director.get("/api/v1/cases?overdue=1")
        self.assertEqual(st, 200, lst)
        self.assertIn(cid, [c["id"] for c in lst["items"]])
        self.assertTrue(all(c["overdue"] for c in lst["items"]))
        self.assertNotIn(self.jps_case, [c["id"] for c in lst["items"]])
        st, _, case = self.director.get(f"/api/v1/cases/{cid}")
        self.assertTrue(case["overdue"])
        self.assertEqual(case["stages"][0]["target_hours"], 24)
        self.assertProblem(self.director.get("/api/v1/cases?overdue=2"), 400)
        self.assertEqual(self.nict.get("/api/v1/cases?overdue=1")[2]["items"], [])

    # --- updates, attachments, exports
    def test_updates_append(self):
        rid = self.mhlw_report["id"]
        st, _, rec = self.mhlw.post(f"/api/v1/reports/{rid}/updates", {"text": "第1報"})
        self.assertEqual(st, 201, rec)
        st, _, rec = self.mhlw.post(f"/api/v1/reports/{rid}/updates", {"text": "第2報"})
        texts = [u["body"] for u in rec["updates"] if u["kind"] == "update"]
        self.assertEqual(texts[-2:], ["第1報", "第2報"])
        self.assertEqual(rec["summary"], self.mhlw_report["summary"])
        self.assertProblem(self.mhlw.post(f"/api/v1/reports/{rid}/updates", {"text": ""}), 422)
        self.assertProblem(self.hq.post(f"/api/v1/reports/{rid}/updates", {"text": "x"}), 404)

    def test_attachments_by_sha256(self):
        import hashlib
        rid = self.jps_report["id"]
        pdf = b"%PDF-1.4\n% test\n"
        st, hdrs, att = self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=log.pdf",
                                      headers={"Content-Type": "application/pdf"}, raw=pdf)
        self.assertEqual(st, 201, att)
        self.assertEqual(att["sha256"], hashlib.sha256(pdf).hexdigest())
        self.assertEqual(att["size"], len(pdf))
        st, _, again = self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=log.pdf",
                                     headers={"Content-Type": "application/pdf"}, raw=pdf)
        self.assertEqual(st, 200, again)
        st, hdrs, data = self.mhlw.call("GET", f"/api/v1/reports/{rid}/attachments/{att['sha256']}")
        self.assertEqual(st, 200)
        self.assertEqual(hdrs["Content-Type"], "application/pdf")
        self.assertEqual(data, pdf)
        blobs = self.count("blobs")
        self.assertProblem(self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=x.pdf",
                                         headers={"Content-Type": "application/pdf"}, raw=b"MZ\x90\x00"), 422)
        self.assertProblem(self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=x.exe",
                                         headers={"Content-Type": "application/x-msdownload"}, raw=b"MZ"), 415)
        self.assertProblem(self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=../x",
                                         headers={"Content-Type": "text/plain"}, raw=b"abc"), 422)
        self.assertProblem(self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=t.txt",
                                         headers={"Content-Type": "text/plain"}, raw=b"a\x00b"), 422)
        self.assertEqual(self.count("blobs"), blobs)
        self.assertProblem(self.mhlw.get(f"/api/v1/reports/{rid}/attachments/{'0' * 64}"), 404)

    def test_exports(self):
        st, hdrs, pdf = self.nisc.call("GET", f"/api/v1/cases/{self.jps_case}/export?format=pdf")
        self.assertEqual(st, 200, pdf)
        self.assertEqual(hdrs["Content-Type"], "application/pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        st, _, doc = self.nisc.get(f"/api/v1/cases/{self.jps_case}/export?format=json")
        self.assertEqual(st, 200)
        self.assertEqual(doc["record"]["id"], self.jps_case)
        self.assertTrue(doc["record"]["notices"])
        st, hdrs, pdf = self.mhlw.call("GET", f"/api/v1/reports/{self.jps_report['id']}/export")
        self.assertEqual(st, 200)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertProblem(self.nisc.get(f"/api/v1/cases/{self.jps_case}/export?format=xlsx"), 400)
        red = self.file(self.jps, "jps", 1, RECENT, title="赤", tlp="RED")
        self.assertProblem(self.mhlw.get(f"/api/v1/reports/{red['id']}/export?format=json"), 403)
        self.assertEqual(self.jps.get(f"/api/v1/reports/{red['id']}/export?format=json")[0], 200)

    def test_indicators_in_gsoc_form_and_linked(self):
        st, _, added = self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "c2.example.net",
                                                             "tlp": "GREEN"}])
        self.assertEqual(st, 200, added)
        rec = self.file(self.mhlw, "mhlw", 1, RECENT, indicators=[
            {"type": "domain", "value": "C2.Example.NET."}, {"type": "ipv4", "value": "192.0.2.7"},
            {"type": "sha256", "value": "ab" * 32}])
        by_type = {i["type"]: i for i in rec["indicators"]}
        self.assertEqual(by_type["domain"]["value"], "c2.example.net")
        self.assertTrue(by_type["domain"]["gsoc_indicator"]["stix_id"].startswith("indicator--"))
        self.assertNotIn("gsoc_indicator", by_type["ipv4"])
        for bad in ({"type": "ipv4", "value": "999.1.1.1"}, {"type": "sha256", "value": "xyz"},
                    {"type": "mac", "value": "00:11"}):
            self.assertProblem(self.mhlw.post("/api/v1/reports", {
                "subject": "mhlw", "item": 1, "title": "t", "summary": "s", "occurred_at": RECENT,
                "indicators": [bad]}), 422)

    def test_notice_subjects(self):
        # a long Japanese title is cut on a character boundary; a class-3 report's title stays out
        rec = self.file(self.mhlw, "mhlw", 1, RECENT, title="a" + "長" * 99)
        self.act(self.mhlw, "reports", rec["id"], "submit")
        st, _, inbox = self.nisc.get(f"/api/v1/notifications?report={rec['id']}")
        self.assertEqual(st, 200, inbox)
        subject = inbox["items"][0]["subject"]
        self.assertTrue(subject.endswith("長"), subject)
        secret = self.file(self.mhlw, "mhlw", 1, RECENT, title="極秘の件名", confidentiality=3)
        self.act(self.mhlw, "reports", secret["id"], "submit")
        st, _, inbox = self.director.get(f"/api/v1/notifications?report={secret['id']}")
        self.assertTrue(inbox["items"])
        self.assertTrue(all("極秘" not in n["subject"] for n in inbox["items"]))

    # --- the inbox
    def test_mark_read(self):
        st, _, inbox = self.mhlw.get("/api/v1/notifications?unread=1")
        self.assertEqual(st, 200)
        n = inbox["items"][0]
        self.assertIsNone(n["read_at"])
        self.assertProblem(self.nict.post(f"/api/v1/notifications/{n['id']}/actions/read"), 404)
        self.assertProblem(self.nisc.post(f"/api/v1/notifications/{n['id']}/actions/read"), 403)
        st, _, read = self.mhlw_ciso.post(f"/api/v1/notifications/{n['id']}/actions/read")
        self.assertEqual(st, 200, read)
        self.assertIsNotNone(read["read_at"])
        st, _, inbox = self.mhlw.get("/api/v1/notifications?unread=1")
        self.assertNotIn(n["id"], [x["id"] for x in inbox["items"]])
        self.assertProblem(self.mhlw.post("/api/v1/notifications/999999/actions/read"), 404)

    def test_lists_and_filters(self):
        st, _, lst = self.mhlw.get("/api/v1/reports?subject=jps")
        self.assertEqual(st, 200)
        self.assertTrue(lst["items"])
        self.assertTrue(all(r["subject"] == "jps" for r in lst["items"]))
        st, _, lst = self.nisc.get("/api/v1/reports?state=received&from=2024-01-01&to=2024-12-31")
        self.assertEqual(st, 200)
        self.assertTrue(all(r["state"] == "received" for r in lst["items"]))
        st, _, page = self.nisc.get("/api/v1/reports?limit=1")
        self.assertEqual(len(page["items"]), 1)
        st, _, page2 = self.nisc.get(f"/api/v1/reports?limit=1&cursor={page['next_cursor']}")
        self.assertNotEqual(page2["items"][0]["id"], page["items"][0]["id"])
        for q in ("state=bogus", "from=2024-13-01", "limit=0", "cursor=abc", "subject=%27x", "item=4"):
            self.assertProblem(self.nisc.get(f"/api/v1/reports?{q}"), 400)
        # a ministry's view of its bodies' reports: mhlw sees jps's, meti does not
        self.assertNotIn(self.jps_report["id"], [r["id"] for r in self.meti.get("/api/v1/reports")[2]["items"]])
        st, _, cls = self.jps.get("/api/v1/reports/classifications")
        self.assertEqual(st, 200)
        self.assertIn("data-leak", [t["type"] for c in cls["classes"] for t in c["types"]])

    # --- malformed input: 4xx problem, nothing written
    def test_malformed_input_writes_nothing(self):
        n_reports, n_log = self.count("reports"), self.count("audit_log")
        ok = {"subject": "jps", "item": 1, "title": "t", "summary": "s", "occurred_at": RECENT}
        bad = [
            (b"{not json", 400), (b"[]", 400), (b'{"subject": "jps", "subject": "jps"}', 400),
        ]
        for raw, status in bad:
            self.assertProblem(self.jps.call("POST", "/api/v1/reports", raw=raw,
                                             headers={"Content-Type": "application/json"}), status)
        for change in ({"extra": 1}, {"item": 4}, {"item": "1"}, {"title": ""}, {"title": "x" * 301},
                       {"occurred_at": "2024-05-01"}, {"occurred_at": "2999-01-01T00:00:00Z"},
                       {"detected_at": "2024-04-01T00:00:00Z"}, {"confidentiality": 4}, {"tlp": "WHITE"},
                       {"classification": {"class": "fraud", "type": "spam"}}, {"subject": "nosuch"},
                       {"affected_systems": "web"}, {"indicators": [{"type": "ipv4"}]}):
            body = dict(ok, **change)
            st, _, b = self.jps.post("/api/v1/reports", body)
            self.assertIn(st, (400, 422), (change, b))
        self.assertProblem(self.jps.call("POST", "/api/v1/reports", raw=b'{"a":1}',
                                         headers={"Content-Type": "text/plain"}), 415)
        self.assertEqual(self.count("reports"), n_reports)
        self.assertEqual(self.count("audit_log"), n_log)
        # a refused step changes nothing either
        rid = self.file(self.mhlw, "mhlw", 1, RECENT)["id"]
        self.act(self.mhlw, "reports", rid, "submit")
        n_cases, n_log, n_notices = self.count("cases"), self.count("audit_log"), self.count("notifications")
        for body in ({}, {"criteria": [], "rationale": "x"}, {"criteria": [1, 1], "rationale": "x"},
                     {"criteria": [4], "rationale": "x"}, {"criteria": [1]}, {"criteria": [1], "rationale": "x", "y": 1}):
            self.assertProblem(self.nisc.post(f"/api/v1/reports/{rid}/actions/confirm_major", body), 422)
        self.assertProblem(self.nisc.call("POST", f"/api/v1/reports/{rid}/actions/confirm_major", raw=b"{",
                                          headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.nisc.post(f"/api/v1/reports/{rid}/actions/no_such_step", {}), 404)
        self.assertProblem(self.nisc.post(f"/api/v1/reports/{rid}/actions/submit", {}), 409)
        self.assertEqual((self.count("cases"), self.count("audit_log"), self.count("notifications")),
                         (n_cases, n_log, n_notices))
        self.assertEqual(self.nisc.get(f"/api/v1/reports/{rid}")[2]["state"], "received")
        for bad_id in ("0", "-1", "abc", "99999999", "1e3"):
            self.assertProblem(self.nisc.get(f"/api/v1/reports/{bad_id}"), 404)
            self.assertProblem(self.nisc.get(f"/api/v1/cases/{bad_id}"), 404)

    # --- an unrelated IAI sees none of it, on every endpoint
    def test_unrelated_iai_sees_nothing(self):
        rid, cid = self.jps_report["id"], self.jps_case
        mrid, mcid = self.mhlw_report["id"], self.mhlw_case
        c = self.nict
        # a real attachment of the jps report, so that its hash is known to exist
        pdf = b"%PDF-1.4 unrelated\n"
        st, _, att = self.jps.call("POST", f"/api/v1/reports/{rid}/attachments?filename=u.pdf",
                                   headers={"Content-Type": "application/pdf"}, raw=pdf)
        self.assertIn(st, (200, 201), att)
        self.assertProblem(c.get(f"/api/v1/reports/{rid}/attachments/{att['sha256']}"), 404)
        self.assertProblem(self.ipa.get(f"/api/v1/reports/{rid}/attachments/{att['sha256']}"), 404)
        for r in (rid, mrid):
            self.assertProblem(c.get(f"/api/v1/reports/{r}"), 404)
            self.assertProblem(c.post(f"/api/v1/reports/{r}/actions/forward", {}), 404)
            self.assertProblem(c.post(f"/api/v1/reports/{r}/actions/acknowledge", {}), 404)
            self.assertProblem(c.post(f"/api/v1/reports/{r}/updates", {"text": "x"}), 404)
            self.assertProblem(c.call("POST", f"/api/v1/reports/{r}/attachments?filename=a.txt",
                                      headers={"Content-Type": "text/plain"}, raw=b"x"), 404)
            self.assertProblem(c.get(f"/api/v1/reports/{r}/attachments/{'0' * 64}"), 404)
            self.assertProblem(c.get(f"/api/v1/reports/{r}/export"), 404)
            self.assertProblem(c.get(f"/api/v1/reports/{r}/export?format=json"), 404)
            self.assertProblem(c.get(f"/api/v1/notifications?report={r}"), 404)
        for k in (cid, mcid):
            self.assertProblem(c.get(f"/api/v1/cases/{k}"), 404)
            self.assertProblem(c.post(f"/api/v1/cases/{k}/actions/record_org_investigation", {"summary": "x"}), 404)
            self.assertProblem(c.post(f"/api/v1/cases/{k}/actions/give_guidance", {"guidance": "x"}), 404)
            self.assertProblem(c.get(f"/api/v1/cases/{k}/export"), 404)
            self.assertProblem(c.get(f"/api/v1/cases/{k}/export?format=json"), 404)
            self.assertProblem(c.get(f"/api/v1/notifications?case={k}"), 404)
        self.assertEqual(c.get("/api/v1/reports")[2]["items"], [])
        self.assertEqual(c.get("/api/v1/reports?subject=jps")[2]["items"], [])
        self.assertEqual(c.get("/api/v1/cases")[2]["items"], [])
        self.assertEqual(c.get("/api/v1/notifications")[2]["items"], [])
        st, _, inbox = self.nisc.get(f"/api/v1/notifications?case={cid}")
        for n in inbox["items"]:
            self.assertProblem(c.post(f"/api/v1/notifications/{n['id']}/actions/read"), 404)
        # the admin role alone sees no case content either
        self.assertProblem(self.admin.get(f"/api/v1/cases/{cid}"), 404)
        self.assertEqual(self.admin.get("/api/v1/reports")[2]["items"], [])

    def test_openapi_lists_incident_paths(self):
        st, _, body = self.srv.request("GET", "/api/v1/openapi.json")
        self.assertEqual(st, 200)
        for p in ("/api/v1/reports", "/api/v1/reports/{id}/actions/{action}", "/api/v1/cases/{id}",
                  "/api/v1/notifications", "/api/v1/notifications/{id}/actions/read", "/api/v1/case-stage-targets"):
            self.assertIn(p, body["paths"], p)


if __name__ == "__main__":
    main()
