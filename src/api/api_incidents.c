/* api_incidents.c: /api/v1 reports, cases and notifications (spec 20, spec 80). Every record
 * goes through the visibility layer (wf_load_visible / vis_list_condition): what a caller may
 * not see is 404, on every route here. Steps go through the workflow engine (wf_apply);
 * a refusal by the regime answers 409 with its basis. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/incidents.h"

static int error_problem(struct http_response *res, struct inc_error *e)
{
	int status = e->status >= 400 ? e->status : 500;
	json_t *basis = e->basis;
	e->basis = NULL;
	if (status == 404) {
		json_decref(basis);
		return http_not_found(res);
	}
	if (status >= 500) {
		json_decref(basis);
		return http_problem(res, 500, NULL, "internal error; nothing was changed", NULL);
	}
	return http_problem(res, status, NULL, e->detail[0] ? e->detail : NULL, basis);
}

static int wf_problem(struct http_response *res, struct wf_ctx *ctx)
{
	struct inc_error e = {0};
	inc_error_from_wf(&e, ctx);
	return error_problem(res, &e);
}

/* The optional JSON object body of an action: empty means {}. */
static json_t *action_body(struct http_request *req, struct http_response *res)
{
	if (req->body_len == 0)
		return json_object();
	return http_body_object(req, res);
}

static int bad_query(struct http_response *res, const char *detail)
{
	return http_problem(res, 400, NULL, detail, NULL);
}

static int read_cursor(struct http_request *req, int64_t *before)
{
	const char *c = http_query(req, "cursor");
	*before = 0;
	if (!c || !*c)
		return CSHQ_OK;
	*before = inc_parse_id(c);
	return *before > 0 ? CSHQ_OK : CSHQ_EINVAL;
}

static bool valid_code(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 32)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

static bool one_of(const char *s, const char *const *list)
{
	for (const char *const *p = list; *p; p++)
		if (strcmp(*p, s) == 0)
			return true;
	return false;
}

/* ---- reports */

static int answer_report(struct http_request *req, struct http_response *res, int64_t id, int status)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(req->db, &req->who, &report_machine, id, &ctx);
	json_t *out = NULL;
	if (rc == CSHQ_OK)
		rc = report_record_json(&ctx, &out);
	int answered = rc == CSHQ_OK ? http_json(res, status, out)
				     : ctx.status == 404 ? http_not_found(res) : http_problem_rc(res, CSHQ_ERR, NULL);
	wf_ctx_release(&ctx);
	return answered;
}

static int reports_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	struct inc_error e = {0};
	int64_t id = 0;
	int rc = report_create(req->db, &req->who, body, &id, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	snprintf(res->location, sizeof(res->location), "/api/v1/reports/%lld", (long long)id);
	return answer_report(req, res, id, 201);
}

static const char *const report_states[] = {"draft", "awaiting_ministry", "received", "info_requested",
					    "acknowledged", "confirmed_major", "recommendation_prepared", NULL};

