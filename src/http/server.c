/* server.c: libmicrohttpd glue. Bounds each request (size answered 413 before the body is
 * read, per-IP connections, connection memory, timeouts), resolves the caller, enforces the
 * CSRF token of cookie sessions, runs the handler in one transaction and sets the security
 * headers of every response. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "http/http.h"
#include "http/static_files.h"
#include "store/store.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct store_pool *pool;
	struct http_config cfg;
	char store_name[16];
};

const char *http_server_store_name(struct http_server *srv)
{
	return srv->store_name;
}

struct request_ctx {
	const struct http_route *route; /* matched once, when the headers arrive */
	const char *params[HTTP_MAX_PARAMS];
	bool method_mismatch;
	char scratch[1024];             /* the path copy params point into */
	struct buf body;
	bool too_large;
	bool responded;
};

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
			  "base-uri 'none'; form-action 'self'";

static enum MHD_Result send_response(struct MHD_Connection *c, struct http_response *res)
{
	size_t len;
	char *body = buf_detach(&res->body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", res->content_type ? res->content_type : "application/json");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", res->cacheable ? "public, max-age=3600" : "no-store");
	if (res->set_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
	if (res->location[0])
		MHD_add_response_header(r, "Location", res->location);
	if (res->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_problem(struct MHD_Connection *c, int status, const char *detail)
{
	struct http_response res = {0};
	buf_init(&res.body, HTTP_RESPONSE_MAX);
	http_problem(&res, status, NULL, detail, NULL);
	return send_response(c, &res);
}

static const char *bearer_or_cookie(struct MHD_Connection *c, bool *via_cookie)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	*via_cookie = false;
	if (auth && strncmp(auth, "Bearer ", 7) == 0)
		return auth + 7;
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "cshq_session");
	if (cookie) {
		*via_cookie = true;
		return cookie;
	}
	return NULL;
}

static bool is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

static int run_api(struct http_server *srv, struct MHD_Connection *c, const char *url,
		   const char *method, struct request_ctx *ctx, struct http_response *res)
{
	struct http_request req = {0};
	const struct http_route *route = ctx->route;
	if (!route)
		return ctx->method_mismatch ? http_problem(res, 405, NULL, "method not allowed here", NULL)
					    : http_not_found(res);
	memcpy(req.params, ctx->params, sizeof(req.params));
	char addr[INET6_ADDRSTRLEN];
	client_addr(c, addr, sizeof(addr));
	/* Behind nginx every peer is the proxy: take the client from X-Real-IP, which the
	 * shipped config overwrites, and only when the peer is the configured proxy. */
	const char *real = srv->cfg.trusted_proxy && strcmp(addr, srv->cfg.trusted_proxy) == 0
				   ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP")
				   : NULL;
	if (real && strlen(real) < sizeof(addr))
		snprintf(addr, sizeof(addr), "%s", real);
	req.method = method;
	req.path = url;
	req.conn = c;
	req.body = ctx->body.data ? ctx->body.data : "";
	req.body_len = ctx->body.len;
	req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	req.client_addr = addr;
	req.server = srv;

	req.db = store_pool_acquire(srv->pool);
	if (!req.db)
		return http_problem(res, 503, "Service unavailable", "the store is unreachable", NULL);
	int status;
	/* One transaction per request, opened before the caller is resolved so the token
	 * lookup reads inside it (one read transaction per request, not one per statement). */
	bool write = !is_safe_method(method);
	if (store_begin(req.db, write) != CSHQ_OK) {
		status = http_problem_rc(res, CSHQ_ERR, NULL);
		goto out;
	}
	bool via_cookie = false;
	const char *token = bearer_or_cookie(c, &via_cookie);
	req.token = token;
	if (token && !(route->flags & ROUTE_SENSOR)) {
		int rc = session_resolve(req.db, token, &req.who);
		if (rc == CSHQ_OK)
			req.who.via_cookie = via_cookie;
		else if (rc != CSHQ_ENOTFOUND) {
			status = http_problem_rc(res, rc, NULL);
			goto out;
		}
	}
	/* Reads by a delegate are logged (Act 30(2)), so they need a write transaction. */
	if (!write && principal_has(&req.who, ROLE_DELEGATE)) {
		store_rollback(req.db);
		if (store_begin(req.db, true) != CSHQ_OK) {
			status = http_problem_rc(res, CSHQ_ERR, NULL);
			goto out;
		}
	}
	if (!(route->flags & (ROUTE_PUBLIC | ROUTE_SENSOR)) && req.who.kind != PRINCIPAL_USER) {
		status = http_problem(res, 401, NULL, "log in, or send a bearer token", NULL);
		goto out;
	}
	if (req.who.via_cookie && !is_safe_method(method)) {
		const char *csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != 64 || sodium_memcmp(csrf, req.who.csrf, 64) != 0) {
			status = http_problem(res, 403, NULL, "missing or wrong X-CSRF-Token", NULL);
			goto out;
		}
	}
	status = route->handler(&req, res);
	if (status >= 500) /* operators need the cause; the client gets none of it */
		fprintf(stderr, "cshq: %s %s: %d: %s\n", method, url, status, store_errmsg(req.db));
	if (status >= 200 && status < 300) {
		if (store_commit(req.db) != CSHQ_OK)
			status = http_problem(res, 500, NULL, "the change could not be committed; nothing was changed", NULL);
	} else {
		store_rollback(req.db);
	}
out:
	store_pool_release(srv->pool, req.db); /* rolls back whatever is still open */
	return status;
}

