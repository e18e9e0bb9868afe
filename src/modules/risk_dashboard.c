/* risk_dashboard.c: the risk evaluation dashboard built from the worksheet (RiskGuideline
 * 2.2(4)ア, 3.1, 3.2: protected domains, target systems, risk results, plan summary and
 * progress against the plan), its PDF, and NISC's aggregate of the reports of a fiscal
 * year (2.2(5)ウ), with a publishable form that names no body. */
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/risk_impl.h"
#ifdef CSHQ_HAVE_PDF
#include "export/pdf.h"
#endif

static json_t *percent(int64_t part, int64_t whole)
{
	return whole > 0 ? json_integer((part * 100 + whole / 2) / whole) : json_null();
}

/* Progress against the previous decided plan: each item planned for a fiscal year before
 * this one is due, and implemented when this year's check shows every component of it
 * implemented on the system. */
static int progress_of(struct store *db, const char *org, int fy, json_t *ws, json_t **out,
		       int64_t *due_out, int64_t *done_out)
{
	int64_t prev = 0;
	int prev_fy = 0;
	int rc = risk_previous_assessment(db, org, fy, &prev, &prev_fy);
	*due_out = *done_out = 0;
	if (rc != CSHQ_OK)
		return rc;
	json_t *items = json_array();
	if (prev) {
		struct store_stmt *st;
		if ((rc = store_prepare(db,
					"SELECT system, countermeasure, fiscal_year FROM risk_plan_items WHERE assessment_id = $1",
					&st)) != CSHQ_OK) {
			json_decref(items);
			return rc;
		}
		store_bind_int64(st, 1, prev);
		while ((rc = store_step(st)) == STORE_ROW) {
			const char *system = store_column_text(st, 0), *cm = store_column_text(st, 1);
			int64_t year = store_column_int64(st, 2);
			int impl = 0, app = 0;
			risk_ws_cm_counts(risk_ws_system(ws, system), cm, &impl, &app);
			bool done = app > 0 && impl == app, due = year < fy;
			if (due) {
				(*due_out)++;
				*done_out += done;
			}
			json_array_append_new(items, json_pack("{s:s, s:s, s:I, s:b, s:b}", "system", system, "countermeasure", cm,
							       "planned_fiscal_year", (json_int_t)year, "due", due, "implemented",
							       done));
		}
		if (rc != STORE_DONE) {
			json_decref(items);
			return CSHQ_ERR;
		}
	}
	*out = json_pack("{s:o, s:I, s:I, s:o, s:o}", "previous",
			 prev ? json_pack("{s:I, s:i}", "id", (json_int_t)prev, "fiscal_year", prev_fy) : json_null(), "due",
			 (json_int_t)*due_out, "implemented", (json_int_t)*done_out, "percent", percent(*done_out, *due_out),
			 "items", items);
	return CSHQ_OK;
}

static bool planned_in(json_t *system, const char *cm, json_int_t *year)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(system, "plan"), i, p) if (strcmp(risk_str(p, "countermeasure"), cm) == 0)
	{
		*year = json_integer_value(json_object_get(p, "fiscal_year"));
		return true;
	}
	return false;
}

