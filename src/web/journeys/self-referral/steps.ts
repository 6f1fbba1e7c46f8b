import { z } from 'zod';
import { parsePostcode } from '../../../reference/postcode.ts';
import { checkAnswers, type Answers, type Field, type Journey, type StepContext, type StepForm } from '../journey.ts';

/**
 * The public self-referral journey at /refer: one form object per step (fields, a zod schema
 * whose issue messages are error codes, and `next`). Wording lives in
 * src/web/content/{en,cy}/refer.ts under `steps.<id>`; error codes map to
 * `steps.<id>.errors.<field>.<code>`. The order follows the NHS service manual's advice:
 * urgent help first, then who, then what matters, then contact, then consent, then optional
 * equality monitoring (each with "prefer not to say").
 */

export {
  activityOptions,
  adjustmentOptions,
  contactOptions,
  disabilityOptions,
  ethnicityOptions,
  inclusionOptions,
  referredByOptions,
  sexOptions,
  yesNo,
} from '../../../referrals/self-referral.answers.ts';
import {
  activityOptions,
  adjustmentOptions,
  contactOptions,
  disabilityOptions,
  ethnicityOptions,
  inclusionOptions,
  referredByOptions,
  sexOptions,
  yesNo,
} from '../../../referrals/self-referral.answers.ts';

const get = (answers: Answers, step: string, field: string): unknown => answers[step]?.[field];

// Form bodies hold strings (or arrays of strings for repeated names); anything else is refused.
const text = (max: number, optional = false) =>
  z.preprocess(
    (value) => (value === undefined ? '' : typeof value === 'string' ? value.trim() : value),
    optional ? z.string({ error: 'invalid' }).max(max, { error: 'tooLong' }) : z.string({ error: 'invalid' }).min(1, { error: 'required' }).max(max, { error: 'tooLong' }),
  );
const optionalText = (max: number) => text(max, true).transform((value) => (value === '' ? undefined : value));
const choice = <T extends readonly [string, ...string[]]>(options: T) => z.enum(options, { error: 'required' });
const optionalChoice = <T extends readonly [string, ...string[]]>(options: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.enum(options, { error: 'invalid' }).optional());
const many = <T extends readonly [string, ...string[]]>(options: T, { required, exclusive }: { required: boolean; exclusive?: readonly string[] }) =>
  z
    .preprocess((value) => (value === undefined || value === '' ? [] : typeof value === 'string' ? [value] : value), z.array(z.enum(options, { error: 'invalid' }), { error: 'invalid' }))
    .transform((values) => [...new Set(values)])
    .refine((values) => !required || values.length > 0, { error: 'required' })
    .refine((values) => !exclusive || values.length <= 1 || !values.some((value) => exclusive.includes(value)), { error: 'exclusive' });

const radios = (name: string, options: readonly string[], extra: Partial<Field> = {}): Field => ({ name, kind: 'radios', options, ...extra });

/** A step with fixed fields and schema. */
function step(id: string, fields: readonly Field[], shape: z.ZodRawShape, next: (answers: Answers) => string): StepForm {
  const schema = z.object(shape);
  return { id, fields: () => fields, schema: () => schema, next };
}

/** Day, month and year boxes (the NHS date input): a real date, in the past, on or after 1 January 1900. */
export function dateOfBirthSchema(context: StepContext) {
  const part = z.preprocess((value) => (value === undefined ? '' : typeof value === 'string' ? value.trim() : value), z.string({ error: 'invalid' }).max(4, { error: 'invalid' }));
  return z
    .object({ 'dateOfBirth[day]': part, 'dateOfBirth[month]': part, 'dateOfBirth[year]': part })
    .transform((value, ctx) => {
      const day = value['dateOfBirth[day]'];
      const month = value['dateOfBirth[month]'];
      const year = value['dateOfBirth[year]'];
      const fail = (code: string) => {
        ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: code });
        return z.NEVER;
      };
      if (day === '' && month === '' && year === '') return fail('required');
      if (day === '' || month === '' || year === '') return fail('incomplete');
      if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return fail('invalid');
      const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
      const date = new Date(`${iso}T00:00:00Z`);
      if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) return fail('invalid');
      if (iso > context.today) return fail('future');
      if (iso < '1900-01-01') return fail('tooOld');
      return { dateOfBirth: iso };
    });
}

const phonePattern = /^\+?[0-9 ()-]{10,20}$/;
const digitCount = (value: string) => value.replace(/\D/g, '').length;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const contactMethodsOf = (answers: Answers): string[] => (get(answers, 'contact-methods', 'contactMethods') as string[] | undefined) ?? [];

const contactDetails: StepForm = {
  id: 'contact-details',
  fields(answers) {
    const methods = contactMethodsOf(answers);
    const fields: Field[] = [];
    if (methods.includes('phone') || methods.includes('text')) fields.push({ name: 'phone', kind: 'tel', autocomplete: 'tel', width: 'nhsuk-input--width-20' });
    if (methods.includes('email')) fields.push({ name: 'email', kind: 'email', autocomplete: 'email' });
    if (methods.includes('letter')) fields.push({ name: 'address', kind: 'textarea', autocomplete: 'street-address' });
    return fields;
  },
  schema(answers) {
    const names = new Set(this.fields(answers).map((field) => field.name));
    return z.object({
      ...(names.has('phone') ? { phone: text(30).refine((value) => phonePattern.test(value) && digitCount(value) >= 10 && digitCount(value) <= 15, { error: 'invalid' }) } : {}),
      ...(names.has('email') ? { email: text(200).refine((value) => emailPattern.test(value), { error: 'invalid' }) } : {}),
      ...(names.has('address') ? { address: text(500) } : {}),
    });
  },
  next: () => 'safe-times',
  dependsOn: ['contact-methods'],
};

