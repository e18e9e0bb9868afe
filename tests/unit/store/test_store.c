/* test_store.c: the store interface, run against both back ends with the same cases so
 * that one SQL text is shown to behave the same on SQLite and PostgreSQL.
 *
 *   test_store sqlite   a fresh SQLite file in a temporary directory
 *   test_store pg       the PostgreSQL database named by CSHQ_TEST_PG (a conninfo), or by
 *                       the first line of the file named by CSHQ_TEST_PG_FILE
 *   test_store          sqlite, then pg if CSHQ_TEST_PG or CSHQ_TEST_PG_FILE is set
 *
 * On PostgreSQL the cases run in a schema of their own, dropped first, so they start from
 * an empty store without touching anything else in the database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/migrations.h"
#include "store/store_batch.h"
#include "store/store.h"
#include "store/store_impl.h"
#include "core/common.h"

#define PG_SCHEMA "cshq_test_store"

static struct store_config cfg;
static char sqlite_dir[64];
static char sqlite_path[128];
static char pg_conninfo[1024];

static struct store *open_store(void)
{
	struct store *s = NULL;
	char err[512];
	int rc = store_connect(&cfg, &s, err, sizeof(err));

	if (rc != CSHQ_OK)
		fail_msg("connect: %s", err);
	if (cfg.backend == STORE_PG)
		assert_int_equal(store_exec(s, "SET search_path TO " PG_SCHEMA), CSHQ_OK);
	return s;
}

/* Test tables use the migration tokens so they are STRICT on SQLite and BIGINT on
 * PostgreSQL, as the real schema is. */
static void exec_portable(struct store *s, const char *sql)
{
	char *x = s->ops->dialect(sql);
	int rc = store_exec(s, x);

	if (rc != CSHQ_OK)
		fail_msg("%s: %s", x, store_errmsg(s));
	free(x);
}

static int setup(void **state)
{
	struct store *s = open_store();

	exec_portable(s, "DROP TABLE IF EXISTS t_item;"
	                 "CREATE TABLE t_item (id {{ID}}, k TEXT NOT NULL UNIQUE, n {{INT}},"
	                 " s TEXT, b {{BLOB}}, CHECK (n IS NULL OR n <> 13)) {{STRICT}};");
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_disconnect(*state);
	return 0;
}

static int64_t count_items(struct store *s)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, "SELECT count(*) FROM t_item", &n), CSHQ_OK);
	return n;
}

/* Inserts one row with key k and integer n, returning its id. */
static int64_t insert_item(struct store *s, const char *k, int64_t n)
{
	struct store_stmt *st;

	assert_int_equal(
	    store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2) RETURNING id", &st),
	    CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, k), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, n), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t id = store_column_int64(st, 0);
	assert_int_equal(store_step(st), STORE_DONE);
	return id;
}

static void test_migrate_empty(void **state)
{
	struct store *s = open_store();
	int64_t n = -1;

	(void)state;
	assert_int_equal(store_migrate(s), CSHQ_OK);
	assert_int_equal(store_query_int64(s, "SELECT count(*) FROM schema_migrations", &n),
	                 CSHQ_OK);
	assert_int_equal(n, (int64_t)store_migration_count);
	/* A second run finds everything applied and changes nothing. */
	assert_int_equal(store_migrate(s), CSHQ_OK);
	assert_int_equal(store_query_int64(s, "SELECT count(*) FROM schema_migrations", &n),
	                 CSHQ_OK);
	assert_int_equal(n, (int64_t)store_migration_count);
	assert_false(store_in_transaction(s));
	store_disconnect(s);
}

