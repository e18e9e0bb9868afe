/* regime.c: the queries of the regime engine over the tables of provisions.c and rules.c:
 * codes, the effective date, evaluation of a function for a body on a date, "the head of the
 * organisation", and citation look-ups. Pure: no I/O, no allocation; answers point into the
 * static tables and into the caller's subject. */
#include <string.h>

#include "core/common.h"
#include "core/timeutil.h"
#include "regime/regime_impl.h"

static const char *const kind_codes[ORG_KIND_COUNT] = {
	[ORG_HQ] = "hq",
	[ORG_NISC] = "nisc",
	[ORG_CABINET_UNIT] = "cabinet_unit",
	[ORG_MINISTRY] = "ministry",
	[ORG_OBSERVER] = "observer",
	[ORG_IAI] = "iai",
	[ORG_CORPORATION] = "corporation",
	[ORG_CI_OPERATOR] = "ci_operator",
	[ORG_OTHER] = "other",
};

static const char *const function_codes[RF_COUNT] = {
	[RF_GSOC_MONITORING] = "gsoc_monitoring",
	[RF_AUDIT] = "audit",
	[RF_CAUSE_INVESTIGATION] = "cause_investigation",
	[RF_DELEGATION] = "delegation",
	[RF_MANDATORY_REPORTING] = "mandatory_reporting",
	[RF_MATERIALS_REQUEST] = "materials_request",
	[RF_CYMAT_SUPPORT] = "cymat_support",
	[RF_RISK_GUIDELINE] = "risk_guideline",
};

const char *org_kind_code(enum org_kind k)
{
	if ((unsigned)k >= ORG_KIND_COUNT)
		return NULL;
	return kind_codes[k];
}

int org_kind_parse(const char *code, enum org_kind *out)
{
	if (!code)
		return CSHQ_EINVAL;
	for (int k = 0; k < ORG_KIND_COUNT; k++) {
		if (strcmp(kind_codes[k], code) == 0) {
			*out = (enum org_kind)k;
			return CSHQ_OK;
		}
	}
	return CSHQ_EINVAL;
}

const char *regime_function_code(enum regime_function f)
{
	if ((unsigned)f >= RF_COUNT)
		return NULL;
	return function_codes[f];
}

int regime_function_parse(const char *code, enum regime_function *out)
{
	if (!code)
		return CSHQ_EINVAL;
	for (int f = 0; f < RF_COUNT; f++) {
		if (strcmp(function_codes[f], code) == 0) {
			*out = (enum regime_function)f;
			return CSHQ_OK;
		}
	}
	return CSHQ_EINVAL;
}

const char *regime_applies_code(enum regime_applies a)
{
	switch (a) {
	case RA_NO:
		return "no";
	case RA_YES:
		return "yes";
	case RA_CONDITIONAL:
		return "conditional";
	}
	return NULL;
}

const char *regime_route_code(enum regime_route r)
{
	switch (r) {
	case ROUTE_NONE:
		return "none";
	case ROUTE_DIRECT:
		return "direct";
	case ROUTE_VIA:
		return "via";
	}
	return NULL;
}

/* Days from 1970-01-01 to 2016-10-21, the Act's entry into force; the amended versions carry
 * no day in the seed ("平成28年 月 日"), so they take this one (spec 00). A constant rather
 * than date_from_ymd() so that the default needs no initialisation; a unit test holds the two
 * equal. */
#define REGIME_DEFAULT_EFFECTIVE_DATE 17095

static int32_t effective_date = REGIME_DEFAULT_EFFECTIVE_DATE;

int32_t regime_effective_date(void)
{
	return effective_date;
}

void regime_set_effective_date(int32_t days)
{
	effective_date = days;
}

bool regime_amended_on(int32_t date)
{
	return date >= effective_date;
}

static const struct regime_doc_versions *doc_versions(const char *doc)
{
	if (!doc)
		return NULL;
	for (size_t i = 0; i < regime_doc_count; i++)
		if (strcmp(regime_docs[i].doc, doc) == 0)
			return &regime_docs[i];
	return NULL;
}

const char *regime_doc_version(const char *doc, int32_t date)
{
	const struct regime_doc_versions *d = doc_versions(doc);

	if (!d)
		return NULL;
	return regime_amended_on(date) ? d->new_version : d->old_version;
}

const struct regime_citation *regime_cite_version(const char *doc, const char *version,
						  const char *article, int paragraph, int item)
{
	if (!doc || !version || !article)
		return NULL;
	for (size_t i = 0; i < regime_provision_count; i++) {
		const struct regime_citation *c = &regime_provision_rows[i];

		if (c->paragraph == paragraph && c->item == item && strcmp(c->doc, doc) == 0 &&
		    strcmp(c->version, version) == 0 && strcmp(c->article, article) == 0)
			return c;
	}
	return NULL;
}

const struct regime_citation *regime_cite(const char *doc, const char *article, int paragraph,
					  int item, int32_t date)
{
	const char *version = regime_doc_version(doc, date);

	if (!version)
		return NULL;
	return regime_cite_version(doc, version, article, paragraph, item);
}

