/* risk_worksheet.c: the risk evaluation worksheet (リスク評価ワークシート) as one canonical JSON
 * document: loading it from its rows, checking it whole against the guideline and the
 * countermeasure set, writing back only what changed, and the content hash the CISO's
 * approval is bound to. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/risk_impl.h"
#include "store/store_batch.h"

int risk_assessment_load(struct store *db, int64_t id, struct risk_assessment *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT a.id, a.org, a.fiscal_year, a.set_id, s.version, a.state, a.revision, "
			       "a.infosec_agreed_by, a.infoprotect_agreed_by, a.approval_state, a.approved_hash, "
			       "a.dashboard_hash FROM risk_assessments a JOIN risk_sets s ON s.id = a.set_id "
			       "WHERE a.id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	out->id = store_column_int64(st, 0);
	risk_copy(out->org, sizeof(out->org), store_column_text(st, 1));
	out->fiscal_year = (int)store_column_int64(st, 2);
	out->set_id = store_column_int64(st, 3);
	risk_copy(out->set_version, sizeof(out->set_version), store_column_text(st, 4));
	risk_copy(out->state, sizeof(out->state), store_column_text(st, 5));
	out->revision = store_column_int64(st, 6);
	out->infosec_agreed = !store_column_is_null(st, 7);
	out->infoprotect_agreed = !store_column_is_null(st, 8);
	risk_copy(out->approval_state, sizeof(out->approval_state), store_column_text(st, 9));
	risk_copy(out->approved_hash, sizeof(out->approved_hash), store_column_text(st, 10));
	risk_copy(out->dashboard_hash, sizeof(out->dashboard_hash), store_column_text(st, 11));
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A stored JSON array column, or an empty array. */
static json_t *array_column(const char *text)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

int risk_ws_load(struct store *db, int64_t assessment_id, json_t **out)
{
	json_t *ws = json_object(), *domains = json_array(), *systems = json_array();
	json_t *by_name = json_object(); /* system name -> system (borrowed) */
	json_object_set_new(ws, "domains", domains);
	json_object_set_new(ws, "systems", systems);
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT name, reason, categories, impact, protected FROM risk_domains "
			       "WHERE assessment_id = $1",
			       &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, assessment_id);
		while ((rc = store_step(st)) == STORE_ROW)
			json_array_append_new(
				domains, json_pack("{s:s, s:s, s:o, s:o, s:b}", "name", store_column_text(st, 0), "reason",
						   store_column_text(st, 1), "categories", array_column(store_column_text(st, 2)),
						   "impact", text_or_null(store_column_text(st, 3)), "protected",
						   store_column_int64(st, 4) != 0));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = store_prepare(db,
				   "SELECT name, domain, criterion, components, built_on, air_gapped_counterpart, "
				   "pulled_in_by, residual_risk, plan_drafted, plan_review FROM risk_systems "
				   "WHERE assessment_id = $1",
				   &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, assessment_id);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_t *s = json_pack(
				"{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:[], s:o, s:o}", "name",
				store_column_text(st, 0), "domain", store_column_text(st, 1), "criterion",
				(json_int_t)store_column_int64(st, 2), "components", array_column(store_column_text(st, 3)),
				"built_on", text_or_null(store_column_text(st, 4)), "air_gapped_counterpart",
				text_or_null(store_column_text(st, 5)), "pulled_in_by", text_or_null(store_column_text(st, 6)),
				"residual_risk", text_or_null(store_column_text(st, 7)), "checks", "plan",
				store_column_int64(st, 8) ? json_array() : json_null(), "plan_review",
				text_or_null(store_column_text(st, 9)));
			json_object_set(by_name, store_column_text(st, 0), s);
			json_array_append_new(systems, s);
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = store_prepare(db,
				   "SELECT system, countermeasure, component, implemented FROM risk_checks "
				   "WHERE assessment_id = $1",
				   &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, assessment_id);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_t *s = json_object_get(by_name, store_column_text(st, 0));
			if (s)
				json_array_append_new(json_object_get(s, "checks"),
						      json_pack("{s:s, s:s, s:b}", "countermeasure", store_column_text(st, 1),
								"component", store_column_text(st, 2), "implemented",
								store_column_int64(st, 3) != 0));
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = store_prepare(db,
				   "SELECT system, countermeasure, fiscal_year FROM risk_plan_items WHERE assessment_id = $1",
				   &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, assessment_id);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_t *s = json_object_get(by_name, store_column_text(st, 0));
			json_t *plan = json_object_get(s, "plan");
			if (json_is_array(plan))
				json_array_append_new(plan, json_pack("{s:s, s:I}", "countermeasure", store_column_text(st, 1),
								      "fiscal_year", (json_int_t)store_column_int64(st, 2)));
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_decref(by_name);
	if (rc != CSHQ_OK) {
		json_decref(ws);
		return rc;
	}
	risk_ws_canonicalise(ws);
	*out = ws;
	return CSHQ_OK;
}

