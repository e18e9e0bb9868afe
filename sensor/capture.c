/* capture.c: libpcap sources and the reader loop. */
#include <errno.h>
#include <grp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "core/timeutil.h"

void capture_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
}

void capture_release(struct capture *c)
{
	pthread_mutex_destroy(&c->lock);
}

void capture_snapshot(struct capture *c, struct capture_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->st;
	pthread_mutex_unlock(&c->lock);
}

static void publish(struct capture *c, const struct capture_stats *local)
{
	pthread_mutex_lock(&c->lock);
	c->st = *local;
	pthread_mutex_unlock(&c->lock);
}

int capture_drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "--user %s: no such user", user);
		return CSHQ_ERR;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "cannot switch to user %s: %s", user, strerror(errno));
		return CSHQ_ERR;
	}
	/* make sure the switch cannot be undone */
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "privileges could be regained after switching to %s", user);
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

static int set_filter(pcap_t *p, const char *bpf, char *err, size_t errlen)
{
	struct bpf_program prog;
	if (!bpf)
		return CSHQ_OK;
	if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "bad filter \"%s\": %s", bpf, pcap_geterr(p));
		return CSHQ_ERR;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errlen, "cannot set filter: %s", pcap_geterr(p));
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_line(const char *name, int idx, int total, long long pos, long long size,
			  uint64_t pkts, double rate, bool final)
{
	if (size > 0)
		fprintf(stderr, "\r%s (%d/%d): %5.1f%%  %llu packets  %.0f packets/s%s", name,
			idx, total, 100.0 * (double)pos / (double)size, (unsigned long long)pkts,
			rate, final ? "\n" : "   ");
	else
		fprintf(stderr, "\r%s (%d/%d): %llu packets  %.0f packets/s%s", name, idx, total,
			(unsigned long long)pkts, rate, final ? "\n" : "   ");
	fflush(stderr);
}

/* Whether the stdio buffer of fp holds no unread bytes (the next read goes to the
 * kernel). Without glibc's FILE layout, answer yes: flushing early is only slower. */
static bool input_drained(FILE *fp)
{
#ifdef __GLIBC__
	return fp->_IO_read_ptr >= fp->_IO_read_end;
#else
	(void)fp;
	return true;
#endif
}

static int read_file(struct capture *c, struct capture_stats *local, const struct capture_config *cfg,
		     const char *path, int idx, int total, struct pipeline *pl,
		     volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline(path, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return CSHQ_ERR;
	}
	if (set_filter(p, cfg->bpf, err, errlen) != CSHQ_OK) {
		pcap_close(p);
		return CSHQ_ERR;
	}
	int linktype = pcap_datalink(p);
	long long size = 0;
	struct stat sb;
	FILE *fp = pcap_file(p);
	if (fp && fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode))
		size = (long long)sb.st_size;
	double t0 = now_s(), last = t0;
	uint64_t start_pkts = local->pkts;
	/* From a pipe, packets may trickle in: hand the partial batch to the workers
	 * whenever the input buffer is empty, i.e. just before a read that may block. */
	bool pipe_in = fp && fstat(fileno(fp), &sb) == 0 && !S_ISREG(sb.st_mode);
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;
	while (!*stop && (rc = pcap_next_ex(p, &h, &d)) == 1) {
		pipeline_packet(pl, linktype, &h->ts, h->caplen, h->len, d);
		local->pkts++;
		local->bytes += h->len;
		if (pipe_in && input_drained(fp)) {
			pipeline_flush(pl);
			publish(c, local);
		}
		if ((local->pkts & 0x3fff) == 0) {
			publish(c, local);
			double t = now_s();
			if (cfg->progress && t - last >= 0.5) {
				last = t;
				progress_line(path, idx, total, fp ? (long long)ftell(fp) : 0, size,
					      local->pkts - start_pkts,
					      (double)(local->pkts - start_pkts) / (t - t0), false);
			}
		}
	}
	if (!*stop && rc == PCAP_ERROR)
		fprintf(stderr, "cshq-sensor: %s: %s (continuing with what was read)\n", path,
			pcap_geterr(p));
	if (cfg->progress) {
		double t = now_s();
		progress_line(path, idx, total, size, size, local->pkts - start_pkts,
			      t > t0 ? (double)(local->pkts - start_pkts) / (t - t0) : 0, true);
	}
	pcap_close(p);
	local->files_done++;
	publish(c, local);
	return CSHQ_OK;
}

