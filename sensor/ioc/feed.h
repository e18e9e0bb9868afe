/* feed.h: the server's indicator feed (GET /api/v1/sensor-feed?since=N), kept as the
 * list of indicators currently published, updated incrementally by version. */
#ifndef CSHQ_SENSOR_IOC_FEED_H
#define CSHQ_SENSOR_IOC_FEED_H

#include "ioc/set.h"

struct feed_item;

struct ioc_feed {
	int64_t version;      /* last version applied; 0 before the first sync */
	struct feed_item **bucket;
	size_t nbuckets, count;
};

void ioc_feed_init(struct ioc_feed *f);
void ioc_feed_release(struct ioc_feed *f);

/* Applies one feed answer {"version", "added": [...], "removed": [...]}. Items are
 * {"type","value"[,"severity","tlp","source","id","expires_at"]}; removed items may
 * also be given as an id string. *changed tells whether the set of indicators changed.
 * CSHQ_OK, or CSHQ_EINVAL (message in err; the feed is left unchanged). */
int ioc_feed_apply(struct ioc_feed *f, const char *json, size_t len, bool *changed, char *err,
		   size_t errlen);

/* Adds every feed indicator to s; counts as in ioc_load_result. */
void ioc_feed_add_to(const struct ioc_feed *f, struct ioc_set *s, int64_t now, size_t *added,
		     size_t *rejected);

#endif