/* ---- canonical order ---- */

struct sort_keys {
	const char *k1, *k2;
};

static int cmp_field(json_t *a, json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);
	if (json_is_integer(x) && json_is_integer(y)) {
		json_int_t p = json_integer_value(x), q = json_integer_value(y);
		return p < q ? -1 : p > q;
	}
	const char *s = json_string_value(x), *t = json_string_value(y);
	return strcmp(s ? s : "", t ? t : "");
}

static int cmp_objects(json_t *a, json_t *b, const struct sort_keys *k)
{
	int c = cmp_field(a, b, k->k1);
	if (c == 0 && k->k2)
		c = cmp_field(a, b, k->k2);
	return c;
}

/* A stable merge sort with the keys passed along (qsort has no context argument). */
static void merge_sort(json_t **v, json_t **tmp, size_t n, const struct sort_keys *k)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(v, tmp, h, k);
	merge_sort(v + h, tmp, n - h, k);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		tmp[o++] = cmp_objects(v[j], v[i], k) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[o++] = v[i++];
	while (j < n)
		tmp[o++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Sorts an array of objects by one or two fields, in place (byte order of UTF-8, the
 * same on every store, unlike ORDER BY under a PostgreSQL collation). */
static void sort_objects(json_t *arr, const char *k1, const char *k2)
{
	size_t n = json_array_size(arr);
	if (n < 2)
		return;
	json_t **v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	struct sort_keys keys = {k1, k2};
	json_t **tmp = xcalloc(n, sizeof(*tmp));
	merge_sort(v, tmp, n, &keys);
	free(tmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

static void sort_strings_in(json_t *obj, const char *key)
{
	json_t *a = json_object_get(obj, key);
	if (json_is_array(a))
		json_object_set_new(obj, key, risk_sorted_strings(a));
}

void risk_ws_canonicalise(json_t *ws)
{
	json_t *domains = json_object_get(ws, "domains"), *systems = json_object_get(ws, "systems");
	size_t i;
	json_t *d, *s;
	sort_objects(domains, "name", NULL);
	json_array_foreach(domains, i, d) sort_strings_in(d, "categories");
	sort_objects(systems, "name", NULL);
	json_array_foreach(systems, i, s)
	{
		sort_strings_in(s, "components");
		sort_objects(json_object_get(s, "checks"), "countermeasure", "component");
		sort_objects(json_object_get(s, "plan"), "fiscal_year", "countermeasure");
	}
}

json_t *risk_ws_domain(json_t *ws, const char *name)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(ws, "domains"), i, d) if (name && strcmp(risk_str(d, "name"), name) == 0) return d;
	return NULL;
}

json_t *risk_ws_system(json_t *ws, const char *name)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(ws, "systems"), i, s) if (name && strcmp(risk_str(s, "name"), name) == 0) return s;
	return NULL;
}

