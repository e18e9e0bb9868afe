/* cymat.c: what every part of the CYMAT module shares: query helpers, the heads and leads
 * of the team, the information-use gate of Rule 15, the grants the module keeps in step
 * and the log of refused accesses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/cymat_impl.h"

/* ---- query helpers ---- */

int cymat_bindv(struct store_stmt *st, const char *fmt, va_list ap)
{
	int n = 1;
	for (const char *f = fmt; f && *f; f++, n++) {
		int rc = CSHQ_OK;
		if (*f == 't') {
			rc = store_bind_text(st, n, va_arg(ap, const char *));
		} else if (*f == 'i') {
			rc = store_bind_int64(st, n, va_arg(ap, int64_t));
		} else if (*f == 'z') {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? store_bind_int64(st, n, v) : store_bind_null(st, n);
		} else {
			CSHQ_ASSERT(!"bad bind format");
		}
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

static int vquery(struct store *db, struct store_stmt **st, const char *sql, const char *fmt,
                  va_list ap)
{
	int rc = store_prepare(db, sql, st);
	if (rc != CSHQ_OK)
		return rc;
	return cymat_bindv(*st, fmt, ap);
}

int cymat_query(struct store *db, struct store_stmt **st, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, st, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int cymat_exec(struct store *db, int64_t *changes, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, &st, sql, fmt, ap);
	va_end(ap);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW)
		;
	if (rc != STORE_DONE)
		return rc == CSHQ_ECONFLICT ? CSHQ_ECONFLICT : CSHQ_ERR;
	if (changes)
		*changes = store_changes(st);
	return CSHQ_OK;
}

int cymat_exists(struct store *db, bool *out, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, &st, sql, fmt, ap);
	va_end(ap);
	*out = false;
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int cymat_int(struct store *db, int64_t *out, int64_t dflt, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = vquery(db, &st, sql, fmt, ap);
	va_end(ap);
	*out = dflt;
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW && !store_column_is_null(st, 0))
		*out = store_column_int64(st, 0);
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

const char *cymat_col_text(struct store_stmt *st, int col)
{
	const char *s = store_column_text(st, col);
	return s ? s : "";
}

json_t *cymat_col_json_text(struct store_stmt *st, int col)
{
	const char *s = store_column_text(st, col);
	return s ? json_string(s) : json_null();
}

json_t *cymat_time_json(int64_t t)
{
	char buf[26];
	time_format_rfc3339(t, buf);
	return json_string(buf);
}

json_t *cymat_col_json_time(struct store_stmt *st, int col)
{
	return store_column_is_null(st, col) ? json_null()
	                                     : cymat_time_json(store_column_int64(st, col));
}

int cymat_user_login(struct store *db, int64_t id, char out[65])
{
	out[0] = '\0';
	struct store_stmt *st;
	int rc = cymat_query(db, &st, "SELECT login FROM users WHERE id = $1", "i", id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW)
		snprintf(out, 65, "%s", cymat_col_text(st, 0));
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int cymat_nisc_code(struct store *db, char out[33])
{
	snprintf(out, 33, "nisc");
	struct store_stmt *st;
	int rc =
	    cymat_query(db, &st, "SELECT code FROM orgs WHERE kind = 'nisc' ORDER BY code", "");
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW)
		snprintf(out, 33, "%s", cymat_col_text(st, 0));
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int cymat_supervises(struct store *db, const char *ministry, const char *org, bool *out)
{
	return cymat_exists(db, out,
	                    "SELECT 1 FROM org_supervisors WHERE org = $1 AND ministry = $2", "tt",
	                    org, ministry);
}

json_t *cymat_cites_json(const struct wf_cite *cites, size_t n, int32_t date)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct regime_citation *c = regime_cite(
		    cites[i].doc, cites[i].article, cites[i].paragraph, cites[i].item, date);
		if (c)
			json_array_append_new(a, citation_json(c));
	}
	return a;
}

