/* cidr.c: path-compressed binary trie (each node stores a full prefix, so a missing
 * run of single-child levels costs nothing). Nodes live in one array addressed by
 * index, which keeps them compact and lets the array grow while building. */
#include <stdlib.h>
#include <string.h>

#include "ioc/cidr.h"

struct cidr_node {
	uint8_t key[16];
	uint8_t bits;
	uint32_t child[2];
	uint32_t value_plus1; /* 0: a branching node with no prefix of its own */
};

void cidr_init(struct cidr_trie *t)
{
	memset(t, 0, sizeof(*t));
	t->cap = 16;
	t->nodes = xcalloc(t->cap, sizeof(struct cidr_node));
	t->n = 1;
}

void cidr_release(struct cidr_trie *t)
{
	if (!t)
		return;
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

size_t cidr_memory(const struct cidr_trie *t)
{
	return (size_t)t->cap * sizeof(struct cidr_node);
}

static inline unsigned bit_at(const uint8_t *a, unsigned i)
{
	return (a[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Number of leading bits a and b share, at most max. */
static unsigned common_bits(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i = 0;
	while (i + 8 <= max && a[i >> 3] == b[i >> 3])
		i += 8;
	while (i < max && bit_at(a, i) == bit_at(b, i))
		i++;
	return i;
}

static uint32_t new_node(struct cidr_trie *t, const uint8_t *key, unsigned bits, uint32_t vp1)
{
	if (t->n == t->cap) {
		CSHQ_ASSERT(t->cap < UINT32_MAX / 2);
		t->cap *= 2;
		t->nodes = xrealloc(t->nodes, (size_t)t->cap * sizeof(struct cidr_node));
	}
	uint32_t i = t->n++;
	struct cidr_node *nd = &t->nodes[i];
	memset(nd, 0, sizeof(*nd));
	/* keep only the prefix bits so that later comparisons see clean keys */
	for (unsigned b = 0; b < bits; b++)
		if (bit_at(key, b))
			nd->key[b >> 3] |= (uint8_t)(0x80 >> (b & 7));
	nd->bits = (uint8_t)bits;
	nd->value_plus1 = vp1;
	return i;
}

int cidr_insert(struct cidr_trie *t, int family, const uint8_t *addr, unsigned bits,
		uint32_t value)
{
	unsigned width = family == 6 ? 128 : 32;
	if (bits > width)
		bits = width;
	uint8_t key[16] = {0};
	memcpy(key, addr, family == 6 ? 16 : 4);
	int fi = family == 6;
	/* link: where the index of the current node is stored (root or a child slot);
	 * re-derived after each allocation because new_node may move the array */
	uint32_t parent = 0;
	unsigned side = 0;
	uint32_t cur = t->root[fi];
	for (;;) {
		if (!cur) {
			uint32_t n = new_node(t, key, bits, value + 1);
			if (parent)
				t->nodes[parent].child[side] = n;
			else
				t->root[fi] = n;
			return CSHQ_OK;
		}
		struct cidr_node *c = &t->nodes[cur];
		unsigned cb = c->bits;
		unsigned common = common_bits(key, c->key, bits < cb ? bits : cb);
		if (common < cb) {
			uint32_t n;
			if (common == bits) { /* new prefix sits above cur */
				unsigned b = bit_at(t->nodes[cur].key, bits);
				n = new_node(t, key, bits, value + 1);
				t->nodes[n].child[b] = cur;
			} else { /* they diverge at bit `common`: a branching node */
				unsigned bk = bit_at(key, common);
				n = new_node(t, key, common, 0);
				uint32_t leaf = new_node(t, key, bits, value + 1);
				t->nodes[n].child[bk] = leaf;
				t->nodes[n].child[!bk] = cur;
			}
			if (parent)
				t->nodes[parent].child[side] = n;
			else
				t->root[fi] = n;
			return CSHQ_OK;
		}
		/* cur's prefix contains the new one */
		if (bits == cb) {
			if (c->value_plus1)
				return CSHQ_ECONFLICT;
			c->value_plus1 = value + 1;
			return CSHQ_OK;
		}
		parent = cur;
		side = bit_at(key, cb);
		cur = c->child[side];
	}
}

size_t cidr_lookup(const struct cidr_trie *t, int family, const uint8_t *addr, uint32_t *out,
		   size_t max)
{
	unsigned width = family == 6 ? 128 : 32;
	size_t n = 0;
	uint32_t cur = t->root[family == 6];
	while (cur) {
		const struct cidr_node *c = &t->nodes[cur];
		if (common_bits(addr, c->key, c->bits) < c->bits)
			break;
		if (c->value_plus1 && n < max)
			out[n++] = c->value_plus1 - 1;
		if (c->bits >= width)
			break;
		cur = c->child[bit_at(addr, c->bits)];
	}
	return n;
}
