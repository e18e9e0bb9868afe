/* store_pg.c: the PostgreSQL back end of the store interface, on libpq.
 *
 * Each connection keeps its own cache of server-side prepared statements keyed by the
 * SQL text, so a hot query is parsed and planned once per connection. Parameters go
 * as text (integers, text) or binary (blobs); results come back as text and are
 * converted on access. A statement's whole result is fetched on its first step: that
 * keeps the connection free while the caller iterates, so nested queries on the same
 * connection (for each row of A, run B) work as they do with SQLite. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_batch.h"
#include "store/store_impl.h"
#include "core/common.h"

/* Beyond this many distinct SQL texts a connection refuses to prepare more: the
 * program has a fixed set of queries, so reaching it means SQL is being built from
 * data, which is a bug to surface rather than a cache to grow without bound. */
#define PG_STMT_CACHE_MAX 512
/* The protocol carries the parameter count in 16 bits. */
#define PG_PARAMS_MAX 65535
/* OID of bytea in pg_type (fixed since the first releases; see pg_type.dat). */
#define PG_BYTEA_OID 17
/* SQLSTATE class 23: integrity constraint violation (unique, foreign key, check, not null). */
#define PG_SQLSTATE_CLASS_INTEGRITY "23"

/* store.c reaches the connection of a statement through its first member. */
struct store_stmt {
	struct store *conn;
	char *sql;
	char name[16]; /* server-side name: "s1", "s2", ... */
	int nparams;
	/* Bindings: values are owned copies; NULL value means SQL NULL. */
	char **values;
	int *lengths;
	int *formats;
	PGresult *res; /* NULL before the first step and after an error */
	bool executed;
	int row; /* current row, -1 before the first */
	int nrows;
	int64_t changes;
	unsigned gen; /* connection generation it was prepared in */
	/* Unescaped bytea of the current row, one slot per column, freed on the next step. */
	unsigned char **blobs;
	size_t *blob_lens;
	int nblobs;
};

struct pg_store {
	struct store base; /* must be first: store.c sees only this header */
	PGconn *conn;
	char err[1024];
	/* Statement cache sorted by SQL text, searched by bisection. */
	struct store_stmt **stmts;
	size_t nstmts;
	unsigned next_id;
	unsigned gen; /* bumped on reconnect: server-side statements are gone */
};

static struct pg_store *pg_of(struct store *s)
{
	return (struct pg_store *)s;
}

