/* risk.h: risk assessment against advanced cyber attacks (spec 60, RiskGuideline).
 *
 * Reference data: versioned countermeasure sets issued by NISC (attack scenarios -> control
 * objectives -> countermeasures -> the system components each applies to), with a diff
 * between versions.
 *
 * One assessment cycle per body and fiscal year, run by the workflow engine
 * (risk_machine): ten steps in the guideline's order, each by the department role the
 * guideline names, each citing its provision. The worksheet is kept as rows
 * (risk_domains, risk_systems, risk_checks, risk_plan_items) and handled in memory as one
 * canonical JSON document:
 *
 *   {"domains": [{"name", "reason", "categories": [..], "impact", "protected"}],
 *    "systems": [{"name", "domain", "criterion", "components": [..], "built_on",
 *                 "air_gapped_counterpart", "pulled_in_by", "residual_risk",
 *                 "checks": [{"countermeasure", "component", "implemented"}],
 *                 "plan": null | [{"countermeasure", "fiscal_year"}], "plan_review"}]}
 *
 * with every array in a fixed order (names, then ids), so that its serialisation is
 * canonical: the CISO's approval is bound to the SHA-256 of that serialisation (with the
 * body, fiscal year and set version), and any later change voids it. */
#ifndef CSHQ_RISK_H
#define CSHQ_RISK_H

#include <jansson.h>

#include "auth/principal.h"
#include "core/buf.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* ---- countermeasure sets (risk_set.c) ---- */

#define RISK_VERSION_MAX 32
#define RISK_ID_MAX 64
#define RISK_TITLE_MAX 1000

/* One (countermeasure, component) pair of a set, with its objective and scenario. */
struct risk_item {
	const char *countermeasure, *component, *objective, *scenario;
	const char *cm_title, *obj_title, *sc_title;
};

/* A set loaded from the store. Strings point into `body`. */
struct risk_set {
	int64_t id;
	char version[RISK_VERSION_MAX + 1];
	json_t *body; /* {"version", "note"?, "scenarios": [...]} as issued */
	struct risk_item *items;
	size_t n_items;
	json_t *index;         /* "cm\ncomponent" and "cm" -> index into items (lookups stay O(1)) */
	json_t *per_component; /* component -> how many countermeasures apply to it */
};

/* Validates a set as posted (422 text in err). On success *canon is the canonical body. */
int risk_set_validate(json_t *in, json_t **canon, char *err, size_t errlen);
/* Stores a validated set. CSHQ_ECONFLICT when the version exists. */
int risk_set_insert(struct store *db, json_t *canon, const char *by, int64_t *id);
/* A set from a canonical body without the store (takes a reference to body); id 0. */
void risk_set_from_body(json_t *body, struct risk_set *out);
/* Loads a set by version or by id (version NULL). CSHQ_ENOTFOUND when absent. */
int risk_set_load(struct store *db, const char *version, int64_t id, struct risk_set *out);
void risk_set_release(struct risk_set *s);
/* {"version", "note", "issued_at", "issued_by", "scenarios"} */
json_t *risk_set_json(struct store *db, const struct risk_set *s);
/* Every version, oldest first: [{"version", "issued_at", "countermeasures"}]. */
int risk_set_list_json(struct store *db, json_t **out);
/* What changed from one set to another: scenarios, objectives and countermeasures added,
 * removed and changed. */
json_t *risk_set_diff(const struct risk_set *from, const struct risk_set *to);
/* Whether the countermeasure applies to any of the components. */
bool risk_set_applies(const struct risk_set *s, const char *cm, json_t *components);
const struct risk_item *risk_set_find(const struct risk_set *s, const char *cm,
				      const char *component);
/* Whether the set has the countermeasure at all. */
bool risk_set_has(const struct risk_set *s, const char *cm);
/* How many (countermeasure, component) pairs of the set apply to these components. */
size_t risk_set_applicable(const struct risk_set *s, json_t *components);

/* ---- the worksheet (risk_worksheet.c) ---- */

#define RISK_TEXT_MAX 4000
#define RISK_NAME_MAX 200
#define RISK_MAX_DOMAINS 100
#define RISK_MAX_SYSTEMS 200
#define RISK_MAX_COMPONENTS 64
#define RISK_MAX_CHECKS 20000
#define RISK_PLAN_YEARS 10 /* a plan reaches at most this many fiscal years ahead */

/* The assessment row as the workflow machine loads it. */
struct risk_assessment {
	int64_t id;
	char org[33];
	int fiscal_year;
	int64_t set_id;
	char set_version[RISK_VERSION_MAX + 1];
	char state[48];
	int64_t revision;
	bool infosec_agreed, infoprotect_agreed;
	char approval_state[16];
	char approved_hash[65];
	char dashboard_hash[65];
};

int risk_assessment_load(struct store *db, int64_t id, struct risk_assessment *out);

