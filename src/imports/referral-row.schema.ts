import { z } from 'zod';
import * as codes from '../domain/codes.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../people/nhs-number.ts';
import { parsePostcode } from '../reference/postcode.ts';
import type { ReferralRecord } from '../referrals/referral.record.ts';

/**
 * The referral CSV layout (docs/import-format.md): one row per referral, from receipt to
 * outcome. This schema is the single definition of that boundary: the importer validates each
 * row with it, the synthetic generator writes rows that pass it, and the documentation table is
 * checked against `referralColumns` by a test.
 */

/** Every column, in the documented order. Only the first four are required in the header. */
export const referralColumns = [
  'source_record_id',
  'person_id',
  'referral_received',
  'referral_source',
  'nhs_number',
  'given_name',
  'family_name',
  'date_of_birth',
  'sex',
  'ethnicity',
  'postcode',
  'area_code',
  'no_fixed_address',
  'disability',
  'inclusion_groups',
  'language',
  'interpreter_needed',
  'lives_alone',
  'urgent_risk',
  'triage_date',
  'pathway',
  'priority',
  'triage_outcome',
  'clock_start',
  'clock_pauses',
  'first_contact_date',
  'contacts_attended',
  'contacts_did_not_attend',
  'contacts_cancelled',
  'discharge_date',
  'discharge_reason',
  'discharge_outcomes',
  'outcome_instrument',
  'outcome_baseline_score',
  'outcome_final_score',
] as const;
export type ReferralColumn = (typeof referralColumns)[number];
export const requiredReferralColumns: ReferralColumn[] = ['source_record_id', 'person_id', 'referral_received', 'referral_source'];

export interface ReferralRowContext {
  /** Dates after this day are refused ('YYYY-MM-DD'); the import's own date by default. */
  today: string;
}

export type { ReferralRecord } from '../referrals/referral.record.ts';

// ---------------------------------------------------------------------------------------------
// Field parsers: every CSV cell arrives as text; blank means "not recorded".

// Blank cells are dropped before the object is parsed (one pass per row, rather than a
// preprocessing step per column), so an optional column simply sees `undefined`.
function presentCells(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const present: Record<string, unknown> = {};
  for (const key in input) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value !== 'string' || (value !== '' && (value.charCodeAt(0) > 32 || value.trim() !== ''))) present[key] = value;
  }
  return present;
}
const optional = <T extends z.ZodType>(schema: T) => schema.optional();
const required = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') }).pipe(schema);

/**
 * One cell parsed by a plain function: it returns the value or calls `reject` with the reason.
 * A single zod step per cell rather than one per check, because this runs for some thirty
 * cells of every row and a million-row import must not spend its time here.
 */
class CellProblem {
  constructor(readonly message: string) {}
}
const reject = (message: string): never => {
  throw new CellProblem(message);
};
const cell = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx): T => {
    try {
      return parse(text.trim());
    } catch (problem) {
      if (!(problem instanceof CellProblem)) throw problem;
      ctx.issues.push({ code: 'custom', message: problem.message, input: text });
      return z.NEVER;
    }
  });

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(text: string): string {
  if (!datePattern.test(text)) reject('must be a date written YYYY-MM-DD');
  if (!isRealDate(text)) reject('is not a real calendar date');
  return text;
}
const isoDate = cell(parseDate);

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Arithmetic rather than Date objects: this runs for every date cell of every row.
function isRealDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : daysInMonth[month - 1]!);
}

const booleanCell = cell((text) => {
  switch (text.toLowerCase()) {
    case 'true': case 'yes': case 'y': case '1':
      return true;
    case 'false': case 'no': case 'n': case '0':
      return false;
    default:
      return reject('must be true or false (or yes / no)');
  }
});

const code = <T extends string>(values: readonly T[], what: string, upper = false) => {
  const known = new Set<string>(values);
  const message = `is not a known ${what} code (expected one of ${values.join(', ')})`;
  return cell((text) => {
    const value = upper ? text.toUpperCase() : text.toLowerCase();
    return known.has(value) ? (value as T) : reject(message);
  });
};

