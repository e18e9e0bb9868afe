/* risk_set.c: the countermeasure sets NISC issues (RiskGuideline 1.3, 4.2(2), 4.3):
 * validation of a posted set, storage (the body as issued plus one row per countermeasure
 * and component for queries), loading, and the diff between two versions. */
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/risk_impl.h"
#include "store/store_batch.h"

#define MAX_SCENARIOS 100
#define MAX_OBJECTIVES 1000
#define MAX_COUNTERMEASURES 2000
#define MAX_CM_COMPONENTS 32

bool risk_id_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > RISK_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool risk_text_ok(const char *s, size_t max, bool multiline)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t')))
			return false;
		if (c == 0x7f)
			return false;
	}
	return true;
}

int risk_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return CSHQ_EINVAL;
}

void risk_copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

const char *risk_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *risk_sorted_strings(json_t *a)
{
	size_t n = json_array_size(a);
	json_t **v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(a, i);
	qsort(v, n, sizeof(*v), cmp_json_str);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

/* Whether obj has only the allowed keys. */
static bool only_keys(json_t *obj, const char *const *allowed, const char **bad)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = true;
		if (!ok) {
			*bad = key;
			return false;
		}
	}
	return true;
}

/* Names already used, for uniqueness checks (small sets: linear search). */
struct seen {
	const char **v;
	size_t n, cap;
};

static bool seen_add(struct seen *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = id;
	return true;
}

