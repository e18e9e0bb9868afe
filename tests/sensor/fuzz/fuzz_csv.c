/* fuzz_csv.c: CSV and plain-list indicator files, then lookups on what was loaded. */
#include <stdio.h>

#include "fuzz.h"
#include "ioc/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct ioc_set *s = ioc_set_new();
	struct ioc_load_result r = {0};
	char err[256];
	ioc_load_csv(s, f, 1000, &r, err, sizeof(err));
	fclose(f);
	ioc_set_freeze(s);
	uint32_t hits[8];
	struct ip_addr a = {4, {192, 0, 2, 1}};
	ioc_match_ip(s, &a, 0, hits, 8);
	ioc_match_domain(s, "a.b.example", 0, hits, 8);
	ioc_match_url(s, "http://a.example/x/y", 0, hits, 8);
	ioc_set_free(s);
	return 0;
}
