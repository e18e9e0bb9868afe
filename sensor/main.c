/* main.c: cshq-sensor: options, indicator loading and reloading, the control thread
 * (reload on SIGHUP, feed polling, periodic stats) and the capture run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <sys/stat.h>
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "eve.h"
#include "forward.h"
#include "http_client.h"
#include "ioc/feed.h"
#include "ioc/load.h"
#include "pipeline.h"

static volatile sig_atomic_t g_stop, g_reload;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_reload = 1;
	else
		g_stop = 1;
}

static const char usage[] =
	"Usage: cshq-sensor (--read FILE ... | --interface NAME) [options]\n"
	"\n"
	"Watches traffic at a gateway (a mirror port or tap, or capture files), matches\n"
	"addresses, DNS names, TLS server names and fingerprints, and HTTP requests against\n"
	"indicator lists, and reports every hit as a Suricata-style EVE JSON alert, optionally\n"
	"forwarded to the cshq centre.\n"
	"\n"
	"Input (one of):\n"
	"  -r, --read FILE          pcap or pcapng file; repeat for several (read in order);\n"
	"                           '-' reads standard input. Exits when all are read.\n"
	"  -i, --interface NAME     live capture on NAME until SIGINT/SIGTERM\n"
	"      --bpf EXPR           capture filter (tcpdump syntax), live or files\n"
	"      --snaplen BYTES      bytes kept per packet, live (default 65535)\n"
	"      --no-promisc         do not put the interface in promiscuous mode\n"
	"      --buffer-size MB     kernel capture buffer, live (default: libpcap's)\n"
	"      --user USER          after opening the interface, drop root and run as USER\n"
	"\n"
	"Indicators:\n"
	"  -I, --indicators FILE    repeatable. A CSV whose header has the columns type,value\n"
	"                           (optional severity,tlp,source,id,expires_at), a STIX 2.1\n"
	"                           bundle, or a plain list (one value per line); told apart by\n"
	"                           content. Types: ipv4 ipv6 cidr domain domain_suffix url\n"
	"                           url_prefix ja3 ja4. Reloaded on SIGHUP without stopping.\n"
	"      --feed-interval SEC  with --server: poll /api/v1/sensor-feed (default 300)\n"
	"\n"
	"Output:\n"
	"  -e, --eve PATH           EVE JSON lines (appended); '-' for standard output\n"
	"      --stats-interval SEC stats event period (default 60; 0: only at exit)\n"
	"      --sensor-id ID       name of this sensor in alerts (default: host name)\n"
	"      --org CODE           organisation code to put in alerts\n"
	"      --no-progress        no progress line even on a terminal\n"
	"  -q, --quiet              no summary on standard error\n"
	"\n"
	"Forwarding to the centre:\n"
	"      --server URL         base URL of the cshq server (e.g. https://gsoc.example)\n"
	"      --token TOKEN        sensor token (or environment CSHQ_SENSOR_TOKEN)\n"
	"      --spool DIR          durable spool of alert batches (required with --server)\n"
	"      --spool-max MB       spool size bound (or NK for KiB); past it the oldest\n"
	"                           batches are dropped and counted (default 256)\n"
	"      --batch-size N       alerts per POST (default 500)\n"
	"      --batch-ms MS        longest wait before an alert is spooled (default 1000)\n"
	"      --drain-timeout SEC  at exit, keep trying to deliver this long (default 10)\n"
	"      --cafile FILE        CA bundle to verify the server\n"
	"\n"
	"Processing:\n"
	"  -w, --workers N          worker threads (default 1); flows are split symmetrically\n"
	"      --max-flows N        flow table bound (default 262144); oldest evicted\n"
	"      --check              load the indicators, print counts and exit\n"
	"  -h, --help               this text\n"
	"  -V, --version\n"
	"\n"
	"Exit status: 0 done; 1 a file or the capture failed; 2 bad usage or indicators.\n"
	"See cshq-sensor(8).\n";

enum {
	O_BPF = 256,
	O_SNAPLEN,
	O_NOPROMISC,
	O_BUFSIZE,
	O_USER,
	O_FEEDINT,
	O_STATSINT,
	O_SENSORID,
	O_ORG,
	O_NOPROGRESS,
	O_SERVER,
	O_TOKEN,
	O_SPOOL,
	O_SPOOLMAX,
	O_BATCH,
	O_BATCHMS,
	O_DRAIN,
	O_CAFILE,
	O_INSECURE,
	O_MAXFLOWS,
	O_CHECK,
};

static const struct option long_opts[] = {
	{"read", required_argument, NULL, 'r'},
	{"interface", required_argument, NULL, 'i'},
	{"bpf", required_argument, NULL, O_BPF},
	{"snaplen", required_argument, NULL, O_SNAPLEN},
	{"no-promisc", no_argument, NULL, O_NOPROMISC},
	{"buffer-size", required_argument, NULL, O_BUFSIZE},
	{"user", required_argument, NULL, O_USER},
	{"indicators", required_argument, NULL, 'I'},
	{"feed-interval", required_argument, NULL, O_FEEDINT},
	{"eve", required_argument, NULL, 'e'},
	{"stats-interval", required_argument, NULL, O_STATSINT},
	{"sensor-id", required_argument, NULL, O_SENSORID},
	{"org", required_argument, NULL, O_ORG},
	{"no-progress", no_argument, NULL, O_NOPROGRESS},
	{"quiet", no_argument, NULL, 'q'},
	{"server", required_argument, NULL, O_SERVER},
	{"token", required_argument, NULL, O_TOKEN},
	{"spool", required_argument, NULL, O_SPOOL},
	{"spool-max", required_argument, NULL, O_SPOOLMAX},
	{"batch-size", required_argument, NULL, O_BATCH},
	{"batch-ms", required_argument, NULL, O_BATCHMS},
	{"drain-timeout", required_argument, NULL, O_DRAIN},
	{"cafile", required_argument, NULL, O_CAFILE},
	{"insecure", no_argument, NULL, O_INSECURE},
	{"workers", required_argument, NULL, 'w'},
	{"max-flows", required_argument, NULL, O_MAXFLOWS},
	{"check", no_argument, NULL, O_CHECK},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

struct sensor {
	const char **files;
	size_t nfiles;
	const char **ioc_files;
	size_t n_ioc_files;
	struct capture_config cap;
	const char *eve_path;
	int stats_interval, feed_interval;
	int workers;
	size_t max_flows;
	bool quiet, check;
	struct forward_config fwd_cfg;
	struct eve_identity id;
	char hostname[256];

	struct ioc_holder iocs;
	struct ioc_feed feed;
	bool have_feed;
	struct http_client feed_http;
	struct forwarder *fwd;
	struct eve_writer eve;
	struct pipeline pl;
	struct capture capture;
	int64_t started;
	pthread_t control;
	volatile bool control_stop;
	pthread_mutex_t control_lock;
	pthread_cond_t control_cond;
};

/* With --user, the spool is written after root has been dropped: hand the directory
 * and what it holds to that user while we still can. */
