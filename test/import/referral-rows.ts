import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { nhsNumberCheckDigit } from '../../src/people/nhs-number.ts';
import { referralColumns, type ReferralColumn } from '../../src/imports/referral-row.schema.ts';

/**
 * Valid referral rows for import tests, the crash test and throughput measurements: seeded and
 * deterministic, covering every column and each journey (waiting, seen, discharged, advice,
 * redirect, no fixed address, pauses, outcome scores). Not the synthetic data generator: no
 * populations or gradients, just rows that pass the referral row schema.
 *
 *   npx tsx test/import/referral-rows.ts 200000 /tmp/referrals-200k.csv
 */
export type ReferralRow = Record<ReferralColumn, string>;

export interface RowOptions {
  seed?: number;
  /** People per referral: below 1, some people have several referrals. */
  peopleShare?: number;
  /** Prefix of source record and person ids, so that two sets do not collide. */
  prefix?: string;
  postcodes?: string[];
}

const givenNames = ['Gwenllïan', 'Dafydd', 'Siân', 'Owain', 'Aoife', 'Zofia', 'Łukasz', 'Mohammed', 'Amara', 'Chloé', 'Rhodri', 'Ŵyn', 'Mary-Jane', "D'Arcy"];
const familyNames = ['Jones', 'Ŷmlyn', 'Davies', 'Nowak', "O'Neill", 'Okafor', 'Khan', 'Ng', 'Pritchard', 'Llŷr', 'Evans-Ŵatkin', 'Smith'];
const defaultPostcodes = ['DT1 1AA', 'DT1 1AB', 'HG1 1AA', 'HR1 1AA', 'LD1 5AA', 'SR1 1AA', 'WN1 1AA', 'TF1 1AA', 'ZZ9 9ZZ'];
const sources = ['self', 'gp', 'primary_care', 'mental_health', 'social_care', 'carer', 'education', 'employer', 'voluntary_sector'];
const pathways = ['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab'];
const ethnicities = ['A', 'A', 'A', 'B', 'C', 'D', 'H', 'J', 'K', 'M', 'N', 'R', 'S', 'Z', '99'];

/** mulberry32: small, fast and good enough for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (base: string, plus: number) => new Date(Date.parse(`${base}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);

export function* referralRows(count: number, options: RowOptions = {}): Generator<ReferralRow> {
  const next = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const prefix = options.prefix ?? '';
  const people = Math.max(1, Math.round(count * (options.peopleShare ?? 0.85)));
  const postcodes = options.postcodes ?? defaultPostcodes;
  for (let index = 1; index <= count; index++) {
    const row = Object.fromEntries(referralColumns.map((column) => [column, ''])) as ReferralRow;
    const personNumber = index <= people ? index : 1 + Math.floor(next() * people);
    row.source_record_id = `${prefix}R${String(index).padStart(8, '0')}`;
    row.person_id = `${prefix}P${String(personNumber).padStart(8, '0')}`;
    const received = day('2025-01-01', Math.floor(next() * 330));
    row.referral_received = received;
    row.referral_source = pick(sources);
    if (chance(0.9)) row.nhs_number = nhsNumber(personNumber);
    row.given_name = givenNames[personNumber % givenNames.length]!;
    row.family_name = familyNames[(personNumber * 7) % familyNames.length]!;
    row.date_of_birth = day('1935-01-01', personNumber % 25_000);
    row.sex = ['1', '2', '2', '9', 'X'][personNumber % 5]!;
    row.ethnicity = ethnicities[personNumber % ethnicities.length]!;
    if (personNumber % 97 === 0) {
      row.no_fixed_address = 'true';
      row.inclusion_groups = 'homeless';
    } else if (personNumber % 31 !== 0) {
      row.postcode = postcodes[personNumber % postcodes.length]!;
    }
    if (personNumber % 13 === 0) row.inclusion_groups = 'carer;veteran';
    row.disability = ['true', 'false', ''][personNumber % 3]!;
    if (personNumber % 11 === 0) {
      row.language = 'cy';
      row.interpreter_needed = 'false';
    }
    row.urgent_risk = chance(0.02) ? 'true' : 'false';
    if (!chance(0.85)) {
      yield row;
      continue;
    }
    const triaged = day(received, 1 + Math.floor(next() * 10));
    row.triage_date = triaged;
    row.pathway = pick(pathways);
    const outcome = next();
    if (outcome < 0.12) {
      row.triage_outcome = 'advice_discharge';
      row.discharge_date = triaged;
      row.discharge_reason = 'advice_given';
      yield row;
      continue;
    }
    if (outcome < 0.18) {
      row.triage_outcome = chance(0.5) ? 'redirect' : 'return_to_referrer';
      yield row;
      continue;
    }
    row.triage_outcome = 'accept';
    row.priority = pick(['P1', 'P2', 'P3', 'P3', 'P4']);
    let cursor = received;
    if (chance(0.1)) {
      const from = day(received, 5 + Math.floor(next() * 10));
      const to = day(from, 3 + Math.floor(next() * 14));
      row.clock_pauses = `${from}/${to}`;
      cursor = to;
    }
    if (chance(0.7)) {
      const firstContact = day(cursor, 5 + Math.floor(next() * 60));
      row.first_contact_date = firstContact;
      row.contacts_attended = String(1 + Math.floor(next() * 8));
      row.contacts_did_not_attend = String(Math.floor(next() * 2));
      row.contacts_cancelled = String(Math.floor(next() * 2));
      if (chance(0.4)) {
        row.outcome_instrument = 'SWEMWBS';
        row.outcome_baseline_score = String(12 + Math.floor(next() * 10));
      }
      if (chance(0.5)) {
        row.discharge_date = day(firstContact, 20 + Math.floor(next() * 60));
        row.discharge_reason = pick(['goals_met', 'goals_met', 'declined', 'did_not_attend']);
        row.discharge_outcomes = chance(0.5) ? 'self_management_plan;gp_appointment_avoided' : '';
        if (row.outcome_instrument) row.outcome_final_score = String(15 + Math.floor(next() * 12));
      }
    }
    yield row;
  }
}

/** A valid NHS number for a person (from a reserved-looking but valid range; Modulus 11 holds). */
export function nhsNumber(seed: number): string {
  for (let offset = 0; ; offset++) {
    const nine = String(400_000_000 + ((seed * 7919 + offset) % 500_000_000)).padStart(9, '0');
    const check = nhsNumberCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

export function toCsv(rows: Iterable<ReferralRow>, header: readonly string[] = referralColumns): string {
  return stringify([header, ...[...rows].map((row) => header.map((column) => row[column as ReferralColumn] ?? ''))]);
}

/** Writes `count` rows to a CSV file without holding them in memory. */
export async function writeReferralCsv(path: string, count: number, options: RowOptions = {}): Promise<void> {
  const out = createWriteStream(path);
  out.write(stringify([[...referralColumns]]));
  let chunk: string[][] = [];
  for (const row of referralRows(count, options)) {
    chunk.push(referralColumns.map((column) => row[column]));
    if (chunk.length === 2000) {
      if (!out.write(stringify(chunk))) await once(out, 'drain');
      chunk = [];
    }
  }
  out.write(stringify(chunk));
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, path] = [Number(process.argv[2] ?? 100_000), process.argv[3] ?? 'referrals.csv'];
  await writeReferralCsv(path, count);
  process.stdout.write(`wrote ${count} rows to ${path}\n`);
}
