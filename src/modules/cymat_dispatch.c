/* cymat_dispatch.c: support requests (CymatRules 10) and dispatches (11-14) as workflow
 * machines, their creation with the paragraph each rests on, and their JSON with the
 * information gate of Rule 15 applied item by item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/cymat_impl.h"
#include "modules/registry.h"

#define HEAD (ROLE_BIT(ROLE_NISC_DIRECTOR) | ROLE_BIT(ROLE_NISC_DEPUTY))
#define LEADS (ROLE_BIT(ROLE_CYMAT_MANAGER) | ROLE_BIT(ROLE_CYMAT_FIELD_LEAD))
#define TEAM (LEADS | ROLE_BIT(ROLE_CYMAT_MEMBER))
#define BODY_ROLES                                                                                 \
	(ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_STAFF) |                       \
	 ROLE_BIT(ROLE_INFOSEC) | ROLE_BIT(ROLE_SYSTEM_OWNER))
#define CONSENT_ROLES                                                                              \
	(ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_INFOSEC) |                     \
	 ROLE_BIT(ROLE_SYSTEM_OWNER))

#define TEXT_MAX 20000

/* ---- rows ---- */

struct req_row {
	int64_t id, related, event_at, dispatch, created_at;
	char subject[33], requester[33], on_behalf_of[33], channel[16], state[24], created_by[65];
	int paragraph, conf;
	char *summary;
};

struct disp_row {
	int64_t id, request, ordered_at, terminated_at, created_at;
	char subject[33], requester[33], state[24], created_by[65], ordered_by[65];
	int paragraph, conf, major;
	char *summary;
};

static int load_request_row(struct store *db, int64_t id, struct req_row **out)
{
	*out = NULL;
	struct store_stmt *st;
	int rc = cymat_query(
	    db, &st,
	    "SELECT id, subject, requester_org, channel, paragraph, on_behalf_of, related_request, "
	    "summary, confidentiality, event_at, state, dispatch, created_at, created_by "
	    "FROM cymat_requests WHERE id = $1",
	    "i", id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct req_row *r = xcalloc(1, sizeof(*r));
	r->id = store_column_int64(st, 0);
	snprintf(r->subject, sizeof(r->subject), "%s", cymat_col_text(st, 1));
	snprintf(r->requester, sizeof(r->requester), "%s", cymat_col_text(st, 2));
	snprintf(r->channel, sizeof(r->channel), "%s", cymat_col_text(st, 3));
	r->paragraph = (int)store_column_int64(st, 4);
	snprintf(r->on_behalf_of, sizeof(r->on_behalf_of), "%s", cymat_col_text(st, 5));
	r->related = store_column_int64(st, 6);
	r->summary = xstrdup(cymat_col_text(st, 7));
	r->conf = (int)store_column_int64(st, 8);
	r->event_at = store_column_int64(st, 9);
	snprintf(r->state, sizeof(r->state), "%s", cymat_col_text(st, 10));
	r->dispatch = store_column_int64(st, 11);
	r->created_at = store_column_int64(st, 12);
	snprintf(r->created_by, sizeof(r->created_by), "%s", cymat_col_text(st, 13));
	while ((rc = store_step(st)) == STORE_ROW)
		;
	*out = r;
	return CSHQ_OK;
}

static void free_request_row(struct req_row *r)
{
	if (r)
		free(r->summary);
	free(r);
}

static int load_dispatch_row(struct store *db, int64_t id, struct disp_row **out)
{
	*out = NULL;
	struct store_stmt *st;
	int rc = cymat_query(db, &st,
	                     "SELECT d.id, d.subject, d.request, d.paragraph, d.summary, "
	                     "d.confidentiality, d.state, "
	                     "d.major_emergency, d.ordered_at, d.ordered_by, d.terminated_at, "
	                     "d.created_at, d.created_by, "
	                     "q.requester_org FROM cymat_dispatches d LEFT JOIN cymat_requests q "
	                     "ON q.id = d.request "
	                     "WHERE d.id = $1",
	                     "i", id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct disp_row *d = xcalloc(1, sizeof(*d));
	d->id = store_column_int64(st, 0);
	snprintf(d->subject, sizeof(d->subject), "%s", cymat_col_text(st, 1));
	d->request = store_column_int64(st, 2);
	d->paragraph = (int)store_column_int64(st, 3);
	d->summary = xstrdup(cymat_col_text(st, 4));
	d->conf = (int)store_column_int64(st, 5);
	snprintf(d->state, sizeof(d->state), "%s", cymat_col_text(st, 6));
	d->major = (int)store_column_int64(st, 7);
	d->ordered_at = store_column_int64(st, 8);
	snprintf(d->ordered_by, sizeof(d->ordered_by), "%s", cymat_col_text(st, 9));
	d->terminated_at = store_column_int64(st, 10);
	d->created_at = store_column_int64(st, 11);
	snprintf(d->created_by, sizeof(d->created_by), "%s", cymat_col_text(st, 12));
	snprintf(d->requester, sizeof(d->requester), "%s", cymat_col_text(st, 13));
	while ((rc = store_step(st)) == STORE_ROW)
		;
	*out = d;
	return CSHQ_OK;
}

static void free_dispatch_row(struct disp_row *d)
{
	if (d)
		free(d->summary);
	free(d);
}

static int request_load(struct wf_ctx *ctx)
{
	struct req_row *r;
	int rc = load_request_row(ctx->db, ctx->id, &r);
	if (rc != CSHQ_OK)
		return rc;
	snprintf(ctx->state, sizeof(ctx->state), "%s", r->state);
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", r->subject);
	ctx->confidentiality = r->conf;
	ctx->record = r;
	return CSHQ_OK;
}

static void request_unload(struct wf_ctx *ctx)
{
	free_request_row(ctx->record);
	ctx->record = NULL;
}

static int dispatch_load(struct wf_ctx *ctx)
{
	struct disp_row *d;
	int rc = load_dispatch_row(ctx->db, ctx->id, &d);
	if (rc != CSHQ_OK)
		return rc;
	snprintf(ctx->state, sizeof(ctx->state), "%s", d->state);
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", d->subject);
	ctx->confidentiality = d->conf;
	ctx->record = d;
	return CSHQ_OK;
}

static void dispatch_unload(struct wf_ctx *ctx)
{
	free_dispatch_row(ctx->record);
	ctx->record = NULL;
}

/* ---- shared checks ---- */

static int int_in(json_t *v, int lo, int hi, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return CSHQ_EINVAL;
	*out = (int)json_integer_value(v);
	return CSHQ_OK;
}

static int note_only(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	const char *note;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "note", 4000, &note);
	return rc;
}

static int send_to_nisc_roles(struct store *db, const char *subject, const char *kind, int64_t id,
                              json_t *basis, const char *const *roles)
{
	char nisc[33];
	int rc = cymat_nisc_code(db, nisc);
	for (const char *const *r = roles; rc == CSHQ_OK && *r; r++)
		rc = notice_send(db, nisc, *r, subject, kind, id, basis);
	return rc;
}

/* ---- requests (10) ---- */

/* The dispatch ordered on a request (11(1)). */
static int request_dispatch_effect(struct wf_ctx *ctx)
{
	struct req_row *r = ctx->record;
	int64_t now = time_now(), did = 0;
	const char *note = json_string_value(json_object_get(ctx->input, "note"));
	int rc = cymat_int(ctx->db, &did, 0,
	                   "INSERT INTO cymat_dispatches (subject, request, paragraph, summary, "
	                   "confidentiality, state, "
	                   "ordered_at, ordered_by, created_at, created_by, updated_at) VALUES "
	                   "($1, $2, 1, $3, $4, "
	                   "'ordered', $5, $6, $5, $6, $5) RETURNING id",
	                   "titiit", r->subject, r->id, r->summary, (int64_t)r->conf, now,
	                   ctx->who->login);
	if (rc == CSHQ_OK && !did)
		rc = CSHQ_ERR;
	if (rc == CSHQ_OK)
		rc = cymat_exec(ctx->db, NULL,
		                "UPDATE cymat_requests SET dispatch = $1 WHERE id = $2", "ii", did,
		                r->id);
	if (rc == CSHQ_OK && strcmp(r->requester, r->subject) != 0)
		rc = vis_grant(ctx->db, "cymat_dispatch", did, r->requester, 0,
		               CYMAT_GRANT_REQUESTER);
	static const struct wf_cite c11[] = {{"CymatRules", "11", 1, 0}};
	json_t *basis = cymat_cites_json(c11, 1, ctx->date);
	if (rc == CSHQ_OK) {
		json_t *detail =
		    json_pack("{s:I, s:s?}", "request", (json_int_t)r->id, "note", note);
		rc = wf_timeline_add(ctx->db, ctx->who, "cymat_dispatch", did, "order", NULL,
		                     "ordered", detail, basis);
		json_decref(detail);
	}
	if (rc == CSHQ_OK)
		rc = notice_send(ctx->db, r->requester, NULL, "CYMAT dispatch ordered",
		                 "cymat_dispatch", did, basis);
	if (rc == CSHQ_OK && strcmp(r->requester, r->subject) != 0)
		rc = notice_send(ctx->db, r->subject, NULL, "CYMAT dispatch ordered",
		                 "cymat_dispatch", did, basis);
	json_decref(basis);
	if (rc == CSHQ_OK) {
		r->dispatch = did;
		json_object_set_new(ctx->detail, "dispatch", json_integer(did));
	}
	return rc;
}

static int request_decline_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"reason", NULL};
	const char *reason;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "reason", 4000, &reason);
	if (rc == CSHQ_OK && !reason)
		return wf_refuse(ctx, 422, "reason: why the event is not one CYMAT supports", NULL,
		                 0);
	return rc;
}

