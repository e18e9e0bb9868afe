/* test_decode.c: decoders on crafted packets: valid ones, and truncated headers, bad
 * lengths, IPv6 extension chains that never end, DNS compression loops, ClientHellos
 * cut anywhere. Every truncation of a valid packet must decode or fail cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "decode/dns.h"
#include "decode/http.h"
#include "decode/tls.h"

static size_t put_ipv4_tcp(uint8_t *b, const uint8_t *payload, size_t plen)
{
	memset(b, 0, 54);
	b[12] = 0x08; /* ethertype IPv4 */
	uint8_t *ip = b + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + plen) >> 8);
	ip[3] = (uint8_t)(40 + plen);
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10, ip[15] = 1;
	ip[16] = 203, ip[17] = 0, ip[18] = 113, ip[19] = 10;
	uint8_t *t = ip + 20;
	t[0] = 0x30, t[1] = 0x39; /* 12345 */
	t[2] = 0x01, t[3] = 0xbb; /* 443 */
	t[12] = 0x50;
	t[13] = 0x18;
	if (plen)
		memcpy(b + 54, payload, plen);
	return 54 + plen;
}

static void test_ipv4_tcp(void **state)
{
	uint8_t b[256];
	size_t n = put_ipv4_tcp(b, (const uint8_t *)"hello", 5);
	struct packet p = {0};
	enum decode_layer err;
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_OK);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 12345);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.payload_len, 5);
	assert_memory_equal(p.payload, "hello", 5);
	/* every truncation decodes or fails, never reads past the end (ASan checks) */
	for (size_t k = 0; k < n; k++) {
		uint8_t *cut = malloc(k ? k : 1);
		memcpy(cut, b, k);
		decode_packet(&p, LINK_ETHERNET, cut, (uint32_t)k, &err);
		free(cut);
	}
	/* a truncated TCP header is a TCP error */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, 14 + 20 + 10, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_TCP);
	(void)state;
}

static void test_ipv4_bad_lengths(void **state)
{
	uint8_t b[256];
	size_t n = put_ipv4_tcp(b, NULL, 0);
	struct packet p;
	enum decode_layer err;
	b[14] = 0x4f; /* IHL 60 > packet */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_IPV4);
	b[14] = 0x43; /* IHL 12 < 20 */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_EINVAL);
	b[14] = 0x45;
	b[16] = 0, b[17] = 10; /* total length below the header */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_EINVAL);
	b[17] = 40;
	b[14 + 20 + 12] = 0xf0; /* TCP data offset 60 > segment */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_TCP);
	(void)state;
}

static void test_ipv4_fragment_and_options(void **state)
{
	uint8_t b[256];
	size_t n = put_ipv4_tcp(b, NULL, 0);
	struct packet p;
	enum decode_layer err;
	b[14 + 6] = 0x00, b[14 + 7] = 0x10; /* offset 128: non-first fragment */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n, &err), CSHQ_OK);
	assert_true(p.fragment);
	assert_false(p.l4_valid);
	(void)state;
}

static void test_vlan_qinq(void **state)
{
	uint8_t inner[256];
	size_t n = put_ipv4_tcp(inner, NULL, 0);
	uint8_t b[300];
	memcpy(b, inner, 12);
	const uint8_t tags[] = {0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x01, 0x2c};
	memcpy(b + 12, tags, 8);
	memcpy(b + 20, inner + 12, n - 12);
	struct packet p;
	enum decode_layer err;
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, (uint32_t)n + 8, &err), CSHQ_OK);
	assert_int_equal(p.vlan_count, 2);
	assert_int_equal(p.vlan[0], 200);
	assert_int_equal(p.vlan[1], 300);
	assert_int_equal(p.dport, 443);
	/* a tag cut in half */
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, b, 16, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_VLAN);
	/* endless tags: 0x8100 repeated to the end */
	uint8_t many[14 + 4 * 40];
	memset(many, 0, sizeof(many));
	for (size_t i = 12; i + 4 <= sizeof(many); i += 4)
		many[i] = 0x81, many[i + 1] = 0x00, many[i + 2] = 0x81, many[i + 3] = 0x00;
	assert_int_equal(decode_packet(&p, LINK_ETHERNET, many, sizeof(many), &err), CSHQ_EINVAL);
	(void)state;
}

