/* registry.c: organisations, their dated statuses, and the facts the regime engine reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/registry.h"

static int exists_on(struct store *s, const char *sql, const char *code, int32_t date, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, date);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return CSHQ_OK;
}

static const char SQL_DESIGNATED_ON[] =
	"SELECT 1 FROM org_designations WHERE org = $1 AND from_date <= $2 "
	"AND (until_date IS NULL OR until_date > $2)";
static const char SQL_LISTED_ON[] =
	"SELECT 1 FROM org_listings WHERE org = $1 AND from_date <= $2 "
	"AND (until_date IS NULL OR until_date > $2)";

int registry_subject(struct store *s, const char *code, int32_t date, struct registry_subject *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT kind FROM orgs WHERE code = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : rc;
	if (org_kind_parse(store_column_text(st, 0), &out->facts.kind) != CSHQ_OK)
		out->facts.kind = ORG_OTHER;
	while (store_step(st) == STORE_ROW)
		;
	snprintf(out->code, sizeof(out->code), "%s", code);
	out->facts.code = out->code;
	rc = store_prepare(s, "SELECT ministry FROM org_supervisors WHERE org = $1 ORDER BY rank", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	size_t n = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n < REGISTRY_MAX_SUPERVISING) {
			snprintf(out->supervising_store[n], sizeof(out->supervising_store[n]), "%s",
				 store_column_text(st, 0));
			out->supervising[n] = out->supervising_store[n];
			n++;
		}
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	out->facts.supervising = out->supervising;
	out->facts.n_supervising = n;
	if ((rc = exists_on(s, SQL_DESIGNATED_ON, code, date, &out->facts.art13_designated)) != CSHQ_OK)
		return rc;
	return exists_on(s, SQL_LISTED_ON, code, date, &out->facts.art32_listed);
}

static json_t *date_json(struct store_stmt *st, int col)
{
	if (store_column_is_null(st, col))
		return json_null();
	char d[11];
	date_format((int32_t)store_column_int64(st, col), d);
	return json_string(d);
}

static void history_event(json_t *history, json_t *date, const char *event, json_t *decision)
{
	json_t *ev = json_object();
	json_object_set(ev, "date", date);
	json_object_set_new(ev, "event", json_string(event));
	json_object_set(ev, "decision", decision);
	json_array_append_new(history, ev);
}

static int intervals_json(struct store *s, const char *code, bool designations, json_t *arr,
			  json_t *history)
{
	struct store_stmt *st;
	const char *sql = designations
				  ? "SELECT id, from_date, until_date, decision, criterion1, criterion2, "
				    "criterion3, criterion4, grp FROM org_designations WHERE org = $1 ORDER BY from_date, id"
				  : "SELECT id, from_date, until_date, decision FROM org_listings "
				    "WHERE org = $1 ORDER BY from_date, id";
	int rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(store_column_int64(st, 0)));
		json_object_set_new(o, "from", date_json(st, 1));
		json_object_set_new(o, "until", date_json(st, 2));
		json_object_set_new(o, "decision", json_string(store_column_text(st, 3)));
		if (designations) {
			json_t *c = json_object();
			for (int i = 0; i < 4; i++) {
				char k[2] = {(char)('1' + i), 0};
				json_object_set_new(c, k, json_string(store_column_text(st, 4 + i)));
			}
			json_object_set_new(o, "criteria", c);
			const char *grp = store_column_text(st, 8);
			json_object_set_new(o, "group", grp ? json_string(grp) : json_null());
		}
		json_t *decision = json_object_get(o, "decision");
		history_event(history, json_object_get(o, "from"),
			      designations ? "art13_designated" : "art32_listed", decision);
		if (!store_column_is_null(st, 2))
			history_event(history, json_object_get(o, "until"),
				      designations ? "art13_designation_ended" : "art32_delisted", decision);
		json_array_append_new(arr, o);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int cmp_history(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_string_value(json_object_get(x, "date")),
		      json_string_value(json_object_get(y, "date")));
}

static void sort_history(json_t *hist)
{
	size_t n = json_array_size(hist);
	if (n < 2)
		return;
	json_t **items = xcalloc(n, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(hist, i));
	qsort(items, n, sizeof(*items), cmp_history);
	json_array_clear(hist);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(hist, items[i]);
	free(items);
}

static int org_details(struct store *s, const char *code, int32_t date, json_t *o)
{
	char d[11];
	date_format(date, d);
	json_object_set_new(o, "date", json_string(d));
	json_t *former = json_array();
	json_object_set_new(o, "former_names_ja", former);
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT name_ja FROM org_former_names WHERE org = $1 ORDER BY name_ja", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(former, json_string(store_column_text(st, 0)));
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	json_t *des = json_array(), *lis = json_array(), *hist = json_array();
	json_object_set_new(o, "designations", des);
	json_object_set_new(o, "art32_listings", lis);
	json_object_set_new(o, "history", hist);
	if ((rc = intervals_json(s, code, true, des, hist)) != CSHQ_OK ||
	    (rc = intervals_json(s, code, false, lis, hist)) != CSHQ_OK)
		return rc;
	sort_history(hist);
	return CSHQ_OK;
}

int registry_org_json(struct store *s, const char *code, int32_t date, bool detail, json_t **out)
{
	struct registry_subject subj;
	int rc = registry_subject(s, code, date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(s, "SELECT name_ja, name_en, kind, sector, source FROM orgs WHERE code = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ENOTFOUND;
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "name_ja", json_string(store_column_text(st, 0)));
	json_object_set_new(o, "name_en", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "kind", json_string(store_column_text(st, 2)));
	if (detail) {
		const char *sector = store_column_text(st, 3), *source = store_column_text(st, 4);
		json_object_set_new(o, "sector", sector ? json_string(sector) : json_null());
		json_object_set_new(o, "source", source ? json_string(source) : json_null());
	}
	while (store_step(st) == STORE_ROW)
		;
	json_t *sup = json_array();
	for (size_t i = 0; i < subj.facts.n_supervising; i++)
		json_array_append_new(sup, json_string(subj.supervising[i]));
	json_object_set_new(o, "supervising", sup);
	json_object_set_new(o, "art13_designated", json_boolean(subj.facts.art13_designated));
	json_object_set_new(o, "art32_listed", json_boolean(subj.facts.art32_listed));
	if (detail && (rc = org_details(s, code, date, o)) != CSHQ_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return CSHQ_OK;
}

/* Escapes LIKE wildcards so a search text matches literally. */
static int like_pattern(const char *q, struct buf *b)
{
	int rc = buf_putc(b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			rc |= buf_putc(b, '\\');
		rc |= buf_putc(b, *p);
	}
	return rc | buf_putc(b, '%');
}

