/* incidents.c: what reports, cases and notices share: errors, ids, times, text fields, the
 * RSIT taxonomy and TLP 2.0 labels as data, and the notices of a step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "modules/basis.h"
#include "modules/incidents.h"
#include "modules/registry.h"

void inc_error_release(struct inc_error *e)
{
	if (!e)
		return;
	json_decref(e->basis);
	e->basis = NULL;
}

void inc_error_from_wf(struct inc_error *e, const struct wf_ctx *ctx)
{
	e->status = ctx->status >= 400 ? ctx->status : 500;
	snprintf(e->detail, sizeof(e->detail), "%s", ctx->message);
	json_decref(e->basis);
	e->basis = ctx->n_basis ? basis_json(ctx->basis, ctx->n_basis) : NULL;
}

int64_t inc_parse_id(const char *s)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v > 0 ? v : -1;
}

json_t *inc_id_json(int64_t id)
{
	if (id <= 0)
		return json_null();
	char t[24];
	snprintf(t, sizeof(t), "%lld", (long long)id);
	return json_string(t);
}

json_t *inc_time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[26];
	time_format_rfc3339(t, s);
	return json_string(s);
}

const char *inc_text(json_t *in, const char *key, bool required, size_t max, bool *ok,
		     struct inc_error *e)
{
	json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v)) {
		if (required) {
			*ok = false;
			e->status = 422;
			snprintf(e->detail, sizeof(e->detail), "%s: required", key);
		}
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t n = s ? json_string_length(v) : 0;
	if (!s || (required && n == 0) || n > max || strlen(s) != n) {
		*ok = false;
		e->status = 422;
		snprintf(e->detail, sizeof(e->detail), "%s: a text of %s1 to %zu bytes", key,
			 required ? "" : "0 or ", max);
		return NULL;
	}
	return s;
}

/* ---- RSIT: the Reference Security Incident Taxonomy (reference taxonomy of the CSIRT
 * network), classes and types as data. */
struct rsit_type {
	const char *cls, *type, *label_ja;
};

static const struct rsit_type rsit_types[] = {
	{"abusive-content", "spam", "スパム"},
	{"abusive-content", "harmful-speech", "有害な言論"},
	{"abusive-content", "violence", "児童性的虐待・暴力"},
	{"malicious-code", "infected-system", "感染システム"},
	{"malicious-code", "c2-server", "C2サーバ"},
	{"malicious-code", "malware-distribution", "マルウェア配布"},
	{"malicious-code", "malware-configuration", "マルウェア設定"},
	{"information-gathering", "scanner", "スキャン"},
	{"information-gathering", "sniffing", "盗聴"},
	{"information-gathering", "social-engineering", "ソーシャルエンジニアリング"},
	{"intrusion-attempts", "ids-alert", "IDS検知"},
	{"intrusion-attempts", "brute-force", "総当たり攻撃"},
	{"intrusion-attempts", "exploit", "脆弱性攻撃の試行"},
	{"intrusions", "privileged-account-compromise", "特権アカウントの侵害"},
	{"intrusions", "unprivileged-account-compromise", "一般アカウントの侵害"},
	{"intrusions", "application-compromise", "アプリケーションの侵害"},
	{"intrusions", "system-compromise", "システムの侵害"},
	{"intrusions", "burglary", "物理的侵入"},
	{"availability", "dos", "DoS"},
	{"availability", "ddos", "DDoS"},
	{"availability", "misconfiguration", "設定誤り"},
	{"availability", "sabotage", "妨害"},
	{"availability", "outage", "停止"},
	{"information-content-security", "unauthorised-information-access", "情報への不正アクセス"},
	{"information-content-security", "unauthorised-information-modification", "情報の不正改変"},
	{"information-content-security", "data-loss", "データの消失"},
	{"information-content-security", "data-leak", "情報の漏えい"},
	{"fraud", "unauthorised-use-of-resources", "資源の不正利用"},
	{"fraud", "copyright", "著作権侵害"},
	{"fraud", "masquerade", "なりすまし"},
	{"fraud", "phishing", "フィッシング"},
	{"vulnerable", "weak-crypto", "脆弱な暗号"},
	{"vulnerable", "ddos-amplifier", "DDoS増幅器"},
	{"vulnerable", "potentially-unwanted-accessible", "不要な公開サービス"},
	{"vulnerable", "information-disclosure", "情報露出"},
	{"vulnerable", "vulnerable-system", "脆弱なシステム"},
	{"other", "other", "その他"},
	{"other", "undetermined", "未確定"},
	{"test", "test", "試験"},
};

