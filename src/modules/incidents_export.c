/* incidents_export.c: a report or a case as a regulator-ready PDF in Japanese, with its
 * timeline and the basis of every step (src/export/pdf.h). The record has passed the
 * visibility layer before it gets here; TLP is checked by the caller (inc_export_allowed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "export/pdf.h"
#include "modules/incidents.h"

static const struct {
	const char *doc, *ja;
} doc_names[] = {
	{"Act", "サイバーセキュリティ基本法"},
	{"MajorIncidentRules", "重大事象施策評価規則"},
	{"DataProvisionRules", "資料提供等規則"},
	{"AuditPolicy", "監査に係る基本方針"},
	{"RiskGuideline", "リスク評価等のガイドライン"},
	{"CymatRules", "CYMATの運営等について"},
	{"Designation", "指定法人について"},
	{"Overview", "改正の概要"},
	{"HQPolicy", "戦略本部決定（平成28年1月25日）"},
};

static const char *doc_ja(const char *doc)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(doc_names); i++)
		if (doc && strcmp(doc_names[i].doc, doc) == 0)
			return doc_names[i].ja;
	return doc ? doc : "";
}

/* "重大事象施策評価規則（2016年版）第5条第2項" */
static void cite_label(json_t *c, struct buf *out)
{
	json_t *a = json_object_get(c, "article");
	buf_printf(out, "%s（%s年版）", doc_ja(json_string_value(json_object_get(c, "doc"))),
		   json_string_value(json_object_get(c, "version")));
	if (json_is_integer(a))
		buf_printf(out, "第%lld条", (long long)json_integer_value(a));
	else
		buf_printf(out, "%s", json_string_value(a) ? json_string_value(a) : "");
	json_t *p = json_object_get(c, "paragraph"), *i = json_object_get(c, "item");
	if (json_is_integer(p))
		buf_printf(out, "第%lld項", (long long)json_integer_value(p));
	if (json_is_integer(i))
		buf_printf(out, "第%lld号", (long long)json_integer_value(i));
}

/* Every citation with its quoted text. */
static char *basis_text(json_t *basis, bool with_text)
{
	struct buf b = BUF_INIT(64 * 1024);
	size_t k;
	json_t *c;
	json_array_foreach(basis, k, c)
	{
		if (k)
			buf_puts(&b, "\n");
		cite_label(c, &b);
		if (with_text)
			buf_printf(&b, "：%s", json_string_value(json_object_get(c, "text_ja")));
	}
	size_t n;
	char *s = buf_detach(&b, &n);
	return s ? s : xstrdup("");
}

static const struct {
	const char *action, *ja;
} extra_actions[] = {
	{"file", "報告の作成"},
	{"add_update", "追記"},
	{"attach", "資料の添付"},
	{"confirm", "特定重大事象の確認（事案の開始）"},
};

static const char *action_ja(const struct wf_machine *m, const char *action)
{
	for (size_t i = 0; i < m->n_steps; i++)
		if (strcmp(m->steps[i].action, action) == 0)
			return m->steps[i].label_ja;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(extra_actions); i++)
		if (strcmp(extra_actions[i].action, action) == 0)
			return extra_actions[i].ja;
	return action;
}

static const char *state_ja(const struct wf_machine *m, const char *state)
{
	if (!state)
		return "";
	return m == &case_machine ? case_state_label_ja(state) : report_state_label_ja(state);
}

/* What a timeline entry did, in a few lines: the state change, the texts of its input and
 * the notices it sent. */
static char *entry_text(const struct wf_machine *m, json_t *e)
{
	struct buf b = BUF_INIT(32 * 1024);
	const char *from = json_string_value(json_object_get(e, "from"));
	const char *to = json_string_value(json_object_get(e, "to"));
	if (to && (!from || strcmp(from, to) != 0))
		buf_printf(&b, "%s → %s", from ? state_ja(m, from) : "（新規）", state_ja(m, to));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(e, "detail"), k, v)
	{
		if (strcmp(k, "notices") == 0) {
			buf_puts(&b, b.len ? "\n通知: " : "通知: ");
			size_t i;
			json_t *n;
			json_array_foreach(v, i, n) buf_printf(&b, "%s%s", i ? "、" : "",
							       json_string_value(json_object_get(n, "to_org")));
			continue;
		}
		char *val = json_is_string(v) ? xstrdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_printf(&b, "%s%s: %.600s", b.len ? "\n" : "", k, val ? val : "");
		free(val);
	}
	size_t n;
	char *s = buf_detach(&b, &n);
	return s ? s : xstrdup("");
}

