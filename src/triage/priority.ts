import type { Priority } from '../domain/codes.ts';

/**
 * Triage priority and its target: the days from the triage decision within which the person
 * should be first seen. Pure.
 *
 * Source: these are a Roots default, not a national standard. There is no national waiting
 * time standard for occupational therapy; the figures follow the shape common in NHS community
 * therapy triage policies (urgent within 2 working days, soon within 2 weeks, routine within 6
 * weeks, planned within 18 weeks, the last matching the 18-week referral-to-treatment standard
 * of the NHS Constitution for consultant-led care). A service sets its own when service
 * settings land (configurable later); until then every service uses these.
 */
export const priorityTargetDays: Readonly<Record<Priority, number>> = {
  P1: 2,
  P2: 14,
  P3: 42,
  P4: 126,
};

export const prioritySource = 'Roots default (configurable per service later): P1 2 days, P2 14, P3 42, P4 126 from triage.';

export function targetDays(priority: Priority): number {
  return priorityTargetDays[priority];
}

/** The day the target falls on, counting calendar days from the triage date ('YYYY-MM-DD'). */
export function targetDate(priority: Priority, triagedOn: string): string {
  const day = new Date(`${triagedOn}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new Error(`Not a date: ${triagedOn}`);
  day.setUTCDate(day.getUTCDate() + priorityTargetDays[priority]);
  return day.toISOString().slice(0, 10);
}
