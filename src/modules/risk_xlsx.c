/* risk_xlsx.c: the worksheet as an .xlsx workbook, so that bodies can keep working in a
 * spreadsheet (spec 60): written with libxlsxwriter, read back with risk_xlsx_read.
 *
 * Layout: a summary sheet (key/value: which body, fiscal year and countermeasure set the
 * file belongs to) and one sheet per table of the worksheet. Each table sheet has the
 * Japanese column titles in row 1 and the field keys in row 2; the import finds columns by
 * those keys, so columns may be moved but not renamed. Lists of codes (categories,
 * components) are joined with ";". Columns marked informational (titles from the set) are
 * written for the reader and ignored on import. Every value the worksheet holds is
 * written, so export then import gives back the same worksheet. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "modules/risk_impl.h"

#define SHEET_SUMMARY "概要"
#define SHEET_DOMAINS "業務領域"
#define SHEET_SYSTEMS "対象システム"
#define SHEET_CHECKS "現状点検"
#define SHEET_PLAN "対策導入計画"

enum col_kind { C_TEXT, C_OPT_TEXT, C_LIST, C_INT, C_BOOL, C_INFO };

struct col {
	const char *key;
	const char *title;
	enum col_kind kind;
	double width;
};

static const struct col DOMAIN_COLS[] = {
	{"name", "業務領域", C_TEXT, 30},
	{"reason", "選定理由 (sensitive/grave_impact/confidential)", C_TEXT, 22},
	{"categories", "機微情報の区分 (;区切り)", C_LIST, 28},
	{"impact", "影響度等", C_OPT_TEXT, 50},
	{"protected", "保護対象", C_BOOL, 10},
};
static const struct col SYSTEM_COLS[] = {
	{"name", "対象システム", C_TEXT, 28},
	{"domain", "業務領域", C_TEXT, 24},
	{"criterion", "特定基準 (1/2)", C_INT, 10},
	{"components", "構成要素 (;区切り)", C_LIST, 30},
	{"built_on", "構築基盤のシステム", C_OPT_TEXT, 20},
	{"air_gapped_counterpart", "データをやり取りする外部から切り離されたシステム", C_OPT_TEXT, 28},
	{"pulled_in_by", "追加の契機となったシステム", C_OPT_TEXT, 20},
	{"residual_risk", "残存リスク (high/medium/low)", C_OPT_TEXT, 14},
	{"plan_drafted", "計画作成済み", C_BOOL, 10},
	{"plan_review", "計画の見直し（進捗を踏まえて）", C_OPT_TEXT, 40},
};
static const struct col CHECK_COLS[] = {
	{"system", "対象システム", C_TEXT, 24},
	{"countermeasure", "対策", C_TEXT, 14},
	{"component", "構成要素", C_TEXT, 16},
	{"implemented", "実施済み", C_BOOL, 10},
	{"countermeasure_title", "対策の内容（参考）", C_INFO, 40},
	{"objective", "統制目標（参考）", C_INFO, 14},
	{"scenario", "攻撃シナリオ（参考）", C_INFO, 14},
};
static const struct col PLAN_COLS[] = {
	{"system", "対象システム", C_TEXT, 24},
	{"countermeasure", "対策", C_TEXT, 14},
	{"fiscal_year", "導入年度", C_INT, 10},
	{"countermeasure_title", "対策の内容（参考）", C_INFO, 40},
};

/* ---- writing ---- */

struct writer {
	lxw_workbook *wb;
	lxw_format *head, *key;
	lxw_error err;
};

static void note(struct writer *w, lxw_error e)
{
	if (e != LXW_NO_ERROR && w->err == LXW_NO_ERROR)
		w->err = e;
}

static lxw_worksheet *table_sheet(struct writer *w, const char *name, const struct col *cols, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	if (!ws) {
		note(w, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (size_t c = 0; c < n; c++) {
		note(w, worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].title, w->head));
		note(w, worksheet_write_string(ws, 1, (lxw_col_t)c, cols[c].key, w->key));
		note(w, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL));
	}
	worksheet_freeze_panes(ws, 2, 0);
	return ws;
}

