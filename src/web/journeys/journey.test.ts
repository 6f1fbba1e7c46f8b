import { describe, expect, it } from 'vitest';
import { afterSave, answersOnPath, checkAnswers, flatAnswers, frontier, isReachable, pathOf, previousStep, saveStep, validateStep, type Answers } from './journey.ts';
import { dateOfBirthSchema, selfReferralJourney as journey } from './self-referral/steps.ts';
import { stepById } from './journey.ts';
import { selfReferralAnswersSchema } from '../../referrals/self-referral.answers.ts';

const context = { today: '2026-11-21' };

describe('journey machinery (self-referral steps)', () => {
  it('starts at the urgent question and stops at the first unanswered step', () => {
    expect(pathOf(journey, {})).toEqual({ steps: ['urgent'], complete: false });
    const answers: Answers = { urgent: { urgent: 'no' }, who: { referredBy: 'self' } };
    expect(pathOf(journey, answers).steps).toEqual(['urgent', 'who', 'name']);
    expect(frontier(journey, answers)).toBe('name');
  });

  it('branches: urgent help only after yes; the referrer only when on behalf; the language only with an interpreter', () => {
    expect(pathOf(journey, { urgent: { urgent: 'yes' } }).steps).toEqual(['urgent', 'urgent-help']);
    expect(pathOf(journey, { urgent: { urgent: 'no' }, who: { referredBy: 'other' } }).steps.at(-1)).toBe('referrer');
    expect(stepById(journey, 'interpreter')!.next({ interpreter: { interpreter: 'yes' } })).toBe('language');
    expect(stepById(journey, 'interpreter')!.next({ interpreter: { interpreter: 'no' } })).toBe('gp');
  });

  it('refuses steps off the path and gives the back link', () => {
    const answers: Answers = { urgent: { urgent: 'no' }, who: { referredBy: 'self' } };
    expect(isReachable(journey, answers, 'postcode')).toBe(false);
    expect(isReachable(journey, answers, 'referrer')).toBe(false);
    expect(isReachable(journey, answers, 'name')).toBe(true);
    expect(previousStep(journey, answers, 'name')).toBe('who');
    expect(previousStep(journey, answers, 'urgent')).toBeNull();
  });

  it('drops answers of an abandoned branch and clears dependent answers when one changes', () => {
    const answers: Answers = { urgent: { urgent: 'no' }, who: { referredBy: 'self' }, referrer: { referrerName: 'X', referrerRelationship: 'Y' } };
    expect(Object.keys(answersOnPath(journey, answers))).toEqual(['urgent', 'who']);
    const withContact: Answers = { 'contact-methods': { contactMethods: ['email'] }, 'contact-details': { email: 'a@b.cd' } };
    expect(saveStep(journey, withContact, 'contact-methods', { contactMethods: ['email'] })['contact-details']).toEqual({ email: 'a@b.cd' });
    expect(saveStep(journey, withContact, 'contact-methods', { contactMethods: ['phone'] })['contact-details']).toBeUndefined();
  });

  it('validates a step and returns error codes in field order', () => {
    const name = stepById(journey, 'name')!;
    expect(validateStep(name, {}, { givenName: ' Ann ', familyName: 'Lee' }, context)).toEqual({ ok: true, value: { givenName: 'Ann', familyName: 'Lee' } });
    expect(validateStep(name, {}, { familyName: 'x'.repeat(101) }, context)).toEqual({ ok: false, errors: [{ field: 'givenName', code: 'required' }, { field: 'familyName', code: 'tooLong' }] });
    const urgent = stepById(journey, 'urgent')!;
    expect(validateStep(urgent, {}, { urgent: 'maybe' }, context)).toEqual({ ok: false, errors: [{ field: 'urgent', code: 'required' }] });
    const inclusion = stepById(journey, 'inclusion')!;
    expect(validateStep(inclusion, {}, { inclusionGroups: ['carer', 'prefer_not_to_say'] }, context)).toEqual({ ok: false, errors: [{ field: 'inclusionGroups', code: 'exclusive' }] });
    const postcode = stepById(journey, 'postcode')!;
    expect(validateStep(postcode, {}, { postcode: 'ls14ap' }, context)).toEqual({ ok: true, value: { postcode: 'LS1 4AP', noFixedAddress: false } });
    expect(validateStep(postcode, {}, { noFixedAddress: 'yes' }, context)).toEqual({ ok: true, value: { noFixedAddress: true } });
  });

  it('validates dates of birth like the NHS date input', () => {
    const parse = (day: string, month: string, year: string) => {
      const result = dateOfBirthSchema(context).safeParse({ 'dateOfBirth[day]': day, 'dateOfBirth[month]': month, 'dateOfBirth[year]': year });
      return result.success ? result.data.dateOfBirth : result.error.issues[0]!.message;
    };
    expect(parse('5', '3', '1984')).toBe('1984-03-05');
    expect(parse('', '', '')).toBe('required');
    expect(parse('5', '', '1984')).toBe('incomplete');
    expect(parse('29', '2', '2023')).toBe('invalid');
    expect(parse('29', '2', '2024')).toBe('2024-02-29');
    expect(parse('22', '11', '2026')).toBe('future');
    expect(parse('31', '12', '1899')).toBe('tooOld');
    expect(parse('1', '1', '84')).toBe('invalid');
  });

  it('returns to check your answers after a change when nothing new is needed', () => {
    const complete: Answers = Object.fromEntries(journey.steps.map((step) => [step.id, {}]));
    complete.urgent = { urgent: 'no' };
    complete.who = { referredBy: 'self' };
    complete.interpreter = { interpreter: 'no' };
    expect(frontier(journey, complete)).toBe(checkAnswers);
    expect(afterSave(journey, complete, 'sex', true)).toBe(checkAnswers);
    expect(afterSave(journey, complete, 'sex', false)).toBe('disability');
    const flat = flatAnswers(journey, { ...complete, interpreter: { interpreter: 'yes' } });
    expect(flat.interpreter).toBe('yes');
  });

  it('the domain schema refuses a whole referral missing what an earlier answer requires', () => {
    const base = {
      urgent: 'no', referredBy: 'other', givenName: 'A', familyName: 'B', dateOfBirth: '1980-01-01', hardActivities: ['sleep'], whatMatters: 'x',
      noFixedAddress: true, livesAlone: 'no', contactMethods: ['phone'], phone: '07700900982', mayLeaveMessage: 'yes', interpreter: 'no', consent: 'yes',
    };
    expect(selfReferralAnswersSchema.safeParse(base).success).toBe(false); // no referrer's name
    expect(selfReferralAnswersSchema.safeParse({ ...base, referrerName: 'C', referrerRelationship: 'friend' }).success).toBe(true);
    expect(selfReferralAnswersSchema.safeParse({ ...base, referrerName: 'C', referrerRelationship: 'friend', extra: 1 }).success).toBe(false);
  });
});
