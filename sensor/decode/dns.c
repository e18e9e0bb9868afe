/* dns.c: DNS message parsing with compression, every read bounds-checked. */
#include <stdio.h>
#include <string.h>

#include "decode/dns.h"

/* Reads the name at *pos; on success *pos moves past the name as stored in place
 * (a pointer counts 2 bytes). Pointers must go strictly backwards from the label
 * they appear in, so a chain of them always ends. */
static int read_name(const uint8_t *msg, size_t len, size_t *pos, char *out)
{
	size_t p = *pos, outlen = 0;
	size_t end_in_place = 0;
	bool jumped = false;
	size_t limit = p; /* a pointer must target an offset below this */
	for (;;) {
		if (p >= len)
			return PARSE_ERR;
		uint8_t l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len)
				return PARSE_ERR;
			size_t target = ((size_t)(l & 0x3f) << 8) | msg[p + 1];
			if (!jumped) {
				end_in_place = p + 2;
				jumped = true;
			}
			if (target >= limit)
				return PARSE_ERR;
			limit = target;
			p = target;
			continue;
		}
		if (l & 0xc0) /* 0x40/0x80 label types are obsolete */
			return PARSE_ERR;
		if (l == 0) {
			p++;
			break;
		}
		if (p + 1 + l > len)
			return PARSE_ERR;
		if (outlen + (outlen ? 1 : 0) + l > DNS_NAME_MAX - 1)
			return PARSE_ERR;
		if (outlen)
			out[outlen++] = '.';
		for (size_t i = 0; i < l; i++) {
			uint8_t c = msg[p + 1 + i];
			out[outlen++] = (c > 0x20 && c < 0x7f && c != '.') ? (char)c : '?';
		}
		p += 1 + l;
		if (!jumped)
			limit = p;
	}
	out[outlen] = '\0';
	*pos = jumped ? end_in_place : p;
	return PARSE_OK;
}

int dns_parse(const uint8_t *msg, size_t len, struct dns_info *out)
{
	char scratch[DNS_NAME_MAX];
	memset(out, 0, offsetof(struct dns_info, answers));
	if (len < 12)
		return PARSE_ERR;
	out->id = rd16(msg);
	out->response = msg[2] & 0x80;
	out->rcode = msg[3] & 0x0f;
	unsigned qd = rd16(msg + 4), an = rd16(msg + 6);
	/* Each question takes at least 5 bytes and each record 11: counts that cannot
	 * fit are malformed, which bounds the loops below by the message length. */
	if ((size_t)qd * 5 + (size_t)an * 11 > len - 12)
		return PARSE_ERR;
	size_t pos = 12;
	for (unsigned i = 0; i < qd; i++) {
		if (read_name(msg, len, &pos, i == 0 ? out->qname : scratch) != PARSE_OK)
			return PARSE_ERR;
		if (len - pos < 4)
			return PARSE_ERR;
		if (i == 0)
			out->qtype = rd16(msg + pos);
		pos += 4;
	}
	for (unsigned i = 0; i < an; i++) {
		struct dns_answer *a = &out->answers[out->n_answers];
		char *name = out->n_answers < DNS_MAX_ANSWERS ? a->name : scratch;
		if (read_name(msg, len, &pos, name) != PARSE_OK)
			return PARSE_ERR;
		if (len - pos < 10)
			return PARSE_ERR;
		uint16_t type = rd16(msg + pos), cls = rd16(msg + pos + 2);
		size_t rdlen = rd16(msg + pos + 8);
		pos += 10;
		if (rdlen > len - pos)
			return PARSE_ERR;
		if (out->n_answers < DNS_MAX_ANSWERS && (cls & 0x7fff) == 1) {
			if (type == 1 && rdlen == 4) {
				a->type = 1;
				a->addr.family = 4;
				memcpy(a->addr.a, msg + pos, 4);
				out->n_answers++;
			} else if (type == 28 && rdlen == 16) {
				a->type = 28;
				a->addr.family = 6;
				memcpy(a->addr.a, msg + pos, 16);
				out->n_answers++;
			} else if (type == 5) {
				size_t cpos = pos;
				if (read_name(msg, pos + rdlen, &cpos, a->cname) != PARSE_OK)
					return PARSE_ERR;
				a->type = 5;
				out->n_answers++;
			}
		}
		pos += rdlen;
	}
	return PARSE_OK;
}

void dns_type_name(uint16_t type, char out[8])
{
	static const struct {
		uint16_t t;
		const char *n;
	} names[] = {{1, "A"},    {2, "NS"},  {5, "CNAME"}, {6, "SOA"},   {12, "PTR"},   {15, "MX"},
		     {16, "TXT"}, {28, "AAAA"}, {33, "SRV"}, {64, "SVCB"}, {65, "HTTPS"}, {255, "ANY"}};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(names); i++)
		if (names[i].t == type) {
			snprintf(out, 8, "%s", names[i].n);
			return;
		}
	snprintf(out, 8, "%u", type);
}