static void put_value(struct writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		      const struct col *c, json_t *v)
{
	if (!v || json_is_null(v))
		return;
	switch (c->kind) {
	case C_LIST: {
		struct buf b = BUF_INIT(64 * 1024);
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) buf_printf(&b, "%s%s", i ? ";" : "", json_string_value(x));
		if (b.len)
			note(w, worksheet_write_string(ws, row, col, buf_cstr(&b), NULL));
		buf_release(&b);
		break;
	}
	case C_INT:
		note(w, worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL));
		break;
	case C_BOOL:
		note(w, worksheet_write_boolean(ws, row, col, json_is_true(v), NULL));
		break;
	default:
		if (json_is_string(v))
			note(w, worksheet_write_string(ws, row, col, json_string_value(v), NULL));
		break;
	}
}

static void put_row(struct writer *w, lxw_worksheet *ws, lxw_row_t row, const struct col *cols, size_t n,
		    json_t *obj)
{
	for (size_t c = 0; c < n; c++)
		put_value(w, ws, row, (lxw_col_t)c, &cols[c], json_object_get(obj, cols[c].key));
}

static void list_validation(struct writer *w, lxw_worksheet *ws, lxw_col_t col, const char **values)
{
	lxw_data_validation dv = {0};
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = (char **)values; /* not written to: the library's type lacks const */
	dv.ignore_blank = LXW_VALIDATION_ON;
	note(w, worksheet_data_validation_range(ws, 2, col, 10000, col, &dv));
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return CSHQ_ERR;
	char chunk[65536];
	size_t n;
	int rc = CSHQ_OK;
	while (rc == CSHQ_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(out, chunk, n);
	if (ferror(f))
		rc = CSHQ_ERR;
	fclose(f);
	return rc;
}

int risk_xlsx_write(json_t *meta, json_t *ws_json, const struct risk_set *set, struct buf *out)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/cshq-risk-XXXXXX.xlsx", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return CSHQ_ERR;
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
	struct writer w = {.wb = workbook_new_opt(path, &opt)};
	if (!w.wb) {
		unlink(path);
		return CSHQ_ERR;
	}
	w.head = workbook_add_format(w.wb);
	format_set_bold(w.head);
	format_set_text_wrap(w.head);
	format_set_bg_color(w.head, 0xDDE5F0);
	w.key = workbook_add_format(w.wb);
	format_set_font_color(w.key, LXW_COLOR_GRAY);
	format_set_italic(w.key);

	/* summary */
	lxw_worksheet *s = workbook_add_worksheet(w.wb, SHEET_SUMMARY);
	if (!s)
		note(&w, LXW_ERROR_MEMORY_MALLOC_FAILED);
	else {
		static const struct {
			const char *key, *label;
		} rows[] = {
			{"assessment", "評価 ID"}, {"org", "組織コード"}, {"org_name", "組織名"}, {"fiscal_year", "年度"},
			{"countermeasure_set", "対策セット"}, {"state", "状態"}, {"content_hash", "内容ハッシュ (SHA-256)"},
		};
		note(&w, worksheet_write_string(s, 0, 0, "項目", w.head));
		note(&w, worksheet_write_string(s, 0, 1, "key", w.head));
		note(&w, worksheet_write_string(s, 0, 2, "値", w.head));
		worksheet_set_column(s, 0, 0, 24, NULL);
		worksheet_set_column(s, 1, 1, 20, NULL);
		worksheet_set_column(s, 2, 2, 70, NULL);
		for (size_t i = 0; i < CSHQ_ARRAY_LEN(rows); i++) {
			json_t *v = json_object_get(meta, rows[i].key);
			note(&w, worksheet_write_string(s, (lxw_row_t)(i + 1), 0, rows[i].label, NULL));
			note(&w, worksheet_write_string(s, (lxw_row_t)(i + 1), 1, rows[i].key, w.key));
			if (json_is_integer(v))
				note(&w, worksheet_write_number(s, (lxw_row_t)(i + 1), 2, (double)json_integer_value(v), NULL));
			else if (json_is_string(v))
				note(&w, worksheet_write_string(s, (lxw_row_t)(i + 1), 2, json_string_value(v), NULL));
		}
		note(&w, worksheet_write_string(s, (lxw_row_t)(CSHQ_ARRAY_LEN(rows) + 2), 0,
						"各シートの2行目の項目キーは変更しないでください（取込み時に列を識別します）。", NULL));
	}
	/* domains */
	static const char *reasons[] = {"sensitive", "grave_impact", "confidential", NULL};
	static const char *residuals[] = {"high", "medium", "low", NULL};
	lxw_worksheet *sd = table_sheet(&w, SHEET_DOMAINS, DOMAIN_COLS, CSHQ_ARRAY_LEN(DOMAIN_COLS));
	size_t i, j;
	json_t *d, *sys, *c;
	lxw_row_t row = 2;
	if (sd) {
		list_validation(&w, sd, 1, reasons);
		json_array_foreach(json_object_get(ws_json, "domains"), i, d)
			put_row(&w, sd, row++, DOMAIN_COLS, CSHQ_ARRAY_LEN(DOMAIN_COLS), d);
	}
	/* systems */
	lxw_worksheet *ss = table_sheet(&w, SHEET_SYSTEMS, SYSTEM_COLS, CSHQ_ARRAY_LEN(SYSTEM_COLS));
	if (ss) {
		list_validation(&w, ss, 7, residuals);
		row = 2;
		json_array_foreach(json_object_get(ws_json, "systems"), i, sys)
		{
			put_row(&w, ss, row, SYSTEM_COLS, CSHQ_ARRAY_LEN(SYSTEM_COLS), sys);
			note(&w, worksheet_write_boolean(ss, row, 8, json_is_array(json_object_get(sys, "plan")), NULL));
			row++;
		}
	}
	/* checks */
	lxw_worksheet *sc = table_sheet(&w, SHEET_CHECKS, CHECK_COLS, CSHQ_ARRAY_LEN(CHECK_COLS));
	lxw_worksheet *sp = table_sheet(&w, SHEET_PLAN, PLAN_COLS, CSHQ_ARRAY_LEN(PLAN_COLS));
	lxw_row_t crow = 2, prow = 2;
	json_array_foreach(json_object_get(ws_json, "systems"), i, sys)
	{
		const char *name = risk_str(sys, "name");
		json_array_foreach(json_object_get(sys, "checks"), j, c)
		{
			if (!sc)
				break;
			const char *cm = risk_str(c, "countermeasure"), *comp = risk_str(c, "component");
			const struct risk_item *it = risk_set_find(set, cm, comp);
			note(&w, worksheet_write_string(sc, crow, 0, name, NULL));
			note(&w, worksheet_write_string(sc, crow, 1, cm, NULL));
			note(&w, worksheet_write_string(sc, crow, 2, comp, NULL));
			note(&w, worksheet_write_boolean(sc, crow, 3, json_is_true(json_object_get(c, "implemented")), NULL));
			if (it) {
				note(&w, worksheet_write_string(sc, crow, 4, it->cm_title, NULL));
				note(&w, worksheet_write_string(sc, crow, 5, it->objective, NULL));
				note(&w, worksheet_write_string(sc, crow, 6, it->scenario, NULL));
			}
			crow++;
		}
		json_array_foreach(json_object_get(sys, "plan"), j, c)
		{
			if (!sp)
				break;
			const char *cm = risk_str(c, "countermeasure");
			const struct risk_item *it = risk_set_find(set, cm, NULL);
			note(&w, worksheet_write_string(sp, prow, 0, name, NULL));
			note(&w, worksheet_write_string(sp, prow, 1, cm, NULL));
			note(&w, worksheet_write_number(sp, prow, 2, (double)json_integer_value(json_object_get(c, "fiscal_year")), NULL));
			if (it)
				note(&w, worksheet_write_string(sp, prow, 3, it->cm_title, NULL));
			prow++;
		}
	}
	lxw_error e = workbook_close(w.wb);
	int rc = w.err == LXW_NO_ERROR && e == LXW_NO_ERROR ? CSHQ_OK : CSHQ_ERR;
	if (rc == CSHQ_OK)
		rc = read_file(path, out);
	unlink(path);
	return rc;
}