const postcode: StepForm = {
  id: 'postcode',
  fields: () => [
    { name: 'postcode', kind: 'text', autocomplete: 'postal-code', width: 'nhsuk-input--width-10' },
    { name: 'noFixedAddress', kind: 'checkboxes', options: ['yes'], optional: true },
  ],
  schema: () =>
    z
      .object({ postcode: text(16, true), noFixedAddress: many(['yes'], { required: false }) })
      .transform((value, ctx) => {
        const noFixedAddress = value.noFixedAddress.includes('yes');
        if (noFixedAddress && value.postcode !== '') {
          ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'both' });
          return z.NEVER;
        }
        if (noFixedAddress) return { noFixedAddress: true };
        if (value.postcode === '') {
          ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'required' });
          return z.NEVER;
        }
        const parsed = parsePostcode(value.postcode);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'invalid' });
          return z.NEVER;
        }
        return { postcode: parsed.postcode, noFixedAddress: false };
      }),
  next: () => 'lives-alone',
};

const dateOfBirth: StepForm = {
  id: 'date-of-birth',
  fields: () => [{ name: 'dateOfBirth', kind: 'date' }],
  schema: (_answers, context) => dateOfBirthSchema(context),
  next: () => 'activities',
};

/** Every step, in the order a person meets them. */
export const selfReferralJourney: Journey = {
  steps: [
    step('urgent', [radios('urgent', yesNo)], { urgent: choice(yesNo) }, (a) => (get(a, 'urgent', 'urgent') === 'yes' ? 'urgent-help' : 'who')),
    step('urgent-help', [], {}, () => 'who'),
    step('who', [radios('referredBy', referredByOptions)], { referredBy: choice(referredByOptions) }, (a) => (get(a, 'who', 'referredBy') === 'self' ? 'name' : 'referrer')),
    step(
      'referrer',
      [
        { name: 'referrerName', kind: 'text', autocomplete: 'name' },
        { name: 'referrerRelationship', kind: 'text', width: 'nhsuk-input--width-20' },
      ],
      { referrerName: text(200), referrerRelationship: text(200) },
      () => 'name',
    ),
    step(
      'name',
      [
        { name: 'givenName', kind: 'text', width: 'nhsuk-input--width-20' },
        { name: 'familyName', kind: 'text', width: 'nhsuk-input--width-20' },
      ],
      { givenName: text(100), familyName: text(100) },
      () => 'date-of-birth',
    ),
    dateOfBirth,
    step('activities', [{ name: 'hardActivities', kind: 'checkboxes', options: activityOptions }], { hardActivities: many(activityOptions, { required: true }) }, () => 'what-matters'),
    step('what-matters', [{ name: 'whatMatters', kind: 'textarea' }], { whatMatters: text(4000) }, () => 'postcode'),
    postcode,
    step('lives-alone', [radios('livesAlone', yesNo)], { livesAlone: choice(yesNo) }, () => 'contact-methods'),
    step('contact-methods', [{ name: 'contactMethods', kind: 'checkboxes', options: contactOptions }], { contactMethods: many(contactOptions, { required: true }) }, () => 'contact-details'),
    contactDetails,
    step('safe-times', [{ name: 'safeTimes', kind: 'textarea', optional: true }], { safeTimes: optionalText(500) }, () => 'leave-message'),
    step('leave-message', [radios('mayLeaveMessage', yesNo)], { mayLeaveMessage: choice(yesNo) }, () => 'adjustments'),
    step(
      'adjustments',
      [
        { name: 'adjustments', kind: 'checkboxes', options: adjustmentOptions, optional: true },
        { name: 'adjustmentsDetail', kind: 'textarea', optional: true },
      ],
      { adjustments: many(adjustmentOptions, { required: false }), adjustmentsDetail: optionalText(2000) },
      () => 'interpreter',
    ),
    step('interpreter', [radios('interpreter', yesNo)], { interpreter: choice(yesNo) }, (a) => (get(a, 'interpreter', 'interpreter') === 'yes' ? 'language' : 'gp')),
    step('language', [{ name: 'language', kind: 'text', width: 'nhsuk-input--width-20' }], { language: text(100) }, () => 'gp'),
    step('gp', [{ name: 'gpPractice', kind: 'text', optional: true }], { gpPractice: optionalText(200) }, () => 'consent'),
    step('consent', [{ name: 'consent', kind: 'consent', options: ['yes'] }], { consent: z.literal('yes', { error: 'required' }) }, () => 'ethnicity'),
    step('ethnicity', [radios('ethnicity', ethnicityOptions, { optional: true })], { ethnicity: optionalChoice(ethnicityOptions) }, () => 'sex'),
    step('sex', [radios('sex', sexOptions, { optional: true })], { sex: optionalChoice(sexOptions) }, () => 'disability'),
    step('disability', [radios('disability', disabilityOptions, { optional: true })], { disability: optionalChoice(disabilityOptions) }, () => 'inclusion'),
    step(
      'inclusion',
      [{ name: 'inclusionGroups', kind: 'checkboxes', options: inclusionOptions, exclusive: 'prefer_not_to_say', optional: true }],
      { inclusionGroups: many(inclusionOptions, { required: false, exclusive: ['none', 'prefer_not_to_say'] }) },
      () => checkAnswers,
    ),
  ],
};

/** Steps the check-your-answers page does not list (no answer of their own). */
export const unlistedSteps = new Set(['urgent-help']);
