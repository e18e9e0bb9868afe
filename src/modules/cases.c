/* cases.c: specified major incident cases (MajorIncidentRules): the case machine with every
 * step of spec 20 (who, guard, effect, basis), the stages of Art. 3(1) and the time spent in
 * each, target durations, the list with its overdue filter.
 *
 * Versions: each step's basis is resolved on the day it is taken (the engine does it), and
 * where the two versions differ in what may be done the step's `when` asks the version in
 * force that day: HQ deliberation of results exists only in the amended text (5(3)); before
 * it, results are notified without deliberation and Art. 7 carries the recommendation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/incidents.h"
#include "modules/registry.h"

#define NISC_ROLES ROLES_NISC
#define HQ_ROLES ROLE_BIT(ROLE_HQ)
#define BODY_ROLES (ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_STAFF))

/* The Act 30(1) delegates (政令で定める法人): IPA. Data, so a cabinet order adding another
 * body adds a row. */
static const char *const delegate_orgs[] = {"ipa", NULL};

struct case_row {
	char subject[33], state[48], performer[16], delegate_org[33], tlp[16];
	int stage, confidentiality;
	bool emergency, materials_requested;
	int64_t report_id, stage_since, occurred_at, opened_at, closed_at, updated_at;
	int32_t occurred_date;
	char *emergency_reason, *criteria, *rationale, *created_by, *title;
};

static const struct {
	const char *state;
	int stage;
	const char *label_ja;
} case_states[] = {
	{"opened", 1, "事象発生の把握"},
	{"investigating", 2, "原因究明等（調査中）"},
	{"results_compiled", 2, "原因究明等（結果取りまとめ済み）"},
	{"results_deliberated", 2, "原因究明等（本部審議済み）"},
	{"results_notified", 3, "復旧・再発防止策の把握"},
	{"recovery_planned", 4, "復旧・再発防止策の評価"},
	{"closed", 4, "評価終了"},
};

static int stage_of(const char *state)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(case_states); i++)
		if (strcmp(case_states[i].state, state) == 0)
			return case_states[i].stage;
	return 1;
}

const char *case_state_label_ja(const char *state)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(case_states); i++)
		if (strcmp(case_states[i].state, state) == 0)
			return case_states[i].label_ja;
	return state;
}

const char *case_stage_label_ja(int stage)
{
	static const char *const labels[] = {"事象発生の把握", "原因究明等", "復旧・再発防止策の把握",
					     "復旧・再発防止策の評価"};
	return stage >= 1 && stage <= 4 ? labels[stage - 1] : "";
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int case_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
			       "SELECT c.subject, c.state, c.stage, c.stage_since, c.emergency, c.emergency_reason, "
			       "c.confidentiality, c.criteria, c.rationale, c.occurred_at, c.opened_at, c.closed_at, "
			       "c.performer, c.delegate_org, c.materials_requested, c.created_by, c.updated_at, "
			       "c.report_id, r.tlp, r.occurred_date, r.title FROM cases c JOIN reports r ON r.id = c.report_id "
			       "WHERE c.id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct case_row *c = xcalloc(1, sizeof(*c));
	copy(c->subject, sizeof(c->subject), store_column_text(st, 0));
	copy(c->state, sizeof(c->state), store_column_text(st, 1));
	c->stage = (int)store_column_int64(st, 2);
	c->stage_since = store_column_int64(st, 3);
	c->emergency = store_column_int64(st, 4) != 0;
	const char *er = store_column_text(st, 5);
	c->emergency_reason = er ? xstrdup(er) : NULL;
	c->confidentiality = (int)store_column_int64(st, 6);
	c->criteria = xstrdup(store_column_text(st, 7));
	c->rationale = xstrdup(store_column_text(st, 8));
	c->occurred_at = store_column_int64(st, 9);
	c->opened_at = store_column_int64(st, 10);
	c->closed_at = store_column_int64(st, 11);
	copy(c->performer, sizeof(c->performer), store_column_text(st, 12));
	copy(c->delegate_org, sizeof(c->delegate_org), store_column_text(st, 13));
	c->materials_requested = store_column_int64(st, 14) != 0;
	c->created_by = xstrdup(store_column_text(st, 15));
	c->updated_at = store_column_int64(st, 16);
	c->report_id = store_column_int64(st, 17);
	copy(c->tlp, sizeof(c->tlp), store_column_text(st, 18));
	c->occurred_date = (int32_t)store_column_int64(st, 19);
	c->title = xstrdup(store_column_text(st, 20));
	while (store_step(st) == STORE_ROW)
		;
	ctx->record = c;
	copy(ctx->state, sizeof(ctx->state), c->state);
	copy(ctx->subject_org, sizeof(ctx->subject_org), c->subject);
	ctx->confidentiality = c->confidentiality;
	return CSHQ_OK;
}

static void case_unload(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	free(c->emergency_reason);
	free(c->criteria);
	free(c->rationale);
	free(c->created_by);
	free(c->title);
	free(c);
	ctx->record = NULL;
}

/* ---- input checks (422). Spec 80 gives bodies only for start_supplementary_investigation,
 * request_cooperation and set_emergency; the other steps take an optional text (what was
 * found, decided, advised...) kept in their timeline entry. */

