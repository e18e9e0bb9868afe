/* fuzz_gsoc_csv.c: CSV indicator lists on arbitrary bytes, through the same checks as the
 * JSON import. */
#include <stdint.h>
#include <stdlib.h>

#include "modules/gsoc.h"
#include "modules/gsoc_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *arr = NULL;
	char err[256];
	if (gsoc_indicators_csv((const char *)data, size, 1000, &arr, err, sizeof(err)) ==
	    CSHQ_OK) {
		CSHQ_ASSERT(json_is_array(arr) && json_array_size(arr) <= 1000);
		struct gsoc_indicator_in *items = NULL;
		size_t n = 0;
		if (gsoc_indicators_from_json(arr, &items, &n, err, sizeof(err)) == CSHQ_OK)
			CSHQ_ASSERT(n == json_array_size(arr));
		gsoc_indicator_in_free(items, n);
	}
	json_decref(arr);
	return 0;
}
