/* risk_machine.c: the assessment cycle as a workflow table (RiskGuideline Part 2): the ten
 * steps in order, each by the department role the guideline names, each citing its
 * provision. Steps that change the worksheet build the new worksheet and check it whole
 * (422), the rule of the step is the guard (409 with basis), and the effect writes it.
 * A change after the CISO's approval voids the approval and takes the cycle back to the
 * stage the change belongs to. */
#include <stdlib.h>
#include <string.h>

#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/registry.h"
#include "modules/risk_impl.h"

/* ---- states ---- */

static const char *const STATES[] = {
	"preparation",       /* 1: departments agree their roles */
	"domain_selection",  /* 2 */
	"impact_assessment", /* 3 */
	"target_systems",    /* 4 and 5 */
	"planning",          /* 6 and 7 */
	"finalised",         /* 8: dashboard */
	"awaiting_approval", /* 8: CISO decision */
	"approved",          /* 9: report */
	"at_ministry",       /* 9: an IAI's or designated corporation's report at its ministry */
	"reported",          /* 10: at NISC */
	"accepted",
	NULL,
};

int risk_state_rank(const char *state)
{
	for (int i = 0; STATES[i]; i++)
		if (state && strcmp(STATES[i], state) == 0)
			return i;
	return -1;
}

/* ---- the record ---- */

struct risk_rec {
	struct risk_assessment a;
	struct risk_set set;
	bool set_loaded;
	json_t *ws;      /* the stored worksheet, loaded on first use */
	json_t *next_ws; /* the worksheet after the step */
	char next_hash[65];
	struct risk_set new_set; /* change_countermeasure_set */
	bool new_set_loaded;
};

static int load(struct wf_ctx *ctx)
{
	struct risk_rec *r = xcalloc(1, sizeof(*r));
	int rc = risk_assessment_load(ctx->db, ctx->id, &r->a);
	if (rc != CSHQ_OK) {
		free(r);
		return rc;
	}
	ctx->record = r;
	risk_copy(ctx->state, sizeof(ctx->state), r->a.state);
	risk_copy(ctx->subject_org, sizeof(ctx->subject_org), r->a.org);
	ctx->confidentiality = 0;
	return CSHQ_OK;
}

static void unload(struct wf_ctx *ctx)
{
	struct risk_rec *r = ctx->record;
	risk_set_release(&r->set);
	risk_set_release(&r->new_set);
	json_decref(r->ws);
	json_decref(r->next_ws);
	free(r);
	ctx->record = NULL;
}

static struct risk_rec *rec(struct wf_ctx *ctx)
{
	return ctx->record;
}

/* The set and the stored worksheet (and a copy to change as next_ws). */
static int open_ws(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	int rc = CSHQ_OK;
	if (!r->set_loaded && (rc = risk_set_load(ctx->db, NULL, r->a.set_id, &r->set)) == CSHQ_OK)
		r->set_loaded = true;
	if (rc == CSHQ_OK && !r->ws && (rc = risk_ws_load(ctx->db, r->a.id, &r->ws)) == CSHQ_OK)
		r->next_ws = json_deep_copy(r->ws);
	if (rc != CSHQ_OK)
		ctx->status = 500;
	return rc;
}

/* ---- citations ---- */

#define RG(a, p, i) {"RiskGuideline", a, p, i}
static const struct wf_cite CITE_PREP[] = {RG("2.2", 1, 1)};
static const struct wf_cite CITE_PROTECT[] = {RG("2.2", 2, 1)};
static const struct wf_cite CITE_TARGET[] = {RG("2.2", 2, 2)};
static const struct wf_cite CITE_PLAN[] = {RG("2.2", 3, 1)};
static const struct wf_cite CITE_COORD[] = {RG("2.2", 3, 2)};
static const struct wf_cite CITE_DASH[] = {RG("2.2", 4, 1), RG("3.2", 0, 0)};
static const struct wf_cite CITE_REPORT[] = {RG("3.3", 0, 0)};
static const struct wf_cite CITE_SET[] = {RG("1.3", 0, 0), RG("4.3", 2, 0)};
#define N(c) CSHQ_ARRAY_LEN(c)

/* A 422 naming the step's provisions. */
static int bad_input(struct wf_ctx *ctx, const char *msg)
{
	const struct wf_cite *b = ctx->step->basis;
	size_t n = 0;
	while (n < 3 && b[n].doc)
		n++;
	return wf_refuse(ctx, 422, msg, b, n);
}

static int only(struct wf_ctx *ctx, const char *const *keys)
{
	const char *key;
	json_t *v;
	json_object_foreach(ctx->input, key, v)
	{
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			if (strcmp(*k, key) == 0)
				ok = true;
		if (!ok) {
			char msg[160];
			snprintf(msg, sizeof(msg), "unknown field \"%.100s\"", key);
			return wf_refuse(ctx, 422, msg, NULL, 0);
		}
	}
	return CSHQ_OK;
}

/* Checks next_ws whole; 422 with the step's basis. */
static int validate_next(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	char err[300];
	risk_ws_canonicalise(r->next_ws);
	if (risk_ws_validate(r->next_ws, &r->set, r->a.fiscal_year, err, sizeof(err)) != CSHQ_OK)
		return bad_input(ctx, err);
	return CSHQ_OK;
}

static int exec_sql(struct wf_ctx *ctx, const char *sql, const char *text)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	if (text)
		store_bind_text(st, 2, text);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static json_t *step_basis(struct wf_ctx *ctx)
{
	return wf_cites_json(ctx->step->basis, 3, ctx->date);
}

static int notify(struct wf_ctx *ctx, const char *org, const char *role, const char *subject)
{
	json_t *b = step_basis(ctx);
	int rc = notice_send(ctx->db, org, role, subject, RISK_KIND, ctx->id, b);
	json_decref(b);
	return rc;
}

/* Writes next_ws; a change in or after the CISO's approval voids it; without an explicit
 * target the cycle goes back to the earliest of its state, planning and the stage the new
 * content has reached (it never moves forward: each step stays with its department). */
static int commit_edit(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	int rc = risk_ws_save(ctx->db, r->a.id, r->a.revision, r->next_ws);
	if (rc == CSHQ_ECONFLICT)
		return wf_refuse(ctx, 409, "the worksheet changed meanwhile; reload and try again", NULL, 0);
	if (rc != CSHQ_OK)
		return rc;
	risk_ws_hash(r->a.org, r->a.fiscal_year, r->new_set_loaded ? r->new_set.version : r->a.set_version,
		     r->next_ws, r->next_hash);
	json_object_set_new(ctx->detail, "content_hash", json_string(r->next_hash));
	if (strcmp(r->a.approval_state, "approved") == 0) {
		rc = exec_sql(ctx, "UPDATE risk_assessments SET approval_state = 'void' WHERE id = $1", NULL);
		if (rc != CSHQ_OK)
			return rc;
		json_object_set_new(ctx->detail, "approval", json_string("void"));
		json_object_set_new(ctx->detail, "approved_hash", json_string(r->a.approved_hash));
	}
	if (!ctx->step->to) {
		int target = risk_state_rank(r->a.state);
		int planning = risk_state_rank("planning"), stage = risk_state_rank(risk_ws_stage(r->next_ws));
		if (target > planning)
			target = planning;
		if (target > stage)
			target = stage;
		ctx->next_state = STATES[target];
	}
	return CSHQ_OK;
}

/* ---- 1. preparation: agree roles (2.2(1)ア) ---- */

static int agree_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	json_t *note = json_object_get(ctx->input, "note");
	if (note && !json_is_null(note) && !risk_text_ok(json_string_value(note), RISK_TEXT_MAX, true))
		return bad_input(ctx, "note: a text of 1 to 4000 bytes");
	return CSHQ_OK;
}

