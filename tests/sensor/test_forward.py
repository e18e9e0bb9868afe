#!/usr/bin/env python3
"""test_forward.py SENSOR WORKDIR: forwarding and spool behaviour against fake_server.py.

  down:   the server is down: alerts are spooled, the run still exits 0;
  back:   the server is back: the spool is delivered exactly once, then empty;
  retry:  503 answers are retried with backoff until accepted;
  kill:   the sensor is SIGKILLed while the server has committed a batch but not
          answered: after a restart nothing is lost, nothing counted twice, and
          sequence numbers never repeat;
  bound:  a tiny spool bound drops the oldest batches and counts what it dropped."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SENSOR, WORK = sys.argv[1], sys.argv[2]
TOKEN = "sensor-token"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_server(name, port=0, *extra):
    pf = os.path.join(WORK, name + ".port")
    if os.path.exists(pf):
        os.unlink(pf)
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_server.py"), "--state",
                             os.path.join(WORK, name + ".state"), "--port-file", pf, "--port",
                             str(port), "--token", TOKEN, "--lifetime", "90", *extra])
    for _ in range(200):
        if os.path.exists(pf):
            return proc, int(open(pf).read())
        time.sleep(0.05)
    raise SystemExit("fake server did not start")


def sensor_args(port, spool, reads, iocs=True, extra=()):
    a = [SENSOR, "--no-progress", "--quiet", "--sensor-id", "fwd-test", "--server",
         "http://127.0.0.1:%d" % port, "--token", TOKEN, "--spool", spool, "--feed-interval", "0",
         "--batch-ms", "50", "--drain-timeout", "3"]
    for r in reads:
        a += ["--read", os.path.join(WORK, r)]
    if iocs:
        for i in ("indicators.csv", "indicators.stix.json", "indicators.txt"):
            a += ["--indicators", os.path.join(WORK, i)]
    return a + list(extra)


READS = ["truth-eth.pcap", "truth-eth.pcapng", "truth-sll.pcap", "truth-sll2.pcapng", "truth-raw.pcap"]


def committed(name):
    path = os.path.join(WORK, name + ".state")
    if not os.path.exists(path):
        return []
    return [json.loads(l) for l in open(path)]


def batches(spool):
    return sorted(f for f in os.listdir(spool) if f.startswith("b-"))


def check_delivery(name, expected, label, same_capture_twice=False):
    evs = committed(name)
    seqs = [e["cshq"]["seq"] for e in evs]
    keys = sorted((e["cshq"]["indicator_type"], e["cshq"]["indicator_value"],
                   e["cshq"]["matched_value"], e["flow_id"]) for e in evs)
    assert len(seqs) == len(set(seqs)), "%s: a seq stored twice" % label
    assert len(evs) == expected, "%s: %d alerts delivered, expected %d" % (label, len(evs), expected)
    if not same_capture_twice:
        assert len(keys) == len(set(keys)), "%s: an alert delivered twice" % label
    return evs


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_capture.py"), "truth", WORK],
                          stdout=subprocess.DEVNULL)
    expected = sum(1 for _ in open(os.path.join(WORK, "truth.jsonl")))
    # an empty capture, for runs that only drain the spool
    import struct
    with open(os.path.join(WORK, "empty.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    # down, then back
    spool = os.path.join(WORK, "spool1")
    port = free_port()
    r = subprocess.run(sensor_args(port, spool, READS, extra=["--eve", os.path.join(WORK, "down.json")]))
    assert r.returncode == 0, "down: exit %d" % r.returncode
    assert batches(spool), "down: nothing spooled"
    n_spooled = sum(int(b.split("-")[2].split(".")[0]) for b in batches(spool))
    assert n_spooled == expected, "down: %d alerts spooled, expected %d" % (n_spooled, expected)
    srv, _ = start_server("back", port)
    try:
        r = subprocess.run(sensor_args(port, spool, ["empty.pcap"], iocs=False))
        assert r.returncode == 0
        assert not batches(spool), "back: spool not emptied"
        evs = check_delivery("back", expected, "back")
        eve_seqs = sorted(json.loads(l)["cshq"]["seq"] for l in open(os.path.join(WORK, "down.json"))
                          if '"alert"' in l)
        assert sorted(e["cshq"]["seq"] for e in evs) == eve_seqs, "back: seqs differ from the EVE file"
        r = subprocess.run(sensor_args(port, spool, ["empty.pcap"], iocs=False))
        check_delivery("back", expected, "back, second run")
    finally:
        srv.kill()
    print("down/back: %d alerts spooled while down, delivered once when back" % expected)

    # retry after 503s
    srv, port = start_server("retry", 0, "--fail", "3")
    spool = os.path.join(WORK, "spool2")
    try:
        r = subprocess.run(sensor_args(port, spool, READS, extra=["--drain-timeout", "20"]))
        assert r.returncode == 0
        assert not batches(spool), "retry: spool not emptied"
        check_delivery("retry", expected, "retry")
    finally:
        srv.kill()
    print("retry: delivered after 3 refusals")

    # SIGKILL while the server has committed but not answered
    srv, port = start_server("kill", 0, "--hang-first")
    spool = os.path.join(WORK, "spool3")
    try:
        p = subprocess.Popen(sensor_args(port, spool, READS, extra=["--batch-size", "10",
                                                                     "--eve", os.path.join(WORK, "kill1.json")]))
        for _ in range(200):
            if committed("kill"):
                break
            time.sleep(0.05)
        assert committed("kill"), "kill: first batch never reached the server"
        time.sleep(0.3)
        p.send_signal(signal.SIGKILL)
        p.wait()
        first = len(committed("kill"))
        assert 0 < first < expected
        assert batches(spool), "kill: spool empty after the kill"
        seqs_before = {json.loads(l)["cshq"]["seq"] for l in open(os.path.join(WORK, "kill1.json"))
                       if '"alert"' in l}
        # restart: the spooled batches (the committed one included) are sent again
        r = subprocess.run(sensor_args(port, spool, ["empty.pcap"], iocs=False))
        assert r.returncode == 0
        assert not batches(spool), "kill: spool not emptied after restart"
        check_delivery("kill", expected, "kill")
        # a further run numbers its alerts above every number used before the kill
        r = subprocess.run(sensor_args(port, spool, READS, extra=["--eve", os.path.join(WORK, "kill2.json")]))
        seqs_after = {json.loads(l)["cshq"]["seq"] for l in open(os.path.join(WORK, "kill2.json"))
                      if '"alert"' in l}
        assert min(seqs_after) > max(seqs_before), "kill: sequence numbers repeated after restart"
        check_delivery("kill", 2 * expected, "kill, next run", same_capture_twice=True)
    finally:
        srv.kill()
    print("kill: %d alerts committed before SIGKILL; all %d delivered once after restart" % (first, expected))

    # spool bound: 2 KiB holds about one batch of a few alerts
    spool = os.path.join(WORK, "spool4")
    port = free_port()
    eve = os.path.join(WORK, "bound.json")
    r = subprocess.run(sensor_args(port, spool, READS, extra=["--spool-max", "6K", "--batch-size", "5",
                                                              "--drain-timeout", "0", "--eve", eve]))
    assert r.returncode == 0
    stats = [json.loads(l) for l in open(eve) if '"stats"' in l][-1]["stats"]["forward"]
    left = sum(int(b.split("-")[2].split(".")[0]) for b in batches(spool))
    size = sum(os.path.getsize(os.path.join(spool, b)) for b in batches(spool))
    assert size <= 6 * 1024, "bound: spool holds %d bytes" % size
    assert stats["dropped"] > 0, "bound: nothing counted as dropped"
    assert stats["dropped"] + left == expected, "bound: dropped %d + kept %d != %d" % (stats["dropped"], left, expected)
    print("bound: %d alerts kept, %d dropped and counted" % (left, stats["dropped"]))


if __name__ == "__main__":
    main()
