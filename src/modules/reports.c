/* reports.c: incident reports (資料提供, Act 31; DataProvisionRules 1): filing, the report
 * machine (submit, forward, triage, confirm_major), the list, updates and attachments.
 *
 * Routing is the regime engine's (mandatory_reporting on the step's date): a ministry's
 * report goes straight to NISC; a supervised body's waits at its supervising ministry
 * (awaiting_ministry) until a user there forwards it. A ministry filing on a supervised
 * body's behalf provides it itself (Act 31(1)), so its submission is received at once. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/incidents.h"
#include "modules/registry.h"
#ifdef CSHQ_HAVE_GSOC
#include "modules/gsoc_ioc.h"
#endif

#define FILERS (ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_STAFF))
#define SUBMITTERS (ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO))

struct report_row {
	char subject[33], state[48], tlp[16], filed_by[33], route[8];
	char rsit_class[64], rsit_type[64];
	int item, confidentiality;
	int64_t occurred_at, detected_at, reported_at, created_at, updated_at, case_id;
	int32_t occurred_date;
	char *title, *summary, *affected, *indicators, *via, *created_by;
};

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int report_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
			       "SELECT subject, item, title, summary, occurred_at, occurred_date, detected_at, "
			       "reported_at, affected_systems, rsit_class, rsit_type, confidentiality, tlp, "
			       "indicators, state, route, via, filed_by_org, created_by, created_at, updated_at, "
			       "case_id FROM reports WHERE id = $1",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct report_row *r = xcalloc(1, sizeof(*r));
	copy(r->subject, sizeof(r->subject), store_column_text(st, 0));
	r->item = (int)store_column_int64(st, 1);
	r->title = xstrdup(store_column_text(st, 2));
	r->summary = xstrdup(store_column_text(st, 3));
	r->occurred_at = store_column_int64(st, 4);
	r->occurred_date = (int32_t)store_column_int64(st, 5);
	r->detected_at = store_column_int64(st, 6);
	r->reported_at = store_column_int64(st, 7);
	r->affected = xstrdup(store_column_text(st, 8));
	copy(r->rsit_class, sizeof(r->rsit_class), store_column_text(st, 9));
	copy(r->rsit_type, sizeof(r->rsit_type), store_column_text(st, 10));
	r->confidentiality = (int)store_column_int64(st, 11);
	copy(r->tlp, sizeof(r->tlp), store_column_text(st, 12));
	r->indicators = xstrdup(store_column_text(st, 13));
	copy(r->state, sizeof(r->state), store_column_text(st, 14));
	copy(r->route, sizeof(r->route), store_column_text(st, 15));
	r->via = dup_or_null(store_column_text(st, 16));
	copy(r->filed_by, sizeof(r->filed_by), store_column_text(st, 17));
	r->created_by = xstrdup(store_column_text(st, 18));
	r->created_at = store_column_int64(st, 19);
	r->updated_at = store_column_int64(st, 20);
	r->case_id = store_column_int64(st, 21);
	while (store_step(st) == STORE_ROW)
		;
	ctx->record = r;
	copy(ctx->state, sizeof(ctx->state), r->state);
	copy(ctx->subject_org, sizeof(ctx->subject_org), r->subject);
	ctx->confidentiality = r->confidentiality;
	return CSHQ_OK;
}

static void report_unload(struct wf_ctx *ctx)
{
	struct report_row *r = ctx->record;
	free(r->title);
	free(r->summary);
	free(r->affected);
	free(r->indicators);
	free(r->via);
	free(r->created_by);
	free(r);
	ctx->record = NULL;
}

/* ---- input checks of the steps (422) */

static int refuse_input(struct wf_ctx *ctx, const char *msg)
{
	return wf_refuse(ctx, 422, msg, NULL, 0);
}

static int only_keys(struct wf_ctx *ctx, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(ctx->input, k, v)
	{
		bool ok = false;
		for (const char *const *a = keys; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (!ok) {
			char m[160];
			snprintf(m, sizeof(m), "unknown field \"%.100s\"", k);
			return refuse_input(ctx, m);
		}
	}
	return CSHQ_OK;
}

/* Reads a text field of the step's input into *out (NULL when absent and optional). */
static int step_text(struct wf_ctx *ctx, const char *key, bool required, const char **out)
{
	struct inc_error e = {0};
	bool ok = true;
	*out = inc_text(ctx->input, key, required, INC_TEXT_MAX, &ok, &e);
	return ok ? CSHQ_OK : refuse_input(ctx, e.detail);
}

static int check_comment(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"comment", NULL};
	const char *c;
	int rc = only_keys(ctx, keys);
	return rc ? rc : step_text(ctx, "comment", false, &c);
}

static int check_empty(struct wf_ctx *ctx)
{
	static const char *const keys[] = {NULL};
	return only_keys(ctx, keys);
}

static int check_note(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	const char *c;
	int rc = only_keys(ctx, keys);
	return rc ? rc : step_text(ctx, "note", false, &c);
}

static int check_question(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"question", NULL};
	const char *c;
	int rc = only_keys(ctx, keys);
	return rc ? rc : step_text(ctx, "question", false, &c);
}

static int check_answer(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"answer", NULL};
	const char *c;
	int rc = only_keys(ctx, keys);
	return rc ? rc : step_text(ctx, "answer", true, &c);
}

static int check_recommendation(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"recommendation", NULL};
	const char *c;
	int rc = only_keys(ctx, keys);
	return rc ? rc : step_text(ctx, "recommendation", true, &c);
}

/* confirm_major {"criteria": [1..3], "rationale"}: at least one criterion of Art. 1. */
static int check_confirm(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"criteria", "rationale", NULL};
	const char *r;
	int rc = only_keys(ctx, keys);
	if (rc || (rc = step_text(ctx, "rationale", true, &r)))
		return rc;
	json_t *c = json_object_get(ctx->input, "criteria");
	if (!json_is_array(c) || json_array_size(c) < 1 || json_array_size(c) > 3)
		return refuse_input(ctx, "criteria: one to three of the criteria 1, 2, 3 of MajorIncidentRules 1");
	bool seen[4] = {false};
	size_t i;
	json_t *v;
	json_array_foreach(c, i, v)
	{
		json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
		if (n < 1 || n > 3 || seen[n])
			return refuse_input(ctx, "criteria: distinct integers 1, 2 or 3");
		seen[n] = true;
	}
	return CSHQ_OK;
}

/* ---- shared pieces of the effects */

/* Records the route decided at submission and the time the report was made. */
static int set_route(struct wf_ctx *ctx, const char *route, json_t *via)
{
	char *v = via ? json_dumps(via, JSON_COMPACT) : NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "UPDATE reports SET route = $1, via = $2, reported_at = $3 WHERE id = $4", &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, route);
		store_bind_text(st, 2, v);
		store_bind_int64(st, 3, time_now());
		store_bind_int64(st, 4, ctx->id);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	free(v);
	return rc;
}

