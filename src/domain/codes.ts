/**
 * The shared vocabulary of Roots: every coded value a person, referral or episode can hold.
 * The database enforces the same lists with CHECK constraints (migrations), and
 * codes.int.test.ts proves the two agree. Page wording lives in the content files; the labels
 * here are the plain English names used in reports, import documentation and CLI output.
 */

const entries = <const T extends Record<string, string>>(labels: T) => ({
  labels,
  values: Object.keys(labels) as (keyof T & string)[],
});

/** NHS Data Dictionary "Ethnic Category" (2001 census categories), with Z and 99. */
export const ethnicCategory = entries({
  A: 'White - British',
  B: 'White - Irish',
  C: 'White - Any other White background',
  D: 'Mixed - White and Black Caribbean',
  E: 'Mixed - White and Black African',
  F: 'Mixed - White and Asian',
  G: 'Mixed - Any other mixed background',
  H: 'Asian or Asian British - Indian',
  J: 'Asian or Asian British - Pakistani',
  K: 'Asian or Asian British - Bangladeshi',
  L: 'Asian or Asian British - Any other Asian background',
  M: 'Black or Black British - Caribbean',
  N: 'Black or Black British - African',
  P: 'Black or Black British - Any other Black background',
  R: 'Other ethnic groups - Chinese',
  S: 'Other ethnic groups - Any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
});
export type EthnicCategory = (typeof ethnicCategory.values)[number];

/** Broad ethnic groups of the NHS Data Dictionary (Chinese sits in "Other" there, unlike Census 2021). */
export const broadEthnicGroup = entries({
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  other: 'Other ethnic groups',
  not_stated: 'Not stated',
  not_known: 'Not known',
});
export type BroadEthnicGroup = (typeof broadEthnicGroup.values)[number];

export function broadEthnicGroupOf(code: EthnicCategory | null | undefined): BroadEthnicGroup {
  switch (code) {
    case 'A': case 'B': case 'C': return 'white';
    case 'D': case 'E': case 'F': case 'G': return 'mixed';
    case 'H': case 'J': case 'K': case 'L': return 'asian';
    case 'M': case 'N': case 'P': return 'black';
    case 'R': case 'S': return 'other';
    case 'Z': return 'not_stated';
    default: return 'not_known';
  }
}

/** NHS Data Dictionary "Person Stated Gender Code". */
export const statedGender = entries({
  '1': 'Male',
  '2': 'Female',
  '9': 'Indeterminate',
  X: 'Not known',
});
export type StatedGender = (typeof statedGender.values)[number];

/** Inclusion-health groups (NHS England Core20PLUS5 "PLUS" groups relevant to OT services). */
export const inclusionGroup = entries({
  homeless: 'Experiencing homelessness',
  asylum_seeker: 'Asylum seeker',
  refugee: 'Refugee',
  gypsy_roma_traveller: 'Gypsy, Roma or Traveller',
  carer: 'Unpaid carer',
  care_leaver: 'Care leaver',
  prison_leaver: 'Recently left prison',
  veteran: 'Armed forces veteran',
});
export type InclusionGroup = (typeof inclusionGroup.values)[number];

export const referralSource = entries({
  self: 'Self-referral',
  carer: 'Family member or carer',
  gp: 'GP',
  primary_care: 'Other primary care professional',
  secondary_care: 'Hospital or secondary care',
  mental_health: 'Mental health service',
  social_care: 'Social care',
  education: 'School or education',
  employer: 'Employer or occupational health',
  voluntary_sector: 'Voluntary or community organisation',
  other: 'Other',
});
export type ReferralSource = (typeof referralSource.values)[number];

export const referralStatus = entries({
  received: 'Received, awaiting triage',
  waiting: 'Accepted, on the waiting list',
  in_treatment: 'Being seen',
  discharged: 'Discharged',
  advice_discharged: 'Advice given and discharged at triage',
  redirected: 'Redirected to another service',
  returned: 'Returned to referrer',
});
export type ReferralStatus = (typeof referralStatus.values)[number];

export const serviceSetting = entries({
  primary_care: 'Primary care',
  community_mental_health: 'Community mental health',
  children_young_people: 'Children, young people and families',
  community_rehabilitation: 'Community rehabilitation',
});
export type ServiceSetting = (typeof serviceSetting.values)[number];

export const pathway = entries({
  mental_health: 'Mental health',
  frailty_falls: 'Frailty and falls',
  work_health: 'Work and health',
  children_families: 'Children, young people and families',
  community_rehab: 'Community rehabilitation',
  signpost: 'Signpost elsewhere',
});
export type Pathway = (typeof pathway.values)[number];

export const priority = entries({
  P1: 'P1 - urgent',
  P2: 'P2 - soon',
  P3: 'P3 - routine',
  P4: 'P4 - planned or low',
});
export type Priority = (typeof priority.values)[number];

/** Shaped like NHS e-Referral Service review outcomes. */
export const triageOutcome = entries({
  accept: 'Accept to waiting list',
  advice_discharge: 'Advice and discharge',
  redirect: 'Redirect to another service',
  return_to_referrer: 'Return to referrer',
});
export type TriageOutcome = (typeof triageOutcome.values)[number];

export const clockEventKind = entries({
  start: 'Clock started',
  pause: 'Clock paused',
  resume: 'Clock resumed',
  stop: 'Clock stopped',
});
export type ClockEventKind = (typeof clockEventKind.values)[number];

