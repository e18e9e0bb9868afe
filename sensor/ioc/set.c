/* set.c: the indicator set: entries in one array, their strings in one arena (offsets,
 * not pointers, so both can grow while loading), and the lookup tables over them. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "ioc/cidr.h"
#include "ioc/set.h"

#define URL_MAX 4096
#define DOMAIN_MAX 253

struct ioc_entry {
	uint64_t key;
	int64_t expires;
	uint32_t value_off, norm_off, norm_len;
	uint32_t id_off, source_off, tlp_off;
	uint8_t type, severity;
	bool dead; /* a duplicate found when the tables were built */
};

struct slot32 {
	uint32_t key;
	uint32_t idx1; /* entry index + 1; 0 = empty */
};
struct slot128 {
	uint8_t key[16];
	uint32_t idx1;
};
struct slotstr {
	uint32_t tag; /* high half of the 64-bit key */
	uint32_t idx1;
};

struct table {
	void *slots;
	size_t mask; /* size - 1, size a power of two */
	size_t used;
	size_t bytes; /* of slots, for table_free */
};

/* Large tables are probed at random: on huge pages a probe costs one cache miss
 * instead of a cache miss plus a TLB miss, which halves load and lookup time. */
#define HUGE_MIN ((size_t)4 << 20)

static void *table_alloc(size_t bytes)
{
	if (bytes < HUGE_MIN)
		return xcalloc(1, bytes);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return xcalloc(1, bytes);
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p; /* anonymous mappings are zeroed */
}

static void table_free(struct table *t)
{
	if (!t->slots)
		return;
	if (t->bytes < HUGE_MIN || munmap(t->slots, t->bytes) != 0)
		free(t->slots);
	t->slots = NULL;
}

struct ioc_set {
	atomic_int refs;
	bool frozen;
	struct ioc_entry *e;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	struct table v4, v6, str;
	struct cidr_trie cidr;
	size_t count[IOC_TYPE_COUNT];
	/* url_prefix lengths present: the prefix scan skips lengths no indicator has */
	uint8_t prefix_len_seen[URL_MAX / 8 + 1];
	/* interning cache for source/tlp, which repeat across a whole file */
	uint32_t last_source, last_tlp;
};

static const char *const type_names[IOC_TYPE_COUNT] = {
	"ipv4", "ipv6", "cidr", "domain", "domain_suffix", "url", "url_prefix", "ja3", "ja4"};

const char *ioc_type_name(enum ioc_type t)
{
	return (unsigned)t < IOC_TYPE_COUNT ? type_names[t] : "unknown";
}

int ioc_type_parse(const char *name, enum ioc_type *t)
{
	for (int i = 0; i < IOC_TYPE_COUNT; i++)
		if (strcasecmp(name, type_names[i]) == 0) {
			*t = (enum ioc_type)i;
			return CSHQ_OK;
		}
	return CSHQ_EINVAL;
}

int ioc_severity_parse(const char *s)
{
	static const struct {
		const char *w;
		int v;
	} words[] = {{"critical", 1}, {"high", 1}, {"medium", 2}, {"moderate", 2},
		     {"low", 3},      {"info", 4}, {"informational", 4}};
	if (!s || !*s)
		return 0;
	if (s[0] >= '1' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '0';
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(words); i++)
		if (strcasecmp(s, words[i].w) == 0)
			return words[i].v;
	return 0;
}

/* FNV-1a, chosen because a prefix's hash extends to the next byte in O(1), which makes
 * the URL-prefix scan linear in the URL length. */
#define FNV_OFF UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)
static inline uint64_t fnv_step(uint64_t h, uint8_t c)
{
	return (h ^ c) * FNV_PRIME;
}
static uint64_t fnv_type(enum ioc_type t)
{
	return fnv_step(FNV_OFF, (uint8_t)(t + 1));
}
static uint64_t fnv_str(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = fnv_step(h, (uint8_t)s[i]);
	return h;
}
/* final mix so that low bits (the table index) depend on every input byte */
static inline uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

