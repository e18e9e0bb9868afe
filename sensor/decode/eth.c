/* eth.c: link layers (Ethernet II with 802.1Q/QinQ tags, Linux SLL/SLL2, raw IP, BSD
 * loopback) down to the ethertype, and the decode_packet entry point. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define ETH_P_QINQ_OLD 0x9100
/* A frame with more tags than this is treated as malformed: a loop guard, not a spec limit. */
#define MAX_TAGS 8

static const char *const layer_names[DL_COUNT] = {"link", "vlan", "ipv4", "ipv6", "tcp",
						  "udp",  "icmp", "dns",  "tls",  "http"};

const char *decode_layer_name(enum decode_layer l)
{
	return (unsigned)l < DL_COUNT ? layer_names[l] : "unknown";
}

void ip_addr_format(const struct ip_addr *ip, char *out, size_t outlen)
{
	if (!inet_ntop(ip->family == 6 ? AF_INET6 : AF_INET, ip->a, out, (socklen_t)outlen))
		snprintf(out, outlen, "?");
}

int ip_addr_cmp(const struct ip_addr *x, const struct ip_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	int c = memcmp(x->a, y->a, x->family == 6 ? 16 : 4);
	return c < 0 ? -1 : c > 0;
}

int decode_ethertype(struct packet *p, uint16_t ethertype, const uint8_t *d, uint32_t len,
		     enum decode_layer *err)
{
	int tags = 0;
	while (ethertype == ETH_P_8021Q || ethertype == ETH_P_8021AD ||
	       ethertype == ETH_P_QINQ_OLD) {
		if (len < 4 || ++tags > MAX_TAGS) {
			*err = DL_VLAN;
			return CSHQ_EINVAL;
		}
		if (p->vlan_count < DECODE_MAX_VLAN)
			p->vlan[p->vlan_count] = rd16(d) & 0x0fff;
		if (p->vlan_count < 255)
			p->vlan_count++;
		ethertype = rd16(d + 2);
		d += 4;
		len -= 4;
	}
	switch (ethertype) {
	case ETH_P_IPV4:
		return decode_ipv4(p, d, len, err);
	case ETH_P_IPV6:
		return decode_ipv6(p, d, len, err);
	default:
		return CSHQ_OK; /* ARP, LLDP, ...: not inspected, not an error */
	}
}

static int decode_raw(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err)
{
	if (len < 1) {
		*err = DL_LINK;
		return CSHQ_EINVAL;
	}
	switch (d[0] >> 4) {
	case 4:
		return decode_ipv4(p, d, len, err);
	case 6:
		return decode_ipv6(p, d, len, err);
	default:
		*err = DL_LINK;
		return CSHQ_EINVAL;
	}
}

int decode_packet(struct packet *p, int linktype, const uint8_t *d, uint32_t caplen,
		  enum decode_layer *err)
{
	struct timeval ts = p->ts;
	uint32_t wirelen = p->wirelen;
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->wirelen = wirelen;
	p->data = d;
	p->caplen = caplen;

	switch (linktype) {
	case LINK_ETHERNET:
		if (caplen < 14)
			break;
		return decode_ethertype(p, rd16(d + 12), d + 14, caplen - 14, err);
	case LINK_SLL: /* 16 bytes; protocol at offset 14 */
		if (caplen < 16)
			break;
		return decode_ethertype(p, rd16(d + 14), d + 16, caplen - 16, err);
	case LINK_SLL2: /* 20 bytes; protocol at offset 0 */
		if (caplen < 20)
			break;
		return decode_ethertype(p, rd16(d), d + 20, caplen - 20, err);
	case LINK_RAW:
	case LINK_RAW_OLD:
		return decode_raw(p, d, caplen, err);
	case LINK_IPV4:
		return decode_ipv4(p, d, caplen, err);
	case LINK_IPV6:
		return decode_ipv6(p, d, caplen, err);
	case LINK_NULL:
		if (caplen < 4)
			break;
		return decode_raw(p, d + 4, caplen - 4, err);
	default:
		break;
	}
	*err = DL_LINK;
	return CSHQ_EINVAL;
}