const struct regime_citation *regime_provisions(size_t *count)
{
	*count = regime_provision_count;
	return regime_provision_rows;
}

static bool tri_ok(enum regime_tri want, bool fact)
{
	return want == TRI_ANY || (want == TRI_YES) == fact;
}

/* Designation is an Act 13 status of 特殊法人・認可法人 only; the flag means nothing on
 * another kind of body. */
static bool is_designated(const struct regime_subject *s)
{
	return s->kind == ORG_CORPORATION && s->art13_designated;
}

const struct regime_rule *regime_match_rule(enum regime_function f, const struct regime_subject *s,
					    int32_t date)
{
	enum regime_era era = regime_amended_on(date) ? REGIME_ERA_NEW : REGIME_ERA_OLD;

	if (!s || (unsigned)s->kind >= ORG_KIND_COUNT || (unsigned)f >= RF_COUNT)
		return NULL;
	for (size_t i = 0; i < regime_rule_count; i++) {
		const struct regime_rule *r = &regime_rules[i];

		if (r->fn == f && r->era == era && (r->kinds & REGIME_KIND(s->kind)) &&
		    tri_ok(r->designated, is_designated(s)) && tri_ok(r->listed, s->art32_listed))
			return r;
	}
	return NULL;
}

/* Resolves a row's keys into citations. A key that names no provision is a broken table,
 * which the unit tests rule out; abort rather than answer without a basis. */
static size_t resolve_basis(const struct regime_ref *refs,
			    const struct regime_citation *out[REGIME_MAX_BASIS])
{
	size_t n = 0;

	for (; n < REGIME_MAX_BASIS && refs[n].doc; n++) {
		out[n] = regime_cite_version(refs[n].doc, refs[n].version, refs[n].article,
					     refs[n].paragraph, refs[n].item);
		CSHQ_ASSERT(out[n] != NULL);
	}
	CSHQ_ASSERT(n > 0);
	return n;
}

void regime_evaluate(enum regime_function f, const struct regime_subject *s, int32_t date,
		     struct regime_answer *out)
{
	const struct regime_rule *r = regime_match_rule(f, s, date);

	/* every function and era ends with a catch-all row, so only a bad enum gets here */
	CSHQ_ASSERT(r != NULL);
	memset(out, 0, sizeof(*out));
	out->applies = r->applies;
	out->condition = r->applies == RA_CONDITIONAL ? r->condition : NULL;
	out->route = r->route;
	if (r->route == ROUTE_VIA) {
		for (size_t i = 0; s->supervising && i < s->n_supervising &&
				   out->n_via < REGIME_MAX_VIA;
		     i++)
			out->via[out->n_via++] = s->supervising[i];
	}
	out->n_basis = resolve_basis(r->basis, out->basis);
}

int regime_report_item(const struct regime_subject *s, int32_t date)
{
	const struct regime_rule *r = regime_match_rule(RF_MANDATORY_REPORTING, s, date);

	if (!r || r->applies == RA_NO)
		return 0;
	/* the rows cite the item they rest on first */
	return r->basis[0].item;
}

static const struct regime_heads_rule *match_heads(const char *doc, const char *version,
						   int article, const struct regime_subject *s,
						   bool *article_known)
{
	*article_known = false;
	for (size_t i = 0; i < regime_heads_rule_count; i++) {
		const struct regime_heads_rule *h = &regime_heads_rules[i];

		if (h->article != article || strcmp(h->doc, doc) != 0 ||
		    strcmp(h->version, version) != 0)
			continue;
		*article_known = true;
		if ((h->kinds & REGIME_KIND(s->kind)) && tri_ok(h->designated, is_designated(s)))
			return h;
	}
	return NULL;
}

int regime_heads(const char *doc, int article, const struct regime_subject *s, int32_t date,
		 struct regime_recipients *out)
{
	const char *version;
	const struct regime_heads_rule *h;
	bool known;

	if (!doc || !s || !out || (unsigned)s->kind >= ORG_KIND_COUNT)
		return CSHQ_EINVAL;
	version = regime_doc_version(doc, date);
	if (!version)
		return CSHQ_EINVAL;
	h = match_heads(doc, version, article, s, &known);
	if (!known)
		return CSHQ_EINVAL;
	if (!h)
		return CSHQ_ECONFLICT; /* not a 行政機関等 under that version */
	memset(out, 0, sizeof(*out));
	if (h->who != HEADS_SELF) {
		if (s->n_supervising == 0 || !s->supervising)
			return CSHQ_EINVAL;
		if (s->n_supervising > REGIME_MAX_VIA)
			return CSHQ_ELIMIT;
		for (size_t i = 0; i < s->n_supervising; i++)
			out->codes[out->n++] = s->supervising[i];
	}
	if (h->who != HEADS_SUPERVISING)
		out->codes[out->n++] = s->code;
	out->n_basis = resolve_basis(h->basis, out->basis);
	return CSHQ_OK;
}
