/* audit_oscal.c: an engagement's published results as OSCAL 1.1.2 JSON: assessment-results
 * (one result; each finding with its observation and risk), and a plan of action and
 * milestones for the findings the body has reported an improvement plan for. UUIDs are the
 * engagement's and findings' own, or derived from them, so an export is stable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/audit_impl.h"

#define OSCAL_VERSION "1.1.2"
#define CSHQ_NS "https://cshq.invalid/ns/oscal"

/* Loads the engagement and checks that its results have reached the caller. */
static int load(struct store *db, const struct principal *who, int64_t id, struct audit_eng *e,
                struct audit_error *err)
{
	int rc = audit_eng_fetch(db, id, e);
	if (rc == CSHQ_OK)
		rc = audit_results_visible(db, who, id, e->org, e->confidentiality, e->state);
	if (rc == CSHQ_ENOTFOUND) {
		/* the plan itself may be visible while its results are not: still 404 here */
		err->status = 404;
		snprintf(err->detail, sizeof(err->detail), "no such resource");
		return rc;
	}
	if (rc != CSHQ_OK) {
		err->status = 500;
		snprintf(err->detail, sizeof(err->detail), "internal error");
		return rc;
	}
	if (!e->published_at) {
		err->status = 409;
		snprintf(err->detail, sizeof(err->detail),
		         "the engagement's results are not published yet");
		return CSHQ_ECONFLICT;
	}
	return CSHQ_OK;
}

/* An OSCAL token (a letter or '_' first, then letters, digits, '.', '-', '_') from an id. */
static void token_of(const char *s, char *out, size_t len)
{
	size_t k = 0;
	if (len < 3)
		return;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		out[k++] = '_';
	for (; *s && k + 1 < len; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		out[k++] = ok ? c : '_';
	}
	out[k] = '\0';
}

static json_t *prop(const char *name, const char *value)
{
	return json_pack("{s:s, s:s, s:s}", "name", name, "value", value, "ns", CSHQ_NS);
}

static json_t *metadata(struct store *db, const struct audit_eng *e, const char *title_prefix,
                        int64_t last_modified, int revision_sum)
{
	char ja[256], en[256], title[512], version[32], party_body[37], party_nisc[37];
	audit_org_names(db, e->org, ja, en);
	snprintf(title, sizeof(title), "%s %d年度 %s（%s）", title_prefix, e->fiscal_year, ja,
	         strcmp(e->type, "penetration") == 0 ? "ペネトレーションテスト"
	                                             : "マネジメント監査");
	snprintf(version, sizeof(version), "%d", revision_sum);
	audit_uuid_derived(e->uuid, "party:body", party_body);
	audit_uuid_derived(e->uuid, "party:nisc", party_nisc);
	return json_pack("{s:s, s:o, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], s:[{s:s, s:s, s:s, "
	                 "s:s}, {s:s, s:s, s:s, "
	                 "s:s}], s:[{s:s, s:[s]}, {s:s, s:[s]}]}",
	                 "title", title, "last-modified", audit_time_json(last_modified), "version",
	                 version, "oscal-version", OSCAL_VERSION, "roles", "id", "assessor",
	                 "title", "監査実施者（内閣サイバーセキュリティセンター）", "id",
	                 "assessed-body", "title", "被監査主体", "parties", "uuid", party_nisc,
	                 "type", "organization", "name", "内閣サイバーセキュリティセンター",
	                 "short-name", "nisc", "uuid", party_body, "type", "organization", "name",
	                 ja, "short-name", e->org, "responsible-parties", "role-id", "assessor",
	                 "party-uuids", party_nisc, "role-id", "assessed-body", "party-uuids",
	                 party_body);
}

struct oscal_finding {
	struct audit_finding_row f;
	char obs[37], risk[37], fnd[37];
	json_t *plan; /* the latest received improvement plan, or NULL */
};

static int load_findings(struct store *db, const struct audit_eng *e, struct oscal_finding **out,
                         size_t *n, int *revisions, int64_t *last)
{
	int64_t *ids;
	size_t k;
	int rc = audit_ids(db,
	                   "SELECT id FROM audit_findings WHERE engagement_id = $1 AND state <> "
	                   "'draft' AND state <> "
	                   "'withdrawn' ORDER BY seq",
	                   e->id, &ids, &k);
	if (rc != CSHQ_OK)
		return rc;
	struct oscal_finding *a = xcalloc(k ? k : 1, sizeof(*a));
	*revisions = 0;
	*last = e->published_at;
	for (size_t i = 0; i < k && rc == CSHQ_OK; i++) {
		struct oscal_finding *o = &a[i];
		rc = audit_finding_fetch(db, ids[i], &o->f);
		if (rc != CSHQ_OK)
			break;
		*revisions += o->f.revision;
		if (o->f.updated_at > *last)
			*last = o->f.updated_at;
		snprintf(o->fnd, sizeof(o->fnd), "%s", o->f.uuid);
		audit_uuid_derived(o->f.uuid, "observation", o->obs);
		audit_uuid_derived(o->f.uuid, "risk", o->risk);
		struct store_stmt *st;
		if ((rc = store_prepare(db,
		                        "SELECT text, due_date, created_at FROM audit_reports "
		                        "WHERE finding_id = $1 AND kind = "
		                        "'plan' AND state = 'received' ORDER BY id DESC LIMIT 1",
		                        &st)) != CSHQ_OK)
			break;
		store_bind_int64(st, 1, o->f.id);
		while ((rc = store_step(st)) == STORE_ROW)
			if (!o->plan)
				o->plan = json_pack(
				    "{s:s, s:o, s:I}", "text", store_column_text(st, 0), "due",
				    store_column_is_null(st, 1)
				        ? json_null()
				        : audit_date_json((int32_t)store_column_int64(st, 1)),
				    "at", (json_int_t)store_column_int64(st, 2));
		rc = rc == STORE_DONE ? CSHQ_OK : CSHQ_ERR;
	}
	free(ids);
	*out = a;
	*n = k;
	return rc;
}