int risk_set_validate(json_t *in, json_t **canon, char *err, size_t errlen)
{
	static const char *const top_keys[] = {"version", "note", "scenarios", NULL};
	static const char *const sc_keys[] = {"id", "title", "objectives", NULL};
	static const char *const ob_keys[] = {"id", "title", "countermeasures", NULL};
	static const char *const cm_keys[] = {"id", "title", "components", NULL};
	const char *bad = NULL;
	int rc = CSHQ_OK;
	struct seen sc_ids = {0}, ob_ids = {0}, cm_ids = {0};
	json_t *out = NULL;

	if (!only_keys(in, top_keys, &bad)) {
		rc = risk_fail(err, errlen, "unknown field \"%.60s\"", bad);
		goto done;
	}
	const char *version = risk_str(in, "version");
	json_t *note = json_object_get(in, "note");
	json_t *scenarios = json_object_get(in, "scenarios");
	if (!version || !risk_id_ok(version) || strlen(version) > RISK_VERSION_MAX) {
		rc = risk_fail(err, errlen, "version: 1 to %d characters of A-Z a-z 0-9 . _ -", RISK_VERSION_MAX);
		goto done;
	}
	if (note && !json_is_null(note) && !risk_text_ok(json_string_value(note), RISK_TEXT_MAX, true)) {
		rc = risk_fail(err, errlen, "note: a text of at most %d bytes", RISK_TEXT_MAX);
		goto done;
	}
	if (!json_is_array(scenarios) || json_array_size(scenarios) == 0 ||
	    json_array_size(scenarios) > MAX_SCENARIOS) {
		rc = risk_fail(err, errlen, "scenarios: 1 to %d attack scenarios", MAX_SCENARIOS);
		goto done;
	}
	out = json_object();
	json_object_set_new(out, "version", json_string(version));
	if (note && !json_is_null(note))
		json_object_set(out, "note", note);
	json_t *out_sc = json_array();
	json_object_set_new(out, "scenarios", out_sc);
	size_t i, j, k, m;
	json_t *sc, *ob, *cm, *comp;
	json_array_foreach(scenarios, i, sc)
	{
		if (!json_is_object(sc) || !only_keys(sc, sc_keys, &bad)) {
			rc = risk_fail(err, errlen, "scenarios[%zu]: an object {id, title, objectives}", i);
			goto done;
		}
		const char *id = risk_str(sc, "id"), *title = risk_str(sc, "title");
		json_t *objectives = json_object_get(sc, "objectives");
		if (!risk_id_ok(id) || !risk_text_ok(title, RISK_TITLE_MAX, false)) {
			rc = risk_fail(err, errlen, "scenarios[%zu]: id (A-Z a-z 0-9 . _ -, at most %d) and title required", i, RISK_ID_MAX);
			goto done;
		}
		if (!seen_add(&sc_ids, id)) {
			rc = risk_fail(err, errlen, "scenario \"%s\" appears twice", id);
			goto done;
		}
		if (!json_is_array(objectives) || json_array_size(objectives) == 0) {
			rc = risk_fail(err, errlen, "scenario \"%s\": objectives must be a non-empty array", id);
			goto done;
		}
		json_t *o_obs = json_array();
		json_array_append_new(out_sc, json_pack("{s:s, s:s, s:o}", "id", id, "title", title, "objectives", o_obs));
		json_array_foreach(objectives, j, ob)
		{
			if (!json_is_object(ob) || !only_keys(ob, ob_keys, &bad)) {
				rc = risk_fail(err, errlen, "scenario \"%s\" objectives[%zu]: an object {id, title, countermeasures}", id, j);
				goto done;
			}
			const char *oid = risk_str(ob, "id"), *otitle = risk_str(ob, "title");
			json_t *cms = json_object_get(ob, "countermeasures");
			if (!risk_id_ok(oid) || !risk_text_ok(otitle, RISK_TITLE_MAX, false)) {
				rc = risk_fail(err, errlen, "scenario \"%s\" objectives[%zu]: id and title required", id, j);
				goto done;
			}
			if (!seen_add(&ob_ids, oid) || ob_ids.n > MAX_OBJECTIVES) {
				rc = risk_fail(err, errlen, "objective \"%s\" appears twice (or more than %d objectives)", oid, MAX_OBJECTIVES);
				goto done;
			}
			if (!json_is_array(cms) || json_array_size(cms) == 0) {
				rc = risk_fail(err, errlen, "objective \"%s\": countermeasures must be a non-empty array", oid);
				goto done;
			}
			json_t *o_cms = json_array();
			json_array_append_new(o_obs, json_pack("{s:s, s:s, s:o}", "id", oid, "title", otitle, "countermeasures", o_cms));
			json_array_foreach(cms, k, cm)
			{
				if (!json_is_object(cm) || !only_keys(cm, cm_keys, &bad)) {
					rc = risk_fail(err, errlen, "objective \"%s\" countermeasures[%zu]: an object {id, title, components}", oid, k);
					goto done;
				}
				const char *cid = risk_str(cm, "id"), *ctitle = risk_str(cm, "title");
				json_t *comps = json_object_get(cm, "components");
				if (!risk_id_ok(cid) || !risk_text_ok(ctitle, RISK_TITLE_MAX, false)) {
					rc = risk_fail(err, errlen, "objective \"%s\" countermeasures[%zu]: id and title required", oid, k);
					goto done;
				}
				if (!seen_add(&cm_ids, cid) || cm_ids.n > MAX_COUNTERMEASURES) {
					rc = risk_fail(err, errlen, "countermeasure \"%s\" appears twice (or more than %d countermeasures)", cid, MAX_COUNTERMEASURES);
					goto done;
				}
				if (!json_is_array(comps) || json_array_size(comps) == 0 ||
				    json_array_size(comps) > MAX_CM_COMPONENTS) {
					rc = risk_fail(err, errlen, "countermeasure \"%s\": components must name 1 to %d system components", cid, MAX_CM_COMPONENTS);
					goto done;
				}
				struct seen cs = {0};
				bool ok = true;
				json_array_foreach(comps, m, comp)
				{
					const char *c = json_string_value(comp);
					if (!risk_id_ok(c) || !seen_add(&cs, c))
						ok = false;
				}
				free(cs.v);
				if (!ok) {
					rc = risk_fail(err, errlen, "countermeasure \"%s\": components are distinct codes of A-Z a-z 0-9 . _ -", cid);
					goto done;
				}
				json_array_append_new(o_cms, json_pack("{s:s, s:s, s:o}", "id", cid, "title", ctitle,
								       "components", risk_sorted_strings(comps)));
			}
		}
	}
done:
	free(sc_ids.v);
	free(ob_ids.v);
	free(cm_ids.v);
	if (rc != CSHQ_OK) {
		json_decref(out);
		return rc;
	}
	*canon = out;
	return CSHQ_OK;
}

