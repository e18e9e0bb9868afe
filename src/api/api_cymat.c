/* api_cymat.c: /api/v1/cymat (spec 40): the roster, support requests, dispatches with their
 * consents, members, activity log and damage reports, the consents of CymatRules 15,
 * trainings and exercises, and the periodic report. Handlers validate input and answer;
 * the rules live in modules/cymat*.c. A read that the Rule 15 gate refuses, in whole or
 * for some items, is logged (cymat_log_refusal) even though it answers 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/cymat.h"
#include "modules/registry.h"

/* ---- helpers ---- */

static int refusal(struct http_response *res, int rc, const struct cymat_refusal *r)
{
	if (rc == CSHQ_ENOTFOUND)
		return http_not_found(res);
	if (!r->status)
		return http_problem_rc(res, rc, NULL);
	return http_problem(res, r->status, NULL, r->message,
	                    r->n_basis ? basis_json(r->basis, r->n_basis) : NULL);
}

static bool parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return false;
	*out = v;
	return true;
}

static int paging(struct http_request *req, struct http_response *res, long *limit, int64_t *after)
{
	if (http_query_int(req, "limit", 1, 500, 50, limit) != CSHQ_OK) {
		http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
		return -1;
	}
	*after = 0;
	const char *c = http_query(req, "cursor");
	if (c && *c && !parse_id(c, after)) {
		http_problem(res, 400, NULL, "cursor: the next_cursor of the previous page", NULL);
		return -1;
	}
	return 0;
}

/* An optional text of 1..max bytes; false (422 written) when present and not one. */
static bool opt_text(json_t *body, const char *key, size_t max, bool required, const char **out,
                     struct http_response *res)
{
	json_t *v = json_object_get(body, key);
	*out = NULL;
	if ((!v || json_is_null(v)) && !required)
		return true;
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
		char d[120];
		snprintf(d, sizeof(d), "%s: %s text of 1 to %zu bytes", key,
		         required ? "a required" : "a", max);
		http_problem(res, 422, NULL, d, NULL);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

static bool opt_class(json_t *body, int *out, struct http_response *res)
{
	json_t *v = json_object_get(body, "confidentiality");
	*out = 2;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 3) {
		http_problem(res, 422, NULL, "confidentiality: the body's class, 1, 2 or 3", NULL);
		return false;
	}
	*out = (int)json_integer_value(v);
	return true;
}

static bool opt_id(json_t *body, const char *key, int64_t *out, struct http_response *res)
{
	json_t *v = json_object_get(body, key);
	*out = 0;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		char d[96];
		snprintf(d, sizeof(d), "%s: a positive id", key);
		http_problem(res, 422, NULL, d, NULL);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* Refused items of a state-changing request are logged in its own transaction. */
static int log_inline(struct store *db, const struct principal *who, json_t *withheld)
{
	size_t i;
	json_t *v;
	int rc = CSHQ_OK;
	json_array_foreach(withheld, i, v)
	{
		char id[32];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(v, "id")));
		char *d = json_dumps(v, JSON_COMPACT);
		rc = auditlog_append(db, who, "cymat_access_refused",
		                     json_string_value(json_object_get(v, "kind")), id, d);
		free(d);
		if (rc != CSHQ_OK)
			break;
	}
	return rc;
}

typedef int (*record_json_fn)(struct store *db, const struct principal *who, int64_t id,
                              json_t **out, json_t *withheld);

/* GET of one record: the answer, and the refusals logged whatever the answer. */
static int get_record(struct http_request *req, struct http_response *res, record_json_fn fn)
{
	int64_t id;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	json_t *withheld = json_array(), *out = NULL;
	int rc = fn(req->db, &req->who, id, &out, withheld);
	int lrc = cymat_log_refusal(req->db, &req->who, withheld);
	json_decref(withheld);
	if (lrc != CSHQ_OK) {
		json_decref(out);
		return http_problem_rc(res, lrc, NULL);
	}
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int consent_json_fn(struct store *db, const struct principal *who, int64_t id, json_t **out,
                           json_t *w)
{
	(void)w;
	return cymat_consent_json(db, who, id, out);
}

static int training_json_fn(struct store *db, const struct principal *who, int64_t id, json_t **out,
                            json_t *w)
{
	(void)w;
	return cymat_training_json(db, who, id, out);
}

static int roster_json_fn(struct store *db, const struct principal *who, int64_t id, json_t **out,
                          json_t *w)
{
	(void)w;
	json_t *row;
	int rc = cymat_roster_row_json(db, id, &row);
	if (rc != CSHQ_OK)
		return rc;
	struct vis_record vr = {"cymat_roster", id, json_string_value(json_object_get(row, "org")),
	                        0};
	if ((rc = vis_check(db, who, &vr)) != CSHQ_OK) {
		json_decref(row);
		return rc;
	}
	struct wf_ctx ctx;
	if ((rc = wf_load_visible(db, who, &cymat_roster_machine, id, &ctx)) == CSHQ_OK) {
		json_object_set_new(row, "allowed_actions", wf_allowed_actions(&ctx));
		json_t *tl;
		if ((rc = wf_timeline_json(db, "cymat_roster", id, &tl)) == CSHQ_OK)
			json_object_set_new(row, "timeline", tl);
	}
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK) {
		json_decref(row);
		return rc;
	}
	*out = row;
	return CSHQ_OK;
}