int cymat_refuse(struct cymat_refusal *r, int status, int32_t date, const char *message,
                 const struct wf_cite *cites, size_t n)
{
	r->status = status;
	snprintf(r->message, sizeof(r->message), "%s", message);
	for (size_t i = 0; i < n; i++) {
		const struct regime_citation *c = regime_cite(
		    cites[i].doc, cites[i].article, cites[i].paragraph, cites[i].item, date);
		if (c && r->n_basis < REGIME_MAX_BASIS)
			r->basis[r->n_basis++] = c;
	}
	switch (status) {
	case 403:
		return CSHQ_EDENIED;
	case 404:
		return CSHQ_ENOTFOUND;
	case 422:
		return CSHQ_EINVAL;
	default:
		return CSHQ_ECONFLICT;
	}
}

void cymat_refusal_from_ctx(struct cymat_refusal *r, const struct wf_ctx *ctx)
{
	r->status = ctx->status;
	snprintf(r->message, sizeof(r->message), "%s", ctx->message);
	r->n_basis = ctx->n_basis;
	for (size_t i = 0; i < ctx->n_basis; i++)
		r->basis[i] = ctx->basis[i];
}

int cymat_only_keys(struct wf_ctx *ctx, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(ctx->input, k, v)
	{
		bool ok = false;
		for (const char *const *a = keys; *a; a++)
			if (strcmp(*a, k) == 0)
				ok = true;
		if (!ok) {
			char msg[120];
			snprintf(msg, sizeof(msg), "unknown field \"%.60s\"", k);
			return wf_refuse(ctx, 422, msg, NULL, 0);
		}
	}
	return CSHQ_OK;
}

int cymat_opt_text(struct wf_ctx *ctx, const char *key, size_t max, const char **out)
{
	json_t *v = json_object_get(ctx->input, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return CSHQ_OK;
	size_t len = json_string_length(v);
	if (!json_is_string(v) || len == 0 || len > max) {
		char msg[120];
		snprintf(msg, sizeof(msg), "%s: a text of 1 to %zu bytes", key, max);
		return wf_refuse(ctx, 422, msg, NULL, 0);
	}
	*out = json_string_value(v);
	return CSHQ_OK;
}

bool cymat_is_head(const struct principal *p)
{
	return principal_has(p, ROLE_NISC_DIRECTOR) ||
	       (principal_has(p, ROLE_NISC_DEPUTY) && p->acting);
}

bool cymat_is_lead(const struct principal *p)
{
	return p->kind == PRINCIPAL_USER && p->org_kind == ORG_NISC &&
	       (principal_has(p, ROLE_CYMAT_MANAGER) || principal_has(p, ROLE_CYMAT_FIELD_LEAD));
}

int cymat_guard_head(struct wf_ctx *ctx)
{
	if (cymat_is_head(ctx->who))
		return CSHQ_OK;
	static const struct wf_cite c[] = {{"CymatRules", "4", 2, 0}};
	return wf_refuse(
	    ctx, 403,
	    "a step of the head (統括責任者): the deputy takes it only when flagged as acting", c,
	    1);
}

int cymat_id_array(json_t *a, size_t max, int64_t *ids, size_t *n)
{
	*n = 0;
	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > max)
		return CSHQ_EINVAL;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return CSHQ_EINVAL;
		int64_t id = json_integer_value(v);
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == id)
				return CSHQ_EINVAL;
		ids[(*n)++] = id;
	}
	return CSHQ_OK;
}

int cymat_apply(struct store *db, const struct principal *who, const struct wf_machine *m,
                int64_t id, const char *action, json_t *input, struct wf_ctx *ctx)
{
	int rc = wf_apply(db, who, m, id, action, input, ctx);
	if (rc == CSHQ_OK && (rc = cymat_sync_grants(db)) != CSHQ_OK)
		ctx->status = 500;
	return rc;
}

/* ---- Rule 15 ---- */

/* Whether the caller's current work matches a consent in force of the body for this
 * dispatch. The three contexts mirror the purposes of 15 ア-ウ; cymat_sync_grants below
 * computes the same contexts for every user (keep the two in step). */
