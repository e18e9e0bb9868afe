/* gsoc_indicators.c: the centre's indicator set: import (JSON or STIX, one new version per
 * change), removal, listing and STIX export under TLP, and the versioned feed for sensors.
 *
 * Versions: gsoc_feed_versions holds one row per version. A change locks that table's
 * row 0 first, so that on PostgreSQL concurrent changes take turns and versions become
 * visible in the order they are numbered; a feed reader never skips one. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/timeutil.h"
#include "modules/gsoc_impl.h"
#include "modules/gsoc_stix.h"

/* ------------------------------------------------------------------ TLP */

static bool named(const char *recipients, const char *org)
{
	size_t n = strlen(org);
	for (const char *p = recipients ? recipients : ""; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && len && strncmp(p, org, n) == 0)
			return true;
		p += len;
	}
	return false;
}

bool gsoc_tlp_allows_org(const char *org, enum gsoc_tlp tlp, const char *owner_org,
                         const char *recipients)
{
	switch (tlp) {
	case GSOC_TLP_CLEAR:
	case GSOC_TLP_GREEN:
	case GSOC_TLP_AMBER:
		return true;
	case GSOC_TLP_AMBER_STRICT:
		return owner_org && strcmp(org, owner_org) == 0;
	default:
		return (owner_org && strcmp(org, owner_org) == 0) || named(recipients, org);
	}
}

/* Users holding only the admin or delegate role receive no indicator content. */
static bool receives_content(const struct principal *p)
{
	if (p->kind == PRINCIPAL_SENSOR)
		return true;
	return p->kind == PRINCIPAL_USER &&
	       (p->roles & ~(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DELEGATE))) != 0;
}

bool gsoc_tlp_allows(const struct principal *p, enum gsoc_tlp tlp, const char *owner_org,
                     const char *recipients)
{
	return receives_content(p) && gsoc_tlp_allows_org(p->org, tlp, owner_org, recipients);
}

int gsoc_tlp_condition(const struct principal *who, const char *tlp_col, const char *owner_col,
                       const char *recip_col, int org_param, struct buf *sql)
{
	if (!receives_content(who))
		return buf_puts(sql, "(1 = 0)");
	return buf_printf(sql,
	                  "(%s IN ('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER') OR %s = $%d OR "
	                  "(%s = 'TLP:RED' AND (' ' || %s || ' ') LIKE ('%% ' || $%d || ' %%')))",
	                  tlp_col, owner_col, org_param, tlp_col, recip_col, org_param);
}

void gsoc_tlp_bind(struct store_stmt *st, const char *sql, const struct principal *who,
                   int org_param)
{
	if (gsoc_sql_uses(sql, org_param))
		store_bind_text(st, org_param, who->org);
}

void gsoc_uuid4(char out[37])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[r[i] >> 4];
		out[k++] = hex[r[i] & 15];
	}
	out[k] = '\0';
}

void gsoc_like_pattern(const char *prefix, const char *text, const char *suffix, struct buf *out)
{
	buf_puts(out, prefix);
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_puts(out, suffix);
}

bool gsoc_may_manage_indicators(const struct principal *p)
{
	return principal_is_nisc(p);
}

/* --------------------------------------------------------------- reading */

void gsoc_indicator_in_free(struct gsoc_indicator_in *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].value);
		free(items[i].recipients);
		free(items[i].source);
		free(items[i].external_id);
	}
	free(items);
}

static int item_error(char *err, size_t errlen, size_t i, const char *msg)
{
	snprintf(err, errlen, "[%zu]: %s", i, msg);
	return CSHQ_EINVAL;
}

/* Recipients: org codes separated by spaces or given as a JSON array; normalised to
 * "a b c". */
static int read_recipients(json_t *v, char **out)
{
	struct buf b = BUF_INIT(4096);
	size_t i;
	json_t *x;
	if (!json_is_array(v))
		return CSHQ_EINVAL;
	json_array_foreach(v, i, x)
	{
		const char *s = json_string_value(x);
		if (!s || !*s || strlen(s) > 32 || strchr(s, ' ') ||
		    buf_printf(&b, "%s%s", b.len ? " " : "", s) != CSHQ_OK) {
			buf_release(&b);
			return CSHQ_EINVAL;
		}
	}
	*out = b.len ? xstrdup(buf_cstr(&b)) : NULL;
	buf_release(&b);
	return CSHQ_OK;
}

