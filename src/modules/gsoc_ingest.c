/* gsoc_ingest.c: one alert batch into the store, inside the request's transaction.
 *
 * Order of work (and of row locks on PostgreSQL, so that concurrent batches never wait on
 * each other in a cycle): the sensor's row (which also serialises batches of one sensor,
 * so the duplicate check below cannot race), the detections in key order, the alerts
 * (pipelined through store_batch), and last the tamper-evident log's head.
 *
 * Idempotency: an alert is new when (sensor, seq) is not stored yet and not repeated
 * earlier in the same batch; a replayed batch stores nothing and counts duplicates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/timeutil.h"
#include "modules/gsoc_impl.h"
#include "store/store_batch.h"

/* seqs compared in one IN list when the batch's seqs are sparse */
#define IN_CHUNK 64

static int cmp_seq(const void *a, const void *b)
{
	const struct gsoc_event *x = *(const struct gsoc_event *const *)a;
	const struct gsoc_event *y = *(const struct gsoc_event *const *)b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Detection key order: type, value, day; then time. */
static int cmp_key(const void *a, const void *b)
{
	const struct gsoc_event *x = *(const struct gsoc_event *const *)a;
	const struct gsoc_event *y = *(const struct gsoc_event *const *)b;
	if (x->itype != y->itype)
		return x->itype < y->itype ? -1 : 1;
	int c = strcmp(x->ivalue, y->ivalue);
	if (c)
		return c;
	int32_t dx = date_of_instant(x->at), dy = date_of_instant(y->at);
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static struct gsoc_event **find_seq(struct gsoc_event **sorted, size_t n, int64_t seq)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sorted[lo]->seq == seq ? &sorted[lo] : NULL;
}

static void mark_stored(struct gsoc_event **sorted, size_t n, int64_t seq)
{
	struct gsoc_event **p = find_seq(sorted, n, seq);
	for (; p && p < sorted + n && (*p)->seq == seq; p++)
		(*p)->duplicate = true;
}

/* Marks the alerts whose (sensor, seq) is already stored. sorted: alerts by seq. */
static int mark_duplicates(struct store *db, int64_t sensor, struct gsoc_event **sorted, size_t n)
{
	if (n == 0)
		return CSHQ_OK;
	/* a repeat inside the batch is a duplicate of its first occurrence */
	for (size_t i = 1; i < n; i++)
		if (sorted[i]->seq == sorted[i - 1]->seq)
			sorted[i]->duplicate = true;
	int64_t lo = sorted[0]->seq, hi = sorted[n - 1]->seq;
	struct store_stmt *st;
	int rc;
	if ((uint64_t)(hi - lo) <= 4 * (uint64_t)n + 64) {
		rc = store_prepare(
		    db,
		    "SELECT seq FROM gsoc_alerts WHERE sensor_id = $1 AND seq >= $2 AND seq <= $3",
		    &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, sensor);
		store_bind_int64(st, 2, lo);
		store_bind_int64(st, 3, hi);
		while ((rc = store_step(st)) == STORE_ROW)
			mark_stored(sorted, n, store_column_int64(st, 0));
		return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	/* sparse: ask about the seqs themselves, IN_CHUNK at a time */
	struct buf sql = BUF_INIT(4096);
	buf_puts(&sql, "SELECT seq FROM gsoc_alerts WHERE sensor_id = $1 AND seq IN (");
	for (int k = 0; k < IN_CHUNK; k++)
		buf_printf(&sql, "%s$%d", k ? ", " : "", k + 2);
	buf_puts(&sql, ")");
	rc = CSHQ_OK;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i += IN_CHUNK) {
		if ((rc = store_prepare(db, buf_cstr(&sql), &st)) != CSHQ_OK)
			break;
		store_bind_int64(st, 1, sensor);
		for (int k = 0; k < IN_CHUNK; k++) /* the last chunk repeats its first seq */
			store_bind_int64(st, k + 2,
			                 sorted[i + (size_t)k < n ? i + (size_t)k : i]->seq);
		int s;
		while ((s = store_step(st)) == STORE_ROW)
			mark_stored(sorted, n, store_column_int64(st, 0));
		if (s != STORE_DONE)
			rc = CSHQ_ERR;
	}
	buf_release(&sql);
	return rc;
}

/* The central indicator of a value, if it is one. */
struct central {
	bool found;
	int64_t id;
	char tlp[24];
	int severity;
};

static int lookup_indicator(struct store *db, enum gsoc_ioc_type t, const char *value,
                            struct central *c)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "SELECT id, tlp, severity FROM gsoc_indicators WHERE type = $1 AND value = $2",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, gsoc_ioc_type_name(t));
	store_bind_text(st, 2, value);
	rc = store_step(st);
	c->found = rc == STORE_ROW;
	if (c->found) {
		c->id = store_column_int64(st, 0);
		snprintf(c->tlp, sizeof(c->tlp), "%s", store_column_text(st, 1));
		c->severity = (int)store_column_int64(st, 2);
		gsoc_drain(st);
		return CSHQ_OK;
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Upserts the detection of one group of new alerts (same org, indicator and day).
 * *created tells whether this batch opened it. */
static int upsert_detection(struct store *db, const char *org, struct gsoc_event **g, size_t n,
                            int64_t now, int64_t *id, bool *created)
{
	const struct gsoc_event *e = g[0];
	struct central c;
	int rc = lookup_indicator(db, e->itype, e->ivalue, &c);
	if (rc != CSHQ_OK)
		return rc;
	int64_t first = g[0]->at, last = g[0]->at;
	int sev = 0;
	bool has_tlp = false;
	enum gsoc_tlp tlp = GSOC_TLP_DEFAULT;
	for (size_t i = 0; i < n; i++) {
		if (g[i]->at < first)
			first = g[i]->at;
		if (g[i]->at > last)
			last = g[i]->at;
		if (g[i]->severity >= 1 && g[i]->severity <= 4 && (!sev || g[i]->severity < sev))
			sev = g[i]->severity;
		if (g[i]->has_tlp && (!has_tlp || g[i]->tlp > tlp)) {
			tlp = g[i]->tlp;
			has_tlp = true;
		}
	}
	struct store_stmt *st;
	rc = store_prepare(
	    db,
	    "INSERT INTO gsoc_detections (org, indicator_type, indicator_value, day, indicator_id, "
	    "tlp, "
	    "severity, first_seen, last_seen, alerts, state, created_at, updated_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'new', $11, $11) "
	    "ON CONFLICT (org, indicator_type, indicator_value, day) DO UPDATE SET "
	    "first_seen = CASE WHEN excluded.first_seen < gsoc_detections.first_seen "
	    "THEN excluded.first_seen ELSE gsoc_detections.first_seen END, "
	    "last_seen = CASE WHEN excluded.last_seen > gsoc_detections.last_seen "
	    "THEN excluded.last_seen ELSE gsoc_detections.last_seen END, "
	    "alerts = gsoc_detections.alerts + excluded.alerts, updated_at = excluded.updated_at "
	    "RETURNING id, alerts",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_text(st, 2, gsoc_ioc_type_name(e->itype));
	store_bind_text(st, 3, e->ivalue);
	store_bind_int64(st, 4, date_of_instant(e->at));
	if (c.found)
		store_bind_int64(st, 5, c.id);
	else
		store_bind_null(st, 5);
	store_bind_text(st, 6, c.found ? c.tlp : gsoc_tlp_name(tlp));
	store_bind_int64(st, 7, c.found ? c.severity : sev ? sev : GSOC_SEVERITY_DEFAULT);
	store_bind_int64(st, 8, first);
	store_bind_int64(st, 9, last);
	store_bind_int64(st, 10, (int64_t)n);
	store_bind_int64(st, 11, now);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	*id = store_column_int64(st, 0);
	/* a row that existed had at least one alert before: only a new one holds exactly ours */
	*created = store_column_int64(st, 1) == (int64_t)n;
	gsoc_drain(st);
	return CSHQ_OK;
}

/* The first entry of a new detection's timeline. The batch's one log entry records it. */
static int timeline_detected(struct store *db, const struct principal *sensor, int64_t id, size_t n,
                             int64_t now)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "INSERT INTO wf_timeline (record_kind, record_id, at, actor, org, action, from_state, "
	    "to_state, detail, basis) VALUES ('detection', $1, $2, $3, $4, 'detect', NULL, 'new', "
	    "$5, $6)",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	char detail[64];
	snprintf(detail, sizeof(detail), "{\"alerts\":%zu}", n);
	json_t *basis = gsoc_basis_json(date_of_instant(now));
	char *b = json_dumps(basis, JSON_COMPACT);
	json_decref(basis);
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, now);
	store_bind_text(st, 3, sensor->login);
	store_bind_text(st, 4, sensor->org);
	store_bind_text(st, 5, detail);
	store_bind_text(st, 6, b);
	rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	free(b);
	return rc;
}

