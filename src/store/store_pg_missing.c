/* store_pg_missing.c: placeholder linked only while store_pg.c is absent from the tree. */
#include <stdio.h>
#include "store/store_impl.h"

static int missing_connect(const char *target, struct store **out, char *err, size_t errlen)
{
	snprintf(err, errlen, "PostgreSQL back end not built");
	return CSHQ_ERR;
}

const struct store_ops store_pg_ops = {.name = "postgresql", .connect = missing_connect};
