import type { DischargeOutcome, DischargeReason, InclusionGroup, Pathway, Priority, ReferralSource, StatedGender, TriageOutcome } from '../domain/codes.ts';
import type { ReferralColumn } from '../imports/referral-row.schema.ts';
import { nhsNumberCheckDigit } from '../people/nhs-number.ts';
import type { AreaFrame, FrameArea } from './area-frame.ts';
import { DateFormatter, weekdayOf, yearsBefore } from './calendar.ts';
import * as journey from './journey.model.ts';
import { compileModel, quintileFactor, type CompiledModel } from './model.ts';
import type { SynthOptions } from './options.ts';
import * as people from './people.model.ts';
import { Random } from './random.ts';

/** One CSV row of the referral import layout: every column, as text ('' = blank). */
export type ReferralCsvRow = Record<ReferralColumn, string>;

export interface SynthesiseHooks {
  /** Called after every `every` people (and at the end) with the number of people done. */
  onProgress?: (peopleDone: number) => void;
  every?: number;
}

/**
 * Synthetic referral rows for `options.people` people drawn from `frame`, as an async iterable
 * (so a caller can write a CSV or stream the rows into the importer). Pure apart from the seeded
 * generator: the same options and frame give the same rows in the same order.
 */
export async function* synthesise(options: SynthOptions, frame: AreaFrame, hooks: SynthesiseHooks = {}): AsyncGenerator<ReferralCsvRow> {
  yield* generateReferralRows(options, frame, hooks);
}

/** The same rows as `synthesise`, synchronously. */
export function* generateReferralRows(options: SynthOptions, frame: AreaFrame, hooks: SynthesiseHooks = {}): Generator<ReferralCsvRow> {
  const generator = new Generator_(compileModel(options, frame));
  const every = hooks.every ?? 1000;
  for (let i = 0; i < options.people; i++) {
    yield* generator.person(i);
    if (hooks.onProgress && ((i + 1) % every === 0 || i + 1 === options.people)) hooks.onProgress(i + 1);
  }
}

/** X is never the first letter of a UK postcode, so an outward code starting X is never real. */
const UNKNOWN_SECOND = [...'ABCDEFGHJKLMNOPRSTUWYZ'];
const INWARD_LETTERS = [...'ABDEFGHJLNPQRSTUWXYZ'];
/** Things written in postcode fields that are not postcodes. */
const INVALID_POSTCODES = ['N/A', 'UNKNOWN', 'TBC', 'NONE', '?', 'DT1', 'SW1A', '0000000', 'AB12 34CD', 'LS1 1'];

interface Person {
  personId: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: string;
  ethnicity: string;
  postcode: string;
  areaCode: string;
  noFixedAddress: string;
  disability: string;
  inclusionGroups: string;
  language: string;
  interpreterNeeded: string;
}

interface PlannedReferral {
  received: number;
  pathway: Pathway;
  source: ReferralSource;
}

class Generator_ {
  private readonly random: Random;
  private readonly dates = new DateFormatter();
  private readonly nhs: NhsNumberSequence;
  private readonly prefix: string;
  private readonly dnaByQuintile: number[];
  private readonly waitFactorByQuintile: number[];
  private readonly outcomeFactorByQuintile: number[];

  constructor(private readonly model: CompiledModel) {
    const { options } = model;
    this.random = new Random(options.seed);
    this.nhs = new NhsNumberSequence(options.seed);
    this.prefix = `S${options.seed}`;
    this.dnaByQuintile = [1, 2, 3, 4, 5].map((q) => options.dnaRate * quintileFactor(options.gradients.dna, q));
    this.waitFactorByQuintile = [1, 2, 3, 4, 5].map((q) => quintileFactor(options.gradients.wait, q));
    this.outcomeFactorByQuintile = [1, 2, 3, 4, 5].map((q) => quintileFactor(options.gradients.outcome, q));
  }

  *person(index: number): Generator<ReferralCsvRow> {
    const { model, random } = this;
    const cell = model.cellAlias.sample(random);
    const area = model.frame.areas[model.cellArea[cell]!]!;
    const band = model.cellBand[cell]!;
    const age = model.bandAges[band]!.ages[model.bandAgeAlias[band]!.sample(random)]!;
    const category = people.statedEthnicCategories[model.ethnicAlias[area.nation][area.decile - 1]!.sample(random)]!;

    const count = random.bernoulli(model.options.repeatReferral) ? 2 : 1;
    const referrals: PlannedReferral[] = [];
    for (let j = 0; j < count; j++) referrals.push(this.planReferral(age));
    if (count === 2 && referrals[1]!.received < referrals[0]!.received) referrals.reverse();

    const person = this.personDetails(index, area, age, category, referrals[0]!);
    const serial = String(index + 1).padStart(7, '0');
    for (let j = 0; j < referrals.length; j++) {
      yield this.referralRow(`${this.prefix}-R${serial}-${j + 1}`, person, area, age, referrals[j]!);
    }
  }

