import { describe, expect, it } from 'vitest';
import { staffRole, type StaffRole } from '../domain/codes.ts';
import type { Actor } from './actor.ts';
import { mayReadAggregates, mayReadIdentifiable, mayWriteReferrals } from './policies.ts';

const staff = (role: StaffRole, organisationId = 1): Actor => ({ kind: 'staff', userId: 9, organisationId, role });
const service = { organisationId: 1 };

describe('access policies', () => {
  it('never lets staff act on another organisation', () => {
    for (const role of staffRole.values) {
      expect(mayWriteReferrals(staff(role, 2), service)).toBe(false);
      expect(mayReadIdentifiable(staff(role, 2), service)).toBe(false);
      expect(mayReadAggregates(staff(role, 2), service)).toBe(false);
    }
  });

  it('never shows identifiable data to commissioners or analysts', () => {
    expect(mayReadIdentifiable(staff('commissioner'), service)).toBe(false);
    expect(mayReadIdentifiable(staff('analyst'), service)).toBe(false);
    expect(mayReadIdentifiable(staff('therapist'), service)).toBe(true);
  });

  it('lets clinicians, administrators and analysts write referrals, but not commissioners', () => {
    expect(mayWriteReferrals(staff('commissioner'), service)).toBe(false);
    for (const role of ['therapist', 'team_lead', 'administrator', 'analyst'] as const) expect(mayWriteReferrals(staff(role), service)).toBe(true);
  });

  it('lets every role of the organisation read aggregates', () => {
    for (const role of staffRole.values) expect(mayReadAggregates(staff(role), service)).toBe(true);
  });
});
