import { describe, expect, it } from 'vitest';
import { referralStatus as statusCodes, triageOutcome } from '../domain/codes.ts';
import { canTransition, mayTriage, nextState, referralEvents, referralStates, stateAfterTriage, statusAfterTriage, type ReferralState } from './referral.state.ts';

/**
 * The transition table of docs/states.md, written out pair by pair: every (from, to) pair of
 * states is either allowed (listed here) or refused. A change to referral.state.ts that is not
 * also made here (and in docs/states.md) fails.
 */
const allowed: Record<ReferralState, ReferralState[]> = {
  received: ['triaged', 'advice_discharged', 'redirected', 'returned'],
  triaged: ['waiting'],
  waiting: ['waiting', 'advice_discharged', 'redirected', 'returned', 'allocated', 'in_treatment', 'discharged'],
  allocated: ['allocated', 'waiting', 'in_treatment', 'discharged'],
  in_treatment: ['in_treatment', 'discharged'],
  discharged: ['discharged'],
  advice_discharged: ['triaged', 'advice_discharged', 'redirected', 'returned'],
  redirected: ['triaged', 'advice_discharged', 'redirected', 'returned'],
  returned: ['triaged', 'advice_discharged', 'redirected', 'returned'],
};

describe('referral states', () => {
  for (const from of referralStates) {
    for (const to of referralStates) {
      const expected = allowed[from].includes(to);
      it(`${from} -> ${to}: ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }

  it('lists every stored status among the states', () => {
    for (const status of statusCodes.values) expect(referralStates).toContain(status);
  });

  it('leads each event to one state or refuses it', () => {
    expect(nextState('received', 'triage_accept')).toBe('triaged');
    expect(nextState('triaged', 'join_waiting_list')).toBe('waiting');
    expect(nextState('waiting', 'allocate')).toBe('allocated');
    expect(nextState('allocated', 'first_contact')).toBe('in_treatment');
    expect(nextState('in_treatment', 'discharge')).toBe('discharged');
    expect(nextState('received', 'discharge')).toBeNull();
    expect(nextState('discharged', 'triage_accept')).toBe('discharged');
    expect(nextState('discharged', 'triage_redirect')).toBeNull();
    expect(nextState('returned', 'triage_accept')).toBe('triaged');
    for (const event of ['join_waiting_list', 'allocate', 'release_allocation', 'first_contact', 'discharge'] as const) expect(nextState('returned', event)).toBeNull();
    expect(referralEvents).toHaveLength(9);
  });

  it('puts an accepted new referral on the waiting list through triaged', () => {
    expect(stateAfterTriage('accept', 'received')).toBe('waiting');
    expect(statusAfterTriage('accept', 'received')).toBe('waiting');
    expect(statusAfterTriage('accept', 'in_treatment')).toBe('in_treatment');
    expect(statusAfterTriage('redirect', 'waiting')).toBe('redirected');
    expect(statusAfterTriage('return_to_referrer', 'received')).toBe('returned');
    expect(statusAfterTriage('advice_discharge', 'received')).toBe('advice_discharged');
  });

  it('reopens an e-RS outcome by a new decision, and only corrects a discharged referral', () => {
    expect(statusAfterTriage('accept', 'redirected')).toBe('waiting');
    expect(statusAfterTriage('accept', 'returned')).toBe('waiting');
    expect(statusAfterTriage('accept', 'discharged')).toBe('discharged');
    for (const outcome of ['advice_discharge', 'redirect', 'return_to_referrer'] as const) {
      expect(() => statusAfterTriage(outcome, 'discharged')).toThrow(/cannot be recorded/);
      expect(() => statusAfterTriage(outcome, 'in_treatment')).toThrow(/cannot be recorded/);
    }
    for (const state of ['received', 'waiting', 'allocated', 'in_treatment', 'discharged', 'advice_discharged', 'redirected', 'returned'] as const) expect(mayTriage(state)).toBe(true);
    expect(mayTriage('triaged')).toBe(false);
  });

});
