/* visibility.c: the single visibility layer. */
#include <stdio.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"

static bool sees_class3_at_nisc(const struct principal *p)
{
	return principal_has(p, ROLE_NISC_DIRECTOR) || principal_has(p, ROLE_NISC_DEPUTY);
}

/* Roles other than admin and delegate give a user the normal scope of its organisation. */
static bool has_org_scope(const struct principal *p)
{
	uint32_t plain = p->roles & ~(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DELEGATE));
	return p->kind == PRINCIPAL_USER && plain != 0;
}

int vis_org_in_scope(struct store *s, const struct principal *p, const char *org, bool *out)
{
	*out = false;
	if (!has_org_scope(p))
		return CSHQ_OK;
	if (principal_is_nisc(p) || strcmp(p->org, org) == 0) {
		*out = true;
		return CSHQ_OK;
	}
	if (p->org_kind != ORG_MINISTRY)
		return CSHQ_OK;
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT 1 FROM org_supervisors WHERE org = $1 AND ministry = $2", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_text(st, 2, p->org);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return CSHQ_OK;
}

static int has_grant(struct store *s, const struct principal *p, const struct vis_record *r,
		     bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "SELECT 1 FROM access_grants WHERE record_kind = $1 AND record_id = $2 "
			       "AND grantee_org = $3 AND (grantee_user IS NULL OR grantee_user = $4) "
			       "AND until_at IS NULL",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, r->kind);
	store_bind_int64(st, 2, r->id);
	store_bind_text(st, 3, p->org);
	store_bind_int64(st, 4, p->user_id);
	rc = store_step(st);
	if (rc < 0)
		return rc;
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return CSHQ_OK;
}

int vis_check(struct store *s, const struct principal *p, const struct vis_record *r)
{
	return vis_check_held(s, p, r, VIS_RELEASED);
}

int vis_check_held(struct store *s, const struct principal *p, const struct vis_record *r,
		   enum vis_hold hold)
{
	if (p->kind != PRINCIPAL_USER)
		return CSHQ_ENOTFOUND;
	bool ok = false;
	int rc;
	if (principal_is_nisc(p)) {
		if (r->confidentiality < 3 || sees_class3_at_nisc(p))
			return CSHQ_OK;
		/* class 3 at NISC: only the assigned team (a grant to the user or to NISC) */
	} else if (has_org_scope(p)) {
		if ((rc = vis_org_in_scope(s, p, r->subject_org, &ok)) != CSHQ_OK)
			return rc;
		if (ok && hold != VIS_RELEASED &&
		    (hold == VIS_HELD_AT_CENTRE || strcmp(p->org, r->subject_org) == 0))
			ok = false; /* still on its way to this caller's organisation */
		if (ok)
			return CSHQ_OK;
	}
	if (!(p->roles & ~ROLE_BIT(ROLE_ADMIN)))
		return CSHQ_ENOTFOUND; /* admin alone sees no content */
	if ((rc = has_grant(s, p, r, &ok)) != CSHQ_OK)
		return rc;
	if (!ok)
		return CSHQ_ENOTFOUND;
	if (principal_has(p, ROLE_DELEGATE)) {
		/* Secrecy duty (Act 30(2), penalty Act 37): every read by a delegate is logged. */
		char id[32];
		snprintf(id, sizeof(id), "%lld", (long long)r->id);
		if (!store_in_transaction(s))
			return CSHQ_ERR;
		rc = auditlog_append(s, p, "delegate_read", r->kind, id, NULL);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

int vis_list_condition(const struct principal *p, const char *kind, const char *org_col,
		       const char *id_col, const char *conf_col, int org_param, int user_param,
		       struct buf *sql)
{
	if (p->kind != PRINCIPAL_USER)
		return buf_puts(sql, "(1 = 0)");
	int rc = buf_puts(sql, "(");
	if (principal_is_nisc(p)) {
		if (sees_class3_at_nisc(p) || !conf_col)
			rc |= buf_puts(sql, "1 = 1 OR ");
		else
			rc |= buf_printf(sql, "%s < 3 OR ", conf_col);
	} else if (has_org_scope(p)) {
		rc |= buf_printf(sql, "%s = $%d OR ", org_col, org_param);
		if (p->org_kind == ORG_MINISTRY)
			rc |= buf_printf(sql,
					 "%s IN (SELECT org FROM org_supervisors WHERE ministry = $%d) OR ",
					 org_col, org_param);
	}
	if (p->roles & ~ROLE_BIT(ROLE_ADMIN))
		rc |= buf_printf(sql,
				 "EXISTS (SELECT 1 FROM access_grants g WHERE g.record_kind = '%s' "
				 "AND g.record_id = %s AND g.grantee_org = $%d AND (g.grantee_user IS NULL "
				 "OR g.grantee_user = $%d) AND g.until_at IS NULL)",
				 kind, id_col, org_param, user_param);
	else
		rc |= buf_puts(sql, "1 = 0");
	rc |= buf_puts(sql, ")");
	return rc ? CSHQ_ELIMIT : CSHQ_OK;
}

int vis_grant(struct store *s, const char *kind, int64_t id, const char *grantee_org,
	      int64_t grantee_user, const char *reason)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "INSERT INTO access_grants (record_kind, record_id, grantee_org, grantee_user, "
			       "reason, from_at) VALUES ($1, $2, $3, $4, $5, $6)",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, id);
	store_bind_text(st, 3, grantee_org);
	if (grantee_user)
		store_bind_int64(st, 4, grantee_user);
	else
		store_bind_null(st, 4);
	store_bind_text(st, 5, reason);
	store_bind_int64(st, 6, time_now());
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int vis_revoke(struct store *s, const char *kind, int64_t id, const char *grantee_org)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "UPDATE access_grants SET until_at = $4 WHERE record_kind = $1 AND "
			       "record_id = $2 AND grantee_org = $3 AND until_at IS NULL",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, id);
	store_bind_text(st, 3, grantee_org);
	store_bind_int64(st, 4, time_now());
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}
