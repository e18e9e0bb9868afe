// Dates as the regime sees them: calendar days in Japan (YYYY-MM-DD).

const jst = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Japan, YYYY-MM-DD. */
export function todayJst(): string {
  return jst.format(new Date());
}

/** true for a well-formed, real calendar date YYYY-MM-DD. */
export function isIsoDate(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The dates at which the organisation page samples applicability: the old rules' dates,
 * the Act's enactment period, the eve and day of entry into force (2016-10-21), today, and
 * the chosen as-of date. Sorted, without duplicates. */
export const TIMELINE_DATES = ['2015-02-10', '2015-04-01', '2016-04-01', '2016-10-20', '2016-10-21'];

export function timelineDates(asOf?: string): string[] {
  const set = new Set([...TIMELINE_DATES, todayJst()]);
  if (isIsoDate(asOf)) set.add(asOf);
  return [...set].sort();
}
