/* timeutil.h: calendar dates and instants as plain integers, the only forms stored.
 * A date is a day number (days since 1970-01-01); an instant is seconds since the epoch.
 * Dates of the regime are Japanese civil dates, so "today" and the date of an instant
 * are taken in JST (UTC+9, no daylight saving). */
#ifndef CSHQ_TIMEUTIL_H
#define CSHQ_TIMEUTIL_H

#include "core/common.h"

#define JST_OFFSET_SECONDS (9 * 3600)

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Strict YYYY-MM-DD (a real calendar day). CSHQ_OK or CSHQ_EINVAL. */
int date_parse(const char *s, int32_t *days);
/* Writes "YYYY-MM-DD" into out (11 bytes). */
void date_format(int32_t days, char out[11]);
/* Today's date in JST. */
int32_t date_today(void);
/* The JST date an instant falls on. */
int32_t date_of_instant(int64_t t);
/* Japanese fiscal year (April 1 - March 31) that a date belongs to. */
int fiscal_year_of(int32_t days);
/* April 1 of a fiscal year. */
int32_t fiscal_year_start(int fy);

int64_t time_now(void);
/* RFC 3339 with offset (Z, +hh:mm or -hh:mm), seconds with optional fraction. */
int time_parse_rfc3339(const char *s, int64_t *t);
/* Writes RFC 3339 in JST, e.g. 2016-10-21T09:00:00+09:00, into out (26 bytes). */
void time_format_rfc3339(int64_t t, char out[26]);

#endif
