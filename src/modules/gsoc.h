/* gsoc.h: the GSOC centre (spec 30) without HTTP: sensors and their tokens, the versioned
 * indicator set and its feed, alert ingestion, detections and their triage machine,
 * cross-agency campaigns, overview, sensor health and coverage.
 *
 * Every function runs inside the caller's transaction (the request's). Records are shown
 * only through the visibility layer (auth/visibility.h); indicators additionally through
 * gsoc_tlp_allows, the one place that applies TLP to a reader. */
#ifndef CSHQ_GSOC_H
#define CSHQ_GSOC_H

#include <jansson.h>

#include "auth/principal.h"
#include "modules/gsoc_batch.h"
#include "modules/gsoc_ioc.h"
#include "regime/regime.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* ------------------------------------------------------------------ sensors */

/* Sensor tokens: this prefix and 64 hex digits. The prefix keeps them apart from user
 * tokens (64 hex digits): neither resolves where the other is expected. */
#define GSOC_SENSOR_TOKEN_PREFIX "cshqs_"
#define GSOC_SENSOR_NAME_MAX 100
/* A sensor is live when it made a request within this time. */
#define GSOC_LIVE_SECONDS (15 * 60)

/* Who may register and revoke sensors: the administrators and NISC's roles. */
bool gsoc_may_manage_sensors(const struct principal *p);

/* Registers a sensor for org, checked against the regime on date. CSHQ_OK and *out
 * ({id, org, name, token, ...}; the token appears only here). CSHQ_EINVAL: unknown org or
 * bad name (message in err). CSHQ_ECONFLICT: gsoc_monitoring does not cover org on date;
 * *refusal holds the regime's answer (its basis). */
int gsoc_sensor_create(struct store *db, const struct principal *who, const char *org,
                       const char *name, int32_t date, json_t **out, struct regime_answer *refusal,
                       char *err, size_t errlen);
/* Resolves a sensor token into a principal of kind PRINCIPAL_SENSOR (user_id = sensor id,
 * org = the sensor's organisation). Reads only. CSHQ_ENOTFOUND for anything but a current
 * sensor token. */
int gsoc_sensor_resolve(struct store *db, const char *token, struct principal *out);
/* Records a feed poll: the sensor was seen now and holds feed version `since`. Needs a
 * write transaction. (Alert batches record themselves in gsoc_ingest.) */
int gsoc_sensor_seen(struct store *db, int64_t id, int64_t since);
/* Lists sensors the caller may see (org NULL: all of them), with health. */
int gsoc_sensors_list_json(struct store *db, const struct principal *who, const char *org,
                           json_t **out);
/* One sensor with health, or CSHQ_ENOTFOUND when absent or not visible. */
int gsoc_sensor_get_json(struct store *db, const struct principal *who, int64_t id, json_t **out);
/* Revokes a sensor's token. CSHQ_ENOTFOUND, CSHQ_ECONFLICT when already revoked. */
int gsoc_sensor_revoke(struct store *db, const struct principal *who, int64_t id, json_t **out);

/* --------------------------------------------------------------- indicators */

/* Whether TLP lets p receive an indicator (spec 70): CLEAR, GREEN and AMBER go to NISC and
 * to the users and sensors of bodies; AMBER+STRICT stays in the owning organisation; RED
 * goes only to the owning organisation and the organisations named as recipients. A user
 * holding only the admin or delegate role receives none. */
bool gsoc_tlp_allows(const struct principal *p, enum gsoc_tlp tlp, const char *owner_org,
                     const char *recipients);

/* Who may change the indicator set: NISC's roles. */
bool gsoc_may_manage_indicators(const struct principal *p);

#define GSOC_IMPORT_MAX 100000

struct gsoc_indicator_in {
	enum gsoc_ioc_type type;
	char *value;  /* canonical */
	int severity; /* 1..4, 0 = keep (default on creation) */
	bool has_tlp;
	enum gsoc_tlp tlp;
	char *recipients;   /* space-separated org codes (TLP:RED), NULL = none */
	char *source;       /* NULL = keep/empty */
	int confidence;     /* -1 = not given */
	int64_t expires_at; /* 0 = never */
	bool remove;        /* remove instead of adding (STIX revoked) */
	char *external_id;  /* STIX id it came from, NULL otherwise */
};

struct gsoc_import_result {
	int64_t added, updated, removed, unchanged;
	int64_t version; /* the set's version after the import */
};

/* Adds or updates indicators (keyed by type and canonical value); all changes take one new
 * version. items are not freed. CSHQ_OK, or CSHQ_EINVAL (message in err) for an unknown
 * recipient organisation. */
int gsoc_indicators_import(struct store *db, const struct principal *who,
                           const struct gsoc_indicator_in *items, size_t n,
                           struct gsoc_import_result *out, char *err, size_t errlen);
/* Checks and converts the JSON array of spec 80 into items (freed with
 * gsoc_indicator_in_free). CSHQ_EINVAL with a message naming the index. */
