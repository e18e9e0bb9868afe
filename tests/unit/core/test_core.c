/* test_core.c: dates in JST, fiscal years, RFC 3339, and the capped buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/timeutil.h"

static void dates_round_trip(void **state)
{
	int32_t d;
	char out[11];
	assert_int_equal(date_parse("2016-10-21", &d), CSHQ_OK);
	assert_int_equal(d, date_from_ymd(2016, 10, 21));
	date_format(d, out);
	assert_string_equal(out, "2016-10-21");
	assert_int_equal(date_parse("1970-01-01", &d), CSHQ_OK);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2016-02-29", &d), CSHQ_OK); /* leap year */
	const char *bad[] = {"2015-02-29", "2016-13-01", "2016-00-10", "2016-1-1", "20161021",
			     "2016-10-21x", "", "abcd-ef-gh", "2016-04-31"};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(bad); i++)
		assert_int_equal(date_parse(bad[i], &d), CSHQ_EINVAL);
}

static void fiscal_years(void **state)
{
	assert_int_equal(fiscal_year_of(date_from_ymd(2016, 3, 31)), 2015);
	assert_int_equal(fiscal_year_of(date_from_ymd(2016, 4, 1)), 2016);
	assert_int_equal(fiscal_year_of(date_from_ymd(2017, 1, 15)), 2016);
	assert_int_equal(fiscal_year_start(2015), date_from_ymd(2015, 4, 1));
}

static void instants_in_jst(void **state)
{
	int64_t t;
	/* 2016-10-20T15:00Z is already 2016-10-21 in Japan */
	assert_int_equal(time_parse_rfc3339("2016-10-20T15:00:00Z", &t), CSHQ_OK);
	assert_int_equal(date_of_instant(t), date_from_ymd(2016, 10, 21));
	assert_int_equal(time_parse_rfc3339("2016-10-20T14:59:59Z", &t), CSHQ_OK);
	assert_int_equal(date_of_instant(t), date_from_ymd(2016, 10, 20));
	int64_t u;
	assert_int_equal(time_parse_rfc3339("2016-10-21T00:00:00+09:00", &u), CSHQ_OK);
	assert_int_equal(u, t + 1);
	char out[26];
	time_format_rfc3339(u, out);
	assert_string_equal(out, "2016-10-21T00:00:00+09:00");
	assert_int_equal(time_parse_rfc3339("2016-10-21T00:00:00.123-05:30", &u), CSHQ_OK);
	const char *bad[] = {"2016-10-21", "2016-10-21T24:00:00Z", "2016-10-21T00:00:00",
			     "2016-10-21T00:00:00+9:00", "2016-10-21T00:00:00.Z", "2016-10-21T00:60:00Z"};
	for (size_t i = 0; i < CSHQ_ARRAY_LEN(bad); i++)
		assert_int_equal(time_parse_rfc3339(bad[i], &u), CSHQ_EINVAL);
}

static void buffer_cap_holds(void **state)
{
	struct buf b = BUF_INIT(8);
	assert_int_equal(buf_puts(&b, "12345678"), CSHQ_OK);
	assert_int_equal(buf_putc(&b, '9'), CSHQ_ELIMIT);
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_cstr(&b), "12345678");
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "abcdefgh"), CSHQ_ELIMIT);
	assert_int_equal(b.len, 0); /* a refused append leaves the buffer unchanged */
	assert_int_equal(buf_printf(&b, "%d", 1234), CSHQ_OK);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), CSHQ_ELIMIT); /* no overflow */
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "1234");
	assert_int_equal(len, 4);
	free(p);
	buf_release(&b);
	buf_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_round_trip),
		cmocka_unit_test(fiscal_years),
		cmocka_unit_test(instants_in_jst),
		cmocka_unit_test(buffer_cap_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
