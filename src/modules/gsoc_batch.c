/* gsoc_batch.c: reading alert batches (see gsoc_batch.h). Events are read with the strict
 * tree-less reader of gsoc_eve.c and checked field by field; the first problem found is
 * an event's error detail. Each event keeps its text as received, which is what the centre
 * stores. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_batch.h"
#include "modules/gsoc_eve.h"

#define MIN_TIMESTAMP 946684800 /* 2000-01-01T00:00:00Z */

void gsoc_batch_release(struct gsoc_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->ev[i].ivalue);
	free(b->ev);
	gsoc_arena_release(b->arena);
	free(b->arena);
	json_decref(b->errors);
	memset(b, 0, sizeof(*b));
}

static void add_error(struct gsoc_batch *b, size_t index, const char *detail)
{
	json_array_append_new(
	    b->errors, json_pack("{s:I, s:s}", "index", (json_int_t)index, "detail", detail));
}

static const struct gsoc_eve_value *get(const struct gsoc_eve *f, enum gsoc_eve_path p)
{
	return &f->v[p];
}

static bool absent_or_null(const struct gsoc_eve_value *v)
{
	return v->type == GSOC_JSON_ABSENT || v->type == GSOC_JSON_NULL;
}

/* An optional string of 1..max bytes: NULL when absent (or null); *bad otherwise. */
static const char *opt_str(const struct gsoc_eve *f, enum gsoc_eve_path p, size_t max, bool *bad)
{
	const struct gsoc_eve_value *v = get(f, p);
	if (absent_or_null(v))
		return NULL;
	if (v->type != GSOC_JSON_STRING || v->len > max || v->len == 0 ||
	    strlen(v->str) != v->len) {
		*bad = true;
		return NULL;
	}
	return v->str;
}

/* A required string of 1..max bytes, or NULL. */
static const char *req_str(const struct gsoc_eve *f, enum gsoc_eve_path p, size_t max)
{
	const struct gsoc_eve_value *v = get(f, p);
	if (v->type != GSOC_JSON_STRING || v->len == 0 || v->len > max)
		return NULL;
	return v->str;
}

static bool valid_ip(const char *s)
{
	unsigned char a[16];
	return strlen(s) < INET6_ADDRSTRLEN &&
	       (inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1);
}

/* A non-negative integer, -1 when absent; false when present but not one. */
static bool opt_count(const struct gsoc_eve *f, enum gsoc_eve_path p, int64_t *out)
{
	const struct gsoc_eve_value *v = get(f, p);
	*out = -1;
	if (v->type == GSOC_JSON_ABSENT)
		return true;
	if (v->type != GSOC_JSON_INTEGER || v->i < 0)
		return false;
	*out = v->i;
	return true;
}

static bool is_object_or_absent(const struct gsoc_eve *f, enum gsoc_eve_path p)
{
	return get(f, p)->type == GSOC_JSON_ABSENT || get(f, p)->type == GSOC_JSON_OBJECT;
}

static const char *check_stats(const struct gsoc_eve *f, struct gsoc_event *e)
{
	if (get(f, EVE_STATS)->type != GSOC_JSON_OBJECT)
		return "stats: an object is required for event_type stats";
	if (!is_object_or_absent(f, EVE_CAPTURE) || !is_object_or_absent(f, EVE_FORWARD))
		return "stats.capture and stats.forward must be objects";
	if (!opt_count(f, EVE_UPTIME, &e->uptime))
		return "stats.uptime: a non-negative integer";
	if (!opt_count(f, EVE_KERNEL_PACKETS, &e->kernel_packets) ||
	    !opt_count(f, EVE_KERNEL_DROPS, &e->kernel_drops))
		return "stats.capture: kernel_packets and kernel_drops are non-negative integers";
	if (!opt_count(f, EVE_SPOOL_BATCHES, &e->spool_batches) ||
	    !opt_count(f, EVE_SPOOL_BYTES, &e->spool_bytes) ||
	    !opt_count(f, EVE_DROPPED, &e->dropped) ||
	    !opt_count(f, EVE_FEED_VERSION, &e->feed_version))
		return "stats.forward: spool_batches, spool_bytes, dropped and feed_version are "
		       "non-negative integers";
	return NULL;
}

