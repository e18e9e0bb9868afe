/* auditlog.c: hash-chained append-only log. The hash covers every field, each prefixed by
 * its length, so no two different entries can serialise to the same bytes. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/timeutil.h"

static void feed(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	int n = snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

static void entry_hash(int64_t seq, int64_t at, const char *actor, const char *org,
		       const char *action, const char *kind, const char *id, const char *detail,
		       const char *prev, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	char num[48];
	crypto_hash_sha256_init(&h);
	feed(&h, prev);
	snprintf(num, sizeof(num), "%lld/%lld", (long long)seq, (long long)at);
	feed(&h, num);
	feed(&h, actor);
	feed(&h, org);
	feed(&h, action);
	feed(&h, kind);
	feed(&h, id);
	feed(&h, detail);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

int auditlog_append(struct store *s, const struct principal *actor, const char *action,
		    const char *record_kind, const char *record_id, const char *detail)
{
	CSHQ_ASSERT(store_in_transaction(s));
	struct store_stmt *st;
	const char *who = actor && actor->login[0] ? actor->login : "system";
	const char *org = actor && actor->org[0] ? actor->org : "";
	if (!detail)
		detail = "{}";
	/* Taking the head row serialises appenders: a row lock on PostgreSQL, the database
	 * write lock on SQLite. The returned hash is the previous entry's. */
	int rc = store_prepare(s, "UPDATE audit_log_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	int64_t seq = store_column_int64(st, 0);
	char prev[65];
	snprintf(prev, sizeof(prev), "%s", store_column_text(st, 1));
	while (store_step(st) == STORE_ROW)
		;
	int64_t at = time_now();
	char hash[65];
	entry_hash(seq, at, who, org, action, record_kind, record_id, detail, prev, hash);
	rc = store_prepare(s,
			   "INSERT INTO audit_log (seq, at, actor, org, action, record_kind, record_id, "
			   "detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, seq);
	store_bind_int64(st, 2, at);
	store_bind_text(st, 3, who);
	store_bind_text(st, 4, org);
	store_bind_text(st, 5, action);
	store_bind_text(st, 6, record_kind);
	store_bind_text(st, 7, record_id);
	store_bind_text(st, 8, detail);
	store_bind_text(st, 9, prev);
	store_bind_text(st, 10, hash);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	rc = store_prepare(s, "UPDATE audit_log_head SET hash = $1 WHERE id = 1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, hash);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int auditlog_verify(struct store *s, struct auditlog_report *out)
{
	struct store_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = store_prepare(s,
			       "SELECT seq, at, actor, org, action, record_kind, record_id, detail, "
			       "prev_hash, hash FROM audit_log ORDER BY seq",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	int64_t expect = 1;
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t seq = store_column_int64(st, 0);
		char h[65];
		const char *col[8];
		for (int i = 0; i < 8; i++) {
			col[i] = store_column_text(st, 2 + i);
			if (!col[i])
				col[i] = "";
		}
		entry_hash(seq, store_column_int64(st, 1), col[0], col[1], col[2], col[3], col[4],
			   col[5], prev, h);
		out->entries++;
		if (out->first_bad == 0 &&
		    (seq != expect || strcmp(col[6], prev) != 0 || strcmp(col[7], h) != 0))
			out->first_bad = seq != expect ? expect : seq;
		snprintf(prev, sizeof(prev), "%s", col[7]);
		expect = seq + 1;
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	/* The head names the last entry: a deleted tail shows here. */
	rc = store_prepare(s, "SELECT seq, hash FROM audit_log_head WHERE id = 1", &st);
	if (rc != CSHQ_OK)
		return rc;
	if (store_step(st) == STORE_ROW) {
		int64_t head = store_column_int64(st, 0);
		const char *hh = store_column_text(st, 1);
		if (out->first_bad == 0 && (head != expect - 1 || strcmp(hh ? hh : "", prev) != 0))
			out->first_bad = expect;
		while (store_step(st) == STORE_ROW)
			;
	}
	out->ok = out->first_bad == 0;
	return CSHQ_OK;
}
