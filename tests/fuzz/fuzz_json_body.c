/* fuzz_json_body.c: the strict JSON reader every handler uses (depth cap, duplicates, UTF-8). */
#include <stdint.h>
#include <stdlib.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	json_t *j = http_parse_json((const char *)data, size, err, sizeof(err));
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT);
		free(s);
		json_decref(j);
	}
	return 0;
}
