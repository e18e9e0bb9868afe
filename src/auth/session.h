/* session.h: logins, browser sessions and API tokens (spec 70). Secrets are 256-bit
 * random values shown once; only their SHA-256 is stored. Throttling state is in the store
 * so that several server instances enforce one limit. */
#ifndef CSHQ_SESSION_H
#define CSHQ_SESSION_H

#include "auth/principal.h"
#include "store/store.h"

#define SESSION_TTL_SECONDS (12 * 3600)
#define LOGIN_MAX_FAILURES 5          /* per account, then locked */
#define LOGIN_LOCK_SECONDS (15 * 60)
#define LOGIN_IP_MAX_FAILURES 50      /* per address within the window */
#define LOGIN_WINDOW_SECONDS (15 * 60)

struct session_secret {
	char token[65];
	char csrf[65];
	int64_t expires_at;
};

/* Checks the password and opens a session. Runs its own write transactions.
 * CSHQ_OK: out and secret filled. CSHQ_EDENIED: wrong login or password (one answer for
 * both). CSHQ_ELIMIT: too many failures for this account or address. */
int session_login(struct store *s, const char *login, const char *password, const char *addr,
		  struct principal *out, struct session_secret *secret);
/* Resolves a bearer or cookie token to its user. CSHQ_ENOTFOUND when unknown, expired or
 * revoked. */
int session_resolve(struct store *s, const char *token, struct principal *out);
/* Revokes the session of a token (inside the caller's transaction). */
int session_revoke(struct store *s, const char *token);
/* Issues a long-lived API token for a user (inside the caller's transaction): shown once,
 * stored hashed, expiring after ttl seconds. *id is its handle for listing and revoking. */
int session_issue_token(struct store *s, int64_t user_id, const char *name, int64_t ttl,
			struct session_secret *secret, int64_t *id);
/* Revokes one of the user's tokens by handle; CSHQ_ENOTFOUND when it is not the user's. */
int session_revoke_token(struct store *s, int64_t user_id, int64_t id);
/* Loads a user's principal (org kind, roles) by id. */
int session_load_user(struct store *s, int64_t user_id, struct principal *out);

/* sha256 hex of a secret, as stored */
void session_hash_token(const char *token, char out[65]);

#endif
