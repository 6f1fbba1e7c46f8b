import type { Actor } from '../access/actor.ts';
import { bookContact } from '../caseload/caseload.service.ts';
import { londonDay } from '../caseload/diary-time.ts';
import type { ReferralRecord } from '../referrals/referral.record.ts';
import { insertStaffEpisode } from '../referrals/referral.repository.ts';
import { writeReferrals } from '../referrals/referral.write.ts';
import type { Store } from '../store/database.ts';
import { recordClockEvents } from '../waiting-list/clock-event.writer.ts';

/** The demo therapist whose caseload the first run fills. */
export const demoCaseloadTherapist = 'ot1@demo.roots.invalid';

/**
 * A small caseload for the demo therapist, so the caseload page has something on the first run:
 * three synthetic people accepted onto the waiting list weeks ago (their clocks started through
 * the one writer), allocated to the demo therapist (plain `allocation` rows), two with an
 * appointment booked (one today, one later this week) through the caseload service. Written
 * once per service (skipped when the first of them exists); no real details.
 */
export async function addDemoCaseload(store: Store, service: { id: number; organisationId: number }, actor: Actor, now: Date): Promise<number> {
  const first = await store.db.selectFrom('referral').select('id').where('service_id', '=', service.id).where('source_record_id', '=', 'DEMO-CASELOAD-1').executeTakeFirst();
  if (first) return 0;
  const therapist = await store.db.selectFrom('staff_user').select('id').where('email', '=', demoCaseloadTherapist).where('organisation_id', '=', service.organisationId).executeTakeFirst();
  if (!therapist) return 0;
  const today = londonDay(now);
  const daysFrom = (days: number) => {
    const day = new Date(`${today}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + days);
    return day.toISOString().slice(0, 10);
  };
  const people = [
    { given: 'Gwen', dob: '1946-03-14', waited: 41, pathway: 'frailty_falls' as const, priority: 'P2' as const, appointment: { days: 0, time: '10:00', mode: 'home_visit' as const } },
    { given: 'Tomasz', dob: '1983-07-09', waited: 27, pathway: 'work_health' as const, priority: 'P3' as const, appointment: { days: 3, time: '14:00', mode: 'video' as const } },
    { given: 'Aisha', dob: '1969-12-01', waited: 12, pathway: 'mental_health' as const, priority: 'P3' as const, appointment: null },
  ];
  const records: ReferralRecord[] = people.map((person, index) => ({
    sourceRecordId: `DEMO-CASELOAD-${index + 1}`,
    person: {
      sourcePersonId: `DEMO-CASELOAD-P${index + 1}`,
      nhsNumber: null,
      givenName: person.given,
      familyName: 'Demo',
      dateOfBirth: person.dob,
      sex: 'X',
      ethnicity: null,
      postcode: null,
      postcodeGiven: false,
      areaCode: null,
      noFixedAddress: false,
      disability: null,
      inclusionGroups: [],
      language: 'en',
      interpreterNeeded: false,
    },
    referral: { receivedOn: daysFrom(-person.waited), source: 'gp', urgentRisk: false },
    triage: null,
    waiting: null,
    discharge: null,
    outcome: null,
  }));
  const episodes = await store.db.transaction().execute(async (trx) => {
    const written = await writeReferrals(trx, service, records);
    const ids: number[] = [];
    for (const [index, person] of people.entries()) {
      const referralId = written.referrals.find((r) => r.sourceRecordId === `DEMO-CASELOAD-${index + 1}`)!.referralId;
      const receivedOn = daysFrom(-person.waited);
      await trx.updateTable('referral').set({ status: 'waiting' }).where('id', '=', referralId).execute();
      const episodeId = await insertStaffEpisode(trx, { referralId, serviceId: service.id, pathway: person.pathway, priority: person.priority, clockStartedOn: receivedOn });
      await recordClockEvents(trx, episodeId, [{ occurredOn: receivedOn, kind: 'start', reason: 'referral_received' }]);
      await trx.insertInto('allocation').values({ episode_id: episodeId, staff_user_id: therapist.id, allocated_on: daysFrom(-Math.min(7, person.waited)) }).execute();
      ids.push(episodeId);
    }
    return ids;
  });
  for (const [index, person] of people.entries()) {
    if (!person.appointment) continue;
    await bookContact(store.db, actor, episodes[index]!, { staffUserId: therapist.id, day: daysFrom(person.appointment.days), time: person.appointment.time, durationMinutes: 60, mode: person.appointment.mode, location: null }, now);
  }
  return episodes.length;
}
