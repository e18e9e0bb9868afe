/* api_audit.c: /api/v1/audits (spec 50): the annual policy, engagements, findings, good
 * practices, follow-up, the annual summary, OSCAL exports, criteria catalogues. Handlers
 * parse and answer; the rules and the visibility of results live in modules/audit*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/timeutil.h"
#include "modules/audit.h"
#include "modules/audit_catalog.h"
#include "modules/audit_report.h"
#include "modules/basis.h"

static int64_t parse_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end || v <= 0 || s[0] == '+' || s[0] == '-' ? 0 : (int64_t)v;
}

static int error_problem(struct http_response *res, struct audit_error *e)
{
	int status = e->status ? e->status : 500;
	json_t *basis = e->basis;
	e->basis = NULL;
	if (status == 404)
		return http_problem(res, 404, NULL, "no such resource", basis);
	return http_problem(res, status, NULL, e->detail, basis);
}

static int rc_problem(struct http_response *res, int rc)
{
	return rc == CSHQ_ENOTFOUND ? http_not_found(res) : http_problem_rc(res, rc, NULL);
}

/* Answers a created record (201 with Location), read back through the visibility layer. */
static int created(struct http_request *req, struct http_response *res, int64_t id,
                   const char *path,
                   int (*show)(struct store *, const struct principal *, int64_t, json_t **))
{
	json_t *out;
	int rc = show(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return rc_problem(res, rc);
	snprintf(res->location, sizeof(res->location), "%s/%lld", path, (long long)id);
	return http_json(res, 201, out);
}

static json_t *optional_body(struct http_request *req, struct http_response *res, bool *failed)
{
	*failed = false;
	if (req->body_len == 0)
		return NULL;
	json_t *b = http_body_object(req, res);
	*failed = b == NULL;
	return b;
}

/* POST <record>/actions/<action>: one workflow step, answered with the updated record. */
static int run_action(struct http_request *req, struct http_response *res,
                      const struct wf_machine *m, const char *action,
                      int (*show)(struct store *, const struct principal *, int64_t, json_t **))
{
	int64_t id = parse_id(req->params[0]);
	if (!id)
		return http_not_found(res);
	bool failed;
	json_t *body = optional_body(req, res, &failed);
	if (failed)
		return res->status;
	struct wf_ctx ctx;
	int rc = wf_apply(req->db, &req->who, m, id, action, body, &ctx);
	json_decref(body);
	if (rc != CSHQ_OK) {
		int status = ctx.status >= 400 ? ctx.status : 500;
		json_t *basis = ctx.n_basis ? basis_json(ctx.basis, ctx.n_basis) : NULL;
		const char *msg = ctx.message[0] ? ctx.message : NULL;
		if (status == 404 && !ctx.message[0])
			msg = "no such resource";
		if (status >= 500)
			msg = "internal error; nothing was changed";
		wf_ctx_release(&ctx);
		return http_problem(res, status, NULL, msg, basis);
	}
	char state[48];
	snprintf(state, sizeof(state), "%s", ctx.state);
	wf_ctx_release(&ctx);
	json_t *out;
	rc = show(req->db, &req->who, id, &out);
	if (rc == CSHQ_ENOTFOUND) /* the step took the record out of the caller's sight */
		return http_json(res, 200,
		                 json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", state));
	if (rc != CSHQ_OK)
		return rc_problem(res, rc);
	return http_json(res, 200, out);
}

/* ?fiscal_year=: absent gives the current fiscal year with default_current, else 0 (any). */
static int fiscal_year_query(struct http_request *req, struct http_response *res,
                             bool default_current, long *fy)
{
	const char *v = http_query(req, "fiscal_year");
	if ((!v || !*v) && default_current) {
		*fy = fiscal_year_of(date_today());
		return 0;
	}
	if (http_query_int(req, "fiscal_year", 2000, 2100, 0, fy) != CSHQ_OK)
		return http_problem(res, 400, NULL, "fiscal_year: a year from 2000 to 2100", NULL);
	return 0;
}

/* ------------------------------------------------------------------ policies */

static int policies_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	struct audit_error e = {0};
	int64_t id;
	int rc = audit_policy_create(req->db, &req->who, body, &id, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return created(req, res, id, "/api/v1/audits/policies", audit_policy_json);
}

static int policies_list(struct http_request *req, struct http_response *res)
{
	long fy;
	int st = fiscal_year_query(req, res, false, &fy);
	if (st)
		return st;
	json_t *out;
	int rc = audit_policy_list(req->db, &req->who, fy, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int policies_get(struct http_request *req, struct http_response *res)
{
	int64_t id = parse_id(req->params[0]);
	json_t *out;
	int rc = id ? audit_policy_json(req->db, &req->who, id, &out) : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int policies_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &audit_policy_machine, req->params[1], audit_policy_json);
}

/* ------------------------------------------------------------------ engagements */

static int engagements_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	struct audit_error e = {0};
	int64_t id;
	int rc = audit_engagement_create(req->db, &req->who, body, &id, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return created(req, res, id, "/api/v1/audits/engagements", audit_engagement_json);
}

static bool code_param(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

static int engagements_list(struct http_request *req, struct http_response *res)
{
	struct audit_filter f = {0};
	int st = fiscal_year_query(req, res, false, &f.fiscal_year);
	if (st)
		return st;
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
	f.org = http_query(req, "org");
	if (f.org && !*f.org)
		f.org = NULL;
	if (f.org && !code_param(f.org))
		return http_problem(res, 400, NULL, "org: a registry code", NULL);
	f.state = http_query(req, "state");
	if (f.state && !*f.state)
		f.state = NULL;
	if (f.state && strlen(f.state) > 32)
		return http_problem(res, 400, NULL, "state: unknown state", NULL);
	const char *cursor = http_query(req, "cursor");
	if (cursor && *cursor && !(f.after = parse_id(cursor)))
		return http_problem(res, 400, NULL, "cursor: as returned in next_cursor", NULL);
	json_t *out;
	int rc = audit_engagement_list(req->db, &req->who, &f, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int engagements_get(struct http_request *req, struct http_response *res)
{
	int64_t id = parse_id(req->params[0]);
	json_t *out;
	int rc = id ? audit_engagement_json(req->db, &req->who, id, &out) : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int engagements_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &audit_engagement_machine, req->params[1],
	                  audit_engagement_json);
}

static int findings_create(struct http_request *req, struct http_response *res)
{
	int64_t eng = parse_id(req->params[0]);
	if (!eng)
		return http_not_found(res);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	struct audit_error e = {0};
	int64_t id;
	int rc = audit_finding_create(req->db, &req->who, eng, body, &id, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return created(req, res, id, "/api/v1/audits/findings", audit_finding_json);
}

static int findings_list(struct http_request *req, struct http_response *res)
{
	int64_t eng = parse_id(req->params[0]);
	json_t *out;
	int rc = eng ? audit_findings_of(req->db, &req->who, eng, &out) : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int practices_create(struct http_request *req, struct http_response *res)
{
	int64_t eng = parse_id(req->params[0]);
	if (!eng)
		return http_not_found(res);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	struct audit_error e = {0};
	int64_t id;
	int rc = audit_practice_create(req->db, &req->who, eng, body, &id, &e);
	json_decref(body);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return created(req, res, id, "/api/v1/audits/good-practices", audit_practice_json);
}

static int oscal(struct http_request *req, struct http_response *res, bool poam)
{
	int64_t eng = parse_id(req->params[0]);
	if (!eng)
		return http_not_found(res);
	struct audit_error e = {0};
	json_t *out;
	int rc = poam ? audit_oscal_poam(req->db, &req->who, eng, &out, &e)
	              : audit_oscal_results(req->db, &req->who, eng, &out, &e);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return http_json(res, 200, out);
}

static int oscal_results(struct http_request *req, struct http_response *res)
{
	return oscal(req, res, false);
}

static int oscal_poam(struct http_request *req, struct http_response *res)
{
	return oscal(req, res, true);
}

static int report_pdf(struct http_request *req, struct http_response *res)
{
	int64_t eng = parse_id(req->params[0]);
	if (!eng)
		return http_not_found(res);
	struct audit_error e = {0};
	buf_reset(&res->body);
	int rc = audit_report_pdf(req->db, &req->who, eng, &res->body, &e);
	if (rc != CSHQ_OK) {
		buf_reset(&res->body);
		return error_problem(res, &e);
	}
	res->status = 200;
	res->content_type = "application/pdf";
	return 200;
}

/* ------------------------------------------------------------------ findings */

static int findings_get(struct http_request *req, struct http_response *res)
{
	int64_t id = parse_id(req->params[0]);
	json_t *out;
	int rc = id ? audit_finding_json(req->db, &req->who, id, &out) : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int findings_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &audit_finding_machine, req->params[1], audit_finding_json);
}

/* PATCH a finding = the edit step: a draft changes in place, a published finding refuses
 * (409) and is corrected by the revise step instead. */
static int findings_patch(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &audit_finding_machine, "edit", audit_finding_json);
}

/* ------------------------------------------------------------------ good practices */

static int practices_published(struct http_request *req, struct http_response *res)
{
	long fy;
	int st = fiscal_year_query(req, res, false, &fy);
	if (st)
		return st;
	json_t *out;
	int rc = audit_practices_published(req->db, &req->who, fy, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int practices_get(struct http_request *req, struct http_response *res)
{
	int64_t id = parse_id(req->params[0]);
	json_t *out;
	int rc = id ? audit_practice_json(req->db, &req->who, id, &out) : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int practices_action(struct http_request *req, struct http_response *res)
{
	return run_action(req, res, &audit_practice_machine, req->params[1], audit_practice_json);
}

/* ------------------------------------------------------------------ follow-up and summary */

static int followups(struct http_request *req, struct http_response *res)
{
	const char *org = http_query(req, "org");
	if (!org || !*org)
		return http_problem(res, 400, NULL,
		                    "org: the registry code of the body is required", NULL);
	if (!code_param(org))
		return http_problem(res, 400, NULL, "org: a registry code", NULL);
	long fy;
	int st = fiscal_year_query(req, res, true, &fy);
	if (st)
		return st;
	json_t *out;
	int rc = audit_followups_json(req->db, &req->who, org, (int)fy, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int summary_get(struct http_request *req, struct http_response *res)
{
	long fy;
	int st = fiscal_year_query(req, res, true, &fy);
	if (st)
		return st;
	json_t *out;
	int rc = audit_summary_json(req->db, &req->who, (int)fy, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int summary_publish(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"fiscal_year", NULL};
	if (!http_only_keys(body, keys, res)) {
		json_decref(body);
		return res->status;
	}
	json_t *fy = json_object_get(body, "fiscal_year");
	if (!json_is_integer(fy) || json_integer_value(fy) < 2000 ||
	    json_integer_value(fy) > 2100) {
		json_decref(body);
		return http_problem(res, 422, NULL, "fiscal_year: a year from 2000 to 2100", NULL);
	}
	int year = (int)json_integer_value(fy);
	json_decref(body);
	struct audit_error e = {0};
	json_t *out;
	int rc = audit_summary_publish(req->db, &req->who, year, &out, &e);
	if (rc != CSHQ_OK)
		return error_problem(res, &e);
	return http_json(res, 200, out);
}

/* ------------------------------------------------------------------ catalogues */

static int catalogues_create(struct http_request *req, struct http_response *res)
{
	if (!principal_is_nisc(&req->who) || req->who.org_kind != ORG_NISC)
		return http_problem(res, 403, NULL, "criteria catalogues are loaded by NISC", NULL);
	const char *code = http_query(req, "code");
	const char *title = http_query(req, "title");
	const char *ct = req->content_type ? req->content_type : "";
	if (!code || !code_param(code) || strlen(code) < 3)
		return http_problem(res, 400, NULL,
		                    "code: 3 to 32 of a-z 0-9 _ - (query parameter)", NULL);
	if (title && (strlen(title) == 0 || strlen(title) > 1000))
		return http_problem(res, 400, NULL, "title: 1 to 1000 bytes", NULL);
	bool csv = strncmp(ct, "text/csv", 8) == 0;
	bool oscal = strncmp(ct, "application/json", 16) == 0;
	if (!csv && !oscal)
		return http_problem(
		    res, 415, NULL,
		    "send text/csv (id,title,text,group) or an OSCAL catalog as application/json",
		    NULL);
	struct audit_catalog c;
	char err[256];
	int rc = csv ? audit_catalog_parse_csv(req->body, req->body_len, &c, err, sizeof(err))
	             : audit_catalog_parse_oscal(req->body, req->body_len, &c, err, sizeof(err));
	if (rc != CSHQ_OK)
		return http_problem(res, 422, NULL, err, NULL);
	const char *name = title ? title : c.title;
	if (!name) {
		audit_catalog_release(&c);
		return http_problem(res, 400, NULL,
		                    "title: required for a CSV catalogue (query parameter)", NULL);
	}
	int64_t id;
	rc = audit_catalog_store(req->db, &req->who, code, name, csv ? "csv" : "oscal", &c, &id);
	audit_catalog_release(&c);
	if (rc == CSHQ_ECONFLICT)
		return http_problem(res, 409, NULL, "a catalogue with this code exists", NULL);
	if (rc != CSHQ_OK)
		return rc_problem(res, rc);
	json_t *out;
	if ((rc = audit_catalogue_json(req->db, &req->who, code, &out)) != CSHQ_OK)
		return rc_problem(res, rc);
	snprintf(res->location, sizeof(res->location), "/api/v1/audits/catalogues/%s", code);
	return http_json(res, 201, out);
}

static int catalogues_list(struct http_request *req, struct http_response *res)
{
	json_t *out;
	int rc = audit_catalogue_list(req->db, &req->who, &out);
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static int catalogues_get(struct http_request *req, struct http_response *res)
{
	json_t *out;
	int rc = code_param(req->params[0])
	             ? audit_catalogue_json(req->db, &req->who, req->params[0], &out)
	             : CSHQ_ENOTFOUND;
	return rc == CSHQ_OK ? http_json(res, 200, out) : rc_problem(res, rc);
}

static const struct http_route audit_routes[] = {
    {"GET", "/api/v1/audits/policies", policies_list, 0},
    {"POST", "/api/v1/audits/policies", policies_create, 0},
    {"GET", "/api/v1/audits/policies/{id}", policies_get, 0},
    {"POST", "/api/v1/audits/policies/{id}/actions/{action}", policies_action, 0},
    {"GET", "/api/v1/audits/engagements", engagements_list, 0},
    {"POST", "/api/v1/audits/engagements", engagements_create, 0},
    {"GET", "/api/v1/audits/engagements/{id}", engagements_get, 0},
    {"POST", "/api/v1/audits/engagements/{id}/actions/{action}", engagements_action, 0},
    {"GET", "/api/v1/audits/engagements/{id}/findings", findings_list, 0},
    {"POST", "/api/v1/audits/engagements/{id}/findings", findings_create, 0},
    {"POST", "/api/v1/audits/engagements/{id}/good-practices", practices_create, 0},
    {"GET", "/api/v1/audits/engagements/{id}/oscal", oscal_results, 0},
    {"GET", "/api/v1/audits/engagements/{id}/oscal/poam", oscal_poam, 0},
    {"GET", "/api/v1/audits/engagements/{id}/report.pdf", report_pdf, 0},
    {"GET", "/api/v1/audits/findings/{id}", findings_get, 0},
    {"PATCH", "/api/v1/audits/findings/{id}", findings_patch, 0},
    {"POST", "/api/v1/audits/findings/{id}/actions/{action}", findings_action, 0},
    {"GET", "/api/v1/audits/good-practices", practices_published, 0},
    {"GET", "/api/v1/audits/good-practices/{id}", practices_get, 0},
    {"POST", "/api/v1/audits/good-practices/{id}/actions/{action}", practices_action, 0},
    {"GET", "/api/v1/audits/followups", followups, 0},
    {"GET", "/api/v1/audits/summary", summary_get, 0},
    {"POST", "/api/v1/audits/summary/actions/publish", summary_publish, 0},
    {"GET", "/api/v1/audits/catalogues", catalogues_list, 0},
    {"POST", "/api/v1/audits/catalogues", catalogues_create, 0},
    {"GET", "/api/v1/audits/catalogues/{code}", catalogues_get, 0},
};

const struct http_route_table api_audit_routes = {audit_routes, CSHQ_ARRAY_LEN(audit_routes)};
