import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../store/schema.ts';
import { computeClock, type ClockEvent, type ClockResult, type ClockRuleSet, type PolicyAction } from './clock-rules.ts';

/**
 * The one writer of waiting-list clock events recorded in Roots. Triage (the start), contacts
 * (first treatment, did-not-attend, cancellation by the person), validation (removed) and
 * discharge all come here, so every clock change is a `waiting_clock_event` row with its reason,
 * and the episode's cached clock (clock_started_on, clock_stopped_on, paused_days,
 * clock_paused_since) is recomputed from all of the episode's rows under the service's current
 * rules (`computeClock`), never edited by hand.
 *
 * Which event a happening writes:
 * - referral accepted onto the list: `start` / referral_received;
 * - first attended contact: `stop` / first_contact;
 * - did not attend, or cancelled by the person: `pause` with that reason (the service's policy
 *   then restarts, pauses or ignores it);
 * - person unavailable: `pause` / patient_unavailable; available again, or a new appointment
 *   booked after a pause: `resume` / available_again;
 * - removed at validation, declined or discharged while waiting: `stop` with that reason.
 *
 * An episode imported without event rows gets its start event written first, from the
 * episode's imported start date, so the rules always have a start to work from.
 */

export type ClockEventInput = ClockEvent;

type Db = Kysely<Schema> | Transaction<Schema>;

interface EpisodeClockRow {
  id: number;
  clock_started_on: string | Date;
  clock_did_not_attend: PolicyAction;
  clock_patient_cancelled: PolicyAction;
  clock_patient_unavailable: 'pause' | 'ignore';
}

const isoDay = (value: string | Date): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** A service's access policy as a rule set, named by what it does. */
export function clockRulesOf(service: { clock_did_not_attend: PolicyAction; clock_patient_cancelled: PolicyAction; clock_patient_unavailable: 'pause' | 'ignore' }): ClockRuleSet {
  const verb = (action: PolicyAction) => (action === 'restart' ? 'restart' : action === 'pause' ? 'pause' : 'run on');
  return {
    name: `did-not-attend: ${verb(service.clock_did_not_attend)}; cancelled by the person: ${verb(service.clock_patient_cancelled)}; unavailable: ${verb(service.clock_patient_unavailable)}`,
    didNotAttend: service.clock_did_not_attend,
    patientCancelled: service.clock_patient_cancelled,
    patientUnavailable: service.clock_patient_unavailable,
  };
}

/** The clock rules of one service (its access policy). */
export async function serviceClockRules(db: Db, serviceId: number): Promise<ClockRuleSet> {
  const row = await db
    .selectFrom('service')
    .select(['clock_did_not_attend', 'clock_patient_cancelled', 'clock_patient_unavailable'])
    .where('id', '=', serviceId)
    .executeTakeFirstOrThrow();
  return clockRulesOf(row as EpisodeClockRow);
}

/**
 * Writes clock events for one episode (in the caller's transaction) and recomputes the
 * episode's cached clock under its service's rules. An event already recorded (same kind, same
 * day) is not written twice. Returns the clock as it now stands, with the rules that shaped it.
 */
export async function recordClockEvents(trx: Db, episodeId: number, events: readonly ClockEventInput[]): Promise<ClockResult> {
  const { rows } = await sql<EpisodeClockRow>`
    select e.id, e.clock_started_on, s.clock_did_not_attend, s.clock_patient_cancelled, s.clock_patient_unavailable
    from episode e join service s on s.id = e.service_id
    where e.id = ${episodeId}
    for update of e`.execute(trx);
  const episode = rows[0];
  if (!episode) throw new RangeError(`no episode ${episodeId}`);

  const hasStart = await trx.selectFrom('waiting_clock_event').select('id').where('episode_id', '=', episodeId).where('kind', '=', 'start').executeTakeFirst();
  const toWrite: ClockEventInput[] = [...events];
  if (!hasStart && !events.some((event) => event.kind === 'start')) {
    toWrite.unshift({ occurredOn: isoDay(episode.clock_started_on), kind: 'start', reason: 'referral_received' });
  }
  if (toWrite.length > 0) {
    await trx
      .insertInto('waiting_clock_event')
      .values(toWrite.map((event) => ({ episode_id: episodeId, occurred_on: event.occurredOn, kind: event.kind, reason: event.reason, recorded_in: 'roots' as const })))
      .onConflict((oc) => oc.columns(['episode_id', 'kind', 'occurred_on']).doNothing())
      .execute();
  }
  return recomputeEpisodeClock(trx, episodeId, clockRulesOf(episode));
}

/** Recomputes one episode's cached clock from its event rows under `rules`. */
export async function recomputeEpisodeClock(trx: Db, episodeId: number, rules: ClockRuleSet): Promise<ClockResult> {
  const stored = await trx
    .selectFrom('waiting_clock_event')
    .select(['occurred_on', 'kind', 'reason'])
    .where('episode_id', '=', episodeId)
    .orderBy('occurred_on')
    .orderBy('id')
    .execute();
  const events: ClockEvent[] = stored.map((row) => ({ occurredOn: isoDay(row.occurred_on as string | Date), kind: row.kind, reason: row.reason }));
  // As of the latest event: an open pause is kept as `clock_paused_since`, and a read counts it to its own day.
  const asOf = events.reduce((latest, event) => (event.occurredOn > latest ? event.occurredOn : latest), events[0]!.occurredOn);
  const atLastEvent = computeClock(events, rules, asOf);
  const pausedSince = atLastEvent.pausedSince;
  await trx
    .updateTable('episode')
    .set((eb) => ({
      clock_started_on: atLastEvent.startedOn,
      clock_stopped_on: atLastEvent.stoppedOn,
      paused_days: atLastEvent.pausedDays - (pausedSince === null ? 0 : daysBetween(pausedSince, asOf)),
      clock_paused_since: pausedSince,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', episodeId)
    .execute();
  return atLastEvent;
}

const DAY_MS = 86_400_000;
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