static int run_live(struct capture *c, struct capture_stats *local, const struct capture_config *cfg,
		    struct pipeline *pl, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int rc = CSHQ_ERR;
	pcap_t *p = pcap_create(cfg->iface, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", cfg->iface, ebuf);
		return CSHQ_ERR;
	}
	pcap_set_snaplen(p, cfg->snaplen);
	pcap_set_promisc(p, cfg->promisc);
	pcap_set_timeout(p, 100); /* wake up to flush batches and check for stop */
	if (cfg->buffer_mb > 0)
		pcap_set_buffer_size(p, cfg->buffer_mb * 1024 * 1024);
	int act = pcap_activate(p);
	if (act < 0) {
		snprintf(err, errlen, "%s: %s", cfg->iface, pcap_geterr(p));
		goto out;
	}
	if (act > 0)
		fprintf(stderr, "cshq-sensor: %s: warning: %s\n", cfg->iface, pcap_geterr(p));
	if (set_filter(p, cfg->bpf, err, errlen) != CSHQ_OK)
		goto out;
	if (cfg->user && capture_drop_privileges(cfg->user, err, errlen) != CSHQ_OK)
		goto out;
	int linktype = pcap_datalink(p);
	/* Non-blocking reads plus our own poll: a blocking read on a quiet (or filtered)
	 * link can wait forever, holding a partial batch and ignoring stop signals. */
	int fd = pcap_get_selectable_fd(p);
	if (fd < 0 || pcap_setnonblock(p, 1, ebuf) != 0) {
		snprintf(err, errlen, "%s: cannot poll the capture", cfg->iface);
		goto out;
	}
	double last_stats = 0;
	while (!*stop) {
		struct pcap_pkthdr *h;
		const u_char *d;
		int r = pcap_next_ex(p, &h, &d);
		if (r == 1) {
			pipeline_packet(pl, linktype, &h->ts, h->caplen, h->len, d);
			local->pkts++;
			local->bytes += h->len;
			if ((local->pkts & 0xfff) != 0)
				continue;
		} else if (r == 0) {
			pipeline_flush(pl); /* quiet link: do not sit on a partial batch */
			struct pollfd pfd = {fd, POLLIN, 0};
			poll(&pfd, 1, 100);
		} else {
			snprintf(err, errlen, "%s: %s", cfg->iface, pcap_geterr(p));
			goto out;
		}
		double t = now_s();
		if (t - last_stats >= 1.0) {
			struct pcap_stat ps;
			if (pcap_stats(p, &ps) == 0) {
				local->kernel_recv = ps.ps_recv;
				local->kernel_drop = ps.ps_drop;
				local->kernel_ifdrop = ps.ps_ifdrop;
			}
			last_stats = t;
		}
		publish(c, local);
	}
	rc = CSHQ_OK;
out:
	{
		struct pcap_stat ps;
		if (pcap_stats(p, &ps) == 0) {
			local->kernel_recv = ps.ps_recv;
			local->kernel_drop = ps.ps_drop;
			local->kernel_ifdrop = ps.ps_ifdrop;
		}
	}
	publish(c, local);
	pcap_close(p);
	return rc;
}

int capture_run(struct capture *c, const struct capture_config *cfg, struct pipeline *pl,
		volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct capture_stats local;
	capture_snapshot(c, &local);
	if (!cfg->files)
		return run_live(c, &local, cfg, pl, stop, err, errlen);
	int total = 0;
	while (cfg->files[total])
		total++;
	int rc = CSHQ_OK;
	for (int i = 0; i < total && !*stop; i++) {
		char e[512];
		if (read_file(c, &local, cfg, cfg->files[i], i + 1, total, pl, stop, e,
			      sizeof(e)) != CSHQ_OK) {
			/* one unreadable file must not hide the others */
			fprintf(stderr, "cshq-sensor: %s\n", e);
			if (rc == CSHQ_OK)
				snprintf(err, errlen, "%s", e);
			rc = CSHQ_ERR;
		}
	}
	return rc;
}
