/* store.c: back-end dispatch, transactions, the connection pool and the migration runner.
 * Everything back-end specific lives in store_sqlite.c and store_pg.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "store/migrations.h"
#include "store/store_impl.h"

/* Every back end's statement starts with a pointer to its connection. */
struct store_stmt {
	struct store *conn;
};

int store_connect(const struct store_config *cfg, struct store **out, char *err, size_t errlen)
{
	const struct store_ops *ops = cfg->backend == STORE_PG ? &store_pg_ops : &store_sqlite_ops;
	*out = NULL;
	int rc = ops->connect(cfg->target, out, err, errlen);
	if (rc != CSHQ_OK)
		return rc;
	(*out)->ops = ops;
	(*out)->in_tx = false;
	return CSHQ_OK;
}

void store_disconnect(struct store *s)
{
	if (s)
		s->ops->disconnect(s);
}

enum store_backend store_backend_of(const struct store *s)
{
	return s->ops == &store_pg_ops ? STORE_PG : STORE_SQLITE;
}

const char *store_backend_name(const struct store *s)
{
	return s->ops->name;
}

const char *store_errmsg(const struct store *s)
{
	const char *m = s->ops->errmsg(s);
	return m ? m : "";
}

/* Transaction control runs as a cached statement on SQLite (sqlite3_exec would parse it
 * again on every request); PostgreSQL takes it as a simple query. */
static int control(struct store *s, const char *sql)
{
	if (s->ops != &store_sqlite_ops)
		return s->ops->exec(s, sql);
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int store_begin(struct store *s, bool write)
{
	const char *sql = "BEGIN";
	if (write && s->ops == &store_sqlite_ops)
		sql = "BEGIN IMMEDIATE";
	int rc = control(s, sql);
	if (rc == CSHQ_OK)
		s->in_tx = true;
	return rc;
}

int store_commit(struct store *s)
{
	int rc = control(s, "COMMIT");
	if (rc != CSHQ_OK)
		control(s, "ROLLBACK");
	s->in_tx = false;
	return rc;
}

int store_rollback(struct store *s)
{
	if (!s->in_tx)
		return CSHQ_OK;
	s->in_tx = false;
	return control(s, "ROLLBACK");
}

bool store_in_transaction(const struct store *s)
{
	return s->in_tx;
}

int store_exec(struct store *s, const char *sql)
{
	return s->ops->exec(s, sql);
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	return s->ops->prepare(s, sql, out);
}

int store_bind_int64(struct store_stmt *st, int n, int64_t v)
{
	return st->conn->ops->bind_int64(st, n, v);
}

int store_bind_text(struct store_stmt *st, int n, const char *v)
{
	if (!v)
		return st->conn->ops->bind_null(st, n);
	return st->conn->ops->bind_text(st, n, v, strlen(v));
}

int store_bind_text_len(struct store_stmt *st, int n, const char *v, size_t len)
{
	return st->conn->ops->bind_text(st, n, v, len);
}

int store_bind_blob(struct store_stmt *st, int n, const void *v, size_t len)
{
	return st->conn->ops->bind_blob(st, n, v, len);
}

int store_bind_null(struct store_stmt *st, int n)
{
	return st->conn->ops->bind_null(st, n);
}

int store_step(struct store_stmt *st)
{
	return st->conn->ops->step(st);
}

int64_t store_changes(struct store_stmt *st)
{
	return st->conn->ops->changes(st);
}

int store_column_count(struct store_stmt *st)
{
	return st->conn->ops->column_count(st);
}

bool store_column_is_null(struct store_stmt *st, int col)
{
	return st->conn->ops->column_is_null(st, col);
}

int64_t store_column_int64(struct store_stmt *st, int col)
{
	return st->conn->ops->column_int64(st, col);
}

const char *store_column_text(struct store_stmt *st, int col)
{
	return st->conn->ops->column_text(st, col);
}

const void *store_column_blob(struct store_stmt *st, int col, size_t *len)
{
	return st->conn->ops->column_blob(st, col, len);
}

int store_query_int64(struct store *s, const char *sql, int64_t *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = store_column_int64(st, 0);
		/* run the statement to its end: a SQLite statement left on a row keeps its read
		 * snapshot open past COMMIT, and the pooled connection would then read stale data
		 * and fail to begin its next write transaction */
		while ((rc = store_step(st)) == STORE_ROW)
			;
		return rc == STORE_DONE ? CSHQ_OK : rc;
	}
	return rc == STORE_DONE ? CSHQ_ENOTFOUND : rc;
}

char *store_expand_tokens(const char *sql, const char *const pairs[][2], size_t npairs)
{
	struct buf b = BUF_INIT(SIZE_MAX / 2);
	const char *p = sql;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			buf_puts(&b, p);
			break;
		}
		buf_append(&b, p, (size_t)(open - p));
		const char *close = strstr(open, "}}");
		if (!close) {
			buf_puts(&b, open);
			break;
		}
		size_t tlen = (size_t)(close - open - 2);
		bool found = false;
		for (size_t i = 0; i < npairs; i++) {
			if (strlen(pairs[i][0]) == tlen && memcmp(pairs[i][0], open + 2, tlen) == 0) {
				buf_puts(&b, pairs[i][1]);
				found = true;
				break;
			}
		}
		if (!found) /* unknown token: keep it, the SQL will fail loudly */
			buf_append(&b, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	return buf_detach(&b, NULL);
}

