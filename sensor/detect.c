/* detect.c: stream handling and indicator matching. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode/dns.h"
#include "decode/http.h"
#include "decode/tls.h"
#include "detect.h"

#define MAX_HITS 160

void inspector_init(struct inspector *in, size_t max_flows, const int timeout[FC_COUNT],
		    struct eve_writer *eve)
{
	memset(in, 0, sizeof(*in));
	flow_table_init(&in->flows, max_flows, timeout);
	in->eve = eve;
}

void inspector_release(struct inspector *in)
{
	flow_table_release(&in->flows);
}

void inspector_expire(struct inspector *in, int64_t now)
{
	flow_expire(&in->flows, now);
}

/* Reports each hit not yet reported on this flow. */
static void report(struct inspector *in, struct flow *f, const struct packet *p,
		   const uint32_t *hits, size_t n, const char *matched, enum eve_app app,
		   const void *appdata)
{
	for (size_t i = 0; i < n; i++) {
		struct ioc_hit h;
		ioc_set_hit(in->set, hits[i], &h);
		if (!flow_mark_alerted(f, h.key))
			continue;
		struct eve_alert a = {.pkt = p, .flow_id = f->id, .hit = &h, .matched = matched,
				      .app = app};
		if (app == EVE_APP_DNS)
			a.dns = appdata;
		else if (app == EVE_APP_TLS)
			a.tls = appdata;
		else if (app == EVE_APP_HTTP)
			a.http = appdata;
		in->st.alerts++;
		eve_writer_alert(in->eve, &a);
	}
}

static void match_ip(struct inspector *in, struct flow *f, const struct packet *p,
		     const struct ip_addr *ip, enum eve_app app, const void *appdata)
{
	uint32_t hits[MAX_HITS];
	size_t n = ioc_match_ip(in->set, ip, in->now, hits, MAX_HITS);
	if (n) {
		char txt[64];
		ip_addr_format(ip, txt, sizeof(txt));
		report(in, f, p, hits, n, txt, app, appdata);
	}
}

static void match_domain(struct inspector *in, struct flow *f, const struct packet *p,
			 const char *name, enum eve_app app, const void *appdata)
{
	uint32_t hits[MAX_HITS];
	if (!name[0])
		return;
	size_t n = ioc_match_domain(in->set, name, in->now, hits, MAX_HITS);
	if (n)
		report(in, f, p, hits, n, name, app, appdata);
}

static void on_dns(struct inspector *in, struct flow *f, const struct packet *p,
		   const uint8_t *msg, size_t len)
{
	struct dns_info d;
	if (dns_parse(msg, len, &d) != PARSE_OK) {
		in->st.errors[DL_DNS]++;
		return;
	}
	in->st.dns++;
	match_domain(in, f, p, d.qname, EVE_APP_DNS, &d);
	for (unsigned i = 0; i < d.n_answers; i++) {
		const struct dns_answer *a = &d.answers[i];
		if (a->type == 5)
			match_domain(in, f, p, a->cname, EVE_APP_DNS, &d);
		else
			match_ip(in, f, p, &a->addr, EVE_APP_DNS, &d);
	}
}

static void on_tls(struct inspector *in, struct flow *f, const struct packet *p,
		   const struct tls_client_hello *c)
{
	uint32_t hits[MAX_HITS];
	in->st.tls++;
	match_domain(in, f, p, c->sni, EVE_APP_TLS, c);
	size_t n = ioc_match_fingerprint(in->set, IOC_JA3, c->ja3, in->now, hits, MAX_HITS);
	report(in, f, p, hits, n, c->ja3, EVE_APP_TLS, c);
	n = ioc_match_fingerprint(in->set, IOC_JA4, c->ja4, in->now, hits, MAX_HITS);
	report(in, f, p, hits, n, c->ja4, EVE_APP_TLS, c);
}