static int only_keys(struct wf_ctx *ctx, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(ctx->input, k, v)
	{
		bool ok = false;
		for (const char *const *a = keys; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (!ok) {
			char m[160];
			snprintf(m, sizeof(m), "unknown field \"%.100s\"", k);
			return wf_refuse(ctx, 422, m, NULL, 0);
		}
	}
	return CSHQ_OK;
}

/* One required text field named key, and nothing else but the optional ones. */
static int text_input(struct wf_ctx *ctx, const char *key, bool required, const char *other)
{
	const char *keys[] = {key, other, NULL};
	int rc = only_keys(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	struct inc_error e = {0};
	bool ok = true;
	inc_text(ctx->input, key, required, INC_TEXT_MAX, &ok, &e);
	if (ok && other)
		inc_text(ctx->input, other, false, INC_TEXT_MAX, &ok, &e);
	return ok ? CSHQ_OK : wf_refuse(ctx, 422, e.detail, NULL, 0);
}

static int check_summary(struct wf_ctx *ctx)
{
	return text_input(ctx, "summary", false, NULL);
}

static int check_findings(struct wf_ctx *ctx)
{
	return text_input(ctx, "findings", false, NULL);
}

static int check_record(struct wf_ctx *ctx)
{
	return text_input(ctx, "record", false, "meeting");
}

static int check_results_note(struct wf_ctx *ctx)
{
	return text_input(ctx, "note", false, NULL);
}

static int check_recommendation(struct wf_ctx *ctx)
{
	return text_input(ctx, "recommendation", false, NULL);
}

static int check_guidance(struct wf_ctx *ctx)
{
	return text_input(ctx, "guidance", false, NULL);
}

static int check_plan(struct wf_ctx *ctx)
{
	return text_input(ctx, "plan", false, NULL);
}

static int check_evaluation(struct wf_ctx *ctx)
{
	return text_input(ctx, "evaluation", false, "recommendation");
}

static int check_detail(struct wf_ctx *ctx)
{
	return text_input(ctx, "detail", false, NULL);
}

static int check_reason(struct wf_ctx *ctx)
{
	return text_input(ctx, "reason", true, NULL);
}

static int check_supplementary(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"performer", "delegate_org", "request_materials", NULL};
	int rc = only_keys(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	const char *p = json_string_value(json_object_get(ctx->input, "performer"));
	if (!p || (strcmp(p, "nisc") != 0 && strcmp(p, "contractor") != 0 && strcmp(p, "delegate") != 0))
		return wf_refuse(ctx, 422, "performer: \"nisc\", \"contractor\" or \"delegate\"", NULL, 0);
	json_t *d = json_object_get(ctx->input, "delegate_org");
	if (d && !json_is_null(d)) {
		const char *org = json_string_value(d);
		bool known = false;
		for (const char *const *k = delegate_orgs; org && *k; k++)
			known |= strcmp(*k, org) == 0;
		if (strcmp(p, "delegate") != 0)
			return wf_refuse(ctx, 422, "delegate_org: only with performer \"delegate\"", NULL, 0);
		if (!known)
			return wf_refuse(ctx, 422, "delegate_org: not a body delegated under Act 30(1) (\"ipa\")", NULL, 0);
	}
	struct inc_error e = {0};
	bool ok = true;
	inc_text(ctx->input, "request_materials", false, INC_TEXT_MAX, &ok, &e);
	return ok ? CSHQ_OK : wf_refuse(ctx, 422, e.detail, NULL, 0);
}

static int check_cooperation(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"trigger", "detail", NULL};
	int rc = only_keys(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	json_t *t = json_object_get(ctx->input, "trigger");
	json_int_t n = json_is_integer(t) ? json_integer_value(t) : 0;
	if (n < 1 || n > 3)
		return wf_refuse(ctx, 422, "trigger: 1, 2 or 3 (the items of MajorIncidentRules 8)", NULL, 0);
	struct inc_error e = {0};
	bool ok = true;
	inc_text(ctx->input, "detail", true, INC_TEXT_MAX, &ok, &e);
	return ok ? CSHQ_OK : wf_refuse(ctx, 422, e.detail, NULL, 0);
}

/* ---- shared pieces of the effects */

static const char *input_text(struct wf_ctx *ctx, const char *key)
{
	return json_string_value(json_object_get(ctx->input, key));
}

/* Keeps the step's input in its timeline entry. */
static void keep_input(struct wf_ctx *ctx)
{
	const char *k;
	json_t *v;
	json_object_foreach(ctx->input, k, v) json_object_set(ctx->detail, k, v);
}

/* The case's stage follows its state; stage_since restarts when the stage changes. */
static int sync_stage(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	const char *to = ctx->next_state ? ctx->next_state : ctx->state;
	int stage = stage_of(to);
	keep_input(ctx);
	if (stage == c->stage)
		return CSHQ_OK;
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "UPDATE cases SET stage = $1, stage_since = $2 WHERE id = $3", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, stage);
	store_bind_int64(st, 2, time_now());
	store_bind_int64(st, 3, ctx->id);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "stage", json_integer(stage));
	c->stage = stage;
	return CSHQ_OK;
}

static void subject_line(char *out, size_t n, const char *what, int64_t id)
{
	snprintf(out, n, "%s（事案 %lld）", what, (long long)id);
}

static int notify_heads(struct wf_ctx *ctx, int article, const char *what)
{
	struct case_row *c = ctx->record;
	char s[200];
	subject_line(s, sizeof(s), what, ctx->id);
	int rc = case_notify_heads(ctx->db, ctx->date, c->occurred_date, ctx->detail, c->subject, article, s, ctx->id);
	if (rc == CSHQ_ECONFLICT) {
		char a[4];
		snprintf(a, sizeof(a), "%d", article);
		const struct wf_cite cite = {"MajorIncidentRules", a, 0, 0};
		return wf_refuse(ctx, 409, "the regime names no head of this organisation for this step", &cite, 1);
	}
	return rc;
}