static int consent_covers(struct store *db, const struct principal *who, int64_t dispatch,
                          const char *subject, int64_t *consent)
{
	return cymat_int(
	    db, consent, 0,
	    "SELECT c.id FROM cymat_consents c WHERE c.provider_org = $1 AND c.state = 'in_force' "
	    "AND (c.dispatch IS NULL OR c.dispatch = $2) AND ("
	    /* ア: the user is assigned to another dispatch in progress */
	    " (c.purpose = 'other_support' AND EXISTS (SELECT 1 FROM cymat_assignments a "
	    "   JOIN cymat_roster r ON r.id = a.roster JOIN cymat_dispatches d2 ON d2.id = "
	    "a.dispatch "
	    "   WHERE r.user_id = $3 AND r.state = 'active' AND a.until_at IS NULL AND d2.id <> $2 "
	    "   AND d2.state = 'ordered'))"
	    /* イ: the user takes part in a training or exercise still open */
	    " OR (c.purpose = 'peacetime' AND EXISTS (SELECT 1 FROM cymat_training_participants tp "
	    "   JOIN cymat_roster r ON r.id = tp.roster JOIN cymat_trainings t ON t.id = "
	    "tp.training "
	    "   WHERE r.user_id = $3 AND r.state = 'active' AND t.state = 'open'))"
	    /* ウ: a purpose the head approved, carried out by NISC (e.g. the report of Rule 16) */
	    " OR (c.purpose = 'other' AND EXISTS (SELECT 1 FROM users u JOIN orgs o ON o.code = "
	    "u.org "
	    "   JOIN user_roles ur ON ur.user_id = u.id WHERE u.id = $3 AND o.kind = 'nisc' "
	    "   AND ur.role IN ('nisc_director', 'nisc_deputy', 'nisc_staff')))"
	    ") ORDER BY c.id",
	    "tii", subject, dispatch, who->user_id);
}

int cymat_info_allowed(struct store *db, const struct principal *who, int64_t dispatch,
                       const char *subject, const char *requester_org, int conf, bool *ok,
                       const char **why)
{
	*ok = false;
	*why = "no consent of the body covers this use (CymatRules 15)";
	if (who->kind != PRINCIPAL_USER)
		return CSHQ_OK;
	if (conf < 2) {
		*ok = true;
		*why = "class 1";
		return CSHQ_OK;
	}
	if (strcmp(who->org, subject) == 0 ||
	    (requester_org && strcmp(who->org, requester_org) == 0)) {
		*ok = true;
		*why = "the body's own information";
		return CSHQ_OK;
	}
	int rc;
	if (who->org_kind == ORG_MINISTRY) {
		bool sup;
		if ((rc = cymat_supervises(db, who->org, subject, &sup)) != CSHQ_OK)
			return rc;
		if (sup) {
			*ok = true;
			*why = "supervising ministry";
			return CSHQ_OK;
		}
	}
	if (principal_has(who, ROLE_NISC_DIRECTOR) || principal_has(who, ROLE_NISC_DEPUTY)) {
		*ok = true;
		*why = "head of CYMAT (CymatRules 4)";
		return CSHQ_OK;
	}
	if (cymat_is_lead(who)) {
		*ok = true;
		*why = "team lead (CymatRules 5(2),(3))";
		return CSHQ_OK;
	}
	if (dispatch == 0)
		return CSHQ_OK;
	bool assigned;
	rc =
	    cymat_exists(db, &assigned,
	                 "SELECT 1 FROM cymat_assignments a JOIN cymat_roster r ON r.id = a.roster "
	                 "WHERE a.dispatch = $1 AND a.until_at IS NULL AND r.user_id = $2 AND "
	                 "r.state = 'active'",
	                 "ii", dispatch, who->user_id);
	if (rc != CSHQ_OK)
		return rc;
	if (assigned) {
		*ok = true;
		*why = "assigned to this dispatch (CymatRules 12(1))";
		return CSHQ_OK;
	}
	int64_t consent;
	if ((rc = consent_covers(db, who, dispatch, subject, &consent)) != CSHQ_OK)
		return rc;
	if (consent) {
		*ok = true;
		*why = "consent of the body (CymatRules 15)";
	}
	return CSHQ_OK;
}

