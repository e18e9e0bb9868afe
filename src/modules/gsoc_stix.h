/* gsoc_stix.h: STIX 2.1 bundles in and out of the centre's indicator list (spec 30).
 *
 * In: indicator objects whose pattern is a list of '=' comparisons joined by OR, on the
 * paths below; every compared value becomes one indicator. Other objects are ignored;
 * indicator objects outside that subset (AND, other operators, other paths, another
 * pattern language, a value that is not a valid indicator) are skipped and reported, never
 * half read. Paths: ipv4-addr:value and ipv6-addr:value (cidr when a prefix is given),
 * domain-name:value, url:value (x_cshq_type "domain_suffix" / "url_prefix" refine these
 * two), x-cshq-domain-suffix:value, x-cshq-url-prefix:value, x-cshq-ja3:value,
 * x-cshq-ja4:value, network-traffic:extensions.'tls-ext'.ja3. TLP comes from
 * object_marking_refs (TLP 1.0 and 2.0 ids, or TLP marking definitions in the bundle),
 * else x_cshq_tlp; expiry from valid_until; severity from x_cshq_severity; confidence from
 * confidence; source from x_cshq_source, else created_by_ref.
 *
 * Out: one indicator object per indicator, with a pattern the parser above (and the
 * sensor's loader) reads back to the same type and value.
 *
 * Pure: no store. A libFuzzer target (tests/fuzz) feeds gsoc_stix_parse arbitrary bytes. */
#ifndef CSHQ_GSOC_STIX_H
#define CSHQ_GSOC_STIX_H

#include <jansson.h>

#include "modules/gsoc_ioc.h"

/* Largest bundle nesting accepted (checked before parsing). */
#define GSOC_STIX_MAX_DEPTH 32
/* Values one pattern may list. */
#define GSOC_STIX_MAX_TERMS 64

struct gsoc_stix_indicator {
	enum gsoc_ioc_type type;
	char *value;   /* canonical (gsoc_ioc_normalise), owned */
	char *stix_id; /* id of the indicator object, owned */
	char *source;  /* owned, NULL when not given */
	int severity;  /* 1..4, 0 when not given */
	bool has_tlp;
	enum gsoc_tlp tlp;
	int confidence;      /* 0..100, -1 when not given */
	int64_t expires_at;  /* 0 when not given */
	bool revoked;        /* the object is revoked: the indicator is to be removed */
	size_t object_index; /* position in "objects" */
};

struct gsoc_stix_result {
	struct gsoc_stix_indicator *items;
	size_t n, cap;
	json_t *skipped; /* [{"index", "id", "detail"}], never NULL after a parse */
};

/* Parses a bundle. CSHQ_OK: out filled (release it). CSHQ_EINVAL: not a STIX 2.1 bundle,
 * or an indicator object without id or pattern (message in err). CSHQ_ELIMIT: more than
 * max_items indicators. On error out holds nothing to release beyond what
 * gsoc_stix_result_release frees safely. */
int gsoc_stix_parse(const char *data, size_t len, size_t max_items, struct gsoc_stix_result *out,
                    char *err, size_t errlen);
void gsoc_stix_result_release(struct gsoc_stix_result *r);

/* One indicator for export. */
struct gsoc_stix_export {
	enum gsoc_ioc_type type;
	const char *value;
	const char *stix_id; /* "indicator--<uuid>" */
	enum gsoc_tlp tlp;
	int severity;
	const char *source;                    /* may be NULL */
	int confidence;                        /* -1 for none */
	int64_t created, modified, expires_at; /* expires_at 0 for none */
	bool revoked;
};

/* The STIX 2.1 indicator object (new reference). */
json_t *gsoc_stix_indicator_json(const struct gsoc_stix_export *e);

/* Whether a buffer's JSON nesting stays within max (strings are skipped). */
bool gsoc_json_depth_ok(const char *s, size_t n, int max);

#endif
