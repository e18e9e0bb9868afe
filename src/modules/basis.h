/* basis.h: citations of the regime as the JSON of spec 80
 * ({doc, version, article, paragraph, item, text_ja}). */
#ifndef CSHQ_BASIS_H
#define CSHQ_BASIS_H

#include <jansson.h>

#include "regime/regime.h"

json_t *citation_json(const struct regime_citation *c);
/* A JSON array of the non-NULL citations among basis[0..n). */
json_t *basis_json(const struct regime_citation *const *basis, size_t n);

#endif