static int add_update(struct store *db, const struct principal *who, int64_t id, const char *kind,
		      const char *body, int64_t *update_id)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "INSERT INTO report_updates (report_id, at, actor, org, kind, body) VALUES "
			       "($1, $2, $3, $4, $5, $6) RETURNING id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, time_now());
	store_bind_text(st, 3, who->login);
	store_bind_text(st, 4, who->org);
	store_bind_text(st, 5, kind);
	store_bind_text(st, 6, body);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return CSHQ_ERR;
	if (update_id)
		*update_id = store_column_int64(st, 0);
	while (store_step(st) == STORE_ROW)
		;
	return CSHQ_OK;
}

static int touch(struct store *db, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(db, "UPDATE reports SET updated_at = $1 WHERE id = $2", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, time_now());
	store_bind_int64(st, 2, id);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* A notice's subject names the report; its title too unless the report is class 3 (a notice
 * is read by every user of the addressee, and all of NISC sees every notice). */
static void notice_subject(char *out, size_t n, const char *what, int64_t id, const struct report_row *r)
{
	if (r->confidentiality >= 3) {
		snprintf(out, n, "%s（報告 %lld）", what, (long long)id);
		return;
	}
	snprintf(out, n, "%s（報告 %lld）: %.120s", what, (long long)id, r->title);
	/* "%.120s" may cut the title inside a UTF-8 sequence: drop an incomplete last one */
	size_t len = strlen(out), i = len;
	while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && ((unsigned char)out[i - 1] & 0x80)) {
		unsigned char lead = (unsigned char)out[i - 1];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (len - (i - 1) < need)
			out[i - 1] = '\0';
	}
}

/* The provision of DataProvisionRules 1(1) for a report item on a date (the 2015 text has
 * no CI operator item: its item 2 is today's item 3). */
static const struct regime_citation *item_cite(int item, int32_t date)
{
	if (!regime_amended_on(date)) {
		if (item == 2)
			return NULL;
		if (item == 3)
			item = 2;
	}
	return regime_cite("DataProvisionRules", "1", 1, item, date);
}

static int notify_nisc_received(struct wf_ctx *ctx, const struct report_row *r)
{
	const struct regime_citation *b[2] = {regime_cite("Act", "31", 1, 0, ctx->date),
					      item_cite(r->item, ctx->date)};
	json_t *basis = basis_json(b, 2);
	char subj[400];
	notice_subject(subj, sizeof(subj), "資料提供の受領", ctx->id, r);
	int rc = inc_notice(ctx->db, ctx->detail, "nisc", subj, "report", ctx->id, basis);
	json_decref(basis);
	return rc;
}

