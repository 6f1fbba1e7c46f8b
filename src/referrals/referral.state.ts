import type { ReferralStatus, TriageOutcome } from '../domain/codes.ts';
import type { ReferralRecord } from './referral.record.ts';

/**
 * The referral's journey as states and the one table of transitions between them
 * (docs/states.md, tested pair by pair in referral.state.test.ts). `referral.status` is a cache
 * of these rules, written by the one writer of each change: the import (from the source's
 * record) or staff in Roots (src/triage/triage.service.ts). Every change staff make goes through
 * `nextState`; nothing else decides what a referral may become.
 */

/**
 * Every state. `triaged` and `allocated` are states of the journey that are not (yet) stored:
 * accepting a referral at triage puts it on the waiting list in the same transaction
 * (triaged -> waiting), and allocation (src/allocation/, to come) will store `allocated` with
 * its own migration.
 */
export const referralStates = [
  'received',
  'triaged',
  'waiting',
  'allocated',
  'in_treatment',
  'discharged',
  'advice_discharged',
  'redirected',
  'returned',
] as const;
export type ReferralState = (typeof referralStates)[number];

/** What happens to a referral. A triage decision is one event per e-RS review outcome. */
export const referralEvents = [
  'triage_accept',
  'triage_advice_discharge',
  'triage_redirect',
  'triage_return_to_referrer',
  'join_waiting_list',
  'allocate',
  'release_allocation',
  'first_contact',
  'discharge',
] as const;
export type ReferralEvent = (typeof referralEvents)[number];

/** The triage event for each e-RS shaped outcome. */
export const triageEvent: Record<TriageOutcome, ReferralEvent> = {
  accept: 'triage_accept',
  advice_discharge: 'triage_advice_discharge',
  redirect: 'triage_redirect',
  return_to_referrer: 'triage_return_to_referrer',
};

/** A referral whose e-RS outcome a new triage decision revisits. */
const reopenedByTriage: Readonly<Partial<Record<ReferralEvent, ReferralState>>> = {
  triage_accept: 'triaged',
  triage_advice_discharge: 'advice_discharged',
  triage_redirect: 'redirected',
  triage_return_to_referrer: 'returned',
};

/**
 * The transition table: from a state, each event allowed and the state it leads to. An event
 * not listed for a state is refused. Re-triage (a new decision on a referral already on the
 * list or in treatment) is allowed and changes its pathway or priority; the e-RS outcomes
 * (advice and discharge, redirected, returned to referrer) end the journey unless a new
 * decision reopens it; discharge ends it (a new decision only corrects pathway or priority).
 */
export const transitions: Readonly<Record<ReferralState, Readonly<Partial<Record<ReferralEvent, ReferralState>>>>> = {
  received: {
    triage_accept: 'triaged',
    triage_advice_discharge: 'advice_discharged',
    triage_redirect: 'redirected',
    triage_return_to_referrer: 'returned',
  },
  triaged: {
    join_waiting_list: 'waiting',
  },
  waiting: {
    triage_accept: 'waiting',
    triage_advice_discharge: 'advice_discharged',
    triage_redirect: 'redirected',
    triage_return_to_referrer: 'returned',
    allocate: 'allocated',
    first_contact: 'in_treatment',
    discharge: 'discharged',
  },
  allocated: {
    triage_accept: 'allocated',
    release_allocation: 'waiting',
    first_contact: 'in_treatment',
    discharge: 'discharged',
  },
  in_treatment: {
    triage_accept: 'in_treatment',
    discharge: 'discharged',
  },
  // Re-triage a discharged referral: its pathway or priority is corrected, it stays discharged.
  discharged: {
    triage_accept: 'discharged',
  },
  // An e-RS outcome can be revisited by a new decision (the referrer answered a returned
  // referral; an imported triage is corrected): the referral is triaged again, as if received.
  advice_discharged: reopenedByTriage,
  redirected: reopenedByTriage,
  returned: reopenedByTriage,
};

/** The state an event leads to from `from`, or null when the table refuses it. */
export function nextState(from: ReferralState, event: ReferralEvent): ReferralState | null {
  return transitions[from][event] ?? null;
}

/** Whether some event leads from `from` to `to` (a state to itself only through a listed event). */
export function canTransition(from: ReferralState, to: ReferralState): boolean {
  return Object.values(transitions[from]).includes(to);
}

/** Whether a triage decision may be recorded on a referral in this state. */
export function mayTriage(state: ReferralState): boolean {
  return nextState(state, 'triage_accept') !== null || nextState(state, 'triage_redirect') !== null;
}

/**
 * The state a triage decision leaves a referral in, through the table: for an accepted referral
 * just received, received -> triaged -> waiting (the clock starts in the same transaction).
 * Null when the table refuses the decision in this state.
 */
export function stateAfterTriage(outcome: TriageOutcome, current: ReferralState): ReferralState | null {
  const after = nextState(current, triageEvent[outcome]);
  if (after === 'triaged') return nextState(after, 'join_waiting_list');
  return after;
}

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
 * The stored status after staff triage a referral in Roots (stateAfterTriage, stored). An
 * accepted referral already seen keeps that state. Throws when the table refuses the decision;
 * the triage service checks `mayTriage` first and answers the person properly.
 */
export function statusAfterTriage(outcome: TriageOutcome, current: ReferralStatus): ReferralStatus {
  const after = stateAfterTriage(outcome, current);
  if (after === null || after === 'triaged' || after === 'allocated') throw new Error(`A ${outcome} decision cannot be recorded on a referral that is ${current}.`);
  return after;
}
