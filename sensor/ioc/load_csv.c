/* load_csv.c: CSV and plain-list indicator files, streamed line by line so that a file
 * of millions of indicators never sits in memory whole. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"
#include "ioc/load.h"

#define MAX_FIELDS 32
#define LINE_MAX_LEN 8192

enum col { C_TYPE, C_VALUE, C_SEVERITY, C_TLP, C_SOURCE, C_ID, C_EXPIRES, C_COUNT };

static void note(struct ioc_load_result *res, size_t line, const char *msg)
{
	res->rejected++;
	if (!res->first_error[0])
		snprintf(res->first_error, sizeof(res->first_error), "line %zu: %s", line, msg);
}

/* Splits one CSV record in place (quotes removed, "" unescaped). Returns the number
 * of fields, or -1 on an unterminated quote. */
static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return n;
		char *out = p, *start = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '"') {
					if (p[1] == '"') {
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*out++ = *p++;
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',')
				*out++ = *p++;
		}
		char sep = *p;
		*out = '\0';
		fields[n++] = start;
		if (!sep)
			return n;
		p++;
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static bool looks_ja4(const char *v, size_t n)
{
	if (n != 36 || v[10] != '_' || v[23] != '_' || (v[0] != 't' && v[0] != 'q' && v[0] != 'd'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 10 && i != 23 && !isalnum((unsigned char)v[i]))
			return false;
	return true;
}

int ioc_guess_type(const char **value, enum ioc_type *type)
{
	const char *v = *value;
	const char *colon = strchr(v, ':');
	if (colon && (size_t)(colon - v) < 16) {
		char name[16];
		memcpy(name, v, (size_t)(colon - v));
		name[colon - v] = '\0';
		if (ioc_type_parse(name, type) == CSHQ_OK) {
			*value = colon + 1;
			return CSHQ_OK;
		}
	}
	size_t n = strlen(v);
	if (strstr(v, "://")) {
		*type = n && v[n - 1] == '*' ? IOC_URL_PREFIX : IOC_URL;
		return CSHQ_OK;
	}
	uint8_t a[16];
	char tmp[64];
	const char *slash = strchr(v, '/');
	size_t al = slash ? (size_t)(slash - v) : n;
	if (al < sizeof(tmp)) {
		memcpy(tmp, v, al);
		tmp[al] = '\0';
		if (inet_pton(AF_INET, tmp, a) == 1) {
			*type = slash ? IOC_CIDR : IOC_IPV4;
			return CSHQ_OK;
		}
		if (inet_pton(AF_INET6, tmp, a) == 1) {
			*type = slash ? IOC_CIDR : IOC_IPV6;
			return CSHQ_OK;
		}
	}
	if (n == 32) {
		bool hex = true;
		for (size_t i = 0; i < n; i++)
			hex = hex && isxdigit((unsigned char)v[i]);
		if (hex) {
			*type = IOC_JA3;
			return CSHQ_OK;
		}
	}
	if (looks_ja4(v, n)) {
		*type = IOC_JA4;
		return CSHQ_OK;
	}
	if (v[0] == '*' || v[0] == '.') {
		*type = IOC_DOMAIN_SUFFIX;
		return CSHQ_OK;
	}
	if (strchr(v, '.') && !strchr(v, ' ') && !slash) {
		*type = IOC_DOMAIN;
		return CSHQ_OK;
	}
	return CSHQ_EINVAL;
}

static int64_t parse_expiry(const char *s, bool *ok)
{
	*ok = true;
	if (!*s)
		return 0;
	int64_t t;
	if (time_parse_rfc3339(s, &t) == CSHQ_OK)
		return t;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end == '\0' && v >= 0)
		return v;
	*ok = false;
	return 0;
}

static void add_one(struct ioc_set *s, enum ioc_type type, const char *value,
		    const struct ioc_attrs *a, int64_t now, struct ioc_load_result *res, size_t ln)
{
	char msg[160];
	if (type == IOC_URL_PREFIX) {
		/* "http://x/path*" in a list means "anything starting with" */
		size_t n = strlen(value);
		if (n && value[n - 1] == '*') {
			char tmp[4096];
			if (n - 1 >= sizeof(tmp)) {
				note(res, ln, "value too long");
				return;
			}
			memcpy(tmp, value, n - 1);
			tmp[n - 1] = '\0';
			if (ioc_set_add(s, type, tmp, a, now, msg, sizeof(msg)) != CSHQ_OK)
				note(res, ln, msg);
			else
				res->added++;
			return;
		}
	}
	if (ioc_set_add(s, type, value, a, now, msg, sizeof(msg)) != CSHQ_OK)
		note(res, ln, msg);
	else
		res->added++;
}

