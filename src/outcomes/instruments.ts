import type { OutcomeInstrument } from '../domain/codes.ts';

/**
 * Every outcome instrument Roots records: how its score is entered, its range and step, and the
 * meaningful-change threshold it is judged against, each threshold named with its source. Pure
 * data and functions; the services validate with these and the pages show the names.
 *
 * Licensed instruments (COPM, TOMs, MOHOST) are score-only: Roots holds the score a trained
 * practitioner worked out with the licensed form, never the instrument's wording.
 *
 * The thresholds agree with the equity audit's (equity/audit/audit.queries.ts `meaningfulChange`;
 * instruments.test.ts keeps them equal), so a change shown on a person's page counts the same way
 * in the audit. FFT is a patient experience question, not a measure of change: no threshold.
 */

export interface MeaningfulChange {
  /** A change of at least this much (in the instrument's score units) counts as meaningful. */
  change: number;
  /** Where the threshold comes from, or what Roots decided and why. */
  source: string;
}

export interface InstrumentRule {
  /** How the score is entered: computed from items (SWEMWBS, GAS), one answer (FFT), or typed (score-only). */
  entry: 'swemwbs_items' | 'gas_goals' | 'fft_answer' | 'score_only';
  min: number;
  max: number;
  /** Scores are whole multiples of this (0.01 for computed scores). */
  step: number;
  /** Null for an instrument that does not measure change (FFT). */
  threshold: MeaningfulChange | null;
}

export const instrumentRules: Record<OutcomeInstrument, InstrumentRule> = {
  // Metric score 7-35 from the published raw-to-metric table (swemwbs.ts). Change of 1 to 3
  // points is statistically important for one person, depending on the standard used (Shah N,
  // Cader M, Andrews WP, Wijesekera D, Stewart-Brown SL. Responsiveness of the Short Warwick
  // Edinburgh Mental Well-Being Scale (SWEMWBS): evaluation in a clinical sample. Health Qual Life
  // Outcomes 2018;16:239: 1 SEM = 1.03 points, 2.77 SEM = 2.87 points). Roots uses 3, the upper
  // end, so that a reported improvement is not measurement noise.
  SWEMWBS: { entry: 'swemwbs_items', min: 7, max: 35, step: 0.01, threshold: { change: 3, source: 'Shah et al. 2018 (1 to 3 points; Roots uses the upper end, 3)' } },
  // T-score (goal-attainment.ts). 10 points is one standard deviation of the T-score by its
  // construction, the size of one step on the five-point attainment scale for a single goal
  // (Kiresuk and Sherman 1968).
  GAS: { entry: 'gas_goals', min: 0, max: 100, step: 0.01, threshold: { change: 10, source: 'Kiresuk and Sherman 1968 (one standard deviation of the T-score)' } },
  // NHS Friends and Family Test: 1 very good, 2 good, 3 neither good nor poor, 4 poor, 5 very
  // poor, 6 don't know (NHS England, Using the Friends and Family Test to improve patient
  // experience, 2019; in use from April 2020).
  FFT: { entry: 'fft_answer', min: 1, max: 6, step: 1, threshold: null },
  // Canadian Occupational Performance Measure: mean performance and satisfaction ratings, each
  // 1-10. A change of 2 points or more is clinically important (Law M et al., COPM manual;
  // Carswell A et al., Can J Occup Ther 2004;71:210-222).
  COPM_PERFORMANCE: { entry: 'score_only', min: 1, max: 10, step: 0.1, threshold: { change: 2, source: 'COPM manual, Law et al. (2 points clinically important)' } },
  COPM_SATISFACTION: { entry: 'score_only', min: 1, max: 10, step: 0.1, threshold: { change: 2, source: 'COPM manual, Law et al. (2 points clinically important)' } },
  // Therapy Outcome Measures: each domain rated 0-5 in half points (Enderby P, John A). Roots
  // holds one rating (the domain the service reports); half a point is the scale's smallest step.
  TOMS: { entry: 'score_only', min: 0, max: 5, step: 0.5, threshold: { change: 0.5, source: 'Enderby and John (half a point, the smallest step of the 0-5 scale)' } },
  // Model of Human Occupation Screening Tool: items rated 1-4; Roots holds the mean rating. One
  // rating step is Roots' choice: no minimal important difference is published.
  MOHOST: { entry: 'score_only', min: 1, max: 4, step: 0.01, threshold: { change: 1, source: 'Roots: one rating step (no published minimal important difference)' } },
};

