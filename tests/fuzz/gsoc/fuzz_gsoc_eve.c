/* fuzz_gsoc_eve.c: the tree-less EVE reader against jansson on the same bytes. Both must
 * accept and refuse the same texts (jansson with JSON_REJECT_DUPLICATES, the value alone
 * with only whitespace around it, nesting bounded as the batch bounds it), and every
 * member the reader collects must equal what jansson finds at that path. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "modules/gsoc_eve.h"
#include "modules/gsoc_stix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEPTH 16

static const struct {
	enum gsoc_eve_path id;
	const char *path[3];
} paths[] = {
    {EVE_EVENT_TYPE, {"event_type"}},
    {EVE_TIMESTAMP, {"timestamp"}},
    {EVE_SRC_IP, {"src_ip"}},
    {EVE_DEST_IP, {"dest_ip"}},
    {EVE_SRC_PORT, {"src_port"}},
    {EVE_DEST_PORT, {"dest_port"}},
    {EVE_PROTO, {"proto"}},
    {EVE_APP_PROTO, {"app_proto"}},
    {EVE_FLOW_ID, {"flow_id"}},
    {EVE_ALERT, {"alert"}},
    {EVE_ALERT_SEVERITY, {"alert", "severity"}},
    {EVE_CSHQ, {"cshq"}},
    {EVE_SEQ, {"cshq", "seq"}},
    {EVE_INDICATOR_TYPE, {"cshq", "indicator_type"}},
    {EVE_INDICATOR_VALUE, {"cshq", "indicator_value"}},
    {EVE_MATCHED_VALUE, {"cshq", "matched_value"}},
    {EVE_SENSOR, {"cshq", "sensor"}},
    {EVE_TLP, {"cshq", "tlp"}},
    {EVE_STATS, {"stats"}},
    {EVE_UPTIME, {"stats", "uptime"}},
    {EVE_CAPTURE, {"stats", "capture"}},
    {EVE_KERNEL_PACKETS, {"stats", "capture", "kernel_packets"}},
    {EVE_KERNEL_DROPS, {"stats", "capture", "kernel_drops"}},
    {EVE_FORWARD, {"stats", "forward"}},
    {EVE_SPOOL_BATCHES, {"stats", "forward", "spool_batches"}},
    {EVE_SPOOL_BYTES, {"stats", "forward", "spool_bytes"}},
    {EVE_DROPPED, {"stats", "forward", "dropped"}},
    {EVE_FEED_VERSION, {"stats", "forward", "feed_version"}},
};

static enum gsoc_json_type type_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return GSOC_JSON_OBJECT;
	case JSON_ARRAY:
		return GSOC_JSON_ARRAY;
	case JSON_STRING:
		return GSOC_JSON_STRING;
	case JSON_INTEGER:
		return GSOC_JSON_INTEGER;
	case JSON_REAL:
		return GSOC_JSON_REAL;
	case JSON_TRUE:
		return GSOC_JSON_TRUE;
	case JSON_FALSE:
		return GSOC_JSON_FALSE;
	default:
		return GSOC_JSON_NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct gsoc_arena arena = {0};
	struct gsoc_eve f;
	size_t used = 0;
	const char *why;
	int rc = gsoc_eve_read(text, size, DEPTH, true, &arena, &f, &used, &why);
	bool ours = rc == CSHQ_OK;
	if (ours) /* only whitespace may follow, as in an NDJSON line */
		for (size_t i = used; i < size; i++)
			if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
				ours = false;
	json_error_t je;
	json_t *j = gsoc_json_depth_ok(text, size, DEPTH)
	                ? json_loadb(text, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je)
	                : NULL;
	/* jansson ends its input at a NUL byte outside strings and ignores what follows; the
	 * reader refuses it. Stricter is allowed there, laxer never. */
	bool nul = memchr(text, '\0', size) != NULL;
	if (ours != (j != NULL) && !(nul && !ours)) {
		fprintf(stderr, "reader %s, jansson %s (%s)\n", ours ? "accepts" : "refuses",
		        j ? "accepts" : "refuses", ours ? je.text : why);
		CSHQ_ASSERT(!"the reader and jansson disagree");
	}
	if (ours && json_is_object(j)) {
		CSHQ_ASSERT(f.v[EVE_ROOT].type == GSOC_JSON_OBJECT);
		for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
			json_t *v = j;
			for (int d = 0; d < 3 && paths[k].path[d] && v; d++)
				v = json_is_object(v) ? json_object_get(v, paths[k].path[d]) : NULL;
			const struct gsoc_eve_value *x = &f.v[paths[k].id];
			CSHQ_ASSERT(x->type == (v ? type_of(v) : GSOC_JSON_ABSENT));
			if (v && json_is_string(v))
				CSHQ_ASSERT(x->len == json_string_length(v) &&
				            memcmp(x->str, json_string_value(v), x->len) == 0);
			if (v && json_is_integer(v))
				CSHQ_ASSERT(x->i == json_integer_value(v));
		}
	} else if (ours) {
		CSHQ_ASSERT(f.v[EVE_ROOT].type == type_of(j));
	}
	json_decref(j);
	gsoc_arena_release(&arena);
	return 0;
}
