/* audit.h: audits (spec 50; AuditPolicy 1-5, Act 25(1)(ii), 30). The annual audit policy,
 * engagements per body and fiscal year, findings with published revisions, reports back
 * from the bodies, good practices, follow-up across fiscal years and the annual summary.
 *
 * Four workflow machines (src/workflow) carry the steps, each row citing its provisions:
 *   audit_policy        draft -> adopted                              (AuditPolicy 5(1))
 *   audit_engagement    planned -> fieldwork -> published -> [at_ministry ->] notified
 *                       -> closed; cancelled                          (AuditPolicy 3-5)
 *   audit_finding       draft -> published -> notified -> [report_at_ministry ->]
 *                       plan_reported | result_reported -> closed; withdrawn
 *   audit_good_practice recorded -> published; withdrawn              (AuditPolicy 3(1))
 *
 * Visibility: an engagement is a record of its body (the body sees its plan and agrees the
 * method). Its results (findings, reports, exports) are the same record held on their
 * route: NISC and a delegate see them from the start, the supervising ministry once NISC
 * has notified, the body once they reached it (directly for a ministry, through the
 * supervising ministry for an IAI or designated corporation). A delegation to IPA (Act
 * 30(1)) is a grant on the engagement: the delegate sees it and its findings, nothing else,
 * and each read is logged by the visibility layer.
 *
 * Every function runs inside the caller's (request's) transaction; a refusal leaves the
 * store unchanged once the caller rolls back. */
#ifndef CSHQ_AUDIT_H
#define CSHQ_AUDIT_H

#include <jansson.h>

#include "auth/principal.h"
#include "auth/visibility.h"
#include "store/store.h"
#include "workflow/workflow.h"

extern const struct wf_machine audit_policy_machine;
extern const struct wf_machine audit_engagement_machine;
extern const struct wf_machine audit_finding_machine;
extern const struct wf_machine audit_practice_machine;

/* A refusal: an HTTP status (400/404/409/422, 500 for a store failure), a message, and the
 * provisions that cause it (a JSON array of citations, owned; NULL when none). */
struct audit_error {
	int status;
	char detail[300];
	json_t *basis;
};
void audit_error_release(struct audit_error *e);

/* Whether p has the ordinary scope of its organisation (any role but admin and delegate). */
bool audit_has_org_scope(const struct principal *p);

/* Policies. input: {"fiscal_year", "approach", "themes": [...]}; themes are titles or
 * {"code"?, "title", "rationale"?} objects. CSHQ_OK and *id, or an error in e. */
int audit_policy_create(struct store *db, const struct principal *who, json_t *input, int64_t *id,
                        struct audit_error *e);
/* The policy as JSON (state, allowed_actions, timeline); CSHQ_ENOTFOUND when not visible. */
int audit_policy_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
int audit_policy_list(struct store *db, const struct principal *who, long fiscal_year,
                      json_t **out);

/* Engagements. input as in spec 50 / the OpenAPI fragment. */
int audit_engagement_create(struct store *db, const struct principal *who, json_t *input,
                            int64_t *id, struct audit_error *e);
int audit_engagement_json(struct store *db, const struct principal *who, int64_t id, json_t **out);

struct audit_filter {
	long fiscal_year; /* 0 = any */
	const char *org;  /* NULL = any */
	const char *state;
	long limit;
	int64_t after; /* cursor: last id of the previous page */
};
/* {"items", "next_cursor"}; CSHQ_ENOTFOUND when f->org is a body the caller cannot see. */
int audit_engagement_list(struct store *db, const struct principal *who,
                          const struct audit_filter *f, json_t **out);

/* Findings. */
int audit_finding_create(struct store *db, const struct principal *who, int64_t engagement,
                         json_t *input, int64_t *id, struct audit_error *e);
int audit_finding_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
/* The findings of an engagement the caller may see (404 while its results are held from it). */
int audit_findings_of(struct store *db, const struct principal *who, int64_t engagement,
                      json_t **out);

/* Good practices (AuditPolicy 3(1)). */
int audit_practice_create(struct store *db, const struct principal *who, int64_t engagement,
                          json_t *input, int64_t *id, struct audit_error *e);
int audit_practice_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
/* Published good practices of a fiscal year (0 = all): every body may read them. */
int audit_practices_published(struct store *db, const struct principal *who, long fiscal_year,
                              json_t **out);

/* Follow-up (AuditPolicy 5(2)): the important findings of org from fiscal years before
 * fiscal_year that are still open, each with its state at the start of that year and now,
 * and those resolved since. CSHQ_ENOTFOUND when the caller does not see the body. */
int audit_followups_json(struct store *db, const struct principal *who, const char *org,
                         int fiscal_year, json_t **out);

/* The annual summary (AuditPolicy 5(4)): aggregates only, passed through the redaction
 * rule. NISC and HQ see it live; other bodies only once published. */
int audit_summary_json(struct store *db, const struct principal *who, int fiscal_year,
                       json_t **out);
int audit_summary_publish(struct store *db, const struct principal *who, int fiscal_year,
                          json_t **out, struct audit_error *e);
/* The redaction rule, exposed for tests: replaces every string value of doc that names an
 * organisation (code as a word, Japanese or English name, former name) or quotes one of the
 * given texts; returns how many values it replaced. */
int audit_redact(struct store *db, json_t *doc, const char *const *texts, size_t n_texts,
                 size_t *redacted);

/* OSCAL exports of an engagement's published results. */
int audit_oscal_results(struct store *db, const struct principal *who, int64_t engagement,
                        json_t **out, struct audit_error *e);
int audit_oscal_poam(struct store *db, const struct principal *who, int64_t engagement,
                     json_t **out, struct audit_error *e);

/* Criteria catalogues (AuditPolicy 4(1)): see audit_catalog.h for the parsers. */
int audit_catalogue_list(struct store *db, const struct principal *who, json_t **out);
int audit_catalogue_json(struct store *db, const struct principal *who, const char *code,
                         json_t **out);

/* Helpers shared by the audit sources. */
/* The results of an engagement in state `state` are held from whom (see above). */
enum vis_hold audit_results_hold(const char *engagement_state);
/* The visibility description of an engagement's results (kind audit_engagement). */
int audit_results_visible(struct store *db, const struct principal *who, int64_t engagement,
                          const char *org, int confidentiality, const char *state);
/* A fresh random UUID (RFC 4122 version 4) into out (37 bytes). */
void audit_uuid(char out[37]);
/* A UUID derived from a seed UUID and a label (stable across exports). */
void audit_uuid_derived(const char *seed, const char *label, char out[37]);

#endif
