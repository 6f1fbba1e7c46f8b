import type { ReferralStatus, TriageOutcome } from '../domain/codes.ts';
import type { ReferralRecord } from './referral.record.ts';

/**
 * The referral's journey as states (the table: docs/states.md when the staff screens land).
 * `referral.status` is a cache of these rules, written by the one writer of each change: the
 * import (from the source's record) or staff in Roots (triage.service.ts).
 */

/** The status a source's record gives a referral. */
export function referralStatus(record: ReferralRecord): ReferralStatus {
  switch (record.triage?.outcome) {
    case 'advice_discharge':
      return 'advice_discharged';
    case 'redirect':
      return 'redirected';
    case 'return_to_referrer':
      return 'returned';
    case 'accept':
      if (record.discharge) return 'discharged';
      return record.waiting?.firstContactOn ? 'in_treatment' : 'waiting';
    default:
      return record.discharge ? 'discharged' : 'received';
  }
}

/**
 * The status after staff triage a referral in Roots. An accepted referral already seen or
 * discharged keeps that state: triage again (a new pathway or priority) does not send it back
 * to the waiting list.
 */
export function statusAfterTriage(outcome: TriageOutcome, current: ReferralStatus): ReferralStatus {
  switch (outcome) {
    case 'accept':
      return current === 'in_treatment' || current === 'discharged' ? current : 'waiting';
    case 'advice_discharge':
      return 'advice_discharged';
    case 'redirect':
      return 'redirected';
    case 'return_to_referrer':
      return 'returned';
  }
}