/* ---- arena ---- */

static uint32_t arena_put(struct ioc_set *s, const char *str, size_t n)
{
	if (s->alen + n + 1 > s->acap) {
		size_t nc = s->acap * 2;
		while (nc < s->alen + n + 1)
			nc *= 2;
		CSHQ_ASSERT(nc <= UINT32_MAX);
		s->arena = xrealloc(s->arena, nc);
		s->acap = nc;
	}
	uint32_t off = (uint32_t)s->alen;
	memcpy(s->arena + off, str, n);
	s->arena[off + n] = '\0';
	s->alen += n + 1;
	return off;
}

static uint32_t arena_intern(struct ioc_set *s, uint32_t *last, const char *str)
{
	if (!str || !*str)
		return 0;
	if (*last && strcmp(s->arena + *last, str) == 0)
		return *last;
	*last = arena_put(s, str, strlen(str));
	return *last;
}

/* ---- tables ---- */

/* Sizes the table for n keys at load factor at most one half. */
static void table_init(struct table *t, size_t slot_size, size_t n)
{
	size_t size = 16;
	while (size < 2 * n + 2)
		size <<= 1;
	t->mask = size - 1;
	t->used = 0;
	t->bytes = size * slot_size;
	t->slots = table_alloc(t->bytes);
}

static size_t v4_index(uint32_t k)
{
	return (size_t)mix64((uint64_t)k * UINT64_C(0x9e3779b97f4a7c15));
}
static size_t v6_index(const uint8_t *k)
{
	uint64_t a, b;
	memcpy(&a, k, 8);
	memcpy(&b, k + 8, 8);
	return (size_t)mix64(a * UINT64_C(0x9e3779b97f4a7c15) ^ b);
}

/* kind 0: v4, 1: v6, 2: strings. Returns the existing entry+1 or 0 after inserting. */
static uint32_t table_insert(struct ioc_set *s, struct table *t, int kind, const void *key,
			     uint64_t hkey, uint32_t idx1)
{
	size_t i;
	if (kind == 0) {
		uint32_t k;
		memcpy(&k, key, 4);
		struct slot32 *sl = t->slots;
		for (i = v4_index(k) & t->mask; sl[i].idx1; i = (i + 1) & t->mask)
			if (sl[i].key == k)
				return sl[i].idx1;
		sl[i].key = k;
		sl[i].idx1 = idx1;
	} else if (kind == 1) {
		struct slot128 *sl = t->slots;
		for (i = v6_index(key) & t->mask; sl[i].idx1; i = (i + 1) & t->mask)
			if (memcmp(sl[i].key, key, 16) == 0)
				return sl[i].idx1;
		memcpy(sl[i].key, key, 16);
		sl[i].idx1 = idx1;
	} else {
		struct slotstr *sl = t->slots;
		const struct ioc_entry *ne = &s->e[idx1 - 1];
		uint32_t tag = (uint32_t)(hkey >> 32);
		for (i = mix64(hkey) & t->mask; sl[i].idx1; i = (i + 1) & t->mask) {
			if (sl[i].tag != tag)
				continue;
			const struct ioc_entry *oe = &s->e[sl[i].idx1 - 1];
			if (oe->key == hkey && oe->type == ne->type && oe->norm_len == ne->norm_len &&
			    memcmp(s->arena + oe->norm_off, s->arena + ne->norm_off,
				   ne->norm_len) == 0)
				return sl[i].idx1;
		}
		sl[i].tag = (uint32_t)(hkey >> 32);
		sl[i].idx1 = idx1;
	}
	t->used++;
	return 0;
}

static size_t table_memory(const struct table *t, size_t ss)
{
	return (t->mask + 1) * ss;
}

/* ---- building ---- */