static void free_findings(struct oscal_finding *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		audit_finding_row_release(&a[i].f);
		json_decref(a[i].plan);
	}
	free(a);
}

static const char *risk_status(const char *state)
{
	if (strcmp(state, "closed") == 0)
		return "closed";
	if (strcmp(state, "plan_reported") == 0 || strcmp(state, "result_reported") == 0)
		return "remediating";
	return "open";
}

static json_t *observation(const struct oscal_finding *o, const struct audit_eng *e)
{
	json_t *methods = strcmp(e->type, "penetration") == 0
	                      ? json_pack("[s]", "TEST")
	                      : json_pack("[s, s, s]", "EXAMINE", "INTERVIEW", "TEST");
	char title[64];
	snprintf(title, sizeof(title), "指摘事項 %d の根拠", o->f.seq);
	return json_pack("{s:s, s:s, s:s, s:o, s:[s], s:o}", "uuid", o->obs, "title", title,
	                 "description", o->f.evidence, "methods", methods, "types", "finding",
	                 "collected", audit_time_json(e->published_at));
}

static json_t *risk(const struct oscal_finding *o, bool with_plan)
{
	char sev[32];
	snprintf(sev, sizeof(sev), "%s", o->f.severity);
	json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[o, o], s:[{s:s}]}", "uuid", o->risk,
	                      "title", o->f.title, "description", o->f.evidence, "statement",
	                      o->f.proposal ? o->f.proposal : "改善のために必要な助言を参照",
	                      "status", risk_status(o->f.state), "props", prop("severity", sev),
	                      prop("important", o->f.important ? "true" : "false"),
	                      "related-observations", "observation-uuid", o->obs);
	if (with_plan && o->plan) {
		char ru[37], tu[37];
		audit_uuid_derived(o->f.uuid, "remediation", ru);
		audit_uuid_derived(o->f.uuid, "milestone", tu);
		json_t *rem =
		    json_pack("{s:s, s:s, s:s, s:O}", "uuid", ru, "lifecycle", "planned", "title",
		              "改善計画", "description", json_object_get(o->plan, "text"));
		json_t *due = json_object_get(o->plan, "due");
		if (json_is_string(due)) {
			char at[40];
			snprintf(at, sizeof(at), "%sT23:59:59+09:00", json_string_value(due));
			json_object_set_new(rem, "tasks",
			                    json_pack("[{s:s, s:s, s:s, s:{s:{s:s}}}]", "uuid", tu,
			                              "type", "milestone", "title", "改善完了予定",
			                              "timing", "on-date", "date", at));
		}
		json_object_set_new(r, "remediations", json_pack("[o]", rem));
	}
	return r;
}

