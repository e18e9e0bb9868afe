/* tcp.c: the TCP header (options skipped by the data offset). */
#include "decode/decode.h"

int decode_tcp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 20)
		goto bad;
	uint32_t doff = (uint32_t)(d[12] >> 4) * 4;
	if (doff < 20 || doff > len)
		goto bad;
	p->sport = rd16(d);
	p->dport = rd16(d + 2);
	p->tcp_seq = rd32(d + 4);
	p->tcp_ack = rd32(d + 8);
	p->tcp_flags = d[13];
	p->payload = d + doff;
	p->payload_len = len - doff;
	p->l4_valid = true;
	return CSHQ_OK;
bad:
	*err = DL_TCP;
	return CSHQ_EINVAL;
}
