/* test_regime.c: unit tests of the regime engine, driven by the case files of this directory
 * (cases.tsv: regime_evaluate; heads.tsv: regime_heads; art32.tsv: the 別表 tables) plus
 * checks that the tables themselves are whole: every rule resolves, every combination of facts
 * finds a rule, every key is unique. The seed check lives in test_regime_seed.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/common.h"
#include "core/timeutil.h"
#include "regime/regime.h"
#include "regime/regime_impl.h"
#include "tsv.h"

#ifndef REGIME_TEST_DIR
#error "REGIME_TEST_DIR must name tests/unit/regime"
#endif

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* "doc:version:article:paragraph:item;..." for a basis list */
static void format_basis(const struct regime_citation *const *b, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + len, cap - len, "%s%s:%s:%s:%d:%d", i ? ";" : "", b[i]->doc,
				 b[i]->version, b[i]->article, b[i]->paragraph, b[i]->item);
		assert_true(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	if (n == 0)
		snprintf(out, cap, "-");
}

static void format_codes(const char *const *c, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(out + len, cap - len, "%s%s", i ? ";" : "", c[i]);
		assert_true(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	if (n == 0)
		snprintf(out, cap, "-");
}

/* Fills s from the fields kind/supervising/designated/listed; sup holds the split codes. */
static void subject_from(struct regime_subject *s, char *code, char *kind, char *sup_field,
			 const char *designated, const char *listed, char **sup, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->code = code;
	assert_int_equal(org_kind_parse(kind, &s->kind), CSHQ_OK);
	s->n_supervising = tsv_split(sup_field, ';', sup, max);
	s->supervising = (const char *const *)sup;
	s->art13_designated = strcmp(designated, "1") == 0;
	s->art32_listed = strcmp(listed, "1") == 0;
}

static int check_str(const char *id, const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return 0;
	print_error("%s: %s: want \"%s\", got \"%s\"\n", id, what, want, got);
	return 1;
}

/* cases.tsv: id code kind supervising designated listed date function applies route via
 * condition rule basis */
static void test_cases(void **state)
{
	struct tsv t;
	int failures = 0, rows = 0, r;

	(void)state;
	assert_int_equal(tsv_open(&t, REGIME_TEST_DIR, "cases.tsv", "id"), CSHQ_OK);
	while ((r = tsv_next(&t)) == 1) {
		char **f = t.field;
		char *sup[16];
		struct regime_subject s;
		struct regime_answer a;
		enum regime_function fn;
		int32_t date;
		char got[4096];
		const struct regime_rule *rule;

		assert_int_equal(t.n, 14);
		rows++;
		subject_from(&s, f[1], f[2], f[3], f[4], f[5], sup, 16);
		assert_int_equal(date_parse(f[6], &date), CSHQ_OK);
		assert_int_equal(regime_function_parse(f[7], &fn), CSHQ_OK);
		regime_evaluate(fn, &s, date, &a);
		failures += check_str(f[0], "applies", f[8], regime_applies_code(a.applies));
		failures += check_str(f[0], "route", f[9], regime_route_code(a.route));
		format_codes(a.via, a.n_via, got, sizeof(got));
		failures += check_str(f[0], "via", f[10], got);
		failures += check_str(f[0], "condition", f[11], a.condition ? a.condition : "-");
		rule = regime_match_rule(fn, &s, date);
		assert_non_null(rule);
		failures += check_str(f[0], "rule", f[12], rule->name);
		format_basis(a.basis, a.n_basis, got, sizeof(got));
		failures += check_str(f[0], "basis", f[13], got);
		/* the answer's basis points into the one provision table */
		for (size_t i = 0; i < a.n_basis; i++)
			assert_true(a.basis[i] >= regime_provision_rows &&
				    a.basis[i] < regime_provision_rows + regime_provision_count);
	}
	assert_int_equal(r, 0);
	tsv_close(&t);
	/* every function x kind on both dates at least */
	assert_true(rows >= RF_COUNT * ORG_KIND_COUNT * 2);
	assert_int_equal(failures, 0);
}

static int rc_code(const char *s)
{
	if (strcmp(s, "ok") == 0)
		return CSHQ_OK;
	if (strcmp(s, "einval") == 0)
		return CSHQ_EINVAL;
	if (strcmp(s, "econflict") == 0)
		return CSHQ_ECONFLICT;
	if (strcmp(s, "elimit") == 0)
		return CSHQ_ELIMIT;
	fail_msg("unknown rc %s", s);
	return 1;
}

/* heads.tsv: id code kind supervising designated date doc article rc codes basis */
static void test_heads(void **state)
{
	struct tsv t;
	int failures = 0, r;

	(void)state;
	assert_int_equal(tsv_open(&t, REGIME_TEST_DIR, "heads.tsv", "id"), CSHQ_OK);
	while ((r = tsv_next(&t)) == 1) {
		char **f = t.field;
		char *sup[16];
		struct regime_subject s;
		struct regime_recipients rec;
		int32_t date;
		int rc, want;
		char got[4096];

		assert_int_equal(t.n, 11);
		subject_from(&s, f[1], f[2], f[3], f[4], "0", sup, 16);
		assert_int_equal(date_parse(f[5], &date), CSHQ_OK);
		want = rc_code(f[8]);
		memset(&rec, 0, sizeof(rec));
		rc = regime_heads(f[6], atoi(f[7]), &s, date, &rec);
		if (rc != want) {
			print_error("%s: rc: want %d, got %d\n", f[0], want, rc);
			failures++;
			continue;
		}
		if (rc != CSHQ_OK)
			continue;
		format_codes(rec.codes, rec.n, got, sizeof(got));
		failures += check_str(f[0], "codes", f[9], got);
		format_basis(rec.basis, rec.n_basis, got, sizeof(got));
		failures += check_str(f[0], "basis", f[10], got);
	}
	assert_int_equal(r, 0);
	tsv_close(&t);
	assert_int_equal(failures, 0);
}

/* art32.tsv: code name_ja date listed kind */
static void test_art32_cases(void **state)
{
	struct tsv t;
	int failures = 0, r;

	(void)state;
	assert_int_equal(tsv_open(&t, REGIME_TEST_DIR, "art32.tsv", "code"), CSHQ_OK);
	while ((r = tsv_next(&t)) == 1) {
		char **f = t.field;
		int32_t date;
		bool want, got;

		assert_int_equal(t.n, 5);
		assert_int_equal(date_parse(f[2], &date), CSHQ_OK);
		want = strcmp(f[3], "1") == 0;
		got = regime_art32_lists(f[1], date);
		if (want != got) {
			print_error("%s %s on %s: want %d, got %d\n", f[0], f[1], f[2], want, got);
			failures++;
		}
		/* a reworded entry names its other wording, and only those do */
		if (strncmp(f[4], "renamed", 7) == 0)
			assert_non_null(regime_art32_other_name(f[1]));
		else
			assert_null(regime_art32_other_name(f[1]));
	}
	assert_int_equal(r, 0);
	tsv_close(&t);
	assert_int_equal(failures, 0);
}

static bool in_list(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

/* The 別表 as data and as a quoted provision are the same table; and the amendment's changes
 * are exactly the ones spec 10 names: 6 added, 2 dropped, 4 reworded. */
static void test_art32_tables(void **state)
{
	size_t n15, n16, added = 0, dropped = 0;
	const char *const *t15 = regime_art32_table(ymd(2016, 10, 20), &n15);
	const char *const *t16 = regime_art32_table(ymd(2016, 10, 21), &n16);
	const char *years[2] = {"2015", "2016"};

	(void)state;
	assert_int_equal(n15, 48);
	assert_int_equal(n16, 52);
	for (int y = 0; y < 2; y++) {
		const struct regime_citation *c =
			regime_cite_version("DataProvisionRules", years[y], "別表", 0, 0);
		const char *const *t = y ? t16 : t15;
		size_t n = y ? n16 : n15;
		const char *p;

		assert_non_null(c);
		p = c->text_ja;
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(t[i]);

			assert_memory_equal(p, t[i], len);
			p += len;
			assert_true(*p == (i + 1 < n ? '\n' : '\0'));
			p++;
		}
	}
	for (size_t i = 0; i < n16; i++) {
		const char *other = regime_art32_other_name(t16[i]);

		if (in_list(t15, n15, t16[i]))
			continue;
		if (other && in_list(t15, n15, other))
			continue;
		added++;
	}
	for (size_t i = 0; i < n15; i++) {
		const char *other = regime_art32_other_name(t15[i]);

		if (in_list(t16, n16, t15[i]) || (other && in_list(t16, n16, other)))
			continue;
		dropped++;
	}
	assert_int_equal(added, 6);
	assert_int_equal(dropped, 2);
	assert_false(in_list(t16, n16, "九州旅客鉄道株式会社"));
	assert_false(in_list(t16, n16, "中部国際空港株式会社"));
	assert_true(in_list(t15, n15, "九州旅客鉄道株式会社"));
	assert_false(regime_art32_lists(NULL, ymd(2016, 10, 21)));
	assert_null(regime_art32_other_name(NULL));
}

static void test_codes(void **state)
{
	(void)state;
	for (int k = 0; k < ORG_KIND_COUNT; k++) {
		enum org_kind out;

		assert_non_null(org_kind_code((enum org_kind)k));
		assert_int_equal(org_kind_parse(org_kind_code((enum org_kind)k), &out), CSHQ_OK);
		assert_int_equal(out, k);
	}
	for (int f = 0; f < RF_COUNT; f++) {
		enum regime_function out;

		assert_non_null(regime_function_code((enum regime_function)f));
		assert_int_equal(
			regime_function_parse(regime_function_code((enum regime_function)f), &out),
			CSHQ_OK);
		assert_int_equal(out, f);
	}
	assert_string_equal(org_kind_code(ORG_CABINET_UNIT), "cabinet_unit");
	assert_string_equal(org_kind_code(ORG_CI_OPERATOR), "ci_operator");
	assert_string_equal(regime_function_code(RF_GSOC_MONITORING), "gsoc_monitoring");
	assert_string_equal(regime_function_code(RF_RISK_GUIDELINE), "risk_guideline");
	assert_string_equal(regime_applies_code(RA_NO), "no");
	assert_string_equal(regime_applies_code(RA_YES), "yes");
	assert_string_equal(regime_applies_code(RA_CONDITIONAL), "conditional");
	assert_string_equal(regime_route_code(ROUTE_VIA), "via");
	assert_null(org_kind_code(ORG_KIND_COUNT));
	assert_null(regime_function_code(RF_COUNT));
	{
		enum org_kind k;
		enum regime_function f;

		assert_int_equal(org_kind_parse("Ministry", &k), CSHQ_EINVAL);
		assert_int_equal(org_kind_parse("", &k), CSHQ_EINVAL);
		assert_int_equal(org_kind_parse(NULL, &k), CSHQ_EINVAL);
		assert_int_equal(regime_function_parse("audits", &f), CSHQ_EINVAL);
		assert_int_equal(regime_function_parse(NULL, &f), CSHQ_EINVAL);
	}
}

static void test_effective_date(void **state)
{
	static const char *const sup[] = {"meti"};
	struct regime_subject ipa = {"ipa", ORG_IAI, sup, 1, false, false};
	struct regime_answer a;

	(void)state;
	assert_int_equal(regime_effective_date(), ymd(2016, 10, 21));
	assert_false(regime_amended_on(ymd(2016, 10, 20)));
	assert_true(regime_amended_on(ymd(2016, 10, 21)));
	assert_string_equal(regime_doc_version("AuditPolicy", ymd(2016, 10, 20)), "2015");
	assert_string_equal(regime_doc_version("RiskGuideline", ymd(2016, 10, 20)), "2014");
	assert_string_equal(regime_doc_version("CymatRules", ymd(2016, 10, 21)), "2016");
	assert_null(regime_doc_version("Act", ymd(2016, 10, 20)));
	assert_null(regime_doc_version("NoSuchDoc", ymd(2016, 10, 21)));

	/* the boundary moves with the setting, and every answer with it */
	regime_set_effective_date(ymd(2016, 11, 1));
	assert_false(regime_amended_on(ymd(2016, 10, 31)));
	regime_evaluate(RF_AUDIT, &ipa, ymd(2016, 10, 21), &a);
	assert_int_equal(a.applies, RA_CONDITIONAL);
	assert_string_equal(a.basis[0]->version, "2015");
	regime_evaluate(RF_AUDIT, &ipa, ymd(2016, 11, 1), &a);
	assert_int_equal(a.applies, RA_YES);
	regime_set_effective_date(ymd(2016, 10, 21));
	regime_evaluate(RF_AUDIT, &ipa, ymd(2016, 10, 21), &a);
	assert_int_equal(a.applies, RA_YES);
	assert_int_equal(a.route, ROUTE_VIA);
	assert_int_equal(a.n_via, 1);
	assert_string_equal(a.via[0], "meti");
	assert_ptr_equal(a.via[0], sup[0]);
}

/* Every function, era, kind and combination of the two facts finds a rule; every rule and heads
 * row cites provisions that exist; names are unique; conditional rows carry their condition. */
static void test_rules_whole(void **state)
{
	const int32_t dates[2] = {ymd(2016, 10, 20), ymd(2016, 10, 21)};

	(void)state;
	for (int f = 0; f < RF_COUNT; f++)
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < ORG_KIND_COUNT; k++)
				for (int facts = 0; facts < 4; facts++) {
					struct regime_subject s = {"x", (enum org_kind)k, NULL, 0,
								   facts & 1, (facts & 2) != 0};

					assert_non_null(regime_match_rule((enum regime_function)f, &s,
									  dates[d]));
				}
	for (size_t i = 0; i < regime_rule_count; i++) {
		const struct regime_rule *r = &regime_rules[i];

		assert_non_null(r->basis[0].doc);
		for (size_t j = 0; j < REGIME_MAX_BASIS && r->basis[j].doc; j++)
			if (!regime_cite_version(r->basis[j].doc, r->basis[j].version,
						 r->basis[j].article, r->basis[j].paragraph,
						 r->basis[j].item))
				fail_msg("rule %s cites a missing provision %s %s %s(%d)(%d)", r->name,
					 r->basis[j].doc, r->basis[j].version, r->basis[j].article,
					 r->basis[j].paragraph, r->basis[j].item);
		assert_true((r->applies == RA_CONDITIONAL) == (r->condition != NULL));
		/* routes only where there is someone to route through */
		if (r->route == ROUTE_VIA)
			assert_int_equal(r->kinds & ~(REGIME_KIND(ORG_IAI) |
						      REGIME_KIND(ORG_CORPORATION) |
						      REGIME_KIND(ORG_CI_OPERATOR)),
					 0);
		for (size_t j = 0; j < i; j++)
			if (strcmp(regime_rules[j].name, r->name) == 0)
				fail_msg("duplicate rule name %s", r->name);
	}
	for (size_t i = 0; i < regime_heads_rule_count; i++) {
		const struct regime_heads_rule *h = &regime_heads_rules[i];

		assert_non_null(h->basis[0].doc);
		for (size_t j = 0; j < REGIME_MAX_BASIS && h->basis[j].doc; j++)
			assert_non_null(regime_cite_version(h->basis[j].doc, h->basis[j].version,
							    h->basis[j].article,
							    h->basis[j].paragraph, h->basis[j].item));
	}
}

