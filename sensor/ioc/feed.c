/* feed.c: feed state as a hash map from (type, value) to attributes. Answers are
 * validated whole before any change, so a bad answer never leaves half an update. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "ioc/feed.h"

struct feed_item {
	struct feed_item *next;
	enum ioc_type type;
	char *value, *id, *source, *tlp;
	int severity;
	int64_t expires;
};

void ioc_feed_init(struct ioc_feed *f)
{
	memset(f, 0, sizeof(*f));
	f->nbuckets = 1024;
	f->bucket = xcalloc(f->nbuckets, sizeof(*f->bucket));
}

static void item_free(struct feed_item *it)
{
	free(it->value);
	free(it->id);
	free(it->source);
	free(it->tlp);
	free(it);
}

void ioc_feed_release(struct ioc_feed *f)
{
	if (!f || !f->bucket)
		return;
	for (size_t i = 0; i < f->nbuckets; i++)
		for (struct feed_item *it = f->bucket[i], *nx; it; it = nx) {
			nx = it->next;
			item_free(it);
		}
	free(f->bucket);
	f->bucket = NULL;
}

static size_t hash_key(enum ioc_type t, const char *v)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)t;
	for (; *v; v++)
		h = (h ^ (uint8_t)*v) * UINT64_C(0x100000001b3);
	return (size_t)(h ^ (h >> 31));
}

static struct feed_item **find(struct ioc_feed *f, enum ioc_type t, const char *v)
{
	struct feed_item **pp = &f->bucket[hash_key(t, v) & (f->nbuckets - 1)];
	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->type == t && strcmp((*pp)->value, v) == 0)
			return pp;
	return pp;
}

static void grow(struct ioc_feed *f)
{
	size_t nb = f->nbuckets * 2;
	struct feed_item **b = xcalloc(nb, sizeof(*b));
	for (size_t i = 0; i < f->nbuckets; i++)
		for (struct feed_item *it = f->bucket[i], *nx; it; it = nx) {
			nx = it->next;
			size_t h = hash_key(it->type, it->value) & (nb - 1);
			it->next = b[h];
			b[h] = it;
		}
	free(f->bucket);
	f->bucket = b;
	f->nbuckets = nb;
}

static char *dup_or_null(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? xstrdup(s) : NULL;
}

/* Checks one item's shape; fills t and value. */
static bool item_shape(json_t *o, enum ioc_type *t, const char **value)
{
	const char *ts = json_string_value(json_object_get(o, "type"));
	*value = json_string_value(json_object_get(o, "value"));
	return ts && *value && ioc_type_parse(ts, t) == CSHQ_OK;
}

static bool remove_by_id(struct ioc_feed *f, const char *id)
{
	for (size_t i = 0; i < f->nbuckets; i++)
		for (struct feed_item **pp = &f->bucket[i]; *pp; pp = &(*pp)->next)
			if ((*pp)->id && strcmp((*pp)->id, id) == 0) {
				struct feed_item *it = *pp;
				*pp = it->next;
				item_free(it);
				f->count--;
				return true;
			}
	return false;
}

int ioc_feed_apply(struct ioc_feed *f, const char *json, size_t len, bool *changed, char *err,
		   size_t errlen)
{
	json_error_t je;
	*changed = false;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "feed: not JSON: %s", je.text);
		return CSHQ_EINVAL;
	}
	int rc = CSHQ_EINVAL;
	json_t *ver = json_object_get(root, "version");
	json_t *added = json_object_get(root, "added");
	json_t *removed = json_object_get(root, "removed");
	if (!json_is_integer(ver) || (added && !json_is_array(added)) ||
	    (removed && !json_is_array(removed))) {
		snprintf(err, errlen, "feed: expected {\"version\": int, \"added\": [], \"removed\": []}");
		goto out;
	}
	size_t i;
	json_t *o;
	enum ioc_type t;
	const char *v;
	json_array_foreach(added, i, o) if (!item_shape(o, &t, &v))
	{
		snprintf(err, errlen, "feed: added[%zu] needs a known type and a value", i);
		goto out;
	}
	json_array_foreach(removed, i, o) if (!json_is_string(o) && !item_shape(o, &t, &v))
	{
		snprintf(err, errlen, "feed: removed[%zu] needs an id or a type and value", i);
		goto out;
	}
	json_array_foreach(removed, i, o)
	{
		if (json_is_string(o)) {
			*changed |= remove_by_id(f, json_string_value(o));
			continue;
		}
		item_shape(o, &t, &v);
		struct feed_item **pp = find(f, t, v);
		if (*pp) {
			struct feed_item *it = *pp;
			*pp = it->next;
			item_free(it);
			f->count--;
			*changed = true;
		}
	}
	json_array_foreach(added, i, o)
	{
		item_shape(o, &t, &v);
		struct feed_item **pp = find(f, t, v);
		struct feed_item *it = *pp;
		if (!it) {
			it = xcalloc(1, sizeof(*it));
			it->type = t;
			it->value = xstrdup(v);
			*pp = it;
			f->count++;
		} else {
			free(it->id);
			free(it->source);
			free(it->tlp);
		}
		it->id = dup_or_null(o, "id");
		if (!it->id && json_is_integer(json_object_get(o, "id"))) {
			char b[32];
			snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(json_object_get(o, "id")));
			it->id = xstrdup(b);
		}
		it->source = dup_or_null(o, "source");
		it->tlp = dup_or_null(o, "tlp");
		json_t *sev = json_object_get(o, "severity");
		it->severity = json_is_integer(sev) ? (int)json_integer_value(sev)
						    : ioc_severity_parse(json_string_value(sev));
		const char *ex = json_string_value(json_object_get(o, "expires_at"));
		it->expires = 0;
		if (ex && time_parse_rfc3339(ex, &it->expires) != CSHQ_OK)
			it->expires = 0;
		*changed = true;
		if (f->count > f->nbuckets)
			grow(f);
	}
	if (json_integer_value(ver) != f->version)
		f->version = json_integer_value(ver);
	rc = CSHQ_OK;
out:
	json_decref(root);
	return rc;
}

void ioc_feed_add_to(const struct ioc_feed *f, struct ioc_set *s, int64_t now, size_t *added,
		     size_t *rejected)
{
	for (size_t i = 0; i < f->nbuckets; i++)
		for (const struct feed_item *it = f->bucket[i]; it; it = it->next) {
			struct ioc_attrs a = {it->id, it->source, it->tlp, it->severity, it->expires};
			if (ioc_set_add(s, it->type, it->value, &a, now, NULL, 0) == CSHQ_OK)
				(*added)++;
			else
				(*rejected)++;
		}
}