static int dashboard_of(struct store *db, const struct risk_assessment *a, const struct risk_set *set,
			json_t *ws, json_t **out)
{
	json_t *systems = json_object_get(ws, "systems");
	size_t i, j;
	json_t *d, *s, *c;
	/* protected domains; a protected domain with no target system drops out */
	json_t *domains = json_array();
	json_array_foreach(json_object_get(ws, "domains"), i, d)
	{
		if (!json_is_true(json_object_get(d, "protected")))
			continue;
		int n = 0;
		json_array_foreach(systems, j, s) n += strcmp(risk_str(s, "domain"), risk_str(d, "name")) == 0;
		json_array_append_new(domains, json_pack("{s:O, s:O, s:O, s:O, s:i, s:b}", "name", json_object_get(d, "name"),
							 "reason", json_object_get(d, "reason"), "categories",
							 json_object_get(d, "categories"), "impact", json_object_get(d, "impact"),
							 "systems", n, "dropped_out", n == 0));
	}
	/* target systems and their risk results */
	json_t *targets = json_array(), *plan_years = json_object();
	int high = 0, medium = 0, low = 0, unchecked = 0, plan_items = 0;
	json_array_foreach(systems, i, s)
	{
		int impl = 0, app = 0;
		json_array_foreach(json_object_get(s, "checks"), j, c)
		{
			app++;
			impl += json_is_true(json_object_get(c, "implemented"));
		}
		const char *rr = risk_str(s, "residual_risk");
		if (!rr)
			unchecked++;
		else if (strcmp(rr, "high") == 0)
			high++;
		else if (strcmp(rr, "medium") == 0)
			medium++;
		else
			low++;
		json_t *plan = json_object_get(s, "plan");
		json_array_foreach(plan, j, c)
		{
			char key[16];
			snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(c, "fiscal_year")));
			json_object_set_new(plan_years, key, json_integer(json_integer_value(json_object_get(plan_years, key)) + 1));
			plan_items++;
		}
		json_array_append_new(targets,
				      json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:i, s:i, s:o, s:o}", "name",
						json_object_get(s, "name"), "domain", json_object_get(s, "domain"), "criterion",
						json_object_get(s, "criterion"), "built_on", json_object_get(s, "built_on"),
						"pulled_in_by", json_object_get(s, "pulled_in_by"), "residual_risk",
						json_object_get(s, "residual_risk"), "applicable", app, "implemented", impl,
						"percent", percent(impl, app), "planned",
						json_is_array(plan) ? json_integer((json_int_t)json_array_size(plan)) : json_null()));
	}
	/* implementation by attack scenario and the fiscal year each control objective is reached */
	json_t *by_scenario = json_array(), *by_objective = json_array(), *tables = json_array();
	json_array_foreach(systems, i, s) json_array_append_new(tables, risk_ws_cm_table(s));
	size_t k, m;
	json_t *sc, *ob, *cmj;
	json_array_foreach(json_object_get(set->body, "scenarios"), i, sc)
	{
		int s_impl = 0, s_app = 0;
		json_array_foreach(json_object_get(sc, "objectives"), j, ob)
		{
			int o_impl = 0, o_app = 0;
			json_int_t reached = a->fiscal_year;
			bool reachable = true;
			json_array_foreach(json_object_get(ob, "countermeasures"), k, cmj)
			{
				const char *cm = risk_str(cmj, "id");
				json_array_foreach(systems, m, s)
				{
					int impl, app;
					risk_ws_table_counts(json_array_get(tables, m), cm, &impl, &app);
					o_impl += impl;
					o_app += app;
					json_int_t year;
					if (impl < app) {
						if (planned_in(s, cm, &year)) {
							if (year > reached)
								reached = year;
						} else {
							reachable = false;
						}
					}
				}
			}
			s_impl += o_impl;
			s_app += o_app;
			if (o_app)
				json_array_append_new(by_objective,
						      json_pack("{s:O, s:O, s:O, s:i, s:i, s:o, s:o}", "objective",
								json_object_get(ob, "id"), "title", json_object_get(ob, "title"),
								"scenario", json_object_get(sc, "id"), "applicable", o_app,
								"implemented", o_impl, "percent", percent(o_impl, o_app), "reached_in",
								reachable ? json_integer(reached) : json_null()));
		}
		json_array_append_new(by_scenario, json_pack("{s:O, s:O, s:i, s:i, s:o}", "scenario", json_object_get(sc, "id"),
							     "title", json_object_get(sc, "title"), "applicable", s_app,
							     "implemented", s_impl, "percent", percent(s_impl, s_app)));
	}
	json_decref(tables);
	json_t *years = json_array();
	for (int y = a->fiscal_year; y <= a->fiscal_year + RISK_PLAN_YEARS; y++) {
		char key[16];
		snprintf(key, sizeof(key), "%d", y);
		json_t *n = json_object_get(plan_years, key);
		if (n)
			json_array_append_new(years, json_pack("{s:i, s:O}", "fiscal_year", y, "items", n));
	}
	json_decref(plan_years);
	json_t *progress = NULL;
	int64_t due, done;
	int rc = progress_of(db, a->org, a->fiscal_year, ws, &progress, &due, &done);
	if (rc != CSHQ_OK) {
		json_decref(domains);
		json_decref(targets);
		json_decref(by_scenario);
		json_decref(by_objective);
		json_decref(years);
		return rc;
	}
	char hash[65];
	risk_ws_hash(a->org, a->fiscal_year, a->set_version, ws, hash);
	const char *approval = a->approval_state;
	if (strcmp(approval, "approved") == 0 && strcmp(hash, a->approved_hash) != 0)
		approval = "void";
	*out = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:{s:s, s:o}, s:b, s:o, s:o, s:o, s:o, s:{s:i, s:i, s:i, s:i}, "
			 "s:{s:i, s:o}, s:o, s:o}",
			 "assessment", (json_int_t)a->id, "org", a->org, "fiscal_year", a->fiscal_year, "countermeasure_set",
			 a->set_version, "state", a->state, "content_hash", hash, "approval", "state", approval,
			 "content_hash", a->approved_hash[0] ? json_string(a->approved_hash) : json_null(), "built",
			 strcmp(a->dashboard_hash, hash) == 0, "protected_domains", domains, "target_systems", targets,
			 "by_scenario", by_scenario, "by_objective", by_objective, "residual_risk", "high", high, "medium",
			 medium, "low", low, "unchecked", unchecked, "plan", "items", plan_items, "by_fiscal_year", years,
			 "progress", progress, "dashboard_hash",
			 a->dashboard_hash[0] ? json_string(a->dashboard_hash) : json_null());
	return *out ? CSHQ_OK : CSHQ_ERR;
}

