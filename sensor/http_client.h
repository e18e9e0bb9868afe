/* http_client.h: the sensor's HTTP(S) client to the centre (libcurl, keep-alive, bearer
 * token). One client per thread. */
#ifndef CSHQ_SENSOR_HTTP_CLIENT_H
#define CSHQ_SENSOR_HTTP_CLIENT_H

#include "core/buf.h"

struct http_client {
	void *curl;
	char *base;  /* "https://centre.example" without trailing slash */
	char *auth;  /* "Authorization: Bearer ..." */
	const char *cafile;
	bool insecure;
};

/* The caller keeps cafile alive. CSHQ_OK or CSHQ_ERR. */
int http_client_init(struct http_client *c, const char *base, const char *token,
		     const char *cafile, bool insecure);
void http_client_release(struct http_client *c);

/* Sends method to base + path with an optional JSON body and extra header line,
 * giving up after timeout_s seconds.
 * CSHQ_OK when the server answered (any status, in *status; body in resp, capped),
 * CSHQ_ERR on a transport failure (message in err). */
int http_client_request(struct http_client *c, const char *method, const char *path,
			const char *body, size_t body_len, const char *extra_header,
			long timeout_s, long *status,
			struct buf *resp, char *err, size_t errlen);

#endif
