/* audit.c: the audit machines (policy, engagement, finding, good practice), their creation,
 * and the records as JSON. See audit.h for the states and the visibility of results. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/audit_catalog.h"
#include "modules/audit_impl.h"
#include "modules/basis.h"
#include "modules/registry.h"

#define TITLE_MAX 500
#define TEXT_MAX 20000
#define SHORT_MAX 2000
#define FY_MIN 2000
#define FY_MAX 2100

/* ------------------------------------------------------------------ helpers */

void audit_error_release(struct audit_error *e)
{
	if (e) {
		json_decref(e->basis);
		e->basis = NULL;
	}
}

static int fail(struct audit_error *e, int status, json_t *basis, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct audit_error *e, int status, json_t *basis, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	e->status = status;
	json_decref(e->basis);
	e->basis = basis;
	switch (status) {
	case 404:
		return CSHQ_ENOTFOUND;
	case 403:
		return CSHQ_EDENIED;
	case 409:
		return CSHQ_ECONFLICT;
	case 500:
		return CSHQ_ERR;
	default:
		return CSHQ_EINVAL;
	}
}

static int fail_rc(struct audit_error *e, int rc)
{
	if (rc == CSHQ_ENOTFOUND)
		return fail(e, 404, NULL, "no such resource");
	return fail(e, 500, NULL, "internal error; nothing was changed");
}

/* Citations resolved on a date as JSON (NULL entries skipped). */
static json_t *cites_json(int32_t date, const struct wf_cite *c, size_t n)
{
	return wf_cites_json(c, n, date);
}

static json_t *answer_basis(const struct regime_answer *a)
{
	return basis_json(a->basis, a->n_basis);
}

bool audit_has_org_scope(const struct principal *p)
{
	uint32_t plain = p->roles & ~(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DELEGATE));
	return p->kind == PRINCIPAL_USER && plain != 0;
}

/* Text from users: a JSON string without NUL or control characters other than tab and
 * line breaks, min..max bytes (min counts non-blank content). */
static bool text_valid(json_t *v, size_t min, size_t max)
{
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n || n > max)
		return false;
	size_t content = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return false;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			content++;
	}
	return content >= min;
}

static bool code_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

/* Checks that obj has no key outside allowed; fills e with 422 otherwise. */
static bool only_keys(json_t *obj, const char *const *allowed, struct audit_error *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				ok = true;
		if (!ok) {
			fail(e, 422, NULL, "unknown field \"%.100s\"", key);
			return false;
		}
	}
	return true;
}

/* An optional string field: absent or null -> *out NULL. false (422 in e) when invalid. */
static bool opt_text(json_t *obj, const char *key, size_t min, size_t max, const char **out,
                     struct audit_error *e)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!text_valid(v, min, max)) {
		fail(e, 422, NULL, "%s: text of %zu to %zu bytes expected", key, min, max);
		return false;
	}
	*out = json_string_value(v);
	if (min == 0 && !**out)
		*out = NULL;
	return true;
}

static bool req_text(json_t *obj, const char *key, size_t max, const char **out,
                     struct audit_error *e)
{
	json_t *v = json_object_get(obj, key);
	if (!text_valid(v, 1, max)) {
		fail(e, 422, NULL, "%s: required, non-empty text of at most %zu bytes", key, max);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

static bool opt_date(json_t *obj, const char *key, bool *has, int32_t *out, struct audit_error *e)
{
	json_t *v = json_object_get(obj, key);
	*has = false;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || date_parse(json_string_value(v), out) != CSHQ_OK) {
		fail(e, 422, NULL, "%s: a date YYYY-MM-DD expected", key);
		return false;
	}
	*has = true;
	return true;
}

json_t *audit_date_json(int32_t days)
{
	char d[11];
	date_format(days, d);
	return json_string(d);
}

json_t *audit_time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[26];
	time_format_rfc3339(t, s);
	return json_string(s);
}

json_t *audit_str_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int audit_org_names(struct store *db, const char *code, char name_ja[256], char name_en[256])
{
	name_ja[0] = name_en[0] = '\0';
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT name_ja, name_en FROM orgs WHERE code = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		snprintf(name_ja, 256, "%s", store_column_text(st, 0));
		snprintf(name_en, 256, "%s", store_column_text(st, 1));
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int audit_ids(struct store *db, const char *sql, int64_t param, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(db, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, param);
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = store_column_int64(st, 0);
	}
	if (rc != STORE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

/* Runs an UPDATE/INSERT bound by the caller; CSHQ_OK when it ran. */
static int exec_done(struct store_stmt *st)
{
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

void audit_uuid(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

void audit_uuid_derived(const char *seed, const char *label, char out[37])
{
	unsigned char b[16];
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof(b));
	crypto_generichash_update(&h, (const unsigned char *)seed, strlen(seed));
	crypto_generichash_update(&h, (const unsigned char *)"/", 1);
	crypto_generichash_update(&h, (const unsigned char *)label, strlen(label));
	crypto_generichash_final(&h, b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

/* The notices a caller may read of a record: NISC all, others those to its organisation. */
static int notices_json(struct store *db, const struct principal *who, const char *kind, int64_t id,
                        json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT id, to_org, to_role, subject, basis, created_at, read_at FROM notifications "
	    "WHERE record_kind = $1 AND record_id = $2 ORDER BY id",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, id);
	json_t *a = json_array();
	bool all = principal_is_nisc(who);
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *to = store_column_text(st, 1);
		if (!all && strcmp(to, who->org) != 0)
			continue;
		json_t *b = json_loads(store_column_text(st, 4), 0, NULL);
		json_array_append_new(
		    a,
		    json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o}", "id",
		              (json_int_t)store_column_int64(st, 0), "to_org", to, "to_role",
		              audit_str_json(store_column_text(st, 2)), "subject",
		              store_column_text(st, 3), "basis", b ? b : json_array(), "created_at",
		              audit_time_json(store_column_int64(st, 5)), "read_at",
		              audit_time_json(
		                  store_column_is_null(st, 6) ? 0 : store_column_int64(st, 6))));
	}
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

/* Sends one notice citing the step's provisions. */
static int notify(struct wf_ctx *ctx, const char *to_org, const char *to_role, const char *subject,
                  const char *kind, int64_t id)
{
	json_t *basis = wf_cites_json(ctx->step->basis, 3, ctx->date);
	int rc = notice_send(ctx->db, to_org, to_role, subject, kind, id, basis);
	json_decref(basis);
	return rc;
}

/* ------------------------------------------------------------------ engagement rows */

static const char SQL_ENG[] =
    "SELECT id, uuid, org, fiscal_year, type, state, delegate_org, confidentiality, start_date, "
    "published_at, delivered_at FROM audit_engagements WHERE id = $1";

int audit_eng_fetch(struct store *db, int64_t id, struct audit_eng *out)
{
	memset(out, 0, sizeof(*out));
	struct store_stmt *st;
	int rc = store_prepare(db, SQL_ENG, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	out->id = store_column_int64(st, 0);
	snprintf(out->uuid, sizeof(out->uuid), "%s", store_column_text(st, 1));
	snprintf(out->org, sizeof(out->org), "%s", store_column_text(st, 2));
	out->fiscal_year = (int)store_column_int64(st, 3);
	snprintf(out->type, sizeof(out->type), "%s", store_column_text(st, 4));
	snprintf(out->state, sizeof(out->state), "%s", store_column_text(st, 5));
	const char *d = store_column_text(st, 6);
	snprintf(out->delegate_org, sizeof(out->delegate_org), "%s", d ? d : "");
	out->confidentiality = (int)store_column_int64(st, 7);
	out->start_date = (int32_t)store_column_int64(st, 8);
	out->published_at = store_column_is_null(st, 9) ? 0 : store_column_int64(st, 9);
	out->delivered_at = store_column_is_null(st, 10) ? 0 : store_column_int64(st, 10);
	while ((rc = store_step(st)) == STORE_ROW)
		;
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

enum vis_hold audit_results_hold(const char *state)
{
	if (strcmp(state, "notified") == 0 || strcmp(state, "closed") == 0)
		return VIS_RELEASED;
	if (strcmp(state, "at_ministry") == 0)
		return VIS_HELD_AT_SUPERVISOR;
	return VIS_HELD_AT_CENTRE;
}

int audit_results_visible(struct store *db, const struct principal *who, int64_t engagement,
                          const char *org, int confidentiality, const char *state)
{
	struct vis_record r = {.kind = AUDIT_KIND_ENGAGEMENT,
	                       .id = engagement,
	                       .subject_org = org,
	                       .confidentiality = confidentiality};
	return vis_check_held(db, who, &r, audit_results_hold(state));
}

/* ------------------------------------------------------------------ policies */

static const char *const policy_final[] = {"adopted", NULL};

static int policy_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db, "SELECT state FROM audit_policies WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	snprintf(ctx->state, sizeof(ctx->state), "%s", store_column_text(st, 0));
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "hq"); /* part of HQ's annual plan */
	ctx->confidentiality = 1;
	while ((rc = store_step(st)) == STORE_ROW)
		;
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* Themes: titles, or {"code"?, "title", "rationale"?}; codes unique. */
static bool normalise_themes(json_t *in, json_t **out, struct audit_error *e)
{
	*out = NULL;
	if (!json_is_array(in) || json_array_size(in) == 0 || json_array_size(in) > 30) {
		fail(e, 422, NULL, "themes: an array of 1 to 30 themes (AuditPolicy 3(4))");
		return false;
	}
	json_t *res = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(in, i, t)
	{
		char code[40];
		const char *title = NULL, *rationale = NULL;
		snprintf(code, sizeof(code), "t%zu", i + 1);
		if (json_is_string(t)) {
			if (!text_valid(t, 1, 200)) {
				json_decref(res);
				fail(e, 422, NULL, "themes[%zu]: a title of 1 to 200 bytes", i);
				return false;
			}
			title = json_string_value(t);
		} else if (json_is_object(t)) {
			static const char *const keys[] = {"code", "title", "rationale", NULL};
			if (!only_keys(t, keys, e)) {
				json_decref(res);
				return false;
			}
			json_t *c = json_object_get(t, "code");
			if (c && !json_is_null(c)) {
				if (!json_is_string(c) || !code_valid(json_string_value(c), 32)) {
					json_decref(res);
					fail(e, 422, NULL,
					     "themes[%zu].code: 1 to 32 of a-z 0-9 _ -", i);
					return false;
				}
				snprintf(code, sizeof(code), "%s", json_string_value(c));
			}
			if (!req_text(t, "title", 200, &title, e) ||
			    !opt_text(t, "rationale", 0, SHORT_MAX, &rationale, e)) {
				json_decref(res);
				return false;
			}
		} else {
			json_decref(res);
			fail(e, 422, NULL,
			     "themes[%zu]: a title or an object {code, title, rationale}", i);
			return false;
		}
		size_t k;
		json_t *prev;
		json_array_foreach(res, k, prev)
		{
			if (strcmp(json_string_value(json_object_get(prev, "code")), code) == 0) {
				json_decref(res);
				fail(e, 422, NULL, "themes: code \"%s\" twice", code);
				return false;
			}
		}
		json_array_append_new(res,
		                      json_pack("{s:s, s:s, s:o}", "code", code, "title", title,
		                                "rationale", audit_str_json(rationale)));
	}
	*out = res;
	return true;
}

int audit_policy_create(struct store *db, const struct principal *who, json_t *input, int64_t *id,
                        struct audit_error *e)
{
	static const char *const keys[] = {"fiscal_year", "approach", "themes", NULL};
	if (!principal_is_nisc(who) || who->org_kind != ORG_NISC)
		return fail(e, 403, NULL,
		            "the annual audit policy is drafted by NISC (AuditPolicy 5(5))");
	if (!only_keys(input, keys, e))
		return CSHQ_EINVAL;
	json_t *fy = json_object_get(input, "fiscal_year");
	const char *approach;
	if (!json_is_integer(fy) || json_integer_value(fy) < FY_MIN ||
	    json_integer_value(fy) > FY_MAX)
		return fail(e, 422, NULL,
		            "fiscal_year: an integer year (April to March) from %d to %d", FY_MIN,
		            FY_MAX);
	if (!req_text(input, "approach", TEXT_MAX, &approach, e))
		return CSHQ_EINVAL;
	json_t *themes;
	if (!normalise_themes(json_object_get(input, "themes"), &themes, e))
		return CSHQ_EINVAL;
	int year = (int)json_integer_value(fy);
	char *t = json_dumps(themes, JSON_COMPACT);
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "INSERT INTO audit_policies (fiscal_year, approach, themes, state, "
	                       "created_at, created_by, "
	                       "updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $4) ON CONFLICT "
	                       "(fiscal_year) DO NOTHING "
	                       "RETURNING id",
	                       &st);
	int64_t now = time_now();
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, year);
		store_bind_text(st, 2, approach);
		store_bind_text(st, 3, t);
		store_bind_int64(st, 4, now);
		store_bind_text(st, 5, who->login);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*id = store_column_int64(st, 0);
			while ((rc = store_step(st)) == STORE_ROW)
				;
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		} else {
			rc = rc == STORE_DONE ? CSHQ_ECONFLICT : CSHQ_ERR;
		}
	}
	free(t);
	json_decref(themes);
	int32_t today = date_today();
	static const struct wf_cite c51[] = {{"AuditPolicy", "5", 1, 0}};
	if (rc == CSHQ_ECONFLICT)
		return fail(
		    e, 409, cites_json(today, c51, 1),
		    "fiscal year %d already has an audit policy: revise it while it is a draft",
		    year);
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);
	json_t *basis = cites_json(today, c51, 1);
	json_t *detail = json_pack("{s:i}", "fiscal_year", year);
	rc = wf_timeline_add(db, who, AUDIT_KIND_POLICY, *id, "create", NULL, "draft", detail,
	                     basis);
	if (rc == CSHQ_OK)
		rc = notice_send(db, "hq", "hq", "年度監査方針（案）の決定依頼", AUDIT_KIND_POLICY,
		                 *id, basis);
	json_decref(detail);
	json_decref(basis);
	return rc == CSHQ_OK ? CSHQ_OK : fail_rc(e, rc);
}