static bool acts_as(struct wf_ctx *ctx, enum role role)
{
	return principal_has(ctx->who, role);
}

static int agree_guard(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	bool pending = (acts_as(ctx, ROLE_INFOSEC) && !r->a.infosec_agreed) ||
		       (acts_as(ctx, ROLE_INFOPROTECT) && !r->a.infoprotect_agreed);
	if (!pending)
		return wf_refuse(ctx, 409, "your department has already recorded its agreement on the roles", CITE_PREP,
				 N(CITE_PREP));
	return CSHQ_OK;
}

static int agree_effect(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	int rc = CSHQ_OK;
	json_t *depts = json_array();
	if (acts_as(ctx, ROLE_INFOSEC) && !r->a.infosec_agreed) {
		rc = exec_sql(ctx, "UPDATE risk_assessments SET infosec_agreed_by = $2 WHERE id = $1", ctx->who->login);
		r->a.infosec_agreed = true;
		json_array_append_new(depts, json_string("infosec"));
	}
	if (rc == CSHQ_OK && acts_as(ctx, ROLE_INFOPROTECT) && !r->a.infoprotect_agreed) {
		rc = exec_sql(ctx, "UPDATE risk_assessments SET infoprotect_agreed_by = $2 WHERE id = $1", ctx->who->login);
		r->a.infoprotect_agreed = true;
		json_array_append_new(depts, json_string("infoprotect"));
	}
	const char *note = risk_str(ctx->input, "note");
	if (rc == CSHQ_OK && note) {
		rc = exec_sql(ctx, "UPDATE risk_assessments SET roles_note = $2 WHERE id = $1", note);
		json_object_set_new(ctx->detail, "note", json_string(note));
	}
	json_object_set_new(ctx->detail, "departments", depts);
	if (rc == CSHQ_OK && r->a.infosec_agreed && r->a.infoprotect_agreed)
		ctx->next_state = "domain_selection";
	return rc;
}

/* ---- 2. selecting domains (2.2(1)イ) ---- */

static int select_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"domains", NULL};
	static const char *const dkeys[] = {"name", "reason", "categories", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	json_t *in = json_object_get(ctx->input, "domains");
	if (!json_is_array(in) || json_array_size(in) == 0 || json_array_size(in) > RISK_MAX_DOMAINS)
		return bad_input(ctx, "domains: 1 to 100 business domains likely to be targeted");
	struct risk_rec *r = rec(ctx);
	json_t *domains = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(in, i, d)
	{
		const char *key;
		json_t *v;
		bool ok = json_is_object(d);
		if (ok)
			json_object_foreach(d, key, v)
			{
				bool known = false;
				for (const char *const *k = dkeys; *k; k++)
					known |= strcmp(*k, key) == 0;
				ok &= known;
			}
		json_t *cats = json_object_get(d, "categories");
		if (!ok || !json_is_string(json_object_get(d, "name")) || !json_is_string(json_object_get(d, "reason")) ||
		    (cats && !json_is_array(cats))) {
			json_decref(domains);
			return bad_input(ctx, "domains: objects {name, reason, categories?}");
		}
		json_t *before = risk_ws_domain(r->ws, risk_str(d, "name"));
		json_t *impact = before ? json_object_get(before, "impact") : NULL;
		json_array_append_new(domains, json_pack("{s:O, s:O, s:o, s:o, s:b}", "name", json_object_get(d, "name"),
							 "reason", json_object_get(d, "reason"), "categories",
							 cats ? json_deep_copy(cats) : json_array(), "impact",
							 impact ? json_deep_copy(impact) : json_null(), "protected", 0));
	}
	json_object_set_new(r->next_ws, "domains", domains);
	/* systems belong to protected domains: a new selection starts before any */
	json_object_set_new(r->next_ws, "systems", json_array());
	return validate_next(ctx);
}

static int select_effect(struct wf_ctx *ctx)
{
	json_object_set(ctx->detail, "domains", json_object_get(rec(ctx)->next_ws, "domains"));
	return commit_edit(ctx);
}

/* ---- 3. protected domains (2.2(2)ア) ---- */

static int impact_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"domain", "impact", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	const char *name = risk_str(ctx->input, "domain"), *impact = risk_str(ctx->input, "impact");
	json_t *d = risk_ws_domain(rec(ctx)->next_ws, name);
	if (!d)
		return bad_input(ctx, "domain: the name of a selected business domain");
	if (!risk_text_ok(impact, RISK_TEXT_MAX, true))
		return bad_input(ctx, "impact: the assessed impact of an attack on the domain, 1 to 4000 bytes");
	json_object_set_new(d, "impact", json_string(impact));
	return validate_next(ctx);
}

static int impact_effect(struct wf_ctx *ctx)
{
	json_object_set(ctx->detail, "domain", json_object_get(ctx->input, "domain"));
	return commit_edit(ctx);
}

static int protect_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"domains", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	json_t *names = json_object_get(ctx->input, "domains");
	if (!json_is_array(names) || json_array_size(names) == 0)
		return bad_input(ctx, "domains: the names of the selected domains to protect (all or part of them)");
	json_t *ws = rec(ctx)->next_ws;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(ws, "domains"), i, d) json_object_set_new(d, "protected", json_false());
	json_array_foreach(names, i, d)
	{
		json_t *dom = risk_ws_domain(ws, json_string_value(d));
		if (!dom)
			return bad_input(ctx, "domains: each name must be a selected business domain");
		json_object_set_new(dom, "protected", json_true());
	}
	return CSHQ_OK; /* validated after the guard, whose refusal is the more useful one */
}

static int protect_guard(struct wf_ctx *ctx)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(rec(ctx)->next_ws, "domains"), i, d) if (json_is_null(json_object_get(d, "impact")))
	{
		char msg[300];
		snprintf(msg, sizeof(msg),
			 "the department owning \"%.80s\" has not yet assessed the impact of an attack on it", risk_str(d, "name"));
		return wf_refuse(ctx, 409, msg, CITE_PROTECT, N(CITE_PROTECT));
	}
	return validate_next(ctx);
}

static int protect_effect(struct wf_ctx *ctx)
{
	json_object_set(ctx->detail, "protected", json_object_get(ctx->input, "domains"));
	return commit_edit(ctx);
}

/* ---- 4. target systems (2.2(2)イ(ア)), built-on systems pulled in ---- */

