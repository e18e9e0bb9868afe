/* test_workflow.c: the state-machine engine on a toy machine over an in-memory store loaded
 * with the registry seed: the order of checks (404, unknown action, 409 state, 403 party,
 * 422 input, 409 guard with basis), the state change with its timeline entry, log entry and
 * notices, a redirected target, rows open only under a condition (step_open), final states,
 * grants, and citations resolved on the date of the step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/registry.h"
#include "workflow/workflow.h"

static struct store *db;

static int setup(void **state)
{
	struct store_config cfg = {STORE_SQLITE, ":memory:"};
	char err[128];
	if (store_connect(&cfg, &db, err, sizeof(err)) != CSHQ_OK || store_migrate(db) != CSHQ_OK)
		return -1;
	size_t n;
	store_begin(db, true);
	if (registry_import_csv(db, CSHQ_SEED_CSV, err, sizeof(err), &n) != CSHQ_OK)
		return -1;
	if (store_exec(db, "CREATE TABLE toy (id INTEGER PRIMARY KEY, state TEXT NOT NULL, subject TEXT NOT NULL, "
			   "conf INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 0, updated_at INTEGER)") != CSHQ_OK)
		return -1;
	return store_commit(db) == CSHQ_OK ? 0 : -1;
}

static int teardown(void **state)
{
	store_disconnect(db);
	return 0;
}

/* Each test runs in a transaction it rolls back, as a request does. */
static int begin(void **state)
{
	return store_begin(db, true) == CSHQ_OK ? 0 : -1;
}

static int rollback(void **state)
{
	store_rollback(db);
	return 0;
}

static struct principal user(const char *org, enum org_kind kind, uint32_t roles)
{
	struct principal p = {.kind = PRINCIPAL_USER, .user_id = 0, .org_kind = kind, .roles = roles};
	snprintf(p.org, sizeof(p.org), "%s", org);
	snprintf(p.login, sizeof(p.login), "%s.user", org);
	return p;
}

static int64_t toy_new(const char *state, const char *subject, int conf)
{
	struct store_stmt *st;
	assert_int_equal(store_prepare(db, "INSERT INTO toy (state, subject, conf) VALUES ($1, $2, $3) RETURNING id", &st),
			 CSHQ_OK);
	store_bind_text(st, 1, state);
	store_bind_text(st, 2, subject);
	store_bind_int64(st, 3, conf);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t id = store_column_int64(st, 0);
	while (store_step(st) == STORE_ROW)
		;
	return id;
}

static int64_t count(const char *sql)
{
	int64_t n = -1;
	assert_int_equal(store_query_int64(db, sql, &n), CSHQ_OK);
	return n;
}

static int toy_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "SELECT state, subject, conf, flag FROM toy WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	snprintf(ctx->state, sizeof(ctx->state), "%s", store_column_text(st, 0));
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", store_column_text(st, 1));
	ctx->confidentiality = (int)store_column_int64(st, 2);
	ctx->record = (void *)(intptr_t)(store_column_int64(st, 3) ? 1 : 0);
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

static int need_text(struct wf_ctx *ctx)
{
	if (!json_is_string(json_object_get(ctx->input, "text")))
		return wf_refuse(ctx, 422, "text: required", NULL, 0);
	return CSHQ_OK;
}

/* a guard of the regime: refuse unless the input says yes, citing Act 30(1) */
static int guard_yes(struct wf_ctx *ctx)
{
	static const struct wf_cite c[] = {{"Act", "30", 1, 0}};
	if (json_is_true(json_object_get(ctx->input, "yes")))
		return CSHQ_OK;
	return wf_refuse(ctx, 409, "the regime says no", c, 1);
}