const codeList = <T extends string>(values: readonly T[], what: string) =>
  z
    .string()
    .trim()
    .transform((v) => v.split(';').map((item) => item.trim().toLowerCase()).filter(Boolean))
    .superRefine((items, ctx) => {
      for (const item of items) {
        if (!(values as readonly string[]).includes(item)) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not a known ${what} code (expected ${values.join(', ')})` });
        }
      }
    })
    // Sorted, so that the same set written in another order is the same row (content hash).
    .transform((items) => [...new Set(items)].sort() as T[]);

const countPattern = /^\d{1,4}$/;
const count = cell((text) => (countPattern.test(text) ? Number(text) : reject('must be a whole number from 0 to 9999')));

const scorePattern = /^-?\d{1,4}(\.\d{1,3})?$/;
const score = cell((text) => (scorePattern.test(text) ? Number(text) : reject('must be a number')));

// Names: letters of any language (Welsh ŵ ŷ, Irish á, Polish ł...), spaces, apostrophes,
// hyphens and full stops; no digits or control characters.
const namePattern = /^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u;
const personName = cell((text) => {
  const name = text.normalize('NFC');
  if (name.length > 100) reject('must be at most 100 characters');
  if (!namePattern.test(name)) reject('may contain only letters, spaces, apostrophes, hyphens and full stops');
  return name;
});

const identifierPattern = /^[\x21-\x7e]+$/;
const identifier = cell((text) => {
  if (text === '') reject('is required');
  if (text.length > 100) reject('must be at most 100 characters');
  if (!identifierPattern.test(text)) reject('may contain only printable characters without spaces');
  return text;
});

const nhsNumber = cell((text) => {
  const digits = normaliseNhsNumber(text);
  if (!/^\d{10}$/.test(digits)) reject('must be 10 digits');
  if (!isValidNhsNumber(digits)) reject('fails the NHS number Modulus 11 check');
  return digits;
});

const postcodeCell = cell((text) => (text.length > 16 ? reject('is too long for a postcode') : text));

const areaCodePattern = /^[A-Z0-9]{7,9}$/;
const areaCode = cell((text) => {
  const value = text.toUpperCase();
  return areaCodePattern.test(value) ? value : reject('must be a small-area code such as E01000001 (LSOA), S01006506 (data zone) or 95AA01S1 (SOA)');
});

const languagePattern = /^[a-z]{2,3}$/;
const language = cell((text) => {
  const value = text.toLowerCase();
  return languagePattern.test(value) ? value : reject('must be an ISO 639 language code such as en, cy or pl');
});

const pauseList = z
  .string()
  .trim()
  .transform((v) => v.split(';').map((item) => item.trim()).filter(Boolean))
  .superRefine((items, ctx) => {
    for (const item of items) {
      const [from, to, extra] = item.split('/');
      if (extra !== undefined || !from || !to || !datePattern.test(from) || !isRealDate(from) || !datePattern.test(to) || !isRealDate(to)) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not a pause written YYYY-MM-DD/YYYY-MM-DD` });
      } else if (to < from) {
        ctx.addIssue({ code: 'custom', message: `pause "${item}" ends before it starts` });
      }
    }
  })
  .transform((items) => items.map((item) => ({ from: item.split('/')[0]!, to: item.split('/')[1]! })));

/** The cell-level schema: each column parsed on its own. Cross-column rules follow below. */
const cellsSchema = z.preprocess(presentCells, z.object({
  source_record_id: required(identifier),
  person_id: required(identifier),
  referral_received: required(isoDate),
  referral_source: required(code(codes.referralSource.values, 'referral source')),
  nhs_number: optional(nhsNumber),
  given_name: optional(personName),
  family_name: optional(personName),
  date_of_birth: optional(isoDate),
  sex: optional(code(codes.statedGender.values, 'person stated gender', true)),
  ethnicity: optional(code(codes.ethnicCategory.values, 'NHS ethnic category', true)),
  postcode: optional(postcodeCell),
  area_code: optional(areaCode),
  no_fixed_address: optional(booleanCell),
  disability: optional(booleanCell),
  inclusion_groups: optional(codeList(codes.inclusionGroup.values, 'inclusion health group')),
  language: optional(language),
  interpreter_needed: optional(booleanCell),
  lives_alone: optional(booleanCell),
  urgent_risk: optional(booleanCell),
  triage_date: optional(isoDate),
  pathway: optional(code(codes.pathway.values, 'pathway')),
  priority: optional(code(codes.priority.values, 'priority', true)),
  triage_outcome: optional(code(codes.triageOutcome.values, 'triage outcome')),
  clock_start: optional(isoDate),
  clock_pauses: optional(pauseList),
  first_contact_date: optional(isoDate),
  contacts_attended: optional(count),
  contacts_did_not_attend: optional(count),
  contacts_cancelled: optional(count),
  discharge_date: optional(isoDate),
  discharge_reason: optional(code(codes.dischargeReason.values, 'discharge reason')),
  discharge_outcomes: optional(codeList(codes.dischargeOutcome.values, 'discharge outcome')),
  outcome_instrument: optional(code(codes.outcomeInstrument.values, 'outcome instrument', true)),
  outcome_baseline_score: optional(score),
  outcome_final_score: optional(score),
}));
type Cells = z.infer<typeof cellsSchema>;

