/* gsoc_detections.c: detections and their triage machine (spec 30), run by the workflow
 * engine: new -> investigating -> notified -> closed | escalated. Notification sends the
 * organisation's CSIRT a notice with the evidence; escalation opens a pre-filled report of
 * module 20. Evidence respects TLP: an indicator value TLP does not let a reader (or the
 * notified body) receive is withheld, together with the matched values that would repeat
 * it; times, counts and the addresses of the body's own traffic remain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/visibility.h"
#include "core/timeutil.h"
#include "modules/gsoc_impl.h"
#include "modules/registry.h"

#define ACT13                                                                                      \
	{                                                                                          \
		{                                                                                  \
			"Act", "13", 0, 0                                                          \
		}                                                                                  \
	}
#define BODY_ROLES (ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_CISO))

/* What a step sees of the detection. */
struct detection {
	int64_t id;
	char org[33];
	char type[24];
	char *value;
	int32_t day;
	bool central;
	char tlp[24];
	char owner[33];
	char *recipients;
	int severity;
	int64_t first, last, alerts, created;
};

static bool value_allowed_org(const struct detection *d, const char *org, bool nisc)
{
	enum gsoc_tlp t = GSOC_TLP_RED;
	gsoc_tlp_parse(d->tlp, &t);
	/* an indicator from the sensor's own list (not the centre's) is known to the centre
	 * and to the body whose gateway holds it */
	if (!d->central)
		return nisc || strcmp(org, d->org) == 0 || t <= GSOC_TLP_AMBER;
	return gsoc_tlp_allows_org(org, t, d->owner, d->recipients);
}

/* Whether every reader of the detection's timeline and of a report about it (the body, its
 * supervising ministries, NISC) may receive the value: TLP:AMBER and below. */
static bool shareable(const struct detection *d)
{
	enum gsoc_tlp t = GSOC_TLP_RED;
	gsoc_tlp_parse(d->tlp, &t);
	return t <= GSOC_TLP_AMBER;
}

static bool value_allowed(const struct detection *d, const struct principal *who)
{
	if (who->kind != PRINCIPAL_USER ||
	    !(who->roles & ~(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DELEGATE))))
		return false;
	return value_allowed_org(d, who->org, principal_is_nisc(who));
}

static int load(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->db,
	                       "SELECT d.org, d.state, d.indicator_type, d.indicator_value, d.day, "
	                       "d.indicator_id, d.tlp, "
	                       "i.owner_org, i.recipients, d.severity, d.first_seen, d.last_seen, "
	                       "d.alerts, d.created_at "
	                       "FROM " GSOC_DETECTION_FROM " WHERE d.id = $1",
	                       &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	rc = store_step(st);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? CSHQ_ENOTFOUND : CSHQ_ERR;
	struct detection *d = xcalloc(1, sizeof(*d));
	d->id = ctx->id;
	snprintf(d->org, sizeof(d->org), "%s", store_column_text(st, 0));
	snprintf(ctx->subject_org, sizeof(ctx->subject_org), "%s", d->org);
	snprintf(ctx->state, sizeof(ctx->state), "%s", store_column_text(st, 1));
	snprintf(d->type, sizeof(d->type), "%s", store_column_text(st, 2));
	d->value = xstrdup(store_column_text(st, 3));
	d->day = (int32_t)store_column_int64(st, 4);
	d->central = !store_column_is_null(st, 5) && store_column_text(st, 7);
	snprintf(d->tlp, sizeof(d->tlp), "%s", store_column_text(st, 6));
	snprintf(d->owner, sizeof(d->owner), "%s",
	         store_column_text(st, 7) ? store_column_text(st, 7) : "");
	d->recipients = xstrdup(store_column_text(st, 8) ? store_column_text(st, 8) : "");
	d->severity = (int)store_column_int64(st, 9);
	d->first = store_column_int64(st, 10);
	d->last = store_column_int64(st, 11);
	d->alerts = store_column_int64(st, 12);
	d->created = store_column_int64(st, 13);
	gsoc_drain(st);
	ctx->confidentiality = 2;
	ctx->record = d;
	return CSHQ_OK;
}

