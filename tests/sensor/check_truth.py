#!/usr/bin/env python3
"""check_truth.py TRUTH.jsonl EVE.json [--sensor ID]: compares the sensor's alerts with
the ground truth exactly (100% recall, no false positives, one alert per (flow,
indicator)) and checks the shape of every event. Exit 0 when they agree."""
import collections
import ipaddress
import json
import sys


def flow_key(ev):
    proto = ev["proto"]
    a = (ipaddress.ip_address(ev["src_ip"]), ev.get("src_port", 0))
    b = (ipaddress.ip_address(ev["dest_ip"]), ev.get("dest_port", 0))
    if (a[0].version, a[0].packed, a[1]) > (b[0].version, b[0].packed, b[1]):
        a, b = b, a
    return "%s|%s|%d|%s|%d" % (proto, a[0].compressed, a[1], b[0].compressed, b[1])


def main():
    truth_path, eve_path = sys.argv[1], sys.argv[2]
    sensor = sys.argv[sys.argv.index("--sensor") + 1] if "--sensor" in sys.argv else None
    truth = collections.Counter()
    for line in open(truth_path):
        t = json.loads(line)
        truth[(t["flow"], t["indicator_type"], t["indicator_value"], t["matched_value"])] += 1
    got = collections.Counter()
    per_indicator = collections.Counter()
    seqs = set()
    problems = []
    stats = 0
    for n, line in enumerate(open(eve_path), 1):
        ev = json.loads(line)
        if ev["event_type"] == "stats":
            stats += 1
            continue
        if ev["event_type"] != "alert":
            problems.append("line %d: unexpected event_type %s" % (n, ev["event_type"]))
            continue
        for k in ("timestamp", "flow_id", "src_ip", "dest_ip", "proto", "alert", "cshq"):
            if k not in ev:
                problems.append("line %d: missing %s" % (n, k))
        for k in ("signature_id", "signature", "category", "severity"):
            if k not in ev["alert"]:
                problems.append("line %d: missing alert.%s" % (n, k))
        c = ev["cshq"]
        for k in ("indicator_type", "indicator_value", "matched_value", "sensor", "seq"):
            if k not in c:
                problems.append("line %d: missing cshq.%s" % (n, k))
        if sensor and c.get("sensor") != sensor:
            problems.append("line %d: sensor %r" % (n, c.get("sensor")))
        if c["seq"] in seqs:
            problems.append("line %d: seq %d repeated" % (n, c["seq"]))
        seqs.add(c["seq"])
        fk = flow_key(ev)
        got[(fk, c["indicator_type"], c["indicator_value"], c["matched_value"])] += 1
        per_indicator[(fk, c["indicator_type"], c["indicator_value"])] += 1
    for k, v in per_indicator.items():
        if v > 1:
            problems.append("%d alerts for one (flow, indicator): %s" % (v, k))
    missing = truth - got
    extra = got - truth
    for k in sorted(missing):
        problems.append("missed: %s" % (k,))
    for k in sorted(extra):
        problems.append("false positive: %s" % (k,))
    if stats == 0:
        problems.append("no stats event")
    recall = 100.0 * (sum(truth.values()) - sum(missing.values())) / max(1, sum(truth.values()))
    print("expected %d, got %d, recall %.1f%%, false positives %d" %
          (sum(truth.values()), sum(got.values()), recall, sum(extra.values())))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
