/* load_stix.c: STIX 2.1 bundles. Only the pattern subset that names single values is
 * understood: comparisons with '=' joined by OR, which is how indicator feeds publish
 * addresses, domains, URLs and hashes. Anything else is counted as rejected. */
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"
#include "ioc/load.h"

static void note(struct ioc_load_result *res, const char *id, const char *msg)
{
	res->rejected++;
	if (!res->first_error[0])
		snprintf(res->first_error, sizeof(res->first_error), "%s: %s", id ? id : "?", msg);
}

/* The TLP 1.0 and 2.0 marking definitions of the STIX 2.1 specification. */
static const char *tlp_of_marking(const char *ref)
{
	static const struct {
		const char *id, *tlp;
	} m[] = {
		{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:WHITE"},
		{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN"},
		{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER"},
		{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED"},
		{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "TLP:CLEAR"},
		{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "TLP:GREEN"},
		{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"},
		{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "TLP:AMBER+STRICT"},
		{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"},
	};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(m); i++)
		if (strcmp(ref, m[i].id) == 0)
			return m[i].tlp;
	return NULL;
}

/* Maps "object:path" to an indicator type; false for paths not understood. */
static bool type_of_path(const char *path, size_t n, const char *override, enum ioc_type *t)
{
	static const struct {
		const char *path;
		enum ioc_type t;
	} m[] = {
		{"ipv4-addr:value", IOC_IPV4},
		{"ipv6-addr:value", IOC_IPV6},
		{"domain-name:value", IOC_DOMAIN},
		{"url:value", IOC_URL},
		{"x-cshq-domain-suffix:value", IOC_DOMAIN_SUFFIX},
		{"x-cshq-url-prefix:value", IOC_URL_PREFIX},
		{"x-cshq-ja3:value", IOC_JA3},
		{"x-cshq-ja4:value", IOC_JA4},
		{"network-traffic:extensions.'tls-ext'.ja3", IOC_JA3},
	};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(m); i++)
		if (strlen(m[i].path) == n && strncmp(path, m[i].path, n) == 0) {
			*t = m[i].t;
			/* x_cshq_type refines a standard path (domain -> suffix, url -> prefix) */
			enum ioc_type o;
			if (override && ioc_type_parse(override, &o) == CSHQ_OK &&
			    ((*t == IOC_DOMAIN && o == IOC_DOMAIN_SUFFIX) ||
			     (*t == IOC_URL && o == IOC_URL_PREFIX)))
				*t = o;
			return true;
		}
	return false;
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* Parses the pattern, adding each value. Returns false (and adds nothing) when any part
 * of it is outside the supported subset, so that an AND is never read as an OR. */
static bool parse_pattern(struct ioc_set *s, const char *pat, const char *override,
			  const struct ioc_attrs *a, int64_t now, struct ioc_load_result *res,
			  const char *id)
{
	struct {
		enum ioc_type t;
		char v[4096];
	} *items = xmalloc(sizeof(*items) * 16);
	size_t n = 0;
	bool ok = false;
	const char *p = pat;
	int depth = 0;
	bool want_term = true;
	for (;;) {
		skip_ws(&p);
		if (!*p)
			break;
		if (*p == '[' || *p == '(') {
			if (!want_term || ++depth > 8)
				goto out;
			p++;
			continue;
		}
		if (*p == ']' || *p == ')') {
			if (want_term || --depth < 0)
				goto out;
			p++;
			continue;
		}
		if (!want_term) {
			if (strncasecmp(p, "OR", 2) == 0 && (p[2] == ' ' || p[2] == '[' || p[2] == '(')) {
				p += 2;
				want_term = true;
				continue;
			}
			goto out; /* AND, FOLLOWEDBY, qualifiers: not a list of values */
		}
		const char *path = p;
		while (*p && *p != ' ' && *p != '=' && *p != '!' && *p != ']')
			p++;
		size_t pl = (size_t)(p - path);
		skip_ws(&p);
		if (*p != '=')
			goto out;
		p++;
		skip_ws(&p);
		if (*p != '\'')
			goto out;
		p++;
		if (n == 16)
			goto out;
		size_t vl = 0;
		while (*p && *p != '\'') {
			if (*p == '\\' && (p[1] == '\'' || p[1] == '\\'))
				p++;
			if (vl + 1 >= sizeof(items[n].v))
				goto out;
			items[n].v[vl++] = *p++;
		}
		if (*p != '\'')
			goto out;
		p++;
		items[n].v[vl] = '\0';
		if (!type_of_path(path, pl, override, &items[n].t))
			goto out;
		n++;
		want_term = false;
	}
	if (depth != 0 || want_term || n == 0)
		goto out;
	ok = true;
	for (size_t i = 0; i < n; i++) {
		char msg[160];
		if (ioc_set_add(s, items[i].t, items[i].v, a, now, msg, sizeof(msg)) != CSHQ_OK)
			note(res, id, msg);
		else
			res->added++;
	}
out:
	free(items);
	return ok;
}

int ioc_load_stix(struct ioc_set *s, const char *data, size_t len, int64_t now,
		  struct ioc_load_result *res, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "not JSON: line %d: %s", je.line, je.text);
		return CSHQ_EINVAL;
	}
	int rc = CSHQ_OK;
	const char *type = json_string_value(json_object_get(root, "type"));
	json_t *objects = json_object_get(root, "objects");
	if (!type || strcmp(type, "bundle") != 0 || (objects && !json_is_array(objects))) {
		snprintf(err, errlen, "not a STIX 2.1 bundle");
		rc = CSHQ_EINVAL;
		goto out;
	}
	size_t i;
	json_t *o;
	json_array_foreach(objects, i, o)
	{
		const char *ot = json_string_value(json_object_get(o, "type"));
		if (!ot || strcmp(ot, "indicator") != 0)
			continue;
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *pattern = json_string_value(json_object_get(o, "pattern"));
		const char *ptype = json_string_value(json_object_get(o, "pattern_type"));
		if (json_is_true(json_object_get(o, "revoked")))
			continue;
		if (!pattern || (ptype && strcmp(ptype, "stix") != 0)) {
			note(res, id, "no STIX pattern");
			continue;
		}
		struct ioc_attrs a = {.id = id};
		const char *vu = json_string_value(json_object_get(o, "valid_until"));
		if (vu && time_parse_rfc3339(vu, &a.expires) != CSHQ_OK) {
			note(res, id, "bad valid_until");
			continue;
		}
		json_t *sev = json_object_get(o, "x_cshq_severity");
		if (json_is_string(sev))
			a.severity = ioc_severity_parse(json_string_value(sev));
		else if (json_is_integer(sev))
			a.severity = (int)json_integer_value(sev);
		a.source = json_string_value(json_object_get(o, "x_cshq_source"));
		if (!a.source)
			a.source = json_string_value(json_object_get(o, "created_by_ref"));
		a.tlp = json_string_value(json_object_get(o, "x_cshq_tlp"));
		json_t *refs = json_object_get(o, "object_marking_refs");
		size_t k;
		json_t *r;
		json_array_foreach(refs, k, r)
		{
			const char *t = json_is_string(r) ? tlp_of_marking(json_string_value(r)) : NULL;
			if (t && !a.tlp)
				a.tlp = t;
		}
		const char *override = json_string_value(json_object_get(o, "x_cshq_type"));
		if (!parse_pattern(s, pattern, override, &a, now, res, id))
			note(res, id, "pattern is not a list of '=' comparisons on known objects");
	}
out:
	json_decref(root);
	return rc;
}