static void bind_opt_text(struct store_stmt *st, int n, const char *v)
{
	if (v)
		store_bind_text(st, n, v);
	else
		store_bind_null(st, n);
}

static void bind_opt_int(struct store_stmt *st, int n, int64_t v, bool has)
{
	if (has)
		store_bind_int64(st, n, v);
	else
		store_bind_null(st, n);
}

static int insert_alerts(struct store *db, int64_t sensor, struct gsoc_event **g,
                         const int64_t *det, size_t n, int64_t now)
{
	struct store_batch *b;
	int rc = store_batch_begin(
	    db,
	    "INSERT INTO gsoc_alerts (sensor_id, seq, detection_id, at, received_at, "
	    "matched_value, "
	    "src_ip, src_port, dest_ip, dest_port, proto, app_proto, flow_id, event) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
	    "ON CONFLICT (sensor_id, seq) DO NOTHING",
	    &b);
	if (rc != CSHQ_OK)
		return rc;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		const struct gsoc_event *e = g[i];
		struct store_stmt *st = store_batch_stmt(b);
		store_bind_int64(st, 1, sensor);
		store_bind_int64(st, 2, e->seq);
		store_bind_int64(st, 3, det[i]);
		store_bind_int64(st, 4, e->at);
		store_bind_int64(st, 5, now);
		store_bind_text(st, 6, e->matched);
		bind_opt_text(st, 7, e->src_ip);
		bind_opt_int(st, 8, e->src_port, e->src_port >= 0);
		bind_opt_text(st, 9, e->dest_ip);
		bind_opt_int(st, 10, e->dest_port, e->dest_port >= 0);
		bind_opt_text(st, 11, e->proto);
		bind_opt_text(st, 12, e->app_proto);
		bind_opt_int(st, 13, e->flow_id, e->has_flow_id);
		store_bind_text_len(st, 14, e->text, e->text_len); /* the event as received */
		rc = store_batch_add(b);
	}
	int64_t changed = 0;
	int end = store_batch_end(b, &changed);
	if (rc == CSHQ_OK)
		rc = end;
	/* the sensor's row lock makes a concurrent insert of the same keys impossible; if
	 * the counts disagree anyway, refuse rather than count an alert twice */
	if (rc == CSHQ_OK && changed != (int64_t)n)
		rc = CSHQ_ECONFLICT;
	return rc;
}

