/* audit_report.h: the engagement report as a PDF in Japanese (監査実施結果報告書), written
 * with the shared writer of src/export: the plan, the findings as published (with their
 * revisions and the reports back), good practices, the follow-up of earlier years and the
 * route of the results, each part citing its provision. */
#ifndef CSHQ_AUDIT_REPORT_H
#define CSHQ_AUDIT_REPORT_H

#include "core/buf.h"
#include "modules/audit.h"

/* Appends the PDF to out. The same visibility as the OSCAL export: 404 while the results
 * have not reached the caller, 409 before publication (e->status, e->detail). */
int audit_report_pdf(struct store *db, const struct principal *who, int64_t engagement,
                     struct buf *out, struct audit_error *e);

#endif