static int notify_org(struct wf_ctx *ctx, const char *org, const char *what, const struct wf_cite *cites, size_t n)
{
	char s[200];
	subject_line(s, sizeof(s), what, ctx->id);
	json_t *b = wf_cites_json(cites, n, ctx->date);
	int rc = inc_notice(ctx->db, ctx->detail, org, s, "case", ctx->id, b);
	json_decref(b);
	return rc;
}

static int has_grant(struct store *db, int64_t id, const char *org, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT 1 FROM access_grants WHERE record_kind = 'case' AND record_id = $1 AND "
			       "grantee_org = $2 AND until_at IS NULL",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_text(st, 2, org);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* HQ members see a case they deliberate on or evaluate (spec 20: visible to HQ members for
 * deliberations). */
static int grant_hq(struct wf_ctx *ctx)
{
	bool open;
	int rc = has_grant(ctx->db, ctx->id, "hq", &open);
	if (rc != CSHQ_OK || open)
		return rc;
	return vis_grant(ctx->db, "case", ctx->id, "hq", 0, "HQ deliberation and evaluation (MajorIncidentRules 5(3), 7)");
}

/* Ends an open delegation (Act 30(1)): the delegate's users no longer see the case. */
static int end_delegation(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	if (!c->delegate_org[0])
		return CSHQ_OK;
	bool open;
	int rc = has_grant(ctx->db, ctx->id, c->delegate_org, &open);
	if (rc != CSHQ_OK || !open)
		return rc;
	json_object_set_new(ctx->detail, "delegation_ended", json_string(c->delegate_org));
	return vis_revoke(ctx->db, "case", ctx->id, c->delegate_org);
}

/* ---- opening (the effect of confirm_major on the report) */

int case_open(struct wf_ctx *rctx, int32_t occurred_date, int64_t *case_id)
{
	json_t *criteria = json_object_get(rctx->input, "criteria");
	const char *rationale = json_string_value(json_object_get(rctx->input, "rationale"));
	char *crit = json_dumps(criteria, JSON_COMPACT);
	struct store_stmt *st;
	int64_t now = time_now();
	int rc = store_prepare(rctx->db,
			       "INSERT INTO cases (report_id, subject, state, stage, stage_since, confidentiality, "
			       "criteria, rationale, occurred_at, opened_at, created_by, updated_at) "
			       "SELECT id, subject, 'opened', 1, $2, 3, $3, $4, occurred_at, $2, $5, $2 FROM reports "
			       "WHERE id = $1 RETURNING id",
			       &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, rctx->id);
		store_bind_int64(st, 2, now);
		store_bind_text(st, 3, crit);
		store_bind_text(st, 4, rationale);
		store_bind_text(st, 5, rctx->who->login);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*case_id = store_column_int64(st, 0);
			rc = CSHQ_OK;
		} else {
			rc = rc == CSHQ_ECONFLICT ? CSHQ_ECONFLICT : CSHQ_ERR;
		}
		while (store_step(st) == STORE_ROW)
			;
	}
	free(crit);
	if (rc != CSHQ_OK)
		return rc;
	/* Art. 2: secrecy; the NISC case team is who confirmed it (class 3 at NISC) */
	if ((rc = vis_grant(rctx->db, "case", *case_id, rctx->who->org, rctx->who->user_id,
			    "NISC case team (MajorIncidentRules 2, 9(1))")) != CSHQ_OK)
		return rc;
	json_t *detail = json_pack("{s:o, s:O, s:s}", "report", inc_id_json(rctx->id), "criteria", criteria,
				   "rationale", rationale);
	char s[200];
	snprintf(s, sizeof(s), "特定重大事象の発生の確認（事案 %lld）", (long long)*case_id);
	rc = case_notify_heads(rctx->db, rctx->date, occurred_date, detail, rctx->subject_org, 4, s, *case_id);
	if (rc == CSHQ_OK) {
		json_t *n = json_object_get(detail, "notices");
		if (n)
			json_object_set(rctx->detail, "notices", n);
		static const struct wf_cite cites[] = {{"MajorIncidentRules", "4", 0, 0},
						       {"MajorIncidentRules", "3", 1, 1}};
		json_t *basis = wf_cites_json(cites, 2, rctx->date);
		size_t i;
		json_t *v;
		json_array_foreach(criteria, i, v)
		{
			const struct regime_citation *c =
				regime_cite("MajorIncidentRules", "1", 0, (int)json_integer_value(v), occurred_date);
			if (c)
				json_array_append_new(basis, citation_json(c));
		}
		rc = wf_timeline_add(rctx->db, rctx->who, "case", *case_id, "confirm", NULL, "opened", detail, basis);
		json_decref(basis);
	}
	json_decref(detail);
	return rc;
}

/* ---- the steps */

static int org_investigation_effect(struct wf_ctx *ctx)
{
	static const struct wf_cite c[] = {{"MajorIncidentRules", "3", 2, 0}};
	int rc = sync_stage(ctx);
	return rc ? rc : notify_org(ctx, "nisc", "当該行政機関等による調査の報告", c, 1);
}

/* A delegate performs the investigation only for an IAI or designated corporation under the
 * amended rules (Act 30(1); MajorIncidentRules 5(5)); one supplementary investigation at a
 * time. */
static int supplementary_guard(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	if (c->performer[0] && strcmp(c->state, "investigating") == 0)
		return wf_refuse(ctx, 409, "a supplementary investigation is already under way", NULL, 0);
	const char *p = input_text(ctx, "performer");
	if (strcmp(p, "delegate") != 0)
		return CSHQ_OK;
	struct registry_subject subj;
	int rc = registry_subject(ctx->db, c->subject, ctx->date, &subj);
	if (rc != CSHQ_OK)
		return wf_refuse(ctx, 500, "registry lookup failed", NULL, 0);
	struct regime_answer a;
	regime_evaluate(RF_DELEGATION, &subj.facts, ctx->date, &a);
	if (a.applies == RA_YES)
		return CSHQ_OK;
	rc = wf_refuse(ctx, 409,
		       "a supplementary investigation may be delegated (Act 30(1)) only for an IAI or a "
		       "designated corporation",
		       NULL, 0);
	for (size_t i = 0; i < a.n_basis; i++)
		wf_add_basis(ctx, a.basis[i]);
	return rc;
}