static int target_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"domain", "name", "criterion", "components", "built_on",
					   "air_gapped_counterpart", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	json_t *in = ctx->input;
	const char *name = risk_str(in, "name"), *domain = risk_str(in, "domain");
	json_t *crit = json_object_get(in, "criterion"), *comps = json_object_get(in, "components");
	json_t *built_on = json_object_get(in, "built_on"), *gap = json_object_get(in, "air_gapped_counterpart");
	if (!name || !domain || !json_is_integer(crit) || !json_is_array(comps) || json_array_size(comps) == 0 ||
	    (built_on && !json_is_null(built_on) && !json_is_string(built_on)) ||
	    (gap && !json_is_null(gap) && !json_is_string(gap)))
		return bad_input(ctx, "expected {domain, name, criterion: 1 | 2, components: [...], built_on?, "
				      "air_gapped_counterpart?}");
	json_int_t c = json_integer_value(crit);
	if (c != 1 && c != 2)
		return bad_input(ctx, "criterion: 1 (used for the protected domain's work on an open network) or 2 "
				      "(exchanges the domain's data with an air-gapped system)");
	if (c == 2 && (!gap || json_is_null(gap) || !*json_string_value(gap)))
		return bad_input(ctx, "criterion 2: name the air-gapped system the data is exchanged with "
				      "(air_gapped_counterpart)");
	struct risk_rec *r = rec(ctx);
	json_t *ws = r->next_ws, *existing = risk_ws_system(ws, name);
	if (existing && !(json_is_string(json_object_get(existing, "pulled_in_by")) &&
			  json_array_size(json_object_get(existing, "components")) == 0)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "\"%.80s\" is already a target system", name);
		return wf_refuse(ctx, 409, msg, NULL, 0);
	}
	json_t *sys = json_pack("{s:s, s:s, s:I, s:o, s:O, s:O, s:o, s:n, s:[], s:n, s:n}", "name", name, "domain",
				domain, "criterion", c, "components", risk_sorted_strings(comps), "built_on",
				built_on ? built_on : json_null(), "air_gapped_counterpart", gap ? gap : json_null(),
				"pulled_in_by",
				existing ? json_deep_copy(json_object_get(existing, "pulled_in_by")) : json_null(),
				"residual_risk", "checks", "plan", "plan_review");
	json_t *systems = json_object_get(ws, "systems");
	if (existing) {
		size_t i;
		json_t *s;
		json_array_foreach(systems, i, s) if (s == existing)
		{
			json_array_set(systems, i, sys);
			break;
		}
	} else {
		json_array_append(systems, sys);
	}
	json_decref(sys);
	/* a system built on another pulls that one (and its owner) into the assessment */
	const char *base = json_string_value(built_on);
	if (base && strcmp(base, name) != 0 && !risk_ws_system(ws, base)) {
		json_array_append_new(systems, json_pack("{s:s, s:s, s:I, s:[], s:n, s:O, s:s, s:n, s:[], s:n, s:n}", "name",
							 base, "domain", domain, "criterion", c, "components", "built_on",
							 "air_gapped_counterpart", gap ? gap : json_null(), "pulled_in_by",
							 name, "residual_risk", "checks", "plan", "plan_review"));
		json_object_set_new(ctx->detail, "pulled_in", json_string(base));
	}
	return validate_next(ctx);
}

static int target_effect(struct wf_ctx *ctx)
{
	json_t *d = json_deep_copy(ctx->input);
	json_object_update(ctx->detail, d);
	json_decref(d);
	const char *pulled = risk_str(ctx->detail, "pulled_in");
	if (pulled) {
		char subject[400];
		snprintf(subject, sizeof(subject),
			 "リスク評価: 対象システム「%.80s」が構築されている「%.80s」を対象システムに加えました。構成要素と現状点検をお願いします。",
			 risk_str(ctx->input, "name"), pulled);
		int rc = notify(ctx, ctx->subject_org, "system_owner", subject);
		if (rc != CSHQ_OK)
			return rc;
	}
	return commit_edit(ctx);
}

/* ---- 5. current-state check and residual risk (2.2(2)イ(イ)) ---- */

static int check_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"system", "checks", "residual_risk", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	struct risk_rec *r = rec(ctx);
	const char *name = risk_str(ctx->input, "system"), *residual = risk_str(ctx->input, "residual_risk");
	json_t *checks = json_object_get(ctx->input, "checks");
	json_t *sys = risk_ws_system(r->next_ws, name);
	if (!sys)
		return bad_input(ctx, "system: the name of a target system");
	if (!json_is_array(checks) || !residual)
		return bad_input(ctx, "expected {system, checks: [{countermeasure, component, implemented}], "
				      "residual_risk: high | medium | low}");
	if (json_array_size(json_object_get(sys, "components")) == 0)
		return wf_refuse(ctx, 409,
				 "the system's components are not listed yet: add_target_system with its name completes a "
				 "system pulled in by another",
				 CITE_TARGET, N(CITE_TARGET));
	/* name the first countermeasures the check leaves out: the set is long */
	json_t *comps = json_object_get(sys, "components"), *given = json_object();
	char missing[200] = "";
	size_t n_missing = 0, i;
	json_t *v;
	json_array_foreach(checks, i, v)
	{
		const char *cm = risk_str(v, "countermeasure"), *comp = risk_str(v, "component");
		if (cm && comp && strlen(cm) <= RISK_ID_MAX && strlen(comp) <= RISK_ID_MAX) {
			char key[2 * RISK_ID_MAX + 4];
			snprintf(key, sizeof(key), "%s\n%s", cm, comp);
			json_object_set_new(given, key, json_true());
		}
	}
	for (size_t k = 0; k < r->set.n_items; k++) {
		const struct risk_item *it = &r->set.items[k];
		bool in_system = false;
		json_array_foreach(comps, i, v) in_system |= strcmp(json_string_value(v), it->component) == 0;
		if (!in_system)
			continue;
		char key[2 * RISK_ID_MAX + 4];
		snprintf(key, sizeof(key), "%s\n%s", it->countermeasure, it->component);
		if (!json_object_get(given, key) && n_missing++ < 3) {
			size_t len = strlen(missing);
			snprintf(missing + len, sizeof(missing) - len, "%s%s on %s", len ? ", " : "", it->countermeasure,
				 it->component);
		}
	}
	json_decref(given);
	if (n_missing) {
		char msg[600];
		snprintf(msg, sizeof(msg),
			 "the check records every countermeasure of set %s that applies to a component of \"%.60s\"; "
			 "missing %zu: %s%s",
			 r->set.version, name, n_missing, missing, n_missing > 3 ? ", ..." : "");
		return bad_input(ctx, msg);
	}
	json_t *old_checks = json_deep_copy(json_object_get(sys, "checks"));
	json_object_set(sys, "checks", checks);
	json_object_set_new(sys, "residual_risk", json_string(residual));
	rc = validate_next(ctx);
	if (rc == CSHQ_OK) {
		/* a drafted plan rests on the check: a different result needs a new draft */
		risk_ws_canonicalise(r->next_ws);
		if (!json_equal(old_checks, json_object_get(sys, "checks")) && json_is_array(json_object_get(sys, "plan"))) {
			json_object_set_new(sys, "plan", json_null());
			json_object_set_new(ctx->detail, "plan_reset", json_true());
		}
	}
	json_decref(old_checks);
	return rc;
}

static int check_effect(struct wf_ctx *ctx)
{
	json_t *sys = risk_ws_system(rec(ctx)->next_ws, risk_str(ctx->input, "system"));
	int impl = 0, app = 0;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(sys, "checks"), i, c)
	{
		app++;
		impl += json_is_true(json_object_get(c, "implemented"));
	}
	json_object_set(ctx->detail, "system", json_object_get(ctx->input, "system"));
	json_object_set(ctx->detail, "residual_risk", json_object_get(ctx->input, "residual_risk"));
	json_object_set_new(ctx->detail, "implemented", json_integer(impl));
	json_object_set_new(ctx->detail, "applicable", json_integer(app));
	if (json_is_true(json_object_get(ctx->detail, "plan_reset"))) {
		int rc = exec_sql(ctx, "DELETE FROM risk_reviews WHERE assessment_id = $1 AND system = $2",
				  risk_str(ctx->input, "system"));
		if (rc != CSHQ_OK)
			return rc;
	}
	return commit_edit(ctx);
}

/* ---- 6. countermeasure introduction plan (2.2(3)ア) ---- */