static void unload(struct wf_ctx *ctx)
{
	struct detection *d = ctx->record;
	if (d) {
		free(d->value);
		free(d->recipients);
		free(d);
	}
	ctx->record = NULL;
}

/* ------------------------------------------------------------- evidence */

/* {"indicator", "day", "first_seen", "last_seen", "alerts", "sensors", "samples"} as the
 * reader may receive it. */
static int evidence_json(struct store *db, const struct detection *d, bool allowed, int samples,
                         json_t **out)
{
	json_t *ind = json_object();
	json_object_set_new(ind, "type", json_string(d->type));
	json_object_set_new(ind, "value", allowed ? json_string(d->value) : json_null());
	json_object_set_new(ind, "withheld", json_boolean(!allowed));
	json_object_set_new(ind, "tlp", json_string(d->tlp));
	json_object_set_new(ind, "severity", json_string(gsoc_severity_name(d->severity)));
	json_t *e = json_object();
	json_object_set_new(e, "indicator", ind);
	json_object_set_new(e, "day", gsoc_date_json(d->day));
	json_object_set_new(e, "first_seen", gsoc_time_json(d->first));
	json_object_set_new(e, "last_seen", gsoc_time_json(d->last));
	json_object_set_new(e, "alerts", json_integer(d->alerts));
	struct store_stmt *st;
	int rc = store_prepare(
	    db,
	    "SELECT a.sensor_id, s.name, count(*) FROM gsoc_alerts a JOIN gsoc_sensors s ON s.id = "
	    "a.sensor_id "
	    "WHERE a.detection_id = $1 GROUP BY a.sensor_id, s.name ORDER BY a.sensor_id",
	    &st);
	json_t *sensors = json_array(), *list = json_array();
	json_object_set_new(e, "sensors", sensors);
	json_object_set_new(e, "samples", list);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, d->id);
		while ((rc = store_step(st)) == STORE_ROW)
			json_array_append_new(sensors,
			                      json_pack("{s:I, s:s, s:I}", "id",
			                                (json_int_t)store_column_int64(st, 0),
			                                "name", store_column_text(st, 1), "alerts",
			                                (json_int_t)store_column_int64(st, 2)));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc == CSHQ_OK)
		rc = store_prepare(
		    db,
		    "SELECT at, matched_value, src_ip, src_port, dest_ip, dest_port, proto, "
		    "app_proto, sensor_id "
		    "FROM gsoc_alerts WHERE detection_id = $1 ORDER BY at DESC, seq DESC LIMIT $2",
		    &st);
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, d->id);
		store_bind_int64(st, 2, samples);
		while ((rc = store_step(st)) == STORE_ROW) {
			json_t *a = json_object();
			json_object_set_new(a, "at", gsoc_time_json(store_column_int64(st, 0)));
			json_object_set_new(a, "matched_value",
			                    allowed ? json_string(store_column_text(st, 1))
			                            : json_null());
			const char *names[] = {"src_ip",    "src_port", "dest_ip",
			                       "dest_port", "proto",    "app_proto"};
			for (int c = 0; c < 6; c++) {
				json_t *v = store_column_is_null(st, 2 + c) ? json_null()
				            : (c == 1 || c == 3)
				                ? json_integer(store_column_int64(st, 2 + c))
				                : json_string(store_column_text(st, 2 + c));
				json_object_set_new(a, names[c], v);
			}
			json_object_set_new(a, "sensor", json_integer(store_column_int64(st, 8)));
			json_array_append_new(list, a);
		}
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	if (rc != CSHQ_OK) {
		json_decref(e);
		return rc;
	}
	*out = e;
	return CSHQ_OK;
}

/* --------------------------------------------------------------- steps */

static bool only_keys(struct wf_ctx *ctx, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(ctx->input, k, v)
	{
		bool ok = false;
		for (const char *const *a = keys; *a; a++)
			ok |= strcmp(*a, k) == 0;
		if (!ok) {
			char m[160];
			snprintf(m, sizeof(m), "unknown field \"%.100s\"", k);
			wf_refuse(ctx, 422, m, NULL, 0);
			return false;
		}
	}
	return true;
}