static int notify_effect(struct wf_ctx *ctx)
{
	static const struct wf_cite c[] = {{"MajorIncidentRules", "4", 0, 0}};
	json_t *b = wf_cites_json(c, 1, ctx->date);
	int rc = notice_send(ctx->db, "mhlw", NULL, "toy notice", "toy", ctx->id, b);
	json_decref(b);
	/* a provision the step already cites is not listed twice */
	wf_add_basis(ctx, regime_cite("MajorIncidentRules", "4", 0, 0, ctx->date));
	wf_add_basis(ctx, regime_cite("MajorIncidentRules", "6", 0, 0, ctx->date));
	wf_add_basis(ctx, regime_cite("MajorIncidentRules", "6", 0, 0, ctx->date));
	return rc;
}

static int redirect_effect(struct wf_ctx *ctx)
{
	ctx->next_state = "elsewhere";
	json_object_set_new(ctx->detail, "redirected", json_true());
	return CSHQ_OK;
}

static int set_flag_effect(struct wf_ctx *ctx)
{
	return store_exec(ctx->db, "UPDATE toy SET flag = 1");
}

/* the NISC row of "finish" is open only when the record's flag is set */
static int toy_open(struct wf_ctx *ctx, const struct wf_transition *t)
{
	static const struct wf_cite c[] = {{"MajorIncidentRules", "9", 2, 0}};
	if (strcmp(t->action, "finish") == 0 && t->party == WF_PARTY_NISC && !ctx->record)
		return wf_refuse(ctx, 409, "only with the flag", c, 1);
	return CSHQ_OK;
}

#define NISC ROLES_NISC
#define BODY (ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_STAFF))

static const struct wf_transition toy_steps[] = {
	{"new", "send", "sent", BODY, WF_PARTY_SUBJECT_OR_SUPERVISOR, need_text, NULL, notify_effect,
	 {{"MajorIncidentRules", "4", 0, 0}}, "送付", "Send"},
	{"sent", "pass", "passed", BODY, WF_PARTY_SUPERVISOR, NULL, NULL, NULL, {{"Act", "31", 1, 0}}, "提供", "Pass"},
	{"passed", "judge", "judged", NISC, WF_PARTY_NISC, NULL, guard_yes, NULL, {{"MajorIncidentRules", "1", 0, 0}},
	 "判断", "Judge"},
	{"passed", "detour", "somewhere", NISC, WF_PARTY_NISC, NULL, NULL, redirect_effect, {{"Act", "31", 1, 0}},
	 "迂回", "Detour"},
	{"*", "flag", NULL, NISC, WF_PARTY_NISC, NULL, NULL, set_flag_effect, {{"MajorIncidentRules", "9", 2, 0}},
	 "旗", "Flag"},
	{"judged", "finish", "done", ROLE_BIT(ROLE_HQ), WF_PARTY_HQ, NULL, NULL, NULL, {{"MajorIncidentRules", "7", 0, 0}},
	 "終了", "Finish"},
	{"judged", "finish", "done", NISC, WF_PARTY_NISC, NULL, NULL, NULL, {{"MajorIncidentRules", "7", 0, 0}},
	 "終了（NISC）", "Finish (NISC)"},
	{"*", "peek", NULL, ROLE_BIT(ROLE_DELEGATE), WF_PARTY_GRANTED, NULL, NULL, NULL, {{"Act", "30", 2, 0}},
	 "閲覧", "Peek"},
};

static const char *const toy_final[] = {"done", NULL};

static const struct wf_machine toy = {
	.kind = "toy",
	.table = "toy",
	.steps = toy_steps,
	.n_steps = CSHQ_ARRAY_LEN(toy_steps),
	.final_states = toy_final,
	.load = toy_load,
	.step_open = toy_open,
};

static int apply(const struct principal *p, int64_t id, const char *action, const char *body, struct wf_ctx *ctx)
{
	json_t *in = body ? json_loads(body, 0, NULL) : NULL;
	int rc = wf_apply(db, p, &toy, id, action, in, ctx);
	json_decref(in);
	return rc;
}

