#!/usr/bin/env python3
"""gen_capture.py: writes captures of mixed traffic with a ground-truth file of the
alerts cshq-sensor must raise, and the indicator files that define them.

  gen_capture.py truth DIR            capture files + indicators + truth.jsonl
  gen_capture.py bench DIR PACKETS    one large capture for the benchmark
  gen_capture.py iocs DIR N           indicator lists of N per type (benchmark)

Python standard library only. The JA3/JA4 fingerprints are computed here from the
ClientHello bytes independently of the sensor's implementation, so the ground truth
checks them too.
"""
import hashlib
import ipaddress
import json
import os
import random
import struct
import sys

# ---------------------------------------------------------------- packet builders

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_bytes(a):
    return ipaddress.ip_address(a).packed


def ipv4(src, dst, proto, payload, options=b"", ident=1, frag=0, mf=False, ttl=64):
    ihl = 5 + len(options) // 4
    flags_frag = (0x2000 if mf else 0) | (frag // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(options) + len(payload), ident,
                      flags_frag, ttl, proto, 0, ip_bytes(src), ip_bytes(dst)) + options
    c = csum(hdr)
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def ipv6(src, dst, nh, payload, ext=()):
    """ext: list of (type, body) where body excludes the next-header byte."""
    chain = b""
    types = [t for t, _ in ext] + [nh]
    first = types[0]
    for i, (t, body) in enumerate(ext):
        chain += bytes([types[i + 1]]) + body
    data = chain + payload
    return struct.pack("!IHBB16s16s", 0x60000000, len(data), first, 64, ip_bytes(src),
                       ip_bytes(dst)) + data


def l4_pseudo(src, dst, proto, seg):
    if ":" in src:
        ph = ip_bytes(src) + ip_bytes(dst) + struct.pack("!IxxxB", len(seg), proto)
    else:
        ph = ip_bytes(src) + ip_bytes(dst) + struct.pack("!xBH", proto, len(seg))
    return csum(ph + seg)


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0) + payload
    c = l4_pseudo(src, dst, 6, seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(src, dst, sport, dport, payload):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = l4_pseudo(src, dst, 17, seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def icmp_echo(src, dst, ident, seq, v6=False):
    body = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, seq) + b"cshq-ping" * 4
    return body


def ip_packet(src, dst, proto, l4, **kw):
    if ":" in src:
        return ipv6(src, dst, proto, l4, ext=kw.get("ext", ()))
    return ipv4(src, dst, proto, l4, options=kw.get("options", b""))


ETH_SRC = b"\x02\x00\x00\x00\x00\x01"
ETH_DST = b"\x02\x00\x00\x00\x00\x02"


def ether(ip, vlans=()):
    etype = 0x86DD if (ip[0] >> 4) == 6 else 0x0800
    hdr = ETH_DST + ETH_SRC
    tpids = [0x88A8] * (len(vlans) - 1) + [0x8100] if len(vlans) > 1 else [0x8100] * len(vlans)
    for tpid, vid in zip(tpids, vlans):
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", etype) + ip


def sll(ip):
    etype = 0x86DD if (ip[0] >> 4) == 6 else 0x0800
    return struct.pack("!HHH8sH", 0, 1, 6, ETH_SRC + b"\0\0", etype) + ip


def sll2(ip):
    etype = 0x86DD if (ip[0] >> 4) == 6 else 0x0800
    return struct.pack("!HHIHBB8s", etype, 0, 2, 1, 0, 6, ETH_SRC + b"\0\0") + ip

# ---------------------------------------------------------------- capture writers

class Pcap:
    def __init__(self, path, linktype, ng=False):
        self.f = open(path, "wb")
        self.ng = ng
        if ng:
            shb_body = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
            self._block(0x0A0D0D0A, shb_body)
            self._block(1, struct.pack("<HHI", linktype, 0, 262144))
        else:
            self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))

    def _block(self, btype, body):
        pad = (-len(body)) % 4
        total = 12 + len(body) + pad
        self.f.write(struct.pack("<II", btype, total) + body + b"\0" * pad +
                     struct.pack("<I", total))

    def write(self, ts, frame):
        sec = int(ts)
        usec = int(round((ts - sec) * 1e6))
        if self.ng:
            t = sec * 1000000 + usec
            self._block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame),
                                       len(frame)) + frame)
        else:
            self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame)

    def close(self):
        self.f.close()

# ---------------------------------------------------------------- application payloads

def dns_name(n):
    out = b""
    for label in n.split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


QTYPES = {"A": 1, "AAAA": 28, "CNAME": 5}


def dns_query(qid, name, qtype="A"):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + \
        struct.pack("!HH", QTYPES[qtype], 1)


