/* cymat.h: CYMAT, the rapid-response team of NISC (spec 40, CymatRules). Domain rules and
 * queries without HTTP:
 *
 *  - the roster (5-9) with its history and the limits of Rule 8, checked on every change;
 *  - support requests (10) with the paragraph they rest on and the channel used (10(4));
 *  - dispatches (11): on a request (11(1)) or without one, after the consent its paragraph
 *    needs (11(2) the ministry's CSIRT, 11(3) sounding the observer out and its request,
 *    11(4) the supervising ministry's department and, through it, the body); members
 *    assigned, the activity log (12(1)), damage reports (13), the CISO's opinion and the
 *    end of support (14);
 *  - the information-use gate of Rule 15 and the consents that open it;
 *  - peacetime trainings and exercises (12(2)) and the periodic report (16).
 *
 * Workflow records run on the one engine (workflow/workflow.h); the machines are below.
 *
 * Visibility. Every record answers the visibility layer first (auth/visibility.h): kind
 * "cymat_request" / "cymat_dispatch" with the subject body and the confidentiality class
 * of the information, "cymat_roster" and "cymat_consent" with the body they concern,
 * "cymat_training" with NISC as subject. Access for the team comes from grants kept in
 * step by cymat_sync_grants (team leads, assigned members, consents of Rule 15).
 *
 * Rule 15 gate. Class-2/3 information of a body (a dispatch's summary, its activity log and
 * damage reports, a request's summary) is additionally checked by cymat_info_allowed after
 * visibility: only the body itself (and its supervising ministry, and the body that
 * requested support for it), the head and deputy head, the team leads and the members
 * assigned to that dispatch may use it, and anyone else only under a consent of the body
 * whose purpose matches what the user is doing (another dispatch, a training or exercise,
 * a purpose the head approved). A refusal is answered 404 and logged. */
#ifndef CSHQ_CYMAT_H
#define CSHQ_CYMAT_H

#include <jansson.h>

#include "auth/principal.h"
#include "regime/regime.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* A refusal with its reason and the provisions that cause it (as in struct wf_ctx). */
struct cymat_refusal {
	int status; /* 403, 404, 409, 422 */
	char message[300];
	const struct regime_citation *basis[REGIME_MAX_BASIS];
	size_t n_basis;
};
/* Fills r (citations resolved on date) and returns the matching cshq_rc. */
int cymat_refuse(struct cymat_refusal *r, int status, int32_t date, const char *message,
                 const struct wf_cite *cites, size_t n);

/* ---- roster (cymat_roster.c) ---- */

enum cymat_role {
	CYMAT_MANAGER,
	CYMAT_FIELD_LEAD,
	CYMAT_MEMBER,
	CYMAT_CANDIDATE,
	CYMAT_TRAINEE,
	CYMAT_ROLE_COUNT
};
const char *cymat_role_code(enum cymat_role r); /* "manager", "field_lead", ... */
int cymat_role_parse(const char *code, enum cymat_role *out);

/* Open roster rows of one organisation by role. */
struct cymat_counts {
	int n[CYMAT_ROLE_COUNT];
};

/* The limits of Rules 6 and 8 for adding one row of `role` to a body of `kind` that now
 * has `now` (a replaced row already left out). Pure. CSHQ_OK, or CSHQ_ECONFLICT with r
 * filled (409 and the basis in force on date). */
int cymat_roster_check(enum org_kind kind, enum cymat_role role, const struct cymat_counts *now,
                       int32_t date, struct cymat_refusal *r);
/* The soft rules as warnings [{code, message, basis}] for a body with these counts (8(1)
 * "in principle at least 1", 8(2) a trainee where no candidate, 6 the team). Pure. */
json_t *cymat_roster_warnings(enum org_kind kind, const struct cymat_counts *now, int32_t date);
/* The limits that apply to a body of this kind, as {"candidates_max", ...} (null = none). */
json_t *cymat_roster_limits(enum org_kind kind, int32_t date);

struct cymat_roster_new {
	const char *org;
	const char *name;
	enum cymat_role role;
	const char *user; /* login or NULL */
	int64_t replaces; /* roster id ended by this change (Rule 9), or 0 */
};
/* Adds a row after the permission (403), visibility (404) and limit (409) checks; logs it
 * and keeps grants in step. On refusal returns the rc with r filled. */
int cymat_roster_add(struct store *db, const struct principal *who,
                     const struct cymat_roster_new *in, int64_t *id, struct cymat_refusal *r);
/* One row as JSON ({"id","org","name","role","user","state","from","until",...}). */
int cymat_roster_row_json(struct store *db, int64_t id, json_t **out);
/* The roster view: org NULL = every body the caller sees (with a summary per ministry and
 * observer), else that body only (CSHQ_ENOTFOUND when not visible). history: ended rows too.
 * Items by id, limit per page after the id `after`. */
int cymat_roster_json(struct store *db, const struct principal *who, const char *org, bool history,
                      long limit, int64_t after, json_t **out);
extern const struct wf_machine cymat_roster_machine;

/* ---- requests and dispatches (cymat.c) ---- */

extern const struct wf_machine cymat_request_machine;
extern const struct wf_machine cymat_dispatch_machine;

