/* load.h: indicator file parsers (CSV with a header, plain lists, STIX 2.1 bundles) and
 * the format detection used by --indicators. Parsers add to a set being built. */
#ifndef CSHQ_SENSOR_IOC_LOAD_H
#define CSHQ_SENSOR_IOC_LOAD_H

#include <stdio.h>

#include "ioc/set.h"

/* What a load did. Lines/objects that are not valid indicators are skipped and
 * counted; the first reason is kept so that the operator sees why. */
struct ioc_load_result {
	size_t added;    /* accepted (duplicates and already expired ones included) */
	size_t rejected; /* skipped as malformed or unsupported */
	char first_error[200];
};

/* Loads a file, telling STIX (a JSON object) from CSV/plain lists by content.
 * CSHQ_OK, or CSHQ_ERR/CSHQ_EINVAL with a message in err when the file cannot be
 * read or is not any of the formats. */
int ioc_load_file(struct ioc_set *s, const char *path, int64_t now, struct ioc_load_result *res,
		  char *err, size_t errlen);

/* CSV whose first line is a header naming at least the columns type and value
 * (optional: severity, tlp, source, id, expires_at), quoted fields as RFC 4180; or,
 * without such a header, a plain list: one value per line, '#' comments, the type
 * guessed from the form (address, prefix, URL, "*.domain" suffix, 32 hex digits for
 * JA3, JA4 shape, otherwise a domain), or given as "type:value". */
int ioc_load_csv(struct ioc_set *s, FILE *f, int64_t now, struct ioc_load_result *res,
		 char *err, size_t errlen);

/* A STIX 2.1 bundle: every "indicator" object with pattern_type "stix" (or none)
 * whose pattern is comparisons `[object:value = '...']` joined by OR. Revoked
 * indicators are skipped, valid_until is the expiry, TLP from the standard marking
 * definitions or x_cshq_tlp. */
int ioc_load_stix(struct ioc_set *s, const char *data, size_t len, int64_t now,
		  struct ioc_load_result *res, char *err, size_t errlen);

/* Guesses the type of a plain-list value; CSHQ_OK and *type with *value moved past any
 * "type:" prefix or "*." marker handled by the set. */
int ioc_guess_type(const char **value, enum ioc_type *type);

#endif
