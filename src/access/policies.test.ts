import { describe, expect, it } from 'vitest';
import { staffRole, type StaffRole } from '../domain/codes.ts';
import type { Actor } from './actor.ts';
import {
  isAdministrator,
  mayImport,
  mayKnowService,
  mayManageServices,
  mayReadAggregates,
  mayReadIdentifiable,
  mayViewCommissioning,
  mayWriteReferrals,
  type ServiceScope,
} from './policies.ts';

// Organisation 1 provides the service; organisation 3 (an ICB) commissions it; organisation 2 is
// another provider with nothing to do with it.
const PROVIDER = 1;
const OTHER = 2;
const ICB = 3;
const staff = (role: StaffRole, organisationId = PROVIDER): Actor => ({ kind: 'staff', userId: 9, organisationId, role });
const system: Actor = { kind: 'system', name: 'cli' };
const service: ServiceScope = { organisationId: PROVIDER, commissionerOrganisationIds: [ICB] };

describe('access policies', () => {
  it('never lets staff act on another organisation\'s service it does not commission', () => {
    for (const role of staffRole.values) {
      expect(mayWriteReferrals(staff(role, OTHER), service), role).toBe(false);
      expect(mayImport(staff(role, OTHER), service), role).toBe(false);
      expect(mayReadIdentifiable(staff(role, OTHER), service), role).toBe(false);
      expect(mayReadAggregates(staff(role, OTHER), service), role).toBe(false);
      expect(mayKnowService(staff(role, OTHER), service), role).toBe(false);
    }
  });

  it('shows identifiable data to the organisation\'s therapists, team leads and administrators only', () => {
    const allowed = staffRole.values.filter((role) => mayReadIdentifiable(staff(role), service));
    expect(allowed.sort()).toEqual(['administrator', 'team_lead', 'therapist']);
  });

  it('never shows identifiable data to a commissioner, even of a service it commissions', () => {
    expect(mayReadIdentifiable(staff('commissioner', ICB), service)).toBe(false);
    expect(mayReadIdentifiable(staff('commissioner', PROVIDER), service)).toBe(false);
    expect(mayWriteReferrals(staff('commissioner', ICB), service)).toBe(false);
  });

  it('lets a commissioner read aggregates of every service its organisation commissions', () => {
    expect(mayReadAggregates(staff('commissioner', ICB), service)).toBe(true);
    expect(mayKnowService(staff('commissioner', ICB), service)).toBe(true);
    // ...and of nothing its organisation does not commission (no scope, or another commissioner's).
    expect(mayReadAggregates(staff('commissioner', ICB), { organisationId: PROVIDER })).toBe(false);
    expect(mayReadAggregates(staff('commissioner', ICB), { organisationId: PROVIDER, commissionerOrganisationIds: [OTHER] })).toBe(false);
  });

  it('gives the commissioning scope to commissioners only, not to other roles of the commissioning organisation', () => {
    for (const role of staffRole.values.filter((r) => r !== 'commissioner')) {
      expect(mayReadAggregates(staff(role, ICB), service), role).toBe(false);
    }
  });

  it('lets analysts read aggregates and import, but not identifiable data', () => {
    expect(mayReadAggregates(staff('analyst'), service)).toBe(true);
    expect(mayImport(staff('analyst'), service)).toBe(true);
    expect(mayReadIdentifiable(staff('analyst'), service)).toBe(false);
  });

  it('lets clinicians, administrators and analysts write referrals, but not commissioners', () => {
    const allowed = staffRole.values.filter((role) => mayWriteReferrals(staff(role), service));
    expect(allowed.sort()).toEqual(['administrator', 'analyst', 'team_lead', 'therapist']);
  });

  it('lets every role of the organisation read aggregates', () => {
    for (const role of staffRole.values) expect(mayReadAggregates(staff(role), service), role).toBe(true);
  });

  it('lets only an organisation\'s administrators manage its services, and only the system create organisations', () => {
    const allowed = staffRole.values.filter((role) => mayManageServices(staff(role), PROVIDER));
    expect(allowed).toEqual(['administrator']);
    expect(mayManageServices(staff('administrator'), OTHER)).toBe(false);
    expect(mayManageServices(staff('administrator'), null)).toBe(false);
    expect(mayManageServices(system, null)).toBe(true);
  });

  it('lets the system do everything (a documented CLI actor)', () => {
    for (const policy of [mayReadIdentifiable, mayWriteReferrals, mayImport, mayReadAggregates]) expect(policy(system, service)).toBe(true);
  });

  it('knows who is an administrator and who may open the commissioning view', () => {
    expect(staffRole.values.filter((role) => isAdministrator(staff(role)))).toEqual(['administrator']);
    expect(isAdministrator(null)).toBe(false);
    expect(staffRole.values.filter((role) => mayViewCommissioning(staff(role, ICB)))).toEqual(['commissioner']);
    expect(mayViewCommissioning(null)).toBe(false);
  });
});
