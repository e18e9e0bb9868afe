/* audit_followup.c: follow-up of important findings across fiscal years (AuditPolicy 5(2))
 * with the change since the start of the year by finding, and the annual summary to HQ
 * (AuditPolicy 5(4)) with its redaction rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/audit_impl.h"
#include "modules/basis.h"

static const char REDACTED[] = "［非表示］";

/* The instant a fiscal year starts (00:00 JST on April 1). */
static int64_t fy_start_instant(int fy)
{
	return (int64_t)fiscal_year_start(fy) * 86400 - JST_OFFSET_SECONDS;
}

static json_t *cite_json(const char *doc, const char *art, int par)
{
	const struct regime_citation *c = regime_cite(doc, art, par, 0, date_today());
	return basis_json(&c, 1);
}

/* ------------------------------------------------------------------ follow-up */

struct fu_row {
	int64_t finding, engagement, closed_at;
	int confidentiality;
	char eng_state[24], state[24];
};

static int fu_rows(struct store *db, const char *sql, const char *org, int fy, const char *req,
                   struct fu_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(db, sql, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_int64(st, 2, fy);
	if (req)
		store_bind_text(st, 3, req);
	size_t cap = 0;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*rows = xrealloc(*rows, cap * sizeof(**rows));
		}
		struct fu_row *r = &(*rows)[(*n)++];
		r->finding = store_column_int64(st, 0);
		r->engagement = store_column_int64(st, 1);
		snprintf(r->eng_state, sizeof(r->eng_state), "%s", store_column_text(st, 2));
		r->confidentiality = (int)store_column_int64(st, 3);
		snprintf(r->state, sizeof(r->state), "%s", store_column_text(st, 4));
		r->closed_at = store_column_is_null(st, 5) ? 0 : store_column_int64(st, 5);
	}
	if (rc != STORE_DONE) {
		free(*rows);
		*rows = NULL;
		*n = 0;
		return CSHQ_ERR;
	}
	return CSHQ_OK;
}

/* The state of a finding at an instant (NULL before it existed), and its steps since. */
static int history(struct store *db, int64_t id, int64_t since, char prev[24], json_t **events)
{
	prev[0] = '\0';
	struct store_stmt *st;
	int rc = store_prepare(db,
	                       "SELECT to_state FROM wf_timeline WHERE record_kind = "
	                       "'audit_finding' AND record_id = $1 "
	                       "AND at < $2 ORDER BY id DESC LIMIT 1",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, since);
	while ((rc = store_step(st)) == STORE_ROW)
		if (!prev[0] && store_column_text(st, 0))
			snprintf(prev, 24, "%s", store_column_text(st, 0));
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	if ((rc = store_prepare(db,
	                        "SELECT at, action, from_state, to_state, org FROM wf_timeline "
	                        "WHERE record_kind = "
	                        "'audit_finding' AND record_id = $1 AND at >= $2 ORDER BY id",
	                        &st)) != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, since);
	json_t *a = json_array();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(a, json_pack("{s:o, s:s, s:o, s:o, s:s}", "at",
		                                   audit_time_json(store_column_int64(st, 0)),
		                                   "action", store_column_text(st, 1), "from",
		                                   audit_str_json(store_column_text(st, 2)), "to",
		                                   audit_str_json(store_column_text(st, 3)), "org",
		                                   store_column_text(st, 4)));
	if (rc != STORE_DONE) {
		json_decref(a);
		return CSHQ_ERR;
	}
	*events = a;
	return CSHQ_OK;
}

static const char SQL_OPEN_EARLIER[] =
    "SELECT f.id, f.engagement_id, e.state, e.confidentiality, f.state, f.closed_at FROM "
    "audit_findings f "
    "JOIN audit_engagements e ON e.id = f.engagement_id WHERE f.org = $1 AND f.fiscal_year < $2 "
    "AND f.important = 1 AND f.state <> 'draft' AND f.state <> 'withdrawn' ORDER BY f.fiscal_year, "
    "f.id";
static const char SQL_SAME_REQUIREMENT[] =
    "SELECT f.id, f.engagement_id, e.state, e.confidentiality, f.state, f.closed_at FROM "
    "audit_findings f "
    "JOIN audit_engagements e ON e.id = f.engagement_id WHERE f.org = $1 AND f.fiscal_year = $2 "
    "AND f.requirement = $3 AND f.state <> 'draft' AND f.state <> 'withdrawn' ORDER BY f.id";