static int supplementary_effect(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	const char *performer = input_text(ctx, "performer");
	const char *materials = input_text(ctx, "request_materials");
	const char *delegate = NULL;
	if (strcmp(performer, "delegate") == 0) {
		delegate = input_text(ctx, "delegate_org");
		if (!delegate)
			delegate = delegate_orgs[0];
	}
	int rc = sync_stage(ctx);
	struct store_stmt *st;
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(ctx->db,
				"UPDATE cases SET performer = $1, delegate_org = $2, materials_requested = "
				"materials_requested + $3 WHERE id = $4",
				&st)) == CSHQ_OK) {
		store_bind_text(st, 1, performer);
		store_bind_text(st, 2, delegate);
		store_bind_int64(st, 3, materials && *materials ? 1 : 0);
		store_bind_int64(st, 4, ctx->id);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	/* Art. 5(2): prior notice to the head of the organisation, with the request for
	 * materials if any */
	if (rc == CSHQ_OK)
		rc = notify_heads(ctx, 5, materials && *materials ? "補充調査の実施の通知及び関係物件の提出等の協力の求め"
								 : "補充調査の実施の通知");
	if (rc == CSHQ_OK && delegate) {
		if ((rc = vis_grant(ctx->db, "case", ctx->id, delegate, 0,
				    "supplementary investigation delegated under Act 30(1); MajorIncidentRules 5(5)")) ==
		    CSHQ_OK) {
			static const struct wf_cite d[] = {{"Act", "30", 1, 0}, {"Act", "30", 2, 0},
							   {"MajorIncidentRules", "5", 5, 0}};
			rc = notify_org(ctx, delegate, "補充調査の委託（秘密保持義務: 法第30条第2項）", d, 3);
			wf_add_basis(ctx, regime_cite("Act", "30", 1, 0, ctx->date));
			wf_add_basis(ctx, regime_cite("MajorIncidentRules", "5", 5, 0, ctx->date));
			json_object_set_new(ctx->detail, "delegate_org", json_string(delegate));
		}
	}
	copy(c->delegate_org, sizeof(c->delegate_org), delegate);
	return rc;
}

static int findings_effect(struct wf_ctx *ctx)
{
	return sync_stage(ctx);
}

static int compile_effect(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	int rc = sync_stage(ctx);
	if (rc == CSHQ_OK)
		rc = end_delegation(ctx);
	/* amended: results go to an HQ meeting (5(3)) unless the emergency path applies (9(2)) */
	if (rc == CSHQ_OK && regime_amended_on(ctx->date) && !c->emergency) {
		static const struct wf_cite h[] = {{"MajorIncidentRules", "5", 3, 0}};
		rc = grant_hq(ctx);
		if (rc == CSHQ_OK)
			rc = notify_org(ctx, "hq", "原因究明等の結果の本部会合への付議", h, 1);
	}
	return rc;
}

static int amended_only(struct wf_ctx *ctx)
{
	if (regime_amended_on(ctx->date))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"MajorIncidentRules", "5", 3, 0}};
	return wf_refuse(ctx, 409,
			 "under the version in force today the results of a supplementary investigation are "
			 "notified without HQ deliberation",
			 c, 1);
}

/* notify_results straight from results_compiled: in an emergency (Art. 9(2)), or under the
 * old version where there is no deliberation (2015 Art. 5(3)). */
static int without_meeting(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	if (c->emergency) {
		wf_add_basis(ctx, regime_cite("MajorIncidentRules", "9", 2, 0, ctx->date));
		return CSHQ_OK;
	}
	if (!regime_amended_on(ctx->date))
		return CSHQ_OK;
	static const struct wf_cite cc[] = {{"MajorIncidentRules", "5", 3, 0}, {"MajorIncidentRules", "9", 2, 0}};
	return wf_refuse(ctx, 409,
			 "the results must first be deliberated at an HQ meeting, unless NISC has set the "
			 "emergency flag",
			 cc, 2);
}

static int deliberate_effect(struct wf_ctx *ctx)
{
	return sync_stage(ctx);
}

static int notify_results_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	return rc ? rc : notify_heads(ctx, 5, "原因究明等の結果の通知");
}

/* "HQ; NISC in an emergency" (Art. 9(2); 9(3)(i) for the recommendation). */
static int emergency_only(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	if (c->emergency)
		return CSHQ_OK;
	static const struct wf_cite cc[] = {{"MajorIncidentRules", "9", 2, 0}};
	return wf_refuse(ctx, 409, "NISC takes this step only in an emergency (set_emergency); otherwise HQ does",
			 cc, 1);
}

static int recommend_open(struct wf_ctx *ctx)
{
	if (regime_amended_on(ctx->date))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"MajorIncidentRules", "7", 0, 0}};
	return wf_refuse(ctx, 409,
			 "under the version in force today the recommendation accompanies the evaluation "
			 "(evaluate_measures with \"recommendation\")",
			 c, 1);
}

static int recommend_open_nisc(struct wf_ctx *ctx)
{
	int rc = recommend_open(ctx);
	return rc ? rc : emergency_only(ctx);
}

/* The recommendation under Act 27(3) goes to the ministry head (Art. 9 answers the
 * supervising ministries for an IAI or designated corporation). */