static bool basis_has(const struct wf_ctx *ctx, const char *doc, const char *article)
{
	for (size_t i = 0; i < ctx->n_basis; i++)
		if (strcmp(ctx->basis[i]->doc, doc) == 0 && strcmp(ctx->basis[i]->article, article) == 0)
			return true;
	return false;
}

static bool has_action(json_t *a, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) if (strcmp(json_string_value(v), name) == 0) return true;
	return false;
}

static void order_of_checks(void **state)
{
	struct principal jps = user("jps", ORG_CORPORATION, BODY);
	struct principal nict = user("nict", ORG_IAI, BODY);
	struct principal mhlw_ciso = user("mhlw", ORG_MINISTRY, ROLE_BIT(ROLE_CISO));
	int64_t id = toy_new("new", "jps", 2);
	struct wf_ctx ctx;

	/* not visible: 404 before anything else, even for an unknown action */
	assert_int_equal(apply(&nict, id, "nonsense", NULL, &ctx), CSHQ_ENOTFOUND);
	assert_int_equal(ctx.status, 404);
	wf_ctx_release(&ctx);
	assert_int_equal(apply(&jps, id + 1000, "send", NULL, &ctx), CSHQ_ENOTFOUND);
	assert_int_equal(ctx.status, 404);
	wf_ctx_release(&ctx);
	/* unknown action */
	assert_int_equal(apply(&jps, id, "nonsense", NULL, &ctx), CSHQ_ENOTFOUND);
	assert_int_equal(ctx.status, 404);
	wf_ctx_release(&ctx);
	/* the state does not allow it */
	assert_int_equal(apply(&jps, id, "pass", NULL, &ctx), CSHQ_ECONFLICT);
	assert_int_equal(ctx.status, 409);
	wf_ctx_release(&ctx);
	/* visible, right state, wrong role: 403 */
	assert_int_equal(apply(&mhlw_ciso, id, "send", "{\"text\": \"x\"}", &ctx), CSHQ_EDENIED);
	assert_int_equal(ctx.status, 403);
	wf_ctx_release(&ctx);
	/* input check: 422, nothing changed */
	assert_int_equal(apply(&jps, id, "send", "{}", &ctx), CSHQ_EINVAL);
	assert_int_equal(ctx.status, 422);
	wf_ctx_release(&ctx);
	assert_int_equal(count("SELECT count(*) FROM toy WHERE state = 'new'"), 1);
	assert_int_equal(count("SELECT count(*) FROM wf_timeline WHERE record_kind = 'toy'"), 0);
}

static void step_changes_state_and_records_it(void **state)
{
	struct principal jps = user("jps", ORG_CORPORATION, BODY);
	struct principal mhlw = user("mhlw", ORG_MINISTRY, BODY);
	int64_t id = toy_new("new", "jps", 2);
	int64_t log_before = count("SELECT count(*) FROM audit_log");
	struct wf_ctx ctx;

	assert_int_equal(apply(&jps, id, "send", "{\"text\": \"x\"}", &ctx), CSHQ_OK);
	assert_int_equal(ctx.status, 200);
	assert_string_equal(ctx.state, "sent");
	wf_ctx_release(&ctx);
	assert_int_equal(count("SELECT count(*) FROM toy WHERE state = 'sent' AND updated_at IS NOT NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), log_before + 1);
	assert_int_equal(count("SELECT count(*) FROM notifications WHERE to_org = 'mhlw' AND record_kind = 'toy'"), 1);

	json_t *tl = NULL;
	assert_int_equal(wf_timeline_json(db, "toy", id, &tl), CSHQ_OK);
	assert_int_equal(json_array_size(tl), 1);
	json_t *e = json_array_get(tl, 0);
	assert_string_equal(json_string_value(json_object_get(e, "from")), "new");
	assert_string_equal(json_string_value(json_object_get(e, "to")), "sent");
	assert_string_equal(json_string_value(json_object_get(e, "actor")), "jps.user");
	/* Art. 4 once (cited by the row and added again by the effect), Art. 6 once */
	json_t *basis = json_object_get(e, "basis");
	assert_int_equal(json_array_size(basis), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(basis, 0), "article")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(basis, 1), "article")), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(basis, 0), "version")), "2016");
	json_decref(tl);

	/* the subject itself is not its supervisor: 403; the ministry over it passes it on */
	assert_int_equal(apply(&jps, id, "pass", NULL, &ctx), CSHQ_EDENIED);
	wf_ctx_release(&ctx);
	assert_int_equal(apply(&mhlw, id, "pass", NULL, &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);
}

