/**
 * Audit periods, pure. Public pages and downloads offer fixed periods only (a chosen window of
 * one day can single a person out, however the cells are suppressed): the rolling 12 months
 * ending at the latest complete month, and complete NHS financial years (1 April to 31 March).
 * A custom window (any from/to) is for signed-in staff, and still passes disclosure control.
 */
export interface Period {
  from: string;
  to: string;
}

export interface FixedPeriod extends Period {
  /** As written in a URL: `rolling-12` or `fy2024-25`. */
  id: string;
  /** Plain English, e.g. "Financial year 2024-25 (1 April 2024 to 31 March 2025)". */
  label: string;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utc = (day: string) => new Date(`${day}T00:00:00Z`);
const longDate = (day: string) => utc(day).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The twelve months ending on `day` (2025-03-31 gives 2024-04-01 to 2025-03-31). */
export function twelveMonthsEndingOn(day: string): Period {
  const start = utc(day);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  start.setUTCDate(start.getUTCDate() + 1);
  return { from: iso(start), to: day };
}

/** The 12 whole calendar months ending at the last month complete before `today`. */
export function rollingTwelveMonths(today: string): FixedPeriod {
  const end = utc(`${today.slice(0, 7)}-01`);
  end.setUTCDate(0);
  const start = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth() + 1, 1));
  const period = { from: iso(start), to: iso(end) };
  return { id: 'rolling-12', ...period, label: `The 12 months to the end of ${end.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })} (${longDate(period.from)} to ${longDate(period.to)})` };
}

/** The NHS financial year starting 1 April `startYear`. */
export function financialYear(startYear: number): FixedPeriod {
  const name = `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
  const from = `${startYear}-04-01`;
  const to = `${startYear + 1}-03-31`;
  return { id: `fy${name}`, from, to, label: `Financial year ${name} (${longDate(from)} to ${longDate(to)})` };
}

/** The financial year a day falls in, by its start year. */
export function financialYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return day.slice(5) >= '04-01' ? year : year - 1;
}

/**
 * The fixed periods offered for a service's data, newest first: the rolling 12 months, then
 * every complete financial year (ended before `today`) from the latest referral's back to the
 * earliest's, at most `years` of them. No referrals: the rolling 12 months only.
 */
export function fixedPeriods(referrals: { earliest: string; latest: string } | null, today: string, years = 6): FixedPeriod[] {
  const periods = [rollingTwelveMonths(today)];
  if (!referrals) return periods;
  const lastComplete = financialYearOf(today) - 1;
  const newest = Math.min(financialYearOf(referrals.latest), lastComplete);
  const oldest = Math.max(financialYearOf(referrals.earliest), newest - years + 1);
  for (let year = newest; year >= oldest; year--) periods.push(financialYear(year));
  return periods;
}

/** A fixed period from its URL id, or null when the id is not one (or the year has not ended). */
export function fixedPeriodById(id: string, today: string): FixedPeriod | null {
  if (id === 'rolling-12') return rollingTwelveMonths(today);
  const match = /^fy(\d{4})-(\d{2})$/.exec(id);
  if (!match) return null;
  const startYear = Number(match[1]);
  if (Number(match[2]) !== (startYear + 1) % 100 || startYear < 2000) return null;
  const year = financialYear(startYear);
  return year.to < today ? year : null;
}

/**
 * The period shown when none is chosen: the rolling 12 months, unless the service's latest
 * referral is older than that, then the newest complete financial year listed.
 */
export function defaultFixedPeriod(periods: readonly FixedPeriod[], referrals: { latest: string } | null): FixedPeriod {
  const [rolling, ...years] = periods;
  return referrals && referrals.latest < rolling!.from && years.length > 0 ? years[0]! : rolling!;
}
