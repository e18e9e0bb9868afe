/* openapi.c: GET /api/v1/openapi.json. The document is the first fragment of
 * src/api/openapi/ with the paths and schemas of the others merged in, so each module
 * describes its own endpoints next to the others without editing one shared file. */
#include <pthread.h>
#include <stdlib.h>

#include "api/api.h"

extern const struct {
	const char *name;
	const char *text;
} openapi_parts[];
extern const size_t openapi_parts_count;

static char *merged;
static pthread_once_t merged_once = PTHREAD_ONCE_INIT;

static void merge_key(json_t *doc, json_t *part, const char *outer, const char *inner)
{
	json_t *src = json_object_get(part, outer);
	if (inner)
		src = json_object_get(src, inner);
	if (!json_is_object(src))
		return;
	json_t *dst = json_object_get(doc, outer);
	if (inner) {
		if (!dst) {
			dst = json_object();
			json_object_set_new(doc, outer, dst);
		}
		json_t *d2 = json_object_get(dst, inner);
		if (!d2) {
			d2 = json_object();
			json_object_set_new(dst, inner, d2);
		}
		dst = d2;
	} else if (!dst) {
		dst = json_object();
		json_object_set_new(doc, outer, dst);
	}
	json_object_update(dst, src);
}

static void build(void)
{
	json_t *doc = NULL;
	for (size_t i = 0; i < openapi_parts_count; i++) {
		json_error_t err;
		json_t *part = json_loads(openapi_parts[i].text, JSON_REJECT_DUPLICATES, &err);
		CSHQ_ASSERT(part != NULL); /* the fragments are part of the build */
		if (!doc) {
			doc = part;
			continue;
		}
		merge_key(doc, part, "paths", NULL);
		merge_key(doc, part, "components", "schemas");
		merge_key(doc, part, "tags", NULL);
		json_decref(part);
	}
	merged = json_dumps(doc ? doc : json_object(), JSON_COMPACT);
	json_decref(doc);
}

int api_openapi(struct http_request *req, struct http_response *res)
{
	pthread_once(&merged_once, build);
	res->status = 200;
	res->content_type = "application/json";
	buf_reset(&res->body);
	buf_puts(&res->body, merged);
	return 200;
}
