/* risk_xlsx_read.c: reads the cells of an .xlsx workbook held in memory (an upload: every
 * byte is hostile). The package is opened with libzip, the parts are parsed with expat:
 * xl/workbook.xml (sheet names), its relationships (which part is which sheet),
 * xl/sharedStrings.xml (phonetic runs left out) and each worksheet's sheetData.
 *
 * Bounds: entries in the package, the uncompressed size of each part and of all parts
 * together (counted while inflating, never trusted from the headers), sheets, cells, the
 * length of a text and of all text; a DTD is refused outright, so no entity is ever
 * expanded. Nothing here allocates without a cap. */
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "modules/risk_impl.h"

#define MAX_ENTRIES 1000
#define MAX_PART (16u * 1024 * 1024)
#define MAX_TOTAL (48u * 1024 * 1024)
#define MAX_SHEETS 32
#define MAX_CELLS 200000
#define MAX_STRINGS 200000
#define MAX_CELL_TEXT (32767u * 4) /* Excel's cell limit is 32767 characters */
#define MAX_ALL_TEXT (32u * 1024 * 1024)
#define MAX_ROW 1048576u
#define MAX_COL 16384u

struct reader {
	char *err;
	size_t errlen;
	int rc;
	size_t text_total;
};

static int fail(struct reader *r, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct reader *r, int rc, const char *fmt, ...)
{
	if (r->rc == CSHQ_OK) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
		r->rc = rc;
	}
	return r->rc;
}

/* ---- the package ---- */

static int read_part(struct reader *r, zip_t *z, const char *name, bool optional, struct buf *out,
		     size_t *total)
{
	buf_init(out, MAX_PART);
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return optional ? CSHQ_ENOTFOUND : fail(r, CSHQ_EINVAL, "not an xlsx workbook: %s is missing", name);
	zip_stat_t zs;
	zip_stat_init(&zs);
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &zs) != 0)
		return fail(r, CSHQ_EINVAL, "unreadable entry %s", name);
	if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
		return fail(r, CSHQ_EINVAL, "encrypted workbooks are not accepted");
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f)
		return fail(r, CSHQ_EINVAL, "unreadable entry %s", name);
	char chunk[65536];
	int rc = CSHQ_OK;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof(chunk));
		if (n < 0) {
			rc = fail(r, CSHQ_EINVAL, "corrupt entry %s", name);
			break;
		}
		if (n == 0)
			break;
		*total += (size_t)n;
		if (*total > MAX_TOTAL || buf_append(out, chunk, (size_t)n) != CSHQ_OK) {
			rc = fail(r, CSHQ_ELIMIT, "the workbook is too large once uncompressed");
			break;
		}
	}
	zip_fclose(f);
	return rc;
}

/* ---- XML: one parser per part, the handlers see local names only ---- */

static const char *local(const char *name)
{
	const char *p = strrchr(name, '|');
	if (p)
		return p + 1;
	p = strrchr(name, ':');
	return p ? p + 1 : name;
}

static bool namespaced(const char *name)
{
	return strchr(name, '|') != NULL;
}

static const char *attr(const char **atts, const char *want, bool want_ns)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), want) == 0 && namespaced(atts[i]) == want_ns)
			return atts[i + 1];
	return NULL;
}

struct xml_job {
	struct reader *r;
	XML_Parser p;
	void *ud;
};

static void XMLCALL refuse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
				   const XML_Char *pubid, int has_internal_subset)
{
	struct xml_job *j = ud;
	fail(j->r, CSHQ_EINVAL, "a document type declaration is not accepted in a workbook");
	XML_StopParser(j->p, XML_FALSE);
}

static int parse_xml(struct reader *r, const struct buf *b, const char *part, XML_StartElementHandler start,
		     XML_EndElementHandler end, XML_CharacterDataHandler chars, void *ud)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	if (!p)
		return fail(r, CSHQ_ERR, "out of memory");
	struct xml_job job = {r, p, ud};
	XML_SetUserData(p, &job);
	XML_SetElementHandler(p, start, end);
	if (chars)
		XML_SetCharacterDataHandler(p, chars);
	XML_SetStartDoctypeDeclHandler(p, refuse_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(p, b->data ? b->data : "", (int)b->len, XML_TRUE) == XML_STATUS_ERROR && r->rc == CSHQ_OK)
		fail(r, CSHQ_EINVAL, "%s: malformed XML at line %lu: %s", part, (unsigned long)XML_GetCurrentLineNumber(p),
		     XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	return r->rc;
}

#define JOB(ud) ((struct xml_job *)(ud))
#define STOP_IF_FAILED(ud)                                          \
	do {                                                        \
		if (JOB(ud)->r->rc != CSHQ_OK) {                    \
			XML_StopParser(JOB(ud)->p, XML_FALSE);      \
			return;                                     \
		}                                                   \
	} while (0)

