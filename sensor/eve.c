/* eve.c: EVE JSON events. Built with jansson (alerts are rare next to packets, so
 * clarity wins over a hand-rolled writer) and dumped in insertion order. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eve.h"
#include "forward.h"

void decode_stats_add(struct decode_stats *s, const struct decode_stats *x)
{
	s->pkts += x->pkts;
	s->bytes += x->bytes;
	s->ipv4 += x->ipv4;
	s->ipv6 += x->ipv6;
	s->vlan += x->vlan;
	s->tcp += x->tcp;
	s->udp += x->udp;
	s->icmp += x->icmp;
	s->other_ip += x->other_ip;
	s->non_ip += x->non_ip;
	s->ipv4_frag += x->ipv4_frag;
	s->ipv6_frag += x->ipv6_frag;
	s->dns += x->dns;
	s->tls += x->tls;
	s->http += x->http;
	for (int i = 0; i < DL_COUNT; i++)
		s->errors[i] += x->errors[i];
	s->alerts += x->alerts;
	s->flow.created += x->flow.created;
	s->flow.timed_out += x->flow.timed_out;
	s->flow.evicted += x->flow.evicted;
	s->flow.active += x->flow.active;
	s->flow.stream_bytes += x->flow.stream_bytes;
	s->flow.memory += x->flow.memory;
}

void eve_timestamp(const struct timeval *tv, char out[64])
{
	struct tm tm;
	time_t t = tv->tv_sec;
	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+0000", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv->tv_usec);
}

static const char *proto_name(uint8_t p, char buf[8])
{
	switch (p) {
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 1:
		return "ICMP";
	case IPPROTO_ICMPV6_:
		return "IPv6-ICMP";
	default:
		snprintf(buf, 8, "%03u", p);
		return buf;
	}
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *dns_object(const struct dns_info *d)
{
	char t[8], ip[64];
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(2));
	json_object_set_new(o, "type", json_string(d->response ? "answer" : "query"));
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "rrname", json_string(d->qname));
	dns_type_name(d->qtype, t);
	json_object_set_new(o, "rrtype", json_string(t));
	if (d->response) {
		static const char *const rc[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
						 "NOTIMP",  "REFUSED"};
		json_object_set_new(o, "rcode", json_string(d->rcode < 6 ? rc[d->rcode] : "OTHER"));
		json_t *ans = json_array();
		for (unsigned i = 0; i < d->n_answers; i++) {
			const struct dns_answer *a = &d->answers[i];
			json_t *x = json_object();
			json_object_set_new(x, "rrname", json_string(a->name));
			dns_type_name(a->type, t);
			json_object_set_new(x, "rrtype", json_string(t));
			if (a->type == 5) {
				json_object_set_new(x, "rdata", json_string(a->cname));
			} else {
				ip_addr_format(&a->addr, ip, sizeof(ip));
				json_object_set_new(x, "rdata", json_string(ip));
			}
			json_array_append_new(ans, x);
		}
		json_object_set_new(o, "answers", ans);
	}
	return o;
}

static json_t *tls_object(const struct tls_client_hello *c)
{
	json_t *o = json_object();
	set_str(o, "sni", c->sni);
	json_t *ja3 = json_object();
	json_object_set_new(ja3, "hash", json_string(c->ja3));
	json_object_set_new(ja3, "string", json_string(c->ja3_string));
	json_object_set_new(o, "ja3", ja3);
	json_object_set_new(o, "ja4", json_string(c->ja4));
	if (c->alpn[0]) {
		json_t *a = json_array();
		json_array_append_new(a, json_string(c->alpn));
		json_object_set_new(o, "client_alpns", a);
	}
	return o;
}

static json_t *http_object(const struct http_request *h)
{
	json_t *o = json_object();
	set_str(o, "hostname", h->host);
	set_str(o, "url", h->uri);
	set_str(o, "http_user_agent", h->user_agent);
	set_str(o, "http_method", h->method);
	set_str(o, "protocol", h->protocol);
	return o;
}

static json_t *json_string_lossy(const char *s)
{
	/* wire data is made printable by the decoders; keep a fallback for safety */
	json_t *j = json_string(s);
	return j ? j : json_string("?");
}

