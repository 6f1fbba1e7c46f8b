/**
 * Explainable risk flags for triage. Pure: plain inputs in, flags out, each flag with the
 * points it adds and the facts behind it, and the score as the plain sum of the points, so a
 * page can show every part of it. Never a black box: no weights learnt from data, no hidden
 * terms.
 *
 * Method: a cumulative count of social and health risk factors, in the spirit of cumulative
 * risk indices (each factor present adds to the total). The factors are those the referral
 * already records and that NHS and Royal College of Occupational Therapists guidance names as
 * raising the risk of harm while waiting or of being underserved: an urgent answer, no fixed
 * address (inclusion health), living alone, being an unpaid carer, needing an interpreter,
 * living in the most deprived fifth of areas (deprivation decile 1–2), and age (children; older
 * people living with frailty). The points are a Roots default (urgent 5; no fixed address 3;
 * lives alone, decile 1–2 and age 80+ 2; carer, interpreter, age 65–79 and under 18 1), not a
 * validated clinical tool: they order a queue and prompt the question, the therapist decides.
 */

export interface RiskInputs {
  /** Lives alone: true, false, or null/undefined when not known. */
  livesAlone?: boolean | null;
  /** The person is an unpaid carer (inclusion health group `carer`). */
  carer?: boolean;
  noFixedAddress?: boolean;
  interpreterNeeded?: boolean | null;
  /** Deprivation decile of the area (1 most deprived), when known. */
  deprivationDecile?: number | null;
  /** An urgent answer on the referral (the self-referral urgent question, or urgent_risk). */
  urgent?: boolean;
  /** Age in whole years on the day the referral was received, when known. */
  age?: number | null;
}

export const riskFlagCodes = ['urgent', 'no_fixed_address', 'lives_alone', 'carer', 'interpreter', 'deprivation', 'age_80_plus', 'age_65_79', 'age_under_18'] as const;
export type RiskFlagCode = (typeof riskFlagCodes)[number];

/** The points each flag adds (a Roots default; see the module note). */
export const riskPoints: Readonly<Record<RiskFlagCode, number>> = {
  urgent: 5,
  no_fixed_address: 3,
  lives_alone: 2,
  carer: 1,
  interpreter: 1,
  deprivation: 2,
  age_80_plus: 2,
  age_65_79: 1,
  age_under_18: 1,
};

export interface RiskFlag {
  code: RiskFlagCode;
  points: number;
  /** Values for the reason text ({decile}, {age}). */
  facts: Record<string, string | number>;
}

export interface RiskAssessment {
  flags: RiskFlag[];
  /** The sum of the flags' points. */
  score: number;
}

export function riskFlags(inputs: RiskInputs): RiskAssessment {
  const flags: RiskFlag[] = [];
  const add = (code: RiskFlagCode, facts: Record<string, string | number> = {}) => flags.push({ code, points: riskPoints[code], facts });
  if (inputs.urgent) add('urgent');
  if (inputs.noFixedAddress) add('no_fixed_address');
  if (inputs.livesAlone === true) add('lives_alone');
  if (inputs.carer) add('carer');
  if (inputs.interpreterNeeded === true) add('interpreter');
  const decile = inputs.deprivationDecile;
  if (decile !== null && decile !== undefined && decile >= 1 && decile <= 2) add('deprivation', { decile });
  const age = inputs.age;
  if (age !== null && age !== undefined && age >= 0) {
    if (age >= 80) add('age_80_plus', { age });
    else if (age >= 65) add('age_65_79', { age });
    else if (age < 18) add('age_under_18', { age });
  }
  return { flags, score: flags.reduce((total, flag) => total + flag.points, 0) };
}

/** Whole years from date of birth to `on` (both 'YYYY-MM-DD'); null when either is missing. */
export function ageOn(dateOfBirth: string | null, on: string): number | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The reason a flag was raised, in the page's language: its text with the facts filled in. */
export function flagReason(flag: RiskFlag, reasons: Readonly<Record<RiskFlagCode, string>>): string {
  return reasons[flag.code].replace(/\{(\w+)\}/g, (whole, name: string) => (name in flag.facts ? String(flag.facts[name]) : whole));
}