/* POST <record>/actions/<action>: the engine, then the record as the caller now sees it. */
static int run_action(struct http_request *req, struct http_response *res,
                      const struct wf_machine *m, record_json_fn fn)
{
	int64_t id;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	json_t *body;
	if (req->body_len == 0) {
		body = json_object();
	} else if (!(body = http_body_object(req, res))) {
		return res->status;
	}
	struct wf_ctx ctx;
	int rc = cymat_apply(req->db, &req->who, m, id, req->params[1], body, &ctx);
	json_decref(body);
	if (rc != CSHQ_OK) {
		int status = ctx.status ? ctx.status : 500;
		int answer;
		if (status == 404)
			answer = ctx.message[0] ? http_problem(res, 404, NULL, ctx.message, NULL)
			                        : http_not_found(res);
		else if (status >= 500)
			answer = http_problem_rc(res, CSHQ_ERR, NULL);
		else
			answer =
			    http_problem(res, status, NULL, ctx.message[0] ? ctx.message : NULL,
			                 ctx.n_basis ? basis_json(ctx.basis, ctx.n_basis) : NULL);
		wf_ctx_release(&ctx);
		return answer;
	}
	wf_ctx_release(&ctx);
	json_t *withheld = json_array(), *out = NULL;
	rc = fn(req->db, &req->who, id, &out, withheld);
	if (rc == CSHQ_OK)
		rc = log_inline(req->db, &req->who, withheld);
	json_decref(withheld);
	if (rc == CSHQ_ENOTFOUND) /* the step was taken; the caller can no longer see the record */
		return http_json(res, 200,
		                 json_pack("{s:I, s:b}", "id", (json_int_t)id, "visible", 0));
	if (rc != CSHQ_OK) {
		json_decref(out);
		return http_problem_rc(res, rc, NULL);
	}
	return http_json(res, 200, out);
}

static int created(struct http_request *req, struct http_response *res, record_json_fn fn,
                   int64_t id, const char *location)
{
	json_t *withheld = json_array(), *out = NULL;
	int rc = fn(req->db, &req->who, id, &out, withheld);
	if (rc == CSHQ_OK)
		rc = log_inline(req->db, &req->who, withheld);
	json_decref(withheld);
	if (rc != CSHQ_OK) {
		json_decref(out);
		return http_problem_rc(res, rc, NULL);
	}
	snprintf(res->location, sizeof(res->location), "%s/%lld", location, (long long)id);
	return http_json(res, 201, out);
}

/* ---- roster ---- */

static int roster_get(struct http_request *req, struct http_response *res)
{
	long limit;
	int64_t after;
	if (paging(req, res, &limit, &after))
		return res->status;
	const char *org = http_query(req, "org");
	if (org && (!*org || strlen(org) > 32))
		return http_problem(res, 400, NULL, "org: an organisation code", NULL);
	const char *hist = http_query(req, "history");
	if (hist && strcmp(hist, "true") && strcmp(hist, "false"))
		return http_problem(res, 400, NULL, "history: true or false", NULL);
	json_t *out;
	int rc = cymat_roster_json(req->db, &req->who, org, hist && !strcmp(hist, "true"), limit,
	                           after, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int roster_add(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"org", "name", "role", "user", "replaces", NULL};
	struct cymat_roster_new in = {0};
	const char *role = NULL;
	int status = 0;
	if (!http_only_keys(body, keys, res) || !opt_text(body, "org", 32, true, &in.org, res) ||
	    !opt_text(body, "name", 200, true, &in.name, res) ||
	    !opt_text(body, "role", 16, true, &role, res) ||
	    !opt_text(body, "user", 64, false, &in.user, res) ||
	    !opt_id(body, "replaces", &in.replaces, res))
		status = res->status;
	else if (cymat_role_parse(role, &in.role) != CSHQ_OK)
		status = http_problem(
		    res, 422, NULL,
		    "role: \"manager\", \"field_lead\", \"member\", \"candidate\" or \"trainee\"",
		    NULL);
	if (status) {
		json_decref(body);
		return status;
	}
	struct cymat_refusal r = {0};
	int64_t id = 0;
	int rc = cymat_roster_add(req->db, &req->who, &in, &id, &r);
	json_decref(body);
	if (rc != CSHQ_OK)
		return refusal(res, rc, &r);
	return created(req, res, roster_json_fn, id, "/api/v1/cymat/roster");
}

static int roster_one(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, roster_json_fn);
}

