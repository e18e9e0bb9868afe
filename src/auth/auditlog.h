/* auditlog.h: the tamper-evident log (spec 70). Every state change, and every read by a
 * delegate, is appended inside the request's transaction; entries chain by SHA-256 so
 * that altering or removing a stored row breaks the chain at that entry. */
#ifndef CSHQ_AUDITLOG_H
#define CSHQ_AUDITLOG_H

#include "auth/principal.h"
#include "store/store.h"

/* Appends one entry. Must run inside a write transaction. detail is a JSON text ("{}" if
 * NULL). The actor is the principal's login (or "system" for NULL). */
int auditlog_append(struct store *s, const struct principal *actor, const char *action,
		    const char *record_kind, const char *record_id, const char *detail);

struct auditlog_report {
	bool ok;
	int64_t entries;
	int64_t first_bad; /* seq of the first entry that fails, 0 when ok */
};
/* Recomputes the whole chain and compares it with the stored head. */
int auditlog_verify(struct store *s, struct auditlog_report *out);

#endif
