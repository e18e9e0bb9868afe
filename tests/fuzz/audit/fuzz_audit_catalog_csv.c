/* fuzz_audit_catalog_csv.c: the criteria catalogue CSV parser on arbitrary bytes. A
 * successful parse must satisfy the parser's promises: at least one requirement, ids
 * valid and unique, titles non-empty, every string NUL-free within its length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules/audit_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_catalog c;
	char err[256];
	if (audit_catalog_parse_csv((const char *)data, size, &c, err, sizeof(err)) != CSHQ_OK) {
		if (c.n != 0 || c.items != NULL || strlen(err) == 0)
			abort();
		return 0;
	}
	if (c.n == 0 || c.n > AUDIT_CATALOG_MAX_ITEMS)
		abort();
	for (size_t i = 0; i < c.n; i++) {
		const struct audit_requirement *r = &c.items[i];
		if (!r->id[0] || strlen(r->id) > AUDIT_CATALOG_MAX_ID || !r->title[0] || !r->text)
			abort();
		for (size_t k = 0; k < i; k++)
			if (strcmp(c.items[k].id, r->id) == 0)
				abort();
	}
	audit_catalog_release(&c);
	return 0;
}
