/* gsoc_csv.h: indicator lists as CSV (spec 30: "import a STIX 2.1 bundle or CSV"), the
 * columns of the sensor's lists: a header with type and value, and optionally severity,
 * tlp, source, expires_at, confidence, recipients (organisation codes separated by spaces)
 * and id (accepted and ignored: the centre names its indicators itself). Read with libcsv
 * (strict quoting); each row becomes the object the JSON import checks, so both forms obey
 * the same rules. Pure: no store; a fuzz target feeds it arbitrary bytes. */
#ifndef CSHQ_GSOC_CSV_H
#define CSHQ_GSOC_CSV_H

#include <jansson.h>

#include "core/common.h"

/* CSHQ_OK and *out, a JSON array of objects (new reference); CSHQ_EINVAL (message naming
 * the line) for malformed CSV, a header without type and value, or an unknown column;
 * CSHQ_ELIMIT for more than max_rows rows. */
int gsoc_indicators_csv(const char *data, size_t len, size_t max_rows, json_t **out, char *err,
                        size_t errlen);

#endif