static char *who_text(json_t *e)
{
	struct buf b = BUF_INIT(256);
	buf_printf(&b, "%s（%s）", json_string_value(json_object_get(e, "actor")),
		   json_string_value(json_object_get(e, "org")));
	size_t n;
	return buf_detach(&b, &n);
}

static int timeline_table(struct pdf_doc *d, const struct wf_machine *m, json_t *timeline)
{
	size_t rows = json_array_size(timeline);
	if (rows == 0)
		return pdf_paragraph(d, "（記録なし）");
	const char **cells = xcalloc(rows * 5, sizeof(*cells));
	char **owned = xcalloc(rows * 3, sizeof(*owned));
	size_t i;
	json_t *e;
	json_array_foreach(timeline, i, e)
	{
		cells[i * 5] = json_string_value(json_object_get(e, "at"));
		cells[i * 5 + 1] = owned[i * 3] = who_text(e);
		cells[i * 5 + 2] = action_ja(m, json_string_value(json_object_get(e, "action")));
		cells[i * 5 + 3] = owned[i * 3 + 1] = entry_text(m, e);
		cells[i * 5 + 4] = owned[i * 3 + 2] = basis_text(json_object_get(e, "basis"), true);
	}
	static const char *const head[] = {"日時", "実施者", "手続", "内容", "根拠"};
	static const double w[] = {1.25, 1.1, 1.2, 2.0, 3.2};
	struct pdf_table t = {.ncols = 5, .widths = w, .header = head, .cells = cells, .nrows = rows};
	int rc = pdf_table(d, &t);
	for (i = 0; i < rows * 3; i++)
		free(owned[i]);
	free(owned);
	free(cells);
	return rc;
}

static int notices_table(struct pdf_doc *d, struct store *db, const char *kind, int64_t id)
{
	struct store_stmt *st;
	int rc = store_prepare(db,
			       "SELECT created_at, to_org, subject, basis, read_at FROM notifications WHERE "
			       "record_kind = $1 AND record_id = $2 ORDER BY id",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, kind);
	store_bind_int64(st, 2, id);
	size_t cap = 16, n = 0;
	char **cells = xcalloc(cap * 5, sizeof(*cells));
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			if (cap >= 4096)
				break;
			cells = xrealloc(cells, cap * 2 * 5 * sizeof(*cells));
			memset(cells + cap * 5, 0, cap * 5 * sizeof(*cells));
			cap *= 2;
		}
		char at[26];
		time_format_rfc3339(store_column_int64(st, 0), at);
		cells[n * 5] = xstrdup(at);
		cells[n * 5 + 1] = xstrdup(store_column_text(st, 1));
		cells[n * 5 + 2] = xstrdup(store_column_text(st, 2));
		json_t *b = json_loads(store_column_text(st, 3), 0, NULL);
		cells[n * 5 + 3] = basis_text(b, false);
		json_decref(b);
		if (store_column_is_null(st, 4)) {
			cells[n * 5 + 4] = xstrdup("未読");
		} else {
			time_format_rfc3339(store_column_int64(st, 4), at);
			cells[n * 5 + 4] = xstrdup(at);
		}
		n++;
	}
	while (rc == STORE_ROW)
		rc = store_step(st);
	if (rc != STORE_DONE)
		rc = CSHQ_ERR;
	else if (n == 0)
		rc = pdf_paragraph(d, "（通知なし）");
	else {
		static const char *const head[] = {"日時", "宛先", "件名", "根拠", "既読"};
		static const double w[] = {1.25, 0.8, 2.6, 2.4, 1.25};
		struct pdf_table t = {.ncols = 5, .widths = w, .header = head, .cells = (const char *const *)cells,
				      .nrows = n};
		rc = pdf_table(d, &t);
	}
	for (size_t i = 0; i < n * 5; i++)
		free(cells[i]);
	free(cells);
	return rc;
}

