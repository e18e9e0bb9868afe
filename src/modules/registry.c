/* registry.c: organisations, their dated statuses, and the facts the regime engine reads. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/registry.h"

/* The organisation row and its two dated statuses on a date, in one statement. */
static const char SQL_ORG_ON[] =
	"SELECT kind, name_ja, name_en, sector, source, "
	"EXISTS (SELECT 1 FROM org_designations d WHERE d.org = o.code AND d.from_date <= $2 "
	"AND (d.until_date IS NULL OR d.until_date > $2)), "
	"EXISTS (SELECT 1 FROM org_listings l WHERE l.org = o.code AND l.from_date <= $2 "
	"AND (l.until_date IS NULL OR l.until_date > $2)) "
	"FROM orgs o WHERE o.code = $1";

/* Fills the regime facts from a row of SQL_ORG_ON and the supervisors. The statement st is
 * left on its row so the caller can read the names. */
static int subject_from(struct store *s, struct store_stmt *st, const char *code,
			struct registry_subject *out)
{
	if (org_kind_parse(store_column_text(st, 0), &out->facts.kind) != CSHQ_OK)
		out->facts.kind = ORG_OTHER;
	out->facts.art13_designated = store_column_int64(st, 5) != 0;
	out->facts.art32_listed = store_column_int64(st, 6) != 0;
	snprintf(out->code, sizeof(out->code), "%s", code);
	out->facts.code = out->code;
	struct store_stmt *sup;
	int rc = store_prepare(s, "SELECT ministry FROM org_supervisors WHERE org = $1 ORDER BY rank", &sup);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(sup, 1, code);
	size_t n = 0;
	while ((rc = store_step(sup)) == STORE_ROW) {
		if (n < REGISTRY_MAX_SUPERVISING) {
			snprintf(out->supervising_store[n], sizeof(out->supervising_store[n]), "%s",
				 store_column_text(sup, 0));
			out->supervising[n] = out->supervising_store[n];
			n++;
		}
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	out->facts.supervising = out->supervising;
	out->facts.n_supervising = n;
	return CSHQ_OK;
}

int registry_subject(struct store *s, const char *code, int32_t date, struct registry_subject *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = store_prepare(s, SQL_ORG_ON, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, date);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : rc;
	rc = subject_from(s, st, code, out);
	while (store_step(st) == STORE_ROW)
		;
	return rc;
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
	memset(&subj, 0, sizeof(subj));
	struct store_stmt *st;
	int rc = store_prepare(s, SQL_ORG_ON, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, date);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : rc;
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "name_ja", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "name_en", json_string(store_column_text(st, 2)));
	json_object_set_new(o, "kind", json_string(store_column_text(st, 0)));
	if (detail) {
		const char *sector = store_column_text(st, 3), *source = store_column_text(st, 4);
		json_object_set_new(o, "sector", sector ? json_string(sector) : json_null());
		json_object_set_new(o, "source", source ? json_string(source) : json_null());
	}
	rc = subject_from(s, st, code, &subj);
	while (store_step(st) == STORE_ROW)
		;
	if (rc != CSHQ_OK) {
		json_decref(o);
		return rc;
	}
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

/* ---- the answer cache of GET /api/v1/orgs/{code} ----
 * The registry changes rarely and every change bumps a version kept in the store
 * (settings.registry_version), so a serialised answer per (code, date) stays valid while
 * the version it was built under is current. Each request still reads the version from
 * the store, so several server instances never serve an answer older than the store. */
#define REGISTRY_CACHE_SLOTS 1024

struct cache_slot {
	char code[33];
	int32_t date;
	int64_t version;
	char *text;
	size_t len;
};

static struct cache_slot cache[REGISTRY_CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

int registry_version(struct store *s, int64_t *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT value FROM settings WHERE key = 'registry_version'", &st);
	if (rc != CSHQ_OK)
		return rc;
	*out = 0;
	while ((rc = store_step(st)) == STORE_ROW)
		*out = strtoll(store_column_text(st, 0), NULL, 10);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int registry_bump_version(struct store *s)
{
	int64_t v;
	int rc = registry_version(s, &v);
	if (rc != CSHQ_OK)
		return rc;
	char text[24];
	snprintf(text, sizeof(text), "%lld", (long long)v + 1);
	struct store_stmt *st;
	rc = store_prepare(s,
			   "INSERT INTO settings (key, value) VALUES ('registry_version', $1) "
			   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, text);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static size_t slot_of(const char *code, int32_t date)
{
	uint32_t h = 2166136261u ^ (uint32_t)date;
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % REGISTRY_CACHE_SLOTS;
}

int registry_org_text(struct store *s, const char *code, int32_t date, char **text, size_t *len)
{
	int64_t version;
	int rc = registry_version(s, &version);
	if (rc != CSHQ_OK)
		return rc;
	size_t k = slot_of(code, date);
	pthread_mutex_lock(&cache_mu);
	struct cache_slot *c = &cache[k];
	if (c->text && c->version == version && c->date == date && strcmp(c->code, code) == 0) {
		*text = xstrndup(c->text, c->len);
		*len = c->len;
		pthread_mutex_unlock(&cache_mu);
		return CSHQ_OK;
	}
	pthread_mutex_unlock(&cache_mu);
	json_t *o;
	if ((rc = registry_org_json(s, code, date, true, &o)) != CSHQ_OK)
		return rc;
	char *t = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!t)
		return CSHQ_ENOMEM;
	*len = strlen(t);
	*text = t;
	if (strlen(code) < sizeof(c->code)) {
		pthread_mutex_lock(&cache_mu);
		free(c->text);
		snprintf(c->code, sizeof(c->code), "%s", code);
		c->date = date;
		c->version = version;
		c->text = xstrndup(t, *len);
		c->len = *len;
		pthread_mutex_unlock(&cache_mu);
	}
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