int risk_dashboard_json(struct store *db, const struct risk_assessment *a, json_t **out)
{
	struct risk_set set;
	int rc = risk_set_load(db, NULL, a->set_id, &set);
	if (rc != CSHQ_OK)
		return rc;
	json_t *ws = NULL;
	rc = risk_ws_load(db, a->id, &ws);
	if (rc == CSHQ_OK)
		rc = dashboard_of(db, a, &set, ws, out);
	json_decref(ws);
	risk_set_release(&set);
	return rc;
}

#ifdef CSHQ_HAVE_PDF
/* A bar of ten squares for a percentage (the PDF writer lays out text only). */
static void bar(json_t *pct, char out[64])
{
	if (!json_is_integer(pct)) {
		snprintf(out, 64, "-");
		return;
	}
	json_int_t p = json_integer_value(pct);
	size_t filled = (size_t)((p + 5) / 10), w = 0;
	for (size_t i = 0; i < 10; i++) {
		const char *sq = i < filled ? "■" : "□";
		memcpy(out + w, sq, 3);
		w += 3;
	}
	snprintf(out + w, 64 - w, " %lld%%", (long long)p);
}

static const char *text_of(json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v))
		return "○";
	return "-";
}

static const char *state_ja(const char *state)
{
	static const char *const map[][2] = {
		{"preparation", "準備（役割の明確化）"}, {"domain_selection", "業務領域の選定"},
		{"impact_assessment", "保護対象業務領域の特定"}, {"target_systems", "対象システムの特定・現状点検"},
		{"planning", "対策導入計画（案）の作成・調整"}, {"finalised", "計画（案）確定"},
		{"awaiting_approval", "CISO の承認待ち"}, {"approved", "CISO 承認済み"},
		{"at_ministry", "所管府省庁で取りまとめ中"}, {"reported", "NISC へ報告済み"}, {"accepted", "NISC 確認済み"},
		{"none", "未承認"}, {"void", "無効（承認後に変更あり）"},
		{"sensitive", "① 機微業務領域"}, {"grave_impact", "① 壊滅的・深刻な影響"},
		{"confidential", "② 機密性の高い情報を定常的に取扱い"},
	};
	for (size_t i = 0; state && i < CSHQ_ARRAY_LEN(map); i++)
		if (strcmp(map[i][0], state) == 0)
			return map[i][1];
	return state ? state : "-";
}

static const char *residual_ja(const char *r)
{
	return !r ? "未点検" : strcmp(r, "high") == 0 ? "高" : strcmp(r, "medium") == 0 ? "中" : "低";
}