/* The plan items of the previous decided cycle for a system (JSON array, maybe empty). */
static int previous_plan(struct wf_ctx *ctx, const char *system, json_t **out, int *prev_fy)
{
	int64_t prev = 0;
	int rc = risk_previous_assessment(ctx->db, rec(ctx)->a.org, rec(ctx)->a.fiscal_year, &prev, prev_fy);
	*out = json_array();
	if (rc != CSHQ_OK || !prev)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->db,
			   "SELECT countermeasure, fiscal_year FROM risk_plan_items WHERE assessment_id = $1 AND system = $2",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, prev);
	store_bind_text(st, 2, system);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(*out, json_pack("{s:s, s:I}", "countermeasure", store_column_text(st, 0),
						      "fiscal_year", (json_int_t)store_column_int64(st, 1)));
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int plan_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"system", "items", "review", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	struct risk_rec *r = rec(ctx);
	const char *name = risk_str(ctx->input, "system");
	json_t *items = json_object_get(ctx->input, "items"), *review = json_object_get(ctx->input, "review");
	json_t *sys = risk_ws_system(r->next_ws, name);
	if (!sys)
		return bad_input(ctx, "system: the name of a target system");
	if (!json_is_array(items) || (review && !json_is_null(review) && !json_is_string(review)))
		return bad_input(ctx, "expected {system, items: [{countermeasure, fiscal_year}], review?}");
	if (json_is_null(json_object_get(sys, "residual_risk")))
		return wf_refuse(ctx, 409, "the system's current state is not checked yet", CITE_TARGET, N(CITE_TARGET));
	/* from the second year the plan is reviewed against its progress */
	json_t *prev;
	int prev_fy = 0;
	if ((rc = previous_plan(ctx, name, &prev, &prev_fy)) != CSHQ_OK) {
		json_decref(prev);
		ctx->status = 500;
		return rc;
	}
	bool needs_review = json_array_size(prev) > 0;
	json_decref(prev);
	if (needs_review && (!review || json_is_null(review))) {
		char msg[300];
		snprintf(msg, sizeof(msg),
			 "\"%.80s\" had a plan in fiscal year %d: review it against its progress (review)", name, prev_fy);
		return bad_input(ctx, msg);
	}
	json_object_set(sys, "plan", items);
	json_object_set(sys, "plan_review", review && !json_is_null(review) ? review : json_null());
	return validate_next(ctx);
}

static int plan_guard(struct wf_ctx *ctx)
{
	/* the first plan is drafted once every target system is checked */
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(rec(ctx)->next_ws, "systems"), i, s) if (json_is_null(json_object_get(s, "residual_risk")))
	{
		char msg[300];
		snprintf(msg, sizeof(msg), "the current state of \"%.80s\" is not checked yet", risk_str(s, "name"));
		return wf_refuse(ctx, 409, msg, CITE_TARGET, N(CITE_TARGET));
	}
	return CSHQ_OK;
}

static int plan_effect(struct wf_ctx *ctx)
{
	json_object_set(ctx->detail, "system", json_object_get(ctx->input, "system"));
	json_object_set(ctx->detail, "items", json_object_get(ctx->input, "items"));
	int rc = exec_sql(ctx, "DELETE FROM risk_reviews WHERE assessment_id = $1 AND system = $2",
			  risk_str(ctx->input, "system"));
	return rc == CSHQ_OK ? commit_edit(ctx) : rc;
}

/* ---- 7. coordination (2.2(3)イ) ---- */

static int review_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"system", "request_changes", "comment", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	json_t *req = json_object_get(ctx->input, "request_changes"), *comment = json_object_get(ctx->input, "comment");
	json_t *sys = risk_ws_system(rec(ctx)->ws, risk_str(ctx->input, "system"));
	if (!sys)
		return bad_input(ctx, "system: the name of a target system");
	if ((req && !json_is_boolean(req)) ||
	    (comment && !json_is_null(comment) && !risk_text_ok(json_string_value(comment), RISK_TEXT_MAX, true)))
		return bad_input(ctx, "expected {system, request_changes?: bool, comment?: text}");
	if (json_is_true(req) && (!comment || json_is_null(comment)))
		return bad_input(ctx, "comment: say which changes the plan needs");
	if (!json_is_array(json_object_get(sys, "plan")))
		return wf_refuse(ctx, 409, "the system's owner has not drafted its plan yet", CITE_PLAN, N(CITE_PLAN));
	return CSHQ_OK;
}

static int review_effect(struct wf_ctx *ctx)
{
	const char *system = risk_str(ctx->input, "system"), *comment = risk_str(ctx->input, "comment");
	bool changes = json_is_true(json_object_get(ctx->input, "request_changes"));
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
			       "INSERT INTO risk_reviews (assessment_id, system, changes_requested, comment, reviewed_by, "
			       "reviewed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assessment_id, system) DO UPDATE "
			       "SET changes_requested = excluded.changes_requested, comment = excluded.comment, "
			       "reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, system);
	store_bind_int64(st, 3, changes);
	store_bind_text(st, 4, comment);
	store_bind_text(st, 5, ctx->who->login);
	store_bind_int64(st, 6, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "system", json_string(system));
	json_object_set_new(ctx->detail, "request_changes", json_boolean(changes));
	if (comment)
		json_object_set_new(ctx->detail, "comment", json_string(comment));
	if (changes) {
		char subject[300];
		snprintf(subject, sizeof(subject), "リスク評価: 「%.80s」の対策導入計画（案）に修正の依頼があります。", system);
		return notify(ctx, ctx->subject_org, "system_owner", subject);
	}
	return CSHQ_OK;
}

static int finalise_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	json_t *note = json_object_get(ctx->input, "note");
	if (note && !json_is_null(note) && !risk_text_ok(json_string_value(note), RISK_TEXT_MAX, true))
		return bad_input(ctx, "note: a text of 1 to 4000 bytes");
	return CSHQ_OK;
}

static int finalise_guard(struct wf_ctx *ctx)
{
	json_t *systems = json_object_get(rec(ctx)->ws, "systems");
	char msg[300];
	if (json_array_size(systems) == 0)
		return wf_refuse(ctx, 409, "no target system: there is no plan to finalise", CITE_TARGET, N(CITE_TARGET));
	size_t i;
	json_t *s;
	json_array_foreach(systems, i, s)
	{
		const char *name = risk_str(s, "name");
		if (!json_is_array(json_object_get(s, "plan"))) {
			snprintf(msg, sizeof(msg), "\"%.80s\" has no draft plan yet", name);
			return wf_refuse(ctx, 409, msg, CITE_PLAN, N(CITE_PLAN));
		}
		struct store_stmt *st;
		int rc = store_prepare(ctx->db,
				       "SELECT changes_requested FROM risk_reviews WHERE assessment_id = $1 AND system = $2", &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, ctx->id);
		store_bind_text(st, 2, name);
		rc = store_step(st);
		int64_t changes = rc == STORE_ROW ? store_column_int64(st, 0) : -1;
		while (rc == STORE_ROW)
			rc = store_step(st);
		if (rc != STORE_DONE)
			return CSHQ_ERR;
		if (changes != 0) {
			snprintf(msg, sizeof(msg),
				 changes < 0 ? "the plan of \"%.80s\" has not been reviewed by the department owning its domain"
					     : "the domain owner asked for changes to the plan of \"%.80s\"",
				 name);
			return wf_refuse(ctx, 409, msg, CITE_COORD, N(CITE_COORD));
		}
	}
	return CSHQ_OK;
}

static int finalise_effect(struct wf_ctx *ctx)
{
	const char *note = risk_str(ctx->input, "note");
	if (note)
		json_object_set_new(ctx->detail, "note", json_string(note));
	return CSHQ_OK;
}

/* ---- 8. dashboard and the CISO's decision (2.2(4)) ---- */

static int current_hash(struct wf_ctx *ctx, char out[65])
{
	int rc = open_ws(ctx);
	if (rc == CSHQ_OK)
		risk_ws_hash(rec(ctx)->a.org, rec(ctx)->a.fiscal_year, rec(ctx)->a.set_version, rec(ctx)->ws, out);
	return rc;
}

static int empty_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {NULL};
	return only(ctx, keys);
}

static int dashboard_effect(struct wf_ctx *ctx)
{
	char hash[65];
	int rc = current_hash(ctx, hash);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->db, "UPDATE risk_assessments SET dashboard_hash = $2, dashboard_at = $3 WHERE id = $1",
				&st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, hash);
	store_bind_int64(st, 3, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "content_hash", json_string(hash));
	return notify(ctx, ctx->subject_org, "ciso", "リスク評価: リスク評価ダッシュボードを作成しました。対策導入計画の承認をお願いします。");
}