static void test_provisions_table(void **state)
{
	size_t n;
	const struct regime_citation *p = regime_provisions(&n);

	(void)state;
	assert_int_equal(n, regime_provision_count);
	assert_true(n > 150);
	for (size_t i = 0; i < n; i++) {
		const char *v;
		bool known = false;

		assert_non_null(p[i].doc);
		assert_non_null(p[i].text_ja);
		assert_true(strlen(p[i].text_ja) > 0);
		assert_true(p[i].paragraph >= 0 && p[i].item >= 0);
		for (size_t d = 0; d < regime_doc_count; d++) {
			if (strcmp(regime_docs[d].doc, p[i].doc) != 0)
				continue;
			v = p[i].version;
			known = (regime_docs[d].old_version &&
				 strcmp(regime_docs[d].old_version, v) == 0) ||
				strcmp(regime_docs[d].new_version, v) == 0;
		}
		if (!known)
			fail_msg("row %zu: unknown doc/version %s %s", i, p[i].doc, p[i].version);
		/* one row per key: regime_cite_version finds this very row */
		assert_ptr_equal(regime_cite_version(p[i].doc, p[i].version, p[i].article,
						     p[i].paragraph, p[i].item),
				 &p[i]);
	}
}

/* The provisions the other modules cite (brief of the engine; spec 20, 40, 50, 60, 70). */
static void test_required_provisions(void **state)
{
	static const struct regime_ref want[] = {
		{"Act", "2016", "13", 0, 0},
		{"Act", "2016", "25", 1, 3},
		{"Act", "2016", "30", 1, 0},
		{"Act", "2016", "30", 2, 0},
		{"Act", "2016", "31", 1, 0},
		{"Act", "2016", "31", 2, 0},
		{"Act", "2016", "32", 1, 0},
		{"Act", "2016", "37", 0, 0},
		{"MajorIncidentRules", "2016", "4", 0, 0},
		{"MajorIncidentRules", "2016", "5", 5, 0},
		{"MajorIncidentRules", "2016", "8", 0, 3},
		{"MajorIncidentRules", "2016", "9", 3, 2},
		{"MajorIncidentRules", "2015", "7", 0, 0},
		{"MajorIncidentRules", "2015", "8", 0, 1},
		{"DataProvisionRules", "2016", "1", 1, 2},
		{"DataProvisionRules", "2016", "別表", 0, 0},
		{"DataProvisionRules", "2015", "3", 1, 0},
		{"AuditPolicy", "2016", "5", 4, 0},
		{"AuditPolicy", "2015", "5", 5, 0},
		{"RiskGuideline", "2016", "2.2", 5, 2},
		{"RiskGuideline", "2014", "1.4", 0, 0},
		{"CymatRules", "2016", "4", 2, 0},
		{"CymatRules", "2016", "13", 2, 0},
		{"CymatRules", "2016", "15", 0, 0},
		{"CymatRules", "2014", "8", 2, 0},
		{"CymatRules", "2014", "16", 0, 0},
		{"Designation", "2016", "4", 0, 0},
		{"HQPolicy", "2016", "4", 0, 0},
		{"AuditPolicy", "2015", "3", 1, 0},
		{"CymatRules", "2014", "12", 2, 4},
		{"CymatRules", "2016", "17", 1, 0},
	};

	(void)state;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(want); i++)
		if (!regime_cite_version(want[i].doc, want[i].version, want[i].article,
					 want[i].paragraph, want[i].item))
			fail_msg("missing %s %s %s(%d)(%d)", want[i].doc, want[i].version,
				 want[i].article, want[i].paragraph, want[i].item);
}

