/* gsoc_views.c: the views of spec 30 over detections and sensors: cross-agency campaigns
 * (the centre's alone), the overview time series and per-organisation counts, and coverage
 * (covered bodies and whether a live sensor watches each). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/gsoc_impl.h"
#include "modules/registry.h"

#define CAMPAIGNS_MAX 500

static bool in_list(json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) if (strcmp(json_string_value(v), s) == 0) return true;
	return false;
}

int gsoc_campaigns_json(struct store *db, const struct principal *who, int64_t window,
                        int32_t day_from, int32_t day_to, json_t **out)
{
	if (!principal_is_nisc(who))
		return CSHQ_ENOTFOUND; /* the cross-agency view is the centre's */
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT a.indicator_type, a.indicator_value, a.org, a.id, a.first_seen, a.last_seen, "
	    "a.alerts, "
	    "a.tlp, a.indicator_id FROM gsoc_detections a WHERE a.day >= $1 AND a.day <= $2 AND "
	    "EXISTS ("
	    "SELECT 1 FROM gsoc_detections b WHERE b.indicator_type = a.indicator_type "
	    "AND b.indicator_value = a.indicator_value AND b.org <> a.org AND b.day >= $1 AND "
	    "b.day <= $2 "
	    "AND b.first_seen <= a.last_seen + $3 AND a.first_seen <= b.last_seen + $3) "
	    "ORDER BY a.indicator_type, a.indicator_value, a.first_seen, a.id",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, day_from);
	store_bind_int64(st, 2, day_to);
	store_bind_int64(st, 3, window);
	json_t *items = json_array();
	json_t *cur = NULL;
	char ktype[24] = "", *kvalue = NULL;
	while ((rc = store_step(st)) == STORE_ROW) {
		const char *type = store_column_text(st, 0), *value = store_column_text(st, 1);
		if (!cur || strcmp(type, ktype) != 0 || strcmp(value, kvalue) != 0) {
			if (json_array_size(items) >= CAMPAIGNS_MAX)
				continue;
			snprintf(ktype, sizeof(ktype), "%s", type);
			free(kvalue);
			kvalue = xstrdup(value);
			cur = json_object();
			json_t *ind = json_pack("{s:s, s:s, s:s, s:o}", "type", type, "value",
			                        value, "tlp", store_column_text(st, 7), "id",
			                        store_column_is_null(st, 8)
			                            ? json_null()
			                            : json_integer(store_column_int64(st, 8)));
			json_object_set_new(cur, "indicator", ind);
			json_object_set_new(cur, "orgs", json_array());
			json_object_set_new(cur, "detections", json_array());
			json_object_set_new(cur, "first_seen",
			                    json_integer(store_column_int64(st, 4)));
			json_object_set_new(cur, "last_seen",
			                    json_integer(store_column_int64(st, 5)));
			json_object_set_new(cur, "alerts", json_integer(0));
			json_array_append_new(items, cur);
		}
		json_t *orgs = json_object_get(cur, "orgs");
		if (!in_list(orgs, store_column_text(st, 2)))
			json_array_append_new(orgs, json_string(store_column_text(st, 2)));
		json_array_append_new(json_object_get(cur, "detections"),
		                      json_integer(store_column_int64(st, 3)));
		int64_t first = store_column_int64(st, 4), last = store_column_int64(st, 5);
		if (first < json_integer_value(json_object_get(cur, "first_seen")))
			json_object_set_new(cur, "first_seen", json_integer(first));
		if (last > json_integer_value(json_object_get(cur, "last_seen")))
			json_object_set_new(cur, "last_seen", json_integer(last));
		json_object_set_new(
		    cur, "alerts",
		    json_integer(json_integer_value(json_object_get(cur, "alerts")) +
		                 store_column_int64(st, 6)));
	}
	free(kvalue);
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	size_t i;
	json_t *c;
	json_array_foreach(items, i, c)
	{
		/* times as RFC 3339 for the answer (kept as integers while merging) */
		json_object_set_new(
		    c, "first_seen",
		    gsoc_time_json(json_integer_value(json_object_get(c, "first_seen"))));
		json_object_set_new(
		    c, "last_seen",
		    gsoc_time_json(json_integer_value(json_object_get(c, "last_seen"))));
		json_object_set_new(
		    c, "org_count",
		    json_integer((json_int_t)json_array_size(json_object_get(c, "orgs"))));
	}
	*out = json_pack("{s:o, s:I, s:o, s:o, s:n}", "items", items, "window_seconds",
	                 (json_int_t)window, "from", gsoc_date_json(day_from), "to",
	                 gsoc_date_json(day_to), "next_cursor");
	return CSHQ_OK;
}