static int recommend_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	return rc ? rc : notify_heads(ctx, 9, "法第27条第3項の規定による勧告");
}

static int guidance_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	return rc ? rc : notify_heads(ctx, 6, "原因究明等及び復旧・再発防止策に関する指導及び助言");
}

static int plan_effect(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	static const struct wf_cite cc[] = {{"MajorIncidentRules", "3", 2, 0}};
	int rc = sync_stage(ctx);
	if (rc == CSHQ_OK && !c->emergency)
		rc = grant_hq(ctx);
	return rc ? rc : notify_org(ctx, "nisc", "復旧・再発防止策の提出", cc, 1);
}

static int evaluate_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	struct store_stmt *st;
	if (rc == CSHQ_OK && (rc = store_prepare(ctx->db, "UPDATE cases SET closed_at = $1 WHERE id = $2", &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, time_now());
		store_bind_int64(st, 2, ctx->id);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = end_delegation(ctx);
	if (rc == CSHQ_OK)
		rc = notify_heads(ctx, 7, "復旧・再発防止策の評価の結果の通知");
	const char *rec = input_text(ctx, "recommendation");
	if (rc == CSHQ_OK && rec && *rec) {
		if (regime_amended_on(ctx->date))
			rc = notify_heads(ctx, 9, "法第27条第3項の規定による勧告");
		else /* 2015 Art. 7 carries the recommendation itself */
			rc = notify_heads(ctx, 7, "法第27条第3項の規定による勧告");
	}
	return rc;
}

/* Art. 8: only for its three triggers; trigger 2 presupposes a 5(2) request. */
static int cooperation_guard(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	int trigger = (int)json_integer_value(json_object_get(ctx->input, "trigger"));
	if (trigger == 2 && !c->materials_requested) {
		int rc = wf_refuse(ctx, 409,
				   "trigger 2 presupposes a request for cooperation under Art. 5(2) "
				   "(start_supplementary_investigation with request_materials)",
				   NULL, 0);
		wf_add_basis(ctx, regime_cite("MajorIncidentRules", "8", 0, 2, ctx->date));
		wf_add_basis(ctx, regime_cite("MajorIncidentRules", "5", 2, 0, ctx->date));
		return rc;
	}
	return CSHQ_OK;
}

static int cooperation_effect(struct wf_ctx *ctx)
{
	int trigger = (int)json_integer_value(json_object_get(ctx->input, "trigger"));
	wf_add_basis(ctx, regime_cite("MajorIncidentRules", "8", 0, trigger, ctx->date));
	int rc = sync_stage(ctx);
	return rc ? rc : notify_heads(ctx, 8, "法第31条第2項の規定による協力の求め");
}

static int report_request_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	return rc ? rc : notify_heads(ctx, 9, "法第27条第4項の規定による報告の求め");
}

static int emergency_guard(struct wf_ctx *ctx)
{
	struct case_row *c = ctx->record;
	return c->emergency ? wf_refuse(ctx, 409, "the emergency flag is already set", NULL, 0) : CSHQ_OK;
}

static int emergency_effect(struct wf_ctx *ctx)
{
	int rc = sync_stage(ctx);
	struct store_stmt *st;
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(ctx->db, "UPDATE cases SET emergency = 1, emergency_reason = $1 WHERE id = $2", &st)) ==
		    CSHQ_OK) {
		store_bind_text(st, 1, input_text(ctx, "reason"));
		store_bind_int64(st, 2, ctx->id);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	return rc;
}

#define MIR(a, p, i) {"MajorIncidentRules", a, p, i}