/* ---- importing ---- */

/* a table holds at most RISK_MAX_CHECKS rows and its two header rows */
#define MAX_TABLE_ROWS (RISK_MAX_CHECKS + 1000)

struct grid {
	const struct risk_xlsx_sheet *sheet;
	uint32_t rows, cols;
	const struct risk_xlsx_cell **cell; /* rows x cols, NULL for an empty cell */
};

static const struct risk_xlsx_sheet *find_sheet(const struct risk_xlsx_book *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->sheets[i].name, name) == 0)
			return &b->sheets[i];
	return NULL;
}

/* Lays the cells out as a grid of at most max_cols columns (the workbook's caps bound the
 * rows); cells beyond are refused. */
static int grid_of(const struct risk_xlsx_sheet *s, uint32_t max_cols, struct grid *g, char *err, size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->sheet = s;
	g->cols = max_cols;
	for (size_t i = 0; i < s->n; i++) {
		if (s->cells[i].text[0] == '\0')
			continue;
		if (s->cells[i].col >= max_cols)
			return risk_fail(err, errlen, "sheet %s: a value outside the table (column %u)", s->name, s->cells[i].col + 1);
		if (s->cells[i].row >= MAX_TABLE_ROWS)
			return risk_fail(err, errlen, "sheet %s: more than %d rows", s->name, MAX_TABLE_ROWS);
		if (s->cells[i].row + 1 > g->rows)
			g->rows = s->cells[i].row + 1;
	}
	g->cell = xcalloc((size_t)g->rows * max_cols + 1, sizeof(*g->cell));
	for (size_t i = 0; i < s->n; i++)
		if (s->cells[i].text[0] != '\0' && s->cells[i].col < max_cols && s->cells[i].row < g->rows)
			g->cell[(size_t)s->cells[i].row * max_cols + s->cells[i].col] = &s->cells[i];
	return CSHQ_OK;
}

