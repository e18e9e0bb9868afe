/* fuzz_registry_csv.c: `cshq orgs import` on an in-memory SQLite store with the schema. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "modules/registry.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		struct store_config cfg = {STORE_SQLITE, ":memory:"};
		char err[128];
		if (store_connect(&cfg, &db, err, sizeof(err)) != CSHQ_OK || store_migrate(db) != CSHQ_OK)
			abort();
	}
	char err[256];
	size_t n;
	if (store_begin(db, true) != CSHQ_OK)
		abort();
	registry_import_csv_mem(db, (const char *)data, size, err, sizeof(err), &n);
	store_rollback(db); /* every input starts from the empty schema */
	return 0;
}