  private planReferral(age: number): PlannedReferral {
    const { random, model } = this;
    const pathway = model.pathways[model.pathwayAlias[age]!.sample(random)]!;
    const sources = journey.referralSources[pathway];
    const source = random.choose(sources);
    const keep = source === 'self' ? journey.weekendKeep.self : journey.weekendKeep.other;
    let received: number;
    for (;;) {
      received = model.yearStartDay + Math.floor(random.uniform() * 365);
      const weekday = weekdayOf(received);
      if ((weekday !== 0 && weekday !== 6) || random.bernoulli(keep)) break;
    }
    return { received, pathway, source };
  }

  private personDetails(index: number, area: FrameArea, age: number, category: people.StatedEthnicCategory, first: PlannedReferral): Person {
    const { random, model } = this;
    const { missing } = model.options;
    const quintile = area.quintile;

    const sexDraw = random.uniform();
    const sex: StatedGender =
      sexDraw < people.sexIndeterminate ? '9' : sexDraw < people.sexIndeterminate + people.sexNotKnown ? 'X' : random.bernoulli(people.femaleChance(age)) ? '2' : '1';

    // Born so as to be `age` on the day of the first referral.
    const birthday = yearsBefore(first.received, age);
    const previous = yearsBefore(first.received, age + 1);
    const dateOfBirth = birthday - Math.floor(random.uniform() * (birthday - previous));

    // Address: no fixed address, an unusable postcode, or the area with one of its postcodes.
    let postcode = '';
    let areaCode = '';
    let noFixedAddress = false;
    const addressDraw = random.uniform();
    if (addressDraw < missing.noFixedAddress) {
      noFixedAddress = true;
    } else if (addressDraw < missing.noFixedAddress + missing.postcodeInvalid) {
      postcode = random.pick(INVALID_POSTCODES);
    } else if (addressDraw < missing.noFixedAddress + missing.postcodeInvalid + missing.postcodeUnknown) {
      postcode = `X${random.pick(UNKNOWN_SECOND)}${random.int(1, 9)} ${random.int(1, 9)}${random.pick(INWARD_LETTERS)}${random.pick(INWARD_LETTERS)}`;
    } else {
      const terminated = area.terminatedPostcodes.length > 0 && (area.livePostcodes.length === 0 || random.bernoulli(0.03));
      const pool = terminated ? area.terminatedPostcodes : area.livePostcodes;
      postcode = pool.length > 0 ? random.pick(pool) : '';
      areaCode = postcode && random.bernoulli(missing.areaCodeOmitted) ? '' : area.code;
    }

    // Inclusion-health groups.
    const groups = new Set<InclusionGroup>();
    if (noFixedAddress) groups.add('homeless');
    const tilt = people.deprivationTiltByQuintile[quintile - 1]!;
    for (const rule of people.inclusionRules) {
      if (age >= rule.minAge && age <= rule.maxAge && random.bernoulli(rule.chance * (rule.deprivationTilt ? tilt : 1))) groups.add(rule.group);
    }
    const sanctuary = people.sanctuaryChance[category];
    if (sanctuary) {
      const draw = random.uniform();
      if (draw < sanctuary.asylum) groups.add('asylum_seeker');
      else if (draw < sanctuary.asylum + sanctuary.refugee) groups.add('refugee');
    }
    const travellerChance = people.gypsyRomaTravellerChance[category];
    if (travellerChance && random.bernoulli(travellerChance)) groups.add('gypsy_roma_traveller');
    const seekingSanctuary = groups.has('asylum_seeker') || groups.has('refugee');

    // Language and interpreter.
    let language = 'en';
    if (area.nation === 'W' && category === 'A' && random.bernoulli(people.welshPreferenceShare)) {
      language = 'cy';
    } else {
      const other = people.otherMainLanguage[category];
      if (random.bernoulli(seekingSanctuary ? Math.max(other.chance, 0.8) : other.chance)) {
        language = random.choose(other.languages);
      }
    }
    let interpreterNeeded = 'false';
    if (language === 'bfi') interpreterNeeded = random.bernoulli(0.8) ? 'true' : 'false';
    else if (language !== 'en' && language !== 'cy') {
      interpreterNeeded = random.bernoulli(seekingSanctuary ? people.interpreterShareSanctuary : people.interpreterShare) ? 'true' : 'false';
    }
    if (random.bernoulli(people.languageNotRecorded)) {
      language = '';
      interpreterNeeded = '';
    }

    // Names.
    const welsh = area.nation === 'W' && category === 'A' && random.bernoulli(language === 'cy' ? 0.9 : people.welshNamesInWales);
    const sets = people.nameSetsByCategory[category];
    const nameSet = welsh ? 'welsh' : random.choose(sets);
    const names = people.nameLists[nameSet];
    const female = sex === '2' || ((sex === '9' || sex === 'X') && random.bernoulli(0.5));
    const givenName = random.pick(female ? names.female : names.male);
    let familyName = random.pick(names.family);
    if ((nameSet === 'british' || nameSet === 'welsh') && random.bernoulli(0.03)) familyName = `${familyName}-${random.pick(names.family)}`;
    const namesRecorded = random.bernoulli(0.995);

    // Ethnicity as recorded: the true category, or one of the unknowns.
    const ethnicDraw = random.uniform();
    const ethnicity =
      ethnicDraw < missing.ethnicityNotStated
        ? 'Z'
        : ethnicDraw < missing.ethnicityNotStated + missing.ethnicityNotKnown
          ? '99'
          : ethnicDraw < missing.ethnicityNotStated + missing.ethnicityNotKnown + missing.ethnicityBlank
            ? ''
            : category;

    const disability = random.bernoulli(people.disabilityNotRecorded) ? '' : random.bernoulli(people.disabilityChance[first.pathway]) ? 'true' : 'false';

    const nhsRecorded = random.bernoulli(noFixedAddress || seekingSanctuary ? 0.6 : 0.9);
    return {
      personId: `${this.prefix}-P${String(index + 1).padStart(7, '0')}`,
      nhsNumber: nhsRecorded ? this.nhs.next() : '',
      givenName: namesRecorded ? givenName : '',
      familyName: namesRecorded ? familyName : '',
      dateOfBirth: this.dates.iso(dateOfBirth),
      sex,
      ethnicity,
      postcode,
      areaCode,
      noFixedAddress: noFixedAddress ? 'true' : 'false',
      disability,
      inclusionGroups: [...groups].sort().join(';'),
      language,
      interpreterNeeded,
    };
  }

