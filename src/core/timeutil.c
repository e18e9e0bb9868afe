/* timeutil.c: civil-calendar arithmetic (proleptic Gregorian, days from civil) without
 * the process time zone, so results never depend on TZ or on gmtime's static buffer. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t z0, int *y, int *m, int *d)
{
	int64_t z = (int64_t)z0 + 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const int64_t doe = z - era * 146097;
	const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return CSHQ_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return CSHQ_OK;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return CSHQ_EINVAL;
	if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1)
		return CSHQ_EINVAL;
	int yy, mm, dd;
	date_to_ymd(date_from_ymd(*y, *m, *d), &yy, &mm, &dd);
	if (yy != *y || mm != *m || dd != *d)
		return CSHQ_EINVAL; /* e.g. 2015-02-30 */
	return CSHQ_OK;
}

int date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
		return CSHQ_EINVAL;
	*days = date_from_ymd(y, m, d);
	return CSHQ_OK;
}

void date_format(int32_t days, char out[11])
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	/* the operands are bounded: year 0..9999, month 1..12, day 1..31 */
	unsigned yy = (unsigned)(y < 0 ? 0 : y % 10000), mm = (unsigned)m % 100, dd = (unsigned)d % 100;
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02u", yy, mm, dd);
	memcpy(out, tmp, 11);
}

int64_t time_now(void)
{
	return (int64_t)time(NULL);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t date_of_instant(int64_t t)
{
	return (int32_t)floor_div(t + JST_OFFSET_SECONDS, 86400);
}

int32_t date_today(void)
{
	return date_of_instant(time_now());
}

int fiscal_year_of(int32_t days)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	return m >= 4 ? y : y - 1;
}

int32_t fiscal_year_start(int fy)
{
	return date_from_ymd(fy, 4, 1);
}

int time_parse_rfc3339(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, se;
	size_t n = s ? strlen(s) : 0;
	if (n < 20 || n > 40 || parse_ymd(s, &y, &mo, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
		return CSHQ_EINVAL;
	if (h > 23 || mi > 59 || se > 60)
		return CSHQ_EINVAL;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return CSHQ_EINVAL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	int offset = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		offset = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return CSHQ_EINVAL;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	} else {
		return CSHQ_EINVAL;
	}
	if (se == 60)
		se = 59; /* leap second: clamp, the store keeps whole seconds */
	*t = (int64_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
	return CSHQ_OK;
}

void time_format_rfc3339(int64_t t, char out[26])
{
	int64_t local = t + JST_OFFSET_SECONDS;
	int32_t days = (int32_t)floor_div(local, 86400);
	int64_t sec = local - (int64_t)days * 86400;
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02uT%02u:%02u:%02u+09:00", (unsigned)(y < 0 ? 0 : y % 10000),
		 (unsigned)m % 100, (unsigned)d % 100, (unsigned)(sec / 3600) % 100,
		 (unsigned)(sec / 60 % 60), (unsigned)(sec % 60));
	memcpy(out, tmp, 26);
}
