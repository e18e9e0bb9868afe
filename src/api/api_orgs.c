/* api_orgs.c: the registry and the regime's answers about a body. The registry itself is
 * reference data every authenticated user may read (it holds the public lists of the
 * seed); changing it is for administrators and the NISC director, and every change is
 * dated, cites its HQ decision, and is logged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/registry.h"

static int bad_date(struct http_response *res, const char *name)
{
	char d[96];
	snprintf(d, sizeof(d), "%s: expected a date YYYY-MM-DD", name);
	return http_problem(res, 400, NULL, d, NULL);
}

int api_orgs_list(struct http_request *req, struct http_response *res)
{
	struct registry_filter f = {0};
	if (http_query_date(req, "date", &f.date) != CSHQ_OK)
		return bad_date(res, "date");
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
	f.kind = http_query(req, "kind");
	enum org_kind k;
	if (f.kind && *f.kind && org_kind_parse(f.kind, &k) != CSHQ_OK)
		return http_problem(res, 400, NULL, "kind: unknown organisation kind", NULL);
	f.q = http_query(req, "q");
	if (f.q && strlen(f.q) > 200)
		return http_problem(res, 400, NULL, "q: at most 200 bytes", NULL);
	f.after = http_query(req, "cursor");
	json_t *out;
	int rc = registry_list(req->db, &f, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

int api_orgs_get(struct http_request *req, struct http_response *res)
{
	int32_t date;
	if (http_query_date(req, "date", &date) != CSHQ_OK)
		return bad_date(res, "date");
	char *text;
	size_t len;
	int rc = registry_org_text(req->db, req->params[0], date, &text, &len);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	res->status = 200;
	res->content_type = "application/json";
	buf_reset(&res->body);
	rc = buf_append(&res->body, text, len);
	free(text);
	return rc == CSHQ_OK ? 200 : http_problem_rc(res, rc, NULL);
}

int api_orgs_applicability(struct http_request *req, struct http_response *res)
{
	int32_t date;
	if (http_query_date(req, "date", &date) != CSHQ_OK)
		return bad_date(res, "date");
	json_t *out;
	int rc = registry_applicability_json(req->db, req->params[0], date, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

int api_orgs_heads(struct http_request *req, struct http_response *res)
{
	int32_t date;
	long article;
	if (http_query_date(req, "date", &date) != CSHQ_OK)
		return bad_date(res, "date");
	if (http_query_int(req, "article", 1, 99, 0, &article) != CSHQ_OK || article == 0)
		return http_problem(res, 400, NULL, "article: an article number is required", NULL);
	const char *doc = http_query(req, "doc");
	if (!doc || !*doc)
		doc = "MajorIncidentRules";
	struct registry_subject subj;
	int rc = registry_subject(req->db, req->params[0], date, &subj);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	struct regime_recipients r;
	if (regime_heads(doc, (int)article, &subj.facts, date, &r) != CSHQ_OK)
		return http_problem(res, 400, NULL, "doc/article: the regime defines no head for it", NULL);
	json_t *codes = json_array();
	for (size_t i = 0; i < r.n; i++)
		json_array_append_new(codes, json_string(r.codes[i]));
	return http_json(res, 200,
			 json_pack("{s:s, s:o, s:o}", "org", req->params[0], "recipients", codes, "basis",
				   basis_json(r.basis, r.n_basis)));
}

static bool may_change_registry(const struct principal *p)
{
	return principal_has(p, ROLE_ADMIN) || principal_has(p, ROLE_NISC_DIRECTOR);
}

/* Reads {"from", "until"?, "decision"} (+ criteria for designations) and checks them. */
struct interval_input {
	int32_t from, until;
	bool has_until;
	const char *decision;
	const char *criteria[4];
};