static void test_int64(void **state)
{
	struct store *s = *state;
	static const int64_t values[] = {
	    0,
	    -1,
	    1,
	    INT32_MAX,
	    (int64_t)INT32_MAX + 1,
	    -((int64_t)1 << 33),
	    ((int64_t)1 << 40) + 5,
	    INT64_MAX,
	    INT64_MIN,
	};
	struct store_stmt *st;
	char key[32];

	for (size_t i = 0; i < CSHQ_ARRAY_LEN(values); i++) {
		snprintf(key, sizeof(key), "int%zu", i);
		insert_item(s, key, values[i]);
	}
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(values); i++) {
		snprintf(key, sizeof(key), "int%zu", i);
		assert_int_equal(store_prepare(s, "SELECT n FROM t_item WHERE k = $1", &st),
		                 CSHQ_OK);
		assert_int_equal(store_bind_text(st, 1, key), CSHQ_OK);
		assert_int_equal(store_step(st), STORE_ROW);
		assert_int_equal(store_column_count(st), 1);
		assert_false(store_column_is_null(st, 0));
		assert_true(store_column_int64(st, 0) == values[i]);
		assert_int_equal(store_step(st), STORE_DONE);
	}
	/* A bound integer compared with a column, above 2^31. */
	assert_int_equal(store_prepare(s, "SELECT count(*) FROM t_item WHERE n = $1", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 1, ((int64_t)1 << 40) + 5), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 1);
}

