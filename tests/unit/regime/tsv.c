/* tsv.c: the case-file reader of the regime tests (see tsv.h). */
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "tsv.h"

int tsv_open(struct tsv *t, const char *dir, const char *name, const char *header)
{
	char path[1024];

	memset(t, 0, sizeof(*t));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return CSHQ_ERR;
	t->f = fopen(path, "r");
	t->header = header;
	return t->f ? CSHQ_OK : CSHQ_ERR;
}

size_t tsv_split(char *s, char sep, char **parts, size_t max)
{
	size_t n = 0;

	if (strcmp(s, "-") == 0 || *s == '\0')
		return 0;
	while (n < max) {
		char *e = strchr(s, sep);

		parts[n++] = s;
		if (!e)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

int tsv_next(struct tsv *t)
{
	while (fgets(t->line, sizeof(t->line), t->f)) {
		size_t len = strlen(t->line);

		t->lineno++;
		if (len && t->line[len - 1] == '\n')
			t->line[--len] = '\0';
		else if (len == sizeof(t->line) - 1)
			return -1; /* longer than the buffer */
		if (len == 0 || t->line[0] == '#')
			continue;
		t->n = 0;
		for (char *s = t->line; t->n < TSV_MAX_FIELDS;) {
			char *e = strchr(s, '\t');

			t->field[t->n++] = s;
			if (!e)
				break;
			*e = '\0';
			s = e + 1;
		}
		if (strcmp(t->field[0], t->header) == 0)
			continue;
		return 1;
	}
	return 0;
}

void tsv_close(struct tsv *t)
{
	if (t->f)
		fclose(t->f);
	t->f = NULL;
}

char *tsv_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
			*len = (size_t)size;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}
