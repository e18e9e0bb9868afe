/* gsoc_batch.h: the body of POST /api/v1/alerts, read into checked events (spec 30/80).
 *
 * A body is a JSON array of EVE events, or NDJSON (one event per line; blank lines are
 * skipped). Events are read by gsoc_eve.c, as strictly as jansson reads JSON. They are
 * `alert` events carrying a `cshq` object (seq, indicator_type, indicator_value,
 * matched_value, sensor) or the sensor's periodic `stats` events. A body that cannot be
 * read at all (not JSON, not an array, too deep, too many events) is refused whole; an
 * event that is malformed is reported in the error list with its index and detail, and
 * the others are kept. Fields the centre does not use are allowed (EVE has many);
 * `cshq.org` is ignored: the organisation comes from the sensor's token.
 *
 * Pure: no store. A libFuzzer target (tests/fuzz) feeds gsoc_batch_parse arbitrary bytes. */
#ifndef CSHQ_GSOC_BATCH_H
#define CSHQ_GSOC_BATCH_H

#include <jansson.h>

#include "modules/gsoc_ioc.h"

#define GSOC_BATCH_MAX_EVENTS 10000
#define GSOC_MATCHED_MAX 4096
#define GSOC_EVENT_MAX_DEPTH 16

enum gsoc_event_kind { GSOC_EV_ALERT, GSOC_EV_STATS };

struct gsoc_event {
	enum gsoc_event_kind kind;
	size_t index;     /* position in the batch */
	int64_t at;       /* the event's timestamp, epoch seconds */
	const char *text; /* the event's JSON text as received (borrowed from the body) */
	size_t text_len;
	/* alerts */
	int64_t seq;
	enum gsoc_ioc_type itype;
	char *ivalue;        /* canonical indicator value, owned by the batch */
	const char *matched; /* decoded, in the batch's arena */
	const char *sensor_label;
	const char *src_ip, *dest_ip, *proto, *app_proto; /* NULL when absent */
	int src_port, dest_port;                          /* -1 when absent */
	bool has_flow_id;
	int64_t flow_id;
	bool has_tlp; /* cshq.tlp as the sensor had it */
	enum gsoc_tlp tlp;
	int severity;   /* alert.severity, 0 when absent */
	bool duplicate; /* set by the ingestion */
	/* stats (negative when absent) */
	int64_t kernel_packets, kernel_drops, spool_batches, spool_bytes, dropped, feed_version,
	    uptime;
};

struct gsoc_arena;

struct gsoc_batch {
	struct gsoc_arena *arena; /* the decoded strings the events point to */
	struct gsoc_event *ev;    /* valid events, in batch order */
	size_t n;
	size_t total;   /* events in the body, valid or not */
	json_t *errors; /* [{"index", "detail"}] */
};

enum gsoc_batch_format { GSOC_BATCH_JSON, GSOC_BATCH_NDJSON };

/* Reads a body. The events borrow their text from data, which must outlive b. now bounds the
 * timestamps accepted (not after now + 1 day, not before 2000). CSHQ_OK: b filled (release it),
 * possibly with errors. CSHQ_EINVAL: the body cannot be read (message in err). CSHQ_ELIMIT: more
 * than GSOC_BATCH_MAX_EVENTS. */
int gsoc_batch_parse(const char *data, size_t len, enum gsoc_batch_format fmt, int64_t now,
                     struct gsoc_batch *b, char *err, size_t errlen);
void gsoc_batch_release(struct gsoc_batch *b);

#endif
