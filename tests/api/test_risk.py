"""test_risk.py: risk assessment against advanced cyber attacks (spec 60) on one store:
countermeasure sets and their diff, the ten steps in order by department role with their
basis, target systems by criterion, approval bound to content, reporting through the
supervising ministry, CIRO sharing, NISC's aggregate and its publishable form, the xlsx
round trip, and that another body sees none of it."""
import io
import json
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SET_2016 = {
    "version": "2016.1",
    "note": "付属書 対策セット（評価検討委員会の評価を経たもの）",
    "scenarios": [
        {"id": "S1", "title": "標的型メールによる初期侵入", "objectives": [
            {"id": "O1", "title": "不正プログラムの実行を防ぐ", "countermeasures": [
                {"id": "C1", "title": "メール添付ファイルの無害化", "components": ["mail_gateway"]},
                {"id": "C2", "title": "端末のアプリケーション実行制御", "components": ["terminal"]},
            ]},
        ]},
        {"id": "S2", "title": "内部での侵害拡大", "objectives": [
            {"id": "O2", "title": "管理者権限の奪取を防ぐ", "countermeasures": [
                {"id": "C3", "title": "管理者端末の分離", "components": ["terminal", "directory"]},
                {"id": "C4", "title": "認証ログの監視", "components": ["directory"]},
            ]},
        ]},
    ],
}

SET_2017 = {
    "version": "2017.1",
    "scenarios": [
        {"id": "S1", "title": "標的型メールによる初期侵入", "objectives": [
            {"id": "O1", "title": "不正プログラムの実行を防ぐ", "countermeasures": [
                {"id": "C1", "title": "メール添付ファイルの無害化（マクロ除去を含む）", "components": ["mail_gateway"]},
                {"id": "C2", "title": "端末のアプリケーション実行制御", "components": ["terminal"]},
            ]},
        ]},
        {"id": "S2", "title": "内部での侵害拡大", "objectives": [
            {"id": "O2", "title": "管理者権限の奪取を防ぐ", "countermeasures": [
                {"id": "C3", "title": "管理者端末の分離", "components": ["terminal", "directory"]},
            ]},
        ]},
        {"id": "S3", "title": "外部への情報送出", "objectives": [
            {"id": "O3", "title": "不審な通信先への送出を防ぐ", "countermeasures": [
                {"id": "C5", "title": "プロキシの通信先制限", "components": ["proxy"]},
            ]},
        ]},
    ],
}

DEPARTMENTS = ["infosec", "infoprotect", "domain_owner", "system_owner", "resource"]
ACTIONS = ["agree_roles", "select_domains", "assess_impact", "mark_protected", "add_target_system", "check_state",
           "draft_plan", "review_plan", "finalise", "build_dashboard", "approve", "send_back", "report", "forward",
           "accept", "import_worksheet", "change_countermeasure_set"]


def checks_for(components, implemented=()):
    """Every (countermeasure, component) of SET_2016 applying to the components."""
    out = []
    for sc in SET_2016["scenarios"]:
        for ob in sc["objectives"]:
            for cm in ob["countermeasures"]:
                for comp in cm["components"]:
                    if comp in components:
                        out.append({"countermeasure": cm["id"], "component": comp,
                                    "implemented": cm["id"] in implemented})
    return out


