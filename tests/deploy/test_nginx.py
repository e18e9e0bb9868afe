#!/usr/bin/env python3
"""test_nginx.py: checks the shipped deploy/nginx.conf, run by run_nginx_test.sh in front of
a real `cshq serve`, with recorder.py between nginx and cshq.

    client --TLS--> nginx --> recorder.py (copies every byte) --> cshq serve

Every request carries a unique marker in its path or query. A request nginx must refuse is
shown never to have reached cshq by its marker being absent from everything the recorder
relayed, checked only after a later well-formed request (a control) has been seen there.

As a control of the control, each malformed request is also sent in plain HTTP straight to
the recorder (bypassing nginx): its marker must then show up, and cshq's answer is printed,
which shows what cshq would do with the request if nginx let it through.

Environment (set by run_nginx_test.sh): NGINX_HTTPS_PORT, NGINX_HTTP_PORT, TLS_CERT,
RECORD_DIR, RECORDER_PORT, WEB_ROOT, CSHQ_DEMO_PASSWORD.
"""
import http.client
import json
import os
import socket
import ssl
import sys
import time
import unittest
import uuid
import warnings

HTTPS = int(os.environ["NGINX_HTTPS_PORT"])
HTTP = int(os.environ["NGINX_HTTP_PORT"])
CERT = os.environ["TLS_CERT"]
RECORD_DIR = os.environ["RECORD_DIR"]
RECORDER = int(os.environ["RECORDER_PORT"])
WEB_ROOT = os.environ["WEB_ROOT"]
DEMO_PASSWORD = os.environ["CSHQ_DEMO_PASSWORD"]
NAME = "localhost"
BODY_MAX = 1024 * 1024  # HTTP_BODY_MAX of src/http/http.h


def marker():
    return "m" + uuid.uuid4().hex


def tls_context():
    ctx = ssl.create_default_context(cafile=CERT)  # verifies the chain and the name
    return ctx


def tls_socket(sni=NAME, ctx=None, timeout=15):
    sock = socket.create_connection(("127.0.0.1", HTTPS), timeout=timeout)
    try:
        return (ctx or tls_context()).wrap_socket(sock, server_hostname=sni)
    except Exception:
        sock.close()
        raise


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.headers} {self.body[:300]!r}>"