struct ioc_set *ioc_set_new(void)
{
	struct ioc_set *s = xcalloc(1, sizeof(*s));
	atomic_init(&s->refs, 1);
	s->cap = 1024;
	s->e = xmalloc(s->cap * sizeof(*s->e));
	s->acap = 65536;
	s->arena = xmalloc(s->acap);
	s->arena[0] = '\0';
	s->alen = 1; /* offset 0 is the empty string: "absent" */
	table_init(&s->v4, sizeof(struct slot32), 0);
	table_init(&s->v6, sizeof(struct slot128), 0);
	table_init(&s->str, sizeof(struct slotstr), 0);
	cidr_init(&s->cidr);
	return s;
}

void ioc_set_free(struct ioc_set *s)
{
	if (!s)
		return;
	free(s->e);
	free(s->arena);
	table_free(&s->v4);
	table_free(&s->v6);
	table_free(&s->str);
	cidr_release(&s->cidr);
	free(s);
}

/* Which table an entry goes to: 0 v4, 1 v6, 2 strings, -1 none (CIDR: the trie). */
static int entry_kind(const struct ioc_entry *e)
{
	switch (e->type) {
	case IOC_IPV4:
		return 0;
	case IOC_IPV6:
		return 1;
	case IOC_CIDR:
		return -1;
	default:
		return 2;
	}
}

static size_t entry_slot(const struct ioc_set *s, const struct ioc_entry *e, int kind)
{
	if (kind == 0) {
		uint32_t k;
		memcpy(&k, &e->norm_off, 4);
		return v4_index(k) & s->v4.mask;
	}
	if (kind == 1)
		return v6_index((const uint8_t *)s->arena + e->norm_off) & s->v6.mask;
	return mix64(e->key) & s->str.mask;
}

/* Builds the hash tables in one pass at their final size: no rehashing while loading,
 * and the slot of an entry a few places ahead is prefetched, so that the cache misses
 * of successive inserts overlap instead of queueing. */
void ioc_set_freeze(struct ioc_set *s)
{
	if (s->frozen)
		return;
	size_t n[3] = {0, 0, 0};
	for (size_t i = 0; i < s->n; i++) {
		int k = entry_kind(&s->e[i]);
		if (k >= 0)
			n[k]++;
	}
	struct table *tab[3] = {&s->v4, &s->v6, &s->str};
	const size_t ss[3] = {sizeof(struct slot32), sizeof(struct slot128), sizeof(struct slotstr)};
	for (int k = 0; k < 3; k++) {
		table_free(tab[k]);
		table_init(tab[k], ss[k], n[k]);
	}
	enum { AHEAD = 8 };
	for (size_t i = 0; i < s->n; i++) {
		if (i + AHEAD < s->n) {
			const struct ioc_entry *f = &s->e[i + AHEAD];
			int fk = entry_kind(f);
			if (fk >= 0)
				__builtin_prefetch((const char *)tab[fk]->slots +
						   entry_slot(s, f, fk) * ss[fk]);
		}
		struct ioc_entry *e = &s->e[i];
		int k = entry_kind(e);
		if (k < 0)
			continue;
		const void *key = k == 0 ? (const void *)&e->norm_off
					 : k == 1 ? (const void *)(s->arena + e->norm_off) : NULL;
		if (table_insert(s, tab[k], k, key, e->key, (uint32_t)i + 1) != 0)
			e->dead = true; /* a duplicate: the first listed wins */
		else
			s->count[e->type]++;
	}
	s->frozen = true;
}

size_t ioc_set_count(const struct ioc_set *s, enum ioc_type t)
{
	return s->count[t];
}

size_t ioc_set_total(const struct ioc_set *s)
{
	size_t n = 0;
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		n += s->count[t];
	return n;
}

size_t ioc_set_memory(const struct ioc_set *s)
{
	return s->cap * sizeof(*s->e) + s->acap + table_memory(&s->v4, sizeof(struct slot32)) +
	       table_memory(&s->v6, sizeof(struct slot128)) +
	       table_memory(&s->str, sizeof(struct slotstr)) + cidr_memory(&s->cidr);
}