int registry_list(struct store *s, const struct registry_filter *f, json_t **out)
{
	struct buf pat = BUF_INIT(1024);
	if (f->q && like_pattern(f->q, &pat) != CSHQ_OK) {
		buf_release(&pat);
		return CSHQ_EINVAL;
	}
	struct store_stmt *st;
	int rc = store_prepare(
		s,
		"SELECT code FROM orgs o WHERE ($1 = '' OR o.kind = $1) AND o.code > $2 AND ($3 = '' OR "
		"lower(o.name_ja) LIKE lower($3) ESCAPE '\\' OR lower(o.name_en) LIKE lower($3) ESCAPE '\\' "
		"OR lower(o.code) LIKE lower($3) ESCAPE '\\' OR EXISTS (SELECT 1 FROM org_former_names f "
		"WHERE f.org = o.code AND f.name_ja LIKE $3 ESCAPE '\\')) ORDER BY o.code LIMIT $4",
		&st);
	if (rc != CSHQ_OK) {
		buf_release(&pat);
		return rc;
	}
	store_bind_text(st, 1, f->kind ? f->kind : "");
	store_bind_text(st, 2, f->after ? f->after : "");
	store_bind_text(st, 3, f->q && *f->q ? buf_cstr(&pat) : "");
	store_bind_int64(st, 4, f->limit + 1);
	json_t *codes = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(codes, json_string(store_column_text(st, 0)));
	buf_release(&pat);
	if (rc != STORE_DONE) {
		json_decref(codes);
		return CSHQ_ERR;
	}
	json_t *items = json_array();
	size_t n = json_array_size(codes);
	bool more = n > (size_t)f->limit;
	if (more)
		n = (size_t)f->limit;
	rc = CSHQ_OK;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		json_t *o;
		rc = registry_org_json(s, json_string_value(json_array_get(codes, i)), f->date, false, &o);
		if (rc == CSHQ_OK)
			json_array_append_new(items, o);
	}
	json_t *res = json_object();
	json_object_set_new(res, "items", items);
	json_object_set_new(res, "next_cursor",
			    more ? json_string(json_string_value(json_array_get(codes, n - 1))) : json_null());
	json_decref(codes);
	if (rc != CSHQ_OK) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return CSHQ_OK;
}

int registry_applicability_json(struct store *s, const char *code, int32_t date, json_t **out)
{
	struct registry_subject subj;
	int rc = registry_subject(s, code, date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	json_t *fns = json_object();
	for (int f = 0; f < RF_COUNT; f++) {
		struct regime_answer a;
		regime_evaluate((enum regime_function)f, &subj.facts, date, &a);
		json_t *o = json_object();
		json_object_set_new(o, "applies", json_string(regime_applies_code(a.applies)));
		if (a.condition)
			json_object_set_new(o, "condition", json_string(a.condition));
		if (a.route != ROUTE_NONE) {
			json_t *r = json_object();
			json_object_set_new(r, "type", json_string(a.route == ROUTE_VIA ? "via" : "direct"));
			json_t *via = json_array();
			for (size_t i = 0; i < a.n_via; i++)
				json_array_append_new(via, json_string(a.via[i]));
			json_object_set_new(r, "via", via);
			json_object_set_new(o, "route", r);
		}
		json_object_set_new(o, "basis", basis_json(a.basis, a.n_basis));
		json_object_set_new(fns, regime_function_code((enum regime_function)f), o);
	}
	char d[11];
	date_format(date, d);
	json_t *res = json_object();
	json_object_set_new(res, "org", json_string(code));
	json_object_set_new(res, "date", json_string(d));
	json_object_set_new(res, "functions", fns);
	*out = res;
	return CSHQ_OK;
}

int registry_is_empty(struct store *s, bool *empty)
{
	int64_t n = 0;
	int rc = store_query_int64(s, "SELECT count(*) FROM orgs", &n);
	*empty = n == 0;
	return rc;
}
