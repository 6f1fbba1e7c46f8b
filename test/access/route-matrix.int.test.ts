import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/access/api-token.repository.ts';
import { createDemoOrganisation, demoCommissionerCode, demoOrganisationCode, demoServiceCode, demoSmallProviderCode } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../support/database.ts';
import { signIn } from '../support/sign-in.ts';
import { receivedReferral, writeReceived } from '../support/triage.fixture.ts';
import { waitingEpisode } from '../support/caseload.fixture.ts';
import { acceptedEpisode } from '../support/outcomes.fixture.ts';

/**
 * The role x route x organisation matrix. The demo data gives three providers' services and one
 * commissioner (NHS Greater Manchester ICB, QOP):
 * - 'own': the demo trust's service (DEMO/demo-primary-care): the demo staff's own organisation,
 *   commissioned by the ICB;
 * - 'commissioned': the small provider's service with the SAME code (DEMO-SMALL/demo-primary-care):
 *   another organisation for the demo staff, commissioned by the ICB;
 * - 'other': a service nobody here works for or commissions (ELSEWHERE/elsewhere-ot).
 * Every registered route (HEAD ones too) needs an entry below, or the test fails: a new route
 * must say who may reach it.
 */
const roles = ['anonymous', 'therapist', 'team_lead', 'administrator', 'analyst', 'commissioner'] as const;
type Who = (typeof roles)[number];
const targets = ['own', 'commissioned', 'other'] as const;
type Target = (typeof targets)[number];

const serviceOf: Record<Target, { organisation: string; service: string }> = {
  own: { organisation: demoOrganisationCode, service: demoServiceCode },
  commissioned: { organisation: demoSmallProviderCode, service: demoServiceCode },
  other: { organisation: 'ELSEWHERE', service: 'elsewhere-ot' },
};
const emailOf: Record<Exclude<Who, 'anonymous'>, string> = {
  therapist: 'ot1@demo.roots.invalid',
  team_lead: 'lead@demo.roots.invalid',
  administrator: 'admin@demo.roots.invalid',
  analyst: 'analyst@demo.roots.invalid',
  commissioner: 'commissioner@demo.roots.invalid',
};
const serviceQuery = (target: Target) => new URLSearchParams(serviceOf[target]).toString();

interface Entry {
  /** The request for one target (a service, or a member of staff or token of that organisation). */
  request: (target: Target, n: number, csrf: string) => InjectOptions;
  /** The status each actor gets for each target. */
  status: (who: Who, target: Target) => number;
  /** Requests that change state or are rate limited run once per actor (against 'own'), not per target. */
  once?: boolean;
}

const publicPage = (url: string): Entry => ({ request: () => ({ url }), status: () => 200 });
const staffRole = (who: Who) => who !== 'anonymous';
const demoStaff = (who: Who) => who === 'therapist' || who === 'team_lead' || who === 'administrator' || who === 'analyst';
/** Aggregates: the demo staff for their own service; the commissioner for both commissioned services; nobody for 'other'. */
const seesAggregates = (who: Who, target: Target) => (demoStaff(who) && target === 'own') || (who === 'commissioner' && target !== 'other');

/**
 * Administration pages act on a member of staff or an API token by id: 'own' is one of the demo
 * trust's, 'commissioned' one of the small provider's, 'other' one of the unrelated trust's.
 */
const staffOf: Record<Target, { userId: number; tokenId: number }> = { own: { userId: 0, tokenId: 0 }, commissioned: { userId: 0, tokenId: 0 }, other: { userId: 0, tokenId: 0 } };
const adminPage = (url: (target: Target) => string, scoped = true): Entry => ({
  request: (target) => ({ url: url(target) }),
  // Administrators of the demo trust reach their own organisation's staff and tokens only (lists show only those).
  status: (who, target) => (who === 'anonymous' ? 303 : who !== 'administrator' ? 403 : target === 'own' || !scoped ? 200 : 404),
});
const adminPost = (url: (target: Target) => string, done: number): Entry => ({
  request: (target, _n, csrf) => ({ method: 'POST', url: url(target), payload: { _csrf: csrf } }),
  status: (who, target) => (who === 'anonymous' ? 303 : who !== 'administrator' ? 403 : target === 'own' ? done : 404),
});

/**
 * Caseload: an episode in each target's service ('own' allocated to the demo therapist ot1), and
 * in 'own' a booked contact, an attended one and a goal (ids set in beforeAll). Reading: the
 * therapists, team leads and administrators of the service's organisation (an analyst of it 403);
 * changing: the allocated therapist, team leads and administrators; commissioners never (404).
 */
const episodeOf: Record<Target, number> = { own: 0, commissioned: 0, other: 0 };
const caseloadIds = { therapist: 0, scheduled: 0, attended: 0, goal: 0 };
const episodeStatus = (who: Who, target: Target, ok: number) =>
  who === 'anonymous' ? 303 : target !== 'own' || who === 'commissioner' ? 404 : who === 'analyst' ? 403 : ok;
