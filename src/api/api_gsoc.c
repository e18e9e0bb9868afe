/* api_gsoc.c: the GSOC endpoints (spec 30, spec 80): sensors, indicators and their STIX
 * exchange, the sensors' own endpoints (alerts, feed), detections and their triage,
 * campaigns, overview and coverage.
 *
 * Sensor endpoints carry ROUTE_SENSOR: the server resolves no user there, and the handlers
 * accept only a sensor token (GSOC_SENSOR_TOKEN_PREFIX); everywhere else a sensor token is
 * not a session and is refused by the server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/gsoc_csv.h"
#include "modules/gsoc.h"
#include "modules/gsoc_stix.h"

static bool parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return v > 0;
}

static bool content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The sensor of the request's token, or a 401 answer. */
static int sensor_auth(struct http_request *req, struct http_response *res)
{
	int rc = req->token ? gsoc_sensor_resolve(req->db, req->token, &req->who) : CSHQ_ENOTFOUND;
	if (rc == CSHQ_ENOTFOUND)
		return http_problem(res, 401, NULL,
		                    "this endpoint needs the bearer token of a registered sensor",
		                    NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return 0;
}

/* A date range from ?from=&to= (default: the `days` days up to today). */
static int date_range(struct http_request *req, struct http_response *res, int days, int max_days,
                      int32_t *from, int32_t *to)
{
	if (http_query_date(req, "to", to) != CSHQ_OK)
		return http_problem(res, 400, NULL, "to: a date YYYY-MM-DD", NULL);
	const char *f = http_query(req, "from");
	if (f && *f) {
		if (date_parse(f, from) != CSHQ_OK)
			return http_problem(res, 400, NULL, "from: a date YYYY-MM-DD", NULL);
	} else {
		*from = *to - (days - 1);
	}
	if (*from > *to || *to - *from >= max_days) {
		char d[96];
		snprintf(d, sizeof(d), "from, to: an interval of 1 to %d days", max_days);
		return http_problem(res, 400, NULL, d, NULL);
	}
	return 0;
}

/* ------------------------------------------------------------- sensors */

static int sensor_create(struct http_request *req, struct http_response *res)
{
	if (!gsoc_may_manage_sensors(&req->who))
		return http_problem(res, 403, NULL,
		                    "sensors are registered by NISC or an administrator", NULL);
	json_t *body = http_body_object(req, res);
	if (!body)
		return res->status;
	static const char *const keys[] = {"org", "name", NULL};
	int status = 0;
	if (!http_only_keys(body, keys, res)) {
		json_decref(body);
		return res->status;
	}
	const char *org = json_string_value(json_object_get(body, "org"));
	const char *name = json_string_value(json_object_get(body, "name"));
	json_t *out = NULL;
	struct regime_answer refusal;
	char err[256] = "";
	int rc = gsoc_sensor_create(req->db, &req->who, org, name, date_today(), &out, &refusal,
	                            err, sizeof(err));
	json_decref(body);
	if (rc == CSHQ_ECONFLICT)
		status =
		    http_problem(res, 409, NULL, err, basis_json(refusal.basis, refusal.n_basis));
	else if (rc == CSHQ_EINVAL)
		status = http_problem(res, 422, NULL, err, NULL);
	else if (rc != CSHQ_OK)
		status = http_problem_rc(res, rc, NULL);
	if (status)
		return status;
	snprintf(res->location, sizeof(res->location), "/api/v1/sensors/%lld",
	         (long long)json_integer_value(json_object_get(out, "id")));
	return http_json(res, 201, out);
}

static int sensors_list(struct http_request *req, struct http_response *res)
{
	const char *org = http_query(req, "org");
	json_t *out;
	int rc = gsoc_sensors_list_json(req->db, &req->who, org && *org ? org : NULL, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int sensor_get(struct http_request *req, struct http_response *res)
{
	int64_t id;
	json_t *out;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	int rc = gsoc_sensor_get_json(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int sensor_revoke(struct http_request *req, struct http_response *res)
{
	int64_t id;
	json_t *out;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	if (!gsoc_may_manage_sensors(&req->who)) {
		/* whoever may see the sensor learns only that it is not theirs to revoke */
		int rc = gsoc_sensor_get_json(req->db, &req->who, id, &out);
		if (rc != CSHQ_OK)
			return http_problem_rc(res, rc, NULL);
		json_decref(out);
		return http_problem(res, 403, NULL,
		                    "sensors are revoked by NISC or an administrator", NULL);
	}
	int rc = gsoc_sensor_revoke(req->db, &req->who, id, &out);
	if (rc == CSHQ_ECONFLICT)
		return http_problem(res, 409, NULL, "the sensor is already revoked", NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

/* ----------------------------------------------------------- indicators */

static int stix_items(struct gsoc_stix_result *r, struct gsoc_indicator_in **items, size_t *n)
{
	*items = xcalloc(r->n ? r->n : 1, sizeof(**items));
	*n = r->n;
	for (size_t i = 0; i < r->n; i++) {
		struct gsoc_stix_indicator *s = &r->items[i];
		struct gsoc_indicator_in *x = &(*items)[i];
		x->type = s->type;
		x->value = xstrdup(s->value);
		x->severity = s->severity;
		x->has_tlp = s->has_tlp;
		x->tlp = s->tlp;
		x->source = s->source ? xstrdup(s->source) : NULL;
		x->confidence = s->confidence;
		x->expires_at = s->expires_at;
		x->remove = s->revoked;
		x->external_id = xstrdup(s->stix_id);
	}
	return CSHQ_OK;
}

static int indicators_import(struct http_request *req, struct http_response *res)
{
	if (!gsoc_may_manage_indicators(&req->who))
		return http_problem(res, 403, NULL, "the indicator set is managed by NISC", NULL);
	char err[512] = "";
	struct gsoc_indicator_in *items = NULL;
	size_t n = 0;
	json_t *skipped = NULL;
	int rc;
	if (content_type_is(req->content_type, "application/stix+json")) {
		struct gsoc_stix_result r;
		rc = gsoc_stix_parse(req->body, req->body_len, GSOC_IMPORT_MAX, &r, err,
		                     sizeof(err));
		if (rc == CSHQ_OK) {
			stix_items(&r, &items, &n);
			skipped = json_incref(r.skipped);
		}
		gsoc_stix_result_release(&r);
		if (rc != CSHQ_OK)
			return http_problem(res, rc == CSHQ_ELIMIT ? 413 : 400, NULL, err, NULL);
	} else if (content_type_is(req->content_type, "text/csv")) {
		json_t *arr = NULL;
		rc = gsoc_indicators_csv(req->body, req->body_len, GSOC_IMPORT_MAX, &arr, err,
		                         sizeof(err));
		if (rc == CSHQ_OK)
			rc = gsoc_indicators_from_json(arr, &items, &n, err, sizeof(err));
		json_decref(arr);
		if (rc != CSHQ_OK)
			return http_problem(res, rc == CSHQ_ELIMIT ? 413 : 422, NULL, err, NULL);
	} else if (!req->content_type || content_type_is(req->content_type, "application/json")) {
		char perr[256];
		json_t *arr = http_parse_json(req->body, req->body_len, perr, sizeof(perr));
		if (!arr)
			return http_problem(res, 400, NULL, perr, NULL);
		rc = gsoc_indicators_from_json(arr, &items, &n, err, sizeof(err));
		json_decref(arr);
		if (rc != CSHQ_OK)
			return http_problem(res, rc == CSHQ_ELIMIT ? 413 : 422, NULL, err, NULL);
	} else {
		return http_problem(res, 415, NULL,
		                    "send a JSON array (application/json) or a STIX 2.1 bundle "
		                    "(application/stix+json)",
		                    NULL);
	}
	struct gsoc_import_result r;
	rc = gsoc_indicators_import(req->db, &req->who, items, n, &r, err, sizeof(err));
	gsoc_indicator_in_free(items, n);
	if (rc != CSHQ_OK) {
		json_decref(skipped);
		return rc == CSHQ_EINVAL ? http_problem(res, 422, NULL, err, NULL)
		                         : http_problem_rc(res, rc, NULL);
	}
	json_t *out =
	    json_pack("{s:I, s:I, s:I, s:I, s:I}", "added", (json_int_t)r.added, "updated",
	              (json_int_t)r.updated, "removed", (json_int_t)r.removed, "unchanged",
	              (json_int_t)r.unchanged, "version", (json_int_t)r.version);
	if (skipped)
		json_object_set_new(out, "skipped", skipped);
	return http_json(res, 200, out);
}

static int indicators_list(struct http_request *req, struct http_response *res)
{
	struct gsoc_indicator_filter f = {0};
	f.type = http_query(req, "type");
	enum gsoc_ioc_type t;
	if (f.type && *f.type && gsoc_ioc_type_parse(f.type, &t) != CSHQ_OK)
		return http_problem(res, 400, NULL, "type: an indicator type", NULL);
	f.q = http_query(req, "q");
	if (f.q && strlen(f.q) > 200)
		return http_problem(res, 400, NULL, "q: at most 200 bytes", NULL);
	const char *inc = http_query(req, "include_removed");
	f.include_removed = inc && strcmp(inc, "true") == 0;
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
	const char *cursor = http_query(req, "cursor");
	if (cursor && *cursor && !parse_id(cursor, &f.after_id))
		return http_problem(res, 400, NULL, "cursor: as given in next_cursor", NULL);
	const char *format = http_query(req, "format");
	json_t *out;
	int rc;
	if (format && strcmp(format, "stix") == 0) {
		rc = gsoc_indicators_stix(req->db, &req->who, &f, &out);
		if (rc != CSHQ_OK)
			return http_problem_rc(res, rc, NULL);
		int st = http_json(res, 200, out);
		if (st == 200)
			res->content_type = "application/stix+json;version=2.1";
		return st;
	}
	if (format && *format && strcmp(format, "json") != 0)
		return http_problem(res, 400, NULL, "format: json or stix", NULL);
	rc = gsoc_indicators_list_json(req->db, &req->who, &f, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int indicator_get(struct http_request *req, struct http_response *res)
{
	int64_t id;
	json_t *out;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	int rc = gsoc_indicator_get_json(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int indicator_remove(struct http_request *req, struct http_response *res)
{
	int64_t id, version;
	json_t *out;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	if (!gsoc_may_manage_indicators(&req->who)) {
		int rc = gsoc_indicator_get_json(req->db, &req->who, id, &out);
		if (rc != CSHQ_OK)
			return http_problem_rc(res, rc, NULL);
		json_decref(out);
		return http_problem(res, 403, NULL, "the indicator set is managed by NISC", NULL);
	}
	int rc = gsoc_indicator_remove(req->db, &req->who, id, &version);
	if (rc == CSHQ_ECONFLICT)
		return http_problem(res, 409, NULL, "the indicator is already removed", NULL);
	if (rc == CSHQ_OK)
		rc = gsoc_indicator_get_json(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

/* ------------------------------------------------------ sensor endpoints */

static int sensor_feed(struct http_request *req, struct http_response *res)
{
	/* a feed poll records that the sensor is alive: this GET writes, so it takes the
	 * write transaction before reading anything (the server opened a read one) */
	store_rollback(req->db);
	if (store_begin(req->db, true) != CSHQ_OK)
		return http_problem_rc(res, CSHQ_ERR, NULL);
	int status = sensor_auth(req, res);
	if (status)
		return status;
	long since;
	if (http_query_int(req, "since", 0, 0x7FFFFFFFL, 0, &since) != CSHQ_OK)
		return http_problem(res, 400, NULL, "since: a version number (0 for everything)",
		                    NULL);
	int rc = gsoc_sensor_seen(req->db, req->who.user_id, since);
	json_t *out = NULL;
	if (rc == CSHQ_OK)
		rc = gsoc_feed_json(req->db, &req->who, since, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int alerts_post(struct http_request *req, struct http_response *res)
{
	int status = sensor_auth(req, res);
	if (status)
		return status;
	enum gsoc_batch_format fmt;
	if (content_type_is(req->content_type, "application/x-ndjson"))
		fmt = GSOC_BATCH_NDJSON;
	else if (!req->content_type || content_type_is(req->content_type, "application/json"))
		fmt = GSOC_BATCH_JSON;
	else
		return http_problem(
		    res, 415, NULL,
		    "send a JSON array (application/json) or NDJSON (application/x-ndjson)", NULL);
	/* The batch is read outside the transaction: on SQLite the server's write transaction
	 * holds the store's one write lock, and reading 1,000 events under it would make
	 * concurrent batches wait for each other's parsing. The token was resolved above; the
	 * ingestion checks again that the sensor is not revoked. */
	store_rollback(req->db);
	struct gsoc_batch b;
	char err[512];
	int rc = gsoc_batch_parse(req->body, req->body_len, fmt, time_now(), &b, err, sizeof(err));
	if (rc != CSHQ_OK) {
		gsoc_batch_release(&b);
		return http_problem(res, rc == CSHQ_ELIMIT ? 413 : 400, NULL, err, NULL);
	}
	if (b.n > 0 && store_begin(req->db, true) != CSHQ_OK) {
		gsoc_batch_release(&b);
		return http_problem_rc(res, CSHQ_ERR, NULL);
	}
	if (b.n == 0) {
		/* nothing in the batch can be stored: refused whole, so a sensor keeps it aside */
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:O}", "type",
		                      "https://cshq.invalid/problems/422", "title",
		                      "Unprocessable content", "status", 422, "detail",
		                      "no event of the batch is valid", "errors", b.errors);
		status = http_json(res, 422, p);
		res->content_type = "application/problem+json";
		gsoc_batch_release(&b);
		return status;
	}
	struct gsoc_ingest_result r;
	rc = gsoc_ingest(req->db, &req->who, &b, &r);
	if (rc == CSHQ_OK) {
		json_t *out = json_pack("{s:I, s:I, s:O}", "accepted", (json_int_t)r.accepted,
		                        "duplicates", (json_int_t)r.duplicates, "errors", b.errors);
		status = http_json(res, 200, out);
	} else if (rc == CSHQ_ENOTFOUND) {
		status = http_problem(res, 401, NULL, "the sensor was revoked", NULL);
	} else if (rc == CSHQ_ECONFLICT) {
		status = http_problem(
		    res, 409, NULL, "a concurrent batch stored some of these alerts; send it again",
		    NULL);
	} else {
		status = http_problem_rc(res, rc, NULL);
	}
	gsoc_batch_release(&b);
	return status;
}

/* ------------------------------------------------------------ detections */

static int detections_list(struct http_request *req, struct http_response *res)
{
	struct gsoc_detection_filter f = {0};
	f.org = http_query(req, "org");
	f.indicator = http_query(req, "indicator");
	f.state = http_query(req, "state");
	if (f.indicator && strlen(f.indicator) > GSOC_VALUE_MAX)
		return http_problem(res, 400, NULL, "indicator: an indicator id or value", NULL);
	if (f.indicator && !*f.indicator)
		f.indicator = NULL;
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	if (from && *from && date_parse(from, &f.day_from) != CSHQ_OK)
		return http_problem(res, 400, NULL, "from: a date YYYY-MM-DD", NULL);
	if (to && *to && date_parse(to, &f.day_to) != CSHQ_OK)
		return http_problem(res, 400, NULL, "to: a date YYYY-MM-DD", NULL);
	if (http_query_int(req, "limit", 1, 500, 50, &f.limit) != CSHQ_OK)
		return http_problem(res, 400, NULL, "limit: an integer from 1 to 500", NULL);
	const char *cursor = http_query(req, "cursor");
	if (cursor && *cursor && !parse_id(cursor, &f.after_id))
		return http_problem(res, 400, NULL, "cursor: as given in next_cursor", NULL);
	json_t *out;
	int rc = gsoc_detections_list_json(req->db, &req->who, &f, &out);
	if (rc == CSHQ_EINVAL)
		return http_problem(res, 400, NULL,
		                    "state: new, investigating, notified, closed or escalated",
		                    NULL);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int detection_get(struct http_request *req, struct http_response *res)
{
	int64_t id;
	json_t *out;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	int rc = gsoc_detection_json(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int detection_act(struct http_request *req, struct http_response *res)
{
	int64_t id;
	if (!parse_id(req->params[0], &id))
		return http_not_found(res);
	json_t *input = NULL;
	if (req->body_len > 0) {
		input = http_body_object(req, res);
		if (!input)
			return res->status;
	}
	struct wf_ctx ctx;
	int rc =
	    wf_apply(req->db, &req->who, &gsoc_detection_machine, id, req->params[1], input, &ctx);
	json_decref(input);
	int status;
	if (rc != CSHQ_OK) {
		int st = ctx.status >= 400 ? ctx.status : 500;
		if (st >= 500)
			status = http_problem_rc(res, CSHQ_ERR, NULL);
		else
			status =
			    http_problem(res, st, NULL, ctx.message[0] ? ctx.message : NULL,
			                 ctx.n_basis ? basis_json(ctx.basis, ctx.n_basis) : NULL);
		wf_ctx_release(&ctx);
		return status;
	}
	wf_ctx_release(&ctx);
	json_t *out;
	rc = gsoc_detection_json(req->db, &req->who, id, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

/* ----------------------------------------------------------------- views */

static int campaigns_list(struct http_request *req, struct http_response *res)
{
	long hours;
	if (http_query_int(req, "window_hours", 1, 24 * 30, GSOC_CAMPAIGN_WINDOW_DEFAULT / 3600,
	                   &hours) != CSHQ_OK)
		return http_problem(res, 400, NULL, "window_hours: an integer from 1 to 720", NULL);
	int32_t from, to;
	int status = date_range(req, res, 30, 366, &from, &to);
	if (status)
		return status;
	json_t *out;
	int rc = gsoc_campaigns_json(req->db, &req->who, (int64_t)hours * 3600, from, to, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int overview(struct http_request *req, struct http_response *res)
{
	int32_t from, to;
	int status = date_range(req, res, 30, 367, &from, &to);
	if (status)
		return status;
	json_t *out;
	int rc = gsoc_overview_json(req->db, &req->who, from, to, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static int coverage(struct http_request *req, struct http_response *res)
{
	int32_t date;
	if (http_query_date(req, "date", &date) != CSHQ_OK)
		return http_problem(res, 400, NULL, "date: a date YYYY-MM-DD", NULL);
	json_t *out;
	int rc = gsoc_coverage_json(req->db, &req->who, date, &out);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200, out);
}

static const struct http_route routes[] = {
    {"POST", "/api/v1/sensors", sensor_create, 0},
    {"GET", "/api/v1/sensors", sensors_list, 0},
    {"GET", "/api/v1/sensors/{id}", sensor_get, 0},
    {"POST", "/api/v1/sensors/{id}/actions/revoke", sensor_revoke, 0},
    {"POST", "/api/v1/indicators", indicators_import, ROUTE_BULK_BODY},
    {"GET", "/api/v1/indicators", indicators_list, 0},
    {"GET", "/api/v1/indicators/{id}", indicator_get, 0},
    {"DELETE", "/api/v1/indicators/{id}", indicator_remove, 0},
    {"GET", "/api/v1/sensor-feed", sensor_feed, ROUTE_SENSOR},
    {"POST", "/api/v1/alerts", alerts_post, ROUTE_SENSOR | ROUTE_BULK_BODY},
    {"GET", "/api/v1/detections", detections_list, 0},
    {"GET", "/api/v1/detections/{id}", detection_get, 0},
    {"POST", "/api/v1/detections/{id}/actions/{action}", detection_act, 0},
    {"GET", "/api/v1/campaigns", campaigns_list, 0},
    {"GET", "/api/v1/gsoc/overview", overview, 0},
    {"GET", "/api/v1/gsoc/coverage", coverage, 0},
};

const struct http_route_table api_gsoc_routes = {routes, CSHQ_ARRAY_LEN(routes)};