static const struct wf_transition case_steps[] = {
	/* stage 2: the body's own investigation is the base (5(1)); its material reaches HQ
	 * from the ministry (3(2)) */
	{"opened", "record_org_investigation", "investigating", BODY_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR,
	 check_summary, NULL, org_investigation_effect, {MIR("5", 1, 0), MIR("3", 2, 0), MIR("3", 1, 2)},
	 "当該行政機関等による調査の報告", "Record the organisation's investigation"},
	{"investigating", "record_org_investigation", NULL, BODY_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR,
	 check_summary, NULL, org_investigation_effect, {MIR("5", 1, 0), MIR("3", 2, 0), MIR("3", 1, 2)},
	 "当該行政機関等による調査の報告", "Record the organisation's investigation"},
	{"opened", "start_supplementary_investigation", "investigating", NISC_ROLES, WF_PARTY_NISC,
	 check_supplementary, supplementary_guard, supplementary_effect, {MIR("5", 1, 0), MIR("5", 2, 0)},
	 "補充調査の開始", "Start a supplementary investigation"},
	{"investigating", "start_supplementary_investigation", NULL, NISC_ROLES, WF_PARTY_NISC,
	 check_supplementary, supplementary_guard, supplementary_effect, {MIR("5", 1, 0), MIR("5", 2, 0)},
	 "補充調査の開始", "Start a supplementary investigation"},
	{"investigating", "record_supplementary_findings", NULL, ROLE_BIT(ROLE_DELEGATE), WF_PARTY_GRANTED,
	 check_findings, NULL, findings_effect, {MIR("5", 5, 0), MIR("5", 1, 0)}, "補充調査の所見（受託法人）",
	 "Record findings (delegate)"},
	{"investigating", "record_supplementary_findings", NULL, NISC_ROLES, WF_PARTY_NISC, check_findings, NULL,
	 findings_effect, {MIR("5", 1, 0)}, "補充調査の所見", "Record findings"},
	{"investigating", "compile_results", "results_compiled", NISC_ROLES, WF_PARTY_NISC, check_summary, NULL,
	 compile_effect, {MIR("9", 1, 0), MIR("5", 3, 0)}, "原因究明等の結果の取りまとめ", "Compile the results"},
	{"results_compiled", "deliberate", "results_deliberated", HQ_ROLES, WF_PARTY_HQ, check_record, NULL,
	 deliberate_effect, {MIR("5", 3, 0)}, "本部会合における審議", "HQ deliberation"},
	{"results_deliberated", "notify_results", "results_notified", NISC_ROLES, WF_PARTY_NISC,
	 check_results_note, NULL, notify_results_effect, {MIR("5", 3, 0), MIR("9", 1, 0)},
	 "原因究明等の結果の通知", "Notify the results"},
	{"results_compiled", "notify_results", "results_notified", NISC_ROLES, WF_PARTY_NISC, check_results_note,
	 NULL, notify_results_effect, {MIR("5", 3, 0)}, "原因究明等の結果の通知（本部会合を経ない）",
	 "Notify the results without a meeting"},
	{"results_notified", "recommend", NULL, HQ_ROLES, WF_PARTY_HQ, check_recommendation, NULL,
	 recommend_effect, {MIR("5", 4, 0)}, "勧告その他所要の措置", "Recommend (Act 27(3))"},
	{"recovery_planned", "recommend", NULL, HQ_ROLES, WF_PARTY_HQ, check_recommendation, NULL,
	 recommend_effect, {MIR("5", 4, 0)}, "勧告その他所要の措置", "Recommend (Act 27(3))"},
	{"results_notified", "recommend", NULL, NISC_ROLES, WF_PARTY_NISC, check_recommendation, NULL,
	 recommend_effect, {MIR("5", 4, 0), MIR("9", 3, 1)}, "勧告（緊急時）", "Recommend (emergency)"},
	{"recovery_planned", "recommend", NULL, NISC_ROLES, WF_PARTY_NISC, check_recommendation, NULL,
	 recommend_effect, {MIR("5", 4, 0), MIR("9", 3, 1)}, "勧告（緊急時）", "Recommend (emergency)"},
	{"*", "give_guidance", NULL, NISC_ROLES, WF_PARTY_NISC, check_guidance, NULL, guidance_effect,
	 {MIR("6", 0, 0), MIR("9", 1, 0)}, "指導及び助言", "Give guidance and advice"},
	{"results_notified", "submit_recovery_plan", "recovery_planned", BODY_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR,
	 check_plan, NULL, plan_effect, {MIR("3", 1, 3), MIR("3", 2, 0)}, "復旧・再発防止策の提出",
	 "Submit the recovery and prevention plan"},
	{"recovery_planned", "submit_recovery_plan", NULL, BODY_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR, check_plan,
	 NULL, plan_effect, {MIR("3", 1, 3), MIR("3", 2, 0)}, "復旧・再発防止策の提出",
	 "Submit the recovery and prevention plan"},
	{"recovery_planned", "evaluate_measures", "closed", HQ_ROLES, WF_PARTY_HQ, check_evaluation, NULL,
	 evaluate_effect, {MIR("7", 0, 0), MIR("3", 1, 4)}, "復旧・再発防止策の評価", "Evaluate the measures"},
	{"recovery_planned", "evaluate_measures", "closed", NISC_ROLES, WF_PARTY_NISC, check_evaluation, NULL,
	 evaluate_effect, {MIR("7", 0, 0), MIR("9", 2, 0), MIR("3", 1, 4)}, "復旧・再発防止策の評価（緊急時）",
	 "Evaluate the measures (emergency)"},
	{"*", "request_cooperation", NULL, NISC_ROLES, WF_PARTY_NISC, check_cooperation, cooperation_guard,
	 cooperation_effect, {MIR("8", 0, 0), {"Act", "31", 2, 0}}, "協力の求め", "Request cooperation"},
	{"*", "request_report", NULL, NISC_ROLES, WF_PARTY_NISC, check_detail, NULL, report_request_effect,
	 {MIR("9", 3, 2)}, "報告の求め（法第27条第4項）", "Request a report (Act 27(4))"},
	{"*", "set_emergency", NULL, NISC_ROLES, WF_PARTY_NISC, check_reason, emergency_guard, emergency_effect,
	 {MIR("9", 2, 0)}, "緊急を要する場合の指定", "Set the emergency flag"},
};

static const char *const case_final[] = {"closed", NULL};

/* Rows open only under a condition of the record or of the version in force today. */
static const struct {
	const char *from, *action;
	enum wf_party party;
	wf_fn open;
} case_conditions[] = {
	{"results_compiled", "deliberate", WF_PARTY_HQ, amended_only},
	{"results_compiled", "notify_results", WF_PARTY_NISC, without_meeting},
	{"results_notified", "recommend", WF_PARTY_HQ, recommend_open},
	{"recovery_planned", "recommend", WF_PARTY_HQ, recommend_open},
	{"results_notified", "recommend", WF_PARTY_NISC, recommend_open_nisc},
	{"recovery_planned", "recommend", WF_PARTY_NISC, recommend_open_nisc},
	{"recovery_planned", "evaluate_measures", WF_PARTY_NISC, emergency_only},
};

static int case_step_open(struct wf_ctx *ctx, const struct wf_transition *t)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(case_conditions); i++)
		if (t->party == case_conditions[i].party && strcmp(t->from, case_conditions[i].from) == 0 &&
		    strcmp(t->action, case_conditions[i].action) == 0)
			return case_conditions[i].open(ctx);
	return CSHQ_OK;
}

const struct wf_machine case_machine = {
	.kind = "case",
	.table = "cases",
	.steps = case_steps,
	.n_steps = CSHQ_ARRAY_LEN(case_steps),
	.final_states = case_final,
	.load = case_load,
	.unload = case_unload,
	.step_open = case_step_open,
};