static int approve_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"comment", NULL};
	int rc = only(ctx, keys);
	json_t *c = json_object_get(ctx->input, "comment");
	if (rc == CSHQ_OK && c && !json_is_null(c) && !risk_text_ok(json_string_value(c), RISK_TEXT_MAX, true))
		return bad_input(ctx, "comment: a text of 1 to 4000 bytes");
	return rc;
}

static int approve_guard(struct wf_ctx *ctx)
{
	char hash[65];
	int rc = current_hash(ctx, hash);
	if (rc != CSHQ_OK)
		return rc;
	if (strcmp(hash, rec(ctx)->a.dashboard_hash) != 0)
		return wf_refuse(ctx, 409, "the worksheet changed after the dashboard was built; build it again", CITE_DASH,
				 N(CITE_DASH));
	return CSHQ_OK;
}

static int approve_effect(struct wf_ctx *ctx)
{
	char hash[65];
	int rc = current_hash(ctx, hash);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->db,
				"UPDATE risk_assessments SET approval_state = 'approved', approved_hash = $2, approved_at = $3, "
				"approved_by = $4, instructions = NULL WHERE id = $1",
				&st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, hash);
	store_bind_int64(st, 3, time_now());
	store_bind_text(st, 4, ctx->who->login);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "content_hash", json_string(hash));
	const char *comment = risk_str(ctx->input, "comment");
	if (comment)
		json_object_set_new(ctx->detail, "comment", json_string(comment));
	return notify(ctx, ctx->subject_org, "infosec", "リスク評価: CISO が対策導入計画を承認しました。");
}

static int send_back_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"instructions", NULL};
	int rc = only(ctx, keys);
	if (rc == CSHQ_OK && !risk_text_ok(risk_str(ctx->input, "instructions"), RISK_TEXT_MAX, true))
		return bad_input(ctx, "instructions: what the departments are to reconsider or change, 1 to 4000 bytes");
	return rc;
}

static int send_back_effect(struct wf_ctx *ctx)
{
	const char *text = risk_str(ctx->input, "instructions");
	int rc = exec_sql(ctx, "UPDATE risk_assessments SET instructions = $2 WHERE id = $1", text);
	json_object_set_new(ctx->detail, "instructions", json_string(text));
	if (rc == CSHQ_OK)
		rc = notify(ctx, ctx->subject_org, NULL, "リスク評価: CISO から対策導入計画の再検討・修正の指示があります。");
	return rc;
}

/* ---- 9. reporting (2.2(5), 3.3) ---- */

static int report_guard(struct wf_ctx *ctx)
{
	char hash[65];
	int rc = current_hash(ctx, hash);
	if (rc != CSHQ_OK)
		return rc;
	struct risk_rec *r = rec(ctx);
	if (strcmp(r->a.approval_state, "approved") != 0 || strcmp(hash, r->a.approved_hash) != 0)
		return wf_refuse(ctx, 409, "the report is the worksheet and dashboard as the CISO approved them; the approval "
					   "is void (the worksheet changed since)",
				 CITE_REPORT, N(CITE_REPORT));
	struct registry_subject subj;
	if ((rc = registry_subject(ctx->db, r->a.org, ctx->date, &subj)) != CSHQ_OK)
		return rc;
	struct regime_answer ans;
	regime_evaluate(RF_RISK_GUIDELINE, &subj.facts, ctx->date, &ans);
	if (ans.applies != RA_YES) {
		ctx->status = 409;
		snprintf(ctx->message, sizeof(ctx->message), "the risk guideline does not cover %s today", r->a.org);
		for (size_t i = 0; i < ans.n_basis; i++)
			wf_add_basis(ctx, ans.basis[i]);
		return CSHQ_ECONFLICT;
	}
	return CSHQ_OK;
}

static bool org_exists(struct store *db, const char *code)
{
	struct registry_subject s;
	return registry_subject(db, code, date_today(), &s) == CSHQ_OK;
}

/* The report reaches NISC: NISC is told, and CIRO may read it from now on (3.3). */
static int reach_nisc(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc;
	if ((rc = store_prepare(ctx->db, "UPDATE risk_assessments SET reported_at = $2 WHERE id = $1", &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	char subject[300];
	snprintf(subject, sizeof(subject), "リスク評価: %s の %d 年度リスク評価ワークシート及びダッシュボードの報告", ctx->subject_org,
		 rec(ctx)->a.fiscal_year);
	if ((rc = notify(ctx, "nisc", "nisc_staff", subject)) != CSHQ_OK)
		return rc;
	if (org_exists(ctx->db, "ciro")) {
		if ((rc = vis_grant(ctx->db, RISK_KIND, ctx->id, "ciro", 0, "RiskGuideline 3.3: shared with CIRO")) != CSHQ_OK)
			return rc;
		rc = notify(ctx, "ciro", NULL, subject);
	}
	json_object_set_new(ctx->detail, "shared_with", json_string("ciro"));
	return rc;
}

static int report_effect(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	struct registry_subject subj;
	int rc = registry_subject(ctx->db, r->a.org, ctx->date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	struct regime_answer ans;
	regime_evaluate(RF_RISK_GUIDELINE, &subj.facts, ctx->date, &ans);
	for (size_t i = 0; i < ans.n_basis; i++)
		wf_add_basis(ctx, ans.basis[i]);
	json_object_set_new(ctx->detail, "content_hash", json_string(r->a.approved_hash));
	if (ans.route == ROUTE_VIA && ans.n_via > 0) {
		/* an IAI's or designated corporation's report goes to its supervising ministry,
		 * which compiles its bodies' reports and sends them on (2.2(5)イ) */
		json_t *via = json_array();
		char subject[300];
		snprintf(subject, sizeof(subject), "リスク評価: 所管法人 %s の %d 年度リスク評価の報告（取りまとめの上 NISC へ）",
			 r->a.org, r->a.fiscal_year);
		for (size_t i = 0; i < ans.n_via && rc == CSHQ_OK; i++) {
			json_array_append_new(via, json_string(ans.via[i]));
			rc = notify(ctx, ans.via[i], "infosec", subject);
		}
		json_object_set_new(ctx->detail, "route", json_pack("{s:s, s:o}", "type", "via", "via", via));
		ctx->next_state = "at_ministry";
		return rc;
	}
	json_object_set_new(ctx->detail, "route", json_pack("{s:s}", "type", "direct"));
	return reach_nisc(ctx);
}

static int forward_effect(struct wf_ctx *ctx)
{
	int rc = exec_sql(ctx, "UPDATE risk_assessments SET forwarded_by = $2 WHERE id = $1", ctx->who->org);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->db, "UPDATE risk_assessments SET forwarded_at = $2 WHERE id = $1", &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "ministry", json_string(ctx->who->org));
	return reach_nisc(ctx);
}

/* ---- 10. NISC checks the report (2.2(5)ウ, 3.1) ---- */

static int accept_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"issues", NULL};
	int rc = only(ctx, keys);
	json_t *v = json_object_get(ctx->input, "issues");
	if (rc == CSHQ_OK && v && !json_is_null(v) && !risk_text_ok(json_string_value(v), RISK_TEXT_MAX, true))
		return bad_input(ctx, "issues: technical or operational issues noted, 1 to 4000 bytes");
	return rc;
}

static int accept_effect(struct wf_ctx *ctx)
{
	const char *issues = risk_str(ctx->input, "issues");
	int rc = exec_sql(ctx, "UPDATE risk_assessments SET nisc_issues = $2 WHERE id = $1", issues);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->db, "UPDATE risk_assessments SET accepted_at = $2 WHERE id = $1", &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	if (issues)
		json_object_set_new(ctx->detail, "issues", json_string(issues));
	return notify(ctx, ctx->subject_org, "infosec", "リスク評価: NISC が報告を確認しました。");
}

/* ---- the worksheet as a whole: xlsx import, and a newer countermeasure set ---- */

static int import_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"meta", "worksheet", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	struct risk_rec *r = rec(ctx);
	json_t *meta = json_object_get(ctx->input, "meta"), *ws = json_object_get(ctx->input, "worksheet");
	json_t *fy = json_object_get(meta, "fiscal_year");
	const char *org = risk_str(meta, "org"), *version = risk_str(meta, "countermeasure_set");
	if (!org || strcmp(org, r->a.org) != 0 || !json_is_integer(fy) || json_integer_value(fy) != r->a.fiscal_year)
		return bad_input(ctx, "the file is the worksheet of another body or fiscal year");
	if (!version || strcmp(version, r->a.set_version) != 0) {
		char msg[200];
		snprintf(msg, sizeof(msg), "the file uses countermeasure set %.32s; this assessment uses %s",
			 version ? version : "(none)", r->a.set_version);
		return bad_input(ctx, msg);
	}
	json_decref(r->next_ws);
	r->next_ws = json_deep_copy(ws);
	return validate_next(ctx);
}

