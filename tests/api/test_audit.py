"""test_audit.py: audits (spec 50) on one store: the annual policy, engagements and the
regime's targets by date and kind, delegation to IPA (Act 30(1)), findings and their
revisions, routing of results and reports through the supervising ministry (AuditPolicy
5(3)), follow-up across fiscal years, the safe annual summary, OSCAL exports, catalogues,
good practices, and that another body sees none of it."""
import json
import os
import re
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402

A = "/api/v1/audits"


def cites(body, doc, article, version=None):
    """Whether a basis list cites doc/article (and version)."""
    for c in body.get("basis") or []:
        if c["doc"] == doc and str(c["article"]) == str(article) and (version is None or c["version"] == version):
            return True
    return False


class Audit(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.srv.login("admin")
        for login, org, roles in (("mof.staff", "mof", ["staff", "ciso"]), ("mic.csirt", "mic", ["csirt"]),
                                  ("aist.user", "aist", ["staff"]), ("nisc.analyst2", "nisc", ["nisc_staff"])):
            st, _, body = cls.admin.post("/api/v1/users", {"login": login, "password": "long-enough-pass",
                                                           "name": login, "org": org, "roles": roles})
            assert st == 201, body
        cls.nisc = cls.srv.login("nisc.staff")
        cls.hq = cls.srv.login("hq.member")
        cls.mhlw = cls.srv.login("mhlw.csirt")
        cls.mhlw_ciso = cls.srv.login("mhlw.ciso")
        cls.jps = cls.srv.login("jps.csirt")
        cls.jps_ciso = cls.srv.login("jps.ciso")
        cls.nict = cls.srv.login("nict.staff")
        cls.ipa = cls.srv.login("ipa.delegate")
        cls.mof = cls.srv.login("mof.staff", "long-enough-pass")
        cls.mic = cls.srv.login("mic.csirt", "long-enough-pass")
        cls.aist = cls.srv.login("aist.user", "long-enough-pass")

    # ---------------------------------------------------------------- helpers
    def log_entries(self):
        st, _, body = self.admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200, body)
        self.assertTrue(body["ok"], body)
        return body["entries"]

    def engagement(self, org="jps", fy=2017, type_="management", **extra):
        body = {"org": org, "fiscal_year": fy, "type": type_, "scope": "情報システム全般",
                "method": "関係者への質問、資料の閲覧、情報システムの点検"}
        body.update(extra)
        st, hdrs, e = self.nisc.post(f"{A}/engagements", body)
        self.assertEqual(st, 201, e)
        self.assertEqual(hdrs["Location"], f"{A}/engagements/{e['id']}")
        return e

    def finding(self, eng, title="アクセス権限の棚卸しが行われていない", important=True, **extra):
        body = {"title": title, "severity": "high", "important": important,
                "evidence": "管理者アカウント一覧と人事記録の突合で退職者のアカウントを確認",
                "proposal": "四半期ごとに棚卸しを行う" if important else None}
        if body["proposal"] is None:
            del body["proposal"]
        body.update(extra)
        st, _, f = self.nisc.post(f"{A}/engagements/{eng['id']}/findings", body)
        self.assertEqual(st, 201, f)
        return f

    def act(self, client, path, action, body=None, status=200):
        st, _, out = client.post(f"{path}/actions/{action}", body or {})
        self.assertEqual(st, status, out)
        return out

    def delivered_jps(self, fy=2017, title="アクセス権限の棚卸しが行われていない"):
        """A jps engagement with one important finding, published, notified and forwarded."""
        e = self.engagement("jps", fy)
        f = self.finding(e, title=title)
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        out = self.act(self.nisc, f"{A}/engagements/{e['id']}", "notify")
        self.assertEqual(out["state"], "at_ministry")
        self.act(self.mhlw, f"{A}/engagements/{e['id']}", "forward")
        return e, f

    # ---------------------------------------------------------------- policy
    def test_annual_policy_drafted_by_nisc_adopted_by_hq(self):
        st, hdrs, p = self.nisc.post(f"{A}/policies", {
            "fiscal_year": 2019, "approach": "助言型監査を基本とし、PDCAサイクルの定着を確認する",
            "themes": ["標的型攻撃への備え", {"code": "supply", "title": "委託先管理", "rationale": "リスクが高い"}]})
        self.assertEqual(st, 201, p)
        self.assertEqual(p["state"], "draft")
        self.assertEqual([t["code"] for t in p["themes"]], ["t1", "supply"])
        self.assertIn("adopt", self.hq.get(f"{A}/policies/{p['id']}")[2]["allowed_actions"])
        # a body does not see the draft; NISC cannot adopt, HQ does
        self.assertProblem(self.jps.get(f"{A}/policies/{p['id']}"), 404)
        self.assertProblem(self.nisc.post(f"{A}/policies/{p['id']}/actions/adopt", {}), 403)
        out = self.act(self.nisc, f"{A}/policies/{p['id']}", "revise", {"approach": "改訂した基本的な考え方"})
        self.assertEqual(out["approach"], "改訂した基本的な考え方")
        out = self.act(self.hq, f"{A}/policies/{p['id']}", "adopt")
        self.assertEqual(out["state"], "adopted")
        self.assertTrue(cites(out["timeline"][-1], "AuditPolicy", 5))
        # adopted: every body may read it; it can no longer be revised
        st, _, seen = self.jps.get(f"{A}/policies/{p['id']}")
        self.assertEqual(st, 200, seen)
        self.assertEqual(seen["allowed_actions"], [])
        self.assertProblem(self.nisc.post(f"{A}/policies/{p['id']}/actions/revise", {"approach": "x"}), 409)
        body = self.assertProblem(self.nisc.post(f"{A}/policies", {"fiscal_year": 2019, "approach": "x",
                                                                    "themes": ["y"]}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 5))
        self.assertProblem(self.jps.post(f"{A}/policies", {"fiscal_year": 2020, "approach": "x", "themes": ["y"]}), 403)
        st, _, lst = self.mof.get(f"{A}/policies?fiscal_year=2019")
        self.assertEqual([x["id"] for x in lst["items"]], [p["id"]])

    # ---------------------------------------------------------------- targets by date and kind
    def test_nhk_is_not_a_target(self):
        before = self.log_entries()
        body = self.assertProblem(self.nisc.post(f"{A}/engagements", {
            "org": "nhk", "fiscal_year": 2017, "type": "management", "scope": "s", "method": "m"}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 2, "2016"), body)
        self.assertEqual(self.log_entries(), before)

    def test_iai_before_the_amendment_needs_a_reason(self):
        body = self.assertProblem(self.nisc.post(f"{A}/engagements", {
            "org": "nict", "fiscal_year": 2015, "type": "management", "scope": "s", "method": "m"}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 2, "2015"), body)
        self.assertIn("特に必要", body["detail"])
        e = self.engagement("nict", 2015, reason="重大な情報漏えいを受け、特に必要があると認める")
        self.assertEqual(e["applies"], "conditional")
        self.assertEqual(e["start"], "2015-04-01")
        created = e["timeline"][0]
        self.assertEqual(created["detail"]["reason"], "重大な情報漏えいを受け、特に必要があると認める")
        self.assertTrue(cites(created, "AuditPolicy", 2, "2015"))
        # the same body after the amendment is a target without a reason
        e2 = self.engagement("nict", 2017)
        self.assertEqual(e2["applies"], "yes")

    def test_designated_corporation_only_from_its_designation(self):
        # jps is designated from 2016-10-21: an engagement starting on 2016-04-01 is refused
        body = self.assertProblem(self.nisc.post(f"{A}/engagements", {
            "org": "jps", "fiscal_year": 2016, "type": "penetration", "scope": "s", "method": "m"}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 2), body)
        e = self.engagement("jps", 2016, "penetration", start="2016-10-21")
        self.assertEqual(e["applies"], "yes")

    def test_delegation_to_ipa_covered_bodies_only(self):
        e = self.engagement("jps", 2017, "penetration", delegate_org="ipa")
        self.assertEqual(e["delegate_org"], "ipa")
        self.assertTrue(e["delegation_open"])
        self.assertTrue(cites(e["timeline"][0], "Act", 30))
        before = self.log_entries()
        body = self.assertProblem(self.nisc.post(f"{A}/engagements", {
            "org": "mof", "fiscal_year": 2017, "type": "penetration", "scope": "s", "method": "m",
            "delegate_org": "ipa"}), 409)
        self.assertTrue(cites(body, "Act", 30), body)
        self.assertEqual(self.log_entries(), before)
        # a ministry cannot be the delegate
        self.assertProblem(self.nisc.post(f"{A}/engagements", {
            "org": "jps", "fiscal_year": 2017, "type": "penetration", "scope": "s", "method": "m",
            "delegate_org": "mhlw"}), 422)

    def test_delegate_sees_that_engagement_only_and_reads_are_logged(self):
        e = self.engagement("jps", 2017, "penetration", delegate_org="ipa")
        other = self.engagement("jps", 2017)
        reads = int(self.srv.sql("SELECT count(*) FROM audit_log WHERE action = 'delegate_read'") or 0)
        st, _, seen = self.ipa.get(f"{A}/engagements/{e['id']}")
        self.assertEqual(st, 200, seen)
        self.assertNotIn("followups", seen)
        after = int(self.srv.sql("SELECT count(*) FROM audit_log WHERE action = 'delegate_read'"))
        self.assertGreater(after, reads)
        # the delegate records findings on its engagement
        st, _, f = self.ipa.post(f"{A}/engagements/{e['id']}/findings", {
            "title": "外部公開サーバに既知の脆弱性", "severity": "critical", "important": True,
            "evidence": "疑似攻撃で侵入に成功", "proposal": "修正プログラムを適用する"})
        self.assertEqual(st, 201, f)
        self.assertProblem(self.ipa.get(f"{A}/engagements/{other['id']}"), 404)
        self.assertProblem(self.ipa.post(f"{A}/engagements/{other['id']}/findings", {
            "title": "x", "severity": "low", "important": False, "evidence": "x"}), 404)
        self.assertProblem(self.ipa.get(f"{A}/followups?org=jps"), 404)
        self.assertProblem(self.ipa.get(f"{A}/summary?fiscal_year=2017"), 404)
        st, _, lst = self.ipa.get(f"{A}/engagements")
        self.assertEqual({x["id"] for x in lst["items"]}, {e["id"]})
        # NISC ends the delegation: the delegate sees nothing any more
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "end_delegation")
        self.assertProblem(self.ipa.get(f"{A}/engagements/{e['id']}"), 404)
        self.assertProblem(self.ipa.get(f"{A}/findings/{f['id']}"), 404)

    # ---------------------------------------------------------------- findings
    def test_important_finding_needs_a_proposal(self):
        e = self.engagement("mof", 2017)
        before = self.log_entries()
        body = self.assertProblem(self.nisc.post(f"{A}/engagements/{e['id']}/findings", {
            "title": "ログが保存されていない", "severity": "medium", "important": True, "evidence": "確認した"}), 422)
        self.assertTrue(cites(body, "AuditPolicy", 5), body)
        self.assertEqual(self.log_entries(), before)
        st, _, lst = self.nisc.get(f"{A}/engagements/{e['id']}/findings")
        self.assertEqual(lst["items"], [])
        # and a draft cannot lose its proposal either
        f = self.finding(e)
        self.assertProblem(self.nisc.post(f"{A}/findings/{f['id']}/actions/edit", {"proposal": None}), 422)

    def test_published_finding_is_not_edited_but_revised(self):
        e = self.engagement("mof", 2017)
        f = self.finding(e, important=False, title="パスワードの設定基準が緩い")
        out = self.act(self.nisc, f"{A}/findings/{f['id']}", "edit", {"severity": "low"})
        self.assertEqual(out["severity"], "low")
        self.assertEqual(out["revision"], 0)
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        before = self.log_entries()
        body = self.assertProblem(self.nisc.post(f"{A}/findings/{f['id']}/actions/edit", {"title": "書き換え"}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 5))
        self.assertIn("revise", body["detail"])
        self.assertProblem(self.nisc.call("PATCH", f"{A}/findings/{f['id']}", {"title": "書き換え"}), 409)
        self.assertEqual(self.log_entries(), before)
        out = self.act(self.nisc, f"{A}/findings/{f['id']}", "revise",
                       {"title": "パスワードの設定基準が統一基準を満たさない", "reason": "根拠の表現を正確にする"})
        self.assertEqual(out["revision"], 2)
        self.assertEqual(out["title"], "パスワードの設定基準が統一基準を満たさない")
        self.assertEqual([(r["revision"], r["title"]) for r in out["revisions"]],
                         [(1, "パスワードの設定基準が緩い"), (2, "パスワードの設定基準が統一基準を満たさない")])
        self.assertEqual(out["revisions"][1]["reason"], "根拠の表現を正確にする")
        # a revision needs its reason; no new finding on a published engagement
        self.assertProblem(self.nisc.post(f"{A}/findings/{f['id']}/actions/revise", {"title": "x"}), 422)
        self.assertProblem(self.nisc.post(f"{A}/engagements/{e['id']}/findings", {
            "title": "x", "severity": "low", "important": False, "evidence": "x"}), 409)

    # ---------------------------------------------------------------- routing
    def test_results_reach_jps_ciso_only_after_mhlw_forwards(self):
        e = self.engagement("jps", 2017)
        f = self.finding(e)
        # drafts: nobody but NISC
        for c in (self.jps_ciso, self.mhlw):
            self.assertProblem(c.get(f"{A}/findings/{f['id']}"), 404)
            self.assertProblem(c.get(f"{A}/engagements/{e['id']}/findings"), 404)
        st, _, seen = self.jps_ciso.get(f"{A}/engagements/{e['id']}")
        self.assertEqual(st, 200)  # the plan is the body's (method agreed with it)
        self.assertFalse(seen["results_visible"])
        self.assertNotIn("findings", seen)
        self.act(self.jps_ciso, f"{A}/engagements/{e['id']}", "agree_method", {"note": "了承"})
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        out = self.act(self.nisc, f"{A}/engagements/{e['id']}", "notify")
        self.assertEqual(out["state"], "at_ministry")
        self.assertEqual(out["timeline"][-1]["detail"]["route"], {"type": "via", "via": ["mhlw"]})
        self.assertTrue(cites(out["timeline"][-1], "AuditPolicy", 5))
        # waiting at the ministry
        self.assertEqual(self.mhlw.get(f"{A}/findings/{f['id']}")[0], 200)
        self.assertProblem(self.jps_ciso.get(f"{A}/findings/{f['id']}"), 404)
        self.assertProblem(self.jps_ciso.get(f"{A}/engagements/{e['id']}/oscal"), 404)
        sent = self.srv.sql(f"SELECT to_org FROM notifications WHERE record_kind = 'audit_engagement' "
                            f"AND record_id = {e['id']} AND subject LIKE '%結果%' ORDER BY id")
        self.assertEqual(sent.split(), ["mhlw"])
        # jps cannot forward its own results; the ministry does
        self.assertProblem(self.jps.post(f"{A}/engagements/{e['id']}/actions/forward", {}), 403)
        out = self.act(self.mhlw, f"{A}/engagements/{e['id']}", "forward")
        self.assertEqual(out["state"], "notified")
        st, _, got = self.jps_ciso.get(f"{A}/findings/{f['id']}")
        self.assertEqual(st, 200, got)
        self.assertEqual(got["state"], "notified")
        sent = self.srv.sql(f"SELECT to_org, coalesce(to_role, '-') FROM notifications WHERE record_kind = 'audit_engagement' "
                            f"AND record_id = {e['id']} AND subject LIKE '%結果%' ORDER BY id")
        self.assertEqual(sent.split(), ["mhlw|-", "jps|ciso"])
        notices = self.jps_ciso.get(f"{A}/engagements/{e['id']}")[2]["notices"]
        self.assertTrue(any(n["to_role"] == "ciso" and cites(n, "AuditPolicy", 5) for n in notices))

    def test_ministry_results_go_directly(self):
        e = self.engagement("mof", 2017)
        self.finding(e)
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        out = self.act(self.nisc, f"{A}/engagements/{e['id']}", "notify")
        self.assertEqual(out["state"], "notified")
        self.assertEqual(len(self.mof.get(f"{A}/engagements/{e['id']}/findings")[2]["items"]), 1)

    def test_reports_back_through_the_ministry_and_close(self):
        e, f = self.delivered_jps(2017, "委託先のセキュリティ要件が契約にない")
        out = self.act(self.jps, f"{A}/findings/{f['id']}", "report_back",
                       {"kind": "plan", "text": "次年度の契約から要件を追加する", "due": "2018-03-31"})
        self.assertEqual(out["state"], "report_at_ministry")
        self.assertEqual(out["reports"][-1]["state"], "at_ministry")
        self.assertProblem(self.jps.post(f"{A}/findings/{f['id']}/actions/forward_report", {}), 403)
        out = self.act(self.mhlw, f"{A}/findings/{f['id']}", "forward_report")
        self.assertEqual(out["state"], "plan_reported")
        # an important finding stays open until an improvement result is reported
        body = self.assertProblem(self.nisc.post(f"{A}/findings/{f['id']}/actions/close", {}), 409)
        self.assertTrue(cites(body, "AuditPolicy", 5))
        # the ministry may also report on its body's behalf (it reaches HQ directly)
        out = self.act(self.mhlw, f"{A}/findings/{f['id']}", "report_back",
                       {"kind": "result", "text": "全契約に要件を追加した"})
        self.assertEqual(out["state"], "result_reported")
        out = self.act(self.nisc, f"{A}/findings/{f['id']}", "close", {"note": "改善を確認"})
        self.assertEqual(out["state"], "closed")
        self.assertProblem(self.jps.post(f"{A}/findings/{f['id']}/actions/report_back",
                                         {"kind": "plan", "text": "x"}), 409)
        # POA&M of the plan reported
        st, _, poam = self.nisc.get(f"{A}/engagements/{e['id']}/oscal/poam")
        self.assertEqual(st, 200, poam)
        items = poam["plan-of-action-and-milestones"]["poam-items"]
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0]["description"], "次年度の契約から要件を追加する")
        risk = poam["plan-of-action-and-milestones"]["risks"][0]
        self.assertEqual(risk["remediations"][0]["tasks"][0]["timing"]["on-date"]["date"], "2018-03-31T23:59:59+09:00")

    # ---------------------------------------------------------------- follow-up
    def test_last_years_open_important_finding_is_followed_up(self):
        e1, f1 = self.delivered_jps(2020, "CSIRTの訓練が実施されていない")
        e2 = self.engagement("jps", 2021)
        st, _, fu = self.jps.get(f"{A}/followups?org=jps&fiscal_year=2021")
        self.assertEqual(st, 200, fu)
        mine = [x for x in fu["items"] if x["finding"] == f1["id"]]
        self.assertEqual(len(mine), 1, fu)
        self.assertEqual(mine[0]["fiscal_year"], 2020)
        self.assertEqual(mine[0]["state"], "notified")
        self.assertEqual(mine[0]["years_open"], 1)
        self.assertTrue(cites(fu, "AuditPolicy", 5))
        # this year's engagement shows it
        seen = self.nisc.get(f"{A}/engagements/{e2['id']}")[2]
        self.assertIn(f1["id"], [x["finding"] for x in seen["followups"]])
        # a non-important finding is not followed up; this year's are not "earlier"
        st, _, fu2 = self.mhlw.get(f"{A}/followups?org=jps&fiscal_year=2020")
        self.assertNotIn(f1["id"], [x["finding"] for x in fu2["items"]])
        # progress shows as a change by finding
        self.act(self.mhlw, f"{A}/findings/{f1['id']}", "report_back", {"kind": "plan", "text": "訓練計画を策定"})
        st, _, fu = self.jps.get(f"{A}/followups?org=jps")
        item = [x for x in fu["items"] if x["finding"] == f1["id"]][0]
        self.assertEqual(item["state"], "plan_reported")
        self.assertEqual(item["latest_report"]["kind"], "plan")
        self.assertIn("report_back", [ev["action"] for ev in item["events"]])

    # ---------------------------------------------------------------- summary
    def test_summary_holds_no_body_code_name_or_finding_text(self):
        st, _, p = self.nisc.post(f"{A}/policies", {
            "fiscal_year": 2022, "approach": "a",
            "themes": [{"code": "pension", "title": "日本年金機構の情報管理"}, {"code": "ir", "title": "インシデント対応"}]})
        self.assertEqual(st, 201, p)
        e = self.engagement("jps", 2022, themes=["ir"])
        self.finding(e, title="インシデント対応手順が古い版のまま", theme="ir")
        self.finding(e, title="バックアップの復元訓練が未実施", important=False)
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        e2 = self.engagement("mof", 2022, "penetration")
        self.finding(e2, title="公開サーバで古いTLS設定")
        self.act(self.nisc, f"{A}/engagements/{e2['id']}", "publish")
        st, _, s = self.hq.get(f"{A}/summary?fiscal_year=2022")
        self.assertEqual(st, 200, s)
        self.assertEqual(s["engagements"]["total"], 2)
        self.assertEqual(s["engagements"]["by_type"], {"management": 1, "penetration": 1})
        self.assertEqual(s["findings"]["total"], 3)
        self.assertEqual(s["findings"]["by_severity"]["high"], 3)
        ir = [t for t in s["findings"]["by_theme"] if t["theme"] == "ir"][0]
        self.assertEqual((ir["findings"], ir["engagements"]), (1, 1))
        self.assertTrue(cites(s, "AuditPolicy", 5))
        # the theme title naming a body is redacted
        self.assertGreaterEqual(s["redaction"]["redacted"], 1)
        text = json.dumps({k: v for k, v in s.items() if k != "basis"}, ensure_ascii=False)
        orgs = []
        cursor = None
        while True:
            st, _, page = self.nisc.get("/api/v1/orgs?limit=500" + (f"&cursor={cursor}" if cursor else ""))
            orgs += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        for o in orgs:
            self.assertIsNone(re.search(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(o["code"]), text),
                              o["code"])
            self.assertNotIn(o["name_ja"], text)
            self.assertNotIn(o["name_en"], text)
        for t in ("インシデント対応手順が古い版のまま", "バックアップの復元訓練が未実施", "公開サーバで古いTLS設定",
                  "管理者アカウント一覧と人事記録の突合", "四半期ごとに棚卸しを行う"):
            self.assertNotIn(t, text)
        # other bodies only once published to HQ; a delegate never
        self.assertProblem(self.mof.get(f"{A}/summary?fiscal_year=2022"), 404)
        self.assertProblem(self.hq.post(f"{A}/summary/actions/publish", {"fiscal_year": 2022}), 403)
        st, _, pub = self.nisc.post(f"{A}/summary/actions/publish", {"fiscal_year": 2022})
        self.assertEqual(st, 200, pub)
        st, _, seen = self.mof.get(f"{A}/summary?fiscal_year=2022")
        self.assertEqual(st, 200, seen)
        self.assertEqual(seen["findings"]["total"], 3)
        self.assertProblem(self.ipa.get(f"{A}/summary?fiscal_year=2022"), 404)

    # ---------------------------------------------------------------- OSCAL
    def test_oscal_assessment_results(self):
        e = self.engagement("mof", 2018, "penetration")
        f = self.finding(e, title="内部ネットワークで横展開が可能")
        self.assertProblem(self.nisc.get(f"{A}/engagements/{e['id']}/oscal"), 409)
        self.act(self.nisc, f"{A}/engagements/{e['id']}", "publish")
        st, _, doc = self.nisc.get(f"{A}/engagements/{e['id']}/oscal")
        self.assertEqual(st, 200, doc)
        ar = doc["assessment-results"]
        self.assertEqual(ar["uuid"], e["uuid"])
        self.assertEqual(ar["metadata"]["oscal-version"], "1.1.2")
        res = ar["results"][0]
        self.assertEqual(res["findings"][0]["title"], f["title"])
        self.assertEqual(res["findings"][0]["target"]["status"]["state"], "not-satisfied")
        self.assertEqual(res["observations"][0]["methods"], ["TEST"])
        uuid_re = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for u in (ar["uuid"], res["uuid"], res["findings"][0]["uuid"], res["risks"][0]["uuid"]):
            self.assertRegex(u, uuid_re)
        # stable across exports; no plan yet, so no POA&M
        self.assertEqual(self.nisc.get(f"{A}/engagements/{e['id']}/oscal")[2], doc)
        self.assertProblem(self.nisc.get(f"{A}/engagements/{e['id']}/oscal/poam"), 409)

    # ---------------------------------------------------------------- PDF report
    def test_engagement_report_pdf_in_japanese(self):
        e, f = self.delivered_jps(2018, "標的型メール訓練の結果が共有されていない")
        self.act(self.jps, f"{A}/findings/{f['id']}", "report_back", {"kind": "plan", "text": "訓練結果を共有する", "due": "2019-03-31"})
        st, hdrs, pdf = self.jps_ciso.get(f"{A}/engagements/{e['id']}/report.pdf")
        self.assertEqual(st, 200, pdf)
        self.assertEqual(hdrs["Content-Type"], "application/pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:20])
        self.assertIn(b"/FontName", pdf)  # embedded (CJK) font
        # only where the results have reached the caller, only once published
        e2 = self.engagement("jps", 2018)
        self.finding(e2)
        self.assertProblem(self.nisc.get(f"{A}/engagements/{e2['id']}/report.pdf"), 409)
        self.act(self.nisc, f"{A}/engagements/{e2['id']}", "publish")
        self.act(self.nisc, f"{A}/engagements/{e2['id']}", "notify")
        self.assertProblem(self.jps_ciso.get(f"{A}/engagements/{e2['id']}/report.pdf"), 404)
        self.assertEqual(self.mhlw.get(f"{A}/engagements/{e2['id']}/report.pdf")[0], 200)

    # ---------------------------------------------------------------- catalogues
    def test_catalogue_csv_and_oscal(self):
        csv = ("id,title,text,group\r\n"
               "1.1,情報セキュリティ対策の基本方針,組織全体の対策基準を定めること,組織と体制\r\n"
               "\"2.1\",\"アカウント管理\",\"主体認証情報を適切に管理すること,定期的に見直すこと\",技術的対策\r\n")
        st, hdrs, c = self.nisc.call("POST", f"{A}/catalogues?code=unified&title=" + quote("統一基準（抜粋）"),
                                     raw=csv.encode(), headers={"Content-Type": "text/csv"})
        self.assertEqual(st, 201, c)
        self.assertEqual([r["id"] for r in c["requirements"]], ["1.1", "2.1"])
        self.assertEqual(c["requirements"][1]["text"], "主体認証情報を適切に管理すること,定期的に見直すこと")
        self.assertProblem(self.nisc.call("POST", f"{A}/catalogues?code=unified&title=x", raw=csv.encode(),
                                          headers={"Content-Type": "text/csv"}), 409)
        cat = {"catalog": {"uuid": "8c1f6b7e-5f3a-4a5e-9d0e-6f3f7d3c2b1a", "metadata": {"title": "自組織ポリシー", "version": "3"},
                           "groups": [{"id": "g1", "title": "運用", "controls": [
                               {"id": "op-1", "title": "ログ管理", "parts": [{"name": "statement", "prose": "ログを1年保存する"}],
                                "controls": [{"id": "op-1.1", "title": "改ざん防止"}]}]}]}}
        st, _, c2 = self.nisc.call("POST", f"{A}/catalogues?code=own-policy", raw=json.dumps(cat).encode(),
                                   headers={"Content-Type": "application/json"})
        self.assertEqual(st, 201, c2)
        self.assertEqual(c2["title"], "自組織ポリシー")
        self.assertEqual([(r["id"], r["group"]) for r in c2["requirements"]], [("op-1", "運用"), ("op-1.1", "運用")])
        e = self.engagement("mof", 2018)
        f = self.finding(e, requirement="unified:2.1")
        self.assertEqual(f["requirement_title"], "アカウント管理")
        self.assertProblem(self.nisc.post(f"{A}/engagements/{e['id']}/findings", {
            "title": "x", "severity": "low", "important": False, "evidence": "x", "requirement": "unified:9.9"}), 422)
        for raw, ct in ((b"title,text\r\nx,y\r\n", "text/csv"), (b"id,title,text\r\n1,\"open", "text/csv"),
                        (b"id,title,text\r\n1,a\xff,b\r\n", "text/csv"), (b'{"catalog": {}}', "application/json"),
                        (b"id,title,text\r\n1,a,b\r\n1,c,d\r\n", "text/csv")):
            self.assertProblem(self.nisc.call("POST", f"{A}/catalogues?code=bad&title=x", raw=raw,
                                              headers={"Content-Type": ct}), 422)
        self.assertProblem(self.jps.call("POST", f"{A}/catalogues?code=mine&title=x", raw=csv.encode(),
                                         headers={"Content-Type": "text/csv"}), 403)
        self.assertEqual(self.jps.get(f"{A}/catalogues/unified")[0], 200)
        self.assertProblem(self.ipa.get(f"{A}/catalogues/unified"), 404)

    # ---------------------------------------------------------------- good practices
    def test_good_practice_shared_anonymised_on_request(self):
        e = self.engagement("jps", 2018)
        st, _, gp = self.nisc.post(f"{A}/engagements/{e['id']}/good-practices", {
            "title": "日本年金機構のCSIRT訓練", "description": "jpsでは全職員が年2回、標的型メール訓練を受ける"})
        self.assertEqual(st, 201, gp)
        self.assertProblem(self.mof.get(f"{A}/good-practices/{gp['id']}"), 404)
        out = self.act(self.jps_ciso, f"{A}/good-practices/{gp['id']}", "request_anonymity")
        self.assertTrue(out["anonymise"])
        out = self.act(self.nisc, f"{A}/good-practices/{gp['id']}", "publish")
        self.assertEqual(out["state"], "published")
        st, _, lst = self.mof.get(f"{A}/good-practices")
        mine = [x for x in lst["items"] if x["id"] == gp["id"]][0]
        self.assertIsNone(mine["org"])
        dumped = json.dumps(mine, ensure_ascii=False)
        self.assertNotIn("日本年金機構", dumped)
        self.assertIsNone(re.search(r"\bjps\b", dumped))
        st, _, one = self.mof.get(f"{A}/good-practices/{gp['id']}")
        self.assertEqual(st, 200, one)
        self.assertNotIn("日本年金機構", json.dumps(one, ensure_ascii=False))
        self.assertEqual(int(self.srv.sql(f"SELECT count(*) FROM notifications WHERE record_kind = "
                                          f"'audit_good_practice' AND record_id = {gp['id']} AND to_org = 'mof'")), 1)

    # ---------------------------------------------------------------- another body sees nothing
    def test_another_body_sees_none_of_it(self):
        e, f = self.delivered_jps(2019, "端末の暗号化が不十分")
        st, _, gp = self.nisc.post(f"{A}/engagements/{e['id']}/good-practices",
                                   {"title": "資産管理台帳の自動化", "description": "d"})
        self.assertEqual(st, 201)
        self.act(self.jps, f"{A}/findings/{f['id']}", "report_back", {"kind": "plan", "text": "計画"})
        self.act(self.mhlw, f"{A}/findings/{f['id']}", "forward_report")
        eid, fid, gid = e["id"], f["id"], gp["id"]
        before = self.log_entries()
        for c in (self.mof, self.aist, self.nict, self.mic):
            for method, path, body in (
                    ("GET", f"{A}/engagements/{eid}", None),
                    ("GET", f"{A}/engagements/{eid}/findings", None),
                    ("POST", f"{A}/engagements/{eid}/findings", {"title": "x", "severity": "low",
                                                                 "important": False, "evidence": "x"}),
                    ("POST", f"{A}/engagements/{eid}/good-practices", {"title": "x", "description": "x"}),
                    ("GET", f"{A}/engagements/{eid}/oscal", None),
                    ("GET", f"{A}/engagements/{eid}/oscal/poam", None),
                    ("GET", f"{A}/engagements/{eid}/report.pdf", None),
                    ("POST", f"{A}/engagements/{eid}/actions/close", {}),
                    ("POST", f"{A}/engagements/{eid}/actions/agree_method", {}),
                    ("GET", f"{A}/findings/{fid}", None),
                    ("PATCH", f"{A}/findings/{fid}", {"title": "x"}),
                    ("POST", f"{A}/findings/{fid}/actions/report_back", {"kind": "plan", "text": "x"}),
                    ("POST", f"{A}/findings/{fid}/actions/close", {}),
                    ("GET", f"{A}/good-practices/{gid}", None),
                    ("POST", f"{A}/good-practices/{gid}/actions/request_anonymity", {}),
                    ("GET", f"{A}/followups?org=jps", None),
                    ("GET", f"{A}/engagements?org=jps", None),
                    ("GET", f"{A}/summary?fiscal_year=2019", None)):
                with self.subTest(user=c.token[:6], method=method, path=path):
                    self.assertProblem(c.call(method, path, body), 404)
            st, _, lst = c.get(f"{A}/engagements?fiscal_year=2019")
            self.assertEqual(st, 200)
            self.assertNotIn(eid, [x["id"] for x in lst["items"]])
            st, _, lst = c.get(f"{A}/good-practices")
            self.assertNotIn(gid, [x["id"] for x in lst["items"]])
        self.assertEqual(self.log_entries(), before)
        # while the supervising ministry and the body see it
        self.assertEqual(self.mhlw.get(f"{A}/engagements/{eid}")[0], 200)
        self.assertEqual(self.jps.get(f"{A}/followups?org=jps")[0], 200)

    # ---------------------------------------------------------------- malformed input
    def test_malformed_input_gets_a_problem_and_writes_nothing(self):
        e = self.engagement("mof", 2018)
        f = self.finding(e, important=False)
        before = self.log_entries()
        n_eng = self.srv.sql("SELECT count(*) FROM audit_engagements")
        n_fnd = self.srv.sql("SELECT count(*) FROM audit_findings")
        h = {"Content-Type": "application/json"}
        good = {"org": "mof", "fiscal_year": 2018, "type": "management", "scope": "s", "method": "m"}
        bad_engagements = [
            (b"{not json", 400), (b'{"org": "mof", "org": "jps"}', 400), (b"[" * 60 + b"]" * 60, 400),
            (b"[]", 400), (b"\xff\xfe", 400),
            (json.dumps(dict(good, type="audit")).encode(), 422),
            (json.dumps(dict(good, fiscal_year="2018")).encode(), 422),
            (json.dumps(dict(good, fiscal_year=1800)).encode(), 422),
            (json.dumps(dict(good, extra=1)).encode(), 422),
            (json.dumps(dict(good, start="2018-02-30")).encode(), 422),
            (json.dumps(dict(good, start="2019-04-01")).encode(), 422),
            (json.dumps(dict(good, end="2018-03-01", start="2018-05-01")).encode(), 422),
            (json.dumps(dict(good, org="nowhere")).encode(), 422),
            (json.dumps(dict(good, org="../x")).encode(), 422),
            (json.dumps(dict(good, scope="")).encode(), 422),
            (json.dumps(dict(good, scope="a\u0000b")).encode(), 400),
            (json.dumps(dict(good, scope="a\u0007b")).encode(), 422),
            (json.dumps(dict(good, method=5)).encode(), 422),
            (json.dumps(dict(good, themes=["nope"])).encode(), 422),
            (json.dumps(dict(good, experts="x")).encode(), 422),
        ]
        for raw, status in bad_engagements:
            with self.subTest(raw=raw[:50]):
                self.assertProblem(self.nisc.call("POST", f"{A}/engagements", raw=raw, headers=h), status)
        self.assertProblem(self.nisc.call("POST", f"{A}/engagements", raw=b"org=mof",
                                          headers={"Content-Type": "text/plain"}), 415)
        fgood = {"title": "t", "severity": "low", "important": False, "evidence": "e"}
        for body, status in ((dict(fgood, severity="severe"), 422), (dict(fgood, important="yes"), 422),
                             (dict(fgood, title=""), 422), (dict(fgood, evidence="x" * 30000), 422),
                             (dict(fgood, theme="none"), 422), ({"title": "t"}, 422), (dict(fgood, x=1), 422)):
            with self.subTest(body=str(body)[:50]):
                self.assertProblem(self.nisc.post(f"{A}/engagements/{e['id']}/findings", body), status)
        for path, body, status in ((f"{A}/findings/{f['id']}/actions/edit", {"nope": 1}, 422),
                                   (f"{A}/findings/{f['id']}/actions/edit", {}, 422),
                                   (f"{A}/findings/{f['id']}/actions/fly", {}, 404),
                                   (f"{A}/engagements/{e['id']}/actions/publish", {"x": 1}, 422),
                                   (f"{A}/engagements/{e['id']}/actions/notify", {}, 409),
                                   (f"{A}/engagements/{e['id']}/actions/cancel", {}, 422),
                                   (f"{A}/engagements/999999/actions/publish", {}, 404),
                                   (f"{A}/engagements/abc/actions/publish", {}, 404),
                                   (f"{A}/summary/actions/publish", {"fiscal_year": "x"}, 422),
                                   (f"{A}/policies", {"fiscal_year": 2030, "approach": "a", "themes": []}, 422),
                                   (f"{A}/policies", {"fiscal_year": 2030, "approach": "a",
                                                      "themes": [{"code": "A B", "title": "t"}]}, 422),
                                   (f"{A}/policies", {"fiscal_year": 2030, "approach": "a",
                                                      "themes": ["x", {"code": "t1", "title": "dup"}]}, 422)):
            with self.subTest(path=path, body=body):
                self.assertProblem(self.nisc.post(path, body), status)
        for path in (f"{A}/followups", f"{A}/followups?org=../etc", f"{A}/summary?fiscal_year=abc",
                     f"{A}/engagements?limit=0", f"{A}/engagements?cursor=x", f"{A}/engagements?org=A%20B"):
            with self.subTest(path=path):
                self.assertProblem(self.nisc.get(path), 400)
        self.assertEqual(self.log_entries(), before)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM audit_engagements"), n_eng)
        self.assertEqual(self.srv.sql("SELECT count(*) FROM audit_findings"), n_fnd)
        st, _, still = self.nisc.get(f"{A}/findings/{f['id']}")
        self.assertEqual((still["title"], still["severity"], still["state"]), (f["title"], f["severity"], "draft"))

    def test_openapi_lists_audit_paths(self):
        st, _, doc = self.srv.request("GET", "/api/v1/openapi.json")
        self.assertEqual(st, 200)
        for p in ("/api/v1/audits/policies", "/api/v1/audits/engagements", "/api/v1/audits/engagements/{id}/findings",
                  "/api/v1/audits/followups", "/api/v1/audits/summary", "/api/v1/audits/engagements/{id}/oscal"):
            self.assertIn(p, doc["paths"])


if __name__ == "__main__":
    main()
