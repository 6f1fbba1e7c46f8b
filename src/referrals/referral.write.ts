import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayWriteReferrals } from '../access/policies.ts';
import { RootsError } from '../errors/roots-error.ts';
import { resolvePostcodes } from '../reference/reference.repository.ts';
import type { Schema } from '../store/schema.ts';
import type { ReferralRecord } from './referral.record.ts';
import * as repository from './referral.repository.ts';
import { referralStatus } from './referral.state.ts';
import { contentHash, journeyHash, personPlace, waitingClock } from './referral.write-plan.ts';

/** For a caller that holds one transaction over several writes (an all-or-nothing import): take the service's write lock first. */
export { lockServiceReferrals } from './referral.repository.ts';

/**
 * The one write path for referrals: CSV and FHIR imports, the API, the synthetic generator and
 * (next) the web forms all hand typed records to `writeReferrals`.
 *
 * - Idempotent: each referral keeps the hash of its record; an unchanged record is skipped
 *   without touching the database, a changed one is rewritten.
 * - Who owns what (docs/adr/0008): until staff act on a referral in Roots its source owns it
 *   and a changed record replaces its journey. Once staff have acted, a changed record updates
 *   only what the source owns (the person, the received date, the referral's source fields);
 *   the journey recorded in Roots stays, and a record whose journey differs from the one the
 *   source sent before gets a notice saying what was not applied.
 * - One statement per table for the whole batch (`unnest`), never a round trip per record.
 * - Writes into one service wait for each other (an advisory lock held to the end of `trx`).
 *
 * The caller owns the transaction: a batch lands whole or not at all, together with whatever
 * else the caller records in it (an import run, an audit event).
 */

/** The service the referrals belong to. */
export interface ReferralService {
  id: number;
  organisationId: number;
}

export type ReferralWriteOutcome = 'created' | 'updated' | 'unchanged';

export interface WrittenReferral {
  sourceRecordId: string;
  referralId: number;
  outcome: ReferralWriteOutcome;
  /** Set when part of the record was not applied because staff own it now. */
  notice: string | null;
}

export interface ReferralWriteResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** One per record, in the order given. */
  referrals: WrittenReferral[];
}

export interface WriteReferralsOptions {
  /** Checked with mayWriteReferrals when given (routes pass the request's actor). */
  actor?: Actor;
  /** What the records came in, for the notices: "file" (default) or "request". */
  arrivedIn?: 'file' | 'request';
}

export async function writeReferrals(
  trx: Transaction<Schema>,
  service: ReferralService,
  records: readonly ReferralRecord[],
  options: WriteReferralsOptions = {},
): Promise<ReferralWriteResult> {
  if (options.actor && !mayWriteReferrals(options.actor, service)) {
    throw new RootsError('FORBIDDEN', { detail: 'You may not record referrals for this service.' });
  }
  refuseRepeats(records);
  await repository.lockServiceReferrals(trx, service.id);
  const hashes = records.map((record) => contentHash(record));
  const existing = await repository.findReferralsBySourceId(trx, service.id, records.map((record) => record.sourceRecordId));

  const toWrite: { record: ReferralRecord; hash: string; journey: string; index: number }[] = [];
  const results: WrittenReferral[] = new Array(records.length);
  records.forEach((record, index) => {
    const found = existing.get(record.sourceRecordId);
    if (found && found.contentHash === hashes[index]) {
      results[index] = { sourceRecordId: record.sourceRecordId, referralId: found.id, outcome: 'unchanged', notice: null };
    } else {
      toWrite.push({ record, hash: hashes[index]!, journey: journeyHash(record), index });
    }
  });
  if (toWrite.length > 0) await writeChanged(trx, service, toWrite, existing, results, options.arrivedIn ?? 'file');
  let inserted = 0;
  let updated = 0;
  for (const result of results) {
    if (result.outcome === 'created') inserted++;
    else if (result.outcome === 'updated') updated++;
  }
  return { inserted, updated, unchanged: records.length - inserted - updated, referrals: results };
}

/**
 * What `writeReferrals` would do, without writing: for a dry run. Notices are those a write
 * would give, as the database stands now.
 */
export async function previewReferrals(
  db: Kysely<Schema> | Transaction<Schema>,
  service: ReferralService,
  records: readonly ReferralRecord[],
): Promise<{ inserted: number; updated: number; unchanged: number; notices: { index: number; notice: string }[] }> {
  const existing = await repository.findReferralsBySourceId(db, service.id, records.map((record) => record.sourceRecordId));
  let inserted = 0;
  let updated = 0;
  const held: { index: number; referralId: number }[] = [];
  records.forEach((record, index) => {
    const found = existing.get(record.sourceRecordId);
    if (!found) inserted++;
    else if (found.contentHash !== contentHash(record)) {
      updated++;
      if (found.staffActedAt && found.journeyHash !== journeyHash(record)) held.push({ index, referralId: found.id });
    }
  });
  const work = await repository.findStaffWork(db, held.map((h) => h.referralId));
  return {
    inserted,
    updated,
    unchanged: records.length - inserted - updated,
    notices: held.map(({ index, referralId }) => ({ index, notice: ownershipNotice(work.get(referralId)) })),
  };
}

