/* flow.h: a bounded table of flows keyed by the 5-tuple in either direction.
 *
 * A flow lives until it has been idle for the timeout of its class (open TCP, closed
 * TCP, UDP, other); when the table is full the least recently seen flow is evicted.
 * Flows carry what detection needs: which indicators already alerted (so that each
 * (flow, indicator) pair alerts once) and, per direction, a small reassembly buffer
 * for the application-layer parsers. One table per worker: no locking. */
#ifndef CSHQ_SENSOR_FLOW_H
#define CSHQ_SENSOR_FLOW_H

#include "decode/decode.h"

enum flow_class { FC_TCP, FC_TCP_CLOSED, FC_UDP, FC_OTHER, FC_COUNT };

/* What the stream of one direction is being parsed as. */
enum stream_state { SS_NEW, SS_TLS, SS_HTTP, SS_DNS, SS_DONE };

/* Cap of one direction's reassembly buffer: a ClientHello or a request head fits. */
#define STREAM_BUF_MAX 40960
/* Cap on distinct indicators remembered per flow; past it a hit alerts again rather
 * than being missed. */
#define FLOW_MAX_ALERTED 256

struct stream {
	uint32_t next_seq;
	bool seq_init;
	uint8_t state; /* enum stream_state */
	uint8_t *buf;
	uint32_t len, cap;
	uint64_t skip; /* bytes of an HTTP body still to pass over */
};

struct flow_key {
	struct ip_addr a, b; /* a <= b, so both directions give one key */
	uint16_t pa, pb;
	uint8_t proto;
	uint16_t vlan;
};

struct flow {
	struct flow *hnext;
	struct flow *prev, *next; /* list of the flow's class, oldest first */
	uint64_t hash;
	struct flow_key key;
	uint64_t id;
	/* direction 0 is from the initiator (the first packet seen, or the SYN sender) */
	struct ip_addr src;
	uint16_t sport;
	uint8_t cls;
	bool closed;
	int64_t first_sec, last_sec;
	uint64_t pkts[2], bytes[2];
	struct stream st[2];
	uint64_t ip_generation; /* indicator-set generation its addresses were checked against */
	uint32_t n_alerted, cap_alerted;
	uint64_t *alerted;
	uint64_t alerted_inline[4];
};

struct flow_stats {
	uint64_t created, timed_out, evicted, active, stream_bytes, memory;
};

struct flow_table {
	struct flow **bucket;
	size_t mask;
	size_t max;
	struct flow *head[FC_COUNT], *tail[FC_COUNT];
	int timeout[FC_COUNT];
	struct flow_stats st;
};

/* max_flows: hard cap on live flows. Timeouts (seconds) by class. */
void flow_table_init(struct flow_table *t, size_t max_flows, const int timeout[FC_COUNT]);
void flow_table_release(struct flow_table *t);

/* Symmetric hash of a decoded packet's 5-tuple (same for both directions). */
uint64_t flow_hash(const struct packet *p);

/* Finds or creates the flow of p (which must have ipver != 0); *dir is 0 for the
 * initiator's direction. Never fails: a full table evicts its oldest flow. */
struct flow *flow_get(struct flow_table *t, const struct packet *p, uint64_t hash, int *dir,
		      bool *created);

/* Removes flows idle for longer than their class timeout at time now (packet time). */
void flow_expire(struct flow_table *t, int64_t now);

/* Marks indicator key as alerted on f; false when it already was. */
bool flow_mark_alerted(struct flow *f, uint64_t key);

/* Releases a direction's reassembly buffer (parsing of that direction is over). */
void flow_stream_free(struct flow_table *t, struct stream *s);
/* Appends to a direction's buffer; CSHQ_ELIMIT past STREAM_BUF_MAX. */
int flow_stream_append(struct flow_table *t, struct stream *s, const uint8_t *d, size_t n);
/* Drops the first n bytes of the buffer. */
void flow_stream_consume(struct stream *s, size_t n);

#endif
