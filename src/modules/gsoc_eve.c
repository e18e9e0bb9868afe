/* gsoc_eve.c: a strict reader of one EVE event that keeps only the members the centre
 * uses (see gsoc_eve.h). It follows jansson's decoder rule for rule, so that the same
 * texts are accepted and refused: the differential fuzz target checks exactly that. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_eve.h"

/* ---------------------------------------------------------------- arena */

struct gsoc_arena_block {
	struct gsoc_arena_block *next;
	size_t used, cap;
	char data[];
};

void gsoc_arena_release(struct gsoc_arena *a)
{
	if (!a)
		return;
	for (struct gsoc_arena_block *b = a->head, *nx; b; b = nx) {
		nx = b->next;
		free(b);
	}
	a->head = NULL;
}

static char *arena_alloc(struct gsoc_arena *a, size_t n)
{
	struct gsoc_arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 60000 ? n : 60000;
		b = xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

/* ---------------------------------------------------------------- paths */

static const struct {
	enum gsoc_eve_path parent;
	const char *key;
	enum gsoc_eve_path id;
} children[] = {
    {EVE_ROOT, "event_type", EVE_EVENT_TYPE},
    {EVE_ROOT, "timestamp", EVE_TIMESTAMP},
    {EVE_ROOT, "src_ip", EVE_SRC_IP},
    {EVE_ROOT, "dest_ip", EVE_DEST_IP},
    {EVE_ROOT, "src_port", EVE_SRC_PORT},
    {EVE_ROOT, "dest_port", EVE_DEST_PORT},
    {EVE_ROOT, "proto", EVE_PROTO},
    {EVE_ROOT, "app_proto", EVE_APP_PROTO},
    {EVE_ROOT, "flow_id", EVE_FLOW_ID},
    {EVE_ROOT, "alert", EVE_ALERT},
    {EVE_ALERT, "severity", EVE_ALERT_SEVERITY},
    {EVE_ROOT, "cshq", EVE_CSHQ},
    {EVE_CSHQ, "seq", EVE_SEQ},
    {EVE_CSHQ, "indicator_type", EVE_INDICATOR_TYPE},
    {EVE_CSHQ, "indicator_value", EVE_INDICATOR_VALUE},
    {EVE_CSHQ, "matched_value", EVE_MATCHED_VALUE},
    {EVE_CSHQ, "sensor", EVE_SENSOR},
    {EVE_CSHQ, "tlp", EVE_TLP},
    {EVE_ROOT, "stats", EVE_STATS},
    {EVE_STATS, "uptime", EVE_UPTIME},
    {EVE_STATS, "capture", EVE_CAPTURE},
    {EVE_CAPTURE, "kernel_packets", EVE_KERNEL_PACKETS},
    {EVE_CAPTURE, "kernel_drops", EVE_KERNEL_DROPS},
    {EVE_STATS, "forward", EVE_FORWARD},
    {EVE_FORWARD, "spool_batches", EVE_SPOOL_BATCHES},
    {EVE_FORWARD, "spool_bytes", EVE_SPOOL_BYTES},
    {EVE_FORWARD, "dropped", EVE_DROPPED},
    {EVE_FORWARD, "feed_version", EVE_FEED_VERSION},
};

/* The path of member `key` of an object at `parent`, or -1. */
static int child_of(int parent, const char *key, size_t len)
{
	if (parent < 0)
		return -1;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(children); i++)
		if ((int)children[i].parent == parent && strlen(children[i].key) == len &&
		    memcmp(children[i].key, key, len) == 0)
			return (int)children[i].id;
	return -1;
}

/* ---------------------------------------------------------------- reader */

struct keyref {
	size_t off, len;
	uint32_t hash;
};

struct reader {
	const char *p;
	size_t n, i;
	int depth, max_depth;
	struct gsoc_arena *arena;
	struct gsoc_eve *out;
	const char *why;
	/* decoded keys of the open objects, for the duplicate check */
	char *keys;
	size_t keys_len, keys_cap;
	struct keyref *refs;
	size_t nrefs, refs_cap;
	/* the string being decoded */
	char *tmp;
	size_t tmp_len, tmp_cap;
};

