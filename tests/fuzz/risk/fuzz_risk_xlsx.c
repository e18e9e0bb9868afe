/* fuzz_risk_xlsx.c: POST /risk/assessments/{id}/worksheet without the server: the .xlsx
 * reader, the mapping of its sheets onto the worksheet, then the whole-worksheet check
 * against a small countermeasure set, the canonical order and the content hash.
 *
 * Two input forms. A raw .xlsx (any first byte but 'P') reaches the ZIP layer as uploaded.
 * Since a mutation of a compressed entry rarely survives its CRC, an input starting with
 * 'P' is a list of XML parts separated by "\n--part--\n" (workbook, its relationships,
 * shared strings, sheets 1-5) that the harness zips first, so the XML parsers and the
 * sheet mapping get the mutations. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "modules/risk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char SET[] =
	"{\"version\": \"2016.1\", \"scenarios\": ["
	"{\"id\": \"S1\", \"title\": \"s1\", \"objectives\": [{\"id\": \"O1\", \"title\": \"o1\", \"countermeasures\": ["
	"{\"id\": \"C1\", \"title\": \"c1\", \"components\": [\"mail_gateway\"]},"
	"{\"id\": \"C2\", \"title\": \"c2\", \"components\": [\"terminal\"]}]}]},"
	"{\"id\": \"S2\", \"title\": \"s2\", \"objectives\": [{\"id\": \"O2\", \"title\": \"o2\", \"countermeasures\": ["
	"{\"id\": \"C3\", \"title\": \"c3\", \"components\": [\"terminal\", \"directory\"]},"
	"{\"id\": \"C4\", \"title\": \"c4\", \"components\": [\"directory\"]}]}]}]}";

static const char *const PARTS[] = {
	"xl/workbook.xml",          "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
	"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",   "xl/worksheets/sheet3.xml",
	"xl/worksheets/sheet4.xml", "xl/worksheets/sheet5.xml",
};
static const char SEP[] = "\n--part--\n";

static struct risk_set set;

/* Zips the parts of a 'P' input; returns a malloc'ed archive or NULL. */
static uint8_t *zip_parts(const uint8_t *data, size_t size, size_t *out_len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
	uint8_t *out = NULL;
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&err);
		return NULL;
	}
	zip_source_keep(src);
	const uint8_t *p = data, *end = data + size;
	for (size_t i = 0; i < sizeof(PARTS) / sizeof(PARTS[0]) && p <= end; i++) {
		const uint8_t *q = p;
		while (q + sizeof(SEP) - 1 <= end && memcmp(q, SEP, sizeof(SEP) - 1) != 0)
			q++;
		if (q + sizeof(SEP) - 1 > end)
			q = end;
		zip_source_t *part = zip_source_buffer(z, p, (zip_uint64_t)(q - p), 0);
		if (!part || zip_file_add(z, PARTS[i], part, ZIP_FL_ENC_UTF_8) < 0)
			zip_source_free(part);
		p = q + sizeof(SEP) - 1;
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		zip_source_free(src);
		zip_error_fini(&err);
		return NULL;
	}
	zip_stat_t st;
	if (zip_source_open(src) == 0) {
		if (zip_source_stat(src, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size < (1u << 26)) {
			out = malloc(st.size ? st.size : 1);
			zip_int64_t n = out ? zip_source_read(src, out, st.size) : -1;
			if (n < 0 || (zip_uint64_t)n != st.size) {
				free(out);
				out = NULL;
			} else {
				*out_len = (size_t)n;
			}
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&err);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!set.body) {
		json_t *in = json_loads(SET, 0, NULL), *canon = NULL;
		char err[300];
		if (!in || risk_set_validate(in, &canon, err, sizeof(err)) != CSHQ_OK)
			abort();
		risk_set_from_body(canon, &set);
		json_decref(canon);
		json_decref(in);
	}
	uint8_t *zipped = NULL;
	if (size > 0 && data[0] == 'P') {
		size_t len = 0;
		if (!(zipped = zip_parts(data + 1, size - 1, &len)))
			return 0;
		data = zipped;
		size = len;
	}
	json_t *out = NULL;
	char err[300];
	if (risk_xlsx_import(data, size, &out, err, sizeof(err)) == CSHQ_OK) {
		json_t *ws = json_object_get(out, "worksheet");
		json_t *fy = json_object_get(json_object_get(out, "meta"), "fiscal_year");
		int year = json_is_integer(fy) ? (int)(json_integer_value(fy) % 10000) : 2030;
		if (risk_ws_validate(ws, &set, year, err, sizeof(err)) == CSHQ_OK) {
			char hash[65];
			risk_ws_hash("org", year, set.version, ws, hash);
			(void)risk_ws_stage(ws);
		}
		json_decref(out);
	}
	free(zipped);
	return 0;
}
