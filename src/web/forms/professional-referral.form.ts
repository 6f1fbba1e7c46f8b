import { z } from 'zod';
import { isCalendarDate } from '../../domain/dates.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { parsePostcode } from '../../reference/postcode.ts';
import { referralRowSchema, type ReferralRecord } from '../../imports/referral-row.schema.ts';

/**
 * The staff form for a professional referral (`/services/:service/referrals/new`): one page, the
 * NHS date input for dates, every problem reported at once by field and content key
 * (src/web/content: `referralForm.errors`), so the route shows them in the page's language in the
 * NHS error summary. The answers become cells of the referral row layout and go through the same
 * row schema as every import and the API (an impossible NHS number, a birth date after the
 * referral), so a referral is the same whichever way it came in.
 */
export const professionalReferralSources = ['gp', 'primary_care', 'secondary_care', 'mental_health', 'social_care', 'education', 'employer', 'voluntary_sector', 'other'] as const;
export const formSexes = ['2', '1', '9', 'X'] as const;

const field = (max: number) => z.string().max(max).default('');
export const professionalReferralFields = z.object({
  submission: z.string().regex(/^[0-9a-f-]{36}$/, { message: 'is not a form submission id' }),
  givenName: field(100),
  familyName: field(100),
  nhsNumber: field(20),
  'dob-day': field(4),
  'dob-month': field(4),
  'dob-year': field(6),
  sex: field(2),
  ethnicity: field(3),
  postcode: field(16),
  'received-day': field(4),
  'received-month': field(4),
  'received-year': field(6),
  source: field(40),
  reason: field(4000),
  referrerName: field(200),
  referrerOrganisation: field(200),
  referrerContact: field(200),
  _csrf: z.string().max(200).optional(),
});
export type ProfessionalReferralFields = z.infer<typeof professionalReferralFields>;

export type ReferralFormError =
  | 'givenNameMissing'
  | 'familyNameMissing'
  | 'nhsNumberInvalid'
  | 'dobMissing'
  | 'dobInvalid'
  | 'dobAfterReceived'
  | 'sexMissing'
  | 'postcodeInvalid'
  | 'receivedMissing'
  | 'receivedInvalid'
  | 'receivedFuture'
  | 'sourceMissing'
  | 'reasonMissing'
  | 'referrerNameMissing';

export interface ReferralFormProblem {
  /** The id of the input the error summary links to. */
  field: string;
  key: ReferralFormError;
}

export type ProfessionalReferralForm =
  | { ok: true; record: ReferralRecord; reason: string; referrer: { name: string; organisation: string | null; contact: string | null }; submission: string }
  | { ok: false; errors: ReferralFormProblem[] };

function dateOf(day: string, month: string, year: string): string | null | 'invalid' {
  if (!day.trim() && !month.trim() && !year.trim()) return null;
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return 'invalid';
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : 'invalid';
}

/** Parses the form; `today` bounds the dates. */
export function parseProfessionalReferral(fields: ProfessionalReferralFields, today: string): ProfessionalReferralForm {
  const errors: ReferralFormProblem[] = [];
  const givenName = fields.givenName.trim();
  const familyName = fields.familyName.trim();
  const nhsNumber = fields.nhsNumber.replace(/[\s-]/g, '');
  const reason = fields.reason.trim();
  const referrerName = fields.referrerName.trim();
  if (!givenName) errors.push({ field: 'givenName', key: 'givenNameMissing' });
  if (!familyName) errors.push({ field: 'familyName', key: 'familyNameMissing' });
  const dob = dateOf(fields['dob-day'], fields['dob-month'], fields['dob-year']);
  if (dob === null) errors.push({ field: 'dob-day', key: 'dobMissing' });
  if (dob === 'invalid') errors.push({ field: 'dob-day', key: 'dobInvalid' });
  if (!(formSexes as readonly string[]).includes(fields.sex)) errors.push({ field: 'sex', key: 'sexMissing' });
  const received = dateOf(fields['received-day'], fields['received-month'], fields['received-year']);
  if (received === null) errors.push({ field: 'received-day', key: 'receivedMissing' });
  if (received === 'invalid') errors.push({ field: 'received-day', key: 'receivedInvalid' });
  if (typeof received === 'string' && received !== 'invalid' && received > today) errors.push({ field: 'received-day', key: 'receivedFuture' });
  if (typeof dob === 'string' && dob !== 'invalid' && typeof received === 'string' && received !== 'invalid' && dob > received) errors.push({ field: 'dob-day', key: 'dobAfterReceived' });
  if (!(professionalReferralSources as readonly string[]).includes(fields.source)) errors.push({ field: 'source', key: 'sourceMissing' });
  if (!reason) errors.push({ field: 'reason', key: 'reasonMissing' });
  if (!referrerName) errors.push({ field: 'referrerName', key: 'referrerNameMissing' });

  // The same row schema as every other way in: it checks the NHS number (Modulus 11) and the postcode.
  const cells: Record<string, string> = {
    source_record_id: `urn:roots:staff-form|${fields.submission}`,
    person_id: nhsNumber ? `nhs-number|${nhsNumber}` : `urn:roots:staff-form|${fields.submission}`,
    referral_received: typeof received === 'string' && received !== 'invalid' ? received : today,
    referral_source: (professionalReferralSources as readonly string[]).includes(fields.source) ? fields.source : 'other',
    given_name: givenName || 'x',
    family_name: familyName || 'x',
    ...(typeof dob === 'string' && dob !== 'invalid' ? { date_of_birth: dob } : {}),
    ...(nhsNumber ? { nhs_number: nhsNumber } : {}),
    ...((formSexes as readonly string[]).includes(fields.sex) ? { sex: fields.sex } : {}),
    ...(fields.ethnicity.trim() ? { ethnicity: fields.ethnicity.trim() } : {}),
    ...(fields.postcode.trim() ? { postcode: fields.postcode.trim() } : {}),
  };
  const parsed = referralRowSchema({ today }).safeParse(cells);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? '');
      if (column === 'nhs_number' && !errors.some((e) => e.field === 'nhsNumber')) errors.push({ field: 'nhsNumber', key: 'nhsNumberInvalid' });
      if (column === 'postcode' && !errors.some((e) => e.field === 'postcode')) errors.push({ field: 'postcode', key: 'postcodeInvalid' });
    }
  }
  // A postcode that is not well formed is kept as "invalid postcode" by the row schema: on a form, ask again.
  if (fields.postcode.trim() && !parsePostcode(fields.postcode.trim()).ok && !errors.some((e) => e.field === 'postcode')) errors.push({ field: 'postcode', key: 'postcodeInvalid' });
  if (errors.length > 0) return { ok: false, errors };
  // Anything else the row schema refuses was not typed into this form (a tampered choice): refused whole.
  if (!parsed.success) throw new RootsError('BAD_REQUEST', { detail: 'The form was changed before it was sent: reload it and try again.' });
  return {
    ok: true,
    record: parsed.data,
    reason,
    referrer: { name: referrerName, organisation: fields.referrerOrganisation.trim() || null, contact: fields.referrerContact.trim() || null },
    submission: fields.submission,
  };
}