static int fail(struct reader *r, const char *why)
{
	if (!r->why)
		r->why = why;
	return CSHQ_EINVAL;
}

static void skip_ws(struct reader *r)
{
	while (r->i < r->n && (r->p[r->i] == ' ' || r->p[r->i] == '\t' || r->p[r->i] == '\n' ||
	                       r->p[r->i] == '\r'))
		r->i++;
}

static void tmp_put(struct reader *r, const char *s, size_t n)
{
	if (r->tmp_len + n > r->tmp_cap) {
		size_t cap = r->tmp_cap ? r->tmp_cap : 256;
		while (cap < r->tmp_len + n)
			cap *= 2;
		r->tmp = xrealloc(r->tmp, cap);
		r->tmp_cap = cap;
	}
	memcpy(r->tmp + r->tmp_len, s, n);
	r->tmp_len += n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_u4(struct reader *r, int32_t *out)
{
	if (r->n - r->i < 4)
		return false;
	int32_t v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(r->p[r->i + (size_t)k]);
		if (h < 0)
			return false;
		v = v * 16 + h;
	}
	r->i += 4;
	*out = v;
	return true;
}

static void put_utf8(struct reader *r, int32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	tmp_put(r, b, n);
}

/* One UTF-8 sequence at r->i (a byte >= 0x80): the rules of jansson's utf8.c. */
static bool utf8_seq(struct reader *r)
{
	unsigned char c = (unsigned char)r->p[r->i];
	size_t size;
	int32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		size = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		size = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		size = 4;
		cp = c & 0x07;
	} else {
		return false;
	}
	if (r->n - r->i < size)
		return false;
	for (size_t k = 1; k < size; k++) {
		unsigned char u = (unsigned char)r->p[r->i + k];
		if (u < 0x80 || u > 0xBF)
			return false;
		cp = (cp << 6) | (u & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (size == 3 && cp < 0x800) ||
	    (size == 4 && cp < 0x10000))
		return false;
	tmp_put(r, r->p + r->i, size);
	r->i += size;
	return true;
}

