"""harness.py: starts a real `cshq serve` on SQLite or PostgreSQL for API tests and talks
to it over HTTP. Standard library only.

Environment:
  CSHQ_BIN          the server binary (default: build/cshq of the repository)
  CSHQ_TEST_STORE   "sqlite" (default) or "pg"
  CSHQ_TEST_PG_FILE a file holding the conninfo of a throwaway cluster (tests/CMakeLists.txt)
Each server gets a fresh store: a new SQLite file, or a new PostgreSQL database.
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_PASSWORD = "admin-password-for-tests"
DEMO_PASSWORD = "demo-password-for-tests"
SERVER_LIFETIME = 600  # seconds: a forgotten server stops by itself


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_conninfo():
    path = os.environ.get("CSHQ_TEST_PG_FILE")
    if os.environ.get("CSHQ_TEST_PG"):
        return os.environ["CSHQ_TEST_PG"]
    if not path or not os.path.exists(path):
        raise unittest.SkipTest("no PostgreSQL cluster (CSHQ_TEST_PG_FILE)")
    with open(path) as f:
        return f.read().strip()


def psql(conninfo, sql):
    out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()


class Server:
    """A cshq server on a fresh store, with the demo users."""

    def __init__(self, store=None, extra_env=None):
        self.store = store or os.environ.get("CSHQ_TEST_STORE", "sqlite")
        self.bin = os.environ.get("CSHQ_BIN", os.path.join(ROOT, "build", "cshq"))
        self.tmp = tempfile.mkdtemp(prefix="cshq-api-")
        self.port = free_port()
        if self.store == "pg":
            base = pg_conninfo()
            self.dbname = "t_" + uuid.uuid4().hex[:12]
            psql(base, f"CREATE DATABASE {self.dbname}")
            self.store_args = ["--pg", f"{base} dbname={self.dbname}"]
            self.conninfo = f"{base} dbname={self.dbname}"
        else:
            self.db_path = os.path.join(self.tmp, "cshq.db")
            self.store_args = ["--db", self.db_path]
        env = dict(os.environ, CSHQ_ADMIN_PASSWORD=ADMIN_PASSWORD, CSHQ_DEMO_PASSWORD=DEMO_PASSWORD)
        env.update(extra_env or {})
        self.env = env
        self.log = open(os.path.join(self.tmp, "server.log"), "w+")
        self.proc = subprocess.Popen(
            ["timeout", str(SERVER_LIFETIME), self.bin, "serve", *self.store_args,
             "--listen", f"127.0.0.1:{self.port}", "--demo", "--threads", "4"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 180  # a loaded CI machine under ASan can be slow to start
        while time.time() < deadline:
            try:
                st, _, _ = self.request("GET", "/api/v1/health")
                if st == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        log = self.read_log()  # before stop() closes it
        self.stop()
        raise RuntimeError("server did not start:\n" + log)

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def cli(self, *args):
        """Runs a cshq subcommand on this server's store."""
        return subprocess.run([self.bin, *args, *self.store_args], capture_output=True, text=True,
                              env=self.env, timeout=120)

    def sql(self, statement):
        """Runs SQL directly on the store (for tamper tests)."""
        if self.store == "pg":
            return psql(self.conninfo, statement)
        import sqlite3
        con = sqlite3.connect(self.db_path)
        try:
            cur = con.execute(statement)
            rows = cur.fetchall()
            con.commit()
            return "\n".join("|".join(str(c) for c in r) for r in rows)
        finally:
            con.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        if self.store == "pg":
            try:
                psql(pg_conninfo(), f"DROP DATABASE IF EXISTS {self.dbname}")
            except Exception:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def request(self, method, path, body=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        parsed = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = payload
        return resp.status, dict(resp.getheaders()), parsed

    def login(self, login, password=None):
        password = password or (ADMIN_PASSWORD if login == "admin" else DEMO_PASSWORD)
        st, _, body = self.request("POST", "/api/v1/session", {"login": login, "password": password})
        if st != 200:
            raise AssertionError(f"login {login}: {st} {body}")
        return Client(self, body["token"])


class Client:
    """A logged-in API client using a bearer token."""

    def __init__(self, server, token):
        self.server = server
        self.token = token

    def call(self, method, path, body=None, headers=None, raw=None):
        h = {"Authorization": f"Bearer {self.token}"}
        h.update(headers or {})
        return self.server.request(method, path, body, h, raw)

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body if body is not None else {}, **kw)


class ServerTest(unittest.TestCase):
    """One server per test class (starting one costs Argon2id hashes for the demo users)."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def assertProblem(self, result, status):
        st, hdrs, body = result
        self.assertEqual(st, status, body)
        self.assertTrue(hdrs.get("Content-Type", "").startswith("application/problem+json"), hdrs)
        self.assertEqual(body["status"], status)
        for key in ("type", "title"):
            self.assertIn(key, body)
        return body


def main():
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[1:])