static int followup_item(struct store *db, const struct principal *who, const struct fu_row *r,
                         int fy, int64_t since, json_t **out)
{
	struct audit_finding_row f;
	int rc = audit_finding_fetch(db, r->finding, &f);
	if (rc != CSHQ_OK)
		return rc;
	char prev[24];
	json_t *events = NULL;
	rc = history(db, f.id, since, prev, &events);
	/* the same requirement found again in this year's engagements */
	json_t *recurring = json_array();
	if (rc == CSHQ_OK && f.requirement) {
		struct fu_row *same;
		size_t n;
		if ((rc = fu_rows(db, SQL_SAME_REQUIREMENT, f.org, fy, f.requirement, &same, &n)) ==
		    CSHQ_OK) {
			for (size_t i = 0; i < n; i++)
				if (audit_results_visible(db, who, same[i].engagement, f.org,
				                          same[i].confidentiality,
				                          same[i].eng_state) == CSHQ_OK)
					json_array_append_new(recurring,
					                      json_integer(same[i].finding));
			free(same);
		}
	}
	/* the latest report back */
	json_t *latest = json_null();
	struct store_stmt *st;
	if (rc == CSHQ_OK && (rc = store_prepare(db,
	                                         "SELECT kind, due_date, state, created_at FROM "
	                                         "audit_reports WHERE finding_id = $1 "
	                                         "ORDER BY id DESC LIMIT 1",
	                                         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, f.id);
		while ((rc = store_step(st)) == STORE_ROW)
			if (json_is_null(latest))
				latest = json_pack(
				    "{s:s, s:o, s:s, s:o}", "kind", store_column_text(st, 0), "due",
				    store_column_is_null(st, 1)
				        ? json_null()
				        : audit_date_json((int32_t)store_column_int64(st, 1)),
				    "state", store_column_text(st, 2), "at",
				    audit_time_json(store_column_int64(st, 3)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK) {
		bool changed = !prev[0] || strcmp(prev, f.state) != 0;
		*out = json_pack(
		    "{s:I, s:I, s:i, s:i, s:s, s:s, s:o, s:s, s:o, s:s, s:b, s:o, s:o, s:i, s:o}",
		    "finding", (json_int_t)f.id, "engagement", (json_int_t)f.engagement,
		    "fiscal_year", f.fiscal_year, "seq", f.seq, "title", f.title, "severity",
		    f.severity, "requirement", audit_str_json(f.requirement), "state", f.state,
		    "previous_state", prev[0] ? json_string(prev) : json_null(), "change",
		    !prev[0]                         ? "new"
		    : !changed                       ? "unchanged"
		    : strcmp(f.state, "closed") == 0 ? "resolved"
		                                     : "progressed",
		    "changed", changed, "events", events, "latest_report", latest, "years_open",
		    fy - f.fiscal_year, "recurring_in", recurring);
		events = latest = recurring = NULL;
	}
	json_decref(events);
	json_decref(latest);
	json_decref(recurring);
	audit_finding_row_release(&f);
	return rc;
}

int audit_followups_json(struct store *db, const struct principal *who, const char *org,
                         int fiscal_year, json_t **out)
{
	if (!audit_has_org_scope(who))
		return CSHQ_ENOTFOUND; /* a delegate sees its engagement only */
	bool in = false;
	int rc = vis_org_in_scope(db, who, org, &in);
	if (rc != CSHQ_OK)
		return rc;
	if (!in)
		return CSHQ_ENOTFOUND;
	char ja[256], en[256];
	if ((rc = audit_org_names(db, org, ja, en)) != CSHQ_OK)
		return rc;
	if (!ja[0])
		return CSHQ_ENOTFOUND;
	struct fu_row *rows;
	size_t n;
	if ((rc = fu_rows(db, SQL_OPEN_EARLIER, org, fiscal_year, NULL, &rows, &n)) != CSHQ_OK)
		return rc;
	int64_t since = fy_start_instant(fiscal_year);
	json_t *items = json_array(), *resolved = json_array();
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		const struct fu_row *r = &rows[i];
		bool closed = strcmp(r->state, "closed") == 0;
		if (closed && r->closed_at < since)
			continue; /* resolved before this year began */
		int v = audit_results_visible(db, who, r->engagement, org, r->confidentiality,
		                              r->eng_state);
		if (v == CSHQ_ENOTFOUND)
			continue; /* not yet delivered to this caller */
		if (v != CSHQ_OK) {
			rc = v;
			break;
		}
		json_t *item;
		if ((rc = followup_item(db, who, r, fiscal_year, since, &item)) == CSHQ_OK)
			json_array_append_new(closed ? resolved : items, item);
	}
	free(rows);
	if (rc != CSHQ_OK) {
		json_decref(items);
		json_decref(resolved);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:n, s:o}", "org", org, "org_name_ja",
	                 ja, "fiscal_year", fiscal_year, "since",
	                 audit_date_json(fiscal_year_start(fiscal_year)), "items", items,
	                 "resolved", resolved, "basis", cite_json("AuditPolicy", "5", 2),
	                 "next_cursor", "as_of", audit_date_json(date_today()));
	return CSHQ_OK;
}

/* ------------------------------------------------------------------ redaction */

static bool is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Whether s contains term (ASCII case-insensitively), as a whole word when word. */
static bool contains(const char *s, const char *term, bool word)
{
	size_t tl = strlen(term);
	if (!tl)
		return false;
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, term, tl) != 0)
			continue;
		if (!word || ((p == s || !is_word_char((unsigned char)p[-1])) &&
		              !is_word_char((unsigned char)p[tl])))
			return true;
	}
	return false;
}

