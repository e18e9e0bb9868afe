/* pipeline.h: one reader hands packets to N worker threads in batches. A packet goes
 * to the worker chosen by the symmetric hash of its 5-tuple, so both directions of a
 * flow meet in one worker's flow table and no flow state is shared between threads.
 * Queues are bounded: a reader faster than the workers waits (files) or leaves the
 * excess to the kernel's buffer, whose drops pcap_stats reports (live). */
#ifndef CSHQ_SENSOR_PIPELINE_H
#define CSHQ_SENSOR_PIPELINE_H

#include <sys/time.h>

#include "detect.h"
#include "ioc/set.h"
#include "stats.h"

#define PIPELINE_MAX_WORKERS 64

struct worker;

struct pipeline {
	int n;
	struct worker *w;
	struct ioc_holder *iocs;
	struct eve_writer *eve;
};

/* Starts n worker threads. CSHQ_OK or CSHQ_ERR (threads could not start). */
int pipeline_start(struct pipeline *pl, int n, size_t max_flows, const int timeout[FC_COUNT],
		   struct eve_writer *eve, struct ioc_holder *iocs);
/* Queues one frame (copied). Called by the reader thread only. */
void pipeline_packet(struct pipeline *pl, int linktype, const struct timeval *ts,
		     uint32_t caplen, uint32_t wirelen, const uint8_t *data);
/* Hands partly filled batches to the workers (call when the input goes quiet). */
void pipeline_flush(struct pipeline *pl);
/* Waits until every queued packet has been inspected. */
void pipeline_drain(struct pipeline *pl);
/* Flushes, waits for the workers to finish, joins them and frees everything. */
void pipeline_stop(struct pipeline *pl);
/* Sum of the workers' counters as of their last finished batch. */
void pipeline_stats(struct pipeline *pl, struct decode_stats *sum);

#endif