static void set_err(struct pg_store *c, const char *msg)
{
	size_t n;

	snprintf(c->err, sizeof(c->err), "%s", msg && *msg ? msg : "unknown PostgreSQL error");
	/* libpq messages end with a newline; callers embed them in their own lines. */
	n = strlen(c->err);
	while (n > 0 && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
		c->err[--n] = '\0';
}

static void set_errf(struct pg_store *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_errf(struct pg_store *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

/* Maps a failed result to a status and keeps its message for errmsg. */
static int result_error(struct pg_store *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	set_err(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn));
	if (state && strncmp(state, PG_SQLSTATE_CLASS_INTEGRITY, 2) == 0)
		return CSHQ_ECONFLICT;
	return CSHQ_ERR;
}

/* Server notices (for example "relation already exists, skipping") would otherwise be
 * printed on stderr by libpq; they carry nothing the caller acts on. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Session settings, applied on connect and again after a reconnect. Text crosses the
 * interface as UTF-8 and times as epoch integers computed in UTC, whatever the server's
 * or the role's defaults are. */
static int session_setup(struct pg_store *c)
{
	PGresult *res;
	int rc = CSHQ_OK;

	if (PQsetClientEncoding(c->conn, "UTF8") != 0) {
		set_err(c, PQerrorMessage(c->conn));
		return CSHQ_ERR;
	}
	res = PQexec(c->conn, "SET TIME ZONE 'UTC'");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_error(c, res);
	PQclear(res);
	return rc;
}

/* A connection broken by a server restart or a fail-over would otherwise stay broken in
 * the pool for good. Between transactions nothing is lost by reconnecting; statements
 * prepared before are prepared again on their next execution (see gen). Returns true
 * if the connection was broken and is usable again. */
static bool revive(struct pg_store *c)
{
	if (c->base.in_tx || PQstatus(c->conn) != CONNECTION_BAD)
		return false;
	PQreset(c->conn);
	if (PQstatus(c->conn) != CONNECTION_OK) {
		set_err(c, PQerrorMessage(c->conn));
		return false;
	}
	if (session_setup(c) != CSHQ_OK)
		return false;
	c->gen++;
	return true;
}

static int pg_connect(const char *target, struct store **out, char *err, size_t errlen)
{
	struct pg_store *c;

	*out = NULL;
	c = xcalloc(1, sizeof(*c));
	c->base.ops = &store_pg_ops;
	c->conn = PQconnectdb(target ? target : "");
	if (!c->conn) {
		/* libpq returns NULL only when it cannot allocate its connection object. */
		snprintf(err, errlen, "postgresql: out of memory");
		free(c);
		return CSHQ_ERR;
	}
	if (PQstatus(c->conn) != CONNECTION_OK) {
		set_err(c, PQerrorMessage(c->conn));
		snprintf(err, errlen, "postgresql: %s", c->err);
		goto fail;
	}
	PQsetNoticeProcessor(c->conn, ignore_notice, NULL);
	if (session_setup(c) != CSHQ_OK) {
		snprintf(err, errlen, "postgresql: %s", c->err);
		goto fail;
	}
	*out = &c->base;
	return CSHQ_OK;
fail:
	PQfinish(c->conn);
	free(c);
	return CSHQ_ERR;
}

static void clear_blobs(struct store_stmt *st)
{
	for (int i = 0; i < st->nblobs; i++) {
		PQfreemem(st->blobs[i]);
		st->blobs[i] = NULL;
	}
}

static void clear_result(struct store_stmt *st)
{
	clear_blobs(st);
	PQclear(st->res);
	st->res = NULL;
	st->executed = false;
	st->row = -1;
	st->nrows = 0;
	st->changes = 0;
}

static void clear_bindings(struct store_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static void stmt_free(struct store_stmt *st)
{
	if (!st)
		return;
	clear_result(st);
	clear_bindings(st);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->blobs);
	free(st->blob_lens);
	free(st->sql);
	free(st);
}

static void pg_disconnect(struct store *s)
{
	struct pg_store *c = pg_of(s);

	if (!c)
		return;
	for (size_t i = 0; i < c->nstmts; i++)
		stmt_free(c->stmts[i]);
	free(c->stmts);
	/* Prepared statements live in the server session and end with it. */
	PQfinish(c->conn);
	free(c);
}

static const char *pg_errmsg(const struct store *s)
{
	return ((const struct pg_store *)s)->err;
}

static int pg_exec(struct store *s, const char *sql)
{
	struct pg_store *c = pg_of(s);
	PGresult *res;
	ExecStatusType status;
	int rc = CSHQ_OK;

	revive(c);
	res = PQexec(c->conn, sql);
	status = PQresultStatus(res);
	/* A dead connection is often noticed only when used. BEGIN has no effect to
	 * duplicate, so it is retried once on a fresh connection: each request starts
	 * with it, which makes a server restart invisible to the next request. */
	if (status == PGRES_FATAL_ERROR && strcmp(sql, "BEGIN") == 0 && revive(c)) {
		PQclear(res);
		res = PQexec(c->conn, sql);
		status = PQresultStatus(res);
	}

	/* With several statements PQexec returns the last result, or the first error. */
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
	    status != PGRES_EMPTY_QUERY) {
		rc = result_error(c, res);
	} else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		/* After an error inside a transaction PostgreSQL answers COMMIT with a
		 * successful ROLLBACK; reporting success would lose the writes silently. */
		set_err(c, "transaction rolled back: a statement in it had failed");
		rc = CSHQ_ERR;
	}
	PQclear(res);
	return rc;
}

static bool is_ident_char(char ch)
{
	return ch == '_' || ch == '$' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= 'A' && ch <= 'Z') || (unsigned char)ch >= 0x80;
}

/* Returns the highest $N in sql, or -1 if a number is out of range. Quoted strings,
 * quoted identifiers and comments are skipped so that a '$1' inside them is not
 * counted; a $ inside an identifier (allowed by PostgreSQL) is not a parameter. */
