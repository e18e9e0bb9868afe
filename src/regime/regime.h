/* regime.h: the law as data. For an organisation and a date, which parts of the regime
 * apply, how its reports travel, who "the head of the organisation" is, and why.
 *
 * Pure: no I/O, no allocation. The caller gathers the facts about a body as of the date
 * (struct regime_subject, from the registry) and the engine answers from rule tables, one
 * row per provision and version, each citing document, version, article, paragraph, item
 * and the quoted Japanese text of ../shared/seed (see docs/regime.md). */
#ifndef CSHQ_REGIME_H
#define CSHQ_REGIME_H

#include "core/common.h"

enum org_kind {
	ORG_HQ,
	ORG_NISC,
	ORG_CABINET_UNIT,
	ORG_MINISTRY,
	ORG_OBSERVER,
	ORG_IAI,
	ORG_CORPORATION,
	ORG_CI_OPERATOR,
	ORG_OTHER,
	ORG_KIND_COUNT
};
/* "hq", "nisc", "cabinet_unit", "ministry", "observer", "iai", "corporation", "ci_operator", "other" */
const char *org_kind_code(enum org_kind k);
int org_kind_parse(const char *code, enum org_kind *out);

/* One provision, quoted. */
struct regime_citation {
	const char *doc;     /* short name of spec 00: "Act", "Designation", "MajorIncidentRules",
				"DataProvisionRules", "AuditPolicy", "RiskGuideline", "CymatRules";
				also "Overview" (page 1 of the papers) and "HQPolicy"
				(2016-01-25 HQ decision), see docs/regime.md */
	const char *version; /* "2015" / "2014" / "2012" (before the amendment) or "2016" */
	const char *article; /* "4", "1.4", "別表"...; rendered as a JSON number when all digits */
	int paragraph;       /* 0 = none */
	int item;            /* 0 = none */
	const char *text_ja; /* the provision's text as quoted in the seed */
};

/* The date from which every amended version applies (default 2016-10-21, the Act's entry
 * into force). Kept in one place so an operator can change it. Set it at start-up, before
 * other threads query the engine: it is a plain variable. */
int32_t regime_effective_date(void);
void regime_set_effective_date(int32_t days);
/* true when the amended versions govern that date */
bool regime_amended_on(int32_t date);

/* Facts about a body as of one date, gathered by the caller. */
struct regime_subject {
	const char *code;
	enum org_kind kind;
	const char *const *supervising; /* registry codes, primary first */
	size_t n_supervising;
	bool art13_designated; /* an Act 13 designation interval covers the date */
	bool art32_listed;     /* an Art.32 (別表) listing interval covers the date */
};

enum regime_function {
	RF_GSOC_MONITORING,
	RF_AUDIT,
	RF_CAUSE_INVESTIGATION,
	RF_DELEGATION,
	RF_MANDATORY_REPORTING,
	RF_MATERIALS_REQUEST,
	RF_CYMAT_SUPPORT,
	RF_RISK_GUIDELINE,
	RF_COUNT
};
const char *regime_function_code(enum regime_function f); /* "gsoc_monitoring", ... */
int regime_function_parse(const char *code, enum regime_function *out);

enum regime_applies { RA_NO, RA_YES, RA_CONDITIONAL };
const char *regime_applies_code(enum regime_applies a); /* "no", "yes", "conditional" */

#define REGIME_MAX_BASIS 6
#define REGIME_MAX_VIA 8

enum regime_route { ROUTE_NONE, ROUTE_DIRECT, ROUTE_VIA };

struct regime_answer {
	enum regime_applies applies;
	const char *condition; /* for RA_CONDITIONAL: the condition in Japanese; else NULL */
	enum regime_route route; /* ROUTE_NONE for functions that do not concern flows */
	const char *via[REGIME_MAX_VIA]; /* supervising ministries (pointers into the subject) */
	size_t n_via;
	const struct regime_citation *basis[REGIME_MAX_BASIS];
	size_t n_basis;
};

/* Answers one function for a body on a date. Always fills out (basis never empty). */
void regime_evaluate(enum regime_function f, const struct regime_subject *s, int32_t date,
		     struct regime_answer *out);

/* "The head of the organisation" for an article of a document, on a date: for an IAI or
 * designated corporation, MajorIncidentRules means both the supervising ministry's head and
 * the body's own head, except in Art. 8 where it means the supervising ministry's head
 * alone; for a ministry, its own head. Returns CSHQ_OK, or CSHQ_EINVAL for a doc/article
 * the engine does not know. Also: CSHQ_ECONFLICT when the body is not one the article
 * speaks of on that date (not a 行政機関等 under the version in force), CSHQ_EINVAL when
 * its supervising ministries are needed but the subject has none, CSHQ_ELIMIT when it has
 * more than REGIME_MAX_VIA. Known: MajorIncidentRules Arts. 3-9 (see docs/regime.md). */
struct regime_recipients {
	const char *codes[REGIME_MAX_VIA + 1];
	size_t n;
	const struct regime_citation *basis[REGIME_MAX_BASIS];
	size_t n_basis;
};
int regime_heads(const char *doc, int article, const struct regime_subject *s, int32_t date,
		 struct regime_recipients *out);

/* The provision in force on a date, for modules that cite a step's basis (workflow
 * tables). NULL when that provision does not exist in the version in force then.
 * article as in struct regime_citation; paragraph/item 0 for none. */
const struct regime_citation *regime_cite(const char *doc, const char *article, int paragraph,
					  int item, int32_t date);
/* A provision of one named version ("2015", "2016", ...), or NULL. */
const struct regime_citation *regime_cite_version(const char *doc, const char *version,
						  const char *article, int paragraph, int item);

/* Every provision row, for documentation and tests. */
const struct regime_citation *regime_provisions(size_t *count);

/* Additions. */

/* "none", "direct", "via" */
const char *regime_route_code(enum regime_route r);

/* The version of a document in force on a date ("2015", "2016", ...), or NULL for an unknown
 * document or one the seed holds no text of for that date (the pre-amendment Act). */
const char *regime_doc_version(const char *doc, int32_t date);

/* The item of DataProvisionRules 1(1) under which the supervising ministry must provide
 * materials on an event at this body on this date: 1 (the ministry itself and, amended, its
 * IAIs and designated corporations), 2 (amended: its critical-infrastructure operators), or
 * 0 when the body's events are not within DataProvisionRules 1(1). */
int regime_report_item(const struct regime_subject *s, int32_t date);

/* The annexed table (別表) of DataProvisionRules in force on a date: the names of the
 * corporations listed under Act 32(1), in table order (48 before the amendment, 52 after).
 * Static storage. For the registry to hold its listing intervals against the seed. */
const char *const *regime_art32_table(int32_t date, size_t *count);
/* true when name_ja is, word for word, an entry of the table in force on date */
bool regime_art32_lists(const char *name_ja, int32_t date);
/* For the four entries the amendment rewords, the other wording of the same body (current ->
 * amended and back); NULL for any other name. */
const char *regime_art32_other_name(const char *name_ja);

#endif
