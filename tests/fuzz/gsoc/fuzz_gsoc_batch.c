/* fuzz_gsoc_batch.c: gsoc_batch_parse on arbitrary bytes, read both as a JSON array and as
 * NDJSON (the first byte chooses), with a fixed clock. Every event it accepts and every
 * error it reports must be consistent with the batch's size. */
#include <stdint.h>
#include <string.h>

#include "modules/gsoc_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum gsoc_batch_format fmt = (data[0] & 1) ? GSOC_BATCH_NDJSON : GSOC_BATCH_JSON;
	struct gsoc_batch b;
	char err[512];
	int rc = gsoc_batch_parse((const char *)data + 1, size - 1, fmt, 1700000000, &b, err,
	                          sizeof(err));
	if (rc == CSHQ_OK) {
		CSHQ_ASSERT(b.n + json_array_size(b.errors) == b.total);
		for (size_t i = 0; i < b.n; i++) {
			const struct gsoc_event *e = &b.ev[i];
			CSHQ_ASSERT(e->index < b.total);
			if (e->kind == GSOC_EV_ALERT)
				CSHQ_ASSERT(e->seq >= 1 && e->ivalue &&
				            strlen(e->ivalue) <= GSOC_VALUE_MAX && e->matched);
		}
	}
	gsoc_batch_release(&b);
	return 0;
}