const caseloadPost = (url: () => string, fields: (n: number) => Record<string, string>, ok: (who: Who) => number): Entry => ({
  request: (_target, n, csrf) => ({ method: 'POST', url: url(), payload: { _csrf: csrf, ...fields(n) } }),
  status: (who, target) => (who === 'anonymous' ? 303 : episodeStatus(who, target, ok(who))),
  once: true,
});

/** A referral awaiting triage in each target's service (its id, set in beforeAll). */
const referralOf: Record<Target, number> = { own: 0, commissioned: 0, other: 0 };
/** Triage: therapists and team leads of the service's own organisation; a commissioner of it may know it (403); the rest 404. */
const triageStatus = (who: Who, target: Target, ok: number) =>
  who === 'anonymous' ? 303 : target === 'own' ? (who === 'therapist' || who === 'team_lead' ? ok : 403) : 404;

const referral = (n: number) => ({ source_record_id: `MATRIX-${n}`, person_id: `MP-${n}`, referral_received: '2026-11-20', referral_source: 'gp', date_of_birth: '1961-02-03', sex: '2', urgent_risk: false });

/** A professional referral as a FHIR ServiceRequest (docs/api-referrals.md), with a local patient id only. */
const serviceRequest = (n: number) => ({
  resourceType: 'ServiceRequest',
  identifier: [{ system: 'https://matrix.example/referrals', value: `MATRIX-FHIR-${n}` }],
  status: 'active',
  intent: 'order',
  subject: { reference: '#p' },
  requester: { display: 'Dr Matrix' },
  authoredOn: '2026-11-20',
  contained: [{ resourceType: 'Patient', id: 'p', identifier: [{ system: 'https://matrix.example/patients', value: `MP-F${n}` }], birthDate: '1961-02-03', gender: 'female' }],
});
/** An episode waiting 46 weeks in the 'own' service (due for validation at 26 weeks; set in beforeAll). */
let validationEpisode = 0;
/** A professional referral in the 'own' service, sent by a therapist there (set in beforeAll). */
let sentReferralId = 0;
/** Sending and reading professional referrals needs write access: the demo staff of their own service; a commissioner knows the services but may not. */
const referralWriteStatus = (who: Who, target: Target, done: number) => (who === 'anonymous' ? 401 : demoStaff(who) && target === 'own' ? done : who === 'commissioner' && target !== 'other' ? 403 : 404);

/** The staff referral form: therapists, team leads and administrators of the service only (identifiable data); a commissioner or analyst who may know it is forbidden. */
const identifiableStaff = (who: Who) => who === 'therapist' || who === 'team_lead' || who === 'administrator';
const referralFormStatus = (who: Who, target: Target, done: number) =>
  who === 'anonymous' ? 303 : identifiableStaff(who) && target === 'own' ? done : (who === 'analyst' && target === 'own') || (who === 'commissioner' && target !== 'other') ? 403 : 404;
const servicePath = (target: Target) => `/services/${serviceOf[target].organisation}~${serviceOf[target].service}`;
const referralForm = (n: number) => ({
  submission: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  givenName: 'Matrix', familyName: 'Person', 'dob-day': '3', 'dob-month': '2', 'dob-year': '1961', sex: '2',
  'received-day': '20', 'received-month': '11', 'received-year': '2026', source: 'gp', reason: 'Matrix', referrerName: 'Dr Matrix',
});

/** A waiting, unallocated episode in each target's service, and two more in 'own' for the allocation posts (set in beforeAll). */
const allocationEpisodeOf: Record<Target, number> = { own: 0, commissioned: 0, other: 0 };
const allocationPostEpisode = { confirm: 0, requirements: 0 };
/** A therapist in the 'own' service's team whom no other entry changes (ot4 is deactivated by an admin entry). */
let allocationTherapist = 0;
/** Allocation pages of a service: its team leads only; others of the organisation, and a commissioner who may know it, are forbidden; the rest 404. */
const allocationStatus = (who: Who, target: Target, ok: number) =>
  who === 'anonymous' ? 303 : target === 'own' ? (who === 'team_lead' ? ok : 403) : who === 'commissioner' && target === 'commissioned' ? 403 : 404;
/** One person's allocation: the service's team leads; other staff of the organisation are forbidden; anyone else is told there is no such episode. */
const episodeAllocationStatus = (who: Who, target: Target, ok: number) =>
  who === 'anonymous' ? 303 : target === 'own' && who === 'team_lead' ? ok : target === 'own' && who !== 'commissioner' ? 403 : 404;
