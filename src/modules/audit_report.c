/* audit_report.c: the engagement report (監査実施結果報告書) as PDF. It renders the same
 * record the API answers (audit_engagement_json), so what a caller may read in the report
 * is exactly what it may read through the API. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "export/pdf.h"
#include "modules/audit_report.h"

static const char *severity_ja(const char *s)
{
	if (!s)
		return "";
	if (strcmp(s, "critical") == 0)
		return "重大";
	if (strcmp(s, "high") == 0)
		return "高";
	if (strcmp(s, "medium") == 0)
		return "中";
	return strcmp(s, "low") == 0 ? "低" : s;
}

static const char *state_ja(const char *s)
{
	static const char *const map[][2] = {
	    {"planned", "計画"},
	    {"fieldwork", "実施中"},
	    {"published", "結果確定"},
	    {"at_ministry", "所管府省庁に通知済み（転達待ち）"},
	    {"notified", "通知済み"},
	    {"closed", "完了"},
	    {"cancelled", "中止"},
	    {"draft", "案"},
	    {"report_at_ministry", "報告（所管府省庁経由で転達待ち）"},
	    {"plan_reported", "改善計画報告済み"},
	    {"result_reported", "改善結果報告済み"},
	    {"withdrawn", "取下げ"},
	};
	for (size_t i = 0; s && i < CSHQ_ARRAY_LEN(map); i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s ? s : "";
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* Text kept alive for the duration of the document (cells point into it). */
struct arena {
	char **s;
	size_t n;
};

static const char *keep(struct arena *a, char *s)
{
	if (a->n % 32 == 0)
		a->s = xrealloc(a->s, (a->n + 32) * sizeof(*a->s));
	a->s[a->n++] = s;
	return s;
}

static const char *fmt(struct arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct arena *a, const char *f, ...)
{
	struct buf b = BUF_INIT(64 * 1024);
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	char *t = buf_detach(&b, NULL);
	return keep(a, t ? t : xstrdup(""));
}

static void arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->s[i]);
	free(a->s);
}

static int overview(struct pdf_doc *d, json_t *e, struct arena *a)
{
	json_t *experts = json_object_get(e, "experts");
	struct buf ex = BUF_INIT(16 * 1024);
	size_t i;
	json_t *x;
	json_array_foreach(experts, i, x)
	    buf_printf(&ex, "%s%s", i ? "、" : "", json_string_value(x));
	const char *experts_s = keep(a, ex.len ? buf_detach(&ex, NULL) : xstrdup("なし"));
	buf_release(&ex);
	json_t *agreed = json_object_get(e, "method_agreed");
	const char *end = str(e, "end");
	const char *reason = str(e, "reason");
	const char *delegate = str(e, "delegate_org");
	const char *pairs[] = {
	    "被監査主体",
	    fmt(a, "%s（%s）", str(e, "org_name_ja"), str(e, "org")),
	    "年度",
	    fmt(a, "%lld年度", (long long)json_integer_value(json_object_get(e, "fiscal_year"))),
	    "監査の種類",
	    strcmp(str(e, "type"), "penetration") == 0 ? "ペネトレーションテスト（基本方針4(2)）"
	                                               : "マネジメント監査（基本方針4(1)）",
	    "対象範囲",
	    str(e, "scope"),
	    "実施方法",
	    str(e, "method"),
	    "実施方法の合意",
	    json_is_object(agreed) ? fmt(a, "%s（%s）", str(agreed, "at"), str(agreed, "by"))
	                           : "未了（基本方針3(3)）",
	    "実施期間",
	    fmt(a, "%s から %s", str(e, "start"), *end ? end : "（未定）"),
	    "外部専門家",
	    experts_s,
	    "監査事務の委託",
	    *delegate ? fmt(a, "%s（法第30条第1項）", delegate) : "なし",
	    "対象となる根拠",
	    *reason ? fmt(a, "%s（理由: %s）", str(e, "applies"), reason) : str(e, "applies"),
	    "状態",
	    state_ja(str(e, "state")),
	};
	return pdf_fields(d, pairs, CSHQ_ARRAY_LEN(pairs) / 2);
}