def dns_response(qid, name, qtype, answers):
    """answers: list of (name, type, rdata-text)."""
    msg = struct.pack("!HHHHHH", qid, 0x8180, 1, len(answers), 0, 0)
    msg += b"\xc0\x0c"[:0] + dns_name(name) + struct.pack("!HH", QTYPES[qtype], 1)
    for an, at, rd in answers:
        if an == name:
            owner = b"\xc0\x0c"  # compression pointer to the question name
        else:
            owner = dns_name(an)
        if at == "CNAME":
            rdata = dns_name(rd)
        else:
            rdata = ip_bytes(rd)
        msg += owner + struct.pack("!HHIH", QTYPES[at], 1, 300, len(rdata)) + rdata
    return msg


GREASE = [0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A]

PROFILES = {
    # A: a plain TLS 1.2 client
    "A": dict(ciphers=[0xC02F, 0xC030, 0xC02B, 0xC02C, 0x009E, 0x009F, 0xC013, 0xC014, 0x002F,
                       0x0035], grease=False, groups=[0x0017, 0x0018, 0x001D], formats=[0],
              sigalgs=[0x0401, 0x0501, 0x0601, 0x0403, 0x0503], alpn=["http/1.1"],
              versions=None, exts=[0x0000, 0x000B, 0x000A, 0x000D, 0x0010, 0x0017, 0xFF01]),
    # B: a browser-like TLS 1.3 client with GREASE
    "B": dict(ciphers=[0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8],
              grease=True, groups=[0x001D, 0x0017, 0x0018], formats=[0],
              sigalgs=[0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
              alpn=["h2", "http/1.1"], versions=[0x0304, 0x0303],
              exts=[0x0000, 0x0017, 0xFF01, 0x000A, 0x000B, 0x0023, 0x0010, 0x0005, 0x000D,
                    0x0012, 0x0033, 0x002D, 0x002B, 0x001B]),
    # C: background traffic
    "C": dict(ciphers=[0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030],
              grease=False, groups=[0x001D, 0x0017], formats=[0],
              sigalgs=[0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501],
              alpn=["h2"], versions=[0x0304, 0x0303],
              exts=[0x0000, 0x000A, 0x000B, 0x000D, 0x0010, 0x002B, 0x0033, 0x0017]),
}


def client_hello(sni, profile, rnd):
    p = PROFILES[profile]
    g = GREASE[rnd.randrange(len(GREASE))] if p["grease"] else None
    ciphers = ([g] if g else []) + p["ciphers"]
    exts = []
    ext_order = ([g] if g else []) + p["exts"]
    for t in ext_order:
        if t == g:
            body = b""
        elif t == 0x0000:
            if sni is None:
                continue
            n = sni.encode()
            body = struct.pack("!HBH", len(n) + 3, 0, len(n)) + n
        elif t == 0x000A:
            gl = ([g] if g else []) + p["groups"]
            body = struct.pack("!H", 2 * len(gl)) + b"".join(struct.pack("!H", x) for x in gl)
        elif t == 0x000B:
            body = bytes([len(p["formats"])]) + bytes(p["formats"])
        elif t == 0x000D:
            body = struct.pack("!H", 2 * len(p["sigalgs"])) + \
                b"".join(struct.pack("!H", x) for x in p["sigalgs"])
        elif t == 0x0010:
            lst = b"".join(bytes([len(a)]) + a.encode() for a in p["alpn"])
            body = struct.pack("!H", len(lst)) + lst
        elif t == 0x002B:
            vl = ([g] if g else []) + p["versions"]
            body = bytes([2 * len(vl)]) + b"".join(struct.pack("!H", x) for x in vl)
        elif t == 0x0033:
            body = struct.pack("!HHH", 36, 0x001D, 32) + bytes(rnd.randrange(256) for _ in range(32))
        elif t == 0x002D:
            body = b"\x01\x01"
        elif t == 0x0005:
            body = b"\x01\x00\x00\x00\x00"
        elif t == 0x001B:
            body = b"\x02\x00\x02"
        else:
            body = b""
        exts.append((t, body))
    ext_bytes = b"".join(struct.pack("!HH", t, len(b)) + b for t, b in exts)
    hello = struct.pack("!H", 0x0303) + bytes(rnd.randrange(256) for _ in range(32))
    hello += b"\x20" + bytes(rnd.randrange(256) for _ in range(32))
    hello += struct.pack("!H", 2 * len(ciphers)) + b"".join(struct.pack("!H", c) for c in ciphers)
    hello += b"\x01\x00" + struct.pack("!H", len(ext_bytes)) + ext_bytes
    hs = b"\x01" + struct.pack("!I", len(hello))[1:] + hello
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def fingerprints(profile, with_sni):
    """JA3 and JA4 of a profile, from the definitions (GREASE removed)."""
    p = PROFILES[profile]
    exts = [e for e in p["exts"] if with_sni or e != 0x0000]
    ja3s = "%d,%s,%s,%s,%s" % (0x0303, "-".join(str(c) for c in p["ciphers"]),
                               "-".join(str(e) for e in exts),
                               "-".join(str(x) for x in p["groups"]),
                               "-".join(str(x) for x in p["formats"]))
    ja3 = hashlib.md5(ja3s.encode()).hexdigest()
    ver = max(p["versions"]) if p["versions"] else 0x0303
    vs = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10"}[ver]
    alpn = p["alpn"][0] if p["alpn"] else None
    a_alpn = (alpn[0] + alpn[-1]) if alpn else "00"
    ja4a = "t%s%s%02d%02d%s" % (vs, "d" if with_sni else "i", min(len(p["ciphers"]), 99),
                               min(len(exts), 99), a_alpn)
    cs = ",".join("%04x" % c for c in sorted(p["ciphers"]))
    ja4b = hashlib.sha256(cs.encode()).hexdigest()[:12]
    es = ",".join("%04x" % e for e in sorted(e for e in exts if e not in (0x0000, 0x0010)))
    if p["sigalgs"]:
        es += "_" + ",".join("%04x" % s for s in p["sigalgs"])
    ja4c = hashlib.sha256(es.encode()).hexdigest()[:12]
    return ja3, "%s_%s_%s" % (ja4a, ja4b, ja4c)


def http_request(method, host, uri, ua="Mozilla/5.0 (cshq-test)", body=b""):
    h = "%s %s HTTP/1.1\r\n" % (method, uri)
    if host is not None:
        h += "Host: %s\r\n" % host
    h += "User-Agent: %s\r\nAccept: */*\r\n" % ua
    if body:
        h += "Content-Length: %d\r\n" % len(body)
    h += "\r\n"
    return h.encode() + body

# ---------------------------------------------------------------- traffic model

class Writer:
    """Collects frames for several output files, each with its link type."""

    def __init__(self, rnd):
        self.rnd = rnd
        self.t = 1700000000.0
        self.port = 20000
        self.frames = {}  # file -> list of (ts, frame)

    def next_port(self):
        self.port += 1
        return self.port

    def emit(self, out, ip, vlans=()):
        self.t += 0.0005
        if out in ("eth", "ethng"):
            frame = ether(ip, vlans)
        elif out == "sll":
            frame = sll(ip)
        elif out == "sll2":
            frame = sll2(ip)
        else:
            frame = ip
        self.frames.setdefault(out, []).append((self.t, frame))

    def tcp_session(self, out, cli, srv, sport, dport, client_segments, server_reply=b"",
                    vlans=(), ext=(), options=b""):
        """Handshake, client segments (a list of byte strings, sent in order), reply,
        teardown."""
        c_seq = self.rnd.randrange(1 << 32)
        s_seq = self.rnd.randrange(1 << 32)
        kw = dict(ext=ext, options=options)

        def c2s(flags, data=b""):
            self.emit(out, ip_packet(cli, srv, 6, tcp(cli, srv, sport, dport, c_seq, s_seq, flags,
                                                     data), **kw), vlans)

        def s2c(flags, data=b""):
            self.emit(out, ip_packet(srv, cli, 6, tcp(srv, cli, dport, sport, s_seq, c_seq, flags,
                                                     data), **kw), vlans)
        c2s(0x02)
        c_seq += 1
        s2c(0x12)
        s_seq += 1
        c2s(0x10)
        for seg in client_segments:
            c2s(0x18, seg)
            c_seq += len(seg)
            s2c(0x10)
        if server_reply:
            s2c(0x18, server_reply)
            s_seq += len(server_reply)
            c2s(0x10)
        c2s(0x11)
        c_seq += 1
        s2c(0x11)
        s_seq += 1
        c2s(0x10)

    def udp_pair(self, out, cli, srv, sport, dport, req, resp=None, vlans=()):
        self.emit(out, ip_packet(cli, srv, 17, udp(cli, srv, sport, dport, req)), vlans)
        if resp is not None:
            self.emit(out, ip_packet(srv, cli, 17, udp(srv, cli, dport, sport, resp)), vlans)


def flow_key(proto, a, pa, b, pb):
    x = (ipaddress.ip_address(a), pa)
    y = (ipaddress.ip_address(b), pb)
    if (x[0].version, x[0].packed, x[1]) > (y[0].version, y[0].packed, y[1]):
        x, y = y, x
    return "%s|%s|%d|%s|%d" % (proto, x[0].compressed, x[1], y[0].compressed, y[1])


def truth_mode(outdir):
    rnd = random.Random(20161021)
    w = Writer(rnd)
    truth = []
    ja3_a, ja4_a = fingerprints("A", True)
    ja3_b, ja4_b = fingerprints("B", True)

    def expect(proto, cli, cport, srv, sport, typ, value, matched):
        truth.append({"flow": flow_key(proto, cli, cport, srv, sport), "indicator_type": typ,
                      "indicator_value": value, "matched_value": matched})

    # indicator files: CSV, STIX and a plain list, each holding part of the set
    csv_rows = [
        ("ipv4", "203.0.113.10", "high", "TLP:AMBER", "test-csv", "csv-1", ""),
        ("ipv4", "203.0.113.11", "medium", "", "test-csv", "csv-2", ""),
        ("ipv4", "203.0.113.99", "low", "", "test-csv", "csv-expired", "2001-01-01T00:00:00Z"),
        ("ipv6", "2001:db8:bad::1", "high", "", "test-csv", "csv-3", ""),
        ("cidr", "192.0.2.0/24", "medium", "", "test-csv", "csv-4", ""),
        ("cidr", "192.0.2.128/25", "high", "", "test-csv", "csv-5", ""),
        ("domain", "evil.example", "high", "TLP:RED", "test-csv", "csv-6", ""),
        ("domain", "Bad-Domain.test.", "medium", "", "test-csv", "csv-7", ""),
        ("domain_suffix", "suffix.example", "medium", "", "test-csv", "csv-8", ""),
        ("url", "http://evil.example/malware.exe", "high", "", "test-csv", "csv-9", ""),
        ("url_prefix", "http://drop.example/files/", "high", "", "test-csv", "csv-10", ""),
        ("ja3", ja3_a, "medium", "", "test-csv", "csv-11", ""),
        ("ja4", ja4_b, "low", "", "test-csv", "csv-12", ""),
    ]
    with open(os.path.join(outdir, "indicators.csv"), "w") as f:
        f.write("type,value,severity,tlp,source,id,expires_at\n")
        for r in csv_rows:
            f.write(",".join('"%s"' % x if "," in x else x for x in r) + "\n")

    def stix_ind(i, pattern, **extra):
        o = {"type": "indicator", "spec_version": "2.1",
             "id": "indicator--00000000-0000-4000-8000-%012d" % i,
             "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
             "pattern": pattern, "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
             "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}
        o.update(extra)
        return o
    stix = {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [
        {"type": "identity", "spec_version": "2.1", "id": "identity--1", "name": "test"},
        stix_ind(1, "[ipv4-addr:value = '203.0.113.12']"),
        stix_ind(2, "[ipv6-addr:value = '2001:db8:bad::2'] OR [domain-name:value = 'stix-domain.example']"),
        stix_ind(3, "[ipv6-addr:value = '2001:db8:c1d0::/48']"),
        stix_ind(4, "[url:value = 'http://stix.example/payload']"),
        stix_ind(5, "[domain-name:value = 'stixsuffix.example']", x_cshq_type="domain_suffix"),
        stix_ind(6, "[ipv4-addr:value = '203.0.113.77']", revoked=True),
        stix_ind(7, "[ipv4-addr:value = '203.0.113.78' AND domain-name:value = 'and.example']"),
    ]}
    with open(os.path.join(outdir, "indicators.stix.json"), "w") as f:
        json.dump(stix, f, indent=1)
    with open(os.path.join(outdir, "indicators.txt"), "w") as f:
        f.write("# plain list: one value per line, type guessed\n203.0.113.13\n100.64.0.0/10\n"
                "plain.example\n*.wild.test\nurl_prefix:http://plain-prefix.example/x\n")

    CLIENTS4 = ["10.1.0.%d" % i for i in range(2, 250)]
    CLIENTS6 = ["fd00:1::%x" % i for i in range(2, 250)]
    BENIGN4 = ["198.51.100.%d" % i for i in range(2, 250) if i != 53]
    BENIGN6 = ["2001:db8:1::%x" % i for i in range(2, 250)]
    RESOLVER4, RESOLVER6 = "198.51.100.53", "2001:db8:1::53"
    cli = lambda: rnd.choice(CLIENTS4)
    cli6 = lambda: rnd.choice(CLIENTS6)
    ben = lambda: rnd.choice(BENIGN4)
    ben6 = lambda: rnd.choice(BENIGN6)
    vl = lambda: rnd.choice([(), (), (100,), (200, 300)])

    # ---- planted hits ----
    # 1. IP hit, TLS with a benign name
    c, p = cli(), w.next_port()
    w.tcp_session("eth", c, "203.0.113.10", p, 443, [client_hello("benign.example", "C", rnd)], vlans=(100,))
    expect("TCP", c, p, "203.0.113.10", 443, "ipv4", "203.0.113.10", "203.0.113.10")
    # 2. SNI exact domain
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 443, [client_hello("evil.example", "C", rnd)], vlans=(200, 300))
    expect("TCP", c, p, s, 443, "domain", "evil.example", "evil.example")
    # 3. SNI under a suffix, mixed case
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 443, [client_hello("WWW.Sub.Suffix.Example", "C", rnd)])
    expect("TCP", c, p, s, 443, "domain_suffix", "suffix.example", "WWW.Sub.Suffix.Example")
    # 4. near miss: not under suffix.example
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 443, [client_hello("notsuffix.example", "C", rnd)])
    # 5. ClientHello split over three segments: domain + JA3
    c, p, s = cli(), w.next_port(), ben()
    ch = client_hello("stix-domain.example", "A", rnd)
    w.tcp_session("eth", c, s, p, 443, [ch[:7], ch[7:60], ch[60:]], vlans=(100,))
    expect("TCP", c, p, s, 443, "domain", "stix-domain.example", "stix-domain.example")
    expect("TCP", c, p, s, 443, "ja3", ja3_a, ja3_a)
    # 6. IPv6 with extension headers to a listed v6 address, JA4 hit
    c, p = cli6(), w.next_port()
    ext = [(0, b"\x00" + b"\x01\x04\x00\x00\x00\x00"), (60, b"\x00" + b"\x01\x04\x00\x00\x00\x00")]
    w.tcp_session("eth", c, "2001:db8:bad::1", p, 443, [client_hello("benign6.example", "B", rnd)], ext=ext)
    expect("TCP", c, p, "2001:db8:bad::1", 443, "ipv6", "2001:db8:bad::1", "2001:db8:bad::1")
    expect("TCP", c, p, "2001:db8:bad::1", 443, "ja4", ja4_b, ja4_b)
    # 7. HTTP to a listed IP: IP, domain and URL all reported
    c, p = cli(), w.next_port()
    w.tcp_session("eth", c, "203.0.113.11", p, 80, [http_request("GET", "evil.example", "/malware.exe")],
                  b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", vlans=(100,))
    expect("TCP", c, p, "203.0.113.11", 80, "ipv4", "203.0.113.11", "203.0.113.11")
    expect("TCP", c, p, "203.0.113.11", 80, "domain", "evil.example", "evil.example")
    expect("TCP", c, p, "203.0.113.11", 80, "url", "http://evil.example/malware.exe", "http://evil.example/malware.exe")
    # 8. URL prefix
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 80, [http_request("GET", "drop.example", "/files/a/b.zip")])
    expect("TCP", c, p, s, 80, "url_prefix", "http://drop.example/files/", "http://drop.example/files/a/b.zip")
    # 9. request head split across segments; Host in other case, listed with a trailing dot
    c, p, s = cli(), w.next_port(), ben()
    req = http_request("GET", "bad-domain.TEST", "/index.html")
    w.tcp_session("eth", c, s, p, 80, [req[:10], req[10:30], req[30:]])
    expect("TCP", c, p, s, 80, "domain", "Bad-Domain.test.", "bad-domain.TEST")
    # 10. keep-alive: a POST with a body, then a listed URL
    c, p, s = cli(), w.next_port(), ben()
    body = b"GET /not-a-request HTTP/1.1\r\n" * 3
    w.tcp_session("eth", c, s, p, 80, [http_request("POST", "ok.example", "/upload", body=body),
                                        http_request("GET", "stix.example", "/payload")])
    expect("TCP", c, p, s, 80, "url", "http://stix.example/payload", "http://stix.example/payload")
    # 11. DNS over UDP: suffix in the query, CNAME to a listed domain, A in two prefixes
    c, p = cli(), w.next_port()
    q = dns_query(0x1111, "www.suffix.example")
    r = dns_response(0x1111, "www.suffix.example", "A", [("www.suffix.example", "CNAME", "plain.example"),
                                                          ("plain.example", "A", "192.0.2.200")])
    w.udp_pair("eth", c, RESOLVER4, p, 53, q, r, vlans=(200, 300))
    for t, v, m in [("domain_suffix", "suffix.example", "www.suffix.example"),
                    ("domain", "plain.example", "plain.example"),
                    ("cidr", "192.0.2.0/24", "192.0.2.200"), ("cidr", "192.0.2.128/25", "192.0.2.200")]:
        expect("UDP", c, p, RESOLVER4, 53, t, v, m)
    # 12. DNS over TCP, AAAA answer a listed v6 address
    c, p = cli(), w.next_port()
    q = dns_query(0x2222, "evil.example", "AAAA")
    r = dns_response(0x2222, "evil.example", "AAAA", [("evil.example", "AAAA", "2001:db8:bad::2")])
    w.tcp_session("eth", c, RESOLVER4, p, 53, [struct.pack("!H", len(q)) + q],
                  struct.pack("!H", len(r)) + r)
    expect("TCP", c, p, RESOLVER4, 53, "domain", "evil.example", "evil.example")
    expect("TCP", c, p, RESOLVER4, 53, "ipv6", "2001:db8:bad::2", "2001:db8:bad::2")
    # 13. upper-case query name
    c, p = cli6(), w.next_port()
    w.udp_pair("eth", c, RESOLVER6, p, 53, dns_query(0x3333, "EVIL.EXAMPLE"))
    expect("UDP", c, p, RESOLVER6, 53, "domain", "evil.example", "EVIL.EXAMPLE")
    # 14. ICMP echo to a STIX address
    c = cli()
    w.emit("eth", ip_packet(c, "203.0.113.12", 1, icmp_echo(c, "203.0.113.12", 7, 1)))
    w.emit("eth", ip_packet("203.0.113.12", c, 1, icmp_echo("203.0.113.12", c, 7, 1)))
    expect("ICMP", c, 0, "203.0.113.12", 0, "ipv4", "203.0.113.12", "203.0.113.12")
    # 15. UDP into a listed prefix (plain list)
    c, p = cli(), w.next_port()
    w.udp_pair("eth", c, "100.64.1.1", p, 9999, b"x" * 40, b"y" * 40)
    expect("UDP", c, p, "100.64.1.1", 9999, "cidr", "100.64.0.0/10", "100.64.1.1")
    # 16. IPv6 prefix from STIX
    c, p = cli6(), w.next_port()
    w.tcp_session("eth", c, "2001:db8:c1d0::5", p, 22, [b"SSH-2.0-OpenSSH_9.2\r\n"], vlans=(100,))
    expect("TCP", c, p, "2001:db8:c1d0::5", 22, "cidr", "2001:db8:c1d0::/48", "2001:db8:c1d0::5")
    # 17. expired, revoked and AND-pattern indicators never fire
    for dst in ("203.0.113.99", "203.0.113.77", "203.0.113.78"):
        c, p = cli(), w.next_port()
        w.tcp_session("eth", c, dst, p, 443, [client_hello("and.example", "C", rnd)])
    # 18. fragmented UDP to a listed address: the first fragment carries the ports
    c, p = cli(), w.next_port()
    dgram = udp(c, "203.0.113.13", p, 5000, bytes(range(256)) * 8)
    w.emit("eth", ipv4(c, "203.0.113.13", 17, dgram[:1000], ident=77, mf=True))
    w.emit("eth", ipv4(c, "203.0.113.13", 17, dgram[1000:], ident=77, frag=1000))
    expect("UDP", c, p, "203.0.113.13", 5000, "ipv4", "203.0.113.13", "203.0.113.13")
    # 19. IPv4 options; Host with a port
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 8080, [http_request("GET", "plain.example:8080", "/")],
                  options=b"\x01\x01\x01\x00" + b"\x07\x07\x04\x00\x00\x00\x00\x00")
    expect("TCP", c, p, s, 8080, "domain", "plain.example", "plain.example")
    # 20. wildcard suffix from the plain list, STIX suffix via x_cshq_type
    c, p = cli(), w.next_port()
    w.udp_pair("eth", c, RESOLVER4, p, 53, dns_query(0x4444, "x.wild.test"))
    expect("UDP", c, p, RESOLVER4, 53, "domain_suffix", "*.wild.test", "x.wild.test")
    c, p = cli(), w.next_port()
    w.udp_pair("eth", c, RESOLVER4, p, 53, dns_query(0x4445, "a.b.stixsuffix.example"))
    expect("UDP", c, p, RESOLVER4, 53, "domain_suffix", "stixsuffix.example", "a.b.stixsuffix.example")
    # 21. plain-list URL prefix
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("eth", c, s, p, 80, [http_request("GET", "Plain-Prefix.example", "/xyz?q=1")])
    expect("TCP", c, p, s, 80, "url_prefix", "http://plain-prefix.example/x", "http://Plain-Prefix.example/xyz?q=1")
    # 22. other link types, in other files
    c, p = cli(), w.next_port()
    w.tcp_session("sll", c, "203.0.113.10", p, 443, [client_hello("evil.example", "C", rnd)])
    expect("TCP", c, p, "203.0.113.10", 443, "ipv4", "203.0.113.10", "203.0.113.10")
    expect("TCP", c, p, "203.0.113.10", 443, "domain", "evil.example", "evil.example")
    c, p = cli(), w.next_port()
    w.udp_pair("raw", c, RESOLVER4, p, 53, dns_query(0x5555, "stix-domain.example"))
    expect("UDP", c, p, RESOLVER4, 53, "domain", "stix-domain.example", "stix-domain.example")
    c, p, s = cli6(), w.next_port(), ben6()
    w.tcp_session("sll2", c, s, p, 80, [http_request("GET", "evil.example", "/malware.exe")])
    expect("TCP", c, p, s, 80, "domain", "evil.example", "evil.example")
    expect("TCP", c, p, s, 80, "url", "http://evil.example/malware.exe", "http://evil.example/malware.exe")
    c, p, s = cli(), w.next_port(), ben()
    w.tcp_session("ethng", c, s, p, 443, [client_hello("a.suffix.example", "A", rnd)], vlans=(100,))
    expect("TCP", c, p, s, 443, "domain_suffix", "suffix.example", "a.suffix.example")
    expect("TCP", c, p, s, 443, "ja3", ja3_a, ja3_a)

    # ---- hostile and malformed packets: counted as decode errors, never alerts ----
    c = cli()
    good = ip_packet(c, ben(), 6, tcp(c, ben(), 1, 2, 0, 0, 0x02))
    w.emit("eth", good[:30])                               # TCP header cut short
    w.emit("eth", bytes([0x4F]) + good[1:])                # IHL larger than the packet
    w.emit("eth", b"\x45" + good[1:2] + b"\x00\x05" + good[4:])  # total length < IHL
    loop = ipv6(c6 := cli6(), ben6(), 59, b"", ext=[(0, b"\x00" + b"\x01\x04\x00\x00\x00\x00")] * 20)
    w.emit("eth", loop)                                    # too many extension headers
    w.emit("eth", ipv6(c6, ben6(), 6, b"", ext=[(0, b"\xff" + b"\x00" * 6)]))  # ext header past the end
    ptr_loop = struct.pack("!HHHHHH", 9, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c" + b"\x00\x01\x00\x01"
    w.udp_pair("eth", c, RESOLVER4, w.next_port(), 53, ptr_loop)  # DNS compression pointer loop
    w.emit("eth", b"\x00" * 10)                            # runt frame

    # ---- background ----
    names = ["www.example.com", "cdn.example.net", "mail.example.org", "api.example.com",
             "suffix.example.com", "example.test", "evil.example.org", "notevil.example"]
    for i in range(300):
        kind = rnd.choice(["dns", "tls", "http", "bulk", "udp"])
        v6 = rnd.random() < 0.2
        c = cli6() if v6 else cli()
        s = ben6() if v6 else ben()
        p = w.next_port()
        out = rnd.choice(["eth", "eth", "eth", "ethng"])
        if kind == "dns":
            n = rnd.choice(names)
            res = RESOLVER6 if v6 else RESOLVER4
            ans = [(n, "AAAA", "2001:db8:1::99")] if v6 else [(n, "A", "198.51.100.99")]
            w.udp_pair(out, c, res, p, 53, dns_query(i, n, "AAAA" if v6 else "A"),
                       dns_response(i, n, "AAAA" if v6 else "A", ans), vl())
        elif kind == "tls":
            w.tcp_session(out, c, s, p, 443, [client_hello(rnd.choice(names), "C", rnd)], vlans=vl())
        elif kind == "http":
            w.tcp_session(out, c, s, p, 80, [http_request("GET", rnd.choice(names), "/p/%d" % i)],
                          b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", vlans=vl())
        elif kind == "bulk":
            w.tcp_session(out, c, s, p, 8443, [bytes(rnd.randrange(256) for _ in range(1400))
                                               for _ in range(4)], vlans=vl())
        else:
            w.udp_pair(out, c, s, p, 4789, b"\x08" + b"\0" * 60, b"\x08" + b"\0" * 60, vl())

    files = {"eth": ("truth-eth.pcap", 1, False), "ethng": ("truth-eth.pcapng", 1, True),
             "sll": ("truth-sll.pcap", 113, False), "sll2": ("truth-sll2.pcapng", 276, True),
             "raw": ("truth-raw.pcap", 101, False)}
    for key, (name, lt, ng) in files.items():
        pc = Pcap(os.path.join(outdir, name), lt, ng)
        for ts, fr in w.frames.get(key, []):
            pc.write(ts, fr)
        pc.close()
    with open(os.path.join(outdir, "truth.jsonl"), "w") as f:
        for t in truth:
            f.write(json.dumps(t, sort_keys=True) + "\n")
    print("%d expected alerts" % len(truth))


# ---------------------------------------------------------------- benchmark capture

def bench_mode(outdir, npkts):
    """Templates per flow kind, varied by address and port; written straight to disk."""
    rnd = random.Random(7)
    path = os.path.join(outdir, "bench.pcap")
    f = open(path, "wb")
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    t = 1700000000
    usec = 0
    count = 0
    hellos = [client_hello("host%d.example.com" % i, rnd.choice("ABC"), rnd) for i in range(64)]
    reqs = [http_request("GET", "www%d.example.org" % i, "/path/%d/index.html" % i) for i in range(64)]
    queries = [dns_query(i, "name%d.example.net" % i) for i in range(64)]
    bulk = bytes(rnd.randrange(256) for _ in range(1400))
    pack = struct.pack
    write = f.write
    flow = 0
    while count < npkts:
        flow += 1
        v6 = flow % 8 == 0                     # 12.5% of flows (and packets) IPv6
        vlans = (100,) if flow % 4 == 1 else ((10, 20) if flow % 10 == 3 else ())
        if v6:
            c = "fd00:%x::%x" % (flow % 65536 >> 8, flow % 256 + 1)
            s = "2001:db8:%x::1" % (flow % 4096)
        else:
            c = "10.%d.%d.%d" % ((flow >> 16) & 255, (flow >> 8) & 255, flow & 255 or 1)
            s = "198.51.%d.%d" % ((flow >> 8) & 255, flow & 255 or 2)
        sp = 1024 + flow % 60000
        kind = flow % 10
        pkts = []
        if kind in (0, 1):  # DNS
            q = queries[flow % 64]
            pkts.append(ip_packet(c, s, 17, udp(c, s, sp, 53, q)))
            pkts.append(ip_packet(s, c, 17, udp(s, c, 53, sp, dns_response(flow & 0xFFFF, "name.example.net", "A", [("name.example.net", "A", "198.51.100.7")]))))
        elif kind in (2, 3, 4):  # TLS: handshake + a few data segments
            segs = [hellos[flow % 64]] + [bulk[:600]] * 4
            seq = 1000
            pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 443, seq - 1, 0, 0x02)))
            pkts.append(ip_packet(s, c, 6, tcp(s, c, 443, sp, 5000, seq, 0x12)))
            for g in segs:
                pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 443, seq, 5001, 0x18, g)))
                seq += len(g)
                pkts.append(ip_packet(s, c, 6, tcp(s, c, 443, sp, 5001, seq, 0x18, bulk[:900])))
        elif kind in (5, 6):  # HTTP
            r = reqs[flow % 64]
            pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 80, 99, 0, 0x02)))
            pkts.append(ip_packet(s, c, 6, tcp(s, c, 80, sp, 5000, 100, 0x12)))
            pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 80, 100, 5001, 0x18, r)))
            for k in range(4):
                pkts.append(ip_packet(s, c, 6, tcp(s, c, 80, sp, 5001 + k * 1400, 100 + len(r), 0x10, bulk)))
        elif kind in (7, 8):  # bulk TCP
            pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 8443, 99, 0, 0x02)))
            for k in range(10):
                pkts.append(ip_packet(c, s, 6, tcp(c, s, sp, 8443, 100 + k * 1400, 1, 0x10, bulk)))
                pkts.append(ip_packet(s, c, 6, tcp(s, c, 8443, sp, 1, 100 + (k + 1) * 1400, 0x10)))
        else:  # UDP
            for k in range(4):
                pkts.append(ip_packet(c, s, 17, udp(c, s, sp, 5004, bulk[:200])))
        for ip in pkts:
            fr = ether(ip, vlans)
            usec += 20
            if usec >= 1000000:
                usec -= 1000000
                t += 1
            write(pack("<IIII", t, usec, len(fr), len(fr)) + fr)
            count += 1
    f.close()
    print("%d packets, %d flows -> %s" % (count, flow, path))