void risk_ws_cm_counts(json_t *system, const char *cm, int *implemented, int *applicable)
{
	*implemented = *applicable = 0;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(system, "checks"), i, c)
	{
		if (strcmp(risk_str(c, "countermeasure"), cm) != 0)
			continue;
		(*applicable)++;
		if (json_is_true(json_object_get(c, "implemented")))
			(*implemented)++;
	}
}

json_t *risk_ws_cm_table(json_t *system)
{
	json_t *t = json_object();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(system, "checks"), i, c)
	{
		const char *cm = risk_str(c, "countermeasure");
		if (!cm)
			continue;
		json_t *counts = json_object_get(t, cm);
		if (!counts) {
			counts = json_pack("[i, i]", 0, 0);
			json_object_set_new(t, cm, counts);
		}
		json_array_set_new(counts, 1, json_integer(json_integer_value(json_array_get(counts, 1)) + 1));
		if (json_is_true(json_object_get(c, "implemented")))
			json_array_set_new(counts, 0, json_integer(json_integer_value(json_array_get(counts, 0)) + 1));
	}
	return t;
}

void risk_ws_table_counts(json_t *table, const char *cm, int *implemented, int *applicable)
{
	json_t *counts = json_object_get(table, cm);
	*implemented = (int)json_integer_value(json_array_get(counts, 0));
	*applicable = (int)json_integer_value(json_array_get(counts, 1));
}

const char *risk_ws_stage(json_t *ws)
{
	json_t *domains = json_object_get(ws, "domains"), *systems = json_object_get(ws, "systems");
	if (json_array_size(domains) == 0)
		return "domain_selection";
	size_t i;
	json_t *d, *s;
	bool any_protected = false;
	json_array_foreach(domains, i, d)
	{
		if (json_is_null(json_object_get(d, "impact")))
			return "impact_assessment";
		if (json_is_true(json_object_get(d, "protected")))
			any_protected = true;
	}
	if (!any_protected)
		return "impact_assessment";
	if (json_array_size(systems) == 0)
		return "target_systems";
	json_array_foreach(systems, i, s) if (json_is_null(json_object_get(s, "residual_risk")) ||
					      json_array_size(json_object_get(s, "components")) == 0) return "target_systems";
	return "planning";
}

/* ---- validation ---- */

static const char *const REASONS[] = {"sensitive", "grave_impact", "confidential", NULL};
static const char *const CATEGORIES[] = {"national_security", "foreign_relations", "public_safety", NULL};
static const char *const RESIDUAL[] = {"high", "medium", "low", NULL};

static bool in_list(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static bool keys_ok(json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) if (!in_list(key, allowed)) return false;
	return true;
}

/* null, or a text within max */
static bool opt_text(json_t *v, size_t max, bool multiline)
{
	return json_is_null(v) || risk_text_ok(json_string_value(v), max, multiline);
}

static bool distinct_strings(json_t *a)
{
	size_t n = json_array_size(a);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(json_string_value(json_array_get(a, i)), json_string_value(json_array_get(a, j))) == 0)
				return false;
	return true;
}

static bool has_string(json_t *a, const char *v)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) if (json_is_string(x) && strcmp(json_string_value(x), v) == 0) return true;
	return false;
}