static void on_http(struct inspector *in, struct flow *f, const struct packet *p,
		    const struct http_request *r)
{
	uint32_t hits[MAX_HITS];
	char host[256];
	in->st.http++;
	/* Host without port, for domain matching */
	snprintf(host, sizeof(host), "%s", r->host);
	char *colon = strrchr(host, ':');
	if (colon && !strchr(host, ']'))
		*colon = '\0';
	else if (host[0] == '[') { /* [v6]:port */
		char *rb = strchr(host, ']');
		if (rb)
			rb[1] = '\0';
	}
	match_domain(in, f, p, host, EVE_APP_HTTP, r);
	/* the URL as requested: absolute-form as is, origin-form on the Host */
	char url[4400];
	if (strncasecmp(r->uri, "http://", 7) == 0 || strncasecmp(r->uri, "https://", 8) == 0)
		snprintf(url, sizeof(url), "%s", r->uri);
	else if (r->host[0])
		snprintf(url, sizeof(url), "http://%s%s%s", r->host, r->uri[0] == '/' ? "" : "/",
			 r->uri);
	else {
		char ip[64];
		ip_addr_format(&p->dst, ip, sizeof(ip)); /* requests go client to server */
		snprintf(url, sizeof(url), "http://%s%s%s%s%s", p->dst.family == 6 ? "[" : "", ip,
			 p->dst.family == 6 ? "]" : "", r->uri[0] == '/' ? "" : "/", r->uri);
	}
	size_t n = ioc_match_url(in->set, url, in->now, hits, MAX_HITS);
	report(in, f, p, hits, n, url, EVE_APP_HTTP, r);
}

/* Parses what the stream holds; data/len is either the buffer or, when nothing is
 * buffered, the segment itself (the common case needs no copy). Returns bytes consumed;
 * may set the state to SS_DONE. */
static size_t parse_stream(struct inspector *in, struct flow *f, struct stream *s,
			   const struct packet *p, const uint8_t *data, size_t len)
{
	size_t used = 0;
	while (used < len && s->state != SS_DONE) {
		const uint8_t *d = data + used;
		size_t n = len - used;
		if (s->skip) {
			size_t k = s->skip < n ? (size_t)s->skip : n;
			s->skip -= k;
			used += k;
			continue;
		}
		if (s->state == SS_NEW) {
			if (tls_looks_like_handshake(d, n) && n >= 2)
				s->state = SS_TLS;
			else if (http_looks_like_request(d, n) && n >= 8)
				s->state = SS_HTTP;
			else if (p->sport == 53 || p->dport == 53)
				s->state = SS_DNS;
			else if (n >= 8 || !(tls_looks_like_handshake(d, n) ||
					     http_looks_like_request(d, n)))
				s->state = SS_DONE;
			else
				return used; /* too short to tell yet */
			continue;
		}
		if (s->state == SS_TLS) {
			struct tls_client_hello c;
			int rc = tls_parse_client_hello(d, n, &c);
			if (rc == PARSE_MORE)
				return used;
			if (rc == PARSE_OK)
				on_tls(in, f, p, &c);
			else if (d[0] == 22 && n > 5 && d[5] == 1)
				in->st.errors[DL_TLS]++; /* a ClientHello, but malformed */
			s->state = SS_DONE; /* the first ClientHello is all we look at */
			return len;
		}
		if (s->state == SS_HTTP) {
			struct http_request r;
			size_t head;
			int rc = http_parse_request(d, n, &r, &head);
			if (rc == PARSE_MORE)
				return used;
			if (rc != PARSE_OK) {
				if (used == 0 && s->len == 0)
					in->st.errors[DL_HTTP]++;
				s->state = SS_DONE;
				return len;
			}
			on_http(in, f, p, &r);
			used += head;
			if (r.chunked) {
				s->state = SS_DONE; /* bodies of unknown length: stop here */
				return len;
			}
			s->skip = r.content_length;
			continue;
		}
		if (s->state == SS_DNS) {
			if (n < 2)
				return used;
			size_t ml = rd16(d);
			if (ml + 2 > n) {
				if (ml + 2 > STREAM_BUF_MAX)
					s->state = SS_DONE;
				return used;
			}
			on_dns(in, f, p, d + 2, ml);
			used += ml + 2;
			continue;
		}
	}
	return used < len ? used : len;
}

