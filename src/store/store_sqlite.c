/* store_sqlite.c: the embedded SQLite back end (WAL, busy_timeout, foreign keys, STRICT
 * tables through the migration dialect). Prepared statements are cached per connection by
 * their SQL text, and $N placeholders are mapped to SQLite's parameter indexes once. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"

#define SQLITE_CACHE_BUCKETS 256
#define SQLITE_MAX_PARAMS 64

struct store_stmt {
	struct store *conn; /* must be first: store.c dispatches through it */
	sqlite3_stmt *st;
	char *sql;
	struct store_stmt *next; /* bucket chain */
	int param_index[SQLITE_MAX_PARAMS + 1]; /* $N -> SQLite index, 0 = absent */
	int64_t changes;
	bool started;
	bool done;
};

struct sqlite_conn {
	struct store base;
	sqlite3 *db;
	struct store_stmt *cache[SQLITE_CACHE_BUCKETS];
	char err[512];
};

static struct sqlite_conn *conn_of(const struct store *s)
{
	return (struct sqlite_conn *)s;
}

static void set_err(struct sqlite_conn *c)
{
	snprintf(c->err, sizeof(c->err), "%s", sqlite3_errmsg(c->db));
}

/* Waiting for the write lock. SQLite's own handler (busy_timeout) sleeps 1, 2, 5, 10 ...
 * 100 ms between tries, so a writer queued behind a 10 ms transaction sleeps far past its
 * end and the lock stands idle (measured with bench/ingest: concurrent alert batches ran at
 * a third of the throughput). Here the sleep starts at 50 us and doubles up to 1 ms; the
 * wait still gives up after about 10 s, as busy_timeout=10000 did. */
static int busy_wait(void *arg, int count)
{
	(void)arg;
	if (count >= 10000)
		return 0;
	long us = count < 5 ? 50L << count : 1000L;
	struct timespec ts = {0, us * 1000L};
	nanosleep(&ts, NULL);
	return 1;
}

static int sq_connect(const char *target, struct store **out, char *err, size_t errlen)
{
	struct sqlite_conn *c = xcalloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(target, &c->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, c->db ? sqlite3_errmsg(c->db) : "cannot open");
		sqlite3_close(c->db);
		free(c);
		return CSHQ_ERR;
	}
	sqlite3_extended_result_codes(c->db, 1);
	/* WAL lets readers run beside the one writer; the busy handler (busy_wait, set below
	 * in place of this timeout) makes writers queue instead of failing; foreign keys are off
	 * by default in SQLite. */
	const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
	char *msg = NULL;
	if (sqlite3_exec(c->db, setup, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, msg ? msg : "setup failed");
		sqlite3_free(msg);
		sqlite3_close(c->db);
		free(c);
		return CSHQ_ERR;
	}
	sqlite3_busy_handler(c->db, busy_wait, NULL);
	*out = &c->base;
	return CSHQ_OK;
}

static void sq_disconnect(struct store *s)
{
	struct sqlite_conn *c = conn_of(s);
	for (size_t i = 0; i < SQLITE_CACHE_BUCKETS; i++) {
		struct store_stmt *st = c->cache[i];
		while (st) {
			struct store_stmt *next = st->next;
			sqlite3_finalize(st->st);
			free(st->sql);
			free(st);
			st = next;
		}
	}
	sqlite3_close(c->db);
	free(c);
}

static const char *sq_errmsg(const struct store *s)
{
	return conn_of(s)->err;
}

static int sq_exec(struct store *s, const char *sql)
{
	struct sqlite_conn *c = conn_of(s);
	char *msg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(c->err, sizeof(c->err), "%s", msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

static uint32_t hash_text(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int sq_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct sqlite_conn *c = conn_of(s);
	uint32_t b = hash_text(sql) % SQLITE_CACHE_BUCKETS;
	for (struct store_stmt *st = c->cache[b]; st; st = st->next) {
		if (st->sql == sql || strcmp(st->sql, sql) == 0) {
			sqlite3_reset(st->st);
			sqlite3_clear_bindings(st->st);
			st->started = st->done = false;
			st->changes = 0;
			*out = st;
			return CSHQ_OK;
		}
	}
	sqlite3_stmt *raw;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL) != SQLITE_OK) {
		set_err(c);
		return CSHQ_ERR;
	}
	struct store_stmt *st = xcalloc(1, sizeof(*st));
	st->conn = s;
	st->st = raw;
	st->sql = xstrdup(sql);
	int n = sqlite3_bind_parameter_count(raw);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(raw, i);
		if (!name || name[0] != '$')
			continue;
		long k = strtol(name + 1, NULL, 10);
		if (k >= 1 && k <= SQLITE_MAX_PARAMS)
			st->param_index[k] = i;
	}
	st->next = c->cache[b];
	c->cache[b] = st;
	*out = st;
	return CSHQ_OK;
}

static int index_of(struct store_stmt *st, int n)
{
	if (n < 1 || n > SQLITE_MAX_PARAMS || !st->param_index[n])
		return -1;
	return st->param_index[n];
}

static int bind_rc(struct store_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return CSHQ_OK;
	set_err(conn_of(st->conn));
	return CSHQ_ERR;
}

static int sq_bind_int64(struct store_stmt *st, int n, int64_t v)
{
	int i = index_of(st, n);
	return i < 0 ? CSHQ_EINVAL : bind_rc(st, sqlite3_bind_int64(st->st, i, v));
}

static int sq_bind_text(struct store_stmt *st, int n, const char *v, size_t len)
{
	int i = index_of(st, n);
	if (i < 0 || len > INT32_MAX)
		return CSHQ_EINVAL;
	return bind_rc(st, sqlite3_bind_text(st->st, i, v, (int)len, SQLITE_TRANSIENT));
}

static int sq_bind_blob(struct store_stmt *st, int n, const void *v, size_t len)
{
	int i = index_of(st, n);
	if (i < 0 || len > INT32_MAX)
		return CSHQ_EINVAL;
	return bind_rc(st, sqlite3_bind_blob(st->st, i, len ? v : "", (int)len, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct store_stmt *st, int n)
{
	int i = index_of(st, n);
	return i < 0 ? CSHQ_EINVAL : bind_rc(st, sqlite3_bind_null(st->st, i));
}

static int sq_step(struct store_stmt *st)
{
	if (st->done)
		return STORE_DONE;
	st->started = true;
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	struct sqlite_conn *c = conn_of(st->conn);
	if (rc == SQLITE_DONE) {
		st->done = true;
		st->changes = sqlite3_changes64(c->db);
		return STORE_DONE;
	}
	set_err(c);
	sqlite3_reset(st->st);
	st->done = true;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? CSHQ_ECONFLICT : CSHQ_ERR;
}

static int64_t sq_changes(struct store_stmt *st)
{
	return st->changes;
}

static int sq_column_count(struct store_stmt *st)
{
	return sqlite3_column_count(st->st);
}

static bool sq_column_is_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

static const char *sq_column_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

static const void *sq_column_blob(struct store_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, col);
	*len = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

static char *sq_dialect(const char *sql)
{
	static const char *const pairs[][2] = {
		{"ID", "INTEGER PRIMARY KEY"},
		{"INT", "INTEGER"},
		{"BLOB", "BLOB"},
		{"STRICT", "STRICT"},
	};
	return store_expand_tokens(sql, pairs, CSHQ_ARRAY_LEN(pairs));
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.errmsg = sq_errmsg,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.changes = sq_changes,
	.column_count = sq_column_count,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.dialect = sq_dialect,
};
