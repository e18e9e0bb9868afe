/* gsoc_ioc.c: indicator types, canonical values, TLP labels, severities, timestamps. The
 * canonical forms follow the sensor's normalisation so that a value imported here, sent in
 * the feed and reported back in an alert names the same indicator. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"
#include "modules/gsoc_ioc.h"

static const char *const type_names[GSOC_IOC_TYPE_COUNT] = {
    [GSOC_IPV4] = "ipv4",
    [GSOC_IPV6] = "ipv6",
    [GSOC_CIDR] = "cidr",
    [GSOC_DOMAIN] = "domain",
    [GSOC_DOMAIN_SUFFIX] = "domain_suffix",
    [GSOC_URL] = "url",
    [GSOC_URL_PREFIX] = "url_prefix",
    [GSOC_JA3] = "ja3",
    [GSOC_JA4] = "ja4",
};

const char *gsoc_ioc_type_name(enum gsoc_ioc_type t)
{
	return (unsigned)t < GSOC_IOC_TYPE_COUNT ? type_names[t] : "?";
}

int gsoc_ioc_type_parse(const char *name, enum gsoc_ioc_type *t)
{
	if (!name)
		return CSHQ_EINVAL;
	for (int i = 0; i < GSOC_IOC_TYPE_COUNT; i++)
		if (strcmp(name, type_names[i]) == 0) {
			*t = (enum gsoc_ioc_type)i;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int fail(const char **why, const char *msg)
{
	*why = msg;
	return CSHQ_EINVAL;
}

static int norm_ip(int af, const char *v, char *out, size_t outlen, const char **why)
{
	unsigned char a[16];
	if (strlen(v) >= INET6_ADDRSTRLEN || inet_pton(af, v, a) != 1)
		return fail(why, af == AF_INET ? "not an IPv4 address" : "not an IPv6 address");
	if (!inet_ntop(af, a, out, (socklen_t)outlen))
		return fail(why, "address too long");
	return CSHQ_OK;
}

static int norm_cidr(const char *v, char *out, size_t outlen, const char **why)
{
	const char *slash = strchr(v, '/');
	char addr[INET6_ADDRSTRLEN];
	size_t alen = slash ? (size_t)(slash - v) : strlen(v);
	if (alen == 0 || alen >= sizeof(addr))
		return fail(why, "not a CIDR prefix (address/length)");
	memcpy(addr, v, alen);
	addr[alen] = '\0';
	unsigned char a[16];
	int af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, addr, a) != 1)
		return fail(why, "not a CIDR prefix (address/length)");
	int bits = af == AF_INET ? 32 : 128;
	int len = bits;
	if (slash) {
		const char *p = slash + 1;
		if (!*p || strlen(p) > 3)
			return fail(why, "CIDR prefix length missing or too long");
		len = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return fail(why, "CIDR prefix length is not a number");
			len = len * 10 + (*p - '0');
		}
		if (len > bits)
			return fail(why, "CIDR prefix length out of range");
	}
	for (int i = 0; i < bits / 8; i++) {
		int keep = len - i * 8;
		if (keep >= 8)
			continue;
		a[i] &= keep <= 0 ? 0 : (unsigned char)(0xFF << (8 - keep));
	}
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(af, a, text, sizeof(text)))
		return fail(why, "bad address");
	int n = snprintf(out, outlen, "%s/%d", text, len);
	if (n < 0 || (size_t)n >= outlen)
		return fail(why, "value too long");
	return CSHQ_OK;
}

/* A host name: labels of [a-z0-9_-], 1..63 bytes each, 1..253 in all. */
static int norm_domain(const char *v, bool suffix, char *out, size_t outlen, const char **why)
{
	if (suffix) {
		if (v[0] == '*' && v[1] == '.')
			v += 2;
		else if (v[0] == '.')
			v += 1;
	}
	size_t n = strlen(v);
	if (n > 0 && v[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || n + 1 > outlen)
		return fail(why, "not a domain name (1 to 253 bytes)");
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		char c = lower(v[i]);
		if (c == '.') {
			if (label == 0)
				return fail(why, "domain name with an empty label");
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		           c == '_') {
			if (++label > 63)
				return fail(why, "domain label longer than 63 bytes");
		} else {
			return fail(why, "domain names are ASCII letters, digits, '-', '_' and '.' "
			                 "(IDN as punycode)");
		}
		out[i] = c;
	}
	if (label == 0)
		return fail(why, "domain name with an empty label");
	out[n] = '\0';
	return CSHQ_OK;
}

/* scheme://host[:port][/path...]: lowercase scheme and host, default port dropped, "/"
 * when the path is empty. Controls and spaces are refused anywhere. */
