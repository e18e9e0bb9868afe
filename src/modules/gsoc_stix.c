/* gsoc_stix.c: the STIX 2.1 subset of gsoc_stix.h, read and written. The pattern reader
 * is a small tokenizer over the pattern text: it accepts brackets and parentheses, '='
 * comparisons with quoted values, and OR; anything else makes it give up on the whole
 * pattern, so an AND is never read as an OR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "modules/gsoc_stix.h"

bool gsoc_json_depth_ok(const char *s, size_t n, int max)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return true;
}

void gsoc_stix_result_release(struct gsoc_stix_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].value);
		free(r->items[i].stix_id);
		free(r->items[i].source);
	}
	free(r->items);
	json_decref(r->skipped);
	memset(r, 0, sizeof(*r));
}

static void skip(struct gsoc_stix_result *r, size_t index, const char *id, const char *detail)
{
	json_array_append_new(r->skipped, json_pack("{s:I, s:s?, s:s}", "index", (json_int_t)index,
	                                            "id", id, "detail", detail));
}

/* One comparison of a pattern. */
struct term {
	enum gsoc_ioc_type type;
	char value[GSOC_VALUE_MAX + 1];
};

static bool path_type(const char *path, size_t n, const char *override, const char *value,
                      enum gsoc_ioc_type *t)
{
	static const struct {
		const char *path;
		enum gsoc_ioc_type t;
	} paths[] = {
	    {"ipv4-addr:value", GSOC_IPV4},
	    {"ipv6-addr:value", GSOC_IPV6},
	    {"domain-name:value", GSOC_DOMAIN},
	    {"url:value", GSOC_URL},
	    {"x-cshq-domain-suffix:value", GSOC_DOMAIN_SUFFIX},
	    {"x-cshq-url-prefix:value", GSOC_URL_PREFIX},
	    {"x-cshq-ja3:value", GSOC_JA3},
	    {"x-cshq-ja4:value", GSOC_JA4},
	    {"network-traffic:extensions.'tls-ext'.ja3", GSOC_JA3},
	};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(paths); i++) {
		if (strlen(paths[i].path) != n || strncmp(path, paths[i].path, n) != 0)
			continue;
		*t = paths[i].t;
		if ((*t == GSOC_IPV4 || *t == GSOC_IPV6) && strchr(value, '/'))
			*t = GSOC_CIDR;
		enum gsoc_ioc_type o;
		if (override && gsoc_ioc_type_parse(override, &o) == CSHQ_OK &&
		    ((*t == GSOC_DOMAIN && o == GSOC_DOMAIN_SUFFIX) ||
		     (*t == GSOC_URL && o == GSOC_URL_PREFIX)))
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

/* Reads the pattern into terms. Returns NULL on success, else why it is not supported. */
static const char *read_pattern(const char *pat, const char *override, struct term *terms,
                                size_t *nterms)
{
	const char *p = pat;
	int depth = 0;
	bool want_term = true;
	size_t n = 0;
	for (;;) {
		skip_ws(&p);
		if (!*p)
			break;
		if (*p == '[' || *p == '(') {
			if (!want_term)
				return "a bracket where OR was expected";
			if (++depth > 16)
				return "pattern nested too deeply";
			p++;
			continue;
		}
		if (*p == ']' || *p == ')') {
			if (want_term || --depth < 0)
				return "unbalanced brackets";
			p++;
			continue;
		}
		if (!want_term) {
			if (strncasecmp(p, "OR", 2) == 0 &&
			    (p[2] == ' ' || p[2] == '\t' || p[2] == '[' || p[2] == '(')) {
				p += 2;
				want_term = true;
				continue;
			}
			return "only comparisons joined by OR are supported (AND, qualifiers or "
			       "other operators found)";
		}
		const char *path = p;
		/* a path runs to the operator; quoted segments ('tls-ext') belong to it */
		while (*p && *p != ' ' && *p != '\t' && *p != '=' && *p != '!' && *p != '<' &&
		       *p != '>' && *p != ']') {
			if (*p == '\'') {
				const char *q = strchr(p + 1, '\'');
				if (!q)
					return "unterminated quote in an object path";
				p = q;
			}
			p++;
		}
		size_t plen = (size_t)(p - path);
		skip_ws(&p);
		if (*p != '=')
			return "only '=' comparisons are supported";
		p++;
		skip_ws(&p);
		if (*p != '\'')
			return "a comparison value must be a quoted string";
		p++;
		if (n == GSOC_STIX_MAX_TERMS)
			return "too many comparisons in one pattern";
		char raw[GSOC_VALUE_MAX + 1];
		size_t vl = 0;
		while (*p && *p != '\'') {
			if (*p == '\\' && (p[1] == '\'' || p[1] == '\\'))
				p++;
			if (vl >= GSOC_VALUE_MAX)
				return "a compared value is longer than 2048 bytes";
			raw[vl++] = *p++;
		}
		if (*p != '\'')
			return "unterminated string";
		p++;
		raw[vl] = '\0';
		enum gsoc_ioc_type t;
		if (!path_type(path, plen, override, raw, &t))
			return "an object path outside the supported indicator types";
		const char *why;
		if (gsoc_ioc_normalise(t, raw, terms[n].value, sizeof(terms[n].value), &why) !=
		    CSHQ_OK)
			return why;
		terms[n].type = t;
		n++;
		want_term = false;
	}
	if (depth != 0 || want_term || n == 0)
		return "incomplete pattern";
	*nterms = n;
	return NULL;
}

/* TLP markings defined inside the bundle: id -> label. */
struct bundle_marking {
	const char *id;
	enum gsoc_tlp tlp;
};

static bool marking_tlp(const struct bundle_marking *bm, size_t nbm, const char *id,
                        enum gsoc_tlp *t)
{
	if (gsoc_tlp_of_marking(id, t) == CSHQ_OK)
		return true;
	for (size_t i = 0; i < nbm; i++)
		if (strcmp(bm[i].id, id) == 0) {
			*t = bm[i].tlp;
			return true;
		}
	return false;
}

static size_t collect_markings(json_t *objects, struct bundle_marking **out)
{
	size_t n = 0, i;
	json_t *o;
	*out = NULL;
	json_array_foreach(objects, i, o)
	{
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *id = json_string_value(json_object_get(o, "id"));
		if (!type || !id || strcmp(type, "marking-definition") != 0)
			continue;
		enum gsoc_tlp t;
		const char *name = json_string_value(json_object_get(o, "name"));
		json_t *def = json_object_get(o, "definition");
		const char *dt = json_string_value(json_object_get(o, "definition_type"));
		bool found = name && strncasecmp(name, "TLP:", 4) == 0 &&
		             gsoc_tlp_parse(name, &t) == CSHQ_OK;
		if (!found && dt && strcmp(dt, "tlp") == 0)
			found = gsoc_tlp_parse(json_string_value(json_object_get(def, "tlp")),
			                       &t) == CSHQ_OK;
		if (!found)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n].id = id;
		(*out)[n].tlp = t;
		n++;
	}
	return n;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? xstrndup(s, strlen(s) > 256 ? 256 : strlen(s)) : NULL;
}

