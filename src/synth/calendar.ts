/**
 * Calendar days as whole numbers (days since 1970-01-01, UTC), so the generator does date
 * arithmetic with integer addition and never meets time zones or daylight saving.
 */
const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not a date written YYYY-MM-DD: ${iso}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a real calendar date: ${iso}`);
  }
  return Math.round(time / MS_PER_DAY);
}

export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The same calendar day `years` earlier (29 February becomes 28 February). */
export function yearsBefore(day: number, years: number): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear() - years;
  const month = date.getUTCMonth();
  let dom = date.getUTCDate();
  if (month === 1 && dom === 29 && !isLeapYear(year)) dom = 28;
  return Math.round(Date.UTC(year, month, dom) / MS_PER_DAY);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Formats days with a cache: a million rows carry several million dates, and a Date round trip
 * for each costs more than the rest of the row.
 */
export class DateFormatter {
  private readonly cache = new Map<number, string>();

  iso(day: number): string {
    let text = this.cache.get(day);
    if (text === undefined) {
      text = isoOf(day);
      this.cache.set(day, text);
    }
    return text;
  }
}