static int norm_url(const char *v, char *out, size_t outlen, const char **why)
{
	size_t n = strlen(v);
	if (n == 0 || n > GSOC_VALUE_MAX)
		return fail(why, "not a URL (1 to 2048 bytes)");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= 0x20 || v[i] == 0x7F)
			return fail(why, "URL with a space or control character");
	const char *sep = strstr(v, "://");
	if (!sep || sep == v)
		return fail(why, "not a URL (scheme://host/...)");
	size_t slen = (size_t)(sep - v);
	for (size_t i = 0; i < slen; i++) {
		char c = lower(v[i]);
		bool ok = (c >= 'a' && c <= 'z') ||
		          (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
		if (!ok)
			return fail(why, "URL scheme is not valid");
	}
	const char *host = sep + 3;
	size_t hlen = strcspn(host, "/?#");
	if (hlen == 0)
		return fail(why, "URL without a host");
	const char *rest = host + hlen;
	/* the port is the digits after the last ':' outside an IPv6 literal */
	size_t name_len = hlen;
	const char *port = NULL;
	const char *close = memchr(host, ']', hlen);
	const char *colon = NULL;
	for (size_t i = close ? (size_t)(close - host) : 0; i < hlen; i++)
		if (host[i] == ':')
			colon = host + i;
	if (colon) {
		name_len = (size_t)(colon - host);
		port = colon + 1;
		size_t plen = hlen - name_len - 1;
		if (plen == 0 || plen > 5)
			return fail(why, "URL port is not valid");
		for (size_t i = 0; i < plen; i++)
			if (port[i] < '0' || port[i] > '9')
				return fail(why, "URL port is not valid");
	}
	if (name_len == 0)
		return fail(why, "URL without a host");
	char scheme[32];
	if (slen >= sizeof(scheme))
		return fail(why, "URL scheme too long");
	for (size_t i = 0; i < slen; i++)
		scheme[i] = lower(v[i]);
	scheme[slen] = '\0';
	size_t plen = port ? hlen - name_len - 1 : 0;
	bool default_port =
	    port && ((strcmp(scheme, "http") == 0 && plen == 2 && memcmp(port, "80", 2) == 0) ||
	             (strcmp(scheme, "https") == 0 && plen == 3 && memcmp(port, "443", 3) == 0));
	struct {
		char *p;
		size_t left;
	} w = {out, outlen};
#define PUT(s, len)                                                                                \
	do {                                                                                       \
		if ((len) >= w.left)                                                               \
			return fail(why, "URL too long");                                          \
		memcpy(w.p, (s), (len));                                                           \
		w.p += (len);                                                                      \
		w.left -= (len);                                                                   \
	} while (0)
	PUT(scheme, slen);
	PUT("://", 3);
	for (size_t i = 0; i < name_len; i++) {
		char c = lower(host[i]);
		PUT(&c, 1);
	}
	if (port && !default_port) {
		PUT(":", 1);
		PUT(port, plen);
	}
	if (*rest != '/')
		PUT("/", 1);
	PUT(rest, strlen(rest));
#undef PUT
	*w.p = '\0';
	if ((size_t)(w.p - out) > GSOC_VALUE_MAX)
		return fail(why, "URL too long");
	return CSHQ_OK;
}

static int norm_fingerprint(enum gsoc_ioc_type t, const char *v, char *out, size_t outlen,
                            const char **why)
{
	size_t n = strlen(v);
	if (t == GSOC_JA3) {
		if (n != 32 || outlen < 33)
			return fail(why, "a JA3 hash is 32 hexadecimal digits");
		for (size_t i = 0; i < n; i++) {
			char c = lower(v[i]);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return fail(why, "a JA3 hash is 32 hexadecimal digits");
			out[i] = c;
		}
		out[n] = '\0';
		return CSHQ_OK;
	}
	if (n < 10 || n > 128 || n + 1 > outlen)
		return fail(why, "a JA4 fingerprint is 10 to 128 of [a-z0-9_]");
	for (size_t i = 0; i < n; i++) {
		char c = lower(v[i]);
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_'))
			return fail(why, "a JA4 fingerprint is 10 to 128 of [a-z0-9_]");
		out[i] = c;
	}
	out[n] = '\0';
	return CSHQ_OK;
}

int gsoc_ioc_normalise(enum gsoc_ioc_type t, const char *value, char *out, size_t outlen,
                       const char **why)
{
	*why = NULL;
	if (!value || !*value)
		return fail(why, "empty value");
	if (outlen < GSOC_VALUE_MAX + 1 || strlen(value) > GSOC_VALUE_MAX)
		return fail(why, "value longer than 2048 bytes");
	switch (t) {
	case GSOC_IPV4:
		return norm_ip(AF_INET, value, out, outlen, why);
	case GSOC_IPV6:
		return norm_ip(AF_INET6, value, out, outlen, why);
	case GSOC_CIDR:
		return norm_cidr(value, out, outlen, why);
	case GSOC_DOMAIN:
		return norm_domain(value, false, out, outlen, why);
	case GSOC_DOMAIN_SUFFIX:
		return norm_domain(value, true, out, outlen, why);
	case GSOC_URL:
	case GSOC_URL_PREFIX:
		return norm_url(value, out, outlen, why);
	case GSOC_JA3:
	case GSOC_JA4:
		return norm_fingerprint(t, value, out, outlen, why);
	default:
		return fail(why, "unknown indicator type");
	}
}