int gsoc_indicators_from_json(json_t *arr, struct gsoc_indicator_in **items, size_t *n, char *err,
                              size_t errlen)
{
	*items = NULL;
	*n = 0;
	if (!json_is_array(arr)) {
		snprintf(err, errlen,
		         "the body must be a JSON array of indicators (or a STIX 2.1 bundle "
		         "with Content-Type application/stix+json)");
		return CSHQ_EINVAL;
	}
	size_t count = json_array_size(arr);
	if (count > GSOC_IMPORT_MAX) {
		snprintf(err, errlen, "at most %d indicators per request", GSOC_IMPORT_MAX);
		return CSHQ_ELIMIT;
	}
	struct gsoc_indicator_in *it = xcalloc(count ? count : 1, sizeof(*it));
	static const char *const keys[] = {"type",       "value",      "severity",
	                                   "tlp",        "source",     "expires_at",
	                                   "confidence", "recipients", NULL};
	int rc = CSHQ_OK;
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		struct gsoc_indicator_in *x = &it[i];
		x->confidence = -1;
		if (!json_is_object(o)) {
			rc = item_error(err, errlen, i,
			                "an indicator is an object {type, value, ...}");
			break;
		}
		const char *key;
		json_t *v;
		bool unknown = false;
		json_object_foreach(o, key, v)
		{
			bool ok = false;
			for (const char *const *k = keys; *k; k++)
				ok |= strcmp(*k, key) == 0;
			if (!ok) {
				char m[160];
				snprintf(m, sizeof(m), "unknown field \"%.100s\"", key);
				rc = item_error(err, errlen, i, m);
				unknown = true;
				break;
			}
		}
		if (unknown)
			break;
		if (gsoc_ioc_type_parse(json_string_value(json_object_get(o, "type")), &x->type) !=
		    CSHQ_OK) {
			rc = item_error(err, errlen, i,
			                "type: one of ipv4, ipv6, cidr, domain, domain_suffix, "
			                "url, url_prefix, ja3, ja4");
			break;
		}
		const char *value = json_string_value(json_object_get(o, "value"));
		char norm[GSOC_VALUE_MAX + 1];
		const char *why;
		if (!value ||
		    gsoc_ioc_normalise(x->type, value, norm, sizeof(norm), &why) != CSHQ_OK) {
			char m[200];
			snprintf(m, sizeof(m), "value: %s", value ? why : "a string is required");
			rc = item_error(err, errlen, i, m);
			break;
		}
		x->value = xstrdup(norm);
		json_t *sev = json_object_get(o, "severity");
		if (sev) {
			x->severity = json_is_integer(sev) && json_integer_value(sev) >= 1 &&
			                      json_integer_value(sev) <= 4
			                  ? (int)json_integer_value(sev)
			                  : gsoc_severity_parse(json_string_value(sev));
			if (!x->severity) {
				rc = item_error(err, errlen, i,
				                "severity: high, medium, low, info (or 1..4)");
				break;
			}
		}
		json_t *tlp = json_object_get(o, "tlp");
		if (tlp) {
			if (gsoc_tlp_parse(json_string_value(tlp), &x->tlp) != CSHQ_OK) {
				rc = item_error(err, errlen, i,
				                "tlp: TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
				                "TLP:AMBER+STRICT or TLP:RED");
				break;
			}
			x->has_tlp = true;
		}
		json_t *src = json_object_get(o, "source");
		if (src) {
			if (!json_is_string(src) || json_string_length(src) > 200) {
				rc = item_error(err, errlen, i,
				                "source: a string of at most 200 bytes");
				break;
			}
			x->source = xstrdup(json_string_value(src));
		}
		json_t *exp = json_object_get(o, "expires_at");
		if (exp && !json_is_null(exp) &&
		    gsoc_parse_timestamp(json_string_value(exp), &x->expires_at) != CSHQ_OK) {
			rc = item_error(err, errlen, i, "expires_at: an RFC 3339 timestamp");
			break;
		}
		json_t *conf = json_object_get(o, "confidence");
		if (conf) {
			if (!json_is_integer(conf) || json_integer_value(conf) < 0 ||
			    json_integer_value(conf) > 100) {
				rc = item_error(err, errlen, i, "confidence: an integer 0..100");
				break;
			}
			x->confidence = (int)json_integer_value(conf);
		}
		json_t *rec = json_object_get(o, "recipients");
		if (rec) {
			if (!x->has_tlp || x->tlp != GSOC_TLP_RED) {
				rc = item_error(err, errlen, i,
				                "recipients: named only for TLP:RED");
				break;
			}
			if (read_recipients(rec, &x->recipients) != CSHQ_OK) {
				rc = item_error(err, errlen, i,
				                "recipients: an array of organisation codes");
				break;
			}
		}
	}
	if (rc != CSHQ_OK) {
		gsoc_indicator_in_free(it, count);
		return rc;
	}
	*items = it;
	*n = count;
	return CSHQ_OK;
}

