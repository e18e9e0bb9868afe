/* api_tokens.c: long-lived API tokens of the calling user (scripts of the bodies), and the
 * administrator's unlock and disable of accounts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/auditlog.h"
#include "auth/session.h"
#include "core/timeutil.h"
#include "modules/users.h"

#define TOKEN_DAYS_MAX 365

int api_tokens_create(struct http_request *req, struct http_response *res)
{
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"name", "days", NULL};
	int status;
	const char *name = json_string_value(json_object_get(body, "name"));
	json_t *days = json_object_get(body, "days");
	if (!http_only_keys(body, keys, res)) {
		status = res->status;
		goto out;
	}
	if (!name || !*name || strlen(name) > 100) {
		status = http_problem(res, 422, NULL, "name: 1 to 100 bytes", NULL);
		goto out;
	}
	if (days && (!json_is_integer(days) || json_integer_value(days) < 1 ||
		     json_integer_value(days) > TOKEN_DAYS_MAX)) {
		status = http_problem(res, 422, NULL, "days: an integer from 1 to 365", NULL);
		goto out;
	}
	int64_t ttl = (days ? json_integer_value(days) : 90) * 86400;
	struct session_secret secret;
	int64_t id;
	int rc = session_issue_token(req->db, req->who.user_id, name, ttl, &secret, &id);
	if (rc == CSHQ_OK) {
		char idtxt[32];
		snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
		rc = auditlog_append(req->db, &req->who, "issue_token", "api_token", idtxt, NULL);
	}
	if (rc != CSHQ_OK) {
		status = http_problem_rc(res, rc, NULL);
		goto out;
	}
	char exp[26];
	time_format_rfc3339(secret.expires_at, exp);
	status = http_json(res, 201,
			   json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name, "token",
				     secret.token, "expires_at", exp));
out:
	json_decref(body);
	return status;
}

int api_tokens_list(struct http_request *req, struct http_response *res)
{
	struct store_stmt *st;
	int rc = store_prepare(req->db,
			       "SELECT t.id, t.name, t.created_at, t.expires_at, s.revoked FROM api_tokens t "
			       "JOIN sessions s ON s.token_hash = t.token_hash WHERE t.user_id = $1 ORDER BY t.id",
			       &st);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	store_bind_int64(st, 1, req->who.user_id);
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		char c[26], e[26];
		time_format_rfc3339(store_column_int64(st, 2), c);
		time_format_rfc3339(store_column_int64(st, 3), e);
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
						       (json_int_t)store_column_int64(st, 0), "name",
						       store_column_text(st, 1), "created_at", c, "expires_at", e,
						       "revoked", (int)store_column_int64(st, 4)));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return http_problem_rc(res, CSHQ_ERR, NULL);
	}
	return http_json(res, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

int api_tokens_revoke(struct http_request *req, struct http_response *res)
{
	char *end;
	long long id = strtoll(req->params[0], &end, 10);
	if (*end || id <= 0)
		return http_not_found(res);
	int rc = session_revoke_token(req->db, req->who.user_id, id);
	if (rc == CSHQ_OK)
		rc = auditlog_append(req->db, &req->who, "revoke_token", "api_token", req->params[0], NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	res->status = 204;
	return 204;
}

/* unlock: clears the lock-out; disable: the account can no longer log in and its sessions end. */
static int admin_user_action(struct http_request *req, struct http_response *res, bool disable)
{
	if (!principal_has(&req->who, ROLE_ADMIN))
		return http_not_found(res);
	struct store_stmt *st;
	int rc = store_prepare(req->db,
			       disable ? "UPDATE users SET disabled = 1 WHERE login = $1"
				       : "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE login = $1",
			       &st);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	store_bind_text(st, 1, req->params[0]);
	if (store_step(st) != STORE_DONE)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	if (store_changes(st) != 1)
		return http_not_found(res);
	if (disable) {
		rc = store_prepare(req->db,
				   "UPDATE sessions SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE login = $1)",
				   &st);
		if (rc == CSHQ_OK) {
			store_bind_text(st, 1, req->params[0]);
			rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
	}
	if (rc == CSHQ_OK)
		rc = auditlog_append(req->db, &req->who, disable ? "disable_user" : "unlock_user", "user",
				     req->params[0], NULL);
	json_t *u;
	char org[33];
	if (rc == CSHQ_OK)
		rc = users_get_json(req->db, req->params[0], &u, org);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, u);
}

int api_users_unlock(struct http_request *req, struct http_response *res)
{
	return admin_user_action(req, res, false);
}

int api_users_disable(struct http_request *req, struct http_response *res)
{
	return admin_user_action(req, res, true);
}
