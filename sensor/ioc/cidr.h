/* cidr.h: a path-compressed binary trie of IPv4 and IPv6 prefixes. One walk from the
 * root visits at most one node per distinct prefix length on the address's path, so
 * a lookup costs at most 33 (IPv4) or 129 (IPv6) steps whatever the number of prefixes,
 * and returns every stored prefix that contains the address. */
#ifndef CSHQ_SENSOR_CIDR_H
#define CSHQ_SENSOR_CIDR_H

#include "core/common.h"

struct cidr_node;

struct cidr_trie {
	struct cidr_node *nodes; /* nodes[0] unused: index 0 means "none" */
	uint32_t n, cap;
	uint32_t root[2]; /* [0] IPv4, [1] IPv6 */
};

void cidr_init(struct cidr_trie *t);
void cidr_release(struct cidr_trie *t);
/* Stores prefix (addr bytes: 4 or 16, bits 0..32/128) with a value; host bits are
 * ignored. CSHQ_OK, or CSHQ_ECONFLICT when the prefix is already present (the first
 * value stays). */
int cidr_insert(struct cidr_trie *t, int family, const uint8_t *addr, unsigned bits,
		uint32_t value);
/* Values of all prefixes containing addr, shortest first; returns the count (<= max). */
size_t cidr_lookup(const struct cidr_trie *t, int family, const uint8_t *addr, uint32_t *out,
		   size_t max);
size_t cidr_memory(const struct cidr_trie *t);

#endif