static int apply_stats(struct store *db, int64_t sensor, const struct gsoc_event *e)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "UPDATE gsoc_sensors SET stats_at = $2, uptime = coalesce($3, uptime), "
	    "kernel_packets = coalesce($4, kernel_packets), kernel_drops = coalesce($5, "
	    "kernel_drops), "
	    "spool_batches = coalesce($6, spool_batches), spool_bytes = coalesce($7, spool_bytes), "
	    "spool_dropped = coalesce($8, spool_dropped), feed_version = coalesce($9, "
	    "feed_version) "
	    "WHERE id = $1 AND (stats_at IS NULL OR stats_at <= $2)",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, sensor);
	store_bind_int64(st, 2, e->at);
	const int64_t v[] = {e->uptime,      e->kernel_packets, e->kernel_drops, e->spool_batches,
	                     e->spool_bytes, e->dropped,        e->feed_version};
	for (int i = 0; i < 7; i++)
		bind_opt_int(st, 3 + i, v[i], v[i] >= 0);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int gsoc_ingest(struct store *db, const struct principal *sensor, struct gsoc_batch *b,
                struct gsoc_ingest_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t now = time_now();
	int64_t sid = sensor->user_id;
	struct store_stmt *st;
	/* first: the sensor's row, which records the request and serialises its batches */
	int rc = store_prepare(
	    db, "UPDATE gsoc_sensors SET last_seen_at = $2 WHERE id = $1 AND revoked_at IS NULL",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, sid);
	store_bind_int64(st, 2, now);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	if (store_changes(st) != 1)
		return CSHQ_ENOTFOUND; /* revoked meanwhile */

	size_t na = 0;
	const struct gsoc_event *newest_stats = NULL;
	for (size_t i = 0; i < b->n; i++) {
		if (b->ev[i].kind == GSOC_EV_ALERT)
			na++;
		else if (!newest_stats || b->ev[i].at >= newest_stats->at)
			newest_stats = &b->ev[i];
	}
	struct gsoc_event **v = xcalloc(na ? na : 1, sizeof(*v));
	int64_t *det = xcalloc(na ? na : 1, sizeof(*det));
	json_t *created = json_array();
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->ev[i].kind == GSOC_EV_ALERT)
			v[k++] = &b->ev[i];
	qsort(v, na, sizeof(*v), cmp_seq);
	rc = mark_duplicates(db, sid, v, na);

	/* the new alerts, grouped by detection key */
	size_t nn = 0;
	for (size_t i = 0; i < na; i++) {
		if (v[i]->duplicate)
			out->duplicates++;
		else
			v[nn++] = v[i];
	}
	qsort(v, nn, sizeof(*v), cmp_key);
	int64_t last_alert = 0;
	for (size_t i = 0; i < nn && rc == CSHQ_OK;) {
		size_t j = i + 1;
		int32_t day = date_of_instant(v[i]->at);
		while (j < nn && v[j]->itype == v[i]->itype &&
		       strcmp(v[j]->ivalue, v[i]->ivalue) == 0 && date_of_instant(v[j]->at) == day)
			j++;
		int64_t id = 0;
		bool is_new = false;
		rc = upsert_detection(db, sensor->org, v + i, j - i, now, &id, &is_new);
		if (rc == CSHQ_OK && is_new) {
			rc = timeline_detected(db, sensor, id, j - i, now);
			json_array_append_new(created, json_integer(id));
		}
		for (size_t x = i; x < j; x++) {
			det[x] = id;
			if (v[x]->at > last_alert)
				last_alert = v[x]->at;
		}
		i = j;
	}
	if (rc == CSHQ_OK && nn)
		rc = insert_alerts(db, sid, v, det, nn, now);
	out->accepted = (int64_t)nn;
	if (rc == CSHQ_OK && newest_stats) {
		rc = apply_stats(db, sid, newest_stats);
		for (size_t i = 0; i < b->n; i++)
			if (b->ev[i].kind == GSOC_EV_STATS)
				out->accepted++;
	}
	if (rc == CSHQ_OK && nn) {
		rc = store_prepare(
		    db,
		    "UPDATE gsoc_sensors SET alerts_total = alerts_total + $2, last_alert_at = "
		    "CASE WHEN last_alert_at IS NULL OR last_alert_at < $3 THEN $3 ELSE "
		    "last_alert_at END "
		    "WHERE id = $1",
		    &st);
		if (rc == CSHQ_OK) {
			store_bind_int64(st, 1, sid);
			store_bind_int64(st, 2, (int64_t)nn);
			store_bind_int64(st, 3, last_alert);
			rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
	}
	if (rc == CSHQ_OK && out->accepted) {
		/* last, so that the log's head is locked only for the end of the transaction */
		char idtxt[32];
		snprintf(idtxt, sizeof(idtxt), "%lld", (long long)sid);
		json_t *d =
		    json_pack("{s:I, s:I, s:I, s:O}", "accepted", (json_int_t)out->accepted,
		              "duplicates", (json_int_t)out->duplicates, "errors",
		              (json_int_t)json_array_size(b->errors), "new_detections", created);
		char *dt = json_dumps(d, JSON_COMPACT);
		json_decref(d);
		rc = auditlog_append(db, sensor, "alerts_ingest", "sensor", idtxt, dt);
		free(dt);
	}
	json_decref(created);
	free(v);
	free(det);
	return rc;
}