static void test_cite(void **state)
{
	const int32_t before = ymd(2016, 10, 20), after = ymd(2016, 10, 21);
	const struct regime_citation *c;

	(void)state;
	c = regime_cite("MajorIncidentRules", "4", 0, 0, before);
	assert_non_null(c);
	assert_string_equal(c->version, "2015");
	assert_non_null(strstr(c->text_ja, "当該行政機関の長に通知する"));
	c = regime_cite("MajorIncidentRules", "4", 0, 0, after);
	assert_non_null(c);
	assert_string_equal(c->version, "2016");
	assert_non_null(strstr(c->text_ja, "第８条を除き"));
	/* provisions the amendment adds have no current version */
	assert_null(regime_cite("MajorIncidentRules", "5", 4, 0, before));
	assert_null(regime_cite("MajorIncidentRules", "5", 5, 0, before));
	assert_non_null(regime_cite("MajorIncidentRules", "5", 5, 0, after));
	assert_null(regime_cite("CymatRules", "11", 3, 0, before));
	assert_non_null(regime_cite("CymatRules", "11", 4, 0, after));
	assert_null(regime_cite("DataProvisionRules", "1", 1, 3, before));
	/* the seed holds no text of the Act before the amendment */
	assert_null(regime_cite("Act", "13", 0, 0, before));
	assert_non_null(regime_cite("Act", "30", 2, 0, after));
	assert_null(regime_cite("Act", "27", 3, 0, after));
	assert_null(regime_cite("NoSuchDoc", "1", 0, 0, after));
	assert_null(regime_cite(NULL, "1", 0, 0, after));
	assert_null(regime_cite_version("AuditPolicy", "2017", "2", 0, 0));
	assert_null(regime_cite_version("AuditPolicy", "2016", NULL, 0, 0));
	c = regime_cite_version("RiskGuideline", "2016", "1.4", 2, 0);
	assert_non_null(c);
	assert_non_null(strstr(c->text_ja, "指定法人に対して適用する"));
	c = regime_cite_version("AuditPolicy", "2015", "2", 0, 0);
	assert_non_null(c);
	assert_non_null(strstr(c->text_ja, "特に必要があると認める場合"));
}

