/* cymat_peacetime.c: the consents of CymatRules 15 (a body lets CYMAT use its class-2/3
 * information for other support, peacetime activities, or a purpose the head approves) and
 * the peacetime trainings and exercises of 12(2) with their participants (7(2)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/visibility.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/cymat_impl.h"
#include "modules/registry.h"

#define HEAD (ROLE_BIT(ROLE_NISC_DIRECTOR) | ROLE_BIT(ROLE_NISC_DEPUTY))
#define LEADS (ROLE_BIT(ROLE_CYMAT_MANAGER) | ROLE_BIT(ROLE_CYMAT_FIELD_LEAD))

/* ---- consents (15) ---- */

static int purpose_item(const char *purpose)
{
	if (!purpose)
		return 0;
	if (strcmp(purpose, "other_support") == 0)
		return 1; /* ア */
	if (strcmp(purpose, "peacetime") == 0)
		return 2; /* イ */
	if (strcmp(purpose, "other") == 0)
		return 3; /* ウ */
	return 0;
}

static json_t *consent_basis(const char *purpose, int32_t date)
{
	struct wf_cite c[] = {{"CymatRules", "15", 0, 0},
	                      {"CymatRules", "15", 0, purpose_item(purpose)}};
	return cymat_cites_json(c, 2, date);
}

static bool records_consent_for(const struct principal *p, const char *provider)
{
	if (cymat_is_head(p))
		return true;
	if (p->org_kind == ORG_NISC && principal_has(p, ROLE_CYMAT_MANAGER))
		return true; /* NISC consulted the body and records its consent */
	return strcmp(p->org, provider) == 0 &&
	       (principal_has(p, ROLE_CISO) || principal_has(p, ROLE_CSIRT));
}

int cymat_consent_create(struct store *db, const struct principal *who,
                         const struct cymat_consent_new *in, int64_t *id, struct cymat_refusal *r)
{
	int32_t date = date_today();
	struct registry_subject subj;
	int rc = registry_subject(db, in->provider_org, date, &subj);
	if (rc == CSHQ_ENOTFOUND)
		return cymat_refuse(r, 422, date, "provider_org: no organisation with this code",
		                    NULL, 0);
	if (rc != CSHQ_OK)
		return rc;
	int item = purpose_item(in->purpose);
	if (!item)
		return cymat_refuse(r, 422, date,
		                    "purpose: \"other_support\", \"peacetime\" or \"other\"", NULL,
		                    0);
	struct vis_record vr = {"cymat_consent", 0, in->provider_org, 0};
	if ((rc = vis_check(db, who, &vr)) != CSHQ_OK)
		return rc == CSHQ_ENOTFOUND
		           ? cymat_refuse(r, 404, date, "no such resource", NULL, 0)
		           : rc;
	static const struct wf_cite c15[] = {{"CymatRules", "15", 0, 0}};
	if (!records_consent_for(who, in->provider_org))
		return cymat_refuse(r, 403, date,
		                    "the consent is the providing body's (its CISO or CSIRT), or "
		                    "recorded by NISC after "
		                    "consulting it",
		                    c15, 1);
	struct regime_answer ans;
	regime_evaluate(RF_CYMAT_SUPPORT, &subj.facts, date, &ans);
	if (ans.applies == RA_NO) {
		static const struct wf_cite c2[] = {{"CymatRules", "2", 0, 0}};
		return cymat_refuse(
		    r, 409, date,
		    "CYMAT supports no such body: there is no information of it to consent to", c2,
		    1);
	}
	if (in->dispatch) {
		bool ok;
		rc = cymat_exists(db, &ok,
		                  "SELECT 1 FROM cymat_dispatches WHERE id = $1 AND subject = $2",
		                  "it", in->dispatch, in->provider_org);
		if (rc != CSHQ_OK)
			return rc;
		if (!ok)
			return cymat_refuse(
			    r, 422, date,
			    "dispatch: no dispatch to the providing body with this id", NULL, 0);
	}
	/* ウ: a purpose the head approves; recorded by anyone else it waits for the approval */
	const char *state = item == 3 && !cymat_is_head(who) ? "awaiting_approval" : "in_force";
	int64_t now = time_now();
	bool approved = item == 3 && strcmp(state, "in_force") == 0;
	rc = cymat_int(db, id, 0,
	               "INSERT INTO cymat_consents (provider_org, purpose, dispatch, note, state, "
	               "created_at, created_by, "
	               "created_org, approved_by, approved_at, updated_at) VALUES ($1, $2, $3, $4, "
	               "$5, $6, $7, $8, $9, $10, $6) "
	               "RETURNING id",
	               "ttzttittz", in->provider_org, in->purpose, in->dispatch, in->note, state,
	               now, who->login, who->org, approved ? who->login : NULL,
	               approved ? now : (int64_t)0);
	if (rc == CSHQ_OK && !*id)
		rc = CSHQ_ERR;
	if (rc != CSHQ_OK)
		return rc;
	json_t *basis = consent_basis(in->purpose, date);
	json_t *detail =
	    json_pack("{s:s, s:s, s:o}", "provider_org", in->provider_org, "purpose", in->purpose,
	              "dispatch", in->dispatch ? json_integer(in->dispatch) : json_null());
	rc = wf_timeline_add(db, who, "cymat_consent", *id, "consent", NULL, state, detail, basis);
	json_decref(detail);
	if (rc == CSHQ_OK && strcmp(who->org, in->provider_org) != 0)
		rc = notice_send(db, in->provider_org, "ciso",
		                 "CYMAT recorded your consent to use your information",
		                 "cymat_consent", *id, basis);
	json_decref(basis);
	return rc == CSHQ_OK ? cymat_sync_grants(db) : rc;
}