/* Walks a canonical body into items (pointers into the body). */
static void items_of(json_t *body, struct risk_item **out, size_t *n_out)
{
	size_t n = 0, cap = 0;
	struct risk_item *v = NULL;
	size_t i, j, k, m;
	json_t *sc, *ob, *cm, *comp;
	json_array_foreach(json_object_get(body, "scenarios"), i, sc)
	{
		json_array_foreach(json_object_get(sc, "objectives"), j, ob)
		{
			json_array_foreach(json_object_get(ob, "countermeasures"), k, cm)
			{
				json_array_foreach(json_object_get(cm, "components"), m, comp)
				{
					if (n == cap) {
						cap = cap ? cap * 2 : 64;
						v = xrealloc(v, cap * sizeof(*v));
					}
					v[n++] = (struct risk_item){
						.countermeasure = risk_str(cm, "id"),
						.component = json_string_value(comp),
						.objective = risk_str(ob, "id"),
						.scenario = risk_str(sc, "id"),
						.cm_title = risk_str(cm, "title"),
						.obj_title = risk_str(ob, "title"),
						.sc_title = risk_str(sc, "title"),
					};
				}
			}
		}
	}
	*out = v;
	*n_out = n;
}

int risk_set_insert(struct store *db, json_t *canon, const char *by, int64_t *id)
{
	char *body = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "INSERT INTO risk_sets (version, note, body, issued_at, issued_by) VALUES "
			       "($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING RETURNING id",
			       &st);
	*id = 0;
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, risk_str(canon, "version"));
		store_bind_text(st, 2, risk_str(canon, "note"));
		store_bind_text(st, 3, body);
		store_bind_int64(st, 4, time_now());
		store_bind_text(st, 5, by);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*id = store_column_int64(st, 0);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE ? (*id ? CSHQ_OK : CSHQ_ECONFLICT) : CSHQ_ERR;
	}
	free(body);
	if (rc != CSHQ_OK)
		return rc;
	struct risk_item *items;
	size_t n;
	items_of(canon, &items, &n);
	struct store_batch *b;
	rc = store_batch_begin(db,
			       "INSERT INTO risk_set_items (set_id, countermeasure, component, objective, scenario, "
			       "countermeasure_title, objective_title, scenario_title) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			       &b);
	for (size_t i = 0; rc == CSHQ_OK && i < n; i++) {
		struct store_stmt *s = store_batch_stmt(b);
		store_bind_int64(s, 1, *id);
		store_bind_text(s, 2, items[i].countermeasure);
		store_bind_text(s, 3, items[i].component);
		store_bind_text(s, 4, items[i].objective);
		store_bind_text(s, 5, items[i].scenario);
		store_bind_text(s, 6, items[i].cm_title);
		store_bind_text(s, 7, items[i].obj_title);
		store_bind_text(s, 8, items[i].sc_title);
		rc = store_batch_add(b);
	}
	if (rc == CSHQ_OK)
		rc = store_batch_end(b, NULL);
	else
		store_batch_end(b, NULL);
	free(items);
	return rc;
}

static void pair_key(const char *cm, const char *component, char *out, size_t cap)
{
	snprintf(out, cap, "%s\n%s", cm, component ? component : "");
}

static void index_items(struct risk_set *s)
{
	s->index = json_object();
	s->per_component = json_object();
	char key[2 * RISK_ID_MAX + 4];
	for (size_t i = 0; i < s->n_items; i++) {
		const struct risk_item *it = &s->items[i];
		pair_key(it->countermeasure, it->component, key, sizeof(key));
		json_object_set_new(s->index, key, json_integer((json_int_t)i));
		pair_key(it->countermeasure, NULL, key, sizeof(key));
		if (!json_object_get(s->index, key))
			json_object_set_new(s->index, key, json_integer((json_int_t)i));
		json_t *n = json_object_get(s->per_component, it->component);
		json_object_set_new(s->per_component, it->component, json_integer(json_integer_value(n) + 1));
	}
}