static int request_decline_effect(struct wf_ctx *ctx)
{
	struct req_row *r = ctx->record;
	static const struct wf_cite c[] = {{"CymatRules", "3", 0, 0}, {"CymatRules", "11", 1, 0}};
	json_t *basis = cymat_cites_json(c, 2, ctx->date);
	int rc = notice_send(ctx->db, r->requester, NULL, "CYMAT support request declined",
	                     "cymat_request", r->id, basis);
	json_decref(basis);
	return rc;
}

static const struct wf_transition request_steps[] = {
    CYMAT_STEP("requested", "dispatch", "dispatched", HEAD, WF_PARTY_NISC, note_only,
               cymat_guard_head, request_dispatch_effect, "出動を命ずる", "Order dispatch",
               {"CymatRules", "11", 1, 0}),
    CYMAT_STEP("requested", "decline", "declined", HEAD, WF_PARTY_NISC, request_decline_check,
               cymat_guard_head, request_decline_effect, "支援対象事象に当たらない", "Decline",
               {"CymatRules", "3", 0, 0}, {"CymatRules", "11", 1, 0}),
};
static const char *const request_final[] = {"dispatched", "declined", NULL};

const struct wf_machine cymat_request_machine = {
    .kind = "cymat_request",
    .table = "cymat_requests",
    .steps = request_steps,
    .n_steps = CSHQ_ARRAY_LEN(request_steps),
    .final_states = request_final,
    .load = request_load,
    .unload = request_unload,
};

int cymat_request_create(struct store *db, const struct principal *who,
                         const struct cymat_request_new *in, int64_t *id, struct cymat_refusal *r)
{
	int32_t date = date_today();
	struct registry_subject subj;
	int rc = registry_subject(db, in->subject, date, &subj);
	if (rc == CSHQ_ENOTFOUND)
		return cymat_refuse(r, 422, date, "subject: no organisation with this code", NULL,
		                    0);
	if (rc != CSHQ_OK)
		return rc;
	if (in->on_behalf_of && strcmp(in->on_behalf_of, in->subject) != 0) {
		static const struct wf_cite c[] = {{"CymatRules", "10", 2, 0},
		                                   {"CymatRules", "10", 3, 0}};
		return cymat_refuse(r, 422, date,
		                    "on_behalf_of: the body at whose request support is requested "
		                    "is the subject itself",
		                    c, 2);
	}
	static const struct wf_cite c10_1[] = {{"CymatRules", "10", 1, 0},
	                                       {"CymatRules", "10", 2, 0}};
	if (who->org_kind != ORG_MINISTRY && who->org_kind != ORG_OBSERVER)
		return cymat_refuse(r, 409, date,
		                    "support is requested by a ministry or an observer body (for "
		                    "itself, its IAIs and "
		                    "designated corporations, or a direct stakeholder)",
		                    c10_1, 2);
	struct regime_answer ans;
	regime_evaluate(RF_CYMAT_SUPPORT, &subj.facts, date, &ans);
	if (ans.applies == RA_NO) {
		r->status = 409;
		snprintf(r->message, sizeof(r->message), "CYMAT does not support %s (CymatRules 2)",
		         in->subject);
		for (size_t i = 0; i < ans.n_basis && r->n_basis < REGIME_MAX_BASIS; i++)
			r->basis[r->n_basis++] = ans.basis[i];
		return CSHQ_ECONFLICT;
	}
	int paragraph;
	int64_t related = 0;
	if (strcmp(in->subject, who->org) == 0) {
		paragraph = 1;
	} else if (ans.applies == RA_YES &&
	           (subj.facts.kind == ORG_IAI || subj.facts.kind == ORG_CORPORATION)) {
		static const struct wf_cite c[] = {{"CymatRules", "10", 2, 0},
		                                   {"CymatRules", "2", 0, 3}};
		bool sup = false;
		if (who->org_kind == ORG_MINISTRY &&
		    (rc = cymat_supervises(db, who->org, in->subject, &sup)) != CSHQ_OK)
			return rc;
		if (!sup)
			return cymat_refuse(r, 409, date,
			                    "a ministry requests support for an IAI or designated "
			                    "corporation it supervises "
			                    "only",
			                    c, 2);
		if (!in->on_behalf_of)
			return cymat_refuse(r, 409, date,
			                    "the ministry requests support at that body's request: "
			                    "set on_behalf_of to it",
			                    c, 1);
		paragraph = 2;
	} else if (ans.applies == RA_CONDITIONAL) {
		static const struct wf_cite c[] = {{"CymatRules", "10", 3, 0},
		                                   {"CymatRules", "2", 0, 4}};
		/* the requester must itself have requested support under 10(1) or (2) */
		rc = cymat_int(db, &related, 0,
		               "SELECT id FROM cymat_requests WHERE requester_org = $1 AND "
		               "paragraph IN (1, 2) "
		               "AND state <> 'declined' AND (CAST($2 AS BIGINT) = 0 OR id = "
		               "CAST($2 AS BIGINT)) ORDER BY id DESC",
		               "ti", who->org, in->related_request);
		if (rc != CSHQ_OK)
			return rc;
		if (!related)
			return cymat_refuse(r, 409, date,
			                    in->related_request
			                        ? "related_request: not a request of your body "
			                          "under CymatRules 10(1) or (2)"
			                        : "a direct stakeholder is supported on the "
			                          "request of a body that has itself "
			                          "requested support (10(1) or (2)) for the event",
			                    c, 2);
		if (!in->on_behalf_of)
			return cymat_refuse(r, 409, date,
			                    "support for a direct stakeholder is requested at its "
			                    "request: set on_behalf_of "
			                    "to it",
			                    c, 1);
		paragraph = 3;
	} else {
		return cymat_refuse(r, 409, date,
		                    "your body may request support for itself, or as a ministry "
		                    "for an IAI or designated "
		                    "corporation it supervises",
		                    c10_1, 2);
	}
	if (paragraph != 3 && in->related_request)
		return cymat_refuse(r, 422, date,
		                    "related_request: only for a direct stakeholder (10(3))", NULL,
		                    0);
	/* 10(4): the channel fits the caller's role */
	static const struct wf_cite c10_4[] = {{"CymatRules", "10", 4, 0}};
	bool emergency = strcmp(in->channel, "emergency") == 0;
	if (!emergency && !principal_has(who, ROLE_CISO))
		return cymat_refuse(
		    r, 409, date,
		    "the CISO channel is used by the body's CISO (最高情報セキュリティ責任者)",
		    c10_4, 1);
	if (emergency && !principal_has(who, ROLE_CSIRT) &&
	    !principal_has(who, ROLE_SYSTEM_OWNER) && !principal_has(who, ROLE_CYMAT_MEMBER))
		return cymat_refuse(r, 409, date,
		                    "the emergency channel is used by the body's CSIRT (or, "
		                    "without one, the department "
		                    "of the system) or a CYMAT member of the body",
		                    c10_4, 1);
	int64_t now = time_now();
	rc = cymat_int(
	    db, id, 0,
	    "INSERT INTO cymat_requests (subject, requester_org, channel, paragraph, on_behalf_of, "
	    "related_request, summary, confidentiality, event_at, state, created_at, created_by, "
	    "updated_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $11, $10) RETURNING id",
	    "tttitztiiit", in->subject, who->org, in->channel, (int64_t)paragraph, in->on_behalf_of,
	    related, in->summary, (int64_t)in->confidentiality, in->event_at, now, who->login);
	if (rc == CSHQ_OK && !*id)
		rc = CSHQ_ERR;
	if (rc != CSHQ_OK)
		return rc;
	if (strcmp(who->org, in->subject) != 0 &&
	    (rc = vis_grant(db, "cymat_request", *id, who->org, 0, CYMAT_GRANT_REQUESTER)) !=
	        CSHQ_OK)
		return rc;
	struct wf_cite cites[] = {{"CymatRules", "10", paragraph, 0}, {"CymatRules", "10", 4, 0}};
	json_t *basis = cymat_cites_json(cites, 2, date);
	json_t *detail = json_pack("{s:s, s:i, s:i}", "channel", in->channel, "paragraph",
	                           paragraph, "confidentiality", in->confidentiality);
	rc = wf_timeline_add(db, who, "cymat_request", *id, "request", NULL, "requested", detail,
	                     basis);
	json_decref(detail);
	static const char *const to_head[] = {"nisc_director", NULL};
	static const char *const to_leads[] = {"cymat_manager", "cymat_field_lead", NULL};
	if (rc == CSHQ_OK)
		rc = send_to_nisc_roles(db, "CYMAT support requested", "cymat_request", *id, basis,
		                        emergency ? to_leads : to_head);
	json_decref(basis);
	return rc == CSHQ_OK ? cymat_sync_grants(db) : rc;
}