static int validate_domains(json_t *domains, char *err, size_t errlen)
{
	static const char *const keys[] = {"name", "reason", "categories", "impact", "protected", NULL};
	if (!json_is_array(domains) || json_array_size(domains) > RISK_MAX_DOMAINS)
		return risk_fail(err, errlen, "domains: at most %d business domains", RISK_MAX_DOMAINS);
	bool first_kind = false, confidential = false;
	size_t i, k;
	json_t *d, *c;
	json_array_foreach(domains, i, d)
	{
		if (!json_is_object(d) || !keys_ok(d, keys))
			return risk_fail(err, errlen, "domains[%zu]: an object {name, reason, categories, impact, protected}", i);
		const char *name = risk_str(d, "name"), *reason = risk_str(d, "reason");
		json_t *cats = json_object_get(d, "categories");
		if (!risk_text_ok(name, RISK_NAME_MAX, false))
			return risk_fail(err, errlen, "domains[%zu]: name is a text of 1 to %d bytes", i, RISK_NAME_MAX);
		if (!in_list(reason, REASONS))
			return risk_fail(err, errlen, "domain \"%.80s\": reason is sensitive, grave_impact or confidential", name);
		if (!json_is_array(cats) || !distinct_strings(cats))
			return risk_fail(err, errlen, "domain \"%.80s\": categories is an array of distinct codes", name);
		json_array_foreach(cats, k, c) if (!in_list(json_string_value(c), CATEGORIES)) return risk_fail(
			err, errlen, "domain \"%.80s\": categories are national_security, foreign_relations, public_safety", name);
		if (strcmp(reason, "sensitive") == 0 && json_array_size(cats) == 0)
			return risk_fail(err, errlen,
					 "domain \"%.80s\": a sensitive domain (機微業務領域) names the categories of information that make it one",
					 name);
		if (strcmp(reason, "sensitive") != 0 && json_array_size(cats) != 0)
			return risk_fail(err, errlen, "domain \"%.80s\": categories apply to sensitive domains only", name);
		if (!opt_text(json_object_get(d, "impact"), RISK_TEXT_MAX, true))
			return risk_fail(err, errlen, "domain \"%.80s\": impact is a text of 1 to %d bytes", name, RISK_TEXT_MAX);
		if (!json_is_boolean(json_object_get(d, "protected")))
			return risk_fail(err, errlen, "domain \"%.80s\": protected is true or false", name);
		if (json_is_true(json_object_get(d, "protected")) && json_is_null(json_object_get(d, "impact")))
			return risk_fail(err, errlen, "domain \"%.80s\": protected before its impact was assessed", name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(risk_str(json_array_get(domains, j), "name"), name) == 0)
				return risk_fail(err, errlen, "domain \"%.80s\" appears twice", name);
		if (strcmp(reason, "confidential") == 0)
			confidential = true;
		else
			first_kind = true;
	}
	if (first_kind && confidential)
		return risk_fail(err, errlen,
				 "domains: a domain chosen for routinely handled confidential information (②) is selected "
				 "only when no domain qualifies under ①");
	return CSHQ_OK;
}

