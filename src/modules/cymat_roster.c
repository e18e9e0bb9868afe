/* cymat_roster.c: the CYMAT roster (CymatRules 5-9): the manager, field leaders and members
 * of the team, the member candidates nominated by ministries and the trainees registered by
 * ministries and observer bodies. Rows are never deleted: ending one keeps who served when
 * (Rule 9), and a replacement ends the old row and adds the new one in one change. The
 * limits of Rule 8 are checked on every change; its "in principle" rules are warnings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/cymat_impl.h"
#include "modules/registry.h"

static const char *const role_codes[CYMAT_ROLE_COUNT] = {"manager", "field_lead", "member",
                                                         "candidate", "trainee"};

const char *cymat_role_code(enum cymat_role r)
{
	return r < CYMAT_ROLE_COUNT ? role_codes[r] : "?";
}

int cymat_role_parse(const char *code, enum cymat_role *out)
{
	for (int i = 0; code && i < CYMAT_ROLE_COUNT; i++)
		if (strcmp(code, role_codes[i]) == 0) {
			*out = (enum cymat_role)i;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

/* Members a ministry has nominated: its open candidates and the members appointed from
 * them (8(1) counts the persons recommended, whether or not appointed yet). */
static int nominated(enum org_kind kind, const struct cymat_counts *c)
{
	return c->n[CYMAT_CANDIDATE] + (kind == ORG_MINISTRY ? c->n[CYMAT_MEMBER] : 0);
}

#define CANDIDATES_MAX 6
#define REGISTERED_MAX 6
#define TRAINEES_MAX 4
#define OBSERVER_TRAINEES_MAX 4
#define TEAM_PLANNED 40

int cymat_roster_check(enum org_kind kind, enum cymat_role role, const struct cymat_counts *now,
                       int32_t date, struct cymat_refusal *r)
{
	int nom = nominated(kind, now), trainees = now->n[CYMAT_TRAINEE];
	static const struct wf_cite c6_1[] = {{"CymatRules", "6", 1, 0}};
	static const struct wf_cite c6_2[] = {{"CymatRules", "6", 2, 0}};
	static const struct wf_cite c6_3[] = {{"CymatRules", "6", 3, 0}};
	static const struct wf_cite c7_1[] = {{"CymatRules", "7", 1, 0}};
	static const struct wf_cite c8_1[] = {{"CymatRules", "8", 1, 0}};
	static const struct wf_cite c8_2[] = {{"CymatRules", "8", 2, 0}};
	static const struct wf_cite c8_3[] = {{"CymatRules", "8", 3, 0}};
	switch (role) {
	case CYMAT_MANAGER:
		if (kind != ORG_NISC)
			return cymat_refuse(
			    r, 409, date,
			    "the manager is chosen from the counsellors resident at NISC", c6_1, 1);
		if (now->n[CYMAT_MANAGER] >= 1)
			return cymat_refuse(
			    r, 409, date,
			    "the team has one manager: replace the current one (replaces)", c6_1,
			    1);
		return CSHQ_OK;
	case CYMAT_FIELD_LEAD:
		if (kind != ORG_NISC)
			return cymat_refuse(
			    r, 409, date,
			    "field leaders are chosen from the staff resident at NISC", c6_2, 1);
		return CSHQ_OK;
	case CYMAT_MEMBER:
		if (kind != ORG_NISC && kind != ORG_MINISTRY)
			return cymat_refuse(r, 409, date,
			                    "members come from the candidates ministries nominate "
			                    "and from NISC's resident staff",
			                    c6_3, 1);
		break;
	case CYMAT_CANDIDATE:
		if (kind != ORG_MINISTRY)
			return cymat_refuse(
			    r, 409, date,
			    "member candidates are nominated by ministries (政府機関)", c8_1, 1);
		break;
	case CYMAT_TRAINEE:
		if (kind == ORG_OBSERVER) {
			if (trainees >= OBSERVER_TRAINEES_MAX)
				return cymat_refuse(r, 409, date,
				                    "an observer body registers at most 4 trainees",
				                    c8_3, 1);
			return CSHQ_OK;
		}
		if (kind != ORG_MINISTRY)
			return cymat_refuse(
			    r, 409, date,
			    "trainees are registered by ministries and observer bodies", c7_1, 1);
		if (trainees >= TRAINEES_MAX)
			return cymat_refuse(r, 409, date, "a ministry registers at most 4 trainees",
			                    c8_2, 1);
		if (nom + trainees >= REGISTERED_MAX)
			return cymat_refuse(
			    r, 409, date,
			    "a ministry's candidates and trainees together are at most 6", c8_2, 1);
		return CSHQ_OK;
	default:
		return cymat_refuse(r, 422, date, "role: unknown", NULL, 0);
	}
	/* a candidate, or a member appointed from a ministry's candidates */
	if (kind == ORG_MINISTRY) {
		if (nom >= CANDIDATES_MAX)
			return cymat_refuse(r, 409, date,
			                    "a ministry nominates at most 6 member candidates",
			                    c8_1, 1);
		if (nom + trainees >= REGISTERED_MAX)
			return cymat_refuse(
			    r, 409, date,
			    "a ministry's candidates and trainees together are at most 6", c8_2, 1);
	}
	return CSHQ_OK;
}

