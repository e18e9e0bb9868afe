/* registry_csv.c: import and export of the registry as CSV (libcsv parses), in the columns
 * of data/organizations.csv. Dated statuses may hold several intervals separated by ';'
 * (parallel lists in the *_from and *_until columns). Import merges: it never removes an
 * interval or rewrites one that exists; it adds what is new. An *_until date in the file is
 * the last day in force (inclusive), stored as the exclusive end. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "modules/registry.h"

#define CSV_MAX_FIELDS 16
#define CSV_MAX_ROWS 100000
#define CSV_FIELD_MAX 4096
#define CSV_FILE_MAX (64 * 1024 * 1024)

enum col { C_CODE, C_NAME_JA, C_NAME_EN, C_KIND, C_SUPERVISING, C_A13_FROM, C_A32_FROM, C_A32_UNTIL,
	   C_FORMER, C_SOURCE, C_A13_UNTIL, C_SECTOR, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"code", "name_ja", "name_en", "kind", "supervising", "art13_designated_from",
	"art32_listed_from", "art32_listed_until", "former_names_ja", "source",
	"art13_designated_until", "sector",
};

static const char *const criteria[4] = {
	"国の業務との一体性",
	"保有情報の機微性、業務の国民生活・経済活動へ与える影響",
	"法人の自主的な対策のみに委ねることの適切性",
	"NISCの知見・能力の活用可能性",
};
static const char designation_decision[] =
	"サイバーセキュリティ戦略本部決定「基本法第13条の規定に基づき戦略本部が指定する法人（指定法人）について」";
static const char listing_decision_2015[] = "サイバーセキュリティ戦略本部資料提供等規則 別表（2015-02-10）";
static const char listing_decision_2016[] = "サイバーセキュリティ戦略本部資料提供等規則 別表（2016年改正）";

struct import_state {
	struct store *s;
	char *fields[CSV_MAX_FIELDS];
	size_t nfields;
	int map[C_COUNT]; /* column index in the file, -1 when absent */
	bool header_done;
	size_t line;
	size_t imported;
	int pass; /* 0: rows, 1: relations */
	int rc;
	char *err;
	size_t errlen;
};

static void on_field(void *data, size_t len, void *ctx)
{
	struct import_state *st = ctx;
	if (st->nfields < CSV_MAX_FIELDS && len <= CSV_FIELD_MAX)
		st->fields[st->nfields] = xstrndup(data ? data : "", len);
	else if (st->rc == CSHQ_OK) {
		st->rc = CSHQ_EINVAL;
		snprintf(st->err, st->errlen, "line %zu: too many fields or a field too long", st->line + 1);
	}
	st->nfields++;
}

static const char *field(struct import_state *st, enum col c)
{
	int i = st->map[c];
	if (i < 0 || (size_t)i >= st->nfields || (size_t)i >= CSV_MAX_FIELDS || !st->fields[i])
		return "";
	return st->fields[i];
}

static int step_done(struct store *s, struct store_stmt *st)
{
	int rc = store_step(st);
	while (rc == STORE_ROW)
		rc = store_step(st);
	return rc == STORE_DONE ? CSHQ_OK : rc;
}

/* Splits a ';' list into at most max parts (modifies s). */
static size_t split(char *s, char **parts, size_t max)
{
	size_t n = 0;
	char *p = s;
	while (*p && n < max) {
		char *semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		parts[n++] = p;
		if (!semi)
			break;
		p = semi + 1;
	}
	return n;
}

static int add_interval(struct store *s, bool designation, const char *code, int32_t from,
			int32_t until, bool has_until, const char *group)
{
	struct store_stmt *st;
	const char *find = designation
				   ? "SELECT 1 FROM org_designations WHERE org = $1 AND from_date = $2"
				   : "SELECT 1 FROM org_listings WHERE org = $1 AND from_date = $2";
	int rc = store_prepare(s, find, &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, from);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		step_done(s, st);
		return CSHQ_OK; /* already recorded: history is never rewritten by an import */
	}
	if (rc != STORE_DONE)
		return rc;
	if (designation) {
		rc = store_prepare(s,
				   "INSERT INTO org_designations (org, from_date, until_date, decision, criterion1, "
				   "criterion2, criterion3, criterion4, grp, created_at, created_by) "
				   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'import')",
				   &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_text(st, 4, designation_decision);
		for (int i = 0; i < 4; i++)
			store_bind_text(st, 5 + i, criteria[i]);
		store_bind_text(st, 9, group);
		store_bind_int64(st, 10, time_now());
	} else {
		rc = store_prepare(s,
				   "INSERT INTO org_listings (org, from_date, until_date, decision, created_at, created_by) "
				   "VALUES ($1, $2, $3, $4, $5, 'import')",
				   &st);
		if (rc != CSHQ_OK)
			return rc;
		store_bind_text(st, 4, regime_amended_on(from) ? listing_decision_2016 : listing_decision_2015);
		store_bind_int64(st, 5, time_now());
	}
	store_bind_text(st, 1, code);
	store_bind_int64(st, 2, from);
	if (has_until)
		store_bind_int64(st, 3, until);
	else
		store_bind_null(st, 3);
	return step_done(s, st);
}

