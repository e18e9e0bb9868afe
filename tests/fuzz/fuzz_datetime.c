/* fuzz_datetime.c: the date and RFC 3339 readers, and that what they accept formats back. */
#include <stdint.h>
#include <string.h>

#include "core/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int32_t d;
	if (date_parse(s, &d) == CSHQ_OK) {
		char back[11];
		date_format(d, back);
		CSHQ_ASSERT(strcmp(back, s) == 0);
	}
	int64_t t;
	if (time_parse_rfc3339(s, &t) == CSHQ_OK) {
		char out[26];
		time_format_rfc3339(t, out);
		int64_t again;
		CSHQ_ASSERT(time_parse_rfc3339(out, &again) == CSHQ_OK && again == t);
	}
	return 0;
}