static int consent_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = cymat_query(ctx->db, &st,
	                     "SELECT provider_org, state FROM cymat_consents WHERE id = $1", "i",
	                     ctx->id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", cymat_col_text(st, 0));
	snprintf(ctx->state, sizeof(ctx->state), "%s", cymat_col_text(st, 1));
	ctx->confidentiality = 0;
	while ((rc = store_step(st)) == STORE_ROW)
		;
	return CSHQ_OK;
}

static int consent_note(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	const char *note;
	int rc = cymat_only_keys(ctx, keys);
	return rc == CSHQ_OK ? cymat_opt_text(ctx, "note", 4000, &note) : rc;
}

static int approve_effect(struct wf_ctx *ctx)
{
	return cymat_exec(
	    ctx->db, NULL,
	    "UPDATE cymat_consents SET approved_by = $1, approved_at = $2 WHERE id = $3", "tii",
	    ctx->who->login, time_now(), ctx->id);
}

static int approve_guard(struct wf_ctx *ctx)
{
	return cymat_guard_head(ctx);
}

static int revoke_guard(struct wf_ctx *ctx)
{
	if (records_consent_for(ctx->who, ctx->subject_org))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"CymatRules", "15", 0, 0}};
	return wf_refuse(ctx, 403,
	                 "the body that gave the consent (or NISC on its word) withdraws it", c, 1);
}

static int revoke_effect(struct wf_ctx *ctx)
{
	return cymat_exec(ctx->db, NULL, "UPDATE cymat_consents SET revoked_at = $1 WHERE id = $2",
	                  "ii", time_now(), ctx->id);
}

static const struct wf_transition consent_steps[] = {
    CYMAT_STEP("awaiting_approval", "approve", "in_force", HEAD, WF_PARTY_NISC, consent_note,
               approve_guard, approve_effect, "統括責任者が認める", "Approve the purpose",
               {"CymatRules", "15", 0, 3}),
    CYMAT_STEP("*", "revoke", "revoked", ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_CSIRT),
               WF_PARTY_SUBJECT, consent_note, revoke_guard, revoke_effect, "同意を撤回する",
               "Withdraw", {"CymatRules", "15", 0, 0}),
    CYMAT_STEP("*", "revoke", "revoked", HEAD | ROLE_BIT(ROLE_CYMAT_MANAGER), WF_PARTY_NISC,
               consent_note, revoke_guard, revoke_effect, "同意の撤回を記録する",
               "Record the withdrawal", {"CymatRules", "15", 0, 0}),
};
static const char *const consent_final[] = {"revoked", NULL};

const struct wf_machine cymat_consent_machine = {
    .kind = "cymat_consent",
    .table = "cymat_consents",
    .steps = consent_steps,
    .n_steps = CSHQ_ARRAY_LEN(consent_steps),
    .final_states = consent_final,
    .load = consent_load,
    .unload = NULL,
};

#define CONSENT_COLS                                                                               \
	"id, provider_org, purpose, dispatch, note, state, created_at, created_by, created_org, "  \
	"approved_by, "                                                                            \
	"approved_at, revoked_at"