/* ---- dispatches (11-14) ---- */

/* The steps an order without a request needs, by paragraph of Rule 11. */
static const char *const *required_parties(int paragraph)
{
	static const char *const p2[] = {"csirt", NULL};
	static const char *const p3[] = {"sound_out", "observer_request", NULL};
	static const char *const p4[] = {"ministry", "body", NULL};
	static const char *const none[] = {NULL};
	switch (paragraph) {
	case 2:
		return p2;
	case 3:
		return p3;
	case 4:
		return p4;
	default:
		return none;
	}
}

static int record_consent(struct wf_ctx *ctx, const char *party)
{
	const char *note = json_string_value(json_object_get(ctx->input, "note"));
	int64_t changes = 0;
	int rc = cymat_exec(
	    ctx->db, &changes,
	    "INSERT INTO cymat_dispatch_consents (dispatch, party, org, actor, note, at) "
	    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
	    "itttti", ctx->id, party, ctx->who->org, ctx->who->login, note ? note : "", time_now());
	if (rc != CSHQ_OK)
		return rc;
	if (changes == 0) {
		char msg[120];
		snprintf(msg, sizeof(msg), "the step \"%s\" is already recorded on this dispatch",
		         party);
		return wf_refuse(ctx, 409, msg, NULL, 0);
	}
	json_object_set_new(ctx->detail, "party", json_string(party));
	return CSHQ_OK;
}

static int consent_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"party", "note", NULL};
	const char *note, *party;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "note", 4000, &note);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "party", 16, &party);
	if (rc == CSHQ_OK && party && strcmp(party, "csirt") && strcmp(party, "ministry") &&
	    strcmp(party, "body"))
		return wf_refuse(ctx, 422, "party: \"csirt\", \"ministry\" or \"body\"", NULL, 0);
	return rc;
}

/* 11(2): the ministry's CSIRT (or, without one, the department of the system); 11(4): the
 * department of the supervising ministry handling the event, which also records the
 * consent it obtained from the body (the body may record its own). */
static int consent_guard(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	const char *party = json_string_value(json_object_get(ctx->input, "party"));
	bool own = strcmp(ctx->who->org, d->subject) == 0;
	if (d->paragraph == 2) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 2, 0}};
		if (party && strcmp(party, "csirt") != 0)
			return wf_refuse(
			    ctx, 422, "party: a ministry's dispatch needs the consent of its CSIRT",
			    c, 1);
		if (!own || (!principal_has(ctx->who, ROLE_CSIRT) &&
		             !principal_has(ctx->who, ROLE_SYSTEM_OWNER)))
			return wf_refuse(ctx, 403,
			                 "the consent is given by the ministry's CSIRT (or, "
			                 "without one, the department of "
			                 "the system)",
			                 c, 1);
		json_object_set_new(ctx->input, "party", json_string("csirt"));
		wf_add_basis(ctx, regime_cite("CymatRules", "11", 2, 0, ctx->date));
		return CSHQ_OK;
	}
	if (d->paragraph == 4) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 4, 0}};
		if (own) {
			if (party && strcmp(party, "body") != 0)
				return wf_refuse(
				    ctx, 403,
				    "the body records its own consent (party \"body\") only", c, 1);
			json_object_set_new(ctx->input, "party", json_string("body"));
		} else if (!party ||
		           (strcmp(party, "ministry") != 0 && strcmp(party, "body") != 0)) {
			return wf_refuse(ctx, 422,
			                 "party: \"ministry\" for the supervising ministry's own "
			                 "consent, \"body\" for the "
			                 "consent it obtained from the body",
			                 c, 1);
		}
		wf_add_basis(ctx, regime_cite("CymatRules", "11", 4, 0, ctx->date));
		return CSHQ_OK;
	}
	static const struct wf_cite c[] = {{"CymatRules", "11", 3, 0}};
	if (d->paragraph == 3)
		return wf_refuse(
		    ctx, 409,
		    "an observer body is sounded out and then requests the dispatch (sound_out, "
		    "request)",
		    c, 1);
	static const struct wf_cite c1[] = {{"CymatRules", "11", 1, 0}};
	return wf_refuse(ctx, 409, "this dispatch rests on a request and needs no consent", c1, 1);
}

static int consent_effect(struct wf_ctx *ctx)
{
	return record_consent(ctx, json_string_value(json_object_get(ctx->input, "party")));
}

static int sound_out_guard(struct wf_ctx *ctx)
{
	int rc = cymat_guard_head(ctx);
	if (rc != CSHQ_OK)
		return rc;
	struct disp_row *d = ctx->record;
	static const struct wf_cite c[] = {{"CymatRules", "11", 3, 0}};
	if (d->paragraph != 3)
		return wf_refuse(ctx, 409, "only an observer body is sounded out (11(3))", c, 1);
	return CSHQ_OK;
}

static int sound_out_effect(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	int rc = record_consent(ctx, "sound_out");
	if (rc == CSHQ_OK) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 3, 0}};
		json_t *basis = cymat_cites_json(c, 1, ctx->date);
		rc = notice_send(ctx->db, d->subject, "ciso",
		                 "CYMAT: NISC sounds out the need for a dispatch", "cymat_dispatch",
		                 d->id, basis);
		json_decref(basis);
	}
	return rc;
}

static int observer_request_guard(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	static const struct wf_cite c[] = {{"CymatRules", "11", 3, 0}};
	if (d->paragraph != 3)
		return wf_refuse(ctx, 409,
		                 "only an observer body that was sounded out requests here (11(3))",
		                 c, 1);
	bool sounded;
	int rc = cymat_exists(
	    ctx->db, &sounded,
	    "SELECT 1 FROM cymat_dispatch_consents WHERE dispatch = $1 AND party = 'sound_out'",
	    "i", ctx->id);
	if (rc != CSHQ_OK)
		return rc;
	if (!sounded)
		return wf_refuse(ctx, 409,
		                 "the head sounds the observer body out first (sound_out)", c, 1);
	return CSHQ_OK;
}

static int observer_request_effect(struct wf_ctx *ctx)
{
	return record_consent(ctx, "observer_request");
}

/* The steps recorded so far, and those still missing, of the paragraph. */
static int consents_json(struct store *db, const struct disp_row *d, json_t **recorded,
                         json_t **missing)
{
	*recorded = json_array();
	*missing = json_array();
	struct store_stmt *st;
	int rc = cymat_query(db, &st,
	                     "SELECT party, org, actor, note, at FROM cymat_dispatch_consents "
	                     "WHERE dispatch = $1 ORDER BY id",
	                     "i", d->id);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *e = json_object();
		json_object_set_new(e, "party", json_string(cymat_col_text(st, 0)));
		json_object_set_new(e, "org", json_string(cymat_col_text(st, 1)));
		json_object_set_new(e, "actor", json_string(cymat_col_text(st, 2)));
		json_object_set_new(e, "note", json_string(cymat_col_text(st, 3)));
		json_object_set_new(e, "at", cymat_col_json_time(st, 4));
		json_array_append_new(*recorded, e);
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	for (const char *const *p = required_parties(d->paragraph); *p; p++) {
		bool have = false;
		size_t i;
		json_t *v;
		json_array_foreach(*recorded, i,
		                   v) if (strcmp(json_string_value(json_object_get(v, "party")),
		                                 *p) == 0) have = true;
		if (!have)
			json_array_append_new(*missing, json_string(*p));
	}
	return CSHQ_OK;
}

static int order_guard(struct wf_ctx *ctx)
{
	int rc = cymat_guard_head(ctx);
	if (rc != CSHQ_OK)
		return rc;
	struct disp_row *d = ctx->record;
	json_t *recorded, *missing;
	if ((rc = consents_json(ctx->db, d, &recorded, &missing)) != CSHQ_OK) {
		json_decref(recorded);
		json_decref(missing);
		return rc;
	}
	if (json_array_size(missing) > 0) {
		struct buf b = BUF_INIT(280);
		buf_puts(&b, "the order needs first: ");
		size_t i;
		json_t *v;
		json_array_foreach(missing, i, v)
		    buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(v));
		struct wf_cite c[] = {{"CymatRules", "11", d->paragraph, 0}};
		rc = wf_refuse(ctx, 409, buf_cstr(&b), c, 1);
		buf_release(&b);
	} else {
		wf_add_basis(ctx, regime_cite("CymatRules", "11", d->paragraph, 0, ctx->date));
	}
	json_decref(recorded);
	json_decref(missing);
	return rc;
}

