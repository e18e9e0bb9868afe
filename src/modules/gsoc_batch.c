/* gsoc_batch.c: reading alert batches (see gsoc_batch.h). Each event is checked field by
 * field; the first problem found is its error detail. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_batch.h"
#include "modules/gsoc_stix.h"

#define MIN_TIMESTAMP 946684800 /* 2000-01-01T00:00:00Z */

void gsoc_batch_release(struct gsoc_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->ev[i].ivalue);
	free(b->ev);
	json_decref(b->root);
	json_decref(b->errors);
	memset(b, 0, sizeof(*b));
}

static void add_error(struct gsoc_batch *b, size_t index, const char *detail)
{
	json_array_append_new(b->errors, json_pack("{s:I, s:s}", "index", (json_int_t)index, "detail", detail));
}

/* An optional string of at most max bytes: NULL when absent, else the string; *bad when
 * present but not a string or too long. */
static const char *opt_str(json_t *o, const char *key, size_t max, bool *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || json_string_length(v) > max || json_string_length(v) == 0) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static bool valid_ip(const char *s)
{
	unsigned char a[16];
	return strlen(s) < INET6_ADDRSTRLEN && (inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1);
}

/* A non-negative integer member of o, -1 when absent; false when present but not one. */
static bool opt_count(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	*out = -1;
	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = json_integer_value(v);
	return true;
}

static const char *check_stats(json_t *o, struct gsoc_event *e)
{
	json_t *st = json_object_get(o, "stats");
	if (!json_is_object(st))
		return "stats: an object is required for event_type stats";
	json_t *cap = json_object_get(st, "capture");
	json_t *fwd = json_object_get(st, "forward");
	if ((cap && !json_is_object(cap)) || (fwd && !json_is_object(fwd)))
		return "stats.capture and stats.forward must be objects";
	if (!opt_count(st, "uptime", &e->uptime))
		return "stats.uptime: a non-negative integer";
	if (!opt_count(cap, "kernel_packets", &e->kernel_packets) ||
	    !opt_count(cap, "kernel_drops", &e->kernel_drops))
		return "stats.capture: kernel_packets and kernel_drops are non-negative integers";
	if (!opt_count(fwd, "spool_batches", &e->spool_batches) ||
	    !opt_count(fwd, "spool_bytes", &e->spool_bytes) || !opt_count(fwd, "dropped", &e->dropped) ||
	    !opt_count(fwd, "feed_version", &e->feed_version))
		return "stats.forward: spool_batches, spool_bytes, dropped and feed_version are non-negative integers";
	return NULL;
}

static const char *check_alert(json_t *o, struct gsoc_event *e, char *detail, size_t dlen)
{
	if (!json_is_object(json_object_get(o, "alert")))
		return "alert: an object is required for event_type alert";
	json_t *c = json_object_get(o, "cshq");
	if (!json_is_object(c))
		return "cshq: an object with seq, indicator_type, indicator_value, matched_value and sensor is required";
	json_t *seq = json_object_get(c, "seq");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1)
		return "cshq.seq: a positive integer is required";
	e->seq = json_integer_value(seq);
	if (gsoc_ioc_type_parse(json_string_value(json_object_get(c, "indicator_type")), &e->itype) != CSHQ_OK)
		return "cshq.indicator_type: one of ipv4, ipv6, cidr, domain, domain_suffix, url, url_prefix, ja3, ja4";
	json_t *iv = json_object_get(c, "indicator_value");
	if (!json_is_string(iv))
		return "cshq.indicator_value: a string is required";
	char norm[GSOC_VALUE_MAX + 1];
	const char *why;
	if (gsoc_ioc_normalise(e->itype, json_string_value(iv), norm, sizeof(norm), &why) != CSHQ_OK) {
		snprintf(detail, dlen, "cshq.indicator_value: %s", why);
		return detail;
	}
	json_t *mv = json_object_get(c, "matched_value");
	if (!json_is_string(mv) || json_string_length(mv) == 0 || json_string_length(mv) > GSOC_MATCHED_MAX)
		return "cshq.matched_value: a string of 1 to 4096 bytes is required";
	e->matched = json_string_value(mv);
	json_t *sn = json_object_get(c, "sensor");
	if (!json_is_string(sn) || json_string_length(sn) == 0 || json_string_length(sn) > 128)
		return "cshq.sensor: a string of 1 to 128 bytes is required";
	e->sensor_label = json_string_value(sn);
	const char *tlp = json_string_value(json_object_get(c, "tlp"));
	e->has_tlp = tlp && gsoc_tlp_parse(tlp, &e->tlp) == CSHQ_OK;
	bool bad = false;
	e->src_ip = opt_str(o, "src_ip", 45, &bad);
	e->dest_ip = opt_str(o, "dest_ip", 45, &bad);
	if (bad || (e->src_ip && !valid_ip(e->src_ip)) || (e->dest_ip && !valid_ip(e->dest_ip)))
		return "src_ip, dest_ip: IP addresses";
	e->proto = opt_str(o, "proto", 16, &bad);
	e->app_proto = opt_str(o, "app_proto", 32, &bad);
	if (bad)
		return "proto, app_proto: short strings";
	const char *ports[2] = {"src_port", "dest_port"};
	int *pv[2] = {&e->src_port, &e->dest_port};
	for (int i = 0; i < 2; i++) {
		json_t *p = json_object_get(o, ports[i]);
		*pv[i] = -1;
		if (!p || json_is_null(p))
			continue;
		if (!json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 65535)
			return "src_port, dest_port: integers 0..65535";
		*pv[i] = (int)json_integer_value(p);
	}
	json_t *fid = json_object_get(o, "flow_id");
	if (fid && !json_is_null(fid)) {
		if (!json_is_integer(fid))
			return "flow_id: an integer";
		e->has_flow_id = true;
		e->flow_id = json_integer_value(fid);
	}
	json_t *sev = json_object_get(json_object_get(o, "alert"), "severity");
	if (sev && (!json_is_integer(sev) || json_integer_value(sev) < 1 || json_integer_value(sev) > 255))
		return "alert.severity: an integer 1..255";
	e->severity = sev ? (int)json_integer_value(sev) : 0;
	e->ivalue = xstrdup(norm);
	return NULL;
}

