/* migrations.h: the migrations embedded at build time from migrations/NNN_name.sql. */
#ifndef CSHQ_STORE_MIGRATIONS_H
#define CSHQ_STORE_MIGRATIONS_H

#include <stddef.h>

struct store_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct store_migration store_migrations[];
extern const size_t store_migration_count;

#endif
