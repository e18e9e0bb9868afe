/* fuzz_gsoc_ioc.c: indicator normalisation, TLP and timestamp readers on arbitrary text.
 * A canonical value must be a fixed point of normalisation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	enum gsoc_ioc_type t = (enum gsoc_ioc_type)(data[0] % GSOC_IOC_TYPE_COUNT);
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	char out[GSOC_VALUE_MAX + 1], again[GSOC_VALUE_MAX + 1];
	const char *why;
	if (gsoc_ioc_normalise(t, text, out, sizeof(out), &why) == CSHQ_OK) {
		CSHQ_ASSERT(gsoc_ioc_normalise(t, out, again, sizeof(again), &why) == CSHQ_OK);
		CSHQ_ASSERT(strcmp(out, again) == 0);
	} else {
		CSHQ_ASSERT(why != NULL);
	}
	enum gsoc_tlp tlp;
	if (gsoc_tlp_parse(text, &tlp) == CSHQ_OK)
		CSHQ_ASSERT(gsoc_tlp_parse(gsoc_tlp_name(tlp), &tlp) == CSHQ_OK);
	int64_t ts;
	if (gsoc_parse_timestamp(text, &ts) == CSHQ_OK) {
		char utc[25];
		gsoc_format_utc(ts, utc);
	}
	gsoc_severity_parse(text);
	free(text);
	return 0;
}