  private referralRow(sourceRecordId: string, person: Person, area: FrameArea, age: number, plan: PlannedReferral): ReferralCsvRow {
    const row: ReferralCsvRow = {
      source_record_id: sourceRecordId,
      person_id: person.personId,
      referral_received: this.dates.iso(plan.received),
      referral_source: plan.source,
      nhs_number: person.nhsNumber,
      given_name: person.givenName,
      family_name: person.familyName,
      date_of_birth: person.dateOfBirth,
      sex: person.sex,
      ethnicity: person.ethnicity,
      postcode: person.postcode,
      area_code: person.areaCode,
      no_fixed_address: person.noFixedAddress,
      disability: person.disability,
      inclusion_groups: person.inclusionGroups,
      language: person.language,
      interpreter_needed: person.interpreterNeeded,
      lives_alone: '',
      urgent_risk: '',
      triage_date: '',
      pathway: '',
      priority: '',
      triage_outcome: '',
      clock_start: '',
      clock_pauses: '',
      first_contact_date: '',
      contacts_attended: '',
      contacts_did_not_attend: '',
      contacts_cancelled: '',
      discharge_date: '',
      discharge_reason: '',
      discharge_outcomes: '',
      outcome_instrument: '',
      outcome_baseline_score: '',
      outcome_final_score: '',
    };
    this.journey(row, area, age, plan);
    return row;
  }

