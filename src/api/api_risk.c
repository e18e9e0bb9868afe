/* api_risk.c: /api/v1/risk (spec 60): countermeasure sets, assessment cycles and their
 * actions, the worksheet as .xlsx, the dashboard (JSON and PDF) and NISC's aggregate.
 * Every assessment passes the visibility layer (404 when not visible); the steps go
 * through the workflow engine (src/modules/risk_machine.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/registry.h"
#include "modules/risk.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ---- helpers ---- */

static bool parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return v > 0;
}

/* Who reads the countermeasure sets: NISC, and the bodies the guideline covers today. */
static int may_read_sets(struct http_request *req, bool *out)
{
	*out = false;
	if (principal_is_nisc(&req->who)) {
		*out = true;
		return CSHQ_OK;
	}
	if (!(req->who.roles & ~ROLE_BIT(ROLE_ADMIN)) || principal_has(&req->who, ROLE_DELEGATE))
		return CSHQ_OK;
	struct registry_subject subj;
	int32_t today = date_today();
	int rc = registry_subject(req->db, req->who.org, today, &subj);
	if (rc != CSHQ_OK)
		return rc == CSHQ_ENOTFOUND ? CSHQ_OK : rc;
	struct regime_answer a;
	regime_evaluate(RF_RISK_GUIDELINE, &subj.facts, today, &a);
	*out = a.applies == RA_YES;
	return CSHQ_OK;
}

static int wf_problem(struct http_response *res, struct wf_ctx *ctx)
{
	int status = ctx->status >= 400 ? ctx->status : 500;
	if (status == 404)
		return http_not_found(res);
	if (status >= 500)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	return http_problem(res, status, NULL, ctx->message[0] ? ctx->message : NULL,
			    ctx->n_basis ? basis_json(ctx->basis, ctx->n_basis) : NULL);
}

/* Loads an assessment the caller can see; answers 404 otherwise. */
static int load_visible(struct http_request *req, struct http_response *res, struct wf_ctx *ctx)
{
	int64_t id;
	if (!parse_id(req->params[0], &id)) {
		memset(ctx, 0, sizeof(*ctx));
		http_not_found(res);
		return CSHQ_ENOTFOUND;
	}
	int rc = wf_load_visible(req->db, &req->who, &risk_machine, id, ctx);
	if (rc != CSHQ_OK)
		wf_problem(res, ctx);
	return rc;
}

static int answer_record(struct http_request *req, struct http_response *res, int64_t id, int status)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(req->db, &req->who, &risk_machine, id, &ctx);
	json_t *out = NULL;
	if (rc == CSHQ_OK)
		rc = risk_assessment_json(&ctx, &out);
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, status, out);
}

/* ---- countermeasure sets ---- */

static int sets_create(struct http_request *req, struct http_response *res)
{
	bool readable;
	int rc = may_read_sets(req, &readable);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (!readable)
		return http_not_found(res);
	if (!principal_has(&req->who, ROLE_NISC_STAFF)) {
		const struct regime_citation *c = regime_cite("RiskGuideline", "4.2", 2, 0, date_today());
		return http_problem(res, 403, NULL, "NISC revises the annex and its countermeasure set",
				    c ? basis_json(&c, 1) : NULL);
	}
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	json_t *canon = NULL;
	char err[300];
	int status;
	if (risk_set_validate(body, &canon, err, sizeof(err)) != CSHQ_OK) {
		status = http_problem(res, 422, NULL, err, NULL);
		goto out;
	}
	int64_t id;
	rc = risk_set_insert(req->db, canon, req->who.login, &id);
	if (rc == CSHQ_ECONFLICT) {
		status = http_problem(res, 409, NULL, "a countermeasure set of this version exists; a set is never changed, issue a new version", NULL);
		goto out;
	}
	const char *version = json_string_value(json_object_get(canon, "version"));
	if (rc == CSHQ_OK) {
		char detail[128];
		snprintf(detail, sizeof(detail), "{\"version\":\"%s\"}", version);
		rc = auditlog_append(req->db, &req->who, "risk_set_issue", "risk_set", version, detail);
	}
	struct risk_set set;
	if (rc == CSHQ_OK)
		rc = risk_set_load(req->db, version, 0, &set);
	if (rc != CSHQ_OK) {
		status = http_problem_rc(res, rc, NULL);
		goto out;
	}
	snprintf(res->location, sizeof(res->location), "/api/v1/risk/countermeasure-sets/%s", version);
	status = http_json(res, 201, risk_set_json(req->db, &set));
	risk_set_release(&set);
out:
	json_decref(canon);
	json_decref(body);
	return status;
}

