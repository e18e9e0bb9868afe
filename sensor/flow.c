/* flow.c: chained hash table plus one doubly linked list per timeout class. Each class
 * has one timeout, so its list ordered by last packet is also ordered by expiry and
 * expiring is popping from the head. */
#include <stdlib.h>
#include <string.h>

#include "flow.h"

void flow_table_init(struct flow_table *t, size_t max_flows, const int timeout[FC_COUNT])
{
	memset(t, 0, sizeof(*t));
	size_t nb = 1024;
	while (nb < max_flows && nb < ((size_t)1 << 30))
		nb <<= 1;
	t->bucket = xcalloc(nb, sizeof(*t->bucket));
	t->mask = nb - 1;
	t->max = max_flows ? max_flows : 1;
	memcpy(t->timeout, timeout, sizeof(t->timeout));
}

static void list_remove(struct flow_table *t, struct flow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		t->head[f->cls] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		t->tail[f->cls] = f->prev;
	f->prev = f->next = NULL;
}

static void list_append(struct flow_table *t, struct flow *f)
{
	f->prev = t->tail[f->cls];
	f->next = NULL;
	if (f->prev)
		f->prev->next = f;
	else
		t->head[f->cls] = f;
	t->tail[f->cls] = f;
}

void flow_stream_free(struct flow_table *t, struct stream *s)
{
	t->st.stream_bytes -= s->cap;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static void flow_destroy(struct flow_table *t, struct flow *f)
{
	struct flow **pp = &t->bucket[f->hash & t->mask];
	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	list_remove(t, f);
	flow_stream_free(t, &f->st[0]);
	flow_stream_free(t, &f->st[1]);
	if (f->alerted != f->alerted_inline)
		free(f->alerted);
	free(f);
	t->st.active--;
}

void flow_table_release(struct flow_table *t)
{
	if (!t || !t->bucket)
		return;
	for (int c = 0; c < FC_COUNT; c++)
		while (t->head[c])
			flow_destroy(t, t->head[c]);
	free(t->bucket);
	t->bucket = NULL;
}

static void make_key(const struct packet *p, struct flow_key *k, bool *swapped)
{
	memset(k, 0, sizeof(*k));
	uint16_t sp = p->l4_valid ? p->sport : 0, dp = p->l4_valid ? p->dport : 0;
	if (p->proto == 1 || p->proto == IPPROTO_ICMPV6_)
		sp = dp = 0; /* ICMP: one flow per address pair */
	int c = ip_addr_cmp(&p->src, &p->dst);
	*swapped = c > 0 || (c == 0 && sp > dp);
	k->a = *swapped ? p->dst : p->src;
	k->b = *swapped ? p->src : p->dst;
	k->pa = *swapped ? dp : sp;
	k->pb = *swapped ? sp : dp;
	k->proto = p->proto;
	k->vlan = p->vlan_count ? p->vlan[0] : 0;
}

static uint64_t hash_key(const struct flow_key *k)
{
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15);
	const uint8_t *ab[2] = {k->a.a, k->b.a};
	for (int i = 0; i < 2; i++) {
		uint64_t x, y;
		memcpy(&x, ab[i], 8);
		memcpy(&y, ab[i] + 8, 8);
		h = (h ^ x) * UINT64_C(0xff51afd7ed558ccd);
		h = (h ^ y) * UINT64_C(0xc4ceb9fe1a85ec53);
	}
	h ^= ((uint64_t)k->pa << 32) | ((uint64_t)k->pb << 16) | ((uint64_t)k->proto << 8);
	h ^= (uint64_t)k->vlan << 48;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 32;
	return h;
}

uint64_t flow_hash(const struct packet *p)
{
	struct flow_key k;
	bool sw;
	make_key(p, &k, &sw);
	return hash_key(&k);
}

static bool key_eq(const struct flow_key *x, const struct flow_key *y)
{
	return x->pa == y->pa && x->pb == y->pb && x->proto == y->proto && x->vlan == y->vlan &&
	       x->a.family == y->a.family && memcmp(x->a.a, y->a.a, 16) == 0 &&
	       memcmp(x->b.a, y->b.a, 16) == 0;
}

static enum flow_class class_of(const struct flow *f)
{
	if (f->key.proto == 6)
		return f->closed ? FC_TCP_CLOSED : FC_TCP;
	return f->key.proto == 17 ? FC_UDP : FC_OTHER;
}