static void on_tcp_payload(struct inspector *in, struct flow *f, int dir, const struct packet *p)
{
	struct stream *s = &f->st[dir];
	const uint8_t *d = p->payload;
	size_t n = p->payload_len;
	uint32_t seq = p->tcp_seq;
	if (p->tcp_flags & TCP_SYN) {
		s->next_seq = seq + 1;
		s->seq_init = true;
		seq++;
	}
	if (s->state == SS_DONE || n == 0)
		return;
	if (!s->seq_init) {
		s->next_seq = seq;
		s->seq_init = true;
	}
	int32_t delta = (int32_t)(seq - s->next_seq);
	uint32_t start = seq;
	if (delta < 0) { /* retransmission, maybe with new bytes at the end */
		size_t dup = (size_t)(-(int64_t)delta);
		if (dup >= n)
			return;
		d += dup;
		n -= dup;
		start = s->next_seq;
	} else if (delta > 0) {
		/* a gap (loss or reordering): resynchronise on this segment; the partial
		 * message before it is lost, but a later one can still be parsed */
		flow_stream_consume(s, s->len);
		s->skip = 0;
	}
	s->next_seq = start + (uint32_t)n;
	if (s->len == 0) {
		size_t used = parse_stream(in, f, s, p, d, n);
		if (s->state != SS_DONE && used < n &&
		    flow_stream_append(&in->flows, s, d + used, n - used) != CSHQ_OK)
			s->state = SS_DONE;
	} else {
		if (flow_stream_append(&in->flows, s, d, n) != CSHQ_OK) {
			s->state = SS_DONE;
		} else {
			size_t used = parse_stream(in, f, s, p, s->buf, s->len);
			flow_stream_consume(s, used);
		}
	}
	if (s->state == SS_DONE && s->cap)
		flow_stream_free(&in->flows, s);
}

void inspector_packet(struct inspector *in, const struct ioc_set *set, uint64_t generation,
		      int linktype, const struct timeval *ts, uint32_t wirelen,
		      const uint8_t *data, uint32_t caplen)
{
	struct packet p;
	enum decode_layer err = DL_LINK;
	p.ts = *ts;
	p.wirelen = wirelen;
	in->set = set;
	in->generation = generation;
	in->st.pkts++;
	in->st.bytes += wirelen;
	int rc = decode_packet(&p, linktype, data, caplen, &err);
	if (p.vlan_count)
		in->st.vlan++;
	if (rc != CSHQ_OK) {
		in->st.errors[err]++;
		/* an outer layer decoded fine: addresses are still worth matching */
		if (p.ipver == 0 || err == DL_IPV4 || err == DL_IPV6)
			return;
	}
	if (p.ipver == 0) {
		in->st.non_ip++;
		return;
	}
	if (p.ipver == 4) {
		in->st.ipv4++;
		in->st.ipv4_frag += p.fragment;
	} else {
		in->st.ipv6++;
		in->st.ipv6_frag += p.fragment;
	}
	if (p.fragment && !p.l4_valid)
		return; /* a non-first fragment: counted, not inspected (no reassembly) */
	if (p.l4_valid) {
		if (p.proto == 6)
			in->st.tcp++;
		else if (p.proto == 17)
			in->st.udp++;
		else
			in->st.icmp++;
	} else {
		in->st.other_ip++;
	}
	int dir;
	bool created;
	struct flow *f = flow_get(&in->flows, &p, flow_hash(&p), &dir, &created);
	f->pkts[dir]++;
	f->bytes[dir] += wirelen;
	if (created || f->ip_generation != generation) {
		f->ip_generation = generation;
		match_ip(in, f, &p, &p.src, EVE_APP_NONE, NULL);
		match_ip(in, f, &p, &p.dst, EVE_APP_NONE, NULL);
	}
	if (!p.l4_valid || rc != CSHQ_OK)
		return;
	if (p.proto == 17 && (p.sport == 53 || p.dport == 53) && !p.fragment)
		on_dns(in, f, &p, p.payload, p.payload_len);
	else if (p.proto == 6)
		on_tcp_payload(in, f, dir, &p);
}
