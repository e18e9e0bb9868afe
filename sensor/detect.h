/* detect.h: per-packet inspection: decode, track the flow, run the application parsers
 * on its streams and match every observable (addresses, DNS names and answers, SNI,
 * JA3/JA4, HTTP host and URL) against the current indicator set. Each hit on a flow
 * is reported once per indicator; one hit never stops the others from being checked.
 * An inspector is owned by one worker thread. */
#ifndef CSHQ_SENSOR_DETECT_H
#define CSHQ_SENSOR_DETECT_H

#include "eve.h"
#include "flow.h"
#include "ioc/set.h"
#include "stats.h"

struct inspector {
	struct flow_table flows;
	struct decode_stats st;
	struct eve_writer *eve;
	const struct ioc_set *set; /* borrowed for the current batch */
	uint64_t generation;
	int64_t now; /* wall clock, for indicator expiry */
};

void inspector_init(struct inspector *in, size_t max_flows, const int timeout[FC_COUNT],
		    struct eve_writer *eve);
void inspector_release(struct inspector *in);

/* Inspects one captured frame (ts and wirelen as captured). The set must stay valid
 * for the call; generation changes make flows re-check their addresses. */
void inspector_packet(struct inspector *in, const struct ioc_set *set, uint64_t generation,
		      int linktype, const struct timeval *ts, uint32_t wirelen,
		      const uint8_t *data, uint32_t caplen);

/* Expires idle flows at packet time now. */
void inspector_expire(struct inspector *in, int64_t now);

#endif
