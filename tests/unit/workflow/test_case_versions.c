/* test_case_versions.c: the report and case machines of spec 20 run by the engine under the
 * version of the rules in force on the day of each step. The API tests run today, under the
 * amended rules; here the effective date of the amendment is moved past today
 * (regime_set_effective_date), so every step is taken under the 2015 text: no HQ
 * deliberation (results are notified without it, 2015 Art. 5(3)), the recommendation
 * accompanies the evaluation (2015 Art. 7), no delegation to IPA, an IAI's event is no
 * item 1 - and each step cites the 2015 provisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/timeutil.h"
#include "modules/incidents.h"
#include "modules/registry.h"
#include "workflow/workflow.h"

static struct store *db;
static int32_t amendment;

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
	if (store_commit(db) != CSHQ_OK)
		return -1;
	amendment = regime_effective_date();
	regime_set_effective_date(date_from_ymd(2100, 1, 1)); /* today is before it */
	return store_begin(db, true) == CSHQ_OK ? 0 : -1;
}

static int teardown(void **state)
{
	regime_set_effective_date(amendment);
	store_rollback(db);
	store_disconnect(db);
	return 0;
}

static struct principal user(const char *org, enum org_kind kind, uint32_t roles)
{
	struct principal p = {.kind = PRINCIPAL_USER, .org_kind = kind, .roles = roles};
	snprintf(p.org, sizeof(p.org), "%s", org);
	snprintf(p.login, sizeof(p.login), "%s.user", org);
	return p;
}

static struct principal mhlw, nisc, hq;

static int step(const struct wf_machine *m, const struct principal *p, int64_t id, const char *action,
		const char *body, struct wf_ctx *ctx)
{
	json_t *in = body ? json_loads(body, 0, NULL) : NULL;
	int rc = wf_apply(db, p, m, id, action, in, ctx);
	json_decref(in);
	return rc;
}

static bool refused_citing(const struct wf_ctx *ctx, const char *doc, const char *version, const char *article)
{
	for (size_t i = 0; i < ctx->n_basis; i++)
		if (strcmp(ctx->basis[i]->doc, doc) == 0 && strcmp(ctx->basis[i]->version, version) == 0 &&
		    strcmp(ctx->basis[i]->article, article) == 0)
			return true;
	return false;
}

/* The last timeline entry of a record cites doc/version/article. */
static bool last_cites(const char *kind, int64_t id, const char *doc, const char *version, int article)
{
	json_t *tl = NULL;
	assert_int_equal(wf_timeline_json(db, kind, id, &tl), CSHQ_OK);
	json_t *e = json_array_get(tl, json_array_size(tl) - 1);
	bool found = false;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(e, "basis"), i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "doc")), doc) == 0 &&
		    strcmp(json_string_value(json_object_get(c, "version")), version) == 0 &&
		    json_integer_value(json_object_get(c, "article")) == article)
			found = true;
	}
	json_decref(tl);
	return found;
}

static bool offered(const struct wf_machine *m, const struct principal *p, int64_t id, const char *action)
{
	struct wf_ctx ctx;
	assert_int_equal(wf_load_visible(db, p, m, id, &ctx), CSHQ_OK);
	json_t *a = wf_allowed_actions(&ctx);
	bool found = false;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) found |= strcmp(json_string_value(v), action) == 0;
	json_decref(a);
	wf_ctx_release(&ctx);
	return found;
}

static int64_t file_report(const struct principal *p, const char *subject, int item, struct inc_error *e)
{
	char body[300];
	snprintf(body, sizeof(body),
		 "{\"subject\": \"%s\", \"item\": %d, \"title\": \"t\", \"summary\": \"s\", "
		 "\"occurred_at\": \"2020-04-01T10:00:00+09:00\"}",
		 subject, item);
	json_t *in = json_loads(body, 0, NULL);
	int64_t id = 0;
	int rc = report_create(db, p, in, &id, e);
	json_decref(in);
	return rc == CSHQ_OK ? id : -1;
}

