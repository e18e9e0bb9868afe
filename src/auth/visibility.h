/* visibility.h: the one place that decides what a caller may see (spec 70). Every handler
 * and every export asks here; what is not visible answers 404 so its existence does not
 * leak. Modules describe a record by its kind, id, subject organisation and confidentiality
 * class; explicit grants (delegations, assignments, consents) live in access_grants.
 *
 * Rules, in order:
 *  - a sensor or an anonymous caller sees nothing here;
 *  - NISC roles see every body's records, class 3 only as director/deputy or when granted;
 *  - a user sees its own organisation's records;
 *  - a ministry's users see the records of the bodies it supervises;
 *  - a held record (vis_check_held) is not yet seen through that scope by the subject
 *    body (nor, while held at the centre, by its supervising ministries);
 *  - an open grant to the user or its organisation makes the record visible; for a delegate
 *    (Act 30) that is the only way, and every such read is written to the log;
 *  - the admin role alone sees no record content. */
#ifndef CSHQ_VISIBILITY_H
#define CSHQ_VISIBILITY_H

#include "auth/principal.h"
#include "core/buf.h"
#include "store/store.h"

/* How far a result has travelled on its route. Some results reach the body they are about
 * only through its supervising ministry (audit results of an IAI or designated corporation,
 * AuditPolicy 5(3)): until then the body's own users do not see them. Records that are not
 * held leave this at zero. */
enum vis_hold {
	VIS_RELEASED = 0,       /* the rules below apply unchanged */
	VIS_HELD_AT_SUPERVISOR, /* not yet for the subject body's own users */
	VIS_HELD_AT_CENTRE,     /* neither for the subject body nor for its supervising ministries */
};

struct vis_record {
	const char *kind;        /* "report", "case", "engagement", "user", ... */
	int64_t id;
	const char *subject_org; /* the body the record is about */
	int confidentiality;     /* 1..3; 0 when the record has no class */
};

/* CSHQ_OK when p may see r; CSHQ_ENOTFOUND when not; CSHQ_ERR on a store failure.
 * A delegate's successful read is appended to the log (needs a write transaction: the
 * request layer opens one for every request). */
int vis_check(struct store *s, const struct principal *p, const struct vis_record *r);
/* The same for a record held on its route (vis_check is this with VIS_RELEASED). */
int vis_check_held(struct store *s, const struct principal *p, const struct vis_record *r,
		   enum vis_hold hold);

/* Whether p sees the records of organisation org through its own scope (own body, or the
 * bodies its ministry supervises, or NISC). Grants are not considered. */
int vis_org_in_scope(struct store *s, const struct principal *p, const char *org, bool *out);

/* Appends to sql a boolean SQL condition restricting a list to what p may see, for a
 * table whose subject organisation is org_col and record id is id_col, of kind `kind` (a
 * constant of the module, not user input). The condition refers to the principal's
 * organisation as $org_param and its user id as $user_param: the caller binds them with
 * p->org and p->user_id. */
int vis_list_condition(const struct principal *p, const char *kind, const char *org_col,
		       const char *id_col, const char *conf_col, int org_param, int user_param,
		       struct buf *sql);

/* Opens a grant (e.g. a delegation of a case to IPA). */
int vis_grant(struct store *s, const char *kind, int64_t id, const char *grantee_org,
	      int64_t grantee_user, const char *reason);
/* Closes every open grant of a record to an organisation. */
int vis_revoke(struct store *s, const char *kind, int64_t id, const char *grantee_org);

#endif
