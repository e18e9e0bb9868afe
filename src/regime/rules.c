/* rules.c: the decisions of the regime engine as data. One row per function x era x group of
 * bodies, each naming its answer and the provisions it rests on; one row per article x version
 * x group for "the head of the organisation". regime.c only matches and copies.
 *
 * Rows are tried in order and the first match answers, so each function and era ends with a
 * catch-all "no" row whose basis is the provision that fixes the scope: a body outside the
 * scope is answered by the text that leaves it out. Groups: ministry; IAI; designated
 * corporation (kind corporation + art13_designated); corporation listed in the 別表
 * (art32_listed); observer; CI operator; other. hq, nisc and cabinet_unit are parts of the
 * Cabinet Secretariat: the regime reaches them through its record (kind ministry), so they fall
 * to the catch-all rows. */
#include "core/common.h"
#include "regime/regime_impl.h"

#define K(k) REGIME_KIND(ORG_##k)
#define NEW REGIME_ERA_NEW
#define OLD REGIME_ERA_OLD

/* Keys of the provisions cited below, by document and version. */
#define ACT(a, p, i) {"Act", "2016", a, p, i}
#define OVW(p) {"Overview", "2016", "1", p, 0}
#define DES(a) {"Designation", "2016", a, 0, 0}
#define MIR16(a, p, i) {"MajorIncidentRules", "2016", a, p, i}
#define MIR15(a, p, i) {"MajorIncidentRules", "2015", a, p, i}
#define DPR16(a, p, i) {"DataProvisionRules", "2016", a, p, i}
#define DPR15(a, p, i) {"DataProvisionRules", "2015", a, p, i}
#define AP16(a, p) {"AuditPolicy", "2016", a, p, 0}
#define AP15(a, p) {"AuditPolicy", "2015", a, p, 0}
#define RG16(a, p, i) {"RiskGuideline", "2016", a, p, i}
#define RG14(a, p, i) {"RiskGuideline", "2014", a, p, i}
#define CY16(a, p, i) {"CymatRules", "2016", a, p, i}
#define CY14(a, p, i) {"CymatRules", "2014", a, p, i}

/* AuditPolicy 2 (2015): "なお、独立行政法人については、当面、特に必要があると認める場合に監査の
 * 対象とする。" */
static const char audit_iai_2015[] = "特に必要があると認める場合";
/* CymatRules 2エ (both versions word it alike): who counts as a direct stakeholder. */
static const char cymat_stakeholder[] =
	"要請された事象に直接関係するものであって、CYMAT による支援を行う必要があるものと当該要請を"
	"行った機関等が認めたもの";
/* Act 32(1): the addressees other than IAIs and listed corporations. The registry cannot tell
 * a local government or a national university corporation from other "other" bodies. */
static const char act32_others[] =
	"地方公共団体及び独立行政法人の長、国立大学法人（国立大学法人法（平成十五年法律第百十二号）"
	"第二条第一項に規定する国立大学法人をいう。）の学長、大学共同利用機関法人（同条第三項に規定"
	"する大学共同利用機関法人をいう。）の機構長、日本司法支援センター（総合法律支援法（平成十六年"
	"法律第七十四号）第十三条に規定する日本司法支援センターをいう。）の理事長、特殊法人及び認可法人"
	"であって本部が指定するものの代表者並びにサイバーセキュリティに関する事象が発生した場合における"
	"国内外の関係者との連絡調整を行う関係機関の代表者";

