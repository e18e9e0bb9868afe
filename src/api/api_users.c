/* api_users.c: user accounts. Admins manage every account; other users see the accounts
 * of the organisations in their scope (the visibility layer decides), nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "modules/users.h"

int api_users_list(struct http_request *req, struct http_response *res)
{
	const char *org = http_query(req, "org");
	json_t *items;
	int rc;
	if (principal_has(&req->who, ROLE_ADMIN)) {
		rc = users_list_json(req->db, org, &items);
	} else {
		/* Without the admin role a caller lists one organisation it can see; its own by default. */
		const char *want = org && *org ? org : req->who.org;
		struct vis_record r = {.kind = "org_users", .id = 0, .subject_org = want};
		if ((rc = vis_check(req->db, &req->who, &r)) != CSHQ_OK)
			return http_problem_rc(res, rc, NULL);
		rc = users_list_json(req->db, want, &items);
	}
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int api_users_get(struct http_request *req, struct http_response *res)
{
	json_t *u;
	char org[33];
	int rc = users_get_json(req->db, req->params[0], &u, org);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	if (!principal_has(&req->who, ROLE_ADMIN)) {
		struct vis_record r = {.kind = "org_users", .id = 0, .subject_org = org};
		if ((rc = vis_check(req->db, &req->who, &r)) != CSHQ_OK) {
			json_decref(u);
			return http_problem_rc(res, rc, NULL);
		}
	}
	return http_json(res, 200, u);
}

int api_users_create(struct http_request *req, struct http_response *res)
{
	if (!principal_has(&req->who, ROLE_ADMIN))
		return http_problem(res, 403, NULL, "only an administrator creates users", NULL);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"login", "password", "name", "org", "roles", "acting", NULL};
	int status;
	if (!http_only_keys(body, keys, res)) {
		status = res->status;
		goto out;
	}
	struct user_new u = {0};
	json_t *roles = NULL;
	int acting = 0;
	json_error_t err;
	if (json_unpack_ex(body, &err, 0, "{s:s, s:s, s:s, s:s, s:o, s?b}", "login", &u.login,
			   "password", &u.password, "name", &u.name, "org", &u.org, "roles", &roles,
			   "acting", &acting) != 0 ||
	    !json_is_array(roles)) {
		char d[320];
		snprintf(d, sizeof(d), "expected {login, password, name, org, roles: [...]}: %s", err.text);
		status = http_problem(res, 422, NULL, d, NULL);
		goto out;
	}
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r)
	{
		enum role role;
		if (!json_is_string(r) || role_parse(json_string_value(r), &role) != CSHQ_OK) {
			status = http_problem(res, 422, NULL, "roles: unknown role", NULL);
			goto out;
		}
		u.roles |= ROLE_BIT(role);
	}
	u.acting = acting;
	int64_t id;
	char msg[160] = "";
	int rc = users_create(req->db, &u, &id, msg, sizeof(msg));
	if (rc == CSHQ_OK) {
		json_t *detail = json_pack("{s:s, s:O}", "org", u.org, "roles", roles);
		char *d = json_dumps(detail, JSON_COMPACT);
		rc = auditlog_append(req->db, &req->who, "create_user", "user", u.login, d);
		free(d);
		json_decref(detail);
	}
	if (rc != CSHQ_OK) {
		status = rc == CSHQ_EINVAL ? http_problem(res, 422, NULL, msg, NULL)
					   : http_problem_rc(res, rc, msg[0] ? msg : NULL);
		goto out;
	}
	json_t *out;
	char org[33];
	if ((rc = users_get_json(req->db, u.login, &out, org)) != CSHQ_OK) {
		status = http_problem_rc(res, rc, NULL);
		goto out;
	}
	snprintf(res->location, sizeof(res->location), "/api/v1/users/%s", u.login);
	status = http_json(res, 201, out);
out:
	json_decref(body);
	return status;
}