static json_t *consent_row(struct store_stmt *st, int32_t date)
{
	json_t *j = json_object();
	const char *purpose = cymat_col_text(st, 2);
	json_object_set_new(j, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(j, "provider_org", json_string(cymat_col_text(st, 1)));
	json_object_set_new(j, "purpose", json_string(purpose));
	json_object_set_new(j, "dispatch",
	                    store_column_is_null(st, 3) ? json_null()
	                                                : json_integer(store_column_int64(st, 3)));
	json_object_set_new(j, "scope",
	                    json_string(store_column_is_null(st, 3) ? "purpose" : "item"));
	json_object_set_new(j, "note", json_string(cymat_col_text(st, 4)));
	json_object_set_new(j, "state", json_string(cymat_col_text(st, 5)));
	json_object_set_new(j, "created_at", cymat_col_json_time(st, 6));
	json_object_set_new(j, "created_by", json_string(cymat_col_text(st, 7)));
	json_object_set_new(j, "created_org", json_string(cymat_col_text(st, 8)));
	json_object_set_new(j, "approved_by", cymat_col_json_text(st, 9));
	json_object_set_new(j, "approved_at", cymat_col_json_time(st, 10));
	json_object_set_new(j, "revoked_at", cymat_col_json_time(st, 11));
	json_object_set_new(j, "basis", consent_basis(purpose, date));
	return j;
}

int cymat_consent_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	*out = NULL;
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &cymat_consent_machine, id, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	struct store_stmt *st;
	json_t *j = NULL;
	rc = cymat_query(db, &st, "SELECT " CONSENT_COLS " FROM cymat_consents WHERE id = $1", "i",
	                 id);
	if (rc == CSHQ_OK && (rc = store_step(st)) == STORE_ROW) {
		j = consent_row(st, ctx.date);
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	rc = rc == STORE_DONE && j ? CSHQ_OK : rc < 0 ? rc : CSHQ_ENOTFOUND;
	json_t *tl;
	if (rc == CSHQ_OK) {
		json_t *actions = wf_allowed_actions(&ctx);
		if (!cymat_is_head(who)) { /* approve is the head's */
			size_t i;
			json_t *v;
			json_array_foreach(actions, i,
			                   v) if (strcmp(json_string_value(v), "approve") == 0)
			{
				json_array_remove(actions, i);
				break;
			}
		}
		json_object_set_new(j, "allowed_actions", actions);
		if ((rc = wf_timeline_json(db, "cymat_consent", id, &tl)) == CSHQ_OK)
			json_object_set_new(j, "timeline", tl);
	}
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CSHQ_OK;
}

int cymat_consent_list(struct store *db, const struct principal *who, const char *provider,
                       long limit, int64_t after, json_t **out)
{
	*out = NULL;
	json_t *items = json_array();
	int64_t last = 0;
	bool more = false;
	int rc = CSHQ_OK;
	if (who->kind == PRINCIPAL_USER && (who->roles & ~ROLE_BIT(ROLE_ADMIN))) {
		struct buf sql = BUF_INIT(2048);
		rc = buf_puts(&sql, "SELECT " CONSENT_COLS " FROM cymat_consents t WHERE ");
		rc |= vis_list_condition(who, "cymat_consent", "t.provider_org", "t.id", NULL, 1, 2,
		                         &sql);
		int next = 3;
		if (provider)
			rc |= buf_printf(&sql, " AND t.provider_org = $%d", next++);
		if (after)
			rc |= buf_printf(&sql, " AND t.id < $%d", next++);
		rc |= buf_printf(&sql, " ORDER BY t.id DESC LIMIT $%d", next);
		struct store_stmt *st = NULL;
		if (rc == CSHQ_OK)
			rc = store_prepare(db, buf_cstr(&sql), &st);
		else
			rc = CSHQ_ELIMIT;
		buf_release(&sql);
		if (rc == CSHQ_OK) {
			int k = 1;
			store_bind_text(st, k++, who->org);
			store_bind_int64(st, k++, who->user_id);
			if (provider)
				store_bind_text(st, k++, provider);
			if (after)
				store_bind_int64(st, k++, after);
			store_bind_int64(st, k, limit + 1);
			int32_t date = date_today();
			while ((rc = store_step(st)) == STORE_ROW) {
				if ((long)json_array_size(items) == limit) {
					more = true;
					continue;
				}
				json_t *row = consent_row(st, date);
				last = json_integer_value(json_object_get(row, "id"));
				json_array_append_new(items, row);
			}
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
	}
	if (rc != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	char cur[24];
	snprintf(cur, sizeof(cur), "%lld", (long long)last);
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 more ? json_string(cur) : json_null());
	return CSHQ_OK;
}

/* ---- trainings and exercises (12(2)ウ, 7(2)) ---- */

static int add_participants(struct store *db, int64_t training, json_t *list,
                            struct cymat_refusal *r, int32_t date, json_t *added)
{
	int64_t ids[200];
	size_t n;
	if (cymat_id_array(list, 200, ids, &n) != CSHQ_OK)
		return cymat_refuse(r, 422, date, "participants: 1 to 200 distinct roster ids",
		                    NULL, 0);
	int rc = CSHQ_OK;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		struct store_stmt *st;
		char org[33] = "";
		rc = cymat_query(db, &st,
		                 "SELECT org FROM cymat_roster WHERE id = $1 AND state = 'active'",
		                 "i", ids[i]);
		if (rc != CSHQ_OK)
			break;
		rc = store_step(st);
		if (rc == STORE_ROW)
			snprintf(org, sizeof(org), "%s", cymat_col_text(st, 0));
		while (rc == STORE_ROW)
			rc = store_step(st);
		if (rc != STORE_DONE) {
			rc = CSHQ_ERR;
			break;
		}
		if (!org[0]) {
			char msg[96];
			snprintf(msg, sizeof(msg), "participants: roster %lld is not an active row",
			         (long long)ids[i]);
			rc = cymat_refuse(r, 422, date, msg, NULL, 0);
			break;
		}
		int64_t changes = 0;
		rc = cymat_exec(db, &changes,
		                "INSERT INTO cymat_training_participants (training, roster, org, "
		                "added_at) VALUES ($1, $2, $3, $4) "
		                "ON CONFLICT DO NOTHING",
		                "iiti", training, ids[i], org, time_now());
		if (rc != CSHQ_OK || !changes)
			continue;
		json_array_append_new(added, json_integer(ids[i]));
		/* the participant's body sees the training (7(2): it bears the costs of its
		 * trainees) */
		bool granted;
		rc = cymat_exists(
		    db, &granted,
		    "SELECT 1 FROM access_grants WHERE record_kind = 'cymat_training' AND "
		    "record_id = $1 "
		    "AND grantee_org = $2 AND grantee_user IS NULL AND until_at IS NULL",
		    "it", training, org);
		if (rc == CSHQ_OK && !granted)
			rc = vis_grant(db, "cymat_training", training, org, 0,
			               CYMAT_GRANT_PARTICIPANT);
	}
	return rc;
}

static bool runs_trainings(const struct principal *p)
{
	return cymat_is_head(p) || cymat_is_lead(p);
}

int cymat_training_create(struct store *db, const struct principal *who,
                          const struct cymat_training_new *in, int64_t *id, struct cymat_refusal *r)
{
	int32_t date = date_today();
	static const struct wf_cite c[] = {{"CymatRules", "12", 2, 3}};
	if (!runs_trainings(who))
		return cymat_refuse(r, 403, date,
		                    "trainings and exercises are run by the CYMAT manager, field "
		                    "leaders or the head",
		                    c, 1);
	int64_t now = time_now();
	int rc = cymat_int(
	    db, id, 0,
	    "INSERT INTO cymat_trainings (kind, title, held_from, held_until, note, state, "
	    "created_at, "
	    "created_by, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $6) RETURNING id",
	    "ttiitit", in->kind, in->title, (int64_t)in->from, (int64_t)in->until,
	    in->note ? in->note : "", now, who->login);
	if (rc == CSHQ_OK && !*id)
		rc = CSHQ_ERR;
	json_t *added = json_array();
	if (rc == CSHQ_OK && in->participants)
		rc = add_participants(db, *id, in->participants, r, date, added);
	if (rc == CSHQ_OK) {
		static const struct wf_cite b[] = {{"CymatRules", "12", 2, 3},
		                                   {"CymatRules", "7", 2, 0}};
		json_t *basis = cymat_cites_json(b, 2, date);
		json_t *detail = json_pack("{s:s, s:O}", "kind", in->kind, "participants", added);
		rc = wf_timeline_add(db, who, "cymat_training", *id, "create", NULL, "open", detail,
		                     basis);
		json_decref(detail);
		json_decref(basis);
	}
	json_decref(added);
	return rc == CSHQ_OK ? cymat_sync_grants(db) : rc;
}

static int training_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = cymat_query(ctx->db, &st, "SELECT state FROM cymat_trainings WHERE id = $1", "i",
	                     ctx->id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	snprintf(ctx->state, sizeof(ctx->state), "%s", cymat_col_text(st, 0));
	while ((rc = store_step(st)) == STORE_ROW)
		;
	ctx->confidentiality = 1;
	return cymat_nisc_code(ctx->db, ctx->subject_org);
}

static int participants_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"participants", NULL};
	int rc = cymat_only_keys(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	int64_t ids[200];
	size_t n;
	if (cymat_id_array(json_object_get(ctx->input, "participants"), 200, ids, &n) != CSHQ_OK)
		return wf_refuse(ctx, 422, "participants: 1 to 200 distinct roster ids", NULL, 0);
	return CSHQ_OK;
}

