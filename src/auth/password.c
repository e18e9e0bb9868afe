/* password.c: Argon2id with libsodium's interactive limits, at most PASSWORD_PARALLEL at once. */
#include <semaphore.h>
#include <string.h>

#include "auth/password.h"

#define PASSWORD_PARALLEL 4

static sem_t slots;
static char dummy_hash[crypto_pwhash_STRBYTES];

int password_init(void)
{
	if (sodium_init() < 0 || sem_init(&slots, 0, PASSWORD_PARALLEL) != 0)
		return CSHQ_ERR;
	/* A real hash to verify against for unknown logins, so both paths cost the same. */
	char pw[21];
	password_generate(pw);
	return password_hash(pw, dummy_hash);
}

const char *password_dummy_hash(void)
{
	return dummy_hash;
}

int password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX)
		return CSHQ_EINVAL;
	sem_wait(&slots);
	int rc = crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&slots);
	return rc == 0 ? CSHQ_OK : CSHQ_ENOMEM;
}

bool password_verify(const char *stored, const char *password)
{
	size_t n = strlen(password);
	if (n > PASSWORD_MAX)
		return false;
	sem_wait(&slots);
	int rc = crypto_pwhash_str_verify(stored, password, n);
	sem_post(&slots);
	return rc == 0;
}

void password_generate(char out[21])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[20] = '\0';
}