static void test_report_item(void **state)
{
	static const char *const mic[] = {"mic"};
	static const char *const jaxa_sup[] = {"cao", "mic", "mext", "meti"};
	struct regime_subject ministry = {"mic", ORG_MINISTRY, NULL, 0, false, false};
	struct regime_subject jaxa = {"jaxa", ORG_IAI, jaxa_sup, 4, false, false};
	struct regime_subject ci = {"ci-sample", ORG_CI_OPERATOR, mic, 1, false, false};
	struct regime_subject nhk = {"nhk", ORG_CORPORATION, mic, 1, false, true};
	struct regime_subject jlis = {"jlis", ORG_CORPORATION, mic, 1, true, true};
	const int32_t before = ymd(2016, 10, 20), after = ymd(2016, 10, 21);

	(void)state;
	assert_int_equal(regime_report_item(&ministry, before), 1);
	assert_int_equal(regime_report_item(&ministry, after), 1);
	assert_int_equal(regime_report_item(&jaxa, before), 0);
	assert_int_equal(regime_report_item(&jaxa, after), 1);
	assert_int_equal(regime_report_item(&jlis, after), 1);
	assert_int_equal(regime_report_item(&ci, before), 0);
	assert_int_equal(regime_report_item(&ci, after), 2);
	assert_int_equal(regime_report_item(&nhk, after), 0);
}