static void test_text(void **state)
{
	struct store *s = *state;
	const char *ja = "重要インフラ事業者のインシデント報告（第二報）— 情報セキュリティ";
	struct store_stmt *st;

	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, s) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "ja"), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 2, ja), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);

	/* Only the given length is bound, and an empty string is not NULL. */
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, s) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text_len(st, 1, "prefix-and-more", 6), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 2, ""), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);

	assert_int_equal(store_prepare(s, "SELECT s, length(s) FROM t_item WHERE k = $1", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "ja"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_column_text(st, 0), ja);
	/* Both count characters, not bytes, in a UTF-8 database. */
	assert_int_equal(store_column_int64(st, 1), 33);

	assert_int_equal(store_prepare(s, "SELECT s FROM t_item WHERE k = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "prefix"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_false(store_column_is_null(st, 0));
	assert_string_equal(store_column_text(st, 0), "");

	/* A Japanese parameter in a comparison. */
	assert_int_equal(store_prepare(s, "SELECT k FROM t_item WHERE s = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, ja), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_column_text(st, 0), "ja");
}

static void test_null(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;
	size_t len = 99;

	assert_int_equal(
	    store_prepare(s, "INSERT INTO t_item (k, n, s, b) VALUES ($1, $2, $3, $4)", &st),
	    CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "nulls"), CSHQ_OK);
	assert_int_equal(store_bind_null(st, 2), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 3, NULL), CSHQ_OK);
	/* $4 left unbound: NULL as well. */
	assert_int_equal(store_step(st), STORE_DONE);

	assert_int_equal(store_prepare(s, "SELECT n, s, b FROM t_item WHERE k = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "nulls"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_count(st), 3);
	for (int i = 0; i < 3; i++)
		assert_true(store_column_is_null(st, i));
	assert_int_equal(store_column_int64(st, 0), 0);
	assert_null(store_column_text(st, 1));
	assert_null(store_column_blob(st, 2, &len));
	assert_int_equal(len, 0);

	/* NULL compares as unknown: IS NULL finds it, = $1 with NULL does not. */
	assert_int_equal(store_prepare(s, "SELECT count(*) FROM t_item WHERE n = $1", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_null(st, 1), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 0);
}

static void test_blob(void **state)
{
	struct store *s = *state;
	static const unsigned char small[] = {0, 1, 0, 0xff, '\\', 'x', 0, '\'', 0};
	unsigned char big[70000];
	struct store_stmt *st;
	const void *p;
	size_t len;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 131 + (i >> 8));
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, b) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "small"), CSHQ_OK);
	assert_int_equal(store_bind_blob(st, 2, small, sizeof(small)), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, b) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "big"), CSHQ_OK);
	assert_int_equal(store_bind_blob(st, 2, big, sizeof(big)), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, b) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "empty"), CSHQ_OK);
	assert_int_equal(store_bind_blob(st, 2, "", 0), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);

	/* Two blob columns of one row stay valid together until the next step. */
	assert_int_equal(store_prepare(s,
	                               "SELECT a.b, c.b FROM t_item a, t_item c "
	                               "WHERE a.k = $1 AND c.k = $2",
	                               &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "small"), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 2, "big"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	p = store_column_blob(st, 0, &len);
	const void *q;
	size_t qlen;
	q = store_column_blob(st, 1, &qlen);
	assert_int_equal(len, sizeof(small));
	assert_memory_equal(p, small, sizeof(small));
	assert_int_equal(qlen, sizeof(big));
	assert_memory_equal(q, big, sizeof(big));
	assert_int_equal(store_step(st), STORE_DONE);

	/* An empty blob is not NULL (SQLite may give a NULL pointer for it: check the length). */
	assert_int_equal(store_prepare(s, "SELECT b FROM t_item WHERE k = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "empty"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_false(store_column_is_null(st, 0));
	len = 99;
	store_column_blob(st, 0, &len);
	assert_int_equal(len, 0);

	/* A blob parameter in a comparison. */
	assert_int_equal(store_prepare(s, "SELECT k FROM t_item WHERE b = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_blob(st, 1, small, sizeof(small)), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_column_text(st, 0), "small");
	assert_int_equal(store_step(st), STORE_DONE);
}

static void test_returning(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;
	int64_t a = insert_item(s, "r1", 10);
	int64_t b = insert_item(s, "r2", 20);

	assert_true(a > 0);
	assert_true(b > a);
	assert_int_equal(store_prepare(s,
	                               "UPDATE t_item SET n = n + 1 WHERE k IN ($1, $2) "
	                               "RETURNING k, n",
	                               &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "r1"), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 2, "r2"), CSHQ_OK);
	int rows = 0;
	int64_t sum = 0;
	int rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		rows++;
		sum += store_column_int64(st, 1);
	}
	assert_int_equal(rc, STORE_DONE);
	assert_int_equal(rows, 2);
	assert_int_equal(sum, 32);
	assert_int_equal(store_changes(st), 2);

	assert_int_equal(store_prepare(s, "DELETE FROM t_item WHERE k = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "r1"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);
	assert_int_equal(store_prepare(s, "DELETE FROM t_item WHERE k = $1", &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "r1"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 0);
}

static void test_on_conflict(void **state)
{
	struct store *s = *state;
	const char *sql = "INSERT INTO t_item (k, n) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING "
	                  "RETURNING id";
	struct store_stmt *st;

	assert_int_equal(store_prepare(s, sql, &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "oc"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 1), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);

	assert_int_equal(store_prepare(s, sql, &st), CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "oc"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 2), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 0);

	/* Upsert form. */
	assert_int_equal(store_prepare(s,
	                               "INSERT INTO t_item (k, n) VALUES ($1, $2) ON CONFLICT (k) "
	                               "DO UPDATE SET n = excluded.n",
	                               &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "oc"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 7), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_equal(store_changes(st), 1);
	assert_int_equal(count_items(s), 1);
	int64_t n;
	assert_int_equal(store_query_int64(s, "SELECT n FROM t_item", &n), CSHQ_OK);
	assert_int_equal(n, 7);
}

static void test_constraint_conflict(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;

	insert_item(s, "dup", 1);
	/* unique */
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "dup"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 2), CSHQ_OK);
	assert_int_equal(store_step(st), CSHQ_ECONFLICT);
	assert_true(strlen(store_errmsg(s)) > 0);
	/* not null */
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_null(st, 1), CSHQ_OK);
	assert_int_equal(store_step(st), CSHQ_ECONFLICT);
	/* check */
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "thirteen"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 13), CSHQ_OK);
	assert_int_equal(store_step(st), CSHQ_ECONFLICT);

	/* Other errors are not conflicts, and the connection stays usable after both. */
	assert_int_equal(store_exec(s, "SELECT no_such_column FROM t_item"), CSHQ_ERR);
	assert_true(strlen(store_errmsg(s)) > 0);
	assert_int_equal(count_items(s), 1);
}