/* A string at r->i (the opening quote); decoded into r->tmp[0..tmp_len). */
static int read_string(struct reader *r)
{
	r->i++;
	r->tmp_len = 0;
	for (;;) {
		size_t start = r->i;
		while (r->i < r->n) {
			unsigned char c = (unsigned char)r->p[r->i];
			if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
				break;
			r->i++;
		}
		tmp_put(r, r->p + start, r->i - start);
		if (r->i >= r->n)
			return fail(r, "premature end of input in a string");
		unsigned char c = (unsigned char)r->p[r->i];
		if (c == '"') {
			r->i++;
			return CSHQ_OK;
		}
		if (c < 0x20)
			return fail(r, "control character in a string");
		if (c >= 0x80) {
			if (!utf8_seq(r))
				return fail(r, "invalid UTF-8");
			continue;
		}
		/* an escape */
		if (++r->i >= r->n)
			return fail(r, "premature end of input in a string");
		char e = r->p[r->i++];
		const char *map = NULL;
		switch (e) {
		case '"':
			map = "\"";
			break;
		case '\\':
			map = "\\";
			break;
		case '/':
			map = "/";
			break;
		case 'b':
			map = "\b";
			break;
		case 'f':
			map = "\f";
			break;
		case 'n':
			map = "\n";
			break;
		case 'r':
			map = "\r";
			break;
		case 't':
			map = "\t";
			break;
		case 'u': {
			int32_t v;
			if (!read_u4(r, &v))
				return fail(r, "invalid escape");
			if (v >= 0xD800 && v <= 0xDBFF) {
				int32_t lo;
				if (r->n - r->i < 2 || r->p[r->i] != '\\' || r->p[r->i + 1] != 'u')
					return fail(r, "invalid Unicode escape (lone surrogate)");
				r->i += 2;
				if (!read_u4(r, &lo))
					return fail(r, "invalid escape");
				if (lo < 0xDC00 || lo > 0xDFFF)
					return fail(r, "invalid Unicode escape (lone surrogate)");
				v = ((v - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
			} else if (v >= 0xDC00 && v <= 0xDFFF) {
				return fail(r, "invalid Unicode escape (lone surrogate)");
			} else if (v == 0) {
				return fail(r, "\\u0000 is not allowed");
			}
			put_utf8(r, v);
			continue;
		}
		default:
			return fail(r, "invalid escape");
		}
		tmp_put(r, map, 1);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number at r->i; *is_int tells an integer (no fraction or exponent) from a real. */
static int read_number(struct reader *r, bool *is_int, int64_t *iv)
{
	size_t start = r->i;
	if (r->p[r->i] == '-')
		r->i++;
	if (r->i >= r->n)
		return fail(r, "invalid number");
	if (r->p[r->i] == '0') {
		r->i++;
		if (r->i < r->n && is_digit(r->p[r->i]))
			return fail(r, "invalid number (leading zero)");
	} else if (is_digit(r->p[r->i])) {
		while (r->i < r->n && is_digit(r->p[r->i]))
			r->i++;
	} else {
		return fail(r, "invalid number");
	}
	*is_int = true;
	if (r->i < r->n && r->p[r->i] == '.') {
		*is_int = false;
		r->i++;
		if (r->i >= r->n || !is_digit(r->p[r->i]))
			return fail(r, "invalid number (fraction)");
		while (r->i < r->n && is_digit(r->p[r->i]))
			r->i++;
	}
	if (r->i < r->n && (r->p[r->i] == 'e' || r->p[r->i] == 'E')) {
		*is_int = false;
		r->i++;
		if (r->i < r->n && (r->p[r->i] == '+' || r->p[r->i] == '-'))
			r->i++;
		if (r->i >= r->n || !is_digit(r->p[r->i]))
			return fail(r, "invalid number (exponent)");
		while (r->i < r->n && is_digit(r->p[r->i]))
			r->i++;
	}
	size_t len = r->i - start;
	char buf[64];
	char *text = len < sizeof(buf) ? buf : xmalloc(len + 1);
	memcpy(text, r->p + start, len);
	text[len] = '\0';
	int rc = CSHQ_OK;
	errno = 0;
	if (*is_int) {
		long long v = strtoll(text, NULL, 10);
		if (errno == ERANGE)
			rc = fail(r, "integer out of range");
		*iv = v;
	} else {
		double d = strtod(text, NULL);
		if ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE)
			rc = fail(r, "real number overflow");
	}
	if (text != buf)
		free(text);
	return rc;
}

static int read_value(struct reader *r, int path);

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static int read_object(struct reader *r, int path)
{
	if (++r->depth > r->max_depth)
		return fail(r, "nested too deeply");
	r->i++;
	size_t first_ref = r->nrefs, first_key = r->keys_len;
	skip_ws(r);
	int rc = CSHQ_OK;
	if (r->i < r->n && r->p[r->i] == '}') {
		r->i++;
		goto done;
	}
	for (;;) {
		skip_ws(r);
		if (r->i >= r->n || r->p[r->i] != '"') {
			rc = fail(r, "string or '}' expected");
			break;
		}
		if ((rc = read_string(r)) != CSHQ_OK)
			break;
		uint32_t h = hash_bytes(r->tmp, r->tmp_len);
		for (size_t k = first_ref; k < r->nrefs; k++)
			if (r->refs[k].hash == h && r->refs[k].len == r->tmp_len &&
			    memcmp(r->keys + r->refs[k].off, r->tmp, r->tmp_len) == 0) {
				rc = fail(r, "duplicate object key");
				goto done;
			}
		int child = child_of(path, r->tmp, r->tmp_len);
		if (r->nrefs == r->refs_cap) {
			r->refs_cap = r->refs_cap ? r->refs_cap * 2 : 64;
			r->refs = xrealloc(r->refs, r->refs_cap * sizeof(*r->refs));
		}
		if (r->keys_len + r->tmp_len > r->keys_cap) {
			size_t cap = r->keys_cap ? r->keys_cap : 1024;
			while (cap < r->keys_len + r->tmp_len)
				cap *= 2;
			r->keys = xrealloc(r->keys, cap);
			r->keys_cap = cap;
		}
		memcpy(r->keys + r->keys_len, r->tmp, r->tmp_len);
		r->refs[r->nrefs++] = (struct keyref){r->keys_len, r->tmp_len, h};
		r->keys_len += r->tmp_len;
		skip_ws(r);
		if (r->i >= r->n || r->p[r->i] != ':') {
			rc = fail(r, "':' expected");
			break;
		}
		r->i++;
		if ((rc = read_value(r, child)) != CSHQ_OK)
			break;
		skip_ws(r);
		if (r->i < r->n && r->p[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->p[r->i] == '}') {
			r->i++;
			break;
		}
		rc = fail(r, "',' or '}' expected");
		break;
	}
done:
	r->nrefs = first_ref;
	r->keys_len = first_key;
	r->depth--;
	return rc;
}

static int read_array(struct reader *r)
{
	if (++r->depth > r->max_depth)
		return fail(r, "nested too deeply");
	r->i++;
	skip_ws(r);
	int rc = CSHQ_OK;
	if (r->i < r->n && r->p[r->i] == ']') {
		r->i++;
	} else {
		for (;;) {
			if ((rc = read_value(r, -1)) != CSHQ_OK)
				break;
			skip_ws(r);
			if (r->i < r->n && r->p[r->i] == ',') {
				r->i++;
				continue;
			}
			if (r->i < r->n && r->p[r->i] == ']') {
				r->i++;
				break;
			}
			rc = fail(r, "',' or ']' expected");
			break;
		}
	}
	r->depth--;
	return rc;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if (r->n - r->i < n || memcmp(r->p + r->i, word, n) != 0)
		return false;
	/* jansson reads a run of letters as one token: "truex" is not "true" */
	if (r->n - r->i > n) {
		char c = r->p[r->i + n];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return false;
	}
	r->i += n;
	return true;
}

static int read_value(struct reader *r, int path)
{
	skip_ws(r);
	if (r->i >= r->n)
		return fail(r, "premature end of input");
	struct gsoc_eve_value *slot = path >= 0 ? &r->out->v[path] : NULL;
	char c = r->p[r->i];
	int rc = CSHQ_OK;
	enum gsoc_json_type type;
	if (c == '{') {
		if (slot)
			slot->type =
			    GSOC_JSON_OBJECT; /* before the members, which fill their own slots */
		return read_object(r, path);
	} else if (c == '[') {
		type = GSOC_JSON_ARRAY;
		rc = read_array(r);
	} else if (c == '"') {
		type = GSOC_JSON_STRING;
		if ((rc = read_string(r)) == CSHQ_OK && slot) {
			char *s = arena_alloc(r->arena, r->tmp_len + 1);
			memcpy(s, r->tmp, r->tmp_len);
			s[r->tmp_len] = '\0';
			slot->str = s;
			slot->len = r->tmp_len;
		}
	} else if (c == '-' || is_digit(c)) {
		bool is_int = false;
		int64_t v = 0;
		rc = read_number(r, &is_int, &v);
		type = is_int ? GSOC_JSON_INTEGER : GSOC_JSON_REAL;
		if (slot)
			slot->i = v;
	} else if (literal(r, "true")) {
		type = GSOC_JSON_TRUE;
	} else if (literal(r, "false")) {
		type = GSOC_JSON_FALSE;
	} else if (literal(r, "null")) {
		type = GSOC_JSON_NULL;
	} else {
		return fail(r, (unsigned char)c >= 0x80 ? "invalid UTF-8" : "invalid token");
	}
	if (rc == CSHQ_OK && slot)
		slot->type = type;
	return rc;
}

int gsoc_eve_read(const char *text, size_t len, int max_depth, bool any_value,
                  struct gsoc_arena *arena, struct gsoc_eve *out, size_t *used, const char **why)
{
	struct reader r = {.p = text, .n = len, .max_depth = max_depth, .arena = arena, .out = out};
	memset(out, 0, sizeof(*out));
	skip_ws(&r);
	int rc;
	if (!any_value && (r.i >= r.n || r.p[r.i] != '{'))
		rc = fail(&r, "an event must be a JSON object");
	else /* members are collected only below an object at the root */
		rc = read_value(&r, EVE_ROOT);
	*used = r.i;
	*why = r.why;
	free(r.keys);
	free(r.refs);
	free(r.tmp);
	return rc;
}
