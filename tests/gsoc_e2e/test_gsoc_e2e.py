#!/usr/bin/env python3
"""test_gsoc_e2e.py SENSOR WORKDIR: the real cshq-sensor against a real `cshq serve`.

  spool:   the centre is down: the sensor reads the ground-truth captures of
           tests/sensor/gen_capture.py and spools every alert (a copy of the spool is kept);
  deliver: the centre is up: the spool is delivered; the detections of the sensor's
           organisation (jps) are exactly the ground truth rolled up per indicator and day,
           and another body (nict) sees none of them;
  replay:  the copied spool is sent again: the centre answers duplicates and nothing changes;
  feed:    the same indicators imported into the centre (CSV rows as JSON, the STIX bundle
           as application/stix+json, the plain list) reach a second sensor (nict) through
           /api/v1/sensor-feed alone; its run over the same captures gives nict the same
           detections, and every indicator is then a campaign across jps and nict.

Runs on SQLite, or on PostgreSQL with CSHQ_TEST_STORE=pg (see tests/api/harness.py)."""
import collections
import csv
import datetime
import json
import os
import shutil
import socket
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
from harness import Server  # noqa: E402

SENSOR, WORK = sys.argv[1], sys.argv[2]
READS = ["truth-eth.pcap", "truth-eth.pcapng", "truth-sll.pcap", "truth-sll2.pcapng", "truth-raw.pcap"]
IOCS = ["indicators.csv", "indicators.stix.json", "indicators.txt"]
JST = datetime.timezone(datetime.timedelta(hours=9))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_sensor(port, token, spool, sensor_id, reads, iocs=True, feed=False):
    args = [SENSOR, "--no-progress", "--quiet", "--sensor-id", sensor_id, "--server",
            "http://127.0.0.1:%d" % port, "--token", token, "--spool", spool,
            "--feed-interval", "300" if feed else "0", "--batch-ms", "50", "--drain-timeout", "20"]
    for r in reads:
        args += ["--read", os.path.join(WORK, r)]
    if iocs:
        for i in IOCS:
            args += ["--indicators", os.path.join(WORK, i)]
    r = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, "sensor exit %d: %s" % (r.returncode, r.stderr)
    return r


def batches(spool):
    return sorted(f for f in os.listdir(spool) if f.startswith("b-"))


def canon(t, v):
    """The centre's canonical form of the truth's indicator values (as listed in the files)."""
    if t in ("domain", "domain_suffix"):
        v = v.lower().rstrip(".")
        if t == "domain_suffix" and v.startswith("*."):
            v = v[2:]
    return v


def expected_detections():
    """Ground truth rolled up per (type, canonical value): alert counts."""
    truth = [json.loads(l) for l in open(os.path.join(WORK, "truth.jsonl"))]
    c = collections.Counter((t["indicator_type"], canon(t["indicator_type"], t["indicator_value"])) for t in truth)
    return c, len(truth)


def detections_of(client, org):
    items, cursor = [], None
    while True:
        st, _, body = client.get("/api/v1/detections?limit=500&org=%s%s" % (org, "&cursor=" + cursor if cursor else ""))
        assert st == 200, body
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def rollup(items):
    return collections.Counter({(d["indicator"]["type"], d["indicator"]["value"]): d["alerts"] for d in items})


