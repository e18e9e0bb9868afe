/* workflow.c: the state-machine engine (see workflow.h for the order of checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "workflow/workflow.h"

void wf_add_basis(struct wf_ctx *ctx, const struct regime_citation *c)
{
	if (c && ctx->n_basis < REGIME_MAX_BASIS)
		ctx->basis[ctx->n_basis++] = c;
}

int wf_refuse(struct wf_ctx *ctx, int status, const char *message, const struct wf_cite *cites,
	      size_t n)
{
	ctx->status = status;
	snprintf(ctx->message, sizeof(ctx->message), "%s", message);
	for (size_t i = 0; i < n; i++)
		wf_add_basis(ctx, regime_cite(cites[i].doc, cites[i].article, cites[i].paragraph,
					      cites[i].item, ctx->date));
	return status == 422 ? CSHQ_EINVAL : status == 403 ? CSHQ_EDENIED : CSHQ_ECONFLICT;
}

json_t *wf_cites_json(const struct wf_cite *cites, size_t n, int32_t date)
{
	const struct regime_citation *found[3] = {0};
	size_t k = 0;
	for (size_t i = 0; i < n && cites[i].doc && k < 3; i++) {
		const struct regime_citation *c =
			regime_cite(cites[i].doc, cites[i].article, cites[i].paragraph, cites[i].item, date);
		if (c)
			found[k++] = c;
	}
	return basis_json(found, k);
}

static bool is_final(const struct wf_machine *m, const char *state)
{
	for (const char *const *f = m->final_states; f && *f; f++)
		if (strcmp(*f, state) == 0)
			return true;
	return false;
}

static bool state_matches(const struct wf_machine *m, const struct wf_transition *t,
			  const char *state)
{
	if (strcmp(t->from, "*") == 0)
		return !is_final(m, state);
	return strcmp(t->from, state) == 0;
}

static int has_open_grant(struct wf_ctx *ctx, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
			       "SELECT 1 FROM access_grants WHERE record_kind = $1 AND record_id = $2 "
			       "AND grantee_org = $3 AND until_at IS NULL",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, ctx->machine->kind);
	store_bind_int64(st, 2, ctx->id);
	store_bind_text(st, 3, ctx->who->org);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int supervises(struct wf_ctx *ctx, bool *out)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "SELECT 1 FROM org_supervisors WHERE org = $1 AND ministry = $2", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, ctx->subject_org);
	store_bind_text(st, 2, ctx->who->org);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Whether the caller is the party a step names. */
static int party_ok(struct wf_ctx *ctx, enum wf_party party, bool *out)
{
	const struct principal *p = ctx->who;
	bool own = strcmp(p->org, ctx->subject_org) == 0;
	*out = false;
	switch (party) {
	case WF_PARTY_ANY:
		*out = true;
		return CSHQ_OK;
	case WF_PARTY_SUBJECT:
		*out = own;
		return CSHQ_OK;
	case WF_PARTY_NISC:
		*out = p->org_kind == ORG_NISC;
		return CSHQ_OK;
	case WF_PARTY_HQ:
		*out = p->org_kind == ORG_HQ;
		return CSHQ_OK;
	case WF_PARTY_GRANTED:
		return has_open_grant(ctx, out);
	case WF_PARTY_SUPERVISOR:
		return p->org_kind == ORG_MINISTRY && !own ? supervises(ctx, out) : CSHQ_OK;
	case WF_PARTY_SUBJECT_OR_SUPERVISOR:
		if (own) {
			*out = true;
			return CSHQ_OK;
		}
		return p->org_kind == ORG_MINISTRY ? supervises(ctx, out) : CSHQ_OK;
	}
	return CSHQ_OK;
}

static int may_take(struct wf_ctx *ctx, const struct wf_transition *t, bool *out)
{
	*out = false;
	if (ctx->who->kind != PRINCIPAL_USER || !(ctx->who->roles & t->roles))
		return CSHQ_OK;
	return party_ok(ctx, t->party, out);
}