static int trainer_guard(struct wf_ctx *ctx)
{
	if (runs_trainings(ctx->who))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"CymatRules", "12", 2, 3}};
	return wf_refuse(
	    ctx, 403,
	    "trainings and exercises are run by the CYMAT manager, field leaders or the head", c,
	    1);
}

static int participants_effect(struct wf_ctx *ctx)
{
	struct cymat_refusal r = {0};
	json_t *added = json_array();
	int rc = add_participants(ctx->db, ctx->id, json_object_get(ctx->input, "participants"), &r,
	                          ctx->date, added);
	json_object_set_new(ctx->detail, "participants", added);
	if (rc != CSHQ_OK && r.status) {
		ctx->status = r.status;
		snprintf(ctx->message, sizeof(ctx->message), "%s", r.message);
	}
	return rc;
}

static int end_training_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	const char *note;
	int rc = cymat_only_keys(ctx, keys);
	return rc == CSHQ_OK ? cymat_opt_text(ctx, "note", 4000, &note) : rc;
}

static const struct wf_transition training_steps[] = {
    CYMAT_STEP("open", "add_participants", NULL, HEAD | LEADS, WF_PARTY_NISC, participants_check,
               trainer_guard, participants_effect, "参加者を加える", "Add participants",
               {"CymatRules", "12", 2, 3}, {"CymatRules", "7", 2, 0}),
    CYMAT_STEP("open", "end", "ended", HEAD | LEADS, WF_PARTY_NISC, end_training_check,
               trainer_guard, NULL, "終える", "End", {"CymatRules", "12", 2, 3}),
};
static const char *const training_final[] = {"ended", NULL};