struct terms {
	char **word; /* organisation codes: matched as words */
	size_t n_word;
	char **text; /* names and quoted texts: matched anywhere */
	size_t n_text;
};

static void terms_add(char ***arr, size_t *n, const char *s)
{
	if (*n % 64 == 0)
		*arr = xrealloc(*arr, (*n + 64) * sizeof(**arr));
	(*arr)[(*n)++] = xstrdup(s);
}

static void terms_release(struct terms *t)
{
	for (size_t i = 0; i < t->n_word; i++)
		free(t->word[i]);
	for (size_t i = 0; i < t->n_text; i++)
		free(t->text[i]);
	free(t->word);
	free(t->text);
}

/* A text counts when it has at least 4 bytes of content: shorter ones would match anything. */
static void text_term(struct terms *t, const char *s)
{
	if (!s)
		return;
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	if (strlen(s) >= 4)
		terms_add(&t->text, &t->n_text, s);
}

static int org_terms(struct store *db, struct terms *t)
{
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT code, name_ja, name_en FROM orgs", &st);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		terms_add(&t->word, &t->n_word, store_column_text(st, 0));
		text_term(t, store_column_text(st, 1));
		text_term(t, store_column_text(st, 2));
	}
	if (rc != STORE_DONE)
		return CSHQ_ERR;
	if ((rc = store_prepare(db, "SELECT name_ja FROM org_former_names", &st)) != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW)
		text_term(t, store_column_text(st, 0));
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

static bool leaks(const struct terms *t, const char *v)
{
	for (size_t i = 0; i < t->n_word; i++)
		if (contains(v, t->word[i], true))
			return true;
	for (size_t i = 0; i < t->n_text; i++)
		if (strstr(v, t->text[i]))
			return true;
	return false;
}

static void redact_walk(const struct terms *t, json_t *j, size_t *count, int depth)
{
	if (depth > 16)
		return;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
		{
			if (json_is_string(v) && leaks(t, json_string_value(v))) {
				json_string_set(v, REDACTED);
				(*count)++;
			} else {
				redact_walk(t, v, count, depth + 1);
			}
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			if (json_is_string(v) && leaks(t, json_string_value(v))) {
				json_string_set(v, REDACTED);
				(*count)++;
			} else {
				redact_walk(t, v, count, depth + 1);
			}
		}
	}
}

int audit_redact(struct store *db, json_t *doc, const char *const *texts, size_t n_texts,
                 size_t *redacted)
{
	struct terms t = {0};
	int rc = org_terms(db, &t);
	for (size_t i = 0; i < n_texts; i++)
		text_term(&t, texts[i]);
	*redacted = 0;
	if (rc == CSHQ_OK)
		redact_walk(&t, doc, redacted, 0);
	terms_release(&t);
	return rc;
}

