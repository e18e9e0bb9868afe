/* forward.h: delivery of alerts to the centre (POST /api/v1/alerts).
 *
 * Alerts queue in memory for at most batch_ms (or until batch_max of them), are then
 * written to the spool as one batch, and the spool is sent oldest first. A batch is
 * removed only after a 200 answer (the server answers only after committing); network
 * errors and 5xx/429 answers are retried with exponential backoff; a batch refused as
 * malformed (400/413/422) is set aside in the spool. Each alert carries its sequence
 * number, so a batch sent twice (for example after a crash between the server's commit
 * and our removal) is recognised by the server as duplicates. */
#ifndef CSHQ_SENSOR_FORWARD_H
#define CSHQ_SENSOR_FORWARD_H

#include "stats.h"

struct forward_config {
	const char *server; /* base URL */
	const char *token;
	const char *spool_dir;
	const char *cafile;
	bool insecure;
	uint64_t spool_max_bytes;
	unsigned batch_max;   /* alerts per batch */
	unsigned batch_ms;    /* longest an alert waits in memory before being spooled */
	unsigned drain_ms;    /* at exit: how long to keep trying to deliver */
	unsigned backoff_max_ms;
};

struct forwarder;

/* Opens the spool and starts the sending thread. CSHQ_OK or CSHQ_ERR (message). */
int forwarder_start(const struct forward_config *cfg, struct forwarder **out, char *err,
		    size_t errlen);
/* Next idempotency sequence number (durable; see spool.h). Aborts if the spool cannot
 * be written: numbering without durability would break the no-repeat promise. */
uint64_t forwarder_next_seq(struct forwarder *f);
/* Queues one alert's JSON text (ownership passes to the forwarder). */
void forwarder_submit(struct forwarder *f, char *json, uint64_t seq);
/* Spools what is queued, tries to deliver the spool for up to drain_ms, stops the
 * thread and frees f. Undelivered batches stay in the spool for the next run. */
void forwarder_stop(struct forwarder *f);
/* Waits until every alert queued so far is in the spool. */
void forwarder_flush(struct forwarder *f);
void forwarder_stats(struct forwarder *f, struct forward_stats *out);
/* Feed version to report in stats (set by the feed poller). */
void forwarder_set_feed_version(struct forwarder *f, int64_t v);

#endif