/* How many migrations are applied, 0 when the store is empty (no schema_migrations yet). */
static int applied_count(struct store *s, int64_t *out)
{
	*out = 0;
	int64_t exists = 0;
	const char *probe = store_backend_of(s) == STORE_PG
				    ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
				      "current_schema() AND table_name = 'schema_migrations'"
				    : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
	int rc = store_query_int64(s, probe, &exists);
	if (rc != CSHQ_OK || !exists)
		return rc;
	return store_query_int64(s, "SELECT count(*) FROM schema_migrations", out);
}

int store_migrate(struct store *s)
{
	/* An up-to-date store needs no DDL at all, so an application role without CREATE
	 * rights can start (deploy/postgresql/roles.sql). */
	int64_t have = 0;
	int rc = applied_count(s, &have);
	if (rc != CSHQ_OK)
		return rc;
	/* by count, not by the highest number: a migration numbered lower than one already
	 * applied (from a branch merged later) must still run */
	if (have >= (int64_t)store_migration_count)
		return CSHQ_OK;
	rc = store_exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
	if (rc != CSHQ_OK)
		return rc;
	for (size_t i = 0; i < store_migration_count; i++) {
		const struct store_migration *m = &store_migrations[i];
		rc = store_begin(s, true);
		if (rc != CSHQ_OK)
			return rc;
		/* Instances starting together on one PostgreSQL take turns (the lock ends with
		 * the transaction); SQLite's BEGIN IMMEDIATE already serialises them. */
		if (store_backend_of(s) == STORE_PG &&
		    (rc = store_exec(s, "SELECT pg_advisory_xact_lock(4242016)")) != CSHQ_OK) {
			store_rollback(s);
			return rc;
		}
		struct store_stmt *st;
		int64_t done = 0;
		rc = store_prepare(s, "SELECT count(*) FROM schema_migrations WHERE version = $1", &st);
		if (rc == CSHQ_OK && (rc = store_bind_int64(st, 1, m->version)) == CSHQ_OK) {
			rc = store_step(st);
			if (rc == STORE_ROW) {
				done = store_column_int64(st, 0);
				rc = CSHQ_OK;
			}
		}
		if (rc == CSHQ_OK && !done) {
			char *sql = s->ops->dialect(m->sql);
			rc = store_exec(s, sql);
			free(sql);
			if (rc != CSHQ_OK)
				fprintf(stderr, "cshq: migration %03d_%s failed: %s\n", m->version, m->name,
					store_errmsg(s));
			if (rc == CSHQ_OK)
				rc = store_prepare(s,
						   "INSERT INTO schema_migrations (version, name, applied_at) "
						   "VALUES ($1, $2, $3)",
						   &st);
			if (rc == CSHQ_OK) {
				store_bind_int64(st, 1, m->version);
				store_bind_text(st, 2, m->name);
				store_bind_int64(st, 3, (int64_t)time(NULL));
				rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
			}
		}
		if (rc != CSHQ_OK) {
			store_rollback(s);
			return rc;
		}
		rc = store_commit(s);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

/* ---- pool ---- */

struct store_pool {
	struct store_config cfg;
	char *target;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store **idle;
	size_t n_idle;
	size_t n_open;
	size_t max;
};

int store_pool_create(const struct store_config *cfg, size_t max, struct store_pool **out,
		      char *err, size_t errlen)
{
	struct store_pool *p = xcalloc(1, sizeof(*p));
	p->target = xstrdup(cfg->target);
	p->cfg.backend = cfg->backend;
	p->cfg.target = p->target;
	p->max = max ? max : 1;
	p->idle = xcalloc(p->max, sizeof(*p->idle));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* Open one connection now so a bad target fails at start, not on the first request. */
	struct store *s;
	int rc = store_connect(&p->cfg, &s, err, errlen);
	if (rc != CSHQ_OK) {
		store_pool_free(p);
		return rc;
	}
	p->idle[p->n_idle++] = s;
	p->n_open = 1;
	*out = p;
	return CSHQ_OK;
}

void store_pool_free(struct store_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_idle; i++)
		store_disconnect(p->idle[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->idle);
	free(p->target);
	free(p);
}

struct store *store_pool_acquire(struct store_pool *p)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->n_idle) {
			struct store *s = p->idle[--p->n_idle];
			pthread_mutex_unlock(&p->mu);
			return s;
		}
		if (p->n_open < p->max) {
			p->n_open++;
			pthread_mutex_unlock(&p->mu);
			struct store *s = NULL;
			char err[256];
			if (store_connect(&p->cfg, &s, err, sizeof(err)) != CSHQ_OK) {
				fprintf(stderr, "cshq: store connection failed: %s\n", err);
				pthread_mutex_lock(&p->mu);
				p->n_open--;
				pthread_cond_signal(&p->cv);
				pthread_mutex_unlock(&p->mu);
				return NULL;
			}
			return s;
		}
		pthread_cond_wait(&p->cv, &p->mu);
	}
}

void store_pool_release(struct store_pool *p, struct store *s)
{
	if (!s)
		return;
	store_rollback(s);
	pthread_mutex_lock(&p->mu);
	p->idle[p->n_idle++] = s;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