static void test_rollback(void **state)
{
	struct store *s = *state;

	assert_int_equal(store_begin(s, true), CSHQ_OK);
	assert_true(store_in_transaction(s));
	insert_item(s, "tx1", 1);
	assert_int_equal(count_items(s), 1);
	assert_int_equal(store_rollback(s), CSHQ_OK);
	assert_false(store_in_transaction(s));
	assert_int_equal(count_items(s), 0);

	assert_int_equal(store_begin(s, true), CSHQ_OK);
	insert_item(s, "tx2", 2);
	assert_int_equal(store_commit(s), CSHQ_OK);
	assert_int_equal(count_items(s), 1);

	/* A conflict inside a transaction: the portable answer is to roll back. */
	assert_int_equal(store_begin(s, true), CSHQ_OK);
	insert_item(s, "tx3", 3);
	struct store_stmt *st;
	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "tx2"), CSHQ_OK);
	assert_int_equal(store_step(st), CSHQ_ECONFLICT);
	assert_int_equal(store_rollback(s), CSHQ_OK);
	assert_int_equal(count_items(s), 1);

	if (cfg.backend == STORE_PG) {
		/* PostgreSQL aborts the whole transaction on an error; COMMIT must then
		 * report failure rather than quietly rolling back. */
		assert_int_equal(store_begin(s, true), CSHQ_OK);
		insert_item(s, "tx4", 4);
		assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, n) VALUES ($1, $2)", &st),
		                 CSHQ_OK);
		assert_int_equal(store_bind_text(st, 1, "tx2"), CSHQ_OK);
		assert_int_equal(store_step(st), CSHQ_ECONFLICT);
		assert_int_not_equal(store_commit(s), CSHQ_OK);
		assert_false(store_in_transaction(s));
		assert_int_equal(count_items(s), 1);
	}
	/* Rollback with nothing open is harmless. */
	assert_int_equal(store_rollback(s), CSHQ_OK);
}

