/* gsoc_sensors.c: sensors of the covered bodies: registration under the regime, tokens
 * (shown once, stored as SHA-256, bound to the organisation), health from the sensors' own
 * requests and stats events; also the helpers the other gsoc files share. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auditlog.h"
#include "auth/session.h"
#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/gsoc_impl.h"
#include "modules/registry.h"

void gsoc_drain(struct store_stmt *st)
{
	while (store_step(st) == STORE_ROW)
		;
}

bool gsoc_sql_uses(const char *sql, int n)
{
	char tok[16];
	int len = snprintf(tok, sizeof(tok), "$%d", n);
	for (const char *p = strstr(sql, tok); p; p = strstr(p + 1, tok))
		if (p[len] < '0' || p[len] > '9')
			return true;
	return false;
}

void gsoc_bind_vis(struct store_stmt *st, const char *sql, const struct principal *who,
                   int org_param, int user_param)
{
	if (gsoc_sql_uses(sql, org_param))
		store_bind_text(st, org_param, who->org);
	if (gsoc_sql_uses(sql, user_param))
		store_bind_int64(st, user_param, who->user_id);
}

json_t *gsoc_time_json(int64_t t)
{
	if (t <= 0)
		return json_null();
	char s[26];
	time_format_rfc3339(t, s);
	return json_string(s);
}

json_t *gsoc_time_col(struct store_stmt *st, int col)
{
	return store_column_is_null(st, col) ? json_null()
	                                     : gsoc_time_json(store_column_int64(st, col));
}

json_t *gsoc_date_json(int32_t day)
{
	char s[11];
	date_format(day, s);
	return json_string(s);
}

json_t *gsoc_basis_json(int32_t date)
{
	const struct regime_citation *c = regime_cite("Act", "13", 0, 0, date);
	if (!c) /* before the amendment the seed has no text of the Act: the overview page */
		c = regime_cite_version("Overview", "2016", "1", 2, 0);
	return basis_json(&c, 1);
}

bool gsoc_may_manage_sensors(const struct principal *p)
{
	return principal_has(p, ROLE_ADMIN) || principal_is_nisc(p);
}

static bool valid_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > GSOC_SENSOR_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return false;
	return true;
}

static json_t *opt_int(struct store_stmt *st, int col)
{
	return store_column_is_null(st, col) ? json_null()
	                                     : json_integer(store_column_int64(st, col));
}

json_t *gsoc_sensor_row_json(struct store_stmt *st, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(store_column_int64(st, 0)));
	json_object_set_new(o, "org", json_string(store_column_text(st, 1)));
	json_object_set_new(o, "name", json_string(store_column_text(st, 2)));
	json_object_set_new(o, "created_at", gsoc_time_col(st, 3));
	json_object_set_new(o, "created_by", json_string(store_column_text(st, 4)));
	bool revoked = !store_column_is_null(st, 5);
	json_object_set_new(o, "revoked", json_boolean(revoked));
	json_object_set_new(o, "revoked_at", gsoc_time_col(st, 5));
	int64_t seen = store_column_is_null(st, 6) ? 0 : store_column_int64(st, 6);
	json_object_set_new(o, "last_seen", gsoc_time_json(seen));
	json_object_set_new(o, "live",
	                    json_boolean(!revoked && seen > 0 && now - seen <= GSOC_LIVE_SECONDS));
	json_object_set_new(o, "last_alert_at", gsoc_time_col(st, 7));
	json_object_set_new(o, "alerts", json_integer(store_column_int64(st, 8)));
	json_t *h = json_object();
	json_object_set_new(h, "at", gsoc_time_col(st, 9));
	json_object_set_new(h, "uptime", opt_int(st, 10));
	json_object_set_new(h, "kernel_packets", opt_int(st, 11));
	json_object_set_new(h, "kernel_drops", opt_int(st, 12));
	json_object_set_new(h, "spool_batches", opt_int(st, 13));
	json_object_set_new(h, "spool_bytes", opt_int(st, 14));
	json_object_set_new(h, "spool_dropped", opt_int(st, 15));
	json_object_set_new(h, "feed_version", opt_int(st, 16));
	json_object_set_new(o, "health", h);
	return o;
}