async function writeChanged(
  trx: Transaction<Schema>,
  service: ReferralService,
  toWrite: { record: ReferralRecord; hash: string; journey: string; index: number }[],
  existing: Map<string, repository.ExistingReferral>,
  results: WrittenReferral[],
  arrivedIn: 'file' | 'request',
): Promise<void> {
  const postcodes = [...new Set(toWrite.map(({ record }) => record.person.postcode).filter((postcode): postcode is string => postcode !== null))];
  const lookup = await resolvePostcodes(trx, postcodes);
  const places = toWrite.map(({ record }) => personPlace(record.person, lookup));

  // A person on several records of a batch is written once, with the details of the last one.
  const people = new Map<string, repository.PersonWrite>();
  toWrite.forEach(({ record: { person } }, index) => {
    const place = places[index]!;
    people.set(person.sourcePersonId, {
      sourcePersonId: person.sourcePersonId,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      ethnicity: person.ethnicity,
      postcode: place.postcode,
      postcodeStatus: place.postcodeStatus,
      areaCode: place.areaCode,
      disability: person.disability,
      inclusionGroups: person.inclusionGroups,
      language: person.language,
      interpreterNeeded: person.interpreterNeeded,
      livesAlone: person.livesAlone ?? null,
    });
  });
  const personIds = await repository.upsertPeople(trx, service.organisationId, [...people.values()]);

  const written = await repository.upsertReferrals(
    trx,
    service.id,
    toWrite.map(({ record, hash, journey }, index) => ({
      sourceRecordId: record.sourceRecordId,
      personId: personIds.get(record.person.sourcePersonId)!,
      receivedOn: record.referral.receivedOn,
      source: record.referral.source,
      urgentRisk: record.referral.urgentRisk,
      areaCode: places[index]!.areaCode,
      status: referralStatus(record),
      contentHash: hash,
      journeyHash: journey,
    })),
  );

  // The source's journey is applied only where no one has acted in Roots (as the locked row says).
  const sourceOwned: ReferralRecord[] = [];
  const changedIds: number[] = [];
  const noLongerWaiting: number[] = [];
  const heldWithNewJourney: { index: number; referralId: number }[] = [];
  for (const { record, journey, index } of toWrite) {
    const found = existing.get(record.sourceRecordId);
    const row = written.get(record.sourceRecordId)!;
    results[index] = { sourceRecordId: record.sourceRecordId, referralId: row.id, outcome: found ? 'updated' : 'created', notice: null };
    if (row.staffActedAt) {
      if (found?.journeyHash !== journey) heldWithNewJourney.push({ index, referralId: row.id });
      continue;
    }
    sourceOwned.push(record);
    if (found) {
      changedIds.push(row.id);
      if (!record.waiting) noLongerWaiting.push(row.id);
    }
  }
  if (heldWithNewJourney.length > 0) {
    const work = await repository.findStaffWork(trx, heldWithNewJourney.map((held) => held.referralId));
    for (const { index, referralId } of heldWithNewJourney) results[index]!.notice = ownershipNotice(work.get(referralId), arrivedIn);
  }
  await repository.clearChangedReferrals(trx, changedIds, noLongerWaiting);

  const triage: repository.TriageWrite[] = [];
  const episodes: repository.EpisodeWrite[] = [];
  const discharges: repository.DischargeWrite[] = [];
  const clocks = new Map<number, NonNullable<ReturnType<typeof waitingClock>>>();
  const outcomes = new Map<number, NonNullable<ReferralRecord['outcome']>>();
  for (const record of sourceOwned) {
    const referralId = written.get(record.sourceRecordId)!.id;
    if (record.triage) triage.push({ referralId, ...record.triage });
    if (record.discharge) discharges.push({ referralId, ...record.discharge });
    const clock = waitingClock(record);
    if (clock && record.triage && record.waiting) {
      clocks.set(referralId, clock);
      if (record.outcome && record.outcome.responses.length > 0) outcomes.set(referralId, record.outcome);
      episodes.push({
        referralId,
        pathway: record.triage.pathway,
        priority: record.triage.priority!,
        clockStartedOn: clock.startedOn,
        clockStoppedOn: clock.stoppedOn,
        pausedDays: clock.pausedDays,
        firstContactOn: record.waiting.firstContactOn,
        contactsAttended: record.waiting.contactsAttended,
        contactsDidNotAttend: record.waiting.contactsDidNotAttend,
        contactsCancelled: record.waiting.contactsCancelled,
      });
    }
  }
  await repository.insertTriage(trx, triage);
  const episodeIds = await repository.upsertEpisodes(trx, service.id, episodes);
  const events: repository.ClockEventWrite[] = [];
  for (const [referralId, clock] of clocks) {
    const episodeId = episodeIds.get(referralId)!;
    for (const event of clock.events) events.push({ episodeId, ...event });
  }
  await repository.insertClockEvents(trx, events);
  const responses: repository.OutcomeResponseWrite[] = [];
  for (const [referralId, outcome] of outcomes) {
    const episodeId = episodeIds.get(referralId)!;
    for (const response of outcome.responses) responses.push({ episodeId, instrument: outcome.instrument, ...response });
  }
  await repository.insertOutcomeResponses(trx, responses);
  await repository.insertDischarges(trx, discharges);
}

/** "triaged in Roots on 2026-12-05; the file's triage, ... were not applied" */
export function ownershipNotice(work: repository.StaffWork | undefined, arrivedIn: 'file' | 'request' = 'file'): string {
  const done: string[] = [];
  if (work?.triagedOn) done.push(`triaged in Roots on ${work.triagedOn}`);
  if (work?.dischargedOn) done.push(`discharged in Roots on ${work.dischargedOn}`);
  if (done.length === 0) done.push(work ? `worked on in Roots since ${work.staffActedAt.toISOString().slice(0, 10)}` : 'worked on in Roots');
  return `${done.join(' and ')}; the ${arrivedIn}'s triage, waiting list, outcome and discharge were not applied (the person and referral details were updated)`;
}

function refuseRepeats(records: readonly ReferralRecord[]): void {
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.sourceRecordId)) {
      throw new RootsError('BAD_REQUEST', { detail: `The referral ${record.sourceRecordId} appears twice in one write: each referral may be written once.` });
    }
    seen.add(record.sourceRecordId);
  }
}
