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