int wf_load_visible(struct store *db, const struct principal *who, const struct wf_machine *m,
		    int64_t id, struct wf_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->db = db;
	ctx->who = who;
	ctx->machine = m;
	ctx->id = id;
	ctx->date = date_today();
	ctx->status = 404;
	int rc = m->load(ctx);
	if (rc != CSHQ_OK)
		return rc == CSHQ_ENOTFOUND ? CSHQ_ENOTFOUND : (ctx->status = 500, rc);
	struct vis_record r = {.kind = ctx->vis_kind ? ctx->vis_kind : m->kind,
			       .id = ctx->vis_kind ? ctx->vis_id : id,
			       .subject_org = ctx->subject_org,
			       .confidentiality = ctx->confidentiality};
	rc = vis_check_held(db, who, &r, ctx->vis_hold);
	if (rc != CSHQ_OK) {
		ctx->status = rc == CSHQ_ENOTFOUND ? 404 : 500;
		return rc;
	}
	ctx->status = 200;
	return CSHQ_OK;
}

/* Asks whether a row is open without leaving its refusal in ctx (for the actions on offer). */
static bool open_now(struct wf_ctx *ctx, const struct wf_transition *t)
{
	if (!ctx->machine->step_open)
		return true;
	int status = ctx->status;
	size_t n_basis = ctx->n_basis;
	char message[sizeof(ctx->message)];
	memcpy(message, ctx->message, sizeof(message));
	const struct wf_transition *step = ctx->step;
	ctx->step = t;
	bool ok = ctx->machine->step_open(ctx, t) == CSHQ_OK;
	ctx->step = step;
	ctx->status = status;
	ctx->n_basis = n_basis;
	memcpy(ctx->message, message, sizeof(message));
	return ok;
}

json_t *wf_allowed_actions(struct wf_ctx *ctx)
{
	json_t *a = json_array();
	const struct wf_machine *m = ctx->machine;
	for (size_t i = 0; i < m->n_steps; i++) {
		const struct wf_transition *t = &m->steps[i];
		bool ok = false;
		if (!state_matches(m, t, ctx->state) || may_take(ctx, t, &ok) != CSHQ_OK || !ok ||
		    !open_now(ctx, t))
			continue;
		bool dup = false;
		size_t k;
		json_t *v;
		json_array_foreach(a, k, v) if (strcmp(json_string_value(v), t->action) == 0) dup = true;
		if (!dup)
			json_array_append_new(a, json_string(t->action));
	}
	return a;
}

static int set_state_from(struct wf_ctx *ctx, const char *from, const char *to)
{
	char sql[160];
	/* the table name comes from the module's machine (a constant), never from input */
	snprintf(sql, sizeof(sql), "UPDATE %s SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
		 ctx->machine->table);
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, to);
	store_bind_int64(st, 2, time_now());
	store_bind_int64(st, 3, ctx->id);
	store_bind_text(st, 4, from);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	return store_changes(st) == 1 ? CSHQ_OK : CSHQ_ECONFLICT; /* changed under us */
}

static int set_state(struct wf_ctx *ctx, const char *to)
{
	return set_state_from(ctx, ctx->state, to);
}

int wf_timeline_add(struct store *db, const struct principal *who, const char *kind, int64_t id,
		    const char *action, const char *from, const char *to, json_t *detail,
		    json_t *basis)
{
	char *d = json_dumps(detail ? detail : json_object(), JSON_COMPACT);
	char *b = json_dumps(basis ? basis : json_array(), JSON_COMPACT);
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "INSERT INTO wf_timeline (record_kind, record_id, at, actor, org, action, "
			       "from_state, to_state, detail, basis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			       &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, kind);
		store_bind_int64(st, 2, id);
		store_bind_int64(st, 3, time_now());
		store_bind_text(st, 4, who ? who->login : "system");
		store_bind_text(st, 5, who ? who->org : "");
		store_bind_text(st, 6, action);
		store_bind_text(st, 7, from);
		store_bind_text(st, 8, to);
		store_bind_text(st, 9, d);
		store_bind_text(st, 10, b);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK) {
		char idtxt[32];
		snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
		json_t *log = json_pack("{s:s, s:s?, s:s?, s:O?}", "action", action, "from", from, "to", to,
					"detail", detail);
		char *l = json_dumps(log, JSON_COMPACT);
		rc = auditlog_append(db, who, action, kind, idtxt, l);
		free(l);
		json_decref(log);
	}
	free(d);
	free(b);
	return rc;
}

