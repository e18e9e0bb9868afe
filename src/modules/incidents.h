/* incidents.h: incident reports and specified major incident cases (spec 20).
 *
 * A report (資料提供, Act 31; DataProvisionRules 1) is material about an event at one body
 * (the subject). Its route comes from the regime engine (mandatory_reporting): a ministry's
 * report reaches NISC directly; an IAI's, designated corporation's or CI operator's waits
 * at the supervising ministry until a user there forwards it. NISC triages it and may
 * confirm a specified major incident (MajorIncidentRules 1), which opens a case with the
 * four stages of Art. 3(1) and the steps of Arts. 4-9. Both are machines of the one
 * workflow engine (report_machine, case_machine: tables in reports.c and cases.c), so
 * every step checks visibility, role, party, input and the regime's guard, and appends
 * its timeline entry with basis, its log entry and its notices in the request's
 * transaction.
 *
 * Ids of reports, cases and notices are int64 in the store and strings in JSON (spec 80:
 * "case": "<id>"). Functions run inside the caller's transaction; failures that the
 * caller must answer carry a status, a detail and maybe a basis in struct inc_error. */
#ifndef CSHQ_INCIDENTS_H
#define CSHQ_INCIDENTS_H

#include <jansson.h>

#include "auth/principal.h"
#include "core/buf.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* A refusal to answer: HTTP status (4xx, or 500), detail, and the citations (a jansson
 * array, owned; NULL when no rule of the regime is the cause). */
struct inc_error {
	int status;
	char detail[300];
	json_t *basis;
};
void inc_error_release(struct inc_error *e);
/* Sets e from a failed wf_apply / wf_load_visible. */
void inc_error_from_wf(struct inc_error *e, const struct wf_ctx *ctx);

extern const struct wf_machine report_machine;
extern const struct wf_machine case_machine;

/* Limits of the fields (bytes). */
#define INC_TITLE_MAX 300
#define INC_TEXT_MAX 20000
#define INC_LIST_MAX 100
#define INC_ATTACHMENT_MAX (1024 * 1024)

/* ---- reports (reports.c) */

/* Files a draft report from the body of POST /reports (spec 80). The caller must be a user
 * of the subject, or of a ministry supervising it, with role csirt, ciso or staff.
 * CSHQ_OK and *id; otherwise e is set (422 bad input, 403 not a filer for that subject,
 * 409 when the regime does not place the event under that item, with basis). */
int report_create(struct store *db, const struct principal *who, json_t *in, int64_t *id,
		  struct inc_error *e);

/* The record JSON of a loaded report (ctx from wf_load_visible or wf_apply on
 * report_machine): fields, route, updates, attachments, allowed_actions, timeline. */
int report_record_json(struct wf_ctx *ctx, json_t **out);

struct report_filter {
	const char *subject; /* NULL = any */
	const char *state;   /* NULL = any */
	int item;            /* 0 = any */
	bool has_from, has_to;
	int32_t from, to;    /* JST dates of occurrence, inclusive */
	long limit;
	int64_t before;      /* cursor: ids below this one; 0 = from the newest */
};
/* {"items": [...], "next_cursor"} of the reports the caller may see, newest first. */
int report_list(struct store *db, const struct principal *who, const struct report_filter *f,
		json_t **out);

/* Appends a free-form update (a report is a living record). */
int report_add_update(struct store *db, const struct principal *who, int64_t id,
		      const char *text, struct inc_error *e);
/* Stores an attachment by SHA-256 after checking its size and that its bytes match the
 * declared type. *out is the attachment's JSON. */
int report_attach(struct store *db, const struct principal *who, int64_t id,
		  const char *filename, const char *content_type, const void *data, size_t len,
		  json_t **out, struct inc_error *e);
/* An attachment's bytes into body, its type (static string) into *content_type. */
int report_attachment_get(struct store *db, const struct principal *who, int64_t id,
			  const char *sha256, const char **content_type, struct buf *body,
			  struct inc_error *e);

/* The RSIT classification list (class -> types) as data: [{"class", "label_ja", "types":
 * [{"type", "label_ja"}]}]. */
json_t *rsit_json(void);
bool rsit_valid(const char *cls, const char *type);