export const scoreOnlyInstruments = (Object.keys(instrumentRules) as OutcomeInstrument[]).filter((instrument) => instrumentRules[instrument].entry === 'score_only');

/** Whether a score is within the instrument's range and on its step (floating point tolerant). */
export function isValidScore(instrument: OutcomeInstrument, score: number): boolean {
  const rule = instrumentRules[instrument];
  if (!Number.isFinite(score) || score < rule.min || score > rule.max) return false;
  const steps = (score - rule.min) / rule.step;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

export type ChangeVerdict = 'improved' | 'no_meaningful_change' | 'worsened' | 'not_a_change_measure';

export interface ChangeScore {
  /** Later score minus earlier, rounded to 2 decimal places. */
  change: number;
  verdict: ChangeVerdict;
  threshold: MeaningfulChange | null;
}

/**
 * Change between two scores of one instrument (higher is better for every instrument Roots holds
 * except FFT, which is not judged), against the instrument's named threshold.
 */
export function changeScore(instrument: OutcomeInstrument, earlier: number, later: number): ChangeScore {
  const threshold = instrumentRules[instrument].threshold;
  const change = Math.round((later - earlier) * 100) / 100;
  if (!threshold) return { change, verdict: 'not_a_change_measure', threshold };
  const verdict: ChangeVerdict = change >= threshold.change ? 'improved' : change <= -threshold.change ? 'worsened' : 'no_meaningful_change';
  return { change, verdict, threshold };
}

// ---------------------------------------------------------------------------------------------
// Friends and Family Test

export const FFT_ANSWERS = [1, 2, 3, 4, 5, 6] as const;
export type FftAnswer = (typeof FFT_ANSWERS)[number];
export type FftCategory = 'positive' | 'neutral' | 'negative' | 'dont_know';

/** The category of one FFT answer: very good or good are positive; poor or very poor negative. */
export function fftCategory(answer: number): FftCategory {
  if (!(FFT_ANSWERS as readonly number[]).includes(answer)) throw new RangeError('an FFT answer is a whole number from 1 to 6');
  return answer <= 2 ? 'positive' : answer === 3 ? 'neutral' : answer <= 5 ? 'negative' : 'dont_know';
}

/**
 * Percentage positive and negative as NHS England publishes FFT results: (very good + good) and
 * (poor + very poor) over ALL responses, "don't know" included in the denominator. Null with no
 * responses. Aggregates leaving Roots still pass disclosure/ first.
 */
export function fftPercentages(answers: readonly number[]): { responses: number; positive: number; negative: number } | null {
  if (answers.length === 0) return null;
  let positive = 0;
  let negative = 0;
  for (const answer of answers) {
    const category = fftCategory(answer);
    if (category === 'positive') positive++;
    else if (category === 'negative') negative++;
  }
  return { responses: answers.length, positive: (100 * positive) / answers.length, negative: (100 * negative) / answers.length };
}

// ---------------------------------------------------------------------------------------------
// HCPC registration numbers (for the AHP Health and Work Report)

/**
 * HCPC registration prefixes of the allied health professions that may sign an AHP Health and
 * Work Report (AHP Federation), with the profession each names.
 */
export const hcpcProfessions = {
  OT: 'Occupational therapist',
  PH: 'Physiotherapist',
  CH: 'Chiropodist / podiatrist',
  DT: 'Dietitian',
  SL: 'Speech and language therapist',
  AS: 'Arts therapist',
  OR: 'Orthoptist',
  PO: 'Prosthetist / orthotist',
  RA: 'Radiographer',
  PA: 'Paramedic',
} as const;
export type HcpcPrefix = keyof typeof hcpcProfessions;

/**
 * An HCPC registration number in its usual written form (profession prefix, then 5 or 6 digits,
 * e.g. OT12345), or null when it is not one. Spaces are dropped and letters upper-cased. Roots
 * checks the form only, not the register: the practitioner's registration is theirs to keep.
 */
export function normaliseHcpcNumber(value: string): { number: string; prefix: HcpcPrefix } | null {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]{2})(\d{5,6})$/.exec(compact);
  if (!match || !(match[1]! in hcpcProfessions)) return null;
  return { number: compact, prefix: match[1] as HcpcPrefix };
}