static int normalise_domain(const char *in, bool suffix, char *out, size_t outlen)
{
	size_t n = strlen(in);
	while (n && (in[n - 1] == '.'))
		n--;
	if (suffix) {
		if (n >= 2 && in[0] == '*' && in[1] == '.') {
			in += 2;
			n -= 2;
		} else if (n >= 1 && in[0] == '.') {
			in++;
			n--;
		}
	}
	if (n == 0 || n > DOMAIN_MAX || n >= outlen)
		return CSHQ_EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f || c == '/')
			return CSHQ_EINVAL;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return CSHQ_OK;
}

int ioc_url_normalise(const char *url, char *out, size_t outlen)
{
	const char *sep = strstr(url, "://");
	if (!sep || sep == url)
		return CSHQ_EINVAL;
	size_t o = 0;
	for (const char *p = url; p < sep; p++) {
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			return CSHQ_EINVAL;
		if (o + 1 >= outlen)
			return CSHQ_ELIMIT;
		out[o++] = (char)tolower((unsigned char)*p);
	}
	size_t scheme_len = o;
	if (o + 4 >= outlen)
		return CSHQ_ELIMIT;
	memcpy(out + o, "://", 3);
	o += 3;
	const char *host = sep + 3;
	size_t hl = strcspn(host, "/?#");
	const char *at = memchr(host, '@', hl); /* drop user:password@ */
	if (at) {
		hl -= (size_t)(at + 1 - host);
		host = at + 1;
	}
	if (hl == 0)
		return CSHQ_EINVAL;
	/* default ports are the same URL */
	size_t hk = hl;
	if (scheme_len == 4 && strncmp(out, "http", 4) == 0 && hl > 3 &&
	    strncmp(host + hl - 3, ":80", 3) == 0)
		hk = hl - 3;
	else if (scheme_len == 5 && strncmp(out, "https", 5) == 0 && hl > 4 &&
		 strncmp(host + hl - 4, ":443", 4) == 0)
		hk = hl - 4;
	while (hk && host[hk - 1] == '.')
		hk--;
	for (size_t i = 0; i < hk; i++) {
		if (o + 1 >= outlen)
			return CSHQ_ELIMIT;
		unsigned char c = (unsigned char)host[i];
		if (c <= 0x20 || c >= 0x7f)
			return CSHQ_EINVAL;
		out[o++] = (char)tolower(c);
	}
	const char *path = host + hl;
	if (*path != '/') {
		if (o + 1 >= outlen)
			return CSHQ_ELIMIT;
		out[o++] = '/';
	}
	size_t pl = strcspn(path, "#");
	if (o + pl + 1 > outlen)
		return CSHQ_ELIMIT;
	memcpy(out + o, path, pl);
	o += pl;
	out[o] = '\0';
	return CSHQ_OK;
}

static int parse_cidr(const char *v, int *family, uint8_t addr[16], unsigned *bits)
{
	char tmp[64];
	const char *slash = strchr(v, '/');
	size_t al = slash ? (size_t)(slash - v) : strlen(v);
	if (al == 0 || al >= sizeof(tmp))
		return CSHQ_EINVAL;
	memcpy(tmp, v, al);
	tmp[al] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, tmp, addr) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, tmp, addr) == 1)
		*family = 6;
	else
		return CSHQ_EINVAL;
	unsigned width = *family == 6 ? 128 : 32;
	*bits = width;
	if (slash) {
		const char *b = slash + 1;
		if (!*b || strlen(b) > 3)
			return CSHQ_EINVAL;
		unsigned x = 0;
		for (; *b; b++) {
			if (*b < '0' || *b > '9')
				return CSHQ_EINVAL;
			x = x * 10 + (unsigned)(*b - '0');
		}
		if (x > width)
			return CSHQ_EINVAL;
		*bits = x;
	}
	return CSHQ_OK;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static uint32_t push_entry(struct ioc_set *s, enum ioc_type type, const char *value,
			   const char *norm, size_t norm_len, const struct ioc_attrs *a)
{
	if (s->n == s->cap) {
		s->cap *= 2;
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
	}
	struct ioc_entry *e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->value_off = arena_put(s, value, strlen(value));
	if (norm) {
		e->norm_off = strcmp(value, norm) == 0 ? e->value_off : arena_put(s, norm, norm_len);
		e->norm_len = (uint32_t)norm_len;
		e->key = fnv_str(fnv_type(type), norm, norm_len);
	}
	if (a) {
		e->id_off = a->id && *a->id ? arena_put(s, a->id, strlen(a->id)) : 0;
		e->source_off = arena_intern(s, &s->last_source, a->source);
		e->tlp_off = arena_intern(s, &s->last_tlp, a->tlp);
		e->severity = (uint8_t)(a->severity >= 1 && a->severity <= 4 ? a->severity : 2);
		e->expires = a->expires;
	} else {
		e->severity = 2;
	}
	return (uint32_t)s->n++;
}