static int validate_system(json_t *ws, json_t *s, const struct risk_set *set, int fy, char *err,
			   size_t errlen)
{
	static const char *const keys[] = {"name", "domain", "criterion", "components", "built_on",
					   "air_gapped_counterpart", "pulled_in_by", "residual_risk",
					   "checks", "plan", "plan_review", NULL};
	if (!json_is_object(s) || !keys_ok(s, keys))
		return risk_fail(err, errlen, "systems: objects with the fields of a target system");
	const char *name = risk_str(s, "name");
	if (!risk_text_ok(name, RISK_NAME_MAX, false))
		return risk_fail(err, errlen, "systems: name is a text of 1 to %d bytes", RISK_NAME_MAX);
	json_t *dom = risk_ws_domain(ws, risk_str(s, "domain"));
	if (!dom || !json_is_true(json_object_get(dom, "protected")))
		return risk_fail(err, errlen, "system \"%.80s\": domain must name a protected domain", name);
	json_t *crit = json_object_get(s, "criterion");
	json_int_t criterion = json_is_integer(crit) ? json_integer_value(crit) : 0;
	if (criterion != 1 && criterion != 2)
		return risk_fail(err, errlen, "system \"%.80s\": criterion is 1 or 2", name);
	json_t *gap = json_object_get(s, "air_gapped_counterpart");
	if (!opt_text(gap, RISK_NAME_MAX, false))
		return risk_fail(err, errlen, "system \"%.80s\": air_gapped_counterpart is a text of 1 to %d bytes", name, RISK_NAME_MAX);
	if (criterion == 2 && json_is_null(gap))
		return risk_fail(err, errlen,
				 "system \"%.80s\": criterion 2 applies to a system exchanging the domain's data with an "
				 "air-gapped system: name that system in air_gapped_counterpart",
				 name);
	if (criterion == 1 && !json_is_null(gap))
		return risk_fail(err, errlen, "system \"%.80s\": air_gapped_counterpart belongs to criterion 2", name);
	json_t *comps = json_object_get(s, "components");
	size_t i;
	json_t *v;
	if (!json_is_array(comps) || json_array_size(comps) > RISK_MAX_COMPONENTS || !distinct_strings(comps))
		return risk_fail(err, errlen, "system \"%.80s\": components is an array of at most %d distinct codes", name,
				 RISK_MAX_COMPONENTS);
	json_array_foreach(comps, i, v) if (!risk_id_ok(json_string_value(v))) return risk_fail(
		err, errlen, "system \"%.80s\": components are codes of A-Z a-z 0-9 . _ -", name);
	json_t *built_on = json_object_get(s, "built_on"), *pulled = json_object_get(s, "pulled_in_by");
	if (!opt_text(built_on, RISK_NAME_MAX, false) || !opt_text(pulled, RISK_NAME_MAX, false))
		return risk_fail(err, errlen, "system \"%.80s\": built_on and pulled_in_by name systems", name);
	if (!json_is_null(built_on)) {
		const char *b = json_string_value(built_on);
		if (strcmp(b, name) == 0 || !risk_ws_system(ws, b))
			return risk_fail(err, errlen,
					 "system \"%.80s\": built_on names another target system (the system it is built on "
					 "joins the assessment)",
					 name);
		/* no cycle: following built_on ends within the number of systems */
		size_t steps = 0, n = json_array_size(json_object_get(ws, "systems"));
		for (json_t *x = s; x && !json_is_null(json_object_get(x, "built_on")); steps++) {
			if (steps > n)
				return risk_fail(err, errlen, "system \"%.80s\": built_on forms a cycle", name);
			x = risk_ws_system(ws, risk_str(x, "built_on"));
		}
	}
	if (!json_is_null(pulled)) {
		json_t *dep = risk_ws_system(ws, json_string_value(pulled));
		if (!dep || !json_is_string(json_object_get(dep, "built_on")) || strcmp(risk_str(dep, "built_on"), name) != 0)
			return risk_fail(err, errlen, "system \"%.80s\": pulled_in_by names a system built on it", name);
	}
	json_t *residual = json_object_get(s, "residual_risk");
	if (!json_is_null(residual) && !in_list(json_string_value(residual), RESIDUAL))
		return risk_fail(err, errlen, "system \"%.80s\": residual_risk is high, medium or low", name);
	bool checked = !json_is_null(residual);
	if (checked && json_array_size(comps) == 0)
		return risk_fail(err, errlen, "system \"%.80s\": its components are listed before it is checked", name);
	/* checks: applicable pairs, each once; all of them once the system is checked */
	json_t *checks = json_object_get(s, "checks");
	if (!json_is_array(checks) || json_array_size(checks) > RISK_MAX_CHECKS)
		return risk_fail(err, errlen, "system \"%.80s\": checks is an array", name);
	size_t applicable = risk_set_applicable(set, comps);
	static const char *const check_keys[] = {"countermeasure", "component", "implemented", NULL};
	json_t *seen = json_object();
	int rc = CSHQ_OK;
	json_array_foreach(checks, i, v)
	{
		const char *cm = risk_str(v, "countermeasure"), *comp = risk_str(v, "component");
		if (!json_is_object(v) || !keys_ok(v, check_keys) || !cm || !comp ||
		    !json_is_boolean(json_object_get(v, "implemented"))) {
			rc = risk_fail(err, errlen, "system \"%.80s\": checks are {countermeasure, component, implemented}", name);
			break;
		}
		if (!risk_set_find(set, cm, comp) || !has_string(comps, comp)) {
			rc = risk_fail(err, errlen,
				       "system \"%.80s\": countermeasure \"%.64s\" of set %s does not apply to component \"%.64s\" of this system",
				       name, cm, set->version, comp);
			break;
		}
		char key[2 * RISK_ID_MAX + 4];
		snprintf(key, sizeof(key), "%s\n%s", cm, comp);
		if (json_object_get(seen, key)) {
			rc = risk_fail(err, errlen, "system \"%.80s\": countermeasure \"%.64s\" on \"%.64s\" is checked twice", name, cm, comp);
			break;
		}
		json_object_set_new(seen, key, json_true());
	}
	json_decref(seen);
	if (rc != CSHQ_OK)
		return rc;
	if (checked && json_array_size(checks) != applicable)
		return risk_fail(err, errlen,
				 "system \"%.80s\": the check records every countermeasure of set %s that applies to a component "
				 "of the system (%zu), not %zu",
				 name, set->version, applicable, json_array_size(checks));
	if (!opt_text(json_object_get(s, "plan_review"), RISK_TEXT_MAX, true))
		return risk_fail(err, errlen, "system \"%.80s\": plan_review is a text of 1 to %d bytes", name, RISK_TEXT_MAX);
	json_t *plan = json_object_get(s, "plan");
	if (json_is_null(plan))
		return CSHQ_OK;
	if (!json_is_array(plan))
		return risk_fail(err, errlen, "system \"%.80s\": plan is null or an array", name);
	if (!checked)
		return risk_fail(err, errlen, "system \"%.80s\": a plan is drafted once the system's current state is checked", name);
	static const char *const item_keys[] = {"countermeasure", "fiscal_year", NULL};
	json_t *table = risk_ws_cm_table(s), *planned = json_object();
	json_array_foreach(plan, i, v)
	{
		const char *cm = risk_str(v, "countermeasure");
		json_t *y = json_object_get(v, "fiscal_year");
		if (!json_is_object(v) || !keys_ok(v, item_keys) || !cm || !json_is_integer(y)) {
			rc = risk_fail(err, errlen, "system \"%.80s\": plan items are {countermeasure, fiscal_year}", name);
			break;
		}
		json_int_t year = json_integer_value(y);
		int impl, app;
		risk_ws_table_counts(table, cm, &impl, &app);
		if (year < fy || year > fy + RISK_PLAN_YEARS)
			rc = risk_fail(err, errlen, "system \"%.80s\": countermeasure \"%.64s\" is planned for fiscal year %d to %d",
				       name, cm, fy, fy + RISK_PLAN_YEARS);
		else if (app == 0)
			rc = risk_fail(err, errlen, "system \"%.80s\": countermeasure \"%.64s\" does not apply to this system", name, cm);
		else if (impl == app)
			rc = risk_fail(err, errlen, "system \"%.80s\": countermeasure \"%.64s\" is already implemented", name, cm);
		else if (json_object_get(planned, cm))
			rc = risk_fail(err, errlen, "system \"%.80s\": countermeasure \"%.64s\" is planned twice", name, cm);
		if (rc != CSHQ_OK)
			break;
		json_object_set_new(planned, cm, json_true());
	}
	/* the plan reaches the control objectives: every countermeasure not yet implemented on
	 * the system has its fiscal year */
	if (rc == CSHQ_OK) {
		const char *cm;
		json_t *counts;
		json_object_foreach(table, cm, counts)
		{
			if (json_integer_value(json_array_get(counts, 0)) == json_integer_value(json_array_get(counts, 1)) ||
			    json_object_get(planned, cm))
				continue;
			rc = risk_fail(err, errlen,
				       "system \"%.80s\": countermeasure \"%.64s\" is not implemented and has no fiscal year in the "
				       "plan; the plan reaches every control objective of the set",
				       name, cm);
			break;
		}
	}
	json_decref(table);
	json_decref(planned);
	return rc;
}

