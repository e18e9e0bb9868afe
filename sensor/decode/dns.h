/* dns.h: DNS message parser (question, and A/AAAA/CNAME answers) for UDP payloads and
 * for the messages of a TCP stream (each prefixed by its 2-byte length). */
#ifndef CSHQ_SENSOR_DNS_H
#define CSHQ_SENSOR_DNS_H

#include "decode/decode.h"

#define DNS_NAME_MAX 256 /* 255 octets of presentation form + NUL */
#define DNS_MAX_ANSWERS 16

struct dns_answer {
	uint16_t type; /* 1 A, 28 AAAA, 5 CNAME */
	char name[DNS_NAME_MAX];
	struct ip_addr addr;      /* A, AAAA */
	char cname[DNS_NAME_MAX]; /* CNAME target */
};

struct dns_info {
	uint16_t id;
	bool response;
	uint8_t rcode;
	char qname[DNS_NAME_MAX]; /* "" when the message has no question */
	uint16_t qtype;
	unsigned n_answers; /* A/AAAA/CNAME answers kept, at most DNS_MAX_ANSWERS */
	struct dns_answer answers[DNS_MAX_ANSWERS];
};

/* Parse one DNS message of len bytes. PARSE_OK or PARSE_ERR (malformed: bad counts,
 * names longer than 255, compression pointers that do not point strictly backwards,
 * which also rules out pointer loops). Names are in presentation form without the
 * final dot, bytes outside printable ASCII replaced by '?'. */
int dns_parse(const uint8_t *msg, size_t len, struct dns_info *out);

/* "A", "AAAA", ... or the number as text, into out (8 bytes). */
void dns_type_name(uint16_t type, char out[8]);

#endif