/* An optional text field of at most max bytes, copied into the timeline detail. */
static bool text_field(struct wf_ctx *ctx, const char *key, size_t max)
{
	json_t *v = json_object_get(ctx->input, key);
	if (!v)
		return true;
	if (!json_is_string(v) || json_string_length(v) > max) {
		char m[120];
		snprintf(m, sizeof(m), "%s: a text of at most %zu bytes", key, max);
		wf_refuse(ctx, 422, m, NULL, 0);
		return false;
	}
	json_object_set(ctx->detail, key, v);
	return true;
}

static int check_comment(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"comment", NULL};
	if (!only_keys(ctx, keys) || !text_field(ctx, "comment", 4000))
		return CSHQ_EINVAL;
	return CSHQ_OK;
}

static int check_notify(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"message", NULL};
	if (!only_keys(ctx, keys) || !text_field(ctx, "message", 4000))
		return CSHQ_EINVAL;
	return CSHQ_OK;
}

static const char *const resolutions[] = {"false_positive", "benign", "resolved", NULL};

static int check_close(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"resolution", "comment", NULL};
	if (!only_keys(ctx, keys) || !text_field(ctx, "comment", 4000))
		return CSHQ_EINVAL;
	const char *r = json_string_value(json_object_get(ctx->input, "resolution"));
	for (const char *const *a = resolutions; r && *a; a++)
		if (strcmp(*a, r) == 0) {
			json_object_set_new(ctx->detail, "resolution", json_string(r));
			return CSHQ_OK;
		}
	return wf_refuse(ctx, 422, "resolution: false_positive, benign or resolved", NULL, 0);
}

static int check_escalate(struct wf_ctx *ctx)
{
	static const char *const keys[] = {"comment", "title", NULL};
	if (!only_keys(ctx, keys) || !text_field(ctx, "comment", 4000) ||
	    !text_field(ctx, "title", 300))
		return CSHQ_EINVAL;
	return CSHQ_OK;
}

static int effect_close(struct wf_ctx *ctx)
{
	struct store_stmt *st;
	int rc =
	    store_prepare(ctx->db, "UPDATE gsoc_detections SET resolution = $2 WHERE id = $1", &st);
	if (rc != CSHQ_OK)
		return rc;
	store_bind_int64(st, 1, ctx->id);
	store_bind_text(st, 2, json_string_value(json_object_get(ctx->detail, "resolution")));
	return store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
}

/* A one-line summary for the notice and the report, as the body may receive it. */
static void summary_line(const struct detection *d, bool allowed, char *out, size_t n)
{
	char day[11], first[26], last[26];
	date_format(d->day, day);
	time_format_rfc3339(d->first, first);
	time_format_rfc3339(d->last, last);
	snprintf(out, n,
	         "[%s] GSOC detection #%lld at %s: %s %s, %lld alert%s on %s (first %s, last %s)",
	         d->tlp, (long long)d->id, d->org, d->type,
	         allowed ? d->value : "(value withheld under its TLP)", (long long)d->alerts,
	         d->alerts == 1 ? "" : "s", day, first, last);
}

static int effect_notify(struct wf_ctx *ctx)
{
	const struct detection *d = ctx->record;
	/* the notice goes to the body alone; the timeline is read by its ministries too */
	json_t *ev;
	int rc = evidence_json(ctx->db, d, shareable(d), 10, &ev);
	if (rc != CSHQ_OK)
		return rc;
	char subject[GSOC_VALUE_MAX + 400];
	summary_line(d, value_allowed_org(d, d->org, false), subject, sizeof(subject));
	json_t *basis = wf_cites_json(ctx->step->basis, 3, ctx->date);
	rc = notice_send(ctx->db, d->org, "csirt", subject, "detection", d->id, basis);
	json_decref(basis);
	json_object_set_new(ctx->detail, "notice",
	                    json_pack("{s:s, s:s}", "to_org", d->org, "to_role", "csirt"));
	json_object_set_new(ctx->detail, "evidence", ev);
	return rc;
}

