/* fuzz_inspect.c: the whole per-packet path (decode, flows, stream reassembly, DNS/TLS/
 * HTTP parsing, matching, EVE formatting) over a sequence of frames: the input is
 * records of [2-byte length][raw IP packet]. */
#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "fuzz.h"

static struct ioc_set *set;
static struct eve_writer eve;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!set) {
		char err[128];
		set = ioc_set_new();
		ioc_set_add(set, IOC_CIDR, "0.0.0.0/1", NULL, 0, err, sizeof(err));
		ioc_set_add(set, IOC_DOMAIN_SUFFIX, "com", NULL, 0, err, sizeof(err));
		ioc_set_add(set, IOC_DOMAIN, "a", NULL, 0, err, sizeof(err));
		ioc_set_add(set, IOC_URL_PREFIX, "http://a/", NULL, 0, err, sizeof(err));
		ioc_set_freeze(set);
		struct eve_identity id = {"fuzz", NULL, NULL};
		eve_writer_open(&eve, "/dev/null", &id, NULL);
	}
	static const int timeouts[FC_COUNT] = {600, 30, 120, 60};
	struct inspector in;
	inspector_init(&in, 64, timeouts, &eve);
	struct timeval ts = {1700000000, 0};
	size_t pos = 0;
	while (size - pos >= 2) {
		size_t n = ((size_t)data[pos] << 8) | data[pos + 1];
		pos += 2;
		if (n > size - pos)
			n = size - pos;
		inspector_packet(&in, set, 1, 101, &ts, (uint32_t)n, data + pos, (uint32_t)n);
		pos += n;
		ts.tv_sec++;
	}
	inspector_release(&in);
	return 0;
}