/* ---- targets */

int case_targets_get(struct store *db, int64_t hours[CASE_STAGES])
{
	for (int i = 0; i < CASE_STAGES; i++)
		hours[i] = 0;
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT key, value FROM settings WHERE key LIKE 'cases.stage_target_hours.%'", &st);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *k = store_column_text(st, 0), *v = store_column_text(st, 1);
		size_t n = strlen(k);
		int stage = n ? k[n - 1] - '0' : 0;
		if (stage >= 1 && stage <= CASE_STAGES && v)
			hours[stage - 1] = strtoll(v, NULL, 10);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int case_targets_set(struct store *db, const struct principal *who, const int64_t hours[CASE_STAGES])
{
	if (!principal_has(who, ROLE_ADMIN) && !principal_has(who, ROLE_NISC_DIRECTOR))
		return CSHQ_EDENIED;
	json_t *log = json_object();
	int rc = CSHQ_OK;
	for (int i = 0; i < CASE_STAGES && rc == CSHQ_OK; i++) {
		char key[48], val[24], stage[2] = {(char)('1' + i), 0};
		snprintf(key, sizeof(key), "cases.stage_target_hours.%d", i + 1);
		snprintf(val, sizeof(val), "%lld", (long long)hours[i]);
		struct store_stmt *st;
		if ((rc = store_prepare(db,
					"INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE "
					"SET value = excluded.value",
					&st)) != CSHQ_OK)
			break;
		store_bind_text(st, 1, key);
		store_bind_text(st, 2, val);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		json_object_set_new(log, stage, hours[i] ? json_integer(hours[i]) : json_null());
	}
	if (rc == CSHQ_OK) {
		char *d = json_dumps(log, JSON_COMPACT);
		rc = auditlog_append(db, who, "set_case_stage_targets", "settings", "cases.stage_target_hours", d);
		free(d);
	}
	json_decref(log);
	return rc;
}

/* ---- reading */

/* Time in each stage, from the case's timeline (every state change is an entry). */
static int stages_json(struct wf_ctx *ctx, const int64_t targets[CASE_STAGES], json_t **out)
{
	struct case_row *c = ctx->record;
	int64_t start[CASE_STAGES + 1] = {0}, end[CASE_STAGES + 1] = {0};
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
			       "SELECT at, to_state FROM wf_timeline WHERE record_kind = 'case' AND record_id = $1 "
			       "ORDER BY id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	int cur = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *to = store_column_text(st, 1);
		if (!to)
			continue;
		int s = stage_of(to);
		int64_t at = store_column_int64(st, 0);
		if (s != cur) {
			if (cur)
				end[cur] = at;
			if (!start[s])
				start[s] = at;
			end[s] = 0;
			cur = s;
		}
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	if (c->closed_at && cur)
		end[cur] = c->closed_at;
	int64_t now = time_now();
	json_t *a = json_array();
	for (int s = 1; s <= CASE_STAGES; s++) {
		int64_t secs = start[s] ? (end[s] ? end[s] : now) - start[s] : 0;
		int64_t target = targets[s - 1] * 3600;
		bool overdue = start[s] && !end[s] && !c->closed_at && target > 0 && secs > target;
		json_array_append_new(
			a, json_pack("{s:i, s:s, s:o, s:o, s:I, s:o, s:b, s:b}", "stage", s, "label_ja",
				     case_stage_label_ja(s), "started_at", inc_time_json(start[s]), "ended_at",
				     inc_time_json(end[s]), "seconds", (json_int_t)(secs < 0 ? 0 : secs), "target_hours",
				     targets[s - 1] ? json_integer(targets[s - 1]) : json_null(), "current",
				     s == c->stage && !c->closed_at, "overdue", overdue));
	}
	*out = a;
	return CSHQ_OK;
}

static bool is_overdue(const struct case_row *c, const int64_t targets[CASE_STAGES])
{
	int64_t t = c->stage >= 1 && c->stage <= CASE_STAGES ? targets[c->stage - 1] : 0;
	return !c->closed_at && t > 0 && time_now() - c->stage_since > t * 3600;
}

int case_record_json(struct wf_ctx *ctx, json_t **out)
{
	struct case_row *c = ctx->record;
	int64_t targets[CASE_STAGES];
	json_t *stages = NULL, *timeline = NULL;
	int rc = case_targets_get(ctx->db, targets);
	if (rc == CSHQ_OK)
		rc = stages_json(ctx, targets, &stages);
	if (rc == CSHQ_OK)
		rc = wf_timeline_json(ctx->db, "case", ctx->id, &timeline);
	if (rc != CSHQ_OK) {
		json_decref(stages);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", inc_id_json(ctx->id));
	json_object_set_new(o, "report", inc_id_json(c->report_id));
	json_object_set_new(o, "subject", json_string(c->subject));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "stage", json_integer(c->stage));
	json_object_set_new(o, "stage_label_ja", json_string(case_stage_label_ja(c->stage)));
	json_object_set_new(o, "state", json_string(ctx->state));
	json_object_set_new(o, "emergency", json_boolean(c->emergency));
	json_object_set_new(o, "emergency_reason", c->emergency_reason ? json_string(c->emergency_reason) : json_null());
	json_t *crit = json_loads(c->criteria, 0, NULL);
	json_object_set_new(o, "criteria", crit ? crit : json_array());
	json_object_set_new(o, "rationale", json_string(c->rationale));
	json_object_set_new(o, "confidentiality", json_integer(c->confidentiality));
	json_object_set_new(o, "tlp", json_string(c->tlp));
	json_object_set_new(o, "occurred_at", inc_time_json(c->occurred_at));
	json_object_set_new(o, "opened_at", inc_time_json(c->opened_at));
	json_object_set_new(o, "closed_at", inc_time_json(c->closed_at));
	json_object_set_new(o, "stage_since", inc_time_json(c->stage_since));
	json_object_set_new(o, "overdue", json_boolean(is_overdue(c, targets)));
	if (c->performer[0])
		json_object_set_new(o, "supplementary_investigation",
				    json_pack("{s:s, s:o, s:b}", "performer", c->performer, "delegate_org",
					      c->delegate_org[0] ? json_string(c->delegate_org) : json_null(),
					      "materials_requested", c->materials_requested));
	else
		json_object_set_new(o, "supplementary_investigation", json_null());
	json_object_set_new(o, "stages", stages);
	json_object_set_new(o, "allowed_actions", wf_allowed_actions(ctx));
	json_object_set_new(o, "timeline", timeline);
	*out = o;
	return CSHQ_OK;
}

static json_t *case_item(struct store_stmt *st, const int64_t targets[CASE_STAGES])
{
	struct case_row c = {0};
	c.stage = (int)store_column_int64(st, 4);
	c.stage_since = store_column_int64(st, 5);
	c.closed_at = store_column_int64(st, 8);
	json_t *o = json_object();
	json_object_set_new(o, "id", inc_id_json(store_column_int64(st, 0)));
	json_object_set_new(o, "report", inc_id_json(store_column_int64(st, 1)));
	json_object_set_new(o, "subject", json_string(store_column_text(st, 2)));
	json_object_set_new(o, "state", json_string(store_column_text(st, 3)));
	json_object_set_new(o, "stage", json_integer(c.stage));
	json_object_set_new(o, "stage_since", inc_time_json(c.stage_since));
	json_object_set_new(o, "emergency", json_boolean(store_column_int64(st, 6) != 0));
	json_object_set_new(o, "opened_at", inc_time_json(store_column_int64(st, 7)));
	json_object_set_new(o, "closed_at", inc_time_json(c.closed_at));
	json_object_set_new(o, "title", json_string(store_column_text(st, 10)));
	json_object_set_new(o, "overdue", json_boolean(is_overdue(&c, targets)));
	return o;
}

int case_list(struct store *db, const struct principal *who, const struct case_filter *f, json_t **out)
{
	json_t *items = json_array();
	int64_t targets[CASE_STAGES];
	int rc = case_targets_get(db, targets);
	bool any_target = false;
	for (int i = 0; i < CASE_STAGES; i++)
		any_target |= targets[i] > 0;
	if (rc != CSHQ_OK || who->kind != PRINCIPAL_USER || !(who->roles & ~ROLE_BIT(ROLE_ADMIN)) ||
	    (f->overdue && !any_target)) {
		if (rc != CSHQ_OK) {
			json_decref(items);
			return rc;
		}
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
		return CSHQ_OK;
	}
	struct buf sql = BUF_INIT(8192);
	rc = buf_puts(&sql, "SELECT c.id, c.report_id, c.subject, c.state, c.stage, c.stage_since, c.emergency, "
			    "c.opened_at, c.closed_at, c.confidentiality, r.title FROM cases c JOIN reports r ON "
			    "r.id = c.report_id WHERE ");
	rc |= vis_list_condition(who, "case", "c.subject", "c.id", "c.confidentiality", 1, 2, &sql);
	int n = 2;
	if (f->subject)
		rc |= buf_printf(&sql, " AND c.subject = $%d", ++n);
	if (f->state)
		rc |= buf_printf(&sql, " AND c.state = $%d", ++n);
	int first_target = n + 1;
	if (f->overdue) {
		rc |= buf_puts(&sql, " AND c.closed_at IS NULL AND (");
		bool first = true;
		for (int s = 1; s <= CASE_STAGES; s++)
			if (targets[s - 1] > 0) {
				rc |= buf_printf(&sql, "%s(c.stage = %d AND c.stage_since < $%d)", first ? "" : " OR ", s, ++n);
				first = false;
			}
		rc |= buf_puts(&sql, ")");
	}
	if (f->before)
		rc |= buf_printf(&sql, " AND c.id < $%d", ++n);
	rc |= buf_printf(&sql, " ORDER BY c.id DESC LIMIT %ld", f->limit + 1);
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return CSHQ_ERR;
	}
	store_bind_text(st, 1, who->org);
	store_bind_int64(st, 2, who->user_id);
	n = 2;
	if (f->subject)
		store_bind_text(st, ++n, f->subject);
	if (f->state)
		store_bind_text(st, ++n, f->state);
	(void)first_target;
	if (f->overdue) {
		int64_t now = time_now();
		for (int s = 1; s <= CASE_STAGES; s++)
			if (targets[s - 1] > 0)
				store_bind_int64(st, ++n, now - targets[s - 1] * 3600);
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
		json_t *it = case_item(st, targets);
		json_object_set_new(it, "confidentiality", json_integer(store_column_int64(st, 9)));
		json_array_append_new(items, it);
		count++;
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	if (principal_has(who, ROLE_DELEGATE)) {
		/* a delegate's reads are logged one by one (Act 30(2)) */
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			struct vis_record vr = {.kind = "case",
						.id = inc_parse_id(json_string_value(json_object_get(it, "id"))),
						.subject_org = json_string_value(json_object_get(it, "subject")),
						.confidentiality = (int)json_integer_value(json_object_get(it, "confidentiality"))};
			if ((rc = vis_check(db, who, &vr)) != CSHQ_OK) {
				json_decref(items);
				return rc == CSHQ_ENOTFOUND ? CSHQ_ERR : rc;
			}
		}
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor", more ? inc_id_json(last) : json_null());
	return CSHQ_OK;
}
