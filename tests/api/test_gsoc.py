"""test_gsoc.py: the GSOC centre (spec 30) on one store: sensors under the regime, sensor
tokens kept apart from user tokens, indicators (JSON, STIX, TLP, feed), alert ingestion
(idempotent, organisation from the token, per-event errors), detections and their triage,
campaigns across organisations, overview, health and coverage, and 404 for every record
of another body."""
import datetime
import http.client
import json
import os
import sys
import time
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(__file__))
from harness import ServerTest, main  # noqa: E402

JST = datetime.timezone(datetime.timedelta(hours=9))


def ts(offset=0):
    """An EVE timestamp (+hhmm offset, as Suricata writes it) offset seconds from now."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")


def alert(seq, itype="domain", value="evil.example", matched=None, at=None, sensor="s1", **extra):
    e = {"timestamp": at or ts(-60), "flow_id": 1000 + seq, "event_type": "alert",
         "src_ip": "10.1.0.5", "src_port": 40000 + seq % 1000, "dest_ip": "203.0.113.10", "dest_port": 443,
         "proto": "TCP", "app_proto": "tls",
         "alert": {"action": "allowed", "gid": 1, "signature_id": 1000000001, "rev": 1,
                   "signature": "CSHQ indicator match", "category": "Known bad indicator", "severity": 1},
         "tls": {"sni": matched or value},
         "cshq": {"indicator_type": itype, "indicator_value": value, "matched_value": matched or value,
                  "sensor": sensor, "seq": seq}}
    e["cshq"].update(extra.pop("cshq", {}))
    e.update(extra)
    return e


class Gsoc(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.srv.login("admin")
        cls.nisc = cls.srv.login("nisc.staff")
        cls.director = cls.srv.login("nisc.director")
        cls.jps = cls.srv.login("jps.csirt")
        cls.nict = cls.srv.login("nict.staff")
        cls.mhlw = cls.srv.login("mhlw.csirt")
        cls.jps_sensor = cls.register("jps", "jps-gw-1")
        cls.nict_sensor = cls.register("nict", "nict-gw-1")
        cls.seq = 0

    @classmethod
    def register(cls, org, name):
        st, _, body = cls.nisc.post("/api/v1/sensors", {"org": org, "name": name})
        assert st == 201, body
        return body

    @classmethod
    def next_seq(cls, n=1):
        first = cls.seq + 1
        cls.seq += n
        return first

    def post_alerts(self, token, events, ndjson=False, headers=None):
        h = {"Authorization": f"Bearer {token}"}
        if ndjson:
            h["Content-Type"] = "application/x-ndjson"
            raw = "\n".join(json.dumps(e) if not isinstance(e, str) else e for e in events).encode()
        else:
            h["Content-Type"] = "application/json"
            raw = json.dumps(events).encode()
        h.update(headers or {})
        return self.srv.request("POST", "/api/v1/alerts", headers=h, raw=raw)

    def declared_only(self, path, length, headers):
        """Sends only the headers of a request declaring a body of length bytes: the server
        must answer before reading it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        conn.putrequest("POST", path)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(length))
        conn.endheaders()
        resp = conn.getresponse()
        body = json.loads(resp.read())
        conn.close()
        return resp.status, dict(resp.getheaders()), body

    def sensor_get(self, token, path):
        return self.srv.request("GET", path, headers={"Authorization": f"Bearer {token}"})

    def detections(self, client, query=""):
        st, _, body = client.get("/api/v1/detections" + query)
        self.assertEqual(st, 200, body)
        return body["items"]

    def detection_of(self, client, value, org=None):
        items = self.detections(client, "?indicator=" + quote(value) + ("&org=" + org if org else ""))
        self.assertEqual(len(items), 1, items)
        return items[0]

    # ------------------------------------------------------------------ sensors
    def test_sensor_registration_follows_the_regime(self):
        st, hdrs, body = self.nisc.post("/api/v1/sensors", {"org": "jps", "name": "jps-gw-2"})
        self.assertEqual(st, 201, body)
        self.assertEqual(body["org"], "jps")
        self.assertTrue(body["token"].startswith("cshqs_"))
        self.assertEqual(hdrs["Location"], "/api/v1/sensors/%d" % body["id"])
        # the token is shown once and stored hashed
        st, _, again = self.nisc.get("/api/v1/sensors/%d" % body["id"])
        self.assertEqual(st, 200, again)
        self.assertNotIn("token", again)
        stored = self.srv.sql("SELECT token_hash FROM gsoc_sensors WHERE id = %d" % body["id"])
        self.assertNotIn(body["token"], stored)
        self.assertEqual(len(stored), 64)
        # 日本放送協会: listed under Art. 32 only, not covered by gsoc_monitoring
        p = self.assertProblem(self.nisc.post("/api/v1/sensors", {"org": "nhk", "name": "nhk-gw"}), 409)
        self.assertTrue(p["basis"], p)
        self.assertTrue(any(c["doc"] == "Act" and c["article"] == 13 for c in p["basis"]), p["basis"])
        self.assertEqual(self.srv.sql("SELECT count(*) FROM gsoc_sensors WHERE org = 'nhk'"), "0")
        self.assertProblem(self.nisc.post("/api/v1/sensors", {"org": "nosuch", "name": "x"}), 422)
        self.assertProblem(self.nisc.post("/api/v1/sensors", {"org": "jps", "name": ""}), 422)
        self.assertProblem(self.nisc.post("/api/v1/sensors", {"org": "jps", "name": "x", "extra": 1}), 422)
        # registration is the centre's
        self.assertProblem(self.jps.post("/api/v1/sensors", {"org": "jps", "name": "own"}), 403)
        st, _, body = self.admin.post("/api/v1/sensors", {"org": "mhlw", "name": "mhlw-gw"})
        self.assertEqual(st, 201, body)

    def test_sensor_revocation_ends_the_token(self):
        s = self.register("jps", "to-revoke")
        st, _, body = self.post_alerts(s["token"], [alert(self.next_seq(), value="revoke.example")])
        self.assertEqual(st, 200, body)
        self.assertProblem(self.jps.post("/api/v1/sensors/%d/actions/revoke" % s["id"]), 403)
        self.assertProblem(self.nict.post("/api/v1/sensors/%d/actions/revoke" % s["id"]), 404)
        st, _, body = self.nisc.post("/api/v1/sensors/%d/actions/revoke" % s["id"])
        self.assertEqual(st, 200, body)
        self.assertTrue(body["revoked"])
        self.assertProblem(self.nisc.post("/api/v1/sensors/%d/actions/revoke" % s["id"]), 409)
        self.assertProblem(self.post_alerts(s["token"], [alert(self.next_seq())]), 401)
        self.assertProblem(self.sensor_get(s["token"], "/api/v1/sensor-feed?since=0"), 401)

    # ------------------------------------------------------ tokens kept apart
    def test_user_tokens_refused_on_sensor_endpoints(self):
        for c in (self.nisc, self.jps, self.admin):
            self.assertProblem(self.post_alerts(c.token, [alert(self.next_seq())]), 401)
            self.assertProblem(self.sensor_get(c.token, "/api/v1/sensor-feed?since=0"), 401)
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b"[]",
                                            headers={"Content-Type": "application/json"}), 401)
        self.assertProblem(self.srv.request("GET", "/api/v1/sensor-feed"), 401)
        self.assertProblem(self.sensor_get("cshqs_" + "0" * 64, "/api/v1/sensor-feed"), 401)

    def test_sensor_tokens_refused_elsewhere(self):
        tok = self.jps_sensor["token"]
        for path in ("/api/v1/detections", "/api/v1/sensors", "/api/v1/indicators", "/api/v1/campaigns",
                     "/api/v1/gsoc/overview", "/api/v1/gsoc/coverage", "/api/v1/session", "/api/v1/orgs",
                     "/api/v1/sensors/%d" % self.jps_sensor["id"]):
            self.assertProblem(self.sensor_get(tok, path), 401)
        self.assertProblem(self.srv.request("POST", "/api/v1/sensors", {"org": "jps", "name": "x"},
                                            {"Authorization": f"Bearer {tok}"}), 401)
        self.assertProblem(self.srv.request("POST", "/api/v1/indicators", [{"type": "ipv4", "value": "192.0.2.1"}],
                                            {"Authorization": f"Bearer {tok}"}), 401)

    # --------------------------------------------------------------- ingestion
    def test_same_batch_twice_counts_duplicates(self):
        first = self.next_seq(3)
        batch = [alert(first + i, value="twice.example", matched="www.twice.example", itype="domain_suffix")
                 for i in range(3)]
        st, _, body = self.post_alerts(self.jps_sensor["token"], batch)
        self.assertEqual(st, 200, body)
        self.assertEqual(body, {"accepted": 3, "duplicates": 0, "errors": []})
        st, _, body = self.post_alerts(self.jps_sensor["token"], batch)
        self.assertEqual(st, 200, body)
        self.assertEqual(body, {"accepted": 0, "duplicates": 3, "errors": []})
        rows = self.srv.sql("SELECT count(*) FROM gsoc_alerts WHERE sensor_id = %d AND seq >= %d AND seq < %d"
                            % (self.jps_sensor["id"], first, first + 3))
        self.assertEqual(rows, "3")
        d = self.detection_of(self.nisc, "twice.example")
        self.assertEqual(d["alerts"], 3)
        self.assertEqual(d["org"], "jps")
        # a repeat inside one batch, and a batch mixing old and new
        nxt = self.next_seq()
        st, _, body = self.post_alerts(self.jps_sensor["token"],
                                       [alert(nxt, value="twice.example", itype="domain_suffix"),
                                        alert(nxt, value="twice.example", itype="domain_suffix"), batch[0]],
                                       ndjson=True)
        self.assertEqual(st, 200, body)
        self.assertEqual((body["accepted"], body["duplicates"]), (1, 2))
        self.assertEqual(self.detection_of(self.nisc, "twice.example")["alerts"], 4)
        # sparse sequence numbers are checked one by one
        far = self.next_seq(10**6)
        st, _, body = self.post_alerts(self.jps_sensor["token"],
                                       [alert(far, value="sparse.example"), alert(first, value="sparse.example")])
        self.assertEqual((body["accepted"], body["duplicates"]), (1, 1), body)

    def test_body_field_naming_another_org_is_ignored(self):
        ev = alert(self.next_seq(), value="elsewhere.example", cshq={"org": "nict"}, org="nict")
        st, _, body = self.post_alerts(self.jps_sensor["token"], [ev])
        self.assertEqual(st, 200, body)
        d = self.detection_of(self.nisc, "elsewhere.example")
        self.assertEqual(d["org"], "jps")
        self.assertEqual(self.detections(self.nict, "?indicator=elsewhere.example"), [])
        self.assertEqual(self.detection_of(self.jps, "elsewhere.example")["id"], d["id"])

    def test_malformed_batches(self):
        tok = self.jps_sensor["token"]
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b"[{", headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 400)
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b'{"a": 1}', headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 400)
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b"", headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 400)
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b"[]", headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "text/plain"}), 415)
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=b"[" + b"[" * 40 + b"]" * 41, headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 400)
        # per-event errors: the valid events are stored, the others reported by index
        s = self.next_seq(8)
        no_seq = alert(s + 1, value="mixed.example")
        del no_seq["cshq"]["seq"]
        bad_type = alert(s + 2, value="mixed.example", itype="sha1")
        bad_value = alert(s + 3, itype="ipv4", value="300.1.2.3")
        future = alert(s + 4, value="mixed.example", at="2999-01-01T00:00:00.000000+0000")
        no_cshq = alert(s + 5)
        del no_cshq["cshq"]
        not_obj = [1, 2]
        other_type = dict(alert(s + 6), event_type="flow")
        events = [alert(s, value="mixed.example"), no_seq, bad_type, bad_value, future, no_cshq, not_obj,
                  other_type, alert(s + 7, value="mixed.example")]
        st, _, body = self.post_alerts(tok, events)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["accepted"], 2)
        self.assertEqual([e["index"] for e in body["errors"]], [1, 2, 3, 4, 5, 6, 7])
        self.assertIn("cshq.seq", body["errors"][0]["detail"])
        self.assertIn("indicator_type", body["errors"][1]["detail"])
        self.assertIn("indicator_value", body["errors"][2]["detail"])
        self.assertEqual(self.detection_of(self.nisc, "mixed.example")["alerts"], 2)
        # scalars and arrays in the array are events that are not objects
        s = self.next_seq(1)
        st, _, body = self.post_alerts(tok, [5, "text", None, True, {"x": [1, {"y": "]"}]}, alert(s, value="mixed.example")])
        self.assertEqual(st, 200, body)
        self.assertEqual((body["accepted"], [e["index"] for e in body["errors"]]), (1, [0, 1, 2, 3, 4]))
        for raw in (b'[{"event_type": "alert"},]', b'[{"a": 1}] x', b'[{"a": 1, "a": 2}]', b'[1 2]', b'[{"a": 1}'):
            self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=raw, headers={
                "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 400)
        # NDJSON: a line that is not JSON is reported alone
        s = self.next_seq(2)
        st, _, body = self.post_alerts(tok, [alert(s, value="ndjson.example"), "{not json", "",
                                             alert(s + 1, value="ndjson.example")], ndjson=True)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["accepted"], 2)
        self.assertEqual([e["index"] for e in body["errors"]], [1])
        # nothing valid at all: refused whole (a sensor keeps such a batch aside)
        st, hdrs, body = self.post_alerts(tok, [no_cshq, not_obj])
        self.assertEqual(st, 422, body)
        self.assertEqual(len(body["errors"]), 2)
        # more events than a batch may hold
        many = "\n".join(["{}"] * 10001).encode()
        self.assertProblem(self.srv.request("POST", "/api/v1/alerts", raw=many, headers={
            "Authorization": f"Bearer {tok}", "Content-Type": "application/x-ndjson"}), 413)
        # a body past the bulk cap is refused before it is read
        self.assertProblem(self.declared_only("/api/v1/alerts", 17 * 1024 * 1024, {
            "Authorization": f"Bearer {tok}", "Content-Type": "application/json"}), 413)

    def test_batch_of_1000_over_one_mebibyte(self):
        s = self.next_seq(1000)
        pad = "x" * 900
        events = [alert(s + i, value="bulk.example", http={"url": "/" + pad}) for i in range(1000)]
        raw = json.dumps(events).encode()
        self.assertGreater(len(raw), 1024 * 1024)
        st, _, body = self.post_alerts(self.jps_sensor["token"], events)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["accepted"], 1000)
        self.assertEqual(self.detection_of(self.nisc, "bulk.example")["alerts"], 1000)
        # the default cap still holds everywhere else
        self.assertProblem(self.declared_only("/api/v1/detections/1/actions/close", 2 * 1024 * 1024, {
            "Authorization": f"Bearer {self.nisc.token}", "Content-Type": "application/json"}), 413)

    def test_stats_events_update_sensor_health(self):
        s = self.register("nict", "nict-stats")
        stats = {"timestamp": ts(-5), "event_type": "stats",
                 "stats": {"uptime": 120, "capture": {"kernel_packets": 1000, "kernel_drops": 7},
                           "forward": {"spool_batches": 3, "spool_bytes": 4096, "dropped": 0, "feed_version": 2}},
                 "cshq": {"sensor": "nict-stats"}}
        older = dict(stats, timestamp=ts(-3600))
        older["stats"] = {"capture": {"kernel_drops": 999}}
        st, _, body = self.post_alerts(s["token"], [stats, older])
        self.assertEqual(st, 200, body)
        self.assertEqual(body["accepted"], 2)
        st, _, body = self.post_alerts(s["token"], [older])
        st, _, sensor = self.nisc.get("/api/v1/sensors/%d" % s["id"])
        self.assertEqual(st, 200, sensor)
        self.assertEqual(sensor["health"]["kernel_drops"], 7)
        self.assertEqual(sensor["health"]["spool_batches"], 3)
        self.assertTrue(sensor["live"])
        st, _, own = self.nict.get("/api/v1/sensors/%d" % s["id"])
        self.assertEqual(st, 200, own)
        self.assertProblem(self.jps.get("/api/v1/sensors/%d" % s["id"]), 404)

    # --------------------------------------------------------------- detections
    def test_triage_notify_close(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="triage.example")])
        d = self.detection_of(self.nisc, "triage.example")
        path = "/api/v1/detections/%d" % d["id"]
        st, _, full = self.nisc.get(path)
        self.assertEqual(st, 200, full)
        self.assertEqual(full["state"], "new")
        self.assertIn("investigate", full["allowed_actions"])
        self.assertEqual(full["timeline"][0]["action"], "detect")
        self.assertTrue(full["evidence"])
        self.assertEqual(full["evidence"][0]["matched_value"], "triage.example")
        # the body sees its detection but triage is the centre's until it is notified
        st, _, mine = self.jps.get(path)
        self.assertEqual(st, 200, mine)
        self.assertEqual(mine["allowed_actions"], [])
        self.assertProblem(self.jps.post(path + "/actions/investigate"), 403)
        self.assertProblem(self.nisc.post(path + "/actions/notify"), 409)
        self.assertProblem(self.nisc.post(path + "/actions/fly"), 404)
        self.assertProblem(self.nisc.post(path + "/actions/investigate", {"bogus": 1}), 422)
        st, _, body = self.nisc.post(path + "/actions/investigate", {"comment": "looking"})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["state"], "investigating")
        st, _, body = self.nisc.post(path + "/actions/notify", {"message": "please check host 10.1.0.5"})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["state"], "notified")
        self.assertTrue(body["timeline"][-1]["basis"])
        notices = self.srv.sql("SELECT to_org, to_role, subject FROM notifications WHERE record_kind = 'detection' "
                               "AND record_id = %d" % d["id"])
        self.assertTrue(notices.startswith("jps|csirt|"), notices)
        self.assertIn("triage.example", notices)
        self.assertIn("TLP:AMBER", notices)
        self.assertProblem(self.jps.post(path + "/actions/close", {"resolution": "nope"}), 422)
        st, _, body = self.jps.post(path + "/actions/close", {"resolution": "resolved", "comment": "reimaged"})
        self.assertEqual(st, 200, body)
        self.assertEqual((body["state"], body["resolution"]), ("closed", "resolved"))
        self.assertProblem(self.nisc.post(path + "/actions/investigate"), 409)

    def test_escalation_opens_a_report_or_keeps_its_draft(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="escalate.example")])
        d = self.detection_of(self.nisc, "escalate.example")
        path = "/api/v1/detections/%d" % d["id"]
        self.assertProblem(self.nisc.post(path + "/actions/escalate"), 409)
        self.nisc.post(path + "/actions/investigate")
        st, _, body = self.nisc.post(path + "/actions/escalate", {"title": "Beaconing to escalate.example"})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["state"], "escalated")
        # NISC does not file reports for a body: the draft is kept and the body asked to file it
        last = body["timeline"][-1]
        self.assertIsNone(body["report"])
        draft = last["detail"]["report_draft"]
        self.assertEqual(draft["subject"], "jps")
        self.assertEqual(draft["item"], 1)
        self.assertEqual(draft["indicators"], [{"type": "domain", "value": "escalate.example"}])
        asked = self.srv.sql("SELECT to_org, subject FROM notifications WHERE record_kind = 'detection' "
                             "AND record_id = %d" % d["id"])
        self.assertIn("jps|NISC asks for a report", asked)
        # the notified body escalates itself: its report is filed, pre-filled
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="self-report.example")])
        d = self.detection_of(self.nisc, "self-report.example")
        path = "/api/v1/detections/%d" % d["id"]
        self.nisc.post(path + "/actions/investigate")
        self.nisc.post(path + "/actions/notify")
        st, _, body = self.jps.post(path + "/actions/escalate", {"title": "Our host beacons"})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["state"], "escalated")
        paths = self.srv.request("GET", "/api/v1/openapi.json")[2]["paths"]
        if "/api/v1/reports" not in paths:  # a build without the incidents module
            self.assertIsNone(body["report"])
            self.assertIn("report_draft", body["timeline"][-1]["detail"])
            return
        st, _, rep = self.jps.get("/api/v1/reports/%s" % body["report"])
        self.assertEqual(st, 200, rep)
        self.assertEqual(rep["subject"], "jps")
        self.assertEqual(rep["title"], "Our host beacons")
        self.assertEqual(rep["state"], "draft")
        self.assertIn({"type": "domain", "value": "self-report.example"}, rep["indicators"])
        self.assertProblem(self.nict.get("/api/v1/reports/%s" % body["report"]), 404)

    def test_other_body_gets_404_for_every_record(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="private.example")])
        d = self.detection_of(self.nisc, "private.example")
        path = "/api/v1/detections/%d" % d["id"]
        self.assertProblem(self.nict.get(path), 404)
        for action in ("investigate", "notify", "close", "escalate", "nonesuch"):
            self.assertProblem(self.nict.post(path + "/actions/" + action, {}), 404)
        self.assertProblem(self.nict.get("/api/v1/detections?org=jps"), 404)
        self.assertNotIn(d["id"], [x["id"] for x in self.detections(self.nict)])
        self.assertProblem(self.nict.get("/api/v1/sensors/%d" % self.jps_sensor["id"]), 404)
        self.assertProblem(self.nict.get("/api/v1/sensors?org=jps"), 404)
        st, _, body = self.nict.get("/api/v1/sensors")
        self.assertTrue(all(s["org"] == "nict" for s in body["items"]), body)
        self.assertProblem(self.nict.get("/api/v1/campaigns"), 404)
        self.assertProblem(self.jps.get("/api/v1/campaigns"), 404)
        self.assertProblem(self.admin.get(path), 404)
        st, _, ov = self.nict.get("/api/v1/gsoc/overview")
        self.assertEqual(st, 200, ov)
        self.assertTrue(all(o["org"] == "nict" for o in ov["by_org"]), ov["by_org"])
        self.assertIsNone(ov["campaigns"])
        st, _, cov = self.nict.get("/api/v1/gsoc/coverage")
        self.assertEqual([c["org"] for c in cov["items"]], ["nict"])
        # the supervising ministry sees its corporation's detection, not another ministry's body
        st, _, seen = self.mhlw.get(path)
        self.assertEqual(st, 200, seen)
        self.post_alerts(self.nict_sensor["token"], [alert(self.next_seq(), value="nict-only.example")])
        nd = self.detection_of(self.nisc, "nict-only.example")
        self.assertProblem(self.mhlw.get("/api/v1/detections/%d" % nd["id"]), 404)
        self.assertProblem(self.jps.get("/api/v1/detections/%d" % nd["id"]), 404)
        # unknown ids answer the same
        self.assertProblem(self.nisc.get("/api/v1/detections/999999"), 404)
        self.assertProblem(self.nisc.get("/api/v1/detections/abc"), 404)

    def test_filters_and_paging(self):
        s = self.next_seq(3)
        self.post_alerts(self.jps_sensor["token"], [alert(s + i, value="page%d.example" % i) for i in range(3)])
        st, _, body = self.nisc.get("/api/v1/detections?org=jps&state=new&limit=2")
        self.assertEqual(st, 200, body)
        self.assertEqual(len(body["items"]), 2)
        self.assertIsNotNone(body["next_cursor"])
        st, _, more = self.nisc.get("/api/v1/detections?org=jps&state=new&limit=2&cursor=" + body["next_cursor"])
        self.assertEqual(st, 200, more)
        ids = [x["id"] for x in body["items"]] + [x["id"] for x in more["items"]]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertProblem(self.nisc.get("/api/v1/detections?state=bogus"), 400)
        self.assertProblem(self.nisc.get("/api/v1/detections?limit=0"), 400)

    # --------------------------------------------------------------- campaigns
    def test_campaign_across_two_organisations(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), itype="ipv4", value="198.51.100.77",
                                                          at=ts(-7200))])
        self.post_alerts(self.nict_sensor["token"], [alert(self.next_seq(), itype="ipv4", value="198.51.100.77",
                                                           at=ts(-600))])
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), itype="ipv4", value="198.51.100.78")])
        st, _, body = self.nisc.get("/api/v1/campaigns")
        self.assertEqual(st, 200, body)
        camp = [c for c in body["items"] if c["indicator"]["value"] == "198.51.100.77"]
        self.assertEqual(len(camp), 1, body)
        self.assertEqual(sorted(camp[0]["orgs"]), ["jps", "nict"])
        self.assertEqual(camp[0]["org_count"], 2)
        self.assertFalse([c for c in body["items"] if c["indicator"]["value"] == "198.51.100.78"])
        # two bodies two days apart are a campaign only in a wider window
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), itype="ipv4", value="198.51.100.79",
                                                          at=ts(-3 * 86400))])
        self.post_alerts(self.nict_sensor["token"], [alert(self.next_seq(), itype="ipv4", value="198.51.100.79")])
        st, _, body = self.director.get("/api/v1/campaigns")
        self.assertFalse([c for c in body["items"] if c["indicator"]["value"] == "198.51.100.79"])
        st, _, body = self.director.get("/api/v1/campaigns?window_hours=100")
        self.assertTrue([c for c in body["items"] if c["indicator"]["value"] == "198.51.100.79"])
        st, _, ov = self.nisc.get("/api/v1/gsoc/overview")
        self.assertGreaterEqual(ov["campaigns"], 1)
        self.assertEqual(len(ov["series"]), 30)

    # -------------------------------------------------------------- indicators
    def test_indicators_json_versions_feed_and_tlp(self):
        items = [{"type": "domain", "value": "Feed-One.Example.", "severity": "high", "tlp": "TLP:GREEN",
                  "source": "test"},
                 {"type": "cidr", "value": "192.0.2.77/24"},
                 {"type": "url", "value": "HTTP://Feed.Example:80"},
                 {"type": "ja3", "value": "E7D705A3286E19EA42F587B344EE6865"},
                 {"type": "domain", "value": "red.example", "tlp": "TLP:RED", "recipients": ["nict"]},
                 {"type": "domain", "value": "strict.example", "tlp": "amber+strict",
                  "expires_at": "2999-01-01T00:00:00Z"}]
        st, _, body = self.nisc.post("/api/v1/indicators", items)
        self.assertEqual(st, 200, body)
        self.assertEqual((body["added"], body["updated"]), (6, 0))
        v1 = body["version"]
        st, _, again = self.nisc.post("/api/v1/indicators", items)
        self.assertEqual((again["added"], again["updated"], again["version"]), (0, 0, v1))
        st, _, lst = self.nisc.get("/api/v1/indicators?q=feed")
        values = sorted(i["value"] for i in lst["items"])
        self.assertEqual(values, ["feed-one.example", "http://feed.example/"])
        st, _, cidr = self.nisc.get("/api/v1/indicators?type=cidr")
        self.assertIn("192.0.2.0/24", [i["value"] for i in cidr["items"]])
        # feed: the jps sensor gets AMBER and below, not RED (not named) nor AMBER+STRICT
        st, _, feed = self.sensor_get(self.jps_sensor["token"], "/api/v1/sensor-feed?since=0")
        self.assertEqual(st, 200, feed)
        got = {i["value"] for i in feed["added"]}
        self.assertIn("feed-one.example", got)
        self.assertNotIn("red.example", got)
        self.assertNotIn("strict.example", got)
        self.assertEqual(feed["removed"], [])
        st, _, nfeed = self.sensor_get(self.nict_sensor["token"], "/api/v1/sensor-feed?since=0")
        self.assertIn("red.example", {i["value"] for i in nfeed["added"]})
        # users: the same rule
        st, _, jl = self.jps.get("/api/v1/indicators?limit=500")
        jv = {i["value"] for i in jl["items"]}
        self.assertIn("feed-one.example", jv)
        self.assertNotIn("red.example", jv)
        self.assertNotIn("strict.example", jv)
        red = [i for i in lst["items"] + self.nisc.get("/api/v1/indicators?q=red")[2]["items"]
               if i["value"] == "red.example"][0]
        self.assertProblem(self.jps.get("/api/v1/indicators/%d" % red["id"]), 404)
        st, _, r = self.nict.get("/api/v1/indicators/%d" % red["id"])
        self.assertEqual(st, 200, r)
        st, _, al = self.admin.get("/api/v1/indicators")
        self.assertEqual(al["items"], [])
        # a change makes a version; the feed since the old one carries only it
        st, _, up = self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "feed-one.example",
                                                           "severity": "low", "tlp": "TLP:GREEN", "source": "test"}])
        self.assertEqual((up["added"], up["updated"], up["version"]), (0, 1, v1 + 1))
        st, _, feed2 = self.sensor_get(self.jps_sensor["token"], "/api/v1/sensor-feed?since=%d" % v1)
        self.assertEqual(feed2["version"], v1 + 1)
        self.assertEqual([(i["value"], i["severity"]) for i in feed2["added"]], [("feed-one.example", "low")])
        one = [i for i in lst["items"] if i["value"] == "feed-one.example"][0]
        st, _, rm = self.nisc.call("DELETE", "/api/v1/indicators/%d" % one["id"])
        self.assertEqual(st, 200, rm)
        self.assertTrue(rm["removed"])
        self.assertProblem(self.nisc.call("DELETE", "/api/v1/indicators/%d" % one["id"]), 409)
        self.assertProblem(self.jps.call("DELETE", "/api/v1/indicators/%d" % red["id"]), 404)
        st, _, feed3 = self.sensor_get(self.jps_sensor["token"], "/api/v1/sensor-feed?since=%d" % (v1 + 1))
        self.assertEqual(feed3["added"], [])
        self.assertEqual(feed3["removed"], [{"id": str(one["id"]), "type": "domain", "value": "feed-one.example"}])
        # raising an indicator to RED removes it from a feed by id only
        st, _, _ = self.nisc.post("/api/v1/indicators", [{"type": "ja3", "value": "e7d705a3286e19ea42f587b344ee6865",
                                                         "tlp": "TLP:RED"}])
        st, _, feed4 = self.sensor_get(self.jps_sensor["token"], "/api/v1/sensor-feed?since=%d" % (v1 + 2))
        self.assertEqual(len(feed4["removed"]), 1)
        self.assertIsInstance(feed4["removed"][0], str)
        # the sensor's poll is recorded
        st, _, s = self.nisc.get("/api/v1/sensors/%d" % self.jps_sensor["id"])
        self.assertTrue(s["live"])
        # bad input
        self.assertProblem(self.nisc.post("/api/v1/indicators", [{"type": "ipv4", "value": "1.2.3"}]), 422)
        self.assertProblem(self.nisc.post("/api/v1/indicators", [{"type": "md5", "value": "x"}]), 422)
        self.assertProblem(self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "a.example",
                                                                  "recipients": ["nict"]}]), 422)
        self.assertProblem(self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "a.example",
                                                                  "tlp": "TLP:RED", "recipients": ["nosuch"]}]), 422)
        self.assertProblem(self.nisc.post("/api/v1/indicators", {"type": "domain"}), 422)
        self.assertProblem(self.jps.post("/api/v1/indicators", [{"type": "domain", "value": "a.example"}]), 403)

    def test_indicators_stix_in_and_out(self):
        green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
        bundle = {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
            {"type": "identity", "spec_version": "2.1", "id": "identity--1", "name": "x"},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "pattern_type": "stix",
             "pattern": "[ipv4-addr:value = '203.0.113.200'] OR [domain-name:value = 'stix-in.example']",
             "valid_from": "2024-01-01T00:00:00Z", "object_marking_refs": [green], "confidence": 80},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd40",
             "pattern_type": "stix", "pattern": "[domain-name:value = 'sfx.example']", "x_cshq_type": "domain_suffix",
             "valid_from": "2024-01-01T00:00:00Z"},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd41",
             "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
             "pattern": "[ipv4-addr:value = '203.0.113.201' AND domain-name:value = 'and.example']"},
            {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd42",
             "pattern_type": "snort", "pattern": "alert tcp any any", "valid_from": "2024-01-01T00:00:00Z"},
        ]}
        raw = json.dumps(bundle).encode()
        h = {"Content-Type": "application/stix+json;version=2.1"}
        st, _, body = self.nisc.call("POST", "/api/v1/indicators", raw=raw, headers=h)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["added"], 3)
        self.assertEqual(sorted(s["index"] for s in body["skipped"]), [3, 4])
        st, hdrs, out = self.nisc.get("/api/v1/indicators?format=stix")
        self.assertEqual(st, 200, out)
        self.assertTrue(hdrs["Content-Type"].startswith("application/stix+json"))
        self.assertEqual(out["type"], "bundle")
        pats = {o["pattern"]: o for o in out["objects"]}
        self.assertIn("[ipv4-addr:value = '203.0.113.200']", pats)
        sfx = pats["[domain-name:value = 'sfx.example']"]
        self.assertEqual(sfx["x_cshq_type"], "domain_suffix")
        self.assertEqual(pats["[domain-name:value = 'stix-in.example']"]["object_marking_refs"],
                         ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"])
        # what is exported reads back to the same indicators
        st, _, back = self.nisc.call("POST", "/api/v1/indicators", raw=json.dumps(out).encode(), headers=h)
        self.assertEqual(st, 200, back)
        self.assertEqual((back["added"], back["skipped"]), (0, []))
        # a body's export respects TLP
        self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "stix-red.example", "tlp": "TLP:RED"}])
        st, _, jb = self.jps.get("/api/v1/indicators?format=stix")
        self.assertNotIn("[domain-name:value = 'stix-red.example']", [o["pattern"] for o in jb["objects"]])
        # revoked objects remove
        bundle["objects"] = [dict(bundle["objects"][2], revoked=True)]
        st, _, body = self.nisc.call("POST", "/api/v1/indicators", raw=json.dumps(bundle).encode(), headers=h)
        self.assertEqual(body["removed"], 1, body)
        # not a bundle
        self.assertProblem(self.nisc.call("POST", "/api/v1/indicators", raw=b'{"type": "x"}', headers=h), 400)
        self.assertProblem(self.nisc.call("POST", "/api/v1/indicators", raw=b'[', headers=h), 400)

    def test_indicators_csv(self):
        csv = ("type,value,severity,tlp,source,id,expires_at\n"
               "ipv4,203.0.113.210,high,TLP:AMBER,test-csv,csv-1,\n"
               "domain,CSV-Domain.test.,medium,,test-csv,csv-2,\n"
               "url_prefix,\"http://csv.example/files/\",high,,test-csv,csv-3,2999-01-01T00:00:00Z\n\n")
        h = {"Content-Type": "text/csv"}
        st, _, body = self.nisc.call("POST", "/api/v1/indicators", raw=csv.encode(), headers=h)
        self.assertEqual(st, 200, body)
        self.assertEqual(body["added"], 3)
        st, _, lst = self.nisc.get("/api/v1/indicators?q=csv")
        self.assertEqual(sorted(i["value"] for i in lst["items"]), ["csv-domain.test", "http://csv.example/files/"])
        red = "value,type,tlp,recipients\ncsv-red.example,domain,TLP:RED,nict jps\n"
        st, _, body = self.nisc.call("POST", "/api/v1/indicators", raw=red.encode(), headers=h)
        self.assertEqual(st, 200, body)
        st, _, r = self.nisc.get("/api/v1/indicators?q=csv-red")
        self.assertEqual(r["items"][0]["recipients"], ["nict", "jps"])
        for bad in ("type,value,colour\nipv4,1.2.3.4,blue\n", "type,value\n\"ipv4,1.2.3.4\n",
                    "type,value\nipv4,1.2.3.4,extra\n", "type\nipv4\n", "type,value\nipv4,1.2.3\n"):
            self.assertProblem(self.nisc.call("POST", "/api/v1/indicators", raw=bad.encode(), headers=h), 422)
        self.assertProblem(self.jps.call("POST", "/api/v1/indicators", raw=csv.encode(), headers=h), 403)

    def test_detection_of_a_red_indicator_withholds_the_value(self):
        self.nisc.post("/api/v1/indicators", [{"type": "domain", "value": "withheld.example", "tlp": "TLP:RED"}])
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="withheld.example")])
        d = self.detection_of(self.nisc, "withheld.example")
        self.assertEqual(d["indicator"]["tlp"], "TLP:RED")
        st, _, mine = self.jps.get("/api/v1/detections/%d" % d["id"])
        self.assertEqual(st, 200, mine)
        self.assertIsNone(mine["indicator"]["value"])
        self.assertTrue(mine["indicator"]["withheld"])
        self.assertTrue(all(e["matched_value"] is None for e in mine["evidence"]))
        path = "/api/v1/detections/%d" % d["id"]
        self.nisc.post(path + "/actions/investigate")
        self.nisc.post(path + "/actions/notify")
        notice = self.srv.sql("SELECT subject FROM notifications WHERE record_kind = 'detection' AND record_id = %d"
                              % d["id"])
        self.assertNotIn("withheld.example", notice)
        self.assertIn("TLP:RED", notice)

    # ----------------------------------------------------------------- views
    def test_coverage_lists_covered_bodies_and_live_sensors(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="cov.example")])
        st, _, cov = self.nisc.get("/api/v1/gsoc/coverage")
        self.assertEqual(st, 200, cov)
        by = {c["org"]: c for c in cov["items"]}
        self.assertEqual(by["jps"]["status"], "live")
        self.assertNotIn("nhk", by)
        self.assertIn("mof", by)
        self.assertEqual(cov["covered"], len(cov["items"]))
        self.assertGreater(cov["without_live_sensor"], 0)
        st, _, old = self.nisc.get("/api/v1/gsoc/coverage?date=2016-10-20")
        self.assertNotIn("jps", {c["org"] for c in old["items"]})

    def test_openapi_lists_gsoc_paths(self):
        st, _, body = self.srv.request("GET", "/api/v1/openapi.json")
        for p in ("/api/v1/sensors", "/api/v1/indicators", "/api/v1/sensor-feed", "/api/v1/alerts",
                  "/api/v1/detections", "/api/v1/detections/{id}", "/api/v1/campaigns"):
            self.assertIn(p, body["paths"], sorted(body["paths"]))
        errors = body["paths"]["/api/v1/alerts"]["post"]["description"]
        self.assertIn("index", errors)

    def test_audit_log_still_verifies(self):
        self.post_alerts(self.jps_sensor["token"], [alert(self.next_seq(), value="log.example")])
        st, _, body = self.admin.get("/api/v1/audit-log/verify")
        self.assertEqual(st, 200, body)
        self.assertTrue(body["ok"], body)


if __name__ == "__main__":
    main()