static void guard_refuses_with_basis(void **state)
{
	struct principal nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	int64_t id = toy_new("passed", "jps", 2);
	struct wf_ctx ctx;
	assert_int_equal(apply(&nisc, id, "judge", "{}", &ctx), CSHQ_ECONFLICT);
	assert_int_equal(ctx.status, 409);
	assert_string_equal(ctx.message, "the regime says no");
	assert_int_equal(ctx.n_basis, 1);
	assert_string_equal(ctx.basis[0]->doc, "Act");
	assert_string_equal(ctx.basis[0]->article, "30");
	assert_int_equal(ctx.basis[0]->paragraph, 1);
	wf_ctx_release(&ctx);
	assert_int_equal(count("SELECT count(*) FROM toy WHERE state = 'passed'"), 1);
	assert_int_equal(apply(&nisc, id, "judge", "{\"yes\": true}", &ctx), CSHQ_OK);
	assert_string_equal(ctx.state, "judged");
	wf_ctx_release(&ctx);
}

static void effect_redirects_the_target(void **state)
{
	struct principal nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	int64_t id = toy_new("passed", "jps", 2);
	struct wf_ctx ctx;
	assert_int_equal(apply(&nisc, id, "detour", NULL, &ctx), CSHQ_OK);
	assert_string_equal(ctx.state, "elsewhere");
	wf_ctx_release(&ctx);
	assert_int_equal(count("SELECT count(*) FROM toy WHERE state = 'elsewhere'"), 1);
	json_t *tl = NULL;
	assert_int_equal(wf_timeline_json(db, "toy", id, &tl), CSHQ_OK);
	json_t *e = json_array_get(tl, 0);
	assert_string_equal(json_string_value(json_object_get(e, "to")), "elsewhere");
	assert_true(json_is_true(json_object_get(json_object_get(e, "detail"), "redirected")));
	json_decref(tl);
}

