/* test_auth.c: the visibility rules and the hash-chained log, on an in-memory store loaded
 * with the registry seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auditlog.h"
#include "auth/password.h"
#include "auth/visibility.h"
#include "modules/registry.h"

static struct store *db;

static int setup(void **state)
{
	struct store_config cfg = {STORE_SQLITE, ":memory:"};
	char err[128];
	if (store_connect(&cfg, &db, err, sizeof(err)) != CSHQ_OK || store_migrate(db) != CSHQ_OK)
		return -1;
	size_t n;
	store_begin(db, true);
	if (registry_import_csv(db, CSHQ_SEED_CSV, err, sizeof(err), &n) != CSHQ_OK)
		return -1;
	return store_commit(db) == CSHQ_OK ? 0 : -1;
}

static int teardown(void **state)
{
	store_disconnect(db);
	return 0;
}

static struct principal user(const char *org, enum org_kind kind, uint32_t roles)
{
	struct principal p = {.kind = PRINCIPAL_USER, .user_id = 7, .org_kind = kind, .roles = roles};
	snprintf(p.org, sizeof(p.org), "%s", org);
	snprintf(p.login, sizeof(p.login), "%s.user", org);
	return p;
}

static int sees(const struct principal *p, const char *subject, int conf)
{
	struct vis_record r = {.kind = "report", .id = 99, .subject_org = subject, .confidentiality = conf};
	return vis_check(db, p, &r);
}

static void visibility_by_organisation(void **state)
{
	struct principal nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	struct principal director = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_DIRECTOR));
	struct principal mhlw = user("mhlw", ORG_MINISTRY, ROLE_BIT(ROLE_CSIRT));
	struct principal jps = user("jps", ORG_CORPORATION, ROLE_BIT(ROLE_STAFF));
	struct principal nict = user("nict", ORG_IAI, ROLE_BIT(ROLE_STAFF));
	struct principal admin = user("nisc", ORG_NISC, ROLE_BIT(ROLE_ADMIN));
	struct principal ipa = user("ipa", ORG_IAI, ROLE_BIT(ROLE_DELEGATE));
	struct principal sensor = {.kind = PRINCIPAL_SENSOR};

	assert_int_equal(sees(&nisc, "jps", 2), CSHQ_OK);
	assert_int_equal(sees(&nisc, "jps", 3), CSHQ_ENOTFOUND); /* class 3 only when assigned */
	assert_int_equal(sees(&director, "jps", 3), CSHQ_OK);
	assert_int_equal(sees(&mhlw, "jps", 3), CSHQ_OK);      /* supervising ministry */
	assert_int_equal(sees(&mhlw, "nict", 1), CSHQ_ENOTFOUND); /* supervised by mic */
	assert_int_equal(sees(&jps, "jps", 3), CSHQ_OK);
	assert_int_equal(sees(&jps, "mhlw", 1), CSHQ_ENOTFOUND); /* not upwards */
	assert_int_equal(sees(&nict, "jps", 1), CSHQ_ENOTFOUND);
	assert_int_equal(sees(&admin, "jps", 1), CSHQ_ENOTFOUND); /* admin alone sees no content */
	assert_int_equal(sees(&ipa, "jps", 1), CSHQ_ENOTFOUND);
	assert_int_equal(sees(&ipa, "ipa", 1), CSHQ_ENOTFOUND);   /* a delegate has no own scope */
	assert_int_equal(sees(&sensor, "jps", 1), CSHQ_ENOTFOUND);
}

