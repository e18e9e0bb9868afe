/* fuzz_gsoc_stix.c: gsoc_stix_parse on arbitrary bytes; every indicator it accepts must be
 * canonical (normalising it again changes nothing) and must survive export and re-import
 * unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules/gsoc_stix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gsoc_stix_result r;
	char err[256];
	if (gsoc_stix_parse((const char *)data, size, 1000, &r, err, sizeof(err)) == CSHQ_OK) {
		for (size_t i = 0; i < r.n; i++) {
			const struct gsoc_stix_indicator *it = &r.items[i];
			char again[GSOC_VALUE_MAX + 1];
			const char *why;
			CSHQ_ASSERT(gsoc_ioc_normalise(it->type, it->value, again, sizeof(again),
			                               &why) == CSHQ_OK);
			CSHQ_ASSERT(strcmp(again, it->value) == 0);
			struct gsoc_stix_export e = {.type = it->type,
			                             .value = it->value,
			                             .stix_id = it->stix_id,
			                             .tlp = it->tlp,
			                             .severity = it->severity,
			                             .source = it->source,
			                             .confidence = it->confidence,
			                             .expires_at = 0};
			json_t *obj = gsoc_stix_indicator_json(&e);
			json_t *bundle = json_pack("{s:s, s:s, s:[o]}", "type", "bundle", "id",
			                           "bundle--x", "objects", obj);
			char *text = json_dumps(bundle, JSON_COMPACT);
			json_decref(bundle);
			struct gsoc_stix_result back;
			CSHQ_ASSERT(text && gsoc_stix_parse(text, strlen(text), 10, &back, err,
			                                    sizeof(err)) == CSHQ_OK);
			CSHQ_ASSERT(back.n == 1 && back.items[0].type == it->type &&
			            strcmp(back.items[0].value, it->value) == 0 &&
			            back.items[0].tlp == it->tlp);
			gsoc_stix_result_release(&back);
			free(text);
		}
	}
	gsoc_stix_result_release(&r);
	return 0;
}