static int import_effect(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	json_object_set_new(ctx->detail, "domains", json_integer((json_int_t)json_array_size(json_object_get(r->next_ws, "domains"))));
	json_object_set_new(ctx->detail, "systems", json_integer((json_int_t)json_array_size(json_object_get(r->next_ws, "systems"))));
	json_object_set_new(ctx->detail, "changed", json_boolean(!json_equal(r->ws, r->next_ws)));
	if (json_equal(r->ws, r->next_ws)) {
		/* the same content (a round trip): nothing changes, an approval stands */
		ctx->next_state = NULL;
		return CSHQ_OK;
	}
	return commit_edit(ctx);
}

static int change_set_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"version", NULL};
	int rc = only(ctx, keys);
	if (rc != CSHQ_OK || (rc = open_ws(ctx)) != CSHQ_OK)
		return rc;
	struct risk_rec *r = rec(ctx);
	const char *version = risk_str(ctx->input, "version");
	if (!version)
		return bad_input(ctx, "version: the countermeasure set to move to");
	rc = risk_set_load(ctx->db, version, 0, &r->new_set);
	if (rc == CSHQ_ENOTFOUND)
		return bad_input(ctx, "version: no countermeasure set of that version");
	if (rc != CSHQ_OK) {
		ctx->status = 500;
		return rc;
	}
	r->new_set_loaded = true;
	if (r->new_set.id <= r->a.set_id)
		return wf_refuse(ctx, 409, "an assessment moves to a newer countermeasure set only", CITE_SET, N(CITE_SET));
	/* keep each check the new set still has; a system with new applicable pairs is checked
	 * again, and a plan resting on a changed check is drafted again */
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(r->next_ws, "systems"), i, s)
	{
		json_t *kept = json_array();
		size_t j, applicable = risk_set_applicable(&r->new_set, json_object_get(s, "components"));
		json_t *c;
		json_array_foreach(json_object_get(s, "checks"), j, c) if (risk_set_find(&r->new_set, risk_str(c, "countermeasure"),
											 risk_str(c, "component")))
			json_array_append(kept, c);
		bool same = json_equal(kept, json_object_get(s, "checks")) && applicable == json_array_size(kept);
		json_object_set_new(s, "checks", kept);
		if (!same) {
			json_object_set_new(s, "residual_risk", json_null());
			json_object_set_new(s, "plan", json_null());
		}
	}
	char err[300];
	risk_ws_canonicalise(r->next_ws);
	if (risk_ws_validate(r->next_ws, &r->new_set, r->a.fiscal_year, err, sizeof(err)) != CSHQ_OK)
		return wf_refuse(ctx, 409, err, CITE_SET, N(CITE_SET));
	return CSHQ_OK;
}

static int change_set_effect(struct wf_ctx *ctx)
{
	struct risk_rec *r = rec(ctx);
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "UPDATE risk_assessments SET set_id = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, r->new_set.id);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "diff", risk_set_diff(&r->set, &r->new_set));
	return commit_edit(ctx);
}

/* ---- the table ---- */

#define R(role) ROLE_BIT(ROLE_##role)
#define SUBJ WF_PARTY_SUBJECT

/* A step that changes the worksheet, allowed from the target-system stage until the
 * report (a change after the approval voids it). */
#define STEP(f, a, t, ro, pa, ch, gu, ef, bs, ja, en)                                             \
	{.from = f, .action = a, .to = t, .roles = ro, .party = pa, .check_input = ch, .guard = gu,      \
	 .effect = ef, .basis = bs, .label_ja = ja, .label_en = en}
#define ROWV(f, a, t, ro, pa, ch, gu, ef, ja, en, ...)                                             \
	{.from = f, .action = a, .to = t, .roles = ro, .party = pa, .check_input = ch, .guard = gu,      \
	 .effect = ef, .basis = __VA_ARGS__, .label_ja = ja, .label_en = en}
#define LATE(action, roles, check, guard, effect, cites, ja, en)                                         \
	ROWV("target_systems", action, NULL, roles, SUBJ, check, guard, effect, ja, en, cites),          \
		ROWV("planning", action, NULL, roles, SUBJ, check, guard, effect, ja, en, cites),        \
		ROWV("finalised", action, NULL, roles, SUBJ, check, guard, effect, ja, en, cites),       \
		ROWV("awaiting_approval", action, NULL, roles, SUBJ, check, guard, effect, ja, en, cites), \
		ROWV("approved", action, NULL, roles, SUBJ, check, guard, effect, ja, en, cites)

#define B1(a) {a}
#define B2(a, b) {a, b}