int wf_apply(struct store *db, const struct principal *who, const struct wf_machine *m,
	     int64_t id, const char *action, json_t *input, struct wf_ctx *ctx)
{
	int rc = wf_load_visible(db, who, m, id, ctx);
	if (rc != CSHQ_OK)
		return rc;
	ctx->input = input ? json_incref(input) : json_object();
	ctx->detail = json_object();
	const struct wf_transition *t = NULL;
	bool known = false, permitted = false;
	/* the first refusal of a closed row (m->step_open), answered if no row is open */
	int closed_status = 0;
	char closed_message[sizeof(ctx->message)] = "";
	const struct regime_citation *closed_basis[REGIME_MAX_BASIS];
	size_t closed_n = 0;
	for (size_t i = 0; i < m->n_steps; i++) {
		const struct wf_transition *c = &m->steps[i];
		if (strcmp(c->action, action) != 0)
			continue;
		known = true;
		if (!state_matches(m, c, ctx->state))
			continue;
		bool ok = false;
		if ((rc = may_take(ctx, c, &ok)) != CSHQ_OK) {
			ctx->status = 500;
			return rc;
		}
		if (!ok) {
			permitted = true; /* the state allows it, but not for this caller */
			continue;
		}
		if (m->step_open) {
			ctx->step = c;
			if (m->step_open(ctx, c) != CSHQ_OK) {
				if (!closed_status) {
					closed_status = ctx->status;
					memcpy(closed_message, ctx->message, sizeof(closed_message));
					closed_n = ctx->n_basis;
					memcpy(closed_basis, ctx->basis, sizeof(closed_basis));
				}
				ctx->status = 200;
				ctx->message[0] = '\0';
				ctx->n_basis = 0;
				ctx->step = NULL;
				continue;
			}
		}
		t = c;
		break;
	}
	if (!t && closed_status) {
		ctx->status = closed_status;
		memcpy(ctx->message, closed_message, sizeof(closed_message));
		ctx->n_basis = closed_n;
		memcpy(ctx->basis, closed_basis, sizeof(closed_basis));
		return closed_status == 422 ? CSHQ_EINVAL : closed_status == 403 ? CSHQ_EDENIED : CSHQ_ECONFLICT;
	}
	if (!known) {
		ctx->status = 404;
		snprintf(ctx->message, sizeof(ctx->message), "no action \"%.60s\" on a %s", action, m->kind);
		return CSHQ_ENOTFOUND;
	}
	if (!t) {
		if (permitted)
			return wf_refuse(ctx, 403, "your organisation or role may not take this step", NULL, 0);
		char msg[160];
		snprintf(msg, sizeof(msg), "\"%.40s\" is not possible while the %s is %s", action, m->kind, ctx->state);
		return wf_refuse(ctx, 409, msg, NULL, 0);
	}
	ctx->step = t;
	ctx->next_state = t->to ? t->to : NULL;
	if (t->check_input && (rc = t->check_input(ctx)) != CSHQ_OK)
		return rc;
	if (t->guard && (rc = t->guard(ctx)) != CSHQ_OK)
		return rc;
	const char *to = ctx->next_state ? ctx->next_state : ctx->state;
	if (strcmp(to, ctx->state) != 0 && (rc = set_state(ctx, to)) != CSHQ_OK) {
		if (rc == CSHQ_ECONFLICT)
			return wf_refuse(ctx, 409, "the record changed meanwhile; reload and try again", NULL, 0);
		ctx->status = 500;
		return rc;
	}
	if (t->effect && (rc = t->effect(ctx)) != CSHQ_OK) {
		if (ctx->status < 400)
			ctx->status = 500;
		return rc;
	}
	/* the effect may have redirected the target (e.g. routing decided by the regime) */
	const char *final_to = ctx->next_state ? ctx->next_state : ctx->state;
	if (strcmp(final_to, to) != 0 && (rc = set_state_from(ctx, to, final_to)) != CSHQ_OK) {
		ctx->status = 500;
		return rc;
	}
	json_t *basis = wf_cites_json(t->basis, 3, ctx->date);
	for (size_t i = 0; i < ctx->n_basis; i++) {
		/* a provision the step already cites, or one added twice, is listed once */
		bool dup = false;
		for (size_t k = 0; k < 3 && t->basis[k].doc && !dup; k++)
			dup = regime_cite(t->basis[k].doc, t->basis[k].article, t->basis[k].paragraph,
					  t->basis[k].item, ctx->date) == ctx->basis[i];
		for (size_t k = 0; k < i && !dup; k++)
			dup = ctx->basis[k] == ctx->basis[i];
		if (!dup)
			json_array_append_new(basis, citation_json(ctx->basis[i]));
	}
	rc = wf_timeline_add(db, who, m->kind, id, action, ctx->state, final_to, ctx->detail, basis);
	json_decref(basis);
	if (rc != CSHQ_OK) {
		ctx->status = 500;
		return rc;
	}
	snprintf(ctx->state, sizeof(ctx->state), "%s", final_to);
	ctx->status = 200;
	return CSHQ_OK;
}