static int policy_check_revise(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"approach", "themes", NULL};
	struct audit_error e = {0};
	const char *approach = NULL;
	json_t *themes = NULL;
	bool ok = only_keys(ctx->input, keys, &e) &&
	          opt_text(ctx->input, "approach", 1, TEXT_MAX, &approach, &e);
	if (ok && json_object_get(ctx->input, "themes"))
		ok = normalise_themes(json_object_get(ctx->input, "themes"), &themes, &e);
	if (ok && !approach && !themes) {
		ok = false;
		fail(&e, 422, NULL, "give approach and/or themes");
	}
	if (!ok) {
		json_decref(themes);
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	}
	if (themes)
		json_object_set_new(ctx->input, "themes", themes); /* normalised for the effect */
	return CSHQ_OK;
}

static int policy_revise(struct wf_ctx *ctx)
{
	const char *approach = json_string_value(json_object_get(ctx->input, "approach"));
	json_t *themes = json_object_get(ctx->input, "themes");
	char *t = themes ? json_dumps(themes, JSON_COMPACT) : NULL;
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "UPDATE audit_policies SET approach = coalesce($2, approach), "
	                       "themes = coalesce($3, themes), "
	                       "updated_at = $4 WHERE id = $1",
	                       &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, ctx->id);
		store_bind_text(st, 2, approach);
		store_bind_text(st, 3, t);
		store_bind_int64(st, 4, time_now());
		rc = exec_done(st);
	}
	free(t);
	json_object_set_new(
	    ctx->detail, "changed",
	    json_pack("{s:b, s:b}", "approach", approach != NULL, "themes", themes != NULL));
	return rc;
}

static int policy_adopt(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(ctx->db, "UPDATE audit_policies SET adopted_at = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	return notify(ctx, "nisc", "nisc_staff", "年度監査方針の決定", AUDIT_KIND_POLICY, ctx->id);
}

#define C_ACT30                                                                                    \
	{                                                                                          \
		"Act", "30", 1, 0                                                                  \
	}
#define C_AP(a, p)                                                                                 \
	{                                                                                          \
		"AuditPolicy", a, p, 0                                                             \
	}

static const struct wf_transition policy_steps[] = {
    AUDIT_STEP("draft", "revise", NULL, AUDIT_R_NISC, WF_PARTY_NISC, policy_check_revise, NULL,
               policy_revise, "方針案の修正", "Revise the draft", C_AP("5", 1), C_AP("3", 4)),
    AUDIT_STEP("draft", "adopt", "adopted", AUDIT_R_HQ, WF_PARTY_HQ, NULL, NULL, policy_adopt,
               "年次計画の一部として決定", "Adopt as part of HQ's annual plan", C_AP("5", 1)),
};

const struct wf_machine audit_policy_machine = {
    .kind = AUDIT_KIND_POLICY,
    .table = "audit_policies",
    .steps = policy_steps,
    .n_steps = CSHQ_ARRAY_LEN(policy_steps),
    .final_states = policy_final,
    .load = policy_load,
};

/* A policy is HQ's (NISC drafts it); once adopted every body may read it. */
static int policy_visible(struct store *db, const struct principal *who, int64_t id,
                          struct wf_ctx *ctx)
{
	int rc = wf_load_visible(db, who, &audit_policy_machine, id, ctx);
	if (rc == CSHQ_ENOTFOUND && ctx->status == 404 && strcmp(ctx->state, "adopted") == 0 &&
	    audit_has_org_scope(who)) {
		ctx->status = 200;
		return CSHQ_OK;
	}
	return rc;
}

static json_t *policy_row_json(struct store_stmt *st)
{
	json_t *themes = json_loads(store_column_text(st, 3), 0, NULL);
	return json_pack(
	    "{s:I, s:i, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)store_column_int64(st, 0),
	    "fiscal_year", (int)store_column_int64(st, 1), "approach", store_column_text(st, 2),
	    "themes", themes ? themes : json_array(), "state", store_column_text(st, 4),
	    "adopted_at",
	    audit_time_json(store_column_is_null(st, 5) ? 0 : store_column_int64(st, 5)),
	    "created_at", audit_time_json(store_column_int64(st, 6)));
}

int audit_policy_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct wf_ctx ctx;
	int rc = policy_visible(db, who, id, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	struct store_stmt *st;
	rc = store_prepare(db,
	                   "SELECT id, fiscal_year, approach, themes, state, adopted_at, "
	                   "created_at FROM audit_policies "
	                   "WHERE id = $1",
	                   &st);
	json_t *j = NULL;
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			j = policy_row_json(st);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE && j ? CSHQ_OK : CSHQ_ERR;
	}
	json_t *timeline = NULL;
	if (rc == CSHQ_OK)
		rc = wf_timeline_json(db, AUDIT_KIND_POLICY, id, &timeline);
	if (rc == CSHQ_OK) {
		json_object_set_new(j, "allowed_actions", wf_allowed_actions(&ctx));
		json_object_set_new(j, "timeline", timeline);
		static const struct wf_cite c[] = {{"AuditPolicy", "5", 1, 0},
		                                   {"AuditPolicy", "3", 4, 0}};
		json_object_set_new(j, "basis", cites_json(date_today(), c, 2));
		*out = j;
	} else {
		json_decref(j);
	}
	wf_ctx_release(&ctx);
	return rc;
}

int audit_policy_list(struct store *db, const struct principal *who, long fiscal_year, json_t **out)
{
	bool all = principal_is_nisc(who) || principal_has(who, ROLE_HQ);
	if (!all && !audit_has_org_scope(who)) {
		*out = json_pack("{s:[], s:n}", "items", "next_cursor");
		return CSHQ_OK;
	}
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    fiscal_year
	        ? "SELECT id, fiscal_year, approach, themes, state, adopted_at, created_at FROM "
	          "audit_policies WHERE fiscal_year = $1 ORDER BY fiscal_year DESC"
	        : "SELECT id, fiscal_year, approach, themes, state, adopted_at, created_at FROM "
	          "audit_policies ORDER BY fiscal_year DESC",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	if (fiscal_year)
		store_bind_int64(st, 1, fiscal_year);
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		if (!all && strcmp(store_column_text(st, 4), "adopted") != 0)
			continue;
		json_array_append_new(items, policy_row_json(st));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CSHQ_OK;
}