/** An episode on the waiting list in each target's service (its id, set in beforeAll). */
const careEpisodeOf: Record<Target, number> = { own: 0, commissioned: 0, other: 0 };
/** Recording outcomes: therapists and team leads of the service; an administrator or analyst of it, or a commissioner who may know it, is forbidden; the rest 404. Allowed empty forms answer 400. */
const careWriteStatus = (who: Who, target: Target) =>
  who === 'anonymous' ? 303 : target === 'own' ? (who === 'therapist' || who === 'team_lead' ? 400 : 403) : who === 'commissioner' && target === 'commissioned' ? 403 : 404;
const episodePage = (path: string): Entry => ({ request: (target) => ({ url: `/episodes/${careEpisodeOf[target]}${path}` }), status: (who, target) => referralFormStatus(who, target, 200) });

const matrix: Record<string, Entry> = {
  'GET /episodes/:episode/outcomes': episodePage('/outcomes'),
  'GET /episodes/:episode/discharge': episodePage('/discharge'),
  'GET /episodes/:episode/work-report': episodePage('/work-report'),
  'GET /episodes/:episode/work-report/print': episodePage('/work-report/print'),
  'POST /episodes/:episode/outcomes/:form': { request: (target, _n, csrf) => ({ method: 'POST', url: `/episodes/${careEpisodeOf[target]}/outcomes/fft`, payload: { _csrf: csrf } }), status: careWriteStatus },
  'POST /episodes/:episode/discharge': { request: (target, _n, csrf) => ({ method: 'POST', url: `/episodes/${careEpisodeOf[target]}/discharge`, payload: { _csrf: csrf } }), status: careWriteStatus },
  'POST /episodes/:episode/work-report': { request: (target, _n, csrf) => ({ method: 'POST', url: `/episodes/${careEpisodeOf[target]}/work-report`, payload: { _csrf: csrf, version: '0' } }), status: careWriteStatus },
  'GET /health': publicPage('/health'),
  'GET /ready': publicPage('/ready'),
  'GET /': publicPage('/'),
  'GET /api/openapi.json': publicPage('/api/openapi.json'),
  'GET /assets/*': publicPage('/assets/images/favicon.ico'),
  'GET /assets/nhsuk-frontend.min.css': publicPage('/assets/nhsuk-frontend.min.css'),
  'GET /assets/nhsuk-frontend.min.js': publicPage('/assets/nhsuk-frontend.min.js'),
  'GET /assets/app.css': publicPage('/assets/app.css'),
  'GET /assets/app.js': publicPage('/assets/app.js'),
  'GET /about': publicPage('/about'),
  'GET /accessibility': publicPage('/accessibility'),
  'GET /privacy': publicPage('/privacy'),
  'GET /sign-in': publicPage('/sign-in'),
  // The public self-referral: anyone, no account. Without a draft cookie the journey's pages go back to the start.
  'GET /refer': publicPage('/refer'),
  'GET /refer/:step': { request: () => ({ url: '/refer/urgent' }), status: () => 303 },
  'GET /refer/check': { request: () => ({ url: '/refer/check' }), status: () => 303 },
  'GET /refer/confirmation': { request: () => ({ url: '/refer/confirmation' }), status: () => 303 },
  // Without the form's CSRF token every /refer form is refused for everyone alike.
  'POST /refer/start': { request: () => ({ method: 'POST', url: '/refer/start', payload: {} }), status: () => 403, once: true },
  'POST /refer/:step': { request: () => ({ method: 'POST', url: '/refer/urgent', payload: { urgent: 'no' } }), status: () => 403, once: true },
  'POST /refer/check': { request: () => ({ method: 'POST', url: '/refer/check', payload: {} }), status: () => 403, once: true },
  // Without the form's CSRF token a sign-in or sign-out is refused for everyone alike.
  'POST /sign-in': { request: () => ({ method: 'POST', url: '/sign-in', payload: { email: 'x@example.org', password: 'x' } }), status: () => 403, once: true },
  // With no live session a sign-out changes nothing and just redirects; with one it needs the form's token.
  'POST /sign-out': { request: () => ({ method: 'POST', url: '/sign-out' }), status: (who) => (who === 'anonymous' ? 303 : 403), once: true },
  // Published aggregates (docs/adr/0006): public, for every service.
  'GET /equity': { request: (target) => ({ url: `/equity?${serviceQuery(target)}` }), status: () => 200 },
  'GET /equity/:file': { request: (target) => ({ url: `/equity/audit.csv?${serviceQuery(target)}` }), status: () => 200 },
  'GET /commissioning': { request: () => ({ url: '/commissioning' }), status: (who) => (who === 'anonymous' ? 303 : who === 'commissioner' ? 200 : 403) },
  'GET /admin/users': adminPage(() => '/admin/users', false),
  'GET /admin/users/new': adminPage(() => '/admin/users/new', false),
  'POST /admin/users/new': {
    request: (_target, n, csrf) => ({ method: 'POST', url: '/admin/users/new', payload: { _csrf: csrf, email: `new-${n}@demo.roots.invalid`, displayName: `New ${n}`, role: 'therapist' } }),
    // The new member of staff always joins the administrator's own organisation.
    status: (who) => (who === 'anonymous' ? 303 : who !== 'administrator' ? 403 : 200),
    once: true,
  },
  'GET /admin/users/:id/reset-password': adminPage((target) => `/admin/users/${staffOf[target].userId}/reset-password`),
  'POST /admin/users/:id/reset-password': adminPost((target) => `/admin/users/${staffOf[target].userId}/reset-password`, 200),
  'GET /admin/users/:id/deactivate': adminPage((target) => `/admin/users/${staffOf[target].userId}/deactivate`),
  'POST /admin/users/:id/deactivate': adminPost((target) => `/admin/users/${staffOf[target].userId}/deactivate`, 303),
  'GET /admin/tokens': adminPage(() => '/admin/tokens', false),
  'GET /admin/tokens/:id/revoke': adminPage((target) => `/admin/tokens/${staffOf[target].tokenId}/revoke`),
  'POST /admin/tokens/:id/revoke': adminPost((target) => `/admin/tokens/${staffOf[target].tokenId}/revoke`, 303),
  'GET /triage': { request: () => ({ url: '/triage' }), status: (who) => (who === 'anonymous' ? 303 : who === 'therapist' || who === 'team_lead' ? 200 : 403) },
  // What a change of clock rules would do: aggregates, so whoever sees the service's aggregates; others as if it did not exist.
  'GET /services/:service/clock-rules': {
    request: (target) => ({ url: `${servicePath(target)}/clock-rules` }),
    status: (who, target) => (who === 'anonymous' ? 303 : seesAggregates(who, target) ? 200 : 404),
  },
  'GET /services/:service/triage': {
    request: (target) => ({ url: `/services/${serviceOf[target].service}/triage?organisation=${serviceOf[target].organisation}` }),
    // A commissioner may know both commissioned services exist (403); the demo staff know only their own.
    status: (who, target) => (who === 'commissioner' && target !== 'other' ? 403 : triageStatus(who, target, 200)),
  },
  'GET /referrals/:id/triage': { request: (target) => ({ url: `/referrals/${referralOf[target]}/triage` }), status: (who, target) => (who === 'commissioner' && target !== 'other' ? 404 : triageStatus(who, target, 200)) },
  // Once, against 'own', all on the version the page showed: the therapist wins (303), the team lead's is stale (409).
  'POST /referrals/:id/triage': {
    request: (_target, _n, csrf) => ({
      method: 'POST',
      url: `/referrals/${referralOf.own}/triage`,
      payload: { _csrf: csrf, version: '1', 'triagedOn-day': '21', 'triagedOn-month': '11', 'triagedOn-year': '2026', pathway: 'signpost', outcome: 'advice_discharge' },
    }),
    status: (who) => (who === 'anonymous' ? 303 : who === 'therapist' ? 303 : who === 'team_lead' ? 409 : who === 'commissioner' ? 404 : 403),
    once: true,
  },
  'GET /services/:service/allocation': { request: (target) => ({ url: `${servicePath(target)}/allocation` }), status: (who, target) => allocationStatus(who, target, 200) },
  'GET /services/:service/competencies': { request: (target) => ({ url: `${servicePath(target)}/competencies` }), status: (who, target) => allocationStatus(who, target, 200) },
  'GET /services/:service/competencies/:staff': { request: (target) => ({ url: `${servicePath(target)}/competencies/${allocationTherapist}` }), status: (who, target) => allocationStatus(who, target, 200) },
  // Once, against 'own': the team lead's change is saved (303); everyone else is refused.
  'POST /services/:service/competencies/:staff': {
    request: (_target, _n, csrf) => ({ method: 'POST', url: `${servicePath('own')}/competencies/${allocationTherapist}`, payload: { _csrf: csrf, capacity: '30', areas: 'E08000003' } }),
    status: (who) => allocationStatus(who, 'own', 303),
    once: true,
  },
  'GET /episodes/:episode/allocate': { request: (target) => ({ url: `/episodes/${allocationEpisodeOf[target]}/allocate` }), status: (who, target) => episodeAllocationStatus(who, target, 200) },
  // Once, against 'own', on the version the page showed: the team lead's allocation is confirmed (303); the rest refused.
  'POST /episodes/:episode/allocate': {
    request: (_target, _n, csrf) => ({ method: 'POST', url: `/episodes/${allocationPostEpisode.confirm}/allocate`, payload: { _csrf: csrf, version: '1', therapist: String(allocationTherapist) } }),
    status: (who) => episodeAllocationStatus(who, 'own', 303),
    once: true,
  },
  'POST /episodes/:episode/requirements': {
    request: (_target, _n, csrf) => ({ method: 'POST', url: `/episodes/${allocationPostEpisode.requirements}/requirements`, payload: { _csrf: csrf, version: '1' } }),
    status: (who) => episodeAllocationStatus(who, 'own', 303),
    once: true,
  },
  'GET /api/v1/services/:service/equity-audit': {
    request: (target) => ({ url: `/api/v1/services/${serviceOf[target].service}/equity-audit?organisation=${serviceOf[target].organisation}` }),
    status: (who, target) => (who === 'anonymous' ? 401 : seesAggregates(who, target) ? 200 : 404),
  },
  'POST /api/v1/services/:service/fhir/ServiceRequest': {
    request: (target, n) => ({ method: 'POST', url: `/api/v1/services/${serviceOf[target].service}/fhir/ServiceRequest?organisation=${serviceOf[target].organisation}`, payload: serviceRequest(n) }),
    status: (who, target) => referralWriteStatus(who, target, 201),
  },
  // The status of a referral a therapist of 'own' sent: staff who may read the service's records see it; an analyst may send but not read another's.
  'GET /api/v1/services/:service/fhir/ServiceRequest/:id': {
    request: (target) => ({ url: `/api/v1/services/${serviceOf[target].service}/fhir/ServiceRequest/${sentReferralId}?organisation=${serviceOf[target].organisation}` }),
    status: (who, target) => (who === 'analyst' && target === 'own' ? 404 : referralWriteStatus(who, target, 200)),
  },
  'GET /api/v1/services/:service/fhir/ServiceRequest': {
    request: (target) => ({ url: `/api/v1/services/${serviceOf[target].service}/fhir/ServiceRequest?identifier=MATRIX-SENT&organisation=${serviceOf[target].organisation}` }),
    status: (who, target) => referralWriteStatus(who, target, 200),
  },
  'GET /services/:service/referrals/new': { request: (target) => ({ url: `${servicePath(target)}/referrals/new` }), status: (who, target) => referralFormStatus(who, target, 200) },
  'POST /services/:service/referrals/new': {
    request: (target, n, csrf) => ({ method: 'POST', url: `${servicePath(target)}/referrals/new`, payload: { _csrf: csrf, ...referralForm(n) } }),
    status: (who, target) => referralFormStatus(who, target, 303),
  },
  'GET /services/:service/referrals/:id': { request: (target) => ({ url: `${servicePath(target)}/referrals/${sentReferralId}` }), status: (who, target) => referralFormStatus(who, target, 200) },
  // The waiting list pages: therapists, team leads and administrators of the service (identifiable data); an analyst or a commissioner who may know it is forbidden.
  'GET /waiting-lists': { request: () => ({ url: '/waiting-lists' }), status: (who) => (who === 'anonymous' ? 303 : identifiableStaff(who) ? 200 : 403) },
  'GET /services/:service/waiting-list': { request: (target) => ({ url: `${servicePath(target)}/waiting-list?sort=wait` }), status: (who, target) => referralFormStatus(who, target, 200) },
  'GET /services/:service/waiting-list.csv': { request: (target) => ({ url: `${servicePath(target)}/waiting-list.csv` }), status: (who, target) => referralFormStatus(who, target, 200) },
  'GET /services/:service/equity-weights': { request: (target) => ({ url: `${servicePath(target)}/equity-weights` }), status: (who, target) => referralFormStatus(who, target, 200) },
  // Deciding the weights: the service's team lead only.
  'POST /services/:service/equity-weights': {
    request: (target, _n, csrf) => ({ method: 'POST', url: `${servicePath(target)}/equity-weights`, payload: { _csrf: csrf, mostDeprivedQuintile: '1', inclusionHealthGroup: '0', interpreterNeeded: '0', disability: '0', reason: 'Matrix' } }),
    status: (who) => (who === 'anonymous' ? 303 : who === 'team_lead' ? 303 : 403),
    once: true,
  },
  'GET /services/:service/validation': { request: (target) => ({ url: `${servicePath(target)}/validation` }), status: (who, target) => referralFormStatus(who, target, 200) },
  'GET /services/:service/validation/:episode': { request: (target) => ({ url: `${servicePath(target)}/validation/${validationEpisode}` }), status: (who, target) => referralFormStatus(who, target, 200) },
  // "Could not contact" keeps the person on the list, so each role's answer is a fresh one.
  'POST /services/:service/validation/:episode': {
    request: (target, _n, csrf) => ({ method: 'POST', url: `${servicePath(target)}/validation/${validationEpisode}`, payload: { _csrf: csrf, milestone: '26', outcome: 'could_not_contact' } }),
    status: (who, target) => referralFormStatus(who, target, 303),
    once: true,
  },
  'GET /services/:service/queue-pressure': { request: (target) => ({ url: `${servicePath(target)}/queue-pressure` }), status: (who, target) => referralFormStatus(who, target, 200) },
  'POST /api/v1/services/:service/referrals': {
    request: (target, n) => ({ method: 'POST', url: `/api/v1/services/${serviceOf[target].service}/referrals?organisation=${serviceOf[target].organisation}`, payload: referral(n) }),
    // Staff who may know the service but not write to it (a commissioner) are forbidden; the rest is "no such service".
    status: (who, target) => (who === 'anonymous' ? 401 : demoStaff(who) && target === 'own' ? 201 : who === 'commissioner' && target !== 'other' ? 403 : 404),
  },
  'GET /caseload': { request: () => ({ url: '/caseload' }), status: (who) => (who === 'anonymous' ? 303 : who === 'therapist' || who === 'team_lead' ? 200 : 403) },
  'GET /episodes/:episode': { request: (target) => ({ url: `/episodes/${episodeOf[target]}` }), status: (who, target) => episodeStatus(who, target, 200) },
  // Each actor books its own day of December (no clash between them).
  'POST /episodes/:episode/contacts': caseloadPost(
    () => `/episodes/${episodeOf.own}/contacts`,
    (n) => ({ 'day-day': String(1 + (n % 28)), 'day-month': '12', 'day-year': '2026', time: '10:00', duration: '30', mode: 'phone', therapist: String(caseloadIds.therapist) }),
    () => 303,
  ),
  // All on the version the page showed: the therapist records it (303), the others' forms are stale (409).
  'POST /episodes/:episode/contacts/:contact/attendance': caseloadPost(
    () => `/episodes/${episodeOf.own}/contacts/${caseloadIds.scheduled}/attendance`,
    () => ({ version: '1', attendance: 'attended' }),
    (who) => (who === 'therapist' ? 303 : 409),
  ),
  'POST /episodes/:episode/contacts/:contact/interventions': caseloadPost(
    () => `/episodes/${episodeOf.own}/contacts/${caseloadIds.attended}/interventions`,
    () => ({ interventions: 'signposting' }),
    () => 303,
  ),
  'POST /episodes/:episode/goals': caseloadPost(
    () => `/episodes/${episodeOf.own}/goals`,
    () => ({ goal: 'Walk to the shop', 'setOn-day': '21', 'setOn-month': '11', 'setOn-year': '2026' }),
    () => 303,
  ),
  'POST /episodes/:episode/goals/:goal': caseloadPost(
    () => `/episodes/${episodeOf.own}/goals/${caseloadIds.goal}`,
    () => ({ version: '1', status: 'achieved' }),
    (who) => (who === 'therapist' ? 303 : 409),
  ),
  'POST /episodes/:episode/notes': caseloadPost(() => `/episodes/${episodeOf.own}/notes`, () => ({ note: 'Matrix note' }), () => 303),
};

