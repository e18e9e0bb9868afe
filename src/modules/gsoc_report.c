/* gsoc_report.c: escalation of a detection into a report of the incidents module (spec 20),
 * pre-filled for the detection's organisation. Built against that module when it is part
 * of the build (CSHQ_HAVE_INCIDENTS); without it gsoc_report_open answers CSHQ_ENOTFOUND
 * and escalation keeps the draft in the detection's timeline.
 *
 * The report is filed by the user who escalates, under the incidents module's own rules: a
 * user of the body (or of its supervising ministry) files it as a draft of the body; NISC
 * may not file for a body, so its escalation is answered CSHQ_EDENIED and the caller asks
 * the body to file, with the draft. */
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/gsoc.h"

#ifdef CSHQ_HAVE_INCIDENTS
#include "modules/incidents.h"

int gsoc_report_open(struct store *db, const struct principal *who,
                     const struct gsoc_report_draft *draft, int64_t *report_id)
{
	int64_t now = time_now();
	/* the incidents module refuses times in the future; sensors' clocks may run ahead */
	int64_t occurred = draft->occurred_at < now ? draft->occurred_at : now;
	int64_t detected = draft->detected_at < occurred ? occurred
	                   : draft->detected_at > now    ? now
	                                                 : draft->detected_at;
	char occ[26], det[26];
	time_format_rfc3339(occurred, occ);
	time_format_rfc3339(detected, det);
	const char *tlp =
	    draft->tlp && strncmp(draft->tlp, "TLP:", 4) == 0 ? draft->tlp + 4 : draft->tlp;
	json_t *in = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:O}", "subject",
	                       draft->subject_org, "item", draft->item ? draft->item : 3, "title",
	                       draft->title, "summary", draft->summary, "occurred_at", occ,
	                       "detected_at", det, "confidentiality", draft->confidentiality, "tlp",
	                       tlp ? tlp : "AMBER", "indicators", draft->indicators);
	struct inc_error e = {0};
	int rc = report_create(db, who, in, report_id, &e);
	json_decref(in);
	if (rc != CSHQ_OK && e.status >= 500)
		rc = CSHQ_ERR;
	inc_error_release(&e);
	return rc;
}

#else

int gsoc_report_open(struct store *db, const struct principal *who,
                     const struct gsoc_report_draft *draft, int64_t *report_id)
{
	(void)db, (void)who, (void)draft;
	*report_id = 0;
	return CSHQ_ENOTFOUND;
}

#endif