/* ------------------------------------------------------------- versions */

/* Takes the set's lock and the next version number. */
static int next_version(struct store *db, int64_t *v)
{
	struct store_stmt *st;
	int rc = store_prepare(db, "UPDATE gsoc_feed_versions SET at = at WHERE version = 0", &st);
	if (rc != CSHQ_OK)
		return rc;
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	if ((rc = store_query_int64(db, "SELECT max(version) FROM gsoc_feed_versions", v)) !=
	    CSHQ_OK)
		return rc;
	(*v)++;
	return CSHQ_OK;
}

static int record_version(struct store *db, const struct principal *who, int64_t v,
                          const struct gsoc_import_result *r)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "INSERT INTO gsoc_feed_versions (version, at, actor, added, updated, removed) "
	    "VALUES ($1, $2, $3, $4, $5, $6)",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, v);
	store_bind_int64(st, 2, time_now());
	store_bind_text(st, 3, who->login);
	store_bind_int64(st, 4, r->added);
	store_bind_int64(st, 5, r->updated);
	store_bind_int64(st, 6, r->removed);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	char vt[32];
	snprintf(vt, sizeof(vt), "%lld", (long long)v);
	json_t *d = json_pack("{s:I, s:I, s:I}", "added", (json_int_t)r->added, "updated",
	                      (json_int_t)r->updated, "removed", (json_int_t)r->removed);
	char *dt = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	rc = auditlog_append(db, who, "indicators_change", "indicator_set", vt, dt);
	free(dt);
	return rc;
}

static int current_version(struct store *db, int64_t *v)
{
	return store_query_int64(db, "SELECT max(version) FROM gsoc_feed_versions", v);
}