/* Runs "SELECT <cols> FROM gsoc_detections d WHERE d.day >= $1 AND d.day <= $2 AND <vis>
 * <tail>" for the caller. */
static int detections_query(struct store *db, const struct principal *who, const char *cols,
                            const char *tail, int32_t day_from, int32_t day_to,
                            struct store_stmt **out)
{
	struct buf sql = BUF_INIT(8192);
	buf_printf(&sql, "SELECT %s FROM gsoc_detections d WHERE d.day >= $1 AND d.day <= $2 AND ",
	           cols);
	int rc = vis_list_condition(who, "detection", "d.org", "d.id", NULL, 3, 4, &sql);
	if (rc == CSHQ_OK)
		rc = buf_printf(&sql, " %s", tail);
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), out);
	if (rc == CSHQ_OK) {
		store_bind_int64(*out, 1, day_from);
		store_bind_int64(*out, 2, day_to);
		gsoc_bind_vis(*out, buf_cstr(&sql), who, 3, 4);
	}
	buf_release(&sql);
	return rc;
}

int gsoc_overview_json(struct store *db, const struct principal *who, int32_t day_from,
                       int32_t day_to, json_t **out)
{
	if (day_to < day_from || day_to - day_from > 366)
		return CSHQ_EINVAL;
	size_t ndays = (size_t)(day_to - day_from + 1);
	int64_t *det = xcalloc(ndays, sizeof(int64_t)), *alerts = xcalloc(ndays, sizeof(int64_t));
	struct store_stmt *st;
	json_t *series = json_array(), *by_org = json_array(), *by_state = json_object();
	int rc = detections_query(db, who, "d.day, count(*), sum(d.alerts)", "GROUP BY d.day",
	                          day_from, day_to, &st);
	if (rc == CSHQ_OK) {
		int s;
		while ((s = store_step(st)) == STORE_ROW) {
			int64_t d = store_column_int64(st, 0);
			if (d >= day_from && d <= day_to) {
				det[d - day_from] = store_column_int64(st, 1);
				alerts[d - day_from] = store_column_int64(st, 2);
			}
		}
		rc = s == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	for (size_t i = 0; i < ndays; i++)
		json_array_append_new(series, json_pack("{s:o, s:I, s:I}", "day",
		                                        gsoc_date_json(day_from + (int32_t)i),
		                                        "detections", (json_int_t)det[i], "alerts",
		                                        (json_int_t)alerts[i]));
	free(det);
	free(alerts);
	if (rc == CSHQ_OK)
		rc = detections_query(db, who,
		                      "d.org, count(*), sum(d.alerts), "
		                      "sum(CASE WHEN d.state IN ('new', 'investigating', "
		                      "'notified') THEN 1 ELSE 0 END)",
		                      "GROUP BY d.org ORDER BY count(*) DESC, d.org", day_from,
		                      day_to, &st);
	if (rc == CSHQ_OK) {
		int s;
		while ((s = store_step(st)) == STORE_ROW)
			json_array_append_new(
			    by_org,
			    json_pack("{s:s, s:I, s:I, s:I}", "org", store_column_text(st, 0),
			              "detections", (json_int_t)store_column_int64(st, 1), "alerts",
			              (json_int_t)store_column_int64(st, 2), "open",
			              (json_int_t)store_column_int64(st, 3)));
		rc = s == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = detections_query(db, who, "d.state, count(*)", "GROUP BY d.state", day_from,
		                      day_to, &st);
	if (rc == CSHQ_OK) {
		int s;
		while ((s = store_step(st)) == STORE_ROW)
			json_object_set_new(by_state, store_column_text(st, 0),
			                    json_integer(store_column_int64(st, 1)));
		rc = s == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	json_t *campaigns = json_null();
	if (rc == CSHQ_OK && principal_is_nisc(who)) {
		json_t *c;
		rc = gsoc_campaigns_json(db, who, GSOC_CAMPAIGN_WINDOW_DEFAULT, day_from, day_to,
		                         &c);
		if (rc == CSHQ_OK) {
			campaigns =
			    json_integer((json_int_t)json_array_size(json_object_get(c, "items")));
			json_decref(c);
		}
	}
	if (rc != CSHQ_OK) {
		json_decref(series);
		json_decref(by_org);
		json_decref(by_state);
		json_decref(campaigns);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "from", gsoc_date_json(day_from), "to",
	                 gsoc_date_json(day_to), "series", series, "by_org", by_org, "by_state",
	                 by_state, "campaigns", campaigns);
	return CSHQ_OK;
}

int gsoc_coverage_json(struct store *db, const struct principal *who, int32_t date, json_t **out)
{
	/* the kinds gsoc_monitoring can cover at all; the regime decides each one */
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT code FROM orgs WHERE kind IN ('ministry', 'iai', 'corporation') ORDER BY code",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	size_t n = 0, cap = 0;
	char(*codes)[33] = NULL;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			codes = xrealloc(codes, cap * sizeof(*codes));
		}
		snprintf(codes[n++], 33, "%s", store_column_text(st, 0));
	}
	if (rc != STORE_DONE) {
		free(codes);
		return CSHQ_ERR;
	}
	rc = CSHQ_OK;
	json_t *items = json_array();
	int64_t now = time_now();
	size_t covered = 0, watched = 0;
	for (size_t i = 0; i < n && rc == CSHQ_OK; i++) {
		bool in = false;
		if ((rc = vis_org_in_scope(db, who, codes[i], &in)) != CSHQ_OK || !in)
			continue;
		struct registry_subject subj;
		if ((rc = registry_subject(db, codes[i], date, &subj)) != CSHQ_OK)
			break;
		struct regime_answer a;
		regime_evaluate(RF_GSOC_MONITORING, &subj.facts, date, &a);
		if (a.applies != RA_YES)
			continue;
		if ((rc = store_prepare(db,
		                        "SELECT count(*), sum(CASE WHEN last_seen_at >= $2 THEN 1 "
		                        "ELSE 0 END), max(last_seen_at) "
		                        "FROM gsoc_sensors WHERE org = $1 AND revoked_at IS NULL",
		                        &st)) != CSHQ_OK)
			break;
		store_bind_text(st, 1, codes[i]);
		store_bind_int64(st, 2, now - GSOC_LIVE_SECONDS);
		if (store_step(st) != STORE_ROW) {
			rc = CSHQ_ERR;
			break;
		}
		int64_t sensors = store_column_int64(st, 0);
		int64_t live = store_column_is_null(st, 1) ? 0 : store_column_int64(st, 1);
		int64_t seen = store_column_is_null(st, 2) ? 0 : store_column_int64(st, 2);
		gsoc_drain(st);
		covered++;
		if (live)
			watched++;
		json_t *o;
		if ((rc = registry_org_json(db, codes[i], date, false, &o)) != CSHQ_OK)
			break;
		json_t *item = json_pack(
		    "{s:s, s:O, s:O, s:O, s:I, s:I, s:o, s:s}", "org", codes[i], "name_ja",
		    json_object_get(o, "name_ja"), "name_en", json_object_get(o, "name_en"), "kind",
		    json_object_get(o, "kind"), "sensors", (json_int_t)sensors, "live_sensors",
		    (json_int_t)live, "last_seen", gsoc_time_json(seen), "status",
		    live      ? "live"
		    : sensors ? "stale"
		              : "none");
		json_decref(o);
		json_object_set_new(item, "basis", basis_json(a.basis, a.n_basis));
		json_array_append_new(items, item);
	}
	free(codes);
	if (rc != CSHQ_OK) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:I, s:I, s:I}", "date", gsoc_date_json(date), "items", items,
	                 "covered", (json_int_t)covered, "with_live_sensor", (json_int_t)watched,
	                 "without_live_sensor", (json_int_t)(covered - watched));
	return CSHQ_OK;
}