static int sets_list(struct http_request *req, struct http_response *res)
{
	bool readable;
	int rc = may_read_sets(req, &readable);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (!readable)
		return http_not_found(res);
	json_t *items;
	if ((rc = risk_set_list_json(req->db, &items)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

static int sets_get(struct http_request *req, struct http_response *res)
{
	bool readable;
	int rc = may_read_sets(req, &readable);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (!readable)
		return http_not_found(res);
	struct risk_set set;
	if ((rc = risk_set_load(req->db, req->params[0], 0, &set)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	int status = http_json(res, 200, risk_set_json(req->db, &set));
	risk_set_release(&set);
	return status;
}

static int sets_diff(struct http_request *req, struct http_response *res)
{
	bool readable;
	int rc = may_read_sets(req, &readable);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (!readable)
		return http_not_found(res);
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	if (!from || !*from || !to || !*to)
		return http_problem(res, 400, NULL, "from and to: two countermeasure set versions", NULL);
	struct risk_set a, b;
	if ((rc = risk_set_load(req->db, from, 0, &a)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if ((rc = risk_set_load(req->db, to, 0, &b)) != CSHQ_OK) {
		risk_set_release(&a);
		return http_problem_rc(res, rc, NULL);
	}
	int status = http_json(res, 200, risk_set_diff(&a, &b));
	risk_set_release(&a);
	risk_set_release(&b);
	return status;
}

/* ---- assessments ---- */

static int assessments_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"org", "fiscal_year", "countermeasure_set", NULL};
	int status;
	if (!http_only_keys(body, keys, res)) {
		status = res->status;
		goto out;
	}
	const char *org = json_string_value(json_object_get(body, "org"));
	const char *version = json_string_value(json_object_get(body, "countermeasure_set"));
	json_t *fy = json_object_get(body, "fiscal_year");
	if (!org || !version || !json_is_integer(fy) || json_integer_value(fy) < 2014 || json_integer_value(fy) > 2100) {
		status = http_problem(res, 422, NULL,
				      "expected {org, fiscal_year: 2014..2100, countermeasure_set: a set version}", NULL);
		goto out;
	}
	int64_t id;
	char err[300] = "";
	json_t *basis = NULL;
	int rc = risk_assessment_create(req->db, &req->who, org, (int)json_integer_value(fy), version, &id, &status, err,
					sizeof(err), &basis);
	if (rc != CSHQ_OK) {
		if (status == 404)
			status = http_not_found(res);
		else if (status >= 500)
			status = http_problem_rc(res, rc, NULL);
		else
			status = http_problem(res, status, NULL, err, basis), basis = NULL;
		json_decref(basis);
		goto out;
	}
	snprintf(res->location, sizeof(res->location), "/api/v1/risk/assessments/%lld", (long long)id);
	status = answer_record(req, res, id, 201);
out:
	json_decref(body);
	return status;
}

static int assessments_list(struct http_request *req, struct http_response *res)
{
	long limit, fy;
	if (http_query_int(req, "limit", 1, 500, 50, &limit) != CSHQ_OK)
		return http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
	if (http_query_int(req, "fiscal_year", 2014, 2100, 0, &fy) != CSHQ_OK)
		return http_problem(res, 400, NULL, "fiscal_year: a fiscal year", NULL);
	const char *org = http_query(req, "org"), *state = http_query(req, "state"), *cursor = http_query(req, "cursor");
	int64_t after = 0;
	if (cursor && *cursor && !parse_id(cursor, &after))
		return http_problem(res, 400, NULL, "cursor: as returned in next_cursor", NULL);
	if ((org && strlen(org) > 32) || (state && risk_state_rank(state) < 0 && *state))
		return http_problem(res, 400, NULL, "org or state: unknown", NULL);
	json_t *items = json_array();
	if (!(req->who.roles & ~ROLE_BIT(ROLE_ADMIN))) /* the admin role alone sees no content */
		return http_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
	struct buf sql = BUF_INIT(4096);
	buf_puts(&sql, "SELECT a.id, a.org, o.name_ja, o.name_en, a.fiscal_year, a.state, s.version, a.approval_state, "
		       "a.updated_at FROM risk_assessments a JOIN risk_sets s ON s.id = a.set_id JOIN orgs o ON "
		       "o.code = a.org WHERE ");
	int rc = vis_list_condition(&req->who, RISK_KIND, "a.org", "a.id", NULL, 1, 2, &sql);
	buf_puts(&sql, " AND ($3 = '' OR a.org = $3) AND (CAST($4 AS BIGINT) = 0 OR a.fiscal_year = $4) AND "
		       "($5 = '' OR a.state = $5) AND a.id > $6 ORDER BY a.id LIMIT $7");
	struct store_stmt *st;
	if (rc == CSHQ_OK)
		rc = store_prepare(req->db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return http_problem_rc(res, rc, NULL);
	}
	store_bind_text(st, 1, req->who.org);
	store_bind_int64(st, 2, req->who.user_id);
	store_bind_text(st, 3, org ? org : "");
	store_bind_int64(st, 4, fy);
	store_bind_text(st, 5, state ? state : "");
	store_bind_int64(st, 6, after);
	store_bind_int64(st, 7, limit);
	int64_t last = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		char at[26];
		time_format_rfc3339(store_column_int64(st, 8), at);
		last = store_column_int64(st, 0);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)last,
						       "org", store_column_text(st, 1), "org_name_ja", store_column_text(st, 2),
						       "org_name_en", store_column_text(st, 3), "fiscal_year",
						       (json_int_t)store_column_int64(st, 4), "state", store_column_text(st, 5),
						       "countermeasure_set", store_column_text(st, 6), "approval_state",
						       store_column_text(st, 7), "updated_at", at));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return http_problem_rc(res, CSHQ_ERR, NULL);
	}
	char next[24];
	snprintf(next, sizeof(next), "%lld", (long long)last);
	return http_json(res, 200,
			 json_pack("{s:o, s:o}", "items", items, "next_cursor",
				   (long)json_array_size(items) == limit ? json_string(next) : json_null()));
}

static int assessment_get(struct http_request *req, struct http_response *res)
{
	struct wf_ctx ctx;
	if (load_visible(req, res, &ctx) != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return res->status;
	}
	json_t *out = NULL;
	int rc = risk_assessment_json(&ctx, &out);
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int run_action(struct http_request *req, struct http_response *res, int64_t id, const char *action,
		      json_t *input)
{
	struct wf_ctx ctx;
	int rc = wf_apply(req->db, &req->who, &risk_machine, id, action, input, &ctx);
	int status = rc == CSHQ_OK ? 0 : wf_problem(res, &ctx);
	wf_ctx_release(&ctx);
	return status ? status : answer_record(req, res, id, 200);
}

static int assessment_action(struct http_request *req, struct http_response *res)
{
	int64_t id;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	const char *action = req->params[1];
	if (strlen(action) > 64)
		return http_not_found(res);
	json_t *input;
	if (req->body_len == 0) {
		input = json_object();
	} else {
		/* a malformed body of an invisible record still answers 404 */
		struct wf_ctx ctx;
		int rc = wf_load_visible(req->db, &req->who, &risk_machine, id, &ctx);
		int status = rc == CSHQ_OK ? 0 : wf_problem(res, &ctx);
		wf_ctx_release(&ctx);
		if (status)
			return status;
		if (!(input = http_body_object(req, res)))
			return res->status;
	}
	int status = run_action(req, res, id, action, input);
	json_decref(input);
	return status;
}

/* ---- the worksheet as .xlsx ---- */

static int worksheet_xlsx(struct http_request *req, struct http_response *res)
{
	struct wf_ctx ctx;
	if (load_visible(req, res, &ctx) != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return res->status;
	}
	wf_ctx_release(&ctx);
	struct risk_assessment a;
	struct risk_set set = {0};
	json_t *ws = NULL, *meta = NULL;
	int rc = risk_assessment_load(req->db, ctx.id, &a);
	if (rc == CSHQ_OK)
		rc = risk_set_load(req->db, NULL, a.set_id, &set);
	if (rc == CSHQ_OK)
		rc = risk_ws_load(req->db, a.id, &ws);
	struct registry_subject subj;
	if (rc == CSHQ_OK)
		rc = registry_subject(req->db, a.org, date_today(), &subj);
	if (rc == CSHQ_OK) {
		char hash[65];
		risk_ws_hash(a.org, a.fiscal_year, a.set_version, ws, hash);
		struct store_stmt *st;
		const char *name = a.org;
		char name_buf[400] = "";
		if (store_prepare(req->db, "SELECT name_ja FROM orgs WHERE code = $1", &st) == CSHQ_OK) {
			store_bind_text(st, 1, a.org);
			if (store_step(st) == STORE_ROW)
				snprintf(name_buf, sizeof(name_buf), "%s", store_column_text(st, 0));
			while (store_step(st) == STORE_ROW)
				;
			if (name_buf[0])
				name = name_buf;
		}
		meta = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s}", "assessment", (json_int_t)a.id, "org", a.org, "org_name",
				 name, "fiscal_year", a.fiscal_year, "countermeasure_set", a.set_version, "state", a.state,
				 "content_hash", hash);
		buf_reset(&res->body);
		rc = risk_xlsx_write(meta, ws, &set, &res->body);
	}
	json_decref(meta);
	json_decref(ws);
	risk_set_release(&set);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc == CSHQ_ELIMIT ? CSHQ_ERR : rc, NULL);
	res->status = 200;
	res->content_type = XLSX_TYPE;
	return 200;
}

