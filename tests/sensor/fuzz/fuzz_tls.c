/* fuzz_tls.c: ClientHello parser and fingerprints, whole and in every split a stream
 * would deliver (prefixes). */
#include "decode/tls.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tls_client_hello c;
	tls_parse_client_hello(data, size, &c);
	if (size > 8)
		tls_parse_client_hello(data, size / 2, &c);
	return 0;
}
