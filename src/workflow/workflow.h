/* workflow.h: the one state-machine engine every module uses (reports, cases, detections,
 * CYMAT dispatches, audit engagements, risk assessments). A module declares its machine as
 * a table of transitions (state, action, roles, who, input check, guard, effect, basis);
 * wf_apply runs one action inside the request's transaction:
 *
 *   load the record -> visibility (404) -> find the transition for (state, action) (409
 *   when the state does not allow it) -> role and party check (403) -> input check (422)
 *   -> guard (409 with basis) -> state change -> effect (notices, grants, derived rows)
 *   -> timeline entry with basis -> tamper-evident log entry.
 *
 * Basis: each transition cites provisions by doc/article/paragraph/item; the engine
 * resolves them with regime_cite on the date the step is taken, so a step taken before
 * 2016-10-21 cites the old text and one taken after cites the amended text. A guard that
 * refuses cites its own basis through wf_refuse. */
#ifndef CSHQ_WORKFLOW_H
#define CSHQ_WORKFLOW_H

#include <jansson.h>

#include "auth/principal.h"
#include "auth/visibility.h"
#include "regime/regime.h"
#include "store/store.h"

/* A provision cited by a step; article as in struct regime_citation, 0 = none. */
struct wf_cite {
	const char *doc;
	const char *article;
	int paragraph;
	int item;
};

/* Which party may take a step (on top of the role). Checked against the record's subject. */
enum wf_party {
	WF_PARTY_ANY,        /* any user who can see the record */
	WF_PARTY_SUBJECT,    /* a user of the subject body itself */
	WF_PARTY_SUPERVISOR, /* a user of a ministry supervising the subject */
	WF_PARTY_SUBJECT_OR_SUPERVISOR,
	WF_PARTY_NISC,       /* a user of NISC */
	WF_PARTY_HQ,         /* a user of HQ */
	WF_PARTY_GRANTED,    /* a user whose organisation holds an open grant on the record */
};

struct wf_machine;
struct wf_transition;

/* Everything a check, guard or effect sees. Modules keep their loaded row in `record`. */
struct wf_ctx {
	struct store *db;
	const struct principal *who;
	const struct wf_machine *machine;
	int64_t id;
	char state[48];          /* state before the step */
	const char *next_state;  /* the transition's target; an effect may redirect it */
	char subject_org[33];
	int confidentiality;
	int32_t date;            /* the JST date the step is taken */
	json_t *input;           /* the action's body (an object, never NULL) */
	json_t *detail;          /* stored with the timeline entry; checks and effects add to it */
	void *record;            /* module data loaded by machine->load */
	/* Set by load when the record is seen as part of another one (a finding as part of its
	 * engagement, so that a delegation of the engagement covers it) or is held on its route
	 * (vis_check_held); NULL/0 = the record itself, released. */
	const char *vis_kind;
	int64_t vis_id;
	enum vis_hold vis_hold;
	const struct wf_transition *step;
	/* a refusal */
	int status;
	char message[300];
	const struct regime_citation *basis[REGIME_MAX_BASIS];
	size_t n_basis;
};

typedef int (*wf_fn)(struct wf_ctx *ctx);

struct wf_transition {
	const char *from;     /* a state, or "*" for every state not final */
	const char *action;
	const char *to;       /* NULL keeps the state */
	uint32_t roles;       /* ROLE_BIT set allowed to take the step */
	enum wf_party party;
	wf_fn check_input;    /* validates ctx->input; refuse with 422 */
	wf_fn guard;          /* the rule of the regime; refuse with 409 and basis */
	wf_fn effect;         /* after the state change */
	struct wf_cite basis[3];
	const char *label_ja;
	const char *label_en;
};

struct wf_machine {
	const char *kind;  /* record kind: timeline, log and grants use it */
	const char *table; /* table with columns id and state (and updated_at) */
	const struct wf_transition *steps;
	size_t n_steps;
	const char *const *final_states; /* NULL-terminated */
	/* Fills ctx->state, subject_org, confidentiality (and record). CSHQ_ENOTFOUND when absent. */
	wf_fn load;
	/* Frees ctx->record. May be NULL. */
	void (*unload)(struct wf_ctx *ctx);
	/* Whether a row of steps is open now, judged on the loaded record alone (e.g. "NISC
	 * only in an emergency", "only under the amended version"); NULL = every row always.
	 * It sees no input, so wf_allowed_actions asks it too and offers only what would pass.
	 * wf_apply asks it after the role and party check, before the input check; a closed
	 * row refuses with wf_refuse (409 with basis) and returns non-zero. When several rows
	 * match (state, action, caller), the first open one is taken; if none is open, the
	 * first row's refusal is answered. */
	int (*step_open)(struct wf_ctx *ctx, const struct wf_transition *t);
};

/* Records a refusal in ctx: status (403/409/422), a message, and the provisions (in force
 * on ctx->date) that cause it. Returns CSHQ_ECONFLICT (or CSHQ_EINVAL for 422,
 * CSHQ_EDENIED for 403) so a check can `return wf_refuse(...)`. */
int wf_refuse(struct wf_ctx *ctx, int status, const char *message, const struct wf_cite *cites,
	      size_t n);
/* Adds a citation (resolved on ctx->date) to a refusal or to the step's detail basis. */
void wf_add_basis(struct wf_ctx *ctx, const struct regime_citation *c);

/* Result of wf_apply: CSHQ_OK, or an error with ctx->status (404/403/409/422/500),
 * ctx->message and ctx->basis set. The caller answers with them. ctx must be released
 * with wf_ctx_release. input may be NULL. */
int wf_apply(struct store *db, const struct principal *who, const struct wf_machine *m,
	     int64_t id, const char *action, json_t *input, struct wf_ctx *ctx);
void wf_ctx_release(struct wf_ctx *ctx);

/* Loads a record and checks the caller may see it (404 otherwise): for read handlers. */
int wf_load_visible(struct store *db, const struct principal *who, const struct wf_machine *m,
		    int64_t id, struct wf_ctx *ctx);

/* The actions the caller may take now (state, role and party; guards are not run). */
json_t *wf_allowed_actions(struct wf_ctx *ctx);
/* The timeline of a record: [{at, actor, org, action, from, to, detail, basis}]. */
int wf_timeline_json(struct store *db, const char *kind, int64_t id, json_t **out);
/* Appends a timeline entry (the engine does this for actions; modules for creation). */
int wf_timeline_add(struct store *db, const struct principal *who, const char *kind, int64_t id,
		    const char *action, const char *from, const char *to, json_t *detail,
		    json_t *basis);
/* Resolves a step's cites on a date into a JSON basis array. */
json_t *wf_cites_json(const struct wf_cite *cites, size_t n, int32_t date);

/* Notices (spec 20 "notifications"): one row per recipient organisation (and role), with
 * the basis that requires the notice. */
int notice_send(struct store *db, const char *to_org, const char *to_role, const char *subject,
		const char *record_kind, int64_t record_id, json_t *basis);

#endif