void risk_set_from_body(json_t *body, struct risk_set *out)
{
	memset(out, 0, sizeof(*out));
	out->body = json_incref(body);
	risk_copy(out->version, sizeof(out->version), risk_str(body, "version"));
	items_of(out->body, &out->items, &out->n_items);
	index_items(out);
}

int risk_set_load(struct store *db, const char *version, int64_t id, struct risk_set *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = store_prepare(db,
			       version ? "SELECT id, version, body FROM risk_sets WHERE version = $1"
				       : "SELECT id, version, body FROM risk_sets WHERE id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	if (version)
		store_bind_text(st, 1, version);
	else
		store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	out->id = store_column_int64(st, 0);
	risk_copy(out->version, sizeof(out->version), store_column_text(st, 1));
	out->body = json_loads(store_column_text(st, 2), 0, NULL);
	while (store_step(st) == STORE_ROW)
		;
	if (!out->body)
		return CSHQ_ERR;
	items_of(out->body, &out->items, &out->n_items);
	index_items(out);
	return CSHQ_OK;
}

void risk_set_release(struct risk_set *s)
{
	if (!s)
		return;
	free(s->items);
	json_decref(s->index);
	json_decref(s->per_component);
	json_decref(s->body);
	memset(s, 0, sizeof(*s));
}

json_t *risk_set_json(struct store *db, const struct risk_set *s)
{
	json_t *o = json_deep_copy(s->body);
	struct store_stmt *st;
	if (store_prepare(db, "SELECT issued_at, issued_by FROM risk_sets WHERE id = $1", &st) == CSHQ_OK) {
		store_bind_int64(st, 1, s->id);
		if (store_step(st) == STORE_ROW) {
			char at[26];
			time_format_rfc3339(store_column_int64(st, 0), at);
			json_object_set_new(o, "issued_at", json_string(at));
			json_object_set_new(o, "issued_by", json_string(store_column_text(st, 1)));
			while (store_step(st) == STORE_ROW)
				;
		}
	}
	if (!json_object_get(o, "note"))
		json_object_set_new(o, "note", json_null());
	return o;
}

int risk_set_list_json(struct store *db, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT s.version, s.issued_at, s.note, (SELECT count(DISTINCT i.countermeasure) "
			       "FROM risk_set_items i WHERE i.set_id = s.id) FROM risk_sets s ORDER BY s.id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		char at[26];
		time_format_rfc3339(store_column_int64(st, 1), at);
		const char *note = store_column_text(st, 2);
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:I}", "version", store_column_text(st, 0),
						   "issued_at", at, "note", note ? json_string(note) : json_null(),
						   "countermeasures", (json_int_t)store_column_int64(st, 3)));
	}
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

const struct risk_item *risk_set_find(const struct risk_set *s, const char *cm,
				      const char *component)
{
	char key[2 * RISK_ID_MAX + 4];
	if (!cm || strlen(cm) > RISK_ID_MAX || (component && strlen(component) > RISK_ID_MAX))
		return NULL;
	pair_key(cm, component, key, sizeof(key));
	json_t *i = json_object_get(s->index, key);
	return i ? &s->items[json_integer_value(i)] : NULL;
}

size_t risk_set_applicable(const struct risk_set *s, json_t *components)
{
	size_t n = 0, i;
	json_t *c;
	json_array_foreach(components, i, c) if (json_is_string(c)) n += (size_t)json_integer_value(
		json_object_get(s->per_component, json_string_value(c)));
	return n;
}

bool risk_set_has(const struct risk_set *s, const char *cm)
{
	return risk_set_find(s, cm, NULL) != NULL;
}

static bool has_string(json_t *a, const char *v)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) if (strcmp(json_string_value(x), v) == 0) return true;
	return false;
}

bool risk_set_applies(const struct risk_set *s, const char *cm, json_t *components)
{
	size_t i;
	json_t *c;
	json_array_foreach(components, i, c) if (json_is_string(c) && risk_set_find(s, cm, json_string_value(c))) return true;
	return false;
}

/* ---- diff ---- */

/* One node of a set's tree, flattened: kind 0 scenario, 1 objective, 2 countermeasure. */
struct node {
	const char *id, *title, *parent;
	json_t *components;
	json_t *src;
};