static int read_interval(struct http_request *req, struct http_response *res, bool designation,
			 json_t **body_out, struct interval_input *in)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	*body_out = body;
	static const char *const keys_d[] = {"from", "until", "decision", "criteria", NULL};
	static const char *const keys_l[] = {"from", "until", "decision", NULL};
	if (!http_only_keys(body, designation ? keys_d : keys_l, res))
		return res->status;
	const char *from = json_string_value(json_object_get(body, "from"));
	json_t *until = json_object_get(body, "until");
	in->decision = json_string_value(json_object_get(body, "decision"));
	if (!from || date_parse(from, &in->from) != CSHQ_OK)
		return http_problem(res, 422, NULL, "from: a date YYYY-MM-DD is required", NULL);
	in->has_until = until && !json_is_null(until);
	if (in->has_until && (!json_is_string(until) ||
			      date_parse(json_string_value(until), &in->until) != CSHQ_OK || in->until <= in->from))
		return http_problem(res, 422, NULL, "until: a date after from", NULL);
	if (!in->decision || !*in->decision || strlen(in->decision) > 1000)
		return http_problem(res, 422, NULL, "decision: the HQ decision (1 to 1000 bytes) is required", NULL);
	if (designation) {
		json_t *c = json_object_get(body, "criteria");
		if (!json_is_object(c) || json_object_size(c) != 4)
			return http_problem(res, 422, NULL,
					    "criteria: an assessment against each of the four criteria \"1\"..\"4\"", NULL);
		for (int i = 0; i < 4; i++) {
			char k[2] = {(char)('1' + i), 0};
			in->criteria[i] = json_string_value(json_object_get(c, k));
			if (!in->criteria[i] || !*in->criteria[i] || strlen(in->criteria[i]) > 4000)
				return http_problem(res, 422, NULL, "criteria: each of \"1\"..\"4\" is a non-empty text", NULL);
		}
	}
	return 0;
}

static int overlaps(struct store *s, bool designation, const char *code, const struct interval_input *in,
		    bool *out)
{
	const char *sql = designation
				  ? "SELECT 1 FROM org_designations WHERE org = $1 AND (until_date IS NULL OR until_date > $2) "
				    "AND ($3 = 0 OR from_date < $4)"
				  : "SELECT 1 FROM org_listings WHERE org = $1 AND (until_date IS NULL OR until_date > $2) "
				    "AND ($3 = 0 OR from_date < $4)";
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, in->from);
	store_bind_int64(st, 3, in->has_until);
	store_bind_int64(st, 4, in->has_until ? in->until : 0);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int create_interval(struct http_request *req, struct http_response *res, bool designation)
{
	if (!may_change_registry(&req->who))
		return http_problem(res, 403, NULL, "only an administrator or the NISC director changes the registry", NULL);
	json_t *body = NULL;
	struct interval_input in = {0};
	int status = read_interval(req, res, designation, &body, &in);
	if (status) {
		json_decref(body);
		return status;
	}
	const char *code = req->params[0];
	struct registry_subject subj;
	int rc = registry_subject(req->db, code, in.from, &subj);
	bool clash = false;
	if (rc == CSHQ_OK)
		rc = overlaps(req->db, designation, code, &in, &clash);
	if (rc != CSHQ_OK) {
		json_decref(body);
		return http_problem_rc(res, rc, NULL);
	}
	if (clash) {
		json_decref(body);
		return http_problem(res, 409, NULL, "an interval already covers part of these dates", NULL);
	}
	if (designation && subj.facts.kind != ORG_CORPORATION) {
		json_decref(body);
		const struct regime_citation *c = regime_cite("Act", "13", 0, 0, in.from);
		return http_problem(res, 409, NULL, "Act 13 designates corporations (法人) only",
				    c ? basis_json(&c, 1) : NULL);
	}
	struct store_stmt *st;
	rc = store_prepare(req->db,
			   designation
				   ? "INSERT INTO org_designations (org, from_date, until_date, decision, criterion1, "
				     "criterion2, criterion3, criterion4, created_at, created_by) VALUES "
				     "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
				   : "INSERT INTO org_listings (org, from_date, until_date, decision, created_at, created_by) "
				     "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			   &st);
	int64_t id = 0;
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, code);
		store_bind_int64(st, 2, in.from);
		if (in.has_until)
			store_bind_int64(st, 3, in.until);
		else
			store_bind_null(st, 3);
		store_bind_text(st, 4, in.decision);
		int next = 5;
		if (designation)
			for (int i = 0; i < 4; i++)
				store_bind_text(st, next++, in.criteria[i]);
		store_bind_int64(st, next, time_now());
		store_bind_text(st, next + 1, req->who.login);
		if (store_step(st) == STORE_ROW)
			id = store_column_int64(st, 0);
		else
			rc = CSHQ_ERR;
		while (store_step(st) == STORE_ROW)
			;
	}
	char idtxt[64];
	snprintf(idtxt, sizeof(idtxt), "%s/%lld", code, (long long)id);
	if (rc == CSHQ_OK)
		rc = registry_bump_version(req->db);
	if (rc == CSHQ_OK) {
		char *d = json_dumps(body, JSON_COMPACT);
		rc = auditlog_append(req->db, &req->who, designation ? "art13_designate" : "art32_list",
				     designation ? "designation" : "listing", idtxt, d);
		free(d);
	}
	json_decref(body);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	json_t *org;
	if ((rc = registry_org_json(req->db, code, in.from, true, &org)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	json_t *arr = json_object_get(org, designation ? "designations" : "art32_listings");
	json_t *created = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_integer_value(json_object_get(v, "id")) == id) created = v;
	json_t *out = json_deep_copy(created ? created : json_object());
	json_object_set_new(out, "org", json_string(code));
	json_decref(org);
	snprintf(res->location, sizeof(res->location), "/api/v1/orgs/%s", code);
	return http_json(res, 201, out);
}

