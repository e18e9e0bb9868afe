/* api.h: the handlers of /api/v1 (spec 80), one file per resource. Each handler runs inside
 * the request's transaction with the caller resolved (see http/http.h); every record it
 * answers has passed the visibility layer (auth/visibility.h). */
#ifndef CSHQ_API_H
#define CSHQ_API_H

#include "http/http.h"

int api_health(struct http_request *req, struct http_response *res);
int api_openapi(struct http_request *req, struct http_response *res);
int api_session_create(struct http_request *req, struct http_response *res);
int api_session_get(struct http_request *req, struct http_response *res);
int api_session_delete(struct http_request *req, struct http_response *res);
int api_users_list(struct http_request *req, struct http_response *res);
int api_users_create(struct http_request *req, struct http_response *res);
int api_users_get(struct http_request *req, struct http_response *res);
int api_orgs_list(struct http_request *req, struct http_response *res);
int api_orgs_get(struct http_request *req, struct http_response *res);
int api_orgs_applicability(struct http_request *req, struct http_response *res);
int api_orgs_heads(struct http_request *req, struct http_response *res);
int api_orgs_designate(struct http_request *req, struct http_response *res);
int api_orgs_end_designation(struct http_request *req, struct http_response *res);
int api_orgs_list_art32(struct http_request *req, struct http_response *res);
int api_orgs_end_listing(struct http_request *req, struct http_response *res);
int api_tokens_create(struct http_request *req, struct http_response *res);
int api_tokens_list(struct http_request *req, struct http_response *res);
int api_tokens_revoke(struct http_request *req, struct http_response *res);
int api_users_unlock(struct http_request *req, struct http_response *res);
int api_users_disable(struct http_request *req, struct http_response *res);
int api_auditlog_verify(struct http_request *req, struct http_response *res);

/* Every API route: fills out with the foundation table and each built module's table
 * (routes.c); returns how many. */
#define API_MAX_ROUTE_TABLES 16
size_t api_collect_routes(struct http_route_table *out, size_t max);

/* JSON of the calling user, as in the session answer. */
json_t *api_user_json(const struct principal *p);

#endif