int risk_dashboard_pdf(struct store *db, const struct risk_assessment *a, struct buf *out)
{
	json_t *d;
	int rc = risk_dashboard_json(db, a, &d);
	if (rc != CSHQ_OK)
		return rc;
	char title[400], footer[200], fy[16], org[300];
	snprintf(org, sizeof(org), "%s", a->org);
	struct store_stmt *st;
	if (store_prepare(db, "SELECT name_ja FROM orgs WHERE code = $1", &st) == CSHQ_OK) {
		store_bind_text(st, 1, a->org);
		if (store_step(st) == STORE_ROW)
			snprintf(org, sizeof(org), "%s（%s）", store_column_text(st, 0), a->org);
		while (store_step(st) == STORE_ROW)
			;
	}
	snprintf(title, sizeof(title), "リスク評価ダッシュボード %s %d年度", org, a->fiscal_year);
	snprintf(footer, sizeof(footer), "%s %d年度 対策セット %s / 内容ハッシュ %.16s", a->org, a->fiscal_year, a->set_version,
		 risk_str(d, "content_hash"));
	struct pdf_meta meta = {.title = title, .subject = "RiskGuideline 2.2(4), 3.2", .footer = footer, .landscape = true};
	struct pdf_doc *doc = NULL;
	if ((rc = pdf_doc_new(&meta, &doc)) != CSHQ_OK) {
		json_decref(d);
		return rc;
	}
	json_t *approval = json_object_get(d, "approval");
	snprintf(fy, sizeof(fy), "%d", a->fiscal_year);
	const char *fields[] = {"組織", org,
				"年度", fy,
				"対策セット", a->set_version,
				"状態", state_ja(a->state),
				"CISO 承認", state_ja(risk_str(approval, "state")),
				"内容ハッシュ (SHA-256)", risk_str(d, "content_hash")};
	rc = pdf_title(doc, title);
	if (rc == CSHQ_OK)
		rc = pdf_fields(doc, fields, CSHQ_ARRAY_LEN(fields) / 2);
	size_t i;
	json_t *v;
	char b1[32], b2[32], b3[32], b4[64];
	/* protected domains */
	if (rc == CSHQ_OK)
		rc = pdf_heading(doc, 1, "保護対象とする業務領域");
	json_t *dom = json_object_get(d, "protected_domains");
	size_t n = json_array_size(dom);
	const char **cells = xcalloc(n * 4 + 1, sizeof(*cells));
	json_array_foreach(dom, i, v)
	{
		cells[i * 4] = risk_str(v, "name");
		cells[i * 4 + 1] = state_ja(risk_str(v, "reason"));
		cells[i * 4 + 2] = risk_str(v, "impact");
		cells[i * 4 + 3] = json_is_true(json_object_get(v, "dropped_out")) ? "対象システムなし（対象外）" : "";
	}
	static const char *const h_dom[] = {"業務領域", "選定理由", "影響度", "備考"};
	static const double w_dom[] = {2, 1, 4, 2};
	struct pdf_table t = {.ncols = 4, .widths = w_dom, .header = h_dom, .cells = cells, .nrows = n};
	if (rc == CSHQ_OK)
		rc = pdf_table(doc, &t);
	free(cells);
	/* target systems: risk results */
	if (rc == CSHQ_OK)
		rc = pdf_heading(doc, 1, "対象システムとリスク評価結果");
	json_t *sys = json_object_get(d, "target_systems");
	n = json_array_size(sys);
	char (*impl)[64] = xcalloc(n + 1, sizeof(*impl));
	char (*crit)[8] = xcalloc(n + 1, sizeof(*crit));
	cells = xcalloc(n * 6 + 1, sizeof(*cells));
	json_array_foreach(sys, i, v)
	{
		bar(json_object_get(v, "percent"), impl[i]);
		snprintf(crit[i], 8, "%s", text_of(json_object_get(v, "criterion"), b1, sizeof(b1)));
		cells[i * 6] = risk_str(v, "name");
		cells[i * 6 + 1] = risk_str(v, "domain");
		cells[i * 6 + 2] = crit[i];
		cells[i * 6 + 3] = risk_str(v, "built_on");
		cells[i * 6 + 4] = impl[i];
		cells[i * 6 + 5] = residual_ja(risk_str(v, "residual_risk"));
	}
	static const char *const h_sys[] = {"対象システム", "業務領域", "基準", "構築基盤", "対策実施率", "残存リスク"};
	static const double w_sys[] = {3, 2, 1, 2, 3, 1};
	t = (struct pdf_table){.ncols = 6, .widths = w_sys, .header = h_sys, .cells = cells, .nrows = n};
	if (rc == CSHQ_OK)
		rc = pdf_table(doc, &t);
	free(cells);
	free(impl);
	free(crit);
	/* implementation by scenario */
	if (rc == CSHQ_OK)
		rc = pdf_heading(doc, 1, "攻撃シナリオ別の対策実施状況");
	json_t *scs = json_object_get(d, "by_scenario");
	n = json_array_size(scs);
	char (*bars)[64] = xcalloc(n + 1, sizeof(*bars));
	cells = xcalloc(n * 2 + 1, sizeof(*cells));
	json_array_foreach(scs, i, v)
	{
		bar(json_object_get(v, "percent"), bars[i]);
		cells[i * 2] = risk_str(v, "title");
		cells[i * 2 + 1] = bars[i];
	}
	static const char *const h_sc[] = {"攻撃シナリオ", "実施率"};
	static const double w_sc[] = {3, 2};
	t = (struct pdf_table){.ncols = 2, .widths = w_sc, .header = h_sc, .cells = cells, .nrows = n};
	if (rc == CSHQ_OK)
		rc = pdf_table(doc, &t);
	free(cells);
	free(bars);
	/* plan and progress */
	if (rc == CSHQ_OK)
		rc = pdf_heading(doc, 1, "対策導入計画（案）の概要と進捗");
	json_t *years = json_object_get(json_object_get(d, "plan"), "by_fiscal_year");
	n = json_array_size(years);
	char (*ylab)[16] = xcalloc(n + 1, sizeof(*ylab));
	char (*ycount)[16] = xcalloc(n + 1, sizeof(*ycount));
	cells = xcalloc(n * 2 + 1, sizeof(*cells));
	json_array_foreach(years, i, v)
	{
		snprintf(ylab[i], 16, "%lld年度", (long long)json_integer_value(json_object_get(v, "fiscal_year")));
		snprintf(ycount[i], 16, "%lld", (long long)json_integer_value(json_object_get(v, "items")));
		cells[i * 2] = ylab[i];
		cells[i * 2 + 1] = ycount[i];
	}
	static const char *const h_py[] = {"導入年度", "対策数"};
	t = (struct pdf_table){.ncols = 2, .widths = NULL, .header = h_py, .cells = cells, .nrows = n};
	if (rc == CSHQ_OK)
		rc = pdf_table(doc, &t);
	free(cells);
	free(ylab);
	free(ycount);
	json_t *prog = json_object_get(d, "progress");
	char line[200];
	bar(json_object_get(prog, "percent"), b4);
	if (json_is_null(json_object_get(prog, "previous")))
		snprintf(line, sizeof(line), "前年度までの計画なし（初年度）");
	else
		snprintf(line, sizeof(line), "前年度までの計画の進捗: 期限到来 %s 件のうち実施済み %s 件 %s",
			 text_of(json_object_get(prog, "due"), b2, sizeof(b2)),
			 text_of(json_object_get(prog, "implemented"), b3, sizeof(b3)), b4);
	if (rc == CSHQ_OK)
		rc = pdf_paragraph(doc, line);
	if (rc == CSHQ_OK)
		rc = pdf_note(doc, "高度サイバー攻撃対処のためのリスク評価等のガイドライン 第２部２(4)、第３部１・２に基づくリスク評価ダッシュボード。");
	if (rc == CSHQ_OK)
		rc = pdf_finish(doc, out);
	pdf_free(doc);
	json_decref(d);
	return rc;
}
#else
int risk_dashboard_pdf(struct store *db, const struct risk_assessment *a, struct buf *out)
{
	(void)db;
	(void)a;
	(void)out;
	return CSHQ_ENOTFOUND; /* the PDF writer (src/export) is not part of this build */
}
#endif