int risk_ws_validate(json_t *ws, const struct risk_set *set, int fiscal_year, char *err,
		     size_t errlen)
{
	static const char *const keys[] = {"domains", "systems", NULL};
	if (!json_is_object(ws) || !keys_ok(ws, keys))
		return risk_fail(err, errlen, "the worksheet is {domains, systems}");
	int rc = validate_domains(json_object_get(ws, "domains"), err, errlen);
	if (rc != CSHQ_OK)
		return rc;
	json_t *systems = json_object_get(ws, "systems");
	if (!json_is_array(systems) || json_array_size(systems) > RISK_MAX_SYSTEMS)
		return risk_fail(err, errlen, "systems: at most %d target systems", RISK_MAX_SYSTEMS);
	size_t i, total = 0;
	json_t *s;
	json_array_foreach(systems, i, s)
	{
		if ((rc = validate_system(ws, s, set, fiscal_year, err, errlen)) != CSHQ_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(risk_str(json_array_get(systems, j), "name"), risk_str(s, "name")) == 0)
				return risk_fail(err, errlen, "system \"%.80s\" appears twice", risk_str(s, "name"));
		total += json_array_size(json_object_get(s, "checks"));
		if (total > RISK_MAX_CHECKS)
			return risk_fail(err, errlen, "at most %d checks in a worksheet", RISK_MAX_CHECKS);
	}
	return CSHQ_OK;
}

