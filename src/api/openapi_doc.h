/* openapi_doc.h: the OpenAPI document (src/api/openapi.json), embedded at build time. */
#ifndef CSHQ_OPENAPI_DOC_H
#define CSHQ_OPENAPI_DOC_H

#include <stddef.h>

extern const char openapi_doc[];
extern const size_t openapi_doc_len;

#endif
