/* routes.c: the foundation routes of /api/v1 and the list of every module's route table.
 * A module adds its own table (api_<module>.c) and one line to api_route_tables. */
#include "api/api.h"

const struct http_route api_foundation_routes[] = {
	{"GET", "/api/v1/health", api_health, ROUTE_PUBLIC},
	{"GET", "/api/v1/openapi.json", api_openapi, ROUTE_PUBLIC},
	{"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC},
	{"GET", "/api/v1/session", api_session_get, 0},
	{"DELETE", "/api/v1/session", api_session_delete, 0},
	{"GET", "/api/v1/users", api_users_list, 0},
	{"POST", "/api/v1/users", api_users_create, 0},
	{"GET", "/api/v1/users/{login}", api_users_get, 0},
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
const size_t api_foundation_route_count = CSHQ_ARRAY_LEN(api_foundation_routes);

const struct http_route_table api_route_tables[] = {
	{api_foundation_routes, CSHQ_ARRAY_LEN(api_foundation_routes)},
};
const size_t api_route_table_count = CSHQ_ARRAY_LEN(api_route_tables);