int gsoc_indicators_from_json(json_t *arr, struct gsoc_indicator_in **items, size_t *n, char *err,
                              size_t errlen);
void gsoc_indicator_in_free(struct gsoc_indicator_in *items, size_t n);

struct gsoc_indicator_filter {
	const char *type; /* NULL = any */
	const char *q;    /* substring of the value, NULL = any */
	bool include_removed;
	long limit;
	int64_t after_id; /* cursor */
};
/* {"items": [...], "next_cursor"} of the indicators TLP lets the caller receive. */
int gsoc_indicators_list_json(struct store *db, const struct principal *who,
                              const struct gsoc_indicator_filter *f, json_t **out);
/* A STIX 2.1 bundle of the same selection (no paging: every current indicator). */
int gsoc_indicators_stix(struct store *db, const struct principal *who,
                         const struct gsoc_indicator_filter *f, json_t **out);
int gsoc_indicator_get_json(struct store *db, const struct principal *who, int64_t id,
                            json_t **out);
/* Removes an indicator (a new version). CSHQ_ENOTFOUND, CSHQ_ECONFLICT when already
 * removed. */
int gsoc_indicator_remove(struct store *db, const struct principal *who, int64_t id,
                          int64_t *version);

/* Feed answers hold at least this many changes when there are that many, and only whole
 * versions. */
#define GSOC_FEED_PAGE 50000
/* The feed for a sensor: {"version", "added": [...], "removed": [...]} of the changes after
 * version since, as TLP lets the sensor's organisation receive them. */
int gsoc_feed_json(struct store *db, const struct principal *sensor, int64_t since, json_t **out);

/* ---------------------------------------------------------------- ingestion */

struct gsoc_ingest_result {
	int64_t accepted;   /* alerts stored and stats events applied */
	int64_t duplicates; /* alerts already stored for this sensor and seq */
};

/* Stores a parsed batch for the sensor (the organisation is the sensor's): alerts new to
 * (sensor, seq) are inserted and rolled up into detections; stats events update the
 * sensor's health. One pass inside the caller's transaction. */
int gsoc_ingest(struct store *db, const struct principal *sensor, struct gsoc_batch *b,
                struct gsoc_ingest_result *out);

/* --------------------------------------------------------------- detections */

/* Triage states: new -> investigating -> notified -> closed | escalated. */
extern const struct wf_machine gsoc_detection_machine;

struct gsoc_detection_filter {
	const char *org;
	const char *indicator; /* an indicator id, or a value */
	const char *state;
	int32_t day_from, day_to; /* 0 = open */
	long limit;
	int64_t after_id; /* cursor (ids descend) */
};
/* {"items", "next_cursor"}: detections the caller may see. CSHQ_ENOTFOUND when org names
 * an organisation outside the caller's scope. */
int gsoc_detections_list_json(struct store *db, const struct principal *who,
                              const struct gsoc_detection_filter *f, json_t **out);
/* A detection with evidence, allowed_actions and timeline. CSHQ_ENOTFOUND when invisible. */
int gsoc_detection_json(struct store *db, const struct principal *who, int64_t id, json_t **out);

/* Escalation opens a report of module 20 for the detection's organisation, pre-filled
 * (gsoc_report.c). The report is filed by the escalating user under that module's rules.
 * CSHQ_OK and *report_id; CSHQ_ENOTFOUND when the build has no report module;
 * CSHQ_EDENIED when that user may not file for the body (NISC: the caller then keeps the
 * draft and asks the body); CSHQ_EINVAL or CSHQ_ECONFLICT when the module refuses it. */
struct gsoc_report_draft {
	const char *subject_org;
	int item; /* DataProvisionRules 1(1) item, 0 when none applies */
	const char *title;
	const char *summary;
	int64_t occurred_at;
	int64_t detected_at;
	const char *tlp;
	int confidentiality;
	json_t *indicators; /* [{type, value}] observed */
	int64_t detection_id;
};
int gsoc_report_open(struct store *db, const struct principal *who,
                     const struct gsoc_report_draft *draft, int64_t *report_id);

/* -------------------------------------------------------------------- views */

#define GSOC_CAMPAIGN_WINDOW_DEFAULT (24 * 3600)
/* Indicators seen at two or more organisations within window seconds, among detections
 * whose day lies in [day_from, day_to]. The cross-agency view is the centre's:
 * CSHQ_ENOTFOUND for anyone but NISC's roles. */
int gsoc_campaigns_json(struct store *db, const struct principal *who, int64_t window,
                        int32_t day_from, int32_t day_to, json_t **out);
/* Detections and alerts per day and per organisation over [day_from, day_to], of what the
 * caller may see; plus the number of campaigns for NISC. */
int gsoc_overview_json(struct store *db, const struct principal *who, int32_t day_from,
                       int32_t day_to, json_t **out);
/* The bodies gsoc_monitoring covers on date, within the caller's scope, each with its
 * sensors and whether one is live. */
int gsoc_coverage_json(struct store *db, const struct principal *who, int32_t date, json_t **out);

#endif