struct flow *flow_get(struct flow_table *t, const struct packet *p, uint64_t hash, int *dir,
		      bool *created)
{
	struct flow_key k;
	bool sw;
	make_key(p, &k, &sw);
	struct flow *f;
	*created = false;
	for (f = t->bucket[hash & t->mask]; f; f = f->hnext)
		if (f->hash == hash && key_eq(&f->key, &k))
			break;
	if (!f) {
		if (t->st.active >= t->max) {
			/* evict the flow idle the longest among the class heads */
			struct flow *old = NULL;
			for (int c = 0; c < FC_COUNT; c++)
				if (t->head[c] && (!old || t->head[c]->last_sec < old->last_sec))
					old = t->head[c];
			if (old) {
				flow_destroy(t, old);
				t->st.evicted++;
			}
		}
		f = xcalloc(1, sizeof(*f));
		f->hash = hash;
		f->key = k;
		f->src = p->src;
		f->sport = p->sport;
		/* a SYN-ACK seen first means the initiator is the other side */
		if (p->proto == 6 && p->l4_valid && (p->tcp_flags & (TCP_SYN | TCP_ACK)) ==
							   (TCP_SYN | TCP_ACK)) {
			f->src = p->dst;
			f->sport = p->dport;
		}
		f->first_sec = p->ts.tv_sec;
		f->last_sec = p->ts.tv_sec;
		f->id = (hash ^ ((uint64_t)p->ts.tv_sec * 1000003u + (uint64_t)p->ts.tv_usec) ^
			 t->st.created) & ((UINT64_C(1) << 51) - 1);
		f->alerted = f->alerted_inline;
		f->cap_alerted = CSHQ_ARRAY_LEN(f->alerted_inline);
		f->cls = (uint8_t)class_of(f);
		f->hnext = t->bucket[hash & t->mask];
		t->bucket[hash & t->mask] = f;
		list_append(t, f);
		t->st.active++;
		t->st.created++;
		*created = true;
	} else {
		if (p->ts.tv_sec > f->last_sec)
			f->last_sec = p->ts.tv_sec;
		list_remove(t, f);
		if (p->proto == 6 && p->l4_valid && (p->tcp_flags & (TCP_FIN | TCP_RST)))
			f->closed = true;
		f->cls = (uint8_t)class_of(f);
		list_append(t, f);
	}
	*dir = ip_addr_cmp(&p->src, &f->src) == 0 && (!p->l4_valid || p->sport == f->sport) ? 0 : 1;
	return f;
}

void flow_expire(struct flow_table *t, int64_t now)
{
	for (int c = 0; c < FC_COUNT; c++)
		while (t->head[c] && t->head[c]->last_sec + t->timeout[c] < now) {
			flow_destroy(t, t->head[c]);
			t->st.timed_out++;
		}
}

bool flow_mark_alerted(struct flow *f, uint64_t key)
{
	for (uint32_t i = 0; i < f->n_alerted; i++)
		if (f->alerted[i] == key)
			return false;
	if (f->n_alerted == f->cap_alerted) {
		if (f->cap_alerted >= FLOW_MAX_ALERTED)
			return true; /* cannot remember more: alerting again beats missing a hit */
		uint32_t nc = f->cap_alerted * 2;
		uint64_t *n = xmalloc(nc * sizeof(*n));
		memcpy(n, f->alerted, f->n_alerted * sizeof(*n));
		if (f->alerted != f->alerted_inline)
			free(f->alerted);
		f->alerted = n;
		f->cap_alerted = nc;
	}
	f->alerted[f->n_alerted++] = key;
	return true;
}

int flow_stream_append(struct flow_table *t, struct stream *s, const uint8_t *d, size_t n)
{
	if (n > STREAM_BUF_MAX - s->len)
		return CSHQ_ELIMIT;
	if (s->len + n > s->cap) {
		uint32_t nc = s->cap ? s->cap : 2048;
		while (nc < s->len + n)
			nc *= 2;
		if (nc > STREAM_BUF_MAX)
			nc = STREAM_BUF_MAX;
		s->buf = xrealloc(s->buf, nc);
		t->st.stream_bytes += nc - s->cap;
		s->cap = nc;
	}
	memcpy(s->buf + s->len, d, n);
	s->len += (uint32_t)n;
	return CSHQ_OK;
}

void flow_stream_consume(struct stream *s, size_t n)
{
	if (n >= s->len) {
		s->len = 0;
		return;
	}
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= (uint32_t)n;
}