class Risk(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.srv.login("admin")
        cls.nisc = cls.srv.login("nisc.staff")
        cls.director = cls.srv.login("nisc.director")
        cls.users = {}
        for org in ("jps", "mhlw", "mic", "nict", "nhk"):
            for dept in DEPARTMENTS:
                cls.mkuser(f"{org}.{dept}", org, [dept])
        for org in ("jps", "mhlw", "mic", "nict"):
            cls.mkuser(f"{org}.cisox", org, ["ciso"])
        cls.mkuser("ciro.reader", "ciro", ["staff"])
        st, _, body = cls.nisc.post("/api/v1/risk/countermeasure-sets", SET_2016)
        assert st == 201, body
        st, _, body = cls.nisc.post("/api/v1/risk/countermeasure-sets", SET_2017)
        assert st == 201, body

    @classmethod
    def mkuser(cls, login, org, roles):
        st, _, body = cls.admin.post("/api/v1/users", {"login": login, "password": "long-enough-pass",
                                                       "name": login, "org": org, "roles": roles})
        assert st == 201, body
        cls.users[login] = cls.srv.login(login, "long-enough-pass")

    def u(self, login):
        return self.users[login]

    # --- helpers
    def create(self, org, fy, version="2016.1"):
        st, hdrs, body = self.u(f"{org}.infosec").post("/api/v1/risk/assessments",
                                                       {"org": org, "fiscal_year": fy, "countermeasure_set": version})
        self.assertEqual(st, 201, body)
        self.assertEqual(hdrs["Location"], f"/api/v1/risk/assessments/{body['id']}")
        self.assertEqual(body["state"], "preparation")
        return body["id"]

    def act(self, org, dept, aid, action, body=None, status=200):
        client = self.u(f"{org}.{dept}") if isinstance(dept, str) else dept
        result = client.post(f"/api/v1/risk/assessments/{aid}/actions/{action}", body if body is not None else {})
        if status == 200:
            self.assertEqual(result[0], 200, result[2])
            return result[2]
        return self.assertProblem(result, status)

    def get(self, client, aid):
        st, _, body = client.get(f"/api/v1/risk/assessments/{aid}")
        self.assertEqual(st, 200, body)
        return body

    def log_entries(self):
        st, _, body = self.admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200, body)
        self.assertTrue(body["ok"], body)
        return body["entries"]

    def to_targets(self, org, aid):
        """Steps 1-3: roles, domains, impact, protected domains."""
        self.act(org, "infosec", aid, "agree_roles", {"note": "情報保全担当と情報セキュリティ担当の役割分担"})
        body = self.act(org, "infoprotect", aid, "agree_roles")
        self.assertEqual(body["state"], "domain_selection")
        body = self.act(org, "infoprotect", aid, "select_domains", {"domains": [
            {"name": "年金記録管理", "reason": "grave_impact"},
            {"name": "広報", "reason": "grave_impact"},
        ]})
        self.assertEqual(body["state"], "impact_assessment")
        self.act(org, "domain_owner", aid, "assess_impact", {"domain": "年金記録管理", "impact": "国民生活に深刻な影響"})
        self.act(org, "domain_owner", aid, "assess_impact", {"domain": "広報", "impact": "限定的"})
        body = self.act(org, "infoprotect", aid, "mark_protected", {"domains": ["年金記録管理"]})
        self.assertEqual(body["state"], "target_systems")

    def to_planning(self, org, aid):
        """Steps 4-6: target systems, checks, plans."""
        self.act(org, "infosec", aid, "add_target_system", {
            "domain": "年金記録管理", "name": "年金業務端末", "criterion": 1,
            "components": ["terminal", "mail_gateway"]})
        self.act(org, "system_owner", aid, "check_state", {
            "system": "年金業務端末", "checks": checks_for(["terminal", "mail_gateway"], implemented={"C1"}),
            "residual_risk": "medium"})
        body = self.act(org, "system_owner", aid, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C2", "fiscal_year": self.fy(aid)},
                                           {"countermeasure": "C3", "fiscal_year": self.fy(aid) + 1}],
            "review": "前年度計画の進捗を踏まえて見直し"})
        self.assertEqual(body["state"], "planning")
        return body

    def fy(self, aid):
        return self.get(self.nisc, aid)["fiscal_year"]

    def to_approved(self, org, aid):
        self.to_targets(org, aid)
        self.to_planning(org, aid)
        self.act(org, "domain_owner", aid, "review_plan", {"system": "年金業務端末"})
        self.assertEqual(self.act(org, "infosec", aid, "finalise")["state"], "finalised")
        self.assertEqual(self.act(org, "infosec", aid, "build_dashboard")["state"], "awaiting_approval")
        body = self.act(org, "cisox", aid, "approve")
        self.assertEqual(body["state"], "approved")
        self.assertEqual(body["approval"]["state"], "approved")
        self.assertEqual(body["approval"]["content_hash"], body["content_hash"])
        return body

    # --- countermeasure sets
    def test_sets_versioned_with_diff(self):
        st, _, body = self.u("jps.infosec").get("/api/v1/risk/countermeasure-sets/2016.1")
        self.assertEqual(st, 200, body)
        self.assertEqual(body["scenarios"][0]["objectives"][0]["countermeasures"][0]["id"], "C1")
        st, _, body = self.u("jps.infosec").get("/api/v1/risk/countermeasure-sets")
        self.assertEqual([s["version"] for s in body["items"]], ["2016.1", "2017.1"])
        st, _, diff = self.u("mhlw.infosec").get("/api/v1/risk/countermeasure-sets/diff?from=2016.1&to=2017.1")
        self.assertEqual(st, 200, diff)
        cms = diff["countermeasures"]
        self.assertEqual([c["id"] for c in cms["added"]], ["C5"])
        self.assertEqual([c["id"] for c in cms["removed"]], ["C4"])
        self.assertEqual(cms["changed"][0]["id"], "C1")
        self.assertEqual(cms["changed"][0]["title"]["to"], "メール添付ファイルの無害化（マクロ除去を含む）")
        self.assertEqual([s["id"] for s in diff["scenarios"]["added"]], ["S3"])
        # a version is issued once; only NISC issues; malformed sets are refused
        self.assertProblem(self.nisc.post("/api/v1/risk/countermeasure-sets", SET_2016), 409)
        problem = self.assertProblem(self.u("jps.infosec").post("/api/v1/risk/countermeasure-sets",
                                                               dict(SET_2016, version="x")), 403)
        self.assertEqual((problem["basis"][0]["article"], problem["basis"][0]["paragraph"]), ("4.2", 2))
        bad = json.loads(json.dumps(SET_2016))
        bad["version"] = "2099.1"
        bad["scenarios"][1]["objectives"][0]["countermeasures"][0]["id"] = "C1"  # duplicate id
        self.assertProblem(self.nisc.post("/api/v1/risk/countermeasure-sets", bad), 422)
        self.assertProblem(self.nisc.post("/api/v1/risk/countermeasure-sets", dict(SET_2016, version="2099.2", extra=1)), 422)
        self.assertProblem(self.nisc.get("/api/v1/risk/countermeasure-sets/2099.1"), 404)
        self.assertProblem(self.nisc.get("/api/v1/risk/countermeasure-sets/diff?from=2016.1"), 400)
        # CIRO reads reported assessments and nothing else
        self.assertProblem(self.u("ciro.reader").get("/api/v1/risk/countermeasure-sets/2016.1"), 404)

    # --- scope of the guideline
    def test_nhk_refused_with_basis_1_4(self):
        body = self.assertProblem(self.u("nhk.infosec").post(
            "/api/v1/risk/assessments", {"org": "nhk", "fiscal_year": 2030, "countermeasure_set": "2016.1"}), 409)
        self.assertTrue(body["basis"])
        self.assertTrue(all(c["doc"] == "RiskGuideline" and c["article"] == "1.4" for c in body["basis"]), body)
        self.assertTrue(all(c["text_ja"] for c in body["basis"]))
        # another body cannot start a cycle for jps; the ministry or NISC do not start it for it
        self.assertProblem(self.u("nict.infosec").post(
            "/api/v1/risk/assessments", {"org": "jps", "fiscal_year": 2030, "countermeasure_set": "2016.1"}), 404)
        self.assertProblem(self.u("mhlw.infosec").post(
            "/api/v1/risk/assessments", {"org": "jps", "fiscal_year": 2030, "countermeasure_set": "2016.1"}), 403)
        self.assertProblem(self.u("jps.domain_owner").post(
            "/api/v1/risk/assessments", {"org": "jps", "fiscal_year": 2030, "countermeasure_set": "2016.1"}), 403)

    # --- the ten steps in order, each by its department, reporting through the ministry
    def test_jps_cycle_reaches_nisc_only_after_mhlw_forwards(self):
        aid = self.create("jps", 2031)
        self.assertProblem(self.u("jps.infosec").post(
            "/api/v1/risk/assessments", {"org": "jps", "fiscal_year": 2031, "countermeasure_set": "2016.1"}), 409)
        # out of order: later steps are refused while preparing
        self.act("jps", "infoprotect", aid, "select_domains", {"domains": [{"name": "x", "reason": "grave_impact"}]},
                 status=409)
        # 1. preparation: both departments
        self.act("jps", "domain_owner", aid, "agree_roles", status=403)
        self.act("jps", "infosec", aid, "agree_roles")
        self.act("jps", "infosec", aid, "agree_roles", status=409)
        body = self.act("jps", "infoprotect", aid, "agree_roles")
        self.assertEqual(body["state"], "domain_selection")
        entry = body["timeline"][-1]
        self.assertEqual(entry["action"], "agree_roles")
        self.assertEqual(entry["basis"][0]["doc"], "RiskGuideline")
        self.assertEqual(entry["basis"][0]["article"], "2.2")
        self.assertEqual(entry["basis"][0]["paragraph"], 1)
        # 2. domains: information protection department; ② only when nothing qualifies under ①
        self.act("jps", "infosec", aid, "select_domains", {"domains": [{"name": "x", "reason": "grave_impact"}]},
                 status=403)
        problem = self.act("jps", "infoprotect", aid, "select_domains", {"domains": [
            {"name": "年金記録管理", "reason": "grave_impact"}, {"name": "人事", "reason": "confidential"}]}, status=422)
        self.assertEqual(problem["basis"][0]["doc"], "RiskGuideline")
        self.act("jps", "infoprotect", aid, "select_domains", {"domains": [
            {"name": "個人番号連携", "reason": "sensitive"}]}, status=422)  # sensitive names its categories
        body = self.act("jps", "infoprotect", aid, "select_domains", {"domains": [
            {"name": "年金記録管理", "reason": "grave_impact"},
            {"name": "個人番号連携", "reason": "sensitive", "categories": ["public_safety"]}]})
        self.assertEqual(body["state"], "impact_assessment")
        # 3. impact by the domain owner, protected domains by information protection
        self.act("jps", "infoprotect", aid, "assess_impact", {"domain": "年金記録管理", "impact": "x"}, status=403)
        self.act("jps", "domain_owner", aid, "assess_impact", {"domain": "年金記録管理", "impact": "年金給付事務の停止、国民生活への深刻な影響"})
        problem = self.act("jps", "infoprotect", aid, "mark_protected", {"domains": ["年金記録管理"]}, status=409)
        self.assertIn("個人番号連携", problem["detail"])
        self.assertEqual(problem["basis"][0]["paragraph"], 2)
        self.act("jps", "domain_owner", aid, "assess_impact", {"domain": "個人番号連携", "impact": "公共の安全への支障"})
        self.act("jps", "domain_owner", aid, "mark_protected", {"domains": ["年金記録管理"]}, status=403)
        body = self.act("jps", "infoprotect", aid, "mark_protected", {"domains": ["年金記録管理", "個人番号連携"]})
        self.assertEqual(body["state"], "target_systems")
        # 4. target systems; criterion 2 only with the air-gapped counterpart named
        self.act("jps", "system_owner", aid, "add_target_system", {
            "domain": "年金記録管理", "name": "年金業務端末", "criterion": 1, "components": ["terminal"]}, status=403)
        problem = self.act("jps", "infosec", aid, "add_target_system", {
            "domain": "個人番号連携", "name": "連携端末", "criterion": 2, "components": ["terminal"]}, status=422)
        self.assertIn("air_gapped_counterpart", problem["detail"])
        self.assertEqual(problem["basis"][0]["article"], "2.2")
        self.act("jps", "infosec", aid, "add_target_system", {
            "domain": "個人番号連携", "name": "連携端末", "criterion": 2, "components": ["terminal"],
            "air_gapped_counterpart": "基幹系システム"})
        # a system built on another pulls that one in, and tells its owner
        body = self.act("jps", "infoprotect", aid, "add_target_system", {
            "domain": "年金記録管理", "name": "年金業務端末", "criterion": 1,
            "components": ["terminal", "mail_gateway"], "built_on": "共通基盤"})
        base = next(s for s in body["worksheet"]["systems"] if s["name"] == "共通基盤")
        self.assertEqual(base["pulled_in_by"], "年金業務端末")
        self.assertEqual(base["components"], [])
        self.assertIn("system_owner", self.srv.sql(
            f"SELECT to_role FROM notifications WHERE record_kind = 'risk_assessment' AND record_id = {aid} "
            "AND to_role = 'system_owner'"))
        self.act("jps", "system_owner", aid, "check_state", {"system": "共通基盤", "checks": [], "residual_risk": "low"},
                 status=409)  # its components are not listed yet
        self.act("jps", "infosec", aid, "add_target_system", {
            "domain": "年金記録管理", "name": "共通基盤", "criterion": 1, "components": ["directory"]})
        # 5. current state by the system owner: every applicable countermeasure, then residual risk
        self.act("jps", "infosec", aid, "check_state", {
            "system": "年金業務端末", "checks": [], "residual_risk": "high"}, status=403)
        problem = self.act("jps", "system_owner", aid, "check_state", {
            "system": "年金業務端末", "checks": checks_for(["terminal"]), "residual_risk": "high"}, status=422)
        self.assertIn("C1 on mail_gateway", problem["detail"])
        self.act("jps", "system_owner", aid, "draft_plan", {"system": "年金業務端末", "items": []}, status=409)
        for name, comps, impl, rr in (("年金業務端末", ["terminal", "mail_gateway"], {"C1"}, "medium"),
                                      ("連携端末", ["terminal"], {"C2", "C3"}, "low"),
                                      ("共通基盤", ["directory"], {"C4"}, "high")):
            self.act("jps", "system_owner", aid, "check_state",
                     {"system": name, "checks": checks_for(comps, impl), "residual_risk": rr})
        # 6. plans by fiscal year, reaching every control objective
        self.act("jps", "domain_owner", aid, "draft_plan", {"system": "年金業務端末", "items": []}, status=403)
        problem = self.act("jps", "system_owner", aid, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C2", "fiscal_year": 2031}]}, status=422)
        self.assertIn("C3", problem["detail"])
        self.act("jps", "system_owner", aid, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C2", "fiscal_year": 2030},
                                           {"countermeasure": "C3", "fiscal_year": 2032}]}, status=422)  # a past year
        body = self.act("jps", "system_owner", aid, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C2", "fiscal_year": 2031},
                                           {"countermeasure": "C3", "fiscal_year": 2033}]})
        self.assertEqual(body["state"], "planning")
        self.act("jps", "system_owner", aid, "draft_plan", {"system": "連携端末", "items": []})
        self.act("jps", "system_owner", aid, "draft_plan", {
            "system": "共通基盤", "items": [{"countermeasure": "C3", "fiscal_year": 2032}]})
        # 7. the domain owner reviews, may ask for changes; information security finalises
        self.act("jps", "infosec", aid, "review_plan", {"system": "共通基盤"}, status=403)
        self.act("jps", "domain_owner", aid, "review_plan", {"system": "年金業務端末"})
        self.act("jps", "domain_owner", aid, "review_plan", {"system": "連携端末"})
        self.act("jps", "domain_owner", aid, "review_plan",
                 {"system": "共通基盤", "request_changes": True, "comment": "2031年度に前倒しを"})
        self.act("jps", "domain_owner", aid, "finalise", status=403)
        problem = self.act("jps", "infosec", aid, "finalise", status=409)
        self.assertIn("共通基盤", problem["detail"])
        self.act("jps", "system_owner", aid, "draft_plan", {
            "system": "共通基盤", "items": [{"countermeasure": "C3", "fiscal_year": 2031}]})
        self.act("jps", "domain_owner", aid, "review_plan", {"system": "共通基盤"})
        self.assertEqual(self.act("jps", "infosec", aid, "finalise")["state"], "finalised")
        # 8. dashboard by information security, decision by the CISO
        self.act("jps", "cisox", aid, "build_dashboard", status=403)
        self.assertEqual(self.act("jps", "infosec", aid, "build_dashboard")["state"], "awaiting_approval")
        self.act("jps", "infosec", aid, "approve", status=403)
        body = self.act("jps", "cisox", aid, "send_back", {"instructions": "資源配分部署と予算措置を再調整のこと"})
        self.assertEqual(body["state"], "planning")
        self.assertEqual(body["instructions"], "資源配分部署と予算措置を再調整のこと")
        self.act("jps", "infosec", aid, "finalise")
        self.act("jps", "infosec", aid, "build_dashboard")
        body = self.act("jps", "cisox", aid, "approve", {"comment": "承認する"})
        self.assertEqual(body["approval"]["state"], "approved")
        approved_hash = body["approval"]["content_hash"]
        self.assertEqual(approved_hash, body["content_hash"])
        # 9. reporting: a designated corporation reports to its ministry, which sends it on
        self.act("jps", "system_owner", aid, "report", status=403)
        body = self.act("jps", "infosec", aid, "report")
        self.assertEqual(body["state"], "at_ministry")
        entry = body["timeline"][-1]
        self.assertEqual(entry["detail"]["route"], {"type": "via", "via": ["mhlw"]})
        self.assertIn({"doc": "RiskGuideline", "article": "2.2", "paragraph": 5, "item": 2},
                      [{k: c[k] for k in ("doc", "article", "paragraph", "item")} for c in entry["basis"]])
        # not at NISC yet: it cannot accept, no notice, not aggregated, not shared with CIRO
        self.act(None, self.nisc, aid, "accept", status=409)
        self.assertEqual(self.srv.sql(
            f"SELECT count(*) FROM notifications WHERE record_kind = 'risk_assessment' AND record_id = {aid} "
            "AND to_org = 'nisc'"), "0")
        self.assertIn("mhlw", self.srv.sql(
            f"SELECT to_org FROM notifications WHERE record_kind = 'risk_assessment' AND record_id = {aid} "
            "AND to_org = 'mhlw'"))
        st, _, agg = self.nisc.get("/api/v1/risk/aggregate?fiscal_year=2031")
        self.assertEqual(agg["reports"], 0, agg)
        self.assertProblem(self.u("ciro.reader").get(f"/api/v1/risk/assessments/{aid}"), 404)
        st, _, listed = self.u("mhlw.infosec").get("/api/v1/risk/assessments?state=at_ministry")
        self.assertIn(aid, [a["id"] for a in listed["items"]])
        # another ministry cannot forward it (nor see it); the body itself cannot either
        self.act("mic", "infosec", aid, "forward", status=404)
        self.act("jps", "infosec", aid, "forward", status=403)
        self.act("mhlw", "system_owner", aid, "forward", status=403)
        body = self.act("mhlw", "infosec", aid, "forward")
        self.assertEqual(body["state"], "reported")
        self.assertEqual(body["forwarded_by"], "mhlw")
        self.assertEqual(body["approval"]["content_hash"], approved_hash)
        self.assertEqual(self.srv.sql(
            f"SELECT count(*) FROM notifications WHERE record_kind = 'risk_assessment' AND record_id = {aid} "
            "AND to_org = 'nisc'"), "1")
        # shared with CIRO: it reads the report, its worksheet and dashboard, and nothing else
        ciro = self.u("ciro.reader")
        body = self.get(ciro, aid)
        self.assertEqual(body["allowed_actions"], [])
        st, hdrs, _ = ciro.get(f"/api/v1/risk/assessments/{aid}/worksheet.xlsx")
        self.assertEqual(st, 200)
        st, _, _ = ciro.get(f"/api/v1/risk/assessments/{aid}/dashboard")
        self.assertEqual(st, 200)
        self.act(None, ciro, aid, "accept", status=403)
        self.assertProblem(ciro.get("/api/v1/risk/aggregate?fiscal_year=2031"), 404)
        st, _, listed = ciro.get("/api/v1/risk/assessments")
        self.assertIn(aid, [a["id"] for a in listed["items"]])
        self.assertTrue(all(a["state"] in ("reported", "accepted") for a in listed["items"]), listed)
        # no more changes once reported
        self.act("jps", "domain_owner", aid, "assess_impact", {"domain": "年金記録管理", "impact": "x"}, status=409)
        # 10. NISC checks it
        self.act("jps", "infosec", aid, "accept", status=403)
        body = self.act(None, self.nisc, aid, "accept", {"issues": "ログ監視の運用体制に課題"})
        self.assertEqual(body["state"], "accepted")
        self.assertEqual(body["timeline"][-1]["basis"][0]["paragraph"], 5)
        self.assertEqual([e["action"] for e in body["timeline"]][:4],
                         ["create", "agree_roles", "agree_roles", "select_domains"])
        st, _, agg = self.nisc.get("/api/v1/risk/aggregate?fiscal_year=2031")
        self.assertEqual(agg["reports"], 1, agg)
        self.assertEqual(agg["bodies"][0]["org"], "jps")
        self.assertEqual(self.log_entries() > 0, True)

    # --- approval bound to content
    def test_approval_voided_by_a_later_edit(self):
        aid = self.create("mhlw", 2032)
        approved = self.to_approved("mhlw", aid)
        body = self.act("mhlw", "domain_owner", aid, "assess_impact",
                        {"domain": "年金記録管理", "impact": "影響を再評価: 極めて深刻"})
        self.assertEqual(body["approval"]["state"], "void")
        self.assertEqual(body["approval"]["content_hash"], approved["content_hash"])
        self.assertNotEqual(body["content_hash"], approved["content_hash"])
        self.assertEqual(body["state"], "planning")
        self.assertEqual(body["timeline"][-1]["detail"]["approval"], "void")
        self.act("mhlw", "infosec", aid, "report", status=409)
        # decided again on the new content; the ministry's own report goes straight to NISC
        self.act("mhlw", "infosec", aid, "finalise")
        self.act("mhlw", "infosec", aid, "build_dashboard")
        body = self.act("mhlw", "cisox", aid, "approve")
        self.assertEqual(body["approval"]["state"], "approved")
        self.assertEqual(body["approval"]["content_hash"], body["content_hash"])
        # a change behind the workflow's back is never shown as approved, nor reported
        self.srv.sql(f"UPDATE risk_domains SET impact = 'tampered' WHERE assessment_id = {aid} AND name = '広報'")
        body = self.get(self.u("mhlw.infosec"), aid)
        self.assertEqual(body["approval"]["state"], "void")
        problem = self.act("mhlw", "infosec", aid, "report", status=409)
        self.assertEqual(problem["basis"][0]["article"], "3.3")
        self.srv.sql(f"UPDATE risk_domains SET impact = '限定的' WHERE assessment_id = {aid} AND name = '広報'")
        body = self.act("mhlw", "infosec", aid, "report")
        self.assertEqual(body["state"], "reported")
        self.assertEqual(body["timeline"][-1]["detail"]["route"], {"type": "direct"})

    # --- the worksheet as xlsx
    def test_xlsx_round_trip_equal(self):
        aid = self.create("mic", 2033)
        self.to_approved("mic", aid)
        before = self.get(self.u("mic.infosec"), aid)
        st, hdrs, data = self.u("mic.infosec").get(f"/api/v1/risk/assessments/{aid}/worksheet.xlsx")
        self.assertEqual(st, 200)
        self.assertEqual(hdrs["Content-Type"], XLSX)
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(data)))
        entries = self.log_entries()
        st, _, after = self.u("mic.infosec").call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=data,
                                                  headers={"Content-Type": XLSX})
        self.assertEqual(st, 200, after)
        self.assertEqual(after["worksheet"], before["worksheet"])
        self.assertEqual(after["content_hash"], before["content_hash"])
        self.assertEqual(after["approval"]["state"], "approved")  # the same content: the approval stands
        self.assertEqual(self.log_entries(), entries + 1)
        # an edit in the spreadsheet comes back as a change, and voids the approval
        edited = rewrite_xlsx(data, "国民生活に深刻な影響", "国民生活に極めて深刻な影響")
        st, _, after = self.u("mic.infosec").call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=edited,
                                                  headers={"Content-Type": XLSX})
        self.assertEqual(st, 200, after)
        self.assertEqual(after["approval"]["state"], "void")
        dom = next(d for d in after["worksheet"]["domains"] if d["name"] == "年金記録管理")
        self.assertEqual(dom["impact"], "国民生活に極めて深刻な影響")
        # export again, import again: equal
        st, _, data2 = self.u("mic.infosec").get(f"/api/v1/risk/assessments/{aid}/worksheet.xlsx")
        st, _, again = self.u("mic.infosec").call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=data2,
                                                  headers={"Content-Type": XLSX})
        self.assertEqual(st, 200, again)
        self.assertEqual(again["worksheet"], after["worksheet"])
        # only information security imports; a broken or hostile file is refused and writes nothing
        st, _, _ = self.u("mic.domain_owner").call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=data2,
                                                   headers={"Content-Type": XLSX})
        self.assertEqual(st, 403)
        entries = self.log_entries()
        bad_files = [
            b"not a zip",
            data2[: len(data2) // 2],
            rewrite_xlsx(data2, "<worksheet ", "<!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]><worksheet ",
                         part="xl/worksheets/sheet2.xml", count=1),
            rewrite_xlsx(data2, ">grave_impact<", ">boring<", part="xl/sharedStrings.xml"),
            rewrite_xlsx(data2, ">criterion<", ">criteria<"),
        ]
        for raw in bad_files:
            with self.subTest(raw=raw[:20]):
                self.assertProblem(self.u("mic.infosec").call(
                    "POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=raw, headers={"Content-Type": XLSX}), 422)
        self.assertProblem(self.u("mic.infosec").call(
            "POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=data2, headers={"Content-Type": "text/plain"}), 415)
        self.assertEqual(self.log_entries(), entries)
        self.assertEqual(self.get(self.u("mic.infosec"), aid)["worksheet"], again["worksheet"])
        # text as other spreadsheet programs write it: rich-text runs and phonetic readings
        # (ルビ) in the shared strings; the reading is not part of the text
        ruby = rewrite_xlsx(data2, "<t>広報</t>", '<r><t>広</t></r><r><t>報</t></r><rPh sb="0" eb="2"><t>こうほう</t></rPh>',
                            part="xl/sharedStrings.xml")
        st, _, body = self.u("mic.infosec").call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=ruby,
                                                 headers={"Content-Type": XLSX})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["worksheet"], again["worksheet"])

    # --- moving to a newer set
    def test_move_to_newer_set_shows_what_changed(self):
        aid = self.create("nict", 2034)
        self.to_targets("nict", aid)
        self.act("nict", "infosec", aid, "add_target_system", {
            "domain": "年金記録管理", "name": "業務端末", "criterion": 1, "components": ["directory", "proxy"]})
        self.act("nict", "system_owner", aid, "check_state", {
            "system": "業務端末", "checks": checks_for(["directory"], {"C3"}), "residual_risk": "low"})
        self.act("nict", "system_owner", aid, "change_countermeasure_set", {"version": "2017.1"}, status=403)
        body = self.act("nict", "infosec", aid, "change_countermeasure_set", {"version": "2017.1"})
        self.assertEqual(body["countermeasure_set"], "2017.1")
        diff = body["timeline"][-1]["detail"]["diff"]
        self.assertEqual([c["id"] for c in diff["countermeasures"]["removed"]], ["C4"])
        sysm = body["worksheet"]["systems"][0]
        self.assertEqual(sysm["checks"], [{"countermeasure": "C3", "component": "directory", "implemented": True}])
        self.assertIsNone(sysm["residual_risk"])  # C5 now applies to its proxy: checked again
        self.act("nict", "infosec", aid, "change_countermeasure_set", {"version": "2016.1"}, status=409)
        self.act("nict", "infosec", aid, "change_countermeasure_set", {"version": "9.9"}, status=422)

    # --- the dashboard, second year review, NISC aggregate
    def test_dashboard_second_year_and_aggregate(self):
        first = self.create("mhlw", 2028)
        self.to_approved("mhlw", first)
        self.act("mhlw", "infosec", first, "report")
        st, _, dash = self.u("mhlw.cisox").get(f"/api/v1/risk/assessments/{first}/dashboard")
        self.assertEqual(st, 200, dash)
        self.assertEqual([d["name"] for d in dash["protected_domains"]], ["年金記録管理"])
        self.assertEqual(dash["target_systems"][0]["implemented"], 1)
        self.assertEqual(dash["target_systems"][0]["applicable"], 3)
        self.assertEqual(dash["residual_risk"]["medium"], 1)
        self.assertEqual({s["scenario"]: s["percent"] for s in dash["by_scenario"]}, {"S1": 50, "S2": 0})
        self.assertEqual(dash["plan"]["by_fiscal_year"], [{"fiscal_year": 2028, "items": 1}, {"fiscal_year": 2029, "items": 1}])
        self.assertIsNone(dash["progress"]["previous"])
        self.assertTrue(dash["built"])
        st, hdrs, pdf = self.u("mhlw.cisox").get(f"/api/v1/risk/assessments/{first}/dashboard.pdf")
        if st == 200:
            self.assertEqual(hdrs["Content-Type"], "application/pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
        else:
            self.assertEqual(st, 501)
        # second year: the plan is reviewed against its progress
        second = self.create("mhlw", 2029)
        self.to_targets("mhlw", second)
        self.act("mhlw", "infosec", second, "add_target_system", {
            "domain": "年金記録管理", "name": "年金業務端末", "criterion": 1, "components": ["terminal", "mail_gateway"]})
        self.act("mhlw", "system_owner", second, "check_state", {
            "system": "年金業務端末", "checks": checks_for(["terminal", "mail_gateway"], {"C1", "C2"}),
            "residual_risk": "low"})
        problem = self.act("mhlw", "system_owner", second, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C3", "fiscal_year": 2029}]}, status=422)
        self.assertIn("2028", problem["detail"])
        self.assertEqual(problem["basis"][0]["paragraph"], 3)
        self.act("mhlw", "system_owner", second, "draft_plan", {
            "system": "年金業務端末", "items": [{"countermeasure": "C3", "fiscal_year": 2029}],
            "review": "C2 は予定どおり導入済み。C3 は予算措置の遅れにより本年度に実施"})
        st, _, dash = self.u("mhlw.infosec").get(f"/api/v1/risk/assessments/{second}/dashboard")
        self.assertEqual(dash["progress"]["previous"]["fiscal_year"], 2028)
        self.assertEqual(dash["progress"]["due"], 1)          # C2 was planned for 2028
        self.assertEqual(dash["progress"]["implemented"], 1)  # and this year's check shows it done
        self.assertEqual(dash["progress"]["percent"], 100)
        # NISC's aggregate of 2028, and its publishable form
        self.assertProblem(self.u("mhlw.infosec").get("/api/v1/risk/aggregate?fiscal_year=2028"), 404)
        self.assertProblem(self.nisc.get("/api/v1/risk/aggregate"), 400)
        st, _, agg = self.nisc.get("/api/v1/risk/aggregate?fiscal_year=2028")
        self.assertEqual(st, 200, agg)
        self.assertEqual(agg["reports"], 1)
        by_cm = {c["countermeasure"]: c for c in agg["by_countermeasure"]}
        self.assertEqual(by_cm["C1"]["implemented"], 1)
        self.assertEqual(by_cm["C3"]["applicable"], 1)
        self.assertEqual(by_cm["C1"]["title"], "メール添付ファイルの無害化")
        self.assertEqual([b["org"] for b in agg["bodies"]], ["mhlw"])
        st, _, pub = self.nisc.get("/api/v1/risk/aggregate?fiscal_year=2028&publish=1")
        self.assertEqual(st, 200, pub)
        self.assertTrue(pub["publishable"])
        self.assertEqual(pub["by_countermeasure"][0].keys() - {"bodies"}, pub["by_countermeasure"][0].keys())
        text = json.dumps(pub, ensure_ascii=False)
        for word in ("mhlw", "厚生労働省", "Ministry of Health", "jps", "日本年金機構", "年金記録管理", "年金業務端末",
                     "bodies", "org"):
            self.assertNotIn(word, text)

    # --- another body sees none of it, on every endpoint
    def test_other_bodies_get_404_everywhere(self):
        aid = self.create("jps", 2037)
        self.to_targets("jps", aid)
        outsiders = [self.u("nict.infosec"), self.u("mic.infosec"), self.u("ciro.reader"), self.u("nhk.infosec"),
                     self.srv.login("ipa.delegate")]
        for client in outsiders:
            with self.subTest(who=client.token[:6]):
                self.assertProblem(client.get(f"/api/v1/risk/assessments/{aid}"), 404)
                self.assertProblem(client.get(f"/api/v1/risk/assessments/{aid}/worksheet.xlsx"), 404)
                self.assertProblem(client.get(f"/api/v1/risk/assessments/{aid}/dashboard"), 404)
                self.assertProblem(client.get(f"/api/v1/risk/assessments/{aid}/dashboard.pdf"), 404)
                self.assertProblem(client.call("POST", f"/api/v1/risk/assessments/{aid}/worksheet", raw=b"PK",
                                               headers={"Content-Type": XLSX}), 404)
                for action in ACTIONS + ["no_such_action"]:
                    self.assertProblem(client.post(f"/api/v1/risk/assessments/{aid}/actions/{action}", {}), 404)
                self.assertProblem(client.call("POST", f"/api/v1/risk/assessments/{aid}/actions/agree_roles",
                                               raw=b"{bad json", headers={"Content-Type": "application/json"}), 404)
                st, _, listed = client.get(f"/api/v1/risk/assessments?org=jps")
                self.assertEqual(st, 200)
                self.assertNotIn(aid, [a["id"] for a in listed["items"]])
                self.assertProblem(client.get("/api/v1/risk/aggregate?fiscal_year=2037"), 404)
        # the supervising ministry and NISC do see it
        self.assertEqual(self.get(self.u("mhlw.infosec"), aid)["org"], "jps")
        self.assertEqual(self.get(self.nisc, aid)["org"], "jps")
        self.assertProblem(self.nisc.get("/api/v1/risk/assessments/999999"), 404)
        self.assertProblem(self.nisc.get("/api/v1/risk/assessments/abc"), 404)

    # --- malformed input: a 4xx problem, nothing written
    def test_malformed_input_writes_nothing(self):
        aid = self.create("jps", 2038)
        self.act("jps", "infosec", aid, "agree_roles")
        self.act("jps", "infoprotect", aid, "agree_roles")
        before = self.get(self.u("jps.infosec"), aid)
        entries = self.log_entries()
        url = f"/api/v1/risk/assessments/{aid}/actions/select_domains"
        h = {"Content-Type": "application/json"}
        cases = [
            (b"{not json", 400),
            (b'{"domains": [], "domains": []}', 400),
            (b"[" * 100 + b"]" * 100, 400),
            (b"[1]", 400),
            (b'{"domains": "x"}', 422),
            (b'{"domains": []}', 422),
            (b'{"domains": [{"name": "a", "reason": "boring"}]}', 422),
            (b'{"domains": [{"name": "a", "reason": "sensitive", "categories": ["aliens"]}]}', 422),
            (b'{"domains": [{"name": "", "reason": "grave_impact"}]}', 422),
            (b'{"domains": [{"name": "a\\u0001", "reason": "grave_impact"}]}', 422),
            (b'{"domains": [{"name": "a", "reason": "grave_impact"}, {"name": "a", "reason": "grave_impact"}]}', 422),
            (b'{"domains": [{"name": "a", "reason": "grave_impact", "extra": 1}]}', 422),
            (b'{"domains": [{"name": "a", "reason": "grave_impact"}], "x": 1}', 422),
            ('{"domains": [{"name": "\udc80", "reason": "grave_impact"}]}'.encode("utf-8", "surrogatepass"), 400),
        ]
        for raw, status in cases:
            with self.subTest(raw=raw[:50]):
                self.assertProblem(self.u("jps.infoprotect").call("POST", url, raw=raw, headers=h), status)
        self.assertProblem(self.u("jps.infoprotect").call("POST", url, raw=b"domains=1",
                                                          headers={"Content-Type": "text/plain"}), 415)
        for body, status in (({"org": "jps", "fiscal_year": "2030", "countermeasure_set": "2016.1"}, 422),
                             ({"org": "jps", "fiscal_year": 1999, "countermeasure_set": "2016.1"}, 422),
                             ({"org": "jps", "fiscal_year": 2040, "countermeasure_set": "nope"}, 422),
                             ({"org": "nowhere", "fiscal_year": 2040, "countermeasure_set": "2016.1"}, 404),
                             ({"org": "jps", "fiscal_year": 2040, "countermeasure_set": "2016.1", "x": 1}, 422)):
            with self.subTest(body=body):
                self.assertProblem(self.u("jps.infosec").post("/api/v1/risk/assessments", body), status)
        self.assertProblem(self.nisc.post("/api/v1/risk/countermeasure-sets", {"version": "bad version", "scenarios": []}), 422)
        self.assertProblem(self.u("jps.infosec").get("/api/v1/risk/assessments?limit=0"), 400)
        self.assertEqual(self.log_entries(), entries)
        after = self.get(self.u("jps.infosec"), aid)
        self.assertEqual(after["worksheet"], before["worksheet"])
        self.assertEqual(after["timeline"], before["timeline"])
        st, _, listed = self.u("jps.infosec").get("/api/v1/risk/assessments?fiscal_year=2040")
        self.assertEqual(listed["items"], [])

    def test_openapi_lists_risk_paths(self):
        st, _, body = self.srv.request("GET", "/api/v1/openapi.json")
        for p in ("/api/v1/risk/countermeasure-sets", "/api/v1/risk/countermeasure-sets/diff",
                  "/api/v1/risk/assessments/{id}/actions/{action}", "/api/v1/risk/assessments/{id}/worksheet.xlsx",
                  "/api/v1/risk/aggregate"):
            self.assertIn(p, body["paths"])


def rewrite_xlsx(data, old, new, part=None, count=-1):
    """Replaces text inside the parts of an .xlsx (all XML parts, or one)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if (part is None and info.filename.endswith(".xml")) or info.filename == part:
                content = content.decode("utf-8").replace(old, new, count).encode("utf-8")
            dst.writestr(zipfile.ZipInfo(info.filename, info.date_time), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    main()