int ioc_load_csv(struct ioc_set *s, FILE *f, int64_t now, struct ioc_load_result *res,
		 char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	size_t ln = 0;
	int col[C_COUNT];
	bool header = false, first = true;
	for (int i = 0; i < C_COUNT; i++)
		col[i] = -1;
	while ((got = getline(&line, &cap, f)) >= 0) {
		ln++;
		if (got > LINE_MAX_LEN) {
			note(res, ln, "line too long");
			continue;
		}
		if (memchr(line, '\0', (size_t)got)) {
			note(res, ln, "NUL byte");
			continue;
		}
		char *l = trim(line);
		if (first && (unsigned char)l[0] == 0xef && (unsigned char)l[1] == 0xbb &&
		    (unsigned char)l[2] == 0xbf)
			l += 3; /* UTF-8 byte order mark written by spreadsheets */
		if (!*l || *l == '#')
			continue;
		if (first) {
			first = false;
			char tmp[LINE_MAX_LEN + 1];
			snprintf(tmp, sizeof(tmp), "%s", l);
			char *fields[MAX_FIELDS];
			int nf = split_csv(tmp, fields, MAX_FIELDS);
			static const char *const names[C_COUNT][3] = {
				{"type", NULL, NULL},      {"value", "indicator", NULL},
				{"severity", NULL, NULL},  {"tlp", NULL, NULL},
				{"source", NULL, NULL},    {"id", NULL, NULL},
				{"expires_at", "expires", "valid_until"}};
			for (int i = 0; i < nf; i++) {
				char *h = trim(fields[i]);
				for (int c = 0; c < C_COUNT; c++)
					for (int k = 0; k < 3 && names[c][k]; k++)
						if (strcasecmp(h, names[c][k]) == 0 && col[c] < 0)
							col[c] = i;
			}
			if (col[C_TYPE] >= 0 && col[C_VALUE] >= 0) {
				header = true;
				continue;
			}
			if (col[C_TYPE] >= 0 || col[C_VALUE] >= 0) {
				snprintf(err, errlen, "CSV header needs both 'type' and 'value' columns");
				free(line);
				return CSHQ_EINVAL;
			}
		}
		if (!header) {
			const char *v = l;
			enum ioc_type t;
			if (ioc_guess_type(&v, &t) != CSHQ_OK) {
				note(res, ln, "cannot tell the indicator type");
				continue;
			}
			add_one(s, t, v, NULL, now, res, ln);
			continue;
		}
		char *fields[MAX_FIELDS];
		int nf = split_csv(l, fields, MAX_FIELDS);
		if (nf <= col[C_TYPE] || nf <= col[C_VALUE]) {
			note(res, ln, nf < 0 ? "unterminated quote" : "missing type or value");
			continue;
		}
		const char *get[C_COUNT];
		for (int c = 0; c < C_COUNT; c++)
			get[c] = col[c] >= 0 && col[c] < nf ? trim(fields[col[c]]) : "";
		enum ioc_type t;
		if (ioc_type_parse(get[C_TYPE], &t) != CSHQ_OK) {
			note(res, ln, "unknown type");
			continue;
		}
		bool ok;
		struct ioc_attrs a = {
			.id = get[C_ID],
			.source = get[C_SOURCE],
			.tlp = get[C_TLP],
			.severity = ioc_severity_parse(get[C_SEVERITY]),
			.expires = parse_expiry(get[C_EXPIRES], &ok),
		};
		if (!ok) {
			note(res, ln, "bad expires_at");
			continue;
		}
		add_one(s, t, get[C_VALUE], &a, now, res, ln);
	}
	free(line);
	return CSHQ_OK;
}

int ioc_load_file(struct ioc_set *s, const char *path, int64_t now, struct ioc_load_result *res,
		  char *err, size_t errlen)
{
	memset(res, 0, sizeof(*res));
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return CSHQ_ERR;
	}
	int c;
	while ((c = getc(f)) == ' ' || c == '\t' || c == '\r' || c == '\n')
		;
	int rc;
	if (c == '{') {
		/* a STIX bundle is one JSON document: read it whole (capped) */
		rewind(f);
		size_t cap = 1 << 16, len = 0;
		const size_t max = (size_t)1 << 31;
		char *data = xmalloc(cap);
		size_t got;
		while ((got = fread(data + len, 1, cap - len, f)) > 0) {
			len += got;
			if (len == cap) {
				if (cap >= max) {
					free(data);
					fclose(f);
					snprintf(err, errlen, "%s: larger than 2 GiB", path);
					return CSHQ_ELIMIT;
				}
				cap *= 2;
				data = xrealloc(data, cap);
			}
		}
		rc = ioc_load_stix(s, data, len, now, res, err, errlen);
		free(data);
	} else {
		rewind(f);
		rc = ioc_load_csv(s, f, now, res, err, errlen);
	}
	if (ferror(f) && rc == CSHQ_OK) {
		snprintf(err, errlen, "%s: read error", path);
		rc = CSHQ_ERR;
	}
	fclose(f);
	return rc;
}