static void warn(json_t *a, const char *code, const char *message, const char *article,
                 int paragraph, int32_t date)
{
	const struct regime_citation *c = regime_cite("CymatRules", article, paragraph, 0, date);
	json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "code", code, "message", message,
	                                   "basis", basis_json(&c, 1)));
}

json_t *cymat_roster_warnings(enum org_kind kind, const struct cymat_counts *now, int32_t date)
{
	json_t *a = json_array();
	int nom = nominated(kind, now);
	if (kind == ORG_MINISTRY && nom == 0)
		warn(a, "no_candidate",
		     "a ministry nominates, in principle, at least one member candidate", "8", 1,
		     date);
	if (kind == ORG_MINISTRY && nom == 0 && now->n[CYMAT_TRAINEE] == 0)
		warn(a, "no_candidate_or_trainee",
		     "a ministry that cannot nominate a candidate registers at least one trainee",
		     "8", 2, date);
	if (kind == ORG_NISC && now->n[CYMAT_MANAGER] == 0)
		warn(a, "no_manager", "the team has no manager", "6", 1, date);
	if (kind == ORG_NISC && now->n[CYMAT_FIELD_LEAD] == 0)
		warn(a, "no_field_lead", "the team has no field leader (about two are planned)",
		     "6", 2, date);
	return a;
}

json_t *cymat_roster_limits(enum org_kind kind, int32_t date)
{
	json_t *j = json_object();
	struct wf_cite c[2] = {{0}};
	size_t n = 0;
	if (kind == ORG_MINISTRY) {
		json_object_set_new(j, "candidates_max", json_integer(CANDIDATES_MAX));
		json_object_set_new(j, "candidates_min", json_integer(1));
		json_object_set_new(j, "trainees_max", json_integer(TRAINEES_MAX));
		json_object_set_new(j, "candidates_and_trainees_max", json_integer(REGISTERED_MAX));
		c[n++] = (struct wf_cite){"CymatRules", "8", 1, 0};
		c[n++] = (struct wf_cite){"CymatRules", "8", 2, 0};
	} else if (kind == ORG_OBSERVER) {
		json_object_set_new(j, "trainees_max", json_integer(OBSERVER_TRAINEES_MAX));
		c[n++] = (struct wf_cite){"CymatRules", "8", 3, 0};
	} else if (kind == ORG_NISC) {
		json_object_set_new(j, "managers_max", json_integer(1));
		json_object_set_new(j, "field_leads_planned", json_integer(2));
		c[n++] = (struct wf_cite){"CymatRules", "6", 1, 0};
		c[n++] = (struct wf_cite){"CymatRules", "6", 2, 0};
	}
	json_object_set_new(j, "basis", cymat_cites_json(c, n, date));
	return j;
}