static void old_version_path(void **state)
{
	mhlw = user("mhlw", ORG_MINISTRY, ROLE_BIT(ROLE_CSIRT));
	nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_DIRECTOR));
	hq = user("hq", ORG_HQ, ROLE_BIT(ROLE_HQ));
	assert_false(regime_amended_on(date_today()));
	struct inc_error e = {0};
	struct wf_ctx ctx;

	/* under the 2015 rules an IAI's event is no item 1 (DataProvisionRules 2015 1(1)(i)) */
	assert_int_equal(file_report(&mhlw, "pmda", 1, &e), -1);
	assert_int_equal(e.status, 409);
	inc_error_release(&e);

	int64_t rid = file_report(&mhlw, "mhlw", 1, &e);
	assert_true(rid > 0);
	assert_int_equal(step(&report_machine, &mhlw, rid, "submit", NULL, &ctx), CSHQ_OK);
	assert_string_equal(ctx.state, "received");
	wf_ctx_release(&ctx);
	assert_true(last_cites("report", rid, "DataProvisionRules", "2015", 1));
	assert_int_equal(step(&report_machine, &nisc, rid, "confirm_major", "{\"criteria\": [1], \"rationale\": \"r\"}", &ctx),
			 CSHQ_OK);
	wf_ctx_release(&ctx);
	int64_t cid = 0;
	assert_int_equal(store_query_int64(db, "SELECT max(id) FROM cases", &cid), CSHQ_OK);
	assert_true(last_cites("case", cid, "MajorIncidentRules", "2015", 4));

	/* no delegation before the amendment, for anybody */
	assert_int_equal(step(&case_machine, &nisc, cid, "start_supplementary_investigation",
			      "{\"performer\": \"delegate\"}", &ctx),
			 CSHQ_ECONFLICT);
	assert_true(refused_citing(&ctx, "MajorIncidentRules", "2015", "9"));
	wf_ctx_release(&ctx);
	assert_int_equal(step(&case_machine, &nisc, cid, "start_supplementary_investigation",
			      "{\"performer\": \"contractor\"}", &ctx),
			 CSHQ_OK);
	wf_ctx_release(&ctx);
	assert_true(last_cites("case", cid, "MajorIncidentRules", "2015", 5));
	assert_int_equal(step(&case_machine, &nisc, cid, "compile_results", "{\"summary\": \"s\"}", &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);

	/* results are notified without HQ deliberation (2015 Art. 5(3)) */
	assert_true(offered(&case_machine, &nisc, cid, "notify_results"));
	assert_int_equal(wf_load_visible(db, &hq, &case_machine, cid, &ctx), CSHQ_ENOTFOUND); /* HQ not involved */
	wf_ctx_release(&ctx);
	assert_int_equal(step(&case_machine, &nisc, cid, "notify_results", NULL, &ctx), CSHQ_OK);
	assert_string_equal(ctx.state, "results_notified");
	wf_ctx_release(&ctx);
	assert_true(last_cites("case", cid, "MajorIncidentRules", "2015", 5));

	/* the recommendation is not a step of its own (2015 Art. 7) */
	assert_false(offered(&case_machine, &nisc, cid, "recommend"));
	assert_int_equal(step(&case_machine, &nisc, cid, "recommend", "{\"recommendation\": \"x\"}", &ctx), CSHQ_ECONFLICT);
	assert_true(refused_citing(&ctx, "MajorIncidentRules", "2015", "7"));
	wf_ctx_release(&ctx);

	assert_int_equal(step(&case_machine, &mhlw, cid, "submit_recovery_plan", "{\"plan\": \"p\"}", &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);
	/* evaluation: HQ's, NISC's in an emergency (2015 Art. 9(2)) */
	assert_int_equal(step(&case_machine, &nisc, cid, "evaluate_measures", "{\"evaluation\": \"e\"}", &ctx),
			 CSHQ_ECONFLICT);
	assert_true(refused_citing(&ctx, "MajorIncidentRules", "2015", "9"));
	wf_ctx_release(&ctx);
	assert_int_equal(step(&case_machine, &nisc, cid, "set_emergency", "{\"reason\": \"r\"}", &ctx), CSHQ_OK);
	wf_ctx_release(&ctx);
	int64_t before = 0, after = 0;
	assert_int_equal(store_query_int64(db, "SELECT count(*) FROM notifications", &before), CSHQ_OK);
	assert_int_equal(step(&case_machine, &nisc, cid, "evaluate_measures",
			      "{\"evaluation\": \"e\", \"recommendation\": \"r\"}", &ctx),
			 CSHQ_OK);
	assert_string_equal(ctx.state, "closed");
	wf_ctx_release(&ctx);
	assert_true(last_cites("case", cid, "MajorIncidentRules", "2015", 7));
	/* the result and the recommendation it carries, each to the ministry's head */
	assert_int_equal(store_query_int64(db, "SELECT count(*) FROM notifications", &after), CSHQ_OK);
	assert_int_equal(after - before, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(old_version_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