static int count_params(const char *sql)
{
	int max = 0;
	const char *p = sql;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			/* E'' strings may escape the quote with a backslash. */
			bool backslash = q == '\'' && p - 2 >= sql &&
			                 (p[-2] == 'E' || p[-2] == 'e') &&
			                 !(p - 3 >= sql && is_ident_char(p[-3]));

			while (*p) {
				if (backslash && *p == '\\' && p[1]) {
					p += 2;
				} else if (*p == q && p[1] == q) {
					p += 2; /* doubled quote */
				} else if (*p == q) {
					p++;
					break;
				} else {
					p++;
				}
			}
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9' &&
		           !(p > sql && is_ident_char(p[-1]))) {
			long n = 0;

			for (p++; *p >= '0' && *p <= '9'; p++) {
				n = n * 10 + (*p - '0');
				if (n > PG_PARAMS_MAX)
					return -1;
			}
			if (n > max)
				max = (int)n;
		} else {
			p++;
		}
	}
	return max;
}

/* Bisection over the sorted cache: the index of sql, or where it would be inserted. */
static size_t cache_find(const struct pg_store *c, const char *sql, bool *found)
{
	size_t lo = 0, hi = c->nstmts;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->stmts[mid]->sql, sql);

		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int server_prepare(struct pg_store *c, struct store_stmt *st)
{
	/* Parameter types are left to the server to infer from the context. */
	PGresult *res = PQprepare(c->conn, st->name, st->sql, st->nparams, NULL);
	int rc = CSHQ_OK;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = result_error(c, res);
	PQclear(res);
	return rc;
}

static int pg_prepare(struct store *s, const char *sql, struct store_stmt **out)
{
	struct pg_store *c = pg_of(s);
	struct store_stmt *st;
	bool found;
	size_t at = cache_find(c, sql, &found);
	int nparams;
	int rc;

	*out = NULL;
	revive(c);
	if (found) {
		st = c->stmts[at];
		clear_result(st);
		clear_bindings(st);
		*out = st;
		return CSHQ_OK;
	}
	if (c->nstmts >= PG_STMT_CACHE_MAX) {
		set_errf(c, "statement cache full (%d distinct SQL texts on one connection)",
		         PG_STMT_CACHE_MAX);
		return CSHQ_ELIMIT;
	}
	nparams = count_params(sql);
	if (nparams < 0) {
		set_err(c, "parameter number out of range");
		return CSHQ_EINVAL;
	}

	st = xcalloc(1, sizeof(*st));
	st->conn = &c->base;
	st->sql = xstrdup(sql);
	st->nparams = nparams;
	st->row = -1;
	snprintf(st->name, sizeof(st->name), "s%u", ++c->next_id);
	if (nparams > 0) {
		st->values = xcalloc((size_t)nparams, sizeof(*st->values));
		st->lengths = xcalloc((size_t)nparams, sizeof(*st->lengths));
		st->formats = xcalloc((size_t)nparams, sizeof(*st->formats));
	}
	st->gen = c->gen;
	rc = server_prepare(c, st);
	if (rc != CSHQ_OK && revive(c)) {
		st->gen = c->gen;
		rc = server_prepare(c, st); /* preparing has no effect to duplicate */
	}
	if (rc != CSHQ_OK) {
		stmt_free(st);
		return rc;
	}

	if (c->nstmts % 16 == 0)
		c->stmts = xrealloc(c->stmts, (c->nstmts + 16) * sizeof(*c->stmts));
	memmove(&c->stmts[at + 1], &c->stmts[at], (c->nstmts - at) * sizeof(*c->stmts));
	c->stmts[at] = st;
	c->nstmts++;
	*out = st;
	return CSHQ_OK;
}

/* Validates n and releases the previous value of parameter n; returns its index. */
static int bind_slot(struct store_stmt *st, int n)
{
	if (n < 1 || n > st->nparams) {
		set_errf(pg_of(st->conn),
		         "bind index %d out of range (statement has %d parameters)", n,
		         st->nparams);
		return -1;
	}
	free(st->values[n - 1]);
	st->values[n - 1] = NULL;
	st->lengths[n - 1] = 0;
	st->formats[n - 1] = 0;
	return n - 1;
}