static int effect_escalate(struct wf_ctx *ctx)
{
	const struct detection *d = ctx->record;
	bool allowed = shareable(d); /* a report travels through the supervising ministry */
	char summary[GSOC_VALUE_MAX + 400], title[400];
	summary_line(d, allowed, summary, sizeof(summary));
	const char *t = json_string_value(json_object_get(ctx->input, "title"));
	snprintf(title, sizeof(title), "%s", t ? t : "GSOC detection escalated");
	struct registry_subject subj;
	int rc = registry_subject(ctx->db, d->org, ctx->date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	json_t *inds = json_array();
	if (allowed)
		json_array_append_new(inds,
		                      json_pack("{s:s, s:s}", "type", d->type, "value", d->value));
	struct gsoc_report_draft draft = {
	    .subject_org = d->org,
	    .item = regime_report_item(&subj.facts, ctx->date),
	    .title = title,
	    .summary = summary,
	    .occurred_at = d->first,
	    .detected_at = d->created,
	    .tlp = d->tlp,
	    .confidentiality = 2,
	    .indicators = inds,
	    .detection_id = d->id,
	};
	int64_t report = 0;
	rc = gsoc_report_open(ctx->db, ctx->who, &draft,
	                      &report); /* CSHQ_ENOTFOUND: no report module */
	if (rc == CSHQ_OK) {
		struct store_stmt *st;
		if ((rc = store_prepare(ctx->db,
		                        "UPDATE gsoc_detections SET report_id = $2 WHERE id = $1",
		                        &st)) == CSHQ_OK) {
			store_bind_int64(st, 1, d->id);
			store_bind_int64(st, 2, report);
			rc = store_step(st) == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
		}
		json_object_set_new(ctx->detail, "report", json_integer(report));
	} else if (rc == CSHQ_ENOTFOUND || rc == CSHQ_EDENIED) {
		/* no report module, or the escalating user may not file for the body (NISC):
		 * the draft stays in the timeline and the body's CSIRT is asked to file it */
		char occurred[26], detected[26], subject[GSOC_VALUE_MAX + 500];
		time_format_rfc3339(draft.occurred_at, occurred);
		time_format_rfc3339(draft.detected_at, detected);
		json_object_set_new(ctx->detail, "report", json_null());
		json_object_set_new(ctx->detail, "report_draft",
		                    json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:O}",
		                              "subject", d->org, "item", draft.item, "title", title,
		                              "summary", summary, "occurred_at", occurred,
		                              "detected_at", detected, "tlp", d->tlp,
		                              "confidentiality", 2, "indicators", inds));
		snprintf(subject, sizeof(subject),
		         "NISC asks for a report on GSOC detection #%lld (the draft is in the "
		         "detection's timeline): %s",
		         (long long)d->id, summary);
		json_t *basis = wf_cites_json(ctx->step->basis, 3, ctx->date);
		rc = notice_send(ctx->db, d->org, "csirt", subject, "detection", d->id, basis);
		json_decref(basis);
	} else if (rc == CSHQ_EINVAL || rc == CSHQ_ECONFLICT) {
		wf_refuse(ctx, 409, "the incidents module refused the pre-filled report", NULL, 0);
	}
	json_decref(inds);
	return rc;
}

#define STEP(f, a, t, r, p, chk, eff, ja, en)                                                      \
	{                                                                                          \
		.from = f, .action = a, .to = t, .roles = r, .party = p, .check_input = chk,       \
		.effect = eff, .basis = ACT13, .label_ja = ja, .label_en = en                      \
	}

static const struct wf_transition steps[] = {
    STEP("new", "investigate", "investigating", ROLES_NISC, WF_PARTY_NISC, check_comment, NULL,
         "調査開始", "Start investigating"),
    STEP("investigating", "notify", "notified", ROLES_NISC, WF_PARTY_NISC, check_notify,
         effect_notify, "CSIRTへ通知", "Notify the body's CSIRT"),
    STEP("new", "close", "closed", ROLES_NISC, WF_PARTY_NISC, check_close, effect_close, "終了",
         "Close"),
    STEP("investigating", "close", "closed", ROLES_NISC, WF_PARTY_NISC, check_close, effect_close,
         "終了", "Close"),
    STEP("notified", "close", "closed", ROLES_NISC, WF_PARTY_NISC, check_close, effect_close,
         "終了", "Close"),
    /* the notified body may close it once it has dealt with it */
    STEP("notified", "close", "closed", BODY_ROLES, WF_PARTY_SUBJECT, check_close, effect_close,
         "終了", "Close"),
    STEP("investigating", "escalate", "escalated", ROLES_NISC, WF_PARTY_NISC, check_escalate,
         effect_escalate, "報告へ移行", "Escalate to a report"),
    STEP("notified", "escalate", "escalated", ROLES_NISC, WF_PARTY_NISC, check_escalate,
         effect_escalate, "報告へ移行", "Escalate to a report"),
    /* or the notified body turns it into its own report */
    STEP("notified", "escalate", "escalated", BODY_ROLES, WF_PARTY_SUBJECT, check_escalate,
         effect_escalate, "報告へ移行", "Escalate to a report"),
};