describe(`role x route x organisation matrix on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const credentials: Record<Exclude<Who, 'anonymous'>, { bearer: string; cookie: string; csrf: string }> = {} as never;

  beforeAll(async () => {
    store = await createTestStore();
    const demo = await createDemoOrganisation(store.db, null);
    const elsewhere = await store.db.insertInto('organisation').values({ code: 'ELSEWHERE', name: 'Elsewhere Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: elsewhere.id, code: 'elsewhere-ot', name: 'Elsewhere OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('staff_user').values({ organisation_id: elsewhere.id, email: 'lead@elsewhere.example', display_name: 'Elsewhere lead', role: 'team_lead' }).execute();
    for (const [target, email] of [['own', 'ot4@demo.roots.invalid'], ['commissioned', 'lead@small.demo.roots.invalid'], ['other', 'lead@elsewhere.example']] as const) {
      await createApiToken(store.db, { email, label: 'matrix target', days: 30 });
      const row = await store.db.selectFrom('staff_user').innerJoin('api_token', 'api_token.staff_user_id', 'staff_user.id').select(['staff_user.id as userId', 'api_token.id as tokenId']).where('email', '=', email).executeTakeFirstOrThrow();
      staffOf[target] = row;
    }
    for (const target of targets) {
      const service = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'service.organisation_id as organisationId']).where('organisation.code', '=', serviceOf[target].organisation).where('service.code', '=', serviceOf[target].service).executeTakeFirstOrThrow();
      const written = await writeReceived(store.db, service, [receivedReferral(`TRIAGE-${target}`, { receivedOn: '2026-11-20' })]);
      referralOf[target] = written.get(`TRIAGE-${target}`)!;
      // Accepted and waiting, not yet allocated: for the allocation pages.
      const waiting = (id: string) => ({
        ...receivedReferral(id, { receivedOn: '2026-11-10' }),
        triage: { triagedOn: '2026-11-11', pathway: 'community_rehab' as const, priority: 'P3' as const, outcome: 'accept' as const },
        waiting: { clockStartedOn: '2026-11-10', pauses: [], firstContactOn: null, contactsAttended: 0, contactsDidNotAttend: 0, contactsCancelled: 0 },
      });
      const ids = target === 'own' ? [`ALLOC-${target}`, 'ALLOC-confirm', 'ALLOC-requirements'] : [`ALLOC-${target}`];
      const allocated = await writeReceived(store.db, service, ids.map(waiting));
      const episodeFor = async (id: string) => (await store.db.selectFrom('episode').select('id').where('referral_id', '=', allocated.get(id)!).executeTakeFirstOrThrow()).id;
      allocationEpisodeOf[target] = await episodeFor(`ALLOC-${target}`);
      if (target === 'own') {
        allocationTherapist = (await store.db.selectFrom('staff_user').select('id').where('email', '=', 'ot3@demo.roots.invalid').executeTakeFirstOrThrow()).id;
        allocationPostEpisode.confirm = await episodeFor('ALLOC-confirm');
        allocationPostEpisode.requirements = await episodeFor('ALLOC-requirements');
      }
      const careWaiting = await writeReceived(store.db, service, [receivedReferral(`EPISODE-${target}`, { receivedOn: '2026-11-20' })]);
      careEpisodeOf[target] = await acceptedEpisode(store.db, { id: careWaiting.get(`EPISODE-${target}`)!, serviceId: service.id, receivedOn: '2026-11-20' });
    }
    const ot1 = await store.db.selectFrom('staff_user').select('id').where('email', '=', emailOf.therapist).executeTakeFirstOrThrow();
    caseloadIds.therapist = ot1.id;
    for (const target of targets) {
      const service = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'service.organisation_id as organisationId']).where('organisation.code', '=', serviceOf[target].organisation).where('service.code', '=', serviceOf[target].service).executeTakeFirstOrThrow();
      episodeOf[target] = (await waitingEpisode(store.db, service, `CASELOAD-${target}`, { receivedOn: '2026-11-01', allocatedTo: target === 'own' ? ot1.id : null })).episodeId;
    }
    const contact = (startsAt: string, attendance: 'scheduled' | 'attended') =>
      store.db.insertInto('contact').values({ episode_id: episodeOf.own, staff_user_id: ot1.id, starts_at: startsAt, mode: 'in_person', attendance, duration_minutes: 30 }).returning('id').executeTakeFirstOrThrow();
    caseloadIds.scheduled = (await contact('2026-11-20T09:00:00Z', 'scheduled')).id;
    caseloadIds.attended = (await contact('2026-11-19T09:00:00Z', 'attended')).id;
    caseloadIds.goal = (await store.db.insertInto('episode_goal').values({ episode_id: episodeOf.own, goal: 'Make tea', set_on: '2026-11-05' }).returning('id').executeTakeFirstOrThrow()).id;
    {
      const own = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'service.organisation_id as organisationId']).where('organisation.code', '=', serviceOf.own.organisation).where('service.code', '=', serviceOf.own.service).executeTakeFirstOrThrow();
      const person = await store.db.insertInto('person').values({ organisation_id: own.organisationId, source_person_id: 'WAITING-1', postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      const referral = await store.db.insertInto('referral').values({ service_id: own.id, person_id: person.id, source_record_id: 'WAITING-1', received_on: '2026-01-01', source: 'gp', status: 'waiting' }).returning('id').executeTakeFirstOrThrow();
      validationEpisode = (await store.db.insertInto('episode').values({ referral_id: referral.id, service_id: own.id, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow()).id;
    }
    // Every request comes from one address: the general limit is lifted so that the matrix, which
    // grows with every route, measures access and not the rate limit (tested on its own elsewhere).
    app = await buildApp({ store, config: testConfig({ ROOTS_RATE_LIMIT_PER_MINUTE: '100000' }), clock: () => '2026-11-21' });
    await app.ready();
    const sender = (await createApiToken(store.db, { email: 'ot4@demo.roots.invalid', label: 'matrix sender', days: 1 })).token;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/services/${demoServiceCode}/fhir/ServiceRequest?organisation=${demoOrganisationCode}`,
      headers: { authorization: `Bearer ${sender}` },
      payload: { ...serviceRequest(0), identifier: [{ system: 'https://matrix.example/referrals', value: 'MATRIX-SENT' }] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    sentReferralId = Number(sent.json().id);
    for (const who of roles.filter((r): r is Exclude<Who, 'anonymous'> => r !== 'anonymous')) {
      const bearer = (await createApiToken(store.db, { email: emailOf[who], label: 'matrix', days: 1 })).token;
      const { cookie, csrfToken } = await signIn(app, emailOf[who], demo!.password);
      credentials[who] = { bearer, cookie, csrf: csrfToken };
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('has the demo commissioner in the ICB, commissioning both demo services', async () => {
    const commissioner = await store.db.selectFrom('staff_user').innerJoin('organisation', 'organisation.id', 'staff_user.organisation_id').select(['organisation.code', 'organisation.kind']).where('email', '=', emailOf.commissioner).executeTakeFirstOrThrow();
    expect(commissioner).toEqual({ code: demoCommissionerCode, kind: 'commissioner' });
  });

  it('has an entry for every registered route (a new route must declare who may reach it)', () => {
    const registered = app.declaredRoutes.filter((route) => route.method !== 'HEAD').map((route) => `${route.method} ${route.url}`);
    expect(registered.filter((route) => !(route in matrix))).toEqual([]);
    // ...and no stale entry for a route that no longer exists.
    expect(Object.keys(matrix).filter((route) => !registered.includes(route))).toEqual([]);
    // Every GET also answers HEAD, through the same guard.
    const heads = app.declaredRoutes.filter((route) => route.method === 'HEAD').map((route) => route.url).sort();
    expect(heads).toEqual(app.declaredRoutes.filter((route) => route.method === 'GET').map((route) => route.url).sort());
  });

  let n = 0;
  for (const [route, entry] of Object.entries(matrix)) {
    it(`${route}: every role, every organisation`, async () => {
      const method = route.split(' ')[0]!;
      const access = app.declaredRoutes.find((declared) => `${declared.method} ${declared.url}` === route)?.access;
      const results: string[] = [];
      const expected: string[] = [];
      for (const who of roles) {
        for (const target of entry.once ? (['own'] as const) : targets) {
          for (const asMethod of method === 'GET' ? ['GET', 'HEAD'] : [method]) {
            const request = entry.request(target, ++n, who === 'anonymous' ? '' : credentials[who].csrf);
            const headers: Record<string, string> = {};
            if (who !== 'anonymous') {
              if (String(request.url).startsWith('/api/')) headers.authorization = `Bearer ${credentials[who].bearer}`;
              else headers.cookie = credentials[who].cookie;
            }
            const response = await app.inject({ ...request, method: asMethod as 'GET', headers });
            results.push(`${asMethod} ${who} ${target} ${response.statusCode}`);
            expected.push(`${asMethod} ${who} ${target} ${entry.status(who, target)}`);
            if (who === 'anonymous' && response.statusCode === 303 && access !== 'public') expect(response.headers.location, route).toMatch(/^\/sign-in\?next=%2F/);
            if (response.statusCode === 401 || response.statusCode === 404 || response.statusCode === 403) {
              if (String(request.url).startsWith('/api/') && asMethod !== 'HEAD') expect(response.headers['content-type'], `${route} ${who}`).toMatch(/application\/problem\+json/);
            }
            // Nothing identifiable reaches an analyst or a commissioner: no person's identifier or date of birth written here.
            if (who === 'analyst' || who === 'commissioner') expect(response.body, `${route} ${who} ${target}`).not.toMatch(/MP-\d|1961-02-03/);
          }
        }
      }
      expect(results).toEqual(expected);
    }, 120_000);
  }

  it('shows the commissioner every service it commissions, of both providers, linked to their aggregate audits only', async () => {
    const page = await app.inject({ url: '/commissioning', headers: { cookie: credentials.commissioner.cookie } });
    const linked = [...page.body.matchAll(/<a href="([^"]+)" data-service="([^"]+)"/g)].map((m) => [m[1]!.replaceAll('&amp;', '&'), m[2]]);
    expect(linked).toEqual([
      [`/equity?organisation=${demoOrganisationCode}&service=${demoServiceCode}`, `${demoOrganisationCode}/${demoServiceCode}`],
      [`/equity?organisation=${demoSmallProviderCode}&service=${demoServiceCode}`, `${demoSmallProviderCode}/${demoServiceCode}`],
    ]);
    expect(page.body).not.toContain('Elsewhere');
    const welsh = await app.inject({ url: '/commissioning?lang=cy', headers: { cookie: credentials.commissioner.cookie } });
    expect(welsh.body).toContain('Gwasanaethau rydych yn eu comisiynu');
    // Each link opens the small provider's audit, not the demo trust's (same service code).
    const small = await app.inject({ url: linked[1]![0]!, headers: { cookie: credentials.commissioner.cookie } });
    expect(small.body).toContain('small provider, demonstration');
  });

  it('records every refusal of a service in the audit trail', async () => {
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'subject_kind']).where('action', '=', 'denied').execute();
    // At least: commissioner refused the 'other' audit and referrals, demo staff refused the two foreign services, non-commissioners refused /commissioning.
    expect(denied.filter((d) => d.subject_kind === 'commissioning').length).toBeGreaterThanOrEqual(4);
    expect(denied.filter((d) => d.subject_kind === 'equity_audit').length).toBeGreaterThanOrEqual(4 * 2 + 1);
  });
});
