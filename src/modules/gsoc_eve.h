/* gsoc_eve.h: one EVE event read without building a tree, for the ingestion hot path.
 *
 * The reader checks the whole text as strictly as jansson does with JSON_REJECT_DUPLICATES
 * (RFC 8259 grammar, UTF-8 without overlongs or surrogates, no unescaped control
 * characters, no NUL, valid \u escapes and surrogate pairs, integers within int64, finite
 * reals, no duplicate key in any object, bounded depth) and collects only the members the
 * centre uses (gsoc_eve_path). Measured: jansson spends about 20 us building the tree of a
 * 0.8 KiB event that this reads in a few (docs/decisions.md). The fuzz target
 * tests/fuzz/gsoc/fuzz_gsoc_eve.c compares it with jansson on every input.
 *
 * Pure: no store, no allocation beyond the caller's arena. */
#ifndef CSHQ_GSOC_EVE_H
#define CSHQ_GSOC_EVE_H

#include "core/common.h"

/* The members collected, by path. */
enum gsoc_eve_path {
	EVE_ROOT,
	EVE_EVENT_TYPE,
	EVE_TIMESTAMP,
	EVE_SRC_IP,
	EVE_DEST_IP,
	EVE_SRC_PORT,
	EVE_DEST_PORT,
	EVE_PROTO,
	EVE_APP_PROTO,
	EVE_FLOW_ID,
	EVE_ALERT,          /* alert */
	EVE_ALERT_SEVERITY, /* alert.severity */
	EVE_CSHQ,           /* cshq */
	EVE_SEQ,
	EVE_INDICATOR_TYPE,
	EVE_INDICATOR_VALUE,
	EVE_MATCHED_VALUE,
	EVE_SENSOR,
	EVE_TLP,
	EVE_STATS, /* stats */
	EVE_UPTIME,
	EVE_CAPTURE, /* stats.capture */
	EVE_KERNEL_PACKETS,
	EVE_KERNEL_DROPS,
	EVE_FORWARD, /* stats.forward */
	EVE_SPOOL_BATCHES,
	EVE_SPOOL_BYTES,
	EVE_DROPPED,
	EVE_FEED_VERSION,
	EVE_PATH_COUNT
};

enum gsoc_json_type {
	GSOC_JSON_ABSENT,
	GSOC_JSON_OBJECT,
	GSOC_JSON_ARRAY,
	GSOC_JSON_STRING,
	GSOC_JSON_INTEGER,
	GSOC_JSON_REAL,
	GSOC_JSON_TRUE,
	GSOC_JSON_FALSE,
	GSOC_JSON_NULL
};

struct gsoc_eve_value {
	enum gsoc_json_type type;
	const char *str; /* strings: decoded, NUL-terminated, in the arena */
	size_t len;      /* strings: bytes (jansson's json_string_length) */
	int64_t i;       /* integers */
};

struct gsoc_eve {
	struct gsoc_eve_value v[EVE_PATH_COUNT];
};

/* A bump allocator for the decoded strings of a batch. */
struct gsoc_arena {
	struct gsoc_arena_block *head;
};
void gsoc_arena_release(struct gsoc_arena *a);

/* Reads one JSON value at text[0..len): leading whitespace is allowed; the value ends the
 * read (what follows is the caller's). The value must be an object (an event) unless
 * any_value: then any JSON value is read and, when it is not an object, nothing is
 * collected. CSHQ_OK with *used = bytes consumed through the end of the value and
 * out->v[EVE_ROOT].type its type; CSHQ_EINVAL with *used = the offset of the error and a
 * static message in *why. max_depth bounds nesting (the value itself is depth 1). */
int gsoc_eve_read(const char *text, size_t len, int max_depth, bool any_value,
                  struct gsoc_arena *arena, struct gsoc_eve *out, size_t *used, const char **why);

#endif