static int pg_bind_int64(struct store_stmt *st, int n, int64_t v)
{
	char buf[24];
	int i = bind_slot(st, n);

	if (i < 0)
		return CSHQ_EINVAL;
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	st->values[i] = xstrdup(buf);
	return CSHQ_OK;
}

static int pg_bind_text(struct store_stmt *st, int n, const char *v, size_t len)
{
	int i = bind_slot(st, n);

	if (i < 0)
		return CSHQ_EINVAL;
	/* Text-format parameters are NUL-terminated; a NUL cannot occur in PostgreSQL
	 * text anyway, so refusing it is better than truncating silently. */
	if (v && memchr(v, '\0', len)) {
		set_errf(pg_of(st->conn), "text parameter $%d contains a NUL byte", n);
		return CSHQ_EINVAL;
	}
	if (v)
		st->values[i] = xstrndup(v, len);
	return CSHQ_OK;
}

static int pg_bind_blob(struct store_stmt *st, int n, const void *v, size_t len)
{
	int i = bind_slot(st, n);

	if (i < 0)
		return CSHQ_EINVAL;
	if (!v)
		return CSHQ_OK; /* as SQLite does: a NULL pointer binds SQL NULL */
	if (len > INT32_MAX) {
		set_errf(pg_of(st->conn), "blob parameter $%d too large", n);
		return CSHQ_ELIMIT;
	}
	/* Binary format sends the bytes as they are, zeros included, without escaping. */
	st->values[i] = xmalloc(len);
	if (len)
		memcpy(st->values[i], v, len);
	st->lengths[i] = (int)len;
	st->formats[i] = 1;
	return CSHQ_OK;
}

static int pg_bind_null(struct store_stmt *st, int n)
{
	return bind_slot(st, n) < 0 ? CSHQ_EINVAL : CSHQ_OK;
}

static int pg_step(struct store_stmt *st)
{
	struct pg_store *c = pg_of(st->conn);

	if (!st->executed) {
		ExecStatusType status;
		const char *cmd;

		st->executed = true;
		if (st->gen != c->gen) {
			int rc = server_prepare(c, st);

			if (rc != CSHQ_OK)
				return rc;
			st->gen = c->gen;
		}
		st->res =
		    PQexecPrepared(c->conn, st->name, st->nparams, (const char *const *)st->values,
		                   st->lengths, st->formats, 0);
		status = PQresultStatus(st->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			int rc = result_error(c, st->res);

			PQclear(st->res);
			st->res = NULL;
			return rc;
		}
		st->nrows = PQntuples(st->res);
		/* PQcmdTuples counts rows for SELECT too; only data changes count here. */
		cmd = PQcmdStatus(st->res);
		if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
		    strncmp(cmd, "DELETE", 6) == 0 || strncmp(cmd, "MERGE", 5) == 0)
			st->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
		if (st->nrows > 0) {
			int nf = PQnfields(st->res);

			if (nf > st->nblobs) {
				st->blobs = xrealloc(st->blobs, (size_t)nf * sizeof(*st->blobs));
				st->blob_lens =
				    xrealloc(st->blob_lens, (size_t)nf * sizeof(*st->blob_lens));
				for (int i = st->nblobs; i < nf; i++) {
					st->blobs[i] = NULL;
					st->blob_lens[i] = 0;
				}
				st->nblobs = nf;
			}
		}
	}
	clear_blobs(st);
	if (!st->res || st->row >= st->nrows)
		return STORE_DONE;
	st->row++;
	return st->row < st->nrows ? STORE_ROW : STORE_DONE;
}

static int64_t pg_changes(struct store_stmt *st)
{
	return st->changes;
}