static int import_intervals(struct import_state *is, bool designation, const char *code,
			    const char *from_s, const char *until_s, const char *group)
{
	char *from_copy = xstrdup(from_s), *until_copy = xstrdup(until_s);
	char *froms[16], *untils[16];
	size_t nf = split(from_copy, froms, 16), nu = split(until_copy, untils, 16);
	int rc = CSHQ_OK;
	for (size_t i = 0; i < nf && rc == CSHQ_OK; i++) {
		int32_t from, until = 0;
		bool has_until = i < nu && untils[i][0];
		if (date_parse(froms[i], &from) != CSHQ_OK ||
		    (has_until && date_parse(untils[i], &until) != CSHQ_OK)) {
			snprintf(is->err, is->errlen, "line %zu: bad date in %s", is->line, code);
			rc = CSHQ_EINVAL;
			break;
		}
		if (has_until && until < from) {
			snprintf(is->err, is->errlen, "line %zu: interval ends before it starts", is->line);
			rc = CSHQ_EINVAL;
			break;
		}
		rc = add_interval(is->s, designation, code, from, until + 1, has_until, group);
	}
	free(from_copy);
	free(until_copy);
	return rc;
}

static bool valid_code(const char *c)
{
	size_t n = strlen(c);
	if (n == 0 || n > 32)
		return false;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

static int import_row(struct import_state *is)
{
	struct store *s = is->s;
	const char *code = field(is, C_CODE);
	enum org_kind kind;
	if (!valid_code(code)) {
		snprintf(is->err, is->errlen, "line %zu: bad code \"%.40s\" (a-z, 0-9, - and _)", is->line, code);
		return CSHQ_EINVAL;
	}
	if (org_kind_parse(field(is, C_KIND), &kind) != CSHQ_OK) {
		snprintf(is->err, is->errlen, "line %zu: unknown kind \"%.40s\"", is->line, field(is, C_KIND));
		return CSHQ_EINVAL;
	}
	if (!field(is, C_NAME_JA)[0] || !field(is, C_NAME_EN)[0]) {
		snprintf(is->err, is->errlen, "line %zu: name_ja and name_en are required", is->line);
		return CSHQ_EINVAL;
	}
	struct store_stmt *st;
	int rc = store_prepare(s,
			       "INSERT INTO orgs (code, name_ja, name_en, kind, sector, source, created_at) "
			       "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET "
			       "name_ja = excluded.name_ja, name_en = excluded.name_en, kind = excluded.kind, "
			       "sector = excluded.sector, source = excluded.source",
			       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, field(is, C_NAME_JA));
	store_bind_text(st, 3, field(is, C_NAME_EN));
	store_bind_text(st, 4, field(is, C_KIND));
	store_bind_text(st, 5, field(is, C_SECTOR)[0] ? field(is, C_SECTOR) : NULL);
	store_bind_text(st, 6, field(is, C_SOURCE));
	store_bind_int64(st, 7, time_now());
	if ((rc = step_done(s, st)) != CSHQ_OK)
		return rc;
	is->imported++;
	return CSHQ_OK;
}

/* Second pass: relations that refer to other rows (supervisors), names and intervals. */
static int import_relations(struct import_state *is)
{
	struct store *s = is->s;
	const char *code = field(is, C_CODE);
	struct store_stmt *st;
	int rc = store_prepare(s, "DELETE FROM org_supervisors WHERE org = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, code);
	if ((rc = step_done(s, st)) != CSHQ_OK)
		return rc;
	char *sup = xstrdup(field(is, C_SUPERVISING));
	char *parts[8];
	size_t n = sup[0] ? split(sup, parts, 8) : 0;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		rc = store_prepare(s, "INSERT INTO org_supervisors (org, ministry, rank) VALUES ($1, $2, $3)", &st);
		if (rc != CSHQ_OK)
			break;
		store_bind_text(st, 1, code);
		store_bind_text(st, 2, parts[i]);
		store_bind_int64(st, 3, (int64_t)i);
		rc = step_done(s, st);
		if (rc == CSHQ_ECONFLICT)
			snprintf(is->err, is->errlen, "line %zu: supervising ministry \"%.40s\" is not in the registry",
				 is->line, parts[i]);
	}
	free(sup);
	if (rc != CSHQ_OK)
		return rc == CSHQ_ECONFLICT ? CSHQ_EINVAL : rc;
	char *former = xstrdup(field(is, C_FORMER));
	n = former[0] ? split(former, parts, 8) : 0;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		rc = store_prepare(s, "INSERT INTO org_former_names (org, name_ja) VALUES ($1, $2) "
				      "ON CONFLICT (org, name_ja) DO NOTHING", &st);
		if (rc == CSHQ_OK) {
			store_bind_text(st, 1, code);
			store_bind_text(st, 2, parts[i]);
			rc = step_done(s, st);
		}
	}
	free(former);
	if (rc != CSHQ_OK)
		return rc;
	const char *src = field(is, C_SOURCE);
	const char *group = strstr(src, "public pension") ? "公的年金関係"
			    : strstr(src, "My Number")    ? "マイナンバー関係"
							  : NULL;
	if (field(is, C_A13_FROM)[0] &&
	    (rc = import_intervals(is, true, code, field(is, C_A13_FROM), field(is, C_A13_UNTIL), group)) != CSHQ_OK)
		return rc;
	if (field(is, C_A32_FROM)[0] &&
	    (rc = import_intervals(is, false, code, field(is, C_A32_FROM), field(is, C_A32_UNTIL), NULL)) != CSHQ_OK)
		return rc;
	return CSHQ_OK;
}

