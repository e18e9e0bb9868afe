/* http.h: HTTP/1.x request-head parser (method, URI, Host, User-Agent). */
#ifndef CSHQ_SENSOR_HTTP_H
#define CSHQ_SENSOR_HTTP_H

#include "decode/decode.h"

/* A request head longer than this is not inspected (it bounds the per-flow buffer). */
#define HTTP_MAX_HEAD 16384

struct http_request {
	char method[16];
	char uri[4096];        /* truncated when longer */
	char protocol[16];     /* "HTTP/1.1" */
	char host[256];        /* Host header, "" when absent */
	char user_agent[512];
	uint64_t content_length;
	bool chunked;
};

/* d/len: bytes at the start of a request. PARSE_OK: out filled, *head_len the bytes of
 * the head (request line and headers, up to the blank line). PARSE_MORE: a valid prefix.
 * PARSE_ERR: not an HTTP/1.x request (for example a response), or a head over the cap. */
int http_parse_request(const uint8_t *d, size_t len, struct http_request *out, size_t *head_len);

/* Whether the bytes can start an HTTP request (a known method followed by a space). */
bool http_looks_like_request(const uint8_t *d, size_t len);

#endif