/* submit: the route is the regime's (mandatory_reporting on the day of submission). */
static int submit_effect(struct wf_ctx *ctx)
{
	struct report_row *r = ctx->record;
	struct registry_subject subj;
	int rc = registry_subject(ctx->db, r->subject, ctx->date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	struct regime_answer a;
	regime_evaluate(RF_MANDATORY_REPORTING, &subj.facts, ctx->date, &a);
	for (size_t i = 0; i < a.n_basis; i++)
		wf_add_basis(ctx, a.basis[i]);
	const struct principal *who = ctx->who;
	bool ministry_files = who->org_kind == ORG_MINISTRY;
	json_t *via = json_array();
	if (!ministry_files && a.applies != RA_NO && a.route == ROUTE_VIA) {
		for (size_t i = 0; i < a.n_via; i++)
			json_array_append_new(via, json_string(a.via[i]));
	} else if (!ministry_files && a.route != ROUTE_DIRECT) {
		/* item 3, or a body outside 1(1): the ministry head provides it (Act 31(1)) */
		for (size_t i = 0; i < subj.facts.n_supervising; i++)
			json_array_append_new(via, json_string(subj.facts.supervising[i]));
		if (json_array_size(via) == 0) {
			json_decref(via);
			static const struct wf_cite c[] = {{"Act", "31", 1, 0}};
			return wf_refuse(ctx, 409,
					 "no supervising ministry is registered for this body to provide the report",
					 c, 1);
		}
	}
	json_object_set_new(ctx->detail, "route",
			    json_pack("{s:s, s:O}", "type", json_array_size(via) ? "via" : "direct", "via", via));
	if (json_array_size(via)) {
		ctx->next_state = "awaiting_ministry";
		rc = set_route(ctx, "via", via);
		char subj_ja[400];
		notice_subject(subj_ja, sizeof(subj_ja), "所管法人等からの報告（提供をお願いします）", ctx->id, r);
		json_t *basis = basis_json(a.basis, a.n_basis);
		size_t i;
		json_t *m;
		json_array_foreach(via, i, m) if (rc == CSHQ_OK) rc =
			inc_notice(ctx->db, ctx->detail, json_string_value(m), subj_ja, "report", ctx->id, basis);
		json_decref(basis);
	} else {
		ctx->next_state = "received";
		rc = set_route(ctx, "direct", NULL);
		if (rc == CSHQ_OK)
			rc = notify_nisc_received(ctx, r);
	}
	json_decref(via);
	return rc;
}

static int forward_effect(struct wf_ctx *ctx)
{
	const char *comment = json_string_value(json_object_get(ctx->input, "comment"));
	int rc = CSHQ_OK;
	if (comment && *comment) {
		int64_t uid;
		rc = add_update(ctx->db, ctx->who, ctx->id, "ministry_comment", comment, &uid);
		json_object_set_new(ctx->detail, "comment", json_string(comment));
	}
	return rc ? rc : notify_nisc_received(ctx, ctx->record);
}

/* Notices back to whoever provided the report: the filer and the ministries it came through. */
static int notify_reporters(struct wf_ctx *ctx, const char *what, const struct wf_cite *cites, size_t n)
{
	struct report_row *r = ctx->record;
	json_t *basis = wf_cites_json(cites, n, ctx->date);
	char subj[400];
	notice_subject(subj, sizeof(subj), what, ctx->id, r);
	int rc = inc_notice(ctx->db, ctx->detail, r->filed_by, subj, "report", ctx->id, basis);
	json_t *via = r->via ? json_loads(r->via, 0, NULL) : NULL;
	size_t i;
	json_t *m;
	json_array_foreach(via, i, m)
	{
		const char *org = json_string_value(m);
		if (rc == CSHQ_OK && org && strcmp(org, r->filed_by) != 0)
			rc = inc_notice(ctx->db, ctx->detail, org, subj, "report", ctx->id, basis);
	}
	json_decref(via);
	json_decref(basis);
	return rc;
}

static const struct wf_cite cite_nisc_work[] = {{"DataProvisionRules", "3", 1, 0}};

static int acknowledge_effect(struct wf_ctx *ctx)
{
	const char *note = json_string_value(json_object_get(ctx->input, "note"));
	int rc = CSHQ_OK;
	if (note && *note) {
		rc = add_update(ctx->db, ctx->who, ctx->id, "acknowledgement", note, NULL);
		json_object_set_new(ctx->detail, "note", json_string(note));
	}
	return rc ? rc : notify_reporters(ctx, "資料の受理（状況把握のため保持）", cite_nisc_work, 1);
}

static int request_info_effect(struct wf_ctx *ctx)
{
	const char *q = json_string_value(json_object_get(ctx->input, "question"));
	int rc = CSHQ_OK;
	if (q && *q) {
		rc = add_update(ctx->db, ctx->who, ctx->id, "info_request", q, NULL);
		json_object_set_new(ctx->detail, "question", json_string(q));
	}
	return rc ? rc : notify_reporters(ctx, "追加情報の照会", cite_nisc_work, 1);
}

/* The answer travels the route the report took: from the body itself through its ministry. */
static int provide_info_effect(struct wf_ctx *ctx)
{
	struct report_row *r = ctx->record;
	const char *a = json_string_value(json_object_get(ctx->input, "answer"));
	int rc = add_update(ctx->db, ctx->who, ctx->id, "info_response", a, NULL);
	json_object_set_new(ctx->detail, "answer", json_string(a));
	if (rc != CSHQ_OK)
		return rc;
	if (strcmp(r->route, "via") == 0 && ctx->who->org_kind != ORG_MINISTRY) {
		ctx->next_state = "awaiting_ministry";
		json_t *via = r->via ? json_loads(r->via, 0, NULL) : NULL;
		char subj[400];
		notice_subject(subj, sizeof(subj), "照会への回答（提供をお願いします）", ctx->id, r);
		const struct regime_citation *b = regime_cite("Act", "31", 1, 0, ctx->date);
		json_t *basis = basis_json(&b, 1);
		size_t i;
		json_t *m;
		json_array_foreach(via, i, m) if (rc == CSHQ_OK) rc =
			inc_notice(ctx->db, ctx->detail, json_string_value(m), subj, "report", ctx->id, basis);
		json_decref(basis);
		json_decref(via);
		return rc;
	}
	return notify_nisc_received(ctx, r);
}

/* Whether an event is a specified major incident follows the version of Art. 1 in force
 * when it occurred; an item-2 report (CI operator) is never one. */
static int confirm_open(struct wf_ctx *ctx)
{
	struct report_row *r = ctx->record;
	if (r->item == 2) {
		int rc = wf_refuse(ctx, 409,
				   "an item-2 report (critical-infrastructure operator) cannot be confirmed as a "
				   "specified major incident: the operator is not a 行政機関等; prepare a "
				   "recommendation to the ministry instead",
				   NULL, 0);
		wf_add_basis(ctx, regime_cite("MajorIncidentRules", "1", 0, 0, r->occurred_date));
		wf_add_basis(ctx, item_cite(2, ctx->date));
		wf_add_basis(ctx, regime_cite_version("HQPolicy", "2016", "4", 0, 0));
		return rc;
	}
	struct registry_subject subj;
	int rc = registry_subject(ctx->db, r->subject, r->occurred_date, &subj);
	if (rc != CSHQ_OK)
		return wf_refuse(ctx, 500, "registry lookup failed", NULL, 0);
	struct regime_answer a;
	regime_evaluate(RF_CAUSE_INVESTIGATION, &subj.facts, r->occurred_date, &a);
	if (a.applies == RA_YES)
		return CSHQ_OK;
	char d[11], msg[300];
	date_format(r->occurred_date, d);
	snprintf(msg, sizeof(msg),
		 "the subject was not a 行政機関等 on %s, when the event occurred: it is not a specified "
		 "major incident under MajorIncidentRules 1 as then in force",
		 d);
	rc = wf_refuse(ctx, 409, msg, NULL, 0);
	for (size_t i = 0; i < a.n_basis; i++)
		wf_add_basis(ctx, a.basis[i]);
	return rc;
}

static int confirm_effect(struct wf_ctx *ctx)
{
	int64_t case_id = 0;
	int rc = case_open(ctx, ((struct report_row *)ctx->record)->occurred_date, &case_id);
	if (rc != CSHQ_OK)
		return rc;
	struct store_stmt *st;
	if ((rc = store_prepare(ctx->db, "UPDATE reports SET case_id = $1 WHERE id = $2", &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, case_id);
	store_bind_int64(st, 2, ctx->id);
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	json_object_set_new(ctx->detail, "case", inc_id_json(case_id));
	json_object_set(ctx->detail, "criteria", json_object_get(ctx->input, "criteria"));
	json_object_set(ctx->detail, "rationale", json_object_get(ctx->input, "rationale"));
	/* the criteria are read against Art. 1 as in force when the event occurred */
	struct report_row *r = ctx->record;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(ctx->input, "criteria"), i, v)
		wf_add_basis(ctx, regime_cite("MajorIncidentRules", "1", 0, (int)json_integer_value(v),
					      r->occurred_date));
	return CSHQ_OK;
}

static int item2_only(struct wf_ctx *ctx)
{
	struct report_row *r = ctx->record;
	if (r->item == 2)
		return CSHQ_OK;
	int rc = wf_refuse(ctx, 409,
			   "a recommendation on the material of a critical-infrastructure operator concerns "
			   "item-2 reports only",
			   NULL, 0);
	wf_add_basis(ctx, regime_cite_version("HQPolicy", "2016", "4", 0, 0));
	wf_add_basis(ctx, item_cite(2, ctx->date));
	return rc;
}

static int recommendation_effect(struct wf_ctx *ctx)
{
	const char *text = json_string_value(json_object_get(ctx->input, "recommendation"));
	int rc = add_update(ctx->db, ctx->who, ctx->id, "recommendation", text, NULL);
	json_object_set_new(ctx->detail, "recommendation", json_string(text));
	wf_add_basis(ctx, regime_cite_version("HQPolicy", "2016", "4", 0, 0));
	if (rc != CSHQ_OK)
		return rc;
	/* to the ministry that supervises the operator (HQPolicy (4): 関係行政機関の長への勧告) */
	struct report_row *r = ctx->record;
	struct registry_subject subj;
	if ((rc = registry_subject(ctx->db, r->subject, ctx->date, &subj)) != CSHQ_OK)
		return rc;
	const struct regime_citation *b[2] = {regime_cite_version("HQPolicy", "2016", "4", 0, 0),
					      regime_cite("DataProvisionRules", "3", 2, 0, ctx->date)};
	json_t *basis = basis_json(b, 2);
	char s[400];
	notice_subject(s, sizeof(s), "重要社会基盤事業者等に関する勧告の準備", ctx->id, r);
	for (size_t i = 0; i < subj.facts.n_supervising && rc == CSHQ_OK; i++)
		rc = inc_notice(ctx->db, ctx->detail, subj.facts.supervising[i], s, "report", ctx->id, basis);
	json_decref(basis);
	return rc;
}

#define NISC_ROLES ROLES_NISC

static const struct wf_transition report_steps[] = {
	{"draft", "submit", "received", SUBMITTERS, WF_PARTY_SUBJECT_OR_SUPERVISOR, check_empty, NULL,
	 submit_effect, {{"Act", "31", 1, 0}, {"DataProvisionRules", "1", 1, 0}}, "提出", "Submit"},
	{"awaiting_ministry", "forward", "received", SUBMITTERS, WF_PARTY_SUPERVISOR, check_comment, NULL,
	 forward_effect, {{"Act", "31", 1, 0}, {"MajorIncidentRules", "3", 2, 0}}, "所管府省庁からの提供",
	 "Forward"},
	{"received", "acknowledge", "acknowledged", NISC_ROLES, WF_PARTY_NISC, check_note, NULL,
	 acknowledge_effect, {{"DataProvisionRules", "3", 1, 0}}, "受理（状況把握）", "Acknowledge"},
	{"received", "request_info", "info_requested", NISC_ROLES, WF_PARTY_NISC, check_question, NULL,
	 request_info_effect, {{"DataProvisionRules", "3", 1, 0}, {"DataProvisionRules", "1", 2, 0}},
	 "追加情報の照会", "Request information"},
	{"info_requested", "provide_info", "received", SUBMITTERS, WF_PARTY_SUBJECT_OR_SUPERVISOR,
	 check_answer, NULL, provide_info_effect, {{"Act", "31", 1, 0}}, "照会への回答", "Provide information"},
	{"received", "confirm_major", "confirmed_major", NISC_ROLES, WF_PARTY_NISC, check_confirm, NULL,
	 confirm_effect, {{"MajorIncidentRules", "4", 0, 0}, {"MajorIncidentRules", "9", 1, 0}},
	 "特定重大事象の確認", "Confirm a specified major incident"},
	{"acknowledged", "confirm_major", "confirmed_major", NISC_ROLES, WF_PARTY_NISC, check_confirm, NULL,
	 confirm_effect, {{"MajorIncidentRules", "4", 0, 0}, {"MajorIncidentRules", "9", 1, 0}},
	 "特定重大事象の確認", "Confirm a specified major incident"},
	{"received", "prepare_recommendation", "recommendation_prepared", NISC_ROLES, WF_PARTY_NISC,
	 check_recommendation, NULL, recommendation_effect, {{"DataProvisionRules", "3", 2, 0}},
	 "勧告の準備（重要社会基盤事業者等）", "Prepare a recommendation"},
	{"acknowledged", "prepare_recommendation", "recommendation_prepared", NISC_ROLES, WF_PARTY_NISC,
	 check_recommendation, NULL, recommendation_effect, {{"DataProvisionRules", "3", 2, 0}},
	 "勧告の準備（重要社会基盤事業者等）", "Prepare a recommendation"},
};

static const char *const report_final[] = {"confirmed_major", "recommendation_prepared", NULL};

/* confirm_major and prepare_recommendation depend on the report's item and subject. */
static int report_step_open(struct wf_ctx *ctx, const struct wf_transition *t)
{
	if (strcmp(t->action, "confirm_major") == 0)
		return confirm_open(ctx);
	if (strcmp(t->action, "prepare_recommendation") == 0)
		return item2_only(ctx);
	return CSHQ_OK;
}

const struct wf_machine report_machine = {
	.kind = "report",
	.table = "reports",
	.steps = report_steps,
	.n_steps = CSHQ_ARRAY_LEN(report_steps),
	.final_states = report_final,
	.load = report_load,
	.unload = report_unload,
	.step_open = report_step_open,
};

static const struct {
	const char *state, *ja;
} report_states[] = {
	{"draft", "下書き"},
	{"awaiting_ministry", "所管府省庁の提供待ち"},
	{"received", "NISC受領"},
	{"info_requested", "追加情報の照会中"},
	{"acknowledged", "受理（状況把握）"},
	{"confirmed_major", "特定重大事象として確認"},
	{"recommendation_prepared", "勧告の準備"},
};

const char *report_state_label_ja(const char *state)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(report_states); i++)
		if (strcmp(report_states[i].state, state) == 0)
			return report_states[i].ja;
	return state;
}

