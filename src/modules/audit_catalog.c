/* audit_catalog.c: criteria catalogues: the CSV and OSCAL catalog parsers (pure) and their
 * storage. See audit_catalog.h for the formats. */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "modules/audit_catalog.h"

#define CSV_COLS_MAX 16
#define CATALOG_BYTES_MAX (8 * 1024 * 1024)

/* Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) without control
 * characters other than tab, line feed and carriage return. */
static bool text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		size_t len;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += len;
	}
	return true;
}

static bool id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > AUDIT_CATALOG_MAX_ID)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == ':' || c == '-'))
			return false;
	}
	return true;
}

/* Trims ASCII spaces at both ends, in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

void audit_catalog_release(struct audit_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].id);
		free(c->items[i].title);
		free(c->items[i].text);
		free(c->items[i].group);
	}
	free(c->items);
	free(c->title);
	free(c->version);
	memset(c, 0, sizeof(*c));
}

/* Adds one requirement after checking it; takes nothing (copies). */
static int add_item(struct audit_catalog *c, const char *id, const char *title, const char *text,
                    const char *group, char *err, size_t errlen, const char *where)
{
	if (c->n >= AUDIT_CATALOG_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d requirements", AUDIT_CATALOG_MAX_ITEMS);
		return CSHQ_ELIMIT;
	}
	if (!id_ok(id)) {
		snprintf(err, errlen, "%s: id must be 1..%d of A-Z a-z 0-9 . _ : -", where,
		         AUDIT_CATALOG_MAX_ID);
		return CSHQ_EINVAL;
	}
	if (!*title || strlen(title) > AUDIT_CATALOG_MAX_TITLE) {
		snprintf(err, errlen, "%s: title must be 1..%d bytes", where,
		         AUDIT_CATALOG_MAX_TITLE);
		return CSHQ_EINVAL;
	}
	if (strlen(text) > AUDIT_CATALOG_MAX_TEXT ||
	    (group && strlen(group) > AUDIT_CATALOG_MAX_TITLE)) {
		snprintf(err, errlen, "%s: text or group too long", where);
		return CSHQ_ELIMIT;
	}
	if (!text_ok(title, strlen(title)) || !text_ok(text, strlen(text)) ||
	    (group && !text_ok(group, strlen(group)))) {
		snprintf(err, errlen, "%s: invalid UTF-8 or a control character", where);
		return CSHQ_EINVAL;
	}
	/* ids are unique; a linear scan stays cheap at this cap (12.5M comparisons at most) */
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].id, id) == 0) {
			snprintf(err, errlen, "%s: duplicate id \"%.64s\"", where, id);
			return CSHQ_EINVAL;
		}
	}
	if (c->n % 64 == 0)
		c->items = xrealloc(c->items, (c->n + 64) * sizeof(*c->items));
	struct audit_requirement *r = &c->items[c->n++];
	r->id = xstrdup(id);
	r->title = xstrdup(title);
	r->text = xstrdup(text);
	r->group = group && *group ? xstrdup(group) : NULL;
	return CSHQ_OK;
}

/* ---- CSV */

enum { COL_ID, COL_TITLE, COL_TEXT, COL_GROUP, COL_N };
static const char *const col_names[COL_N] = {"id", "title", "text", "group"};

struct csv_state {
	struct audit_catalog *c;
	char *fields[CSV_COLS_MAX];
	size_t nfields;
	int map[COL_N];
	bool header_done;
	size_t line;
	int rc;
	char *err;
	size_t errlen;
};

static void csv_on_field(void *data, size_t len, void *ctx)
{
	struct csv_state *st = ctx;
	if (st->rc != CSHQ_OK)
		return;
	if (st->nfields >= CSV_COLS_MAX || len > AUDIT_CATALOG_MAX_TEXT) {
		st->rc = CSHQ_ELIMIT;
		snprintf(st->err, st->errlen, "line %zu: too many fields or a field too long",
		         st->line + 1);
		return;
	}
	if (data && memchr(data, '\0', len)) {
		st->rc = CSHQ_EINVAL;
		snprintf(st->err, st->errlen, "line %zu: NUL byte in a field", st->line + 1);
		return;
	}
	st->fields[st->nfields++] = xstrndup(data ? data : "", len);
}

