/* stats.h: counters of the capture, decode, detection and forwarding stages, summed
 * over workers for the periodic "stats" event. Each stage owns its copy; readers take
 * snapshots under the owner's lock, so counters themselves need no atomics. */
#ifndef CSHQ_SENSOR_STATS_H
#define CSHQ_SENSOR_STATS_H

#include "decode/decode.h"
#include "flow.h"

struct decode_stats {
	uint64_t pkts, bytes;
	uint64_t ipv4, ipv6, vlan, tcp, udp, icmp, other_ip, non_ip;
	uint64_t ipv4_frag, ipv6_frag;
	uint64_t dns, tls, http;
	uint64_t errors[DL_COUNT];
	uint64_t alerts;
	struct flow_stats flow;
};

struct capture_stats {
	uint64_t pkts, bytes;                 /* read by the reader */
	uint64_t kernel_recv, kernel_drop, kernel_ifdrop; /* pcap_stats, live capture only */
	uint64_t files_done;
};

struct forward_stats {
	uint64_t queued;        /* alerts handed to the forwarder */
	uint64_t spooled;       /* alerts written to the spool */
	uint64_t acked;         /* alerts the server accepted */
	uint64_t duplicates;    /* alerts the server already had */
	uint64_t rejected;      /* alerts the server answered with an error */
	uint64_t dropped;       /* alerts dropped past the spool size bound */
	uint64_t spool_batches; /* batches waiting in the spool */
	uint64_t spool_bytes;
	uint64_t post_failures;
	uint64_t feed_version;
};

void decode_stats_add(struct decode_stats *sum, const struct decode_stats *x);

#endif
