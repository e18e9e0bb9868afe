/* risk_impl.h: helpers shared by the risk module's files (not part of its interface). */
#ifndef CSHQ_RISK_IMPL_H
#define CSHQ_RISK_IMPL_H

#include <stdarg.h>
#include <stdio.h>

#include "modules/risk.h"

/* An identifier of the set or a component: 1..RISK_ID_MAX of [A-Za-z0-9._-]. */
bool risk_id_ok(const char *s);
/* Text from users: valid UTF-8 (jansson guarantees it for JSON input; the xlsx reader
 * checks it), 1..max bytes, no control characters except newline and tab when multiline. */
bool risk_text_ok(const char *s, size_t max, bool multiline);
/* Formats a refusal into err; returns CSHQ_EINVAL. */
int risk_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Copies the column text (or "" for NULL) into a fixed buffer. */
void risk_copy(char *dst, size_t cap, const char *src);

/* jansson helpers */
const char *risk_str(json_t *o, const char *key); /* NULL when absent or not a string */
/* A sorted copy (by string value) of an array of strings. */
json_t *risk_sorted_strings(json_t *a);

#endif
