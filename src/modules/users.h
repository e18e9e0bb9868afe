/* users.h: user accounts of the organisations (spec 70). */
#ifndef CSHQ_USERS_H
#define CSHQ_USERS_H

#include <jansson.h>

#include "auth/principal.h"
#include "store/store.h"

struct user_new {
	const char *login; /* 3..64 of [a-z0-9._-] */
	const char *password;
	const char *name;
	const char *org;
	uint32_t roles;    /* ROLE_BIT set, at least one */
	bool acting;       /* for nisc_deputy: acting director */
};

/* Inside the caller's transaction. CSHQ_OK and *id; CSHQ_EINVAL (message in err) for a bad
 * login, password or unknown org; CSHQ_ECONFLICT when the login is taken. */
int users_create(struct store *s, const struct user_new *u, int64_t *id, char *err, size_t errlen);
/* {"login","name","org","roles":[...],"disabled"} or CSHQ_ENOTFOUND. */
int users_get_json(struct store *s, const char *login, json_t **out, char org_out[33]);
/* Users of one organisation, or of all when org is NULL. */
int users_list_json(struct store *s, const char *org, json_t **out);
bool users_valid_login(const char *login);

#endif