static int counts_of(struct store *db, const char *org, int64_t except, struct cymat_counts *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = cymat_query(db, &st,
	                     "SELECT role, count(*) FROM cymat_roster WHERE org = $1 AND state = "
	                     "'active' AND id <> $2 "
	                     "GROUP BY role",
	                     "ti", org, except);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		enum cymat_role r;
		if (cymat_role_parse(store_column_text(st, 0), &r) == CSHQ_OK)
			out->n[r] = (int)store_column_int64(st, 1);
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static json_t *counts_json(const struct cymat_counts *c)
{
	json_t *j = json_object();
	for (int i = 0; i < CYMAT_ROLE_COUNT; i++)
		json_object_set_new(j, role_codes[i], json_integer(c->n[i]));
	return j;
}

/* Who registers or ends a row of this role (6: the head names the team; 7, 8: a body
 * nominates candidates and registers trainees, or NISC records them for it). */
static bool may_change(const struct principal *p, enum cymat_role role, const char *org)
{
	if (cymat_is_head(p))
		return true;
	if (role == CYMAT_MANAGER || role == CYMAT_FIELD_LEAD || role == CYMAT_MEMBER)
		return false;
	if (p->org_kind == ORG_NISC && principal_has(p, ROLE_CYMAT_MANAGER))
		return true;
	return strcmp(p->org, org) == 0 && principal_has(p, ROLE_CISO);
}

static int refuse_change(struct cymat_refusal *r, enum cymat_role role, int32_t date)
{
	static const struct wf_cite team[] = {{"CymatRules", "6", 1, 0},
	                                      {"CymatRules", "6", 2, 0},
	                                      {"CymatRules", "6", 3, 0},
	                                      {"CymatRules", "4", 2, 0}};
	static const struct wf_cite body[] = {{"CymatRules", "8", 1, 0}, {"CymatRules", "7", 1, 0}};
	if (role == CYMAT_CANDIDATE || role == CYMAT_TRAINEE)
		return cymat_refuse(r, 403, date,
		                    "candidates and trainees are registered by the body's CISO, or "
		                    "recorded by the CYMAT "
		                    "manager or the head",
		                    body, 2);
	return cymat_refuse(r, 403, date,
	                    "the head (統括責任者) names the manager, field leaders and members",
	                    team, 4);
}

int cymat_roster_add(struct store *db, const struct principal *who,
                     const struct cymat_roster_new *in, int64_t *id, struct cymat_refusal *r)
{
	int32_t date = date_today();
	struct registry_subject subj;
	int rc = registry_subject(db, in->org, date, &subj);
	if (rc == CSHQ_ENOTFOUND)
		return cymat_refuse(r, 422, date, "org: no organisation with this code", NULL, 0);
	if (rc != CSHQ_OK)
		return rc;
	struct vis_record vr = {"cymat_roster", 0, in->org, 0};
	if ((rc = vis_check(db, who, &vr)) != CSHQ_OK)
		return rc == CSHQ_ENOTFOUND
		           ? cymat_refuse(r, 404, date, "no such resource", NULL, 0)
		           : rc;
	if (!may_change(who, in->role, in->org))
		return refuse_change(r, in->role, date);
	int64_t user_id = 0;
	if (in->user) {
		rc =
		    cymat_int(db, &user_id, 0, "SELECT id FROM users WHERE login = $1 AND org = $2",
		              "tt", in->user, in->org);
		if (rc != CSHQ_OK)
			return rc;
		if (!user_id)
			return cymat_refuse(r, 422, date,
			                    "user: no user of that login in this organisation",
			                    NULL, 0);
		bool listed;
		rc = cymat_exists(db, &listed,
		                  "SELECT 1 FROM cymat_roster WHERE user_id = $1 AND state = "
		                  "'active' AND id <> $2",
		                  "ii", user_id, in->replaces);
		if (rc != CSHQ_OK)
			return rc;
		if (listed)
			return cymat_refuse(
			    r, 409, date,
			    "user: already on the roster in another row (end or replace it)", NULL,
			    0);
	}
	if (in->replaces) {
		bool open;
		rc = cymat_exists(
		    db, &open,
		    "SELECT 1 FROM cymat_roster WHERE id = $1 AND org = $2 AND state = 'active'",
		    "it", in->replaces, in->org);
		if (rc != CSHQ_OK)
			return rc;
		if (!open)
			return cymat_refuse(r, 422, date,
			                    "replaces: no active roster row of this organisation",
			                    NULL, 0);
	}
	struct cymat_counts now;
	if ((rc = counts_of(db, in->org, in->replaces, &now)) != CSHQ_OK)
		return rc;
	if ((rc = cymat_roster_check(subj.facts.kind, in->role, &now, date, r)) != CSHQ_OK)
		return rc;
	int64_t t = time_now();
	static const struct wf_cite c9[] = {{"CymatRules", "9", 1, 0}, {"CymatRules", "9", 2, 0}};
	if (in->replaces) {
		char reason[64];
		snprintf(reason, sizeof(reason), "replaced (CymatRules 9)");
		rc = cymat_exec(db, NULL,
		                "UPDATE cymat_roster SET state = 'ended', until_at = $1, ended_by "
		                "= $2, end_reason = $3, "
		                "updated_at = $1 WHERE id = $4",
		                "itti", t, who->login, reason, in->replaces);
		if (rc == CSHQ_OK)
			rc = cymat_exec(db, NULL,
			                "UPDATE cymat_assignments SET until_at = $1 WHERE roster = "
			                "$2 AND until_at IS NULL",
			                "ii", t, in->replaces);
		if (rc != CSHQ_OK)
			return rc;
	}
	rc = cymat_int(db, id, 0,
	               "INSERT INTO cymat_roster (org, name, role, user_id, state, from_at, "
	               "replaces, created_by, updated_at) "
	               "VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $5) RETURNING id",
	               "tttzizt", in->org, in->name, cymat_role_code(in->role), user_id, t,
	               in->replaces, who->login);
	if (rc == CSHQ_OK && !*id)
		rc = CSHQ_ERR;
	/* basis: the rule the role rests on */
	struct wf_cite cite;
	switch (in->role) {
	case CYMAT_MANAGER:
		cite = (struct wf_cite){"CymatRules", "6", 1, 0};
		break;
	case CYMAT_FIELD_LEAD:
		cite = (struct wf_cite){"CymatRules", "6", 2, 0};
		break;
	case CYMAT_MEMBER:
		cite = (struct wf_cite){"CymatRules", "6", 3, 0};
		break;
	case CYMAT_CANDIDATE:
		cite = (struct wf_cite){"CymatRules", "8", 1, 0};
		break;
	default:
		cite = (struct wf_cite){"CymatRules", "7", 1, 0};
		break;
	}
	if (rc == CSHQ_OK) {
		json_t *basis = cymat_cites_json(&cite, 1, date);
		json_t *detail =
		    json_pack("{s:s, s:s, s:o}", "org", in->org, "role", cymat_role_code(in->role),
		              "replaces", in->replaces ? json_integer(in->replaces) : json_null());
		rc = wf_timeline_add(db, who, "cymat_roster", *id, "register", NULL, "active",
		                     detail, basis);
		json_decref(detail);
		json_decref(basis);
	}
	if (rc == CSHQ_OK && in->replaces) {
		json_t *basis = cymat_cites_json(c9, 2, date);
		json_t *detail = json_pack("{s:I}", "replaced_by", (json_int_t)*id);
		rc = wf_timeline_add(db, who, "cymat_roster", in->replaces, "end", "active",
		                     "ended", detail, basis);
		json_decref(detail);
		json_decref(basis);
	}
	return rc == CSHQ_OK ? cymat_sync_grants(db) : rc;
}

#define ROSTER_COLS                                                                                \
	"r.id, r.org, r.name, r.role, u.login, r.state, r.from_at, r.until_at, r.replaces, "       \
	"r.created_by, "                                                                           \
	"r.ended_by, r.end_reason"

static json_t *roster_row(struct store_stmt *st)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(j, "org", json_string(cymat_col_text(st, 1)));
	json_object_set_new(j, "name", json_string(cymat_col_text(st, 2)));
	json_object_set_new(j, "role", json_string(cymat_col_text(st, 3)));
	json_object_set_new(j, "user", cymat_col_json_text(st, 4));
	json_object_set_new(j, "state", json_string(cymat_col_text(st, 5)));
	json_object_set_new(j, "from", cymat_col_json_time(st, 6));
	json_object_set_new(j, "until", cymat_col_json_time(st, 7));
	json_object_set_new(j, "replaces",
	                    store_column_is_null(st, 8) ? json_null()
	                                                : json_integer(store_column_int64(st, 8)));
	json_object_set_new(j, "created_by", json_string(cymat_col_text(st, 9)));
	json_object_set_new(j, "ended_by", cymat_col_json_text(st, 10));
	json_object_set_new(j, "end_reason", cymat_col_json_text(st, 11));
	return j;
}

