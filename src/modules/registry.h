/* registry.h: organisations with their dated statuses (spec 10): Act 13 designations and
 * Art.32 listings as [from, until) intervals that are never rewritten, supervising
 * ministries, former names. Also gathers the facts the regime engine needs for a date. */
#ifndef CSHQ_REGISTRY_H
#define CSHQ_REGISTRY_H

#include <jansson.h>

#include "regime/regime.h"
#include "store/store.h"

#define REGISTRY_MAX_SUPERVISING 8

/* The regime facts of one body on one date, with storage for the strings they point to. */
struct registry_subject {
	struct regime_subject facts;
	char code[33];
	char supervising_store[REGISTRY_MAX_SUPERVISING][33];
	const char *supervising[REGISTRY_MAX_SUPERVISING];
};

/* CSHQ_OK, CSHQ_ENOTFOUND for an unknown code, CSHQ_ERR on a store failure. */
int registry_subject(struct store *s, const char *code, int32_t date, struct registry_subject *out);

/* The list item of spec 80 for one organisation as of date. */
int registry_org_json(struct store *s, const char *code, int32_t date, bool detail, json_t **out);

/* The detailed answer as JSON text (malloc'd), served from a cache that is valid while the
 * registry version in the store is unchanged. */
int registry_org_text(struct store *s, const char *code, int32_t date, char **text, size_t *len);
/* The registry version: every change to organisations, designations or listings bumps it
 * in the same transaction. */
int registry_version(struct store *s, int64_t *out);
int registry_bump_version(struct store *s);

struct registry_filter {
	const char *kind; /* NULL = any */
	const char *q;    /* NULL = any */
	int32_t date;
	long limit;
	const char *after; /* cursor: last code of the previous page */
};
int registry_list(struct store *s, const struct registry_filter *f, json_t **out);

/* {"org","date","functions":{...}} with every function of the regime. */
int registry_applicability_json(struct store *s, const char *code, int32_t date, json_t **out);

/* Loads or merges organisations from a CSV with the columns of data/organizations.csv.
 * Runs inside the caller's transaction. Returns CSHQ_OK, or
 * CSHQ_EINVAL with a message naming the line in err. */
int registry_import_csv(struct store *s, const char *path, char *err, size_t errlen,
			size_t *imported);
/* The same from memory (the seed embedded in the binary). */
int registry_import_csv_mem(struct store *s, const char *data, size_t len, char *err,
			    size_t errlen, size_t *imported);
int registry_export_csv(struct store *s, const char *path);

/* Whether the store has any organisation yet. */
int registry_is_empty(struct store *s, bool *empty);

#endif