static const char *check_alert(const struct gsoc_eve *f, struct gsoc_event *e, char *detail,
                               size_t dlen)
{
	if (get(f, EVE_ALERT)->type != GSOC_JSON_OBJECT)
		return "alert: an object is required for event_type alert";
	if (get(f, EVE_CSHQ)->type != GSOC_JSON_OBJECT)
		return "cshq: an object with seq, indicator_type, indicator_value, matched_value "
		       "and sensor is required";
	const struct gsoc_eve_value *seq = get(f, EVE_SEQ);
	if (seq->type != GSOC_JSON_INTEGER || seq->i < 1)
		return "cshq.seq: a positive integer is required";
	e->seq = seq->i;
	const struct gsoc_eve_value *it = get(f, EVE_INDICATOR_TYPE);
	if (it->type != GSOC_JSON_STRING || gsoc_ioc_type_parse(it->str, &e->itype) != CSHQ_OK)
		return "cshq.indicator_type: one of ipv4, ipv6, cidr, domain, domain_suffix, url, "
		       "url_prefix, ja3, ja4";
	const struct gsoc_eve_value *iv = get(f, EVE_INDICATOR_VALUE);
	if (iv->type != GSOC_JSON_STRING)
		return "cshq.indicator_value: a string is required";
	char norm[GSOC_VALUE_MAX + 1];
	const char *why;
	if (gsoc_ioc_normalise(e->itype, iv->str, norm, sizeof(norm), &why) != CSHQ_OK) {
		snprintf(detail, dlen, "cshq.indicator_value: %s", why);
		return detail;
	}
	if (!(e->matched = req_str(f, EVE_MATCHED_VALUE, GSOC_MATCHED_MAX)))
		return "cshq.matched_value: a string of 1 to 4096 bytes is required";
	if (!(e->sensor_label = req_str(f, EVE_SENSOR, 128)))
		return "cshq.sensor: a string of 1 to 128 bytes is required";
	const struct gsoc_eve_value *tlp = get(f, EVE_TLP);
	e->has_tlp = tlp->type == GSOC_JSON_STRING && gsoc_tlp_parse(tlp->str, &e->tlp) == CSHQ_OK;
	bool bad = false;
	e->src_ip = opt_str(f, EVE_SRC_IP, 45, &bad);
	e->dest_ip = opt_str(f, EVE_DEST_IP, 45, &bad);
	if (bad || (e->src_ip && !valid_ip(e->src_ip)) || (e->dest_ip && !valid_ip(e->dest_ip)))
		return "src_ip, dest_ip: IP addresses";
	e->proto = opt_str(f, EVE_PROTO, 16, &bad);
	e->app_proto = opt_str(f, EVE_APP_PROTO, 32, &bad);
	if (bad)
		return "proto, app_proto: short strings";
	const enum gsoc_eve_path ports[2] = {EVE_SRC_PORT, EVE_DEST_PORT};
	int *pv[2] = {&e->src_port, &e->dest_port};
	for (int i = 0; i < 2; i++) {
		const struct gsoc_eve_value *p = get(f, ports[i]);
		*pv[i] = -1;
		if (absent_or_null(p))
			continue;
		if (p->type != GSOC_JSON_INTEGER || p->i < 0 || p->i > 65535)
			return "src_port, dest_port: integers 0..65535";
		*pv[i] = (int)p->i;
	}
	const struct gsoc_eve_value *fid = get(f, EVE_FLOW_ID);
	if (!absent_or_null(fid)) {
		if (fid->type != GSOC_JSON_INTEGER)
			return "flow_id: an integer";
		e->has_flow_id = true;
		e->flow_id = fid->i;
	}
	const struct gsoc_eve_value *sev = get(f, EVE_ALERT_SEVERITY);
	if (sev->type != GSOC_JSON_ABSENT &&
	    (sev->type != GSOC_JSON_INTEGER || sev->i < 1 || sev->i > 255))
		return "alert.severity: an integer 1..255";
	e->severity = sev->type == GSOC_JSON_INTEGER ? (int)sev->i : 0;
	e->ivalue = xstrdup(norm);
	return NULL;
}

/* Checks one event read into f; on success appends it to b->ev. */
static void check_event(struct gsoc_batch *b, const struct gsoc_eve *f, size_t index, int64_t now,
                        const char *text, size_t text_len)
{
	char detail[GSOC_VALUE_MAX + 64];
	const char *why = NULL;
	struct gsoc_event e;
	memset(&e, 0, sizeof(e));
	e.index = index;
	e.text = text;
	e.text_len = text_len;
	e.kernel_packets = e.kernel_drops = e.spool_batches = e.spool_bytes = e.dropped =
	    e.feed_version = e.uptime = -1;
	const char *type = req_str(f, EVE_EVENT_TYPE, 16);
	const struct gsoc_eve_value *ts = get(f, EVE_TIMESTAMP);
	if (f->v[EVE_ROOT].type != GSOC_JSON_OBJECT)
		why = "an event must be a JSON object";
	else if (!type || (strcmp(type, "alert") != 0 && strcmp(type, "stats") != 0))
		why = "event_type: \"alert\" or \"stats\" is required";
	else if (ts->type != GSOC_JSON_STRING || gsoc_parse_timestamp(ts->str, &e.at) != CSHQ_OK)
		why = "timestamp: an EVE or RFC 3339 timestamp is required";
	else if (e.at < MIN_TIMESTAMP || e.at > now + 86400)
		why = "timestamp: before 2000 or more than a day ahead of the centre's clock";
	else if (strcmp(type, "stats") == 0) {
		e.kind = GSOC_EV_STATS;
		why = check_stats(f, &e);
	} else {
		e.kind = GSOC_EV_ALERT;
		why = check_alert(f, &e, detail, sizeof(detail));
	}
	if (why) {
		free(e.ivalue);
		add_error(b, index, why);
		return;
	}
	b->ev[b->n++] = e;
}