static int worksheet_import(struct http_request *req, struct http_response *res)
{
	struct wf_ctx ctx;
	if (load_visible(req, res, &ctx) != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return res->status;
	}
	int64_t id = ctx.id;
	/* the role and state come first: a wrong department learns nothing from its file */
	json_t *allowed = wf_allowed_actions(&ctx);
	bool may = false;
	size_t i;
	json_t *v;
	json_array_foreach(allowed, i, v) may |= strcmp(json_string_value(v), "import_worksheet") == 0;
	json_decref(allowed);
	wf_ctx_release(&ctx);
	if (!may)
		return run_action(req, res, id, "import_worksheet", NULL);
	const char *ct = req->content_type;
	if (!ct || (strncmp(ct, XLSX_TYPE, strlen(XLSX_TYPE)) != 0 && strncmp(ct, "application/octet-stream", 24) != 0))
		return http_problem(res, 415, NULL, "the body must be an .xlsx workbook (" XLSX_TYPE ")", NULL);
	json_t *input = NULL;
	char err[300];
	int rc = risk_xlsx_import(req->body, req->body_len, &input, err, sizeof(err));
	if (rc == CSHQ_ELIMIT)
		return http_problem(res, 413, NULL, err, NULL);
	if (rc != CSHQ_OK)
		return http_problem(res, 422, NULL, err, NULL);
	int status = run_action(req, res, id, "import_worksheet", input);
	json_decref(input);
	return status;
}