static void csv_clear(struct csv_state *st)
{
	for (size_t i = 0; i < st->nfields; i++)
		free(st->fields[i]);
	st->nfields = 0;
}

static void csv_header(struct csv_state *st)
{
	for (int k = 0; k < COL_N; k++)
		st->map[k] = -1;
	for (size_t i = 0; i < st->nfields; i++) {
		char *name = st->fields[i];
		if (i == 0 && (unsigned char)name[0] == 0xef && (unsigned char)name[1] == 0xbb &&
		    (unsigned char)name[2] == 0xbf)
			name += 3; /* UTF-8 BOM, as spreadsheet programs write it */
		name = trim(name);
		for (int k = 0; k < COL_N; k++) {
			if (strcasecmp(name, col_names[k]) != 0)
				continue;
			if (st->map[k] >= 0) {
				st->rc = CSHQ_EINVAL;
				snprintf(st->err, st->errlen, "line 1: column \"%s\" twice",
				         col_names[k]);
				return;
			}
			st->map[k] = (int)i;
		}
	}
	if (st->map[COL_ID] < 0 || st->map[COL_TITLE] < 0 || st->map[COL_TEXT] < 0) {
		st->rc = CSHQ_EINVAL;
		snprintf(st->err, st->errlen,
		         "line 1: a header row with the columns id, title, text (and group) is "
		         "required");
	}
}

static void csv_on_record(int term, void *ctx)
{
	struct csv_state *st = ctx;
	(void)term;
	if (st->rc == CSHQ_OK) {
		if (!st->header_done) {
			csv_header(st);
			st->header_done = true;
		} else {
			bool empty = true;
			for (size_t i = 0; i < st->nfields; i++)
				if (*trim(st->fields[i]))
					empty = false;
			if (!empty) {
				const char *v[COL_N];
				for (int k = 0; k < COL_N; k++)
					v[k] = st->map[k] >= 0 && (size_t)st->map[k] < st->nfields
					           ? trim(st->fields[st->map[k]])
					           : "";
				char where[32];
				snprintf(where, sizeof(where), "line %zu", st->line + 1);
				st->rc = add_item(st->c, v[COL_ID], v[COL_TITLE], v[COL_TEXT],
				                  v[COL_GROUP], st->err, st->errlen, where);
			}
		}
	}
	csv_clear(st);
	st->line++;
}

int audit_catalog_parse_csv(const char *data, size_t len, struct audit_catalog *out, char *err,
                            size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len > CATALOG_BYTES_MAX) {
		snprintf(err, errlen, "the catalogue is larger than %d bytes", CATALOG_BYTES_MAX);
		return CSHQ_ELIMIT;
	}
	struct csv_state st = {.c = out, .rc = CSHQ_OK, .err = err, .errlen = errlen};
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
		snprintf(err, errlen, "CSV parser unavailable");
		return CSHQ_ERR;
	}
	if (csv_parse(&p, data, len, csv_on_field, csv_on_record, &st) != len && st.rc == CSHQ_OK) {
		st.rc = CSHQ_EINVAL;
		snprintf(err, errlen, "line %zu: %s", st.line + 1, csv_strerror(csv_error(&p)));
	}
	if (st.rc == CSHQ_OK && csv_fini(&p, csv_on_field, csv_on_record, &st) != 0) {
		st.rc = CSHQ_EINVAL;
		snprintf(err, errlen, "line %zu: %s", st.line + 1, csv_strerror(csv_error(&p)));
	}
	csv_clear(&st);
	csv_free(&p);
	if (st.rc == CSHQ_OK && !st.header_done) {
		st.rc = CSHQ_EINVAL;
		snprintf(err, errlen, "empty catalogue: a header row id,title,text is required");
	}
	if (st.rc == CSHQ_OK && out->n == 0) {
		st.rc = CSHQ_EINVAL;
		snprintf(err, errlen, "the catalogue holds no requirement");
	}
	if (st.rc != CSHQ_OK)
		audit_catalog_release(out);
	return st.rc;
}

/* ---- OSCAL catalog */

/* jansson has no depth option: bound nesting before parsing (as the HTTP layer does). */
static bool depth_ok(const char *s, size_t n, int max)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return false;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return true;
}

struct oscal_state {
	struct audit_catalog *c;
	char *err;
	size_t errlen;
	size_t nodes; /* groups + controls + parts visited, capped */
};

#define OSCAL_MAX_NODES 50000