static size_t flatten(json_t *body, int kind, struct node **out)
{
	size_t n = 0, cap = 0;
	struct node *v = NULL;
	size_t i, j, k;
	json_t *sc, *ob, *cm;
#define PUSH(...)                                                   \
	do {                                                        \
		if (n == cap) {                                     \
			cap = cap ? cap * 2 : 32;                   \
			v = xrealloc(v, cap * sizeof(*v));          \
		}                                                   \
		v[n++] = (struct node){__VA_ARGS__};                \
	} while (0)
	json_array_foreach(json_object_get(body, "scenarios"), i, sc)
	{
		if (kind == 0)
			PUSH(.id = risk_str(sc, "id"), .title = risk_str(sc, "title"), .src = sc);
		json_array_foreach(json_object_get(sc, "objectives"), j, ob)
		{
			if (kind == 1)
				PUSH(.id = risk_str(ob, "id"), .title = risk_str(ob, "title"), .parent = risk_str(sc, "id"), .src = ob);
			json_array_foreach(json_object_get(ob, "countermeasures"), k, cm) if (kind == 2)
				PUSH(.id = risk_str(cm, "id"), .title = risk_str(cm, "title"), .parent = risk_str(ob, "id"),
				     .components = json_object_get(cm, "components"), .src = cm);
		}
	}
#undef PUSH
	*out = v;
	return n;
}

static const struct node *find_node(const struct node *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

static json_t *node_summary(const struct node *x, int kind)
{
	static const char *const parent_key[] = {NULL, "scenario", "objective"};
	json_t *o = json_pack("{s:s, s:s}", "id", x->id, "title", x->title);
	if (kind > 0)
		json_object_set_new(o, parent_key[kind], json_string(x->parent));
	if (kind == 2)
		json_object_set(o, "components", x->components);
	return o;
}

static json_t *from_to(const char *a, const char *b)
{
	return json_pack("{s:s, s:s}", "from", a, "to", b);
}

static json_t *diff_kind(json_t *a_body, json_t *b_body, int kind)
{
	static const char *const parent_key[] = {NULL, "scenario", "objective"};
	struct node *a, *b;
	size_t na = flatten(a_body, kind, &a), nb = flatten(b_body, kind, &b);
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	for (size_t i = 0; i < nb; i++)
		if (!find_node(a, na, b[i].id))
			json_array_append_new(added, node_summary(&b[i], kind));
	for (size_t i = 0; i < na; i++) {
		const struct node *y = find_node(b, nb, a[i].id);
		if (!y) {
			json_array_append_new(removed, node_summary(&a[i], kind));
			continue;
		}
		json_t *c = json_object();
		if (strcmp(a[i].title, y->title) != 0)
			json_object_set_new(c, "title", from_to(a[i].title, y->title));
		if (kind > 0 && strcmp(a[i].parent, y->parent) != 0)
			json_object_set_new(c, parent_key[kind], from_to(a[i].parent, y->parent));
		if (kind == 2) {
			json_t *plus = json_array(), *minus = json_array();
			size_t k;
			json_t *v;
			json_array_foreach(y->components, k, v) if (!has_string(a[i].components, json_string_value(v)))
				json_array_append(plus, v);
			json_array_foreach(a[i].components, k, v) if (!has_string(y->components, json_string_value(v)))
				json_array_append(minus, v);
			if (json_array_size(plus))
				json_object_set(c, "components_added", plus);
			if (json_array_size(minus))
				json_object_set(c, "components_removed", minus);
			json_decref(plus);
			json_decref(minus);
		}
		if (json_object_size(c)) {
			json_object_set_new(c, "id", json_string(a[i].id));
			json_array_append_new(changed, c);
		} else {
			json_decref(c);
		}
	}
	free(a);
	free(b);
	return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed, "changed", changed);
}

json_t *risk_set_diff(const struct risk_set *from, const struct risk_set *to)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "from", from->version, "to", to->version, "scenarios",
			 diff_kind(from->body, to->body, 0), "objectives", diff_kind(from->body, to->body, 1),
			 "countermeasures", diff_kind(from->body, to->body, 2));
}
