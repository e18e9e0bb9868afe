/* catalog_expect.c: runs the catalogue parsers over the seed corpus and compares each
 * outcome with expect.tsv (file, then the number of requirements or "error"). Files under
 * csv/ go to the CSV parser, the others to the OSCAL parser. Also checks a few parsed
 * values of the seed files by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modules/audit_catalog.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, r;
	char *b = malloc(cap);
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	*len = n;
	return b;
}

static int parse(const char *dir, const char *file, struct audit_catalog *c, char *err,
                 size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	size_t len;
	char *data = slurp(path, &len);
	if (!data) {
		fprintf(stderr, "cannot read %s\n", path);
		return -100;
	}
	int rc = strncmp(file, "csv/", 4) == 0
	             ? audit_catalog_parse_csv(data, len, c, err, errlen)
	             : audit_catalog_parse_oscal(data, len, c, err, errlen);
	free(data);
	return rc;
}

static int check(bool ok, const char *what)
{
	if (!ok)
		fprintf(stderr, "FAIL: %s\n", what);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s expect.tsv corpus-dir\n", argv[0]);
		return 2;
	}
	FILE *t = fopen(argv[1], "r");
	if (!t)
		return 2;
	char line[1024];
	int failures = 0, cases = 0;
	while (fgets(line, sizeof(line), t)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *want = tab + 1;
		want[strcspn(want, "\r\n")] = '\0';
		struct audit_catalog c;
		char err[256] = "";
		int rc = parse(argv[2], line, &c, err, sizeof(err));
		cases++;
		if (rc == -100) {
			failures++;
			continue;
		}
		char got[64];
		if (rc == CSHQ_OK)
			snprintf(got, sizeof(got), "%zu", c.n);
		else
			snprintf(got, sizeof(got), "error");
		if (strcmp(got, want) != 0 || (rc != CSHQ_OK && !err[0])) {
			fprintf(stderr, "FAIL: %s: expected %s, got %s (%s)\n", line, want, got,
			        err);
			failures++;
		}
		if (rc == CSHQ_OK)
			audit_catalog_release(&c);
	}
	fclose(t);

	/* values, not just counts */
	struct audit_catalog c;
	char err[256];
	if (parse(argv[2], "csv/bom_quoted_reordered.csv", &c, err, sizeof(err)) == CSHQ_OK) {
		failures += check(strcmp(c.items[0].id, "A-1") == 0, "BOM and reordered header");
		failures +=
		    check(strcmp(c.items[0].title, "引用符 \"付き\"") == 0, "doubled quotes");
		failures += check(strcmp(c.items[0].text, "複数行の\r\n本文, カンマ入り") == 0,
		                  "quoted newline and comma");
		failures += check(c.items[0].group == NULL, "no group column");
		failures += check(strcmp(c.items[1].text, "") == 0, "empty text");
		audit_catalog_release(&c);
	} else {
		failures += check(false, "bom_quoted_reordered.csv parses");
	}
	if (parse(argv[2], "oscal/nested.json", &c, err, sizeof(err)) == CSHQ_OK) {
		failures += check(c.n == 4 && strcmp(c.items[0].id, "1.1") == 0, "first control");
		failures += check(strcmp(c.items[0].text, "定めること\n(a) 目的\n(b) 範囲") == 0,
		                  "statement prose with sub-parts only");
		failures += check(strcmp(c.items[1].id, "1.1.1") == 0 &&
		                      strcmp(c.items[1].group, "組織と体制") == 0,
		                  "enhancement keeps its group");
		failures += check(strcmp(c.items[2].group, "下位の群") == 0, "innermost group");
		failures +=
		    check(c.items[3].group == NULL && strcmp(c.title, "統一基準群（抜粋）") == 0,
		          "ungrouped control, title");
		audit_catalog_release(&c);
	} else {
		failures += check(false, "nested.json parses");
	}
	printf("%d cases, %d failures\n", cases, failures);
	return failures ? 1 : 0;
}
