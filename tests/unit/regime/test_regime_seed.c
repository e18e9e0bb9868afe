/* test_regime_seed.c: every provision row, every condition the rules quote and every 別表
 * entry must be the seed's own words. Both sides are compared with all whitespace removed
 * (the PDF extraction breaks lines and spaces digits). Two allowances, both visible:
 *  - "…" in a text marks an omission: each part must occur, in order;
 *  - a join listed in joins.tsv: the text is continuous in the document, but the extraction of
 *    a comparison table puts the other column or the next page inside it; the pieces must
 *    occur in order, close together.
 * The seed's path comes from argv[1] or the REGIME_SEED_PATH compile definition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/common.h"
#include "regime/regime.h"
#include "regime/regime_impl.h"
#include "tsv.h"

#ifndef REGIME_TEST_DIR
#error "REGIME_TEST_DIR must name tests/unit/regime"
#endif
#ifndef REGIME_SEED_PATH
#error "REGIME_SEED_PATH must name the seed document"
#endif

/* the most of other text a join may skip (the rest of a page of the other column) */
#define JOIN_MAX_GAP 4096
#define MAX_JOINS 64

static const char *seed_path = REGIME_SEED_PATH;
static char *seed;     /* whitespace removed */
static size_t seed_len;

struct join {
	char key[256];
	char tail[256];
	bool used;
};
static struct join joins[MAX_JOINS];
static size_t n_joins;

/* Removes ASCII whitespace, U+3000 (ideographic space) and U+00A0 in place. */
static size_t strip_ws(char *s)
{
	size_t w = 0;

	for (size_t r = 0; s[r];) {
		unsigned char c = (unsigned char)s[r];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			r++;
		} else if (c == 0xE3 && (unsigned char)s[r + 1] == 0x80 &&
			   (unsigned char)s[r + 2] == 0x80) {
			r += 3;
		} else if (c == 0xC2 && (unsigned char)s[r + 1] == 0xA0) {
			r += 2;
		} else {
			s[w++] = s[r++];
		}
	}
	s[w] = '\0';
	return w;
}

static void key_of(const struct regime_citation *c, char *out, size_t cap)
{
	snprintf(out, cap, "%s\t%s\t%s\t%d\t%d", c->doc, c->version, c->article, c->paragraph,
		 c->item);
}

static int setup(void **state)
{
	struct tsv t;
	int r;

	(void)state;
	seed = tsv_slurp(seed_path, &seed_len);
	if (!seed) {
		print_error("cannot read the seed %s\n", seed_path);
		return -1;
	}
	seed_len = strip_ws(seed);
	if (tsv_open(&t, REGIME_TEST_DIR, "joins.tsv", "doc") != CSHQ_OK)
		return -1;
	while ((r = tsv_next(&t)) == 1) {
		if (t.n != 6 || n_joins == MAX_JOINS)
			return -1;
		snprintf(joins[n_joins].key, sizeof(joins[n_joins].key), "%s\t%s\t%s\t%s\t%s",
			 t.field[0], t.field[1], t.field[2], t.field[3], t.field[4]);
		snprintf(joins[n_joins].tail, sizeof(joins[n_joins].tail), "%s", t.field[5]);
		n_joins++;
	}
	tsv_close(&t);
	return r == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(seed);
	return 0;
}

/* memmem is a GNU extension; the project builds as plain C17 + POSIX */
static const char *search(const char *hay, size_t hay_len, const char *needle, size_t len)
{
	if (len == 0 || len > hay_len)
		return NULL;
	for (const char *p = hay; p + len <= hay + hay_len; p++) {
		p = memchr(p, needle[0], (size_t)(hay + hay_len - p));
		if (!p || p + len > hay + hay_len)
			return NULL;
		if (memcmp(p, needle, len) == 0)
			return p;
	}
	return NULL;
}

static const char *find(const char *from, const char *needle, size_t len)
{
	return search(from, seed_len - (size_t)(from - seed), needle, len);
}