  /** Fills in triage, waiting list, contacts, discharge and outcome scores of one referral. */
  private journey(columns: ReferralCsvRow, area: FrameArea, age: number, plan: PlannedReferral): void {
    const { random, model, dates } = this;
    const yearEnd = model.yearEndDay;
    const q = area.quintile - 1;
    const { received, pathway } = plan;
    const urgent = random.bernoulli(journey.urgentRiskChance[pathway]);
    columns.urgent_risk = urgent ? 'true' : 'false';

    const lag = urgent ? random.int(0, 1) : 1 + random.poisson(journey.triageLagMean);
    const triageDay = received + lag;
    if (triageDay > yearEnd) return; // not yet triaged at the year end
    const outcomes = journey.triageOutcomes[pathway];
    const outcome: TriageOutcome = random.choose(outcomes);
    columns.triage_date = dates.iso(triageDay);
    columns.pathway = pathway;
    columns.triage_outcome = outcome;
    if (outcome === 'advice_discharge') {
      columns.discharge_date = columns.triage_date;
      columns.discharge_reason = 'advice_given';
      columns.discharge_outcomes = this.independentOutcomes(journey.adviceOutcomeChances);
      return;
    }
    if (outcome !== 'accept') return;

    const priority: Priority = urgent ? 'P1' : random.choose(journey.priorityMix);
    columns.priority = priority;
    columns.clock_start = dates.iso(received);

    // Clock days to the first offered appointment: triage lag plus the wait from triage.
    const median = journey.waitMedianDays[priority] * journey.waitPathwayFactor[pathway] * this.waitFactorByQuintile[q]!;
    const waitFromTriage = Math.round(random.logNormal(median, journey.waitSigma));
    const clockToOffer = lag + waitFromTriage;
    const pauses: [number, number][] = [];
    let pauseClock = -1;
    let pauseLength = 0;
    if (waitFromTriage > 0 && random.bernoulli(journey.waitingPause.chance)) {
      pauseClock = lag + random.int(0, waitFromTriage - 1);
      pauseLength = random.int(journey.waitingPause.minDays, journey.waitingPause.maxDays);
    }
    const removalClock = lag + random.exponential(journey.removalMeanDays);
    const counts = { attended: 0, dna: 0, cancelled: 0 };
    const finish = (clockEnd: number): void => {
      columns.clock_pauses = pauses
        .filter(([from]) => from <= clockEnd)
        .map(([from, to]) => `${dates.iso(from)}/${dates.iso(Math.min(to, clockEnd))}`)
        .join(';');
      columns.contacts_attended = String(counts.attended);
      columns.contacts_did_not_attend = String(counts.dna);
      columns.contacts_cancelled = String(counts.cancelled);
    };

    if (removalClock < clockToOffer) {
      // Taken off the list before any appointment was offered.
      const removalWhole = Math.floor(removalClock);
      const paused = pauseClock >= 0 && pauseClock < removalWhole;
      if (paused) pauses.push([received + pauseClock, received + pauseClock + pauseLength]);
      const removalDay = received + removalWhole + (paused ? pauseLength : 0);
      if (removalDay <= yearEnd) {
        columns.discharge_date = dates.iso(Math.max(removalDay, triageDay));
        columns.discharge_reason = random.choose(journey.removalReasons);
        return finish(Math.max(removalDay, triageDay));
      }
      return finish(yearEnd);
    }
    if (pauseClock >= 0) pauses.push([received + pauseClock, received + pauseClock + pauseLength]);

    // Appointments until the first one attended (the clock stops there).
    const dnaChance = (1 - journey.patientCancelChance) * this.dnaByQuintile[q]!;
    let day = received + clockToOffer + (pauseClock >= 0 ? pauseLength : 0);
    let firstContact = -1;
    for (let attempt = 1; attempt <= journey.firstAppointmentAttempts; attempt++) {
      if (day > yearEnd) return finish(yearEnd); // still waiting at the year end
      const draw = random.uniform();
      if (draw >= journey.patientCancelChance + dnaChance) {
        counts.attended++;
        firstContact = day;
        break;
      }
      const missed = draw >= journey.patientCancelChance;
      if (missed) counts.dna++;
      else counts.cancelled++;
      if (attempt === journey.firstAppointmentAttempts) {
        columns.discharge_date = dates.iso(day);
        columns.discharge_reason = missed ? 'did_not_attend' : 'declined';
        return finish(day);
      }
      const next = day + random.int(journey.rebookDays.min, journey.rebookDays.max);
      pauses.push([day, next]);
      day = next;
    }
    columns.first_contact_date = dates.iso(firstContact);

    // Treatment: further appointments, then discharge.
    const further = random.poisson(journey.furtherAppointmentsMean[pathway]);
    let last = firstContact;
    let missedInRow = 0;
    let stoppedForNonAttendance = false;
    let ongoing = false;
    for (let i = 0; i < further; i++) {
      const next = last + random.int(journey.appointmentGapDays.min, journey.appointmentGapDays.max);
      if (next > yearEnd) {
        ongoing = true;
        break;
      }
      last = next;
      const draw = random.uniform();
      if (draw < journey.patientCancelChance) counts.cancelled++;
      else if (draw < journey.patientCancelChance + dnaChance) {
        counts.dna++;
        if (++missedInRow >= journey.consecutiveDnaLimit) {
          stoppedForNonAttendance = true;
          break;
        }
      } else {
        counts.attended++;
        missedInRow = 0;
      }
    }
    let reason: DischargeReason | null = null;
    if (!ongoing) {
      const dischargeDay = last + random.int(journey.dischargeLagDays.min, journey.dischargeLagDays.max);
      if (dischargeDay <= yearEnd) {
        if (stoppedForNonAttendance) reason = 'did_not_attend';
        else if (age >= 75 && random.bernoulli(journey.diedChanceFrom75)) reason = 'died';
        else reason = random.choose(journey.completedDischargeReasons);
        columns.discharge_date = dates.iso(dischargeDay);
        columns.discharge_reason = reason;
        if (reason === 'goals_met') columns.discharge_outcomes = this.goalsMetOutcomes(pathway);
      }
    }

    const instrument = journey.outcomeInstrumentFor[pathway];
    if (instrument && random.bernoulli(journey.baselineRecorded)) {
      const finalChance = reason === 'goals_met' ? journey.finalRecorded.goalsMet : reason && reason !== 'died' ? journey.finalRecorded.otherDischarge : 0;
      const withFinal = random.bernoulli(finalChance);
      const [baseline, final] = instrument === 'SWEMWBS' ? this.swemwbs(q) : this.gas(q);
      columns.outcome_instrument = instrument;
      columns.outcome_baseline_score = baseline;
      if (withFinal) columns.outcome_final_score = final;
    }
    return finish(firstContact);
  }