static int findings(struct pdf_doc *d, json_t *list, struct arena *a)
{
	size_t n = json_array_size(list);
	if (n == 0)
		return pdf_paragraph(d, "指摘事項はない。");
	const char **cells = xcalloc(n * 6, sizeof(*cells));
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		cells[i * 6] =
		    fmt(a, "%lld", (long long)json_integer_value(json_object_get(f, "seq")));
		cells[i * 6 + 1] = str(f, "title");
		cells[i * 6 + 2] = severity_ja(str(f, "severity"));
		cells[i * 6 + 3] = json_is_true(json_object_get(f, "important")) ? "重要" : "";
		cells[i * 6 + 4] = state_ja(str(f, "state"));
		cells[i * 6 + 5] =
		    fmt(a, "%lld", (long long)json_integer_value(json_object_get(f, "revision")));
	}
	static const char *const head[] = {"番号",       "指摘事項", "重要度",
	                                   "重要な事項", "状態",     "版"};
	static const double w[] = {0.6, 5, 0.9, 1.1, 2.4, 0.6};
	struct pdf_table t = {.ncols = 6, .widths = w, .header = head, .cells = cells, .nrows = n};
	int rc = pdf_table(d, &t);
	free(cells);
	json_array_foreach(list, i, f)
	{
		if (rc != CSHQ_OK)
			break;
		const char *req = str(f, "requirement");
		const char *req_title = str(f, "requirement_title");
		const char *proposal = str(f, "proposal");
		rc = pdf_heading(d, 2,
		                 fmt(a, "指摘事項 %lld　%s",
		                     (long long)json_integer_value(json_object_get(f, "seq")),
		                     str(f, "title")));
		const char *pairs[] = {
		    "重要度",
		    severity_ja(str(f, "severity")),
		    "重要な事項",
		    json_is_true(json_object_get(f, "important"))
		        ? "該当（改善策の提案を含めて通知）"
		        : "非該当",
		    "関連する要求事項",
		    *req ? (*req_title ? fmt(a, "%s（%s）", req, req_title) : req) : "―",
		    "根拠",
		    str(f, "evidence"),
		    "改善策の提案",
		    *proposal ? proposal : "―",
		    "版",
		    fmt(a, "第%lld版",
		        (long long)json_integer_value(json_object_get(f, "revision"))),
		};
		if (rc == CSHQ_OK)
			rc = pdf_fields(d, pairs, CSHQ_ARRAY_LEN(pairs) / 2);
		json_t *revs = json_object_get(f, "revisions");
		size_t k;
		json_t *r;
		json_array_foreach(revs, k, r)
		{
			if (rc != CSHQ_OK || k == 0)
				continue;
			rc = pdf_note(
			    d, fmt(a, "第%lld版（%s、%s）: %s",
			           (long long)json_integer_value(json_object_get(r, "revision")),
			           str(r, "at"), str(r, "by"), str(r, "reason")));
		}
		json_t *reports = json_object_get(f, "reports");
		size_t nr = json_array_size(reports);
		if (rc == CSHQ_OK && nr) {
			const char **rc_cells = xcalloc(nr * 5, sizeof(*rc_cells));
			json_array_foreach(reports, k, r)
			{
				rc_cells[k * 5] =
				    strcmp(str(r, "kind"), "plan") == 0 ? "改善計画" : "改善結果";
				rc_cells[k * 5 + 1] = str(r, "text");
				rc_cells[k * 5 + 2] =
				    json_is_string(json_object_get(r, "due")) ? str(r, "due") : "―";
				rc_cells[k * 5 + 3] =
				    fmt(a, "%s（%s）", str(r, "by_org"), str(r, "at"));
				rc_cells[k * 5 + 4] = strcmp(str(r, "state"), "at_ministry") == 0
				                          ? "所管府省庁で転達待ち"
				                          : "受領";
			}
			static const char *const rh[] = {"種別", "内容", "期限", "報告元", "状態"};
			static const double rw[] = {1.1, 5, 1.2, 2.2, 1.6};
			struct pdf_table rt = {
			    .ncols = 5, .widths = rw, .header = rh, .cells = rc_cells, .nrows = nr};
			rc = pdf_table(d, &rt);
			free(rc_cells);
		}
	}
	return rc;
}