/* Undo the last push (a duplicate): its arena bytes are left, which is harmless. */
static void pop_entry(struct ioc_set *s)
{
	s->n--;
}

int ioc_set_add(struct ioc_set *s, enum ioc_type type, const char *value,
		const struct ioc_attrs *a, int64_t now, char *err, size_t errlen)
{
	char norm[URL_MAX];
	CSHQ_ASSERT(!s->frozen);
	if (a && a->expires && a->expires <= now)
		return CSHQ_OK;
	while (*value == ' ' || *value == '\t')
		value++;
	size_t vl = strlen(value);
	if (vl == 0 || vl >= URL_MAX)
		goto bad;
	if (type == IOC_IPV4 || type == IOC_IPV6 || type == IOC_CIDR) {
		int fam;
		uint8_t addr[16];
		unsigned bits;
		if (parse_cidr(value, &fam, addr, &bits) != CSHQ_OK)
			goto bad;
		if (type == IOC_IPV4 && fam != 4)
			goto bad;
		if (type == IOC_IPV6 && fam != 6)
			goto bad;
		bool exact = bits == (fam == 6 ? 128u : 32u) && type != IOC_CIDR;
		if (type != IOC_CIDR && !exact)
			type = IOC_CIDR; /* "192.0.2.0/24" listed as ipv4 is a prefix */
		uint32_t idx = push_entry(s, type, value, NULL, 0, a);
		struct ioc_entry *e = &s->e[idx];
		if (type == IOC_CIDR) {
			e->key = fnv_str(fnv_type(type), (const char *)addr, 16) ^ bits;
			if (cidr_insert(&s->cidr, fam, addr, bits, idx) != CSHQ_OK)
				pop_entry(s);
			else
				s->count[type]++;
		} else if (fam == 4) {
			/* the address itself is the key; the tables are built at freeze */
			e->key = fnv_str(fnv_type(type), (const char *)addr, 4);
			memcpy(&e->norm_off, addr, 4);
		} else {
			e->key = fnv_str(fnv_type(type), (const char *)addr, 16);
			e->norm_off = arena_put(s, (const char *)addr, 16);
			e->norm_len = 16;
		}
		return CSHQ_OK;
	}
	switch (type) {
	case IOC_DOMAIN:
	case IOC_DOMAIN_SUFFIX:
		if (normalise_domain(value, type == IOC_DOMAIN_SUFFIX, norm, sizeof(norm)) != CSHQ_OK)
			goto bad;
		break;
	case IOC_URL:
	case IOC_URL_PREFIX:
		if (ioc_url_normalise(value, norm, sizeof(norm)) != CSHQ_OK)
			goto bad;
		break;
	case IOC_JA3:
		if (vl != 32 || !is_hex(value, vl))
			goto bad;
		for (size_t i = 0; i <= vl; i++)
			norm[i] = (char)tolower((unsigned char)value[i]);
		break;
	case IOC_JA4:
		if (vl > 64)
			goto bad;
		for (size_t i = 0; i <= vl; i++) {
			unsigned char c = (unsigned char)value[i];
			if (c && !isalnum(c) && c != '_')
				goto bad;
			norm[i] = (char)tolower(c);
		}
		break;
	default:
		goto bad;
	}
	size_t nl = strlen(norm);
	push_entry(s, type, value, norm, nl, a);
	if (type == IOC_URL_PREFIX && nl <= URL_MAX)
		s->prefix_len_seen[nl >> 3] |= (uint8_t)(1u << (nl & 7));
	return CSHQ_OK;
bad:
	if (err)
		snprintf(err, errlen, "not a valid %s: \"%.80s\"", ioc_type_name(type), value);
	return CSHQ_EINVAL;
}