static void duration_text(int64_t secs, char *out, size_t n)
{
	long long d = secs / 86400, h = (secs % 86400) / 3600, m = (secs % 3600) / 60;
	if (d)
		snprintf(out, n, "%lld日 %lld時間 %lld分", d, h, m);
	else
		snprintf(out, n, "%lld時間 %lld分", h, m);
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

static int finish(struct pdf_doc *d, int rc, struct buf *out)
{
	if (rc == CSHQ_OK)
		rc = pdf_finish(d, out);
	pdf_free(d);
	return rc;
}

static void footer(char *out, size_t n, const char *what, json_t *rec, const struct principal *who)
{
	char now[26];
	time_format_rfc3339(time_now(), now);
	snprintf(out, n, "%s ／ 機密性%lld ／ TLP:%s ／ 出力 %s %s（%s）", what,
		 (long long)json_integer_value(json_object_get(rec, "confidentiality")), str_or(rec, "tlp", ""), now,
		 who->login, who->org);
}

int case_export_pdf(struct wf_ctx *ctx, struct buf *out)
{
	json_t *rec = NULL;
	int rc = case_record_json(ctx, &rec);
	if (rc != CSHQ_OK)
		return rc;
	char title[96], foot[300];
	snprintf(title, sizeof(title), "特定重大事象 事案 %lld", (long long)ctx->id);
	footer(foot, sizeof(foot), title, rec, ctx->who);
	struct pdf_meta meta = {.title = title, .author = "内閣サイバーセキュリティセンター",
				.subject = "サイバーセキュリティ戦略本部重大事象施策評価規則に基づく施策の評価", .footer = foot};
	struct pdf_doc *d;
	if ((rc = pdf_doc_new(&meta, &d)) != CSHQ_OK) {
		json_decref(rec);
		return rc;
	}
	rc = pdf_title(d, title);
	if (rc == CSHQ_OK)
		rc = pdf_note(d, foot);
	/* summary */
	char stage[96], criteria[1024] = "", id_report[32];
	snprintf(stage, sizeof(stage), "%lld %s", (long long)json_integer_value(json_object_get(rec, "stage")),
		 str_or(rec, "stage_label_ja", ""));
	snprintf(id_report, sizeof(id_report), "報告 %s", str_or(rec, "report", ""));
	size_t i;
	json_t *v;
	size_t used = 0;
	json_array_foreach(json_object_get(rec, "criteria"), i, v)
	{
		int k = snprintf(criteria + used, sizeof(criteria) - used, "%s第1条第%lld号", i ? "、" : "",
				 (long long)json_integer_value(v));
		if (k > 0 && (size_t)k < sizeof(criteria) - used)
			used += (size_t)k;
	}
	char emergency[400];
	snprintf(emergency, sizeof(emergency), "%s%s%s",
		 json_is_true(json_object_get(rec, "emergency")) ? "緊急を要する場合（第9条第2項）" : "なし",
		 json_is_true(json_object_get(rec, "emergency")) ? "：" : "",
		 json_is_true(json_object_get(rec, "emergency")) ? str_or(rec, "emergency_reason", "") : "");
	char supp[160] = "なし";
	json_t *si = json_object_get(rec, "supplementary_investigation");
	if (json_is_object(si))
		snprintf(supp, sizeof(supp), "実施者: %s%s%s", str_or(si, "performer", ""),
			 json_is_string(json_object_get(si, "delegate_org")) ? "（委託先 " : "",
			 json_is_string(json_object_get(si, "delegate_org")) ? str_or(si, "delegate_org", "") : "");
	if (json_is_object(si) && json_is_string(json_object_get(si, "delegate_org")))
		snprintf(supp + strlen(supp), sizeof(supp) - strlen(supp), "）");
	const char *fields[] = {
		"対象組織",  str_or(rec, "subject", ""),
		"件名",      str_or(rec, "title", ""),
		"端緒",      id_report,
		"状態",      case_state_label_ja(str_or(rec, "state", "")),
		"段階",      stage,
		"緊急",      emergency,
		"該当基準",  criteria,
		"認定理由",  str_or(rec, "rationale", ""),
		"発生日時",  str_or(rec, "occurred_at", ""),
		"確認日時",  str_or(rec, "opened_at", ""),
		"終了日時",  str_or(rec, "closed_at", "（継続中）"),
		"補充調査",  supp,
	};
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "１．概要");
	if (rc == CSHQ_OK)
		rc = pdf_fields(d, fields, CSHQ_ARRAY_LEN(fields) / 2);
	/* stages */
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "２．段階ごとの所要時間（第3条第1項）");
	json_t *stages = json_object_get(rec, "stages");
	char buf[4][6][64];
	const char *cells[4 * 6];
	json_array_foreach(stages, i, v)
	{
		if (i >= 4)
			break;
		snprintf(buf[i][0], 64, "%lld %s", (long long)json_integer_value(json_object_get(v, "stage")),
			 str_or(v, "label_ja", ""));
		snprintf(buf[i][1], 64, "%s", str_or(v, "started_at", "—"));
		snprintf(buf[i][2], 64, "%s", str_or(v, "ended_at", json_is_string(json_object_get(v, "started_at")) ? "（継続中）" : "—"));
		if (json_is_string(json_object_get(v, "started_at")))
			duration_text(json_integer_value(json_object_get(v, "seconds")), buf[i][3], 64);
		else
			snprintf(buf[i][3], 64, "—");
		json_t *t = json_object_get(v, "target_hours");
		if (json_is_integer(t))
			snprintf(buf[i][4], 64, "%lld時間", (long long)json_integer_value(t));
		else
			snprintf(buf[i][4], 64, "設定なし");
		snprintf(buf[i][5], 64, "%s", json_is_true(json_object_get(v, "overdue")) ? "超過" : "");
		for (int c = 0; c < 6; c++)
			cells[i * 6 + c] = buf[i][c];
	}
	static const char *const shead[] = {"段階", "開始", "終了", "所要時間", "目標", "超過"};
	static const double sw[] = {2.2, 1.5, 1.5, 1.3, 0.8, 0.6};
	struct pdf_table st = {.ncols = 6, .widths = sw, .header = shead, .cells = cells,
			       .nrows = json_array_size(stages) < 4 ? json_array_size(stages) : 4};
	if (rc == CSHQ_OK)
		rc = pdf_table(d, &st);
	if (rc == CSHQ_OK)
		rc = pdf_note(d, "目標は運用上の設定であり、規則は期限を定めていない。");
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "３．経過と根拠");
	if (rc == CSHQ_OK)
		rc = timeline_table(d, &case_machine, json_object_get(rec, "timeline"));
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "４．通知");
	if (rc == CSHQ_OK)
		rc = notices_table(d, ctx->db, "case", ctx->id);
	json_decref(rec);
	return finish(d, rc, out);
}