/* An IAI with more supervising ministries than the answer holds: the route keeps the first
 * REGIME_MAX_VIA, and regime_heads refuses rather than drop one. */
static void test_many_ministries(void **state)
{
	static const char *const sup[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	struct regime_subject s = {"x", ORG_IAI, sup, 10, false, false};
	struct regime_answer a;
	struct regime_recipients rec;

	(void)state;
	regime_evaluate(RF_MANDATORY_REPORTING, &s, ymd(2016, 10, 21), &a);
	assert_int_equal(a.route, ROUTE_VIA);
	assert_int_equal(a.n_via, REGIME_MAX_VIA);
	assert_string_equal(a.via[0], "a");
	assert_int_equal(regime_heads("MajorIncidentRules", 4, &s, ymd(2016, 10, 21), &rec),
			 CSHQ_ELIMIT);
	s.n_supervising = REGIME_MAX_VIA;
	assert_int_equal(regime_heads("MajorIncidentRules", 4, &s, ymd(2016, 10, 21), &rec),
			 CSHQ_OK);
	assert_int_equal(rec.n, REGIME_MAX_VIA + 1);
	assert_string_equal(rec.codes[REGIME_MAX_VIA], "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_effective_date),
		cmocka_unit_test(test_provisions_table),
		cmocka_unit_test(test_required_provisions),
		cmocka_unit_test(test_rules_whole),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_heads),
		cmocka_unit_test(test_art32_cases),
		cmocka_unit_test(test_art32_tables),
		cmocka_unit_test(test_cite),
		cmocka_unit_test(test_report_item),
		cmocka_unit_test(test_many_ministries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
