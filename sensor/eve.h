/* eve.h: alert and stats events in Suricata's EVE JSON format, one line each, plus the
 * writer that numbers alerts (sequence = idempotency key), writes them to the EVE
 * output and hands them to the forwarder. */
#ifndef CSHQ_SENSOR_EVE_H
#define CSHQ_SENSOR_EVE_H

#include <pthread.h>
#include <stdio.h>

#include "decode/dns.h"
#include "decode/http.h"
#include "decode/tls.h"
#include "ioc/set.h"
#include "stats.h"

enum eve_app { EVE_APP_NONE, EVE_APP_DNS, EVE_APP_TLS, EVE_APP_HTTP };

struct eve_alert {
	const struct packet *pkt; /* gives timestamp, addresses, ports, protocol */
	uint64_t flow_id;
	const struct ioc_hit *hit;
	const char *matched; /* the value as seen on the wire */
	enum eve_app app;
	const struct dns_info *dns;
	const struct tls_client_hello *tls;
	const struct http_request *http;
};

struct eve_identity {
	const char *sensor; /* --sensor-id */
	const char *org;    /* may be NULL */
	const char *iface;  /* may be NULL */
};

/* The alert as one JSON object text (no newline); caller frees. */
char *eve_alert_format(const struct eve_alert *a, const struct eve_identity *id, uint64_t seq);

/* A "stats" event; any of the pointers may be NULL. Caller frees. */
char *eve_stats_format(const struct timeval *ts, const struct eve_identity *id, int64_t uptime,
		       const struct decode_stats *d, const struct capture_stats *c,
		       const struct forward_stats *f, size_t ioc_count, size_t ioc_memory,
		       uint64_t ioc_generation);

/* Timestamp as Suricata writes it: 2016-10-21T00:00:00.000000+0000 (UTC). */
void eve_timestamp(const struct timeval *tv, char out[64]);

struct forwarder;

struct eve_writer {
	pthread_mutex_t lock;
	FILE *out; /* NULL: no EVE file */
	bool close_out;
	struct eve_identity id;
	struct forwarder *fwd; /* NULL: not forwarding */
	uint64_t next_seq;     /* used without a forwarder */
	uint64_t alerts;
};

/* path "-" is standard output; NULL for none. CSHQ_OK or CSHQ_ERR. */
int eve_writer_open(struct eve_writer *w, const char *path, const struct eve_identity *id,
		    struct forwarder *fwd);
void eve_writer_close(struct eve_writer *w);
/* Numbers, formats, writes and forwards one alert. */
void eve_writer_alert(struct eve_writer *w, const struct eve_alert *a);
/* Writes a pre-formatted line (a stats event). */
void eve_writer_line(struct eve_writer *w, const char *json);

#endif
