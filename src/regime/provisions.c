/* provisions.c: the one table of quoted provisions, every document and version, assembled from
 * the per-document fragments provisions_*.c. One contiguous array, so that regime_provisions()
 * can return it as is and basis pointers stay valid for the life of the program. */
#include "core/common.h"
#include "regime/regime_impl.h"

/* Each document's versions. The seed has no pre-amendment text of the Act, of the Designation
 * (there were no designations before the amendment), of the overview or of the 2016-01-25 HQ
 * policy, hence the NULLs. */
const struct regime_doc_versions regime_docs[] = {
	{"Act", NULL, "2016"},
	{"Designation", NULL, "2016"},
	{"Overview", NULL, "2016"},
	{"HQPolicy", NULL, "2016"},
	{"MajorIncidentRules", "2015", "2016"},
	{"DataProvisionRules", "2015", "2016"},
	{"AuditPolicy", "2015", "2016"},
	{"RiskGuideline", "2014", "2016"},
	{"CymatRules", "2014", "2016"},
};
const size_t regime_doc_count = CSHQ_ARRAY_LEN(regime_docs);

#define REGIME_PROVISIONS_FRAGMENT 1
const struct regime_citation regime_provision_rows[] = {
#include "regime/provisions_act.c"
#include "regime/provisions_overview.c"
#include "regime/provisions_hq_policy.c"
#include "regime/provisions_designation.c"
#include "regime/provisions_major_incident.c"
#include "regime/provisions_data_provision.c"
#include "regime/provisions_audit.c"
#include "regime/provisions_risk.c"
#include "regime/provisions_cymat.c"
};
#undef REGIME_PROVISIONS_FRAGMENT
const size_t regime_provision_count = CSHQ_ARRAY_LEN(regime_provision_rows);
