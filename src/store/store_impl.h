/* store_impl.h: the contract between store.c (dispatch, pool, migrations) and each back
 * end. Internal to src/store/. */
#ifndef CSHQ_STORE_IMPL_H
#define CSHQ_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
	const char *name; /* "sqlite" | "postgresql" */
	int (*connect)(const char *target, struct store **out, char *err, size_t errlen);
	void (*disconnect)(struct store *s);
	const char *(*errmsg)(const struct store *s);
	int (*exec)(struct store *s, const char *sql);
	int (*prepare)(struct store *s, const char *sql, struct store_stmt **out);
	int (*bind_int64)(struct store_stmt *st, int n, int64_t v);
	int (*bind_text)(struct store_stmt *st, int n, const char *v, size_t len);
	int (*bind_blob)(struct store_stmt *st, int n, const void *v, size_t len);
	int (*bind_null)(struct store_stmt *st, int n);
	int (*step)(struct store_stmt *st);
	int64_t (*changes)(struct store_stmt *st);
	int (*column_count)(struct store_stmt *st);
	bool (*column_is_null)(struct store_stmt *st, int col);
	int64_t (*column_int64)(struct store_stmt *st, int col);
	const char *(*column_text)(struct store_stmt *st, int col);
	const void *(*column_blob)(struct store_stmt *st, int col, size_t *len);
	/* Rewrites a portable migration for this back end (see migrations/README.md):
	 * returns a malloc'd string. */
	char *(*dialect)(const char *sql);
};

/* Every back end's struct store starts with this header, and every back end's struct
 * store_stmt starts with `struct store *conn` (store.c dispatches through it). */
struct store {
	const struct store_ops *ops;
	bool in_tx;
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* Replaces each {{TOKEN}} in sql by the value paired with it; malloc'd result. */
char *store_expand_tokens(const char *sql, const char *const pairs[][2], size_t npairs);

#endif