int api_orgs_designate(struct http_request *req, struct http_response *res)
{
	return create_interval(req, res, true);
}

int api_orgs_list_art32(struct http_request *req, struct http_response *res)
{
	return create_interval(req, res, false);
}

/* Ends an open interval on a date: a revocation or delisting never deletes the record. */
static int end_interval(struct http_request *req, struct http_response *res, bool designation)
{
	if (!may_change_registry(&req->who))
		return http_problem(res, 403, NULL, "only an administrator or the NISC director changes the registry", NULL);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"until", "decision", NULL};
	int status = 0;
	int32_t until;
	const char *u = json_string_value(json_object_get(body, "until"));
	const char *decision = json_string_value(json_object_get(body, "decision"));
	char *end;
	long long id = strtoll(req->params[1], &end, 10);
	if (!http_only_keys(body, keys, res))
		status = res->status;
	else if (*end || id <= 0)
		status = http_not_found(res);
	else if (!u || date_parse(u, &until) != CSHQ_OK)
		status = http_problem(res, 422, NULL, "until: the first day no longer in force, YYYY-MM-DD", NULL);
	else if (!decision || !*decision || strlen(decision) > 1000)
		status = http_problem(res, 422, NULL, "decision: the HQ decision is required", NULL);
	if (status) {
		json_decref(body);
		return status;
	}
	struct store_stmt *st;
	int rc = store_prepare(req->db,
			       designation ? "UPDATE org_designations SET until_date = $3 WHERE id = $1 AND org = $2 "
					     "AND until_date IS NULL AND from_date < $3"
					   : "UPDATE org_listings SET until_date = $3 WHERE id = $1 AND org = $2 "
					     "AND until_date IS NULL AND from_date < $3",
			       &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, req->params[0]);
		store_bind_int64(st, 3, until);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		if (rc == CSHQ_OK && store_changes(st) != 1)
			rc = CSHQ_ECONFLICT;
	}
	if (rc == CSHQ_OK)
		rc = registry_bump_version(req->db);
	if (rc == CSHQ_OK) {
		char idtxt[64];
		snprintf(idtxt, sizeof(idtxt), "%s/%lld", req->params[0], id);
		char *d = json_dumps(body, JSON_COMPACT);
		rc = auditlog_append(req->db, &req->who, designation ? "art13_end" : "art32_delist",
				     designation ? "designation" : "listing", idtxt, d);
		free(d);
	}
	json_decref(body);
	if (rc == CSHQ_ECONFLICT)
		return http_problem(res, 409, NULL, "no open interval with this id that starts before that date", NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	json_t *org;
	if ((rc = registry_org_json(req->db, req->params[0], date_today(), true, &org)) != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, org);
}

int api_orgs_end_designation(struct http_request *req, struct http_response *res)
{
	return end_interval(req, res, true);
}

int api_orgs_end_listing(struct http_request *req, struct http_response *res)
{
	return end_interval(req, res, false);
}
