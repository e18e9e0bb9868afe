/* gsoc_ioc.h: the vocabulary of GSOC indicators (spec 30), shared by the centre's parsers
 * and queries: the nine indicator types (the same names the sensor uses), value
 * normalisation, TLP 2.0 labels and severities. Pure: no store, no allocation except where
 * a function says so. */
#ifndef CSHQ_GSOC_IOC_H
#define CSHQ_GSOC_IOC_H

#include "core/common.h"

enum gsoc_ioc_type {
	GSOC_IPV4,
	GSOC_IPV6,
	GSOC_CIDR,
	GSOC_DOMAIN,
	GSOC_DOMAIN_SUFFIX,
	GSOC_URL,
	GSOC_URL_PREFIX,
	GSOC_JA3,
	GSOC_JA4,
	GSOC_IOC_TYPE_COUNT
};

/* Longest indicator value accepted (bytes, after normalisation). */
#define GSOC_VALUE_MAX 2048

/* "ipv4", "ipv6", "cidr", "domain", "domain_suffix", "url", "url_prefix", "ja3", "ja4" */
const char *gsoc_ioc_type_name(enum gsoc_ioc_type t);
/* CSHQ_OK and *t, or CSHQ_EINVAL for any other text. */
int gsoc_ioc_type_parse(const char *name, enum gsoc_ioc_type *t);

/* Checks value as an indicator of type t and writes its canonical form into out
 * (outlen >= GSOC_VALUE_MAX + 1):
 *   ipv4, ipv6     the address as inet_ntop writes it;
 *   cidr           network address with host bits cleared, "/len" (v4 or v6);
 *   domain         lowercase ASCII, no trailing dot; domain_suffix also drops "*." or ".";
 *   url(_prefix)   lowercase scheme and host, default port removed, "/" for an empty path;
 *   ja3            32 lowercase hex digits; ja4 lowercase [a-z0-9_].
 * CSHQ_OK, or CSHQ_EINVAL with *why (a static message) set. */
int gsoc_ioc_normalise(enum gsoc_ioc_type t, const char *value, char *out, size_t outlen,
                       const char **why);

/* Traffic Light Protocol 2.0 (TLP 1.0 WHITE is read as CLEAR). */
enum gsoc_tlp {
	GSOC_TLP_CLEAR,
	GSOC_TLP_GREEN,
	GSOC_TLP_AMBER,
	GSOC_TLP_AMBER_STRICT,
	GSOC_TLP_RED
};
#define GSOC_TLP_DEFAULT GSOC_TLP_AMBER
/* "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED" */
const char *gsoc_tlp_name(enum gsoc_tlp t);
/* Accepts the names above, without the "TLP:" prefix too, any case, and WHITE.
 * CSHQ_OK or CSHQ_EINVAL. */
int gsoc_tlp_parse(const char *s, enum gsoc_tlp *t);
/* The STIX 2.1 marking-definition id of a TLP 2.0 label, and the label of a TLP 1.0 or
 * 2.0 marking-definition id (CSHQ_EINVAL for any other id). */
const char *gsoc_tlp_marking_id(enum gsoc_tlp t);
int gsoc_tlp_of_marking(const char *id, enum gsoc_tlp *t);

/* Severity 1 (high) .. 4 (info), as in Suricata with "info" added. Words: critical/high,
 * medium/moderate, low, info/informational; digits "1".."4". 0 when unrecognised. */
int gsoc_severity_parse(const char *s);
/* "high", "medium", "low", "info" (out-of-range values give "medium") */
const char *gsoc_severity_name(int sev);
#define GSOC_SEVERITY_DEFAULT 2

/* Parses a timestamp as EVE writes it ("2016-10-21T09:00:00.123456+0900") or RFC 3339
 * ("...Z", "...+09:00"). CSHQ_OK and epoch seconds, or CSHQ_EINVAL. */
int gsoc_parse_timestamp(const char *s, int64_t *t);
/* RFC 3339 in UTC with a Z, as STIX requires: "2016-10-21T00:00:00.000Z" (25 bytes). */
void gsoc_format_utc(int64_t t, char out[25]);

#endif