static const struct wf_transition steps[] = {
	/* 1 */
	STEP("preparation", "agree_roles", NULL, R(INFOSEC) | R(INFOPROTECT), SUBJ, agree_check, agree_guard, agree_effect,
	 B1(RG("2.2", 1, 1)), "役割の明確化", "agree roles"),
	/* 2 */
	STEP("domain_selection", "select_domains", "impact_assessment", R(INFOPROTECT), SUBJ, select_check, NULL,
	 select_effect, B2(RG("2.2", 1, 2), RG("1.3", 0, 0)), "業務領域の選定", "select domains"),
	STEP("impact_assessment", "select_domains", "impact_assessment", R(INFOPROTECT), SUBJ, select_check, NULL,
	 select_effect, B2(RG("2.2", 1, 2), RG("1.3", 0, 0)), "業務領域の選定", "select domains"),
	/* 3 */
	STEP("impact_assessment", "assess_impact", NULL, R(DOMAIN_OWNER), SUBJ, impact_check, NULL, impact_effect,
	 B1(RG("2.2", 2, 1)), "影響度の検討", "assess impact"),
	LATE("assess_impact", R(DOMAIN_OWNER), impact_check, NULL, impact_effect, B1(RG("2.2", 2, 1)), "影響度の検討",
	     "assess impact"),
	STEP("impact_assessment", "mark_protected", "target_systems", R(INFOPROTECT), SUBJ, protect_check, protect_guard,
	 protect_effect, B1(RG("2.2", 2, 1)), "保護対象業務領域の特定", "mark protected domains"),
	/* 4 */
	LATE("add_target_system", R(INFOPROTECT) | R(INFOSEC), target_check, NULL, target_effect, B1(RG("2.2", 2, 2)),
	     "対象システムの特定", "add a target system"),
	/* 5 */
	LATE("check_state", R(SYSTEM_OWNER), check_check, NULL, check_effect, B1(RG("2.2", 2, 2)), "現状点検・残存リスク",
	     "check the current state"),
	/* 6 */
	STEP("target_systems", "draft_plan", "planning", R(SYSTEM_OWNER), SUBJ, plan_check, plan_guard, plan_effect,
	 B1(RG("2.2", 3, 1)), "対策導入計画（案）の作成", "draft the plan"),
	STEP("planning", "draft_plan", "planning", R(SYSTEM_OWNER), SUBJ, plan_check, NULL, plan_effect, B1(RG("2.2", 3, 1)),
	 "対策導入計画（案）の作成", "draft the plan"),
	STEP("finalised", "draft_plan", "planning", R(SYSTEM_OWNER), SUBJ, plan_check, NULL, plan_effect, B1(RG("2.2", 3, 1)),
	 "対策導入計画（案）の作成", "draft the plan"),
	STEP("awaiting_approval", "draft_plan", "planning", R(SYSTEM_OWNER), SUBJ, plan_check, NULL, plan_effect,
	 B1(RG("2.2", 3, 1)), "対策導入計画（案）の作成", "draft the plan"),
	STEP("approved", "draft_plan", "planning", R(SYSTEM_OWNER), SUBJ, plan_check, NULL, plan_effect, B1(RG("2.2", 3, 1)),
	 "対策導入計画（案）の作成", "draft the plan"),
	/* 7 */
	STEP("planning", "review_plan", NULL, R(DOMAIN_OWNER), SUBJ, review_check, NULL, review_effect, B1(RG("2.2", 3, 2)),
	 "計画（案）の確認", "review the plan"),
	STEP("planning", "finalise", "finalised", R(INFOSEC), SUBJ, finalise_check, finalise_guard, finalise_effect,
	 B1(RG("2.2", 3, 2)), "計画（案）の確定", "finalise the plan"),
	/* 8 */
	STEP("finalised", "build_dashboard", "awaiting_approval", R(INFOSEC), SUBJ, empty_check, NULL, dashboard_effect,
	 B2(RG("2.2", 4, 1), RG("3.2", 0, 0)), "ダッシュボードの作成", "build the dashboard"),
	STEP("awaiting_approval", "approve", "approved", R(CISO), SUBJ, approve_check, approve_guard, approve_effect,
	 B2(RG("2.2", 4, 2), RG("3.1", 0, 0)), "CISO による承認", "approve"),
	STEP("awaiting_approval", "send_back", "planning", R(CISO), SUBJ, send_back_check, NULL, send_back_effect,
	 B1(RG("2.2", 4, 2)), "再検討・修正の指示", "send back"),
	/* 9 */
	STEP("approved", "report", "reported", R(INFOSEC), SUBJ, empty_check, report_guard, report_effect,
	 B2(RG("2.1", 5, 0), RG("3.3", 0, 0)), "報告", "report"),
	STEP("at_ministry", "forward", "reported", R(INFOSEC), WF_PARTY_SUPERVISOR, empty_check, NULL, forward_effect,
	 B2(RG("2.2", 5, 2), RG("3.3", 0, 0)), "所管府省庁による取りまとめ・報告", "forward to NISC"),
	/* 10 */
	STEP("reported", "accept", "accepted", R(NISC_STAFF), WF_PARTY_NISC, accept_check, NULL, accept_effect,
	 B2(RG("2.2", 5, 3), RG("3.1", 0, 0)), "NISC による確認", "accept"),
	/* the worksheet as a whole */
	STEP("domain_selection", "import_worksheet", NULL, R(INFOSEC), SUBJ, import_check, NULL, import_effect,
	 B1(RG("2.2", 2, 1)), "ワークシートの取込み", "import the worksheet"),
	STEP("impact_assessment", "import_worksheet", NULL, R(INFOSEC), SUBJ, import_check, NULL, import_effect,
	 B1(RG("2.2", 2, 1)), "ワークシートの取込み", "import the worksheet"),
	LATE("import_worksheet", R(INFOSEC), import_check, NULL, import_effect, B1(RG("2.2", 2, 2)),
	     "ワークシートの取込み", "import the worksheet"),
	STEP("preparation", "change_countermeasure_set", NULL, R(INFOSEC), SUBJ, change_set_check, NULL, change_set_effect,
	 B2(RG("1.3", 0, 0), RG("4.3", 2, 0)), "対策セットの更新", "move to a newer countermeasure set"),
	STEP("domain_selection", "change_countermeasure_set", NULL, R(INFOSEC), SUBJ, change_set_check, NULL,
	 change_set_effect, B2(RG("1.3", 0, 0), RG("4.3", 2, 0)), "対策セットの更新", "move to a newer countermeasure set"),
	STEP("impact_assessment", "change_countermeasure_set", NULL, R(INFOSEC), SUBJ, change_set_check, NULL,
	 change_set_effect, B2(RG("1.3", 0, 0), RG("4.3", 2, 0)), "対策セットの更新", "move to a newer countermeasure set"),
	LATE("change_countermeasure_set", R(INFOSEC), change_set_check, NULL, change_set_effect,
	     B2(RG("1.3", 0, 0), RG("4.3", 2, 0)), "対策セットの更新", "move to a newer countermeasure set"),
};

static const char *const final_states[] = {"accepted", NULL};

const struct wf_machine risk_machine = {
	.kind = RISK_KIND,
	.table = "risk_assessments",
	.steps = steps,
	.n_steps = CSHQ_ARRAY_LEN(steps),
	.final_states = final_states,
	.load = load,
	.unload = unload,
};

/* ---- creation and the record ---- */

int risk_previous_assessment(struct store *db, const char *org, int fiscal_year, int64_t *id,
			     int *fy)
{
	*id = 0;
	*fy = 0;
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT id, fiscal_year FROM risk_assessments WHERE org = $1 AND fiscal_year < $2 AND "
			       "state IN ('approved', 'at_ministry', 'reported', 'accepted') ORDER BY fiscal_year DESC",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_int64(st, 2, fiscal_year);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_column_int64(st, 0);
		*fy = (int)store_column_int64(st, 1);
	}
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int risk_assessment_create(struct store *db, const struct principal *who, const char *org,
			   int fiscal_year, const char *set_version, int64_t *id, int *status,
			   char *err, size_t errlen, json_t **basis)
{
	*basis = NULL;
	*id = 0;
	int32_t today = date_today();
	struct registry_subject subj;
	int rc = registry_subject(db, org, today, &subj);
	bool in_scope = false;
	if (rc == CSHQ_OK)
		rc = vis_org_in_scope(db, who, org, &in_scope);
	if (rc == CSHQ_ENOTFOUND || (rc == CSHQ_OK && !in_scope)) {
		*status = 404;
		return CSHQ_ENOTFOUND;
	}
	if (rc != CSHQ_OK) {
		*status = 500;
		return rc;
	}
	if (strcmp(who->org, org) != 0 ||
	    !(principal_has(who, ROLE_INFOSEC) || principal_has(who, ROLE_INFOPROTECT))) {
		*status = 403;
		risk_fail(err, errlen, "the body's own information-security or information-protection department starts its cycle");
		return CSHQ_EDENIED;
	}
	struct regime_answer ans;
	regime_evaluate(RF_RISK_GUIDELINE, &subj.facts, today, &ans);
	if (ans.applies != RA_YES) {
		*status = 409;
		*basis = basis_json(ans.basis, ans.n_basis);
		risk_fail(err, errlen, "the risk guideline does not apply to %s today", org);
		return CSHQ_ECONFLICT;
	}
	struct risk_set set;
	rc = risk_set_load(db, set_version, 0, &set);
	if (rc != CSHQ_OK) {
		*status = rc == CSHQ_ENOTFOUND ? 422 : 500;
		risk_fail(err, errlen, "countermeasure_set: no countermeasure set of that version");
		return rc == CSHQ_ENOTFOUND ? CSHQ_EINVAL : rc;
	}
	int64_t set_id = set.id;
	risk_set_release(&set);
	struct store_stmt *st;
	rc = store_prepare(db,
			   "INSERT INTO risk_assessments (org, fiscal_year, set_id, state, created_at, created_by, "
			   "updated_at) VALUES ($1, $2, $3, 'preparation', $4, $5, $4) "
			   "ON CONFLICT (org, fiscal_year) DO NOTHING RETURNING id",
			   &st);
	if (rc != CSHQ_OK) {
		*status = 500;
		return rc;
	}
	store_bind_text(st, 1, org);
	store_bind_int64(st, 2, fiscal_year);
	store_bind_int64(st, 3, set_id);
	store_bind_int64(st, 4, time_now());
	store_bind_text(st, 5, who->login);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*id = store_column_int64(st, 0);
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	if (rc != STORE_DONE) {
		*status = 500;
		return CSHQ_ERR;
	}
	if (!*id) {
		*status = 409;
		risk_fail(err, errlen, "%s already has an assessment cycle for fiscal year %d", org, fiscal_year);
		return CSHQ_ECONFLICT;
	}
	json_t *detail = json_pack("{s:s, s:i, s:s}", "org", org, "fiscal_year", fiscal_year, "countermeasure_set", set_version);
	json_t *b = basis_json(ans.basis, ans.n_basis);
	rc = wf_timeline_add(db, who, RISK_KIND, *id, "create", NULL, "preparation", detail, b);
	if (rc == CSHQ_OK)
		rc = notice_send(db, org, "infoprotect", "リスク評価: 本年度のリスク評価等を開始しました。役割の明確化をお願いします。", RISK_KIND,
				 *id, b);
	json_decref(detail);
	json_decref(b);
	if (rc != CSHQ_OK) {
		*status = 500;
		return rc;
	}
	*status = 201;
	return CSHQ_OK;
}