static int practices(struct pdf_doc *d, json_t *list, struct arena *a)
{
	if (json_array_size(list) == 0)
		return pdf_paragraph(d, "記録なし。");
	size_t i;
	json_t *g;
	int rc = CSHQ_OK;
	json_array_foreach(list, i, g)
	{
		if (rc == CSHQ_OK)
			rc = pdf_heading(d, 2, str(g, "title"));
		if (rc == CSHQ_OK)
			rc = pdf_paragraph(d, str(g, "description"));
		if (rc == CSHQ_OK)
			rc = pdf_note(
			    d,
			    fmt(a, "%s%s",
			        strcmp(str(g, "state"), "published") == 0 ? "他機関に共有済み"
			                                                  : "未共有",
			        json_is_true(json_object_get(g, "anonymise")) ? "（匿名化）" : ""));
	}
	return rc;
}

static int followups(struct pdf_doc *d, json_t *list, struct arena *a)
{
	size_t n = json_array_size(list);
	if (n == 0)
		return pdf_paragraph(d, "過年度の重要な事項で改善中のものはない。");
	const char **cells = xcalloc(n * 5, sizeof(*cells));
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		json_t *prev = json_object_get(f, "previous_state");
		cells[i * 5] =
		    fmt(a, "%lld年度",
		        (long long)json_integer_value(json_object_get(f, "fiscal_year")));
		cells[i * 5 + 1] = str(f, "title");
		cells[i * 5 + 2] = json_is_string(prev) ? state_ja(json_string_value(prev))
		                                        : "（年度開始後に記録）";
		cells[i * 5 + 3] = state_ja(str(f, "state"));
		cells[i * 5 + 4] = fmt(
		    a, "%lld年", (long long)json_integer_value(json_object_get(f, "years_open")));
	}
	static const char *const head[] = {"年度", "指摘事項", "年度当初", "現在", "経過"};
	static const double w[] = {1.2, 5, 2.2, 2.2, 0.9};
	struct pdf_table t = {.ncols = 5, .widths = w, .header = head, .cells = cells, .nrows = n};
	int rc = pdf_table(d, &t);
	free(cells);
	return rc;
}

static int route(struct pdf_doc *d, json_t *e, struct arena *a)
{
	json_t *r = json_object_get(e, "route");
	const char *text = "各機関の最高情報セキュリティ責任者（CISO）へ直接通知する。";
	if (strcmp(str(r, "type"), "via") == 0) {
		struct buf b = BUF_INIT(4096);
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(r, "via"), i, v)
		    buf_printf(&b, "%s%s", i ? "、" : "", json_string_value(v));
		text = fmt(a,
		           "所管府省庁（%s）を通じて、%"
		           "sの最高情報セキュリティ責任者（CISO）へ通知する。改善結果・改善計画も所"
		           "管府省庁を通じて報告する。",
		           buf_cstr(&b), str(e, "org_name_ja"));
		buf_release(&b);
	}
	int rc = pdf_paragraph(d, text);
	json_t *notices = json_object_get(e, "notices");
	size_t n = json_array_size(notices);
	if (rc == CSHQ_OK && n) {
		const char **cells = xcalloc(n * 3, sizeof(*cells));
		size_t i;
		json_t *x;
		json_array_foreach(notices, i, x)
		{
			cells[i * 3] = str(x, "created_at");
			cells[i * 3 + 1] =
			    json_is_string(json_object_get(x, "to_role"))
			        ? fmt(a, "%s（%s）", str(x, "to_org"), str(x, "to_role"))
			        : str(x, "to_org");
			cells[i * 3 + 2] = str(x, "subject");
		}
		static const char *const head[] = {"日時", "宛先", "件名"};
		static const double w[] = {2.6, 2.2, 5};
		struct pdf_table t = {
		    .ncols = 3, .widths = w, .header = head, .cells = cells, .nrows = n};
		rc = pdf_table(d, &t);
		free(cells);
	}
	return rc;
}