static int order_effect(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	int64_t now = time_now();
	int rc =
	    cymat_exec(ctx->db, NULL,
	               "UPDATE cymat_dispatches SET ordered_at = $1, ordered_by = $2 WHERE id = $3",
	               "iti", now, ctx->who->login, d->id);
	if (rc == CSHQ_OK) {
		struct wf_cite c[] = {{"CymatRules", "11", d->paragraph, 0}};
		json_t *basis = cymat_cites_json(c, 1, ctx->date);
		rc = notice_send(ctx->db, d->subject, NULL, "CYMAT dispatch ordered",
		                 "cymat_dispatch", d->id, basis);
		json_decref(basis);
	}
	return rc;
}

static int members_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"members", NULL};
	int rc = cymat_only_keys(ctx, keys);
	if (rc != CSHQ_OK)
		return rc;
	int64_t ids[64];
	size_t n;
	if (cymat_id_array(json_object_get(ctx->input, "members"), 64, ids, &n) != CSHQ_OK)
		return wf_refuse(ctx, 422, "members: 1 to 64 distinct roster ids", NULL, 0);
	return CSHQ_OK;
}

static int assign_effect(struct wf_ctx *ctx)
{
	int64_t ids[64];
	size_t n;
	cymat_id_array(json_object_get(ctx->input, "members"), 64, ids, &n);
	json_t *added = json_array();
	int rc = CSHQ_OK;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		int64_t ok = 0;
		rc = cymat_int(ctx->db, &ok, 0,
		               "SELECT 1 FROM cymat_roster WHERE id = $1 AND state = 'active' "
		               "AND role IN ('manager', 'field_lead', 'member')",
		               "i", ids[i]);
		if (rc != CSHQ_OK)
			break;
		if (!ok) {
			char msg[160];
			snprintf(msg, sizeof(msg),
			         "members: roster %lld is not an active manager, field leader or "
			         "member (CymatRules 5, 6)",
			         (long long)ids[i]);
			static const struct wf_cite c[] = {{"CymatRules", "5", 1, 0},
			                                   {"CymatRules", "6", 3, 0}};
			rc = wf_refuse(ctx, 422, msg, c, 2);
			break;
		}
		int64_t changes = 0;
		rc = cymat_exec(ctx->db, &changes,
		                "INSERT INTO cymat_assignments (dispatch, roster, from_at, "
		                "assigned_by) VALUES ($1, $2, $3, $4) "
		                "ON CONFLICT DO NOTHING",
		                "iiit", ctx->id, ids[i], time_now(), ctx->who->login);
		if (rc == CSHQ_OK && changes)
			json_array_append_new(added, json_integer(ids[i]));
	}
	json_object_set_new(ctx->detail, "assigned", added);
	return rc;
}

static int unassign_effect(struct wf_ctx *ctx)
{
	int64_t ids[64];
	size_t n;
	cymat_id_array(json_object_get(ctx->input, "members"), 64, ids, &n);
	int rc = CSHQ_OK;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		int64_t changes = 0;
		rc = cymat_exec(ctx->db, &changes,
		                "UPDATE cymat_assignments SET until_at = $1 WHERE dispatch = $2 "
		                "AND roster = $3 "
		                "AND until_at IS NULL",
		                "iii", time_now(), ctx->id, ids[i]);
		if (rc == CSHQ_OK && changes == 0) {
			char msg[120];
			snprintf(msg, sizeof(msg),
			         "members: roster %lld is not assigned to this dispatch",
			         (long long)ids[i]);
			rc = wf_refuse(ctx, 422, msg, NULL, 0);
		}
	}
	json_object_set_new(ctx->detail, "unassigned",
	                    json_deep_copy(json_object_get(ctx->input, "members")));
	return rc;
}

/* A step of the team: the head, a team lead, or a member assigned to this dispatch. */
static int team_guard(struct wf_ctx *ctx)
{
	if (cymat_is_head(ctx->who) || cymat_is_lead(ctx->who))
		return CSHQ_OK;
	bool assigned;
	int rc =
	    cymat_exists(ctx->db, &assigned,
	                 "SELECT 1 FROM cymat_assignments a JOIN cymat_roster r ON r.id = a.roster "
	                 "WHERE a.dispatch = $1 AND a.until_at IS NULL AND r.user_id = $2 AND "
	                 "r.state = 'active'",
	                 "ii", ctx->id, ctx->who->user_id);
	if (rc != CSHQ_OK)
		return rc;
	if (!assigned) {
		static const struct wf_cite c[] = {{"CymatRules", "12", 1, 0}};
		return wf_refuse(ctx, 403,
		                 "only members assigned to this dispatch log its activities", c, 1);
	}
	return CSHQ_OK;
}

static int lead_guard(struct wf_ctx *ctx)
{
	if (cymat_is_head(ctx->who) || cymat_is_lead(ctx->who))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"CymatRules", "5", 2, 0}, {"CymatRules", "5", 3, 0}};
	return wf_refuse(ctx, 403,
	                 "members are assigned by the head, the manager or a field leader", c, 2);
}

static int conf_of(struct wf_ctx *ctx, const char *key, bool required, int dflt, int *out)
{
	json_t *v = json_object_get(ctx->input, key);
	*out = dflt;
	if (!v && !required)
		return CSHQ_OK;
	if (int_in(v, 1, 3, out) != CSHQ_OK) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s: the body's confidentiality class, 1, 2 or 3", key);
		return wf_refuse(ctx, 422, msg, NULL, 0);
	}
	return CSHQ_OK;
}

static int activity_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"text", "category", "confidentiality", NULL};
	const char *text, *cat;
	int conf;
	struct disp_row *d = ctx->record;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "text", TEXT_MAX, &text);
	if (rc == CSHQ_OK && !text)
		return wf_refuse(ctx, 422, "text: what was done (1 to 20000 bytes)", NULL, 0);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "category", 16, &cat);
	if (rc == CSHQ_OK && cat && strcmp(cat, "grasp") && strcmp(cat, "support") &&
	    strcmp(cat, "special"))
		return wf_refuse(
		    ctx, 422,
		    "category: \"grasp\" (12(1)ア), \"support\" (12(1)イ) or \"special\" (12(1)ウ)",
		    NULL, 0);
	if (rc == CSHQ_OK)
		rc = conf_of(ctx, "confidentiality", false, d->conf, &conf);
	return rc;
}

static int activity_effect(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	const char *cat = json_string_value(json_object_get(ctx->input, "category"));
	int conf = d->conf;
	conf_of(ctx, "confidentiality", false, d->conf, &conf);
	if (!cat)
		cat = "support";
	int64_t aid = 0;
	int rc =
	    cymat_int(ctx->db, &aid, 0,
	              "INSERT INTO cymat_activities (dispatch, category, content, confidentiality, "
	              "actor, org, at) "
	              "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	              "ittitti", d->id, cat, json_string_value(json_object_get(ctx->input, "text")),
	              (int64_t)conf, ctx->who->login, ctx->who->org, time_now());
	int item = strcmp(cat, "grasp") == 0 ? 1 : strcmp(cat, "support") == 0 ? 2 : 3;
	wf_add_basis(ctx, regime_cite("CymatRules", "12", 1, item, ctx->date));
	json_object_set_new(ctx->detail, "activity", json_integer(aid));
	json_object_set_new(ctx->detail, "category", json_string(cat));
	json_object_set_new(ctx->detail, "confidentiality", json_integer(conf));
	return rc;
}

static int damage_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"text", "confidentiality", "counts_as_gsoc_report",
	                                   "major_emergency", NULL};
	const char *text;
	int conf;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "text", TEXT_MAX, &text);
	if (rc == CSHQ_OK && !text)
		return wf_refuse(ctx, 422, "text: the damage found (1 to 20000 bytes)", NULL, 0);
	if (rc == CSHQ_OK)
		rc = conf_of(ctx, "confidentiality", true, 0, &conf);
	if (rc != CSHQ_OK)
		return rc;
	if (!json_is_boolean(json_object_get(ctx->input, "counts_as_gsoc_report")))
		return wf_refuse(ctx, 422,
		                 "counts_as_gsoc_report: true when the body agrees that NISC "
		                 "treats this report as its "
		                 "report to GSOC (13(2)), else false",
		                 NULL, 0);
	json_t *m = json_object_get(ctx->input, "major_emergency");
	if (m && !json_is_boolean(m))
		return wf_refuse(ctx, 422, "major_emergency: a boolean", NULL, 0);
	return CSHQ_OK;
}

/* The GSOC link of 13(2): filed once through the incidents module when it is built, and
 * its reference kept on the damage report; NISC (GSOC) gets a notice either way. */
