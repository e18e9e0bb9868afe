#!/usr/bin/env python3
"""test_reload.py SENSOR WORKDIR: indicators change while traffic flows, through SIGHUP
(the files) and through the server feed, without stopping capture.

Packets are written to the sensor's standard input as a live pcap stream, with
background traffic running the whole time. Each phase sends a DNS query that must not
alert, then one that must, and waits for the latter's alert: the sensor handles one
flow after another in order (one worker), so the first was inspected by then."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_capture as g  # noqa: E402

SENSOR, WORK = sys.argv[1], sys.argv[2]


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    iocs = os.path.join(WORK, "iocs.csv")
    with open(iocs, "w") as f:
        f.write("type,value\ndomain,one.example\n")
    feed = os.path.join(WORK, "feed.json")
    with open(feed, "w") as f:
        json.dump([], f)
    pf = os.path.join(WORK, "port")
    srv = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_server.py"), "--state",
                            os.path.join(WORK, "state"), "--port-file", pf, "--feed", feed,
                            "--lifetime", "90"])
    for _ in range(200):
        if os.path.exists(pf):
            break
        time.sleep(0.05)
    port = int(open(pf).read())
    eve = os.path.join(WORK, "eve.json")
    p = subprocess.Popen([SENSOR, "--read", "-", "--no-progress", "--indicators", iocs,
                          "--eve", eve, "--server", "http://127.0.0.1:%d" % port, "--token",
                          "sensor-token", "--spool", os.path.join(WORK, "spool"),
                          "--feed-interval", "1", "--batch-ms", "50"],
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = threading.Lock()
    out = p.stdin
    out.write(g.struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    t = [1700000000.0]
    port_ctr = [30000]
    stop = threading.Event()
    loads = []

    log = []

    def read_stderr():
        for line in p.stderr:
            line = line.decode(errors="replace")
            log.append(line)
            if "indicators:" in line and "loaded" in line:
                loads.append(line)

    threading.Thread(target=read_stderr, daemon=True).start()

    def send(ip):
        if p.poll() is not None:
            raise SystemExit("the sensor exited (%s)" % p.returncode)
        with lock:
            t[0] += 0.001
            fr = g.ether(ip)
            sec = int(t[0])
            out.write(g.struct.pack("<IIII", sec, int((t[0] - sec) * 1e6), len(fr), len(fr)) + fr)
            out.flush()

    def query(name):
        with lock:
            port_ctr[0] += 1
            sp = port_ctr[0]
        send(g.ip_packet("10.9.0.1", "198.51.100.53", 17,
                         g.udp("10.9.0.1", "198.51.100.53", sp, 53, g.dns_query(sp & 0xFFFF, name))))

    def background():
        n = 0
        while not stop.is_set():
            n += 1
            send(g.ip_packet("10.8.0.1", "198.51.100.9", 6,
                             g.tcp("10.8.0.1", "198.51.100.9", 40000 + n % 1000, 443, n * 100, 1, 0x10, b"x" * 100)))
            time.sleep(0.0005)

    def alerts():
        if not os.path.exists(eve):
            return []
        return [json.loads(l) for l in open(eve) if '"event_type":"alert"' in l]

    def wait_alert(name, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            if any(a["cshq"]["matched_value"] == name for a in alerts()):
                return
            time.sleep(0.05)
        raise SystemExit("no alert for %s" % name)

    def wait_loads(n, timeout=15):
        end = time.time() + timeout
        while time.time() < end and len(loads) < n:
            time.sleep(0.05)
        assert len(loads) >= n, "reload did not happen"

    bg = threading.Thread(target=background)
    bg.start()
    ok = False
    try:
        wait_loads(1)
        query("two.example")
        query("one.example")
        wait_alert("one.example")
        # SIGHUP with a changed file, traffic still flowing
        with open(iocs + ".new", "w") as f:
            f.write("type,value\ndomain,two.example\n")
        os.rename(iocs + ".new", iocs)
        p.send_signal(signal.SIGHUP)
        wait_loads(2)
        query("one.example")
        query("two.example")
        wait_alert("two.example")
        # the feed gains an indicator
        with open(feed + ".new", "w") as f:
            json.dump([{"version": 1, "added": [{"type": "domain", "value": "three.example"}], "removed": []}], f)
        os.rename(feed + ".new", feed)
        wait_loads(3)
        query("three.example")
        wait_alert("three.example")
        ok = True
    finally:
        stop.set()
        bg.join()
        try:
            out.close()
        except BrokenPipeError:
            pass
        rc = p.wait(timeout=60)
        srv.kill()
        if not ok:
            sys.stderr.write("sensor exit %s, its messages:\n%s" % (rc, "".join(log)))
    got = sorted(a["cshq"]["matched_value"] for a in alerts())
    assert got == ["one.example", "three.example", "two.example"], got
    stats = [json.loads(l) for l in open(eve) if '"stats"' in l][-1]["stats"]
    assert stats["detect"]["indicator_generation"] >= 3
    assert rc == 0, "exit %d" % rc
    print("reload: %d packets, alerts %s, %d loads" % (stats["decoder"]["pkts"], got, len(loads)))


if __name__ == "__main__":
    main()