/* The themes of a fiscal year's policy (NULL when there is none). */
static int policy_themes(struct store *db, int fiscal_year, json_t **out)
{
	*out = NULL;
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "SELECT themes, id, state FROM audit_policies WHERE fiscal_year = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, fiscal_year);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		*out = json_loads(store_column_text(st, 0), 0, NULL);
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static bool theme_in(json_t *themes, const char *code)
{
	size_t i;
	json_t *t;
	json_array_foreach(themes, i, t) if (strcmp(json_string_value(json_object_get(t, "code")),
	                                            code) == 0) return true;
	return false;
}

/* ------------------------------------------------------------------ engagements */

static const char *const eng_final[] = {"closed", "cancelled", NULL};

static int eng_load(struct wf_ctx *ctx)
{
	struct audit_eng *e = xcalloc(1, sizeof(*e));
	int rc = audit_eng_fetch(ctx->db, ctx->id, e);
	if (rc != CSHQ_OK) {
		free(e);
		return rc;
	}
	snprintf(ctx->state, sizeof(ctx->state), "%s", e->state);
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", e->org);
	ctx->confidentiality = e->confidentiality;
	ctx->record = e;
	return CSHQ_OK;
}

static void free_record(struct wf_ctx *ctx)
{
	free(ctx->record);
	ctx->record = NULL;
}

/* Organisations that may receive delegated audit work: not the state bodies themselves. */
static int delegate_org_ok(struct store *db, const char *code, const char *subject, bool *ok)
{
	struct registry_subject s;
	*ok = false;
	int rc = registry_subject(db, code, date_today(), &s);
	if (rc == CSHQ_ENOTFOUND)
		return CSHQ_OK;
	if (rc != CSHQ_OK)
		return rc;
	enum org_kind k = s.facts.kind;
	*ok =
	    strcmp(code, subject) != 0 && (k == ORG_IAI || k == ORG_CORPORATION || k == ORG_OTHER);
	return CSHQ_OK;
}

/* The delegation rule (Act 30(1)): parts of an audit of an IAI or designated corporation may
 * be delegated; answered on a date. Returns CSHQ_OK when it applies, else fills e/ctx. */
static int delegation_answer(struct store *db, const char *org, int32_t date,
                             struct regime_answer *a)
{
	struct registry_subject s;
	int rc = registry_subject(db, org, date, &s);
	if (rc != CSHQ_OK)
		return rc;
	regime_evaluate(RF_DELEGATION, &s.facts, date, a);
	return CSHQ_OK;
}

static int grant_delegate(struct store *db, int64_t id, const char *delegate, json_t *basis)
{
	int rc = vis_grant(db, AUDIT_KIND_ENGAGEMENT, id, delegate, 0,
	                   "監査事務の一部の委託（サイバーセキュリティ基本法第30条第1項）");
	if (rc == CSHQ_OK)
		rc = notice_send(db, delegate, "delegate",
		                 "監査事務の一部の委託（秘密保持義務: 法第30条第2項）",
		                 AUDIT_KIND_ENGAGEMENT, id, basis);
	return rc;
}

int audit_engagement_create(struct store *db, const struct principal *who, json_t *input,
                            int64_t *id, struct audit_error *e)
{
	static const char *const keys[] = {"org",    "fiscal_year", "type",   "scope",
	                                   "method", "start",       "end",    "delegate_org",
	                                   "reason", "experts",     "themes", NULL};
	if (!principal_is_nisc(who) || who->org_kind != ORG_NISC)
		return fail(e, 403, NULL, "engagements are planned by NISC (AuditPolicy 5(5))");
	if (!only_keys(input, keys, e))
		return CSHQ_EINVAL;
	const char *org = json_string_value(json_object_get(input, "org"));
	json_t *fy = json_object_get(input, "fiscal_year");
	const char *type = json_string_value(json_object_get(input, "type"));
	const char *scope, *method, *delegate = NULL, *reason = NULL;
	if (!org || !code_valid(org, 32))
		return fail(e, 422, NULL, "org: the registry code of the audited body");
	if (!json_is_integer(fy) || json_integer_value(fy) < FY_MIN ||
	    json_integer_value(fy) > FY_MAX)
		return fail(e, 422, NULL, "fiscal_year: an integer year from %d to %d", FY_MIN,
		            FY_MAX);
	int year = (int)json_integer_value(fy);
	if (!type || (strcmp(type, "management") != 0 && strcmp(type, "penetration") != 0))
		return fail(e, 422, NULL,
		            "type: \"management\" or \"penetration\" (AuditPolicy 4)");
	if (!req_text(input, "scope", TEXT_MAX, &scope, e) ||
	    !req_text(input, "method", TEXT_MAX, &method, e) ||
	    !opt_text(input, "reason", 1, SHORT_MAX, &reason, e))
		return CSHQ_EINVAL;
	json_t *dv = json_object_get(input, "delegate_org");
	if (dv && !json_is_null(dv)) {
		if (!json_is_string(dv) || !code_valid(json_string_value(dv), 32))
			return fail(e, 422, NULL,
			            "delegate_org: the registry code of the delegate body");
		delegate = json_string_value(dv);
	}
	bool has_start, has_end;
	int32_t start = fiscal_year_start(year), end = 0;
	if (!opt_date(input, "start", &has_start, &start, e) ||
	    !opt_date(input, "end", &has_end, &end, e))
		return CSHQ_EINVAL;
	if (!has_start)
		start = fiscal_year_start(year);
	if (fiscal_year_of(start) != year)
		return fail(e, 422, NULL,
		            "start: a date within fiscal year %d (April %d to March %d)", year,
		            year, year + 1);
	if (has_end && (end < start || fiscal_year_of(end) != year))
		return fail(e, 422, NULL, "end: a date from start to the end of fiscal year %d",
		            year);
	json_t *experts = json_object_get(input, "experts");
	if (experts && !json_is_null(experts)) {
		if (!json_is_array(experts) || json_array_size(experts) > 20)
			return fail(
			    e, 422, NULL,
			    "experts: at most 20 names of external experts (AuditPolicy 5(2))");
		size_t i;
		json_t *x;
		json_array_foreach(experts, i, x) if (!text_valid(x, 1, 200)) return fail(
		    e, 422, NULL, "experts[%zu]: a name of 1 to 200 bytes", i);
	} else {
		experts = NULL;
	}
	json_t *themes = json_object_get(input, "themes");
	json_t *ptheme = NULL;
	int rc;
	if (themes && !json_is_null(themes)) {
		if (!json_is_array(themes) || json_array_size(themes) > 30)
			return fail(e, 422, NULL,
			            "themes: codes of the fiscal year's audit policy");
		if ((rc = policy_themes(db, year, &ptheme)) != CSHQ_OK)
			return fail_rc(e, rc);
		size_t i;
		json_t *x;
		json_array_foreach(themes, i, x)
		{
			if (!json_is_string(x) || !ptheme ||
			    !theme_in(ptheme, json_string_value(x))) {
				json_decref(ptheme);
				return fail(e, 422, NULL,
				            "themes[%zu]: not a theme of the fiscal year %d policy",
				            i, year);
			}
		}
		json_decref(ptheme);
	} else {
		themes = NULL;
	}

	/* The regime, on the start date: is this body a target of the audit (AuditPolicy 2)? */
	struct registry_subject subj;
	rc = registry_subject(db, org, start, &subj);
	if (rc == CSHQ_ENOTFOUND)
		return fail(e, 422, NULL, "org: no organisation \"%s\" in the registry", org);
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);
	struct regime_answer a;
	regime_evaluate(RF_AUDIT, &subj.facts, start, &a);
	char sd[11];
	date_format(start, sd);
	if (a.applies == RA_NO)
		return fail(e, 409, answer_basis(&a), "the audit does not cover %s on %s", org, sd);
	if (a.applies == RA_CONDITIONAL && !reason)
		return fail(
		    e, 409, answer_basis(&a),
		    "on %s the audit covers %s only %s: give the reason for this engagement", sd,
		    org, a.condition ? a.condition : "conditionally");
	struct regime_answer da = {0};
	if (delegate) {
		bool ok;
		if ((rc = delegate_org_ok(db, delegate, org, &ok)) != CSHQ_OK)
			return fail_rc(e, rc);
		if (!ok)
			return fail(
			    e, 422, NULL,
			    "delegate_org: an organisation entrusted under Act 30(1) (e.g. ipa)");
		if ((rc = delegation_answer(db, org, start, &da)) != CSHQ_OK)
			return fail_rc(e, rc);
		if (da.applies != RA_YES)
			return fail(e, 409, answer_basis(&da),
			            "audit work at %s cannot be delegated on %s (Act 30(1): IAIs "
			            "and designated "
			            "corporations only)",
			            org, sd);
	}

	char uuid[37];
	audit_uuid(uuid);
	char *ex = experts ? json_dumps(experts, JSON_COMPACT) : xstrdup("[]");
	char *th = themes ? json_dumps(themes, JSON_COMPACT) : xstrdup("[]");
	struct store_stmt *st;
	rc = store_prepare(db,
	                   "INSERT INTO audit_engagements (uuid, org, fiscal_year, type, scope, "
	                   "method, start_date, "
	                   "end_date, experts, themes, delegate_org, reason, applies, "
	                   "confidentiality, state, created_at, "
	                   "created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	                   "$10, $11, $12, $13, 2, "
	                   "'planned', $14, $15, $14) RETURNING id",
	                   &st);
	int64_t now = time_now();
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, uuid);
		store_bind_text(st, 2, org);
		store_bind_int64(st, 3, year);
		store_bind_text(st, 4, type);
		store_bind_text(st, 5, scope);
		store_bind_text(st, 6, method);
		store_bind_int64(st, 7, start);
		if (has_end)
			store_bind_int64(st, 8, end);
		else
			store_bind_null(st, 8);
		store_bind_text(st, 9, ex);
		store_bind_text(st, 10, th);
		store_bind_text(st, 11, delegate);
		store_bind_text(st, 12, reason);
		store_bind_text(st, 13, regime_applies_code(a.applies));
		store_bind_int64(st, 14, now);
		store_bind_text(st, 15, who->login);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*id = store_column_int64(st, 0);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	free(ex);
	free(th);
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);

	/* timeline: the regime's answer on the start date, and the reason when it was needed */
	json_t *basis = answer_basis(&a);
	json_t *detail = json_pack("{s:s, s:s, s:i, s:s}", "org", org, "type", type, "fiscal_year",
	                           year, "applies", regime_applies_code(a.applies));
	if (a.condition)
		json_object_set_new(detail, "condition", json_string(a.condition));
	if (reason)
		json_object_set_new(detail, "reason", json_string(reason));
	if (delegate) {
		json_object_set_new(detail, "delegate_org", json_string(delegate));
		for (size_t i = 0; i < da.n_basis; i++)
			json_array_append_new(basis, citation_json(da.basis[i]));
	}
	rc = wf_timeline_add(db, who, AUDIT_KIND_ENGAGEMENT, *id, "create", NULL, "planned", detail,
	                     basis);
	json_decref(detail);
	json_decref(basis);
	/* the method is agreed with the body (AuditPolicy 3(3)) */
	static const struct wf_cite c33[] = {{"AuditPolicy", "3", 3, 0},
	                                     {"AuditPolicy", "5", 2, 0}};
	json_t *nb = cites_json(date_today(), c33, 2);
	if (rc == CSHQ_OK)
		rc = notice_send(db, org, "ciso", "監査の実施予定（実施方法の協議）",
		                 AUDIT_KIND_ENGAGEMENT, *id, nb);
	json_decref(nb);
	if (rc == CSHQ_OK && delegate) {
		json_t *db_ = answer_basis(&da);
		rc = grant_delegate(db, *id, delegate, db_);
		json_decref(db_);
	}
	return rc == CSHQ_OK ? CSHQ_OK : fail_rc(e, rc);
}

/* Findings of an engagement change state together with it (publish, delivery). */
static int findings_move(struct wf_ctx *ctx, const char *from, const char *to, const char *action,
                         bool snapshot)
{
	int64_t *ids;
	size_t n;
	const char *sql = strcmp(from, "draft") == 0
	                      ? "SELECT id FROM audit_findings WHERE engagement_id = $1 AND state "
	                        "= 'draft' ORDER BY id"
	                      : "SELECT id FROM audit_findings WHERE engagement_id = $1 AND state "
	                        "= 'published' ORDER BY id";
	int rc = audit_ids(ctx->db, sql, ctx->id, &ids, &n);
	if (rc != CSHQ_OK)
		return rc;
	json_t *basis = wf_cites_json(ctx->step->basis, 3, ctx->date);
	int64_t now = time_now();
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		struct store_stmt *st;
		if (snapshot) {
			/* revision 1: the text as published, kept unchanged from now on */
			rc = store_prepare(ctx->db,
			                   "INSERT INTO audit_finding_revisions (finding_id, "
			                   "revision, title, severity, "
			                   "important, requirement, theme, evidence, proposal, "
			                   "reason, created_at, created_by) "
			                   "SELECT id, 1, title, severity, important, requirement, "
			                   "theme, evidence, proposal, "
			                   "NULL, $2, $3 FROM audit_findings WHERE id = $1",
			                   &st);
			if (rc == CSHQ_OK) {
				store_bind_int64(st, 1, ids[i]);
				store_bind_int64(st, 2, now);
				store_bind_text(st, 3, ctx->who->login);
				rc = exec_done(st);
			}
		}
		if (rc == CSHQ_OK)
			rc = store_prepare(ctx->db,
			                   snapshot ? "UPDATE audit_findings SET state = $2, "
			                              "revision = 1, updated_at = $3 "
			                              "WHERE id = $1"
			                            : "UPDATE audit_findings SET state = $2, "
			                              "updated_at = $3 WHERE id = $1",
			                   &st);
		if (rc == CSHQ_OK) {
			store_bind_int64(st, 1, ids[i]);
			store_bind_text(st, 2, to);
			store_bind_int64(st, 3, now);
			rc = exec_done(st);
		}
		if (rc == CSHQ_OK) {
			json_t *d = json_pack("{s:I}", "engagement", (json_int_t)ctx->id);
			rc = wf_timeline_add(ctx->db, ctx->who, AUDIT_KIND_FINDING, ids[i], action,
			                     from, to, d, basis);
			json_decref(d);
		}
	}
	json_decref(basis);
	json_object_set_new(ctx->detail, "findings", json_integer((json_int_t)n));
	free(ids);
	return rc;
}

static int eng_check_agree(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	struct audit_error e = {0};
	const char *note;
	if (!only_keys(ctx->input, keys, &e) ||
	    !opt_text(ctx->input, "note", 0, SHORT_MAX, &note, &e))
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	if (note)
		json_object_set_new(ctx->detail, "note", json_string(note));
	return CSHQ_OK;
}

static int eng_agree(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "UPDATE audit_engagements SET method_agreed_at = $2, "
	                       "method_agreed_by = $3 WHERE id = $1",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	store_bind_text(st, 3, ctx->who->login);
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	return notify(ctx, "nisc", "nisc_staff", "監査実施方法の合意", AUDIT_KIND_ENGAGEMENT,
	              ctx->id);
}

static int eng_check_nothing(struct wf_ctx *ctx)
{
	if (json_object_size(ctx->input) != 0)
		return wf_refuse(ctx, 422, "this step takes no fields", NULL, 0);
	return CSHQ_OK;
}

static int eng_check_reason(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"reason", NULL};
	struct audit_error e = {0};
	const char *reason;
	if (!only_keys(ctx->input, keys, &e) ||
	    !req_text(ctx->input, "reason", SHORT_MAX, &reason, &e))
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	json_object_set_new(ctx->detail, "reason", json_string(reason));
	return CSHQ_OK;
}

static int eng_publish(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "UPDATE audit_engagements SET published_at = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	return findings_move(ctx, "draft", "published", "publish", true);
}

/* Results reach the body's CISO: findings become open at the body. */
static int deliver(struct wf_ctx *ctx, const struct audit_eng *e)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "UPDATE audit_engagements SET delivered_at = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	if ((rc = findings_move(ctx, "published", "notified", "deliver", false)) != CSHQ_OK)
		return rc;
	return notify(ctx, e->org, "ciso", "監査実施結果の通知（改善のための助言を含む）",
	              AUDIT_KIND_ENGAGEMENT, ctx->id);
}

static int eng_notify(struct wf_ctx *ctx)
{
	const struct audit_eng *e = ctx->record;
	struct registry_subject s;
	int rc = registry_subject(ctx->db, e->org, ctx->date, &s);
	if (rc != CSHQ_OK)
		return rc;
	struct regime_answer a;
	regime_evaluate(RF_AUDIT, &s.facts, ctx->date, &a);
	if (a.route == ROUTE_VIA && a.n_via > 0) {
		/* AuditPolicy 5(3): an IAI's or designated corporation's results go through its
		 * supervising ministry, which forwards them */
		json_t *via = json_array();
		for (size_t i = 0; i < a.n_via && rc == CSHQ_OK; i++) {
			json_array_append_new(via, json_string(a.via[i]));
			rc = notify(ctx, a.via[i], NULL, "監査実施結果の通知（所管法人への転達）",
			            AUDIT_KIND_ENGAGEMENT, ctx->id);
		}
		json_object_set_new(ctx->detail, "route",
		                    json_pack("{s:s, s:o}", "type", "via", "via", via));
		ctx->next_state = "at_ministry";
		return rc;
	}
	json_object_set_new(ctx->detail, "route", json_pack("{s:s}", "type", "direct"));
	return deliver(ctx, e);
}

static int eng_forward(struct wf_ctx *ctx)
{
	json_object_set_new(ctx->detail, "via", json_string(ctx->who->org));
	return deliver(ctx, ctx->record);
}

static int eng_close(struct wf_ctx *ctx)
{
	const struct audit_eng *e = ctx->record;
	if (!e->delegate_org[0])
		return CSHQ_OK;
	json_object_set_new(ctx->detail, "delegation_ended", json_string(e->delegate_org));
	return vis_revoke(ctx->db, AUDIT_KIND_ENGAGEMENT, ctx->id, e->delegate_org);
}

static int open_grant(struct store *db, int64_t id, const char *org, bool *open)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "SELECT 1 FROM access_grants WHERE record_kind = $1 AND record_id = "
	                       "$2 AND grantee_org = $3 "
	                       "AND until_at IS NULL",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, AUDIT_KIND_ENGAGEMENT);
	store_bind_int64(st, 2, id);
	store_bind_text(st, 3, org);
	rc = store_step(st);
	*open = rc == STORE_ROW;
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static int eng_guard_delegated(struct wf_ctx *ctx)
{
	const struct audit_eng *e = ctx->record;
	bool open = false;
	if (e->delegate_org[0] && open_grant(ctx->db, ctx->id, e->delegate_org, &open) != CSHQ_OK)
		return wf_refuse(ctx, 500, "store failure", NULL, 0);
	if (!open) {
		static const struct wf_cite c[] = {{"Act", "30", 1, 0}};
		return wf_refuse(ctx, 409, "no open delegation on this engagement", c, 1);
	}
	return CSHQ_OK;
}