int report_export_pdf(struct wf_ctx *ctx, struct buf *out)
{
	json_t *rec = NULL;
	int rc = report_record_json(ctx, &rec);
	if (rc != CSHQ_OK)
		return rc;
	char title[96], foot[300];
	snprintf(title, sizeof(title), "報告 %lld", (long long)ctx->id);
	footer(foot, sizeof(foot), title, rec, ctx->who);
	struct pdf_meta meta = {.title = title, .author = str_or(rec, "filed_by_org", ""),
				.subject = "サイバーセキュリティ基本法第31条に基づく資料提供", .footer = foot};
	struct pdf_doc *d;
	if ((rc = pdf_doc_new(&meta, &d)) != CSHQ_OK) {
		json_decref(rec);
		return rc;
	}
	char heading[400], item[64], route[200] = "（未提出）", conf[16], cls[160] = "（未分類）";
	snprintf(heading, sizeof(heading), "%s：%s", title, str_or(rec, "title", ""));
	snprintf(item, sizeof(item), "資料提供等規則第1条第1項第%lld号",
		 (long long)json_integer_value(json_object_get(rec, "item")));
	json_t *r = json_object_get(rec, "route");
	if (json_is_object(r)) {
		snprintf(route, sizeof(route), "%s", strcmp(str_or(r, "type", ""), "via") == 0 ? "所管府省庁経由: " : "直接");
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(r, "via"), i, v)
			snprintf(route + strlen(route), sizeof(route) - strlen(route), "%s%s", i ? "、" : "",
				 json_string_value(v));
	}
	snprintf(conf, sizeof(conf), "機密性%lld", (long long)json_integer_value(json_object_get(rec, "confidentiality")));
	json_t *c = json_object_get(rec, "classification");
	if (json_is_object(c))
		snprintf(cls, sizeof(cls), "RSIT %s / %s", str_or(c, "class", ""), str_or(c, "type", ""));
	char *systems = json_dumps(json_object_get(rec, "affected_systems"), JSON_COMPACT);
	char *indicators = json_dumps(json_object_get(rec, "indicators"), JSON_COMPACT);
	const char *fields[] = {
		"対象組織", str_or(rec, "subject", ""),
		"区分",     item,
		"状態",     report_state_label_ja(str_or(rec, "state", "")),
		"経路",     route,
		"提出組織", str_or(rec, "filed_by_org", ""),
		"発生日時", str_or(rec, "occurred_at", ""),
		"検知日時", str_or(rec, "detected_at", "—"),
		"報告日時", str_or(rec, "reported_at", "—"),
		"分類",     cls,
		"機密性",   conf,
		"TLP",      str_or(rec, "tlp", ""),
		"影響システム", systems ? systems : "[]",
		"観測された指標", indicators ? indicators : "[]",
		"事案",     str_or(rec, "case", "—"),
	};
	rc = pdf_title(d, heading);
	if (rc == CSHQ_OK)
		rc = pdf_note(d, foot);
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "１．報告事項");
	if (rc == CSHQ_OK)
		rc = pdf_fields(d, fields, CSHQ_ARRAY_LEN(fields) / 2);
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 2, "概要");
	if (rc == CSHQ_OK)
		rc = pdf_paragraph(d, str_or(rec, "summary", ""));
	free(systems);
	free(indicators);
	json_t *updates = json_object_get(rec, "updates");
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "２．追記・照会・回答");
	size_t nu = json_array_size(updates);
	if (rc == CSHQ_OK && nu == 0)
		rc = pdf_paragraph(d, "（なし）");
	else if (rc == CSHQ_OK) {
		const char **cells = xcalloc(nu * 4, sizeof(*cells));
		char **who = xcalloc(nu, sizeof(*who));
		size_t i;
		json_t *u;
		json_array_foreach(updates, i, u)
		{
			cells[i * 4] = str_or(u, "at", "");
			cells[i * 4 + 1] = who[i] = who_text(u);
			cells[i * 4 + 2] = str_or(u, "kind", "");
			cells[i * 4 + 3] = str_or(u, "body", "");
		}
		static const char *const h[] = {"日時", "記入者", "種別", "内容"};
		static const double w[] = {1.3, 1.3, 1.1, 4.5};
		struct pdf_table t = {.ncols = 4, .widths = w, .header = h, .cells = cells, .nrows = nu};
		rc = pdf_table(d, &t);
		for (i = 0; i < nu; i++)
			free(who[i]);
		free(who);
		free(cells);
	}
	json_t *atts = json_object_get(rec, "attachments");
	size_t na = json_array_size(atts);
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "３．添付資料（SHA-256）");
	if (rc == CSHQ_OK && na == 0)
		rc = pdf_paragraph(d, "（なし）");
	else if (rc == CSHQ_OK) {
		const char **cells = xcalloc(na * 4, sizeof(*cells));
		char (*size)[24] = xcalloc(na, sizeof(*size));
		size_t i;
		json_t *a;
		json_array_foreach(atts, i, a)
		{
			snprintf(size[i], sizeof(size[i]), "%lld", (long long)json_integer_value(json_object_get(a, "size")));
			cells[i * 4] = str_or(a, "filename", "");
			cells[i * 4 + 1] = str_or(a, "content_type", "");
			cells[i * 4 + 2] = size[i];
			cells[i * 4 + 3] = str_or(a, "sha256", "");
		}
		static const char *const h[] = {"ファイル名", "種類", "バイト数", "SHA-256"};
		static const double w[] = {2, 1.6, 0.8, 3.8};
		struct pdf_table t = {.ncols = 4, .widths = w, .header = h, .cells = cells, .nrows = na};
		rc = pdf_table(d, &t);
		free(size);
		free(cells);
	}
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "４．経過と根拠");
	if (rc == CSHQ_OK)
		rc = timeline_table(d, &report_machine, json_object_get(rec, "timeline"));
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "５．通知");
	if (rc == CSHQ_OK)
		rc = notices_table(d, ctx->db, "report", ctx->id);
	json_decref(rec);
	return finish(d, rc, out);
}