static int reports_list(struct http_request *req, struct http_response *res)
{
	struct report_filter f = {0};
	long item = 0;
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return bad_query(res, "limit: an integer from 1 to 500");
	if (http_query_int(req, "item", 1, 3, 0, &item) != CSHQ_OK)
		return bad_query(res, "item: 1, 2 or 3");
	f.item = (int)item;
	if (read_cursor(req, &f.before) != CSHQ_OK)
		return bad_query(res, "cursor: as returned in next_cursor");
	f.subject = http_query(req, "subject");
	if (f.subject && !*f.subject)
		f.subject = NULL;
	if (f.subject && !valid_code(f.subject))
		return bad_query(res, "subject: an organisation code");
	f.state = http_query(req, "state");
	if (f.state && !*f.state)
		f.state = NULL;
	if (f.state && !one_of(f.state, report_states))
		return bad_query(res, "state: unknown report state");
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	if (from && *from && (f.has_from = true) && date_parse(from, &f.from) != CSHQ_OK)
		return bad_query(res, "from: a date YYYY-MM-DD (occurrence, JST)");
	if (to && *to && (f.has_to = true) && date_parse(to, &f.to) != CSHQ_OK)
		return bad_query(res, "to: a date YYYY-MM-DD (occurrence, JST)");
	json_t *out;
	int rc = report_list(req->db, &req->who, &f, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	return http_json(res, 200, out);
}

static int reports_classifications(struct http_request *req, struct http_response *res)
{
	return http_json(res, 200,
			 json_pack("{s:s, s:o, s:[sssss]}", "taxonomy", "RSIT (Reference Security Incident Taxonomy)",
				   "classes", rsit_json(), "tlp", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"));
}

static int reports_get(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	return answer_report(req, res, id, 200);
}

static int run_action(struct http_request *req, struct http_response *res, const struct wf_machine *m)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	json_t *body = action_body(req, res);
	if (!body)
		return res->status;
	struct wf_ctx ctx;
	int rc = wf_apply(req->db, &req->who, m, id, req->params[1], body, &ctx);
	json_decref(body);
	int status;
	if (rc != CSHQ_OK) {
		status = wf_problem(res, &ctx);
	} else {
		/* the step changed the row: read it again (it stays visible: no second check) */
		json_t *out = NULL;
		m->unload(&ctx);
		rc = m->load(&ctx);
		if (rc == CSHQ_OK)
			rc = m == &case_machine ? case_record_json(&ctx, &out) : report_record_json(&ctx, &out);
		status = rc == CSHQ_OK ? http_json(res, 200, out) : http_problem_rc(res, CSHQ_ERR, NULL);
	}
	wf_ctx_release(&ctx);
	return status;
}

static int reports_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &report_machine);
}

static int reports_update(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"text", NULL};
	struct inc_error e = {0};
	bool ok = true;
	int rc = CSHQ_EINVAL;
	if (!http_only_keys(body, keys, res)) {
		json_decref(body);
		return res->status;
	}
	const char *text = inc_text(body, "text", true, INC_TEXT_MAX, &ok, &e);
	if (ok)
		rc = report_add_update(req->db, &req->who, id, text, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return answer_report(req, res, id, 201);
}

static int reports_attach(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	struct inc_error e = {0};
	json_t *out = NULL;
	int rc = report_attach(req->db, &req->who, id, http_query(req, "filename"), req->content_type, req->body,
			       req->body_len, &out, &e);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	bool created = json_is_true(json_object_get(out, "created"));
	json_object_del(out, "created");
	snprintf(res->location, sizeof(res->location), "/api/v1/reports/%lld/attachments/%.64s", (long long)id,
		 json_string_value(json_object_get(out, "sha256")));
	return http_json(res, created ? 201 : 200, out);
}

static int reports_attachment(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	const char *sha = req->params[1];
	if (id <= 0 || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return http_not_found(res);
	struct inc_error e = {0};
	const char *type = NULL;
	buf_reset(&res->body);
	int rc = report_attachment_get(req->db, &req->who, id, sha, &type, &res->body, &e);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	res->status = 200;
	res->content_type = type;
	return 200;
}

/* Exports (spec 70): the same visibility, and TLP:RED / TLP:AMBER+STRICT stay with the
 * subject organisation's own users. */
static int export_record(struct http_request *req, struct http_response *res, const struct wf_machine *m)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	const char *format = http_query(req, "format");
	if (!format || !*format)
		format = "pdf";
	if (strcmp(format, "pdf") != 0 && strcmp(format, "json") != 0)
		return bad_query(res, "format: pdf or json");
	struct wf_ctx ctx;
	int rc = wf_load_visible(req->db, &req->who, m, id, &ctx);
	if (rc != CSHQ_OK) {
		int s = wf_problem(res, &ctx);
		wf_ctx_release(&ctx);
		return s;
	}
	json_t *rec = NULL;
	rc = m == &case_machine ? case_record_json(&ctx, &rec) : report_record_json(&ctx, &rec);
	int status;
	if (rc != CSHQ_OK) {
		status = http_problem_rc(res, CSHQ_ERR, NULL);
	} else if (!inc_export_allowed(&req->who, ctx.subject_org, json_string_value(json_object_get(rec, "tlp")))) {
		status = http_problem(res, 403, NULL,
				      "TLP:RED and TLP:AMBER+STRICT material is not exported beyond the "
				      "organisation it concerns",
				      NULL);
	} else if (strcmp(format, "json") == 0) {
		struct notice_filter nf = {.record_kind = m->kind, .record_id = id, .limit = 500};
		json_t *notices = NULL;
		if (notices_list(req->db, &req->who, &nf, &notices) == CSHQ_OK)
			json_object_set(rec, "notices", json_object_get(notices, "items"));
		json_decref(notices);
		char now[26];
		time_format_rfc3339(time_now(), now);
		json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:O}", "kind", m->kind, "exported_at", now, "exported_by",
					req->who.login, "exported_by_org", req->who.org, "record", rec);
		status = http_json(res, 200, doc);
	} else {
		buf_reset(&res->body);
		rc = m == &case_machine ? case_export_pdf(&ctx, &res->body) : report_export_pdf(&ctx, &res->body);
		if (rc == CSHQ_OK) {
			res->status = status = 200;
			res->content_type = "application/pdf";
		} else {
			status = http_problem(res, 500, NULL, "the document could not be produced", NULL);
		}
	}
	json_decref(rec);
	wf_ctx_release(&ctx);
	return status;
}