def parse(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = [tuple(x.strip() for x in l.split(":", 1)) for l in lines[1:] if ":" in l]
    return Response(status, headers, body)


def read_all(sock):
    chunks = []
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    except (socket.timeout, ConnectionResetError, ssl.SSLError):
        pass
    return b"".join(chunks)


def raw_request(data, body_chunks=()):
    """Sends bytes exactly as given over TLS and reads the answer until nginx closes.
    body_chunks are sent one by one after data; a send error (nginx closing early after
    refusing the request) ends sending."""
    with tls_socket() as s:
        s.sendall(data)
        for chunk in body_chunks:
            try:
                s.sendall(chunk)
            except OSError:
                break
        return parse(read_all(s))


def direct_request(data):
    """The same bytes in plain HTTP to the recorder, that is to cshq without nginx."""
    with socket.create_connection(("127.0.0.1", RECORDER), timeout=5) as s:
        s.sendall(data)
        return parse(read_all(s))


class TLSConnection(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 while verifying the certificate for (and sending SNI) NAME."""

    def connect(self):
        self.sock = tls_socket()


def request(method, path, body=None, headers=None, conn=None):
    c = conn or TLSConnection("127.0.0.1", HTTPS, timeout=30)
    h = {"Host": NAME}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    if conn is None:
        c.close()
    return Response(r.status, r.getheaders(), data)


def recorded():
    out = []
    for name in os.listdir(RECORD_DIR):
        with open(os.path.join(RECORD_DIR, name), "rb") as f:
            out.append(f.read())
    return out


def reached_cshq(mark):
    m = mark.encode()
    return any(m in data for data in recorded())


def wait_reached(mark, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if reached_cshq(mark):
            return True
        time.sleep(0.05)
    return False


class NginxDeployTest(unittest.TestCase):
    maxDiff = None

    def assertNeverReached(self, mark):
        """After a control request has gone all the way through, the marker is absent."""
        ctl = marker()
        r = request("GET", f"/api/v1/health?control={ctl}")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(wait_reached(ctl), "the control request never reached the recorder")
        self.assertFalse(reached_cshq(mark), f"{mark} reached cshq")

    def assertWouldBeRecorded(self, template, what):
        """The request, with a fresh marker, sent around nginx reaches the recorder."""
        mark = marker()
        r = direct_request(template(mark))
        self.assertTrue(wait_reached(mark), "the recorder missed a request sent to it directly")
        extra = r.body.count(b"HTTP/1.1 ")
        note = f" and then {extra} more response(s) to what followed" if extra else ""
        print(f"  (without nginx, cshq answers {what} with {r.status or 'nothing'}{note})",
              file=sys.stderr)

    def assertFromNginx(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Server"), ["nginx"], r)

    # --- (a) normal traffic ---------------------------------------------------------
    def test_a1_health_through_tls(self):
        mark = marker()
        r = request("GET", f"/api/v1/health?{mark}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "ok")
        self.assertEqual(r.json()["store"], "sqlite")
        self.assertTrue(wait_reached(mark), "health request not seen by the recorder")
        self.assertEqual(r.header("Server"), ["nginx"], "server_tokens off: no version")
        # cshq's headers pass through once; nginx adds only HSTS
        self.assertEqual(len(r.header("Strict-Transport-Security")), 1, r)
        self.assertIn("max-age=63072000", r.header("Strict-Transport-Security")[0])
        for h in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                  "Referrer-Policy", "Cache-Control"):
            self.assertEqual(len(r.header(h)), 1, (h, r))
        self.assertEqual(r.header("Cache-Control"), ["no-store"])

    def test_a2_forwarded_headers_replace_client_values(self):
        mark = marker()
        r = request("GET", f"/api/v1/health?{mark}", headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(wait_reached(mark))
        sent = next(d for d in recorded() if mark.encode() in d)
        sent = sent[sent.index(mark.encode()):].split(b"\r\n\r\n", 1)[0].decode("latin-1")
        self.assertIn("\r\nX-Forwarded-For: 127.0.0.1\r\n", sent)
        self.assertIn("\r\nX-Forwarded-Proto: https\r\n", sent)
        self.assertNotIn("203.0.113.9", sent)

    def test_a3_login_and_authenticated_read(self):
        r = request("POST", "/api/v1/session",
                    json.dumps({"login": "jps.csirt", "password": DEMO_PASSWORD}),
                    {"Content-Type": "application/json"})
        self.assertEqual(r.status, 200, r)
        token = r.json()["token"]
        r = request("GET", "/api/v1/orgs/jps", headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["code"], "jps")

    def test_a4_static_index(self):
        api_csp = request("GET", "/api/v1/health").header("Content-Security-Policy")
        with open(os.path.join(WEB_ROOT, "index.html"), "rb") as f:
            index = f.read()
        for path in ("/", "/index.html", "/registry/orgs/jps"):
            r = request("GET", path)
            self.assertEqual(r.status, 200, (path, r))
            self.assertEqual(r.body, index, path)
            self.assertEqual(r.header("Cache-Control"), ["no-store"], path)
            self.assertEqual(r.header("Content-Security-Policy"), api_csp,
                             "the static UI must get the CSP cshq sets")
            self.assertEqual(r.header("X-Frame-Options"), ["DENY"])
            self.assertEqual(r.header("X-Content-Type-Options"), ["nosniff"])
            self.assertEqual(r.header("Referrer-Policy"), ["no-referrer"])
            self.assertEqual(len(r.header("Strict-Transport-Security")), 1)

    def test_a5_static_assets(self):
        r = request("GET", "/assets/index-0123abcd.js")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Cache-Control"), ["public, max-age=31536000, immutable"])
        self.assertEqual(len(r.header("Content-Security-Policy")), 1)
        self.assertEqual(request("GET", "/assets/missing-0000.js").status, 404)
        self.assertEqual(request("GET", "/.env").status, 404, "dot-files are not served")
        self.assertEqual(request("POST", "/index.html", body=b"x").status, 403)

    def test_a6_http_redirects_to_https(self):
        c = http.client.HTTPConnection("127.0.0.1", HTTP, timeout=10)
        c.request("GET", "/api/v1/health?x=1", headers={"Host": "attacker.example"})
        r = c.getresponse()
        r.read()
        c.close()
        self.assertEqual(r.status, 301)
        self.assertEqual(r.getheader("Location"), f"https://{NAME}/api/v1/health?x=1")

    def test_a7_tls_versions_and_names(self):
        for v in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = tls_context()
            ctx.minimum_version = ctx.maximum_version = v
            with tls_socket(ctx=ctx) as s:
                self.assertEqual(s.version(), v.name.replace("v1_", "v1."))
        # TLS 1.1 must be refused by the server (skipped if this client cannot offer it)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        try:
            with tls_socket(ctx=ctx):
                self.fail("TLS 1.1 accepted")
        except ssl.SSLError as e:
            if "NO_PROTOCOLS_AVAILABLE" in str(e) or "no protocols available" in str(e):
                print("  (TLS 1.1 not offered by this client's OpenSSL; not checked)", file=sys.stderr)
            else:
                self.assertIn("PROTOCOL_VERSION", str(e).upper().replace(" ", "_"), e)
        # a name other than the configured one gets no handshake at all
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with self.assertRaises(ssl.SSLError):
            with tls_socket(sni="other.example", ctx=ctx):
                pass

    # --- (b) duplicate Content-Length ---------------------------------------------------
    def test_b_duplicate_content_length(self):
        for values in ((2, 2), (2, 40)):
            def req(mark):
                # with (2, 40): a body of 2 bytes by the first header, and what follows it
                # would be read as the next request by a server that takes the first value
                return (f"POST /api/v1/session?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
                        "Content-Type: application/json\r\n"
                        f"Content-Length: {values[0]}\r\nContent-Length: {values[1]}\r\n"
                        "\r\n{}GET /api/v1/health?smuggled HTTP/1.1\r\n"
                        f"Host: {NAME}\r\nConnection: close\r\n\r\n").encode()
            mark = marker()
            self.assertFromNginx(raw_request(req(mark)), 400)
            self.assertNeverReached(mark)
            self.assertWouldBeRecorded(req, f"Content-Length {values[0]} and {values[1]}")

    # --- (c) Content-Length and Transfer-Encoding ---------------------------------------
    def test_c_content_length_and_transfer_encoding(self):
        body = '{"login":"x","password":"y"}'
        chunked = f"{len(body):x}\r\n{body}\r\n0\r\n\r\n"
        for order in ("cl-te", "te-cl"):
            cl = f"Content-Length: {len(chunked)}\r\n"
            te = "Transfer-Encoding: chunked\r\n"
            hdrs = cl + te if order == "cl-te" else te + cl
            def req(mark):
                return (f"POST /api/v1/session?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
                        f"Content-Type: application/json\r\n{hdrs}Connection: close\r\n\r\n"
                        f"{chunked}").encode()
            mark = marker()
            self.assertFromNginx(raw_request(req(mark)), 400)
            self.assertNeverReached(mark)
            self.assertWouldBeRecorded(req, f"Content-Length with Transfer-Encoding ({order})")

    # --- (d) body limits ----------------------------------------------------------------
    def test_d1_oversized_declared_body(self):
        mark = marker()
        r = raw_request(
            f"POST /api/v1/users?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {BODY_MAX + 1}\r\nConnection: close\r\n\r\n".encode(),
            [b"x" * 65536] * 4)
        self.assertFromNginx(r, 413)
        self.assertEqual(r.header("Content-Type"), ["application/problem+json"], r)
        self.assertEqual(json.loads(r.body)["status"], 413)
        self.assertNeverReached(mark)

    def test_d2_oversized_chunked_body(self):
        mark = marker()
        chunk = b"x" * 65536
        frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        n = BODY_MAX // len(chunk) + 2
        r = raw_request(
            f"POST /api/v1/users?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n".encode(), [frame] * n + [b"0\r\n\r\n"])
        self.assertFromNginx(r, 413)
        self.assertNeverReached(mark)

    def test_d3_body_at_the_cap_is_forwarded(self):
        # The same cap on both sides: exactly 1 MiB passes nginx and reaches cshq (which
        # answers 401 for this route without a token), so nginx is not stricter than cshq.
        mark = marker()
        r = raw_request(
            f"POST /api/v1/users?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {BODY_MAX}\r\nConnection: close\r\n\r\n".encode(),
            [b"x" * (BODY_MAX // 16)] * 16)
        self.assertEqual(r.status, 401, r)
        self.assertTrue(wait_reached(mark))

    def test_d4_bulk_paths_allow_16_mib(self):
        # POST /api/v1/alerts and /api/v1/indicators: cshq's bulk cap (HTTP_BULK_BODY_MAX,
        # 16 MiB) on both sides. 2 MiB passes nginx and is not refused for size by cshq
        # (it answers 401: no credentials); 16 MiB + 1 is refused by nginx.
        for path in ("/api/v1/alerts", "/api/v1/indicators"):
            mark = marker()
            size = 2 * BODY_MAX
            r = raw_request(
                f"POST {path}?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode(),
                [b" " * (size // 32)] * 32)
            self.assertTrue(wait_reached(mark), f"2 MiB to {path} stopped at nginx: {r}")
            self.assertNotEqual(r.status, 413, f"cshq refused 2 MiB on {path}: {r}")
            mark = marker()
            r = raw_request(
                f"POST {path}?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {16 * BODY_MAX + 1}\r\nConnection: close\r\n\r\n".encode())
            self.assertFromNginx(r, 413)
            self.assertNeverReached(mark)

    def test_e_oversized_header(self):
        mark = marker()
        r = raw_request(
            f"GET /api/v1/health?{mark} HTTP/1.1\r\nHost: {NAME}\r\n"
            f"X-Big: {'a' * 9000}\r\nConnection: close\r\n\r\n".encode())
        self.assertFromNginx(r, 400)
        self.assertNeverReached(mark)

    # --- rate limit on login (last: it uses up this address's allowance) ---------------
    def test_z_login_rate_limit(self):
        conn = TLSConnection("127.0.0.1", HTTPS, timeout=30)
        results = []
        for _ in range(40):
            mark = marker()
            r = request("POST", f"/api/v1/session?{mark}", b"{}",
                        {"Content-Type": "application/json"}, conn=conn)
            results.append((mark, r))
        conn.close()
        limited = [(m, r) for m, r in results if r.status == 429]
        passed = [(m, r) for m, r in results if r.status != 429]
        self.assertGreaterEqual(len(limited), 15, [r.status for _, r in results])
        self.assertLessEqual(len(passed), 25, [r.status for _, r in results])
        for _, r in passed:
            self.assertIn(r.status, (400, 422), r)  # cshq's answer to an empty login
        for m, r in limited:
            self.assertEqual(r.header("Content-Type"), ["application/problem+json"], r)
            self.assertEqual(r.header("Retry-After"), ["10"], r)
        self.assertTrue(wait_reached(passed[-1][0]))
        for m, _ in limited:
            self.assertNeverReached(m)
        # only POST is limited
        self.assertEqual(request("GET", "/api/v1/session").status, 401)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