static void test_statement_cache(void **state)
{
	struct store *s = *state;
	const char *sql = "SELECT k, n FROM t_item WHERE n >= $1 ORDER BY n";
	struct store_stmt *a, *b, *c, *inner;
	int rc;

	insert_item(s, "c1", 1);
	insert_item(s, "c2", 2);
	insert_item(s, "c3", 3);
	assert_int_equal(store_prepare(s, sql, &a), CSHQ_OK);
	assert_int_equal(store_prepare(s, sql, &b), CSHQ_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(store_prepare(s, "SELECT k FROM t_item WHERE n = $1", &c), CSHQ_OK);
	assert_ptr_not_equal(a, c);

	/* Reuse after a partial iteration: reset, bindings cleared. */
	assert_int_equal(store_bind_int64(a, 1, 2), CSHQ_OK);
	assert_int_equal(store_step(a), STORE_ROW);
	assert_string_equal(store_column_text(a, 0), "c2");
	assert_int_equal(store_prepare(s, sql, &a), CSHQ_OK);
	assert_int_equal(store_bind_int64(a, 1, 1), CSHQ_OK);
	assert_int_equal(store_step(a), STORE_ROW);
	assert_string_equal(store_column_text(a, 0), "c1");
	/* Unbound after reuse means NULL: nothing is >= NULL. */
	assert_int_equal(store_prepare(s, sql, &a), CSHQ_OK);
	assert_int_equal(store_step(a), STORE_DONE);

	/* One statement iterated while another runs on the same connection. */
	int rows = 0;
	assert_int_equal(store_prepare(s, sql, &a), CSHQ_OK);
	assert_int_equal(store_bind_int64(a, 1, 1), CSHQ_OK);
	while ((rc = store_step(a)) == STORE_ROW) {
		int64_t n = store_column_int64(a, 1);
		assert_int_equal(store_prepare(s, "SELECT k FROM t_item WHERE n = $1", &inner),
		                 CSHQ_OK);
		assert_int_equal(store_bind_int64(inner, 1, n), CSHQ_OK);
		assert_int_equal(store_step(inner), STORE_ROW);
		assert_string_equal(store_column_text(inner, 0), store_column_text(a, 0));
		rows++;
	}
	assert_int_equal(rc, STORE_DONE);
	assert_int_equal(rows, 3);

	/* Errors at prepare time are reported and not cached. */
	assert_int_equal(store_prepare(s, "SELEC nonsense", &a), CSHQ_ERR);
	assert_true(strlen(store_errmsg(s)) > 0);
	assert_int_equal(store_prepare(s, "SELEC nonsense", &a), CSHQ_ERR);

	/* Binding outside $1..$N is refused. */
	assert_int_equal(store_prepare(s, sql, &a), CSHQ_OK);
	assert_int_not_equal(store_bind_int64(a, 2, 1), CSHQ_OK);
	assert_int_not_equal(store_bind_int64(a, 0, 1), CSHQ_OK);
}

static void test_param_twice(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;

	assert_int_equal(store_prepare(s, "INSERT INTO t_item (k, s) VALUES ($1, $1)", &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "same"), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_DONE);
	/* $2 before $1, $1 twice, and a '$3' in a literal that is not a parameter. */
	assert_int_equal(store_prepare(s,
	                               "SELECT k, '$3' FROM t_item WHERE n IS NULL AND "
	                               "(k = $1 OR s = $1) AND length(k) > $2",
	                               &st),
	                 CSHQ_OK);
	assert_int_equal(store_bind_text(st, 1, "same"), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 2, 1), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_string_equal(store_column_text(st, 0), "same");
	assert_string_equal(store_column_text(st, 1), "$3");
	assert_int_equal(store_step(st), STORE_DONE);
	assert_int_not_equal(store_bind_int64(st, 3, 1), CSHQ_OK);
}

static void test_exec_multi(void **state)
{
	struct store *s = *state;
	int64_t n = 0;

	exec_portable(s, "INSERT INTO t_item (k, n) VALUES ('m1', 1);"
	                 "INSERT INTO t_item (k, n) VALUES ('m2', 2);"
	                 "UPDATE t_item SET n = n * 10;");
	assert_int_equal(store_query_int64(s, "SELECT sum(n) FROM t_item", &n), CSHQ_OK);
	assert_int_equal(n, 30);
	assert_int_equal(store_query_int64(s, "SELECT n FROM t_item WHERE k = 'none'", &n),
	                 CSHQ_ENOTFOUND);
}

static void test_pool(void **state)
{
	struct store_pool *p = NULL;
	char err[256];

	(void)state;
	assert_int_equal(store_pool_create(&cfg, 2, &p, err, sizeof(err)), CSHQ_OK);
	struct store *a = store_pool_acquire(p);
	struct store *b = store_pool_acquire(p);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(store_begin(a, true), CSHQ_OK);
	/* Release rolls back what was left open. */
	store_pool_release(p, a);
	a = store_pool_acquire(p);
	assert_false(store_in_transaction(a));
	assert_string_equal(store_backend_name(a),
	                    cfg.backend == STORE_PG ? "postgresql" : "sqlite");
	store_pool_release(p, a);
	store_pool_release(p, b);
	store_pool_free(p);
}

static void test_batch(void **state)
{
	struct store *s = *state;
	const char *sql = "INSERT INTO t_item (k, n, b) VALUES ($1, $2, $3)";
	struct store_batch *b = NULL;
	int64_t changes = -1, n = 0;
	char key[32];
	int rc = CSHQ_OK;

	/* Outside a transaction the outcome would differ between back ends. */
	assert_int_equal(store_batch_begin(s, sql, &b), CSHQ_EINVAL);
	assert_null(b);

	/* More rows than one pipeline window. */
	assert_int_equal(store_begin(s, true), CSHQ_OK);
	assert_int_equal(store_batch_begin(s, sql, &b), CSHQ_OK);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "b%d", i);
		assert_int_equal(store_bind_text(store_batch_stmt(b), 1, key), CSHQ_OK);
		assert_int_equal(store_bind_int64(store_batch_stmt(b), 2, ((int64_t)1 << 35) + i),
		                 CSHQ_OK);
		assert_int_equal(store_bind_blob(store_batch_stmt(b), 3, "\0\1", 2), CSHQ_OK);
		assert_int_equal(store_batch_add(b), CSHQ_OK);
	}
	assert_int_equal(store_batch_end(b, &changes), CSHQ_OK);
	assert_int_equal(changes, 1000);
	assert_int_equal(store_commit(s), CSHQ_OK);
	assert_int_equal(count_items(s), 1000);
	assert_int_equal(store_query_int64(s, "SELECT n FROM t_item WHERE k = 'b999'", &n),
	                 CSHQ_OK);
	assert_true(n == ((int64_t)1 << 35) + 999);

	/* A conflict in the middle: reported, and the transaction undoes the whole batch. */
	assert_int_equal(store_begin(s, true), CSHQ_OK);
	assert_int_equal(store_batch_begin(s, sql, &b), CSHQ_OK);
	for (int i = 0; i < 600 && rc == CSHQ_OK; i++) {
		snprintf(key, sizeof(key), i == 300 ? "b5" : "c%d", i);
		assert_int_equal(store_bind_text(store_batch_stmt(b), 1, key), CSHQ_OK);
		rc = store_batch_add(b);
	}
	assert_int_equal(store_batch_end(b, NULL), CSHQ_ECONFLICT);
	assert_int_equal(store_rollback(s), CSHQ_OK);
	assert_int_equal(count_items(s), 1000);

	/* The connection is back to normal use, and an empty batch is fine. */
	assert_int_equal(store_begin(s, true), CSHQ_OK);
	assert_int_equal(store_batch_begin(s, sql, &b), CSHQ_OK);
	assert_int_equal(store_batch_end(b, &changes), CSHQ_OK);
	assert_int_equal(changes, 0);
	insert_item(s, "after", 1);
	assert_int_equal(store_commit(s), CSHQ_OK);
	assert_int_equal(count_items(s), 1001);
	assert_int_equal(store_batch_end(NULL, NULL), CSHQ_OK);
}

