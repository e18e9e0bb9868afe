/* api_session.c: health, the OpenAPI document, login and logout. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "auth/session.h"

int api_health(struct http_request *req, struct http_response *res)
{
	return http_json(res, 200,
			 json_pack("{s:s, s:s, s:s}", "status", "ok", "version", CSHQ_VERSION, "store",
				   store_backend_name(req->db)));
}

json_t *api_user_json(const struct principal *p)
{
	json_t *roles = json_array();
	for (int r = 0; r < ROLE_COUNT; r++)
		if (p->roles & ROLE_BIT(r))
			json_array_append_new(roles, json_string(role_code((enum role)r)));
	return json_pack("{s:s, s:s, s:s, s:o, s:b}", "login", p->login, "org", p->org, "org_kind",
			 org_kind_code(p->org_kind), "roles", roles, "acting", p->acting);
}

int api_session_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"login", "password", NULL};
	const char *login = json_string_value(json_object_get(body, "login"));
	const char *password = json_string_value(json_object_get(body, "password"));
	if (!http_only_keys(body, keys, res)) {
		json_decref(body);
		return res->status;
	}
	if (!login || !password || strlen(login) > PRINCIPAL_LOGIN_MAX || strlen(password) > 256) {
		json_decref(body);
		return http_problem(res, 422, NULL, "login and password are required strings", NULL);
	}
	/* Login manages its own transactions (a failure must be recorded even though the
	 * answer is 401), so the request's transaction is closed first. */
	store_rollback(req->db);
	struct principal who;
	struct session_secret secret;
	int rc = session_login(req->db, login, password, req->client_addr, &who, &secret);
	json_decref(body);
	store_begin(req->db, false);
	if (rc == CSHQ_EDENIED)
		return http_problem(res, 401, NULL, "wrong login or password", NULL);
	if (rc == CSHQ_ELIMIT)
		return http_problem(res, 429, NULL, "too many failed logins; try again later", NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	snprintf(res->set_cookie, sizeof(res->set_cookie),
		 "cshq_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d", secret.token,
		 SESSION_TTL_SECONDS);
	return http_json(res, 200,
			 json_pack("{s:s, s:s, s:o}", "token", secret.token, "csrf_token", secret.csrf,
				   "user", api_user_json(&who)));
}

int api_session_get(struct http_request *req, struct http_response *res)
{
	return http_json(res, 200,
			 json_pack("{s:o, s:s}", "user", api_user_json(&req->who), "csrf_token", req->who.csrf));
}

int api_session_delete(struct http_request *req, struct http_response *res)
{
	int rc = session_revoke(req->db, req->token);
	if (rc == CSHQ_OK)
		rc = auditlog_append(req->db, &req->who, "logout", "user", req->who.login, NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	snprintf(res->set_cookie, sizeof(res->set_cookie),
		 "cshq_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	res->status = 204;
	res->content_type = "application/json";
	return 204;
}
