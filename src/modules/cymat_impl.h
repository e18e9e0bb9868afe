/* cymat_impl.h: what the files of the CYMAT module share and nothing outside uses: small
 * query helpers, the loaded rows, and the codes of the grants the module keeps. */
#ifndef CSHQ_CYMAT_IMPL_H
#define CSHQ_CYMAT_IMPL_H

#include <stdarg.h>

#include "modules/cymat.h"

/* Grants cymat_sync_grants owns (opened and closed by it alone). */
#define CYMAT_GRANT_SYNC "CymatRules 5, 12(1), 15: team lead, assigned member or consent"
/* Grants opened once and kept: the body that requested support for a direct stakeholder
 * (10(3)), and the bodies of training participants (7(2)). */
#define CYMAT_GRANT_REQUESTER "CymatRules 10(3): requesting body"
#define CYMAT_GRANT_PARTICIPANT "CymatRules 7(2): participant's body"

/* Query helpers. fmt names the parameters $1..$N in order: 't' text (NULL binds NULL),
 * 'i' int64, 'z' int64 where 0 binds NULL. */
int cymat_bindv(struct store_stmt *st, const char *fmt, va_list ap);
/* Runs a statement to its end; *changes (may be NULL) gets store_changes. */
int cymat_exec(struct store *db, int64_t *changes, const char *sql, const char *fmt, ...);
/* Whether the query returns a row. */
int cymat_exists(struct store *db, bool *out, const char *sql, const char *fmt, ...);
/* The first column of the first row as an integer (*out = dflt when no row or NULL). */
int cymat_int(struct store *db, int64_t *out, int64_t dflt, const char *sql, const char *fmt, ...);
/* Prepares and binds; the caller steps. */
int cymat_query(struct store *db, struct store_stmt **st, const char *sql, const char *fmt, ...);

/* Text column or "" for NULL; JSON string or null. */
const char *cymat_col_text(struct store_stmt *st, int col);
json_t *cymat_col_json_text(struct store_stmt *st, int col);
/* Instant column as an RFC 3339 string, or null. */
json_t *cymat_col_json_time(struct store_stmt *st, int col);
json_t *cymat_time_json(int64_t t);
/* The login of a user id, into out (65 bytes; "" when unknown). */
int cymat_user_login(struct store *db, int64_t id, char out[65]);

/* The code of the NISC organisation (kind nisc) into out (33 bytes). */
int cymat_nisc_code(struct store *db, char out[33]);
/* Whether ministry supervises org. */
int cymat_supervises(struct store *db, const char *ministry, const char *org, bool *out);

/* Builds a basis JSON array from cites resolved on date (NULL citations skipped). */
json_t *cymat_cites_json(const struct wf_cite *cites, size_t n, int32_t date);

/* Checks that obj has only the listed keys (NULL-terminated); refuses with 422. */
int cymat_only_keys(struct wf_ctx *ctx, const char *const *keys);
/* Optional string of 1..max bytes under key: *out NULL when absent. 422 otherwise. */
int cymat_opt_text(struct wf_ctx *ctx, const char *key, size_t max, const char **out);
/* The step is for the head: the director, or the deputy flagged as acting (4(2)): 403. */
int cymat_guard_head(struct wf_ctx *ctx);

/* One row of a transition table, with designated initializers so that fields the engine
 * may gain later start empty: CYMAT_STEP(from, action, to, roles, party, check, guard,
 * effect, label_ja, label_en, cites...). */
#define CYMAT_STEP(f, a, t, r, p, chk, grd, eff, ja, en, ...)                                      \
	{                                                                                          \
		.from = (f), .action = (a), .to = (t), .roles = (r), .party = (p),                 \
		.check_input = (chk), .guard = (grd), .effect = (eff), .basis = {__VA_ARGS__},     \
		.label_ja = (ja), .label_en = (en)                                                 \
	}

/* CymatRules 13(2): files a damage report the body agreed to count as its GSOC report
 * through the incidents module when it is built (cymat_gsoc.c). ref gets "report/<id>",
 * or "" when no report was filed (module absent, or the reporter's role files none). */
int cymat_gsoc_file(struct store *db, const struct principal *who, const char *subject,
                    int64_t damage_report, const char *text, int confidentiality,
                    int64_t occurred_at, char ref[64]);

/* Strings a refusal may carry, and the wf_ctx refusal copied into a cymat_refusal. */
void cymat_refusal_from_ctx(struct cymat_refusal *r, const struct wf_ctx *ctx);

#endif