/* Appends the prose of a part and its sub-parts to b (paragraphs separated by newlines). */
static int part_prose(struct oscal_state *st, json_t *part, int depth, struct buf *b)
{
	if (depth > AUDIT_CATALOG_MAX_DEPTH || ++st->nodes > OSCAL_MAX_NODES) {
		snprintf(st->err, st->errlen, "parts nested too deeply or too many");
		return CSHQ_ELIMIT;
	}
	if (!json_is_object(part)) {
		snprintf(st->err, st->errlen, "a part must be an object");
		return CSHQ_EINVAL;
	}
	json_t *prose = json_object_get(part, "prose");
	if (prose && !json_is_string(prose)) {
		snprintf(st->err, st->errlen, "prose must be a string");
		return CSHQ_EINVAL;
	}
	if (prose && json_string_length(prose) > 0) {
		if (b->len && buf_putc(b, '\n') != CSHQ_OK)
			goto toolong;
		if (buf_append(b, json_string_value(prose), json_string_length(prose)) != CSHQ_OK)
			goto toolong;
	}
	json_t *parts = json_object_get(part, "parts");
	if (parts && !json_is_array(parts)) {
		snprintf(st->err, st->errlen, "parts must be an array");
		return CSHQ_EINVAL;
	}
	size_t i;
	json_t *p;
	json_array_foreach(parts, i, p)
	{
		int rc = part_prose(st, p, depth + 1, b);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
toolong:
	snprintf(st->err, st->errlen, "a requirement's text is longer than %d bytes",
	         AUDIT_CATALOG_MAX_TEXT);
	return CSHQ_ELIMIT;
}

static int walk_controls(struct oscal_state *st, json_t *controls, const char *group, int depth);

static int one_control(struct oscal_state *st, json_t *ctl, const char *group, int depth)
{
	if (!json_is_object(ctl)) {
		snprintf(st->err, st->errlen, "a control must be an object");
		return CSHQ_EINVAL;
	}
	const char *id = json_string_value(json_object_get(ctl, "id"));
	const char *title = json_string_value(json_object_get(ctl, "title"));
	if (!id || !title) {
		snprintf(st->err, st->errlen, "every control needs a string id and title");
		return CSHQ_EINVAL;
	}
	if (strlen(id) != json_string_length(json_object_get(ctl, "id")) ||
	    strlen(title) != json_string_length(json_object_get(ctl, "title"))) {
		snprintf(st->err, st->errlen, "NUL character in a control");
		return CSHQ_EINVAL;
	}
	struct buf text = BUF_INIT(AUDIT_CATALOG_MAX_TEXT);
	json_t *parts = json_object_get(ctl, "parts");
	int rc = CSHQ_OK;
	if (parts && !json_is_array(parts)) {
		snprintf(st->err, st->errlen, "control %.64s: parts must be an array", id);
		rc = CSHQ_EINVAL;
	}
	size_t i;
	json_t *p;
	if (rc == CSHQ_OK)
		json_array_foreach(parts, i, p)
		{
			const char *name = json_string_value(json_object_get(p, "name"));
			if (name && strcmp(name, "statement") == 0 &&
			    (rc = part_prose(st, p, depth + 1, &text)) != CSHQ_OK)
				break;
		}
	if (rc == CSHQ_OK && memchr(buf_cstr(&text), '\0', text.len)) {
		snprintf(st->err, st->errlen, "control %.64s: NUL character in its prose", id);
		rc = CSHQ_EINVAL;
	}
	if (rc == CSHQ_OK) {
		char where[96];
		snprintf(where, sizeof(where), "control %.64s", id);
		rc = add_item(st->c, id, title, buf_cstr(&text), group, st->err, st->errlen, where);
	}
	buf_release(&text);
	if (rc == CSHQ_OK)
		rc = walk_controls(st, json_object_get(ctl, "controls"), group, depth + 1);
	return rc;
}

static int walk_controls(struct oscal_state *st, json_t *controls, const char *group, int depth)
{
	if (!controls)
		return CSHQ_OK;
	if (!json_is_array(controls)) {
		snprintf(st->err, st->errlen, "controls must be an array");
		return CSHQ_EINVAL;
	}
	if (depth > AUDIT_CATALOG_MAX_DEPTH ||
	    (st->nodes += json_array_size(controls)) > OSCAL_MAX_NODES) {
		snprintf(st->err, st->errlen, "controls nested too deeply or too many");
		return CSHQ_ELIMIT;
	}
	size_t i;
	json_t *ctl;
	json_array_foreach(controls, i, ctl)
	{
		int rc = one_control(st, ctl, group, depth);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

static int walk_groups(struct oscal_state *st, json_t *groups, int depth)
{
	if (!groups)
		return CSHQ_OK;
	if (!json_is_array(groups)) {
		snprintf(st->err, st->errlen, "groups must be an array");
		return CSHQ_EINVAL;
	}
	if (depth > AUDIT_CATALOG_MAX_DEPTH ||
	    (st->nodes += json_array_size(groups)) > OSCAL_MAX_NODES) {
		snprintf(st->err, st->errlen, "groups nested too deeply or too many");
		return CSHQ_ELIMIT;
	}
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g)
	{
		if (!json_is_object(g)) {
			snprintf(st->err, st->errlen, "a group must be an object");
			return CSHQ_EINVAL;
		}
		const char *title = json_string_value(json_object_get(g, "title"));
		if (!title) {
			snprintf(st->err, st->errlen, "every group needs a string title");
			return CSHQ_EINVAL;
		}
		int rc = walk_controls(st, json_object_get(g, "controls"), title, depth + 1);
		if (rc == CSHQ_OK)
			rc = walk_groups(st, json_object_get(g, "groups"), depth + 1);
		if (rc != CSHQ_OK)
			return rc;
	}
	return CSHQ_OK;
}

int audit_catalog_parse_oscal(const char *data, size_t len, struct audit_catalog *out, char *err,
                              size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len > CATALOG_BYTES_MAX) {
		snprintf(err, errlen, "the catalogue is larger than %d bytes", CATALOG_BYTES_MAX);
		return CSHQ_ELIMIT;
	}
	/* groups and controls nest below catalog (2 levels), each level an object in an array */
	if (!depth_ok(data, len, 2 * AUDIT_CATALOG_MAX_DEPTH + 8)) {
		snprintf(err, errlen, "JSON nested too deeply");
		return CSHQ_ELIMIT;
	}
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		snprintf(err, errlen, "invalid JSON at line %d column %d: %s", jerr.line,
		         jerr.column, jerr.text);
		return CSHQ_EINVAL;
	}
	int rc = CSHQ_OK;
	json_t *cat = json_object_get(doc, "catalog");
	json_t *meta = json_object_get(cat, "metadata");
	const char *title = json_string_value(json_object_get(meta, "title"));
	json_t *version = json_object_get(meta, "version");
	if (!json_is_object(cat) || !json_is_string(json_object_get(cat, "uuid")) || !title) {
		snprintf(err, errlen,
		         "not an OSCAL catalog: {\"catalog\": {\"uuid\", \"metadata\": "
		         "{\"title\"}}} expected");
		rc = CSHQ_EINVAL;
	} else if (!*title || strlen(title) > AUDIT_CATALOG_MAX_TITLE ||
	           !text_ok(title, strlen(title)) ||
	           strlen(title) != json_string_length(json_object_get(meta, "title"))) {
		snprintf(err, errlen, "metadata.title must be 1..%d bytes of text",
		         AUDIT_CATALOG_MAX_TITLE);
		rc = CSHQ_EINVAL;
	} else if (version && (!json_is_string(version) || json_string_length(version) > 100 ||
	                       !text_ok(json_string_value(version), json_string_length(version)))) {
		snprintf(err, errlen, "metadata.version must be a short string");
		rc = CSHQ_EINVAL;
	}
	if (rc == CSHQ_OK) {
		out->title = xstrdup(title);
		out->version = version ? xstrdup(json_string_value(version)) : NULL;
		struct oscal_state st = {.c = out, .err = err, .errlen = errlen};
		rc = walk_groups(&st, json_object_get(cat, "groups"), 0);
		if (rc == CSHQ_OK)
			rc = walk_controls(&st, json_object_get(cat, "controls"), NULL, 0);
		if (rc == CSHQ_OK && out->n == 0) {
			snprintf(err, errlen, "the catalog holds no control");
			rc = CSHQ_EINVAL;
		}
	}
	json_decref(doc);
	if (rc != CSHQ_OK)
		audit_catalog_release(out);
	return rc;
}
