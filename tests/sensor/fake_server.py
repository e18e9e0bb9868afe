#!/usr/bin/env python3
"""fake_server.py: a stand-in for the cshq centre, for the sensor's forwarding tests.

  fake_server.py --state FILE --port-file FILE [--port N] [--token T] [--fail N]
                 [--hang-first] [--feed FILE] [--lifetime SEC]

POST /api/v1/alerts: checks the bearer token, stores each alert keyed by cshq.seq
(appended to --state as JSON lines and fsynced: the "commit"), then answers
{"accepted", "duplicates", "errors"}. --fail N answers 503 to the first N posts;
--hang-first commits the first post and never answers it (a sensor killed while
waiting). GET /api/v1/sensor-feed?since=N answers the content of --feed (a JSON list
of feed answers; the one whose version is the smallest above N, else no change).
Listens on 127.0.0.1 (random port unless --port), exits after --lifetime seconds."""
import argparse
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = None
lock = threading.Lock()
seen = set()
posts = 0


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorised(self):
        if self.headers.get("Authorization") != "Bearer " + args.token:
            self.reply(401, {"title": "bad token"})
            return False
        return True

    def do_GET(self):
        if not self.authorised():
            return
        u = urllib.parse.urlparse(self.path)
        if u.path != "/api/v1/sensor-feed":
            return self.reply(404, {})
        since = int(urllib.parse.parse_qs(u.query).get("since", ["0"])[0])
        answers = json.load(open(args.feed)) if args.feed and os.path.exists(args.feed) else []
        later = [a for a in answers if a["version"] > since]
        if later:
            return self.reply(200, min(later, key=lambda a: a["version"]))
        return self.reply(200, {"version": since, "added": [], "removed": []})

    def do_POST(self):
        global posts
        if not self.authorised():
            return
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.path != "/api/v1/alerts":
            return self.reply(404, {})
        with lock:
            posts += 1
            mine = posts
        if mine <= args.fail:
            return self.reply(503, {"title": "unavailable"})
        try:
            events = json.loads(body)
            assert isinstance(events, list)
        except Exception:
            return self.reply(400, {"title": "bad json"})
        acc = dup = 0
        errors = []
        with lock:
            with open(args.state, "a") as f:
                for i, ev in enumerate(events):
                    try:
                        key = (ev["cshq"]["sensor"], ev["cshq"]["seq"])
                    except Exception:
                        errors.append({"index": i, "detail": "no cshq.seq"})
                        continue
                    if key in seen:
                        dup += 1
                        continue
                    seen.add(key)
                    acc += 1
                    f.write(json.dumps(ev) + "\n")
                f.flush()
                os.fsync(f.fileno())
        if args.hang_first and mine == 1:
            time.sleep(3600)  # committed, never answered
            return
        self.reply(200, {"accepted": acc, "duplicates": dup, "errors": errors})


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--state", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--token", default="sensor-token")
    p.add_argument("--fail", type=int, default=0)
    p.add_argument("--hang-first", action="store_true")
    p.add_argument("--feed")
    p.add_argument("--lifetime", type=float, default=120)
    args = p.parse_args()
    if os.path.exists(args.state):  # a restarted server keeps what it committed
        for line in open(args.state):
            ev = json.loads(line)
            seen.add((ev["cshq"]["sensor"], ev["cshq"]["seq"]))
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), H)
    srv.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