/* ---- filing */

static bool filer_role(const struct principal *p)
{
	return p->kind == PRINCIPAL_USER && (p->roles & FILERS);
}

/* Whether p is a user of org or of a ministry supervising it. */
static int of_or_over(struct store *db, const struct principal *p, const char *org, bool *out)
{
	*out = strcmp(p->org, org) == 0;
	if (*out || p->org_kind != ORG_MINISTRY)
		return CSHQ_OK;
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT 1 FROM org_supervisors WHERE org = $1 AND ministry = $2", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_text(st, 2, p->org);
	rc = store_step(st);
	*out = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int bad(struct inc_error *e, int status, const char *detail)
{
	e->status = status;
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
	return status == 403 ? CSHQ_EDENIED : status == 409 ? CSHQ_ECONFLICT : CSHQ_EINVAL;
}

static int read_time(json_t *in, const char *key, bool required, int64_t *out, struct inc_error *e)
{
	json_t *v = json_object_get(in, key);
	*out = 0;
	if (!v || json_is_null(v)) {
		if (!required)
			return CSHQ_OK;
	} else if (json_is_string(v) && time_parse_rfc3339(json_string_value(v), out) == CSHQ_OK) {
		if (*out <= time_now() + 300)
			return CSHQ_OK;
		char d[120];
		snprintf(d, sizeof(d), "%s: in the future", key);
		return bad(e, 422, d);
	}
	char d[120];
	snprintf(d, sizeof(d), "%s: an RFC 3339 time with offset is required", key);
	return bad(e, 422, d);
}

static int read_string_list(json_t *in, const char *key, json_t **out, struct inc_error *e)
{
	json_t *v = json_object_get(in, key);
	*out = json_array();
	if (!v || json_is_null(v))
		return CSHQ_OK;
	char d[120];
	snprintf(d, sizeof(d), "%s: a list of at most %d texts of 1 to 300 bytes", key, INC_LIST_MAX);
	if (!json_is_array(v) || json_array_size(v) > INC_LIST_MAX)
		return bad(e, 422, d);
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s) || json_string_length(s) == 0 || json_string_length(s) > 300 ||
		    strlen(json_string_value(s)) != json_string_length(s))
			return bad(e, 422, d);
		json_array_append(*out, s);
	}
	return CSHQ_OK;
}

static bool hex_of(const char *v, size_t n)
{
	if (strlen(v) != n)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
			return false;
	return true;
}

/* indicators observed: [{"type", "value"}] with the indicator types of GSOC (spec 30), each
 * value checked and written in GSOC's canonical form so that it links to the indicator set;
 * plus file hashes (sha256, md5). */
