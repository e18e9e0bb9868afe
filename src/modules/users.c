/* users.c: creating and reading user accounts; passwords only ever as Argon2id hashes. */
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "core/timeutil.h"
#include "modules/users.h"

bool users_valid_login(const char *login)
{
	size_t n = strlen(login);
	if (n < 3 || n > PRINCIPAL_LOGIN_MAX)
		return false;
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return false;
	return true;
}

int users_create(struct store *s, const struct user_new *u, int64_t *id, char *err, size_t errlen)
{
	if (!users_valid_login(u->login)) {
		snprintf(err, errlen, "login: 3 to 64 of a-z, 0-9, '.', '_' and '-'");
		return CSHQ_EINVAL;
	}
	if (!u->roles) {
		snprintf(err, errlen, "roles: at least one role");
		return CSHQ_EINVAL;
	}
	size_t nl = strlen(u->name);
	if (nl == 0 || nl > 200) {
		snprintf(err, errlen, "name: 1 to 200 bytes");
		return CSHQ_EINVAL;
	}
	char hash[crypto_pwhash_STRBYTES];
	if (password_hash(u->password, hash) != CSHQ_OK) {
		snprintf(err, errlen, "password: %d to %d characters", PASSWORD_MIN, PASSWORD_MAX);
		return CSHQ_EINVAL;
	}
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT 1 FROM orgs WHERE code = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, u->org);
	rc = store_step(st);
	while (rc == STORE_ROW && store_step(st) == STORE_ROW)
		;
	if (rc != STORE_ROW) {
		snprintf(err, errlen, "org: unknown organisation");
		return rc == STORE_DONE ? CSHQ_EINVAL : rc;
	}
	rc = store_prepare(s,
			   "INSERT INTO users (login, name, org, password_hash, created_at) VALUES "
			   "($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING RETURNING id",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, u->login);
	store_bind_text(st, 2, u->name);
	store_bind_text(st, 3, u->org);
	store_bind_text(st, 4, hash);
	store_bind_int64(st, 5, time_now());
	rc = store_step(st);
	if (rc == STORE_DONE) {
		snprintf(err, errlen, "login: already taken");
		return CSHQ_ECONFLICT;
	}
	if (rc != STORE_ROW)
		return rc;
	*id = store_column_int64(st, 0);
	while (store_step(st) == STORE_ROW)
		;
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!(u->roles & ROLE_BIT(r)))
			continue;
		rc = store_prepare(s, "INSERT INTO user_roles (user_id, role, acting) VALUES ($1, $2, $3)", &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, *id);
		store_bind_text(st, 2, role_code((enum role)r));
		store_bind_int64(st, 3, r == ROLE_NISC_DEPUTY && u->acting);
		if (store_step(st) != STORE_DONE)
			return CSHQ_ERR;
	}
	return CSHQ_OK;
}

static int roles_json(struct store *s, int64_t id, json_t *arr)
{
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(arr, json_string(store_column_text(st, 0)));
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int rows_json(struct store *s, struct store_stmt *st, json_t *items)
{
	int rc;
	json_t *ids = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *u = json_object();
		json_object_set_new(u, "login", json_string(store_column_text(st, 1)));
		json_object_set_new(u, "name", json_string(store_column_text(st, 2)));
		json_object_set_new(u, "org", json_string(store_column_text(st, 3)));
		json_object_set_new(u, "disabled", json_boolean(store_column_int64(st, 4)));
		json_array_append_new(ids, json_integer(store_column_int64(st, 0)));
		json_array_append_new(items, u);
	}
	if (rc != STORE_DONE) {
		json_decref(ids);
		return CSHQ_ERR;
	}
	rc = CSHQ_OK;
	for (size_t i = 0; i < json_array_size(items) && rc == CSHQ_OK; i++) {
		json_t *roles = json_array();
		json_object_set_new(json_array_get(items, i), "roles", roles);
		rc = roles_json(s, json_integer_value(json_array_get(ids, i)), roles);
	}
	json_decref(ids);
	return rc;
}

int users_get_json(struct store *s, const char *login, json_t **out, char org_out[33])
{
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT id, login, name, org, disabled FROM users WHERE login = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, login);
	json_t *items = json_array();
	if ((rc = rows_json(s, st, items)) != CSHQ_OK || json_array_size(items) == 0) {
		json_decref(items);
		return rc != CSHQ_OK ? rc : CSHQ_ENOTFOUND;
	}
	*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	snprintf(org_out, 33, "%s", json_string_value(json_object_get(*out, "org")));
	return CSHQ_OK;
}

int users_list_json(struct store *s, const char *org, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "SELECT id, login, name, org, disabled FROM users WHERE ($1 = '' OR org = $1) "
			       "ORDER BY login LIMIT 5000",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org ? org : "");
	json_t *items = json_array();
	if ((rc = rows_json(s, st, items)) != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return CSHQ_OK;
}