/* ---- lookups ---- */

static inline bool live(const struct ioc_entry *e, int64_t now)
{
	return !e->expires || e->expires > now;
}

static bool str_lookup(const struct ioc_set *s, enum ioc_type type, uint64_t h, const char *v,
		       size_t n, uint32_t *idx)
{
	const struct slotstr *sl = s->str.slots;
	uint32_t tag = (uint32_t)(h >> 32);
	for (size_t i = mix64(h) & s->str.mask; sl[i].idx1; i = (i + 1) & s->str.mask) {
		if (sl[i].tag != tag)
			continue;
		const struct ioc_entry *e = &s->e[sl[i].idx1 - 1];
		if (e->key == h && e->type == type && e->norm_len == n &&
		    memcmp(s->arena + e->norm_off, v, n) == 0) {
			*idx = sl[i].idx1 - 1;
			return true;
		}
	}
	return false;
}

static size_t add_hit(const struct ioc_set *s, uint32_t idx, int64_t now, uint32_t *hits,
		      size_t n, size_t max)
{
	if (n < max && live(&s->e[idx], now))
		hits[n++] = idx;
	return n;
}

size_t ioc_match_ip(const struct ioc_set *s, const struct ip_addr *ip, int64_t now,
		    uint32_t *hits, size_t max)
{
	size_t n = 0;
	if (ip->family == 4 && s->count[IOC_IPV4]) {
		uint32_t k;
		memcpy(&k, ip->a, 4);
		const struct slot32 *sl = s->v4.slots;
		for (size_t i = v4_index(k) & s->v4.mask; sl[i].idx1; i = (i + 1) & s->v4.mask)
			if (sl[i].key == k) {
				n = add_hit(s, sl[i].idx1 - 1, now, hits, n, max);
				break;
			}
	} else if (ip->family == 6 && s->count[IOC_IPV6]) {
		const struct slot128 *sl = s->v6.slots;
		for (size_t i = v6_index(ip->a) & s->v6.mask; sl[i].idx1; i = (i + 1) & s->v6.mask)
			if (memcmp(sl[i].key, ip->a, 16) == 0) {
				n = add_hit(s, sl[i].idx1 - 1, now, hits, n, max);
				break;
			}
	}
	if (s->count[IOC_CIDR]) {
		uint32_t tmp[130];
		size_t k = cidr_lookup(&s->cidr, ip->family, ip->a, tmp, CSHQ_ARRAY_LEN(tmp));
		for (size_t i = 0; i < k; i++)
			n = add_hit(s, tmp[i], now, hits, n, max);
	}
	return n;
}

size_t ioc_match_domain(const struct ioc_set *s, const char *name, int64_t now, uint32_t *hits,
			size_t max)
{
	char d[DOMAIN_MAX + 2];
	size_t n = 0;
	if (!s->count[IOC_DOMAIN] && !s->count[IOC_DOMAIN_SUFFIX])
		return 0;
	if (normalise_domain(name, false, d, sizeof(d)) != CSHQ_OK)
		return 0;
	size_t len = strlen(d);
	uint32_t idx;
	if (s->count[IOC_DOMAIN] &&
	    str_lookup(s, IOC_DOMAIN, fnv_str(fnv_type(IOC_DOMAIN), d, len), d, len, &idx))
		n = add_hit(s, idx, now, hits, n, max);
	if (s->count[IOC_DOMAIN_SUFFIX]) {
		/* the name itself, then each parent, label by label */
		uint64_t base = fnv_type(IOC_DOMAIN_SUFFIX);
		for (size_t i = 0; i < len;) {
			const char *sfx = d + i;
			size_t sl = len - i;
			if (str_lookup(s, IOC_DOMAIN_SUFFIX, fnv_str(base, sfx, sl), sfx, sl, &idx))
				n = add_hit(s, idx, now, hits, n, max);
			const char *dot = memchr(sfx, '.', sl);
			if (!dot)
				break;
			i = (size_t)(dot - d) + 1;
		}
	}
	return n;
}

