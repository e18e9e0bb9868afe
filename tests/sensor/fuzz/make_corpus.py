#!/usr/bin/env python3
"""make_corpus.py OUTDIR: seed corpora for every fuzz target, built from the same
traffic generator as the ground-truth captures plus hand-made hostile inputs."""
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gen_capture as g  # noqa: E402

out = sys.argv[1]
rnd = random.Random(1)


def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


ch = g.client_hello("fuzz.example", "B", rnd)
req = g.http_request("GET", "a.example", "/x?y=1")
q = g.dns_query(1, "www.example.com")
r = g.dns_response(1, "www.example.com", "A", [("www.example.com", "CNAME", "b.example"), ("b.example", "A", "192.0.2.1")])
tcp4 = g.ip_packet("10.0.0.1", "192.0.2.1", 6, g.tcp("10.0.0.1", "192.0.2.1", 1234, 443, 1, 1, 0x18, ch))
udp6 = g.ipv6("fd00::1", "2001:db8::1", 17, g.udp("fd00::1", "2001:db8::1", 1234, 53, q),
              ext=[(0, b"\x00" + b"\x01\x04\x00\x00\x00\x00")])
frag = g.ipv4("10.0.0.1", "192.0.2.1", 17, b"\x00" * 40, ident=5, mf=True)
put("packet", "eth-tcp", b"\x00" + g.ether(tcp4, (100, 200)))
put("packet", "sll-udp6", b"\x01" + g.sll(udp6))
put("packet", "sll2", b"\x02" + g.sll2(tcp4))
put("packet", "raw-frag", b"\x03" + frag)
put("packet", "icmp", b"\x03" + g.ip_packet("10.0.0.1", "192.0.2.1", 1, g.icmp_echo("10.0.0.1", "192.0.2.1", 1, 1)))
put("packet", "v6-chain", b"\x03" + g.ipv6("fd00::1", "2001:db8::1", 59, b"", ext=[(0, b"\x00" + b"\x01\x04\x00\x00\x00\x00")] * 20))
put("dns", "query", q)
put("dns", "response", r)
put("dns", "loop", struct.pack("!HHHHHH", 9, 0x0100, 1, 0, 0, 0) + b"\xc0\x0c\x00\x01\x00\x01")
put("tls", "hello-b", ch)
put("tls", "hello-a", g.client_hello("x.example", "A", rnd))
put("tls", "hello-nosni", g.client_hello(None, "C", rnd))
put("http", "get", req)
put("http", "post", g.http_request("POST", "b.example:8080", "/up", body=b"abc"))
put("csv", "header", "type,value,severity,tlp,source,id,expires_at\nipv4,192.0.2.1,high,TLP:RED,s,1,\n"
    "cidr,192.0.2.0/24,,,,,2030-01-01T00:00:00Z\ndomain_suffix,\"*.example\",low,,,,\n"
    "url_prefix,http://a.example/x/,,,,,\n")
put("csv", "plain", "# list\n192.0.2.1\n2001:db8::/32\na.example\n*.b.example\nhttp://a.example/x\n"
    "url_prefix:http://a.example/\n0123456789abcdef0123456789abcdef\n")
put("stix", "bundle", json.dumps({"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "indicator", "id": "indicator--1", "pattern_type": "stix", "valid_until": "2030-01-01T00:00:00Z",
     "pattern": "[ipv4-addr:value = '192.0.2.1'] OR [domain-name:value = 'a.example']",
     "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]},
    {"type": "indicator", "id": "indicator--2", "pattern": "[url:value = 'http://a/it\\'s']", "x_cshq_type": "url_prefix"}]}))
put("feed", "v1", json.dumps({"version": 2, "added": [{"type": "ipv4", "value": "192.0.2.1", "id": "a", "severity": "high"},
                                                     {"type": "domain", "value": "a.example", "expires_at": "2030-01-01T00:00:00Z"}],
                              "removed": ["x", {"type": "url", "value": "http://a/"}]}))


def rec(ip):
    return struct.pack("!H", len(ip)) + ip


c, s = "10.0.0.1", "192.0.2.1"
seq = 100
hs = [g.ip_packet(c, s, 6, g.tcp(c, s, 1234, 443, seq - 1, 0, 0x02)),
      g.ip_packet(c, s, 6, g.tcp(c, s, 1234, 443, seq, 1, 0x18, ch[:50])),
      g.ip_packet(c, s, 6, g.tcp(c, s, 1234, 443, seq + 50, 1, 0x18, ch[50:]))]
put("inspect", "tls-split", b"".join(rec(x) for x in hs))
put("inspect", "http", b"".join(rec(x) for x in [g.ip_packet(c, s, 6, g.tcp(c, s, 1235, 80, 5, 1, 0x18, req + req))]))
put("inspect", "dns", rec(g.ip_packet(c, s, 17, g.udp(c, s, 1236, 53, r))))
put("inspect", "dns-tcp", rec(g.ip_packet(c, s, 6, g.tcp(c, s, 1237, 53, 5, 1, 0x18, struct.pack("!H", len(q)) + q))))