int cymat_roster_row_json(struct store *db, int64_t id, json_t **out)
{
	*out = NULL;
	struct store_stmt *st;
	int rc = cymat_query(
	    db, &st,
	    "SELECT " ROSTER_COLS
	    " FROM cymat_roster r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1",
	    "i", id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc == STORE_ROW)
		*out = roster_row(st);
	while (rc == STORE_ROW)
		rc = store_step(st);
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	return *out ? CSHQ_OK : CSHQ_ENOTFOUND;
}

/* The summary of one body: counts, limits and warnings. */
static int org_summary(struct store *db, const char *org, enum org_kind kind, int32_t date,
                       json_t **out)
{
	struct cymat_counts c;
	int rc = counts_of(db, org, 0, &c);
	if (rc != CSHQ_OK)
		return rc;
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "org", org, "kind", org_kind_code(kind),
	                 "counts", counts_json(&c), "limits", cymat_roster_limits(kind, date),
	                 "warnings", cymat_roster_warnings(kind, &c, date));
	return CSHQ_OK;
}

int cymat_roster_json(struct store *db, const struct principal *who, const char *org, bool history,
                      long limit, int64_t after, json_t **out)
{
	*out = NULL;
	int32_t date = date_today();
	int rc;
	if (org) {
		struct registry_subject subj;
		rc = registry_subject(db, org, date, &subj);
		if (rc != CSHQ_OK)
			return rc;
		struct vis_record vr = {"cymat_roster", 0, org, 0};
		if ((rc = vis_check(db, who, &vr)) != CSHQ_OK)
			return rc;
	} else if (who->kind != PRINCIPAL_USER || !(who->roles & ~ROLE_BIT(ROLE_ADMIN))) {
		return CSHQ_ENOTFOUND;
	}
	struct buf sql = BUF_INIT(2048);
	rc = buf_puts(&sql, "SELECT " ROSTER_COLS
	                    " FROM cymat_roster r LEFT JOIN users u ON u.id = r.user_id WHERE ");
	rc |= vis_list_condition(who, "cymat_roster", "r.org", "r.id", NULL, 1, 2, &sql);
	int next = 3;
	if (org)
		rc |= buf_printf(&sql, " AND r.org = $%d", next++);
	if (!history)
		rc |= buf_puts(&sql, " AND r.state = 'active'");
	if (after)
		rc |= buf_printf(&sql, " AND r.id > $%d", next++);
	rc |= buf_printf(&sql, " ORDER BY r.id LIMIT $%d", next);
	if (rc != CSHQ_OK) {
		buf_release(&sql);
		return CSHQ_ELIMIT;
	}
	struct store_stmt *st;
	rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK)
		return rc;
	int k = 1;
	store_bind_text(st, k++, who->org);
	store_bind_int64(st, k++, who->user_id);
	if (org)
		store_bind_text(st, k++, org);
	if (after)
		store_bind_int64(st, k++, after);
	store_bind_int64(st, k, limit + 1);
	json_t *items = json_array();
	int64_t last = 0;
	bool more = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if ((long)json_array_size(items) == limit) {
			more = true;
			continue;
		}
		json_t *row = roster_row(st);
		last = json_integer_value(json_object_get(row, "id"));
		json_array_append_new(items, row);
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	json_t *j = json_object();
	json_object_set_new(j, "items", items);
	char cur[24];
	snprintf(cur, sizeof(cur), "%lld", (long long)last);
	json_object_set_new(j, "next_cursor", more ? json_string(cur) : json_null());
	/* the bodies the roster concerns: the one asked for, or every ministry and observer body
	 * (and NISC) the caller sees, so that a body with nobody registered shows its warning */
	json_t *orgs = json_array();
	if (org) {
		struct registry_subject subj;
		json_t *s;
		if ((rc = registry_subject(db, org, date, &subj)) == CSHQ_OK &&
		    (rc = org_summary(db, org, subj.facts.kind, date, &s)) == CSHQ_OK) {
			json_object_set_new(j, "org", json_string(org));
			json_object_set_new(j, "kind", json_string(org_kind_code(subj.facts.kind)));
			json_object_set_new(j, "counts",
			                    json_deep_copy(json_object_get(s, "counts")));
			json_object_set_new(j, "limits",
			                    json_deep_copy(json_object_get(s, "limits")));
			json_object_set_new(j, "warnings",
			                    json_deep_copy(json_object_get(s, "warnings")));
			json_array_append_new(orgs, s);
		}
	} else {
		struct store_stmt *os;
		rc = cymat_query(db, &os,
		                 "SELECT code, kind FROM orgs WHERE kind IN ('ministry', "
		                 "'observer', 'nisc') ORDER BY kind, code",
		                 "");
		json_t *codes = json_array();
		if (rc == CSHQ_OK) {
			while ((rc = store_step(os)) == STORE_ROW)
				json_array_append_new(codes,
				                      json_pack("[s, s]", cymat_col_text(os, 0),
				                                cymat_col_text(os, 1)));
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
		size_t i;
		json_t *v;
		json_array_foreach(codes, i, v)
		{
			if (rc != CSHQ_OK)
				break;
			const char *code = json_string_value(json_array_get(v, 0));
			bool in_scope;
			if ((rc = vis_org_in_scope(db, who, code, &in_scope)) != CSHQ_OK ||
			    !in_scope)
				continue;
			enum org_kind kind;
			org_kind_parse(json_string_value(json_array_get(v, 1)), &kind);
			json_t *s;
			if ((rc = org_summary(db, code, kind, date, &s)) == CSHQ_OK)
				json_array_append_new(orgs, s);
		}
		json_decref(codes);
	}
	json_object_set_new(j, "orgs", orgs);
	/* the size of the team against the plan of 12(4) */
	int64_t members = 0;
	if (rc == CSHQ_OK)
		rc = cymat_int(
		    db, &members, 0,
		    "SELECT count(*) FROM cymat_roster WHERE role = 'member' AND state = 'active'",
		    "");
	static const struct wf_cite c12[] = {{"CymatRules", "12", 4, 0}};
	json_object_set_new(j, "team",
	                    json_pack("{s:I, s:i, s:o}", "members", (json_int_t)members, "planned",
	                              TEAM_PLANNED, "basis", cymat_cites_json(c12, 1, date)));
	if (rc != CSHQ_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CSHQ_OK;
}

/* ---- the roster machine: ending a row ---- */

struct roster_row {
	char org[33];
	enum cymat_role role;
};

static int roster_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = cymat_query(
	    ctx->db, &st, "SELECT org, role, state FROM cymat_roster WHERE id = $1", "i", ctx->id);
	if (rc != CSHQ_OK)
		return rc;
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct roster_row *r = xcalloc(1, sizeof(*r));
	snprintf(r->org, sizeof(r->org), "%s", cymat_col_text(st, 0));
	cymat_role_parse(cymat_col_text(st, 1), &r->role);
	snprintf(ctx->state, sizeof(ctx->state), "%s", cymat_col_text(st, 2));
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", r->org);
	ctx->confidentiality = 0;
	ctx->record = r;
	while ((rc = store_step(st)) == STORE_ROW)
		;
	return CSHQ_OK;
}