/* TLP 2.0 labels. */
bool tlp_valid(const char *tlp);
/* Whether the caller may take a document of this record out of the platform (spec 70):
 * TLP:RED and TLP:AMBER+STRICT stay with the subject organisation's own users. */
bool inc_export_allowed(const struct principal *who, const char *subject, const char *tlp);

/* ---- cases (cases.c) */

/* Opens the case of a confirmed report (the effect of confirm_major; report_ctx is the
 * report's step, occurred_date the JST day of the event); *case_id. */
int case_open(struct wf_ctx *report_ctx, int32_t occurred_date, int64_t *case_id);

/* The record JSON of a loaded case: fields, stage durations against their targets,
 * allowed_actions, timeline. */
int case_record_json(struct wf_ctx *ctx, json_t **out);

struct case_filter {
	const char *subject;
	const char *state;
	bool overdue; /* only open cases past the target of their current stage */
	long limit;
	int64_t before;
};
int case_list(struct store *db, const struct principal *who, const struct case_filter *f,
	      json_t **out);

/* Target durations per stage in hours (settings; the rules set none). 0 = none. */
#define CASE_STAGES 4
int case_targets_get(struct store *db, int64_t hours[CASE_STAGES]);
/* admin or nisc_director only (CSHQ_EDENIED otherwise); logged. */
int case_targets_set(struct store *db, const struct principal *who, const int64_t hours[CASE_STAGES]);
const char *case_stage_label_ja(int stage);
const char *case_state_label_ja(const char *state);
const char *report_state_label_ja(const char *state);

/* ---- notifications (notices.c) */

struct notice_filter {
	const char *record_kind; /* "case" / "report" / NULL */
	int64_t record_id;
	bool unread;
	long limit;
	int64_t before;
};
/* The inbox: notices addressed to the caller's organisation; NISC sees all. When the filter
 * names a record, the record must be visible to the caller (CSHQ_ENOTFOUND otherwise). */
int notices_list(struct store *db, const struct principal *who, const struct notice_filter *f,
		 json_t **out);
/* Marks a notice addressed to the caller's organisation as read (idempotent); *out the
 * notice. CSHQ_ENOTFOUND when not visible, CSHQ_EDENIED when visible but addressed to
 * another organisation. */
int notice_mark_read(struct store *db, const struct principal *who, int64_t id, json_t **out);

/* Sends one notice (notice_send) and records {to_org, subject} in detail.notices (detail
 * may be NULL). */
int inc_notice(struct store *db, json_t *detail, const char *to_org, const char *subject_ja,
	       const char *kind, int64_t id, json_t *basis);
/* Sends a step's notices to "the head of the organisation" as regime_heads answers for
 * MajorIncidentRules `article`, the subject and the date (Art. 4: for an IAI or designated
 * corporation the supervising ministry's head and its own; Art. 8: the ministry's only),
 * each with the article's basis. CSHQ_ECONFLICT when the subject is not a 行政機関等 on
 * that date and not on fallback_date either. */
int case_notify_heads(struct store *db, int32_t date, int32_t fallback_date, json_t *detail,
		      const char *subject_org, int article, const char *subject_ja, int64_t case_id);

/* ---- exports (incidents_export.c) */

/* The PDF of a loaded report / case (Japanese, with the timeline and the basis of each
 * step), appended to out. */
int report_export_pdf(struct wf_ctx *ctx, struct buf *out);
int case_export_pdf(struct wf_ctx *ctx, struct buf *out);

/* ---- shared helpers */

/* Strict decimal id (1..INT64_MAX) or -1. */
int64_t inc_parse_id(const char *s);
json_t *inc_id_json(int64_t id);
/* RFC 3339 (JST) of an instant, or JSON null for 0. */
json_t *inc_time_json(int64_t t);
/* A text field of in: NULL when absent; e set (422) and *ok false when present but not a
 * string, empty (when required), invalid or longer than max bytes. */
const char *inc_text(json_t *in, const char *key, bool required, size_t max, bool *ok,
		     struct inc_error *e);
/* Appends {"at","actor","org","kind","body"} updates of a report to arr. */
int report_updates_json(struct store *db, int64_t id, json_t **out);

#endif