def iocs_mode(outdir, n):
    """n indicators of each type, none of them present in the bench capture except a few
    planted ones, as CSV files per family: ips+domains and all types."""
    rnd = random.Random(n)
    with open(os.path.join(outdir, "iocs-%d-ipdom.csv" % n), "w") as a, \
            open(os.path.join(outdir, "iocs-%d-all.csv" % n), "w") as b:
        a.write("type,value\n")
        b.write("type,value\n")
        for i in range(n):
            ip4 = "%d.%d.%d.%d" % (rnd.randrange(1, 224), rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
            dom = "d%08x%d.example-bad.com" % (rnd.getrandbits(32), i)
            a.write("ipv4,%s\ndomain,%s\n" % (ip4, dom))
            b.write("ipv4,%s\ndomain,%s\n" % (ip4, dom))
            b.write("ipv6,2001:db8:%x:%x::%x\n" % (rnd.getrandbits(16), rnd.getrandbits(16), i & 0xFFFF))
            b.write("cidr,%d.%d.%d.0/24\n" % (rnd.randrange(1, 224), rnd.randrange(256), rnd.randrange(256)))
            b.write("domain_suffix,s%08x%d.example-bad.net\n" % (rnd.getrandbits(32), i))
            b.write("url,http://u%d.example-bad.org/p/%x\n" % (i, rnd.getrandbits(32)))
            b.write("url_prefix,http://p%d.example-bad.org/dir/\n" % i)
            b.write("ja3,%032x\n" % rnd.getrandbits(128))
            b.write("ja4,t13d%04d%s_%012x_%012x\n" % (rnd.randrange(10000), "h2", rnd.getrandbits(48), rnd.getrandbits(48)))
        # a few that do occur in the bench capture, so matching work is real
        for x in ("ipv4,198.51.1.2", "domain,host1.example.com", "domain,www3.example.org"):
            a.write(x + "\n")
            b.write(x + "\n")


if __name__ == "__main__":
    mode, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    if mode == "truth":
        truth_mode(outdir)
    elif mode == "bench":
        bench_mode(outdir, int(sys.argv[3]))
    elif mode == "iocs":
        iocs_mode(outdir, int(sys.argv[3]))
    else:
        sys.exit("unknown mode " + mode)
