/* setup.h: preparing a store for use: migrations, the registry seed on first start, the
 * first administrator, and optional demo users. */
#ifndef CSHQ_SETUP_H
#define CSHQ_SETUP_H

#include "store/store.h"

/* Migrates, loads the embedded registry seed when the store has no organisation, and
 * creates the administrator `admin` when absent (password from CSHQ_ADMIN_PASSWORD, or
 * generated and printed once). */
int setup_store(struct store *s);
/* Creates the demo users when absent; their password is CSHQ_DEMO_PASSWORD or generated;
 * prints the logins. */
int setup_demo_users(struct store *s);

#endif