/* workbook.xml: sheet names and relationship ids, in order */
struct sheet_ref {
	char *name, *rid, *target;
};
struct workbook {
	struct sheet_ref v[MAX_SHEETS];
	size_t n;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct workbook *wb = JOB(ud)->ud;
	STOP_IF_FAILED(ud);
	if (strcmp(local(name), "sheet") != 0)
		return;
	const char *n = attr(atts, "name", false), *rid = attr(atts, "id", true);
	if (!n || !rid || strlen(n) > 128 || strlen(rid) > 128) {
		fail(JOB(ud)->r, CSHQ_EINVAL, "workbook.xml: a sheet without name or relationship");
		return;
	}
	if (wb->n == MAX_SHEETS) {
		fail(JOB(ud)->r, CSHQ_ELIMIT, "more than %d sheets", MAX_SHEETS);
		return;
	}
	wb->v[wb->n].name = xstrdup(n);
	wb->v[wb->n].rid = xstrdup(rid);
	wb->n++;
}

static void XMLCALL no_end(void *ud, const XML_Char *name)
{
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct workbook *wb = JOB(ud)->ud;
	STOP_IF_FAILED(ud);
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id", false), *target = attr(atts, "Target", false);
	if (!id || !target || strlen(target) > 200)
		return;
	for (size_t i = 0; i < wb->n; i++)
		if (!wb->v[i].target && strcmp(wb->v[i].rid, id) == 0)
			wb->v[i].target = xstrdup(target);
}

/* text collected from <t> elements outside phonetic runs (<rPh>) */
struct text_acc {
	struct buf text;
	int in_t;
	int in_rph;
};

static void acc_chars(struct reader *r, struct text_acc *a, const XML_Char *s, int len)
{
	if (!a->in_t || a->in_rph)
		return;
	r->text_total += (size_t)len;
	if (r->text_total > MAX_ALL_TEXT || buf_append(&a->text, s, (size_t)len) != CSHQ_OK)
		fail(r, CSHQ_ELIMIT, "a text of the workbook is too long");
}

/* sharedStrings.xml */
struct sst {
	char **v;
	size_t n, cap;
	struct text_acc acc;
	bool in_si;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst *s = JOB(ud)->ud;
	STOP_IF_FAILED(ud);
	const char *l = local(name);
	if (strcmp(l, "si") == 0) {
		s->in_si = true;
		buf_reset(&s->acc.text);
	} else if (strcmp(l, "rPh") == 0) {
		s->acc.in_rph++;
	} else if (strcmp(l, "t") == 0 && s->in_si) {
		s->acc.in_t++;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = JOB(ud)->ud;
	STOP_IF_FAILED(ud);
	const char *l = local(name);
	if (strcmp(l, "rPh") == 0 && s->acc.in_rph > 0) {
		s->acc.in_rph--;
	} else if (strcmp(l, "t") == 0 && s->acc.in_t > 0) {
		s->acc.in_t--;
	} else if (strcmp(l, "si") == 0 && s->in_si) {
		s->in_si = false;
		if (s->n == MAX_STRINGS) {
			fail(JOB(ud)->r, CSHQ_ELIMIT, "more than %d shared strings", MAX_STRINGS);
			return;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
		}
		s->v[s->n++] = xstrndup(buf_cstr(&s->acc.text), s->acc.text.len);
	}
}

static void XMLCALL sst_chars(void *ud, const XML_Char *txt, int len)
{
	struct sst *s = JOB(ud)->ud;
	acc_chars(JOB(ud)->r, &s->acc, txt, len);
}

/* a worksheet's cells */
struct sheet_parse {
	struct risk_xlsx_sheet *out;
	const struct sst *sst;
	size_t *cells_total;
	uint32_t row, col;     /* current row (1-based in the file), last column */
	bool in_row, in_cell, in_v, in_is;
	char type[16];
	struct buf v;
	struct text_acc is;
};

/* "AB12" -> column 27 (0-based 27), row 11 (0-based). false when malformed or too far. */
static bool parse_ref(const char *ref, uint32_t *row, uint32_t *col)
{
	uint32_t c = 0, r = 0;
	size_t i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		if (i >= 3)
			return false;
		c = c * 26 + (uint32_t)(ref[i] - 'A' + 1);
	}
	if (i == 0 || ref[i] == '\0')
		return false;
	size_t digits = 0;
	for (; ref[i] >= '0' && ref[i] <= '9'; i++) {
		if (++digits > 7)
			return false;
		r = r * 10 + (uint32_t)(ref[i] - '0');
	}
	if (ref[i] != '\0' || r == 0 || r > MAX_ROW || c > MAX_COL)
		return false;
	*row = r;
	*col = c;
	return true;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet_parse *s = JOB(ud)->ud;
	struct reader *r = JOB(ud)->r;
	STOP_IF_FAILED(ud);
	const char *l = local(name);
	if (strcmp(l, "row") == 0) {
		const char *rr = attr(atts, "r", false);
		uint32_t n = s->row + 1;
		if (rr) {
			char *end;
			unsigned long v = strtoul(rr, &end, 10);
			if (*end || v == 0 || v > MAX_ROW || rr[0] == '-' || rr[0] == '+') {
				fail(r, CSHQ_EINVAL, "%s: a row number out of range", s->out->name);
				return;
			}
			n = (uint32_t)v;
		}
		s->row = n;
		s->col = 0;
		s->in_row = true;
	} else if (strcmp(l, "c") == 0 && s->in_row) {
		const char *ref = attr(atts, "r", false), *t = attr(atts, "t", false);
		uint32_t row = s->row, col = s->col + 1;
		if (ref && !parse_ref(ref, &row, &col)) {
			fail(r, CSHQ_EINVAL, "%s: a malformed cell reference", s->out->name);
			return;
		}
		if (row != s->row || col > MAX_COL) {
			fail(r, CSHQ_EINVAL, "%s: a cell outside its row", s->out->name);
			return;
		}
		s->col = col;
		snprintf(s->type, sizeof(s->type), "%s", t ? t : "n");
		s->in_cell = true;
		buf_reset(&s->v);
		buf_reset(&s->is.text);
		s->in_is = false;
	} else if (strcmp(l, "v") == 0 && s->in_cell) {
		s->in_v = true;
	} else if (strcmp(l, "is") == 0 && s->in_cell) {
		s->in_is = true;
	} else if (strcmp(l, "rPh") == 0 && s->in_is) {
		s->is.in_rph++;
	} else if (strcmp(l, "t") == 0 && s->in_is) {
		s->is.in_t++;
	}
}