static int check_recipients(struct store *db, const char *recipients, char *err, size_t errlen)
{
	if (!recipients)
		return CSHQ_OK;
	char code[33];
	for (const char *p = recipients; *p;) {
		size_t len = strcspn(p, " ");
		snprintf(code, sizeof(code), "%.*s", (int)len, p);
		struct store_stmt *st;
		int rc = store_prepare(db, "SELECT 1 FROM orgs WHERE code = $1", &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_text(st, 1, code);
		rc = store_step(st);
		gsoc_drain(st);
		if (rc != STORE_ROW) {
			snprintf(err, errlen, "recipients: no organisation \"%s\"", code);
			return rc == STORE_DONE ? CSHQ_EINVAL : CSHQ_ERR;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return CSHQ_OK;
}

struct existing {
	int64_t id;
	int severity;
	char tlp[24];
	char *recipients, *source;
	int64_t confidence; /* -1 for NULL */
	int64_t expires_at; /* 0 for NULL */
	bool removed;
};

static int load_existing(struct store *db, enum gsoc_ioc_type t, const char *value,
                         struct existing *e, bool *found)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT id, severity, tlp, recipients, source, confidence, expires_at, removed "
	    "FROM gsoc_indicators WHERE type = $1 AND value = $2",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, gsoc_ioc_type_name(t));
	store_bind_text(st, 2, value);
	rc = store_step(st);
	*found = rc == STORE_ROW;
	if (rc == STORE_ROW) {
		e->id = store_column_int64(st, 0);
		e->severity = (int)store_column_int64(st, 1);
		snprintf(e->tlp, sizeof(e->tlp), "%s", store_column_text(st, 2));
		e->recipients = xstrdup(store_column_text(st, 3));
		e->source = xstrdup(store_column_text(st, 4));
		e->confidence = store_column_is_null(st, 5) ? -1 : store_column_int64(st, 5);
		e->expires_at = store_column_is_null(st, 6) ? 0 : store_column_int64(st, 6);
		e->removed = store_column_int64(st, 7) != 0;
		gsoc_drain(st);
		return CSHQ_OK;
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int insert_indicator(struct store *db, const struct principal *who,
                            const struct gsoc_indicator_in *x, int64_t version, int64_t now)
{
	char uuid[37], sid[64];
	gsoc_uuid4(uuid);
	snprintf(sid, sizeof(sid), "indicator--%s", uuid);
	struct store_stmt *st;
	int rc =
	    store_prepare(db,
	                  "INSERT INTO gsoc_indicators (type, value, severity, tlp, recipients, "
	                  "source, confidence, "
	                  "expires_at, stix_id, external_id, owner_org, created_at, updated_at, "
	                  "version, removed) "
	                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, 0)",
	                  &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, gsoc_ioc_type_name(x->type));
	store_bind_text(st, 2, x->value);
	store_bind_int64(st, 3, x->severity ? x->severity : GSOC_SEVERITY_DEFAULT);
	store_bind_text(st, 4, gsoc_tlp_name(x->has_tlp ? x->tlp : GSOC_TLP_DEFAULT));
	store_bind_text(st, 5, x->recipients ? x->recipients : "");
	store_bind_text(st, 6, x->source ? x->source : "");
	if (x->confidence >= 0)
		store_bind_int64(st, 7, x->confidence);
	else
		store_bind_null(st, 7);
	if (x->expires_at)
		store_bind_int64(st, 8, x->expires_at);
	else
		store_bind_null(st, 8);
	store_bind_text(st, 9, sid);
	store_bind_text(st, 10, x->external_id);
	store_bind_text(st, 11, who->org);
	store_bind_int64(st, 12, now);
	store_bind_int64(st, 13, version);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int update_indicator(struct store *db, int64_t id, int severity, const char *tlp,
                            const char *recipients, const char *source, int64_t confidence,
                            int64_t expires_at, const char *external_id, int removed,
                            int64_t version, int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "UPDATE gsoc_indicators SET severity = $2, tlp = $3, recipients = $4, source = $5, "
	    "confidence = $6, expires_at = $7, external_id = coalesce($8, external_id), removed = "
	    "$9, "
	    "version = $10, updated_at = $11 WHERE id = $1",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, severity);
	store_bind_text(st, 3, tlp);
	store_bind_text(st, 4, recipients);
	store_bind_text(st, 5, source);
	if (confidence >= 0)
		store_bind_int64(st, 6, confidence);
	else
		store_bind_null(st, 6);
	if (expires_at)
		store_bind_int64(st, 7, expires_at);
	else
		store_bind_null(st, 7);
	store_bind_text(st, 8, external_id);
	store_bind_int64(st, 9, removed);
	store_bind_int64(st, 10, version);
	store_bind_int64(st, 11, now);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int gsoc_indicators_import(struct store *db, const struct principal *who,
                           const struct gsoc_indicator_in *items, size_t n,
                           struct gsoc_import_result *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = check_recipients(db, items[i].recipients, err, errlen)) != CSHQ_OK)
			return rc;
	int64_t version;
	if ((rc = next_version(db, &version)) != CSHQ_OK)
		return rc;
	int64_t now = time_now();
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		const struct gsoc_indicator_in *x = &items[i];
		struct existing e = {0};
		bool found = false;
		if ((rc = load_existing(db, x->type, x->value, &e, &found)) != CSHQ_OK)
			break;
		if (!found) {
			if (x->remove)
				out->unchanged++;
			else if ((rc = insert_indicator(db, who, x, version, now)) == CSHQ_OK)
				out->added++;
			continue;
		}
		if (x->remove) {
			if (e.removed)
				out->unchanged++;
			else if ((rc = update_indicator(db, e.id, e.severity, e.tlp, e.recipients,
			                                e.source, e.confidence, e.expires_at,
			                                x->external_id, 1, version, now)) ==
			         CSHQ_OK)
				out->removed++;
		} else {
			int sev = x->severity ? x->severity : e.severity;
			const char *tlp = x->has_tlp ? gsoc_tlp_name(x->tlp) : e.tlp;
			const char *rcp =
			    x->has_tlp ? (x->recipients ? x->recipients : "") : e.recipients;
			const char *src = x->source ? x->source : e.source;
			int64_t conf = x->confidence >= 0 ? x->confidence : e.confidence;
			int64_t exp = x->expires_at; /* an import states the expiry it wants: none
			                                means none */
			bool same = !e.removed && sev == e.severity && strcmp(tlp, e.tlp) == 0 &&
			            strcmp(rcp, e.recipients) == 0 && strcmp(src, e.source) == 0 &&
			            conf == e.confidence && exp == e.expires_at;
			if (same)
				out->unchanged++;
			else if ((rc = update_indicator(db, e.id, sev, tlp, rcp, src, conf, exp,
			                                x->external_id, 0, version, now)) ==
			         CSHQ_OK) {
				if (e.removed)
					out->added++;
				else
					out->updated++;
			}
		}
		free(e.recipients);
		free(e.source);
	}
	if (rc != CSHQ_OK)
		return rc;
	if (out->added + out->updated + out->removed == 0)
		return current_version(db, &out->version);
	out->version = version;
	return record_version(db, who, version, out);
}