int gsoc_stix_parse(const char *data, size_t len, size_t max_items, struct gsoc_stix_result *out,
                    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->skipped = json_array();
	if (!gsoc_json_depth_ok(data, len, GSOC_STIX_MAX_DEPTH)) {
		snprintf(err, errlen, "JSON nested too deeply");
		return CSHQ_EINVAL;
	}
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s", je.line, je.column,
		         je.text);
		return CSHQ_EINVAL;
	}
	int rc = CSHQ_OK;
	struct bundle_marking *bm = NULL;
	struct term *terms = xmalloc(sizeof(*terms) * GSOC_STIX_MAX_TERMS);
	const char *type = json_string_value(json_object_get(root, "type"));
	json_t *objects = json_object_get(root, "objects");
	if (!json_is_object(root) || !type || strcmp(type, "bundle") != 0 ||
	    !json_is_array(objects)) {
		snprintf(err, errlen,
		         "not a STIX 2.1 bundle ({\"type\": \"bundle\", \"objects\": [...]})");
		rc = CSHQ_EINVAL;
		goto out;
	}
	size_t nbm = collect_markings(objects, &bm);
	size_t i;
	json_t *o;
	json_array_foreach(objects, i, o)
	{
		if (!json_is_object(o)) {
			snprintf(err, errlen, "objects[%zu]: not an object", i);
			rc = CSHQ_EINVAL;
			goto out;
		}
		const char *ot = json_string_value(json_object_get(o, "type"));
		if (!ot || strcmp(ot, "indicator") != 0)
			continue;
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *pattern = json_string_value(json_object_get(o, "pattern"));
		if (!id || strncmp(id, "indicator--", 11) != 0 || strlen(id) > 100) {
			snprintf(err, errlen,
			         "objects[%zu]: an indicator needs an id \"indicator--<uuid>\"", i);
			rc = CSHQ_EINVAL;
			goto out;
		}
		if (!pattern) {
			snprintf(err, errlen, "objects[%zu] (%s): an indicator needs a pattern", i,
			         id);
			rc = CSHQ_EINVAL;
			goto out;
		}
		const char *ptype = json_string_value(json_object_get(o, "pattern_type"));
		if (ptype && strcmp(ptype, "stix") != 0) {
			skip(out, i, id, "pattern_type is not \"stix\"");
			continue;
		}
		int64_t expires = 0;
		const char *vu = json_string_value(json_object_get(o, "valid_until"));
		if (vu && gsoc_parse_timestamp(vu, &expires) != CSHQ_OK) {
			skip(out, i, id, "valid_until is not a timestamp");
			continue;
		}
		json_t *conf = json_object_get(o, "confidence");
		int confidence = -1;
		if (conf) {
			if (!json_is_integer(conf) || json_integer_value(conf) < 0 ||
			    json_integer_value(conf) > 100) {
				skip(out, i, id, "confidence is not an integer 0..100");
				continue;
			}
			confidence = (int)json_integer_value(conf);
		}
		int severity = 0;
		json_t *sev = json_object_get(o, "x_cshq_severity");
		if (json_is_string(sev))
			severity = gsoc_severity_parse(json_string_value(sev));
		else if (json_is_integer(sev) && json_integer_value(sev) >= 1 &&
		         json_integer_value(sev) <= 4)
			severity = (int)json_integer_value(sev);
		bool has_tlp = false;
		enum gsoc_tlp tlp = GSOC_TLP_DEFAULT;
		json_t *refs = json_object_get(o, "object_marking_refs");
		size_t k;
		json_t *r;
		json_array_foreach(refs, k, r)
		{
			enum gsoc_tlp t;
			if (json_is_string(r) && marking_tlp(bm, nbm, json_string_value(r), &t)) {
				/* several TLP markings: the most restrictive one holds */
				if (!has_tlp || t > tlp)
					tlp = t;
				has_tlp = true;
			}
		}
		if (!has_tlp && gsoc_tlp_parse(json_string_value(json_object_get(o, "x_cshq_tlp")),
		                               &tlp) == CSHQ_OK)
			has_tlp = true;
		size_t nterms = 0;
		const char *override = json_string_value(json_object_get(o, "x_cshq_type"));
		const char *why = read_pattern(pattern, override, terms, &nterms);
		if (why) {
			skip(out, i, id, why);
			continue;
		}
		bool revoked = json_is_true(json_object_get(o, "revoked"));
		for (size_t t = 0; t < nterms; t++) {
			if (out->n >= max_items) {
				snprintf(err, errlen, "more than %zu indicators in one bundle",
				         max_items);
				rc = CSHQ_ELIMIT;
				goto out;
			}
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 16;
				out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
			}
			struct gsoc_stix_indicator *it = &out->items[out->n++];
			memset(it, 0, sizeof(*it));
			it->type = terms[t].type;
			it->value = xstrdup(terms[t].value);
			it->stix_id = xstrdup(id);
			it->source = dup_str(o, "x_cshq_source");
			if (!it->source)
				it->source = dup_str(o, "created_by_ref");
			it->severity = severity;
			it->has_tlp = has_tlp;
			it->tlp = tlp;
			it->confidence = confidence;
			it->expires_at = expires;
			it->revoked = revoked;
			it->object_index = i;
		}
	}
