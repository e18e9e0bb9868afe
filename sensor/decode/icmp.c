/* icmp.c: ICMP and ICMPv6 type/code (the flow key uses them in place of ports). */
#include "decode/decode.h"

int decode_icmp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 4) {
		*err = DL_ICMP;
		return CSHQ_EINVAL;
	}
	p->icmp_type = d[0];
	p->icmp_code = d[1];
	p->payload = d + 4;
	p->payload_len = len - 4;
	p->l4_valid = true;
	return CSHQ_OK;
}