static void add_cell(struct reader *r, struct sheet_parse *s, char type, const char *text, size_t len)
{
	if (++*s->cells_total > MAX_CELLS) {
		fail(r, CSHQ_ELIMIT, "more than %d cells", MAX_CELLS);
		return;
	}
	struct risk_xlsx_sheet *o = s->out;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->cells = xrealloc(o->cells, o->cap * sizeof(*o->cells));
	}
	o->cells[o->n++] = (struct risk_xlsx_cell){.row = s->row - 1, .col = s->col - 1, .type = type,
						   .text = xstrndup(text, len)};
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet_parse *s = JOB(ud)->ud;
	struct reader *r = JOB(ud)->r;
	STOP_IF_FAILED(ud);
	const char *l = local(name);
	if (strcmp(l, "row") == 0) {
		s->in_row = false;
	} else if (strcmp(l, "v") == 0) {
		s->in_v = false;
	} else if (strcmp(l, "is") == 0) {
		s->in_is = false;
	} else if (strcmp(l, "rPh") == 0 && s->is.in_rph > 0) {
		s->is.in_rph--;
	} else if (strcmp(l, "t") == 0 && s->is.in_t > 0) {
		s->is.in_t--;
	} else if (strcmp(l, "c") == 0 && s->in_cell) {
		s->in_cell = false;
		const char *t = s->type;
		if (strcmp(t, "inlineStr") == 0) {
			add_cell(r, s, 's', buf_cstr(&s->is.text), s->is.text.len);
		} else if (s->v.len == 0) {
			return; /* an empty (formatted) cell */
		} else if (strcmp(t, "s") == 0) {
			char *end;
			unsigned long i = strtoul(buf_cstr(&s->v), &end, 10);
			if (*end || buf_cstr(&s->v)[0] == '-' || i >= s->sst->n) {
				fail(r, CSHQ_EINVAL, "%s: a shared string index out of range", s->out->name);
				return;
			}
			add_cell(r, s, 's', s->sst->v[i], strlen(s->sst->v[i]));
		} else if (strcmp(t, "str") == 0) {
			add_cell(r, s, 's', buf_cstr(&s->v), s->v.len);
		} else if (strcmp(t, "b") == 0) {
			add_cell(r, s, 'b', buf_cstr(&s->v), s->v.len);
		} else if (strcmp(t, "e") == 0) {
			add_cell(r, s, 'e', buf_cstr(&s->v), s->v.len);
		} else if (strcmp(t, "n") == 0 || strcmp(t, "d") == 0) {
			add_cell(r, s, 'n', buf_cstr(&s->v), s->v.len);
		} else {
			fail(r, CSHQ_EINVAL, "%s: unknown cell type", s->out->name);
		}
	}
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *txt, int len)
{
	struct sheet_parse *s = JOB(ud)->ud;
	struct reader *r = JOB(ud)->r;
	if (r->rc != CSHQ_OK)
		return;
	if (s->in_v) {
		r->text_total += (size_t)len;
		if (r->text_total > MAX_ALL_TEXT || buf_append(&s->v, txt, (size_t)len) != CSHQ_OK)
			fail(r, CSHQ_ELIMIT, "a cell of the workbook is too long");
	} else if (s->in_is) {
		acc_chars(r, &s->is, txt, len);
	}
}

