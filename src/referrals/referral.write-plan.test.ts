import { describe, expect, it } from 'vitest';
import { referralRowSchema, type ReferralColumn } from '../imports/referral-row.schema.ts';
import type { ReferralRecord } from './referral.record.ts';
import { referralStatus, statusAfterTriage } from './referral.state.ts';
import { contentHash, daysBetween, journeyHash, personPlace, waitingClock, type PostcodeLookup } from './referral.write-plan.ts';

const schema = referralRowSchema({ today: '2026-11-21' });
const record = (row: Partial<Record<ReferralColumn, string>>): ReferralRecord => {
  const result = schema.safeParse({ source_record_id: 'R1', person_id: 'P1', referral_received: '2026-01-10', referral_source: 'gp', ...row });
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
};
const accepted = { triage_date: '2026-01-12', pathway: 'mental_health', priority: 'P3', triage_outcome: 'accept' };

describe('referral status', () => {
  it.each([
    [{}, 'received'],
    [accepted, 'waiting'],
    [{ ...accepted, first_contact_date: '2026-02-01', contacts_attended: '1' }, 'in_treatment'],
    [{ ...accepted, first_contact_date: '2026-02-01', contacts_attended: '1', discharge_date: '2026-03-01', discharge_reason: 'goals_met' }, 'discharged'],
    [{ ...accepted, discharge_date: '2026-03-01', discharge_reason: 'declined' }, 'discharged'],
    [{ ...accepted, priority: '', triage_outcome: 'advice_discharge' }, 'advice_discharged'],
    [{ ...accepted, triage_outcome: 'redirect' }, 'redirected'],
    [{ ...accepted, triage_outcome: 'return_to_referrer' }, 'returned'],
    [{ discharge_date: '2026-01-11', discharge_reason: 'moved_away' }, 'discharged'],
  ])('%j is %s', (row, status) => {
    expect(referralStatus(record(row))).toBe(status);
  });
});

describe('waiting clock', () => {
  it('starts at receipt, pauses and resumes, and stops at first contact', () => {
    const clock = waitingClock(record({ ...accepted, clock_pauses: '2026-01-20/2026-01-30;2026-01-15/2026-01-18', first_contact_date: '2026-02-20', contacts_attended: '3' }));
    expect(clock).toEqual({
      startedOn: '2026-01-10',
      stoppedOn: '2026-02-20',
      pausedDays: 13,
      events: [
        { occurredOn: '2026-01-10', kind: 'start', reason: 'referral_received' },
        { occurredOn: '2026-01-15', kind: 'pause', reason: 'patient_unavailable' },
        { occurredOn: '2026-01-18', kind: 'resume', reason: 'available_again' },
        { occurredOn: '2026-01-20', kind: 'pause', reason: 'patient_unavailable' },
        { occurredOn: '2026-01-30', kind: 'resume', reason: 'available_again' },
        { occurredOn: '2026-02-20', kind: 'stop', reason: 'first_contact' },
      ],
    });
  });

  it('stops at discharge when the person was never seen, starts at clock_start when given, skips empty pauses', () => {
    const clock = waitingClock(record({ ...accepted, clock_start: '2026-01-12', clock_pauses: '2026-01-14/2026-01-14', discharge_date: '2026-03-01', discharge_reason: 'declined' }));
    expect(clock).toEqual({
      startedOn: '2026-01-12',
      stoppedOn: '2026-03-01',
      pausedDays: 0,
      events: [
        { occurredOn: '2026-01-12', kind: 'start', reason: 'referral_received' },
        { occurredOn: '2026-03-01', kind: 'stop', reason: 'discharged' },
      ],
    });
  });

  it('has no clock unless accepted', () => {
    expect(waitingClock(record({ ...accepted, triage_outcome: 'redirect' }))).toBeNull();
  });

  it('counts days across month and leap-year ends', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the clocks going forward
  });
});

