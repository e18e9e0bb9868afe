/* http.h: the request and response a handler sees, independent of libmicrohttpd.
 * The server has already: bounded the body, resolved the caller, checked the CSRF token of
 * cookie sessions, acquired a store connection and opened the request's one transaction.
 * A handler answers through the response; 2xx commits the transaction, anything else
 * rolls it back, so a refused request writes nothing. */
#ifndef CSHQ_HTTP_H
#define CSHQ_HTTP_H

#include <jansson.h>

#include "auth/principal.h"
#include "core/buf.h"
#include "regime/regime.h"
#include "store/store.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_BODY_MAX (1024 * 1024)      /* default request body cap */
#define HTTP_BULK_BODY_MAX (16 * 1024 * 1024) /* cap of ROUTE_BULK_BODY routes */
#define HTTP_RESPONSE_MAX (64 * 1024 * 1024)
#define JSON_MAX_DEPTH 32

struct http_server;

struct http_request {
	const char *method;
	const char *path;
	const char *params[HTTP_MAX_PARAMS]; /* {name} segments of the route, in order */
	void *conn;                          /* the MHD connection, for http_query */
	const char *body;
	size_t body_len;
	const char *content_type;
	const char *client_addr;
	const char *token;                   /* bearer or cookie token of the caller, if any */
	struct principal who;
	struct store *db;
	struct http_server *server;
};

struct http_response {
	int status;
	const char *content_type; /* static string */
	struct buf body;
	char set_cookie[256];
	char location[128];
	bool cacheable;           /* static assets; API answers are no-store */
	bool close;               /* close the connection after this answer */
};

/* A query-string argument, or NULL. */
const char *http_query(struct http_request *req, const char *name);
/* An integer query argument within [min, max]; def when absent. CSHQ_EINVAL when malformed. */
int http_query_int(struct http_request *req, const char *name, long min, long max, long def,
		   long *out);
/* A date query argument (YYYY-MM-DD); today's date in JST when absent. */
int http_query_date(struct http_request *req, const char *name, int32_t *out);
const char *http_header(struct http_request *req, const char *name);

/* Sets a JSON body (takes the reference to j) with the status. Returns status. */
int http_json(struct http_response *res, int status, json_t *j);

/* RFC 9457 problem document. basis may be NULL; it is a jansson array of citations
 * (the reference is taken). Returns status. */
int http_problem(struct http_response *res, int status, const char *title, const char *detail,
		 json_t *basis);
/* Problem for a store or internal failure (500) or the matching status of a cshq_rc. */
int http_problem_rc(struct http_response *res, int rc, const char *what);
int http_not_found(struct http_response *res);

/* Parses any JSON text strictly (UTF-8, no duplicate keys, depth <= JSON_MAX_DEPTH); NULL
 * with a message in err otherwise. Used by every handler that reads JSON. */
json_t *http_parse_json(const char *data, size_t len, char *err, size_t errlen);
/* Parses the body as one JSON object: strict UTF-8, no duplicate keys, depth <= JSON_MAX_DEPTH.
 * On failure fills res with a 400 problem and returns NULL. */
json_t *http_body_object(struct http_request *req, struct http_response *res);
/* Checks that obj has no key outside the NULL-terminated allowed list; 422 problem if so. */
bool http_only_keys(json_t *obj, const char *const *allowed, struct http_response *res);


typedef int (*http_handler)(struct http_request *req, struct http_response *res);

/* Route flags */
#define ROUTE_PUBLIC 1u   /* no authentication needed */
#define ROUTE_SENSOR 2u   /* sensor tokens allowed (and only on such routes) */
#define ROUTE_BULK_BODY 4u /* body cap HTTP_BULK_BODY_MAX instead of the default (alert
			      batches, indicator imports); still checked before reading */

struct http_route {
	const char *method;
	const char *pattern; /* "/api/v1/orgs/{code}/applicability" */
	http_handler handler;
	unsigned flags;
};

struct http_route_table {
	const struct http_route *routes;
	size_t n;
};

/* Matches method+path against every table; fills params (pointing into the caller's
 * scratch copy of the path). Returns the route, or NULL; *method_mismatch is set when the
 * path exists with another method. */
const struct http_route *router_match(const struct http_route_table *tables, size_t ntables,
				      const char *method, const char *path, char *scratch,
				      size_t scratch_len, const char **params, bool *method_mismatch);

struct http_config {
	const struct http_route_table *routes; /* the API (src/api/routes.c) */
	size_t n_route_tables;
	const char *listen_addr; /* "127.0.0.1" */
	int port;
	const char *web_dir;     /* built UI, may be NULL */
	unsigned threads;
	size_t body_max;
	unsigned per_ip_connections;
	unsigned connection_timeout;
	/* The reverse proxy's address (e.g. nginx on 127.0.0.1), or NULL. Only a request from
	 * this address may name the client with X-Real-IP, which login throttling then uses. */
	const char *trusted_proxy;
};

struct store_pool;
int http_server_start(const struct http_config *cfg, struct store_pool *pool,
		      struct http_server **out);
void http_server_stop(struct http_server *srv);
const char *http_server_store_name(struct http_server *srv);

#endif
