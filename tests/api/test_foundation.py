"""test_foundation.py: the foundation API (spec 80) on one store: health, sessions, users,
registry, applicability, heads, designations, the tamper-evident log, visibility and
malformed input."""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402


class Foundation(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.srv.login("admin")
        cls.nisc = cls.srv.login("nisc.staff")
        cls.director = cls.srv.login("nisc.director")
        cls.nict = cls.srv.login("nict.staff")
        cls.jps = cls.srv.login("jps.csirt")
        cls.mhlw = cls.srv.login("mhlw.csirt")

    def log_entries(self):
        st, _, body = self.admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200, body)
        return body["entries"]

    # --- health and headers
    def test_health(self):
        st, hdrs, body = self.srv.request("GET", "/api/v1/health")
        self.assertEqual(st, 200)
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["store"], "postgresql" if self.srv.store == "pg" else "sqlite")
        self.assertEqual(hdrs["X-Content-Type-Options"], "nosniff")
        self.assertIn("frame-ancestors 'none'", hdrs["Content-Security-Policy"])
        self.assertNotIn("unsafe-inline", hdrs["Content-Security-Policy"])
        self.assertEqual(hdrs["Cache-Control"], "no-store")

    def test_openapi_lists_foundation_paths(self):
        st, _, body = self.srv.request("GET", "/api/v1/openapi.json")
        self.assertEqual(st, 200)
        for p in ("/api/v1/orgs/{code}/applicability", "/api/v1/orgs/{code}/heads",
                  "/api/v1/audit-log/verify", "/api/v1/users", "/api/v1/session"):
            self.assertIn(p, body["paths"])

    # --- sessions
    def test_login_wrong_password_is_401(self):
        st, _, body = self.srv.request("POST", "/api/v1/session", {"login": "nict.staff", "password": "x" * 14})
        self.assertEqual(st, 401, body)
        st, _, _ = self.srv.request("POST", "/api/v1/session", {"login": "nobody", "password": "x" * 14})
        self.assertEqual(st, 401)

    def test_session_answers_user_and_logout_revokes(self):
        c = self.srv.login("nict.staff")
        st, _, body = c.get("/api/v1/session")
        self.assertEqual(st, 200)
        self.assertEqual(body["user"]["org"], "nict")
        self.assertIn("staff", body["user"]["roles"])
        st, _, _ = c.call("DELETE", "/api/v1/session")
        self.assertEqual(st, 204)
        self.assertProblem(c.get("/api/v1/session"), 401)

    def test_no_credentials_is_401(self):
        self.assertProblem(self.srv.request("GET", "/api/v1/orgs"), 401)

    def test_cookie_session_needs_csrf_token(self):
        st, hdrs, body = self.srv.request("POST", "/api/v1/session",
                                          {"login": "admin", "password": "admin-password-for-tests"})
        cookie = hdrs["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        jar = {"Cookie": cookie.split(";")[0]}
        new_user = {"login": "csrf.user", "password": "long-enough-pass", "name": "x", "org": "nict",
                    "roles": ["staff"]}
        self.assertProblem(self.srv.request("POST", "/api/v1/users", new_user, jar), 403)
        st, _, _ = self.srv.request("GET", "/api/v1/users/csrf.user", headers=jar)
        self.assertEqual(st, 404)
        jar["X-CSRF-Token"] = body["csrf_token"]
        st, _, created = self.srv.request("POST", "/api/v1/users", new_user, jar)
        self.assertEqual(st, 201, created)

    def test_lockout_after_failures(self):
        st, _, _ = self.admin.post("/api/v1/users", {"login": "lock.me", "password": "long-enough-pass",
                                                     "name": "Lock", "org": "nict", "roles": ["staff"]})
        self.assertEqual(st, 201)
        for _ in range(5):
            st, _, _ = self.srv.request("POST", "/api/v1/session", {"login": "lock.me", "password": "wrong-password!"})
            self.assertEqual(st, 401)
        st, _, body = self.srv.request("POST", "/api/v1/session", {"login": "lock.me", "password": "long-enough-pass"})
        self.assertEqual(st, 429, body)

    def test_admin_unlocks_and_disables(self):
        st, _, _ = self.admin.post("/api/v1/users", {"login": "unlock.me", "password": "long-enough-pass",
                                                     "name": "U", "org": "nict", "roles": ["staff"]})
        self.assertEqual(st, 201)
        for _ in range(5):
            self.srv.request("POST", "/api/v1/session", {"login": "unlock.me", "password": "wrong-password!"})
        self.assertEqual(self.srv.request("POST", "/api/v1/session",
                                          {"login": "unlock.me", "password": "long-enough-pass"})[0], 429)
        self.assertProblem(self.nict.post("/api/v1/users/unlock.me/actions/unlock"), 404)
        st, _, _ = self.admin.post("/api/v1/users/unlock.me/actions/unlock")
        self.assertEqual(st, 200)
        c = self.srv.login("unlock.me", "long-enough-pass")
        st, _, _ = self.admin.post("/api/v1/users/unlock.me/actions/disable")
        self.assertEqual(st, 200)
        self.assertProblem(c.get("/api/v1/session"), 401)  # its sessions ended
        self.assertEqual(self.srv.request("POST", "/api/v1/session",
                                          {"login": "unlock.me", "password": "long-enough-pass"})[0], 401)

    def test_api_tokens_issue_list_revoke(self):
        st, _, tok = self.nict.post("/api/v1/tokens", {"name": "script", "days": 30})
        self.assertEqual(st, 201, tok)
        self.assertEqual(len(tok["token"]), 64)
        st, _, body = self.srv.request("GET", "/api/v1/session", headers={"Authorization": "Bearer " + tok["token"]})
        self.assertEqual(st, 200)
        self.assertEqual(body["user"]["org"], "nict")
        st, _, lst = self.nict.get("/api/v1/tokens")
        self.assertIn(tok["id"], [t["id"] for t in lst["items"]])
        self.assertNotIn("token", lst["items"][0])
        # another body's user cannot see or revoke it
        self.assertNotIn(tok["id"], [t["id"] for t in self.jps.get("/api/v1/tokens")[2]["items"]])
        self.assertProblem(self.jps.call("DELETE", f"/api/v1/tokens/{tok['id']}"), 404)
        st, _, _ = self.nict.call("DELETE", f"/api/v1/tokens/{tok['id']}")
        self.assertEqual(st, 204)
        self.assertEqual(self.srv.request("GET", "/api/v1/session",
                                          headers={"Authorization": "Bearer " + tok["token"]})[0], 401)
        self.assertProblem(self.nict.post("/api/v1/tokens", {"name": "x", "days": 1000}), 422)

    # --- users and visibility
    def test_admin_creates_user(self):
        st, hdrs, body = self.admin.post("/api/v1/users", {"login": "aist.user", "password": "long-enough-pass",
                                                          "name": "産総研 職員", "org": "aist", "roles": ["staff"]})
        self.assertEqual(st, 201, body)
        self.assertEqual(body["org"], "aist")
        self.assertEqual(hdrs["Location"], "/api/v1/users/aist.user")
        self.assertProblem(self.admin.post("/api/v1/users", {"login": "aist.user", "password": "long-enough-pass",
                                                             "name": "x", "org": "aist", "roles": ["staff"]}), 409)

    def test_non_admin_cannot_create_users(self):
        self.assertProblem(self.nisc.post("/api/v1/users", {"login": "x.y", "password": "long-enough-pass",
                                                            "name": "x", "org": "nict", "roles": ["staff"]}), 403)

    def test_iai_user_cannot_see_other_bodies_users(self):
        st, _, body = self.nict.get("/api/v1/users")
        self.assertEqual(st, 200)
        self.assertTrue(body["items"])
        self.assertTrue(all(u["org"] == "nict" for u in body["items"]))
        self.assertProblem(self.nict.get("/api/v1/users/jps.csirt"), 404)
        self.assertProblem(self.nict.get("/api/v1/users?org=jps"), 404)
        self.assertProblem(self.nict.get("/api/v1/users/mhlw.csirt"), 404)
        self.assertProblem(self.jps.get("/api/v1/users/nict.staff"), 404)

    def test_ministry_sees_users_of_bodies_it_supervises_only(self):
        st, _, body = self.mhlw.get("/api/v1/users?org=jps")
        self.assertEqual(st, 200, body)
        self.assertProblem(self.mhlw.get("/api/v1/users?org=nict"), 404)

    def test_delegate_sees_no_users(self):
        ipa = self.srv.login("ipa.delegate")
        self.assertProblem(ipa.get("/api/v1/users"), 404)
        self.assertProblem(ipa.get("/api/v1/users/jps.csirt"), 404)

    # --- registry
    def test_search_japanese_english_code_former_name(self):
        def codes(q):
            st, _, body = self.nict.get("/api/v1/orgs?q=" + q)
            self.assertEqual(st, 200, body)
            return [o["code"] for o in body["items"]]
        from urllib.parse import quote
        self.assertIn("jps", codes(quote("年金")))
        self.assertIn("jps", codes(quote("Pension Service")))
        self.assertIn("jps", codes("JPS"))
        self.assertIn("ndf", codes(quote("原子力損害賠償支援機構")))  # former name
        self.assertEqual(codes(quote("100%_")), [])

    def test_kind_filter_and_pagination(self):
        st, _, body = self.nict.get("/api/v1/orgs?kind=ministry&limit=5")
        self.assertEqual(st, 200)
        self.assertEqual(len(body["items"]), 5)
        self.assertTrue(all(o["kind"] == "ministry" for o in body["items"]))
        seen = [o["code"] for o in body["items"]]
        while body["next_cursor"]:
            st, _, body = self.nict.get("/api/v1/orgs?kind=ministry&limit=5&cursor=" + body["next_cursor"])
            seen += [o["code"] for o in body["items"]]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertIn("mhlw", seen)
        self.assertProblem(self.nict.get("/api/v1/orgs?kind=spaceship"), 400)
        self.assertProblem(self.nict.get("/api/v1/orgs?limit=501"), 400)
        self.assertProblem(self.nict.get("/api/v1/orgs?date=2016-02-30"), 400)

    def test_art32_table_changes_on_the_boundary(self):
        def org(code, date):
            st, _, body = self.nict.get(f"/api/v1/orgs/{code}?date={date}")
            self.assertEqual(st, 200, body)
            return body
        self.assertFalse(org("jlis", "2016-10-20")["art32_listed"])
        self.assertTrue(org("jlis", "2016-10-21")["art32_listed"])
        self.assertTrue(org("jrkyushu", "2016-10-20")["art32_listed"])
        self.assertFalse(org("jrkyushu", "2016-10-21")["art32_listed"])
        self.assertFalse(org("jps", "2016-10-20")["art13_designated"])
        jps = org("jps", "2016-10-21")
        self.assertTrue(jps["art13_designated"])
        self.assertEqual(jps["supervising"], ["mhlw"])
        self.assertEqual(jps["designations"][0]["from"], "2016-10-21")
        self.assertEqual(jps["designations"][0]["group"], "公的年金関係")
        self.assertIn({"date": "2016-10-21", "event": "art13_designated",
                       "decision": jps["designations"][0]["decision"]}, jps["history"])
        self.assertIn("原子力損害賠償支援機構", org("ndf", "2016-10-21")["former_names_ja"])
        self.assertProblem(self.nict.get("/api/v1/orgs/nope"), 404)

    def test_applicability_both_sides_of_the_amendment(self):
        def fn(code, date):
            st, _, body = self.nict.get(f"/api/v1/orgs/{code}/applicability?date={date}")
            self.assertEqual(st, 200, body)
            self.assertEqual(set(body["functions"]), {
                "gsoc_monitoring", "audit", "cause_investigation", "delegation", "mandatory_reporting",
                "materials_request", "cymat_support", "risk_guideline"})
            for a in body["functions"].values():
                self.assertTrue(a["basis"])
                for c in a["basis"]:
                    self.assertTrue(c["text_ja"])
            return body["functions"]
        before, after = fn("jps", "2016-10-20"), fn("jps", "2016-10-21")
        self.assertEqual(before["audit"]["applies"], "no")
        self.assertEqual(after["audit"]["applies"], "yes")
        self.assertEqual(after["audit"]["basis"][0]["doc"], "AuditPolicy")
        self.assertEqual(after["audit"]["basis"][0]["version"], "2016")
        self.assertEqual(before["audit"]["basis"][0]["version"], "2015")
        self.assertEqual(after["mandatory_reporting"]["route"], {"type": "via", "via": ["mhlw"]})
        self.assertEqual(after["gsoc_monitoring"]["applies"], "yes")
        self.assertEqual(before["gsoc_monitoring"]["applies"], "no")
        nict = fn("nict", "2016-10-20")
        self.assertEqual(nict["audit"]["applies"], "conditional")
        self.assertTrue(nict["audit"]["condition"])
        self.assertEqual(fn("nict", "2016-10-21")["audit"]["applies"], "yes")
        self.assertEqual(fn("mhlw", "2016-10-21")["mandatory_reporting"]["route"]["type"], "direct")
        nhk = fn("nhk", "2016-10-21")
        self.assertEqual(nhk["audit"]["applies"], "no")
        self.assertEqual(nhk["materials_request"]["applies"], "yes")
        jaxa = fn("jaxa", "2016-10-21")
        self.assertEqual(jaxa["mandatory_reporting"]["route"]["via"], ["cao", "mic", "mext", "meti"])

    def test_heads_article_4_and_8(self):
        st, _, body = self.nict.get("/api/v1/orgs/jps/heads?article=4&date=2016-10-21")
        self.assertEqual(st, 200, body)
        self.assertEqual(sorted(body["recipients"]), ["jps", "mhlw"])
        self.assertEqual(body["basis"][0]["doc"], "MajorIncidentRules")
        st, _, body = self.nict.get("/api/v1/orgs/jps/heads?article=8&date=2016-10-21")
        self.assertEqual(body["recipients"], ["mhlw"])
        st, _, body = self.nict.get("/api/v1/orgs/mhlw/heads?article=4&date=2016-10-21")
        self.assertEqual(body["recipients"], ["mhlw"])
        self.assertProblem(self.nict.get("/api/v1/orgs/jps/heads"), 400)

    # --- designations
    def designation(self, **kw):
        body = {"from": "2017-04-01", "decision": "本部決定 2017-03-30",
                "criteria": {"1": "一体性あり", "2": "機微情報を保有", "3": "自主的対策では不十分", "4": "センサー監視が有効"}}
        body.update(kw)
        return body

    def test_designation_through_the_api(self):
        entries = self.log_entries()
        self.assertProblem(self.nisc.post("/api/v1/orgs/jfc/designations", self.designation()), 403)
        st, _, body = self.director.post("/api/v1/orgs/jfc/designations", self.designation())
        self.assertEqual(st, 201, body)
        self.assertEqual(body["from"], "2017-04-01")
        self.assertEqual(self.log_entries(), entries + 1)
        st, _, a = self.nict.get("/api/v1/orgs/jfc/applicability?date=2017-04-01")
        self.assertEqual(a["functions"]["audit"]["applies"], "yes")
        st, _, a = self.nict.get("/api/v1/orgs/jfc/applicability?date=2017-03-31")
        self.assertEqual(a["functions"]["audit"]["applies"], "no")
        self.assertProblem(self.director.post("/api/v1/orgs/jfc/designations", self.designation(**{"from": "2018-01-01"})), 409)
        # revocation ends the interval; earlier dates keep their answer
        st, _, org = self.admin.post(f"/api/v1/orgs/jfc/designations/{body['id']}/actions/end",
                                     {"until": "2019-04-01", "decision": "本部決定 2019-03-28"})
        self.assertEqual(st, 200, org)
        st, _, a = self.nict.get("/api/v1/orgs/jfc/applicability?date=2019-04-01")
        self.assertEqual(a["functions"]["audit"]["applies"], "no")
        st, _, a = self.nict.get("/api/v1/orgs/jfc/applicability?date=2018-06-01")
        self.assertEqual(a["functions"]["audit"]["applies"], "yes")

    def test_designation_refused_for_a_ministry_with_basis(self):
        body = self.assertProblem(self.admin.post("/api/v1/orgs/mof/designations", self.designation()), 409)
        self.assertEqual(body["basis"][0]["doc"], "Act")
        self.assertEqual(body["basis"][0]["article"], 13)

    def test_designation_input_checked(self):
        self.assertProblem(self.admin.post("/api/v1/orgs/jbic/designations", self.designation(criteria={"1": "x"})), 422)
        self.assertProblem(self.admin.post("/api/v1/orgs/jbic/designations", self.designation(**{"from": "someday"})), 422)
        self.assertProblem(self.admin.post("/api/v1/orgs/jbic/designations", self.designation(extra=1)), 422)
        self.assertProblem(self.admin.post("/api/v1/orgs/nope/designations", self.designation()), 404)

    def test_art32_listing_and_delisting(self):
        st, _, body = self.admin.post("/api/v1/orgs/jaxa/listings", {"from": "2020-04-01", "decision": "別表改正"})
        self.assertEqual(st, 201, body)
        st, _, org = self.nict.get("/api/v1/orgs/jaxa?date=2020-04-01")
        self.assertTrue(org["art32_listed"])
        st, _, _ = self.admin.post(f"/api/v1/orgs/jaxa/listings/{body['id']}/actions/end",
                                   {"until": "2021-04-01", "decision": "別表改正"})
        self.assertEqual(st, 200)
        st, _, org = self.nict.get("/api/v1/orgs/jaxa?date=2021-04-01")
        self.assertFalse(org["art32_listed"])

    # --- malformed input writes nothing
    def test_malformed_input_gets_problem_and_writes_nothing(self):
        before = self.log_entries()
        users = self.admin.get("/api/v1/users")[2]["items"]
        url = "/api/v1/users"
        h = {"Content-Type": "application/json"}
        cases = [
            (b"{not json", 400),
            (b'{"login": "a", "login": "b"}', 400),                      # duplicate keys
            (b"[" * 100 + b"]" * 100, 400),                                # deep nesting
            (b'{"a":' * 40 + b"1" + b"}" * 40, 400),
            (b"[1, 2]", 400),                                              # not an object
            (b'{"login": 5, "password": "long-enough-pass", "name": "n", "org": "nict", "roles": ["staff"]}', 422),
            (b'{"login": "ok.user", "password": "long-enough-pass", "name": "n", "org": "nict", "roles": ["staff"], "x": 1}', 422),
            (b'{"login": "ok.user", "password": "long-enough-pass", "name": "n", "org": "nict", "roles": ["wizard"]}', 422),
            (b'{"login": "ok.user", "password": "short", "name": "n", "org": "nict", "roles": ["staff"]}', 422),
            (b'{"login": "ok.user", "password": "long-enough-pass", "name": "n", "org": "nowhere", "roles": ["staff"]}', 422),
            ('{"login": "ok.user", "password": "long-enough-pass", "name": "\udc80", "org": "nict", "roles": ["staff"]}'.encode("utf-8", "surrogatepass"), 400),
        ]
        for raw, status in cases:
            with self.subTest(raw=raw[:60]):
                self.assertProblem(self.admin.call("POST", url, raw=raw, headers=h), status)
        self.assertProblem(self.admin.call("POST", url, raw=b"x=1", headers={"Content-Type": "text/plain"}), 415)
        self.assertEqual(self.log_entries(), before)
        self.assertEqual(self.admin.get("/api/v1/users")[2]["items"], users)

    def test_ambiguous_framing_refused_directly(self):
        import socket
        login = b'{"login":"nict.staff","password":"demo-password-for-tests"}'
        for extra in (b"Content-Length: %d\r\nContent-Length: 5\r\n" % len(login),
                      b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(login)):
            with self.subTest(extra=extra):
                s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=10)
                s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          + extra + b"\r\n" + login)
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break  # the server closes after refusing
                    data += chunk
                s.close()
                self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:200])
                self.assertEqual(data.count(b"HTTP/1.1 "), 1)  # no second, smuggled answer
                self.assertNotIn(b"token", data)

    def test_huge_body_refused_before_it_is_read(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=10)
        conn.putrequest("POST", "/api/v1/users")
        conn.putheader("Authorization", f"Bearer {self.admin.token}")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(50 * 1024 * 1024))
        conn.endheaders()
        resp = conn.getresponse()  # answered without sending any of the body
        self.assertEqual(resp.status, 413)
        self.assertEqual(json.loads(resp.read())["status"], 413)
        conn.close()
        # a chunked body (no Content-Length) growing past the cap is refused at the end
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        chunks = (b"a" * 65536 for _ in range(40))  # 2.5 MiB
        conn.request("POST", "/api/v1/users", body=chunks, encode_chunked=True,
                     headers={"Authorization": f"Bearer {self.admin.token}",
                              "Content-Type": "application/json"})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 413)
        conn.close()