char *eve_alert_format(const struct eve_alert *a, const struct eve_identity *id, uint64_t seq)
{
	char ts[64], sip[64], dip[64], pb[8];
	const struct packet *p = a->pkt;
	const struct ioc_hit *h = a->hit;
	eve_timestamp(&p->ts, ts);
	ip_addr_format(&p->src, sip, sizeof(sip));
	ip_addr_format(&p->dst, dip, sizeof(dip));
	json_t *o = json_object();
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "flow_id", json_integer((json_int_t)a->flow_id));
	if (id->iface)
		json_object_set_new(o, "in_iface", json_string(id->iface));
	json_object_set_new(o, "event_type", json_string("alert"));
	if (p->vlan_count) {
		json_t *v = json_array();
		for (int i = 0; i < p->vlan_count && i < DECODE_MAX_VLAN; i++)
			json_array_append_new(v, json_integer(p->vlan[i]));
		json_object_set_new(o, "vlan", v);
	}
	json_object_set_new(o, "src_ip", json_string(sip));
	bool ports = p->l4_valid && (p->proto == 6 || p->proto == 17);
	if (ports)
		json_object_set_new(o, "src_port", json_integer(p->sport));
	json_object_set_new(o, "dest_ip", json_string(dip));
	if (ports)
		json_object_set_new(o, "dest_port", json_integer(p->dport));
	json_object_set_new(o, "proto", json_string(proto_name(p->proto, pb)));
	if (p->proto == 1 || p->proto == IPPROTO_ICMPV6_) {
		json_object_set_new(o, "icmp_type", json_integer(p->icmp_type));
		json_object_set_new(o, "icmp_code", json_integer(p->icmp_code));
	}
	if (a->app == EVE_APP_DNS)
		json_object_set_new(o, "app_proto", json_string("dns"));
	else if (a->app == EVE_APP_TLS)
		json_object_set_new(o, "app_proto", json_string("tls"));
	else if (a->app == EVE_APP_HTTP)
		json_object_set_new(o, "app_proto", json_string("http"));

	char sig[600];
	snprintf(sig, sizeof(sig), "CSHQ indicator match: %s %.500s", ioc_type_name(h->type),
		 h->value);
	json_t *al = json_object();
	json_object_set_new(al, "action", json_string("allowed"));
	json_object_set_new(al, "gid", json_integer(1));
	/* a stable id per indicator, in the range Suricata leaves for local rules */
	json_object_set_new(al, "signature_id",
			    json_integer((json_int_t)(1000000000u + (h->key % 900000000u))));
	json_object_set_new(al, "rev", json_integer(1));
	json_object_set_new(al, "signature", json_string_lossy(sig));
	json_object_set_new(al, "category", json_string("Known bad indicator"));
	json_object_set_new(al, "severity", json_integer(h->severity));
	json_object_set_new(o, "alert", al);

	if (a->app == EVE_APP_DNS && a->dns)
		json_object_set_new(o, "dns", dns_object(a->dns));
	else if (a->app == EVE_APP_TLS && a->tls)
		json_object_set_new(o, "tls", tls_object(a->tls));
	else if (a->app == EVE_APP_HTTP && a->http)
		json_object_set_new(o, "http", http_object(a->http));

	json_t *c = json_object();
	json_object_set_new(c, "indicator_type", json_string(ioc_type_name(h->type)));
	json_object_set_new(c, "indicator_value", json_string_lossy(h->value));
	json_object_set_new(c, "matched_value", json_string_lossy(a->matched));
	set_str(c, "indicator_id", h->id);
	set_str(c, "source", h->source);
	set_str(c, "tlp", h->tlp);
	json_object_set_new(c, "sensor", json_string(id->sensor));
	set_str(c, "org", id->org);
	json_object_set_new(c, "seq", json_integer((json_int_t)seq));
	json_object_set_new(o, "cshq", c);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	CSHQ_ASSERT(s);
	return s;
}

static void put_u(json_t *o, const char *k, uint64_t v)
{
	json_object_set_new(o, k, json_integer((json_int_t)v));
}