static int reports_export(struct http_request *req, struct http_response *res)
{
	return export_record(req, res, &report_machine);
}

/* ---- cases */

static const char *const case_states[] = {"opened", "investigating", "results_compiled", "results_deliberated",
					  "results_notified", "recovery_planned", "closed", NULL};

static int cases_list(struct http_request *req, struct http_response *res)
{
	struct case_filter f = {0};
	long overdue = 0;
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return bad_query(res, "limit: an integer from 1 to 500");
	if (http_query_int(req, "overdue", 0, 1, 0, &overdue) != CSHQ_OK)
		return bad_query(res, "overdue: 0 or 1");
	f.overdue = overdue == 1;
	if (read_cursor(req, &f.before) != CSHQ_OK)
		return bad_query(res, "cursor: as returned in next_cursor");
	f.subject = http_query(req, "subject");
	if (f.subject && !*f.subject)
		f.subject = NULL;
	if (f.subject && !valid_code(f.subject))
		return bad_query(res, "subject: an organisation code");
	f.state = http_query(req, "state");
	if (f.state && !*f.state)
		f.state = NULL;
	if (f.state && !one_of(f.state, case_states))
		return bad_query(res, "state: unknown case state");
	json_t *out;
	if (case_list(req->db, &req->who, &f, &out) != CSHQ_OK)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	return http_json(res, 200, out);
}

static int cases_get(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	struct wf_ctx ctx;
	int rc = wf_load_visible(req->db, &req->who, &case_machine, id, &ctx);
	json_t *out = NULL;
	if (rc == CSHQ_OK)
		rc = case_record_json(&ctx, &out);
	int status = rc == CSHQ_OK ? http_json(res, 200, out) : wf_problem(res, &ctx);
	wf_ctx_release(&ctx);
	return status;
}

static int cases_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &case_machine);
}

static int cases_export(struct http_request *req, struct http_response *res)
{
	return export_record(req, res, &case_machine);
}

static json_t *targets_json(const int64_t h[CASE_STAGES])
{
	json_t *t = json_object();
	for (int i = 0; i < CASE_STAGES; i++) {
		char k[2] = {(char)('1' + i), 0};
		json_object_set_new(t, k, h[i] ? json_integer(h[i]) : json_null());
	}
	return json_pack("{s:o}", "stage_targets_hours", t);
}

static int targets_get(struct http_request *req, struct http_response *res)
{
	int64_t h[CASE_STAGES];
	if (case_targets_get(req->db, h) != CSHQ_OK)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	return http_json(res, 200, targets_json(h));
}

