/* cymat_gsoc.c: the link of CymatRules 13(2). When the body agrees that NISC treats a damage
 * report as its report to GSOC, the report is filed once, as a report of the incidents
 * module (spec 20) made by the same user and submitted on its route, instead of asking
 * the body to report twice. Built against that module when it is part of the build
 * (CSHQ_HAVE_INCIDENTS); without it the flag stays on the damage report and NISC gets a
 * notice (cymat_dispatch.c). */
#include <stdio.h>

#include "core/timeutil.h"
#include "modules/cymat_impl.h"

#ifdef CSHQ_HAVE_INCIDENTS
#include "modules/incidents.h"
#include "modules/registry.h"

int cymat_gsoc_file(struct store *db, const struct principal *who, const char *subject,
                    int64_t damage_report, const char *text, int confidentiality,
                    int64_t occurred_at, char ref[64])
{
	ref[0] = '\0';
	struct registry_subject subj;
	int32_t today = date_today();
	int rc = registry_subject(db, subject, today, &subj);
	if (rc != CSHQ_OK)
		return rc;
	/* the item of DataProvisionRules 1(1) the body's events fall under; 3 for the others */
	int item = regime_report_item(&subj.facts, today);
	if (!item)
		item = 3;
	char title[200], at[26];
	snprintf(title, sizeof(title),
	         "CYMAT被害状況報告 %lld（GSOCへの報告等として取り扱う: CymatRules 13(2)）",
	         (long long)damage_report);
	time_format_rfc3339(occurred_at, at);
	json_t *in = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i}", "subject", subject, "item", item,
	                       "title", title, "summary", text, "occurred_at", at,
	                       "confidentiality", confidentiality);
	struct inc_error e = {0};
	int64_t id = 0;
	rc = report_create(db, who, in, &id, &e);
	json_decref(in);
	int status = e.status;
	inc_error_release(&e);
	if (rc !=
	    CSHQ_OK) /* refused before writing (e.g. a role that files no report): notice instead */
		return status >= 500 || rc == CSHQ_ERR ? CSHQ_ERR : CSHQ_OK;
	struct wf_ctx ctx;
	rc = wf_apply(db, who, &report_machine, id, "submit", NULL, &ctx);
	status = ctx.status;
	wf_ctx_release(&ctx);
	if (rc != CSHQ_OK && status >= 500)
		return rc;
	/* a submission the role may not make leaves the report as a draft of the body */
	snprintf(ref, 64, "report/%lld", (long long)id);
	return CSHQ_OK;
}

#else

int cymat_gsoc_file(struct store *db, const struct principal *who, const char *subject,
                    int64_t damage_report, const char *text, int confidentiality,
                    int64_t occurred_at, char ref[64])
{
	(void)db, (void)who, (void)subject, (void)damage_report, (void)text, (void)confidentiality,
	    (void)occurred_at;
	ref[0] = '\0';
	return CSHQ_OK;
}

#endif
