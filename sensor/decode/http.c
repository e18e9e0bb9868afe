/* http.c: HTTP/1.x request heads, tolerant of bare LF line ends as servers are. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode/http.h"

static const char *const methods[] = {"GET",   "POST",    "HEAD",    "PUT",  "DELETE",
				      "PATCH", "OPTIONS", "CONNECT", "TRACE", "PROPFIND"};

bool http_looks_like_request(const uint8_t *d, size_t len)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(methods); i++) {
		size_t ml = strlen(methods[i]);
		size_t n = len < ml + 1 ? len : ml + 1;
		if (n == 0)
			return false;
		char want[16];
		snprintf(want, sizeof(want), "%s ", methods[i]);
		if (memcmp(d, want, n) == 0)
			return true;
	}
	return false;
}

/* Copies [s, s+n) into out (outlen) with non-printable bytes as '?', truncating. */
static void copy_field(char *out, size_t outlen, const uint8_t *s, size_t n)
{
	size_t k = n < outlen - 1 ? n : outlen - 1;
	for (size_t i = 0; i < k; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[k] = '\0';
}

static void trim(const uint8_t **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

int http_parse_request(const uint8_t *d, size_t len, struct http_request *out, size_t *head_len)
{
	memset(out, 0, sizeof(*out));
	if (!http_looks_like_request(d, len))
		return PARSE_ERR;
	size_t scan = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
	/* find the end of the head: an empty line */
	size_t end = 0;
	for (size_t i = 0; i < scan; i++) {
		if (d[i] != '\n')
			continue;
		if (i + 1 < scan && d[i + 1] == '\n') {
			end = i + 2;
			break;
		}
		if (i + 2 < scan && d[i + 1] == '\r' && d[i + 2] == '\n') {
			end = i + 3;
			break;
		}
	}
	if (!end)
		return len >= HTTP_MAX_HEAD ? PARSE_ERR : PARSE_MORE;

	/* request line: METHOD SP URI SP VERSION */
	const uint8_t *line = d;
	const uint8_t *nl = memchr(d, '\n', end);
	size_t ll = (size_t)(nl - d);
	if (ll && line[ll - 1] == '\r')
		ll--;
	const uint8_t *sp1 = memchr(line, ' ', ll);
	if (!sp1)
		return PARSE_ERR;
	const uint8_t *rest = sp1 + 1;
	size_t rl = ll - (size_t)(rest - line);
	const uint8_t *sp2 = NULL;
	for (size_t i = rl; i > 0; i--)
		if (rest[i - 1] == ' ') {
			sp2 = rest + i - 1;
			break;
		}
	if (!sp2 || sp2 == rest)
		return PARSE_ERR;
	size_t vl = rl - (size_t)(sp2 + 1 - rest);
	if (vl < 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return PARSE_ERR;
	copy_field(out->method, sizeof(out->method), line, (size_t)(sp1 - line));
	copy_field(out->uri, sizeof(out->uri), rest, (size_t)(sp2 - rest));
	copy_field(out->protocol, sizeof(out->protocol), sp2 + 1, vl);

	/* headers */
	size_t p = (size_t)(nl - d) + 1;
	while (p < end) {
		const uint8_t *h = d + p;
		const uint8_t *e = memchr(h, '\n', end - p);
		size_t hl = e ? (size_t)(e - h) : end - p;
		p += hl + 1;
		const uint8_t *colon = memchr(h, ':', hl);
		if (!colon)
			continue;
		size_t nlen = (size_t)(colon - h);
		const uint8_t *v = colon + 1;
		size_t vlen = hl - nlen - 1;
		trim(&v, &vlen);
		if (nlen == 4 && strncasecmp((const char *)h, "host", 4) == 0 && !out->host[0])
			copy_field(out->host, sizeof(out->host), v, vlen);
		else if (nlen == 10 && strncasecmp((const char *)h, "user-agent", 10) == 0)
			copy_field(out->user_agent, sizeof(out->user_agent), v, vlen);
		else if (nlen == 14 && strncasecmp((const char *)h, "content-length", 14) == 0) {
			uint64_t cl = 0;
			for (size_t i = 0; i < vlen && v[i] >= '0' && v[i] <= '9'; i++)
				if (cl < UINT64_C(1) << 50)
					cl = cl * 10 + (uint64_t)(v[i] - '0');
			out->content_length = cl;
		} else if (nlen == 17 && strncasecmp((const char *)h, "transfer-encoding", 17) == 0)
			out->chunked = true;
	}
	*head_len = end;
	return PARSE_OK;
}