static size_t skip_ws(const char *p, size_t i, size_t n)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

static void grow(struct gsoc_batch *b, size_t *cap)
{
	if (b->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		b->ev = xrealloc(b->ev, *cap * sizeof(*b->ev));
	}
}

/* A JSON array read element by element, so that each event keeps its own text and an
 * element that is not an object is reported alone. A syntax error inside an element
 * leaves no reliable way to find the next one: the body is refused whole. */
static int parse_array(const char *data, size_t len, int64_t now, struct gsoc_batch *b, char *err,
                       size_t errlen)
{
	size_t i = skip_ws(data, 0, len);
	if (i == len || data[i] != '[') {
		snprintf(err, errlen,
		         "the body must be a JSON array of events (or NDJSON with Content-Type "
		         "application/x-ndjson)");
		return CSHQ_EINVAL;
	}
	size_t cap = 0;
	i = skip_ws(data, i + 1, len);
	if (i < len && data[i] == ']') {
		i++;
	} else {
		for (;;) {
			if (b->total == GSOC_BATCH_MAX_EVENTS) {
				snprintf(err, errlen, "at most %d events per batch",
				         GSOC_BATCH_MAX_EVENTS);
				return CSHQ_ELIMIT;
			}
			size_t index = b->total++;
			grow(b, &cap);
			struct gsoc_eve f;
			size_t used;
			const char *why;
			if (gsoc_eve_read(data + i, len - i, GSOC_EVENT_MAX_DEPTH, true, b->arena,
			                  &f, &used, &why) != CSHQ_OK) {
				snprintf(err, errlen,
				         "invalid JSON in event %zu at byte %zu: %s (send NDJSON "
				         "to have a bad line reported alone)",
				         index, i + used, why);
				return CSHQ_EINVAL;
			}
			check_event(b, &f, index, now, data + i, used);
			i = skip_ws(data, i + used, len);
			if (i < len && data[i] == ',') {
				i = skip_ws(data, i + 1, len);
				continue;
			}
			if (i < len && data[i] == ']') {
				i++;
				break;
			}
			snprintf(err, errlen, "invalid JSON after event %zu: ',' or ']' expected",
			         index);
			return CSHQ_EINVAL;
		}
	}
	if (skip_ws(data, i, len) != len) {
		snprintf(err, errlen, "invalid JSON: data after the array");
		return CSHQ_EINVAL;
	}
	return CSHQ_OK;
}

static bool blank(const char *s, size_t n)
{
	return skip_ws(s, 0, n) == n;
}

static int parse_ndjson(const char *data, size_t len, int64_t now, struct gsoc_batch *b, char *err,
                        size_t errlen)
{
	/* count first, so the cap is enforced before anything is read */
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
		struct gsoc_eve f;
		size_t used;
		const char *why;
		if (gsoc_eve_read(line, n, GSOC_EVENT_MAX_DEPTH, true, b->arena, &f, &used, &why) ==
		        CSHQ_OK &&
		    !blank(line + used, n - used)) {
			why = "data after the event on its line";
			used = skip_ws(line, used, n);
		} else if (!why) {
			check_event(b, &f, my, now, line, n);
			continue;
		}
		char d[256];
		snprintf(d, sizeof(d), "invalid JSON at column %zu: %s", used + 1, why);
		add_error(b, my, d);
	}
	return CSHQ_OK;
}

int gsoc_batch_parse(const char *data, size_t len, enum gsoc_batch_format fmt, int64_t now,
                     struct gsoc_batch *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->errors = json_array();
	b->arena = xcalloc(1, sizeof(*b->arena));
	if (!data || len == 0) {
		snprintf(err, errlen, "the body holds no event");
		return CSHQ_EINVAL;
	}
	return fmt == GSOC_BATCH_NDJSON ? parse_ndjson(data, len, now, b, err, errlen)
	                                : parse_array(data, len, now, b, err, errlen);
}
