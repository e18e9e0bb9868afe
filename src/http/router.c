/* router.c: matches a method and path against the route table. Patterns are literal
 * segments and {name} placeholders; a placeholder matches one non-empty segment. */
#include <string.h>

#include "http/http.h"

static bool match(const char *pattern, char *path, const char **params)
{
	int np = 0;
	const char *p = pattern;
	char *q = path;
	while (*p && *q) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end || np >= HTTP_MAX_PARAMS)
				return false;
			char *seg_end = strchr(q, '/');
			size_t len = seg_end ? (size_t)(seg_end - q) : strlen(q);
			if (len == 0)
				return false;
			params[np++] = q;
			p = end + 1;
			q += len;
			if (*q == '/' && *p == '/') {
				*q = '\0'; /* terminate the captured segment */
				q++;
				p++;
			} else if (*q == '\0' && *p == '\0') {
				return true;
			} else {
				return false;
			}
			continue;
		}
		if (*p != *q)
			return false;
		p++;
		q++;
	}
	return *p == '\0' && *q == '\0';
}

const struct http_route *router_match(const struct http_route_table *tables, size_t ntables,
				      const char *method, const char *path, char *scratch,
				      size_t scratch_len, const char **params, bool *method_mismatch)
{
	*method_mismatch = false;
	size_t n = strlen(path);
	if (n + 1 > scratch_len)
		return NULL;
	for (size_t i = 0, t = 0; t < ntables; i++) {
		if (i >= tables[t].n) {
			t++;
			i = (size_t)-1;
			continue;
		}
		const struct http_route *r = &tables[t].routes[i];
		memcpy(scratch, path, n + 1);
		const char *tmp[HTTP_MAX_PARAMS] = {0};
		if (!match(r->pattern, scratch, tmp))
			continue;
		if (strcmp(r->method, method) != 0) {
			*method_mismatch = true;
			continue;
		}
		memcpy(params, tmp, sizeof(tmp));
		return r;
	}
	return NULL;
}
