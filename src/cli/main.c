/* main.c: the cshq command: `serve` and the administrative subcommands of spec 80. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auditlog.h"
#include "auth/password.h"
#include "cli/setup.h"
#include "api/api.h"
#include "modules/registry.h"
#include "store/store.h"

static const char usage[] =
	"usage: cshq <command> [options]\n"
	"\n"
	"commands:\n"
	"  serve [--db PATH | --pg CONNINFO] [--listen ADDR:PORT] [--web DIR] [--threads N] [--demo]\n"
	"        [--trusted-proxy ADDR]  (behind nginx: take the client address from X-Real-IP)\n"
	"        run the server (defaults: --db ./var/cshq.db, --listen 127.0.0.1:8080);\n"
	"        an empty store is migrated and the registry loaded on first start\n"
	"  audit-log verify [--db PATH | --pg CONNINFO]   verify the tamper-evident log\n"
	"  orgs import FILE.csv [--db|--pg]               merge organisations from CSV\n"
	"  orgs export FILE.csv [--db|--pg]               write the registry as CSV\n"
	"  backup FILE [--db PATH]                        consistent copy of a SQLite store\n"
	"  version                                        print the version\n"
	"\n"
	"environment: CSHQ_ADMIN_PASSWORD (first administrator `admin`), CSHQ_DEMO_PASSWORD\n";

struct options {
	struct store_config store;
	const char *listen;
	const char *web;
	const char *trusted_proxy;
	unsigned threads;
	bool demo;
	const char *args[4];
	int nargs;
};

static int parse(int argc, char **argv, int first, struct options *o)
{
	o->store.backend = STORE_SQLITE;
	o->store.target = "var/cshq.db";
	o->listen = "127.0.0.1:8080";
	o->threads = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(a, "--db") == 0 && has_value) {
			o->store.backend = STORE_SQLITE;
			o->store.target = argv[++i];
		} else if (strcmp(a, "--pg") == 0 && has_value) {
			o->store.backend = STORE_PG;
			o->store.target = argv[++i];
		} else if (strcmp(a, "--listen") == 0 && has_value) {
			o->listen = argv[++i];
		} else if (strcmp(a, "--web") == 0 && has_value) {
			o->web = argv[++i];
		} else if (strcmp(a, "--trusted-proxy") == 0 && has_value) {
			o->trusted_proxy = argv[++i];
		} else if (strcmp(a, "--threads") == 0 && has_value) {
			o->threads = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(a, "--demo") == 0) {
			o->demo = true;
		} else if (a[0] == '-' ) {
			fprintf(stderr, "cshq: unknown option %s\n\n%s", a, usage);
			return -1;
		} else if (o->nargs < 4) {
			o->args[o->nargs++] = a;
		}
	}
	return 0;
}

/* The directory of a SQLite file is created on first use, as `./var/` by default. */
static void ensure_parent_dir(const struct store_config *c)
{
	if (c->backend != STORE_SQLITE)
		return;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", c->target);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	if (dir[0] && mkdir(dir, 0750) != 0 && errno != EEXIST)
		fprintf(stderr, "cshq: cannot create %s: %s\n", dir, strerror(errno));
}