const struct wf_machine cymat_training_machine = {
    .kind = "cymat_training",
    .table = "cymat_trainings",
    .steps = training_steps,
    .n_steps = CSHQ_ARRAY_LEN(training_steps),
    .final_states = training_final,
    .load = training_load,
    .unload = NULL,
};

static int participants_json(struct store *db, int64_t training, json_t **out)
{
	*out = json_array();
	struct store_stmt *st;
	int rc = cymat_query(
	    db, &st,
	    "SELECT tp.roster, r.name, tp.org, r.role, u.login, tp.added_at FROM "
	    "cymat_training_participants tp "
	    "JOIN cymat_roster r ON r.id = tp.roster LEFT JOIN users u ON u.id = r.user_id "
	    "WHERE tp.training = $1 ORDER BY tp.roster",
	    "i", training);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *role = cymat_col_text(st, 3);
		json_t *e = json_object();
		json_object_set_new(e, "roster", json_integer(store_column_int64(st, 0)));
		json_object_set_new(e, "name", json_string(cymat_col_text(st, 1)));
		json_object_set_new(e, "org", json_string(cymat_col_text(st, 2)));
		json_object_set_new(e, "role", json_string(role));
		json_object_set_new(e, "user", cymat_col_json_text(st, 4));
		json_object_set_new(e, "added_at", cymat_col_json_time(st, 5));
		/* 7(2): the body that registered a trainee bears its training costs */
		json_object_set_new(e, "cost_bearer",
		                    strcmp(role, "trainee") == 0
		                        ? json_string(cymat_col_text(st, 2))
		                        : json_null());
		json_array_append_new(*out, e);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static json_t *training_row(struct store_stmt *st)
{
	char from[11], until[11];
	date_format((int32_t)store_column_int64(st, 3), from);
	date_format((int32_t)store_column_int64(st, 4), until);
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(j, "kind", json_string(cymat_col_text(st, 1)));
	json_object_set_new(j, "title", json_string(cymat_col_text(st, 2)));
	json_object_set_new(j, "from", json_string(from));
	json_object_set_new(j, "until", json_string(until));
	json_object_set_new(j, "note", json_string(cymat_col_text(st, 5)));
	json_object_set_new(j, "state", json_string(cymat_col_text(st, 6)));
	json_object_set_new(j, "created_at", cymat_col_json_time(st, 7));
	json_object_set_new(j, "created_by", json_string(cymat_col_text(st, 8)));
	return j;
}

#define TRAINING_COLS                                                                              \
	"t.id, t.kind, t.title, t.held_from, t.held_until, t.note, t.state, t.created_at, "        \
	"t.created_by"

int cymat_training_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	*out = NULL;
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &cymat_training_machine, id, &ctx);
	json_t *j = NULL, *x;
	if (rc == CSHQ_OK) {
		struct store_stmt *st;
		rc = cymat_query(db, &st,
		                 "SELECT " TRAINING_COLS " FROM cymat_trainings t WHERE t.id = $1",
		                 "i", id);
		if (rc == CSHQ_OK && (rc = store_step(st)) == STORE_ROW) {
			j = training_row(st);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE && j ? CSHQ_OK : rc < 0 ? rc : CSHQ_ENOTFOUND;
	}
	if (rc == CSHQ_OK && (rc = participants_json(db, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "participants", x);
	if (rc == CSHQ_OK) {
		static const struct wf_cite b[] = {{"CymatRules", "12", 2, 3},
		                                   {"CymatRules", "7", 2, 0}};
		json_object_set_new(j, "basis", cymat_cites_json(b, 2, ctx.date));
		json_t *actions = runs_trainings(who) ? wf_allowed_actions(&ctx) : json_array();
		json_object_set_new(j, "allowed_actions", actions);
		if ((rc = wf_timeline_json(db, "cymat_training", id, &x)) == CSHQ_OK)
			json_object_set_new(j, "timeline", x);
	}
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CSHQ_OK;
}

int cymat_training_list(struct store *db, const struct principal *who, long limit, int64_t after,
                        json_t **out)
{
	*out = NULL;
	json_t *items = json_array();
	int64_t last = 0;
	bool more = false;
	int rc = CSHQ_OK;
	if (who->kind == PRINCIPAL_USER && (who->roles & ~ROLE_BIT(ROLE_ADMIN))) {
		struct buf sql = BUF_INIT(2048);
		rc = buf_puts(&sql, "SELECT " TRAINING_COLS " FROM cymat_trainings t WHERE ");
		rc |= vis_list_condition(who, "cymat_training",
		                         "(SELECT min(code) FROM orgs WHERE kind = 'nisc')", "t.id",
		                         NULL, 1, 2, &sql);
		int next = 3;
		if (after)
			rc |= buf_printf(&sql, " AND t.id < $%d", next++);
		rc |= buf_printf(&sql, " ORDER BY t.id DESC LIMIT $%d", next);
		struct store_stmt *st = NULL;
		if (rc == CSHQ_OK)
			rc = store_prepare(db, buf_cstr(&sql), &st);
		else
			rc = CSHQ_ELIMIT;
		buf_release(&sql);
		if (rc == CSHQ_OK) {
			int k = 1;
			store_bind_text(st, k++, who->org);
			store_bind_int64(st, k++, who->user_id);
			if (after)
				store_bind_int64(st, k++, after);
			store_bind_int64(st, k, limit + 1);
			while ((rc = store_step(st)) == STORE_ROW) {
				if ((long)json_array_size(items) == limit) {
					more = true;
					continue;
				}
				json_t *row = training_row(st);
				last = json_integer_value(json_object_get(row, "id"));
				json_array_append_new(items, row);
			}
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
	}
	/* participants, read after the list statement is done with */
	size_t i;
	json_t *v;
	json_array_foreach(items, i, v)
	{
		json_t *p;
		if (rc != CSHQ_OK)
			break;
		if ((rc = participants_json(db, json_integer_value(json_object_get(v, "id")),
		                            &p)) == CSHQ_OK)
			json_object_set_new(v, "participants", p);
		else
			json_decref(p);
	}
	if (rc != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	char cur[24];
	snprintf(cur, sizeof(cur), "%lld", (long long)last);
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 more ? json_string(cur) : json_null());
	return CSHQ_OK;
}
