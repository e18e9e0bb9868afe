/* cymat_report.c: the periodic report of CYMAT's activity to the council (CymatRules 16):
 * counts by category and fiscal quarter, and the summary that is published, which names
 * no body and carries no text of any record (counts and categories only). */
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/cymat_impl.h"

static void inc(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + 1));
}

/* A counter group inside obj, created on first use. */
static json_t *group(json_t *obj, const char *key)
{
	json_t *g = json_object_get(obj, key);
	if (!g) {
		g = json_object();
		json_object_set_new(obj, key, g);
	}
	return g;
}

/* "FY2016Q3": the Japanese fiscal year and its quarter (April-June = Q1). */
static void quarter_of(int64_t t, char out[16])
{
	int32_t d = date_of_instant(t);
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	int q = m >= 4 ? (m - 4) / 3 + 1 : 4;
	snprintf(out, 16, "FY%dQ%d", fiscal_year_of(d), q);
}

static int64_t start_of(int32_t date)
{
	return (int64_t)date * 86400 - JST_OFFSET_SECONDS;
}

/* Counts the rows of one query: column 0 the instant, then (name, column) categories. */
struct category {
	const char *name;
	int col;
};

static int count_rows(struct store *db, json_t *section, json_t *by_quarter, json_t *by_org,
                      const char *sql, int64_t from, int64_t until, const struct category *cats,
                      size_t ncats, int org_col)
{
	struct store_stmt *st;
	int rc = cymat_query(db, &st, sql, "ii", from, until);
	if (rc != CSHQ_OK)
		return rc;
	while ((rc = store_step(st)) == STORE_ROW) {
		inc(section, "total");
		for (size_t i = 0; i < ncats; i++)
			inc(group(section, cats[i].name), cymat_col_text(st, cats[i].col));
		if (by_quarter) {
			char q[16];
			quarter_of(store_column_int64(st, 0), q);
			inc(by_quarter, q);
		}
		if (by_org && org_col >= 0)
			inc(by_org, cymat_col_text(st, org_col));
	}
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

int cymat_report_json(struct store *db, int32_t from, int32_t until, bool published, json_t **out)
{
	*out = NULL;
	int64_t t0 = start_of(from), t1 = start_of(until);
	json_t *j = json_object();
	char f[11], u[11];
	date_format(from, f);
	date_format(until, u);
	json_object_set_new(j, "period", json_pack("{s:s, s:s}", "from", f, "until", u));
	json_object_set_new(j, "published", json_boolean(published));
	json_t *req = group(j, "requests"), *disp = group(j, "dispatches"),
	       *dmg = group(j, "damage_reports");
	json_t *act = group(j, "activities"), *trn = group(j, "trainings");
	json_object_set_new(req, "total", json_integer(0));
	json_object_set_new(disp, "total", json_integer(0));
	json_object_set_new(dmg, "total", json_integer(0));
	json_object_set_new(act, "total", json_integer(0));
	json_object_set_new(trn, "total", json_integer(0));
	json_t *rq_q = group(req, "by_quarter"), *dp_q = group(disp, "by_quarter");
	json_t *rq_org = published ? NULL : group(req, "by_subject"),
	       *dp_org = published ? NULL : group(disp, "by_subject");

	static const struct category rcat[] = {
	    {"by_channel", 1}, {"by_paragraph", 2}, {"by_subject_kind", 3}, {"by_state", 4}};
	int rc = count_rows(
	    db, req, rq_q, rq_org,
	    "SELECT q.created_at, q.channel, CAST(q.paragraph AS TEXT), o.kind, q.state, q.subject "
	    "FROM cymat_requests q JOIN orgs o ON o.code = q.subject "
	    "WHERE q.created_at >= $1 AND q.created_at < $2",
	    t0, t1, rcat, CSHQ_ARRAY_LEN(rcat), 5);
	static const struct category dcat[] = {
	    {"by_paragraph", 1}, {"by_subject_kind", 2}, {"by_state", 3}, {"major_emergency", 4}};
	if (rc == CSHQ_OK)
		rc = count_rows(
		    db, disp, dp_q, dp_org,
		    "SELECT d.created_at, CAST(d.paragraph AS TEXT), o.kind, d.state, "
		    "CASE WHEN d.major_emergency = 1 THEN 'yes' ELSE 'no' END, d.subject "
		    "FROM cymat_dispatches d JOIN orgs o ON o.code = d.subject "
		    "WHERE d.created_at >= $1 AND d.created_at < $2",
		    t0, t1, dcat, CSHQ_ARRAY_LEN(dcat), 5);
	static const struct category mcat[] = {{"by_class", 1}, {"counts_as_gsoc_report", 2}};
	if (rc == CSHQ_OK)
		rc = count_rows(db, dmg, NULL, NULL,
		                "SELECT at, CAST(confidentiality AS TEXT), "
		                "CASE WHEN counts_as_gsoc_report = 1 THEN 'yes' ELSE 'no' END "
		                "FROM cymat_damage_reports WHERE at >= $1 AND at < $2",
		                t0, t1, mcat, CSHQ_ARRAY_LEN(mcat), -1);
	static const struct category acat[] = {{"by_category", 1}};
	if (rc == CSHQ_OK)
		rc = count_rows(
		    db, act, NULL, NULL,
		    "SELECT at, category FROM cymat_activities WHERE at >= $1 AND at < $2", t0, t1,
		    acat, CSHQ_ARRAY_LEN(acat), -1);
	static const struct category tcat[] = {{"by_kind", 1}};
	if (rc == CSHQ_OK)
		rc = count_rows(db, trn, NULL, NULL,
		                "SELECT created_at, kind FROM cymat_trainings WHERE held_from >= "
		                "$1 AND held_from < $2",
		                (int64_t)from, (int64_t)until, tcat, CSHQ_ARRAY_LEN(tcat), -1);
	int64_t participants = 0, trainees = 0;
	if (rc == CSHQ_OK)
		rc = cymat_int(db, &participants, 0,
		               "SELECT count(*) FROM cymat_training_participants tp JOIN "
		               "cymat_trainings t ON t.id = tp.training "
		               "WHERE t.held_from >= $1 AND t.held_from < $2",
		               "ii", (int64_t)from, (int64_t)until);
	if (rc == CSHQ_OK)
		rc =
		    cymat_int(db, &trainees, 0,
		              "SELECT count(*) FROM cymat_training_participants tp JOIN "
		              "cymat_trainings t ON t.id = tp.training "
		              "JOIN cymat_roster r ON r.id = tp.roster "
		              "WHERE t.held_from >= $1 AND t.held_from < $2 AND r.role = 'trainee'",
		              "ii", (int64_t)from, (int64_t)until);
	json_object_set_new(trn, "participants", json_integer(participants));
	json_object_set_new(trn, "trainee_participants", json_integer(trainees));
	/* the roster as it stood at the end of the period */
	json_t *roster = group(j, "roster_at_end");
	struct store_stmt *st;
	if (rc == CSHQ_OK)
		rc = cymat_query(db, &st,
		                 "SELECT role, count(*) FROM cymat_roster WHERE from_at < $1 AND "
		                 "(until_at IS NULL OR "
		                 "until_at >= $1) GROUP BY role ORDER BY role",
		                 "i", t1);
	if (rc == CSHQ_OK) {
		while ((rc = store_step(st)) == STORE_ROW)
			json_object_set_new(roster, cymat_col_text(st, 0),
			                    json_integer(store_column_int64(st, 1)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	static const struct wf_cite c16[] = {{"CymatRules", "16", 0, 0}};
	json_object_set_new(j, "basis", cymat_cites_json(c16, 1, until - 1));
	if (rc != CSHQ_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CSHQ_OK;
}
