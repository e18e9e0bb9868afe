/* capture.h: packet sources: a live interface through libpcap, or capture files (pcap
 * or pcapng, any number, read in the order given; "-" is standard input). */
#ifndef CSHQ_SENSOR_CAPTURE_H
#define CSHQ_SENSOR_CAPTURE_H

#include <pthread.h>
#include <signal.h>

#include "pipeline.h"
#include "stats.h"

struct capture_config {
	const char *const *files; /* NULL-terminated, or NULL for a live capture */
	const char *iface;
	const char *bpf;     /* filter expression, NULL for all */
	int snaplen;         /* bytes kept per packet */
	bool promisc;
	int buffer_mb;       /* kernel buffer, 0 for libpcap's default */
	const char *user;    /* switch to this user after opening a live capture */
	bool progress;       /* progress line on stderr while reading files */
};

struct capture {
	pthread_mutex_t lock;
	struct capture_stats st; /* published every few thousand packets */
};

void capture_init(struct capture *c);
void capture_release(struct capture *c);
void capture_snapshot(struct capture *c, struct capture_stats *out);

/* Reads every source into the pipeline until the end of the files or *stop becomes
 * non-zero. CSHQ_OK, or CSHQ_ERR with a message in err (open failure, bad filter,
 * privilege drop failure); a file that fails midway is reported and the next read. */
int capture_run(struct capture *c, const struct capture_config *cfg, struct pipeline *pl,
		volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Drops root privileges to user (its uid, gid and groups). CSHQ_OK or CSHQ_ERR. */
int capture_drop_privileges(const char *user, char *err, size_t errlen);

#endif