static const struct risk_xlsx_cell *at(const struct grid *g, uint32_t row, uint32_t col)
{
	if (row >= g->rows || col >= g->cols)
		return NULL;
	return g->cell[(size_t)row * g->cols + col];
}

static bool blank(const struct risk_xlsx_cell *c)
{
	return !c || c->text[0] == '\0';
}

/* Maps the key row (row 2) onto the columns: map[i] = index into cols, or -1. */
static int header(const struct grid *g, const struct col *cols, size_t n, int *map, char *err, size_t errlen)
{
	bool seen[16] = {0};
	for (uint32_t c = 0; c < g->cols; c++) {
		map[c] = -1;
		const struct risk_xlsx_cell *cell = at(g, 1, c);
		if (blank(cell))
			continue;
		size_t k = 0;
		while (k < n && strcmp(cols[k].key, cell->text) != 0)
			k++;
		if (k == n)
			return risk_fail(err, errlen, "sheet %s: unknown column key \"%.40s\" in row 2", g->sheet->name, cell->text);
		if (seen[k])
			return risk_fail(err, errlen, "sheet %s: column key \"%s\" appears twice", g->sheet->name, cols[k].key);
		seen[k] = true;
		map[c] = (int)k;
	}
	for (size_t k = 0; k < n; k++)
		if (!seen[k] && cols[k].kind != C_INFO)
			return risk_fail(err, errlen, "sheet %s: column \"%s\" is missing from row 2", g->sheet->name, cols[k].key);
	return CSHQ_OK;
}