static int eng_end_delegation(struct wf_ctx *ctx)
{
	const struct audit_eng *e = ctx->record;
	json_object_set_new(ctx->detail, "delegate_org", json_string(e->delegate_org));
	return vis_revoke(ctx->db, AUDIT_KIND_ENGAGEMENT, ctx->id, e->delegate_org);
}

static int eng_check_delegate(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"delegate_org", "reason", NULL};
	struct audit_error e = {0};
	const char *reason;
	const char *d = json_string_value(json_object_get(ctx->input, "delegate_org"));
	if (!only_keys(ctx->input, keys, &e) ||
	    !opt_text(ctx->input, "reason", 0, SHORT_MAX, &reason, &e))
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	bool ok = false;
	if (!d || !code_valid(d, 32) ||
	    delegate_org_ok(ctx->db, d, ctx->subject_org, &ok) != CSHQ_OK || !ok)
		return wf_refuse(
		    ctx, 422, "delegate_org: an organisation entrusted under Act 30(1) (e.g. ipa)",
		    NULL, 0);
	json_object_set_new(ctx->detail, "delegate_org", json_string(d));
	if (reason)
		json_object_set_new(ctx->detail, "reason", json_string(reason));
	return CSHQ_OK;
}

static int eng_guard_delegate(struct wf_ctx *ctx)
{
	const struct audit_eng *e = ctx->record;
	const char *d = json_string_value(json_object_get(ctx->input, "delegate_org"));
	bool open = false;
	if (e->delegate_org[0] && open_grant(ctx->db, ctx->id, e->delegate_org, &open) != CSHQ_OK)
		return wf_refuse(ctx, 500, "store failure", NULL, 0);
	if (open) {
		static const struct wf_cite c[] = {{"Act", "30", 1, 0}};
		return wf_refuse(ctx, 409,
		                 "the engagement is already delegated; end that delegation first",
		                 c, 1);
	}
	struct regime_answer a;
	if (delegation_answer(ctx->db, ctx->subject_org, ctx->date, &a) != CSHQ_OK)
		return wf_refuse(ctx, 500, "store failure", NULL, 0);
	if (a.applies != RA_YES) {
		int rc = wf_refuse(
		    ctx, 409, "audit work at this body cannot be delegated (Act 30(1))", NULL, 0);
		for (size_t i = 0; i < a.n_basis; i++)
			wf_add_basis(ctx, a.basis[i]);
		return rc;
	}
	(void)d;
	return CSHQ_OK;
}

static int eng_delegate(struct wf_ctx *ctx)
{
	const char *d = json_string_value(json_object_get(ctx->input, "delegate_org"));
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "UPDATE audit_engagements SET delegate_org = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, d);
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	json_t *basis = wf_cites_json(ctx->step->basis, 3, ctx->date);
	rc = grant_delegate(ctx->db, ctx->id, d, basis);
	json_decref(basis);
	return rc;
}

static const struct wf_transition eng_steps[] = {
    AUDIT_STEP("planned", "agree_method", NULL, AUDIT_R_BODY, WF_PARTY_SUBJECT, eng_check_agree,
               NULL, eng_agree, "実施方法の合意", "Agree the audit method", C_AP("3", 3)),
    AUDIT_STEP("planned", "start", "fieldwork", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing,
               NULL, NULL, "監査の実施", "Start the fieldwork", C_AP("5", 2)),
    AUDIT_STEP("planned", "publish", "published", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing,
               NULL, eng_publish, "監査結果の確定", "Publish the results", C_AP("5", 3)),
    AUDIT_STEP("fieldwork", "publish", "published", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing,
               NULL, eng_publish, "監査結果の確定", "Publish the results", C_AP("5", 3)),
    AUDIT_STEP("published", "notify", "notified", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing,
               NULL, eng_notify, "監査実施結果の通知", "Notify the results", C_AP("5", 3)),
    AUDIT_STEP("at_ministry", "forward", "notified", AUDIT_R_BODY, WF_PARTY_SUPERVISOR,
               eng_check_nothing, NULL, eng_forward, "所管法人への通知",
               "Forward the results to the body", C_AP("5", 3)),
    AUDIT_STEP("notified", "close", "closed", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing, NULL,
               eng_close, "監査の完了", "Close the engagement", C_AP("5", 2)),
    AUDIT_STEP("planned", "cancel", "cancelled", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_reason,
               NULL, eng_close, "中止", "Cancel", C_AP("5", 2)),
    AUDIT_STEP("fieldwork", "cancel", "cancelled", AUDIT_R_NISC, WF_PARTY_NISC, eng_check_reason,
               NULL, eng_close, "中止", "Cancel", C_AP("5", 2)),
    AUDIT_STEP("planned", "delegate", NULL, AUDIT_R_NISC, WF_PARTY_NISC, eng_check_delegate,
               eng_guard_delegate, eng_delegate, "IPAへの委託", "Delegate part of the work",
               C_ACT30, C_AP("5", 5)),
    AUDIT_STEP("fieldwork", "delegate", NULL, AUDIT_R_NISC, WF_PARTY_NISC, eng_check_delegate,
               eng_guard_delegate, eng_delegate, "IPAへの委託", "Delegate part of the work",
               C_ACT30, C_AP("5", 5)),
    AUDIT_STEP("*", "end_delegation", NULL, AUDIT_R_NISC, WF_PARTY_NISC, eng_check_nothing,
               eng_guard_delegated, eng_end_delegation, "委託の終了", "End the delegation", C_ACT30,
               C_AP("5", 5)),
};

const struct wf_machine audit_engagement_machine = {
    .kind = AUDIT_KIND_ENGAGEMENT,
    .table = "audit_engagements",
    .steps = eng_steps,
    .n_steps = CSHQ_ARRAY_LEN(eng_steps),
    .final_states = eng_final,
    .load = eng_load,
    .unload = free_record,
};

/* ------------------------------------------------------------------ findings */

static const char *const finding_final[] = {"closed", "withdrawn", NULL};

static const char SQL_FINDING[] = "SELECT id, engagement_id, uuid, org, fiscal_year, seq, "
                                  "revision, important, severity, state, title, "
                                  "evidence, proposal, requirement, theme, created_at, updated_at, "
                                  "closed_at FROM audit_findings WHERE id = $1";

int audit_finding_fetch(struct store *db, int64_t id, struct audit_finding_row *f)
{
	memset(f, 0, sizeof(*f));
	struct store_stmt *st;
	int rc = store_prepare(db, SQL_FINDING, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	f->id = store_column_int64(st, 0);
	f->engagement = store_column_int64(st, 1);
	snprintf(f->uuid, sizeof(f->uuid), "%s", store_column_text(st, 2));
	snprintf(f->org, sizeof(f->org), "%s", store_column_text(st, 3));
	f->fiscal_year = (int)store_column_int64(st, 4);
	f->seq = (int)store_column_int64(st, 5);
	f->revision = (int)store_column_int64(st, 6);
	f->important = store_column_int64(st, 7) != 0;
	snprintf(f->severity, sizeof(f->severity), "%s", store_column_text(st, 8));
	snprintf(f->state, sizeof(f->state), "%s", store_column_text(st, 9));
	f->title = xstrdup(store_column_text(st, 10));
	f->evidence = xstrdup(store_column_text(st, 11));
	f->proposal = dup_or_null(store_column_text(st, 12));
	f->requirement = dup_or_null(store_column_text(st, 13));
	f->theme = dup_or_null(store_column_text(st, 14));
	f->created_at = store_column_int64(st, 15);
	f->updated_at = store_column_int64(st, 16);
	f->closed_at = store_column_is_null(st, 17) ? 0 : store_column_int64(st, 17);
	while ((rc = store_step(st)) == STORE_ROW)
		;
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

void audit_finding_row_release(struct audit_finding_row *f)
{
	if (!f)
		return;
	free(f->title);
	free(f->evidence);
	free(f->proposal);
	free(f->requirement);
	free(f->theme);
	f->title = f->evidence = f->proposal = f->requirement = f->theme = NULL;
}

struct finding_rec {
	struct audit_finding_row f;
	struct audit_eng e;
};

static int finding_load(struct wf_ctx *ctx)
{
	struct finding_rec *r = xcalloc(1, sizeof(*r));
	int rc = audit_finding_fetch(ctx->db, ctx->id, &r->f);
	if (rc == CSHQ_OK)
		rc = audit_eng_fetch(ctx->db, r->f.engagement, &r->e);
	if (rc != CSHQ_OK) {
		audit_finding_row_release(&r->f);
		free(r);
		return rc == CSHQ_ENOTFOUND ? CSHQ_ENOTFOUND : CSHQ_ERR;
	}
	snprintf(ctx->state, sizeof(ctx->state), "%s", r->f.state);
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", r->f.org);
	ctx->confidentiality = r->e.confidentiality;
	/* seen as part of its engagement's results, held until they reach the caller */
	ctx->vis_kind = AUDIT_KIND_ENGAGEMENT;
	ctx->vis_id = r->e.id;
	ctx->vis_hold = audit_results_hold(r->e.state);
	ctx->record = r;
	return CSHQ_OK;
}

static void finding_unload(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	audit_finding_row_release(&r->f);
	free(r);
	ctx->record = NULL;
}

/* The fields of a finding, read and checked (create, edit and revise share this). */
struct finding_input {
	const char *title, *severity, *requirement, *evidence, *proposal, *theme, *reason;
	int important; /* -1 = not given */
	bool has_requirement, has_proposal, has_theme;
};

static bool severity_valid(const char *s)
{
	return s && (strcmp(s, "low") == 0 || strcmp(s, "medium") == 0 || strcmp(s, "high") == 0 ||
	             strcmp(s, "critical") == 0);
}

/* Reads the fields; with `partial` every field is optional. */
static bool finding_read(struct store *db, json_t *in, bool partial, bool with_reason,
                         int fiscal_year, struct finding_input *fi, struct audit_error *e)
{
	static const char *const keys[] = {"title",    "severity", "important", "requirement",
	                                   "evidence", "proposal", "theme",     NULL};
	static const char *const keys_r[] = {"title",       "severity", "important",
	                                     "requirement", "evidence", "proposal",
	                                     "theme",       "reason",   NULL};
	memset(fi, 0, sizeof(*fi));
	fi->important = -1;
	if (!only_keys(in, with_reason ? keys_r : keys, e))
		return false;
	json_t *v;
	if ((v = json_object_get(in, "title")) || !partial) {
		if (!req_text(in, "title", TITLE_MAX, &fi->title, e))
			return false;
	}
	if ((v = json_object_get(in, "severity")) || !partial) {
		fi->severity = json_string_value(v);
		if (!severity_valid(fi->severity)) {
			fail(e, 422, NULL,
			     "severity: \"low\", \"medium\", \"high\" or \"critical\"");
			return false;
		}
	}
	if ((v = json_object_get(in, "important"))) {
		if (!json_is_boolean(v)) {
			fail(e, 422, NULL, "important: true or false (重要な事項)");
			return false;
		}
		fi->important = json_is_true(v);
	} else if (!partial) {
		fi->important = 0;
	}
	if ((v = json_object_get(in, "evidence")) || !partial) {
		if (!req_text(in, "evidence", TEXT_MAX, &fi->evidence, e))
			return false;
	}
	if (json_object_get(in, "requirement")) {
		fi->has_requirement = true;
		if (!opt_text(in, "requirement", 0, TITLE_MAX, &fi->requirement, e))
			return false;
	}
	if (json_object_get(in, "proposal")) {
		fi->has_proposal = true;
		if (!opt_text(in, "proposal", 0, TEXT_MAX, &fi->proposal, e))
			return false;
	}
	if ((v = json_object_get(in, "theme"))) {
		fi->has_theme = true;
		if (!json_is_null(v)) {
			fi->theme = json_string_value(v);
			json_t *themes = NULL;
			if (policy_themes(db, fiscal_year, &themes) != CSHQ_OK) {
				fail(e, 500, NULL, "internal error; nothing was changed");
				return false;
			}
			bool ok = fi->theme && themes && theme_in(themes, fi->theme);
			json_decref(themes);
			if (!ok) {
				fail(e, 422, NULL,
				     "theme: a theme code of the fiscal year %d audit policy",
				     fiscal_year);
				return false;
			}
		}
	}
	if (with_reason && !req_text(in, "reason", SHORT_MAX, &fi->reason, e))
		return false;
	if (fi->requirement) {
		bool known, found;
		if (audit_catalog_lookup(db, fi->requirement, &known, &found, NULL, 0) != CSHQ_OK) {
			fail(e, 500, NULL, "internal error; nothing was changed");
			return false;
		}
		if (known && !found) {
			fail(e, 422, NULL, "requirement: no such requirement in that catalogue");
			return false;
		}
	}
	return true;
}

/* An important matter is notified with a proposal for improvement (AuditPolicy 5(3)). */
static json_t *proposal_basis(void)
{
	static const struct wf_cite c[] = {C_AP("5", 3)};
	return cites_json(date_today(), c, 1);
}

static const char NEED_PROPOSAL[] = "an important finding (重要な事項) needs an improvement "
                                    "proposal (改善策の提案), AuditPolicy 5(3)";

int audit_finding_create(struct store *db, const struct principal *who, int64_t engagement,
                         json_t *input, int64_t *id, struct audit_error *e)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_engagement_machine, engagement, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc == CSHQ_ENOTFOUND ? fail(e, 404, NULL, "no such resource")
		                            : fail_rc(e, rc);
	}
	struct audit_eng eng = *(struct audit_eng *)ctx.record;
	wf_ctx_release(&ctx);
	bool nisc = principal_is_nisc(who) && who->org_kind == ORG_NISC;
	if (!nisc && !principal_has(who, ROLE_DELEGATE))
		return fail(e, 403, NULL,
		            "findings are recorded by the audit team (NISC or its delegate)");
	if (strcmp(eng.state, "planned") != 0 && strcmp(eng.state, "fieldwork") != 0) {
		static const struct wf_cite c[] = {C_AP("5", 3)};
		return fail(e, 409, cites_json(date_today(), c, 1),
		            "the engagement is %s: findings are recorded before publication; "
		            "correct a published "
		            "finding with a revision",
		            eng.state);
	}
	struct finding_input fi;
	if (!finding_read(db, input, false, false, eng.fiscal_year, &fi, e))
		return e->status == 500 ? CSHQ_ERR : CSHQ_EINVAL;
	if (fi.important == 1 && !fi.proposal)
		return fail(e, 422, proposal_basis(), "%s", NEED_PROPOSAL);
	/* touching the engagement row first serialises concurrent findings of one engagement on
	 * PostgreSQL (a row lock), so their sequence numbers cannot collide */
	struct store_stmt *st;
	int64_t now = time_now();
	rc = store_prepare(
	    db,
	    "UPDATE audit_engagements SET updated_at = $2 WHERE id = $1 AND (state = 'planned' OR "
	    "state = 'fieldwork')",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, engagement);
		store_bind_int64(st, 2, now);
		rc = exec_done(st);
	}
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);
	if (store_changes(st) != 1)
		return fail(e, 409, NULL, "the engagement was published meanwhile; reload");
	char uuid[37];
	audit_uuid(uuid);
	rc = store_prepare(
	    db,
	    "INSERT INTO audit_findings (uuid, engagement_id, org, fiscal_year, seq, title, "
	    "severity, "
	    "important, requirement, theme, evidence, proposal, revision, state, created_at, "
	    "created_by, "
	    "updated_at) SELECT $1, $2, $3, $4, coalesce(max(seq), 0) + 1, $5, $6, $7, $8, $9, "
	    "$10, $11, 0, "
	    "'draft', $12, $13, $12 FROM audit_findings WHERE engagement_id = $2 RETURNING id",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_text(st, 1, uuid);
		store_bind_int64(st, 2, engagement);
		store_bind_text(st, 3, eng.org);
		store_bind_int64(st, 4, eng.fiscal_year);
		store_bind_text(st, 5, fi.title);
		store_bind_text(st, 6, fi.severity);
		store_bind_int64(st, 7, fi.important == 1);
		store_bind_text(st, 8, fi.requirement);
		store_bind_text(st, 9, fi.theme);
		store_bind_text(st, 10, fi.evidence);
		store_bind_text(st, 11, fi.proposal);
		store_bind_int64(st, 12, now);
		store_bind_text(st, 13, who->login);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*id = store_column_int64(st, 0);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);
	static const struct wf_cite c[] = {C_AP("4", 1), C_AP("5", 3)};
	static const struct wf_cite cp[] = {C_AP("4", 2), C_AP("5", 3)};
	json_t *basis = cites_json(date_today(), strcmp(eng.type, "penetration") == 0 ? cp : c, 2);
	json_t *detail = json_pack("{s:I, s:s, s:b}", "engagement", (json_int_t)engagement,
	                           "severity", fi.severity, "important", fi.important == 1);
	rc = wf_timeline_add(db, who, AUDIT_KIND_FINDING, *id, "create", NULL, "draft", detail,
	                     basis);
	json_decref(detail);
	json_decref(basis);
	return rc == CSHQ_OK ? CSHQ_OK : fail_rc(e, rc);
}

