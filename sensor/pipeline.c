/* pipeline.c: batches of copied frames on bounded per-worker queues. Batching keeps the
 * lock traffic to one acquisition per few hundred packets. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "pipeline.h"

#define BATCH_PKTS 256
#define BATCH_BYTES (512 * 1024)
#define QUEUE_MAX 8 /* batches waiting per worker */
#define BATCHES_PER_WORKER (QUEUE_MAX + 2)

struct pkt_hdr {
	struct timeval ts;
	uint32_t caplen, wirelen, off;
	int linktype;
};

struct pkt_batch {
	struct pkt_batch *next;
	uint32_t n, used;
	struct pkt_hdr h[BATCH_PKTS];
	uint8_t data[BATCH_BYTES];
};

struct worker {
	pthread_t th;
	struct pipeline *pl;
	pthread_mutex_t lock;
	pthread_cond_t have_work, have_free;
	struct pkt_batch *qhead, *qtail, *free;
	size_t qlen, allocated;
	bool stop, busy;
	struct pkt_batch *cur; /* being filled by the reader (reader-only) */
	struct inspector in;
	struct decode_stats snap; /* published under lock after each batch */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->qhead && !w->stop)
			pthread_cond_wait(&w->have_work, &w->lock);
		struct pkt_batch *b = w->qhead;
		if (!b) { /* stop requested and nothing left */
			pthread_mutex_unlock(&w->lock);
			break;
		}
		w->qhead = b->next;
		if (!w->qhead)
			w->qtail = NULL;
		w->qlen--;
		w->busy = true;
		pthread_mutex_unlock(&w->lock);

		uint64_t gen;
		struct ioc_set *set = ioc_holder_get(w->pl->iocs, &gen);
		w->in.now = time_now();
		for (uint32_t i = 0; i < b->n; i++) {
			const struct pkt_hdr *h = &b->h[i];
			inspector_packet(&w->in, set, gen, h->linktype, &h->ts, h->wirelen,
					 b->data + h->off, h->caplen);
		}
		if (b->n)
			inspector_expire(&w->in, b->h[b->n - 1].ts.tv_sec);
		ioc_set_unref(set);
		w->in.st.flow = w->in.flows.st;
		w->in.st.flow.memory = w->in.flows.st.active * sizeof(struct flow) +
				       (w->in.flows.mask + 1) * sizeof(void *);

		pthread_mutex_lock(&w->lock);
		w->snap = w->in.st;
		b->next = w->free;
		w->free = b;
		w->busy = false;
		pthread_cond_broadcast(&w->have_free);
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

int pipeline_start(struct pipeline *pl, int n, size_t max_flows, const int timeout[FC_COUNT],
		   struct eve_writer *eve, struct ioc_holder *iocs)
{
	if (n < 1 || n > PIPELINE_MAX_WORKERS)
		return CSHQ_EINVAL;
	memset(pl, 0, sizeof(*pl));
	pl->n = n;
	pl->iocs = iocs;
	pl->eve = eve;
	pl->w = xcalloc((size_t)n, sizeof(struct worker));
	size_t per = max_flows / (size_t)n + 1;
	for (int i = 0; i < n; i++) {
		struct worker *w = &pl->w[i];
		w->pl = pl;
		pthread_mutex_init(&w->lock, NULL);
		pthread_cond_init(&w->have_work, NULL);
		pthread_cond_init(&w->have_free, NULL);
		inspector_init(&w->in, per, timeout, eve);
		if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
			pl->n = i;
			pipeline_stop(pl);
			return CSHQ_ERR;
		}
	}
	return CSHQ_OK;
}

static void submit(struct worker *w)
{
	struct pkt_batch *b = w->cur;
	if (!b || b->n == 0)
		return;
	w->cur = NULL;
	pthread_mutex_lock(&w->lock);
	b->next = NULL;
	if (w->qtail)
		w->qtail->next = b;
	else
		w->qhead = b;
	w->qtail = b;
	w->qlen++;
	pthread_cond_signal(&w->have_work);
	pthread_mutex_unlock(&w->lock);
}

static struct pkt_batch *take_free(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->free && w->allocated >= BATCHES_PER_WORKER)
		pthread_cond_wait(&w->have_free, &w->lock);
	struct pkt_batch *b = w->free;
	if (b)
		w->free = b->next;
	else
		w->allocated++;
	pthread_mutex_unlock(&w->lock);
	if (!b)
		b = xmalloc(sizeof(*b));
	b->n = b->used = 0;
	return b;
}

void pipeline_packet(struct pipeline *pl, int linktype, const struct timeval *ts,
		     uint32_t caplen, uint32_t wirelen, const uint8_t *data)
{
	struct worker *w = &pl->w[0];
	if (pl->n > 1) {
		struct packet p;
		enum decode_layer err;
		p.ts = *ts;
		p.wirelen = wirelen;
		decode_packet(&p, linktype, data, caplen, &err);
		if (p.ipver) {
			/* hash the addresses only: fragments without ports land with their flow */
			struct packet q = p;
			q.l4_valid = false;
			w = &pl->w[flow_hash(&q) % (uint64_t)pl->n];
		}
	}
	if (caplen > BATCH_BYTES)
		caplen = BATCH_BYTES;
	if (w->cur && (w->cur->n == BATCH_PKTS || BATCH_BYTES - w->cur->used < caplen))
		submit(w);
	if (!w->cur)
		w->cur = take_free(w);
	struct pkt_batch *b = w->cur;
	struct pkt_hdr *h = &b->h[b->n++];
	h->ts = *ts;
	h->caplen = caplen;
	h->wirelen = wirelen;
	h->off = b->used;
	h->linktype = linktype;
	memcpy(b->data + b->used, data, caplen);
	b->used += (caplen + 7) & ~7u;
	if (b->used > BATCH_BYTES)
		b->used = BATCH_BYTES;
}

void pipeline_flush(struct pipeline *pl)
{
	for (int i = 0; i < pl->n; i++)
		submit(&pl->w[i]);
}

void pipeline_drain(struct pipeline *pl)
{
	pipeline_flush(pl);
	for (int i = 0; i < pl->n; i++) {
		struct worker *w = &pl->w[i];
		pthread_mutex_lock(&w->lock);
		while (w->qhead || w->busy)
			pthread_cond_wait(&w->have_free, &w->lock);
		pthread_mutex_unlock(&w->lock);
	}
}

void pipeline_stop(struct pipeline *pl)
{
	pipeline_flush(pl);
	for (int i = 0; i < pl->n; i++) {
		struct worker *w = &pl->w[i];
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->have_work);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->th, NULL);
	}
	for (int i = 0; i < pl->n; i++) {
		struct worker *w = &pl->w[i];
		while (w->free) {
			struct pkt_batch *b = w->free;
			w->free = b->next;
			free(b);
		}
		free(w->cur);
		inspector_release(&w->in);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->have_work);
		pthread_cond_destroy(&w->have_free);
	}
	free(pl->w);
	pl->w = NULL;
	pl->n = 0;
}

void pipeline_stats(struct pipeline *pl, struct decode_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (int i = 0; i < pl->n; i++) {
		struct worker *w = &pl->w[i];
		pthread_mutex_lock(&w->lock);
		struct decode_stats s = w->snap;
		pthread_mutex_unlock(&w->lock);
		decode_stats_add(sum, &s);
	}
}