def central_indicators():
    """The three indicator files of the truth as the centre's JSON, STIX and JSON again."""
    rows = []
    with open(os.path.join(WORK, "indicators.csv")) as f:
        for r in csv.DictReader(f):
            item = {"type": r["type"], "value": r["value"], "source": r["source"]}
            if r["severity"]:
                item["severity"] = r["severity"]
            if r["tlp"]:
                item["tlp"] = r["tlp"]
            if r["expires_at"]:
                item["expires_at"] = r["expires_at"]
            if item.get("tlp") == "TLP:RED":
                item["recipients"] = ["jps", "nict"]  # named, so both sensors receive it
            rows.append(item)
    plain = []
    for line in open(os.path.join(WORK, "indicators.txt")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("url_prefix:"):
            plain.append({"type": "url_prefix", "value": line.split(":", 1)[1]})
        elif line.startswith("*."):
            plain.append({"type": "domain_suffix", "value": line})
        elif "/" in line:
            plain.append({"type": "cidr", "value": line})
        elif line[0].isdigit():
            plain.append({"type": "ipv4", "value": line})
        else:
            plain.append({"type": "domain", "value": line})
    with open(os.path.join(WORK, "indicators.stix.json"), "rb") as f:
        stix = f.read()
    return rows, stix, plain


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    subprocess.check_call([sys.executable, os.path.join(ROOT, "tests", "sensor", "gen_capture.py"), "truth", WORK],
                          stdout=subprocess.DEVNULL)
    with open(os.path.join(WORK, "empty.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    want, n_truth = expected_detections()

    srv = Server()
    try:
        nisc = srv.login("nisc.staff")
        nict_user = srv.login("nict.staff")
        jps_user = srv.login("jps.csirt")
        st, _, jps = nisc.post("/api/v1/sensors", {"org": "jps", "name": "jps-e2e"})
        assert st == 201, jps
        st, _, nict = nisc.post("/api/v1/sensors", {"org": "nict", "name": "nict-e2e"})
        assert st == 201, nict

        # spool: the centre is not there yet
        spool = os.path.join(WORK, "spool-jps")
        dead = free_port()
        args = [SENSOR, "--no-progress", "--quiet", "--sensor-id", "jps-e2e", "--server", "http://127.0.0.1:%d" % dead,
                "--token", jps["token"], "--spool", spool, "--feed-interval", "0", "--batch-ms", "50",
                "--batch-size", "10", "--drain-timeout", "0"]
        for r in READS:
            args += ["--read", os.path.join(WORK, r)]
        for i in IOCS:
            args += ["--indicators", os.path.join(WORK, i)]
        r = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        spooled = batches(spool)
        assert spooled, "spool: nothing spooled"
        n_spooled = sum(int(b.split("-")[2].split(".")[0]) for b in spooled)
        assert n_spooled == n_truth, "spool: %d alerts, truth %d" % (n_spooled, n_truth)
        replay = os.path.join(WORK, "spool-replay")
        shutil.copytree(spool, replay)
        print("spool: %d alerts in %d batches while the centre was down" % (n_spooled, len(spooled)))

        # deliver
        run_sensor(srv.port, jps["token"], spool, "jps-e2e", ["empty.pcap"], iocs=False)
        assert not batches(spool), "deliver: spool not emptied"
        got = rollup(detections_of(nisc, "jps"))
        assert got == want, "deliver: detections differ from the truth:\n got %s\nwant %s" % (
            sorted(got.items()), sorted(want.items()))
        days = {d["day"] for d in detections_of(nisc, "jps")}
        assert len(days) == 1, days
        stored = int(srv.sql("SELECT count(*) FROM gsoc_alerts"))
        assert stored == n_truth, "deliver: %d alerts stored, truth %d" % (stored, n_truth)
        assert rollup(detections_of(jps_user, "jps")) == want
        st, _, mine = nict_user.get("/api/v1/detections?limit=500")
        assert st == 200 and mine["items"] == [], mine
        st, _, nope = nict_user.get("/api/v1/detections?org=jps")
        assert st == 404, nope
        st, _, s = nisc.get("/api/v1/sensors/%d" % jps["id"])
        assert s["alerts"] == n_truth and s["live"], s
        print("deliver: %d alerts -> %d detections for jps, as the ground truth" % (n_truth, len(got)))

        # replay: the same batches again
        r = run_sensor(srv.port, jps["token"], replay, "jps-e2e", ["empty.pcap"], iocs=False)
        assert not batches(replay), "replay: spool not emptied"
        assert int(srv.sql("SELECT count(*) FROM gsoc_alerts")) == n_truth, "replay: alerts stored twice"
        assert rollup(detections_of(nisc, "jps")) == want, "replay: detection counts changed"
        st, _, s2 = nisc.get("/api/v1/sensors/%d" % jps["id"])
        assert s2["alerts"] == n_truth, s2
        print("replay: %d batches sent again, nothing added" % len(spooled))

        # feed: the same indicators from the centre, to a sensor with no list of its own
        rows, stix, plain = central_indicators()
        st, _, a = nisc.post("/api/v1/indicators", rows)
        assert st == 200, a
        st, _, b = nisc.call("POST", "/api/v1/indicators", raw=stix, headers={"Content-Type": "application/stix+json"})
        assert st == 200, b
        st, _, c = nisc.post("/api/v1/indicators", plain)
        assert st == 200, c
        st, _, feed = srv.request("GET", "/api/v1/sensor-feed?since=0",
                                  headers={"Authorization": "Bearer " + nict["token"]})
        assert st == 200 and feed["added"], feed
        run_sensor(srv.port, nict["token"], os.path.join(WORK, "spool-nict"), "nict-e2e", READS, iocs=False, feed=True)
        got_nict = rollup(detections_of(nisc, "nict"))
        assert got_nict == want, "feed: nict detections differ:\n got %s\nwant %s" % (
            sorted(got_nict.items()), sorted(want.items()))
        print("feed: %d indicators from the centre; nict's sensor found the same %d detections" % (
            len(feed["added"]), len(got_nict)))

        # campaigns: the capture's day, across both bodies
        day = next(iter(days))
        st, _, camp = nisc.get("/api/v1/campaigns?from=%s&to=%s" % (day, day))
        assert st == 200, camp
        found = {(x["indicator"]["type"], x["indicator"]["value"]): sorted(x["orgs"]) for x in camp["items"]}
        assert set(found) == set(want), "campaigns: %s" % sorted(found)
        assert all(v == ["jps", "nict"] for v in found.values()), found
        st, _, nope = jps_user.get("/api/v1/campaigns")
        assert st == 404, nope
        print("campaigns: %d indicators seen at jps and nict" % len(found))
        st, _, v = srv.login("admin").get("/api/v1/audit-log/verify")
        assert st == 200 and v["ok"], v
    finally:
        srv.stop()
    print("ok")


if __name__ == "__main__":
    main()