static int give_spool_to(const char *user, const char *dir)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "cshq-sensor: --user %s: no such user\n", user);
		return CSHQ_ERR;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return CSHQ_ERR;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fchown(dfd, pw->pw_uid, pw->pw_gid) != 0) {
		fprintf(stderr, "cshq-sensor: spool %s: cannot give it to %s: %s\n", dir, user,
			strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return CSHQ_ERR;
	}
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' || strstr(de->d_name, ".tmp"))
			fchownat(dfd, de->d_name, pw->pw_uid, pw->pw_gid, AT_SYMLINK_NOFOLLOW);
	if (d)
		closedir(d);
	else
		close(dfd);
	return CSHQ_OK;
}

static int parse_num(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "cshq-sensor: %s: expected a number from %ld to %ld\n", opt, min, max);
		return CSHQ_EINVAL;
	}
	*out = v;
	return CSHQ_OK;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Builds a set from the files and the feed. CSHQ_OK and *out, or an error (logged). */
static int build_set(struct sensor *s, struct ioc_set **out)
{
	double t0 = mono_ms();
	struct ioc_set *set = ioc_set_new();
	int64_t now = time_now();
	for (size_t i = 0; i < s->n_ioc_files; i++) {
		struct ioc_load_result res;
		char err[512];
		if (ioc_load_file(set, s->ioc_files[i], now, &res, err, sizeof(err)) != CSHQ_OK) {
			fprintf(stderr, "cshq-sensor: indicators %s: %s\n", s->ioc_files[i], err);
			ioc_set_free(set);
			return CSHQ_EINVAL;
		}
		if (res.rejected)
			fprintf(stderr, "cshq-sensor: indicators %s: %zu skipped (first: %s)\n",
				s->ioc_files[i], res.rejected, res.first_error);
	}
	if (s->have_feed) {
		size_t added = 0, rejected = 0;
		ioc_feed_add_to(&s->feed, set, now, &added, &rejected);
		if (rejected)
			fprintf(stderr, "cshq-sensor: feed: %zu indicators skipped as malformed\n",
				rejected);
	}
	ioc_set_freeze(set);
	if (!s->quiet) {
		fprintf(stderr, "cshq-sensor: indicators: %zu loaded in %.0f ms (", ioc_set_total(set),
			mono_ms() - t0);
		for (int t = 0; t < IOC_TYPE_COUNT; t++)
			fprintf(stderr, "%s%s %zu", t ? ", " : "", ioc_type_name((enum ioc_type)t),
				ioc_set_count(set, (enum ioc_type)t));
		fprintf(stderr, "; %.1f MB)\n", (double)ioc_set_memory(set) / 1048576.0);
	}
	*out = set;
	return CSHQ_OK;
}

