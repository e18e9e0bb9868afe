/* store_batch.c: batches of executions of one statement (see store_batch.h): PostgreSQL
 * pipeline mode through the hooks in store_pg.c, a plain loop on SQLite. */
#include <stdlib.h>

#include "store/store_batch.h"
#include "store/store_impl.h"
#include "core/common.h"

/* Executions sent before waiting for their answers. Bounded so that the answers the
 * server queues meanwhile stay far below a socket buffer: both sides blocking on a
 * full buffer would deadlock, and a failure is noticed within this many rows. */
#define BATCH_PIPELINE_DEPTH 256

struct store_batch {
	struct store *s;
	char *sql;
	struct store_stmt *st;
	bool pipeline;
	int queued; /* sent since the last sync */
	int rc;     /* first error */
	int64_t changes;
};

int store_batch_begin(struct store *s, const char *sql, struct store_batch **out)
{
	struct store_batch *b;
	struct store_stmt *st;
	int rc;

	*out = NULL;
	if (!store_in_transaction(s))
		return CSHQ_EINVAL;
	rc = store_prepare(s, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	if (store_backend_of(s) == STORE_PG) {
		rc = store_pg_batch_begin(st);
		if (rc != CSHQ_OK)
			return rc;
	}
	b = xcalloc(1, sizeof(*b));
	b->s = s;
	b->sql = xstrdup(sql);
	b->st = st;
	b->pipeline = store_backend_of(s) == STORE_PG;
	*out = b;
	return CSHQ_OK;
}

struct store_stmt *store_batch_stmt(struct store_batch *b)
{
	return b->st;
}

/* SQLite: run it now, then reset and clear the bindings for the next one. */
static int run_one(struct store_batch *b)
{
	int rc;

	while ((rc = store_step(b->st)) == STORE_ROW)
		;
	if (rc != STORE_DONE)
		return rc;
	b->changes += store_changes(b->st);
	return store_prepare(b->s, b->sql, &b->st);
}

int store_batch_add(struct store_batch *b)
{
	if (b->rc != CSHQ_OK)
		return b->rc;
	if (!b->pipeline) {
		b->rc = run_one(b);
		return b->rc;
	}
	b->rc = store_pg_batch_send(b->st);
	if (b->rc == CSHQ_OK && ++b->queued >= BATCH_PIPELINE_DEPTH) {
		b->rc = store_pg_batch_sync(b->st, &b->changes);
		b->queued = 0;
	}
	return b->rc;
}

int store_batch_end(struct store_batch *b, int64_t *changes)
{
	int rc;

	if (changes)
		*changes = 0;
	if (!b)
		return CSHQ_OK;
	if (b->pipeline) {
		/* Answers still owed must be read even after an error, or the connection
		 * would be left mid-pipeline. */
		if (b->queued > 0) {
			int sync_rc = store_pg_batch_sync(b->st, &b->changes);

			if (b->rc == CSHQ_OK)
				b->rc = sync_rc;
		}
		rc = store_pg_batch_end(b->st);
		if (b->rc == CSHQ_OK)
			b->rc = rc;
	}
	rc = b->rc;
	if (changes)
		*changes = b->changes;
	free(b->sql);
	free(b);
	return rc;
}