int cymat_log_refusal(struct store *db, const struct principal *who, json_t *refused)
{
	if (!refused || json_array_size(refused) == 0)
		return CSHQ_OK;
	store_rollback(db);
	int rc = store_begin(db, true);
	if (rc != CSHQ_OK)
		return rc;
	size_t i;
	json_t *v;
	json_array_foreach(refused, i, v)
	{
		json_t *d =
		    json_pack("{s:s, s:O?, s:O?}", "rule", "CymatRules 15", "class",
		              json_object_get(v, "class"), "reason", json_object_get(v, "reason"));
		char *txt = json_dumps(d, JSON_COMPACT);
		char id[32];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(v, "id")));
		const char *kind = json_string_value(json_object_get(v, "kind"));
		rc = auditlog_append(db, who, "cymat_access_refused", kind ? kind : "cymat", id,
		                     txt);
		free(txt);
		json_decref(d);
		if (rc != CSHQ_OK)
			break;
	}
	if (rc == CSHQ_OK)
		rc = store_commit(db);
	else
		store_rollback(db);
	int rc2 = store_begin(db, false);
	return rc != CSHQ_OK ? rc : rc2;
}

/* ---- grants ---- */

struct grant_key {
	int64_t grant; /* access_grants.id, 0 for a desired one */
	int kind;      /* 0 dispatch, 1 request */
	int64_t record;
	int64_t user;
	char org[33];
};

static int grant_cmp(const void *a, const void *b)
{
	const struct grant_key *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->record != y->record)
		return x->record < y->record ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return 0;
}

struct grant_set {
	struct grant_key *v;
	size_t n, cap;
};

static void grant_push(struct grant_set *s, const struct grant_key *k)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = *k;
}

