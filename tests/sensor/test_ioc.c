/* test_ioc.c: indicator sets (normalisation, every lookup kind, duplicates, expiry),
 * the CIDR trie against a brute-force check, the CSV/plain/STIX loaders and the feed. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ioc/cidr.h"
#include "ioc/feed.h"
#include "ioc/load.h"
#include "ioc/set.h"

static struct ip_addr ip(const char *s)
{
	struct ip_addr a = {0};
	if (inet_pton(AF_INET, s, a.a) == 1)
		a.family = 4;
	else if (inet_pton(AF_INET6, s, a.a) == 1)
		a.family = 6;
	return a;
}

static void add(struct ioc_set *s, enum ioc_type t, const char *v)
{
	char err[200];
	assert_int_equal(ioc_set_add(s, t, v, NULL, 1000, err, sizeof(err)), CSHQ_OK);
}

static const char *hit_value(struct ioc_set *s, uint32_t idx)
{
	struct ioc_hit h;
	ioc_set_hit(s, idx, &h);
	return h.value;
}

static void test_set_lookups(void **state)
{
	struct ioc_set *s = ioc_set_new();
	uint32_t hits[16];
	add(s, IOC_IPV4, "203.0.113.5");
	add(s, IOC_IPV4, "203.0.113.5"); /* duplicate */
	add(s, IOC_IPV6, "2001:DB8::1");
	add(s, IOC_CIDR, "10.0.0.0/8");
	add(s, IOC_CIDR, "10.1.0.0/16");
	add(s, IOC_IPV4, "10.1.2.0/24"); /* a prefix listed as ipv4 becomes a CIDR */
	add(s, IOC_DOMAIN, "Evil.Example.");
	add(s, IOC_DOMAIN_SUFFIX, "*.bad.test");
	add(s, IOC_URL, "HTTP://Host.Example:80");
	add(s, IOC_URL_PREFIX, "http://drop.example/files/");
	add(s, IOC_JA3, "0123456789ABCDEF0123456789abcdef");
	add(s, IOC_JA4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	char err[200];
	assert_int_equal(ioc_set_add(s, IOC_IPV4, "300.1.1.1", NULL, 0, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(ioc_set_add(s, IOC_IPV6, "1.2.3.4", NULL, 0, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(ioc_set_add(s, IOC_JA3, "xyz", NULL, 0, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(ioc_set_add(s, IOC_URL, "no-scheme", NULL, 0, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(ioc_set_add(s, IOC_CIDR, "10.0.0.0/33", NULL, 0, err, sizeof(err)), CSHQ_EINVAL);
	/* already expired: skipped */
	struct ioc_attrs old = {.expires = 500};
	assert_int_equal(ioc_set_add(s, IOC_IPV4, "198.51.100.1", &old, 1000, err, sizeof(err)), CSHQ_OK);
	ioc_set_freeze(s);
	assert_int_equal(ioc_set_count(s, IOC_IPV4), 1);
	assert_int_equal(ioc_set_count(s, IOC_CIDR), 3);

	struct ip_addr a = ip("203.0.113.5");
	assert_int_equal(ioc_match_ip(s, &a, 0, hits, 16), 1);
	a = ip("198.51.100.1");
	assert_int_equal(ioc_match_ip(s, &a, 0, hits, 16), 0);
	a = ip("2001:db8::1");
	assert_int_equal(ioc_match_ip(s, &a, 0, hits, 16), 1);
	a = ip("10.1.2.3"); /* three nested prefixes, shortest first */
	assert_int_equal(ioc_match_ip(s, &a, 0, hits, 16), 3);
	assert_string_equal(hit_value(s, hits[0]), "10.0.0.0/8");
	assert_string_equal(hit_value(s, hits[2]), "10.1.2.0/24");
	a = ip("11.0.0.1");
	assert_int_equal(ioc_match_ip(s, &a, 0, hits, 16), 0);

	assert_int_equal(ioc_match_domain(s, "EVIL.example.", 0, hits, 16), 1);
	assert_string_equal(hit_value(s, hits[0]), "Evil.Example.");
	assert_int_equal(ioc_match_domain(s, "www.evil.example", 0, hits, 16), 0);
	assert_int_equal(ioc_match_domain(s, "a.b.BAD.test", 0, hits, 16), 1);
	assert_int_equal(ioc_match_domain(s, "bad.test", 0, hits, 16), 1);
	assert_int_equal(ioc_match_domain(s, "notbad.test", 0, hits, 16), 0);

	assert_int_equal(ioc_match_url(s, "http://host.example/", 0, hits, 16), 1);
	assert_int_equal(ioc_match_url(s, "http://HOST.example:80/", 0, hits, 16), 1);
	assert_int_equal(ioc_match_url(s, "http://host.example/x", 0, hits, 16), 0);
	assert_int_equal(ioc_match_url(s, "http://drop.example/files/a.zip", 0, hits, 16), 1);
	assert_int_equal(ioc_match_url(s, "http://drop.example/file", 0, hits, 16), 0);

	assert_int_equal(ioc_match_fingerprint(s, IOC_JA3, "0123456789abcdef0123456789ABCDEF", 0,
					       hits, 16), 1);
	assert_int_equal(ioc_match_fingerprint(s, IOC_JA4, "t13d1516h2_8daaf6152771_e5627efa2ab1", 0,
					       hits, 16), 1);
	assert_int_equal(ioc_match_fingerprint(s, IOC_JA4, "t13d1516h2_8daaf6152771_e5627efa2ab2", 0,
					       hits, 16), 0);
	ioc_set_free(s);
	(void)state;
}

static void test_expiry_at_match(void **state)
{
	struct ioc_set *s = ioc_set_new();
	struct ioc_attrs a = {.expires = 2000};
	char err[100];
	assert_int_equal(ioc_set_add(s, IOC_DOMAIN, "x.example", &a, 1000, err, sizeof(err)), CSHQ_OK);
	ioc_set_freeze(s);
	uint32_t hits[4];
	assert_int_equal(ioc_match_domain(s, "x.example", 1500, hits, 4), 1);
	assert_int_equal(ioc_match_domain(s, "x.example", 2500, hits, 4), 0);
	ioc_set_free(s);
	(void)state;
}

/* The trie against a linear scan over random prefixes and addresses. */
static void test_cidr_random(void **state)
{
	struct cidr_trie t;
	cidr_init(&t);
	enum { N = 3000 };
	static uint8_t keys[N][4];
	static unsigned bits[N];
	static bool stored[N];
	srand(42);
	for (int i = 0; i < N; i++) {
		uint32_t v = (uint32_t)rand() & 0xffff0000u; /* collisions and nesting likely */
		v |= (uint32_t)rand() & 0xff00;
		keys[i][0] = (uint8_t)(v >> 24), keys[i][1] = (uint8_t)(v >> 16);
		keys[i][2] = (uint8_t)(v >> 8), keys[i][3] = (uint8_t)v;
		bits[i] = (unsigned)(rand() % 33);
		stored[i] = cidr_insert(&t, 4, keys[i], bits[i], (uint32_t)i) == CSHQ_OK;
	}
	for (int k = 0; k < 3000; k++) {
		uint8_t a[4];
		uint32_t v = (uint32_t)rand();
		if (k % 2)
			memcpy(&v, keys[rand() % N], 4), v ^= (uint32_t)rand() & 0xff000000u;
		memcpy(a, &v, 4);
		uint32_t got[64];
		size_t n = cidr_lookup(&t, 4, a, got, 64);
		size_t want = 0;
		for (int i = 0; i < N; i++) {
			if (!stored[i])
				continue;
			uint32_t ka = ((uint32_t)keys[i][0] << 24) | ((uint32_t)keys[i][1] << 16) |
				      ((uint32_t)keys[i][2] << 8) | keys[i][3];
			uint32_t aa = ((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) |
				      ((uint32_t)a[2] << 8) | a[3];
			uint32_t mask = bits[i] ? 0xffffffffu << (32 - bits[i]) : 0;
			if ((ka & mask) == (aa & mask)) {
				want++;
				bool found = false;
				for (size_t j = 0; j < n; j++)
					found |= got[j] == (uint32_t)i;
				assert_true(found);
			}
		}
		assert_int_equal(n, want);
	}
	cidr_release(&t);
	(void)state;
}

static FILE *mem(const char *text)
{
	return fmemopen((void *)text, strlen(text), "r");
}

static void test_load_csv_plain(void **state)
{
	struct ioc_set *s = ioc_set_new();
	struct ioc_load_result r = {0};
	char err[200] = "";
	FILE *f = mem("\xef\xbb\xbfType, Value ,severity,tlp\n"
		      "ipv4,192.0.2.1,high,TLP:RED\n"
		      "\"domain\",\"quoted, with comma.example\",low,\n"
		      "domain,ok.example,low,\n"
		      "bogus,1.2.3.4\n"
		      "ipv4,not-an-ip\n"
		      "\"unterminated\n");
	assert_int_equal(ioc_load_csv(s, f, 0, &r, err, sizeof(err)), CSHQ_OK);
	fclose(f);
	assert_int_equal(r.added, 2);
	assert_int_equal(r.rejected, 4);
	memset(&r, 0, sizeof(r));
	f = mem("# comment\n198.51.100.7\n2001:db8::/32\nplain.example\n*.sfx.example\n"
		"http://u.example/x\nurl_prefix:http://p.example/\n"
		"0123456789abcdef0123456789abcdef\nt13d1516h2_8daaf6152771_e5627efa2ab1\n"
		"not a value\n");
	assert_int_equal(ioc_load_csv(s, f, 0, &r, err, sizeof(err)), CSHQ_OK);
	fclose(f);
	assert_int_equal(r.added, 8);
	assert_int_equal(r.rejected, 1);
	ioc_set_freeze(s);
	assert_int_equal(ioc_set_count(s, IOC_IPV4), 2);
	assert_int_equal(ioc_set_count(s, IOC_CIDR), 1);
	assert_int_equal(ioc_set_count(s, IOC_DOMAIN), 2);
	assert_int_equal(ioc_set_count(s, IOC_DOMAIN_SUFFIX), 1);
	assert_int_equal(ioc_set_count(s, IOC_URL), 1);
	assert_int_equal(ioc_set_count(s, IOC_URL_PREFIX), 1);
	assert_int_equal(ioc_set_count(s, IOC_JA3), 1);
	assert_int_equal(ioc_set_count(s, IOC_JA4), 1);
	/* a header with only one of the two columns is an error */
	f = mem("type,severity\nipv4,high\n");
	assert_int_equal(ioc_load_csv(s, f, 0, &r, err, sizeof(err)), CSHQ_EINVAL);
	fclose(f);
	ioc_set_free(s);
	(void)state;
}

static void test_load_stix(void **state)
{
	const char *b = "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
			"{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern_type\":\"stix\","
			"\"pattern\":\"[ipv4-addr:value = '192.0.2.9'] OR [domain-name:value = 'x.example']\"},"
			"{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern\":\"[url:value = 'http://a.example/it\\\\'s']\","
			"\"valid_until\":\"2000-01-01T00:00:00Z\"},"
			"{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern\":\"[ipv4-addr:value = '1.1.1.1' AND ipv4-addr:value = '2.2.2.2']\"},"
			"{\"type\":\"indicator\",\"id\":\"indicator--4\",\"pattern\":\"[file:hashes.MD5 = 'abc']\"},"
			"{\"type\":\"indicator\",\"id\":\"indicator--5\",\"pattern\":\"[domain-name:value = 'y.example']\",\"revoked\":true},"
			"{\"type\":\"indicator\",\"id\":\"indicator--6\",\"pattern\":\"[domain-name:value = 'sfx.example']\",\"x_cshq_type\":\"domain_suffix\"},"
			"{\"type\":\"malware\",\"id\":\"malware--1\"}]}";
	struct ioc_set *s = ioc_set_new();
	struct ioc_load_result r = {0};
	char err[200];
	assert_int_equal(ioc_load_stix(s, b, strlen(b), 1000000000, &r, err, sizeof(err)), CSHQ_OK);
	assert_int_equal(r.added, 4); /* indicator--2 counts as accepted though expired */
	assert_int_equal(r.rejected, 2);
	ioc_set_freeze(s);
	assert_int_equal(ioc_set_count(s, IOC_IPV4), 1);
	assert_int_equal(ioc_set_count(s, IOC_DOMAIN), 1);
	assert_int_equal(ioc_set_count(s, IOC_DOMAIN_SUFFIX), 1);
	assert_int_equal(ioc_load_stix(s, "[1]", 3, 0, &r, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(ioc_load_stix(s, "{", 1, 0, &r, err, sizeof(err)), CSHQ_EINVAL);
	ioc_set_free(s);
	(void)state;
}

static void test_feed(void **state)
{
	struct ioc_feed f;
	ioc_feed_init(&f);
	bool changed;
	char err[200];
	const char *v1 = "{\"version\":3,\"added\":[{\"type\":\"ipv4\",\"value\":\"192.0.2.1\",\"id\":\"a\"},"
			 "{\"type\":\"domain\",\"value\":\"d.example\",\"severity\":\"high\"}],\"removed\":[]}";
	assert_int_equal(ioc_feed_apply(&f, v1, strlen(v1), &changed, err, sizeof(err)), CSHQ_OK);
	assert_true(changed);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.count, 2);
	const char *v2 = "{\"version\":4,\"added\":[],\"removed\":[\"a\",{\"type\":\"domain\",\"value\":\"d.example\"}]}";
	assert_int_equal(ioc_feed_apply(&f, v2, strlen(v2), &changed, err, sizeof(err)), CSHQ_OK);
	assert_int_equal(f.count, 0);
	const char *same = "{\"version\":4,\"added\":[],\"removed\":[]}";
	assert_int_equal(ioc_feed_apply(&f, same, strlen(same), &changed, err, sizeof(err)), CSHQ_OK);
	assert_false(changed);
	/* a bad answer changes nothing */
	const char *bad = "{\"version\":5,\"added\":[{\"type\":\"ipv4\",\"value\":\"1.1.1.1\"},{\"type\":\"nope\"}]}";
	assert_int_equal(ioc_feed_apply(&f, bad, strlen(bad), &changed, err, sizeof(err)), CSHQ_EINVAL);
	assert_int_equal(f.count, 0);
	assert_int_equal(f.version, 4);
	ioc_feed_release(&f);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_lookups),     cmocka_unit_test(test_expiry_at_match),
		cmocka_unit_test(test_cidr_random),     cmocka_unit_test(test_load_csv_plain),
		cmocka_unit_test(test_load_stix),       cmocka_unit_test(test_feed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
