/* fuzz_http.c: HTTP/1.x request-head parser. */
#include "decode/http.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_request r;
	size_t head;
	http_parse_request(data, size, &r, &head);
	return 0;
}