const struct regime_rule regime_rules[] = {
	/* gsoc_monitoring: Act 13 (amended) extends the monitoring of unauthorised activity to
	 * IAIs and designated corporations; before, the current law covered the central
	 * ministries only (overview, page 1). Not a flow: no route. */
	{"gsoc_monitoring.new.ministry", RF_GSOC_MONITORING, NEW, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_NONE, NULL, {ACT("13", 0, 0)}},
	{"gsoc_monitoring.new.iai", RF_GSOC_MONITORING, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_NONE, NULL, {ACT("13", 0, 0)}},
	/* criterion ④ of the designation is precisely that gateway monitoring is effective */
	{"gsoc_monitoring.new.designated", RF_GSOC_MONITORING, NEW, K(CORPORATION), TRI_YES,
	 TRI_ANY, RA_YES, ROUTE_NONE, NULL, {ACT("13", 0, 0), DES("4")}},
	{"gsoc_monitoring.new.none", RF_GSOC_MONITORING, NEW, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY,
	 RA_NO, ROUTE_NONE, NULL, {ACT("13", 0, 0)}},
	{"gsoc_monitoring.old.ministry", RF_GSOC_MONITORING, OLD, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_NONE, NULL, {OVW(1), OVW(2)}},
	{"gsoc_monitoring.old.none", RF_GSOC_MONITORING, OLD, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY,
	 RA_NO, ROUTE_NONE, NULL, {OVW(1), OVW(2)}},

	/* audit: AuditPolicy 2 names the targets; 5(3) says how results and improvement
	 * reports travel. The amendment adds designated corporations and routes IAIs' and
	 * designated corporations' results through the supervising ministry; the current 5(3)
	 * notifies each body's CISO directly, so a conditional IAI audit before the amendment
	 * is answered with a direct route. */
	{"audit.new.ministry", RF_AUDIT, NEW, K(MINISTRY), TRI_ANY, TRI_ANY, RA_YES, ROUTE_DIRECT,
	 NULL, {AP16("2", 0), AP16("5", 3), ACT("25", 1, 2)}},
	{"audit.new.iai", RF_AUDIT, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES, ROUTE_VIA, NULL,
	 {AP16("2", 0), AP16("5", 3), ACT("25", 1, 2)}},
	{"audit.new.designated", RF_AUDIT, NEW, K(CORPORATION), TRI_YES, TRI_ANY, RA_YES,
	 ROUTE_VIA, NULL, {AP16("2", 0), AP16("5", 3), ACT("25", 1, 2)}},
	{"audit.new.none", RF_AUDIT, NEW, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO, ROUTE_NONE,
	 NULL, {AP16("2", 0)}},
	{"audit.old.ministry", RF_AUDIT, OLD, K(MINISTRY), TRI_ANY, TRI_ANY, RA_YES, ROUTE_DIRECT,
	 NULL, {AP15("2", 0), AP15("5", 3)}},
	{"audit.old.iai", RF_AUDIT, OLD, K(IAI), TRI_ANY, TRI_ANY, RA_CONDITIONAL, ROUTE_DIRECT,
	 audit_iai_2015, {AP15("2", 0), AP15("5", 3)}},
	{"audit.old.none", RF_AUDIT, OLD, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO, ROUTE_NONE,
	 NULL, {AP15("2", 0)}},

	/* cause_investigation: MajorIncidentRules 1 defines whose events are specified major
	 * incidents (行政機関等); 3(2) has the evaluation work from reports of the ministry
	 * head, for an IAI or designated corporation those of its supervising ministry. */
	{"cause_investigation.new.ministry", RF_CAUSE_INVESTIGATION, NEW, K(MINISTRY), TRI_ANY,
	 TRI_ANY, RA_YES, ROUTE_DIRECT, NULL,
	 {MIR16("1", 0, 0), MIR16("3", 2, 0), ACT("25", 1, 3)}},
	{"cause_investigation.new.iai", RF_CAUSE_INVESTIGATION, NEW, K(IAI), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_VIA, NULL, {MIR16("1", 0, 0), MIR16("3", 2, 0), ACT("25", 1, 3)}},
	{"cause_investigation.new.designated", RF_CAUSE_INVESTIGATION, NEW, K(CORPORATION),
	 TRI_YES, TRI_ANY, RA_YES, ROUTE_VIA, NULL,
	 {MIR16("1", 0, 0), MIR16("3", 2, 0), ACT("25", 1, 3)}},
	{"cause_investigation.new.none", RF_CAUSE_INVESTIGATION, NEW, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {MIR16("1", 0, 0)}},
	{"cause_investigation.old.ministry", RF_CAUSE_INVESTIGATION, OLD, K(MINISTRY), TRI_ANY,
	 TRI_ANY, RA_YES, ROUTE_DIRECT, NULL, {MIR15("1", 0, 0), MIR15("3", 2, 0)}},
	{"cause_investigation.old.none", RF_CAUSE_INVESTIGATION, OLD, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {MIR15("1", 0, 0)}},

	/* delegation: Act 30(1) lets HQ delegate parts of audits and cause investigations of
	 * IAIs and designated corporations (to IPA: AuditPolicy 5(5), MajorIncidentRules 5(5)).
	 * Before the amendment NISC did all of it (AuditPolicy 5(5), MajorIncidentRules 9(1)
	 * of 2015) and the delegation was new (overview, page 1). */
	{"delegation.new.iai", RF_DELEGATION, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES, ROUTE_NONE,
	 NULL, {ACT("30", 1, 0), AP16("5", 5), MIR16("5", 5, 0)}},
	{"delegation.new.designated", RF_DELEGATION, NEW, K(CORPORATION), TRI_YES, TRI_ANY,
	 RA_YES, ROUTE_NONE, NULL, {ACT("30", 1, 0), AP16("5", 5), MIR16("5", 5, 0)}},
	{"delegation.new.none", RF_DELEGATION, NEW, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO,
	 ROUTE_NONE, NULL, {ACT("30", 1, 0)}},
	{"delegation.old.none", RF_DELEGATION, OLD, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO,
	 ROUTE_NONE, NULL, {AP15("5", 5), MIR15("9", 1, 0), OVW(3)}},

	/* mandatory_reporting: DataProvisionRules 1(1). Amended: item 1 covers events at the
	 * ministry, its IAIs and its designated corporations, item 2 those at its critical
	 * infrastructure operators; the ministry head provides them (Act 31(1)), so the
	 * supervised bodies' reports travel through it. Current: the ministry's own events. */
	{"mandatory_reporting.new.ministry", RF_MANDATORY_REPORTING, NEW, K(MINISTRY), TRI_ANY,
	 TRI_ANY, RA_YES, ROUTE_DIRECT, NULL,
	 {DPR16("1", 1, 1), DPR16("1", 1, 3), ACT("31", 1, 0)}},
	{"mandatory_reporting.new.iai", RF_MANDATORY_REPORTING, NEW, K(IAI), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_VIA, NULL, {DPR16("1", 1, 1), ACT("31", 1, 0)}},
	{"mandatory_reporting.new.designated", RF_MANDATORY_REPORTING, NEW, K(CORPORATION),
	 TRI_YES, TRI_ANY, RA_YES, ROUTE_VIA, NULL, {DPR16("1", 1, 1), ACT("31", 1, 0)}},
	{"mandatory_reporting.new.ci_operator", RF_MANDATORY_REPORTING, NEW, K(CI_OPERATOR),
	 TRI_ANY, TRI_ANY, RA_YES, ROUTE_VIA, NULL, {DPR16("1", 1, 2), ACT("31", 1, 0)}},
	{"mandatory_reporting.new.none", RF_MANDATORY_REPORTING, NEW, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {DPR16("1", 1, 0), DPR16("1", 1, 1), DPR16("1", 1, 2)}},
	{"mandatory_reporting.old.ministry", RF_MANDATORY_REPORTING, OLD, K(MINISTRY), TRI_ANY,
	 TRI_ANY, RA_YES, ROUTE_DIRECT, NULL, {DPR15("1", 1, 1), DPR15("1", 1, 2)}},
	{"mandatory_reporting.old.none", RF_MANDATORY_REPORTING, OLD, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {DPR15("1", 1, 0), DPR15("1", 1, 1)}},

	/* materials_request: Act 32(1) names IAIs, the corporations HQ lists (DataProvisionRules
	 * 2 and its 別表: the art32_listed fact) and a few others (local governments, national
	 * university corporations...), which the registry files as "other": for those the
	 * answer is conditional on being one of them. Ministries provide under Act 31 instead.
	 * The seed has no text of the current Act (where this was Art. 31(1)), so before the
	 * amendment the basis is the current DataProvisionRules, whose preamble rests on it. */
	{"materials_request.new.iai", RF_MATERIALS_REQUEST, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_NONE, NULL, {ACT("32", 1, 0)}},
	{"materials_request.new.listed", RF_MATERIALS_REQUEST, NEW, K(CORPORATION), TRI_ANY,
	 TRI_YES, RA_YES, ROUTE_NONE, NULL,
	 {ACT("32", 1, 0), DPR16("2", 0, 0), DPR16("別表", 0, 0)}},
	{"materials_request.new.other", RF_MATERIALS_REQUEST, NEW, K(OTHER), TRI_ANY, TRI_ANY,
	 RA_CONDITIONAL, ROUTE_NONE, act32_others, {ACT("32", 1, 0)}},
	{"materials_request.new.ministry", RF_MATERIALS_REQUEST, NEW, K(MINISTRY), TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {ACT("31", 1, 0), ACT("32", 1, 0)}},
	{"materials_request.new.none", RF_MATERIALS_REQUEST, NEW, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL,
	 {ACT("32", 1, 0), DPR16("2", 0, 0), DPR16("別表", 0, 0)}},
	{"materials_request.old.iai", RF_MATERIALS_REQUEST, OLD, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_NONE, NULL, {DPR15("前文", 0, 0)}},
	{"materials_request.old.listed", RF_MATERIALS_REQUEST, OLD, K(CORPORATION), TRI_ANY,
	 TRI_YES, RA_YES, ROUTE_NONE, NULL, {DPR15("2", 0, 0), DPR15("別表", 0, 0)}},
	{"materials_request.old.other", RF_MATERIALS_REQUEST, OLD, K(OTHER), TRI_ANY, TRI_ANY,
	 RA_CONDITIONAL, ROUTE_NONE, act32_others, {DPR15("前文", 0, 0)}},
	{"materials_request.old.none", RF_MATERIALS_REQUEST, OLD, REGIME_ALL_KINDS, TRI_ANY,
	 TRI_ANY, RA_NO, ROUTE_NONE, NULL, {DPR15("2", 0, 0), DPR15("別表", 0, 0)}},

	/* cymat_support: CymatRules 2 lists who can be supported; 10 who requests. Ministries
	 * and observers request for themselves (10(1)); a ministry requests for its IAIs (and,
	 * amended, designated corporations) at their request (10(2)): that is the route. A
	 * direct stakeholder (2エ) is anyone else the requesting body judges directly involved:
	 * conditional, and its request goes through that body, which the engine does not know. */
	{"cymat_support.new.ministry", RF_CYMAT_SUPPORT, NEW, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {CY16("2", 0, 1), CY16("10", 1, 0)}},
	{"cymat_support.new.observer", RF_CYMAT_SUPPORT, NEW, K(OBSERVER), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {CY16("2", 0, 2), CY16("10", 1, 0)}},
	{"cymat_support.new.iai", RF_CYMAT_SUPPORT, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_VIA, NULL, {CY16("2", 0, 3), CY16("10", 2, 0)}},
	{"cymat_support.new.designated", RF_CYMAT_SUPPORT, NEW, K(CORPORATION), TRI_YES, TRI_ANY,
	 RA_YES, ROUTE_VIA, NULL, {CY16("2", 0, 3), CY16("10", 2, 0)}},
	{"cymat_support.new.stakeholder", RF_CYMAT_SUPPORT, NEW,
	 K(CORPORATION) | K(CI_OPERATOR) | K(OTHER), TRI_ANY, TRI_ANY, RA_CONDITIONAL, ROUTE_NONE,
	 cymat_stakeholder, {CY16("2", 0, 4), CY16("10", 3, 0)}},
	{"cymat_support.new.none", RF_CYMAT_SUPPORT, NEW, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO,
	 ROUTE_NONE, NULL, {CY16("2", 0, 0)}},
	{"cymat_support.old.ministry", RF_CYMAT_SUPPORT, OLD, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {CY14("2", 0, 1), CY14("10", 1, 0)}},
	{"cymat_support.old.observer", RF_CYMAT_SUPPORT, OLD, K(OBSERVER), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {CY14("2", 0, 2), CY14("10", 1, 0)}},
	{"cymat_support.old.iai", RF_CYMAT_SUPPORT, OLD, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_VIA, NULL, {CY14("2", 0, 3), CY14("10", 2, 0)}},
	{"cymat_support.old.stakeholder", RF_CYMAT_SUPPORT, OLD,
	 K(CORPORATION) | K(CI_OPERATOR) | K(OTHER), TRI_ANY, TRI_ANY, RA_CONDITIONAL, ROUTE_NONE,
	 cymat_stakeholder, {CY14("2", 0, 4), CY14("10", 3, 0)}},
	{"cymat_support.old.none", RF_CYMAT_SUPPORT, OLD, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY, RA_NO,
	 ROUTE_NONE, NULL, {CY14("2", 0, 0)}},

	/* risk_guideline: RiskGuideline 1.4 is the scope; 2.2(5) the reporting: ministries to
	 * NISC directly (ア), IAIs and designated corporations to their supervising ministry,
	 * which compiles and forwards (イ). The current guideline covers ministries only. */
	{"risk_guideline.new.ministry", RF_RISK_GUIDELINE, NEW, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {RG16("1.4", 1, 0), RG16("2.2", 5, 1)}},
	{"risk_guideline.new.iai", RF_RISK_GUIDELINE, NEW, K(IAI), TRI_ANY, TRI_ANY, RA_YES,
	 ROUTE_VIA, NULL, {RG16("1.4", 2, 0), RG16("2.2", 5, 2)}},
	{"risk_guideline.new.designated", RF_RISK_GUIDELINE, NEW, K(CORPORATION), TRI_YES, TRI_ANY,
	 RA_YES, ROUTE_VIA, NULL, {RG16("1.4", 2, 0), RG16("2.2", 5, 2)}},
	{"risk_guideline.new.none", RF_RISK_GUIDELINE, NEW, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY,
	 RA_NO, ROUTE_NONE, NULL, {RG16("1.4", 1, 0), RG16("1.4", 2, 0)}},
	{"risk_guideline.old.ministry", RF_RISK_GUIDELINE, OLD, K(MINISTRY), TRI_ANY, TRI_ANY,
	 RA_YES, ROUTE_DIRECT, NULL, {RG14("1.4", 0, 0), RG14("2.2", 5, 0)}},
	{"risk_guideline.old.none", RF_RISK_GUIDELINE, OLD, REGIME_ALL_KINDS, TRI_ANY, TRI_ANY,
	 RA_NO, ROUTE_NONE, NULL, {RG14("1.4", 0, 0)}},
};
const size_t regime_rule_count = CSHQ_ARRAY_LEN(regime_rules);