class TamperEvidentLog(ServerTest):
    def test_altered_row_is_named(self):
        admin = self.srv.login("admin")
        for i in range(3):
            st, _, _ = admin.post("/api/v1/users", {"login": f"chain.{i}", "password": "long-enough-pass",
                                                    "name": "c", "org": "nict", "roles": ["staff"]})
            self.assertEqual(st, 201)
        st, _, body = admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200)
        self.assertTrue(body["ok"], body)
        self.assertIsNone(body["first_bad"])
        n = body["entries"]
        self.assertGreater(n, 5)
        out = self.srv.cli("audit-log", "verify")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("ok", out.stdout)
        # only the director and admins may run it; others do not learn it exists
        self.assertProblem(self.srv.login("nisc.staff").get("/api/v1/audit-log/verify"), 404)
        target = n - 2
        self.srv.sql(f"UPDATE audit_log SET detail = '{{\"tampered\":true}}' WHERE seq = {target}")
        st, _, body = admin.get("/api/v1/audit-log/verify")
        self.assertFalse(body["ok"])
        self.assertEqual(body["first_bad"], target)
        out = self.srv.cli("audit-log", "verify")
        self.assertEqual(out.returncode, 3)
        self.assertIn(f"first bad entry {target}", out.stdout)


class RegistryCsv(ServerTest):
    def test_export_import_round_trip(self):
        import tempfile
        d = tempfile.mkdtemp()
        first, second = os.path.join(d, "a.csv"), os.path.join(d, "b.csv")
        out = self.srv.cli("orgs", "export", first)
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(first, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("jps,日本年金機構", text)
        self.assertIn("2016-10-20", text)  # jrkyushu's last listed day, inclusive
        out = self.srv.cli("orgs", "import", first)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = self.srv.cli("orgs", "export", second)
        with open(second, encoding="utf-8") as f:
            self.assertEqual(f.read(), text)
        bad = os.path.join(d, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("code,name_ja,name_en,kind,supervising\nnewbody,新法人,New Body,corporation,nosuchministry\n")
        out = self.srv.cli("orgs", "import", bad)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("nosuchministry", out.stderr)
        st, _, _ = self.srv.login("admin").get("/api/v1/orgs/newbody")
        self.assertEqual(st, 404)  # nothing of the failed import was kept


if __name__ == "__main__":
    main()