static int roster_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &cymat_roster_machine, roster_json_fn);
}

/* ---- requests and dispatches ---- */

static int list_filter(struct http_request *req, struct http_response *res,
                       struct cymat_list_filter *f)
{
	if (paging(req, res, &f->limit, &f->after))
		return -1;
	f->subject = http_query(req, "subject");
	f->state = http_query(req, "state");
	if (f->subject && (!*f->subject || strlen(f->subject) > 32)) {
		http_problem(res, 400, NULL, "subject: an organisation code", NULL);
		return -1;
	}
	if (f->state && (!*f->state || strlen(f->state) > 32)) {
		http_problem(res, 400, NULL, "state: a state of the record", NULL);
		return -1;
	}
	return 0;
}

static int list_records(struct http_request *req, struct http_response *res, bool dispatches)
{
	struct cymat_list_filter f = {0};
	if (list_filter(req, res, &f))
		return res->status;
	json_t *withheld = json_array(), *out = NULL;
	int rc = dispatches ? cymat_dispatch_list(req->db, &req->who, &f, &out, withheld)
	                    : cymat_request_list(req->db, &req->who, &f, &out, withheld);
	int lrc = rc == CSHQ_OK ? cymat_log_refusal(req->db, &req->who, withheld) : CSHQ_OK;
	json_decref(withheld);
	if (rc == CSHQ_OK && lrc != CSHQ_OK)
		rc = lrc;
	if (rc != CSHQ_OK) {
		json_decref(out);
		return http_problem_rc(res, rc, NULL);
	}
	return http_json(res, 200, out);
}

static int requests_list(struct http_request *req, struct http_response *res)
{
	return list_records(req, res, false);
}

static int requests_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {
	    "subject",      "channel",         "summary",         "event_at",
	    "on_behalf_of", "confidentiality", "related_request", NULL};
	struct cymat_request_new in = {0};
	const char *event_at = NULL;
	int status = 0;
	if (!http_only_keys(body, keys, res) ||
	    !opt_text(body, "subject", 32, true, &in.subject, res) ||
	    !opt_text(body, "channel", 16, true, &in.channel, res) ||
	    !opt_text(body, "summary", 20000, true, &in.summary, res) ||
	    !opt_text(body, "event_at", 40, true, &event_at, res) ||
	    !opt_text(body, "on_behalf_of", 32, false, &in.on_behalf_of, res) ||
	    !opt_class(body, &in.confidentiality, res) ||
	    !opt_id(body, "related_request", &in.related_request, res))
		status = res->status;
	else if (strcmp(in.channel, "ciso") != 0 && strcmp(in.channel, "emergency") != 0)
		status = http_problem(
		    res, 422, NULL, "channel: \"ciso\" or \"emergency\" (CymatRules 10(4))", NULL);
	else if (time_parse_rfc3339(event_at, &in.event_at) != CSHQ_OK)
		status = http_problem(res, 422, NULL,
		                      "event_at: a time in RFC 3339 with its offset", NULL);
	if (status) {
		json_decref(body);
		return status;
	}
	struct cymat_refusal r = {0};
	int64_t id = 0;
	int rc = cymat_request_create(req->db, &req->who, &in, &id, &r);
	json_decref(body);
	if (rc != CSHQ_OK)
		return refusal(res, rc, &r);
	return created(req, res, cymat_request_json, id, "/api/v1/cymat/requests");
}

static int requests_get(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, cymat_request_json);
}

static int requests_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &cymat_request_machine, cymat_request_json);
}