/* "The head of the organisation" in MajorIncidentRules.
 * Amended: Art. 4 defines 当該行政機関等の長 for an IAI or designated corporation as the head
 * of its supervising ministry and its own head, "第８条を除き、以下同じ" - for Arts. 4-7 and 9.
 * Art. 3(2) (before the definition) and Art. 8 each say in their own words that for such a
 * body it is the supervising ministry (当該独立行政法人等を所管する行政機関) alone. Art. 9(3)
 * assigns recommendations and report requests under Act 27(3),(4), which are addressed to a
 * ministry head; it is answered like Art. 8 (see docs/regime.md).
 * Current: only ministries are 行政機関, and the head is the ministry's own. */
#define MIN_ONLY K(MINISTRY)
/* IAIs, and corporations while designated: the same answer, two rows */
#define COVERED(ver, art, who, ...)                                                              \
	{"MajorIncidentRules", ver, art, K(IAI), TRI_ANY, who, {__VA_ARGS__}},                   \
	{"MajorIncidentRules", ver, art, K(CORPORATION), TRI_YES, who, {__VA_ARGS__}}
const struct regime_heads_rule regime_heads_rules[] = {
	{"MajorIncidentRules", "2016", 3, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR16("3", 2, 0)}},
	COVERED("2016", 3, HEADS_SUPERVISING, MIR16("3", 2, 0)),
	{"MajorIncidentRules", "2016", 4, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR16("4", 0, 0)}},
	COVERED("2016", 4, HEADS_SUPERVISING_AND_SELF, MIR16("4", 0, 0)),
	{"MajorIncidentRules", "2016", 5, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR16("4", 0, 0), MIR16("5", 2, 0), MIR16("5", 3, 0)}},
	COVERED("2016", 5, HEADS_SUPERVISING_AND_SELF, MIR16("4", 0, 0), MIR16("5", 2, 0), MIR16("5", 3, 0)),
	{"MajorIncidentRules", "2016", 6, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR16("4", 0, 0), MIR16("6", 0, 0)}},
	COVERED("2016", 6, HEADS_SUPERVISING_AND_SELF, MIR16("4", 0, 0), MIR16("6", 0, 0)),
	{"MajorIncidentRules", "2016", 7, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR16("4", 0, 0), MIR16("7", 0, 0)}},
	COVERED("2016", 7, HEADS_SUPERVISING_AND_SELF, MIR16("4", 0, 0), MIR16("7", 0, 0)),
	{"MajorIncidentRules", "2016", 8, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR16("8", 0, 0)}},
	COVERED("2016", 8, HEADS_SUPERVISING, MIR16("8", 0, 0)),
	{"MajorIncidentRules", "2016", 9, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR16("9", 3, 0), MIR16("9", 3, 2)}},
	COVERED("2016", 9, HEADS_SUPERVISING, MIR16("9", 3, 0), MIR16("9", 3, 2)),
	{"MajorIncidentRules", "2015", 3, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR15("3", 2, 0)}},
	{"MajorIncidentRules", "2015", 4, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR15("4", 0, 0)}},
	{"MajorIncidentRules", "2015", 5, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR15("5", 2, 0), MIR15("5", 3, 0)}},
	{"MajorIncidentRules", "2015", 6, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR15("6", 0, 0)}},
	{"MajorIncidentRules", "2015", 7, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR15("7", 0, 0)}},
	{"MajorIncidentRules", "2015", 8, MIN_ONLY, TRI_ANY, HEADS_SELF, {MIR15("8", 0, 0)}},
	{"MajorIncidentRules", "2015", 9, MIN_ONLY, TRI_ANY, HEADS_SELF,
	 {MIR15("9", 3, 0), MIR15("9", 3, 2)}},
};
const size_t regime_heads_rule_count = CSHQ_ARRAY_LEN(regime_heads_rules);
