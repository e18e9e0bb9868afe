/* test_pdf.c: the PDF writer produces a well-formed document in Japanese, breaks pages by
 * itself, repeats a table's header, refuses invalid UTF-8 and honours its output cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/pdf.h"

static struct pdf_doc *doc(void)
{
	struct pdf_doc *d = NULL;
	struct pdf_meta m = {.title = "特定重大事象 報告書", .author = "内閣サイバーセキュリティセンター",
			     .footer = "機密性3 / TLP:AMBER", .created_at = 1477008000};
	assert_int_equal(pdf_doc_new(&m, &d), CSHQ_OK);
	return d;
}

static bool contains(const struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			return true;
	return false;
}

static void test_document(void **state)
{
	struct pdf_doc *d = doc();
	assert_int_equal(pdf_title(d, "特定重大事象の評価 (事案 1)"), CSHQ_OK);
	assert_int_equal(pdf_heading(d, 1, "１．概要"), CSHQ_OK);
	assert_int_equal(pdf_paragraph(d, "日本年金機構において情報が流出した可能性がある。\n二行目。"), CSHQ_OK);
	const char *pairs[] = {"対象", "日本年金機構 (jps)", "段階", "2 原因究明等", "緊急", NULL};
	assert_int_equal(pdf_fields(d, pairs, 3), CSHQ_OK);
	assert_int_equal(pdf_heading(d, 2, "経過"), CSHQ_OK);
	const char *head[] = {"日時", "主体", "内容", "根拠"};
	const double w[] = {1.2, 1, 2, 2};
	enum { ROWS = 120 };
	const char **cells = calloc(ROWS * 4, sizeof(*cells));
	for (size_t i = 0; i < ROWS * 4; i++)
		cells[i] = i % 4 == 3 ? "重大事象施策評価規則 第4条: 本部長は、特定重大事象が発生したと認めるときは、"
					"当該行政機関等の長に通知するものとする。"
				      : "2016-10-21T09:00:00+09:00";
	struct pdf_table t = {.ncols = 4, .widths = w, .header = head, .cells = cells, .nrows = ROWS};
	assert_int_equal(pdf_table(d, &t), CSHQ_OK);
	free(cells);
	assert_true(pdf_page_count(d) > 2); /* the table broke pages by itself */
	int pages = pdf_page_count(d);
	assert_int_equal(pdf_page_break(d), CSHQ_OK);
	assert_int_equal(pdf_page_count(d), pages + 1);
	assert_int_equal(pdf_page_break(d), CSHQ_OK); /* an empty page is not broken again */
	assert_int_equal(pdf_page_count(d), pages + 1);
	assert_int_equal(pdf_note(d, "以上"), CSHQ_OK);
	struct buf out = BUF_INIT(64 * 1024 * 1024);
	assert_int_equal(pdf_finish(d, &out), CSHQ_OK);
	assert_true(out.len > 1000);
	assert_memory_equal(out.data, "%PDF-", 5);
	assert_true(contains(&out, "%%EOF"));
	assert_true(contains(&out, "NotoSansCJK")); /* the Japanese font is embedded */
	assert_int_equal(pdf_title(d, "late"), CSHQ_ERR); /* finished */
	pdf_free(d);
	buf_release(&out);
}

static void test_long_paragraph_breaks_pages(void **state)
{
	struct pdf_doc *d = doc();
	struct buf text = BUF_INIT(1 << 20);
	for (int i = 0; i < 400; i++)
		buf_printf(&text, "第%d段落：復旧・再発防止策の実施状況を把握する。\n", i);
	assert_int_equal(pdf_paragraph(d, buf_cstr(&text)), CSHQ_OK);
	assert_true(pdf_page_count(d) >= 5);
	/* a cell larger than a page is cut, not drawn over the footer or endlessly */
	const char *cells[] = {"長い", buf_cstr(&text)};
	assert_int_equal(pdf_fields(d, cells, 1), CSHQ_OK);
	struct buf out = BUF_INIT(64 * 1024 * 1024);
	assert_int_equal(pdf_finish(d, &out), CSHQ_OK);
	pdf_free(d);
	buf_release(&text);
	buf_release(&out);
}

static void test_refusals(void **state)
{
	struct pdf_doc *d = doc();
	assert_int_equal(pdf_paragraph(d, "bad \xff\xfe utf-8"), CSHQ_EINVAL);
	assert_int_equal(pdf_heading(d, 3, "x"), CSHQ_EINVAL);
	const char *bad[] = {"a", "\xc3"};
	struct pdf_table t = {.ncols = 2, .cells = bad, .nrows = 1};
	assert_int_equal(pdf_table(d, &t), CSHQ_EINVAL);
	t.ncols = 0;
	assert_int_equal(pdf_table(d, &t), CSHQ_EINVAL);
	assert_int_equal(pdf_paragraph(d, "<b>markup is text</b> & so on"), CSHQ_OK);
	struct buf small = BUF_INIT(100);
	assert_int_equal(pdf_finish(d, &small), CSHQ_ELIMIT);
	assert_int_equal((int)small.len, 0);
	pdf_free(d);
	buf_release(&small);
	struct pdf_meta m = {.title = "\xff"};
	struct pdf_doc *e = (struct pdf_doc *)1;
	assert_int_equal(pdf_doc_new(&m, &e), CSHQ_EINVAL);
	assert_null(e);
	pdf_free(NULL);
}

static void test_file(void **state)
{
	struct pdf_doc *d = doc();
	assert_int_equal(pdf_paragraph(d, "ファイル出力"), CSHQ_OK);
	char path[] = "/tmp/cshq-test-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(pdf_finish_file(d, path), CSHQ_OK);
	FILE *f = fopen(path, "rb");
	char head[5] = {0};
	assert_int_equal(fread(head, 1, 5, f), 5);
	fclose(f);
	unlink(path);
	assert_memory_equal(head, "%PDF-", 5);
	pdf_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_long_paragraph_breaks_pages),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_file),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	pdf_library_release();
	return failed;
}