static int gsoc_link(struct wf_ctx *ctx, int64_t rid, int conf, json_t *basis)
{
	struct disp_row *d = ctx->record;
	int64_t occurred = d->created_at;
	int rc = CSHQ_OK;
	if (d->request)
		rc =
		    cymat_int(ctx->db, &occurred, d->created_at,
		              "SELECT event_at FROM cymat_requests WHERE id = $1", "i", d->request);
	char ref[64] = "";
	if (rc == CSHQ_OK)
		rc = cymat_gsoc_file(ctx->db, ctx->who, d->subject, rid,
		                     json_string_value(json_object_get(ctx->input, "text")), conf,
		                     occurred, ref);
	if (rc == CSHQ_OK && ref[0]) {
		rc = cymat_exec(ctx->db, NULL,
		                "UPDATE cymat_damage_reports SET gsoc_ref = $1 WHERE id = $2", "ti",
		                ref, rid);
		json_object_set_new(ctx->detail, "gsoc_ref", json_string(ref));
	}
	static const char *const gsoc[] = {"nisc_staff", NULL};
	if (rc == CSHQ_OK)
		rc = send_to_nisc_roles(
		    ctx->db, "CYMAT damage report counts as the body's GSOC report (13(2))",
		    "cymat_dispatch", d->id, basis, gsoc);
	return rc;
}

static int damage_effect(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	int conf;
	conf_of(ctx, "confidentiality", true, 0, &conf);
	bool gsoc = json_is_true(json_object_get(ctx->input, "counts_as_gsoc_report"));
	bool major = json_is_true(json_object_get(ctx->input, "major_emergency"));
	int64_t rid = 0;
	int rc = cymat_int(
	    ctx->db, &rid, 0,
	    "INSERT INTO cymat_damage_reports (dispatch, content, confidentiality, "
	    "counts_as_gsoc_report, "
	    "major_emergency, actor, org, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	    "itiiitti", d->id, json_string_value(json_object_get(ctx->input, "text")),
	    (int64_t)conf, (int64_t)gsoc, (int64_t)major, ctx->who->login, ctx->who->org,
	    time_now());
	if (rc == CSHQ_OK && major)
		rc = cymat_exec(ctx->db, NULL,
		                "UPDATE cymat_dispatches SET major_emergency = 1 WHERE id = $1",
		                "i", d->id);
	json_object_set_new(ctx->detail, "damage_report", json_integer(rid));
	json_object_set_new(ctx->detail, "confidentiality", json_integer(conf));
	json_object_set_new(ctx->detail, "counts_as_gsoc_report", json_boolean(gsoc));
	if (major) {
		json_object_set_new(ctx->detail, "major_emergency", json_true());
		wf_add_basis(ctx, regime_cite("CymatRules", "13", 3, 0, ctx->date));
	}
	if (rc == CSHQ_OK && gsoc) {
		static const struct wf_cite c[] = {{"CymatRules", "13", 2, 0}};
		json_t *basis = cymat_cites_json(c, 1, ctx->date);
		wf_add_basis(ctx, regime_cite("CymatRules", "13", 2, 0, ctx->date));
		rc = gsoc_link(ctx, rid, conf, basis);
		json_decref(basis);
	}
	return rc;
}

static int opinion_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"opinion", "heard_from", NULL};
	const char *op, *from;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "opinion", TEXT_MAX, &op);
	if (rc == CSHQ_OK && !op)
		return wf_refuse(ctx, 422, "opinion: the CISO's opinion on ending support", NULL,
		                 0);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "heard_from", 200, &from);
	if (rc == CSHQ_OK && ctx->who->org_kind == ORG_NISC && !from)
		return wf_refuse(
		    ctx, 422, "heard_from: whom NISC heard (the body's CISO or the like)", NULL, 0);
	return rc;
}

static int opinion_effect(struct wf_ctx *ctx)
{
	int64_t oid = 0;
	int rc =
	    cymat_int(ctx->db, &oid, 0,
	              "INSERT INTO cymat_opinions (dispatch, opinion, heard_from, actor, org, at) "
	              "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	              "itttti", ctx->id, json_string_value(json_object_get(ctx->input, "opinion")),
	              json_string_value(json_object_get(ctx->input, "heard_from")), ctx->who->login,
	              ctx->who->org, time_now());
	json_object_set_new(ctx->detail, "opinion", json_integer(oid));
	return rc;
}

static int terminate_guard(struct wf_ctx *ctx)
{
	int rc = note_only(ctx);
	if (rc == CSHQ_OK)
		rc = cymat_guard_head(ctx);
	if (rc != CSHQ_OK)
		return rc;
	bool heard;
	if ((rc = cymat_exists(ctx->db, &heard, "SELECT 1 FROM cymat_opinions WHERE dispatch = $1",
	                       "i", ctx->id)) != CSHQ_OK)
		return rc;
	static const struct wf_cite c[] = {{"CymatRules", "14", 0, 0}};
	if (!heard)
		return wf_refuse(
		    ctx, 409,
		    "support ends after hearing the body's CISO: record the CISO's opinion first",
		    c, 1);
	return CSHQ_OK;
}

static int close_assignments(struct wf_ctx *ctx)
{
	return cymat_exec(
	    ctx->db, NULL,
	    "UPDATE cymat_assignments SET until_at = $1 WHERE dispatch = $2 AND until_at IS NULL",
	    "ii", time_now(), ctx->id);
}

static int terminate_effect(struct wf_ctx *ctx)
{
	struct disp_row *d = ctx->record;
	int rc = cymat_exec(ctx->db, NULL,
	                    "UPDATE cymat_dispatches SET terminated_at = $1 WHERE id = $2", "ii",
	                    time_now(), ctx->id);
	if (rc == CSHQ_OK)
		rc = close_assignments(ctx);
	if (rc == CSHQ_OK) {
		static const struct wf_cite c[] = {{"CymatRules", "14", 0, 0}};
		json_t *basis = cymat_cites_json(c, 1, ctx->date);
		rc = notice_send(ctx->db, d->subject, NULL, "CYMAT support ended", "cymat_dispatch",
		                 d->id, basis);
		json_decref(basis);
	}
	return rc;
}

static const struct wf_transition dispatch_steps[] = {
    CYMAT_STEP("awaiting_consent", "consent", NULL, CONSENT_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR,
               consent_check, consent_guard, consent_effect, "出動に合意する",
               "Consent to the dispatch", {NULL, NULL, 0, 0}),
    CYMAT_STEP("awaiting_consent", "sound_out", NULL, HEAD, WF_PARTY_NISC, note_only,
               sound_out_guard, sound_out_effect, "出動の必要性を打診する",
               "Sound out the observer body", {"CymatRules", "11", 3, 0}),
    CYMAT_STEP("awaiting_consent", "request", NULL, ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_CSIRT),
               WF_PARTY_SUBJECT, note_only, observer_request_guard, observer_request_effect,
               "出動を要請する", "Request the dispatch", {"CymatRules", "11", 3, 0}),
    CYMAT_STEP("awaiting_consent", "order", "ordered", HEAD, WF_PARTY_NISC, note_only, order_guard,
               order_effect, "出動を命ずる", "Order dispatch", {NULL, NULL, 0, 0}),
    CYMAT_STEP("awaiting_consent", "cancel", "cancelled", HEAD, WF_PARTY_NISC, note_only,
               cymat_guard_head, NULL, "出動を見送る", "Cancel", {"CymatRules", "11", 0, 0}),
    CYMAT_STEP("ordered", "assign", NULL, HEAD | LEADS, WF_PARTY_NISC, members_check, lead_guard,
               assign_effect, "要員を割り当てる", "Assign members", {"CymatRules", "12", 1, 0},
               {"CymatRules", "5", 4, 0}),
    CYMAT_STEP("ordered", "unassign", NULL, HEAD | LEADS, WF_PARTY_NISC, members_check, lead_guard,
               unassign_effect, "割当てを解く", "Release members", {"CymatRules", "12", 1, 0},
               {"CymatRules", "12", 3, 0}),
    CYMAT_STEP("ordered", "log_activity", NULL, HEAD | TEAM, WF_PARTY_ANY, activity_check,
               team_guard, activity_effect, "活動を記録する", "Log an activity",
               {"CymatRules", "12", 1, 0}),
    CYMAT_STEP("ordered", "damage_report", NULL, BODY_ROLES, WF_PARTY_SUBJECT_OR_SUPERVISOR,
               damage_check, NULL, damage_effect, "被害状況を報告する", "Report damage",
               {"CymatRules", "13", 1, 0}),
    CYMAT_STEP("ordered", "ciso_opinion", NULL, ROLE_BIT(ROLE_CISO), WF_PARTY_SUBJECT_OR_SUPERVISOR,
               opinion_check, NULL, opinion_effect, "CISOの意見", "CISO's opinion",
               {"CymatRules", "14", 0, 0}),
    CYMAT_STEP("ordered", "ciso_opinion", NULL, HEAD, WF_PARTY_NISC, opinion_check,
               cymat_guard_head, opinion_effect, "CISOの意見を聴いた", "CISO's opinion heard",
               {"CymatRules", "14", 0, 0}),
    CYMAT_STEP("ordered", "terminate", "terminated", HEAD, WF_PARTY_NISC, NULL, terminate_guard,
               terminate_effect, "支援活動を終了する", "End support", {"CymatRules", "14", 0, 0}),
};
static const char *const dispatch_final[] = {"terminated", "cancelled", NULL};