static int dispatches_list(struct http_request *req, struct http_response *res)
{
	return list_records(req, res, true);
}

static int dispatches_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"subject", "summary", "confidentiality", NULL};
	struct cymat_dispatch_new in = {0};
	int status = 0;
	if (!http_only_keys(body, keys, res) ||
	    !opt_text(body, "subject", 32, true, &in.subject, res) ||
	    !opt_text(body, "summary", 20000, true, &in.summary, res) ||
	    !opt_class(body, &in.confidentiality, res))
		status = res->status;
	if (status) {
		json_decref(body);
		return status;
	}
	struct cymat_refusal r = {0};
	int64_t id = 0;
	int rc = cymat_dispatch_create(req->db, &req->who, &in, &id, &r);
	json_decref(body);
	if (rc != CSHQ_OK)
		return refusal(res, rc, &r);
	return created(req, res, cymat_dispatch_json, id, "/api/v1/cymat/dispatches");
}

static int dispatches_get(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, cymat_dispatch_json);
}

static int dispatches_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &cymat_dispatch_machine, cymat_dispatch_json);
}

static int damage_get(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, cymat_damage_report_json);
}

/* ---- consents (15) ---- */

static int consents_list(struct http_request *req, struct http_response *res)
{
	long limit;
	int64_t after;
	if (paging(req, res, &limit, &after))
		return res->status;
	const char *provider = http_query(req, "provider_org");
	if (provider && (!*provider || strlen(provider) > 32))
		return http_problem(res, 400, NULL, "provider_org: an organisation code", NULL);
	if (provider) {
		bool in_scope = false;
		struct vis_record vr = {"cymat_consent", 0, provider, 0};
		int rc = vis_check(req->db, &req->who, &vr);
		in_scope = rc == CSHQ_OK;
		if (rc != CSHQ_OK && rc != CSHQ_ENOTFOUND)
			return http_problem_rc(res, rc, NULL);
		if (!in_scope)
			return http_not_found(res);
	}
	json_t *out;
	int rc = cymat_consent_list(req->db, &req->who, provider, limit, after, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int consents_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"provider_org", "purpose", "dispatch", "note", NULL};
	struct cymat_consent_new in = {0};
	int status = 0;
	if (!http_only_keys(body, keys, res) ||
	    !opt_text(body, "provider_org", 32, true, &in.provider_org, res) ||
	    !opt_text(body, "purpose", 16, true, &in.purpose, res) ||
	    !opt_id(body, "dispatch", &in.dispatch, res) ||
	    !opt_text(body, "note", 4000, true, &in.note, res))
		status = res->status;
	if (status) {
		json_decref(body);
		return status;
	}
	struct cymat_refusal r = {0};
	int64_t id = 0;
	int rc = cymat_consent_create(req->db, &req->who, &in, &id, &r);
	json_decref(body);
	if (rc != CSHQ_OK)
		return refusal(res, rc, &r);
	return created(req, res, consent_json_fn, id, "/api/v1/cymat/consents");
}

static int consents_get(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, consent_json_fn);
}

static int consents_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &cymat_consent_machine, consent_json_fn);
}

/* ---- trainings and exercises (12(2)) ---- */

static int trainings_list(struct http_request *req, struct http_response *res)
{
	long limit;
	int64_t after;
	if (paging(req, res, &limit, &after))
		return res->status;
	json_t *out;
	int rc = cymat_training_list(req->db, &req->who, limit, after, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int trainings_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"kind", "title",        "from", "until",
	                                   "note", "participants", NULL};
	struct cymat_training_new in = {0};
	const char *from = NULL, *until = NULL;
	int status = 0;
	if (!http_only_keys(body, keys, res) || !opt_text(body, "kind", 16, true, &in.kind, res) ||
	    !opt_text(body, "title", 400, true, &in.title, res) ||
	    !opt_text(body, "from", 10, true, &from, res) ||
	    !opt_text(body, "until", 10, false, &until, res) ||
	    !opt_text(body, "note", 4000, false, &in.note, res))
		status = res->status;
	else if (strcmp(in.kind, "training") != 0 && strcmp(in.kind, "exercise") != 0)
		status =
		    http_problem(res, 422, NULL,
		                 "kind: \"training\" or \"exercise\" (CymatRules 12(2)ウ)", NULL);
	else if (date_parse(from, &in.from) != CSHQ_OK)
		status = http_problem(res, 422, NULL, "from: a date YYYY-MM-DD", NULL);
	else if (until && (date_parse(until, &in.until) != CSHQ_OK || in.until < in.from))
		status =
		    http_problem(res, 422, NULL, "until: a date YYYY-MM-DD, not before from", NULL);
	if (!status) {
		if (!until)
			in.until = in.from;
		in.participants = json_object_get(body, "participants");
		if (in.participants && json_is_null(in.participants))
			in.participants = NULL;
		if (in.participants && !json_is_array(in.participants))
			status = http_problem(res, 422, NULL,
			                      "participants: an array of roster ids", NULL);
	}
	if (status) {
		json_decref(body);
		return status;
	}
	struct cymat_refusal r = {0};
	int64_t id = 0;
	int rc = cymat_training_create(req->db, &req->who, &in, &id, &r);
	json_decref(body);
	if (rc != CSHQ_OK)
		return refusal(res, rc, &r);
	return created(req, res, training_json_fn, id, "/api/v1/cymat/trainings");
}