/* Applies a partial update to the row (draft edit, or a new revision's content). */
static int finding_update(struct wf_ctx *ctx, const struct finding_input *fi, int revision)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    ctx->db,
	    "UPDATE audit_findings SET title = coalesce($2, title), severity = coalesce($3, "
	    "severity), "
	    "important = CASE WHEN CAST($4 AS BIGINT) < 0 THEN important ELSE $4 END, "
	    "requirement = CASE WHEN CAST($5 AS BIGINT) = 1 THEN $6 ELSE requirement END, "
	    "evidence = coalesce($7, evidence), "
	    "proposal = CASE WHEN CAST($8 AS BIGINT) = 1 THEN $9 ELSE proposal END, "
	    "theme = CASE WHEN CAST($10 AS BIGINT) = 1 THEN $11 ELSE theme END, "
	    "revision = $12, updated_at = $13 WHERE id = $1",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, fi->title);
	store_bind_text(st, 3, fi->severity);
	store_bind_int64(st, 4, fi->important);
	store_bind_int64(st, 5, fi->has_requirement);
	store_bind_text(st, 6, fi->requirement);
	store_bind_text(st, 7, fi->evidence);
	store_bind_int64(st, 8, fi->has_proposal);
	store_bind_text(st, 9, fi->proposal);
	store_bind_int64(st, 10, fi->has_theme);
	store_bind_text(st, 11, fi->theme);
	store_bind_int64(st, 12, revision);
	store_bind_int64(st, 13, time_now());
	return exec_done(st);
}

/* Which fields an update names, for the timeline. */
static json_t *changed_fields(json_t *input)
{
	json_t *a = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(input, k, v) if (strcmp(k, "reason") != 0)
	    json_array_append_new(a, json_string(k));
	return a;
}

/* Shared by edit and revise: reads, merges, enforces the proposal rule. */
static int finding_check_update(struct wf_ctx *ctx, bool with_reason)
{
	struct finding_rec *r = ctx->record;
	struct finding_input fi;
	struct audit_error e = {0};
	if (!finding_read(ctx->db, ctx->input, true, with_reason, r->f.fiscal_year, &fi, &e)) {
		audit_error_release(&e);
		return wf_refuse(ctx, e.status == 500 ? 500 : 422, e.detail, NULL, 0);
	}
	size_t fields = json_object_size(ctx->input) - (with_reason ? 1 : 0);
	if (fields == 0)
		return wf_refuse(ctx, 422, "name at least one field to change", NULL, 0);
	bool important = fi.important >= 0 ? fi.important == 1 : r->f.important;
	bool proposal = fi.has_proposal ? fi.proposal != NULL : r->f.proposal != NULL;
	if (important && !proposal) {
		static const struct wf_cite c[] = {C_AP("5", 3)};
		return wf_refuse(ctx, 422, NEED_PROPOSAL, c, 1);
	}
	json_object_set_new(ctx->detail, "changed", changed_fields(ctx->input));
	return CSHQ_OK;
}

static int finding_check_edit(struct wf_ctx *ctx)
{
	return finding_check_update(ctx, false);
}

static int finding_check_revise(struct wf_ctx *ctx)
{
	return finding_check_update(ctx, true);
}

static int finding_edit(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	struct finding_input fi;
	struct audit_error e = {0};
	if (!finding_read(ctx->db, ctx->input, true, false, r->f.fiscal_year, &fi, &e))
		return CSHQ_ERR; /* checked already */
	return finding_update(ctx, &fi, 0);
}

static int finding_guard_immutable(struct wf_ctx *ctx)
{
	static const struct wf_cite c[] = {C_AP("5", 3)};
	char msg[200];
	snprintf(msg, sizeof(msg),
	         "a published finding is not edited (it is %s): POST .../actions/revise records a "
	         "correction as "
	         "a new revision and keeps the history",
	         ctx->state);
	return wf_refuse(ctx, 409, msg, c, 1);
}

static int finding_revise(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	struct finding_input fi;
	struct audit_error e = {0};
	if (!finding_read(ctx->db, ctx->input, true, true, r->f.fiscal_year, &fi, &e))
		return CSHQ_ERR;
	int revision = r->f.revision + 1;
	int rc = finding_update(ctx, &fi, revision);
	struct store_stmt *st;
	if (rc == CSHQ_OK)
		rc = store_prepare(ctx->db,
		                   "INSERT INTO audit_finding_revisions (finding_id, revision, "
		                   "title, severity, important, "
		                   "requirement, theme, evidence, proposal, reason, created_at, "
		                   "created_by) SELECT id, revision, "
		                   "title, severity, important, requirement, theme, evidence, "
		                   "proposal, $2, $3, $4 FROM "
		                   "audit_findings WHERE id = $1",
		                   &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, ctx->id);
		store_bind_text(st, 2, fi.reason);
		store_bind_int64(st, 3, time_now());
		store_bind_text(st, 4, ctx->who->login);
		rc = exec_done(st);
	}
	json_object_set_new(ctx->detail, "revision", json_integer(revision));
	json_object_set_new(ctx->detail, "reason", json_string(fi.reason));
	/* whoever already holds the results hears of the correction */
	if (rc == CSHQ_OK && audit_results_hold(r->e.state) == VIS_RELEASED)
		rc = notify(ctx, r->f.org, "ciso", "監査結果（指摘事項）の訂正", AUDIT_KIND_FINDING,
		            ctx->id);
	if (rc == CSHQ_OK && audit_results_hold(r->e.state) != VIS_HELD_AT_CENTRE) {
		struct registry_subject s;
		if ((rc = registry_subject(ctx->db, r->f.org, ctx->date, &s)) == CSHQ_OK)
			for (size_t i = 0; i < s.facts.n_supervising && rc == CSHQ_OK; i++)
				if (strcmp(r->e.state, "at_ministry") == 0 ||
				    s.facts.kind != ORG_MINISTRY)
					rc = notify(ctx, s.facts.supervising[i], NULL,
					            "監査結果（指摘事項）の訂正",
					            AUDIT_KIND_FINDING, ctx->id);
	}
	return rc;
}

static int finding_check_report(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"kind", "text", "due", NULL};
	struct audit_error e = {0};
	const char *kind = json_string_value(json_object_get(ctx->input, "kind"));
	const char *text;
	bool has_due;
	int32_t due;
	if (!only_keys(ctx->input, keys, &e) ||
	    !req_text(ctx->input, "text", TEXT_MAX, &text, &e) ||
	    !opt_date(ctx->input, "due", &has_due, &due, &e))
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	if (!kind || (strcmp(kind, "result") != 0 && strcmp(kind, "plan") != 0))
		return wf_refuse(ctx, 422, "kind: \"result\" (改善結果) or \"plan\" (改善計画)",
		                 NULL, 0);
	json_object_set_new(ctx->detail, "kind", json_string(kind));
	if (has_due)
		json_object_set_new(ctx->detail, "due", audit_date_json(due));
	return CSHQ_OK;
}

static const char *reported_state(const char *kind)
{
	return strcmp(kind, "plan") == 0 ? "plan_reported" : "result_reported";
}

static int finding_report(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	const char *kind = json_string_value(json_object_get(ctx->input, "kind"));
	const char *text = json_string_value(json_object_get(ctx->input, "text"));
	const char *due_s = json_string_value(json_object_get(ctx->input, "due"));
	int32_t due = 0;
	if (due_s)
		date_parse(due_s, &due);
	/* AuditPolicy 5(3): an IAI or designated corporation reports through its supervising
	 * ministry; the ministry itself (reporting for the body) and a ministry body report
	 * directly */
	struct registry_subject s;
	int rc = registry_subject(ctx->db, r->f.org, ctx->date, &s);
	if (rc != CSHQ_OK)
		return rc;
	struct regime_answer a;
	regime_evaluate(RF_AUDIT, &s.facts, ctx->date, &a);
	bool via = strcmp(ctx->who->org, r->f.org) == 0 && a.route == ROUTE_VIA && a.n_via > 0;
	struct store_stmt *st;
	rc = store_prepare(ctx->db,
	                   "INSERT INTO audit_reports (finding_id, kind, text, due_date, by_org, "
	                   "by_login, created_at, "
	                   "state, via_org, forwarded_at, forwarded_by) VALUES ($1, $2, $3, $4, "
	                   "$5, $6, $7, $8, $9, $10, $11) "
	                   "RETURNING id",
	                   &st);
	if (rc != CSHQ_OK)
		return rc;
	int64_t now = time_now();
	bool by_ministry = strcmp(ctx->who->org, r->f.org) != 0;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, text);
	if (due_s)
		store_bind_int64(st, 4, due);
	else
		store_bind_null(st, 4);
	store_bind_text(st, 5, ctx->who->org);
	store_bind_text(st, 6, ctx->who->login);
	store_bind_int64(st, 7, now);
	store_bind_text(st, 8, via ? "at_ministry" : "received");
	store_bind_text(st, 9, via ? a.via[0] : by_ministry ? ctx->who->org : NULL);
	if (by_ministry) {
		store_bind_int64(st, 10, now);
		store_bind_text(st, 11, ctx->who->login);
	} else {
		store_bind_null(st, 10);
		store_bind_null(st, 11);
	}
	rc = store_step(st);
	if (rc == STORE_ROW) {
		json_object_set_new(ctx->detail, "report", json_integer(store_column_int64(st, 0)));
		while ((rc = store_step(st)) == STORE_ROW)
			;
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	if (via) {
		json_t *v = json_array();
		rc = CSHQ_OK;
		for (size_t i = 0; i < a.n_via && rc == CSHQ_OK; i++) {
			json_array_append_new(v, json_string(a.via[i]));
			rc = notify(ctx, a.via[i], NULL,
			            "改善結果・改善計画の報告（戦略本部への転達）",
			            AUDIT_KIND_FINDING, ctx->id);
		}
		json_object_set_new(ctx->detail, "route",
		                    json_pack("{s:s, s:o}", "type", "via", "via", v));
		ctx->next_state = "report_at_ministry";
		return rc;
	}
	json_object_set_new(ctx->detail, "route",
	                    json_pack("{s:s}", "type", by_ministry ? "via" : "direct"));
	ctx->next_state = reported_state(kind);
	return notify(ctx, "nisc", "nisc_staff", "改善結果・改善計画の報告", AUDIT_KIND_FINDING,
	              ctx->id);
}

