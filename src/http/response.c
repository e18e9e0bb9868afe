/* response.c: JSON answers, RFC 9457 problem documents, strict JSON input and citations. */
#include <microhttpd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "http/http.h"

int http_json(struct http_response *res, int status, json_t *j)
{
	res->status = status;
	res->content_type = "application/json";
	buf_reset(&res->body);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s || buf_puts(&res->body, s) != CSHQ_OK) {
		free(s);
		return http_problem(res, 500, "Internal error", "response too large", NULL);
	}
	free(s);
	return status;
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad request";
	case 401: return "Authentication required";
	case 403: return "Forbidden";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Payload too large";
	case 415: return "Unsupported media type";
	case 422: return "Unprocessable content";
	case 429: return "Too many requests";
	default: return "Internal error";
	}
}

int http_problem(struct http_response *res, int status, const char *title, const char *detail,
		 json_t *basis)
{
	json_t *j = json_object();
	char type[96];
	snprintf(type, sizeof(type), "https://cshq.invalid/problems/%d", status);
	json_object_set_new(j, "type", json_string(type));
	json_object_set_new(j, "title", json_string(title ? title : status_title(status)));
	json_object_set_new(j, "status", json_integer(status));
	if (detail)
		json_object_set_new(j, "detail", json_string(detail));
	if (basis)
		json_object_set_new(j, "basis", basis);
	res->status = status;
	res->content_type = "application/problem+json";
	buf_reset(&res->body);
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s)
		buf_puts(&res->body, s);
	free(s);
	return status;
}

int http_problem_rc(struct http_response *res, int rc, const char *what)
{
	switch (rc) {
	case CSHQ_EINVAL: return http_problem(res, 422, NULL, what, NULL);
	case CSHQ_ENOTFOUND: return http_not_found(res);
	case CSHQ_ECONFLICT: return http_problem(res, 409, NULL, what, NULL);
	case CSHQ_EDENIED: return http_problem(res, 403, NULL, what, NULL);
	case CSHQ_ELIMIT: return http_problem(res, 413, NULL, what, NULL);
	default: return http_problem(res, 500, NULL, "internal error; nothing was changed", NULL);
	}
}

int http_not_found(struct http_response *res)
{
	return http_problem(res, 404, NULL, "no such resource", NULL);
}

/* jansson has no depth option (its own cap is 2048), so nesting is bounded before parsing. */
static bool depth_ok(const char *s, size_t n)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return false;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return true;
}

json_t *http_parse_json(const char *data, size_t len, char *err, size_t errlen)
{
	if (!depth_ok(data, len)) {
		snprintf(err, errlen, "JSON nested deeper than %d levels", JSON_MAX_DEPTH);
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s", e.line, e.column, e.text);
	return j;
}

json_t *http_body_object(struct http_request *req, struct http_response *res)
{
	if (req->content_type && strncmp(req->content_type, "application/json", 16) != 0) {
		http_problem(res, 415, NULL, "the body must be application/json", NULL);
		return NULL;
	}
	char err[256];
	json_t *j = http_parse_json(req->body, req->body_len, err, sizeof(err));
	if (!j) {
		http_problem(res, 400, NULL, err, NULL);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		http_problem(res, 400, NULL, "the body must be a JSON object", NULL);
		return NULL;
	}
	return j;
}

bool http_only_keys(json_t *obj, const char *const *allowed, struct http_response *res)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = true;
		if (!ok) {
			char d[160];
			snprintf(d, sizeof(d), "unknown field \"%.100s\"", key);
			http_problem(res, 422, NULL, d, NULL);
			return false;
		}
	}
	return true;
}

const char *http_query(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

int http_query_int(struct http_request *req, const char *name, long min, long max, long def,
		   long *out)
{
	const char *v = http_query(req, name);
	if (!v || !*v) {
		*out = def;
		return CSHQ_OK;
	}
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < min || n > max)
		return CSHQ_EINVAL;
	*out = n;
	return CSHQ_OK;
}

int http_query_date(struct http_request *req, const char *name, int32_t *out)
{
	const char *v = http_query(req, name);
	if (!v || !*v) {
		*out = date_today();
		return CSHQ_OK;
	}
	return date_parse(v, out);
}
