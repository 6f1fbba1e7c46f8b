import { z } from 'zod';
import * as codes from '../domain/codes.ts';
import type { ReferralRecord } from './referral.record.ts';

/**
 * A completed public self-referral (/refer) as the domain takes it: every answer, validated
 * again here at the boundary (the web journey validated each step; this checks the whole).
 * Option lists are shared with the journey's steps (src/web/journeys/self-referral/steps.ts).
 */
type Options = readonly [string, ...string[]];
export const yesNo = ['yes', 'no'] as const;
export const referredByOptions = ['self', 'parent_or_carer', 'other'] as const;
export const activityOptions = ['washing_dressing', 'cooking_eating', 'housework', 'shopping', 'getting_out', 'work_study', 'caring', 'hobbies', 'sleep', 'money', 'something_else'] as const;
export const contactOptions = ['phone', 'text', 'email', 'letter'] as const;
export const adjustmentOptions = ['large_print', 'easy_read', 'bsl', 'hearing_loop', 'step_free', 'longer_appointments', 'someone_with_me', 'quiet_space'] as const;
export const ethnicityOptions = [...codes.ethnicCategory.values.filter((code) => code !== 'Z' && code !== '99'), 'prefer_not_to_say'] as unknown as Options;
export const sexOptions = ['female', 'male', 'prefer_not_to_say'] as const;
export const disabilityOptions = ['yes', 'no', 'prefer_not_to_say'] as const;
export const inclusionOptions = [...codes.inclusionGroup.values, 'none', 'prefer_not_to_say'] as unknown as Options;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const line = (max: number) => z.string().trim().min(1).max(max);

export const selfReferralAnswersSchema = z
  .object({
    urgent: z.enum(yesNo),
    referredBy: z.enum(referredByOptions),
    referrerName: line(200).optional(),
    referrerRelationship: line(200).optional(),
    givenName: line(100),
    familyName: line(100),
    dateOfBirth: isoDate,
    hardActivities: z.array(z.enum(activityOptions)).min(1),
    whatMatters: line(4000),
    postcode: z.string().regex(/^[A-Z0-9 ]{5,8}$/).optional(),
    noFixedAddress: z.boolean(),
    livesAlone: z.enum(yesNo),
    contactMethods: z.array(z.enum(contactOptions)).min(1),
    phone: line(30).optional(),
    email: line(200).optional(),
    address: line(500).optional(),
    safeTimes: line(500).optional(),
    mayLeaveMessage: z.enum(yesNo),
    adjustments: z.array(z.enum(adjustmentOptions)).default([]),
    adjustmentsDetail: line(2000).optional(),
    interpreter: z.enum(yesNo),
    language: line(100).optional(),
    gpPractice: line(200).optional(),
    consent: z.literal('yes'),
    ethnicity: z.enum(ethnicityOptions).optional(),
    sex: z.enum(sexOptions).optional(),
    disability: z.enum(disabilityOptions).optional(),
    inclusionGroups: z.array(z.enum(inclusionOptions)).default([]),
  })
  .strict()
  .superRefine((answers, ctx) => {
    const need = (condition: boolean, field: string) => {
      if (condition) ctx.addIssue({ code: 'custom', path: [field], message: 'is required by an earlier answer' });
    };
    need(answers.referredBy !== 'self' && (!answers.referrerName || !answers.referrerRelationship), 'referrerName');
    need(!answers.noFixedAddress && !answers.postcode, 'postcode');
    need((answers.contactMethods.includes('phone') || answers.contactMethods.includes('text')) && !answers.phone, 'phone');
    need(answers.contactMethods.includes('email') && !answers.email, 'email');
    need(answers.contactMethods.includes('letter') && !answers.address, 'address');
    need(answers.interpreter === 'yes' && !answers.language, 'language');
  });
export type SelfReferralAnswers = z.infer<typeof selfReferralAnswersSchema>;

const sexCode: Record<string, codes.StatedGender> = { female: '2', male: '1' };
const disabilityValue: Record<string, boolean> = { yes: true, no: false };

/**
 * The referral record for `writeReferrals`: source "self" (a referral from the public, made by
 * the person or by someone on their behalf: who referred is kept in self_referral.referred_by),
 * the postcode resolved by the write path like any other, the urgent answer as urgent risk.
 * Each self-referral is a new person (source ids SELF-<reference>): the public journey cannot
 * match people safely; staff merge records at triage.
 */
export function selfReferralRecord(answers: SelfReferralAnswers, reference: string, receivedOn: string): ReferralRecord {
  const id = `SELF-${reference}`;
  return {
    sourceRecordId: id,
    person: {
      sourcePersonId: id,
      nhsNumber: null,
      givenName: answers.givenName,
      familyName: answers.familyName,
      dateOfBirth: answers.dateOfBirth,
      sex: answers.sex ? (sexCode[answers.sex] ?? 'X') : null,
      // "Prefer not to say" is the Data Dictionary's Z (not stated); no answer is unknown.
      ethnicity: answers.ethnicity === 'prefer_not_to_say' ? 'Z' : ((answers.ethnicity as codes.EthnicCategory | undefined) ?? null),
      postcode: answers.noFixedAddress ? null : (answers.postcode ?? null),
      postcodeGiven: !answers.noFixedAddress && answers.postcode !== undefined,
      areaCode: null,
      noFixedAddress: answers.noFixedAddress,
      disability: answers.disability ? (disabilityValue[answers.disability] ?? null) : null,
      inclusionGroups: answers.inclusionGroups.filter((group): group is codes.InclusionGroup => (codes.inclusionGroup.values as string[]).includes(group)),
      // The language is free text (the person's words); the coded column takes ISO codes only.
      language: null,
      interpreterNeeded: answers.interpreter === 'yes',
      livesAlone: answers.livesAlone === 'yes',
    },
    referral: { receivedOn, source: 'self', urgentRisk: answers.urgent === 'yes' },
    triage: null,
    waiting: null,
    discharge: null,
    outcome: null,
  };
}
