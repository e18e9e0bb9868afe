/* regime_impl.h: the tables behind regime.h, shared by the engine's .c files and its unit
 * tests. Other modules use regime.h only.
 *
 * Three kinds of table, all plain data:
 *  - provisions (provisions.c and its per-document fragments): one row per provision and
 *    version, with the quoted text;
 *  - rules (rules.c): one row per function x era x group of bodies, naming the answer and
 *    the provisions it rests on (by key, resolved at query time);
 *  - heads (rules.c): who "the head of the organisation" is, per article and version. */
#ifndef CSHQ_REGIME_IMPL_H
#define CSHQ_REGIME_IMPL_H

#include "core/common.h"
#include "regime/regime.h"

/* A provision named by its key; resolved with regime_cite_version(). */
struct regime_ref {
	const char *doc;
	const char *version;
	const char *article;
	int paragraph;
	int item;
};

extern const struct regime_citation regime_provision_rows[];
extern const size_t regime_provision_count;

/* The versions of each document: "old" governs dates before regime_effective_date(), "new"
 * from it. NULL where the seed holds no text of that version. */
struct regime_doc_versions {
	const char *doc;
	const char *old_version;
	const char *new_version;
};
extern const struct regime_doc_versions regime_docs[];
extern const size_t regime_doc_count;

enum regime_era { REGIME_ERA_OLD, REGIME_ERA_NEW };
/* A fact the row requires: don't care, true, false. */
enum regime_tri { TRI_ANY, TRI_YES, TRI_NO };

#define REGIME_KIND(k) (1u << (k))
#define REGIME_ALL_KINDS ((1u << ORG_KIND_COUNT) - 1u)

/* One decision row. The first row (in table order) that matches the function, the era, the
 * subject's kind and the two facts answers. route ROUTE_VIA means "via the subject's
 * supervising ministries". */
struct regime_rule {
	const char *name; /* stable id, e.g. "audit.old.iai"; cited by docs and test cases */
	enum regime_function fn;
	enum regime_era era;
	unsigned kinds;                /* REGIME_KIND() bits */
	enum regime_tri designated;    /* kind corporation with art13_designated */
	enum regime_tri listed;        /* art32_listed */
	enum regime_applies applies;
	enum regime_route route;
	const char *condition; /* quoted from the seed, for RA_CONDITIONAL */
	struct regime_ref basis[REGIME_MAX_BASIS]; /* ends at the first doc == NULL */
};
extern const struct regime_rule regime_rules[];
extern const size_t regime_rule_count;

/* Who "the head of the organisation" is. */
enum regime_heads_who {
	HEADS_SELF,                /* the body's own head */
	HEADS_SUPERVISING,         /* its supervising ministries' heads only */
	HEADS_SUPERVISING_AND_SELF /* both, ministries first */
};
struct regime_heads_rule {
	const char *doc;
	const char *version;
	int article;
	unsigned kinds;
	enum regime_tri designated;
	enum regime_heads_who who;
	struct regime_ref basis[REGIME_MAX_BASIS];
};
extern const struct regime_heads_rule regime_heads_rules[];
extern const size_t regime_heads_rule_count;

/* The rule that answers f for s on date (never NULL for a valid subject: every function and
 * era ends with a catch-all row). */
const struct regime_rule *regime_match_rule(enum regime_function f, const struct regime_subject *s,
					    int32_t date);

/* The 別表 entries as data (art32.c). */
extern const char *const regime_art32_2015[];
extern const size_t regime_art32_2015_count;
extern const char *const regime_art32_2016[];
extern const size_t regime_art32_2016_count;

#endif