static const char *const tlp_names[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT",
                                        "TLP:RED"};

const char *gsoc_tlp_name(enum gsoc_tlp t)
{
	return (unsigned)t < CSHQ_ARRAY_LEN(tlp_names) ? tlp_names[t] : "TLP:RED";
}

int gsoc_tlp_parse(const char *s, enum gsoc_tlp *t)
{
	if (!s)
		return CSHQ_EINVAL;
	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	static const struct {
		const char *w;
		enum gsoc_tlp t;
	} words[] = {{"clear", GSOC_TLP_CLEAR},
	             {"white", GSOC_TLP_CLEAR},
	             {"green", GSOC_TLP_GREEN},
	             {"amber", GSOC_TLP_AMBER},
	             {"amber+strict", GSOC_TLP_AMBER_STRICT},
	             {"red", GSOC_TLP_RED}};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(words); i++)
		if (strcasecmp(s, words[i].w) == 0) {
			*t = words[i].t;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

/* The marking definitions published with STIX 2.1 (TLP 1.0, section 7.2.1.4) and by the
 * OASIS CTI TC for TLP 2.0. */
static const struct {
	const char *id;
	enum gsoc_tlp t;
	bool v2;
} markings[] = {
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", GSOC_TLP_CLEAR, true},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", GSOC_TLP_GREEN, true},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", GSOC_TLP_AMBER, true},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", GSOC_TLP_AMBER_STRICT, true},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", GSOC_TLP_RED, true},
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", GSOC_TLP_CLEAR, false},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", GSOC_TLP_GREEN, false},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", GSOC_TLP_AMBER, false},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", GSOC_TLP_RED, false},
};

const char *gsoc_tlp_marking_id(enum gsoc_tlp t)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(markings); i++)
		if (markings[i].v2 && markings[i].t == t)
			return markings[i].id;
	return markings[4].id;
}

int gsoc_tlp_of_marking(const char *id, enum gsoc_tlp *t)
{
	if (!id)
		return CSHQ_EINVAL;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(markings); i++)
		if (strcmp(id, markings[i].id) == 0) {
			*t = markings[i].t;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

int gsoc_severity_parse(const char *s)
{
	static const struct {
		const char *w;
		int v;
	} words[] = {{"critical", 1}, {"high", 1}, {"medium", 2},       {"moderate", 2},
	             {"low", 3},      {"info", 4}, {"informational", 4}};
	if (!s || !*s)
		return 0;
	if (s[0] >= '1' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '0';
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(words); i++)
		if (strcasecmp(s, words[i].w) == 0)
			return words[i].v;
	return 0;
}

const char *gsoc_severity_name(int sev)
{
	switch (sev) {
	case 1:
		return "high";
	case 3:
		return "low";
	case 4:
		return "info";
	default:
		return "medium";
	}
}

int gsoc_parse_timestamp(const char *s, int64_t *t)
{
	if (!s)
		return CSHQ_EINVAL;
	size_t n = strlen(s);
	if (n < 20 || n > 40)
		return CSHQ_EINVAL;
	/* EVE writes the offset as +hhmm; RFC 3339 wants +hh:mm */
	const char *tail = s + n - 5;
	if ((tail[0] == '+' || tail[0] == '-') && tail[1] >= '0' && tail[1] <= '9' &&
	    tail[2] >= '0' && tail[2] <= '9' && tail[3] >= '0' && tail[3] <= '9' &&
	    tail[4] >= '0' && tail[4] <= '9' && s[n - 6] != ':' && n - 5 >= 19) {
		char buf[48];
		memcpy(buf, s, n - 2);
		buf[n - 2] = ':';
		memcpy(buf + n - 1, s + n - 2, 2);
		buf[n + 1] = '\0';
		return time_parse_rfc3339(buf, t);
	}
	return time_parse_rfc3339(s, t);
}

void gsoc_format_utc(int64_t t, char out[25])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - days * 86400;
	int y, m, d;
	date_to_ymd((int32_t)days, &y, &m, &d);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02uT%02u:%02u:%02u.000Z",
	         (unsigned)(y < 0 ? 0 : y % 10000), (unsigned)m % 100, (unsigned)d % 100,
	         (unsigned)(sec / 3600) % 100, (unsigned)(sec / 60 % 60), (unsigned)(sec % 60));
	memcpy(out, tmp, 25);
	out[24] = '\0';
}