/* The part a relationship target names, relative to xl/ unless absolute. */
static bool part_name(const char *target, char *out, size_t cap)
{
	int n = target[0] == '/' ? snprintf(out, cap, "%s", target + 1) : snprintf(out, cap, "xl/%s", target);
	if (n < 0 || (size_t)n >= cap || strstr(out, ".."))
		return false;
	return true;
}

int risk_xlsx_read(const void *data, size_t len, struct risk_xlsx_book *out, char *err,
		   size_t errlen)
{
	memset(out, 0, sizeof(*out));
	struct reader r = {.err = err, .errlen = errlen, .rc = CSHQ_OK};
	err[0] = '\0';
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		return fail(&r, CSHQ_EINVAL, "not an xlsx workbook");
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	zip_error_fini(&zerr);
	if (!z) {
		zip_source_free(src);
		return fail(&r, CSHQ_EINVAL, "not an xlsx workbook (not a readable ZIP package)");
	}
	struct workbook wb = {0};
	struct sst sst = {0};
	struct buf part = BUF_INIT(0);
	size_t total = 0, cells_total = 0;
	buf_init(&sst.acc.text, MAX_CELL_TEXT);
	zip_int64_t entries = zip_get_num_entries(z, 0);
	if (entries < 0 || entries > MAX_ENTRIES) {
		fail(&r, CSHQ_ELIMIT, "more than %d entries in the package", MAX_ENTRIES);
		goto done;
	}
	if (read_part(&r, z, "xl/workbook.xml", false, &part, &total) != CSHQ_OK ||
	    parse_xml(&r, &part, "workbook.xml", wb_start, no_end, NULL, &wb) != CSHQ_OK)
		goto done;
	buf_release(&part);
	if (read_part(&r, z, "xl/_rels/workbook.xml.rels", false, &part, &total) != CSHQ_OK)
		goto done;
	if (parse_xml(&r, &part, "workbook.xml.rels", rels_start, no_end, NULL, &wb) != CSHQ_OK)
		goto done;
	buf_release(&part);
	int rc = read_part(&r, z, "xl/sharedStrings.xml", true, &part, &total);
	if (rc == CSHQ_OK) {
		if (parse_xml(&r, &part, "sharedStrings.xml", sst_start, sst_end, sst_chars, &sst) != CSHQ_OK)
			goto done;
	} else if (rc != CSHQ_ENOTFOUND) {
		goto done;
	}
	buf_release(&part);
	out->sheets = xcalloc(wb.n ? wb.n : 1, sizeof(*out->sheets));
	for (size_t i = 0; i < wb.n; i++) {
		char name[256];
		if (!wb.v[i].target || !part_name(wb.v[i].target, name, sizeof(name))) {
			fail(&r, CSHQ_EINVAL, "sheet \"%.60s\" has no readable part", wb.v[i].name);
			goto done;
		}
		struct risk_xlsx_sheet *sh = &out->sheets[out->n++];
		sh->name = xstrdup(wb.v[i].name);
		if (read_part(&r, z, name, false, &part, &total) != CSHQ_OK)
			goto done;
		struct sheet_parse sp = {.out = sh, .sst = &sst, .cells_total = &cells_total};
		buf_init(&sp.v, MAX_CELL_TEXT);
		buf_init(&sp.is.text, MAX_CELL_TEXT);
		parse_xml(&r, &part, sh->name, sheet_start, sheet_end, sheet_chars, &sp);
		buf_release(&sp.v);
		buf_release(&sp.is.text);
		buf_release(&part);
		if (r.rc != CSHQ_OK)
			goto done;
	}
done:
	buf_release(&part);
	buf_release(&sst.acc.text);
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	for (size_t i = 0; i < wb.n; i++) {
		free(wb.v[i].name);
		free(wb.v[i].rid);
		free(wb.v[i].target);
	}
	zip_discard(z);
	if (r.rc != CSHQ_OK)
		risk_xlsx_book_release(out);
	return r.rc;
}

void risk_xlsx_book_release(struct risk_xlsx_book *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		for (size_t j = 0; j < b->sheets[i].n; j++)
			free(b->sheets[i].cells[j].text);
		free(b->sheets[i].cells);
		free(b->sheets[i].name);
	}
	free(b->sheets);
	memset(b, 0, sizeof(*b));
}