out:
	free(terms);
	free(bm);
	json_decref(root);
	return rc;
}

static void put_escaped(char *out, size_t outlen, size_t *pos, const char *s)
{
	for (; *s && *pos + 3 < outlen; s++) {
		if (*s == '\'' || *s == '\\')
			out[(*pos)++] = '\\';
		out[(*pos)++] = *s;
	}
	out[*pos] = '\0';
}

json_t *gsoc_stix_indicator_json(const struct gsoc_stix_export *e)
{
	/* x_cshq_type (always written) refines domain and url paths to suffix and prefix */
	const char *path = "domain-name:value";
	switch (e->type) {
	case GSOC_IPV4:
		path = "ipv4-addr:value";
		break;
	case GSOC_IPV6:
		path = "ipv6-addr:value";
		break;
	case GSOC_CIDR:
		path = strchr(e->value, ':') ? "ipv6-addr:value" : "ipv4-addr:value";
		break;
	case GSOC_DOMAIN:
		path = "domain-name:value";
		break;
	case GSOC_DOMAIN_SUFFIX:
		path = "domain-name:value";
		break;
	case GSOC_URL:
		path = "url:value";
		break;
	case GSOC_URL_PREFIX:
		path = "url:value";
		break;
	case GSOC_JA3:
		path = "x-cshq-ja3:value";
		break;
	case GSOC_JA4:
		path = "x-cshq-ja4:value";
		break;
	default:
		break;
	}
	/* the pattern is at most the path, the escaped value (each byte at most doubled) and
	 * the brackets */
	size_t cap = strlen(path) + 2 * strlen(e->value) + 16;
	char *pat = xmalloc(cap);
	size_t pos = (size_t)snprintf(pat, cap, "[%s = '", path);
	put_escaped(pat, cap, &pos, e->value);
	snprintf(pat + pos, cap - pos, "']");
	char created[25], modified[25], until[25];
	gsoc_format_utc(e->created, created);
	gsoc_format_utc(e->modified, modified);
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("indicator"));
	json_object_set_new(o, "spec_version", json_string("2.1"));
	json_object_set_new(o, "id", json_string(e->stix_id));
	json_object_set_new(o, "created", json_string(created));
	json_object_set_new(o, "modified", json_string(modified));
	char name[64];
	snprintf(name, sizeof(name), "%s indicator", gsoc_ioc_type_name(e->type));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "indicator_types", json_pack("[s]", "malicious-activity"));
	json_object_set_new(o, "pattern", json_string(pat));
	json_object_set_new(o, "pattern_type", json_string("stix"));
	json_object_set_new(o, "valid_from", json_string(created));
	if (e->expires_at) {
		gsoc_format_utc(e->expires_at, until);
		json_object_set_new(o, "valid_until", json_string(until));
	}
	if (e->confidence >= 0)
		json_object_set_new(o, "confidence", json_integer(e->confidence));
	if (e->revoked)
		json_object_set_new(o, "revoked", json_true());
	json_object_set_new(o, "object_marking_refs",
	                    json_pack("[s]", gsoc_tlp_marking_id(e->tlp)));
	json_object_set_new(o, "x_cshq_type", json_string(gsoc_ioc_type_name(e->type)));
	json_object_set_new(o, "x_cshq_severity", json_string(gsoc_severity_name(e->severity)));
	json_object_set_new(o, "x_cshq_tlp", json_string(gsoc_tlp_name(e->tlp)));
	if (e->source && *e->source)
		json_object_set_new(o, "x_cshq_source", json_string(e->source));
	free(pat);
	return o;
}
