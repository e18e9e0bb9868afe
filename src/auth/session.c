/* session.c: login with throttling and lock-out, session tokens, token resolution. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/password.h"
#include "auth/session.h"
#include "core/timeutil.h"

void session_hash_token(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

static void random_hex(char out[65])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 65, r, sizeof(r));
}

int session_load_user(struct store *s, int64_t user_id, struct principal *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "SELECT u.login, u.org, o.kind, u.disabled FROM users u "
			       "JOIN orgs o ON o.code = u.org WHERE u.id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, user_id);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ENOTFOUND;
	memset(out, 0, sizeof(*out));
	out->kind = PRINCIPAL_USER;
	out->user_id = user_id;
	snprintf(out->login, sizeof(out->login), "%s", store_column_text(st, 0));
	snprintf(out->org, sizeof(out->org), "%s", store_column_text(st, 1));
	if (org_kind_parse(store_column_text(st, 2), &out->org_kind) != CSHQ_OK)
		out->org_kind = ORG_OTHER;
	bool disabled = store_column_int64(st, 3) != 0;
	while (store_step(st) == STORE_ROW)
		;
	if (disabled)
		return CSHQ_ENOTFOUND;
	rc = store_prepare(s, "SELECT role, acting FROM user_roles WHERE user_id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, user_id);
	while ((rc = store_step(st)) == STORE_ROW) {
		enum role r;
		if (role_parse(store_column_text(st, 0), &r) == CSHQ_OK) {
			out->roles |= ROLE_BIT(r);
			if (r == ROLE_NISC_DEPUTY && store_column_int64(st, 1))
				out->acting = true;
		}
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Adds one failure to a throttle key and answers whether the key is over its limit. */
static int throttle_note(struct store *s, const char *key, int64_t now, int64_t *failures)
{
	struct store_stmt *st;
	int rc = store_prepare(
		s,
		"INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1) "
		"ON CONFLICT (key) DO UPDATE SET "
		"failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, "
		"window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END "
		"RETURNING failures",
		&st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, key);
	store_bind_int64(st, 2, now);
	store_bind_int64(st, 3, now - LOGIN_WINDOW_SECONDS);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	*failures = store_column_int64(st, 0);
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

static int64_t throttle_get(struct store *s, const char *key, int64_t now)
{
	struct store_stmt *st;
	if (store_prepare(s, "SELECT failures FROM login_throttle WHERE key = $1 AND window_start >= $2",
			  &st) != CSHQ_OK)
		return 0;
	store_bind_text(st, 1, key);
	store_bind_int64(st, 2, now - LOGIN_WINDOW_SECONDS);
	int64_t n = store_step(st) == STORE_ROW ? store_column_int64(st, 0) : 0;
	while (store_step(st) == STORE_ROW)
		;
	return n;
}

int session_login(struct store *s, const char *login, const char *password, const char *addr,
		  struct principal *out, struct session_secret *secret)
{
	int64_t now = time_now();
	char ipkey[96];
	snprintf(ipkey, sizeof(ipkey), "ip:%s", addr ? addr : "?");
	if (throttle_get(s, ipkey, now) >= LOGIN_IP_MAX_FAILURES)
		return CSHQ_ELIMIT;

	struct store_stmt *st;
	int rc = store_prepare(s,
			       "SELECT id, password_hash, locked_until, disabled FROM users WHERE login = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, login);
	int64_t uid = 0, locked_until = 0, disabled = 0;
	char stored[crypto_pwhash_STRBYTES] = "";
	if (store_step(st) == STORE_ROW) {
		uid = store_column_int64(st, 0);
		snprintf(stored, sizeof(stored), "%s", store_column_text(st, 1));
		locked_until = store_column_int64(st, 2);
		disabled = store_column_int64(st, 3);
		while (store_step(st) == STORE_ROW)
			;
	}
	if (uid && locked_until > now)
		return CSHQ_ELIMIT;
	/* Verify even for an unknown login so timing does not reveal which logins exist. */
	bool good = password_verify(uid ? stored : password_dummy_hash(), password) && uid && !disabled;

	if ((rc = store_begin(s, true)) != CSHQ_OK)
		return rc;
	if (!good) {
		int64_t ipf;
		rc = throttle_note(s, ipkey, now, &ipf);
		if (rc == CSHQ_OK && uid) {
			rc = store_prepare(s,
					   "UPDATE users SET failed_logins = failed_logins + 1, "
					   "locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END "
					   "WHERE id = $1",
					   &st);
			if (rc == CSHQ_OK) {
				store_bind_int64(st, 1, uid);
				store_bind_int64(st, 2, LOGIN_MAX_FAILURES);
				store_bind_int64(st, 3, now + LOGIN_LOCK_SECONDS);
				rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
			}
		}
		if (rc == CSHQ_OK)
			rc = store_commit(s);
		else
			store_rollback(s);
		return rc == CSHQ_OK ? CSHQ_EDENIED : rc;
	}
	random_hex(secret->token);
	random_hex(secret->csrf);
	secret->expires_at = now + SESSION_TTL_SECONDS;
	char th[65];
	session_hash_token(secret->token, th);
	rc = store_prepare(s,
			   "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at) "
			   "VALUES ($1, $2, 'session', $3, $4, $5)",
			   &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, th);
		store_bind_int64(st, 2, uid);
		store_bind_text(st, 3, secret->csrf);
		store_bind_int64(st, 4, now);
		store_bind_int64(st, 5, secret->expires_at);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK && (rc = store_prepare(s, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, uid);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = session_load_user(s, uid, out);
	if (rc == CSHQ_OK) {
		snprintf(out->csrf, sizeof(out->csrf), "%s", secret->csrf);
		rc = auditlog_append(s, out, "login", "user", out->login, NULL);
	}
	if (rc == CSHQ_OK)
		rc = store_commit(s);
	else
		store_rollback(s);
	return rc;
}

int session_resolve(struct store *s, const char *token, struct principal *out)
{
	if (strlen(token) != 64)
		return CSHQ_ENOTFOUND;
	char th[65];
	session_hash_token(token, th);
	/* One statement for the session, its user, the user's organisation kind and roles (one
	 * row per role): every authenticated request runs it, on PostgreSQL one round trip. */
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "SELECT u.id, u.login, u.org, o.kind, s.csrf_token, r.role, r.acting "
			       "FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.code = u.org "
			       "LEFT JOIN user_roles r ON r.user_id = u.id "
			       "WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at > $2 AND u.disabled = 0",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, th);
	store_bind_int64(st, 2, time_now());
	bool found = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (!found) {
			memset(out, 0, sizeof(*out));
			out->kind = PRINCIPAL_USER;
			out->user_id = store_column_int64(st, 0);
			snprintf(out->login, sizeof(out->login), "%s", store_column_text(st, 1));
			snprintf(out->org, sizeof(out->org), "%s", store_column_text(st, 2));
			if (org_kind_parse(store_column_text(st, 3), &out->org_kind) != CSHQ_OK)
				out->org_kind = ORG_OTHER;
			snprintf(out->csrf, sizeof(out->csrf), "%s", store_column_text(st, 4));
			found = true;
		}
		enum role r;
		const char *role = store_column_text(st, 5);
		if (role && role_parse(role, &r) == CSHQ_OK) {
			out->roles |= ROLE_BIT(r);
			if (r == ROLE_NISC_DEPUTY && store_column_int64(st, 6))
				out->acting = true;
		}
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	return found ? CSHQ_OK : CSHQ_ENOTFOUND;
}

int session_revoke(struct store *s, const char *token)
{
	char th[65];
	session_hash_token(token, th);
	struct store_stmt *st;
	int rc = store_prepare(s, "UPDATE sessions SET revoked = 1 WHERE token_hash = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, th);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int session_issue_token(struct store *s, int64_t user_id, const char *name, int64_t ttl,
			struct session_secret *secret, int64_t *id)
{
	int64_t now = time_now();
	random_hex(secret->token);
	random_hex(secret->csrf);
	secret->expires_at = now + ttl;
	char th[65];
	session_hash_token(secret->token, th);
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at) "
			       "VALUES ($1, $2, 'token', $3, $4, $5)",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, th);
	store_bind_int64(st, 2, user_id);
	store_bind_text(st, 3, secret->csrf);
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, secret->expires_at);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	rc = store_prepare(s,
			   "INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) "
			   "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, user_id);
	store_bind_text(st, 2, th);
	store_bind_text(st, 3, name);
	store_bind_int64(st, 4, now);
	store_bind_int64(st, 5, secret->expires_at);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	*id = store_column_int64(st, 0);
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

int session_revoke_token(struct store *s, int64_t user_id, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "UPDATE sessions SET revoked = 1 WHERE token_hash = (SELECT token_hash FROM "
			       "api_tokens WHERE id = $1 AND user_id = $2) AND revoked = 0",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, user_id);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	return store_changes(st) == 1 ? CSHQ_OK : CSHQ_ENOTFOUND;
}