int gsoc_indicator_remove(struct store *db, const struct principal *who, int64_t id,
                          int64_t *version)
{
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT removed FROM gsoc_indicators WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	bool removed = store_column_int64(st, 0) != 0;
	gsoc_drain(st);
	if (removed)
		return CSHQ_ECONFLICT;
	if ((rc = next_version(db, version)) != CSHQ_OK)
		return rc;
	if ((rc = store_prepare(db,
	                        "UPDATE gsoc_indicators SET removed = 1, version = $2, updated_at "
	                        "= $3 WHERE id = $1",
	                        &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, *version);
	store_bind_int64(st, 3, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	struct gsoc_import_result r = {.removed = 1};
	return record_version(db, who, *version, &r);
}

/* ------------------------------------------------------------- listing */

#define IND_COLUMNS                                                                                \
	"i.id, i.type, i.value, i.severity, i.tlp, i.recipients, i.source, i.confidence, "         \
	"i.expires_at, i.stix_id, i.external_id, i.owner_org, i.created_at, i.updated_at, "        \
	"i.version, i.removed"

static bool row_allowed(const struct principal *who, struct store_stmt *st);

static json_t *recipients_json(const char *r)
{
	json_t *a = json_array();
	for (const char *p = r ? r : ""; *p;) {
		size_t len = strcspn(p, " ");
		if (len)
			json_array_append_new(a, json_stringn(p, len));
		p += len;
		while (*p == ' ')
			p++;
	}
	return a;
}

static json_t *indicator_row_json(struct store_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(o, "type", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "value", json_string(store_column_text(st, 2)));
	json_object_set_new(o, "severity",
	                    json_string(gsoc_severity_name((int)store_column_int64(st, 3))));
	json_object_set_new(o, "tlp", json_string(store_column_text(st, 4)));
	json_object_set_new(o, "recipients", recipients_json(store_column_text(st, 5)));
	json_object_set_new(o, "source", json_string(store_column_text(st, 6)));
	json_object_set_new(o, "confidence",
	                    store_column_is_null(st, 7) ? json_null()
	                                                : json_integer(store_column_int64(st, 7)));
	json_object_set_new(o, "expires_at", gsoc_time_col(st, 8));
	json_object_set_new(o, "stix_id", json_string(store_column_text(st, 9)));
	const char *ext = store_column_text(st, 10);
	json_object_set_new(o, "external_id", ext ? json_string(ext) : json_null());
	json_object_set_new(o, "owner_org", json_string(store_column_text(st, 11)));
	json_object_set_new(o, "created_at", gsoc_time_col(st, 12));
	json_object_set_new(o, "updated_at", gsoc_time_col(st, 13));
	json_object_set_new(o, "version", json_integer(store_column_int64(st, 14)));
	json_object_set_new(o, "removed", json_boolean(store_column_int64(st, 15) != 0));
	return o;
}

/* SELECT ... of the filter; parameters: $1 type, $2 like pattern, $3 include removed, $4
 * after id, $5 limit, $6 the caller's organisation (TLP). */
static int select_filtered(struct store *db, const struct principal *who,
                           const struct gsoc_indicator_filter *f, bool paged,
                           struct store_stmt **out)
{
	struct buf sql = BUF_INIT(8192);
	buf_puts(&sql,
	         "SELECT " IND_COLUMNS " FROM gsoc_indicators i WHERE ($1 = '' OR i.type = $1) "
	         "AND ($2 = '' OR i.value LIKE $2 ESCAPE '\\') AND ($3 = 1 OR i.removed = 0) AND "
	         "i.id > $4 AND ");
	int rc = gsoc_tlp_condition(who, "i.tlp", "i.owner_org", "i.recipients", 6, &sql);
	if (rc == CSHQ_OK)
		rc =
		    buf_puts(&sql, paged ? " ORDER BY i.id LIMIT $5" : " AND $5 > 0 ORDER BY i.id");
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	if (rc != CSHQ_OK) {
		buf_release(&sql);
		return rc;
	}
	struct buf like = BUF_INIT(GSOC_VALUE_MAX * 2 + 8);
	if (f->q && *f->q)
		gsoc_like_pattern("%", f->q, "%", &like);
	store_bind_text(st, 1, f->type ? f->type : "");
	store_bind_text(st, 2, buf_cstr(&like));
	store_bind_int64(st, 3, f->include_removed ? 1 : 0);
	store_bind_int64(st, 4, f->after_id);
	store_bind_int64(st, 5, paged ? f->limit + 1 : 1);
	gsoc_tlp_bind(st, buf_cstr(&sql), who, 6);
	buf_release(&like);
	buf_release(&sql);
	*out = st;
	return CSHQ_OK;
}

int gsoc_indicators_list_json(struct store *db, const struct principal *who,
                              const struct gsoc_indicator_filter *f, json_t **out)
{
	struct store_stmt *st;
	int rc = select_filtered(db, who, f, true, &st);
	if (rc != CSHQ_OK)
		return rc;
	json_t *items = json_array();
	long n = 0;
	int64_t last = 0;
	bool more = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (!row_allowed(who, st)) /* the SQL condition narrows; this is the rule */
			continue;
		if (n == f->limit) {
			more = true;
			continue;
		}
		json_t *o = indicator_row_json(st);
		last = store_column_int64(st, 0);
		json_array_append_new(items, o);
		n++;
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	int64_t version = 0;
	if ((rc = current_version(db, &version)) != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	char cur[32];
	snprintf(cur, sizeof(cur), "%lld", (long long)last);
	*out = json_pack("{s:o, s:o, s:I}", "items", items, "next_cursor",
	                 more ? json_string(cur) : json_null(), "version", (json_int_t)version);
	return CSHQ_OK;
}

int gsoc_indicators_stix(struct store *db, const struct principal *who,
                         const struct gsoc_indicator_filter *f, json_t **out)
{
	struct store_stmt *st;
	int rc = select_filtered(db, who, f, false, &st);
	if (rc != CSHQ_OK)
		return rc;
	json_t *objects = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		enum gsoc_ioc_type t;
		enum gsoc_tlp tlp = GSOC_TLP_RED;
		if (gsoc_ioc_type_parse(store_column_text(st, 1), &t) != CSHQ_OK ||
		    !row_allowed(who, st))
			continue;
		gsoc_tlp_parse(store_column_text(st, 4), &tlp);
		struct gsoc_stix_export e = {
		    .type = t,
		    .value = store_column_text(st, 2),
		    .stix_id = store_column_text(st, 9),
		    .tlp = tlp,
		    .severity = (int)store_column_int64(st, 3),
		    .source = store_column_text(st, 6),
		    .confidence = store_column_is_null(st, 7) ? -1 : (int)store_column_int64(st, 7),
		    .created = store_column_int64(st, 12),
		    .modified = store_column_int64(st, 13),
		    .expires_at = store_column_is_null(st, 8) ? 0 : store_column_int64(st, 8),
		    .revoked = store_column_int64(st, 15) != 0,
		};
		json_array_append_new(objects, gsoc_stix_indicator_json(&e));
	}
	if (rc != STORE_DONE) {
		json_decref(objects);
		return CSHQ_ERR;
	}
	char uuid[37], bid[64];
	gsoc_uuid4(uuid);
	snprintf(bid, sizeof(bid), "bundle--%s", uuid);
	*out = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", bid, "objects", objects);
	return CSHQ_OK;
}

int gsoc_indicator_get_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct gsoc_indicator_filter f = {.include_removed = true, .after_id = id - 1, .limit = 1};
	struct store_stmt *st;
	int rc = select_filtered(db, who, &f, true, &st);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW && store_column_int64(st, 0) == id && row_allowed(who, st)) {
		*out = indicator_row_json(st);
		gsoc_drain(st);
		return CSHQ_OK;
	}
	if (rc == STORE_ROW)
		gsoc_drain(st);
	return rc == STORE_ROW || rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
}

/* ----------------------------------------------------------------- feed */

static json_t *feed_item(struct store_stmt *st)
{
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)store_column_int64(st, 0));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "type", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "value", json_string(store_column_text(st, 2)));
	json_object_set_new(o, "severity",
	                    json_string(gsoc_severity_name((int)store_column_int64(st, 3))));
	json_object_set_new(o, "tlp", json_string(store_column_text(st, 4)));
	const char *src = store_column_text(st, 6);
	if (src && *src)
		json_object_set_new(o, "source", json_string(src));
	if (!store_column_is_null(st, 8)) {
		char ts[25];
		gsoc_format_utc(store_column_int64(st, 8), ts);
		json_object_set_new(o, "expires_at", json_string(ts));
	}
	return o;
}