void wf_ctx_release(struct wf_ctx *ctx)
{
	if (ctx->machine && ctx->machine->unload && ctx->record)
		ctx->machine->unload(ctx);
	json_decref(ctx->input);
	json_decref(ctx->detail);
	ctx->input = ctx->detail = NULL;
}

int wf_timeline_json(struct store *db, const char *kind, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT at, actor, org, action, from_state, to_state, detail, basis FROM wf_timeline "
			       "WHERE record_kind = $1 AND record_id = $2 ORDER BY id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, id);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		char at[26];
		time_format_rfc3339(store_column_int64(st, 0), at);
		json_t *e = json_object();
		json_object_set_new(e, "at", json_string(at));
		json_object_set_new(e, "actor", json_string(store_column_text(st, 1)));
		json_object_set_new(e, "org", json_string(store_column_text(st, 2)));
		json_object_set_new(e, "action", json_string(store_column_text(st, 3)));
		const char *from = store_column_text(st, 4), *to = store_column_text(st, 5);
		json_object_set_new(e, "from", from ? json_string(from) : json_null());
		json_object_set_new(e, "to", to ? json_string(to) : json_null());
		json_t *d = json_loads(store_column_text(st, 6), 0, NULL);
		json_t *b = json_loads(store_column_text(st, 7), 0, NULL);
		json_object_set_new(e, "detail", d ? d : json_object());
		json_object_set_new(e, "basis", b ? b : json_array());
		json_array_append_new(a, e);
	}
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

int notice_send(struct store *db, const char *to_org, const char *to_role, const char *subject,
		const char *record_kind, int64_t record_id, json_t *basis)
{
	char *b = json_dumps(basis ? basis : json_array(), JSON_COMPACT);
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "INSERT INTO notifications (to_org, to_role, subject, record_kind, record_id, basis, "
			       "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			       &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, to_org);
		store_bind_text(st, 2, to_role);
		store_bind_text(st, 3, subject);
		store_bind_text(st, 4, record_kind);
		if (record_kind)
			store_bind_int64(st, 5, record_id);
		else
			store_bind_null(st, 5);
		store_bind_text(st, 6, b);
		store_bind_int64(st, 7, time_now());
		rc = store_step(st);
		rc = rc == STORE_DONE ? CSHQ_OK : rc == CSHQ_ECONFLICT ? CSHQ_EINVAL : CSHQ_ERR;
	}
	free(b);
	return rc;
}