/* ---- the dashboard ---- */

static int dashboard(struct http_request *req, struct http_response *res, bool pdf)
{
	struct wf_ctx ctx;
	if (load_visible(req, res, &ctx) != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return res->status;
	}
	wf_ctx_release(&ctx);
	struct risk_assessment a;
	int rc = risk_assessment_load(req->db, ctx.id, &a);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (pdf) {
		buf_reset(&res->body);
		rc = risk_dashboard_pdf(req->db, &a, &res->body);
		if (rc == CSHQ_ENOTFOUND)
			return http_problem(res, 501, "Not implemented", "this build has no PDF writer", NULL);
		if (rc != CSHQ_OK)
			return http_problem_rc(res, rc == CSHQ_EINVAL || rc == CSHQ_ELIMIT ? CSHQ_ERR : rc, NULL);
		res->status = 200;
		res->content_type = "application/pdf";
		return 200;
	}
	json_t *out;
	if ((rc = risk_dashboard_json(req->db, &a, &out)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int dashboard_json(struct http_request *req, struct http_response *res)
{
	return dashboard(req, res, false);
}

static int dashboard_pdf(struct http_request *req, struct http_response *res)
{
	return dashboard(req, res, true);
}

/* ---- NISC's aggregate ---- */

static int aggregate(struct http_request *req, struct http_response *res)
{
	if (!principal_has(&req->who, ROLE_NISC_STAFF))
		return http_not_found(res);
	long fy, publish;
	if (http_query_int(req, "fiscal_year", 2014, 2100, 0, &fy) != CSHQ_OK || fy == 0)
		return http_problem(res, 400, NULL, "fiscal_year: the fiscal year to aggregate is required", NULL);
	if (http_query_int(req, "publish", 0, 1, 0, &publish) != CSHQ_OK)
		return http_problem(res, 400, NULL, "publish: 0 or 1", NULL);
	json_t *out;
	int rc = risk_aggregate_json(req->db, (int)fy, publish == 1, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static const struct http_route routes[] = {
	{"POST", "/api/v1/risk/countermeasure-sets", sets_create, 0},
	{"GET", "/api/v1/risk/countermeasure-sets", sets_list, 0},
	{"GET", "/api/v1/risk/countermeasure-sets/diff", sets_diff, 0},
	{"GET", "/api/v1/risk/countermeasure-sets/{version}", sets_get, 0},
	{"POST", "/api/v1/risk/assessments", assessments_create, 0},
	{"GET", "/api/v1/risk/assessments", assessments_list, 0},
	{"GET", "/api/v1/risk/assessments/{id}", assessment_get, 0},
	{"POST", "/api/v1/risk/assessments/{id}/actions/{action}", assessment_action, 0},
	{"GET", "/api/v1/risk/assessments/{id}/worksheet.xlsx", worksheet_xlsx, 0},
	{"POST", "/api/v1/risk/assessments/{id}/worksheet", worksheet_import, 0},
	{"GET", "/api/v1/risk/assessments/{id}/dashboard", dashboard_json, 0},
	{"GET", "/api/v1/risk/assessments/{id}/dashboard.pdf", dashboard_pdf, 0},
	{"GET", "/api/v1/risk/aggregate", aggregate, 0},
};

const struct http_route_table api_risk_routes = {routes, CSHQ_ARRAY_LEN(routes)};
