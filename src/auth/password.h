/* password.h: Argon2id password hashing (libsodium). Each hash takes 64 MiB, so the number
 * running at once is capped; callers beyond the cap wait. */
#ifndef CSHQ_PASSWORD_H
#define CSHQ_PASSWORD_H

#include <sodium.h>

#include "core/common.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 256

int password_init(void);
/* CSHQ_OK and out filled, CSHQ_EINVAL for a password outside the length limits. */
int password_hash(const char *password, char out[crypto_pwhash_STRBYTES]);
bool password_verify(const char *stored, const char *password);
/* A valid hash of a random password, for timing-safe checks of unknown logins. */
const char *password_dummy_hash(void);
/* Writes a random password of 20 characters (letters and digits) into out (21 bytes). */
void password_generate(char out[21]);

#endif
