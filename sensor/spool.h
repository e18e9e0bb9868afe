/* spool.h: the durable spool of alert batches and the persistent sequence counter.
 *
 * A batch is written to a temporary file, fsynced, renamed to its final name and the
 * directory fsynced before anyone tries to send it; it is removed only after the server
 * acknowledged it. A crash at any point leaves either no file or a complete one.
 *
 * Sequence numbers (the idempotency keys) are reserved in blocks: the upper end of the
 * block is made durable before any number of it is used, so a restart continues above
 * every number ever handed out, whatever happened before. */
#ifndef CSHQ_SENSOR_SPOOL_H
#define CSHQ_SENSOR_SPOOL_H

#include <pthread.h>

#include "core/common.h"

struct spool {
	char *dir;
	int dirfd;
	pthread_mutex_t lock;
	uint64_t next_seq, reserved_until;
	uint64_t max_bytes;
	uint64_t bytes, batches; /* what the directory holds now */
	uint64_t dropped;        /* alerts removed to stay under max_bytes (persisted) */
};

/* Opens (creating) the directory; reads the counter and the batches present.
 * CSHQ_OK or CSHQ_ERR with a message. */
int spool_open(struct spool *s, const char *dir, uint64_t max_bytes, char *err, size_t errlen);
void spool_close(struct spool *s);

/* Next sequence number (starts at 1). CSHQ_OK, or CSHQ_ERR when the reservation could
 * not be made durable (no number is handed out then). Thread-safe. */
int spool_next_seq(struct spool *s, uint64_t *seq);

/* Stores a batch of count alerts whose first sequence number is first_seq. When the
 * spool would exceed max_bytes the oldest batches are removed first and their alerts
 * counted in dropped (if the batch alone exceeds the bound, it is the one dropped:
 * CSHQ_ELIMIT). CSHQ_OK, CSHQ_ELIMIT or CSHQ_ERR. */
int spool_write(struct spool *s, uint64_t first_seq, uint32_t count, const char *data,
		size_t len);

/* Name of the oldest batch into name (64 bytes); CSHQ_ENOTFOUND when empty. */
int spool_oldest(struct spool *s, char name[64]);
/* Reads a batch (malloc'd, NUL-terminated). */
int spool_read(struct spool *s, const char *name, char **data, size_t *len);
/* Removes an acknowledged batch (durably). */
int spool_remove(struct spool *s, const char *name);
/* Moves a batch the server refused as malformed aside ("rejected-" prefix), so that it
 * stays for inspection without blocking the queue. */
int spool_set_aside(struct spool *s, const char *name);
/* Batches waiting, and their bytes; alerts dropped so far. Thread-safe. */
uint64_t spool_pending(struct spool *s);
void spool_usage(struct spool *s, uint64_t *batches, uint64_t *bytes);
uint64_t spool_dropped(struct spool *s);
/* Alerts in a batch, from its name. */
uint32_t spool_batch_count(const char *name);

#endif