int audit_oscal_results(struct store *db, const struct principal *who, int64_t engagement,
                        json_t **out, struct audit_error *err)
{
	struct audit_eng e;
	int rc = load(db, who, engagement, &e, err);
	if (rc != CSHQ_OK)
		return rc;
	struct oscal_finding *fs;
	size_t n;
	int revisions;
	int64_t last;
	if ((rc = load_findings(db, &e, &fs, &n, &revisions, &last)) != CSHQ_OK) {
		free_findings(fs, n);
		err->status = 500;
		snprintf(err->detail, sizeof(err->detail), "internal error");
		return rc;
	}
	json_t *observations = json_array(), *risks = json_array(), *findings = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct oscal_finding *o = &fs[i];
		json_array_append_new(observations, observation(o, &e));
		json_array_append_new(risks, risk(o, false));
		char target[80];
		if (o->f.requirement && strchr(o->f.requirement, ':'))
			token_of(strchr(o->f.requirement, ':') + 1, target, sizeof(target));
		else
			snprintf(target, sizeof(target), "finding-%d", o->f.seq);
		char rev[16];
		snprintf(rev, sizeof(rev), "%d", o->f.revision);
		json_t *f = json_pack(
		    "{s:s, s:s, s:s, s:[o, o, o], s:{s:s, s:s, s:{s:s}}, s:[{s:s}], s:[{s:s}]}",
		    "uuid", o->fnd, "title", o->f.title, "description", o->f.evidence, "props",
		    prop("severity", o->f.severity),
		    prop("important", o->f.important ? "true" : "false"), prop("revision", rev),
		    "target", "type", "objective-id", "target-id", target, "status", "state",
		    "not-satisfied", "related-observations", "observation-uuid", o->obs,
		    "related-risks", "risk-uuid", o->risk);
		if (o->f.proposal)
			json_object_set_new(f, "remarks", json_string(o->f.proposal));
		json_array_append_new(findings, f);
	}
	char result_uuid[37], plan_res[37];
	audit_uuid_derived(e.uuid, "result", result_uuid);
	audit_uuid_derived(e.uuid, "assessment-plan", plan_res);
	char href[40];
	snprintf(href, sizeof(href), "#%s", plan_res);
	char title[96];
	snprintf(title, sizeof(title), "%d年度 監査実施結果", e.fiscal_year);
	struct store_stmt *st;
	char *scope = NULL, *method = NULL;
	if ((rc = store_prepare(db, "SELECT scope, method FROM audit_engagements WHERE id = $1",
	                        &st)) == CSHQ_OK) {
		store_bind_int64(st, 1, e.id);
		while ((rc = store_step(st)) == STORE_ROW)
			if (!scope) {
				scope = xstrdup(store_column_text(st, 0));
				method = xstrdup(store_column_text(st, 1));
			}
	}
	json_t *result =
	    json_pack("{s:s, s:s, s:s, s:o, s:{s:[{s:{}}]}, s:o, s:o}", "uuid", result_uuid,
	              "title", title, "description", scope ? scope : "", "start",
	              audit_time_json((int64_t)e.start_date * 86400 - JST_OFFSET_SECONDS),
	              "reviewed-controls", "control-selections", "include-all", "observations",
	              observations, "risks", risks);
	if (n > 0)
		json_object_set_new(result, "findings", findings);
	else
		json_decref(findings);
	if (n == 0) {
		json_object_del(result, "observations");
		json_object_del(result, "risks");
	}
	json_t *doc = json_pack(
	    "{s:{s:s, s:o, s:{s:s}, s:[o], s:{s:[{s:s, s:s, s:s}]}}}", "assessment-results", "uuid",
	    e.uuid, "metadata", metadata(db, &e, "監査実施結果", last, revisions), "import-ap",
	    "href", href, "results", result, "back-matter", "resources", "uuid", plan_res, "title",
	    "監査実施計画（対象範囲・実施方法）", "description", method ? method : "");
	free(scope);
	free(method);
	free_findings(fs, n);
	*out = doc;
	return CSHQ_OK;
}

int audit_oscal_poam(struct store *db, const struct principal *who, int64_t engagement,
                     json_t **out, struct audit_error *err)
{
	struct audit_eng e;
	int rc = load(db, who, engagement, &e, err);
	if (rc != CSHQ_OK)
		return rc;
	struct oscal_finding *fs;
	size_t n;
	int revisions;
	int64_t last;
	if ((rc = load_findings(db, &e, &fs, &n, &revisions, &last)) != CSHQ_OK) {
		free_findings(fs, n);
		err->status = 500;
		snprintf(err->detail, sizeof(err->detail), "internal error");
		return rc;
	}
	json_t *observations = json_array(), *risks = json_array(), *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct oscal_finding *o = &fs[i];
		if (!o->plan)
			continue;
		if (json_integer_value(json_object_get(o->plan, "at")) > last)
			last = json_integer_value(json_object_get(o->plan, "at"));
		json_array_append_new(observations, observation(o, &e));
		json_array_append_new(risks, risk(o, true));
		char iu[37];
		audit_uuid_derived(o->f.uuid, "poam-item", iu);
		json_array_append_new(
		    items,
		    json_pack("{s:s, s:s, s:O, s:[o, o], s:[{s:s}], s:[{s:s}]}", "uuid", iu,
		              "title", o->f.title, "description", json_object_get(o->plan, "text"),
		              "props", prop("severity", o->f.severity),
		              prop("important", o->f.important ? "true" : "false"),
		              "related-observations", "observation-uuid", o->obs, "related-risks",
		              "risk-uuid", o->risk));
	}
	free_findings(fs, n);
	if (json_array_size(items) == 0) {
		json_decref(observations);
		json_decref(risks);
		json_decref(items);
		err->status = 409;
		snprintf(err->detail, sizeof(err->detail),
		         "no finding of this engagement has an improvement plan reported yet "
		         "(AuditPolicy 5(3))");
		return CSHQ_ECONFLICT;
	}
	char uuid[37];
	audit_uuid_derived(e.uuid, "poam", uuid);
	*out = json_pack("{s:{s:s, s:o, s:{s:s, s:s}, s:o, s:o, s:o}}",
	                 "plan-of-action-and-milestones", "uuid", uuid, "metadata",
	                 metadata(db, &e, "改善計画", last, revisions), "system-id",
	                 "identifier-type", CSHQ_NS "/org-code", "id", e.org, "observations",
	                 observations, "risks", risks, "poam-items", items);
	return CSHQ_OK;
}