size_t ioc_match_url(const struct ioc_set *s, const char *url, int64_t now, uint32_t *hits,
		     size_t max)
{
	char u[URL_MAX];
	size_t n = 0;
	uint32_t idx;
	if (!s->count[IOC_URL] && !s->count[IOC_URL_PREFIX])
		return 0;
	if (ioc_url_normalise(url, u, sizeof(u)) != CSHQ_OK)
		return 0;
	size_t len = strlen(u);
	if (s->count[IOC_URL] &&
	    str_lookup(s, IOC_URL, fnv_str(fnv_type(IOC_URL), u, len), u, len, &idx))
		n = add_hit(s, idx, now, hits, n, max);
	if (s->count[IOC_URL_PREFIX]) {
		uint64_t h = fnv_type(IOC_URL_PREFIX);
		for (size_t i = 0; i < len; i++) {
			h = fnv_step(h, (uint8_t)u[i]);
			size_t pl = i + 1;
			if (!(s->prefix_len_seen[pl >> 3] & (1u << (pl & 7))))
				continue;
			if (str_lookup(s, IOC_URL_PREFIX, h, u, pl, &idx))
				n = add_hit(s, idx, now, hits, n, max);
		}
	}
	return n;
}

size_t ioc_match_fingerprint(const struct ioc_set *s, enum ioc_type type, const char *fp,
			     int64_t now, uint32_t *hits, size_t max)
{
	char f[72];
	if (!s->count[type])
		return 0;
	size_t len = strlen(fp);
	if (len >= sizeof(f))
		return 0;
	for (size_t i = 0; i <= len; i++)
		f[i] = (char)tolower((unsigned char)fp[i]);
	uint32_t idx;
	if (str_lookup(s, type, fnv_str(fnv_type(type), f, len), f, len, &idx))
		return add_hit(s, idx, now, hits, 0, max);
	return 0;
}

void ioc_set_hit(const struct ioc_set *s, uint32_t entry, struct ioc_hit *out)
{
	const struct ioc_entry *e = &s->e[entry];
	out->type = (enum ioc_type)e->type;
	out->value = s->arena + e->value_off;
	out->id = e->id_off ? s->arena + e->id_off : NULL;
	out->source = e->source_off ? s->arena + e->source_off : NULL;
	out->tlp = e->tlp_off ? s->arena + e->tlp_off : NULL;
	out->severity = e->severity;
	out->key = e->key;
}

/* ---- holder ---- */

void ioc_holder_init(struct ioc_holder *h)
{
	pthread_mutex_init(&h->lock, NULL);
	h->cur = NULL;
	h->generation = 0;
}

void ioc_set_unref(struct ioc_set *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		ioc_set_free(s);
}

void ioc_holder_release(struct ioc_holder *h)
{
	ioc_set_unref(h->cur);
	h->cur = NULL;
	pthread_mutex_destroy(&h->lock);
}

void ioc_holder_swap(struct ioc_holder *h, struct ioc_set *s)
{
	ioc_set_freeze(s);
	pthread_mutex_lock(&h->lock);
	struct ioc_set *old = h->cur;
	h->cur = s;
	h->generation++;
	pthread_mutex_unlock(&h->lock);
	ioc_set_unref(old);
}

struct ioc_set *ioc_holder_get(struct ioc_holder *h, uint64_t *generation)
{
	pthread_mutex_lock(&h->lock);
	struct ioc_set *s = h->cur;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	if (generation)
		*generation = h->generation;
	pthread_mutex_unlock(&h->lock);
	return s;
}