/* ---- NISC's aggregate ---- */

/* The titles of a countermeasure in the newest set the fiscal year's reports used. */
static int titles(struct store *db, int64_t set_id, const char *cm, json_t *row)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT countermeasure_title, scenario_title FROM risk_set_items WHERE set_id = $1 AND "
			       "countermeasure = $2",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, set_id);
	store_bind_text(st, 2, cm);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		json_object_set_new(row, "title", json_string(store_column_text(st, 0)));
		json_object_set_new(row, "scenario_title", json_string(store_column_text(st, 1)));
	}
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

#define REPORTED_SQL "a.fiscal_year = $2 AND a.state IN ('reported', 'accepted')"
static const char REPORTED[] = "a.fiscal_year = $1 AND a.state IN ('reported', 'accepted')";

int risk_aggregate_json(struct store *db, int fiscal_year, bool publish, json_t **out)
{
	struct store_stmt *st;
	int rc;
	char sql[1024];
	/* by countermeasure */
	json_t *by_cm = json_array();
	snprintf(sql, sizeof(sql),
		 "SELECT c.countermeasure, i.scenario, SUM(c.implemented), COUNT(*), COUNT(DISTINCT a.org), MAX(a.set_id) "
		 "FROM risk_checks c JOIN risk_assessments a ON a.id = c.assessment_id JOIN risk_set_items i ON "
		 "i.set_id = a.set_id AND i.countermeasure = c.countermeasure AND i.component = c.component WHERE %s "
		 "GROUP BY c.countermeasure, i.scenario",
		 REPORTED);
	if ((rc = store_prepare(db, sql, &st)) != CSHQ_OK)
		goto fail;
	store_bind_int64(st, 1, fiscal_year);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t impl = store_column_int64(st, 2), app = store_column_int64(st, 3);
		json_t *row = json_pack("{s:s, s:s, s:I, s:I, s:o}", "countermeasure", store_column_text(st, 0), "scenario",
					store_column_text(st, 1), "applicable", (json_int_t)app, "implemented", (json_int_t)impl,
					"percent", percent(impl, app));
		if (!publish)
			json_object_set_new(row, "bodies", json_integer(store_column_int64(st, 4)));
		json_object_set_new(row, "_set", json_integer(store_column_int64(st, 5)));
		json_array_append_new(by_cm, row);
	}
	if (rc != STORE_DONE) {
		rc = CSHQ_ERR;
		goto fail;
	}
	size_t i;
	json_t *row;
	json_array_foreach(by_cm, i, row)
	{
		rc = titles(db, json_integer_value(json_object_get(row, "_set")), risk_str(row, "countermeasure"), row);
		json_object_del(row, "_set");
		if (rc != CSHQ_OK)
			goto fail;
	}
	/* by scenario */
	json_t *by_sc = json_array();
	snprintf(sql, sizeof(sql),
		 "SELECT i.scenario, SUM(c.implemented), COUNT(*) FROM risk_checks c JOIN risk_assessments a ON "
		 "a.id = c.assessment_id JOIN risk_set_items i ON i.set_id = a.set_id AND i.countermeasure = "
		 "c.countermeasure AND i.component = c.component WHERE %s GROUP BY i.scenario",
		 REPORTED);
	if ((rc = store_prepare(db, sql, &st)) != CSHQ_OK) {
		json_decref(by_sc);
		goto fail;
	}
	store_bind_int64(st, 1, fiscal_year);
	while ((rc = store_step(st)) == STORE_ROW) {
		int64_t impl = store_column_int64(st, 1), app = store_column_int64(st, 2);
		json_array_append_new(by_sc, json_pack("{s:s, s:I, s:I, s:o}", "scenario", store_column_text(st, 0), "applicable",
						       (json_int_t)app, "implemented", (json_int_t)impl, "percent",
						       percent(impl, app)));
	}
	if (rc != STORE_DONE) {
		json_decref(by_sc);
		rc = CSHQ_ERR;
		goto fail;
	}
	json_array_foreach(by_sc, i, row)
	{
		if ((rc = store_prepare(db,
					"SELECT i.scenario_title FROM risk_set_items i WHERE i.scenario = $1 AND i.set_id = "
					"(SELECT MAX(a.set_id) FROM risk_assessments a WHERE " REPORTED_SQL ")",
					&st)) != CSHQ_OK)
			break;
		store_bind_text(st, 1, risk_str(row, "scenario"));
		store_bind_int64(st, 2, fiscal_year);
		int r = store_step(st);
		if (r == STORE_ROW)
			json_object_set_new(row, "title", json_string(store_column_text(st, 0)));
		while (r == STORE_ROW)
			r = store_step(st);
	}
	/* plan items by fiscal year */
	json_t *plan = json_array();
	snprintf(sql, sizeof(sql),
		 "SELECT p.fiscal_year, COUNT(*) FROM risk_plan_items p JOIN risk_assessments a ON a.id = p.assessment_id "
		 "WHERE %s GROUP BY p.fiscal_year ORDER BY p.fiscal_year",
		 REPORTED);
	if (rc == CSHQ_OK && (rc = store_prepare(db, sql, &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fiscal_year);
		while ((rc = store_step(st)) == STORE_ROW)
			json_array_append_new(plan, json_pack("{s:I, s:I}", "fiscal_year", (json_int_t)store_column_int64(st, 0),
							      "items", (json_int_t)store_column_int64(st, 1)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	/* the reports, their progress against the previous plans */
	json_t *bodies = json_array();
	int64_t due = 0, done = 0, reports = 0, issues = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT a.id, a.org, o.name_ja, a.state, a.nisc_issues FROM risk_assessments a JOIN orgs o ON "
		 "o.code = a.org WHERE %s ORDER BY a.id",
		 REPORTED);
	if (rc == CSHQ_OK && (rc = store_prepare(db, sql, &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, fiscal_year);
		while ((rc = store_step(st)) == STORE_ROW) {
			const char *iss = store_column_text(st, 4);
			json_array_append_new(bodies, json_pack("{s:I, s:s, s:s, s:s, s:o}", "assessment",
								(json_int_t)store_column_int64(st, 0), "org",
								store_column_text(st, 1), "name_ja", store_column_text(st, 2),
								"state", store_column_text(st, 3), "issues",
								iss ? json_string(iss) : json_null()));
			reports++;
			issues += iss != NULL;
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_t *b;
	json_array_foreach(bodies, i, b)
	{
		if (rc != CSHQ_OK)
			break;
		json_t *ws = NULL, *prog = NULL;
		int64_t d1 = 0, d2 = 0;
		rc = risk_ws_load(db, json_integer_value(json_object_get(b, "assessment")), &ws);
		if (rc == CSHQ_OK)
			rc = progress_of(db, risk_str(b, "org"), fiscal_year, ws, &prog, &d1, &d2);
		if (rc == CSHQ_OK) {
			due += d1;
			done += d2;
			json_object_set_new(b, "progress", json_pack("{s:I, s:I, s:o}", "due", (json_int_t)d1, "implemented",
								     (json_int_t)d2, "percent", percent(d2, d1)));
			int impl = 0, app = 0;
			size_t k, m;
			json_t *s, *c;
			json_array_foreach(json_object_get(ws, "systems"), k, s) json_array_foreach(json_object_get(s, "checks"), m, c)
			{
				app++;
				impl += json_is_true(json_object_get(c, "implemented"));
			}
			json_object_set_new(b, "implemented", json_integer(impl));
			json_object_set_new(b, "applicable", json_integer(app));
			json_object_set_new(b, "percent", percent(impl, app));
		}
		json_decref(prog);
		json_decref(ws);
	}
	if (rc != CSHQ_OK) {
		json_decref(by_sc);
		json_decref(plan);
		json_decref(bodies);
		goto fail;
	}
	json_t *o = json_pack("{s:i, s:b, s:I, s:o, s:o, s:{s:o, s:{s:I, s:I, s:o}}}", "fiscal_year", fiscal_year,
			      "publishable", publish, "reports", (json_int_t)reports, "by_countermeasure", by_cm,
			      "by_scenario", by_sc, "plan", "by_fiscal_year", plan, "progress", "due", (json_int_t)due,
			      "implemented", (json_int_t)done, "percent", percent(done, due));
	if (publish) {
		json_decref(bodies); /* no body code, name or free text leaves in the published form */
	} else {
		json_object_set_new(o, "issues_noted", json_integer(issues));
		json_object_set_new(o, "bodies", bodies);
	}
	*out = o;
	return CSHQ_OK;
fail:
	json_decref(by_cm);
	return rc;
}