static int finding_forward_report(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    ctx->db,
	    "SELECT id, kind FROM audit_reports WHERE finding_id = $1 AND state = 'at_ministry' "
	    "ORDER BY id DESC",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	char kind[16] = "";
	while ((rc = store_step(st)) == STORE_ROW)
		if (!kind[0])
			snprintf(kind, sizeof(kind), "%s", store_column_text(st, 1));
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	if (!kind[0])
		return wf_refuse(ctx, 409, "no report waits at the ministry", NULL, 0);
	rc = store_prepare(ctx->db,
	                   "UPDATE audit_reports SET state = 'received', forwarded_at = $2, "
	                   "forwarded_by = $3, via_org = $4 "
	                   "WHERE finding_id = $1 AND state = 'at_ministry'",
	                   &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	store_bind_text(st, 3, ctx->who->login);
	store_bind_text(st, 4, ctx->who->org);
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	json_object_set_new(ctx->detail, "via", json_string(ctx->who->org));
	json_object_set_new(ctx->detail, "kind", json_string(kind));
	ctx->next_state = reported_state(kind);
	return notify(ctx, "nisc", "nisc_staff", "改善結果・改善計画の報告（所管府省庁経由）",
	              AUDIT_KIND_FINDING, ctx->id);
}

static int finding_check_note(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"note", NULL};
	struct audit_error e = {0};
	const char *note;
	if (!only_keys(ctx->input, keys, &e) ||
	    !opt_text(ctx->input, "note", 0, SHORT_MAX, &note, &e))
		return wf_refuse(ctx, 422, e.detail, NULL, 0);
	if (note)
		json_object_set_new(ctx->detail, "note", json_string(note));
	return CSHQ_OK;
}

/* An important matter stays open across fiscal years until an improvement result shows it
 * resolved (AuditPolicy 5(2) follow-up). */
static int finding_guard_close(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	if (r->f.important && strcmp(ctx->state, "result_reported") != 0) {
		static const struct wf_cite c[] = {C_AP("5", 2), C_AP("5", 3)};
		return wf_refuse(
		    ctx, 409,
		    "an important finding stays open until the body reports an improvement result",
		    c, 2);
	}
	return CSHQ_OK;
}

static int finding_close(struct wf_ctx *ctx)
{
	struct finding_rec *r = ctx->record;
	struct store_stmt *st;
	int rc =
	    store_prepare(ctx->db, "UPDATE audit_findings SET closed_at = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	if ((rc = exec_done(st)) != CSHQ_OK)
		return rc;
	return notify(ctx, r->f.org, "ciso", "指摘事項の改善の確認（フォローアップ完了）",
	              AUDIT_KIND_FINDING, ctx->id);
}

#define FSTEP_REVISE(from)                                                                         \
	AUDIT_STEP(from, "revise", NULL, AUDIT_R_NISC, WF_PARTY_NISC, finding_check_revise, NULL,  \
	           finding_revise, "訂正（新しい版）", "Correct (new revision)", C_AP("5", 3))
#define FSTEP_REPORT(from)                                                                         \
	AUDIT_STEP(from, "report_back", NULL, AUDIT_R_BODY, WF_PARTY_SUBJECT_OR_SUPERVISOR,        \
	           finding_check_report, NULL, finding_report, "改善結果・改善計画の報告",         \
	           "Report back a result or plan", C_AP("5", 3))
#define FSTEP_CLOSE(from)                                                                          \
	AUDIT_STEP(from, "close", "closed", AUDIT_R_NISC, WF_PARTY_NISC, finding_check_note,       \
	           finding_guard_close, finding_close, "フォローアップ完了", "Close",              \
	           C_AP("5", 2))

static const struct wf_transition finding_steps[] = {
    AUDIT_STEP("draft", "edit", NULL, AUDIT_R_NISC, WF_PARTY_NISC, finding_check_edit, NULL,
               finding_edit, "修正（確定前）", "Edit the draft", C_AP("5", 3)),
    AUDIT_STEP("draft", "edit", NULL, AUDIT_R_DELEGATE, WF_PARTY_ANY, finding_check_edit, NULL,
               finding_edit, "修正（確定前）", "Edit the draft", C_AP("5", 3), C_ACT30),
    AUDIT_STEP("*", "edit", NULL, AUDIT_R_NISC | AUDIT_R_DELEGATE, WF_PARTY_ANY, NULL,
               finding_guard_immutable, NULL, "修正（確定前）", "Edit the draft", C_AP("5", 3)),
    AUDIT_STEP("draft", "withdraw", "withdrawn", AUDIT_R_NISC, WF_PARTY_NISC, finding_check_note,
               NULL, NULL, "取下げ", "Withdraw the draft", C_AP("5", 3)),
    AUDIT_STEP("draft", "withdraw", "withdrawn", AUDIT_R_DELEGATE, WF_PARTY_ANY, finding_check_note,
               NULL, NULL, "取下げ", "Withdraw the draft", C_AP("5", 3), C_ACT30),
    FSTEP_REVISE("published"),
    FSTEP_REVISE("notified"),
    FSTEP_REVISE("report_at_ministry"),
    FSTEP_REVISE("plan_reported"),
    FSTEP_REVISE("result_reported"),
    FSTEP_REPORT("notified"),
    FSTEP_REPORT("plan_reported"),
    FSTEP_REPORT("result_reported"),
    AUDIT_STEP("report_at_ministry", "forward_report", NULL, AUDIT_R_BODY, WF_PARTY_SUPERVISOR,
               eng_check_nothing, NULL, finding_forward_report, "報告の転達",
               "Forward the report to HQ", C_AP("5", 3)),
    FSTEP_CLOSE("notified"),
    FSTEP_CLOSE("plan_reported"),
    FSTEP_CLOSE("result_reported"),
};

const struct wf_machine audit_finding_machine = {
    .kind = AUDIT_KIND_FINDING,
    .table = "audit_findings",
    .steps = finding_steps,
    .n_steps = CSHQ_ARRAY_LEN(finding_steps),
    .final_states = finding_final,
    .load = finding_load,
    .unload = finding_unload,
};

static int revisions_json(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "SELECT revision, title, severity, important, requirement, theme, "
	                       "evidence, proposal, reason, "
	                       "created_at, created_by FROM audit_finding_revisions WHERE "
	                       "finding_id = $1 ORDER BY revision",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:s, s:o, s:o, s:o, s:s}",
		                 "revision", (json_int_t)store_column_int64(st, 0), "title",
		                 store_column_text(st, 1), "severity", store_column_text(st, 2),
		                 "important", store_column_int64(st, 3) != 0, "requirement",
		                 audit_str_json(store_column_text(st, 4)), "theme",
		                 audit_str_json(store_column_text(st, 5)), "evidence",
		                 store_column_text(st, 6), "proposal",
		                 audit_str_json(store_column_text(st, 7)), "reason",
		                 audit_str_json(store_column_text(st, 8)), "at",
		                 audit_time_json(store_column_int64(st, 9)), "by",
		                 store_column_text(st, 10)));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

static int reports_json(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "SELECT id, kind, text, due_date, by_org, by_login, created_at, "
	                       "state, via_org, forwarded_at "
	                       "FROM audit_reports WHERE finding_id = $1 ORDER BY id",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:o, s:o}", "id",
		                 (json_int_t)store_column_int64(st, 0), "kind",
		                 store_column_text(st, 1), "text", store_column_text(st, 2), "due",
		                 store_column_is_null(st, 3)
		                     ? json_null()
		                     : audit_date_json((int32_t)store_column_int64(st, 3)),
		                 "by_org", store_column_text(st, 4), "by", store_column_text(st, 5),
		                 "at", audit_time_json(store_column_int64(st, 6)), "state",
		                 store_column_text(st, 7), "via",
		                 audit_str_json(store_column_text(st, 8)), "forwarded_at",
		                 audit_time_json(
		                     store_column_is_null(st, 9) ? 0 : store_column_int64(st, 9))));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

int audit_finding_content_json(struct store *db, const struct audit_finding_row *f, json_t **out)
{
	json_t *rev = NULL, *rep = NULL;
	int rc = revisions_json(db, f->id, &rev);
	if (rc == CSHQ_OK)
		rc = reports_json(db, f->id, &rep);
	if (rc != CSHQ_OK) {
		json_decref(rev);
		return rc;
	}
	json_t *j = json_pack(
	    "{s:I, s:I, s:s, s:i, s:i, s:s, s:s, s:b, s:o, s:o, s:s, s:o, s:s, s:i, s:o, s:o, "
	    "s:o, s:o}",
	    "id", (json_int_t)f->id, "engagement", (json_int_t)f->engagement, "org", f->org,
	    "fiscal_year", f->fiscal_year, "seq", f->seq, "title", f->title, "severity",
	    f->severity, "important", f->important, "requirement", audit_str_json(f->requirement),
	    "theme", audit_str_json(f->theme), "evidence", f->evidence, "proposal",
	    audit_str_json(f->proposal), "state", f->state, "revision", f->revision, "revisions",
	    rev, "reports", rep, "created_at", audit_time_json(f->created_at), "closed_at",
	    audit_time_json(f->closed_at));
	if (f->requirement) {
		bool known, found;
		char title[256];
		if (audit_catalog_lookup(db, f->requirement, &known, &found, title,
		                         sizeof(title)) == CSHQ_OK &&
		    found)
			json_object_set_new(j, "requirement_title", json_string(title));
	}
	*out = j;
	return CSHQ_OK;
}

int audit_finding_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_finding_machine, id, &ctx);
	json_t *j = NULL, *tl = NULL;
	if (rc == CSHQ_OK) {
		struct finding_rec *r = ctx.record;
		rc = audit_finding_content_json(db, &r->f, &j);
		if (rc == CSHQ_OK)
			rc = wf_timeline_json(db, AUDIT_KIND_FINDING, id, &tl);
		if (rc == CSHQ_OK) {
			json_t *n = NULL;
			rc = notices_json(db, who, AUDIT_KIND_FINDING, id, &n);
			json_object_set_new(j, "notices", n ? n : json_array());
		}
		if (rc == CSHQ_OK) {
			json_object_set_new(j, "engagement_state", json_string(r->e.state));
			json_object_set_new(j, "allowed_actions", wf_allowed_actions(&ctx));
			json_object_set_new(j, "timeline", tl);
			tl = NULL;
			*out = j;
			j = NULL;
		}
	}
	json_decref(j);
	json_decref(tl);
	wf_ctx_release(&ctx);
	return rc;
}

int audit_findings_of(struct store *db, const struct principal *who, int64_t engagement,
                      json_t **out)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_engagement_machine, engagement, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	struct audit_eng e = *(struct audit_eng *)ctx.record;
	wf_ctx_release(&ctx);
	if ((rc = audit_results_visible(db, who, e.id, e.org, e.confidentiality, e.state)) !=
	    CSHQ_OK)
		return rc;
	int64_t *ids;
	size_t n;
	if ((rc = audit_ids(db,
	                    "SELECT id FROM audit_findings WHERE engagement_id = $1 ORDER BY seq",
	                    engagement, &ids, &n)) != CSHQ_OK)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		/* each with the steps the caller may take on it now */
		struct wf_ctx fc;
		if ((rc = wf_load_visible(db, who, &audit_finding_machine, ids[i], &fc)) ==
		    CSHQ_OK) {
			struct finding_rec *r = fc.record;
			json_t *j;
			if ((rc = audit_finding_content_json(db, &r->f, &j)) == CSHQ_OK) {
				json_object_set_new(j, "allowed_actions", wf_allowed_actions(&fc));
				json_array_append_new(items, j);
			}
		}
		wf_ctx_release(&fc);
	}
	free(ids);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CSHQ_OK;
}

/* ------------------------------------------------------------------ good practices */

static const char *const practice_final[] = {"published", "withdrawn", NULL};