static void roster_unload(struct wf_ctx *ctx)
{
	free(ctx->record);
	ctx->record = NULL;
}

static int end_check(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"reason", NULL};
	const char *reason;
	int rc = cymat_only_keys(ctx, keys);
	if (rc == CSHQ_OK)
		rc = cymat_opt_text(ctx, "reason", 1000, &reason);
	return rc;
}

static int end_guard(struct wf_ctx *ctx)
{
	struct roster_row *r = ctx->record;
	if (may_change(ctx->who, r->role, r->org))
		return CSHQ_OK;
	struct cymat_refusal why = {0};
	refuse_change(&why, r->role, ctx->date);
	ctx->status = why.status;
	snprintf(ctx->message, sizeof(ctx->message), "%s", why.message);
	for (size_t i = 0; i < why.n_basis; i++)
		wf_add_basis(ctx, why.basis[i]);
	return CSHQ_EDENIED;
}

static int end_effect(struct wf_ctx *ctx)
{
	struct roster_row *r = ctx->record;
	int64_t t = time_now();
	const char *reason = json_string_value(json_object_get(ctx->input, "reason"));
	int rc = cymat_exec(
	    ctx->db, NULL,
	    "UPDATE cymat_roster SET until_at = $1, ended_by = $2, end_reason = $3 WHERE id = $4",
	    "itti", t, ctx->who->login, reason, ctx->id);
	if (rc == CSHQ_OK)
		rc = cymat_exec(ctx->db, NULL,
		                "UPDATE cymat_assignments SET until_at = $1 WHERE roster = $2 AND "
		                "until_at IS NULL",
		                "ii", t, ctx->id);
	/* what the body now lacks, for the answer (Rule 9: replace promptly) */
	struct registry_subject subj;
	struct cymat_counts c;
	if (rc == CSHQ_OK &&
	    (rc = registry_subject(ctx->db, r->org, ctx->date, &subj)) == CSHQ_OK &&
	    (rc = counts_of(ctx->db, r->org, ctx->id, &c)) == CSHQ_OK)
		json_object_set_new(ctx->detail, "warnings",
		                    cymat_roster_warnings(subj.facts.kind, &c, ctx->date));
	return rc;
}

static const struct wf_transition roster_steps[] = {
    CYMAT_STEP("active", "end", "ended",
               ROLE_BIT(ROLE_NISC_DIRECTOR) | ROLE_BIT(ROLE_NISC_DEPUTY) |
                   ROLE_BIT(ROLE_CYMAT_MANAGER) | ROLE_BIT(ROLE_CISO),
               WF_PARTY_ANY, end_check, end_guard, end_effect, "登録を終える", "End",
               {"CymatRules", "9", 1, 0}, {"CymatRules", "9", 2, 0}),
};
static const char *const roster_final[] = {"ended", NULL};

const struct wf_machine cymat_roster_machine = {
    .kind = "cymat_roster",
    .table = "cymat_roster",
    .steps = roster_steps,
    .n_steps = CSHQ_ARRAY_LEN(roster_steps),
    .final_states = roster_final,
    .load = roster_load,
    .unload = roster_unload,
};