static struct store *open_store(const struct options *o)
{
	ensure_parent_dir(&o->store);
	struct store *s;
	char err[256];
	if (store_connect(&o->store, &s, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq: %s\n", err);
		return NULL;
	}
	if (setup_store(s) != CSHQ_OK) {
		store_disconnect(s);
		return NULL;
	}
	return s;
}

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static const char *default_web_dir(void)
{
	static char path[4096];
	struct stat sb;
	/* next to the binary (build/cshq -> web/dist), then the working directory */
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n > 0) {
		path[n] = '\0';
		char *slash = strrchr(path, '/');
		if (slash) {
			snprintf(slash, sizeof(path) - (size_t)(slash - path), "/../web/dist");
			if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
				return path;
		}
	}
	if (stat("web/dist", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "web/dist";
	return NULL;
}

static int cmd_serve(const struct options *o)
{
	struct store *s = open_store(o);
	if (!s)
		return 1;
	if (o->demo && setup_demo_users(s) != CSHQ_OK) {
		store_disconnect(s);
		return 1;
	}
	store_disconnect(s);

	char addr[64];
	snprintf(addr, sizeof(addr), "%s", o->listen);
	char *colon = strrchr(addr, ':');
	if (!colon) {
		fprintf(stderr, "cshq: --listen wants ADDR:PORT\n");
		return 2;
	}
	*colon = '\0';
	long threads = o->threads ? (long)o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	static struct http_route_table tables[API_MAX_ROUTE_TABLES];
	struct http_config cfg = {
		.routes = tables,
		.n_route_tables = api_collect_routes(tables, API_MAX_ROUTE_TABLES),
		.listen_addr = addr,
		.port = atoi(colon + 1),
		.web_dir = o->web ? o->web : default_web_dir(),
		.threads = (unsigned)threads,
		.body_max = HTTP_BODY_MAX,
		.per_ip_connections = 256,
		.connection_timeout = 30,
		.trusted_proxy = o->trusted_proxy,
	};
	struct store_pool *pool;
	char err[256];
	if (store_pool_create(&o->store, (size_t)threads + 2, &pool, err, sizeof(err)) != CSHQ_OK) {
		fprintf(stderr, "cshq: %s\n", err);
		return 1;
	}
	struct http_server *srv;
	if (http_server_start(&cfg, pool, &srv) != CSHQ_OK) {
		store_pool_free(pool);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "cshq: serving http://%s:%d/ (store: %s%s%s)\n", addr, cfg.port,
		http_server_store_name(srv), cfg.web_dir ? ", UI: " : ", no UI built",
		cfg.web_dir ? cfg.web_dir : "");
	while (!stop_requested)
		pause();
	fprintf(stderr, "cshq: stopping\n");
	http_server_stop(srv);
	store_pool_free(pool);
	return 0;
}

static int cmd_verify(const struct options *o)
{
	struct store *s = open_store(o);
	if (!s)
		return 1;
	struct auditlog_report r;
	int rc = auditlog_verify(s, &r);
	store_disconnect(s);
	if (rc != CSHQ_OK) {
		fprintf(stderr, "cshq: cannot read the log\n");
		return 1;
	}
	if (r.ok) {
		printf("audit log ok: %lld entries\n", (long long)r.entries);
		return 0;
	}
	printf("audit log BROKEN: %lld entries, first bad entry %lld\n", (long long)r.entries,
	       (long long)r.first_bad);
	return 3;
}

static int cmd_orgs(const struct options *o)
{
	if (o->nargs != 2 || (strcmp(o->args[0], "import") != 0 && strcmp(o->args[0], "export") != 0)) {
		fputs(usage, stderr);
		return 2;
	}
	struct store *s = open_store(o);
	if (!s)
		return 1;
	int rc;
	if (strcmp(o->args[0], "export") == 0) {
		rc = store_begin(s, false);
		if (rc == CSHQ_OK)
			rc = registry_export_csv(s, o->args[1]);
		store_rollback(s);
		if (rc != CSHQ_OK)
			fprintf(stderr, "cshq: cannot export to %s\n", o->args[1]);
	} else {
		char err[256];
		size_t n = 0;
		rc = store_begin(s, true);
		if (rc == CSHQ_OK)
			rc = registry_import_csv(s, o->args[1], err, sizeof(err), &n);
		if (rc == CSHQ_OK)
			rc = auditlog_append(s, NULL, "registry_import", "registry", o->args[1], NULL);
		if (rc == CSHQ_OK)
			rc = store_commit(s);
		else
			store_rollback(s);
		if (rc == CSHQ_OK)
			fprintf(stderr, "cshq: imported %zu organisations\n", n);
		else
			fprintf(stderr, "cshq: import failed, nothing changed: %s\n", err[0] ? err : store_errmsg(s));
	}
	store_disconnect(s);
	return rc == CSHQ_OK ? 0 : 1;
}

static int cmd_backup(const struct options *o)
{
	if (o->nargs != 1 || o->store.backend != STORE_SQLITE) {
		fputs("cshq: backup FILE works on a SQLite store; for PostgreSQL use pg_dump\n", stderr);
		return 2;
	}
	struct store *s = open_store(o);
	if (!s)
		return 1;
	struct store_stmt *st;
	int rc = store_prepare(s, "VACUUM INTO $1", &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, o->args[0]);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc != CSHQ_OK)
		fprintf(stderr, "cshq: backup failed: %s\n", store_errmsg(s));
	else
		fprintf(stderr, "cshq: backup written to %s\n", o->args[0]);
	store_disconnect(s);
	return rc == CSHQ_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "version") == 0) {
		printf("cshq %s\n", CSHQ_VERSION);
		return 0;
	}
	if (password_init() != CSHQ_OK) {
		fprintf(stderr, "cshq: libsodium failed to initialise\n");
		return 1;
	}
	struct options o = {0};
	int first = strcmp(cmd, "audit-log") == 0 ? 3 : 2;
	if (first == 3 && (argc < 3 || strcmp(argv[2], "verify") != 0)) {
		fputs(usage, stderr);
		return 2;
	}
	if (parse(argc, argv, first, &o) != 0)
		return 2;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(&o);
	if (strcmp(cmd, "audit-log") == 0)
		return cmd_verify(&o);
	if (strcmp(cmd, "orgs") == 0)
		return cmd_orgs(&o);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(&o);
	fprintf(stderr, "cshq: unknown command %s\n\n%s", cmd, usage);
	return 2;
}
