/* audit_impl.h: what the audit sources (audit.c, audit_followup.c, audit_oscal.c,
 * audit_report.c) share; not part of the module's interface. */
#ifndef CSHQ_AUDIT_IMPL_H
#define CSHQ_AUDIT_IMPL_H

#include <jansson.h>

#include "modules/audit.h"

/* Roles taking the steps of the audit machines. */
#define AUDIT_R_NISC ROLES_NISC
#define AUDIT_R_HQ ROLE_BIT(ROLE_HQ)
#define AUDIT_R_BODY                                                                               \
	(ROLE_BIT(ROLE_CISO) | ROLE_BIT(ROLE_CSIRT) | ROLE_BIT(ROLE_STAFF) |                       \
	 ROLE_BIT(ROLE_INFOSEC) | ROLE_BIT(ROLE_INFOPROTECT))
#define AUDIT_R_DELEGATE ROLE_BIT(ROLE_DELEGATE)

/* A transition row by field name, so fields the engine adds later stay zero. The varargs
 * are the row's citations ({doc, article, paragraph, item}). */
#define AUDIT_STEP(from_, action_, to_, roles_, party_, check_, guard_, effect_, ja_, en_, ...)    \
	{                                                                                          \
		.from = (from_), .action = (action_), .to = (to_), .roles = (roles_),              \
		.party = (party_), .check_input = (check_), .guard = (guard_),                     \
		.effect = (effect_), .basis = {__VA_ARGS__}, .label_ja = (ja_), .label_en = (en_)  \
	}

#define AUDIT_KIND_POLICY "audit_policy"
#define AUDIT_KIND_ENGAGEMENT "audit_engagement"
#define AUDIT_KIND_FINDING "audit_finding"
#define AUDIT_KIND_PRACTICE "audit_good_practice"

/* An engagement row, as the machines and the exports need it. */
struct audit_eng {
	int64_t id;
	char uuid[37];
	char org[33];
	int fiscal_year;
	char type[16];
	char state[24];
	char delegate_org[33]; /* "" when none */
	int confidentiality;
	int32_t start_date;
	int64_t published_at, delivered_at;
};
/* CSHQ_OK, CSHQ_ENOTFOUND, or CSHQ_ERR. */
int audit_eng_fetch(struct store *db, int64_t id, struct audit_eng *out);

/* A finding's current content. Strings are owned (audit_finding_row_release). */
struct audit_finding_row {
	int64_t id, engagement;
	char uuid[37];
	char org[33];
	int fiscal_year, seq, revision;
	bool important;
	char severity[12], state[24];
	char *title, *evidence, *proposal, *requirement, *theme;
	int64_t created_at, updated_at, closed_at;
};
int audit_finding_fetch(struct store *db, int64_t id, struct audit_finding_row *out);
void audit_finding_row_release(struct audit_finding_row *f);
/* The finding's JSON (content, revisions, reports; no timeline or actions). */
int audit_finding_content_json(struct store *db, const struct audit_finding_row *f, json_t **out);

/* JSON helpers. */
json_t *audit_date_json(int32_t days); /* "YYYY-MM-DD" */
json_t *audit_time_json(int64_t t);    /* RFC 3339 in JST; null for 0 */
json_t *audit_str_json(const char *s); /* string or null */
/* Japanese and English names of an organisation ("" when unknown). */
int audit_org_names(struct store *db, const char *code, char name_ja[256], char name_en[256]);

/* Replaces every occurrence of term in s (ASCII letters compared case-insensitively; as a
 * whole word when word) by with. A new string (free it), or NULL when nothing matched. */
char *audit_replace_term(const char *s, const char *term, const char *with, bool word);

/* Runs sql with one int64 parameter and collects the first column of every row. */
int audit_ids(struct store *db, const char *sql, int64_t param, int64_t **ids, size_t *n);

#endif