char *eve_stats_format(const struct timeval *tv, const struct eve_identity *id, int64_t uptime,
		       const struct decode_stats *d, const struct capture_stats *c,
		       const struct forward_stats *f, size_t ioc_count, size_t ioc_memory,
		       uint64_t ioc_generation)
{
	char ts[64];
	eve_timestamp(tv, ts);
	json_t *o = json_object();
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "event_type", json_string("stats"));
	json_t *st = json_object();
	put_u(st, "uptime", (uint64_t)uptime);
	if (c) {
		json_t *x = json_object();
		put_u(x, "packets", c->pkts);
		put_u(x, "bytes", c->bytes);
		put_u(x, "kernel_packets", c->kernel_recv);
		put_u(x, "kernel_drops", c->kernel_drop);
		put_u(x, "kernel_ifdrops", c->kernel_ifdrop);
		put_u(x, "files_done", c->files_done);
		json_object_set_new(st, "capture", x);
	}
	if (d) {
		json_t *x = json_object();
		put_u(x, "pkts", d->pkts);
		put_u(x, "bytes", d->bytes);
		put_u(x, "ipv4", d->ipv4);
		put_u(x, "ipv6", d->ipv6);
		put_u(x, "vlan", d->vlan);
		put_u(x, "tcp", d->tcp);
		put_u(x, "udp", d->udp);
		put_u(x, "icmp", d->icmp);
		put_u(x, "other_ip", d->other_ip);
		put_u(x, "non_ip", d->non_ip);
		put_u(x, "ipv4_frag", d->ipv4_frag);
		put_u(x, "ipv6_frag", d->ipv6_frag);
		put_u(x, "dns", d->dns);
		put_u(x, "tls", d->tls);
		put_u(x, "http", d->http);
		json_t *e = json_object();
		for (int i = 0; i < DL_COUNT; i++)
			put_u(e, decode_layer_name((enum decode_layer)i), d->errors[i]);
		json_object_set_new(x, "errors", e);
		json_object_set_new(st, "decoder", x);
		json_t *dt = json_object();
		put_u(dt, "alerts", d->alerts);
		put_u(dt, "indicators", ioc_count);
		put_u(dt, "indicator_generation", ioc_generation);
		json_object_set_new(st, "detect", dt);
		json_t *fl = json_object();
		put_u(fl, "active", d->flow.active);
		put_u(fl, "total", d->flow.created);
		put_u(fl, "timed_out", d->flow.timed_out);
		put_u(fl, "evicted", d->flow.evicted);
		json_object_set_new(st, "flow", fl);
		json_t *m = json_object();
		put_u(m, "flows_bytes", d->flow.memory);
		put_u(m, "stream_bytes", d->flow.stream_bytes);
		put_u(m, "indicators_bytes", ioc_memory);
		long rss_kb = 0, peak_kb = 0;
		FILE *sf = fopen("/proc/self/status", "r");
		if (sf) {
			char line[256];
			while (fgets(line, sizeof(line), sf)) {
				if (strncmp(line, "VmRSS:", 6) == 0)
					rss_kb = strtol(line + 6, NULL, 10);
				else if (strncmp(line, "VmHWM:", 6) == 0)
					peak_kb = strtol(line + 6, NULL, 10);
			}
			fclose(sf);
		}
		put_u(m, "rss_bytes", (uint64_t)rss_kb * 1024);
		put_u(m, "peak_rss_bytes", (uint64_t)peak_kb * 1024);
		json_object_set_new(st, "memory", m);
	}
	if (f) {
		json_t *x = json_object();
		put_u(x, "queued", f->queued);
		put_u(x, "spooled", f->spooled);
		put_u(x, "acked", f->acked);
		put_u(x, "duplicates", f->duplicates);
		put_u(x, "rejected", f->rejected);
		put_u(x, "dropped", f->dropped);
		put_u(x, "spool_batches", f->spool_batches);
		put_u(x, "spool_bytes", f->spool_bytes);
		put_u(x, "post_failures", f->post_failures);
		put_u(x, "feed_version", f->feed_version);
		json_object_set_new(st, "forward", x);
	}
	json_object_set_new(o, "stats", st);
	json_t *c2 = json_object();
	json_object_set_new(c2, "sensor", json_string(id->sensor));
	set_str(c2, "org", id->org);
	json_object_set_new(o, "cshq", c2);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	CSHQ_ASSERT(s);
	return s;
}

int eve_writer_open(struct eve_writer *w, const char *path, const struct eve_identity *id,
		    struct forwarder *fwd)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	w->id = *id;
	w->fwd = fwd;
	w->next_seq = 1;
	if (!path)
		return CSHQ_OK;
	if (strcmp(path, "-") == 0) {
		w->out = stdout;
		return CSHQ_OK;
	}
	w->out = fopen(path, "a");
	if (!w->out)
		return CSHQ_ERR;
	w->close_out = true;
	return CSHQ_OK;
}

void eve_writer_close(struct eve_writer *w)
{
	if (w->out) {
		fflush(w->out);
		if (w->close_out)
			fclose(w->out);
	}
	w->out = NULL;
	pthread_mutex_destroy(&w->lock);
}

void eve_writer_alert(struct eve_writer *w, const struct eve_alert *a)
{
	/* the lock spans numbering and writing so the EVE file is in sequence order */
	pthread_mutex_lock(&w->lock);
	uint64_t seq = w->fwd ? forwarder_next_seq(w->fwd) : w->next_seq++;
	char *s = eve_alert_format(a, &w->id, seq);
	if (w->out) {
		fputs(s, w->out);
		fputc('\n', w->out);
		fflush(w->out);
	}
	w->alerts++;
	if (w->fwd)
		forwarder_submit(w->fwd, s, seq); /* takes s */
	else
		free(s);
	pthread_mutex_unlock(&w->lock);
}

void eve_writer_line(struct eve_writer *w, const char *json)
{
	pthread_mutex_lock(&w->lock);
	if (w->out) {
		fputs(json, w->out);
		fputc('\n', w->out);
		fflush(w->out);
	}
	pthread_mutex_unlock(&w->lock);
}
