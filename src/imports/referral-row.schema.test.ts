import { describe, expect, it } from 'vitest';
import { referralRowSchema, type ReferralColumn } from './referral-row.schema.ts';

const schema = referralRowSchema({ today: '2026-11-21' });
const base: Partial<Record<ReferralColumn, string>> = {
  source_record_id: 'R1',
  person_id: 'P1',
  referral_received: '2026-01-10',
  referral_source: 'self',
};
const parse = (row: Partial<Record<ReferralColumn, string>>) => schema.safeParse({ ...base, ...row });
const issues = (row: Partial<Record<ReferralColumn, string>>) => {
  const result = parse(row);
  return result.success ? [] : result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
};

describe('referral row schema', () => {
  it('accepts a minimal row and fills defaults', () => {
    const result = parse({});
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ sourceRecordId: 'R1', triage: null, waiting: null, referral: { urgentRisk: false } });
  });

  it('accepts a full journey and builds the waiting clock from receipt', () => {
    const result = parse({
      nhs_number: '943 476 5919', given_name: 'Gwenllïan', family_name: 'Ŵyn-Ŷmlyn', date_of_birth: '1980-05-04', sex: '2', ethnicity: 'a',
      postcode: 'dt1 oaa', inclusion_groups: 'carer;homeless', language: 'cy', interpreter_needed: 'no',
      triage_date: '2026-01-12', pathway: 'mental_health', priority: 'p3', triage_outcome: 'accept',
      clock_pauses: '2026-02-01/2026-02-14', first_contact_date: '2026-03-01', contacts_attended: '4', contacts_did_not_attend: '1',
      discharge_date: '2026-05-01', discharge_reason: 'goals_met', discharge_outcomes: 'self_management_plan;gp_appointment_avoided',
      outcome_instrument: 'swemwbs', outcome_baseline_score: '17.43', outcome_final_score: '23.21',
    });
    expect(result.error?.issues).toBeUndefined();
    expect(result.data!.person).toMatchObject({ nhsNumber: '9434765919', postcode: 'DT1 0AA', ethnicity: 'A', inclusionGroups: ['carer', 'homeless'], familyName: 'Ŵyn-Ŷmlyn' });
    expect(result.data!.waiting).toEqual({
      clockStartedOn: '2026-01-10', pauses: [{ from: '2026-02-01', to: '2026-02-14' }], firstContactOn: '2026-03-01',
      contactsAttended: 4, contactsDidNotAttend: 1, contactsCancelled: 0,
    });
    expect(result.data!.triage?.priority).toBe('P3');
  });

  it.each([
    [{ referral_received: '2026-02-30' }, 'referral_received: is not a real calendar date'],
    [{ referral_received: '10/01/2026' }, 'referral_received: must be a date written YYYY-MM-DD'],
    [{ referral_received: '2027-01-01' }, 'referral_received: is in the future'],
    [{ referral_source: 'pigeon' }, 'referral_source: is not a known referral source code'],
    [{ nhs_number: '9434765918' }, 'nhs_number: fails the NHS number Modulus 11 check'],
    [{ ethnicity: 'Q' }, 'ethnicity: is not a known NHS ethnic category code'],
    [{ given_name: 'R2D2' }, 'given_name: may contain only letters'],
    [{ date_of_birth: '2026-02-01' }, 'date_of_birth: is after the referral was received'],
    [{ triage_outcome: 'accept', pathway: 'mental_health', triage_date: '2026-01-11' }, 'priority: is required when the referral is accepted'],
    [{ first_contact_date: '2026-02-01', contacts_attended: '1' }, 'first_contact_date: waiting-list dates need triage_outcome accept'],
    [{ no_fixed_address: 'true', postcode: 'DT1 1AA' }, 'postcode: must be blank when no_fixed_address is true'],
    [{ discharge_reason: 'goals_met' }, 'discharge_date: is required with a discharge reason'],
    [{ outcome_instrument: 'SWEMWBS', outcome_baseline_score: '40' }, 'outcome_baseline_score: must be between 7 and 35'],
    [{ inclusion_groups: 'carer;astronaut' }, 'inclusion_groups: "astronaut" is not a known inclusion health group code'],
  ])('refuses %j', (row, expected) => {
    expect(issues(row).join(' | ')).toContain(expected);
  });

  it('keeps a person whose postcode is not well formed, without the bad text', () => {
    const result = parse({ postcode: 'not a postcode' });
    expect(result.success).toBe(true);
    expect(result.data!.person).toMatchObject({ postcode: null, postcodeGiven: true });
  });
});
