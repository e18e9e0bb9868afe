/* principal.h: who is calling: a user of one organisation with one or more roles (spec 70),
 * or a sensor bound to its organisation. Built once per request by the session layer. */
#ifndef CSHQ_PRINCIPAL_H
#define CSHQ_PRINCIPAL_H

#include "core/common.h"
#include "regime/regime.h"

enum role {
	ROLE_ADMIN,
	ROLE_NISC_DIRECTOR,
	ROLE_NISC_DEPUTY,
	ROLE_NISC_STAFF,
	ROLE_HQ,
	ROLE_CYMAT_MANAGER,
	ROLE_CYMAT_FIELD_LEAD,
	ROLE_CYMAT_MEMBER,
	ROLE_CISO,
	ROLE_CSIRT,
	ROLE_INFOSEC,
	ROLE_INFOPROTECT,
	ROLE_DOMAIN_OWNER,
	ROLE_SYSTEM_OWNER,
	ROLE_RESOURCE,
	ROLE_STAFF,
	ROLE_DELEGATE,
	ROLE_COUNT
};
#define ROLE_BIT(r) (1u << (r))
/* The roles that see every body's records (spec 70 "NISC roles"). */
#define ROLES_NISC (ROLE_BIT(ROLE_NISC_DIRECTOR) | ROLE_BIT(ROLE_NISC_DEPUTY) | ROLE_BIT(ROLE_NISC_STAFF))

const char *role_code(enum role r);
int role_parse(const char *code, enum role *out);

enum principal_kind { PRINCIPAL_ANONYMOUS, PRINCIPAL_USER, PRINCIPAL_SENSOR };

#define PRINCIPAL_LOGIN_MAX 64
#define ORG_CODE_MAX 32

struct principal {
	enum principal_kind kind;
	int64_t user_id;   /* users.id, or sensors.id for a sensor */
	char login[PRINCIPAL_LOGIN_MAX + 1];
	char org[ORG_CODE_MAX + 1];
	enum org_kind org_kind;
	uint32_t roles;    /* ROLE_BIT set */
	bool acting;       /* nisc_deputy flagged as acting director (CymatRules 4(2)) */
	bool via_cookie;   /* state-changing requests then need the CSRF token */
	char csrf[65];
};

static inline bool principal_has(const struct principal *p, enum role r)
{
	return p->kind == PRINCIPAL_USER && (p->roles & ROLE_BIT(r));
}

static inline bool principal_is_nisc(const struct principal *p)
{
	return p->kind == PRINCIPAL_USER && (p->roles & ROLES_NISC) != 0;
}

#endif