/* ------------------------------------------------------------------ summary */

static void inc(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + 1));
}

/* Every user text of the year's audits, for the redaction rule. */
static int year_texts(struct store *db, int fy, char ***out, size_t *n)
{
	static const char *const sqls[] = {
	    "SELECT title, evidence, proposal, requirement FROM audit_findings WHERE fiscal_year = "
	    "$1",
	    "SELECT r.title, r.evidence, r.proposal, r.reason FROM audit_finding_revisions r JOIN "
	    "audit_findings f "
	    "ON f.id = r.finding_id WHERE f.fiscal_year = $1",
	    "SELECT scope, method, reason, experts FROM audit_engagements WHERE fiscal_year = $1",
	    "SELECT r.text, r.text, r.text, r.text FROM audit_reports r JOIN audit_findings f ON "
	    "f.id = r.finding_id "
	    "WHERE f.fiscal_year = $1",
	    "SELECT title, description, title, description FROM audit_good_practices WHERE "
	    "fiscal_year = $1",
	};
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (size_t q = 0; q < CSHQ_ARRAY_LEN(sqls); q++) {
		struct store_stmt *st;
		int rc = store_prepare(db, sqls[q], &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW) {
			for (int c = 0; c < 4; c++) {
				const char *v = store_column_text(st, c);
				if (!v || (c > 0 && q == 3))
					continue;
				if (*n == cap) {
					cap = cap ? cap * 2 : 64;
					*out = xrealloc(*out, cap * sizeof(**out));
				}
				(*out)[(*n)++] = xstrdup(v);
			}
		}
		if (rc != STORE_DONE)
			return CSHQ_ERR;
	}
	return CSHQ_OK;
}