/* PostgreSQL only: the per-connection statement cache has a hard cap. */
static void test_pg_cache_cap(void **state)
{
	struct store *s = open_store();
	struct store_stmt *st;
	char sql[64];
	int rc = CSHQ_OK;
	int i;

	(void)state;
	for (i = 0; i < 10000 && rc == CSHQ_OK; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		rc = store_prepare(s, sql, &st);
	}
	assert_int_equal(rc, CSHQ_ELIMIT);
	assert_int_equal(i, 513);
	/* Texts already cached are still served. */
	assert_int_equal(store_prepare(s, "SELECT 7", &st), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 7);
	store_disconnect(s);
}

/* PostgreSQL only: results convert the way SQLite's do for the portable subset. */
static void test_pg_types(void **state)
{
	struct store *s = *state;
	struct store_stmt *st;
	size_t len;

	assert_int_equal(store_prepare(s, "SELECT 1 = 1, 1 = 2, 'abc'", &st), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 1);
	assert_int_equal(store_column_int64(st, 1), 0);
	const char *p = store_column_blob(st, 2, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "abc", 3);
	int64_t n = 0;
	assert_int_equal(
	    store_query_int64(s,
	                      "SELECT count(*) FROM pg_settings WHERE name = 'TimeZone' "
	                      "AND setting = 'UTC'",
	                      &n),
	    CSHQ_OK);
	assert_int_equal(n, 1);
}

/* PostgreSQL only: a connection whose server session ended (restart, fail-over) is
 * reconnected at the start of the next transaction, cached statements included. */
static void test_pg_reconnect(void **state)
{
	struct store *s = open_store();
	struct store *killer = open_store();
	struct store_stmt *st;
	int64_t pid = 0, pid2 = 0;

	(void)state;
	assert_int_equal(store_query_int64(s, "SELECT pg_backend_pid()", &pid), CSHQ_OK);
	assert_int_equal(store_prepare(s, "SELECT $1 + 1", &st), CSHQ_OK);
	assert_int_equal(store_prepare(killer, "SELECT pg_terminate_backend($1)", &st), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 1, pid), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 1);
	/* The termination is asynchronous: wait until the session is gone. */
	for (int i = 0; i < 100; i++) {
		int64_t alive = 1;
		assert_int_equal(
		    store_prepare(killer, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
		                  &st),
		    CSHQ_OK);
		assert_int_equal(store_bind_int64(st, 1, pid), CSHQ_OK);
		assert_int_equal(store_step(st), STORE_ROW);
		alive = store_column_int64(st, 0);
		if (!alive)
			break;
		usleep(20000);
	}
	assert_int_equal(store_begin(s, false), CSHQ_OK);
	assert_int_equal(store_query_int64(s, "SELECT pg_backend_pid()", &pid2), CSHQ_OK);
	assert_true(pid2 != pid);
	assert_int_equal(store_prepare(s, "SELECT $1 + 1", &st), CSHQ_OK);
	assert_int_equal(store_bind_int64(st, 1, 41), CSHQ_OK);
	assert_int_equal(store_step(st), STORE_ROW);
	assert_int_equal(store_column_int64(st, 0), 42);
	assert_int_equal(store_commit(s), CSHQ_OK);
	/* Session settings are applied again. */
	assert_int_equal(store_query_int64(s,
	                                   "SELECT count(*) FROM pg_settings WHERE name = "
	                                   "'TimeZone' AND setting = 'UTC'",
	                                   &pid2),
	                 CSHQ_OK);
	assert_int_equal(pid2, 1);
	store_disconnect(killer);
	store_disconnect(s);
}

