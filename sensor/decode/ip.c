/* ip.c: IPv4 (header options, fragments) and IPv6 (extension header chain). */
#include <string.h>

#include "decode/decode.h"

/* More extension headers than this is malformed for us: real stacks use a handful,
 * and hostile chains are cut short instead of walked to the end of a jumbo frame. */
#define IPV6_MAX_EXT 16

static int decode_l4(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	switch (p->proto) {
	case 6:
		return decode_tcp(p, d, len, err);
	case 17:
		return decode_udp(p, d, len, err);
	case 1:
	case IPPROTO_ICMPV6_:
		return decode_icmp(p, d, len, err);
	default:
		return CSHQ_OK;
	}
}

int decode_ipv4(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 20 || (d[0] >> 4) != 4)
		goto bad;
	uint32_t ihl = (uint32_t)(d[0] & 0x0f) * 4;
	uint32_t total = rd16(d + 2);
	if (ihl < 20 || ihl > len || total < ihl)
		goto bad;
	/* A capture may be truncated (snap length) but may also carry Ethernet padding:
	 * trust the header's total length, capped by what was captured. */
	if (total < len)
		len = total;
	p->ipver = 4;
	p->ip_opts = ihl > 20;
	p->proto = d[9];
	p->src.family = p->dst.family = 4;
	memcpy(p->src.a, d + 12, 4);
	memcpy(p->dst.a, d + 16, 4);
	p->ip_len = len;
	uint16_t frag = rd16(d + 6);
	uint16_t offset = frag & 0x1fff;
	if ((frag & 0x2000) || offset) {
		p->fragment = true;
		if (offset) /* no transport header in a non-first fragment */
			return CSHQ_OK;
	}
	return decode_l4(p, d + ihl, len - ihl, err);
bad:
	*err = DL_IPV4;
	return CSHQ_EINVAL;
}

int decode_ipv6(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 40 || (d[0] >> 4) != 6)
		goto bad;
	uint32_t plen = rd16(d + 4);
	if (plen + 40 < len && plen != 0) /* trim link padding; 0 means jumbogram */
		len = plen + 40;
	p->ipver = 6;
	p->src.family = p->dst.family = 6;
	memcpy(p->src.a, d + 8, 16);
	memcpy(p->dst.a, d + 24, 16);
	p->ip_len = len;
	uint8_t nh = d[6];
	uint32_t off = 40;
	for (int n = 0;; n++) {
		uint32_t hlen;
		switch (nh) {
		case 0:   /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
		case 135: /* mobility */
		case 139: /* HIP */
		case 140: /* shim6 */
			if (len - off < 8)
				goto bad;
			hlen = ((uint32_t)d[off + 1] + 1) * 8;
			break;
		case 44: /* fragment */
			if (len - off < 8)
				goto bad;
			hlen = 8;
			p->fragment = true;
			if (rd16(d + off + 2) & 0xfff8) { /* non-first fragment */
				p->proto = d[off];
				return CSHQ_OK;
			}
			break;
		case 51: /* AH: length in 4-octet units, minus 2 */
			if (len - off < 8)
				goto bad;
			hlen = ((uint32_t)d[off + 1] + 2) * 4;
			break;
		default:
			p->proto = nh;
			if (nh == 59 || nh == 50) /* no next header; ESP is opaque */
				return CSHQ_OK;
			return decode_l4(p, d + off, len - off, err);
		}
		if (n >= IPV6_MAX_EXT || hlen > len - off)
			goto bad;
		nh = d[off];
		off += hlen;
		if (p->ip_opts < 255)
			p->ip_opts++;
	}
bad:
	*err = DL_IPV6;
	return CSHQ_EINVAL;
}
