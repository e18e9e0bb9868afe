/* audit_catalog.h: criteria catalogues for management audits (AuditPolicy 4(1): the
 * government unified standards and the bodies' own policies are not in the seed, so the
 * framework is data). A catalogue is a list of requirements {id, title, text, group},
 * imported from CSV or from an OSCAL catalog (JSON).
 *
 * The parsers are pure (no store) and take hostile bytes: every size is capped, text must be
 * valid UTF-8, ids are restricted to [A-Za-z0-9._:-] and unique, nesting is bounded. They
 * are fuzzed (tests/fuzz/audit/).
 *
 * CSV: RFC 4180 (libcsv, strict), a header row naming the columns id, title, text and
 * optionally group (any order, case-insensitive, a UTF-8 BOM allowed); one requirement per
 * further row; empty rows skipped.
 * OSCAL: {"catalog": {"uuid", "metadata": {"title", "version"?}, "groups"?, "controls"?}}
 * where groups nest groups and controls, controls nest controls (enhancements); each control
 * becomes a requirement: id, title, text = the prose of its "statement" part (with its
 * sub-parts), group = the title of the innermost group. */
#ifndef CSHQ_AUDIT_CATALOG_H
#define CSHQ_AUDIT_CATALOG_H

#include "auth/principal.h"
#include "core/common.h"
#include "store/store.h"

#define AUDIT_CATALOG_MAX_ITEMS 5000
#define AUDIT_CATALOG_MAX_ID 64
#define AUDIT_CATALOG_MAX_TITLE 1000
#define AUDIT_CATALOG_MAX_TEXT 16000
#define AUDIT_CATALOG_MAX_DEPTH 16 /* nesting of OSCAL groups and controls */

struct audit_requirement {
	char *id;
	char *title;
	char *text;
	char *group; /* NULL when none */
};

struct audit_catalog {
	char *title;   /* NULL for CSV (the importer names it) */
	char *version; /* NULL when not given */
	struct audit_requirement *items;
	size_t n;
};

/* Each returns CSHQ_OK and fills out (release it with audit_catalog_release), or CSHQ_EINVAL
 * / CSHQ_ELIMIT with a message in err (out is then empty). */
int audit_catalog_parse_csv(const char *data, size_t len, struct audit_catalog *out, char *err,
                            size_t errlen);
int audit_catalog_parse_oscal(const char *data, size_t len, struct audit_catalog *out, char *err,
                              size_t errlen);
void audit_catalog_release(struct audit_catalog *c);

/* Stores a parsed catalogue under code (3..32 of [a-z0-9_-]) with a title; CSHQ_ECONFLICT
 * when the code is taken. Inside the caller's write transaction; logged. */
int audit_catalog_store(struct store *db, const struct principal *who, const char *code,
                        const char *title, const char *format, const struct audit_catalog *c,
                        int64_t *id);

/* Whether a finding's requirement names a catalogue entry ("<catalogue>:<id>"): sets
 * *known to whether the catalogue exists, *title to the requirement's title (copied into
 * title_out) when both exist. */
int audit_catalog_lookup(struct store *db, const char *ref, bool *catalogue_known, bool *found,
                         char *title_out, size_t title_len);

#endif