static int read_first_line(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(out, (int)outlen, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int run_sqlite(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate_empty),
	    cmocka_unit_test_setup_teardown(test_int64, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blob, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_returning, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_on_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_constraint_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_param_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exec_multi, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
	    cmocka_unit_test(test_pool),
	};
	char err[512];
	struct store *s;
	int failed;

	snprintf(sqlite_dir, sizeof(sqlite_dir), "/tmp/cshq-test-store.XXXXXX");
	if (!mkdtemp(sqlite_dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sqlite_path, sizeof(sqlite_path), "%s/store.db", sqlite_dir);
	cfg.backend = STORE_SQLITE;
	cfg.target = sqlite_path;
	/* Fail early with the reason if the back end cannot open at all. */
	if (store_connect(&cfg, &s, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "sqlite: %s\n", err);
		return 1;
	}
	store_disconnect(s);
	failed = cmocka_run_group_tests_name("store_sqlite", tests, NULL, NULL);
	/* The database file and its WAL companions. */
	const char *suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(suffixes); i++) {
		char f[160];
		snprintf(f, sizeof(f), "%s%s", sqlite_path, suffixes[i]);
		unlink(f);
	}
	rmdir(sqlite_dir);
	return failed;
}

static int run_pg(const char *conninfo)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate_empty),
	    cmocka_unit_test_setup_teardown(test_int64, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blob, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_returning, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_on_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_constraint_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_param_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exec_multi, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
	    cmocka_unit_test(test_pool),
	    cmocka_unit_test(test_pg_cache_cap),
	    cmocka_unit_test(test_pg_reconnect),
	    cmocka_unit_test_setup_teardown(test_pg_types, setup, teardown),
	};
	char err[512];
	struct store *s;

	snprintf(pg_conninfo, sizeof(pg_conninfo), "%s", conninfo);
	cfg.backend = STORE_PG;
	cfg.target = pg_conninfo;
	if (store_connect(&cfg, &s, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "postgresql: %s\n", err);
		return 1;
	}
	/* An empty schema of our own for this run. */
	if (store_exec(s, "DROP SCHEMA IF EXISTS " PG_SCHEMA
	                  " CASCADE; CREATE SCHEMA " PG_SCHEMA) != CSHQ_OK) {
		fprintf(stderr, "postgresql: %s\n", store_errmsg(s));
		store_disconnect(s);
		return 1;
	}
	store_disconnect(s);
	return cmocka_run_group_tests_name("store_pg", tests, NULL, NULL);
}

/* The conninfo from CSHQ_TEST_PG, else from the file CSHQ_TEST_PG_FILE; NULL if neither. */
static const char *pg_target(char *buf, size_t buflen)
{
	const char *v = getenv("CSHQ_TEST_PG");
	const char *file = getenv("CSHQ_TEST_PG_FILE");

	if (v && *v)
		return v;
	if (file && *file) {
		if (read_first_line(file, buf, buflen) != 0) {
			fprintf(stderr, "cannot read a conninfo from %s\n", file);
			return NULL;
		}
		return buf;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "all";
	char buf[1024];
	const char *conninfo = pg_target(buf, sizeof(buf));
	int failed = 0;

	if (strcmp(which, "sqlite") == 0 || strcmp(which, "all") == 0)
		failed += run_sqlite();
	if (strcmp(which, "pg") == 0) {
		if (!conninfo) {
			fprintf(stderr, "test_store pg: set CSHQ_TEST_PG or CSHQ_TEST_PG_FILE\n");
			return 1;
		}
		failed += run_pg(conninfo);
	} else if (strcmp(which, "all") == 0 && conninfo) {
		failed += run_pg(conninfo);
	}
	return failed ? 1 : 0;
}