static void grants_open_and_close_and_delegate_reads_are_logged(void **state)
{
	struct principal ipa = user("ipa", ORG_IAI, ROLE_BIT(ROLE_DELEGATE));
	struct principal nisc = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	assert_int_equal(store_begin(db, true), CSHQ_OK);
	assert_int_equal(vis_grant(db, "report", 99, "ipa", 0, "delegation"), CSHQ_OK);
	assert_int_equal(vis_grant(db, "report", 99, "nisc", 0, "case_team"), CSHQ_OK);
	int64_t before, after;
	assert_int_equal(store_query_int64(db, "SELECT count(*) FROM audit_log", &before), CSHQ_OK);
	assert_int_equal(sees(&ipa, "jps", 3), CSHQ_OK);
	assert_int_equal(sees(&nisc, "jps", 3), CSHQ_OK); /* the case team sees class 3 */
	assert_int_equal(store_query_int64(db, "SELECT count(*) FROM audit_log WHERE action = 'delegate_read'", &after), CSHQ_OK);
	assert_int_equal(after, 1);
	struct vis_record other = {.kind = "report", .id = 100, .subject_org = "jps", .confidentiality = 1};
	assert_int_equal(vis_check(db, &ipa, &other), CSHQ_ENOTFOUND); /* that record only */
	assert_int_equal(vis_revoke(db, "report", 99, "ipa"), CSHQ_OK);
	assert_int_equal(sees(&ipa, "jps", 3), CSHQ_ENOTFOUND); /* only while open */
	assert_int_equal(store_commit(db), CSHQ_OK);
	(void)before;
}

static void list_condition_matches_check(void **state)
{
	struct principal mhlw = user("mhlw", ORG_MINISTRY, ROLE_BIT(ROLE_CSIRT));
	struct buf sql = BUF_INIT(4096);
	buf_puts(&sql, "SELECT count(*) FROM orgs o WHERE ");
	assert_int_equal(vis_list_condition(&mhlw, "org", "o.code", "0", NULL, 1, 2, &sql), CSHQ_OK);
	struct store_stmt *st;
	assert_int_equal(store_prepare(db, buf_cstr(&sql), &st), CSHQ_OK);
	store_bind_text(st, 1, mhlw.org);
	store_bind_int64(st, 2, mhlw.user_id);
	assert_int_equal(store_step(st), STORE_ROW);
	int64_t listed = store_column_int64(st, 0);
	int64_t supervised;
	assert_int_equal(store_query_int64(db, "SELECT count(*) FROM org_supervisors WHERE ministry = 'mhlw'", &supervised), CSHQ_OK);
	assert_int_equal(listed, supervised + 1); /* its own records and its bodies' */
	buf_release(&sql);
}

static void log_chain_names_the_altered_entry(void **state)
{
	struct principal p = user("nisc", ORG_NISC, ROLE_BIT(ROLE_NISC_STAFF));
	assert_int_equal(store_begin(db, true), CSHQ_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(auditlog_append(db, &p, "test", "thing", "1", "{\"n\":1}"), CSHQ_OK);
	assert_int_equal(store_commit(db), CSHQ_OK);
	struct auditlog_report r;
	assert_int_equal(auditlog_verify(db, &r), CSHQ_OK);
	assert_true(r.ok);
	int64_t last = r.entries;
	assert_int_equal(store_exec(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"), CSHQ_OK);
	assert_int_equal(auditlog_verify(db, &r), CSHQ_OK);
	assert_false(r.ok);
	assert_int_equal(r.first_bad, 3);
	assert_int_equal(store_exec(db, "UPDATE audit_log SET actor = 'nisc.user' WHERE seq = 3"), CSHQ_OK);
	assert_int_equal(auditlog_verify(db, &r), CSHQ_OK);
	assert_true(r.ok);
	char sql[96];
	snprintf(sql, sizeof(sql), "DELETE FROM audit_log WHERE seq = %lld", (long long)last);
	assert_int_equal(store_exec(db, sql), CSHQ_OK); /* a removed tail shows at the head */
	assert_int_equal(auditlog_verify(db, &r), CSHQ_OK);
	assert_false(r.ok);
	assert_int_equal(r.first_bad, last);
}

static void password_limits(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash("short", h), CSHQ_EINVAL);
	assert_int_equal(password_hash("long-enough-password", h), CSHQ_OK);
	assert_true(password_verify(h, "long-enough-password"));
	assert_false(password_verify(h, "long-enough-passwore"));
	char g[21];
	password_generate(g);
	assert_int_equal(strlen(g), 20);
}

int main(void)
{
	if (password_init() != CSHQ_OK)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(visibility_by_organisation),
		cmocka_unit_test(grants_open_and_close_and_delegate_reads_are_logged),
		cmocka_unit_test(list_condition_matches_check),
		cmocka_unit_test(log_chain_names_the_altered_entry),
		cmocka_unit_test(password_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