static int trainings_get(struct http_request *req, struct http_response *res)
{
	return get_record(req, res, training_json_fn);
}

static int trainings_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &cymat_training_machine, training_json_fn);
}

/* ---- the periodic report (16) ---- */

static int report_get(struct http_request *req, struct http_response *res)
{
	/* NISC prepares the report and publishes its summary; nobody else reads it here */
	if (!principal_is_nisc(&req->who) && !cymat_is_lead(&req->who))
		return http_not_found(res);
	int32_t today = date_today();
	int fy = fiscal_year_of(today);
	int32_t from = fiscal_year_start(fy), until = fiscal_year_start(fy + 1);
	const char *f = http_query(req, "from"), *u = http_query(req, "until"),
	           *p = http_query(req, "published");
	if (f && date_parse(f, &from) != CSHQ_OK)
		return http_problem(res, 400, NULL, "from: a date YYYY-MM-DD", NULL);
	if (u && date_parse(u, &until) != CSHQ_OK)
		return http_problem(res, 400, NULL,
		                    "until: a date YYYY-MM-DD (the first day not counted)", NULL);
	if (until <= from || until - from > 3660)
		return http_problem(res, 400, NULL, "until: after from, at most ten years later",
		                    NULL);
	if (p && strcmp(p, "true") && strcmp(p, "false"))
		return http_problem(res, 400, NULL, "published: true or false", NULL);
	json_t *out;
	int rc = cymat_report_json(req->db, from, until, p && !strcmp(p, "true"), &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static const struct http_route cymat_routes[] = {
    {"GET", "/api/v1/cymat/roster", roster_get, 0},
    {"POST", "/api/v1/cymat/roster", roster_add, 0},
    {"GET", "/api/v1/cymat/roster/{id}", roster_one, 0},
    {"POST", "/api/v1/cymat/roster/{id}/actions/{action}", roster_action, 0},
    {"GET", "/api/v1/cymat/requests", requests_list, 0},
    {"POST", "/api/v1/cymat/requests", requests_create, 0},
    {"GET", "/api/v1/cymat/requests/{id}", requests_get, 0},
    {"POST", "/api/v1/cymat/requests/{id}/actions/{action}", requests_action, 0},
    {"GET", "/api/v1/cymat/dispatches", dispatches_list, 0},
    {"POST", "/api/v1/cymat/dispatches", dispatches_create, 0},
    {"GET", "/api/v1/cymat/dispatches/{id}", dispatches_get, 0},
    {"POST", "/api/v1/cymat/dispatches/{id}/actions/{action}", dispatches_action, 0},
    {"GET", "/api/v1/cymat/damage-reports/{id}", damage_get, 0},
    {"GET", "/api/v1/cymat/consents", consents_list, 0},
    {"POST", "/api/v1/cymat/consents", consents_create, 0},
    {"GET", "/api/v1/cymat/consents/{id}", consents_get, 0},
    {"POST", "/api/v1/cymat/consents/{id}/actions/{action}", consents_action, 0},
    {"GET", "/api/v1/cymat/trainings", trainings_list, 0},
    {"POST", "/api/v1/cymat/trainings", trainings_create, 0},
    {"GET", "/api/v1/cymat/trainings/{id}", trainings_get, 0},
    {"POST", "/api/v1/cymat/trainings/{id}/actions/{action}", trainings_action, 0},
    {"GET", "/api/v1/cymat/report", report_get, 0},
};

const struct http_route_table api_cymat_routes = {cymat_routes, CSHQ_ARRAY_LEN(cymat_routes)};
