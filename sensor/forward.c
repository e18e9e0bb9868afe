/* forward.c: the forwarding thread: memory queue -> spool -> server. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "forward.h"
#include "http_client.h"
#include "spool.h"

struct item {
	struct item *next;
	char *json;
	uint64_t seq;
};

struct forwarder {
	struct forward_config cfg;
	struct spool spool;
	struct http_client http;
	pthread_t spool_th, send_th;
	double drain_deadline; /* set at stop: the sender gives up after it */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_cond_t flushed; /* the queue became empty */
	bool flush_req;
	bool writing; /* a batch is being written, outside the lock */
	struct item *head, *tail;
	size_t qlen;
	double oldest; /* monotonic time the oldest queued alert arrived */
	bool stopping;
	struct forward_stats st;
	unsigned backoff_ms;
	double next_try;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t forwarder_next_seq(struct forwarder *f)
{
	uint64_t seq;
	if (spool_next_seq(&f->spool, &seq) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: spool %s: cannot persist the sequence counter\n",
			f->cfg.spool_dir);
		CSHQ_ASSERT(!"sequence counter not durable");
	}
	return seq;
}

void forwarder_submit(struct forwarder *f, char *json, uint64_t seq)
{
	struct item *it = xmalloc(sizeof(*it));
	it->json = json;
	it->seq = seq;
	it->next = NULL;
	pthread_mutex_lock(&f->lock);
	if (f->tail)
		f->tail->next = it;
	else {
		f->head = it;
		f->oldest = mono();
	}
	f->tail = it;
	f->qlen++;
	f->st.queued++;
	if (f->qlen >= f->cfg.batch_max)
		pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* Moves up to batch_max queued alerts into one spool batch. Called with the lock held;
 * drops it while writing. */
static void spool_batch(struct forwarder *f)
{
	struct item *list = f->head, *last = list;
	unsigned n = 1;
	while (last->next && n < f->cfg.batch_max) {
		last = last->next;
		n++;
	}
	f->head = last->next;
	if (!f->head)
		f->tail = NULL;
	else
		f->oldest = mono();
	last->next = NULL;
	f->qlen -= n;
	f->writing = true;
	pthread_mutex_unlock(&f->lock);

	struct buf b = BUF_INIT((size_t)1 << 30);
	buf_putc(&b, '[');
	uint64_t first = list->seq;
	for (struct item *it = list, *nx; it; it = nx) {
		nx = it->next;
		if (it != list)
			buf_putc(&b, ',');
		buf_puts(&b, it->json);
		free(it->json);
		free(it);
	}
	buf_puts(&b, "]\n");
	int rc = spool_write(&f->spool, first, n, buf_cstr(&b), b.len);
	buf_release(&b);
	pthread_mutex_lock(&f->lock);
	f->writing = false;
	if (rc == CSHQ_OK)
		f->st.spooled += n;
	else if (rc == CSHQ_ERR)
		fprintf(stderr, "cshq-sensor: spool write failed; %u alerts lost\n", n);
	f->st.dropped = spool_dropped(&f->spool);
	if (rc == CSHQ_ERR)
		f->st.dropped += n;
}

/* Sends the oldest batch. Returns true when it was settled (acknowledged or set aside)
 * and the next one may follow immediately. */
static bool send_one(struct forwarder *f, double timeout_s)
{
	char name[64], err[512];
	if (spool_oldest(&f->spool, name) != CSHQ_OK)
		return false;
	char *data;
	size_t len;
	if (spool_read(&f->spool, name, &data, &len) != CSHQ_OK) {
		spool_set_aside(&f->spool, name);
		return true;
	}
	char key[128];
	snprintf(key, sizeof(key), "Idempotency-Key: %s", name);
	struct buf resp = BUF_INIT(1 << 20);
	long status = 0;
	int rc = http_client_request(&f->http, "POST", "/api/v1/alerts", data, len, key,
				     timeout_s < 1 ? 1 : (long)timeout_s, &status, &resp, err,
				     sizeof(err));
	free(data);
	bool settled = false;
	uint32_t count = spool_batch_count(name);
	if (rc == CSHQ_OK && status == 200) {
		json_t *j = json_loads(buf_cstr(&resp), 0, NULL);
		json_int_t acc = json_integer_value(json_object_get(j, "accepted"));
		json_int_t dup = json_integer_value(json_object_get(j, "duplicates"));
		size_t nerr = json_array_size(json_object_get(j, "errors"));
		json_decref(j);
		spool_remove(&f->spool, name);
		pthread_mutex_lock(&f->lock);
		f->st.acked += (uint64_t)acc;
		f->st.duplicates += (uint64_t)dup;
		f->st.rejected += nerr;
		pthread_mutex_unlock(&f->lock);
		if (nerr)
			fprintf(stderr, "cshq-sensor: server refused %zu of %u alerts in %s: %.300s\n",
				nerr, count, name, buf_cstr(&resp));
		settled = true;
	} else if (rc == CSHQ_OK && (status == 400 || status == 413 || status == 422)) {
		fprintf(stderr, "cshq-sensor: server refused batch %s (HTTP %ld): %.300s; kept as rejected-%s\n",
			name, status, buf_cstr(&resp), name);
		spool_set_aside(&f->spool, name);
		pthread_mutex_lock(&f->lock);
		f->st.rejected += count;
		pthread_mutex_unlock(&f->lock);
		settled = true;
	} else {
		if (rc == CSHQ_OK)
			snprintf(err, sizeof(err), "POST /api/v1/alerts: HTTP %ld", status);
		if (f->backoff_ms == 0 || f->backoff_ms >= f->cfg.backoff_max_ms / 2)
			fprintf(stderr, "cshq-sensor: %s; retrying\n", err);
		pthread_mutex_lock(&f->lock);
		f->st.post_failures++;
		pthread_mutex_unlock(&f->lock);
	}
	buf_release(&resp);
	if (settled) {
		f->backoff_ms = 0;
	} else {
		/* exponential backoff with jitter, so that many sensors do not retry in step */
		f->backoff_ms = f->backoff_ms ? f->backoff_ms * 2 : 250;
		if (f->backoff_ms > f->cfg.backoff_max_ms)
			f->backoff_ms = f->cfg.backoff_max_ms;
		double jitter = 0.5 + (double)(rand() % 1000) / 1000.0;
		f->next_try = mono() + f->backoff_ms * jitter / 1000.0;
	}
	return settled;
}

/* Queue -> spool. Runs apart from the sender so that a slow or hanging server never
 * keeps alerts in memory longer than batch_ms. */
static void *spool_main(void *arg)
{
	struct forwarder *f = arg;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		double now = mono();
		bool due = f->head && (f->qlen >= f->cfg.batch_max || f->stopping || f->flush_req ||
				       now - f->oldest >= f->cfg.batch_ms / 1000.0);
		if (due) {
			spool_batch(f);
			continue;
		}
		if (!f->head && f->flush_req) {
			f->flush_req = false;
			pthread_cond_broadcast(&f->flushed);
		}
		if (f->stopping)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&f->cond, &f->lock, &ts);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* Spool -> server, oldest batch first; after stop, until the spool is empty or the
 * drain deadline passes. */
static void *send_main(void *arg)
{
	struct forwarder *f = arg;
	for (;;) {
		pthread_mutex_lock(&f->lock);
		bool draining = f->drain_deadline > 0;
		double deadline = f->drain_deadline;
		pthread_mutex_unlock(&f->lock);
		double now = mono();
		uint64_t pending = spool_pending(&f->spool);
		if (draining && (!pending || now >= deadline))
			break;
		if (pending && now >= f->next_try) {
			send_one(f, draining ? deadline - now : 30.0);
			continue;
		}
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
	}
	uint64_t left = spool_pending(&f->spool);
	if (left)
		fprintf(stderr, "cshq-sensor: %llu batches remain in the spool %s for the next run\n",
			(unsigned long long)left, f->cfg.spool_dir);
	return NULL;
}

int forwarder_start(const struct forward_config *cfg, struct forwarder **out, char *err,
		    size_t errlen)
{
	struct forwarder *f = xcalloc(1, sizeof(*f));
	f->cfg = *cfg;
	if (!f->cfg.batch_max)
		f->cfg.batch_max = 500;
	if (!f->cfg.backoff_max_ms)
		f->cfg.backoff_max_ms = 30000;
	if (spool_open(&f->spool, cfg->spool_dir, cfg->spool_max_bytes, err, errlen) != CSHQ_OK) {
		spool_close(&f->spool);
		free(f);
		return CSHQ_ERR;
	}
	if (http_client_init(&f->http, cfg->server, cfg->token, cfg->cafile, cfg->insecure) !=
	    CSHQ_OK) {
		snprintf(err, errlen, "cannot initialise the HTTP client");
		spool_close(&f->spool);
		free(f);
		return CSHQ_ERR;
	}
	f->st.dropped = f->spool.dropped;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	pthread_cond_init(&f->flushed, NULL);
	if (pthread_create(&f->spool_th, NULL, spool_main, f) != 0)
		CSHQ_ASSERT(!"cannot start the spool thread");
	if (pthread_create(&f->send_th, NULL, send_main, f) != 0)
		CSHQ_ASSERT(!"cannot start the sending thread");
	*out = f;
	return CSHQ_OK;
}

void forwarder_stop(struct forwarder *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = true;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->spool_th, NULL); /* everything queued is in the spool now */
	pthread_mutex_lock(&f->lock);
	f->drain_deadline = mono() + f->cfg.drain_ms / 1000.0;
	if (f->drain_deadline <= 0)
		f->drain_deadline = 1e-9;
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->send_th, NULL);
	http_client_release(&f->http);
	spool_close(&f->spool);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	pthread_cond_destroy(&f->flushed);
	free(f);
}

void forwarder_flush(struct forwarder *f)
{
	pthread_mutex_lock(&f->lock);
	if (f->head || f->writing) {
		f->flush_req = true;
		pthread_cond_signal(&f->cond);
		while (f->flush_req)
			pthread_cond_wait(&f->flushed, &f->lock);
	}
	pthread_mutex_unlock(&f->lock);
}

void forwarder_stats(struct forwarder *f, struct forward_stats *out)
{
	pthread_mutex_lock(&f->lock);
	*out = f->st;
	pthread_mutex_unlock(&f->lock);
	spool_usage(&f->spool, &out->spool_batches, &out->spool_bytes);
}

void forwarder_set_feed_version(struct forwarder *f, int64_t v)
{
	pthread_mutex_lock(&f->lock);
	f->st.feed_version = (uint64_t)v;
	pthread_mutex_unlock(&f->lock);
}
