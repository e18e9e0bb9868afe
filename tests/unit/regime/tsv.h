/* tsv.h: a small reader for the tab-separated case files of the regime tests: lines starting
 * with '#' and the header line (its first field is the given header word) are skipped. */
#ifndef CSHQ_TEST_REGIME_TSV_H
#define CSHQ_TEST_REGIME_TSV_H

#include <stdio.h>

#include "core/common.h"

#define TSV_MAX_FIELDS 16
#define TSV_MAX_LINE 8192

struct tsv {
	FILE *f;
	const char *header; /* first field of the header line */
	char line[TSV_MAX_LINE];
	char *field[TSV_MAX_FIELDS];
	size_t n;
	unsigned lineno;
};

/* Opens dir/name. Returns CSHQ_OK or CSHQ_ERR. */
int tsv_open(struct tsv *t, const char *dir, const char *name, const char *header);
/* Next data row into t->field[0..n). Returns 1, 0 at the end, -1 on a malformed line. */
int tsv_next(struct tsv *t);
void tsv_close(struct tsv *t);

/* Splits s in place at sep into at most max parts; "-" alone is zero parts. */
size_t tsv_split(char *s, char sep, char **parts, size_t max);

/* Reads a whole file into a NUL-terminated buffer the caller frees. NULL on error. */
char *tsv_slurp(const char *path, size_t *len);

#endif