static const char *const final_states[] = {"closed", "escalated", NULL};

const struct wf_machine gsoc_detection_machine = {
    .kind = "detection",
    .table = "gsoc_detections",
    .steps = steps,
    .n_steps = CSHQ_ARRAY_LEN(steps),
    .final_states = final_states,
    .load = load,
    .unload = unload,
};

static const char *const states[] = {"new",    "investigating", "notified",
                                     "closed", "escalated",     NULL};

/* ---------------------------------------------------------------- reads */

json_t *gsoc_detection_row_json(struct store_stmt *st, const struct principal *who)
{
	struct detection d = {0};
	d.id = store_column_int64(st, 0);
	snprintf(d.org, sizeof(d.org), "%s", store_column_text(st, 1));
	snprintf(d.tlp, sizeof(d.tlp), "%s", store_column_text(st, 6));
	d.central = !store_column_is_null(st, 5) && store_column_text(st, 16);
	snprintf(d.owner, sizeof(d.owner), "%s",
	         store_column_text(st, 16) ? store_column_text(st, 16) : "");
	d.recipients = (char *)(store_column_text(st, 17) ? store_column_text(st, 17) : "");
	bool allowed = value_allowed(&d, who);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(d.id));
	json_object_set_new(o, "org", json_string(d.org));
	json_t *ind = json_object();
	json_object_set_new(ind, "type", json_string(store_column_text(st, 2)));
	json_object_set_new(ind, "value",
	                    allowed ? json_string(store_column_text(st, 3)) : json_null());
	json_object_set_new(ind, "withheld", json_boolean(!allowed));
	json_object_set_new(ind, "id",
	                    store_column_is_null(st, 5) ? json_null()
	                                                : json_integer(store_column_int64(st, 5)));
	json_object_set_new(ind, "tlp", json_string(d.tlp));
	json_object_set_new(ind, "severity",
	                    json_string(gsoc_severity_name((int)store_column_int64(st, 7))));
	json_object_set_new(o, "indicator", ind);
	json_object_set_new(o, "day", gsoc_date_json((int32_t)store_column_int64(st, 4)));
	json_object_set_new(o, "first_seen", gsoc_time_json(store_column_int64(st, 8)));
	json_object_set_new(o, "last_seen", gsoc_time_json(store_column_int64(st, 9)));
	json_object_set_new(o, "alerts", json_integer(store_column_int64(st, 10)));
	json_object_set_new(o, "state", json_string(store_column_text(st, 11)));
	const char *res = store_column_text(st, 12);
	json_object_set_new(o, "resolution", res ? json_string(res) : json_null());
	json_object_set_new(
	    o, "report",
	    store_column_is_null(st, 13) ? json_null() : json_integer(store_column_int64(st, 13)));
	json_object_set_new(o, "created_at", gsoc_time_json(store_column_int64(st, 14)));
	json_object_set_new(o, "updated_at", gsoc_time_json(store_column_int64(st, 15)));
	return o;
}

