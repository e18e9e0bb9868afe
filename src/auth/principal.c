/* principal.c: role codes of spec 70. */
#include <string.h>

#include "auth/principal.h"

static const char *const role_codes[ROLE_COUNT] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_NISC_DIRECTOR] = "nisc_director",
	[ROLE_NISC_DEPUTY] = "nisc_deputy",
	[ROLE_NISC_STAFF] = "nisc_staff",
	[ROLE_HQ] = "hq",
	[ROLE_CYMAT_MANAGER] = "cymat_manager",
	[ROLE_CYMAT_FIELD_LEAD] = "cymat_field_lead",
	[ROLE_CYMAT_MEMBER] = "cymat_member",
	[ROLE_CISO] = "ciso",
	[ROLE_CSIRT] = "csirt",
	[ROLE_INFOSEC] = "infosec",
	[ROLE_INFOPROTECT] = "infoprotect",
	[ROLE_DOMAIN_OWNER] = "domain_owner",
	[ROLE_SYSTEM_OWNER] = "system_owner",
	[ROLE_RESOURCE] = "resource",
	[ROLE_STAFF] = "staff",
	[ROLE_DELEGATE] = "delegate",
};

const char *role_code(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_codes[r] : "unknown";
}

int role_parse(const char *code, enum role *out)
{
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(code, role_codes[i]) == 0) {
			*out = (enum role)i;
			return CSHQ_OK;
		}
	}
	return CSHQ_EINVAL;
}
