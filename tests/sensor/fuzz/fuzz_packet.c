/* fuzz_packet.c: link, IP, TCP/UDP/ICMP decoders. The first byte picks the link type. */
#include "decode/decode.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_RAW,
				    LINK_IPV4,     LINK_IPV6, LINK_NULL, LINK_RAW_OLD};
	if (size < 1)
		return 0;
	struct packet p = {0};
	enum decode_layer err;
	decode_packet(&p, links[data[0] % 8], data + 1, (uint32_t)(size - 1), &err);
	return 0;
}