/** Range of valid scores per instrument (SWEMWBS metric 7–35; GAS T-score; FFT 1–6). */
export const scoreRanges: Record<codes.OutcomeInstrument, [number, number]> = {
  SWEMWBS: [7, 35],
  GAS: [0, 100],
  FFT: [1, 6],
  COPM_PERFORMANCE: [1, 10],
  COPM_SATISFACTION: [1, 10],
  TOMS: [0, 5],
  MOHOST: [1, 4],
};

export function referralRowSchema(context: ReferralRowContext) {
  return cellsSchema.superRefine((row, ctx) => crossFieldRules(row, ctx, context)).transform(toRecord);
}

function crossFieldRules(row: Cells, ctx: z.RefinementCtx, { today }: ReferralRowContext): void {
  const fail = (field: ReferralColumn, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  const notFuture = (field: ReferralColumn, value: string | undefined) => {
    if (value && value > today) fail(field, `is in the future (after ${today})`);
  };
  for (const field of ['referral_received', 'date_of_birth', 'triage_date', 'clock_start', 'first_contact_date', 'discharge_date'] as const) {
    notFuture(field, row[field]);
  }
  const received = row.referral_received;
  if (received < '2000-01-01') fail('referral_received', 'is before 2000');
  if (row.date_of_birth) {
    if (row.date_of_birth > received) fail('date_of_birth', 'is after the referral was received');
    if (Number(received.slice(0, 4)) - Number(row.date_of_birth.slice(0, 4)) > 120) fail('date_of_birth', 'gives an age over 120');
  }
  if (row.no_fixed_address && row.postcode) fail('postcode', 'must be blank when no_fixed_address is true');
  if (row.no_fixed_address && row.area_code) fail('area_code', 'must be blank when no_fixed_address is true');

  const triageGiven = row.triage_date || row.pathway || row.priority || row.triage_outcome;
  if (triageGiven) {
    if (!row.triage_date) fail('triage_date', 'is required when the referral has been triaged');
    if (!row.pathway) fail('pathway', 'is required when the referral has been triaged');
    if (!row.triage_outcome) fail('triage_outcome', 'is required when the referral has been triaged');
    if (row.triage_outcome === 'accept' && !row.priority) fail('priority', 'is required when the referral is accepted to the waiting list');
  }
  if (row.triage_date && row.triage_date < received) fail('triage_date', 'is before the referral was received');

  const accepted = row.triage_outcome === 'accept';
  const waitingGiven = row.clock_start || row.clock_pauses?.length || row.first_contact_date ||
    row.contacts_attended || row.contacts_did_not_attend || row.contacts_cancelled;
  if (waitingGiven && !accepted) {
    fail(row.clock_start ? 'clock_start' : 'first_contact_date', 'waiting-list dates need triage_outcome accept');
  }
  const clockStart = row.clock_start ?? received;
  if (row.clock_start && row.clock_start < received) fail('clock_start', 'is before the referral was received');
  if (row.first_contact_date && row.first_contact_date < clockStart) fail('first_contact_date', 'is before the waiting-list clock started');
  if ((row.contacts_attended ?? 0) > 0 && !row.first_contact_date) fail('first_contact_date', 'is required when contacts were attended');
  if (row.first_contact_date && (row.contacts_attended ?? 0) === 0) fail('contacts_attended', 'must be at least 1 when there was a first contact');
  const pauses = [...(row.clock_pauses ?? [])].sort((a, b) => a.from.localeCompare(b.from));
  const clockEnd = row.first_contact_date ?? row.discharge_date ?? today;
  pauses.forEach((pause, index) => {
    if (pause.from < clockStart || pause.to > clockEnd) fail('clock_pauses', `pause ${pause.from}/${pause.to} is outside the waiting period ${clockStart}/${clockEnd}`);
    const next = pauses[index + 1];
    if (next && next.from < pause.to) fail('clock_pauses', `pauses ${pause.from}/${pause.to} and ${next.from}/${next.to} overlap`);
  });

  if (row.discharge_date) {
    if (!row.discharge_reason) fail('discharge_reason', 'is required with a discharge date');
    if (row.discharge_date < received) fail('discharge_date', 'is before the referral was received');
    if (row.first_contact_date && row.discharge_date < row.first_contact_date) fail('discharge_date', 'is before the first contact');
    if (row.triage_date && row.discharge_date < row.triage_date) fail('discharge_date', 'is before triage');
    // The waiting-list clock stops at first contact, or at discharge when there was none.
    if (accepted && row.discharge_date < clockStart) fail('discharge_date', 'is before the waiting-list clock started');
  } else {
    if (row.discharge_reason) fail('discharge_date', 'is required with a discharge reason');
    if (row.discharge_outcomes?.length) fail('discharge_date', 'is required with discharge outcomes');
  }

  const scores = [row.outcome_baseline_score, row.outcome_final_score].filter((s) => s !== undefined);
  if (scores.length > 0 && !row.outcome_instrument) fail('outcome_instrument', 'is required with outcome scores');
  if (scores.length > 0 && !accepted) fail('outcome_instrument', 'outcome scores need triage_outcome accept');
  if (row.outcome_final_score !== undefined && !row.discharge_date) fail('outcome_final_score', 'is the score at discharge: discharge_date is required with it');
  if (row.outcome_instrument) {
    const [low, high] = scoreRanges[row.outcome_instrument];
    for (const field of ['outcome_baseline_score', 'outcome_final_score'] as const) {
      const value = row[field];
      if (value !== undefined && (value < low || value > high)) fail(field, `must be between ${low} and ${high} for ${row.outcome_instrument}`);
    }
  }
}

function toRecord(row: Cells): ReferralRecord {
  const postcode = row.postcode ? parsePostcode(row.postcode) : null;
  const triage = row.triage_outcome && row.triage_date && row.pathway
    ? { triagedOn: row.triage_date, pathway: row.pathway, priority: row.priority ?? null, outcome: row.triage_outcome }
    : null;
  return {
    sourceRecordId: row.source_record_id,
    person: {
      sourcePersonId: row.person_id,
      nhsNumber: row.nhs_number ?? null,
      givenName: row.given_name ?? null,
      familyName: row.family_name ?? null,
      dateOfBirth: row.date_of_birth ?? null,
      sex: row.sex ?? null,
      ethnicity: row.ethnicity ?? null,
      postcode: postcode?.ok ? postcode.postcode : null,
      postcodeGiven: postcode !== null,
      areaCode: row.area_code ?? null,
      noFixedAddress: row.no_fixed_address ?? false,
      disability: row.disability ?? null,
      inclusionGroups: row.inclusion_groups ?? [],
      language: row.language ?? null,
      interpreterNeeded: row.interpreter_needed ?? null,
      // Only when the file has it, so that records without it hash as before the column existed.
      ...(row.lives_alone !== undefined ? { livesAlone: row.lives_alone } : {}),
    },
    referral: { receivedOn: row.referral_received, source: row.referral_source, urgentRisk: row.urgent_risk ?? false },
    triage,
    waiting:
      triage?.outcome === 'accept'
        ? {
            clockStartedOn: row.clock_start ?? row.referral_received,
            pauses: [...(row.clock_pauses ?? [])].sort((a, b) => a.from.localeCompare(b.from)),
            firstContactOn: row.first_contact_date ?? null,
            contactsAttended: row.contacts_attended ?? 0,
            contactsDidNotAttend: row.contacts_did_not_attend ?? 0,
            contactsCancelled: row.contacts_cancelled ?? 0,
          }
        : null,
    discharge: row.discharge_date && row.discharge_reason
      ? { dischargedOn: row.discharge_date, reason: row.discharge_reason, outcomes: row.discharge_outcomes ?? [] }
      : null,
    outcome: row.outcome_instrument ? outcomeOf(row, row.outcome_instrument, triage) : null,
  };
}

function outcomeOf(row: Cells, instrument: codes.OutcomeInstrument, triage: ReferralRecord['triage']): ReferralRecord['outcome'] {
  const responses: NonNullable<ReferralRecord['outcome']>['responses'] = [];
  const baselineOn = row.first_contact_date ?? triage?.triagedOn;
  if (row.outcome_baseline_score !== undefined && baselineOn) {
    responses.push({ timepoint: 'baseline', recordedOn: baselineOn, score: row.outcome_baseline_score });
  }
  if (row.outcome_final_score !== undefined && row.discharge_date) {
    responses.push({ timepoint: 'discharge', recordedOn: row.discharge_date, score: row.outcome_final_score });
  }
  return { instrument, responses };
}