static const struct {
	const char *cls, *label_ja;
} rsit_classes[] = {
	{"abusive-content", "不正なコンテンツ"},
	{"malicious-code", "不正プログラム"},
	{"information-gathering", "情報収集"},
	{"intrusion-attempts", "侵入の試み"},
	{"intrusions", "侵入"},
	{"availability", "可用性"},
	{"information-content-security", "情報セキュリティ（内容）"},
	{"fraud", "詐欺"},
	{"vulnerable", "脆弱性"},
	{"other", "その他"},
	{"test", "試験"},
};

json_t *rsit_json(void)
{
	json_t *out = json_array();
	for (size_t c = 0; c < CSHQ_ARRAY_LEN(rsit_classes); c++) {
		json_t *types = json_array();
		for (size_t i = 0; i < CSHQ_ARRAY_LEN(rsit_types); i++)
			if (strcmp(rsit_types[i].cls, rsit_classes[c].cls) == 0)
				json_array_append_new(types, json_pack("{s:s, s:s}", "type", rsit_types[i].type,
								       "label_ja", rsit_types[i].label_ja));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "class", rsit_classes[c].cls, "label_ja",
						     rsit_classes[c].label_ja, "types", types));
	}
	return out;
}

bool rsit_valid(const char *cls, const char *type)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(rsit_types); i++)
		if (cls && type && strcmp(rsit_types[i].cls, cls) == 0 && strcmp(rsit_types[i].type, type) == 0)
			return true;
	return false;
}

/* ---- TLP 2.0 */
static const char *const tlp_labels[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};

bool tlp_valid(const char *tlp)
{
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(tlp_labels); i++)
		if (tlp && strcmp(tlp, tlp_labels[i]) == 0)
			return true;
	return false;
}

bool inc_export_allowed(const struct principal *who, const char *subject, const char *tlp)
{
	if (tlp && (strcmp(tlp, "RED") == 0 || strcmp(tlp, "AMBER+STRICT") == 0))
		return strcmp(who->org, subject) == 0;
	return true;
}

/* ---- notices */

int inc_notice(struct store *db, json_t *detail, const char *to_org, const char *subject_ja,
	       const char *kind, int64_t id, json_t *basis)
{
	int rc = notice_send(db, to_org, NULL, subject_ja, kind, id, basis);
	if (rc != CSHQ_OK || !detail)
		return rc;
	json_t *list = json_object_get(detail, "notices");
	if (!list) {
		list = json_array();
		json_object_set_new(detail, "notices", list);
	}
	json_array_append_new(list, json_pack("{s:s, s:s}", "to_org", to_org, "subject", subject_ja));
	return CSHQ_OK;
}

int case_notify_heads(struct store *db, int32_t date, int32_t fallback_date, json_t *detail,
		      const char *subject_org, int article, const char *subject_ja, int64_t case_id)
{
	struct registry_subject subj;
	struct regime_recipients r;
	int rc = registry_subject(db, subject_org, date, &subj);
	if (rc != CSHQ_OK)
		return rc;
	rc = regime_heads("MajorIncidentRules", article, &subj.facts, date, &r);
	if (rc == CSHQ_ECONFLICT && fallback_date != date) {
		/* no longer a 行政機関等 today (a designation ended): the heads of the case's
		 * own time answer, with the provision in force today */
		if ((rc = registry_subject(db, subject_org, fallback_date, &subj)) != CSHQ_OK)
			return rc;
		rc = regime_heads("MajorIncidentRules", article, &subj.facts, fallback_date, &r);
		if (rc == CSHQ_OK) {
			char a[4];
			snprintf(a, sizeof(a), "%d", article);
			r.n_basis = 0;
			const struct regime_citation *c = regime_cite("MajorIncidentRules", a, 0, 0, date);
			if (c)
				r.basis[r.n_basis++] = c;
		}
	}
	if (rc != CSHQ_OK)
		return rc;
	for (size_t i = 0; i < r.n && rc == CSHQ_OK; i++) {
		json_t *b = basis_json(r.basis, r.n_basis);
		rc = inc_notice(db, detail, r.codes[i], subject_ja, "case", case_id, b);
		json_decref(b);
	}
	return rc;
}