int audit_report_pdf(struct store *db, const struct principal *who, int64_t engagement,
                     struct buf *out, struct audit_error *e)
{
	json_t *j;
	int rc = audit_engagement_json(db, who, engagement, &j);
	if (rc != CSHQ_OK) {
		e->status = rc == CSHQ_ENOTFOUND ? 404 : 500;
		snprintf(e->detail, sizeof(e->detail),
		         rc == CSHQ_ENOTFOUND ? "no such resource" : "internal error");
		return rc;
	}
	if (!json_is_true(json_object_get(j, "results_visible"))) {
		json_decref(j);
		e->status = 404;
		snprintf(e->detail, sizeof(e->detail), "no such resource");
		return CSHQ_ENOTFOUND;
	}
	if (!json_is_string(json_object_get(j, "published_at"))) {
		json_decref(j);
		e->status = 409;
		snprintf(e->detail, sizeof(e->detail),
		         "the engagement's results are not published yet");
		return CSHQ_ECONFLICT;
	}
	struct arena a = {0};
	const char *title = fmt(&a, "監査実施結果報告書 %lld年度 %s",
	                        (long long)json_integer_value(json_object_get(j, "fiscal_year")),
	                        str(j, "org_name_ja"));
	struct pdf_meta meta = {
	    .title = title,
	    .author = "内閣サイバーセキュリティセンター",
	    .subject = "サイバーセキュリティ対策を強化するための監査に係る基本方針 5(3)",
	    .footer = "機密性2　監査実施結果（取扱注意）"};
	struct pdf_doc *d;
	if ((rc = pdf_doc_new(&meta, &d)) != CSHQ_OK) {
		arena_free(&a);
		json_decref(j);
		e->status = 500;
		snprintf(e->detail, sizeof(e->detail), "the PDF writer failed");
		return rc;
	}
	rc = pdf_title(d, "監査実施結果報告書");
	if (rc == CSHQ_OK)
		rc = pdf_note(
		    d, fmt(&a, "%lld年度　%s　（%s）",
		           (long long)json_integer_value(json_object_get(j, "fiscal_year")),
		           str(j, "org_name_ja"),
		           strcmp(str(j, "type"), "penetration") == 0 ? "ペネトレーションテスト"
		                                                      : "マネジメント監査"));
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "１．監査の概要");
	if (rc == CSHQ_OK)
		rc = overview(d, j, &a);
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "２．指摘事項（改善のために必要な助言を含む）");
	if (rc == CSHQ_OK)
		rc = findings(d, json_object_get(j, "findings"), &a);
	if (rc == CSHQ_OK)
		rc = pdf_heading(d, 1, "３．優れた取組（グッドプラクティス）");
	if (rc == CSHQ_OK)
		rc = practices(d, json_object_get(j, "good_practices"), &a);
	if (rc == CSHQ_OK && json_object_get(j, "followups")) {
		rc = pdf_heading(d, 1, "４．過年度の重要な事項のフォローアップ");
		if (rc == CSHQ_OK)
			rc = followups(d, json_object_get(j, "followups"), &a);
	}
	if (rc == CSHQ_OK)
		rc = pdf_heading(
		    d, 1, json_object_get(j, "followups") ? "５．通知の経路" : "４．通知の経路");
	if (rc == CSHQ_OK)
		rc = route(d, j, &a);
	const struct regime_citation *c = regime_cite("AuditPolicy", "5", 3, 0, date_today());
	if (rc == CSHQ_OK && c)
		rc = pdf_note(
		    d, fmt(&a,
		           "根拠: サイバーセキュリティ対策を強化するための監査に係る基本方針 "
		           "5(3)（%s年版）「%s」",
		           c->version, c->text_ja));
	if (rc == CSHQ_OK)
		rc = pdf_finish(d, out);
	pdf_free(d);
	arena_free(&a);
	json_decref(j);
	if (rc != CSHQ_OK) {
		e->status = rc == CSHQ_ELIMIT ? 413 : 500;
		snprintf(e->detail, sizeof(e->detail), "the report could not be written");
	}
	return rc;
}