static int sensor_select(struct store *db, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "SELECT " GSOC_SENSOR_COLUMNS " FROM gsoc_sensors s WHERE s.id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	*out = gsoc_sensor_row_json(st, time_now());
	gsoc_drain(st);
	return CSHQ_OK;
}

int gsoc_sensor_create(struct store *db, const struct principal *who, const char *org,
                       const char *name, int32_t date, json_t **out, struct regime_answer *refusal,
                       char *err, size_t errlen)
{
	if (!valid_name(name)) {
		snprintf(err, errlen, "name: 1 to %d bytes without control characters",
		         GSOC_SENSOR_NAME_MAX);
		return CSHQ_EINVAL;
	}
	if (!org || strlen(org) > 32) {
		snprintf(err, errlen, "org: an organisation code is required");
		return CSHQ_EINVAL;
	}
	struct registry_subject subj;
	int rc = registry_subject(db, org, date, &subj);
	if (rc == CSHQ_ENOTFOUND) {
		snprintf(err, errlen, "org: no organisation \"%s\" in the registry", org);
		return CSHQ_EINVAL;
	}
	if (rc != CSHQ_OK)
		return rc;
	regime_evaluate(RF_GSOC_MONITORING, &subj.facts, date, refusal);
	if (refusal->applies != RA_YES) {
		snprintf(err, errlen,
		         "gsoc_monitoring does not cover %s on this date: no sensor may be "
		         "registered for it",
		         org);
		return CSHQ_ECONFLICT;
	}
	unsigned char r[32];
	randombytes_buf(r, sizeof(r));
	char token[sizeof(GSOC_SENSOR_TOKEN_PREFIX) + 64];
	memcpy(token, GSOC_SENSOR_TOKEN_PREFIX, sizeof(GSOC_SENSOR_TOKEN_PREFIX) - 1);
	sodium_bin2hex(token + sizeof(GSOC_SENSOR_TOKEN_PREFIX) - 1, 65, r, sizeof(r));
	char th[65];
	session_hash_token(token, th);
	struct store_stmt *st;
	rc = store_prepare(
	    db,
	    "INSERT INTO gsoc_sensors (org, name, token_hash, created_at, created_by) "
	    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, org);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, th);
	store_bind_int64(st, 4, time_now());
	store_bind_text(st, 5, who->login);
	if (store_step(st) != STORE_ROW)
		return CSHQ_ERR;
	int64_t id = store_column_int64(st, 0);
	gsoc_drain(st);
	char idtxt[32];
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	json_t *d = json_pack("{s:s, s:s}", "org", org, "name", name);
	char *dt = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	rc = auditlog_append(db, who, "sensor_register", "sensor", idtxt, dt);
	free(dt);
	if (rc != CSHQ_OK)
		return rc;
	if ((rc = sensor_select(db, id, out)) != CSHQ_OK)
		return rc;
	json_object_set_new(*out, "token", json_string(token));
	sodium_memzero(token, sizeof(token));
	return CSHQ_OK;
}

int gsoc_sensor_resolve(struct store *db, const char *token, struct principal *out)
{
	size_t plen = sizeof(GSOC_SENSOR_TOKEN_PREFIX) - 1;
	if (!token || strlen(token) != plen + 64 ||
	    strncmp(token, GSOC_SENSOR_TOKEN_PREFIX, plen) != 0)
		return CSHQ_ENOTFOUND;
	char th[65];
	session_hash_token(token, th);
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT s.id, s.org, o.kind FROM gsoc_sensors s JOIN orgs o ON o.code = s.org "
	    "WHERE s.token_hash = $1 AND s.revoked_at IS NULL",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_text(st, 1, th);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	memset(out, 0, sizeof(*out));
	out->kind = PRINCIPAL_SENSOR;
	out->user_id = store_column_int64(st, 0);
	snprintf(out->org, sizeof(out->org), "%s", store_column_text(st, 1));
	if (org_kind_parse(store_column_text(st, 2), &out->org_kind) != CSHQ_OK)
		out->org_kind = ORG_OTHER;
	snprintf(out->login, sizeof(out->login), "sensor:%lld", (long long)out->user_id);
	gsoc_drain(st);
	return CSHQ_OK;
}

