/* notices.c: the inbox of an organisation (spec 80 /notifications): the notices steps sent
 * to it, each with the basis that requires it. A user sees those addressed to its
 * organisation; NISC sees all; the admin role alone sees none (it sees no record content). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/timeutil.h"
#include "modules/incidents.h"

static bool sees_all(const struct principal *p)
{
	return principal_is_nisc(p);
}

static bool sees_any(const struct principal *p)
{
	return p->kind == PRINCIPAL_USER && (p->roles & ~ROLE_BIT(ROLE_ADMIN));
}

static json_t *notice_json(struct store_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", inc_id_json(store_column_int64(st, 0)));
	json_object_set_new(o, "to_org", json_string(store_column_text(st, 1)));
	const char *role = store_column_text(st, 2);
	json_object_set_new(o, "to_role", role ? json_string(role) : json_null());
	json_object_set_new(o, "subject", json_string(store_column_text(st, 3)));
	const char *kind = store_column_text(st, 4);
	if (kind && (strcmp(kind, "case") == 0 || strcmp(kind, "report") == 0))
		json_object_set_new(o, kind, inc_id_json(store_column_int64(st, 5)));
	else if (kind)
		json_object_set_new(o, "record", json_pack("{s:s, s:o}", "kind", kind, "id",
							   inc_id_json(store_column_int64(st, 5))));
	json_t *b = json_loads(store_column_text(st, 6), 0, NULL);
	json_object_set_new(o, "basis", b ? b : json_array());
	json_object_set_new(o, "created_at", inc_time_json(store_column_int64(st, 7)));
	json_object_set_new(o, "read_at", inc_time_json(store_column_int64(st, 8)));
	return o;
}

int notices_list(struct store *db, const struct principal *who, const struct notice_filter *f, json_t **out)
{
	json_t *items = json_array();
	if (f->record_kind) {
		/* naming a record asks about it: it must be visible */
		const struct wf_machine *m = strcmp(f->record_kind, "case") == 0 ? &case_machine : &report_machine;
		struct wf_ctx ctx;
		int rc = wf_load_visible(db, who, m, f->record_id, &ctx);
		wf_ctx_release(&ctx);
		if (rc != CSHQ_OK) {
			json_decref(items);
			return rc;
		}
	}
	if (!sees_any(who)) {
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
		return CSHQ_OK;
	}
	struct buf sql = BUF_INIT(2048);
	int rc = buf_puts(&sql, "SELECT id, to_org, to_role, subject, record_kind, record_id, basis, created_at, "
				"read_at FROM notifications WHERE 1 = 1");
	int n = 0;
	if (!sees_all(who))
		rc |= buf_printf(&sql, " AND to_org = $%d", ++n);
	if (f->record_kind) {
		rc |= buf_printf(&sql, " AND record_kind = $%d", ++n);
		rc |= buf_printf(&sql, " AND record_id = $%d", ++n);
	}
	if (f->unread)
		rc |= buf_puts(&sql, " AND read_at IS NULL");
	if (f->before)
		rc |= buf_printf(&sql, " AND id < $%d", ++n);
	rc |= buf_printf(&sql, " ORDER BY id DESC LIMIT %ld", f->limit + 1);
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return CSHQ_ERR;
	}
	n = 0;
	if (!sees_all(who))
		store_bind_text(st, ++n, who->org);
	if (f->record_kind) {
		store_bind_text(st, ++n, f->record_kind);
		store_bind_int64(st, ++n, f->record_id);
	}
	if (f->before)
		store_bind_int64(st, ++n, f->before);
	long count = 0;
	int64_t last = 0;
	bool more = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (count == f->limit) {
			more = true;
			continue;
		}
		last = store_column_int64(st, 0);
		json_array_append_new(items, notice_json(st));
		count++;
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor", more ? inc_id_json(last) : json_null());
	return CSHQ_OK;
}

static int load_notice(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT id, to_org, to_role, subject, record_kind, record_id, basis, created_at, "
			       "read_at FROM notifications WHERE id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	*out = notice_json(st);
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

int notice_mark_read(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	json_t *n = NULL;
	int rc = load_notice(db, id, &n);
	if (rc != CSHQ_OK)
		return rc;
	const char *to = json_string_value(json_object_get(n, "to_org"));
	bool own = sees_any(who) && strcmp(to, who->org) == 0;
	if (!own) {
		json_decref(n);
		return sees_any(who) && sees_all(who) ? CSHQ_EDENIED : CSHQ_ENOTFOUND;
	}
	if (json_is_null(json_object_get(n, "read_at"))) {
		struct store_stmt *st;
		if ((rc = store_prepare(db, "UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL",
					&st)) == CSHQ_OK) {
			store_bind_int64(st, 1, time_now());
			store_bind_int64(st, 2, id);
			rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
		char idtxt[24];
		snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
		if (rc == CSHQ_OK)
			rc = auditlog_append(db, who, "notice_read", "notification", idtxt, NULL);
		json_decref(n);
		n = NULL;
		if (rc == CSHQ_OK)
			rc = load_notice(db, id, &n);
	}
	if (rc != CSHQ_OK) {
		json_decref(n);
		return rc;
	}
	*out = n;
	return CSHQ_OK;
}
