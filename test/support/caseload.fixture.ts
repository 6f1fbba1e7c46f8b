import type { Kysely } from 'kysely';
import { insertStaffEpisode } from '../../src/referrals/referral.repository.ts';
import type { Schema } from '../../src/store/schema.ts';
import { recordClockEvents } from '../../src/waiting-list/clock-event.writer.ts';
import { receivedReferral, writeReceived } from './triage.fixture.ts';

/**
 * A referral accepted onto the waiting list (status waiting, its episode, the clock started
 * through the one writer), allocated to a member of staff when `allocatedTo` is given.
 */
export async function waitingEpisode(
  db: Kysely<Schema>,
  service: { id: number; organisationId: number },
  id: string,
  options: { receivedOn?: string; allocatedTo?: number | null } = {},
): Promise<{ episodeId: number; referralId: number }> {
  const receivedOn = options.receivedOn ?? '2026-10-01';
  const referrals = await writeReceived(db, service, [receivedReferral(id, { receivedOn })]);
  const referralId = referrals.get(id)!;
  const episodeId = await db.transaction().execute(async (trx) => {
    await trx.updateTable('referral').set({ status: 'waiting' }).where('id', '=', referralId).execute();
    const episodeId = await insertStaffEpisode(trx, { referralId, serviceId: service.id, pathway: 'community_rehab', priority: 'P3', clockStartedOn: receivedOn });
    await recordClockEvents(trx, episodeId, [{ occurredOn: receivedOn, kind: 'start', reason: 'referral_received' }]);
    if (options.allocatedTo) await trx.insertInto('allocation').values({ episode_id: episodeId, staff_user_id: options.allocatedTo, allocated_on: receivedOn }).execute();
    return episodeId;
  });
  return { episodeId, referralId };
}
