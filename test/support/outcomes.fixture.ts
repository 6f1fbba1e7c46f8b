import type { Kysely } from 'kysely';
import type { Actor } from '../../src/access/actor.ts';
import type { Pathway } from '../../src/domain/codes.ts';
import type { Schema } from '../../src/store/schema.ts';
import { recordTriage } from '../../src/triage/triage.service.ts';
import { receivedReferral, writeReceived } from './triage.fixture.ts';

/**
 * A person on a service's waiting list: a referral written through the one write path, then
 * accepted at triage by a therapist (which opens the episode and starts its clock through the
 * one clock writer). Returns the referral and episode ids.
 */
export async function waitingEpisode(
  db: Kysely<Schema>,
  service: { id: number; organisationId: number },
  therapist: Actor,
  id: string,
  options: { receivedOn?: string; triagedOn?: string; pathway?: Pathway; givenName?: string } = {},
): Promise<{ referralId: number; episodeId: number }> {
  const receivedOn = options.receivedOn ?? '2026-10-01';
  const written = await writeReceived(db, service, [receivedReferral(id, { receivedOn, ...(options.givenName ? { givenName: options.givenName } : {}) })]);
  const referralId = written.get(id)!;
  await recordTriage(db, therapist, referralId, { triagedOn: options.triagedOn ?? receivedOn, pathway: options.pathway ?? 'work_health', priority: 'P3', outcome: 'accept' });
  const episode = await db.selectFrom('episode').select('id').where('referral_id', '=', referralId).executeTakeFirstOrThrow();
  return { referralId, episodeId: episode.id };
}

/**
 * An accepted referral's episode made directly (no access check: for fixtures of services no test
 * actor triages): the episode, its clock started through the one clock writer, status waiting.
 */
export async function acceptedEpisode(db: Kysely<Schema>, referral: { id: number; serviceId: number; receivedOn: string }): Promise<number> {
  const { insertStaffEpisode, updateReferralStatus } = await import('../../src/referrals/referral.repository.ts');
  const { recordClockEvents } = await import('../../src/waiting-list/clock-event.writer.ts');
  return db.transaction().execute(async (trx) => {
    const episodeId = await insertStaffEpisode(trx, { referralId: referral.id, serviceId: referral.serviceId, pathway: 'work_health', priority: 'P3', clockStartedOn: referral.receivedOn });
    await recordClockEvents(trx, episodeId, [{ occurredOn: referral.receivedOn, kind: 'start', reason: 'referral_received' }]);
    await updateReferralStatus(trx, referral.id, 'waiting');
    return episodeId;
  });
}
