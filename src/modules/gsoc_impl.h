/* gsoc_impl.h: helpers shared by the gsoc_*.c files; not part of the module's interface. */
#ifndef CSHQ_GSOC_IMPL_H
#define CSHQ_GSOC_IMPL_H

#include "core/buf.h"
#include "modules/gsoc.h"

/* Finishes a statement that may still have rows. */
void gsoc_drain(struct store_stmt *st);

/* Binds the principal's organisation and user id to the parameters a visibility condition
 * (vis_list_condition) refers to, when the SQL text refers to them: PostgreSQL refuses
 * parameters the SQL does not use. */
void gsoc_bind_vis(struct store_stmt *st, const char *sql, const struct principal *who,
                   int org_param, int user_param);
/* Whether sql refers to $n (and not to $n0...). */
bool gsoc_sql_uses(const char *sql, int n);

/* RFC 3339 (JST) of an instant, or JSON null for 0/absent. */
json_t *gsoc_time_json(int64_t t);
json_t *gsoc_time_col(struct store_stmt *st, int col);
json_t *gsoc_date_json(int32_t day);

/* Basis of the monitoring itself (Act 13), resolved on date. */
json_t *gsoc_basis_json(int32_t date);

/* A sensor's health answer for the row selected with GSOC_SENSOR_COLUMNS. */
#define GSOC_SENSOR_COLUMNS                                                                        \
	"s.id, s.org, s.name, s.created_at, s.created_by, s.revoked_at, s.last_seen_at, "          \
	"s.last_alert_at, s.alerts_total, s.stats_at, s.uptime, s.kernel_packets, "                \
	"s.kernel_drops, s.spool_batches, s.spool_bytes, s.spool_dropped, s.feed_version"
json_t *gsoc_sensor_row_json(struct store_stmt *st, int64_t now);

/* The detection row of GSOC_DETECTION_COLUMNS as JSON, with the indicator value withheld
 * when TLP does not let the caller receive it. */
#define GSOC_DETECTION_COLUMNS                                                                     \
	"d.id, d.org, d.indicator_type, d.indicator_value, d.day, d.indicator_id, d.tlp, "         \
	"d.severity, d.first_seen, d.last_seen, d.alerts, d.state, d.resolution, "                 \
	"d.report_id, d.created_at, d.updated_at, i.owner_org, i.recipients"
#define GSOC_DETECTION_FROM "gsoc_detections d LEFT JOIN gsoc_indicators i ON i.id = d.indicator_id"
json_t *gsoc_detection_row_json(struct store_stmt *st, const struct principal *who);

/* Whether TLP lets the organisation org (its users, sensors, CSIRT) receive the value. */
bool gsoc_tlp_allows_org(const char *org, enum gsoc_tlp tlp, const char *owner_org,
                         const char *recipients);
/* Appends to sql the same rule as an SQL condition on the columns given, for the
 * principal; the organisation is bound as $org_param by gsoc_tlp_bind (when used). */
int gsoc_tlp_condition(const struct principal *who, const char *tlp_col, const char *owner_col,
                       const char *recip_col, int org_param, struct buf *sql);
void gsoc_tlp_bind(struct store_stmt *st, const char *sql, const struct principal *who,
                   int org_param);
/* A random UUID (version 4), "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (37 bytes). */
void gsoc_uuid4(char out[37]);
/* Escapes % _ and \ for LIKE ... ESCAPE '\' and wraps the text as "%text%" or as asked. */
void gsoc_like_pattern(const char *prefix, const char *text, const char *suffix, struct buf *out);

#endif
