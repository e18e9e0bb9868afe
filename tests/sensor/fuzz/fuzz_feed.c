/* fuzz_feed.c: server feed answers, applied twice (add then the same again), then
 * turned into a set. */
#include "fuzz.h"
#include "ioc/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ioc_feed f;
	bool changed;
	char err[256];
	ioc_feed_init(&f);
	ioc_feed_apply(&f, (const char *)data, size, &changed, err, sizeof(err));
	ioc_feed_apply(&f, (const char *)data, size, &changed, err, sizeof(err));
	struct ioc_set *s = ioc_set_new();
	size_t added = 0, rejected = 0;
	ioc_feed_add_to(&f, s, 1000, &added, &rejected);
	ioc_set_free(s);
	ioc_feed_release(&f);
	return 0;
}
