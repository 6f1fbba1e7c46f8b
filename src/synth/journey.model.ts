import type { DischargeOutcome, DischargeReason, Pathway, Priority, ReferralSource, TriageOutcome } from '../domain/codes.ts';

/**
 * What happens to a referral: pathway, source, triage, wait, contacts, discharge and outcome
 * scores. Rates come from the Roots of recovery report where it gives one (named beside it) and
 * are otherwise stated assumptions of a realistic order for NHS community OT services; all of
 * them are listed in docs/synthetic-data.md and written into the truth sidecar.
 */

/**
 * Relative referral intensity per year of age for each pathway: the need the population brings,
 * before any planted gradient. Only the shape matters (the number of people is set by --people):
 * children's OT peaks in primary school years, mental health and work in working age, frailty
 * and falls rise steeply after 75 (as falls and multimorbidity do).
 */
export function pathwayIntensity(pathway: Pathway, age: number): number {
  switch (pathway) {
    case 'children_families':
      return age <= 4 ? 4 : age <= 11 ? 8 : age <= 15 ? 6 : age <= 18 ? 3 : 0;
    case 'mental_health':
      return age < 5 ? 0 : age <= 15 ? 0.8 : age <= 17 ? 3 : age <= 24 ? 5 : age <= 44 ? 4.5 : age <= 64 ? 3.5 : age <= 79 ? 1.5 : 1.2;
    case 'work_health':
      return age < 16 ? 0 : age <= 17 ? 0.3 : age <= 24 ? 1.5 : age <= 66 ? 2.5 : age <= 74 ? 0.3 : 0;
    case 'community_rehab':
      return age <= 17 ? 0.2 : age <= 44 ? 0.8 : age <= 64 ? 2.5 : age <= 74 ? 5 : age <= 84 ? 8 : 10;
    case 'frailty_falls':
      return age < 50 ? 0 : age <= 64 ? 0.5 : age <= 74 ? 3 : age <= 84 ? 10 : 20;
    case 'signpost':
      return age <= 17 ? 0.8 : age <= 64 ? 1.2 : 1.8;
  }
}

/** Who refers, by pathway (weights). Self-referral is prominent where the report urges it. */
export const referralSources: Record<Pathway, [ReferralSource, number][]> = {
  mental_health: [['gp', 35], ['self', 30], ['primary_care', 10], ['mental_health', 10], ['voluntary_sector', 7], ['carer', 3], ['other', 5]],
  frailty_falls: [['gp', 35], ['secondary_care', 25], ['social_care', 15], ['carer', 10], ['self', 8], ['primary_care', 7]],
  work_health: [['gp', 45], ['self', 25], ['employer', 20], ['primary_care', 5], ['other', 5]],
  children_families: [['education', 40], ['carer', 25], ['gp', 15], ['primary_care', 10], ['social_care', 5], ['secondary_care', 5]],
  community_rehab: [['secondary_care', 40], ['gp', 25], ['self', 10], ['primary_care', 10], ['social_care', 10], ['carer', 5]],
  signpost: [['self', 35], ['gp', 30], ['voluntary_sector', 15], ['carer', 10], ['other', 10]],
};
/** Outside self-referral, few referrals arrive at weekends: the chance a weekend date is kept. */
export const weekendKeep = { self: 0.6, other: 0.1 } as const;

/** Urgent risk flagged on the referral, by pathway (assumption). Urgent referrals are P1. */
export const urgentRiskChance: Record<Pathway, number> = {
  mental_health: 0.04, frailty_falls: 0.02, work_health: 0.005, children_families: 0.01, community_rehab: 0.02, signpost: 0.01,
};

/**
 * Triage outcomes (shaped like NHS e-Referral Service review outcomes). "Signpost elsewhere" is a
 * triage decision by definition, so it is never accepted to the waiting list.
 */
