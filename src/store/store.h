/* store.h: the thin store interface every module uses, with two back ends behind it:
 * SQLite (embedded default) and PostgreSQL (libpq, for scale-out).
 *
 * One SQL text serves both back ends: placeholders are $1..$N (SQLite maps them by
 * name), INSERT ... RETURNING and ON CONFLICT are used freely, times are integer epoch
 * seconds, dates integer day numbers. Avoid back-end specific syntax (->>, ::, json_*).
 *
 * A struct store is one connection, used by one thread at a time. Handlers get one from
 * a struct store_pool for the duration of a request. */
#ifndef CSHQ_STORE_H
#define CSHQ_STORE_H

#include "core/common.h"

enum store_backend { STORE_SQLITE, STORE_PG };

struct store_config {
	enum store_backend backend;
	const char *target; /* SQLite file path, or libpq conninfo */
};

struct store;
struct store_stmt;

/* store_step results (errors are negative cshq_rc values). */
#define STORE_DONE 0
#define STORE_ROW 1

/* Opens a connection. On failure returns CSHQ_ERR and writes a message to err. */
int store_connect(const struct store_config *cfg, struct store **out, char *err, size_t errlen);
/* Closes the connection and every statement prepared on it. Accepts NULL. */
void store_disconnect(struct store *s);
enum store_backend store_backend_of(const struct store *s);
/* "sqlite" or "postgresql", as the health endpoint reports it. */
const char *store_backend_name(const struct store *s);
/* The last error message of this connection (never NULL). */
const char *store_errmsg(const struct store *s);

/* Transactions. store_begin(s, true) takes the write lock at once (SQLite BEGIN IMMEDIATE)
 * so a request never fails half-way on a lock upgrade. */
int store_begin(struct store *s, bool write);
int store_commit(struct store *s);
/* Rolls back if a transaction is open; harmless otherwise. */
int store_rollback(struct store *s);
bool store_in_transaction(const struct store *s);

/* Runs SQL text without parameters, possibly several statements (schema, migrations). */
int store_exec(struct store *s, const char *sql);

/* Returns a prepared statement for sql, cached on the connection by its text and reset
 * with bindings cleared. The statement belongs to the connection: do not free it. Do not
 * prepare the same text again while iterating over its rows. */
int store_prepare(struct store *s, const char *sql, struct store_stmt **out);

/* Bindings, 1-based as in $1. Text and blobs are copied. A NULL text binds SQL NULL. */
int store_bind_int64(struct store_stmt *st, int n, int64_t v);
int store_bind_text(struct store_stmt *st, int n, const char *v);
int store_bind_text_len(struct store_stmt *st, int n, const char *v, size_t len);
int store_bind_blob(struct store_stmt *st, int n, const void *v, size_t len);
int store_bind_null(struct store_stmt *st, int n);

/* Executes (first call) or advances: STORE_ROW, STORE_DONE, CSHQ_ECONFLICT for a
 * constraint violation (unique, foreign key, check), CSHQ_ERR otherwise. */
int store_step(struct store_stmt *st);
/* Rows changed by the last INSERT/UPDATE/DELETE run through st. */
int64_t store_changes(struct store_stmt *st);

/* Columns of the current row, 0-based. Text is valid until the next step or prepare. */
int store_column_count(struct store_stmt *st);
bool store_column_is_null(struct store_stmt *st, int col);
int64_t store_column_int64(struct store_stmt *st, int col);
const char *store_column_text(struct store_stmt *st, int col); /* NULL for SQL NULL */
const void *store_column_blob(struct store_stmt *st, int col, size_t *len);

/* Convenience: prepare, bind nothing, step once; for single-value queries like
 * "SELECT count(*) FROM t". Returns CSHQ_OK and *out, or an error. */
int store_query_int64(struct store *s, const char *sql, int64_t *out);

/* Applies the embedded migrations not yet applied (src/store/migrations/NNN_*.sql),
 * each in its own transaction. */
int store_migrate(struct store *s);

/* A pool of connections shared by the server's threads. */
struct store_pool;
int store_pool_create(const struct store_config *cfg, size_t max, struct store_pool **out,
		      char *err, size_t errlen);
void store_pool_free(struct store_pool *p);
/* Blocks until a connection is free; NULL only if a new connection could not be opened.
 * Returns with no transaction open. */
struct store *store_pool_acquire(struct store_pool *p);
/* Rolls back anything left open and gives the connection back. Accepts NULL. */
void store_pool_release(struct store_pool *p, struct store *s);

#endif
