#!/usr/bin/env python3
"""render_nginx_conf.py: turns the shipped deploy/nginx.conf into a configuration that runs
under a temporary prefix on loopback ports, for the deploy test.

Only two kinds of change are made:
  * the documented placeholders (__CSHQ_*__) get their values;
  * what a test cannot use from production (ports 80/443 on every address, IPv6
    listeners, /run and /var/log paths, the www-data account, Debian's temp paths) is
    pointed at the prefix and 127.0.0.1.
Each change must match exactly as many times as expected, so a change of the shipped file
that would make the test check something else fails here instead of passing quietly.

usage: render_nginx_conf.py SRC DEST --prefix DIR --cert F --key F --web-root DIR
                            --upstream ADDR:PORT --http-port N --https-port N
                            [--server-name NAME]
"""
import argparse
import getpass
import os
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dest")
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--web-root", required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--https-port", type=int, required=True)
    ap.add_argument("--server-name", default="localhost")
    a = ap.parse_args()
    p = os.path.abspath(a.prefix)

    with open(a.src) as f:
        text = f.read()

    if os.geteuid() == 0:
        user_line = f"user {getpass.getuser()};"  # workers read the temp prefix
    else:
        user_line = "# user: not root, workers run as the caller"
    temp_paths = "".join(
        f"    {d}_temp_path {p}/temp/{d};\n"
        for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))

    # (pattern, replacement, expected number of matches; the header comment of the
    # shipped file names each placeholder once too)
    rules = [
        (r"__CSHQ_SERVER_NAME__", a.server_name, 4),
        (r"__CSHQ_TLS_CERT__", os.path.abspath(a.cert), 2),
        (r"__CSHQ_TLS_KEY__", os.path.abspath(a.key), 2),
        (r"__CSHQ_WEB_ROOT__", os.path.abspath(a.web_root), 2),
        (r"__CSHQ_UPSTREAM__", a.upstream, 2),
        (r"(?m)^user www-data;$", user_line, 1),
        (r"(?m)^pid /run/nginx\.pid;$", f"pid {p}/nginx.pid;", 1),
        (r"(?m)^error_log /var/log/nginx/error\.log warn;$", f"error_log {p}/logs/error.log info;", 1),
        (r"access_log /var/log/nginx/access\.log cshq;", f"access_log {p}/logs/access.log cshq;", 1),
        (r"(?m)^http \{\n", "http {\n" + temp_paths, 1),
        (r"(?m)^ *listen \[::\]:(80|443)\b[^;]*;\n", "", 3),
        (r"listen 80 default_server;", f"listen 127.0.0.1:{a.http_port} default_server;", 1),
        (r"listen 443 ssl default_server;", f"listen 127.0.0.1:{a.https_port} ssl default_server;", 1),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{a.https_port} ssl http2;", 1),
    ]
    for pattern, repl, expected in rules:
        text, n = re.subn(pattern, lambda _m, r=repl: r, text)
        if n != expected:
            sys.exit(f"render: {pattern!r} matched {n} times, expected {expected}: "
                     "deploy/nginx.conf changed shape; update tests/deploy/render_nginx_conf.py")
    left = re.findall(r"__CSHQ_[A-Z_]+__", text)
    if left:
        sys.exit(f"render: placeholders left: {sorted(set(left))}")
    listens = re.findall(r"listen ([^;]+);", text)
    for l in listens:
        if not l.startswith("127.0.0.1:"):
            sys.exit(f"render: a listener not on loopback: {l}")

    for d in ("logs", "temp"):
        os.makedirs(os.path.join(p, d), exist_ok=True)
    with open(a.dest, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