const struct wf_machine cymat_dispatch_machine = {
    .kind = "cymat_dispatch",
    .table = "cymat_dispatches",
    .steps = dispatch_steps,
    .n_steps = CSHQ_ARRAY_LEN(dispatch_steps),
    .final_states = dispatch_final,
    .load = dispatch_load,
    .unload = dispatch_unload,
};

int cymat_dispatch_create(struct store *db, const struct principal *who,
                          const struct cymat_dispatch_new *in, int64_t *id, struct cymat_refusal *r)
{
	int32_t date = date_today();
	if (!cymat_is_head(who)) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 2, 0},
		                                   {"CymatRules", "4", 2, 0}};
		return cymat_refuse(r, 403, date,
		                    "the head (統括責任者), or the deputy when acting, orders a "
		                    "dispatch without a request",
		                    c, 2);
	}
	struct registry_subject subj;
	int rc = registry_subject(db, in->subject, date, &subj);
	if (rc == CSHQ_ENOTFOUND)
		return cymat_refuse(r, 422, date, "subject: no organisation with this code", NULL,
		                    0);
	if (rc != CSHQ_OK)
		return rc;
	struct regime_answer ans;
	regime_evaluate(RF_CYMAT_SUPPORT, &subj.facts, date, &ans);
	if (ans.applies == RA_NO) {
		r->status = 409;
		snprintf(r->message, sizeof(r->message), "CYMAT does not support %s (CymatRules 2)",
		         in->subject);
		for (size_t i = 0; i < ans.n_basis && r->n_basis < REGIME_MAX_BASIS; i++)
			r->basis[r->n_basis++] = ans.basis[i];
		return CSHQ_ECONFLICT;
	}
	int paragraph = 0;
	if (ans.applies == RA_YES && subj.facts.kind == ORG_MINISTRY)
		paragraph = 2;
	else if (ans.applies == RA_YES && subj.facts.kind == ORG_OBSERVER)
		paragraph = 3;
	else if (ans.applies == RA_YES &&
	         (subj.facts.kind == ORG_IAI || subj.facts.kind == ORG_CORPORATION))
		paragraph = 4;
	if (!paragraph) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 1, 0},
		                                   {"CymatRules", "10", 3, 0}};
		return cymat_refuse(r, 409, date,
		                    "a direct stakeholder is supported on a request only (10(3), "
		                    "11(1)); Rule 11 has no "
		                    "dispatch without a request for it",
		                    c, 2);
	}
	if (!regime_cite("CymatRules", "11", paragraph, 0, date)) {
		static const struct wf_cite c[] = {{"CymatRules", "11", 1, 0},
		                                   {"CymatRules", "11", 2, 0}};
		return cymat_refuse(r, 409, date,
		                    "the rules in force on this date provide no dispatch without a "
		                    "request for this body",
		                    c, 2);
	}
	int64_t now = time_now();
	rc = cymat_int(db, id, 0,
	               "INSERT INTO cymat_dispatches (subject, paragraph, summary, "
	               "confidentiality, state, created_at, "
	               "created_by, updated_at) VALUES ($1, $2, $3, $4, 'awaiting_consent', $5, "
	               "$6, $5) RETURNING id",
	               "titiit", in->subject, (int64_t)paragraph, in->summary,
	               (int64_t)in->confidentiality, now, who->login);
	if (rc == CSHQ_OK && !*id)
		rc = CSHQ_ERR;
	if (rc != CSHQ_OK)
		return rc;
	struct wf_cite cites[] = {{"CymatRules", "11", paragraph, 0}};
	json_t *basis = cymat_cites_json(cites, 1, date);
	json_t *detail =
	    json_pack("{s:i, s:i}", "paragraph", paragraph, "confidentiality", in->confidentiality);
	rc = wf_timeline_add(db, who, "cymat_dispatch", *id, "create", NULL, "awaiting_consent",
	                     detail, basis);
	json_decref(detail);
	/* who is asked: the ministry's CSIRT (11(2)); the supervising ministries and the body
	 * (11(4)) */
	if (rc == CSHQ_OK && paragraph == 2)
		rc = notice_send(db, in->subject, "csirt", "CYMAT dispatch: your consent is asked",
		                 "cymat_dispatch", *id, basis);
	for (size_t i = 0; rc == CSHQ_OK && paragraph == 4 && i < subj.facts.n_supervising; i++)
		rc = notice_send(db, subj.facts.supervising[i], "csirt",
		                 "CYMAT dispatch: your consent is asked", "cymat_dispatch", *id,
		                 basis);
	json_decref(basis);
	return rc == CSHQ_OK ? cymat_sync_grants(db) : rc;
}

/* ---- JSON with the Rule 15 gate ---- */

/* Visibility and gate of one class of a record's information, cached per class. */
struct gate {
	struct store *db;
	const struct principal *who;
	const char *kind;
	int64_t id, dispatch;
	const char *subject, *requester;
	int vis[4]; /* 0 unknown, 1 yes, -1 no */
	int use;    /* same for the gate (class 2 and 3 share it) */
	const char *why;
	json_t *withheld;
};

static int gate_ok(struct gate *g, int conf, bool *ok)
{
	*ok = false;
	if (conf < 1 || conf > 3)
		conf = 3;
	int rc;
	if (!g->vis[conf]) {
		struct vis_record vr = {g->kind, g->id, g->subject, conf};
		rc = vis_check(g->db, g->who, &vr);
		if (rc != CSHQ_OK && rc != CSHQ_ENOTFOUND)
			return rc;
		g->vis[conf] = rc == CSHQ_OK ? 1 : -1;
	}
	if (g->vis[conf] < 0) {
		g->why = "not visible to the caller";
		return CSHQ_OK;
	}
	if (conf < 2) {
		*ok = true;
		return CSHQ_OK;
	}
	if (!g->use) {
		bool allowed;
		if ((rc = cymat_info_allowed(g->db, g->who, g->dispatch, g->subject, g->requester,
		                             conf, &allowed, &g->why)) != CSHQ_OK)
			return rc;
		g->use = allowed ? 1 : -1;
	}
	*ok = g->use > 0;
	if (!*ok)
		g->why = "no consent of the body covers this use (CymatRules 15)";
	return CSHQ_OK;
}

static void withhold(struct gate *g, const char *kind, int64_t id, int conf)
{
	if (!g->withheld)
		return;
	json_array_append_new(g->withheld,
	                      json_pack("{s:s, s:I, s:i, s:s}", "kind", kind, "id", (json_int_t)id,
	                                "class", conf, "reason", g->why ? g->why : ""));
}

static json_t *request_basis(const struct req_row *r, int32_t date)
{
	struct wf_cite c[] = {{"CymatRules", "10", r->paragraph, 0}, {"CymatRules", "10", 4, 0}};
	return cymat_cites_json(c, 2, date);
}

static json_t *request_body(const struct req_row *r, bool with_summary)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "subject", json_string(r->subject));
	json_object_set_new(j, "requester_org", json_string(r->requester));
	json_object_set_new(j, "channel", json_string(r->channel));
	json_object_set_new(j, "paragraph", json_integer(r->paragraph));
	json_object_set_new(j, "on_behalf_of",
	                    r->on_behalf_of[0] ? json_string(r->on_behalf_of) : json_null());
	json_object_set_new(j, "related_request",
	                    r->related ? json_integer(r->related) : json_null());
	if (with_summary)
		json_object_set_new(j, "summary", json_string(r->summary));
	json_object_set_new(j, "confidentiality", json_integer(r->conf));
	json_object_set_new(j, "event_at", cymat_time_json(r->event_at));
	json_object_set_new(j, "state", json_string(r->state));
	json_object_set_new(j, "dispatch", r->dispatch ? json_integer(r->dispatch) : json_null());
	json_object_set_new(j, "created_at", cymat_time_json(r->created_at));
	json_object_set_new(j, "created_by", json_string(r->created_by));
	return j;
}

/* Removes the head's steps for a deputy not acting, and the steps of other paragraphs. */
static json_t *filter_actions(struct wf_ctx *ctx, int paragraph)
{
	json_t *all = wf_allowed_actions(ctx), *out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v)
	{
		const char *a = json_string_value(v);
		bool head_only = !strcmp(a, "dispatch") || !strcmp(a, "decline") ||
		                 !strcmp(a, "order") || !strcmp(a, "cancel") ||
		                 !strcmp(a, "terminate") || !strcmp(a, "sound_out");
		if (head_only && !cymat_is_head(ctx->who))
			continue;
		if (!strcmp(a, "consent") && paragraph != 2 && paragraph != 4)
			continue;
		if ((!strcmp(a, "sound_out") || !strcmp(a, "request")) && paragraph != 3)
			continue;
		json_array_append(out, v);
	}
	json_decref(all);
	return out;
}

