/* basis.c: citations as JSON; the article is a number when it is one ("4"), else text. */
#include <stdlib.h>

#include "core/common.h"
#include "modules/basis.h"

json_t *citation_json(const struct regime_citation *c)
{
	json_t *j = json_object();
	json_object_set_new(j, "doc", json_string(c->doc));
	json_object_set_new(j, "version", json_string(c->version));
	bool numeric = c->article[0] != '\0';
	for (const char *p = c->article; *p; p++)
		if (*p < '0' || *p > '9')
			numeric = false;
	json_object_set_new(j, "article",
			    numeric ? json_integer(strtol(c->article, NULL, 10)) : json_string(c->article));
	json_object_set_new(j, "paragraph", c->paragraph ? json_integer(c->paragraph) : json_null());
	json_object_set_new(j, "item", c->item ? json_integer(c->item) : json_null());
	json_object_set_new(j, "text_ja", json_string(c->text_ja));
	return j;
}

json_t *basis_json(const struct regime_citation *const *basis, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (basis[i])
			json_array_append_new(a, citation_json(basis[i]));
	return a;
}

