/* audit_catalog_store.c: criteria catalogues in the store: import (after parsing, see
 * audit_catalog.c), lookup of a finding's requirement, and the catalogues as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/timeutil.h"
#include "modules/audit.h"
#include "modules/audit_catalog.h"

static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

int audit_catalog_store(struct store *db, const struct principal *who, const char *code,
                        const char *title, const char *format, const struct audit_catalog *c,
                        int64_t *id)
{
	if (!code_ok(code))
		return CSHQ_EINVAL;
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "INSERT INTO audit_catalogues (code, title, version, format, created_at, created_by) "
	    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING id",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, title);
	store_bind_text(st, 3, c->version);
	store_bind_text(st, 4, format);
	store_bind_int64(st, 5, time_now());
	store_bind_text(st, 6, who->login);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ECONFLICT : CSHQ_ERR;
	*id = store_column_int64(st, 0);
	while ((rc = store_step(st)) == STORE_ROW)
		;
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	for (size_t i = 0; i < c->n; i++) {
		if ((rc = store_prepare(db,
		                        "INSERT INTO audit_requirements (catalogue_id, req_id, "
		                        "title, text, grp, sort) "
		                        "VALUES ($1, $2, $3, $4, $5, $6)",
		                        &st)) != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, *id);
		store_bind_text(st, 2, c->items[i].id);
		store_bind_text(st, 3, c->items[i].title);
		store_bind_text(st, 4, c->items[i].text);
		store_bind_text(st, 5, c->items[i].group);
		store_bind_int64(st, 6, (int64_t)i);
		if (store_step(st) != STORE_DONE)
			return CSHQ_ERR;
	}
	char detail[160];
	snprintf(detail, sizeof(detail), "{\"format\":\"%s\",\"requirements\":%zu}", format, c->n);
	return auditlog_append(db, who, "audit_catalogue_import", "audit_catalogue", code, detail);
}

int audit_catalog_lookup(struct store *db, const char *ref, bool *catalogue_known, bool *found,
                         char *title_out, size_t title_len)
{
	*catalogue_known = *found = false;
	const char *colon = strchr(ref, ':');
	if (!colon || colon == ref || (size_t)(colon - ref) > 32 || !colon[1])
		return CSHQ_OK;
	char code[33];
	snprintf(code, sizeof(code), "%.*s", (int)(colon - ref), ref);
	if (!code_ok(code))
		return CSHQ_OK;
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT c.id, r.title FROM audit_catalogues c LEFT JOIN audit_requirements r "
	    "ON r.catalogue_id = c.id AND r.req_id = $2 WHERE c.code = $1",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, colon + 1);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*catalogue_known = true;
		const char *t = store_column_text(st, 1);
		if (t) {
			*found = true;
			if (title_out)
				snprintf(title_out, title_len, "%s", t);
		}
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Catalogues are reference data for the audit team and the audited bodies (not for a
 * delegate, whose access is its engagement only). */
static bool may_read(const struct principal *p)
{
	return audit_has_org_scope(p);
}

int audit_catalogue_list(struct store *db, const struct principal *who, json_t **out)
{
	if (!may_read(who)) {
		*out = json_pack("{s:[], s:n}", "items", "next_cursor");
		return CSHQ_OK;
	}
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT c.code, c.title, c.version, c.format, c.created_at, (SELECT count(*) FROM "
	    "audit_requirements r WHERE r.catalogue_id = c.id) FROM audit_catalogues c ORDER BY "
	    "c.code",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		char at[26];
		time_format_rfc3339(store_column_int64(st, 4), at);
		const char *v = store_column_text(st, 2);
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:o, s:s, s:s, s:I}", "code",
		                     store_column_text(st, 0), "title", store_column_text(st, 1),
		                     "version", v ? json_string(v) : json_null(), "format",
		                     store_column_text(st, 3), "created_at", at, "requirements",
		                     (json_int_t)store_column_int64(st, 5)));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CSHQ_OK;
}

int audit_catalogue_json(struct store *db, const struct principal *who, const char *code,
                         json_t **out)
{
	if (!may_read(who))
		return CSHQ_ENOTFOUND;
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "SELECT id, title, version, format FROM audit_catalogues WHERE code = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	int64_t id = store_column_int64(st, 0);
	const char *v = store_column_text(st, 2);
	json_t *j = json_pack("{s:s, s:s, s:o, s:s}", "code", code, "title",
	                      store_column_text(st, 1), "version", v ? json_string(v) : json_null(),
	                      "format", store_column_text(st, 3));
	while ((rc = store_step(st)) == STORE_ROW)
		;
	if (rc != STORE_DONE ||
	    (rc = store_prepare(db,
	                        "SELECT req_id, title, text, grp FROM audit_requirements WHERE "
	                        "catalogue_id = $1 ORDER BY sort",
	                        &st)) != CSHQ_OK) {
		json_decref(j);
		return CSHQ_ERR;
	}
	store_bind_int64(st, 1, id);
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *g = store_column_text(st, 3);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o}", "id",
		                                       store_column_text(st, 0), "title",
		                                       store_column_text(st, 1), "text",
		                                       store_column_text(st, 2), "group",
		                                       g ? json_string(g) : json_null()));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		json_decref(j);
		return CSHQ_ERR;
	}
	json_object_set_new(j, "requirements", items);
	*out = j;
	return CSHQ_OK;
}