static int read_indicators(json_t *in, json_t **out, struct inc_error *e)
{
	static const char *const types[] = {"ipv4", "ipv6", "cidr", "domain", "domain_suffix", "url",
					    "url_prefix", "ja3", "ja4", "sha256", "md5", NULL};
	json_t *v = json_object_get(in, "indicators");
	*out = json_array();
	if (!v || json_is_null(v))
		return CSHQ_OK;
	const char *msg = "indicators: a list of at most 100 {\"type\", \"value\"} with a GSOC indicator type";
	if (!json_is_array(v) || json_array_size(v) > INC_LIST_MAX)
		return bad(e, 422, msg);
	size_t i;
	json_t *o;
	json_array_foreach(v, i, o)
	{
		const char *t = json_string_value(json_object_get(o, "type"));
		json_t *val = json_object_get(o, "value");
		bool ok = json_is_object(o) && json_object_size(o) == 2 && t && json_is_string(val) &&
			  json_string_length(val) > 0 && json_string_length(val) <= 2048 &&
			  strlen(json_string_value(val)) == json_string_length(val);
		bool known = false;
		for (const char *const *k = types; ok && *k; k++)
			known |= strcmp(*k, t) == 0;
		if (!ok || !known)
			return bad(e, 422, msg);
		const char *value = json_string_value(val);
		if (strcmp(t, "sha256") == 0 || strcmp(t, "md5") == 0) {
			if (!hex_of(value, strcmp(t, "sha256") == 0 ? 64 : 32))
				return bad(e, 422, "indicators: a sha256 or md5 value is its hex digest");
			json_array_append_new(*out, json_pack("{s:s, s:s}", "type", t, "value", value));
			continue;
		}
#ifdef CSHQ_HAVE_GSOC
		enum gsoc_ioc_type gt;
		char canon[GSOC_VALUE_MAX + 1];
		const char *why = NULL;
		if (gsoc_ioc_type_parse(t, &gt) != CSHQ_OK ||
		    gsoc_ioc_normalise(gt, value, canon, sizeof(canon), &why) != CSHQ_OK) {
			char d[200];
			snprintf(d, sizeof(d), "indicators: not a valid %s value (%s)", t, why ? why : "malformed");
			return bad(e, 422, d);
		}
		value = canon;
#endif
		json_array_append_new(*out, json_pack("{s:s, s:s}", "type", t, "value", value));
	}
	return CSHQ_OK;
}

/* The GSOC indicator a reported one is (same type and canonical value), when the caller may
 * know of it: not TLP:RED or TLP:AMBER+STRICT unless the caller is NISC. */
static int link_indicators(struct store *db, const struct principal *who, json_t *list)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		const char *t = json_string_value(json_object_get(o, "type"));
		const char *v = json_string_value(json_object_get(o, "value"));
		if (!t || !v || strcmp(t, "sha256") == 0 || strcmp(t, "md5") == 0)
			continue;
		struct store_stmt *st;
		int rc = store_prepare(db,
				       "SELECT stix_id, severity, tlp FROM gsoc_indicators WHERE type = $1 AND value = $2 "
				       "AND removed = 0",
				       &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_text(st, 1, t);
		store_bind_text(st, 2, v);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			const char *tlp = store_column_text(st, 2);
			bool restricted = tlp && (strstr(tlp, "RED") || strstr(tlp, "STRICT"));
			if (!restricted || principal_is_nisc(who))
				json_object_set_new(o, "gsoc_indicator",
						    json_pack("{s:s, s:I}", "stix_id", store_column_text(st, 0), "severity",
							      (json_int_t)store_column_int64(st, 1)));
		}
		while (rc == STORE_ROW)
			rc = store_step(st);
		if (rc != STORE_DONE)
			return CSHQ_ERR;
	}
	return CSHQ_OK;
}

int report_create(struct store *db, const struct principal *who, json_t *in, int64_t *id,
		  struct inc_error *e)
{
	static const char *const keys[] = {"subject", "item", "title", "summary", "occurred_at",
					   "detected_at", "confidentiality", "tlp", "classification",
					   "affected_systems", "indicators", NULL};
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		bool ok = false;
		for (const char *const *a = keys; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (!ok) {
			char d[160];
			snprintf(d, sizeof(d), "unknown field \"%.100s\"", k);
			return bad(e, 422, d);
		}
	}
	bool ok = true;
	const char *subject = inc_text(in, "subject", true, 32, &ok, e);
	const char *title = ok ? inc_text(in, "title", true, INC_TITLE_MAX, &ok, e) : NULL;
	const char *summary = ok ? inc_text(in, "summary", true, INC_TEXT_MAX, &ok, e) : NULL;
	const char *tlp = ok ? inc_text(in, "tlp", false, 16, &ok, e) : NULL;
	if (!ok)
		return CSHQ_EINVAL;
	json_t *item_j = json_object_get(in, "item");
	json_int_t item = json_is_integer(item_j) ? json_integer_value(item_j) : 0;
	if (item < 1 || item > 3)
		return bad(e, 422, "item: 1, 2 or 3 (DataProvisionRules 1(1))");
	json_t *conf_j = json_object_get(in, "confidentiality");
	json_int_t conf = 2;
	if (conf_j && !json_is_null(conf_j)) {
		conf = json_is_integer(conf_j) ? json_integer_value(conf_j) : 0;
		if (conf < 1 || conf > 3)
			return bad(e, 422, "confidentiality: 1, 2 or 3 (機密性1-3)");
	}
	if (!tlp)
		tlp = "AMBER";
	else if (!tlp_valid(tlp))
		return bad(e, 422, "tlp: CLEAR, GREEN, AMBER, AMBER+STRICT or RED (TLP 2.0)");
	const char *rc_class = NULL, *rc_type = NULL;
	json_t *cls = json_object_get(in, "classification");
	if (cls && !json_is_null(cls)) {
		rc_class = json_string_value(json_object_get(cls, "class"));
		rc_type = json_string_value(json_object_get(cls, "type"));
		if (!json_is_object(cls) || json_object_size(cls) != 2 || !rsit_valid(rc_class, rc_type))
			return bad(e, 422, "classification: {\"class\", \"type\"} of the RSIT taxonomy "
					   "(GET /api/v1/reports/classifications)");
	}
	int64_t occurred, detected;
	int rc;
	if ((rc = read_time(in, "occurred_at", true, &occurred, e)) != CSHQ_OK ||
	    (rc = read_time(in, "detected_at", false, &detected, e)) != CSHQ_OK)
		return rc;
	if (detected && detected < occurred)
		return bad(e, 422, "detected_at: before occurred_at");
	json_t *affected = NULL, *indicators = NULL;
	if ((rc = read_string_list(in, "affected_systems", &affected, e)) != CSHQ_OK ||
	    (rc = read_indicators(in, &indicators, e)) != CSHQ_OK) {
		json_decref(affected);
		json_decref(indicators);
		return rc;
	}
	/* who may file: a user of the subject or of a ministry supervising it */
	struct registry_subject subj;
	int32_t today = date_today();
	bool filer = false;
	if ((rc = registry_subject(db, subject, today, &subj)) == CSHQ_ENOTFOUND)
		rc = bad(e, 422, "subject: no organisation with this code");
	else if (rc == CSHQ_OK && (rc = of_or_over(db, who, subject, &filer)) == CSHQ_OK &&
		 (!filer || !filer_role(who)))
		rc = bad(e, 403,
			 "a report is filed by the body it concerns or by a ministry supervising it "
			 "(roles csirt, ciso, staff)");
	/* items 1 and 2 are the regime's: the body must be one that item speaks of today */
	if (rc == CSHQ_OK && item != 3) {
		int expected = regime_report_item(&subj.facts, today);
		if (expected != item) {
			struct regime_answer a;
			regime_evaluate(RF_MANDATORY_REPORTING, &subj.facts, today, &a);
			char d[240];
			if (expected)
				snprintf(d, sizeof(d),
					 "item: an event at this body is reported under item %d of "
					 "DataProvisionRules 1(1)",
					 expected);
			else
				snprintf(d, sizeof(d),
					 "item: this body is not one DataProvisionRules 1(1) items 1-2 speak of; "
					 "use item 3");
			rc = bad(e, 409, d);
			e->basis = basis_json(a.basis, a.n_basis);
		}
	}
	if (rc != CSHQ_OK) {
		json_decref(affected);
		json_decref(indicators);
		if (rc != CSHQ_EINVAL && rc != CSHQ_EDENIED && rc != CSHQ_ECONFLICT)
			e->status = 500;
		return rc;
	}
	char *aff = json_dumps(affected, JSON_COMPACT), *ind = json_dumps(indicators, JSON_COMPACT);
	json_decref(affected);
	json_decref(indicators);
	struct store_stmt *st;
	rc = store_prepare(db,
			   "INSERT INTO reports (subject, item, title, summary, occurred_at, occurred_date, "
			   "detected_at, affected_systems, rsit_class, rsit_type, confidentiality, tlp, "
			   "indicators, state, filed_by_org, created_by, created_at, updated_at) VALUES "
			   "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $15, $16, $16) "
			   "RETURNING id",
			   &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, subject);
		store_bind_int64(st, 2, item);
		store_bind_text(st, 3, title);
		store_bind_text(st, 4, summary);
		store_bind_int64(st, 5, occurred);
		store_bind_int64(st, 6, date_of_instant(occurred));
		if (detected)
			store_bind_int64(st, 7, detected);
		else
			store_bind_null(st, 7);
		store_bind_text(st, 8, aff);
		store_bind_text(st, 9, rc_class);
		store_bind_text(st, 10, rc_type);
		store_bind_int64(st, 11, conf);
		store_bind_text(st, 12, tlp);
		store_bind_text(st, 13, ind);
		store_bind_text(st, 14, who->org);
		store_bind_text(st, 15, who->login);
		store_bind_int64(st, 16, time_now());
		if (store_step(st) == STORE_ROW)
			*id = store_column_int64(st, 0);
		else
			rc = CSHQ_ERR;
		while (rc == CSHQ_OK && store_step(st) == STORE_ROW)
			;
	}
	free(aff);
	free(ind);
	if (rc == CSHQ_OK) {
		json_t *d = json_pack("{s:s, s:I}", "subject", subject, "item", item);
		const struct regime_citation *c = item_cite((int)item, today);
		json_t *b = basis_json(&c, 1);
		rc = wf_timeline_add(db, who, "report", *id, "file", NULL, "draft", d, b);
		json_decref(d);
		json_decref(b);
	}
	if (rc != CSHQ_OK)
		e->status = 500;
	return rc;
}