/* One feed poll; true when the indicators changed. */
static bool poll_feed(struct sensor *s)
{
	char path[128], err[512];
	snprintf(path, sizeof(path), "/api/v1/sensor-feed?since=%lld", (long long)s->feed.version);
	struct buf resp = BUF_INIT((size_t)1 << 30);
	long status = 0;
	bool changed = false;
	if (http_client_request(&s->feed_http, "GET", path, NULL, 0, NULL, 30, &status, &resp, err,
				sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: feed: %s\n", err);
	} else if (status != 200) {
		fprintf(stderr, "cshq-sensor: feed: HTTP %ld\n", status);
	} else if (ioc_feed_apply(&s->feed, buf_cstr(&resp), resp.len, &changed, err,
				  sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: %s\n", err);
	} else {
		s->have_feed = true;
		if (s->fwd)
			forwarder_set_feed_version(s->fwd, s->feed.version);
	}
	buf_release(&resp);
	return changed;
}

static void reload(struct sensor *s)
{
	struct ioc_set *set;
	if (build_set(s, &set) == CSHQ_OK)
		ioc_holder_swap(&s->iocs, set);
	else
		fprintf(stderr, "cshq-sensor: reload failed; keeping the previous indicators\n");
}

static void emit_stats(struct sensor *s)
{
	struct decode_stats d;
	struct capture_stats c;
	struct forward_stats f;
	pipeline_stats(&s->pl, &d);
	capture_snapshot(&s->capture, &c);
	if (s->fwd)
		forwarder_stats(s->fwd, &f);
	uint64_t gen;
	struct ioc_set *set = ioc_holder_get(&s->iocs, &gen);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	char *j = eve_stats_format(&tv, &s->id, time_now() - s->started, &d, &c,
				   s->fwd ? &f : NULL, set ? ioc_set_total(set) : 0,
				   set ? ioc_set_memory(set) : 0, gen);
	ioc_set_unref(set);
	eve_writer_line(&s->eve, j);
	free(j);
}

static void *control_main(void *arg)
{
	struct sensor *s = arg;
	double next_stats = mono_ms() + s->stats_interval * 1000.0;
	double next_feed = mono_ms() + s->feed_interval * 1000.0;
	pthread_mutex_lock(&s->control_lock);
	while (!s->control_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->control_cond, &s->control_lock, &ts);
		if (s->control_stop)
			break;
		pthread_mutex_unlock(&s->control_lock);
		if (g_reload) {
			g_reload = 0;
			if (!s->quiet)
				fprintf(stderr, "cshq-sensor: SIGHUP: reloading indicators\n");
			reload(s);
		}
		double now = mono_ms();
		if (s->fwd_cfg.server && s->feed_interval > 0 && now >= next_feed) {
			next_feed = now + s->feed_interval * 1000.0;
			if (poll_feed(s))
				reload(s);
		}
		if (s->stats_interval > 0 && now >= next_stats) {
			next_stats = now + s->stats_interval * 1000.0;
			emit_stats(s);
		}
		pthread_mutex_lock(&s->control_lock);
	}
	pthread_mutex_unlock(&s->control_lock);
	return NULL;
}

static int parse_args(struct sensor *s, int argc, char **argv)
{
	long v;
	int c;
	s->cap.snaplen = 65535;
	s->cap.promisc = true;
	s->stats_interval = 60;
	s->feed_interval = 300;
	s->workers = 1;
	s->max_flows = 262144;
	s->fwd_cfg.spool_max_bytes = (uint64_t)256 << 20;
	s->fwd_cfg.batch_max = 500;
	s->fwd_cfg.batch_ms = 1000;
	s->fwd_cfg.drain_ms = 10000;
	s->cap.progress = isatty(STDERR_FILENO);
	s->fwd_cfg.token = getenv("CSHQ_SENSOR_TOKEN");
	s->files = xcalloc((size_t)argc + 1, sizeof(char *));
	s->ioc_files = xcalloc((size_t)argc + 1, sizeof(char *));
	while ((c = getopt_long(argc, argv, "r:i:I:e:w:qhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			s->files[s->nfiles++] = optarg;
			break;
		case 'i':
			s->cap.iface = optarg;
			break;
		case O_BPF:
			s->cap.bpf = optarg;
			break;
		case O_SNAPLEN:
			if (parse_num("--snaplen", optarg, 64, 262144, &v))
				return 2;
			s->cap.snaplen = (int)v;
			break;
		case O_NOPROMISC:
			s->cap.promisc = false;
			break;
		case O_BUFSIZE:
			if (parse_num("--buffer-size", optarg, 1, 4096, &v))
				return 2;
			s->cap.buffer_mb = (int)v;
			break;
		case O_USER:
			s->cap.user = optarg;
			break;
		case 'I':
			s->ioc_files[s->n_ioc_files++] = optarg;
			break;
		case O_FEEDINT:
			if (parse_num("--feed-interval", optarg, 0, 86400, &v))
				return 2;
			s->feed_interval = (int)v;
			break;
		case 'e':
			s->eve_path = optarg;
			break;
		case O_STATSINT:
			if (parse_num("--stats-interval", optarg, 0, 86400, &v))
				return 2;
			s->stats_interval = (int)v;
			break;
		case O_SENSORID:
			s->id.sensor = optarg;
			break;
		case O_ORG:
			s->id.org = optarg;
			break;
		case O_NOPROGRESS:
			s->cap.progress = false;
			break;
		case 'q':
			s->quiet = true;
			break;
		case O_SERVER:
			s->fwd_cfg.server = optarg;
			break;
		case O_TOKEN:
			s->fwd_cfg.token = optarg;
			break;
		case O_SPOOL:
			s->fwd_cfg.spool_dir = optarg;
			break;
		case O_SPOOLMAX: {
			/* MB by default; a K suffix for small bounds (tests, tiny devices) */
			char num[32];
			size_t l = strlen(optarg);
			bool kb = l > 1 && (optarg[l - 1] == 'K' || optarg[l - 1] == 'k');
			snprintf(num, sizeof(num), "%.*s", (int)(kb ? l - 1 : l), optarg);
			if (parse_num("--spool-max", num, 1, kb ? 1L << 30 : 1L << 20, &v))
				return 2;
			s->fwd_cfg.spool_max_bytes = (uint64_t)v << (kb ? 10 : 20);
			break;
		}
		case O_BATCH:
			if (parse_num("--batch-size", optarg, 1, 100000, &v))
				return 2;
			s->fwd_cfg.batch_max = (unsigned)v;
			break;
		case O_BATCHMS:
			if (parse_num("--batch-ms", optarg, 0, 3600000, &v))
				return 2;
			s->fwd_cfg.batch_ms = (unsigned)v;
			break;
		case O_DRAIN:
			if (parse_num("--drain-timeout", optarg, 0, 86400, &v))
				return 2;
			s->fwd_cfg.drain_ms = (unsigned)v * 1000u;
			break;
		case O_CAFILE:
			s->fwd_cfg.cafile = optarg;
			break;
		case O_INSECURE:
			s->fwd_cfg.insecure = true;
			break;
		case 'w':
			if (parse_num("--workers", optarg, 1, PIPELINE_MAX_WORKERS, &v))
				return 2;
			s->workers = (int)v;
			break;
		case O_MAXFLOWS:
			if (parse_num("--max-flows", optarg, 1, 1 << 26, &v))
				return 2;
			s->max_flows = (size_t)v;
			break;
		case O_CHECK:
			s->check = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			puts("cshq-sensor " CSHQ_VERSION);
			return 0;
		default:
			fputs("Try 'cshq-sensor --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cshq-sensor: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!s->check && (s->nfiles > 0) == (s->cap.iface != NULL)) {
		fputs("cshq-sensor: give either --read FILE... or --interface NAME\n"
		      "Try 'cshq-sensor --help'.\n",
		      stderr);
		return 2;
	}
	if (s->fwd_cfg.server && (!s->fwd_cfg.spool_dir || !s->fwd_cfg.token)) {
		fputs("cshq-sensor: --server needs --spool DIR and --token (or CSHQ_SENSOR_TOKEN)\n",
		      stderr);
		return 2;
	}
	if (s->cap.user && !s->cap.iface) {
		fputs("cshq-sensor: --user applies to a live capture (--interface)\n", stderr);
		return 2;
	}
	if (!s->id.sensor) {
		if (gethostname(s->hostname, sizeof(s->hostname) - 1) != 0)
			snprintf(s->hostname, sizeof(s->hostname), "sensor");
		s->id.sensor = s->hostname;
	}
	s->id.iface = s->cap.iface;
	s->cap.files = s->nfiles ? s->files : NULL;
	return -1;
}

int main(int argc, char **argv)
{
	static struct sensor s;
	char err[512];
	int rc = parse_args(&s, argc, argv);
	if (rc >= 0) {
		free(s.files);
		free(s.ioc_files);
		return rc;
	}
	rc = 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a reload must not cut short the read in progress (a pipe would report EINTR
	 * as a read error); stop signals may */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ioc_holder_init(&s.iocs);
	ioc_feed_init(&s.feed);
	if (s.fwd_cfg.server) {
		http_client_init(&s.feed_http, s.fwd_cfg.server, s.fwd_cfg.token, s.fwd_cfg.cafile,
				 s.fwd_cfg.insecure);
		if (s.feed_interval > 0)
			poll_feed(&s); /* so that a file run starts with the centre's indicators */
	}
	struct ioc_set *set;
	if (build_set(&s, &set) != CSHQ_OK) {
		rc = 2;
		goto out_feed;
	}
	ioc_holder_swap(&s.iocs, set);
	if (s.check)
		goto out_feed;

	if (s.fwd_cfg.server && s.cap.user && geteuid() == 0 &&
	    give_spool_to(s.cap.user, s.fwd_cfg.spool_dir) != CSHQ_OK) {
		rc = 2;
		goto out_feed;
	}
	if (s.fwd_cfg.server && forwarder_start(&s.fwd_cfg, &s.fwd, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: %s\n", err);
		rc = 2;
		goto out_feed;
	}
	if (eve_writer_open(&s.eve, s.eve_path, &s.id, s.fwd) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: --eve %s: %s\n", s.eve_path, strerror(errno));
		rc = 2;
		goto out_fwd;
	}
	static const int timeouts[FC_COUNT] = {600, 30, 120, 60};
	if (pipeline_start(&s.pl, s.workers, s.max_flows, timeouts, &s.eve, &s.iocs) != CSHQ_OK) {
		fputs("cshq-sensor: cannot start worker threads\n", stderr);
		rc = 1;
		goto out_eve;
	}
	capture_init(&s.capture);
	s.started = time_now();
	pthread_mutex_init(&s.control_lock, NULL);
	pthread_cond_init(&s.control_cond, NULL);
	pthread_create(&s.control, NULL, control_main, &s);

	double t0 = mono_ms();
	if (capture_run(&s.capture, &s.cap, &s.pl, &g_stop, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq-sensor: %s\n", err);
		rc = 1;
	}
	pipeline_drain(&s.pl);
	double elapsed = (mono_ms() - t0) / 1000.0;

	pthread_mutex_lock(&s.control_lock);
	s.control_stop = true;
	pthread_cond_signal(&s.control_cond);
	pthread_mutex_unlock(&s.control_lock);
	pthread_join(s.control, NULL);
	if (s.fwd)
		forwarder_flush(s.fwd); /* so that the final stats count every alert */
	emit_stats(&s);
	if (!s.quiet) {
		struct decode_stats d;
		pipeline_stats(&s.pl, &d);
		long peak_kb = 0;
		FILE *sf = fopen("/proc/self/status", "r");
		if (sf) {
			char line[256];
			while (fgets(line, sizeof(line), sf))
				if (strncmp(line, "VmHWM:", 6) == 0)
					peak_kb = strtol(line + 6, NULL, 10);
			fclose(sf);
		}
		fprintf(stderr,
			"cshq-sensor: %llu packets, %llu alerts, %llu flows, %llu decode errors in "
			"%.3f s (%.0f packets/s), peak RSS %.1f MB\n",
			(unsigned long long)d.pkts, (unsigned long long)d.alerts,
			(unsigned long long)d.flow.created,
			(unsigned long long)(d.errors[DL_LINK] + d.errors[DL_VLAN] + d.errors[DL_IPV4] +
					     d.errors[DL_IPV6] + d.errors[DL_TCP] + d.errors[DL_UDP] +
					     d.errors[DL_ICMP] + d.errors[DL_DNS] + d.errors[DL_TLS] +
					     d.errors[DL_HTTP]),
			elapsed, elapsed > 0 ? (double)d.pkts / elapsed : 0.0, peak_kb / 1024.0);
	}
	pipeline_stop(&s.pl);
	pthread_mutex_destroy(&s.control_lock);
	pthread_cond_destroy(&s.control_cond);
	capture_release(&s.capture);
out_eve:
	eve_writer_close(&s.eve);
out_fwd:
	forwarder_stop(s.fwd);
out_feed:
	if (s.fwd_cfg.server)
		http_client_release(&s.feed_http);
	ioc_feed_release(&s.feed);
	ioc_holder_release(&s.iocs);
	curl_global_cleanup();
	free(s.files);
	free(s.ioc_files);
	return rc;
}
