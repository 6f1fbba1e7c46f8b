import * as crypto from 'node:crypto';
import type { ClockEventKind, ClockEventReason, PostcodeStatus } from '../domain/codes.ts';
import type { PostcodeResolution } from '../reference/reference.repository.ts';
import type { ReferralRecord } from './referral.record.ts';

/**
 * Pure rules that turn one validated referral record into the rows the database keeps: the
 * waiting-list clock events and their cached totals, the person's postcode status and area,
 * the content hash that makes re-imports idempotent and the journey hash that tells whether a
 * source changed a journey that staff now own (the referral's status: referral.state.ts).
 */

/**
 * Hash of the normalised record. Bump the prefix when the mapping from a row to the database
 * changes, so that the next import rewrites every row under the new mapping.
 */
const HASH_VERSION = 'referral-record-v1';

// The one-shot hash (Node 20.12 and later) saves a Hash object per row.
const hashOnce = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

export function contentHash(record: ReferralRecord): string {
  return sha256(HASH_VERSION + JSON.stringify(record));
}

/**
 * Hash of the journey alone (triage, waiting list, outcome, discharge): what the source would
 * change if Roots let it. Compared on re-import with the journey the source sent last, so that
 * a row whose journey changed after staff acted in Roots is reported, and one whose journey did
 * not (a new postcode, say) is quietly updated.
 */
export function journeyHash(record: ReferralRecord): string {
  return sha256(`referral-journey-v1${JSON.stringify([record.triage, record.waiting, record.discharge, record.outcome])}`);
}

function sha256(text: string): string {
  return hashOnce ? hashOnce('sha256', text, 'base64url') : crypto.createHash('sha256').update(text).digest('base64url');
}

export interface ClockEvent {
  occurredOn: string;
  kind: ClockEventKind;
  reason: ClockEventReason;
}

export interface WaitingClock {
  startedOn: string;
  /** First contact; or discharge when the person left the list without being seen. */
  stoppedOn: string | null;
  pausedDays: number;
  events: ClockEvent[];
}

/**
 * The clock of an accepted referral: started at `clock_start` (receipt by default), paused and
 * resumed for each pause, stopped at first contact or, failing that, at discharge. The row
 * schema has already checked that pauses lie inside the waiting period and do not overlap.
 * A pause that ends the day it starts changes nothing and is not recorded.
 */
export function waitingClock(record: ReferralRecord): WaitingClock | null {
  const waiting = record.waiting;
  if (!waiting) return null;
  const events: ClockEvent[] = [{ occurredOn: waiting.clockStartedOn, kind: 'start', reason: 'referral_received' }];
  let pausedDays = 0;
  for (const pause of waiting.pauses) {
    const days = daysBetween(pause.from, pause.to);
    if (days <= 0) continue;
    pausedDays += days;
    events.push({ occurredOn: pause.from, kind: 'pause', reason: 'patient_unavailable' });
    events.push({ occurredOn: pause.to, kind: 'resume', reason: 'available_again' });
  }
  let stoppedOn: string | null = null;
  if (waiting.firstContactOn) {
    stoppedOn = waiting.firstContactOn;
    events.push({ occurredOn: stoppedOn, kind: 'stop', reason: 'first_contact' });
  } else if (record.discharge) {
    stoppedOn = record.discharge.dischargedOn;
    events.push({ occurredOn: stoppedOn, kind: 'stop', reason: 'discharged' });
  }
  return { startedOn: waiting.clockStartedOn, stoppedOn, pausedDays, events };
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A postcode as found in the reference data (src/reference: resolvePostcodes). */
export type PostcodeLookup = PostcodeResolution;

export interface PersonPlace {
  postcode: string | null;
  postcodeStatus: PostcodeStatus;
  /** Area of residence: the row's own area_code when given, else the postcode's area. */
  areaCode: string | null;
}

/**
 * Where a person lives, for the person row and the referral's area at referral. A well-formed
 * postcode missing from the reference data is kept and marked unknown, never dropped.
 */
export function personPlace(person: ReferralRecord['person'], lookup: ReadonlyMap<string, PostcodeLookup>): PersonPlace {
  if (person.noFixedAddress) return { postcode: null, postcodeStatus: 'no_fixed_address', areaCode: null };
  if (person.postcode === null) {
    return { postcode: null, postcodeStatus: person.postcodeGiven ? 'invalid' : 'not_given', areaCode: person.areaCode };
  }
  const found = lookup.get(person.postcode);
  const status: PostcodeStatus = found && found.areaCode !== null ? found.status : 'unknown';
  const postcodeArea = status === 'resolved' || status === 'terminated' ? found!.areaCode : null;
  return { postcode: person.postcode, postcodeStatus: status, areaCode: person.areaCode ?? postcodeArea };
}