/* ---- reading */

int report_updates_json(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT at, actor, org, kind, body FROM report_updates WHERE report_id = $1 ORDER BY id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:s, s:s, s:s, s:s}", "at",
						   inc_time_json(store_column_int64(st, 0)), "actor",
						   store_column_text(st, 1), "org", store_column_text(st, 2), "kind",
						   store_column_text(st, 3), "body", store_column_text(st, 4)));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

static json_t *attachment_json(struct store_stmt *st, int col)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:s}", "sha256", store_column_text(st, col), "filename",
			 store_column_text(st, col + 1), "content_type", store_column_text(st, col + 2), "size",
			 (json_int_t)store_column_int64(st, col + 3), "created_at",
			 inc_time_json(store_column_int64(st, col + 4)), "created_by",
			 store_column_text(st, col + 5));
}

static int attachments_json(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT sha256, filename, content_type, size, created_at, created_by FROM "
			       "report_attachments WHERE report_id = $1 ORDER BY id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(a, attachment_json(st, 0));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

static json_t *org_name(struct store *db, const char *code)
{
	struct store_stmt *st;
	if (store_prepare(db, "SELECT name_ja FROM orgs WHERE code = $1", &st) != CSHQ_OK)
		return json_null();
	store_bind_text(st, 1, code);
	json_t *n = store_step(st) == STORE_ROW ? json_string(store_column_text(st, 0)) : json_null();
	while (store_step(st) == STORE_ROW)
		;
	return n;
}

static json_t *classification_json(const char *cls, const char *type)
{
	if (!cls || !*cls)
		return json_null();
	return json_pack("{s:s, s:s}", "class", cls, "type", type);
}

int report_record_json(struct wf_ctx *ctx, json_t **out)
{
	struct report_row *r = ctx->record;
	json_t *o = json_object();
	json_object_set_new(o, "id", inc_id_json(ctx->id));
	json_object_set_new(o, "subject", json_string(r->subject));
	json_object_set_new(o, "subject_name_ja", org_name(ctx->db, r->subject));
	json_object_set_new(o, "item", json_integer(r->item));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "summary", json_string(r->summary));
	json_object_set_new(o, "occurred_at", inc_time_json(r->occurred_at));
	json_object_set_new(o, "detected_at", inc_time_json(r->detected_at));
	json_object_set_new(o, "reported_at", inc_time_json(r->reported_at));
	json_t *aff = json_loads(r->affected, 0, NULL), *ind = json_loads(r->indicators, 0, NULL);
	json_object_set_new(o, "affected_systems", aff ? aff : json_array());
	json_object_set_new(o, "classification", classification_json(r->rsit_class, r->rsit_type));
	json_object_set_new(o, "confidentiality", json_integer(r->confidentiality));
	json_object_set_new(o, "tlp", json_string(r->tlp));
	if (ind && link_indicators(ctx->db, ctx->who, ind) != CSHQ_OK) {
		json_decref(ind);
		json_decref(o);
		return CSHQ_ERR;
	}
	json_object_set_new(o, "indicators", ind ? ind : json_array());
	json_object_set_new(o, "state", json_string(ctx->state));
	if (r->route[0]) {
		json_t *via = r->via ? json_loads(r->via, 0, NULL) : NULL;
		json_object_set_new(o, "route", json_pack("{s:s, s:o}", "type", r->route, "via", via ? via : json_array()));
	} else {
		json_object_set_new(o, "route", json_null());
	}
	json_object_set_new(o, "filed_by_org", json_string(r->filed_by));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	json_object_set_new(o, "created_at", inc_time_json(r->created_at));
	json_object_set_new(o, "updated_at", inc_time_json(r->updated_at));
	json_object_set_new(o, "case", inc_id_json(r->case_id));
	json_t *updates = NULL, *atts = NULL, *timeline = NULL;
	int rc = report_updates_json(ctx->db, ctx->id, &updates);
	if (rc == CSHQ_OK)
		rc = attachments_json(ctx->db, ctx->id, &atts);
	if (rc == CSHQ_OK)
		rc = wf_timeline_json(ctx->db, "report", ctx->id, &timeline);
	if (rc != CSHQ_OK) {
		json_decref(updates);
		json_decref(atts);
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "updates", updates);
	json_object_set_new(o, "attachments", atts);
	json_object_set_new(o, "allowed_actions", wf_allowed_actions(ctx));
	json_object_set_new(o, "timeline", timeline);
	*out = o;
	return CSHQ_OK;
}

