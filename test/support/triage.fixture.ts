import type { Kysely } from 'kysely';
import type { ReferralRecord } from '../../src/referrals/referral.record.ts';
import { writeReferrals } from '../../src/referrals/referral.write.ts';
import type { Schema } from '../../src/store/schema.ts';

/** A referral received and not yet triaged, with the person details the risk flags read. */
export function receivedReferral(
  id: string,
  options: { receivedOn?: string; dateOfBirth?: string | null; livesAlone?: boolean | null; urgent?: boolean; interpreter?: boolean | null; carer?: boolean; noFixedAddress?: boolean; givenName?: string } = {},
): ReferralRecord {
  return {
    sourceRecordId: id,
    person: {
      sourcePersonId: `P-${id}`,
      nhsNumber: null,
      givenName: options.givenName ?? 'Alex',
      familyName: 'Example',
      dateOfBirth: options.dateOfBirth === undefined ? '1980-05-06' : options.dateOfBirth,
      sex: '2',
      ethnicity: 'A',
      postcode: null,
      postcodeGiven: false,
      areaCode: null,
      noFixedAddress: options.noFixedAddress ?? false,
      disability: null,
      inclusionGroups: options.carer ? ['carer'] : [],
      language: 'en',
      interpreterNeeded: options.interpreter ?? false,
      ...(options.livesAlone !== undefined ? { livesAlone: options.livesAlone } : {}),
    },
    referral: { receivedOn: options.receivedOn ?? '2026-11-02', source: 'gp', urgentRisk: options.urgent ?? false },
    triage: null,
    waiting: null,
    discharge: null,
    outcome: null,
  };
}

/** Writes referrals into a service through the one write path; returns their ids by reference. */
export async function writeReceived(db: Kysely<Schema>, service: { id: number; organisationId: number }, records: ReferralRecord[]): Promise<Map<string, number>> {
  const result = await db.transaction().execute((trx) => writeReferrals(trx, service, records));
  return new Map(result.referrals.map((r) => [r.sourceRecordId, r.referralId]));
}