static int grant_load(struct store *db, struct grant_set *s, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = store_prepare(db, sql, &st);
	if (rc == CSHQ_OK)
		rc = cymat_bindv(st, fmt, ap);
	va_end(ap);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		struct grant_key k = {0};
		k.grant = store_column_int64(st, 0);
		k.kind = strcmp(cymat_col_text(st, 1), "cymat_request") == 0;
		k.record = store_column_int64(st, 2);
		k.user = store_column_int64(st, 3);
		snprintf(k.org, sizeof(k.org), "%s", cymat_col_text(st, 4));
		grant_push(s, &k);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Who should hold a grant on which record: the same contexts as consent_covers. */
static const char desired_sql[] =
    /* team leads: every request and dispatch */
    "SELECT 0, 'cymat_dispatch', d.id, u.id, u.org FROM cymat_dispatches d, users u "
    " WHERE u.disabled = 0 AND u.org IN (SELECT code FROM orgs WHERE kind = 'nisc') "
    " AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id "
    "  AND ur.role IN ('cymat_manager', 'cymat_field_lead')) "
    "UNION SELECT 0, 'cymat_request', q.id, u.id, u.org FROM cymat_requests q, users u "
    " WHERE u.disabled = 0 AND u.org IN (SELECT code FROM orgs WHERE kind = 'nisc') "
    " AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id "
    "  AND ur.role IN ('cymat_manager', 'cymat_field_lead')) "
    /* members on the dispatches they are assigned to */
    "UNION SELECT 0, 'cymat_dispatch', a.dispatch, u.id, u.org FROM cymat_assignments a "
    " JOIN cymat_roster r ON r.id = a.roster JOIN users u ON u.id = r.user_id "
    " WHERE a.until_at IS NULL AND r.state = 'active' AND u.disabled = 0 "
    /* 15 ア: members on another dispatch in progress */
    "UNION SELECT 0, 'cymat_dispatch', d.id, u.id, u.org FROM cymat_consents c "
    " JOIN cymat_dispatches d ON d.subject = c.provider_org AND (c.dispatch IS NULL OR c.dispatch "
    "= d.id) "
    " JOIN cymat_assignments a ON a.until_at IS NULL AND a.dispatch <> d.id "
    " JOIN cymat_dispatches d2 ON d2.id = a.dispatch AND d2.state = 'ordered' "
    " JOIN cymat_roster r ON r.id = a.roster AND r.state = 'active' "
    " JOIN users u ON u.id = r.user_id "
    " WHERE c.state = 'in_force' AND c.purpose = 'other_support' AND u.disabled = 0 AND u.org <> "
    "d.subject "
    /* 15 イ: participants of an open training or exercise */
    "UNION SELECT 0, 'cymat_dispatch', d.id, u.id, u.org FROM cymat_consents c "
    " JOIN cymat_dispatches d ON d.subject = c.provider_org AND (c.dispatch IS NULL OR c.dispatch "
    "= d.id) "
    " JOIN cymat_training_participants tp ON 1 = 1 "
    " JOIN cymat_trainings t ON t.id = tp.training AND t.state = 'open' "
    " JOIN cymat_roster r ON r.id = tp.roster AND r.state = 'active' "
    " JOIN users u ON u.id = r.user_id "
    " WHERE c.state = 'in_force' AND c.purpose = 'peacetime' AND u.disabled = 0 AND u.org <> "
    "d.subject "
    /* 15 ウ: NISC for a purpose the head approved */
    "UNION SELECT 0, 'cymat_dispatch', d.id, u.id, u.org FROM cymat_consents c "
    " JOIN cymat_dispatches d ON d.subject = c.provider_org AND (c.dispatch IS NULL OR c.dispatch "
    "= d.id) "
    " JOIN users u ON u.org IN (SELECT code FROM orgs WHERE kind = 'nisc') "
    " WHERE c.state = 'in_force' AND c.purpose = 'other' AND u.disabled = 0 AND u.org <> d.subject "
    " AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id "
    "  AND ur.role IN ('nisc_director', 'nisc_deputy', 'nisc_staff'))";

int cymat_sync_grants(struct store *db)
{
	struct grant_set want = {0}, have = {0};
	int rc = grant_load(db, &want, desired_sql, "");
	if (rc == CSHQ_OK)
		rc = grant_load(db, &have,
		                "SELECT id, record_kind, record_id, grantee_user, grantee_org FROM "
		                "access_grants "
		                "WHERE reason = $1 AND until_at IS NULL",
		                "t", CYMAT_GRANT_SYNC);
	if (rc == CSHQ_OK) {
		if (want.n > 1)
			qsort(want.v, want.n, sizeof(*want.v), grant_cmp);
		if (have.n > 1)
			qsort(have.v, have.n, sizeof(*have.v), grant_cmp);
		size_t u = 0; /* the same grant may be justified twice */
		for (size_t j = 0; j < want.n; j++)
			if (u == 0 || grant_cmp(&want.v[u - 1], &want.v[j]) != 0)
				want.v[u++] = want.v[j];
		want.n = u;
	}
	size_t i = 0, k = 0;
	int64_t now = time_now();
	while (rc == CSHQ_OK && (i < want.n || k < have.n)) {
		int c = i >= want.n ? 1 : k >= have.n ? -1 : grant_cmp(&want.v[i], &have.v[k]);
		if (c == 0) {
			i++;
			k++;
		} else if (c < 0) {
			const struct grant_key *g = &want.v[i++];
			rc = vis_grant(db, g->kind ? "cymat_request" : "cymat_dispatch", g->record,
			               g->org, g->user, CYMAT_GRANT_SYNC);
		} else {
			rc = cymat_exec(db, NULL,
			                "UPDATE access_grants SET until_at = $1 WHERE id = $2",
			                "ii", now, have.v[k++].grant);
		}
	}
	free(want.v);
	free(have.v);
	return rc;
}