/* A removal names the indicator by type and value only to a sensor TLP lets receive it;
 * to others by id alone. */
static json_t *feed_removal(struct store_stmt *st, bool allowed)
{
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)store_column_int64(st, 0));
	if (!allowed)
		return json_string(id);
	return json_pack("{s:s, s:s, s:s}", "id", id, "type", store_column_text(st, 1), "value",
	                 store_column_text(st, 2));
}

static bool row_allowed(const struct principal *who, struct store_stmt *st)
{
	enum gsoc_tlp tlp = GSOC_TLP_RED;
	gsoc_tlp_parse(store_column_text(st, 4), &tlp);
	return gsoc_tlp_allows(who, tlp, store_column_text(st, 11), store_column_text(st, 5));
}

int gsoc_feed_json(struct store *db, const struct principal *sensor, int64_t since, json_t **out)
{
	int64_t cur;
	int rc = current_version(db, &cur);
	if (rc != CSHQ_OK)
		return rc;
	if (since > cur || since < 0)
		since = 0; /* a client ahead of the centre (a restored store) starts again */
	int64_t at_since = 0;
	struct store_stmt *st;
	if (since > 0) {
		if ((rc = store_prepare(db, "SELECT at FROM gsoc_feed_versions WHERE version = $1",
		                        &st)) != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, since);
		if (store_step(st) == STORE_ROW)
			at_since = store_column_int64(st, 0);
		gsoc_drain(st);
	}
	int64_t now = time_now();
	if ((rc = store_prepare(
	         db,
	         "SELECT " IND_COLUMNS
	         " FROM gsoc_indicators i WHERE i.version > $1 ORDER BY i.version, i.id",
	         &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, since);
	json_t *added = json_array(), *removed = json_array();
	int64_t answered = cur, last_version = since;
	size_t n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t v = store_column_int64(st, 14);
		if (n >= GSOC_FEED_PAGE && v != last_version) {
			answered =
			    last_version; /* whole versions only; the rest on the next poll */
			gsoc_drain(st);
			rc = STORE_DONE;
			break;
		}
		last_version = v;
		n++;
		bool allowed = row_allowed(sensor, st);
		bool gone = store_column_int64(st, 15) != 0;
		bool expired = !store_column_is_null(st, 8) && store_column_int64(st, 8) <= now;
		if (allowed && !gone && !expired)
			json_array_append_new(added, feed_item(st));
		else if (since > 0)
			json_array_append_new(removed, feed_removal(st, allowed));
	}
	if (rc == STORE_DONE && since > 0) {
		/* indicators that expired since that version without changing */
		rc =
		    store_prepare(db,
		                  "SELECT " IND_COLUMNS
		                  " FROM gsoc_indicators i WHERE i.removed = 0 AND i.version <= $1 "
		                  "AND i.expires_at > $2 AND i.expires_at <= $3 ORDER BY i.id",
		                  &st);
		if (rc == CSHQ_OK) {
			store_bind_int64(st, 1, since);
			store_bind_int64(st, 2, at_since);
			store_bind_int64(st, 3, now);
			while ((rc = store_step(st)) == STORE_ROW)
				json_array_append_new(removed,
				                      feed_removal(st, row_allowed(sensor, st)));
		}
	}
	if (rc != STORE_DONE) {
		json_decref(added);
		json_decref(removed);
		return CSHQ_ERR;
	}
	*out = json_pack("{s:I, s:o, s:o}", "version", (json_int_t)answered, "added", added,
	                 "removed", removed);
	return CSHQ_OK;
}
