/* replay_main.c: without libFuzzer (a gcc build), feeds each file of the given
 * directories or paths to LLVMFuzzerTestOneInput once, so the corpora still run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 1;
	size_t cap = 1 << 16, len = 0, got;
	uint8_t *b = malloc(cap);
	while (b && (got = fread(b + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			b = realloc(b, cap);
		}
	}
	fclose(f);
	if (!b)
		return 1;
	/* an exact-size copy, so that ASan sees reads past the input */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, b, len);
	free(b);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0;
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "%s: missing\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			files += run_file(argv[i]) == 0;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char p[4096];
			snprintf(p, sizeof(p), "%s/%s", argv[i], de->d_name);
			files += run_file(p) == 0;
		}
		if (d)
			closedir(d);
	}
	printf("replayed %d inputs\n", files);
	return files > 0 ? 0 : 1;
}
