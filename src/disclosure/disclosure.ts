/**
 * Statistical disclosure control for counts shown outside the care team.
 *
 * Default: the NHS rule used for published statistics below national level (NHS England /
 * NHS Digital small-number policy for health statistics): counts from 1 to 7 are suppressed and
 * every other count is rounded to the nearest 5; rates are computed from the rounded counts.
 * Zero is shown as zero (a true zero discloses nothing about a person).
 *
 * Whole audits go through `discloseAudit` (audit.disclosure.ts), which adds secondary suppression
 * so that a hidden count cannot be worked out from totals; this file holds the rule for one count.
 */
export interface DisclosureRule {
  /** Counts from 1 up to and including this number are suppressed. */
  suppressUpTo: number;
  /** Shown counts are rounded to the nearest multiple of this (1 = no rounding). */
  roundTo: number;
}

/** The default below national level: 1-7 suppressed, everything else rounded to the nearest 5. */
export const nhsDisclosureRule: DisclosureRule = { suppressUpTo: 7, roundTo: 5 };

/** Small numbers suppressed, other counts shown exactly (for releases whose users need exact counts). */
export const suppressionOnlyRule: DisclosureRule = { suppressUpTo: 7, roundTo: 1 };

/**
 * No disclosure control: counts shown exactly. Only for national-level releases, and only when a
 * caller asks for it by name; nothing in Roots falls back to it.
 */
export const nationalDisclosureRule: DisclosureRule = { suppressUpTo: 0, roundTo: 1 };

/**
 * A custom window (any from/to, for signed-in staff only; public pages offer fixed periods) is
 * shown only when it holds at least this many referrals, as disclosed. A narrow window is how a
 * single person gets singled out (one day: one hidden group, every other group 0), whatever the
 * cells are suppressed.
 */
export const MINIMUM_WINDOW_REFERRALS = 50;

/** Whether a custom window's total referrals (as disclosed: null when hidden) is large enough to show. */
export function windowLargeEnough(totalReferrals: number | null): boolean {
  return totalReferrals !== null && totalReferrals >= MINIMUM_WINDOW_REFERRALS;
}

/**
 * Whether a share may be shown: a share times a count a reader knows (or nearly knows) gives a
 * count back, so share x n and (1 - share) x n must each be 0 or above `suppressUpTo` for every
 * denominator n the reader could use (the raw count behind it and the count as shown). Otherwise
 * 1 of 62 people "still waiting after 6 weeks" would be read off a share of 1.6%.
 */
export function shareIsSafe(share: number, denominators: readonly number[], rule: DisclosureRule): boolean {
  if (!controlsDisclosure(rule)) return true;
  const small = (implied: number) => implied > 1e-9 && implied <= rule.suppressUpTo;
  return denominators.every((n) => !small(share * n) && !small((1 - share) * n));
}

export type DisclosedCount = { shown: true; value: number } | { shown: false; value: null; reason: 'small-number' };

/**
 * Refuses a rule that is not whole numbers, or whose rounding would bring a count that is not
 * suppressed back into the suppressed range or to zero (rounding to 6 with 1-6 suppressed would
 * show 8 as 6; rounding to 5 with nothing suppressed would show 1 and 2 as 0, and a shown zero
 * must mean that nobody is counted). Rounding is monotone, so checking the smallest count shown
 * is enough.
 */
export function checkDisclosureRule(rule: DisclosureRule): void {
  if (!Number.isInteger(rule.suppressUpTo) || rule.suppressUpTo < 0) {
    throw new RangeError(`suppressUpTo must be a whole number of 0 or more, not ${rule.suppressUpTo}`);
  }
  if (!Number.isInteger(rule.roundTo) || rule.roundTo < 1) throw new RangeError(`roundTo must be a whole number of 1 or more, not ${rule.roundTo}`);
  const smallestShown = rule.suppressUpTo + 1;
  const rounded = Math.round(smallestShown / rule.roundTo) * rule.roundTo;
  if (!(rounded > rule.suppressUpTo)) {
    throw new RangeError(
      `Rounding to the nearest ${rule.roundTo} would show a count of ${smallestShown} as ${rounded}, which reads as a suppressed or zero count: suppress more counts or round to a smaller base`,
    );
  }
}

/** Whether the rule changes anything at all. */
export function controlsDisclosure(rule: DisclosureRule): boolean {
  return rule.suppressUpTo > 0 || rule.roundTo > 1;
}

/** The rule in plain English, for the page, the report and the JSON. */
export function describeDisclosureRule(rule: DisclosureRule): string {
  if (!controlsDisclosure(rule)) {
    return 'No disclosure control: every count is shown exactly. This is only for national-level figures and was asked for explicitly.';
  }
  const parts: string[] = [];
  if (rule.suppressUpTo > 0) {
    parts.push(
      `Counts from 1 to ${rule.suppressUpTo} are hidden, and so are other counts where needed so that a hidden count cannot be worked out by adding or subtracting the counts that are shown.`,
    );
  }
  parts.push(
    rule.roundTo > 1
      ? `Every other count is rounded to the nearest ${rule.roundTo}; zero is shown as zero.`
      : 'Every other count is shown exactly; zero is shown as zero.',
  );
  parts.push(
    'Rates, ratios and shares are worked out from the counts as shown, and are not shown when a count they depend on is hidden. Waiting times are shown only when at least 10 people were seen.',
  );
  return parts.join(' ');
}

export function discloseCount(count: number, rule: DisclosureRule = nhsDisclosureRule): DisclosedCount {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`A count must be a whole number of 0 or more, not ${count}`);
  checkDisclosureRule(rule);
  if (count === 0) return { shown: true, value: 0 };
  if (count <= rule.suppressUpTo) return { shown: false, value: null, reason: 'small-number' };
  return { shown: true, value: Math.round(count / rule.roundTo) * rule.roundTo };
}