static void test_sll_raw(void **state)
{
	uint8_t inner[256];
	size_t n = put_ipv4_tcp(inner, NULL, 0);
	uint8_t b[300] = {0};
	struct packet p;
	enum decode_layer err;
	/* SLL: 16-byte header, protocol at 14 */
	b[14] = 0x08;
	memcpy(b + 16, inner + 14, n - 14);
	assert_int_equal(decode_packet(&p, LINK_SLL, b, (uint32_t)(n - 14 + 16), &err), CSHQ_OK);
	assert_int_equal(p.dport, 443);
	/* SLL2: 20-byte header, protocol at 0 */
	memset(b, 0, sizeof(b));
	b[0] = 0x08;
	memcpy(b + 20, inner + 14, n - 14);
	assert_int_equal(decode_packet(&p, LINK_SLL2, b, (uint32_t)(n - 14 + 20), &err), CSHQ_OK);
	assert_int_equal(p.dport, 443);
	/* raw */
	assert_int_equal(decode_packet(&p, LINK_RAW, inner + 14, (uint32_t)(n - 14), &err), CSHQ_OK);
	assert_int_equal(p.ipver, 4);
	assert_int_equal(decode_packet(&p, LINK_RAW, (const uint8_t *)"\x50", 1, &err), CSHQ_EINVAL);
	assert_int_equal(decode_packet(&p, 9999, inner, 20, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_LINK);
	(void)state;
}

/* IPv6 with k hop-by-hop headers each pointing to another, then TCP */
static size_t put_ipv6_chain(uint8_t *b, int k, bool end_tcp)
{
	memset(b, 0, 40 + 8 * (size_t)k + 20);
	b[0] = 0x60;
	size_t plen = 8 * (size_t)k + (end_tcp ? 20 : 0);
	b[4] = (uint8_t)(plen >> 8), b[5] = (uint8_t)plen;
	b[6] = k ? 0 : 6;
	b[7] = 64;
	b[8] = 0x20, b[9] = 0x01, b[23] = 1;
	b[24] = 0x20, b[25] = 0x01, b[39] = 2;
	for (int i = 0; i < k; i++) {
		uint8_t *e = b + 40 + 8 * i;
		e[0] = i == k - 1 ? 6 : 0;
		e[1] = 0;
	}
	if (end_tcp) {
		uint8_t *t = b + 40 + 8 * k;
		t[1] = 80, t[3] = 81;
		t[12] = 0x50;
	}
	return 40 + plen;
}

static void test_ipv6_ext_chain(void **state)
{
	uint8_t b[40 + 8 * 64 + 20];
	struct packet p;
	enum decode_layer err;
	size_t n = put_ipv6_chain(b, 3, true);
	assert_int_equal(decode_packet(&p, LINK_RAW, b, (uint32_t)n, &err), CSHQ_OK);
	assert_int_equal(p.ipver, 6);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.ip_opts, 3);
	assert_int_equal(p.sport, 80);
	/* a chain longer than any real stack sends is refused, not walked */
	n = put_ipv6_chain(b, 60, true);
	assert_int_equal(decode_packet(&p, LINK_RAW, b, (uint32_t)n, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_IPV6);
	/* a chain that loops to the end of the packet (every header says "hop-by-hop next") */
	n = put_ipv6_chain(b, 5, false);
	b[40 + 8 * 4] = 0;
	assert_int_equal(decode_packet(&p, LINK_RAW, b, (uint32_t)n, &err), CSHQ_EINVAL);
	/* extension header length past the end */
	n = put_ipv6_chain(b, 1, true);
	b[41] = 200;
	assert_int_equal(decode_packet(&p, LINK_RAW, b, (uint32_t)n, &err), CSHQ_EINVAL);
	/* truncated fixed header */
	assert_int_equal(decode_packet(&p, LINK_RAW, b, 39, &err), CSHQ_EINVAL);
	(void)state;
}

static void test_udp_icmp(void **state)
{
	uint8_t b[60] = {0x45, 0, 0, 36, 0, 0, 0, 0, 64, 17};
	b[28 - 14 + 14 - 14] = b[0];
	struct packet p;
	enum decode_layer err;
	uint8_t *u = b + 20;
	u[0] = 0, u[1] = 53, u[2] = 0x30, u[3] = 0x39, u[4] = 0, u[5] = 16;
	assert_int_equal(decode_packet(&p, LINK_RAW, b, 36, &err), CSHQ_OK);
	assert_int_equal(p.payload_len, 8);
	u[5] = 4; /* UDP length below its header */
	assert_int_equal(decode_packet(&p, LINK_RAW, b, 36, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_UDP);
	b[9] = 1; /* ICMP cut to 2 bytes */
	b[3] = 22;
	assert_int_equal(decode_packet(&p, LINK_RAW, b, 22, &err), CSHQ_EINVAL);
	assert_int_equal(err, DL_ICMP);
	(void)state;
}

static void test_dns(void **state)
{
	/* query for a.example with a response: CNAME then A, with compression */
	const uint8_t msg[] = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
			       1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1,
			       0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 'b', 0xc0, 14,
			       0xc0, 39, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
	struct dns_info d;
	assert_int_equal(dns_parse(msg, sizeof(msg), &d), PARSE_OK);
	assert_string_equal(d.qname, "a.example");
	assert_int_equal(d.qtype, 1);
	assert_true(d.response);
	assert_int_equal(d.n_answers, 2);
	assert_int_equal(d.answers[0].type, 5);
	assert_string_equal(d.answers[0].cname, "b.example");
	assert_int_equal(d.answers[1].type, 1);
	assert_string_equal(d.answers[1].name, "b.example");
	for (size_t k = 0; k < sizeof(msg); k++) {
		uint8_t *cut = malloc(k ? k : 1);
		memcpy(cut, msg, k);
		dns_parse(cut, k, &d);
		free(cut);
	}
	/* a pointer to itself, and two pointers to each other */
	const uint8_t self[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1};
	assert_int_equal(dns_parse(self, sizeof(self), &d), PARSE_ERR);
	const uint8_t pair[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'x', 0xc0, 16, 0xc0, 12, 0, 1, 0, 1};
	assert_int_equal(dns_parse(pair, sizeof(pair), &d), PARSE_ERR);
	/* forward pointer */
	const uint8_t fwd[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 16, 0, 1, 1, 'a', 0, 0, 1, 0, 1};
	assert_int_equal(dns_parse(fwd, sizeof(fwd), &d), PARSE_ERR);
	/* counts that cannot fit */
	const uint8_t counts[] = {0, 1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 0, 1};
	assert_int_equal(dns_parse(counts, sizeof(counts), &d), PARSE_ERR);
	/* a name longer than 255 */
	uint8_t longname[12 + 5 * 64 + 5] = {0, 1, 1, 0, 0, 1};
	size_t o = 12;
	for (int i = 0; i < 5; i++) {
		longname[o++] = 63;
		memset(longname + o, 'a', 63);
		o += 63;
	}
	longname[o++] = 0;
	assert_int_equal(dns_parse(longname, o + 4, &d), PARSE_ERR);
	(void)state;
}

/* A ClientHello with SNI "split.example" and ALPN h2 */
static size_t make_hello(uint8_t *b)
{
	uint8_t body[512];
	size_t o = 0;
	body[o++] = 3, body[o++] = 3;
	memset(body + o, 7, 32);
	o += 32;
	body[o++] = 0;
	const uint16_t ciphers[] = {0x0a0a, 0x1301, 0xc02f};
	body[o++] = 0, body[o++] = 6;
	for (int i = 0; i < 3; i++)
		body[o++] = (uint8_t)(ciphers[i] >> 8), body[o++] = (uint8_t)ciphers[i];
	body[o++] = 1, body[o++] = 0;
	size_t extlen_at = o;
	o += 2;
	const char *sni = "split.example";
	size_t sl = strlen(sni);
	body[o++] = 0, body[o++] = 0, body[o++] = 0, body[o++] = (uint8_t)(sl + 5);
	body[o++] = 0, body[o++] = (uint8_t)(sl + 3), body[o++] = 0, body[o++] = 0,
	body[o++] = (uint8_t)sl;
	memcpy(body + o, sni, sl);
	o += sl;
	const uint8_t alpn[] = {0, 0x10, 0, 5, 0, 3, 2, 'h', '2'};
	memcpy(body + o, alpn, sizeof(alpn));
	o += sizeof(alpn);
	const uint8_t sv[] = {0, 0x2b, 0, 3, 2, 3, 4};
	memcpy(body + o, sv, sizeof(sv));
	o += sizeof(sv);
	body[extlen_at] = (uint8_t)((o - extlen_at - 2) >> 8);
	body[extlen_at + 1] = (uint8_t)(o - extlen_at - 2);
	size_t hl = o;
	b[0] = 22, b[1] = 3, b[2] = 1, b[3] = (uint8_t)((hl + 4) >> 8), b[4] = (uint8_t)(hl + 4);
	b[5] = 1, b[6] = 0, b[7] = (uint8_t)(hl >> 8), b[8] = (uint8_t)hl;
	memcpy(b + 9, body, hl);
	return 9 + hl;
}

static void test_tls_split(void **state)
{
	uint8_t b[600];
	size_t n = make_hello(b);
	struct tls_client_hello c;
	assert_int_equal(tls_parse_client_hello(b, n, &c), PARSE_OK);
	assert_string_equal(c.sni, "split.example");
	assert_string_equal(c.alpn, "h2");
	assert_int_equal(c.version, 0x0304);
	assert_int_equal(strlen(c.ja3), 32);
	assert_memory_equal(c.ja4, "t13d0203h2_", 11);
	/* JA3 string: GREASE cipher removed */
	assert_memory_equal(c.ja3_string, "771,4865-49199,0-16-43,,", 24);
	struct tls_client_hello whole = c;
	/* every prefix is "more", never an error or a crash */
	for (size_t k = 1; k < n; k++) {
		uint8_t *cut = malloc(k);
		memcpy(cut, b, k);
		assert_int_equal(tls_parse_client_hello(cut, k, &c), PARSE_MORE);
		free(cut);
	}
	/* the same handshake message split over two TLS records */
	uint8_t two[700];
	size_t hs = n - 5, first = 20;
	memcpy(two, b, 5);
	two[3] = 0, two[4] = (uint8_t)first;
	memcpy(two + 5, b + 5, first);
	two[5 + first] = 22, two[6 + first] = 3, two[7 + first] = 1;
	two[8 + first] = (uint8_t)((hs - first) >> 8), two[9 + first] = (uint8_t)(hs - first);
	memcpy(two + 10 + first, b + 5 + first, hs - first);
	struct tls_client_hello c2;
	assert_int_equal(tls_parse_client_hello(two, n + 5, &c2), PARSE_OK);
	assert_string_equal(c2.ja3, whole.ja3);
	assert_string_equal(c2.ja4, whole.ja4);
	assert_string_equal(c2.sni, "split.example");
	/* not a ClientHello: ServerHello type, or not TLS at all */
	b[5] = 2;
	assert_int_equal(tls_parse_client_hello(b, n, &c), PARSE_ERR);
	assert_int_equal(tls_parse_client_hello((const uint8_t *)"GET / HTTP/1.1", 14, &c), PARSE_ERR);
	/* lengths inside the hello that overrun it */
	b[5] = 1;
	b[9 + 34 + 1 + 1] = 0xff; /* cipher list length */
	assert_int_equal(tls_parse_client_hello(b, n, &c), PARSE_ERR);
	(void)state;
}

static void test_http(void **state)
{
	const char *req = "GET /a/b?c=d HTTP/1.1\r\nHost: Example.COM:8080\r\nUser-Agent: t/1\r\n"
			  "Content-Length: 12\r\n\r\nbody";
	struct http_request r;
	size_t head;
	assert_int_equal(http_parse_request((const uint8_t *)req, strlen(req), &r, &head), PARSE_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.uri, "/a/b?c=d");
	assert_string_equal(r.host, "Example.COM:8080");
	assert_string_equal(r.user_agent, "t/1");
	assert_int_equal(r.content_length, 12);
	assert_int_equal(head, strlen(req) - 4);
	for (size_t k = 1; k < head; k++)
		assert_int_equal(http_parse_request((const uint8_t *)req, k, &r, &head), PARSE_MORE);
	assert_int_equal(http_parse_request((const uint8_t *)"HTTP/1.1 200 OK\r\n\r\n", 19, &r, &head),
			 PARSE_ERR);
	assert_int_equal(http_parse_request((const uint8_t *)"GET nothing\r\n\r\n", 15, &r, &head),
			 PARSE_ERR);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_ipv4_bad_lengths),
		cmocka_unit_test(test_ipv4_fragment_and_options),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_sll_raw),
		cmocka_unit_test(test_ipv6_ext_chain),
		cmocka_unit_test(test_udp_icmp),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_tls_split),
		cmocka_unit_test(test_http),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