/* Reads the worksheet rows into the canonical JSON. */
int risk_ws_load(struct store *db, int64_t assessment_id, json_t **out);
/* Sorts every array of a worksheet into the canonical order (in place). */
void risk_ws_canonicalise(json_t *ws);
/* Checks a whole worksheet against the set and fiscal year: shapes, enumerations, the
 * guideline's rules (selection ② only without ①, criterion 2 names the air-gapped
 * counterpart, checks cover exactly the applicable pairs, a plan reaches every control
 * objective within RISK_PLAN_YEARS). CSHQ_EINVAL with a message in err. */
int risk_ws_validate(json_t *ws, const struct risk_set *set, int fiscal_year, char *err,
		     size_t errlen);
/* Writes the worksheet: only the systems and domains that differ from the stored ones
 * are rewritten. The revision must still be `revision` (CSHQ_ECONFLICT otherwise); it is
 * increased. */
int risk_ws_save(struct store *db, int64_t assessment_id, int64_t revision, json_t *ws);
/* The hex SHA-256 of the canonical serialisation of the worksheet with org, fiscal year
 * and set version. */
void risk_ws_hash(const char *org, int fiscal_year, const char *set_version, json_t *ws,
		  char out[65]);
/* Helpers on the canonical document. */
json_t *risk_ws_domain(json_t *ws, const char *name);
json_t *risk_ws_system(json_t *ws, const char *name);
/* The stage the content has reached ("domain_selection", "impact_assessment",
 * "target_systems" or "planning"). */
const char *risk_ws_stage(json_t *ws);
/* Implemented / applicable checks of one countermeasure on a system (0/0 when unchecked). */
void risk_ws_cm_counts(json_t *system, const char *cm, int *implemented, int *applicable);
/* The same for every countermeasure at once: {cm: [implemented, applicable]} (new reference). */
json_t *risk_ws_cm_table(json_t *system);
void risk_ws_table_counts(json_t *table, const char *cm, int *implemented, int *applicable);

/* ---- the workflow (risk_machine.c) ---- */

extern const struct wf_machine risk_machine;
#define RISK_KIND "risk_assessment"

/* The order of the states; -1 for an unknown one. */
int risk_state_rank(const char *state);

/* Creates an assessment (POST /risk/assessments) after the caller's checks: scope (404),
 * role (403), regime (409 with basis in *basis). */
int risk_assessment_create(struct store *db, const struct principal *who, const char *org,
			   int fiscal_year, const char *set_version, int64_t *id, int *status,
			   char *err, size_t errlen, json_t **basis);

/* The record as GET answers it. ctx from wf_load_visible. */
int risk_assessment_json(struct wf_ctx *ctx, json_t **out);

/* The previous cycle of the same body whose plan was decided (approved or later), or 0. */
int risk_previous_assessment(struct store *db, const char *org, int fiscal_year, int64_t *id,
			     int *fy);

/* ---- dashboard and aggregate (risk_dashboard.c) ---- */

int risk_dashboard_json(struct store *db, const struct risk_assessment *a, json_t **out);
/* The dashboard as PDF; CSHQ_ENOTFOUND when the PDF writer is not built in. */
int risk_dashboard_pdf(struct store *db, const struct risk_assessment *a, struct buf *out);
/* NISC's view of the reports of a fiscal year; publish strips every body-identifying detail. */
int risk_aggregate_json(struct store *db, int fiscal_year, bool publish, json_t **out);

/* ---- xlsx (risk_xlsx.c, risk_xlsx_read.c) ---- */

/* Writes the worksheet as an .xlsx workbook into out. meta: {"assessment", "org",
 * "org_name", "fiscal_year", "countermeasure_set", "content_hash", "state"}. */
int risk_xlsx_write(json_t *meta, json_t *ws, const struct risk_set *set, struct buf *out);

/* A workbook read back: sheets of cells (generic, any producer). */
struct risk_xlsx_cell {
	uint32_t row, col; /* 0-based */
	char type;         /* 's' text, 'n' number, 'b' boolean, 'e' error */
	char *text;
};
struct risk_xlsx_sheet {
	char *name;
	struct risk_xlsx_cell *cells; /* in document order */
	size_t n, cap;
};
struct risk_xlsx_book {
	struct risk_xlsx_sheet *sheets;
	size_t n;
};
/* Parses an .xlsx held in memory. Hostile input: caps on entries, sizes, cells and text;
 * DTDs refused. CSHQ_EINVAL with a message in err; CSHQ_ELIMIT when a cap is exceeded. */
int risk_xlsx_read(const void *data, size_t len, struct risk_xlsx_book *out, char *err,
		   size_t errlen);
void risk_xlsx_book_release(struct risk_xlsx_book *b);

/* Turns a workbook written by risk_xlsx_write (and edited in a spreadsheet) back into
 * {"meta": {...}, "worksheet": {...}} (not yet validated against a set). */
int risk_xlsx_import(const void *data, size_t len, json_t **out, char *err, size_t errlen);

#endif