static bool on_row(const struct store_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

static int pg_column_count(struct store_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static bool pg_column_is_null(struct store_stmt *st, int col)
{
	return !on_row(st, col) || PQgetisnull(st->res, st->row, col);
}

static int64_t pg_column_int64(struct store_stmt *st, int col)
{
	const char *v;

	if (pg_column_is_null(st, col))
		return 0;
	v = PQgetvalue(st->res, st->row, col);
	/* Comparisons and EXISTS are boolean in PostgreSQL but 0/1 in SQLite; reading
	 * them as integers keeps one SQL text working on both. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_column_text(struct store_stmt *st, int col)
{
	if (pg_column_is_null(st, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static const void *pg_column_blob(struct store_stmt *st, int col, size_t *len)
{
	const char *v;

	*len = 0;
	if (pg_column_is_null(st, col))
		return NULL;
	v = PQgetvalue(st->res, st->row, col);
	/* Other types read as blobs give their text form, as SQLite does. */
	if (PQftype(st->res, col) != PG_BYTEA_OID) {
		*len = (size_t)PQgetlength(st->res, st->row, col);
		return v;
	}
	if (!st->blobs[col]) {
		st->blobs[col] = PQunescapeBytea((const unsigned char *)v, &st->blob_lens[col]);
		if (!st->blobs[col]) {
			/* Only fails when it cannot allocate: same policy as xmalloc. */
			fprintf(stderr, "cshq: out of memory unescaping bytea\n");
			abort();
		}
	}
	*len = st->blob_lens[col];
	return st->blobs[col];
}

static char *pg_dialect(const char *sql)
{
	static const char *const pairs[][2] = {
	    {"ID", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
	    {"INT", "BIGINT"},
	    {"BLOB", "BYTEA"},
	    {"STRICT", ""},
	};

	return store_expand_tokens(sql, pairs, CSHQ_ARRAY_LEN(pairs));
}

/* Pipeline mode for store_batch.c: executions are sent without waiting, and their
 * answers read at each sync. */
int store_pg_batch_begin(struct store_stmt *st)
{
	struct pg_store *c = pg_of(st->conn);

	clear_result(st);
	/* Synchronous calls are not allowed in pipeline mode: prepare again first if a
	 * reconnect dropped the server-side statement. */
	if (st->gen != c->gen) {
		int rc = server_prepare(c, st);

		if (rc != CSHQ_OK)
			return rc;
		st->gen = c->gen;
	}
	if (PQenterPipelineMode(c->conn) != 1) {
		set_err(c, PQerrorMessage(c->conn));
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

int store_pg_batch_send(struct store_stmt *st)
{
	struct pg_store *c = pg_of(st->conn);
	int ok = PQsendQueryPrepared(c->conn, st->name, st->nparams,
	                             (const char *const *)st->values, st->lengths, st->formats, 0);

	clear_bindings(st);
	if (ok != 1) {
		set_err(c, PQerrorMessage(c->conn));
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

int store_pg_batch_sync(struct store_stmt *st, int64_t *changes)
{
	struct pg_store *c = pg_of(st->conn);
	int rc = CSHQ_OK;
	bool after_null = false;

	if (PQpipelineSync(c->conn) != 1) {
		set_err(c, PQerrorMessage(c->conn));
		return CSHQ_ERR;
	}
	/* Each execution's results end with a NULL; the sync point has a result of its
	 * own. Two NULLs in a row mean nothing more will come (connection lost). */
	for (;;) {
		PGresult *res = PQgetResult(c->conn);
		ExecStatusType status;

		if (!res) {
			if (after_null) {
				if (rc == CSHQ_OK) {
					set_err(c, PQerrorMessage(c->conn));
					rc = CSHQ_ERR;
				}
				break;
			}
			after_null = true;
			continue;
		}
		after_null = false;
		status = PQresultStatus(res);
		if (status == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
			*changes += strtoll(PQcmdTuples(res), NULL, 10);
		else if (status != PGRES_PIPELINE_ABORTED && rc == CSHQ_OK)
			rc = result_error(c, res); /* the first error; the rest were skipped */
		PQclear(res);
	}
	return rc;
}

int store_pg_batch_end(struct store_stmt *st)
{
	struct pg_store *c = pg_of(st->conn);

	if (PQexitPipelineMode(c->conn) != 1) {
		set_err(c, PQerrorMessage(c->conn));
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .changes = pg_changes,
    .column_count = pg_column_count,
    .column_is_null = pg_column_is_null,
    .column_int64 = pg_column_int64,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .dialect = pg_dialect,
};