int cymat_request_json(struct store *db, const struct principal *who, int64_t id, json_t **out,
                       json_t *withheld)
{
	*out = NULL;
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &cymat_request_machine, id, &ctx);
	struct req_row *r = ctx.record;
	struct gate g = {db,
	                 who,
	                 "cymat_request",
	                 id,
	                 r ? r->dispatch : 0,
	                 r ? r->subject : "",
	                 r ? r->requester : NULL,
	                 {0},
	                 0,
	                 NULL,
	                 withheld};
	bool ok = false;
	if (rc == CSHQ_ENOTFOUND && r && r->conf >= 2) {
		g.why = "not visible to the caller";
		withhold(&g, "cymat_request", id, r->conf);
	}
	if (rc == CSHQ_OK && (rc = gate_ok(&g, r->conf, &ok)) == CSHQ_OK && !ok) {
		withhold(&g, "cymat_request", id, r->conf);
		rc = CSHQ_ENOTFOUND;
	}
	if (rc == CSHQ_OK) {
		json_t *j = request_body(r, true);
		json_object_set_new(j, "basis", request_basis(r, ctx.date));
		json_object_set_new(j, "allowed_actions", filter_actions(&ctx, 0));
		json_t *tl;
		if ((rc = wf_timeline_json(db, "cymat_request", id, &tl)) == CSHQ_OK)
			json_object_set_new(j, "timeline", tl);
		if (rc == CSHQ_OK)
			*out = j;
		else
			json_decref(j);
	}
	wf_ctx_release(&ctx);
	return rc;
}

static int members_json(struct store *db, int64_t dispatch, json_t **out)
{
	*out = json_array();
	struct store_stmt *st;
	int rc = cymat_query(
	    db, &st,
	    "SELECT a.roster, r.name, r.org, r.role, u.login, a.from_at, a.until_at, a.assigned_by "
	    "FROM cymat_assignments a JOIN cymat_roster r ON r.id = a.roster "
	    "LEFT JOIN users u ON u.id = r.user_id WHERE a.dispatch = $1 ORDER BY a.id",
	    "i", dispatch);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *m = json_object();
		json_object_set_new(m, "roster", json_integer(store_column_int64(st, 0)));
		json_object_set_new(m, "name", json_string(cymat_col_text(st, 1)));
		json_object_set_new(m, "org", json_string(cymat_col_text(st, 2)));
		json_object_set_new(m, "role", json_string(cymat_col_text(st, 3)));
		json_object_set_new(m, "user", cymat_col_json_text(st, 4));
		json_object_set_new(m, "from", cymat_col_json_time(st, 5));
		json_object_set_new(m, "until", cymat_col_json_time(st, 6));
		json_object_set_new(m, "assigned_by", json_string(cymat_col_text(st, 7)));
		json_array_append_new(*out, m);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static json_t *damage_item(struct store_stmt *st, int64_t dispatch)
{
	json_t *e = json_object();
	json_object_set_new(e, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(e, "dispatch", json_integer(dispatch));
	json_object_set_new(e, "text", json_string(cymat_col_text(st, 1)));
	json_object_set_new(e, "confidentiality", json_integer(store_column_int64(st, 2)));
	json_object_set_new(e, "counts_as_gsoc_report", json_boolean(store_column_int64(st, 3)));
	json_object_set_new(e, "major_emergency", json_boolean(store_column_int64(st, 4)));
	json_object_set_new(e, "gsoc_ref", cymat_col_json_text(st, 5));
	json_object_set_new(e, "reported_by", json_string(cymat_col_text(st, 6)));
	json_object_set_new(e, "org", json_string(cymat_col_text(st, 7)));
	json_object_set_new(e, "at", cymat_col_json_time(st, 8));
	return e;
}

#define DAMAGE_COLS                                                                                \
	"id, content, confidentiality, counts_as_gsoc_report, major_emergency, gsoc_ref, actor, "  \
	"org, at, dispatch"

/* Items of one kind, each shown only when the caller may use its class. */
static int items_json(struct gate *g, const char *sql, const char *kind, json_t **out)
{
	*out = json_array();
	struct store_stmt *st;
	int rc = cymat_query(g->db, &st, sql, "i", g->dispatch);
	if (rc != CSHQ_OK)
		return rc;
	/* collect first: the gate runs queries of its own */
	json_t *rows = json_array();
	bool damage = strcmp(kind, "cymat_damage_report") == 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *e;
		if (damage) {
			e = damage_item(st, g->dispatch);
		} else {
			e = json_object();
			json_object_set_new(e, "id", json_integer(store_column_int64(st, 0)));
			json_object_set_new(e, "category", json_string(cymat_col_text(st, 1)));
			json_object_set_new(e, "text", json_string(cymat_col_text(st, 2)));
			json_object_set_new(e, "confidentiality",
			                    json_integer(store_column_int64(st, 3)));
			json_object_set_new(e, "actor", json_string(cymat_col_text(st, 4)));
			json_object_set_new(e, "org", json_string(cymat_col_text(st, 5)));
			json_object_set_new(e, "at", cymat_col_json_time(st, 6));
		}
		json_array_append_new(rows, e);
	}
	if (rc != STORE_DONE) {
		json_decref(rows);
		return CSHQ_ERR;
	}
	rc = CSHQ_OK;
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e)
	{
		int conf = (int)json_integer_value(json_object_get(e, "confidentiality"));
		bool ok;
		if ((rc = gate_ok(g, conf, &ok)) != CSHQ_OK)
			break;
		if (ok)
			json_array_append(*out, e);
		else
			withhold(g, kind, json_integer_value(json_object_get(e, "id")), conf);
	}
	json_decref(rows);
	return rc;
}

static json_t *dispatch_summary_json(const struct disp_row *d, int32_t date)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(d->id));
	json_object_set_new(j, "subject", json_string(d->subject));
	json_object_set_new(j, "request", d->request ? json_integer(d->request) : json_null());
	json_object_set_new(j, "requester_org",
	                    d->requester[0] ? json_string(d->requester) : json_null());
	json_object_set_new(j, "paragraph", json_integer(d->paragraph));
	struct wf_cite c[] = {{"CymatRules", "11", d->paragraph, 0}};
	json_object_set_new(j, "basis", cymat_cites_json(c, 1, date));
	json_object_set_new(j, "summary", json_string(d->summary));
	json_object_set_new(j, "confidentiality", json_integer(d->conf));
	json_object_set_new(j, "state", json_string(d->state));
	json_object_set_new(j, "major_emergency", json_boolean(d->major));
	json_object_set_new(j, "ordered_at",
	                    d->ordered_at ? cymat_time_json(d->ordered_at) : json_null());
	json_object_set_new(j, "ordered_by",
	                    d->ordered_by[0] ? json_string(d->ordered_by) : json_null());
	json_object_set_new(j, "terminated_at",
	                    d->terminated_at ? cymat_time_json(d->terminated_at) : json_null());
	json_object_set_new(j, "created_at", cymat_time_json(d->created_at));
	json_object_set_new(j, "created_by", json_string(d->created_by));
	return j;
}

