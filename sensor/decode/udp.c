/* udp.c: the UDP header; the payload is bounded by the UDP length and the capture. */
#include "decode/decode.h"

int decode_udp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 8)
		goto bad;
	uint32_t ulen = rd16(d + 4);
	/* ulen 0 is legal for IPv6 jumbograms; otherwise it must cover the header. A
	 * ulen longer than the capture is a truncated capture, not a malformed packet. */
	if (ulen != 0 && ulen < 8)
		goto bad;
	if (ulen != 0 && ulen < len)
		len = ulen;
	p->sport = rd16(d);
	p->dport = rd16(d + 2);
	p->payload = d + 8;
	p->payload_len = len - 8;
	p->l4_valid = true;
	return CSHQ_OK;
bad:
	*err = DL_UDP;
	return CSHQ_EINVAL;
}