int gsoc_sensors_list_json(struct store *db, const struct principal *who, const char *org,
                           json_t **out)
{
	if (org) {
		bool in = false;
		int rc = vis_org_in_scope(db, who, org, &in);
		if (rc != CSHQ_OK)
			return rc;
		if (!in)
			return CSHQ_ENOTFOUND;
	}
	struct buf sql = BUF_INIT(8192);
	buf_puts(&sql, "SELECT " GSOC_SENSOR_COLUMNS
	               " FROM gsoc_sensors s WHERE ($1 = '' OR s.org = $1) AND ");
	int rc = vis_list_condition(who, "sensor", "s.org", "s.id", NULL, 2, 3, &sql);
	if (rc == CSHQ_OK)
		rc = buf_puts(&sql, " ORDER BY s.org, s.id LIMIT 5000");
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	if (rc != CSHQ_OK) {
		buf_release(&sql);
		return rc;
	}
	store_bind_text(st, 1, org ? org : "");
	gsoc_bind_vis(st, buf_cstr(&sql), who, 2, 3);
	buf_release(&sql);
	json_t *items = json_array();
	int64_t now = time_now();
	while ((rc = store_step(st)) == STORE_ROW)
		json_array_append_new(items, gsoc_sensor_row_json(st, now));
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return CSHQ_OK;
}

/* Loads a sensor's organisation and state; checks the caller may see it. */
static int sensor_visible(struct store *db, const struct principal *who, int64_t id,
                          bool admin_manages, bool *revoked)
{
	struct store_stmt *st;
	int rc = store_prepare(db, "SELECT org, revoked_at FROM gsoc_sensors WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	char org[33];
	snprintf(org, sizeof(org), "%s", store_column_text(st, 0));
	*revoked = !store_column_is_null(st, 1);
	gsoc_drain(st);
	/* the administrators manage sensors as configuration without seeing their content */
	if (admin_manages && principal_has(who, ROLE_ADMIN))
		return CSHQ_OK;
	struct vis_record r = {
	    .kind = "sensor", .id = id, .subject_org = org, .confidentiality = 0};
	return vis_check(db, who, &r);
}

int gsoc_sensor_get_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	bool revoked;
	int rc = sensor_visible(db, who, id, false, &revoked);
	if (rc != CSHQ_OK)
		return rc;
	return sensor_select(db, id, out);
}

int gsoc_sensor_revoke(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	bool revoked;
	int rc = sensor_visible(db, who, id, true, &revoked);
	if (rc != CSHQ_OK)
		return rc;
	if (revoked)
		return CSHQ_ECONFLICT;
	struct store_stmt *st;
	rc = store_prepare(
	    db, "UPDATE gsoc_sensors SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
	    &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, time_now());
	if (store_step(st) != STORE_DONE)
		return CSHQ_ERR;
	char idtxt[32];
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)id);
	if ((rc = auditlog_append(db, who, "sensor_revoke", "sensor", idtxt, NULL)) != CSHQ_OK)
		return rc;
	return sensor_select(db, id, out);
}

int gsoc_sensor_seen(struct store *db, int64_t id, int64_t since)
{
	struct store_stmt *st;
	int rc = store_prepare(
	    db, "UPDATE gsoc_sensors SET last_seen_at = $2, feed_version = $3 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, id);
	store_bind_int64(st, 2, time_now());
	store_bind_int64(st, 3, since);
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}