static void on_record(int term, void *ctx)
{
	struct import_state *is = ctx;
	is->line++;
	if (is->rc == CSHQ_OK) {
		if (!is->header_done) {
			for (int c = 0; c < C_COUNT; c++) {
				is->map[c] = -1;
				for (size_t i = 0; i < is->nfields && i < CSV_MAX_FIELDS; i++)
					if (strcmp(is->fields[i], col_names[c]) == 0)
						is->map[c] = (int)i;
			}
			is->header_done = true;
			if (is->map[C_CODE] < 0 || is->map[C_NAME_JA] < 0 || is->map[C_NAME_EN] < 0 ||
			    is->map[C_KIND] < 0) {
				is->rc = CSHQ_EINVAL;
				snprintf(is->err, is->errlen, "line 1: the header needs code, name_ja, name_en, kind");
			}
		} else if (is->line > CSV_MAX_ROWS) {
			is->rc = CSHQ_ELIMIT;
			snprintf(is->err, is->errlen, "more than %d rows", CSV_MAX_ROWS);
		} else if (is->nfields > 1 || (is->nfields == 1 && is->fields[0][0])) {
			is->rc = is->pass == 0 ? import_row(is) : import_relations(is);
			if (is->rc != CSHQ_OK && !is->err[0])
				snprintf(is->err, is->errlen, "line %zu: could not store the row", is->line);
		}
	}
	for (size_t i = 0; i < is->nfields && i < CSV_MAX_FIELDS; i++) {
		free(is->fields[i]);
		is->fields[i] = NULL;
	}
	is->nfields = 0;
}

static int parse_mem(const char *data, size_t len, struct import_state *is)
{
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI);
	if (csv_parse(&p, data, len, on_field, on_record, is) != len && is->rc == CSHQ_OK) {
		is->rc = CSHQ_EINVAL;
		snprintf(is->err, is->errlen, "line %zu: %s", is->line + 1, csv_strerror(csv_error(&p)));
	}
	if (is->rc == CSHQ_OK && csv_fini(&p, on_field, on_record, is) != 0) {
		is->rc = CSHQ_EINVAL;
		snprintf(is->err, is->errlen, "line %zu: %s", is->line + 1, csv_strerror(csv_error(&p)));
	}
	csv_free(&p);
	for (size_t i = 0; i < CSV_MAX_FIELDS; i++) {
		free(is->fields[i]);
		is->fields[i] = NULL;
	}
	return is->rc;
}

int registry_import_csv_mem(struct store *s, const char *data, size_t len, char *err,
			    size_t errlen, size_t *imported)
{
	err[0] = '\0';
	int rc = CSHQ_OK;
	/* Two passes: rows first, then what refers to other rows (supervising ministries). */
	for (int pass = 0; pass < 2 && rc == CSHQ_OK; pass++) {
		struct import_state is = {.s = s, .err = err, .errlen = errlen, .pass = pass};
		rc = parse_mem(data, len, &is);
		if (pass == 0 && imported)
			*imported = is.imported;
	}
	return rc == CSHQ_OK ? registry_bump_version(s) : rc;
}