static bool all_digits(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int gsoc_detections_list_json(struct store *db, const struct principal *who,
                              const struct gsoc_detection_filter *f, json_t **out)
{
	int rc;
	if (f->org && *f->org) {
		bool in = false;
		if ((rc = vis_org_in_scope(db, who, f->org, &in)) != CSHQ_OK)
			return rc;
		if (!in)
			return CSHQ_ENOTFOUND;
	}
	if (f->state && *f->state) {
		bool known = false;
		for (const char *const *s = states; *s; s++)
			known |= strcmp(*s, f->state) == 0;
		if (!known)
			return CSHQ_EINVAL;
	}
	struct buf sql = BUF_INIT(8192);
	buf_puts(
	    &sql,
	    "SELECT " GSOC_DETECTION_COLUMNS " FROM " GSOC_DETECTION_FROM
	    " WHERE ($1 = '' OR d.org = $1) AND (CAST($2 AS BIGINT) = 0 OR d.indicator_id = $2) "
	    "AND ($3 = '' OR d.indicator_value = $3) AND ($4 = '' OR d.state = $4) "
	    "AND d.day >= $5 AND d.day <= $6 AND (CAST($7 AS BIGINT) = 0 OR d.id < $7) AND ");
	rc = vis_list_condition(who, "detection", "d.org", "d.id", NULL, 9, 10, &sql);
	if (rc == CSHQ_OK)
		rc = buf_puts(&sql, " ORDER BY d.id DESC LIMIT $8");
	struct store_stmt *st = NULL;
	if (rc == CSHQ_OK)
		rc = store_prepare(db, buf_cstr(&sql), &st);
	if (rc != CSHQ_OK) {
		buf_release(&sql);
		return rc;
	}
	bool by_id = all_digits(f->indicator);
	store_bind_text(st, 1, f->org ? f->org : "");
	store_bind_int64(st, 2, by_id ? strtoll(f->indicator, NULL, 10) : 0);
	store_bind_text(st, 3, !by_id && f->indicator ? f->indicator : "");
	store_bind_text(st, 4, f->state ? f->state : "");
	store_bind_int64(st, 5, f->day_from);
	store_bind_int64(st, 6, f->day_to ? f->day_to : INT32_MAX);
	store_bind_int64(st, 7, f->after_id);
	store_bind_int64(st, 8, f->limit + 1);
	gsoc_bind_vis(st, buf_cstr(&sql), who, 9, 10);
	buf_release(&sql);
	json_t *items = json_array();
	long n = 0;
	int64_t last = 0;
	bool more = false;
	while ((rc = store_step(st)) == STORE_ROW) {
		if (n == f->limit) {
			more = true;
			continue;
		}
		json_array_append_new(items, gsoc_detection_row_json(st, who));
		last = store_column_int64(st, 0);
		n++;
	}
	if (rc != STORE_DONE) {
		json_decref(items);
		return CSHQ_ERR;
	}
	char cur[32];
	snprintf(cur, sizeof(cur), "%lld", (long long)last);
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
	                 more ? json_string(cur) : json_null());
	return CSHQ_OK;
}

int gsoc_detection_json(struct store *db, const struct principal *who, int64_t id, json_t **out)
{
	struct wf_ctx ctx;
	int rc = wf_load_visible(db, who, &gsoc_detection_machine, id, &ctx);
	if (rc != CSHQ_OK) {
		wf_ctx_release(&ctx);
		return rc;
	}
	const struct detection *d = ctx.record;
	struct store_stmt *st;
	rc = store_prepare(
	    db, "SELECT " GSOC_DETECTION_COLUMNS " FROM " GSOC_DETECTION_FROM " WHERE d.id = $1",
	    &st);
	json_t *o = NULL;
	if (rc == CSHQ_OK) {
		store_bind_int64(st, 1, id);
		if (store_step(st) == STORE_ROW) {
			o = gsoc_detection_row_json(st, who);
			gsoc_drain(st);
		} else {
			rc = CSHQ_ERR;
		}
	}
	json_t *ev = NULL, *timeline = NULL;
	if (rc == CSHQ_OK)
		rc = evidence_json(db, d, value_allowed(d, who), 20, &ev);
	if (rc == CSHQ_OK)
		rc = wf_timeline_json(db, "detection", id, &timeline);
	if (rc == CSHQ_OK) {
		json_object_set_new(o, "sensors", json_incref(json_object_get(ev, "sensors")));
		json_object_set_new(o, "evidence", json_incref(json_object_get(ev, "samples")));
		json_object_set_new(o, "allowed_actions", wf_allowed_actions(&ctx));
		json_object_set_new(o, "timeline", timeline);
		*out = o;
		o = NULL;
	}
	json_decref(ev);
	json_decref(o);
	wf_ctx_release(&ctx);
	return rc;
}