static void rows_open_under_a_condition(void **state)
{
	struct principal nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	struct principal hq = user("hq", ORG_HQ, ROLE_BIT(ROLE_HQ));
	int64_t id = toy_new("judged", "nisc", 2);
	struct wf_ctx ctx;

	/* not offered to NISC while closed; offered to HQ */
	assert_int_equal(wf_load_visible(db, &nisc, &toy, id, &ctx), CSHQ_OK);
	json_t *a = wf_allowed_actions(&ctx);
	assert_false(has_action(a, "finish"));
	assert_true(has_action(a, "flag"));
	assert_int_equal(ctx.n_basis, 0); /* asking left no refusal behind */
	json_decref(a);
	wf_ctx_release(&ctx);
	assert_int_equal(wf_load_visible(db, &hq, &toy, id, &ctx), CSHQ_ENOTFOUND); /* hq sees only its own */
	wf_ctx_release(&ctx);

	assert_int_equal(apply(&nisc, id, "finish", NULL, &ctx), CSHQ_ECONFLICT);
	assert_int_equal(ctx.status, 409);
	assert_true(basis_has(&ctx, "MajorIncidentRules", "9"));
	wf_ctx_release(&ctx);
	assert_int_equal(apply(&nisc, id, "flag", NULL, &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);
	assert_int_equal(wf_load_visible(db, &nisc, &toy, id, &ctx), CSHQ_OK);
	a = wf_allowed_actions(&ctx);
	assert_true(has_action(a, "finish"));
	json_decref(a);
	wf_ctx_release(&ctx);
	assert_int_equal(apply(&nisc, id, "finish", NULL, &ctx), CSHQ_OK);
	assert_string_equal(ctx.state, "done");
	/* the refusal of the closed attempt left nothing in the successful step's basis */
	wf_ctx_release(&ctx);
	json_t *tl = NULL;
	assert_int_equal(wf_timeline_json(db, "toy", id, &tl), CSHQ_OK);
	json_t *last = json_array_get(tl, json_array_size(tl) - 1);
	assert_int_equal(json_array_size(json_object_get(last, "basis")), 1);
	json_decref(tl);
	/* "*" rows do not apply in a final state */
	assert_int_equal(apply(&nisc, id, "flag", NULL, &ctx), CSHQ_ECONFLICT);
	wf_ctx_release(&ctx);
	assert_int_equal(wf_load_visible(db, &nisc, &toy, id, &ctx), CSHQ_OK);
	a = wf_allowed_actions(&ctx);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	wf_ctx_release(&ctx);
}

static void grants_make_a_party(void **state)
{
	struct principal ipa = user("ipa", ORG_IAI, ROLE_BIT(ROLE_DELEGATE));
	int64_t id = toy_new("new", "jps", 3);
	struct wf_ctx ctx;
	assert_int_equal(apply(&ipa, id, "peek", NULL, &ctx), CSHQ_ENOTFOUND);
	wf_ctx_release(&ctx);
	assert_int_equal(vis_grant(db, "toy", id, "ipa", 0, "delegation"), CSHQ_OK);
	int64_t reads = count("SELECT count(*) FROM audit_log WHERE action = 'delegate_read'");
	assert_int_equal(apply(&ipa, id, "peek", NULL, &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'delegate_read'"), reads + 1);
	assert_int_equal(vis_revoke(db, "toy", id, "ipa"), CSHQ_OK);
	assert_int_equal(apply(&ipa, id, "peek", NULL, &ctx), CSHQ_ENOTFOUND);
	wf_ctx_release(&ctx);
}

/* A step cites the version in force on the day it is taken. */
static void citations_follow_the_date(void **state)
{
	static const struct wf_cite c[] = {{"MajorIncidentRules", "4", 0, 0}, {"MajorIncidentRules", "5", 5, 0}};
	int32_t before = date_from_ymd(2016, 10, 20), after = date_from_ymd(2016, 10, 21);
	json_t *old = wf_cites_json(c, 2, before), *amended = wf_cites_json(c, 2, after);
	assert_int_equal(json_array_size(old), 1); /* 5(5) did not exist before */
	assert_string_equal(json_string_value(json_object_get(json_array_get(old, 0), "version")), "2015");
	assert_int_equal(json_array_size(amended), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(amended, 0), "version")), "2016");
	json_decref(old);
	json_decref(amended);
	struct wf_ctx ctx = {.date = before};
	assert_int_equal(wf_refuse(&ctx, 409, "x", c, 2), CSHQ_ECONFLICT);
	assert_int_equal(ctx.n_basis, 1);
	assert_string_equal(ctx.basis[0]->version, "2015");
	assert_int_equal(wf_refuse(&ctx, 422, "y", NULL, 0), CSHQ_EINVAL);
	assert_int_equal(wf_refuse(&ctx, 403, "z", NULL, 0), CSHQ_EDENIED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(order_of_checks, begin, rollback),
		cmocka_unit_test_setup_teardown(step_changes_state_and_records_it, begin, rollback),
		cmocka_unit_test_setup_teardown(guard_refuses_with_basis, begin, rollback),
		cmocka_unit_test_setup_teardown(effect_redirects_the_target, begin, rollback),
		cmocka_unit_test_setup_teardown(rows_open_under_a_condition, begin, rollback),
		cmocka_unit_test_setup_teardown(grants_make_a_party, begin, rollback),
		cmocka_unit_test(citations_follow_the_date),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