export const triageOutcomes: Record<Pathway, [TriageOutcome, number][]> = {
  mental_health: [['accept', 74], ['advice_discharge', 14], ['redirect', 8], ['return_to_referrer', 4]],
  frailty_falls: [['accept', 80], ['advice_discharge', 10], ['redirect', 6], ['return_to_referrer', 4]],
  work_health: [['accept', 74], ['advice_discharge', 16], ['redirect', 6], ['return_to_referrer', 4]],
  children_families: [['accept', 70], ['advice_discharge', 18], ['redirect', 8], ['return_to_referrer', 4]],
  community_rehab: [['accept', 78], ['advice_discharge', 10], ['redirect', 8], ['return_to_referrer', 4]],
  signpost: [['advice_discharge', 55], ['redirect', 40], ['return_to_referrer', 5]],
};
export function acceptChance(pathway: Pathway): number {
  const outcomes = triageOutcomes[pathway];
  const total = outcomes.reduce((sum, [, w]) => sum + w, 0);
  return (outcomes.find(([o]) => o === 'accept')?.[1] ?? 0) / total;
}

/** Priority of accepted referrals that were not flagged urgent (urgent ones are always P1). */
export const priorityMix: [Priority, number][] = [['P1', 5], ['P2', 20], ['P3', 55], ['P4', 20]];
export const priorities: Priority[] = ['P1', 'P2', 'P3', 'P4'];

/**
 * Days from receipt to triage: urgent referrals the same or the next day; others 1 + Poisson(3)
 * calendar days. The wait on the clock counts from receipt, so triage days are part of it.
 */
export const triageLagMean = 3;

/**
 * Wait from triage to the first offered appointment, in clock days (pauses excluded): log-normal
 * with these medians by priority, times a pathway factor, times the planted deprivation factor;
 * log-scale spread 0.6. Children's services run the longest waits (the report's Swansea Bay
 * service had 45 weeks before its redesign brought them to 7).
 */
export const waitMedianDays: Record<Priority, number> = { P1: 5, P2: 21, P3: 56, P4: 84 };
export const waitPathwayFactor: Record<Pathway, number> = {
  mental_health: 1, frailty_falls: 0.8, work_health: 0.7, children_families: 1.6, community_rehab: 1, signpost: 1,
};
export const waitSigma = 0.6;

/** Patient-initiated pause while waiting (holiday, illness, caring): chance and length in days. */
export const waitingPause = { chance: 0.08, minDays: 14, maxDays: 56 } as const;
/**
 * Removal from the list before a first appointment (declined, moved away, validation): an
 * exponential time with this mean in days, independent of the wait, so that Kaplan-Meier with
 * removals as censored recovers the planted wait distribution.
 */
export const removalMeanDays = 900;
export const removalReasons: [DischargeReason, number][] = [['declined', 50], ['moved_away', 25], ['other', 25]];

/** Chance the person cancels an appointment (the DNA rate is planted separately). */
export const patientCancelChance = 0.07;
/** Attempts at a first appointment before discharge for non-attendance. */
export const firstAppointmentAttempts = 3;
/** Days to the next offer after a missed or cancelled appointment (clock paused meanwhile). */
export const rebookDays = { min: 7, max: 21 } as const;
/** Further appointments after the first contact: Poisson with these means, 7-21 days apart. */
export const furtherAppointmentsMean: Record<Pathway, number> = {
  mental_health: 4, frailty_falls: 2.5, work_health: 3, children_families: 4, community_rehab: 5, signpost: 0,
};
export const appointmentGapDays = { min: 7, max: 21 } as const;
/** Two missed appointments in a row end treatment with discharge for non-attendance. */
export const consecutiveDnaLimit = 2;
/** Days from the last appointment to the discharge letter. */
export const dischargeLagDays = { min: 0, max: 14 } as const;

/** Why treatment ended, when it ran its course (weights; "died" only from age 75). */
export const completedDischargeReasons: [DischargeReason, number][] = [
  ['goals_met', 84], ['declined', 5], ['transferred', 5], ['moved_away', 2], ['other', 4],
];
export const diedChanceFrom75 = 0.03;

