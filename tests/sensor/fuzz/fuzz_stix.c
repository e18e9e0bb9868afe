/* fuzz_stix.c: STIX 2.1 bundle loader (JSON and the pattern subset). */
#include "fuzz.h"
#include "ioc/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ioc_set *s = ioc_set_new();
	struct ioc_load_result r = {0};
	char err[256];
	ioc_load_stix(s, (const char *)data, size, 1000, &r, err, sizeof(err));
	ioc_set_free(s);
	return 0;
}