struct cymat_request_new {
	const char *subject;
	const char *channel; /* "ciso" | "emergency" */
	const char *summary;
	int64_t event_at;
	const char *on_behalf_of; /* NULL, or the body at whose request it is made (10(2),(3)) */
	int64_t related_request;  /* 10(3): the requester's own request, or 0 */
	int confidentiality;      /* 1..3 */
};
int cymat_request_create(struct store *db, const struct principal *who,
                         const struct cymat_request_new *in, int64_t *id, struct cymat_refusal *r);

struct cymat_dispatch_new {
	const char *subject;
	const char *summary;
	int confidentiality;
};
/* A dispatch without a request (11(2)-(4)), in state "awaiting_consent". */
int cymat_dispatch_create(struct store *db, const struct principal *who,
                          const struct cymat_dispatch_new *in, int64_t *id,
                          struct cymat_refusal *r);

/* The record as the caller may see it, with allowed_actions and timeline. Items of the
 * information the caller may not use are left out; their ids are appended to withheld
 * (a JSON array the caller logs with cymat_log_refusal). CSHQ_ENOTFOUND when the record
 * is not visible or the gate refuses its own summary (then withheld holds it). */
int cymat_request_json(struct store *db, const struct principal *who, int64_t id, json_t **out,
                       json_t *withheld);
int cymat_dispatch_json(struct store *db, const struct principal *who, int64_t id, json_t **out,
                        json_t *withheld);
/* One damage report (GET /cymat/damage-reports/{id}); same rules as above. */
int cymat_damage_report_json(struct store *db, const struct principal *who, int64_t id,
                             json_t **out, json_t *withheld);

struct cymat_list_filter {
	const char *subject; /* NULL = any visible */
	const char *state;   /* NULL = any */
	int64_t after;       /* cursor: the last id of the previous page (lists run newest first) */
	long limit;
};
int cymat_request_list(struct store *db, const struct principal *who,
                       const struct cymat_list_filter *f, json_t **out, json_t *withheld);
int cymat_dispatch_list(struct store *db, const struct principal *who,
                        const struct cymat_list_filter *f, json_t **out, json_t *withheld);

/* ---- Rule 15 (cymat.c) ---- */

/* Whether who may use information of class conf of dispatch `dispatch` (0 for a request
 * not dispatched) about `subject`, requested by requester_org (NULL if none). Run after
 * vis_check. *why names the entitlement (or the missing one) for the log. */
int cymat_info_allowed(struct store *db, const struct principal *who, int64_t dispatch,
                       const char *subject, const char *requester_org, int conf, bool *ok,
                       const char **why);

/* Writes the log of refused accesses in its own committed transaction, for a read whose
 * answer must not depend on it (a 404 rolls the request back). The request's transaction
 * is rolled back first and a fresh read transaction is left open: call it only from a
 * handler that has written nothing else. refused: [{"kind","id","class","reason"}]. */
int cymat_log_refusal(struct store *db, const struct principal *who, json_t *refused);

/* Recomputes the grants CYMAT keeps (team leads on every request and dispatch, members on
 * the dispatches they are assigned to, users whose work matches a consent of Rule 15):
 * opens the missing ones, closes those no longer justified. Called after every change. */
int cymat_sync_grants(struct store *db);

/* ---- consents of Rule 15 and peacetime records (cymat_peacetime.c) ---- */

extern const struct wf_machine cymat_consent_machine;
extern const struct wf_machine cymat_training_machine;

struct cymat_consent_new {
	const char *provider_org;
	const char *purpose; /* "other_support" | "peacetime" | "other" */
	int64_t dispatch;    /* 0 = every item of the body (per purpose) */
	const char *note;
};
int cymat_consent_create(struct store *db, const struct principal *who,
                         const struct cymat_consent_new *in, int64_t *id, struct cymat_refusal *r);
int cymat_consent_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
int cymat_consent_list(struct store *db, const struct principal *who, const char *provider,
                       long limit, int64_t after, json_t **out);

struct cymat_training_new {
	const char *kind; /* "training" | "exercise" */
	const char *title;
	int32_t from, until;
	const char *note;
	json_t *participants; /* array of roster ids */
};
int cymat_training_create(struct store *db, const struct principal *who,
                          const struct cymat_training_new *in, int64_t *id,
                          struct cymat_refusal *r);
int cymat_training_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
int cymat_training_list(struct store *db, const struct principal *who, long limit, int64_t after,
                        json_t **out);

/* ---- the periodic report of Rule 16 (cymat_report.c) ---- */

/* Counts by category for [from, until) (dates), per fiscal quarter. published: the summary
 * that may be made public (counts and categories only, no body named, no text). */
int cymat_report_json(struct store *db, int32_t from, int32_t until, bool published, json_t **out);

/* ---- shared helpers (cymat.c) ---- */

/* wf_apply on one of the machines above, then cymat_sync_grants: every action goes
 * through here so that assignments, terminations and consents move the grants at once. */
int cymat_apply(struct store *db, const struct principal *who, const struct wf_machine *m,
                int64_t id, const char *action, json_t *input, struct wf_ctx *ctx);

/* The director, or the deputy flagged as acting (CymatRules 4(2)). */
bool cymat_is_head(const struct principal *p);
/* A user of a body of kind nisc with the manager or field-lead role. */
bool cymat_is_lead(const struct principal *p);
/* Ids of a JSON array: 1..max distinct positive integers. */
int cymat_id_array(json_t *a, size_t max, int64_t *ids, size_t *n);

#endif
