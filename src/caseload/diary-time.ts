/**
 * Diary times are written and shown as wall-clock time in the UK (Europe/London, GMT or BST) and
 * stored as instants (timestamptz). Pure functions; no dependency beyond Intl.
 */
const zone = 'Europe/London';

const parts = (instant: Date) => {
  const formatted = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const get = (type: string) => formatted.find((part) => part.type === type)!.value;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
};

/** The UK calendar day of an instant, 'YYYY-MM-DD'. */
export const londonDay = (instant: Date): string => parts(instant).day;

/** The UK wall-clock time of an instant, 'HH:MM'. */
export const londonTime = (instant: Date): string => parts(instant).time;

/** The instant of a UK wall-clock day and time ('YYYY-MM-DD', 'HH:MM'). */
export function londonInstant(day: string, time: string): Date {
  const asUtc = new Date(`${day}T${time}:00Z`);
  // The UK is UTC+0 or UTC+1: try both and keep the one that reads back as asked.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(asUtc.getTime() - offsetHours * 3_600_000);
    const back = parts(candidate);
    if (back.day === day && back.time === time) return candidate;
  }
  // A time skipped when the clocks go forward: the hour after.
  return asUtc;
}

/** [start, end) instants of one UK calendar day. */
export function londonDayRange(day: string): { from: Date; to: Date } {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: londonInstant(day, '00:00'), to: londonInstant(next.toISOString().slice(0, 10), '00:00') };
}

/** 'HH:MM' (24-hour) as typed: 9:30, 09:30, 14.15. Null when not a real time. */
export function parseTime(text: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