struct practice_rec {
	struct audit_eng e;
	bool anonymise;
	char *title, *description;
};

static int practice_load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "SELECT engagement_id, org, state, anonymise, title, description "
	                       "FROM audit_good_practices "
	                       "WHERE id = $1",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct practice_rec *r = xcalloc(1, sizeof(*r));
	int64_t eng = store_column_int64(st, 0);
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", store_column_text(st, 1));
	snprintf(ctx->state, sizeof(ctx->state), "%s", store_column_text(st, 2));
	r->anonymise = store_column_int64(st, 3) != 0;
	r->title = xstrdup(store_column_text(st, 4));
	r->description = xstrdup(store_column_text(st, 5));
	while ((rc = store_step(st)) == STORE_ROW)
		;
	if (rc == STORE_DONE)
		rc = audit_eng_fetch(ctx->db, eng, &r->e);
	else
		rc = CSHQ_ERR;
	ctx->confidentiality = r->e.confidentiality;
	/* part of its engagement (the body sees it, a delegate through the grant) */
	ctx->vis_kind = AUDIT_KIND_ENGAGEMENT;
	ctx->vis_id = r->e.id;
	ctx->record = r;
	return rc;
}

static void practice_unload(struct wf_ctx *ctx)
{
	struct practice_rec *r = ctx->record;
	free(r->title);
	free(r->description);
	free(r);
	ctx->record = NULL;
}

static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

char *audit_replace_term(const char *s, const char *term, const char *with, bool word)
{
	size_t tl = strlen(term);
	if (tl == 0)
		return NULL;
	struct buf b = BUF_INIT(4 * 1024 * 1024);
	bool hit = false;
	const char *p = s;
	while (*p) {
		bool m = strncasecmp(p, term, tl) == 0;
		if (m && word)
			m = (p == s || !word_char((unsigned char)p[-1])) &&
			    !word_char((unsigned char)p[tl]);
		if (m) {
			buf_puts(&b, with);
			p += tl;
			hit = true;
		} else {
			buf_putc(&b, *p++);
		}
	}
	if (!hit) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The body's names, codes and former names, replaced for an anonymised publication. */
static char *anonymise_text(struct store *db, const char *org, const char *text)
{
	char *cur = xstrdup(text);
	static const char anon[] = "（某機関）";
	char ja[256], en[256];
	if (audit_org_names(db, org, ja, en) != CSHQ_OK)
		return cur;
	const char *terms[] = {ja, en};
	for (size_t i = 0; i < 2; i++) {
		char *n = terms[i][0] ? audit_replace_term(cur, terms[i], anon, false) : NULL;
		if (n) {
			free(cur);
			cur = n;
		}
	}
	char *n = audit_replace_term(cur, org, anon, true);
	if (n) {
		free(cur);
		cur = n;
	}
	struct store_stmt *st;
	if (store_prepare(db, "SELECT name_ja FROM org_former_names WHERE org = $1", &st) ==
	    CSHQ_OK) {
		store_bind_text(st, 1, org);
		char former[8][256];
		size_t k = 0;
		while (store_step(st) == STORE_ROW)
			if (k < 8)
				snprintf(former[k++], 256, "%s", store_column_text(st, 0));
		for (size_t i = 0; i < k; i++) {
			char *m = audit_replace_term(cur, former[i], anon, false);
			if (m) {
				free(cur);
				cur = m;
			}
		}
	}
	return cur;
}

static int practice_publish(struct wf_ctx *ctx)
{
	struct practice_rec *r = ctx->record;
	char *title =
	    r->anonymise ? anonymise_text(ctx->db, ctx->subject_org, r->title) : xstrdup(r->title);
	char *desc = r->anonymise ? anonymise_text(ctx->db, ctx->subject_org, r->description)
	                          : xstrdup(r->description);
	struct store_stmt *st;
	int rc = store_prepare(
	    ctx->db,
	    "UPDATE audit_good_practices SET published_title = $2, published_description = $3, "
	    "published_at = $4, updated_at = $4 WHERE id = $1",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, ctx->id);
		store_bind_text(st, 2, title);
		store_bind_text(st, 3, desc);
		store_bind_int64(st, 4, time_now());
		rc = exec_done(st);
	}
	free(title);
	free(desc);
	json_object_set_new(ctx->detail, "anonymised", json_boolean(r->anonymise));
	/* shared with every body the audit covers today (AuditPolicy 3(1)) */
	int64_t sent = 0;
	if (rc == CSHQ_OK) {
		struct store_stmt *q;
		char(*codes)[33] = NULL;
		size_t n = 0, cap = 0;
		if ((rc = store_prepare(ctx->db, "SELECT code FROM orgs ORDER BY code", &q)) ==
		    CSHQ_OK) {
			while ((rc = store_step(q)) == STORE_ROW) {
				if (n == cap) {
					cap = cap ? cap * 2 : 128;
					codes = xrealloc(codes, cap * sizeof(*codes));
				}
				snprintf(codes[n++], 33, "%s", store_column_text(q, 0));
			}
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
		for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
			struct registry_subject s;
			struct regime_answer a;
			if ((rc = registry_subject(ctx->db, codes[i], ctx->date, &s)) != CSHQ_OK)
				break;
			regime_evaluate(RF_AUDIT, &s.facts, ctx->date, &a);
			if (a.applies == RA_YES) {
				rc = notify(ctx, codes[i], NULL,
				            "監査で把握した優れた取組（グッドプラクティス）の共有",
				            AUDIT_KIND_PRACTICE, ctx->id);
				sent++;
			}
		}
		free(codes);
	}
	json_object_set_new(ctx->detail, "shared_with", json_integer(sent));
	return rc;
}

static int practice_check_nothing(struct wf_ctx *ctx)
{
	return eng_check_nothing(ctx);
}

static int practice_guard_anon(struct wf_ctx *ctx)
{
	struct practice_rec *r = ctx->record;
	if (r->anonymise)
		return wf_refuse(ctx, 409, "anonymisation is already requested", NULL, 0);
	return CSHQ_OK;
}

static int practice_anon(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    ctx->db, "UPDATE audit_good_practices SET anonymise = 1, updated_at = $2 WHERE id = $1",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_int64(st, 2, time_now());
	return exec_done(st);
}

static const struct wf_transition practice_steps[] = {
    AUDIT_STEP("recorded", "publish", "published", AUDIT_R_NISC, WF_PARTY_NISC,
               practice_check_nothing, NULL, practice_publish, "他機関への共有",
               "Share with all bodies", C_AP("3", 1)),
    AUDIT_STEP("recorded", "request_anonymity", NULL, AUDIT_R_BODY, WF_PARTY_SUBJECT_OR_SUPERVISOR,
               practice_check_nothing, practice_guard_anon, practice_anon, "匿名化の依頼",
               "Ask for anonymisation", C_AP("3", 1), C_AP("3", 3)),
    AUDIT_STEP("recorded", "withdraw", "withdrawn", AUDIT_R_NISC, WF_PARTY_NISC, finding_check_note,
               NULL, NULL, "取下げ", "Withdraw", C_AP("3", 1)),
};

const struct wf_machine audit_practice_machine = {
    .kind = AUDIT_KIND_PRACTICE,
    .table = "audit_good_practices",
    .steps = practice_steps,
    .n_steps = CSHQ_ARRAY_LEN(practice_steps),
    .final_states = practice_final,
    .load = practice_load,
    .unload = practice_unload,
};

int audit_practice_create(struct store *db, const struct principal *who, int64_t engagement,
                          json_t *input, int64_t *id, struct audit_error *e)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_engagement_machine, engagement, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc == CSHQ_ENOTFOUND ? fail(e, 404, NULL, "no such resource")
		                            : fail_rc(e, rc);
	}
	struct audit_eng eng = *(struct audit_eng *)ctx.record;
	wf_ctx_release(&ctx);
	if (!(principal_is_nisc(who) && who->org_kind == ORG_NISC) &&
	    !principal_has(who, ROLE_DELEGATE))
		return fail(e, 403, NULL, "good practices are recorded by the audit team");
	if (strcmp(eng.state, "cancelled") == 0)
		return fail(e, 409, NULL, "the engagement is cancelled");
	static const char *const keys[] = {"title", "description", "anonymise", NULL};
	const char *title, *desc;
	if (!only_keys(input, keys, e) || !req_text(input, "title", TITLE_MAX, &title, e) ||
	    !req_text(input, "description", TEXT_MAX, &desc, e))
		return CSHQ_EINVAL;
	json_t *an = json_object_get(input, "anonymise");
	if (an && !json_is_boolean(an))
		return fail(e, 422, NULL, "anonymise: true or false");
	struct store_stmt *st;
	rc = store_prepare(db,
	                   "INSERT INTO audit_good_practices (engagement_id, org, fiscal_year, "
	                   "title, description, anonymise, "
	                   "state, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, "
	                   "$6, 'recorded', $7, $8, $7) "
	                   "RETURNING id",
	                   &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, engagement);
		store_bind_text(st, 2, eng.org);
		store_bind_int64(st, 3, eng.fiscal_year);
		store_bind_text(st, 4, title);
		store_bind_text(st, 5, desc);
		store_bind_int64(st, 6, json_is_true(an));
		store_bind_int64(st, 7, time_now());
		store_bind_text(st, 8, who->login);
		rc = store_step(st);
		if (rc == STORE_ROW) {
			*id = store_column_int64(st, 0);
			while ((rc = store_step(st)) == STORE_ROW)
				;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc != CSHQ_OK)
		return fail_rc(e, rc);
	static const struct wf_cite c[] = {C_AP("3", 1)};
	json_t *basis = cites_json(date_today(), c, 1);
	json_t *detail = json_pack("{s:I}", "engagement", (json_int_t)engagement);
	rc = wf_timeline_add(db, who, AUDIT_KIND_PRACTICE, *id, "create", NULL, "recorded", detail,
	                     basis);
	json_decref(detail);
	json_decref(basis);
	return rc == CSHQ_OK ? CSHQ_OK : fail_rc(e, rc);
}

static json_t *practice_published_json(struct store *db, struct store_stmt *st, int col0)
{
	/* columns: id, fiscal_year, org, anonymise, published_title, published_description,
	 * published_at */
	bool anon = store_column_int64(st, col0 + 3) != 0;
	const char *org = store_column_text(st, col0 + 2);
	char ja[256] = "", en[256] = "";
	if (!anon)
		audit_org_names(db, org, ja, en);
	return json_pack(
	    "{s:I, s:i, s:o, s:o, s:o, s:b, s:s, s:s, s:o}", "id",
	    (json_int_t)store_column_int64(st, col0), "fiscal_year",
	    (int)store_column_int64(st, col0 + 1), "org", anon ? json_null() : json_string(org),
	    "org_name_ja", anon ? json_null() : json_string(ja), "org_name_en",
	    anon ? json_null() : json_string(en), "anonymised", anon, "title",
	    store_column_text(st, col0 + 4), "description", store_column_text(st, col0 + 5),
	    "published_at", audit_time_json(store_column_int64(st, col0 + 6)));
}

int audit_practice_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_practice_machine, id, &ctx);
	if (rc == CSHQ_ENOTFOUND && ctx.status == 404 && strcmp(ctx.state, "published") == 0 &&
	    audit_has_org_scope(who)) {
		/* published to every body: only the published (possibly anonymised) text */
		wf_ctx_release(&ctx);
		struct store_stmt *st;
		if ((rc = store_prepare(db,
		                        "SELECT id, fiscal_year, org, anonymise, published_title, "
		                        "published_description, "
		                        "published_at FROM audit_good_practices WHERE id = $1",
		                        &st)) != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, id);
		rc = store_step(st);
		if (rc != STORE_ROW)
			return CSHQ_ERR;
		json_t *j = practice_published_json(db, st, 0);
		while (store_step(st) == STORE_ROW)
			;
		*out = j;
		return CSHQ_OK;
	}
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	struct practice_rec *r = ctx.record;
	struct store_stmt *st;
	json_t *j = NULL;
	rc = store_prepare(
	    db,
	    "SELECT published_title, published_description, published_at, created_at FROM "
	    "audit_good_practices WHERE id = $1",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		if (store_step(st) == STORE_ROW) {
			bool pub = !store_column_is_null(st, 2);
			j = json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:b, s:s, s:o, s:o}", "id",
			              (json_int_t)id, "engagement", (json_int_t)r->e.id, "org",
			              ctx.subject_org, "fiscal_year", r->e.fiscal_year, "title",
			              r->title, "description", r->description, "anonymise",
			              r->anonymise, "state", ctx.state, "published",
			              pub ? json_pack("{s:s, s:s, s:o}", "title",
			                              store_column_text(st, 0), "description",
			                              store_column_text(st, 1), "at",
			                              audit_time_json(store_column_int64(st, 2)))
			                  : json_null(),
			              "created_at", audit_time_json(store_column_int64(st, 3)));
			while (store_step(st) == STORE_ROW)
				;
		}
	}
	json_t *tl = NULL;
	if (j && (rc = wf_timeline_json(db, AUDIT_KIND_PRACTICE, id, &tl)) == CSHQ_OK) {
		json_object_set_new(j, "allowed_actions", wf_allowed_actions(&ctx));
		json_object_set_new(j, "timeline", tl);
		*out = j;
	} else {
		json_decref(j);
		if (rc == CSHQ_OK)
			rc = CSHQ_ERR;
	}
	wf_ctx_release(&ctx);
	return rc;
}