/* Routes the request once, when its headers arrive, and answers the body cap of that
 * route: ROUTE_BULK_BODY routes take more. */
static size_t route_request(struct http_server *srv, struct request_ctx *ctx, const char *method,
			    const char *url)
{
	if (strncmp(url, "/api/", 5) == 0)
		ctx->route = router_match(srv->cfg.routes, srv->cfg.n_route_tables, method, url,
					  ctx->scratch, sizeof(ctx->scratch), ctx->params,
					  &ctx->method_mismatch);
	if (ctx->route && (ctx->route->flags & ROUTE_BULK_BODY) && HTTP_BULK_BODY_MAX > srv->cfg.body_max)
		return HTTP_BULK_BODY_MAX;
	return srv->cfg.body_max;
}

struct framing {
	unsigned content_length;
	bool transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct framing *f = cls;
	if (strcasecmp(key, "Content-Length") == 0)
		f->content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->transfer_encoding = true;
	return MHD_YES;
}

/* Ambiguous framing (several Content-Length headers, or Content-Length with
 * Transfer-Encoding) is how requests are smuggled past a proxy. nginx refuses it in front;
 * the server refuses it too, so a direct connection cannot use it either. */
static bool ambiguous_framing(struct MHD_Connection *c)
{
	struct framing f = {0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	return f.content_length > 1 || (f.content_length && f.transfer_encoding);
}

static enum MHD_Result send_and_close(struct MHD_Connection *c, int status, const char *detail)
{
	struct http_response res = {0};
	buf_init(&res.body, HTTP_RESPONSE_MAX);
	http_problem(&res, status, NULL, detail, NULL);
	res.close = true;
	return send_response(c, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct request_ctx *ctx = *con_cls;
	if (!ctx) {
		ctx = xcalloc(1, sizeof(*ctx));
		size_t cap = route_request(srv, ctx, method, url);
		buf_init(&ctx->body, cap);
		*con_cls = ctx;
		if (ambiguous_framing(c)) {
			ctx->responded = true;
			return send_and_close(c, 400, "ambiguous message framing (Content-Length)");
		}
		/* Refuse an oversized declared body before reading any of it. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			unsigned long long n = strtoull(cl, &end, 10);
			if (*end || n > cap) {
				ctx->responded = true;
				return send_problem(c, 413, "request body too large");
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!ctx->too_large && buf_append(&ctx->body, upload, *upload_size) != CSHQ_OK)
			ctx->too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (ctx->responded)
		return MHD_YES;
	ctx->responded = true;
	if (ctx->too_large)
		return send_problem(c, 413, "request body too large");

	struct http_response res = {0};
	buf_init(&res.body, HTTP_RESPONSE_MAX);
	if (strncmp(url, "/api/", 5) == 0) {
		run_api(srv, c, url, method, ctx, &res);
	} else if (is_safe_method(method)) {
		static_files_serve(srv->cfg.web_dir, url, &res);
	} else {
		http_problem(&res, 405, NULL, "method not allowed here", NULL);
	}
	return send_response(c, &res);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct request_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	buf_release(&ctx->body);
	free(ctx);
	*con_cls = NULL;
}

int http_server_start(const struct http_config *cfg, struct store_pool *pool,
		      struct http_server **out)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	srv->pool = pool;
	struct store *probe = store_pool_acquire(pool);
	snprintf(srv->store_name, sizeof(srv->store_name), "%s", probe ? store_backend_name(probe) : "?");
	store_pool_release(pool, probe);

	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->listen_addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "cshq: bad listen address %s\n", cfg->listen_addr);
		free(srv);
		return CSHQ_EINVAL;
	}
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, MHD_OPTION_CONNECTION_LIMIT, 1024u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
		/* libmicrohttpd clears this pool for every request, so it is kept to what a
		 * request line and headers need behind nginx (4 x 8 KiB at most). */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_END);
	if (!srv->daemon) {
		fprintf(stderr, "cshq: cannot listen on %s:%d\n", cfg->listen_addr, cfg->port);
		free(srv);
		return CSHQ_ERR;
	}
	*out = srv;
	return CSHQ_OK;
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
