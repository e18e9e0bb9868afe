/* api_auditlog.c: verification of the tamper-evident log. */
#include "api/api.h"
#include "auth/auditlog.h"

int api_auditlog_verify(struct http_request *req, struct http_response *res)
{
	if (!principal_has(&req->who, ROLE_ADMIN) && !principal_has(&req->who, ROLE_NISC_DIRECTOR))
		return http_not_found(res);
	struct auditlog_report r;
	int rc = auditlog_verify(req->db, &r);
	if (rc != CSHQ_OK)
		return http_problem_rc(res, rc, NULL);
	return http_json(res, 200,
			 json_pack("{s:b, s:I, s:o}", "ok", r.ok, "entries", (json_int_t)r.entries,
				   "first_bad", r.ok ? json_null() : json_integer(r.first_bad)));
}