/* ---- the list */

static json_t *list_item(struct store_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", inc_id_json(store_column_int64(st, 0)));
	json_object_set_new(o, "subject", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "item", json_integer(store_column_int64(st, 2)));
	json_object_set_new(o, "title", json_string(store_column_text(st, 3)));
	json_object_set_new(o, "state", json_string(store_column_text(st, 4)));
	json_object_set_new(o, "occurred_at", inc_time_json(store_column_int64(st, 5)));
	json_object_set_new(o, "reported_at", inc_time_json(store_column_int64(st, 6)));
	json_object_set_new(o, "confidentiality", json_integer(store_column_int64(st, 7)));
	json_object_set_new(o, "tlp", json_string(store_column_text(st, 8)));
	json_object_set_new(o, "classification",
			    classification_json(store_column_text(st, 9), store_column_text(st, 10)));
	json_object_set_new(o, "case", inc_id_json(store_column_int64(st, 11)));
	json_object_set_new(o, "filed_by_org", json_string(store_column_text(st, 12)));
	return o;
}

int report_list(struct store *db, const struct principal *who, const struct report_filter *f,
		json_t **out)
{
	json_t *items = json_array();
	*out = NULL;
	if (who->kind != PRINCIPAL_USER || !(who->roles & ~ROLE_BIT(ROLE_ADMIN))) {
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
		return CSHQ_OK;
	}
	struct buf sql = BUF_INIT(8192);
	/* With a date range the ids are chosen first from the covering date index (a month holds
	 * thousands of reports to order by id), then only the page's rows are read. */
	bool by_ids = f->has_from || f->has_to;
	int rc = buf_puts(&sql, "SELECT r.id, r.subject, r.item, r.title, r.state, r.occurred_at, r.reported_at, "
				"r.confidentiality, r.tlp, r.rsit_class, r.rsit_type, r.case_id, r.filed_by_org "
				"FROM reports r WHERE ");
	if (by_ids)
		rc |= buf_puts(&sql, "r.id IN (SELECT r.id FROM reports r WHERE ");
	rc |= vis_list_condition(who, "report", "r.subject", "r.id", "r.confidentiality", 1, 2, &sql);
	int n = 2;
	if (f->subject)
		rc |= buf_printf(&sql, " AND r.subject = $%d", ++n);
	if (f->state)
		rc |= buf_printf(&sql, " AND r.state = $%d", ++n);
	if (f->item)
		rc |= buf_printf(&sql, " AND r.item = $%d", ++n);
	if (f->has_from)
		rc |= buf_printf(&sql, " AND r.occurred_date >= $%d", ++n);
	if (f->has_to)
		rc |= buf_printf(&sql, " AND r.occurred_date <= $%d", ++n);
	if (f->before)
		rc |= buf_printf(&sql, " AND r.id < $%d", ++n);
	rc |= buf_printf(&sql, " ORDER BY r.id DESC LIMIT %ld", f->limit + 1);
	if (by_ids)
		rc |= buf_puts(&sql, ") ORDER BY r.id DESC");
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return rc ? rc : CSHQ_ERR;
	}
	store_bind_text(st, 1, who->org);
	store_bind_int64(st, 2, who->user_id);
	n = 2;
	if (f->subject)
		store_bind_text(st, ++n, f->subject);
	if (f->state)
		store_bind_text(st, ++n, f->state);
	if (f->item)
		store_bind_int64(st, ++n, f->item);
	if (f->has_from)
		store_bind_int64(st, ++n, f->from);
	if (f->has_to)
		store_bind_int64(st, ++n, f->to);
	if (f->before)
		store_bind_int64(st, ++n, f->before);
	long count = 0;
	int64_t last = 0;
	bool more = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (count == f->limit) {
			more = true;
			continue;
		}
		last = store_column_int64(st, 0);
		json_array_append_new(items, list_item(st));
		count++;
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	if (principal_has(who, ROLE_DELEGATE)) {
		/* a delegate's reads are logged one by one (Act 30(2)) */
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			struct vis_record vr = {.kind = "report",
						.id = inc_parse_id(json_string_value(json_object_get(it, "id"))),
						.subject_org = json_string_value(json_object_get(it, "subject")),
						.confidentiality = (int)json_integer_value(json_object_get(it, "confidentiality"))};
			if ((rc = vis_check(db, who, &vr)) != CSHQ_OK) {
				json_decref(items);
				return rc == CSHQ_ENOTFOUND ? CSHQ_ERR : rc;
			}
		}
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor", more ? inc_id_json(last) : json_null());
	return CSHQ_OK;
}

/* ---- updates and attachments */

/* Who may add to a visible report: its body and the ministries over it (csirt, ciso,
 * staff), and NISC. */
static int may_contribute(struct store *db, const struct principal *who, const char *subject, bool *out)
{
	*out = false;
	if (principal_is_nisc(who)) {
		*out = true;
		return CSHQ_OK;
	}
	if (!filer_role(who))
		return CSHQ_OK;
	return of_or_over(db, who, subject, out);
}

static int load_for_change(struct store *db, const struct principal *who, int64_t id, struct wf_ctx *ctx,
			   struct inc_error *e)
{
	int rc = wf_load_visible(db, who, &report_machine, id, ctx);
	if (rc != CSHQ_OK) {
		inc_error_from_wf(e, ctx);
		return rc;
	}
	bool ok;
	if ((rc = may_contribute(db, who, ctx->subject_org, &ok)) != CSHQ_OK) {
		e->status = 500;
		return rc;
	}
	if (!ok)
		return bad(e, 403, "only the body, its supervising ministry and NISC add to a report");
	return CSHQ_OK;
}

int report_add_update(struct store *db, const struct principal *who, int64_t id, const char *text,
		      struct inc_error *e)
{
	struct wf_ctx ctx;
	int rc = load_for_change(db, who, id, &ctx, e);
	int64_t uid = 0;
	if (rc == CSHQ_OK && (rc = add_update(db, who, id, "update", text, &uid)) == CSHQ_OK &&
	    (rc = touch(db, id)) == CSHQ_OK) {
		json_t *d = json_pack("{s:o}", "update", inc_id_json(uid));
		rc = wf_timeline_add(db, who, "report", id, "add_update", ctx.state, ctx.state, d, NULL);
		json_decref(d);
	}
	if (rc != CSHQ_OK && e->status < 400)
		e->status = 500;
	wf_ctx_release(&ctx);
	return rc;
}

/* The attachment types accepted, with the signature their bytes must carry. */
static const struct {
	const char *type;
	const char *magic;
	size_t magic_len;
	bool text;
} attachment_types[] = {
	{"application/pdf", "%PDF-", 5, false},
	{"image/png", "\x89PNG\r\n\x1a\n", 8, false},
	{"image/jpeg", "\xff\xd8\xff", 3, false},
	{"application/zip", "PK\x03\x04", 4, false},
	{"application/vnd.tcpdump.pcap", NULL, 0, false},
	{"text/plain", NULL, 0, true},
	{"text/csv", NULL, 0, true},
	{"application/json", NULL, 0, true},
};

