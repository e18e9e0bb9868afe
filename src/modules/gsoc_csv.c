/* gsoc_csv.c: CSV indicator lists into the JSON import's objects (see gsoc_csv.h). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_csv.h"

#define MAX_COLUMNS 16
#define MAX_CELL 4096

static const char *const columns[] = {"type",       "value",      "severity",   "tlp", "source",
                                      "expires_at", "confidence", "recipients", "id",  NULL};

struct state {
	char *cells[MAX_COLUMNS];
	size_t ncells;
	bool too_many;
	bool header_done;
	int map[MAX_COLUMNS]; /* column of the file -> index in columns */
	size_t ncols;         /* columns of the header */
	size_t line, rows, max_rows;
	json_t *out;
	int rc;
	char *err;
	size_t errlen;
};

static void on_field(void *s, size_t len, void *ctx)
{
	struct state *st = ctx;
	if (st->ncells >= MAX_COLUMNS) {
		st->too_many = true;
		return;
	}
	size_t n = len > MAX_CELL ? MAX_CELL + 1 : len; /* an over-long cell is caught below */
	st->cells[st->ncells++] = xstrndup(s ? s : "", n);
}

static void clear(struct state *st)
{
	for (size_t i = 0; i < st->ncells; i++)
		free(st->cells[i]);
	st->ncells = 0;
	st->too_many = false;
}

static void fail(struct state *st, int rc, const char *msg)
{
	if (st->rc == CSHQ_OK) {
		st->rc = rc;
		snprintf(st->err, st->errlen, "line %zu: %s", st->line, msg);
	}
}

static void header(struct state *st)
{
	bool seen[MAX_COLUMNS] = {false};
	for (size_t i = 0; i < st->ncells; i++) {
		st->map[i] = -1;
		for (int c = 0; columns[c]; c++)
			if (strcmp(st->cells[i], columns[c]) == 0)
				st->map[i] = c;
		if (st->map[i] < 0) {
			char m[160];
			snprintf(m, sizeof(m),
			         "unknown column \"%.60s\" (type, value, severity, tlp, source, "
			         "expires_at, "
			         "confidence, recipients, id)",
			         st->cells[i]);
			fail(st, CSHQ_EINVAL, m);
			return;
		}
		if (seen[st->map[i]]) {
			fail(st, CSHQ_EINVAL, "a column appears twice");
			return;
		}
		seen[st->map[i]] = true;
	}
	if (!seen[0] || !seen[1])
		fail(st, CSHQ_EINVAL, "the header needs the columns type and value");
	st->ncols = st->ncells;
	st->header_done = true;
}

static json_t *recipients(const char *s)
{
	json_t *a = json_array();
	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len)
			json_array_append_new(a, json_stringn(p, len));
		p += len;
	}
	return a;
}

static void row(struct state *st)
{
	if (st->ncells == 1 && !st->cells[0][0])
		return; /* a blank line */
	if (++st->rows > st->max_rows) {
		fail(st, CSHQ_ELIMIT, "too many rows");
		return;
	}
	json_t *o = json_object();
	for (size_t i = 0; i < st->ncells; i++) {
		const char *v = st->cells[i];
		if (strlen(v) > MAX_CELL) {
			json_decref(o);
			fail(st, CSHQ_EINVAL, "a cell longer than 4096 bytes");
			return;
		}
		if (!*v || st->map[i] == 8) /* empty cells are absent; ids are ignored */
			continue;
		const char *key = columns[st->map[i]];
		json_t *val;
		if (st->map[i] == 7) {
			val = recipients(v);
		} else if (st->map[i] == 6 && strspn(v, "0123456789") == strlen(v) &&
		           strlen(v) <= 3) {
			val = json_integer(strtol(v, NULL, 10));
		} else {
			val = json_string(v);
			if (!val) {
				json_decref(o);
				fail(st, CSHQ_EINVAL, "a cell that is not UTF-8");
				return;
			}
		}
		json_object_set_new(o, key, val);
	}
	json_array_append_new(st->out, o);
}

static void on_record(int term, void *ctx)
{
	(void)term;
	struct state *st = ctx;
	st->line++;
	if (st->rc == CSHQ_OK) {
		if (st->too_many)
			fail(st, CSHQ_EINVAL, "more than 16 columns");
		else if (!st->header_done)
			header(st);
		else if (st->ncells > st->ncols)
			fail(st, CSHQ_EINVAL, "more cells than the header has columns");
		else
			row(st);
	}
	clear(st);
}

int gsoc_indicators_csv(const char *data, size_t len, size_t max_rows, json_t **out, char *err,
                        size_t errlen)
{
	struct state st = {
	    .max_rows = max_rows, .out = json_array(), .rc = CSHQ_OK, .err = err, .errlen = errlen};
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
		json_decref(st.out);
		return CSHQ_ERR;
	}
	if (csv_parse(&p, data, len, on_field, on_record, &st) != len && st.rc == CSHQ_OK) {
		st.line++;
		fail(&st, CSHQ_EINVAL, csv_strerror(csv_error(&p)));
	}
	if (st.rc == CSHQ_OK && csv_fini(&p, on_field, on_record, &st) != 0) {
		st.line++;
		fail(&st, CSHQ_EINVAL, csv_strerror(csv_error(&p)));
	}
	csv_free(&p);
	clear(&st);
	if (st.rc == CSHQ_OK && !st.header_done) {
		st.line = 1;
		fail(&st, CSHQ_EINVAL, "no header (type,value,...)");
	}
	if (st.rc != CSHQ_OK) {
		json_decref(st.out);
		return st.rc;
	}
	*out = st.out;
	return CSHQ_OK;
}
