/* routes.c: the foundation routes of /api/v1 and the collection of every module's table.
 * A module defines `const struct http_route_table api_<module>_routes` in its own
 * api_<module>.c; the weak references below pick it up when that file is built, so adding
 * a module never edits this file or another module's. */
#include "api/api.h"

static const struct http_route foundation_routes[] = {
	{"GET", "/api/v1/health", api_health, ROUTE_PUBLIC},
	{"GET", "/api/v1/openapi.json", api_openapi, ROUTE_PUBLIC},
	{"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC},
	{"GET", "/api/v1/session", api_session_get, 0},
	{"DELETE", "/api/v1/session", api_session_delete, 0},
	{"GET", "/api/v1/users", api_users_list, 0},
	{"POST", "/api/v1/users", api_users_create, 0},
	{"GET", "/api/v1/users/{login}", api_users_get, 0},
	{"POST", "/api/v1/users/{login}/actions/unlock", api_users_unlock, 0},
	{"POST", "/api/v1/users/{login}/actions/disable", api_users_disable, 0},
	{"POST", "/api/v1/tokens", api_tokens_create, 0},
	{"GET", "/api/v1/tokens", api_tokens_list, 0},
	{"DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, 0},
	{"GET", "/api/v1/orgs", api_orgs_list, 0},
	{"GET", "/api/v1/orgs/{code}", api_orgs_get, 0},
	{"GET", "/api/v1/orgs/{code}/applicability", api_orgs_applicability, 0},
	{"GET", "/api/v1/orgs/{code}/heads", api_orgs_heads, 0},
	{"POST", "/api/v1/orgs/{code}/designations", api_orgs_designate, 0},
	{"POST", "/api/v1/orgs/{code}/designations/{id}/actions/end", api_orgs_end_designation, 0},
	{"POST", "/api/v1/orgs/{code}/listings", api_orgs_list_art32, 0},
	{"POST", "/api/v1/orgs/{code}/listings/{id}/actions/end", api_orgs_end_listing, 0},
	{"GET", "/api/v1/audit-log/verify", api_auditlog_verify, 0},
};

static const struct http_route_table foundation = {foundation_routes, CSHQ_ARRAY_LEN(foundation_routes)};

#define MODULE_TABLE(name) extern const struct http_route_table name __attribute__((weak));
MODULE_TABLE(api_incidents_routes) /* reports, cases, notifications (spec 20) */
MODULE_TABLE(api_gsoc_routes)      /* sensors, indicators, alerts, detections (spec 30) */
MODULE_TABLE(api_cymat_routes)     /* CYMAT (spec 40) */
MODULE_TABLE(api_audit_routes)     /* audits (spec 50) */
MODULE_TABLE(api_risk_routes)      /* risk assessment (spec 60) */

size_t api_collect_routes(struct http_route_table *out, size_t max)
{
	const struct http_route_table *all[] = {
		&foundation,           &api_incidents_routes, &api_gsoc_routes,
		&api_cymat_routes,     &api_audit_routes,     &api_risk_routes,
	};
	size_t n = 0;
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(all) && n < max; i++)
		if (all[i]) /* a weak reference is NULL when that module is not built */
			out[n++] = *all[i];
	return n;
}