static int targets_put(struct http_request *req, struct http_response *res)
{
	if (!principal_has(&req->who, ROLE_ADMIN) && !principal_has(&req->who, ROLE_NISC_DIRECTOR))
		return http_problem(res, 403, NULL, "only an administrator or the NISC director sets the targets", NULL);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"stage_targets_hours", NULL};
	json_t *t = json_object_get(body, "stage_targets_hours");
	int64_t h[CASE_STAGES] = {0};
	int status = 0;
	if (!http_only_keys(body, keys, res))
		status = res->status;
	else if (!json_is_object(t))
		status = http_problem(res, 422, NULL, "stage_targets_hours: an object with keys \"1\"..\"4\"", NULL);
	else {
		const char *k;
		json_t *v;
		json_object_foreach(t, k, v)
		{
			int s = strlen(k) == 1 ? k[0] - '0' : 0;
			if (s < 1 || s > CASE_STAGES ||
			    !(json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 1 &&
						  json_integer_value(v) <= 24 * 3650))) {
				status = http_problem(res, 422, NULL,
						      "stage_targets_hours: keys \"1\"..\"4\", each null or hours from 1 "
						      "to 87600",
						      NULL);
				break;
			}
			h[s - 1] = json_is_null(v) ? 0 : json_integer_value(v);
		}
	}
	json_decref(body);
	if (status)
		return status;
	int rc = case_targets_set(req->db, &req->who, h);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, targets_json(h));
}

/* ---- notifications */

static int notices_get(struct http_request *req, struct http_response *res)
{
	struct notice_filter f = {0};
	long unread = 0;
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return bad_query(res, "limit: an integer from 1 to 500");
	if (http_query_int(req, "unread", 0, 1, 0, &unread) != CSHQ_OK)
		return bad_query(res, "unread: 0 or 1");
	f.unread = unread == 1;
	if (read_cursor(req, &f.before) != CSHQ_OK)
		return bad_query(res, "cursor: as returned in next_cursor");
	const char *c = http_query(req, "case"), *r = http_query(req, "report");
	if (c && *c && r && *r)
		return bad_query(res, "case or report, not both");
	if (c && *c) {
		f.record_kind = "case";
		if ((f.record_id = inc_parse_id(c)) <= 0)
			return http_not_found(res);
	} else if (r && *r) {
		f.record_kind = "report";
		if ((f.record_id = inc_parse_id(r)) <= 0)
			return http_not_found(res);
	}
	json_t *out;
	int rc = notices_list(req->db, &req->who, &f, &out);
	if (rc == CSHQ_ENOTFOUND)
		return http_not_found(res);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	return http_json(res, 200, out);
}

static int notices_read(struct http_request *req, struct http_response *res)
{
	int64_t id = inc_parse_id(req->params[0]);
	if (id <= 0)
		return http_not_found(res);
	if (req->body_len) {
		json_t *b = http_body_object(req, res);
		if (!b)
			return res->status;
		bool empty = json_object_size(b) == 0;
		json_decref(b);
		if (!empty)
			return http_problem(res, 422, NULL, "the body must be empty or {}", NULL);
	}
	json_t *out;
	int rc = notice_mark_read(req->db, &req->who, id, &out);
	if (rc == CSHQ_EDENIED)
		return http_problem(res, 403, NULL, "a notice is marked read by the organisation it is addressed to", NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static const struct http_route routes[] = {
	{"POST", "/api/v1/reports", reports_create, 0},
	{"GET", "/api/v1/reports", reports_list, 0},
	{"GET", "/api/v1/reports/classifications", reports_classifications, 0},
	{"GET", "/api/v1/reports/{id}", reports_get, 0},
	{"POST", "/api/v1/reports/{id}/actions/{action}", reports_action, 0},
	{"POST", "/api/v1/reports/{id}/updates", reports_update, 0},
	{"POST", "/api/v1/reports/{id}/attachments", reports_attach, 0},
	{"GET", "/api/v1/reports/{id}/attachments/{sha256}", reports_attachment, 0},
	{"GET", "/api/v1/reports/{id}/export", reports_export, 0},
	{"GET", "/api/v1/cases", cases_list, 0},
	{"GET", "/api/v1/cases/{id}", cases_get, 0},
	{"POST", "/api/v1/cases/{id}/actions/{action}", cases_action, 0},
	{"GET", "/api/v1/cases/{id}/export", cases_export, 0},
	{"GET", "/api/v1/case-stage-targets", targets_get, 0},
	{"PUT", "/api/v1/case-stage-targets", targets_put, 0},
	{"GET", "/api/v1/notifications", notices_get, 0},
	{"POST", "/api/v1/notifications/{id}/actions/read", notices_read, 0},
};

const struct http_route_table api_incidents_routes = {routes, CSHQ_ARRAY_LEN(routes)};