static bool pcap_magic(const unsigned char *p, size_t n)
{
	static const unsigned char m[][4] = {{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4},
					     {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d},
					     {0x0a, 0x0d, 0x0d, 0x0a}};
	for (size_t i = 0; n >= 4 && i < CSHQ_ARRAY_LEN(m); i++)
		if (memcmp(p, m[i], 4) == 0)
			return true;
	return false;
}

static bool utf8_text(const unsigned char *p, size_t n)
{
	if (memchr(p, 0, n))
		return false;
	json_t *s = json_stringn((const char *)p, n); /* jansson validates UTF-8 */
	bool ok = s != NULL;
	json_decref(s);
	return ok;
}

/* The static name of an accepted type, ignoring parameters (";charset=utf-8"); NULL if not. */
static int attachment_type(const char *declared, size_t *index)
{
	if (!declared)
		return CSHQ_EINVAL;
	size_t n = strcspn(declared, "; ");
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(attachment_types); i++)
		if (strlen(attachment_types[i].type) == n && strncmp(attachment_types[i].type, declared, n) == 0) {
			*index = i;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

static bool filename_ok(const char *f)
{
	size_t n = f ? strlen(f) : 0;
	if (n == 0 || n > 200 || strcmp(f, ".") == 0 || strcmp(f, "..") == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)f; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return false;
	return utf8_text((const unsigned char *)f, n);
}

int report_attach(struct store *db, const struct principal *who, int64_t id, const char *filename,
		  const char *content_type, const void *data, size_t len, json_t **out, struct inc_error *e)
{
	size_t ti;
	if (attachment_type(content_type, &ti) != CSHQ_OK) {
		e->status = 415;
		snprintf(e->detail, sizeof(e->detail),
			 "Content-Type: one of application/pdf, image/png, image/jpeg, application/zip, "
			 "application/vnd.tcpdump.pcap, text/plain, text/csv, application/json");
		return CSHQ_EINVAL;
	}
	struct wf_ctx ctx;
	int rc = load_for_change(db, who, id, &ctx, e);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	const unsigned char *p = data;
	if (!filename_ok(filename))
		rc = bad(e, 422, "filename: 1 to 200 bytes of UTF-8 without '/', '\\' or control characters");
	else if (len == 0 || len > INC_ATTACHMENT_MAX)
		rc = bad(e, 422, "the attachment must have 1 byte to 1 MiB");
	else if ((attachment_types[ti].magic &&
		  (len < attachment_types[ti].magic_len ||
		   memcmp(p, attachment_types[ti].magic, attachment_types[ti].magic_len) != 0)) ||
		 (attachment_types[ti].text && !utf8_text(p, len)) ||
		 (strcmp(attachment_types[ti].type, "application/vnd.tcpdump.pcap") == 0 && !pcap_magic(p, len)))
		rc = bad(e, 422, "the bytes do not match the declared Content-Type");
	if (rc == CSHQ_OK && strcmp(attachment_types[ti].type, "application/json") == 0) {
		json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
		if (!j)
			rc = bad(e, 422, "the bytes do not match the declared Content-Type");
		json_decref(j);
	}
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	if (rc == CSHQ_OK) {
		crypto_hash_sha256(hash, p, len);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	}
	struct store_stmt *st;
	int64_t now = time_now();
	if (rc == CSHQ_OK && (rc = store_prepare(db,
						 "INSERT INTO blobs (sha256, size, content, created_at) VALUES ($1, $2, $3, $4) "
						 "ON CONFLICT (sha256) DO NOTHING",
						 &st)) == CSHQ_OK) {
		store_bind_text(st, 1, hex);
		store_bind_int64(st, 2, (int64_t)len);
		store_bind_blob(st, 3, data, len);
		store_bind_int64(st, 4, now);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	bool added = false;
	if (rc == CSHQ_OK && (rc = store_prepare(db,
						 "INSERT INTO report_attachments (report_id, sha256, filename, content_type, "
						 "size, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) "
						 "ON CONFLICT (report_id, sha256) DO NOTHING",
						 &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, hex);
		store_bind_text(st, 3, filename);
		store_bind_text(st, 4, attachment_types[ti].type);
		store_bind_int64(st, 5, (int64_t)len);
		store_bind_int64(st, 6, now);
		store_bind_text(st, 7, who->login);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		added = rc == CSHQ_OK && store_changes(st) == 1;
	}
	if (rc == CSHQ_OK && added) {
		json_t *d = json_pack("{s:s, s:s, s:I}", "sha256", hex, "filename", filename, "size", (json_int_t)len);
		rc = wf_timeline_add(db, who, "report", id, "attach", ctx.state, ctx.state, d, NULL);
		json_decref(d);
		if (rc == CSHQ_OK)
			rc = touch(db, id);
	}
	if (rc == CSHQ_OK && (rc = store_prepare(db,
						 "SELECT sha256, filename, content_type, size, created_at, created_by FROM "
						 "report_attachments WHERE report_id = $1 AND sha256 = $2",
						 &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		store_bind_text(st, 2, hex);
		if (store_step(st) == STORE_ROW) {
			*out = attachment_json(st, 0);
			json_object_set_new(*out, "created", json_boolean(added));
		} else {
			rc = CSHQ_ERR;
		}
		while (store_step(st) == STORE_ROW)
			;
	}
	if (rc != CSHQ_OK && e->status < 400)
		e->status = 500;
	wf_ctx_release(&ctx);
	return rc;
}

int report_attachment_get(struct store *db, const struct principal *who, int64_t id, const char *sha256,
			  const char **content_type, struct buf *body, struct inc_error *e)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &report_machine, id, &ctx);
	if (rc != CSHQ_OK) {
		inc_error_from_wf(e, &ctx);
		wf_ctx_release(&ctx);
		return rc;
	}
	wf_ctx_release(&ctx);
	struct store_stmt *st;
	if ((rc = store_prepare(db,
				"SELECT a.content_type, b.content FROM report_attachments a JOIN blobs b ON "
				"b.sha256 = a.sha256 WHERE a.report_id = $1 AND a.sha256 = $2",
				&st)) != CSHQ_OK) {
		e->status = 500;
		return rc;
	}
	store_bind_int64(st, 1, id);
	store_bind_text(st, 2, sha256);
	rc = store_step(st);
	if (rc != STORE_ROW) {
		e->status = rc == STORE_DONE ? 404 : 500;
		snprintf(e->detail, sizeof(e->detail), "no such attachment");
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	}
	size_t ti;
	*content_type = "application/octet-stream";
	if (attachment_type(store_column_text(st, 0), &ti) == CSHQ_OK)
		*content_type = attachment_types[ti].type;
	size_t len;
	const void *b = store_column_blob(st, 1, &len);
	rc = buf_append(body, b ? b : "", len);
	while (store_step(st) == STORE_ROW)
		;
	if (rc != CSHQ_OK)
		e->status = 500;
	return rc;
}