/**
 * Discharge outcome codes for people discharged with goals met (independent chances). Mental
 * health uses the I CAN Primary Care evaluation in the report (Betsi Cadwaladr, ref. 46):
 * self-management in 76% of OT cases, GP appointments avoided in 67%, community mental health
 * referral avoided in 26%. The rest are assumptions.
 */
export const dischargeOutcomeChances: Record<Pathway, [DischargeOutcome, number][]> = {
  mental_health: [['self_management_plan', 0.76], ['gp_appointment_avoided', 0.67], ['cmh_referral_avoided', 0.26]],
  work_health: [['self_management_plan', 0.6], ['gp_appointment_avoided', 0.5]],
  children_families: [['stayed_in_education', 0.7], ['self_management_plan', 0.4]],
  frailty_falls: [['admission_avoided', 0.3], ['self_management_plan', 0.5], ['gp_appointment_avoided', 0.3]],
  community_rehab: [['admission_avoided', 0.25], ['self_management_plan', 0.55], ['gp_appointment_avoided', 0.3]],
  signpost: [],
};
/** Work and health: one employment outcome (weights), none for the rest. */
export const workOutcome: [DischargeOutcome | null, number][] = [['stayed_in_work', 45], ['returned_to_work', 25], [null, 30]];
/** Advice and discharge at triage: signposting outcomes (independent chances). */
export const adviceOutcomeChances: [DischargeOutcome, number][] = [['self_management_plan', 0.3], ['gp_appointment_avoided', 0.2]];

// ---------------------------------------------------------------------------------------------
// Outcome measures

export const outcomeInstrumentFor: Record<Pathway, 'SWEMWBS' | 'GAS' | null> = {
  mental_health: 'SWEMWBS', work_health: 'SWEMWBS',
  children_families: 'GAS', frailty_falls: 'GAS', community_rehab: 'GAS',
  signpost: null,
};
/** Baseline recorded at the first contact; a discharge score when goals were met, less often otherwise. */
export const baselineRecorded = 0.92;
export const finalRecorded = { goalsMet: 0.9, otherDischarge: 0.4 } as const;

/**
 * SWEMWBS raw-to-metric conversion (Warwick Medical School, the published table for the
 * seven-item scale; raw 7..35). People answer seven items 1-5; the raw sum is converted.
 */
export const swemwbsMetric: readonly number[] = [
  7.0, 9.51, 11.25, 12.4, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25,
  19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.7, 32.55, 35.0,
];
/**
 * Raw SWEMWBS at baseline: normal, mean 19.5 in the least deprived quintile falling by 0.25 a
 * quintile (18.5 in the most deprived), SD 4.5, rounded and kept within 7..35 (people referred
 * to OT for mental health sit well below the population mean of about 23.5). Change to
 * discharge: normal with mean 3.5 raw points in the least deprived quintile (times the planted
 * outcome factor elsewhere), SD 4.
 */
export const swemwbsModel = { baselineMeanLeast: 19.5, baselineStepPerQuintile: 0.25, baselineSd: 4.5, changeMeanLeast: 3.5, changeSd: 4 } as const;

/**
 * Goal Attainment Scaling (Kiresuk and Sherman 1968; T-score with the usual inter-goal
 * correlation 0.3): 2-4 equally weighted goals, each starting at -1 (80%) or -2 (20%); at
 * discharge each goal moves by round(normal(mean 1.2 levels in the least deprived quintile,
 * times the planted outcome factor elsewhere, SD 0.9)) within -2..+2.
 */
export const gasModel = {
  goals: [[2, 30], [3, 50], [4, 20]] as [number, number][],
  baselineLevels: [[-1, 80], [-2, 20]] as [number, number][],
  changeMeanLeast: 1.2,
  changeSd: 0.9,
  rho: 0.3,
} as const;

export function gasTScore(levels: readonly number[], rho: number = gasModel.rho): number {
  const n = levels.length;
  const sum = levels.reduce((s, x) => s + x, 0);
  return 50 + (10 * sum) / Math.sqrt((1 - rho) * n + rho * n * n);
}