static bool parse_int(const char *s, json_int_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 9)
		return false;
	json_int_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool parse_bool(const struct risk_xlsx_cell *c, bool *out)
{
	const char *t = c->text;
	if (strcmp(t, "1") == 0 || strcmp(t, "TRUE") == 0 || strcmp(t, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(t, "0") == 0 || strcmp(t, "FALSE") == 0 || strcmp(t, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

/* The value of a cell for a column, as the worksheet holds it. */
static int cell_value(const struct grid *g, uint32_t row, const struct col *col, const struct risk_xlsx_cell *c,
		      json_t **out, char *err, size_t errlen)
{
	*out = NULL;
	if (col->kind == C_INFO)
		return CSHQ_OK;
	if (c && c->type == 'e')
		return risk_fail(err, errlen, "sheet %s row %u: column %s holds an error value", g->sheet->name, row + 1, col->key);
	switch (col->kind) {
	case C_TEXT:
	case C_OPT_TEXT:
		*out = blank(c) ? json_null() : json_string(c->text);
		if (!*out)
			return risk_fail(err, errlen, "sheet %s row %u: column %s is not valid text", g->sheet->name, row + 1, col->key);
		return CSHQ_OK;
	case C_LIST: {
		json_t *a = json_array();
		const char *p = blank(c) ? "" : c->text;
		while (*p) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			while (len && (*p == ' '))
				p++, len--;
			while (len && p[len - 1] == ' ')
				len--;
			if (len) {
				char *item = xstrndup(p, len);
				json_t *v = json_string(item);
				free(item);
				if (!v) {
					json_decref(a);
					return risk_fail(err, errlen, "sheet %s row %u: column %s is not valid text", g->sheet->name,
							 row + 1, col->key);
				}
				json_array_append_new(a, v);
			}
			p = e ? e + 1 : p + len;
			if (!e)
				break;
		}
		*out = a;
		return CSHQ_OK;
	}
	case C_INT: {
		json_int_t v;
		if (blank(c)) {
			*out = json_null();
			return CSHQ_OK;
		}
		if (!parse_int(c->text, &v))
			return risk_fail(err, errlen, "sheet %s row %u: column %s is a whole number", g->sheet->name, row + 1, col->key);
		*out = json_integer(v);
		return CSHQ_OK;
	}
	case C_BOOL: {
		bool v = false;
		if (blank(c)) {
			*out = json_false();
			return CSHQ_OK;
		}
		if (!parse_bool(c, &v))
			return risk_fail(err, errlen, "sheet %s row %u: column %s is TRUE or FALSE", g->sheet->name, row + 1, col->key);
		*out = json_boolean(v);
		return CSHQ_OK;
	}
	default:
		return CSHQ_OK;
	}
}

/* Reads the data rows (row 3 on) of a table sheet into objects keyed by the column keys. */
static int read_table(const struct risk_xlsx_book *b, const char *name, const struct col *cols, size_t n,
		      json_t **out, char *err, size_t errlen)
{
	const struct risk_xlsx_sheet *s = find_sheet(b, name);
	if (!s)
		return risk_fail(err, errlen, "the workbook has no sheet %s", name);
	struct grid g;
	int rc = grid_of(s, 32, &g, err, errlen);
	if (rc != CSHQ_OK)
		return rc;
	int map[32];
	json_t *rows = json_array();
	if ((rc = header(&g, cols, n, map, err, errlen)) != CSHQ_OK)
		goto done;
	for (uint32_t r = 2; r < g.rows && rc == CSHQ_OK; r++) {
		bool empty = true;
		for (uint32_t c = 0; c < g.cols; c++)
			if (map[c] >= 0 && cols[map[c]].kind != C_INFO && !blank(at(&g, r, c)))
				empty = false;
		if (empty)
			continue;
		json_t *o = json_object();
		for (uint32_t c = 0; c < g.cols && rc == CSHQ_OK; c++) {
			if (map[c] < 0)
				continue;
			json_t *v;
			rc = cell_value(&g, r, &cols[map[c]], at(&g, r, c), &v, err, errlen);
			if (rc == CSHQ_OK && v)
				json_object_set_new(o, cols[map[c]].key, v);
		}
		json_object_set_new(o, "_row", json_integer(r + 1));
		json_array_append_new(rows, o);
	}
done:
	free(g.cell);
	if (rc != CSHQ_OK) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return CSHQ_OK;
}

static int read_summary(const struct risk_xlsx_book *b, json_t **out, char *err, size_t errlen)
{
	const struct risk_xlsx_sheet *s = find_sheet(b, SHEET_SUMMARY);
	if (!s)
		return risk_fail(err, errlen, "the workbook has no sheet %s: it is not a worksheet exported by cshq", SHEET_SUMMARY);
	struct grid g;
	int rc = grid_of(s, 8, &g, err, errlen);
	if (rc != CSHQ_OK)
		return rc;
	json_t *meta = json_object();
	for (uint32_t r = 1; r < g.rows; r++) {
		const struct risk_xlsx_cell *k = at(&g, r, 1), *v = at(&g, r, 2);
		if (blank(k) || blank(v))
			continue;
		json_int_t n;
		if (strcmp(k->text, "fiscal_year") == 0 || strcmp(k->text, "assessment") == 0) {
			if (parse_int(v->text, &n))
				json_object_set_new(meta, k->text, json_integer(n));
		} else if (strcmp(k->text, "org") == 0 || strcmp(k->text, "countermeasure_set") == 0) {
			json_t *t = json_string(v->text);
			if (t)
				json_object_set_new(meta, k->text, t);
		}
	}
	free(g.cell);
	*out = meta;
	return CSHQ_OK;
}

/* Drops the row numbers kept for messages. */
static void strip_rows(json_t *a)
{
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) json_object_del(o, "_row");
}

int risk_xlsx_import(const void *data, size_t len, json_t **out, char *err, size_t errlen)
{
	struct risk_xlsx_book book;
	int rc = risk_xlsx_read(data, len, &book, err, errlen);
	if (rc != CSHQ_OK)
		return rc;
	json_t *meta = NULL, *domains = NULL, *systems = NULL, *checks = NULL, *plan = NULL;
	rc = read_summary(&book, &meta, err, errlen);
	if (rc == CSHQ_OK)
		rc = read_table(&book, SHEET_DOMAINS, DOMAIN_COLS, CSHQ_ARRAY_LEN(DOMAIN_COLS), &domains, err, errlen);
	if (rc == CSHQ_OK)
		rc = read_table(&book, SHEET_SYSTEMS, SYSTEM_COLS, CSHQ_ARRAY_LEN(SYSTEM_COLS), &systems, err, errlen);
	if (rc == CSHQ_OK)
		rc = read_table(&book, SHEET_CHECKS, CHECK_COLS, CSHQ_ARRAY_LEN(CHECK_COLS), &checks, err, errlen);
	if (rc == CSHQ_OK)
		rc = read_table(&book, SHEET_PLAN, PLAN_COLS, CSHQ_ARRAY_LEN(PLAN_COLS), &plan, err, errlen);
	risk_xlsx_book_release(&book);
	size_t i;
	json_t *o;
	/* systems: the plan is an array once drafted, its items come from the plan sheet */
	json_t *by_name = json_object(); /* system name -> system (borrowed) */
	if (rc == CSHQ_OK)
		json_array_foreach(systems, i, o)
		{
			if (json_is_string(json_object_get(o, "name")))
				json_object_set(by_name, json_string_value(json_object_get(o, "name")), o);
			bool drafted = json_is_true(json_object_get(o, "plan_drafted"));
			json_object_del(o, "plan_drafted");
			json_object_set_new(o, "checks", json_array());
			json_object_set_new(o, "plan", drafted ? json_array() : json_null());
		}
	if (rc == CSHQ_OK)
		json_array_foreach(checks, i, o)
		{
			const char *sname = risk_str(o, "system");
			json_t *sys = sname ? json_object_get(by_name, sname) : NULL;
			if (!sys) {
				rc = risk_fail(err, errlen, "sheet %s row %lld: no target system of that name", SHEET_CHECKS,
					       (long long)json_integer_value(json_object_get(o, "_row")));
				break;
			}
			json_array_append_new(json_object_get(sys, "checks"),
					      json_pack("{s:O, s:O, s:O}", "countermeasure", json_object_get(o, "countermeasure"),
							"component", json_object_get(o, "component"), "implemented",
							json_object_get(o, "implemented")));
		}
	if (rc == CSHQ_OK)
		json_array_foreach(plan, i, o)
		{
			const char *sname = risk_str(o, "system");
			json_t *sys = sname ? json_object_get(by_name, sname) : NULL;
			json_t *items = json_object_get(sys, "plan");
			if (!json_is_array(items)) {
				rc = risk_fail(err, errlen, "sheet %s row %lld: no target system of that name with a drafted plan",
					       SHEET_PLAN, (long long)json_integer_value(json_object_get(o, "_row")));
				break;
			}
			json_array_append_new(items, json_pack("{s:O, s:O}", "countermeasure", json_object_get(o, "countermeasure"),
							       "fiscal_year", json_object_get(o, "fiscal_year")));
		}
	if (rc == CSHQ_OK) {
		strip_rows(domains);
		strip_rows(systems);
		json_t *ws = json_pack("{s:O, s:O}", "domains", domains, "systems", systems);
		risk_ws_canonicalise(ws);
		*out = json_pack("{s:O, s:o}", "meta", meta, "worksheet", ws);
	}
	json_decref(by_name);
	json_decref(meta);
	json_decref(domains);
	json_decref(systems);
	json_decref(checks);
	json_decref(plan);
	return rc;
}