/* Finds part (len bytes, no whitespace) at or after *pos, split at the joins listed for key.
 * Moves *pos past it. */
static bool find_part(const char *key, const char *part, size_t len, const char **pos)
{
	const char *hit = find(*pos, part, len);
	const char *prev_end = NULL;

	if (hit) {
		*pos = hit + len;
		return true;
	}
	/* pieces at the listed joins, in the order the file lists them */
	for (size_t j = 0; j < n_joins && len; j++) {
		const char *cut;
		size_t piece;

		if (strcmp(joins[j].key, key) != 0)
			continue;
		cut = search(part, len, joins[j].tail, strlen(joins[j].tail));
		if (!cut)
			continue;
		piece = (size_t)(cut - part) + strlen(joins[j].tail);
		hit = find(*pos, part, piece);
		if (!hit || (prev_end && hit - prev_end > JOIN_MAX_GAP))
			return false;
		joins[j].used = true;
		prev_end = hit + piece;
		*pos = prev_end;
		part += piece;
		len -= piece;
	}
	if (!len)
		return prev_end != NULL;
	hit = find(*pos, part, len);
	if (!hit || (prev_end && hit - prev_end > JOIN_MAX_GAP))
		return false;
	*pos = hit + len;
	return true;
}

/* text quoted from the seed: its "…"-separated parts in order */
static bool quoted(const char *key, const char *text)
{
	char buf[16384];
	const char *pos = seed;
	char *p;
	size_t len;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", text) >= sizeof(buf))
		return false;
	len = strip_ws(buf);
	if (len == 0)
		return false;
	p = buf;
	for (;;) {
		char *ell = strstr(p, "…");
		size_t part = ell ? (size_t)(ell - p) : strlen(p);

		if (part == 0 || !find_part(key, p, part, &pos))
			return false;
		if (!ell)
			return true;
		p = ell + strlen("…");
	}
}

static void test_provisions_verbatim(void **state)
{
	size_t n;
	const struct regime_citation *rows = regime_provisions(&n);
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		char key[256];

		key_of(&rows[i], key, sizeof(key));
		if (!rows[i].text_ja || !quoted(key, rows[i].text_ja)) {
			print_error("not in the seed: %s\n", key);
			failures++;
		}
	}
	for (size_t j = 0; j < n_joins; j++) {
		if (!joins[j].used) {
			print_error("joins.tsv: unused join %s after %s\n", joins[j].key,
				    joins[j].tail);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void test_conditions_verbatim(void **state)
{
	(void)state;
	for (size_t i = 0; i < regime_rule_count; i++) {
		const char *c = regime_rules[i].condition;

		if (c && !quoted("-", c))
			fail_msg("condition of %s is not in the seed", regime_rules[i].name);
	}
}

static void test_art32_entries_verbatim(void **state)
{
	(void)state;
	for (size_t i = 0; i < regime_art32_2015_count; i++)
		if (!quoted("-", regime_art32_2015[i]))
			fail_msg("%s not in the seed", regime_art32_2015[i]);
	for (size_t i = 0; i < regime_art32_2016_count; i++)
		if (!quoted("-", regime_art32_2016[i]))
			fail_msg("%s not in the seed", regime_art32_2016[i]);
}

/* The check must be able to fail: a provision with one character changed is not found. */
static void test_check_bites(void **state)
{
	(void)state;
	assert_true(quoted("-", "本部長は、当該行政機関等の長に対し、特定重大事象に係る原因究明等"));
	assert_false(quoted("-", "本部長は、当該行政機関等の長に対し、特定重大事象に係る原因糾明等"));
	assert_false(quoted("-", ""));
	assert_false(quoted("-", "第十三条 国は…50万円以下の罰金")); /* parts out of order */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_bites),
		cmocka_unit_test(test_provisions_verbatim),
		cmocka_unit_test(test_conditions_verbatim),
		cmocka_unit_test(test_art32_entries_verbatim),
	};

	if (argc > 1)
		seed_path = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
