/* fuzz_dns.c: DNS message parser. */
#include "decode/dns.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_info d;
	dns_parse(data, size, &d);
	return 0;
}