describe('where a person lives', () => {
  const lookup = new Map<string, PostcodeLookup>([
    ['DT1 1AA', { areaCode: 'E01032643', status: 'resolved' }],
    ['DT1 1AJ', { areaCode: 'E01020537', status: 'terminated' }],
    ['ZZ9 9ZZ', { areaCode: null, status: 'unknown' }],
  ]);
  const place = (row: Partial<Record<ReferralColumn, string>>) => personPlace(record(row).person, lookup);

  it('places a postcode through the reference data, keeping terminated and unknown ones', () => {
    expect(place({ postcode: 'dt11aa' })).toEqual({ postcode: 'DT1 1AA', postcodeStatus: 'resolved', areaCode: 'E01032643' });
    expect(place({ postcode: 'DT1 1AJ' })).toEqual({ postcode: 'DT1 1AJ', postcodeStatus: 'terminated', areaCode: 'E01020537' });
    expect(place({ postcode: 'ZZ9 9ZZ' })).toEqual({ postcode: 'ZZ9 9ZZ', postcodeStatus: 'unknown', areaCode: null });
    expect(place({ postcode: 'SW1A 2AA' })).toEqual({ postcode: 'SW1A 2AA', postcodeStatus: 'unknown', areaCode: null });
  });

  it('lets a given area code win, and tells invalid, missing and no fixed address apart', () => {
    expect(place({ postcode: 'DT1 1AA', area_code: 'E01000001' })).toEqual({ postcode: 'DT1 1AA', postcodeStatus: 'resolved', areaCode: 'E01000001' });
    expect(place({ postcode: 'nonsense', area_code: 'E01000001' })).toEqual({ postcode: null, postcodeStatus: 'invalid', areaCode: 'E01000001' });
    expect(place({})).toEqual({ postcode: null, postcodeStatus: 'not_given', areaCode: null });
    expect(place({ no_fixed_address: 'yes' })).toEqual({ postcode: null, postcodeStatus: 'no_fixed_address', areaCode: null });
  });
});

describe('content hash', () => {
  it('is the same for rows that mean the same, and differs when anything changes', () => {
    const base = { ...accepted, postcode: 'DT1 1AA', inclusion_groups: 'carer;veteran', nhs_number: '943 476 5919', ethnicity: 'a' };
    const same = { ...accepted, postcode: ' dt11aa ', inclusion_groups: 'veteran; carer', nhs_number: '9434765919', ethnicity: 'A', pathway: 'MENTAL_HEALTH' };
    expect(contentHash(record(same))).toBe(contentHash(record(base)));
    expect(contentHash(record({ ...base, priority: 'P2' }))).not.toBe(contentHash(record(base)));
    expect(contentHash(record({ ...base, given_name: 'Ŵyn' }))).not.toBe(contentHash(record(base)));
  });
});

describe('journey hash', () => {
  it('moves with the journey (triage, waiting list, outcome, discharge), not with the person or the referral details', () => {
    const base = record(accepted);
    expect(journeyHash(record({ ...accepted, postcode: 'DT1 1AA', referral_source: 'self', urgent_risk: 'yes' }))).toBe(journeyHash(base));
    expect(contentHash(record({ ...accepted, postcode: 'DT1 1AA' }))).not.toBe(contentHash(base));
    expect(journeyHash(record({ ...accepted, priority: 'P1' }))).not.toBe(journeyHash(base));
    expect(journeyHash(record({ ...accepted, discharge_date: '2026-03-01', discharge_reason: 'declined' }))).not.toBe(journeyHash(base));
  });
});

describe('status after staff triage in Roots', () => {
  it.each([
    ['accept', 'received', 'waiting'],
    ['accept', 'redirected', 'waiting'],
    ['accept', 'in_treatment', 'in_treatment'],
    ['accept', 'discharged', 'discharged'],
    ['advice_discharge', 'waiting', 'advice_discharged'],
    ['redirect', 'received', 'redirected'],
    ['return_to_referrer', 'received', 'returned'],
  ] as const)('%s of a referral %s makes it %s', (outcome, current, status) => {
    expect(statusAfterTriage(outcome, current)).toBe(status);
  });
});