  private independentOutcomes(chances: [DischargeOutcome, number][]): string {
    return chances
      .filter(([, chance]) => this.random.bernoulli(chance))
      .map(([code]) => code)
      .sort()
      .join(';');
  }

  private goalsMetOutcomes(pathway: Pathway): string {
    const chosen = journey.dischargeOutcomeChances[pathway].filter(([, chance]) => this.random.bernoulli(chance)).map(([code]) => code);
    if (pathway === 'work_health') {
      const work = this.random.choose(journey.workOutcome);
      if (work) chosen.push(work);
    }
    return chosen.sort().join(';');
  }

  /** SWEMWBS metric scores at baseline and discharge (both drawn; the caller decides what is recorded). */
  private swemwbs(q: number): [string, string] {
    const m = journey.swemwbsModel;
    const mean = m.baselineMeanLeast - m.baselineStepPerQuintile * (4 - q);
    const baseline = clamp(Math.round(this.random.normal(mean, m.baselineSd)), 7, 35);
    const change = Math.round(this.random.normal(m.changeMeanLeast * this.outcomeFactorByQuintile[q]!, m.changeSd));
    const final = clamp(baseline + change, 7, 35);
    return [journey.swemwbsMetric[baseline - 7]!.toFixed(2), journey.swemwbsMetric[final - 7]!.toFixed(2)];
  }

  /** Goal Attainment Scaling T-scores at baseline and discharge. */
  private gas(q: number): [string, string] {
    const g = journey.gasModel;
    const random = this.random;
    const goals = random.choose(g.goals);
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < goals; i++) {
      const level = random.choose(g.baselineLevels);
      before.push(level);
      after.push(clamp(level + Math.round(random.normal(g.changeMeanLeast * this.outcomeFactorByQuintile[q]!, g.changeSd)), -2, 2));
    }
    return [journey.gasTScore(before).toFixed(2), journey.gasTScore(after).toFixed(2)];
  }
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

/**
 * NHS numbers from the range NHS England reserves for testing (999 000 0000 to 999 999 9999,
 * never issued to a patient), valid by Modulus 11. The six free digits walk a fixed permutation
 * of 0..999,999 (a multiplier coprime to 10^6, offset by the seed), skipping the tenth of
 * candidates whose check digit would be 10, so numbers never repeat within a file. The range
 * holds about 909,000 valid numbers; once they are used up, later people have none recorded.
 */
export class NhsNumberSequence {
  private counter = 0;
  private readonly offset: number;
  static readonly capacity = 1_000_000;

  constructor(seed: number) {
    this.offset = Number(BigInt(seed) * 7_919n % 1_000_000n);
  }

  next(): string {
    while (this.counter < NhsNumberSequence.capacity) {
      const value = (this.counter * 370_661 + this.offset) % 1_000_000;
      this.counter++;
      const firstNine = `999${String(value).padStart(6, '0')}`;
      const check = nhsNumberCheckDigit(firstNine);
      if (check !== null) return `${firstNine}${check}`;
    }
    return '';
  }
}