int audit_practices_published(struct store *db, const struct principal *who, long fiscal_year,
                              json_t **out)
{
	if (!audit_has_org_scope(who) && !principal_is_nisc(who)) {
		*out = json_pack("{s:[], s:n}", "items", "next_cursor");
		return CSHQ_OK;
	}
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    fiscal_year
	        ? "SELECT id, fiscal_year, org, anonymise, published_title, published_description, "
	          "published_at FROM audit_good_practices WHERE state = 'published' AND "
	          "fiscal_year = $1 ORDER BY published_at DESC, id DESC"
	        : "SELECT id, fiscal_year, org, anonymise, published_title, published_description, "
	          "published_at FROM audit_good_practices WHERE state = 'published' ORDER BY "
	          "published_at DESC, id DESC",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	if (fiscal_year)
		store_bind_int64(st, 1, fiscal_year);
	/* collect first: names are looked up with other statements */
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *j =
		    json_pack("{s:I, s:i, s:s, s:b, s:s, s:s, s:I}", "id",
		              (json_int_t)store_column_int64(st, 0), "fiscal_year",
		              (int)store_column_int64(st, 1), "org", store_column_text(st, 2),
		              "anonymised", store_column_int64(st, 3) != 0, "title",
		              store_column_text(st, 4), "description", store_column_text(st, 5),
		              "published_at", (json_int_t)store_column_int64(st, 6));
		json_array_append_new(items, j);
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	size_t i;
	json_t *j;
	json_array_foreach(items, i, j)
	{
		bool anon = json_is_true(json_object_get(j, "anonymised"));
		char ja[256] = "", en[256] = "";
		if (!anon)
			audit_org_names(db, json_string_value(json_object_get(j, "org")), ja, en);
		json_object_set_new(
		    j, "published_at",
		    audit_time_json(json_integer_value(json_object_get(j, "published_at"))));
		if (anon) {
			json_object_set_new(j, "org", json_null());
			json_object_set_new(j, "org_name_ja", json_null());
			json_object_set_new(j, "org_name_en", json_null());
		} else {
			json_object_set_new(j, "org_name_ja", json_string(ja));
			json_object_set_new(j, "org_name_en", json_string(en));
		}
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CSHQ_OK;
}

/* ------------------------------------------------------------------ engagement JSON */

static int practices_of(struct store *db, int64_t engagement, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "SELECT id, title, description, anonymise, state, published_at FROM "
	                       "audit_good_practices "
	                       "WHERE engagement_id = $1 ORDER BY id",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, engagement);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:s, s:b, s:s, s:o}", "id",
		                 (json_int_t)store_column_int64(st, 0), "title",
		                 store_column_text(st, 1), "description", store_column_text(st, 2),
		                 "anonymise", store_column_int64(st, 3) != 0, "state",
		                 store_column_text(st, 4), "published_at",
		                 audit_time_json(
		                     store_column_is_null(st, 5) ? 0 : store_column_int64(st, 5))));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*out = a;
	return CSHQ_OK;
}

int audit_engagement_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &audit_engagement_machine, id, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	const struct audit_eng *e = ctx.record;
	struct store_stmt *st;
	json_t *j = NULL;
	rc = store_prepare(
	    db,
	    "SELECT scope, method, end_date, experts, themes, reason, applies, method_agreed_at, "
	    "method_agreed_by, created_at, created_by FROM audit_engagements WHERE id = $1",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		if (store_step(st) == STORE_ROW) {
			json_t *experts = json_loads(store_column_text(st, 3), 0, NULL);
			json_t *themes = json_loads(store_column_text(st, 4), 0, NULL);
			bool agreed = !store_column_is_null(st, 7);
			j = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:o, "
			              "s:o, s:s, s:o, s:o, s:s}",
			              "id", (json_int_t)id, "uuid", e->uuid, "org", e->org,
			              "fiscal_year", e->fiscal_year, "type", e->type, "scope",
			              store_column_text(st, 0), "method", store_column_text(st, 1),
			              "start", audit_date_json(e->start_date), "end",
			              store_column_is_null(st, 2)
			                  ? json_null()
			                  : audit_date_json((int32_t)store_column_int64(st, 2)),
			              "experts", experts ? experts : json_array(), "themes",
			              themes ? themes : json_array(), "reason",
			              audit_str_json(store_column_text(st, 5)), "applies",
			              store_column_text(st, 6), "method_agreed",
			              agreed ? json_pack("{s:o, s:s}", "at",
			                                 audit_time_json(store_column_int64(st, 7)),
			                                 "by", store_column_text(st, 8))
			                     : json_null(),
			              "created_at", audit_time_json(store_column_int64(st, 9)),
			              "created_by", store_column_text(st, 10));
			while (store_step(st) == STORE_ROW)
				;
		}
	}
	if (!j) {
		wf_ctx_release(&ctx);
		return CSHQ_ERR;
	}
	char ja[256], en[256];
	audit_org_names(db, e->org, ja, en);
	json_object_set_new(j, "org_name_ja", json_string(ja));
	json_object_set_new(j, "org_name_en", json_string(en));
	json_object_set_new(j, "state", json_string(ctx.state));
	bool open = false;
	if (e->delegate_org[0])
		open_grant(db, id, e->delegate_org, &open);
	json_object_set_new(j, "delegate_org",
	                    e->delegate_org[0] ? json_string(e->delegate_org) : json_null());
	json_object_set_new(j, "delegation_open", json_boolean(open));
	json_object_set_new(j, "published_at", audit_time_json(e->published_at));
	json_object_set_new(j, "delivered_at", audit_time_json(e->delivered_at));
	json_object_set_new(j, "allowed_actions", wf_allowed_actions(&ctx));
	/* the route the results take (AuditPolicy 5(3)), as the regime answers it today */
	struct registry_subject s;
	if ((rc = registry_subject(db, e->org, date_today(), &s)) == CSHQ_OK) {
		struct regime_answer a;
		regime_evaluate(RF_AUDIT, &s.facts, date_today(), &a);
		json_t *via = json_array();
		for (size_t i = 0; a.route == ROUTE_VIA && i < a.n_via; i++)
			json_array_append_new(via, json_string(a.via[i]));
		json_object_set_new(j, "route",
		                    json_pack("{s:s, s:o, s:o}", "type",
		                              a.route == ROUTE_VIA ? "via" : "direct", "via", via,
		                              "basis", answer_basis(&a)));
	}
	/* results: the findings, once they have reached the caller's organisation */
	bool results =
	    audit_results_visible(db, who, id, e->org, e->confidentiality, e->state) == CSHQ_OK;
	json_object_set_new(j, "results_visible", json_boolean(results));
	json_t *x = NULL;
	if (rc == CSHQ_OK && results && (rc = audit_findings_of(db, who, id, &x)) == CSHQ_OK) {
		json_object_set_new(j, "findings", json_incref(json_object_get(x, "items")));
		json_decref(x);
	}
	if (rc == CSHQ_OK && (rc = practices_of(db, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "good_practices", x);
	if (rc == CSHQ_OK && (rc = notices_json(db, who, AUDIT_KIND_ENGAGEMENT, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "notices", x);
	if (rc == CSHQ_OK && (rc = wf_timeline_json(db, AUDIT_KIND_ENGAGEMENT, id, &x)) == CSHQ_OK)
		json_object_set_new(j, "timeline", x);
	/* follow-up of earlier years' important findings (AuditPolicy 5(2)); not for a delegate,
	 * whose access is this engagement only */
	if (rc == CSHQ_OK && audit_has_org_scope(who)) {
		json_t *f = NULL;
		int frc = audit_followups_json(db, who, e->org, e->fiscal_year, &f);
		if (frc == CSHQ_OK) {
			json_object_set_new(j, "followups",
			                    json_incref(json_object_get(f, "items")));
			json_decref(f);
		} else if (frc != CSHQ_ENOTFOUND) {
			rc = frc;
		}
	}
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CSHQ_OK;
}

int audit_engagement_list(struct store *db, const struct principal *who,
                          const struct audit_filter *f, json_t **out)
{
	if (who->kind != PRINCIPAL_USER || !(who->roles & ~ROLE_BIT(ROLE_ADMIN))) {
		*out = json_pack("{s:[], s:n}", "items", "next_cursor");
		return CSHQ_OK;
	}
	int rc;
	if (f->org) {
		bool in = false;
		if ((rc = vis_org_in_scope(db, who, f->org, &in)) != CSHQ_OK)
			return rc;
		if (!in) {
			/* a delegate sees the bodies of its open delegations only */
			struct store_stmt *st;
			if ((rc = store_prepare(db,
			                        "SELECT 1 FROM audit_engagements e JOIN "
			                        "access_grants g ON g.record_kind = "
			                        "'audit_engagement' AND g.record_id = e.id AND "
			                        "g.grantee_org = $2 AND "
			                        "g.until_at IS NULL WHERE e.org = $1",
			                        &st)) != CSHQ_OK)
				return rc;
			store_bind_text(st, 1, f->org);
			store_bind_text(st, 2, who->org);
			rc = store_step(st);
			in = rc == STORE_ROW;
			while (rc == STORE_ROW)
				rc = store_step(st);
			if (rc != STORE_DONE)
				return CSHQ_ERR;
			if (!in)
				return CSHQ_ENOTFOUND;
		}
	}
	struct buf sql = BUF_INIT(8192);
	buf_puts(&sql, "SELECT e.id, e.org, o.name_ja, o.name_en, e.fiscal_year, e.type, e.state, "
	               "e.start_date, "
	               "e.delegate_org, e.confidentiality FROM audit_engagements e JOIN orgs o ON "
	               "o.code = e.org WHERE ");
	rc = vis_list_condition(who, AUDIT_KIND_ENGAGEMENT, "e.org", "e.id", "e.confidentiality", 1,
	                        2, &sql);
	int n = 2;
	if (f->fiscal_year)
		buf_printf(&sql, " AND e.fiscal_year = $%d", ++n);
	if (f->org)
		buf_printf(&sql, " AND e.org = $%d", ++n);
	if (f->state)
		buf_printf(&sql, " AND e.state = $%d", ++n);
	buf_printf(&sql, " AND e.id > $%d ORDER BY e.id LIMIT $%d", n + 1, n + 2);
	struct store_stmt *st;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	buf_release(&sql);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, who->org);
	store_bind_int64(st, 2, who->user_id);
	n = 2;
	if (f->fiscal_year)
		store_bind_int64(st, ++n, f->fiscal_year);
	if (f->org)
		store_bind_text(st, ++n, f->org);
	if (f->state)
		store_bind_text(st, ++n, f->state);
	store_bind_int64(st, n + 1, f->after);
	store_bind_int64(st, n + 2, f->limit);
	json_t *items = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		int32_t sd = (int32_t)store_column_int64(st, 7);
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:i}", "id",
		              (json_int_t)store_column_int64(st, 0), "org",
		              store_column_text(st, 1), "org_name_ja", store_column_text(st, 2),
		              "org_name_en", store_column_text(st, 3), "fiscal_year",
		              (int)store_column_int64(st, 4), "type", store_column_text(st, 5),
		              "state", store_column_text(st, 6), "start", audit_date_json(sd),
		              "delegate_org", audit_str_json(store_column_text(st, 8)),
		              "confidentiality", (int)store_column_int64(st, 9)));
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	/* per row: the number of findings where the results have reached the caller (this
	 * also logs each row a delegate reads) */
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		int64_t eid = json_integer_value(json_object_get(it, "id"));
		int vrc = audit_results_visible(
		    db, who, eid, json_string_value(json_object_get(it, "org")),
		    (int)json_integer_value(json_object_get(it, "confidentiality")),
		    json_string_value(json_object_get(it, "state")));
		json_object_del(it, "confidentiality");
		if (vrc == CSHQ_ERR) {
			json_decref(items);
			return CSHQ_ERR;
		}
		if (vrc != CSHQ_OK)
			continue;
		int64_t *ids;
		size_t nf, imp = 0;
		if (audit_ids(db,
		              "SELECT important FROM audit_findings WHERE engagement_id = $1 AND "
		              "state <> 'withdrawn'",
		              eid, &ids, &nf) != CSHQ_OK) {
			json_decref(items);
			return CSHQ_ERR;
		}
		for (size_t k = 0; k < nf; k++)
			imp += ids[k] != 0;
		free(ids);
		json_object_set_new(it, "findings", json_integer((json_int_t)nf));
		json_object_set_new(it, "important_findings", json_integer((json_int_t)imp));
	}
	json_t *next = json_null();
	if ((long)json_array_size(items) == f->limit && f->limit > 0) {
		char c[32];
		snprintf(c, sizeof(c), "%lld",
		         (long long)json_integer_value(json_object_get(
		             json_array_get(items, json_array_size(items) - 1), "id")));
		next = json_string(c);
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor", next);
	return CSHQ_OK;
}
