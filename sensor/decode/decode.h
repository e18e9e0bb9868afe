/* decode.h: bounds-checked decoders from the link layer up to TCP/UDP/ICMP.
 *
 * Every decoder reads only inside [data, data + caplen): hostile packets may be
 * rejected but never cause an out-of-bounds read. Outputs point into the caller's
 * packet buffer (no copies), so a struct packet lives no longer than that buffer. */
#ifndef CSHQ_SENSOR_DECODE_H
#define CSHQ_SENSOR_DECODE_H

#include <sys/time.h>

#include "core/common.h"

/* Layers whose malformed-input errors are counted separately in stats. */
enum decode_layer {
	DL_LINK,
	DL_VLAN,
	DL_IPV4,
	DL_IPV6,
	DL_TCP,
	DL_UDP,
	DL_ICMP,
	DL_DNS,
	DL_TLS,
	DL_HTTP,
	DL_COUNT
};
const char *decode_layer_name(enum decode_layer l);

/* Link types understood (values of pcap DLT_*, repeated here so that the
 * decoders and their fuzz targets do not depend on libpcap headers). */
enum {
	LINK_NULL = 0,      /* BSD loopback: 4-byte host-order family */
	LINK_ETHERNET = 1,  /* DLT_EN10MB */
	LINK_RAW = 101,     /* LINKTYPE_RAW: IPv4 or IPv6 by version nibble */
	LINK_RAW_OLD = 12,  /* DLT_RAW on most platforms */
	LINK_SLL = 113,     /* Linux cooked capture v1 */
	LINK_IPV4 = 228,
	LINK_IPV6 = 229,
	LINK_SLL2 = 276,    /* Linux cooked capture v2 */
};

/* An IP address: family 4 (first 4 bytes of a used) or 6. */
struct ip_addr {
	uint8_t family;
	uint8_t a[16];
};

/* Format an address as text (INET6_ADDRSTRLEN fits). */
void ip_addr_format(const struct ip_addr *ip, char *out, size_t outlen);
/* -1, 0, 1 ordering used for symmetric flow keys. */
int ip_addr_cmp(const struct ip_addr *x, const struct ip_addr *y);

#define DECODE_MAX_VLAN 2
#define IPPROTO_ICMPV6_ 58

struct packet {
	struct timeval ts;
	uint32_t caplen;
	uint32_t wirelen;
	const uint8_t *data;

	uint8_t vlan_count; /* tags seen (more than DECODE_MAX_VLAN are skipped, still counted) */
	uint16_t vlan[DECODE_MAX_VLAN];

	uint8_t ipver;  /* 0 when the packet carries no IP */
	uint8_t proto;  /* transport protocol after the IPv6 extension chain */
	bool fragment;  /* any IPv4/IPv6 fragment (first or not) */
	bool l4_valid;  /* ports/flags below are meaningful */
	uint8_t ip_opts; /* IPv4 had options; IPv6: number of extension headers */
	struct ip_addr src, dst;
	uint32_t ip_len; /* bytes of the IP datagram present in the capture */

	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t tcp_seq, tcp_ack;
	uint8_t icmp_type, icmp_code;

	const uint8_t *payload; /* transport payload (within the capture) */
	uint32_t payload_len;
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

/* Decode a captured frame. Returns CSHQ_OK when the packet was decoded as far as the
 * decoders go (non-IP traffic is OK with ipver == 0), or CSHQ_EINVAL with *err set to
 * the layer that found the packet malformed (fields of outer layers stay valid). */
int decode_packet(struct packet *p, int linktype, const uint8_t *data, uint32_t caplen,
		  enum decode_layer *err);

/* The layers, each called by the one below. Same return contract as decode_packet. */
int decode_ethertype(struct packet *p, uint16_t ethertype, const uint8_t *d, uint32_t len,
		     enum decode_layer *err);
int decode_ipv4(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err);
int decode_ipv6(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err);
int decode_tcp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err);
int decode_udp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err);
int decode_icmp(struct packet *p, const uint8_t *d, uint32_t len, enum decode_layer *err);

/* Big-endian readers; callers have checked the bounds. */
static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Result of the incremental application-layer parsers. */
enum parse_rc {
	PARSE_OK = 0,   /* a complete message was parsed */
	PARSE_MORE = 1, /* the bytes so far are a valid prefix: call again with more */
	PARSE_ERR = -1, /* not this protocol, or malformed */
};

#endif