/* ---- writing ---- */

static int exec_id(struct store *db, const char *sql, int64_t id, const char *name)
{
	struct store_stmt *st;
	int rc = store_prepare(db, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	if (name)
		store_bind_text(st, 2, name);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static void bind_opt_text(struct store_stmt *st, int n, json_t *v)
{
	if (json_is_string(v))
		store_bind_text(st, n, json_string_value(v));
	else
		store_bind_null(st, n);
}

static int insert_domains(struct store *db, int64_t id, json_t *domains)
{
	size_t i;
	json_t *d;
	json_array_foreach(domains, i, d)
	{
		struct store_stmt *st;
		int rc = store_prepare(db,
				       "INSERT INTO risk_domains (assessment_id, name, reason, categories, impact, protected) "
				       "VALUES ($1, $2, $3, $4, $5, $6)",
				       &st);
		if (rc != CSHQ_OK)
			return rc;
		char *cats = json_dumps(json_object_get(d, "categories"), JSON_COMPACT);
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, risk_str(d, "name"));
		store_bind_text(st, 3, risk_str(d, "reason"));
		store_bind_text(st, 4, cats);
		bind_opt_text(st, 5, json_object_get(d, "impact"));
		store_bind_int64(st, 6, json_is_true(json_object_get(d, "protected")));
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		free(cats);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

static int delete_system(struct store *db, int64_t id, const char *name)
{
	int rc = exec_id(db, "DELETE FROM risk_checks WHERE assessment_id = $1 AND system = $2", id, name);
	if (rc == CSHQ_OK)
		rc = exec_id(db, "DELETE FROM risk_plan_items WHERE assessment_id = $1 AND system = $2", id, name);
	if (rc == CSHQ_OK)
		rc = exec_id(db, "DELETE FROM risk_systems WHERE assessment_id = $1 AND name = $2", id, name);
	return rc;
}

static int insert_system(struct store *db, int64_t id, json_t *s)
{
	const char *name = risk_str(s, "name");
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "INSERT INTO risk_systems (assessment_id, name, domain, criterion, components, built_on, "
			       "air_gapped_counterpart, pulled_in_by, residual_risk, plan_drafted, plan_review) VALUES "
			       "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	char *comps = json_dumps(json_object_get(s, "components"), JSON_COMPACT);
	store_bind_int64(st, 1, id);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, risk_str(s, "domain"));
	store_bind_int64(st, 4, json_integer_value(json_object_get(s, "criterion")));
	store_bind_text(st, 5, comps);
	bind_opt_text(st, 6, json_object_get(s, "built_on"));
	bind_opt_text(st, 7, json_object_get(s, "air_gapped_counterpart"));
	bind_opt_text(st, 8, json_object_get(s, "pulled_in_by"));
	bind_opt_text(st, 9, json_object_get(s, "residual_risk"));
	store_bind_int64(st, 10, json_is_array(json_object_get(s, "plan")));
	bind_opt_text(st, 11, json_object_get(s, "plan_review"));
	rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	free(comps);
	if (rc != CSHQ_OK)
		return rc;
	size_t i;
	json_t *c;
	json_t *checks = json_object_get(s, "checks"), *plan = json_object_get(s, "plan");
	if (json_array_size(checks)) {
		struct store_batch *b;
		rc = store_batch_begin(db,
				       "INSERT INTO risk_checks (assessment_id, system, countermeasure, component, implemented) "
				       "VALUES ($1, $2, $3, $4, $5)",
				       &b);
		json_array_foreach(checks, i, c)
		{
			if (rc != CSHQ_OK)
				break;
			struct store_stmt *bs = store_batch_stmt(b);
			store_bind_int64(bs, 1, id);
			store_bind_text(bs, 2, name);
			store_bind_text(bs, 3, risk_str(c, "countermeasure"));
			store_bind_text(bs, 4, risk_str(c, "component"));
			store_bind_int64(bs, 5, json_is_true(json_object_get(c, "implemented")));
			rc = store_batch_add(b);
		}
		int end = store_batch_end(b, NULL);
		if (rc == CSHQ_OK)
			rc = end;
	}
	json_array_foreach(plan, i, c)
	{
		if (rc != CSHQ_OK)
			break;
		rc = store_prepare(db,
				   "INSERT INTO risk_plan_items (assessment_id, system, countermeasure, fiscal_year) "
				   "VALUES ($1, $2, $3, $4)",
				   &st);
		if (rc != CSHQ_OK)
			break;
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, name);
		store_bind_text(st, 3, risk_str(c, "countermeasure"));
		store_bind_int64(st, 4, json_integer_value(json_object_get(c, "fiscal_year")));
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	return rc;
}

int risk_ws_save(struct store *db, int64_t assessment_id, int64_t revision, json_t *ws)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "UPDATE risk_assessments SET revision = revision + 1, updated_at = $3 "
			       "WHERE id = $1 AND revision = $2",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, assessment_id);
	store_bind_int64(st, 2, revision);
	store_bind_int64(st, 3, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	if (store_changes(st) != 1)
		return CSHQ_ECONFLICT; /* another request changed the worksheet meanwhile */
	json_t *old;
	if ((rc = risk_ws_load(db, assessment_id, &old)) != CSHQ_OK)
		return rc;
	risk_ws_canonicalise(ws);
	if (!json_equal(json_object_get(old, "domains"), json_object_get(ws, "domains"))) {
		rc = exec_id(db, "DELETE FROM risk_domains WHERE assessment_id = $1", assessment_id, NULL);
		if (rc == CSHQ_OK)
			rc = insert_domains(db, assessment_id, json_object_get(ws, "domains"));
	}
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(old, "systems"), i, s)
	{
		if (rc != CSHQ_OK)
			break;
		json_t *now = risk_ws_system(ws, risk_str(s, "name"));
		if (!now || !json_equal(now, s))
			rc = delete_system(db, assessment_id, risk_str(s, "name"));
	}
	json_array_foreach(json_object_get(ws, "systems"), i, s)
	{
		if (rc != CSHQ_OK)
			break;
		json_t *before = risk_ws_system(old, risk_str(s, "name"));
		if (!before || !json_equal(before, s))
			rc = insert_system(db, assessment_id, s);
	}
	json_decref(old);
	return rc;
}

void risk_ws_hash(const char *org, int fiscal_year, const char *set_version, json_t *ws,
		  char out[65])
{
	risk_ws_canonicalise(ws);
	json_t *doc = json_pack("{s:s, s:i, s:s, s:O}", "org", org, "fiscal_year", fiscal_year,
				"countermeasure_set", set_version, "worksheet", ws);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof(h));
	free(text);
	json_decref(doc);
}