/* Checks one event; on success appends it to b->ev. */
static void check_event(struct gsoc_batch *b, json_t *o, size_t index, int64_t now)
{
	char detail[GSOC_VALUE_MAX + 64];
	const char *why = NULL;
	struct gsoc_event e;
	memset(&e, 0, sizeof(e));
	e.index = index;
	e.obj = o;
	e.kernel_packets = e.kernel_drops = e.spool_batches = e.spool_bytes = e.dropped = e.feed_version = e.uptime = -1;
	const char *type = json_string_value(json_object_get(o, "event_type"));
	if (!json_is_object(o))
		why = "an event must be a JSON object";
	else if (!type || (strcmp(type, "alert") != 0 && strcmp(type, "stats") != 0))
		why = "event_type: \"alert\" or \"stats\" is required";
	else if (gsoc_parse_timestamp(json_string_value(json_object_get(o, "timestamp")), &e.at) != CSHQ_OK)
		why = "timestamp: an EVE or RFC 3339 timestamp is required";
	else if (e.at < MIN_TIMESTAMP || e.at > now + 86400)
		why = "timestamp: before 2000 or more than a day ahead of the centre's clock";
	else if (strcmp(type, "stats") == 0) {
		e.kind = GSOC_EV_STATS;
		why = check_stats(o, &e);
	} else {
		e.kind = GSOC_EV_ALERT;
		why = check_alert(o, &e, detail, sizeof(detail));
	}
	if (why) {
		free(e.ivalue);
		add_error(b, index, why);
		return;
	}
	b->ev[b->n++] = e;
}

static int parse_array(const char *data, size_t len, int64_t now, struct gsoc_batch *b, char *err,
		       size_t errlen)
{
	if (!gsoc_json_depth_ok(data, len, GSOC_EVENT_MAX_DEPTH + 1)) {
		snprintf(err, errlen, "JSON nested too deeply");
		return CSHQ_EINVAL;
	}
	json_error_t je;
	b->root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!b->root) {
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s (send NDJSON to have a bad line reported alone)",
			 je.line, je.column, je.text);
		return CSHQ_EINVAL;
	}
	if (!json_is_array(b->root)) {
		snprintf(err, errlen, "the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)");
		return CSHQ_EINVAL;
	}
	b->total = json_array_size(b->root);
	if (b->total > GSOC_BATCH_MAX_EVENTS) {
		snprintf(err, errlen, "at most %d events per batch", GSOC_BATCH_MAX_EVENTS);
		return CSHQ_ELIMIT;
	}
	b->ev = xcalloc(b->total ? b->total : 1, sizeof(*b->ev));
	size_t i;
	json_t *o;
	json_array_foreach(b->root, i, o) check_event(b, o, i, now);
	return CSHQ_OK;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int parse_ndjson(const char *data, size_t len, int64_t now, struct gsoc_batch *b, char *err,
			size_t errlen)
{
	/* count first, so the cap is enforced before anything is parsed */
	size_t lines = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		if (!blank(data + pos, end - pos))
			lines++;
		pos = end + 1;
	}
	if (lines > GSOC_BATCH_MAX_EVENTS) {
		snprintf(err, errlen, "at most %d events per batch", GSOC_BATCH_MAX_EVENTS);
		return CSHQ_ELIMIT;
	}
	if (lines == 0) {
		snprintf(err, errlen, "the body holds no event");
		return CSHQ_EINVAL;
	}
	b->root = json_array();
	b->total = lines;
	b->ev = xcalloc(lines, sizeof(*b->ev));
	size_t index = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		const char *line = data + pos;
		size_t n = end - pos;
		pos = end + 1;
		if (blank(line, n))
			continue;
		size_t my = index++;
		if (!gsoc_json_depth_ok(line, n, GSOC_EVENT_MAX_DEPTH)) {
			add_error(b, my, "JSON nested too deeply");
			continue;
		}
		json_error_t je;
		json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je);
		if (!o) {
			char d[256];
			snprintf(d, sizeof(d), "invalid JSON at column %d: %s", je.column, je.text);
			add_error(b, my, d);
			continue;
		}
		json_array_append_new(b->root, o); /* keeps o alive as long as the batch */
		check_event(b, o, my, now);
	}
	return CSHQ_OK;
}

int gsoc_batch_parse(const char *data, size_t len, enum gsoc_batch_format fmt, int64_t now,
		     struct gsoc_batch *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->errors = json_array();
	if (!data || len == 0) {
		snprintf(err, errlen, "the body holds no event");
		return CSHQ_EINVAL;
	}
	return fmt == GSOC_BATCH_NDJSON ? parse_ndjson(data, len, now, b, err, errlen)
					: parse_array(data, len, now, b, err, errlen);
}
