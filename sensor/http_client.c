/* http_client.c: libcurl easy handle reused across requests for keep-alive. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"

int http_client_init(struct http_client *c, const char *base, const char *token,
		     const char *cafile, bool insecure)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	if (!c->curl)
		return CSHQ_ERR;
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	c->base = xstrndup(base, bl);
	struct buf b = BUF_INIT(8192);
	buf_printf(&b, "Authorization: Bearer %s", token ? token : "");
	c->auth = buf_detach(&b, NULL);
	c->cafile = cafile;
	c->insecure = insecure;
	return CSHQ_OK;
}

void http_client_release(struct http_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->base);
	free(c->auth);
	memset(c, 0, sizeof(*c));
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	/* over the cap the rest is dropped; the caller sees a truncated (invalid) body */
	buf_append(b, p, size * n);
	return size * n;
}

int http_client_request(struct http_client *c, const char *method, const char *path,
			const char *body, size_t body_len, const char *extra_header,
			long timeout_s, long *status,
			struct buf *resp, char *err, size_t errlen)
{
	CURL *h = c->curl;
	char url[2048];
	snprintf(url, sizeof(url), "%s%s", c->base, path);
	struct curl_slist *hdr = NULL;
	hdr = curl_slist_append(hdr, c->auth);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (body)
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (extra_header)
		hdr = curl_slist_append(hdr, extra_header);
	hdr = curl_slist_append(hdr, "Expect:"); /* no 100-continue round trip */
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s > 0 && timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 60L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "cshq-sensor/" CSHQ_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	if (c->cafile)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cafile);
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (body) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	buf_reset(resp);
	CURLcode cc = curl_easy_perform(h);
	curl_slist_free_all(hdr);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s %s: %s", method, url, curl_easy_strerror(cc));
		return CSHQ_ERR;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	return CSHQ_OK;
}