static int opinions_json(struct store *db, int64_t dispatch, json_t **out)
{
	*out = json_array();
	struct store_stmt *st;
	int rc = cymat_query(db, &st,
	                     "SELECT id, opinion, heard_from, actor, org, at FROM cymat_opinions "
	                     "WHERE dispatch = $1 "
	                     "ORDER BY id",
	                     "i", dispatch);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *e = json_object();
		json_object_set_new(e, "id", json_integer(store_column_int64(st, 0)));
		json_object_set_new(e, "opinion", json_string(cymat_col_text(st, 1)));
		json_object_set_new(e, "heard_from", cymat_col_json_text(st, 2));
		json_object_set_new(e, "actor", json_string(cymat_col_text(st, 3)));
		json_object_set_new(e, "org", json_string(cymat_col_text(st, 4)));
		json_object_set_new(e, "at", cymat_col_json_time(st, 5));
		json_array_append_new(*out, e);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Loads a dispatch for the caller: visibility, then the gate on its own summary. */
static int dispatch_visible(struct store *db, const struct principal *who, int64_t id,
                            struct wf_ctx *ctx, struct gate *g, json_t *withheld)
{
	int rc = wf_load_visible(db, who, &cymat_dispatch_machine, id, ctx);
	struct disp_row *d = ctx->record;
	*g = (struct gate){db,
	                   who,
	                   "cymat_dispatch",
	                   id,
	                   id,
	                   d ? d->subject : "",
	                   d && d->requester[0] ? d->requester : NULL,
	                   {0},
	                   0,
	                   NULL,
	                   withheld};
	if (rc == CSHQ_ENOTFOUND && d && d->conf >= 2) {
		g->why = "not visible to the caller";
		withhold(g, "cymat_dispatch", id, d->conf);
	}
	bool ok = false;
	if (rc == CSHQ_OK && (rc = gate_ok(g, d->conf, &ok)) == CSHQ_OK && !ok) {
		withhold(g, "cymat_dispatch", id, d->conf);
		rc = CSHQ_ENOTFOUND;
	}
	return rc;
}

int cymat_dispatch_json(struct store *db, const struct principal *who, int64_t id, json_t **out,
                        json_t *withheld)
{
	*out = NULL;
	struct wf_ctx ctx;
	struct gate g;
	int rc = dispatch_visible(db, who, id, &ctx, &g, withheld);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	struct disp_row *d = ctx.record;
	json_t *j = dispatch_summary_json(d, ctx.date);
	json_t *recorded, *missing, *x;
	if ((rc = consents_json(db, d, &recorded, &missing)) == CSHQ_OK) {
		json_t *req = json_array();
		for (const char *const *p = required_parties(d->paragraph); *p; p++)
			json_array_append_new(req, json_string(*p));
		json_object_set_new(j, "consents",
		                    json_pack("{s:o, s:o, s:o}", "required", req, "recorded",
		                              recorded, "missing", missing));
	} else {
		json_decref(recorded);
		json_decref(missing);
	}
	if (rc == CSHQ_OK && (rc = members_json(db, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "members", x);
	if (rc == CSHQ_OK && (rc = items_json(&g,
	                                      "SELECT id, category, content, confidentiality, "
	                                      "actor, org, at FROM cymat_activities "
	                                      "WHERE dispatch = $1 ORDER BY id",
	                                      "cymat_activity", &x)) == CSHQ_OK)
		json_object_set_new(j, "activities", x);
	if (rc == CSHQ_OK &&
	    (rc = items_json(&g,
	                     "SELECT " DAMAGE_COLS
	                     " FROM cymat_damage_reports WHERE dispatch = $1 ORDER BY id",
	                     "cymat_damage_report", &x)) == CSHQ_OK)
		json_object_set_new(j, "damage_reports", x);
	if (rc == CSHQ_OK && (rc = opinions_json(db, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "ciso_opinions", x);
	if (rc == CSHQ_OK) {
		json_object_set_new(j, "allowed_actions", filter_actions(&ctx, d->paragraph));
		if ((rc = wf_timeline_json(db, "cymat_dispatch", id, &x)) == CSHQ_OK)
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

int cymat_damage_report_json(struct store *db, const struct principal *who, int64_t id,
                             json_t **out, json_t *withheld)
{
	*out = NULL;
	int64_t dispatch = 0;
	int rc = cymat_int(db, &dispatch, 0,
	                   "SELECT dispatch FROM cymat_damage_reports WHERE id = $1", "i", id);
	if (rc != CSHQ_OK)
		return rc;
	if (!dispatch)
		return CSHQ_ENOTFOUND;
	struct wf_ctx ctx;
	struct gate g;
	/* the dispatch must be visible (its own summary may be of a lower class) */
	json_t *scratch = json_array();
	rc = dispatch_visible(db, who, dispatch, &ctx, &g, scratch);
	json_t *found = NULL;
	int conf = 3;
	if (rc == CSHQ_OK) {
		g.withheld = withheld;
		struct store_stmt *st;
		rc = cymat_query(db, &st,
		                 "SELECT " DAMAGE_COLS " FROM cymat_damage_reports WHERE id = $1",
		                 "i", id);
		if (rc == CSHQ_OK && (rc = store_step(st)) == STORE_ROW) {
			found = damage_item(st, dispatch);
			conf = (int)store_column_int64(st, 2);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	} else if (rc == CSHQ_ENOTFOUND) {
		/* log the refusal of the report itself, with the report's class */
		int64_t c = 3;
		cymat_int(db, &c, 3,
		          "SELECT confidentiality FROM cymat_damage_reports WHERE id = $1", "i",
		          id);
		if (withheld && c >= 2)
			json_array_append_new(
			    withheld,
			    json_pack("{s:s, s:I, s:I, s:s}", "kind", "cymat_damage_report", "id",
			              (json_int_t)id, "class", (json_int_t)c, "reason",
			              g.why ? g.why : "not visible to the caller"));
	}
	json_decref(scratch);
	bool ok = false;
	if (rc == CSHQ_OK && found && (rc = gate_ok(&g, conf, &ok)) == CSHQ_OK && !ok) {
		withhold(&g, "cymat_damage_report", id, conf);
		rc = CSHQ_ENOTFOUND;
	}
	wf_ctx_release(&ctx);
	if (rc == CSHQ_OK && found) {
		*out = found;
		return CSHQ_OK;
	}
	json_decref(found);
	return rc == CSHQ_OK ? CSHQ_ENOTFOUND : rc;
}

/* ---- lists ---- */

static int list_ids(struct store *db, const struct principal *who, const char *kind,
                    const char *table, const struct cymat_list_filter *f, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (who->kind != PRINCIPAL_USER || !(who->roles & ~ROLE_BIT(ROLE_ADMIN)))
		return CSHQ_OK; /* the admin role alone sees no content */
	struct buf sql = BUF_INIT(4096);
	int rc = buf_printf(&sql, "SELECT t.id FROM %s t WHERE ", table);
	rc |= vis_list_condition(who, kind, "t.subject", "t.id", "t.confidentiality", 1, 2, &sql);
	int next = 3;
	if (f->subject)
		rc |= buf_printf(&sql, " AND t.subject = $%d", next++);
	if (f->state)
		rc |= buf_printf(&sql, " AND t.state = $%d", next++);
	if (f->after)
		rc |= buf_printf(&sql, " AND t.id < $%d", next++);
	rc |= buf_printf(&sql, " ORDER BY t.id DESC LIMIT $%d", next);
	if (rc != CSHQ_OK) {
		buf_release(&sql);
		return CSHQ_ELIMIT;
	}
	struct store_stmt *st;
	rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK)
		return rc;
	int k = 1;
	store_bind_text(st, k++, who->org);
	store_bind_int64(st, k++, who->user_id);
	if (f->subject)
		store_bind_text(st, k++, f->subject);
	if (f->state)
		store_bind_text(st, k++, f->state);
	if (f->after)
		store_bind_int64(st, k++, f->after);
	store_bind_int64(st, k, f->limit);
	*ids = xcalloc((size_t)f->limit + 1, sizeof(**ids));
	while ((rc = store_step(st)) == STORE_ROW && *n < (size_t)f->limit)
		(*ids)[(*n)++] = store_column_int64(st, 0);
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int list_of(struct store *db, const struct principal *who, const struct cymat_list_filter *f,
                   bool dispatches, json_t **out, json_t *withheld)
{
	int64_t *ids;
	size_t n;
	int rc = list_ids(db, who, dispatches ? "cymat_dispatch" : "cymat_request",
	                  dispatches ? "cymat_dispatches" : "cymat_requests", f, &ids, &n);
	json_t *items = json_array();
	int32_t date = date_today();
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		struct wf_ctx ctx;
		struct gate g;
		if (dispatches) {
			rc = dispatch_visible(db, who, ids[i], &ctx, &g, withheld);
			if (rc == CSHQ_OK) {
				struct disp_row *d = ctx.record;
				json_t *j = dispatch_summary_json(d, date);
				int64_t members = 0, reports = 0;
				rc = cymat_int(db, &members, 0,
				               "SELECT count(*) FROM cymat_assignments WHERE "
				               "dispatch = $1 AND until_at IS NULL",
				               "i", d->id);
				if (rc == CSHQ_OK)
					rc = cymat_int(db, &reports, 0,
					               "SELECT count(*) FROM cymat_damage_reports "
					               "WHERE dispatch = $1",
					               "i", d->id);
				json_object_set_new(j, "members_assigned", json_integer(members));
				json_object_set_new(j, "damage_reports", json_integer(reports));
				json_array_append_new(items, j);
			}
		} else {
			json_t *j;
			rc = cymat_request_json(db, who, ids[i], &j, withheld);
			memset(&ctx, 0, sizeof(ctx));
			if (rc == CSHQ_OK) {
				json_object_del(j, "timeline");
				json_array_append_new(items, j);
			}
		}
		wf_ctx_release(&ctx);
		if (rc == CSHQ_ENOTFOUND)
			rc = CSHQ_OK; /* withheld by the gate */
	}
	json_t *cursor = json_null();
	if (rc == CSHQ_OK && n == (size_t)f->limit && n > 0) {
		char c[24];
		snprintf(c, sizeof(c), "%lld", (long long)ids[n - 1]);
		cursor = json_string(c);
	}
	free(ids);
	if (rc != CSHQ_OK) {
		json_decref(items);
		json_decref(cursor);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor", cursor);
	return CSHQ_OK;
}

int cymat_request_list(struct store *db, const struct principal *who,
                       const struct cymat_list_filter *f, json_t **out, json_t *withheld)
{
	return list_of(db, who, f, false, out, withheld);
}

int cymat_dispatch_list(struct store *db, const struct principal *who,
                        const struct cymat_list_filter *f, json_t **out, json_t *withheld)
{
	return list_of(db, who, f, true, out, withheld);
}