export const clockEventReason = entries({
  referral_received: 'Referral received',
  first_contact: 'First contact took place',
  did_not_attend: 'Did not attend',
  patient_cancelled: 'Cancelled by the person',
  patient_unavailable: 'Person unavailable',
  available_again: 'Person available again',
  declined: 'Person declined treatment',
  validation_removed: 'Removed at waiting list validation',
  discharged: 'Discharged',
  other: 'Other',
});
export type ClockEventReason = (typeof clockEventReason.values)[number];

/** Outcomes of asking someone on the waiting list whether they still need the service (0012). */
export const validationOutcome = entries({
  still_needed: 'Still needs the service',
  no_longer_needed: 'No longer needs the service',
  could_not_contact: 'Could not be contacted',
});
export type ValidationOutcome = (typeof validationOutcome.values)[number];

export const competencyLevel = entries({
  green: 'Green - any occupational therapist',
  amber: 'Amber - with support',
  red: 'Red - specialist',
});
export type CompetencyLevel = (typeof competencyLevel.values)[number];

/** What an organisation is: a provider runs services, a commissioner (an ICB, say) pays for them. */
export const organisationKind = entries({
  provider: 'Provider',
  commissioner: 'Commissioner',
});
export type OrganisationKind = (typeof organisationKind.values)[number];

export const staffRole = entries({
  therapist: 'Occupational therapist',
  team_lead: 'Team lead',
  commissioner: 'Commissioner',
  analyst: 'Analyst',
  administrator: 'Administrator',
});
export type StaffRole = (typeof staffRole.values)[number];

export const contactMode = entries({
  in_person: 'In person',
  phone: 'Telephone',
  video: 'Video',
  home_visit: 'Home visit',
  group: 'Group session',
});
export type ContactMode = (typeof contactMode.values)[number];

export const attendance = entries({
  scheduled: 'Scheduled',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  patient_cancelled: 'Cancelled by the person',
  provider_cancelled: 'Cancelled by the service',
});
export type Attendance = (typeof attendance.values)[number];

export const interventionKind = entries({
  self_management: 'Self-management support',
  vocational_rehabilitation: 'Vocational rehabilitation',
  assistive_technology: 'Assistive technology',
  home_adaptation_advice: 'Home adaptation advice',
  life_skills: 'Life skills',
  group_programme: 'Group programme',
  carer_teacher_training: 'Training for carers or teachers',
  signposting: 'Signposting and social prescribing',
  falls_prevention: 'Falls prevention',
  sensory_strategies: 'Sensory strategies',
});
export type InterventionKind = (typeof interventionKind.values)[number];

/** Where a goal agreed with the person stands (caseload/). */
export const goalStatus = entries({
  active: 'Working towards',
  achieved: 'Achieved',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
  withdrawn: 'No longer a goal',
});
export type GoalStatus = (typeof goalStatus.values)[number];

export const outcomeInstrument = entries({
  SWEMWBS: 'Short Warwick-Edinburgh Mental Wellbeing Scale (metric score)',
  GAS: 'Goal Attainment Scaling (T-score)',
  FFT: 'Friends and Family Test',
  COPM_PERFORMANCE: 'COPM performance (score only)',
  COPM_SATISFACTION: 'COPM satisfaction (score only)',
  TOMS: 'Therapy Outcome Measures (score only)',
  MOHOST: 'MOHOST (score only)',
});
export type OutcomeInstrument = (typeof outcomeInstrument.values)[number];

export const outcomeTimepoint = entries({
  baseline: 'Baseline',
  review: 'Review',
  discharge: 'Discharge',
  follow_up: 'Follow-up',
});
export type OutcomeTimepoint = (typeof outcomeTimepoint.values)[number];

export const dischargeReason = entries({
  goals_met: 'Goals met, treatment complete',
  advice_given: 'Advice given',
  did_not_attend: 'Did not attend',
  declined: 'Declined further treatment',
  moved_away: 'Moved away',
  transferred: 'Transferred to another service',
  died: 'Died',
  other: 'Other',
});
export type DischargeReason = (typeof dischargeReason.values)[number];

/** Outcome codes drawn from the evaluations in the Roots of recovery report. */
export const dischargeOutcome = entries({
  gp_appointment_avoided: 'GP appointment avoided',
  cmh_referral_avoided: 'Community mental health referral avoided',
  self_management_plan: 'Self-management plan in place',
  returned_to_work: 'Returned to work',
  stayed_in_work: 'Stayed in work',
  stayed_in_education: 'Stayed in education',
  admission_avoided: 'Hospital admission avoided',
});
export type DischargeOutcome = (typeof dischargeOutcome.values)[number];

/** How a person's postcode resolved to an area. */
export const postcodeStatus = entries({
  resolved: 'Resolved to an area',
  terminated: 'Resolved through a terminated postcode',
  unknown: 'A postcode not in the reference data',
  invalid: 'Not a valid postcode',
  not_given: 'Not given',
  no_fixed_address: 'No fixed address',
});
export type PostcodeStatus = (typeof postcodeStatus.values)[number];

export const nation = entries({ E: 'England', W: 'Wales', S: 'Scotland', N: 'Northern Ireland' });
export type Nation = (typeof nation.values)[number];

export const auditAction = entries({
  read: 'Read',
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  import: 'Import',
  export: 'Export',
  sign_in: 'Sign in',
  sign_out: 'Sign out',
  denied: 'Access denied',
  sign_in_failed: 'Sign-in failed',
  locked_out: 'Locked out',
  password_reset: 'Password reset',
});
export type AuditAction = (typeof auditAction.values)[number];