int registry_import_csv(struct store *s, const char *path, char *err, size_t errlen,
			size_t *imported)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return CSHQ_EINVAL;
	}
	struct buf b = BUF_INIT(CSV_FILE_MAX);
	char chunk[8192];
	size_t n;
	int rc = CSHQ_OK;
	while (rc == CSHQ_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(&b, chunk, n);
	fclose(f);
	if (rc != CSHQ_OK)
		snprintf(err, errlen, "%s: larger than %d bytes", path, CSV_FILE_MAX);
	else
		rc = registry_import_csv_mem(s, buf_cstr(&b), b.len, err, errlen, imported);
	buf_release(&b);
	return rc;
}

/* ---- export ---- */

static void csv_field(FILE *f, const char *v, bool last)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;
	if (quote) {
		fputc('"', f);
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else {
		fputs(v, f);
	}
	fputc(last ? '\n' : ',', f);
}

static void list_column(struct store *s, const char *sql, const char *code, int col, bool inclusive_end,
			struct buf *out)
{
	struct store_stmt *st;
	buf_reset(out);
	if (store_prepare(s, sql, &st) != CSHQ_OK)
		return;
	store_bind_text(st, 1, code);
	bool first = true;
	while (store_step(st) == STORE_ROW) {
		if (!first)
			buf_putc(out, ';');
		first = false;
		if (col < 0) {
			buf_puts(out, store_column_text(st, 0));
		} else if (!store_column_is_null(st, col)) {
			char d[11];
			int64_t v = store_column_int64(st, col);
			date_format((int32_t)(inclusive_end ? v - 1 : v), d);
			buf_puts(out, d);
		}
	}
	if (first)
		buf_reset(out);
}

int registry_export_csv(struct store *s, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return CSHQ_ERR;
	for (int c = 0; c < C_COUNT; c++)
		csv_field(f, col_names[c], c == C_COUNT - 1);
	struct store_stmt *st;
	int rc = store_prepare(s, "SELECT code, name_ja, name_en, kind, source, sector FROM orgs ORDER BY code", &st);
	if (rc != CSHQ_OK) {
		fclose(f);
		return rc;
	}
	/* Collect the rows first: the per-row queries reuse the connection. */
	json_t *rows = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *r = json_array();
		for (int i = 0; i < 6; i++) {
			const char *v = store_column_text(st, i);
			json_array_append_new(r, json_string(v ? v : ""));
		}
		json_array_append_new(rows, r);
	}
	struct buf b[7];
	for (int i = 0; i < 7; i++)
		buf_init(&b[i], 1 << 20);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *code = json_string_value(json_array_get(r, 0));
		list_column(s, "SELECT ministry FROM org_supervisors WHERE org = $1 ORDER BY rank", code, -1, false, &b[0]);
		list_column(s, "SELECT from_date, until_date FROM org_designations WHERE org = $1 ORDER BY from_date", code, 0, false, &b[1]);
		list_column(s, "SELECT from_date, until_date FROM org_designations WHERE org = $1 ORDER BY from_date", code, 1, true, &b[2]);
		list_column(s, "SELECT from_date, until_date FROM org_listings WHERE org = $1 ORDER BY from_date", code, 0, false, &b[3]);
		list_column(s, "SELECT from_date, until_date FROM org_listings WHERE org = $1 ORDER BY from_date", code, 1, true, &b[4]);
		list_column(s, "SELECT name_ja FROM org_former_names WHERE org = $1 ORDER BY name_ja", code, -1, false, &b[5]);
		const char *vals[C_COUNT] = {
			[C_CODE] = code,
			[C_NAME_JA] = json_string_value(json_array_get(r, 1)),
			[C_NAME_EN] = json_string_value(json_array_get(r, 2)),
			[C_KIND] = json_string_value(json_array_get(r, 3)),
			[C_SUPERVISING] = buf_cstr(&b[0]),
			[C_A13_FROM] = buf_cstr(&b[1]),
			[C_A32_FROM] = buf_cstr(&b[3]),
			[C_A32_UNTIL] = buf_cstr(&b[4]),
			[C_FORMER] = buf_cstr(&b[5]),
			[C_SOURCE] = json_string_value(json_array_get(r, 4)),
			[C_A13_UNTIL] = buf_cstr(&b[2]),
			[C_SECTOR] = json_string_value(json_array_get(r, 5)),
		};
		for (int c = 0; c < C_COUNT; c++)
			csv_field(f, vals[c], c == C_COUNT - 1);
	}
	for (int k = 0; k < 7; k++)
		buf_release(&b[k]);
	json_decref(rows);
	return fclose(f) == 0 && rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}
