/* set.h: an immutable set of indicators with lookups that do not grow with its size.
 *
 * A set is built by adding indicators one by one (ioc_set_add), then frozen
 * (ioc_set_freeze) and shared read-only by any number of threads. Reloading builds a
 * new set and swaps it in (see ioc_holder), so lookups never wait for a load.
 *
 * Lookups: IPv4/IPv6 exact in open-addressing hash tables; CIDR in a path-compressed
 * binary trie (one walk returns every enclosing prefix); domains exact and by suffix
 * label by label; URLs exact and by prefix (one incremental hash per byte); JA3/JA4
 * exact. All string kinds share one hash table keyed by (type, normalised value). */
#ifndef CSHQ_SENSOR_IOC_SET_H
#define CSHQ_SENSOR_IOC_SET_H

#include <pthread.h>

#include "decode/decode.h"

enum ioc_type {
	IOC_IPV4,
	IOC_IPV6,
	IOC_CIDR,
	IOC_DOMAIN,
	IOC_DOMAIN_SUFFIX,
	IOC_URL,
	IOC_URL_PREFIX,
	IOC_JA3,
	IOC_JA4,
	IOC_TYPE_COUNT
};

/* "ipv4", "domain_suffix", ... */
const char *ioc_type_name(enum ioc_type t);
/* CSHQ_OK and *t, or CSHQ_EINVAL for an unknown name. */
int ioc_type_parse(const char *name, enum ioc_type *t);

/* Optional attributes of an indicator; NULL strings mean absent. */
struct ioc_attrs {
	const char *id;
	const char *source;
	const char *tlp;
	int severity;    /* 1 (high) .. 3 (low) as in Suricata; 0 = default (2) */
	int64_t expires; /* epoch seconds, 0 = never */
};

/* Severity words ("high", "medium", "low", "critical", "info") or "1".."4" -> 1..4;
 * 0 when unrecognised. */
int ioc_severity_parse(const char *s);

/* What a lookup reports about one indicator; strings owned by the set. */
struct ioc_hit {
	enum ioc_type type;
	const char *value; /* as listed */
	const char *id, *source, *tlp;
	int severity;
	uint64_t key; /* stable across reloads: hash of (type, normalised value) */
};

struct ioc_set;

struct ioc_set *ioc_set_new(void);
/* Adds one indicator; the value is normalised (lowercase domains without trailing dot,
 * lowercase URL scheme and host, default port removed, canonical CIDR). A duplicate of
 * an indicator already present is ignored (CSHQ_OK). Indicators already expired at
 * `now` are skipped. CSHQ_EINVAL with a message in err for a value of the wrong form. */
int ioc_set_add(struct ioc_set *s, enum ioc_type type, const char *value,
		const struct ioc_attrs *attrs, int64_t now, char *err, size_t errlen);
/* Ends building; afterwards the set is read-only and may be shared. */
void ioc_set_freeze(struct ioc_set *s);
void ioc_set_free(struct ioc_set *s);
size_t ioc_set_count(const struct ioc_set *s, enum ioc_type t);
size_t ioc_set_total(const struct ioc_set *s);
size_t ioc_set_memory(const struct ioc_set *s);

/* Lookups write up to max entry numbers into hits and return how many matched.
 * Expired indicators (expires <= now) do not match. */
size_t ioc_match_ip(const struct ioc_set *s, const struct ip_addr *ip, int64_t now,
		    uint32_t *hits, size_t max);
/* name as seen (any case, trailing dot allowed); exact domains and every suffix. */
size_t ioc_match_domain(const struct ioc_set *s, const char *name, int64_t now, uint32_t *hits,
			size_t max);
/* url as "scheme://host[:port]/path"; exact URLs and every URL prefix. */
size_t ioc_match_url(const struct ioc_set *s, const char *url, int64_t now, uint32_t *hits,
		     size_t max);
/* type IOC_JA3 or IOC_JA4. */
size_t ioc_match_fingerprint(const struct ioc_set *s, enum ioc_type type, const char *fp,
			     int64_t now, uint32_t *hits, size_t max);
void ioc_set_hit(const struct ioc_set *s, uint32_t entry, struct ioc_hit *out);

/* Normalise a URL for matching (lowercase scheme/host, no default port, "/" path when
 * empty) into out. CSHQ_OK or CSHQ_EINVAL (not scheme://...) or CSHQ_ELIMIT. */
int ioc_url_normalise(const char *url, char *out, size_t outlen);

/* Holder of the current set, swapped atomically while readers keep using the set they
 * took until they release it. */
struct ioc_holder {
	pthread_mutex_t lock;
	struct ioc_set *cur;
	uint64_t generation;
};
void ioc_holder_init(struct ioc_holder *h);
void ioc_holder_release(struct ioc_holder *h);
/* Installs s (ownership passes to the holder); the old set is freed once unused. */
void ioc_holder_swap(struct ioc_holder *h, struct ioc_set *s);
/* Takes a reference to the current set and its generation; pair with ioc_set_unref. */
struct ioc_set *ioc_holder_get(struct ioc_holder *h, uint64_t *generation);
void ioc_set_unref(struct ioc_set *s);

#endif