static int summary_build(struct store *db, int fy, json_t **out)
{
	int64_t start = fy_start_instant(fy), end = fy_start_instant(fy + 1);
	json_t *eng =
	    json_pack("{s:i, s:i, s:i, s:{s:i, s:i}, s:{}}", "total", 0, "bodies", 0, "delegated",
	              0, "by_type", "management", 0, "penetration", 0, "by_state");
	json_t *fnd = json_pack("{s:i, s:i, s:{s:i, s:i, s:i, s:i}, s:{}, s:i}", "total", 0,
	                        "important", 0, "by_severity", "low", 0, "medium", 0, "high", 0,
	                        "critical", 0, "by_status", "without_theme", 0);
	json_t *themes = NULL, *by_theme = json_array();
	int rc = CSHQ_OK;
	struct store_stmt *st;
	/* the themes of the year's policy */
	if ((rc = store_prepare(db, "SELECT themes FROM audit_policies WHERE fiscal_year = $1",
	                        &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW)
			if (!themes)
				themes = json_loads(store_column_text(st, 0), 0, NULL);
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	size_t i;
	json_t *t;
	json_array_foreach(themes, i, t) json_array_append_new(
	    by_theme, json_pack("{s:O, s:O, s:i, s:i, s:i}", "theme", json_object_get(t, "code"),
	                        "title", json_object_get(t, "title"), "engagements", 0, "findings",
	                        0, "important", 0));
	/* engagements */
	if (rc == CSHQ_OK && (rc = store_prepare(db,
	                                         "SELECT type, state, delegate_org, themes FROM "
	                                         "audit_engagements WHERE fiscal_year = $1 "
	                                         "AND state <> 'cancelled'",
	                                         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW) {
			inc(eng, "total");
			inc(json_object_get(eng, "by_type"), store_column_text(st, 0));
			inc(json_object_get(eng, "by_state"), store_column_text(st, 1));
			if (store_column_text(st, 2))
				inc(eng, "delegated");
			json_t *et = json_loads(store_column_text(st, 3), 0, NULL);
			size_t k;
			json_t *code;
			json_array_foreach(et, k, code)
			{
				json_t *bt;
				json_array_foreach(by_theme, i,
				                   bt) if (json_equal(json_object_get(bt, "theme"),
				                                      code)) inc(bt, "engagements");
			}
			json_decref(et);
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(
	         db,
	         "SELECT count(DISTINCT org) FROM audit_engagements WHERE fiscal_year = $1 "
	         "AND state <> 'cancelled'",
	         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW)
			json_object_set_new(eng, "bodies", json_integer(store_column_int64(st, 0)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	/* findings as published (drafts and withdrawn drafts are not results) */
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(
	         db,
	         "SELECT f.severity, f.important, f.state, f.theme FROM audit_findings f JOIN "
	         "audit_engagements e ON e.id = f.engagement_id WHERE f.fiscal_year = $1 AND "
	         "f.state <> 'draft' AND f.state <> 'withdrawn' AND e.state <> 'cancelled'",
	         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW) {
			bool imp = store_column_int64(st, 1) != 0;
			inc(fnd, "total");
			if (imp)
				inc(fnd, "important");
			inc(json_object_get(fnd, "by_severity"), store_column_text(st, 0));
			inc(json_object_get(fnd, "by_status"), store_column_text(st, 2));
			const char *th = store_column_text(st, 3);
			bool found = false;
			json_t *bt;
			json_array_foreach(by_theme, i, bt)
			{
				if (th && strcmp(json_string_value(json_object_get(bt, "theme")),
				                 th) == 0) {
					inc(bt, "findings");
					if (imp)
						inc(bt, "important");
					found = true;
				}
			}
			if (!found)
				inc(fnd, "without_theme");
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	/* follow-up across all bodies: counts only */
	int64_t open_earlier = 0, resolved = 0, gp_recorded = 0, gp_published = 0;
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(
	         db,
	         "SELECT count(*) FROM audit_findings WHERE fiscal_year < $1 AND important = 1 "
	         "AND state <> 'draft' AND state <> 'withdrawn' AND (state <> 'closed' OR "
	         "closed_at >= $2)",
	         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		store_bind_int64(st, 2, end);
		while ((rc = store_step(st)) == STORE_ROW)
			open_earlier = store_column_int64(st, 0);
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(
	         db,
	         "SELECT count(*) FROM audit_findings WHERE important = 1 AND state = 'closed' "
	         "AND closed_at >= $1 AND closed_at < $2",
	         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, start);
		store_bind_int64(st, 2, end);
		while ((rc = store_step(st)) == STORE_ROW)
			resolved = store_column_int64(st, 0);
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK &&
	    (rc = store_prepare(
	         db,
	         "SELECT state FROM audit_good_practices WHERE fiscal_year = $1 AND state <> "
	         "'withdrawn'",
	         &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fy);
		while ((rc = store_step(st)) == STORE_ROW) {
			gp_recorded++;
			if (strcmp(store_column_text(st, 0), "published") == 0)
				gp_published++;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_decref(themes);
	if (rc != CSHQ_OK) {
		json_decref(eng);
		json_decref(fnd);
		json_decref(by_theme);
		return rc;
	}
	json_object_set_new(fnd, "by_theme", by_theme);
	*out =
	    json_pack("{s:i, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I}}", "fiscal_year", fy,
	              "engagements", eng, "findings", fnd, "followup",
	              "open_important_from_earlier_years", (json_int_t)open_earlier,
	              "important_resolved_in_year", (json_int_t)resolved, "good_practices",
	              "recorded", (json_int_t)gp_recorded, "published", (json_int_t)gp_published);
	return CSHQ_OK;
}

/* The summary passed through the redaction rule, with the rule and the basis attached. */
static int summary_safe(struct store *db, int fy, json_t **out)
{
	json_t *s;
	int rc = summary_build(db, fy, &s);
	if (rc != CSHQ_OK)
		return rc;
	char **texts;
	size_t n, redacted = 0;
	rc = year_texts(db, fy, &texts, &n);
	if (rc == CSHQ_OK)
		rc = audit_redact(db, s, (const char *const *)texts, n, &redacted);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	if (rc != CSHQ_OK) {
		json_decref(s);
		return rc;
	}
	json_object_set_new(s, "redaction",
	                    json_pack("{s:s, s:I}", "rule",
	                              "aggregates only; a value naming an organisation (code, "
	                              "name, former name) or quoting "
	                              "the text of an audit of the year is replaced",
	                              "redacted", (json_int_t)redacted));
	json_object_set_new(s, "basis", cite_json("AuditPolicy", "5", 4));
	*out = s;
	return CSHQ_OK;
}

int audit_summary_json(struct store *db, const struct principal *who, int fiscal_year, json_t **out)
{
	if (principal_is_nisc(who) || principal_has(who, ROLE_HQ)) {
		json_t *s;
		int rc = summary_safe(db, fiscal_year, &s);
		if (rc != CSHQ_OK)
			return rc;
		struct store_stmt *st;
		json_t *pub = json_null();
		if ((rc = store_prepare(
		         db, "SELECT published_at FROM audit_summaries WHERE fiscal_year = $1",
		         &st)) == CSHQ_OK) {
			store_bind_int64(st, 1, fiscal_year);
			while ((rc = store_step(st)) == STORE_ROW)
				pub = audit_time_json(store_column_int64(st, 0));
			rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
		json_object_set_new(s, "published_at", pub);
		if (rc != CSHQ_OK) {
			json_decref(s);
			return rc;
		}
		*out = s;
		return CSHQ_OK;
	}
	if (!audit_has_org_scope(who))
		return CSHQ_ENOTFOUND;
	/* other bodies: the summary as published, once it is */
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "SELECT body, published_at FROM audit_summaries WHERE fiscal_year = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, fiscal_year);
	json_t *s = NULL;
	while ((rc = store_step(st)) == STORE_ROW)
		if (!s && (s = json_loads(store_column_text(st, 0), 0, NULL)))
			json_object_set_new(s, "published_at",
			                    audit_time_json(store_column_int64(st, 1)));
	if (rc != STORE_DONE) {
		json_decref(s);
		return CSHQ_ERR;
	}
	if (!s)
		return CSHQ_ENOTFOUND;
	*out = s;
	return CSHQ_OK;
}

int audit_summary_publish(struct store *db, const struct principal *who, int fiscal_year,
                          json_t **out, struct audit_error *e)
{
	if (!principal_is_nisc(who) || who->org_kind != ORG_NISC) {
		e->status = 403;
		snprintf(e->detail, sizeof(e->detail),
		         "the annual summary is compiled by NISC (AuditPolicy 5(4), 5(5))");
		return CSHQ_EDENIED;
	}
	json_t *s;
	int rc = summary_safe(db, fiscal_year, &s);
	if (rc != CSHQ_OK) {
		e->status = 500;
		snprintf(e->detail, sizeof(e->detail), "internal error; nothing was changed");
		return rc;
	}
	char *body = json_dumps(s, JSON_COMPACT);
	int64_t now = time_now();
	struct store_stmt *st;
	rc = store_prepare(
	    db,
	    "INSERT INTO audit_summaries (fiscal_year, body, redacted, published_at, published_by) "
	    "VALUES "
	    "($1, $2, $3, $4, $5) ON CONFLICT (fiscal_year) DO UPDATE SET body = excluded.body, "
	    "redacted = excluded.redacted, published_at = excluded.published_at, "
	    "published_by = excluded.published_by",
	    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, fiscal_year);
		store_bind_text(st, 2, body);
		store_bind_int64(st, 3,
		                 json_integer_value(
		                     json_object_get(json_object_get(s, "redaction"), "redacted")));
		store_bind_int64(st, 4, now);
		store_bind_text(st, 5, who->login);
		rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	free(body);
	char id[16];
	snprintf(id, sizeof(id), "%d", fiscal_year);
	if (rc == CSHQ_OK)
		rc = auditlog_append(db, who, "audit_summary_publish", "audit_summary", id, NULL);
	if (rc == CSHQ_OK) {
		json_t *basis = cite_json("AuditPolicy", "5", 4);
		rc = notice_send(db, "hq", NULL, "年度監査実施結果の取りまとめ（報告）",
		                 "audit_summary", fiscal_year, basis);
		json_decref(basis);
	}
	if (rc != CSHQ_OK) {
		json_decref(s);
		e->status = 500;
		snprintf(e->detail, sizeof(e->detail), "internal error; nothing was changed");
		return rc;
	}
	json_object_set_new(s, "published_at", audit_time_json(now));
	*out = s;
	return CSHQ_OK;
}
