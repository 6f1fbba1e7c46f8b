import type { ReferralRecord } from '../referrals/referral.record.ts';
import { writeReferrals } from '../referrals/referral.write.ts';
import type { Store } from '../store/database.ts';

/**
 * A few referrals awaiting triage for a demo service, so the triage queue has something on the
 * first run: different risk flags (urgent, lives alone, no fixed address, interpreter, carer, age)
 * so the queue's ordering and its explanations show. Written once per service (skipped when the
 * first of them exists), through the one write path, as synthetic people with no real details.
 */
export async function addDemoTriageReferrals(store: Store, service: { id: number; organisationId: number }, today: string): Promise<number> {
  const first = await store.db.selectFrom('referral').select('id').where('service_id', '=', service.id).where('source_record_id', '=', 'DEMO-TRIAGE-1').executeTakeFirst();
  if (first) return 0;
  const daysAgo = (days: number) => {
    const day = new Date(`${today}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() - days);
    return day.toISOString().slice(0, 10);
  };
  const people: { given: string; dob: string; days: number; livesAlone?: boolean; urgent?: boolean; noFixedAddress?: boolean; interpreter?: boolean; carer?: boolean; language?: string }[] = [
    { given: 'Morgan', dob: '1941-04-12', days: 2, livesAlone: true, urgent: true },
    { given: 'Robin', dob: '1988-09-30', days: 9, noFixedAddress: true },
    { given: 'Ceri', dob: '1957-01-22', days: 5, carer: true, livesAlone: false },
    { given: 'Jamie', dob: '1979-06-03', days: 14, interpreter: true, language: 'pl' },
    { given: 'Alex', dob: '2011-11-15', days: 3 },
    { given: 'Sam', dob: '1949-02-08', days: 20, livesAlone: true },
  ];
  const records: ReferralRecord[] = people.map((person, index) => ({
    sourceRecordId: `DEMO-TRIAGE-${index + 1}`,
    person: {
      sourcePersonId: `DEMO-TRIAGE-P${index + 1}`,
      nhsNumber: null,
      givenName: person.given,
      familyName: 'Demo',
      dateOfBirth: person.dob,
      sex: 'X',
      ethnicity: null,
      postcode: null,
      postcodeGiven: false,
      areaCode: null,
      noFixedAddress: person.noFixedAddress ?? false,
      disability: null,
      inclusionGroups: person.carer ? ['carer'] : [],
      language: person.language ?? 'en',
      interpreterNeeded: person.interpreter ?? false,
      ...(person.livesAlone !== undefined ? { livesAlone: person.livesAlone } : {}),
    },
    referral: { receivedOn: daysAgo(person.days), source: index % 2 === 0 ? 'gp' : 'self', urgentRisk: person.urgent ?? false },
    triage: null,
    waiting: null,
    discharge: null,
    outcome: null,
  }));
  const result = await store.db.transaction().execute((trx) => writeReferrals(trx, service, records));
  return result.inserted;
}
