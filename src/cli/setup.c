/* setup.c: first-start preparation of a store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/password.h"
#include "cli/setup.h"
#include "modules/registry.h"
#include "modules/users.h"

extern const char seed_orgs_csv[];
extern const size_t seed_orgs_csv_len;

static int user_exists(struct store *s, const char *login, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT 1 FROM users WHERE login = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, login);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int create(struct store *s, const char *login, const char *name, const char *org,
		  uint32_t roles, const char *password)
{
	struct user_new u = {.login = login, .password = password, .name = name, .org = org, .roles = roles};
	int64_t id;
	char err[160];
	int rc = users_create(s, &u, &id, err, sizeof(err));
	if (rc != CSHQ_OK) {
		fprintf(stderr, "cshq: cannot create user %s: %s\n", login, err);
		return rc;
	}
	return auditlog_append(s, NULL, "create_user", "user", login, NULL);
}

int setup_store(struct store *s)
{
	int rc = store_migrate(s);
	if (rc != CSHQ_OK) {
		fprintf(stderr, "cshq: migration failed: %s\n", store_errmsg(s));
		return rc;
	}
	if ((rc = store_begin(s, true)) != CSHQ_OK)
		return rc;
	bool empty;
	if ((rc = registry_is_empty(s, &empty)) == CSHQ_OK && empty) {
		char err[256];
		size_t n = 0;
		rc = registry_import_csv_mem(s, seed_orgs_csv, seed_orgs_csv_len, err, sizeof(err), &n);
		if (rc != CSHQ_OK)
			fprintf(stderr, "cshq: registry seed: %s\n", err);
		else {
			fprintf(stderr, "cshq: registry loaded: %zu organisations\n", n);
			rc = auditlog_append(s, NULL, "registry_seed", "registry", "seed", NULL);
		}
	}
	bool have_admin = true;
	if (rc == CSHQ_OK)
		rc = user_exists(s, "admin", &have_admin);
	if (rc == CSHQ_OK && !have_admin) {
		const char *pw = getenv("CSHQ_ADMIN_PASSWORD");
		char generated[21];
		if (!pw || !*pw) {
			password_generate(generated);
			pw = generated;
			fprintf(stderr, "cshq: first administrator: login admin, password %s (shown once)\n", pw);
		}
		rc = create(s, "admin", "System administrator", "nisc", ROLE_BIT(ROLE_ADMIN), pw);
	}
	if (rc == CSHQ_OK)
		return store_commit(s);
	store_rollback(s);
	return rc;
}

struct demo_user {
	const char *login, *name, *org;
	uint32_t roles;
};

static const struct demo_user demo_users[] = {
	{"nisc.director", "NISC センター長", "nisc", ROLE_BIT(ROLE_NISC_DIRECTOR)},
	{"nisc.staff", "NISC 分析官", "nisc", ROLE_BIT(ROLE_NISC_STAFF)},
	{"hq.member", "戦略本部 事務局", "hq", ROLE_BIT(ROLE_HQ)},
	{"mhlw.csirt", "厚生労働省 CSIRT", "mhlw", ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_STAFF)},
	{"mhlw.ciso", "厚生労働省 CISO", "mhlw", ROLE_BIT(ROLE_CISO)},
	{"jps.csirt", "日本年金機構 CSIRT", "jps", ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_STAFF)},
	{"jps.ciso", "日本年金機構 CISO", "jps", ROLE_BIT(ROLE_CISO)},
	{"nict.staff", "情報通信研究機構 職員", "nict", ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_CSIRT)},
	{"ipa.delegate", "IPA 受託者", "ipa", ROLE_BIT(ROLE_DELEGATE)},
};

int setup_demo_users(struct store *s)
{
	const char *pw = getenv("CSHQ_DEMO_PASSWORD");
	char generated[21];
	if (!pw || !*pw) {
		password_generate(generated);
		pw = generated;
	}
	int rc = store_begin(s, true);
	if (rc != CSHQ_OK)
		return rc;
	bool created = false;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(demo_users) && rc == CSHQ_OK; i++) {
		bool exists;
		rc = user_exists(s, demo_users[i].login, &exists);
		if (rc == CSHQ_OK && !exists) {
			rc = create(s, demo_users[i].login, demo_users[i].name, demo_users[i].org,
				    demo_users[i].roles, pw);
			created = true;
		}
	}
	if (rc != CSHQ_OK) {
		store_rollback(s);
		return rc;
	}
	rc = store_commit(s);
	if (rc == CSHQ_OK && created) {
		fprintf(stderr, "cshq: demo users (password %s):", pw);
		for (size_t i = 0; i < CSHQ_ARRAY_LEN(demo_users); i++)
			fprintf(stderr, " %s", demo_users[i].login);
		fputc('\n', stderr);
	}
	return rc;
}