static json_t *time_or_null(struct store_stmt *st, int col)
{
	if (store_column_is_null(st, col))
		return json_null();
	char at[26];
	time_format_rfc3339(store_column_int64(st, col), at);
	return json_string(at);
}

static json_t *col_text(struct store_stmt *st, int col)
{
	const char *t = store_column_text(st, col);
	return t ? json_string(t) : json_null();
}

int risk_assessment_json(struct wf_ctx *ctx, json_t **out)
{
	struct risk_rec *r = rec(ctx);
	int rc = open_ws(ctx);
	if (rc != CSHQ_OK)
		return rc;
	char hash[65];
	risk_ws_hash(r->a.org, r->a.fiscal_year, r->a.set_version, r->ws, hash);
	struct store_stmt *st;
	rc = store_prepare(ctx->db,
			   "SELECT a.infosec_agreed_by, a.infoprotect_agreed_by, a.roles_note, a.dashboard_at, a.approved_at, "
			   "a.approved_by, a.instructions, a.reported_at, a.forwarded_by, a.forwarded_at, a.accepted_at, "
			   "a.nisc_issues, a.created_at, a.created_by, a.updated_at, o.name_ja, o.name_en FROM risk_assessments a "
			   "JOIN orgs o ON o.code = a.org WHERE a.id = $1",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	const char *approval = r->a.approval_state;
	if (strcmp(approval, "approved") == 0 && strcmp(hash, r->a.approved_hash) != 0)
		approval = "void"; /* changed behind the workflow's back: never shown as approved */
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(r->a.id));
	json_object_set_new(o, "org", json_string(r->a.org));
	json_object_set_new(o, "org_name_ja", col_text(st, 15));
	json_object_set_new(o, "org_name_en", col_text(st, 16));
	json_object_set_new(o, "fiscal_year", json_integer(r->a.fiscal_year));
	json_object_set_new(o, "countermeasure_set", json_string(r->a.set_version));
	json_object_set_new(o, "state", json_string(r->a.state));
	json_object_set_new(o, "stage", json_string(risk_ws_stage(r->ws)));
	json_object_set_new(o, "content_hash", json_string(hash));
	json_object_set_new(o, "approval",
			    json_pack("{s:s, s:o, s:o, s:o}", "state", approval, "content_hash",
				      r->a.approved_hash[0] ? json_string(r->a.approved_hash) : json_null(), "approved_at",
				      time_or_null(st, 4), "approved_by", col_text(st, 5)));
	json_object_set_new(o, "dashboard",
			    json_pack("{s:o, s:o, s:b}", "built_at", time_or_null(st, 3), "content_hash",
				      r->a.dashboard_hash[0] ? json_string(r->a.dashboard_hash) : json_null(), "current",
				      strcmp(r->a.dashboard_hash, hash) == 0));
	json_object_set_new(o, "roles",
			    json_pack("{s:o, s:o, s:o}", "infosec_agreed_by", col_text(st, 0), "infoprotect_agreed_by",
				      col_text(st, 1), "note", col_text(st, 2)));
	json_object_set_new(o, "instructions", col_text(st, 6));
	json_object_set_new(o, "reported_at", time_or_null(st, 7));
	json_object_set_new(o, "forwarded_by", col_text(st, 8));
	json_object_set_new(o, "forwarded_at", time_or_null(st, 9));
	json_object_set_new(o, "accepted_at", time_or_null(st, 10));
	json_object_set_new(o, "nisc_issues", col_text(st, 11));
	json_object_set_new(o, "created_at", time_or_null(st, 12));
	json_object_set_new(o, "created_by", col_text(st, 13));
	json_object_set_new(o, "updated_at", time_or_null(st, 14));
	while (store_step(st) == STORE_ROW)
		;
	json_object_set(o, "worksheet", r->ws);
	/* the domain owners' reviews of the draft plans */
	json_t *reviews = json_array();
	if ((rc = store_prepare(ctx->db,
				"SELECT system, changes_requested, comment, reviewed_by, reviewed_at FROM risk_reviews "
				"WHERE assessment_id = $1",
				&st)) == CSHQ_OK) {
		store_bind_int64(st, 1, ctx->id);
		while ((rc = store_step(st)) == STORE_ROW)
			json_array_append_new(reviews, json_pack("{s:s, s:b, s:o, s:o, s:o}", "system", store_column_text(st, 0),
								 "request_changes", store_column_int64(st, 1) != 0, "comment",
								 col_text(st, 2), "reviewed_by", col_text(st, 3), "reviewed_at",
								 time_or_null(st, 4)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_object_set_new(o, "reviews", reviews);
	int64_t prev = 0;
	int prev_fy = 0;
	if (rc == CSHQ_OK)
		rc = risk_previous_assessment(ctx->db, r->a.org, r->a.fiscal_year, &prev, &prev_fy);
	json_object_set_new(o, "previous",
			    prev ? json_pack("{s:I, s:i}", "id", (json_int_t)prev, "fiscal_year", prev_fy) : json_null());
	/* newer countermeasure sets the assessment may move to */
	json_t *newer = json_array();
	if (rc == CSHQ_OK && (rc = store_prepare(ctx->db, "SELECT version FROM risk_sets WHERE id > $1 ORDER BY id", &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, r->a.set_id);
		while ((rc = store_step(st)) == STORE_ROW)
			json_array_append_new(newer, json_string(store_column_text(st, 0)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_object_set_new(o, "newer_countermeasure_sets", newer);
	json_object_set_new(o, "allowed_actions", wf_allowed_actions(ctx));
	json_t *timeline = NULL;
	if (rc == CSHQ_OK)
		rc = wf_timeline_json(ctx->db, RISK_KIND, ctx->id, &timeline);
	json_object_set_new(o, "timeline", timeline ? timeline : json_array());
	if (rc != CSHQ_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return CSHQ_OK;
}
