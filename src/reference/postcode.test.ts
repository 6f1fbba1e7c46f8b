import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePostcode, parsePostcode } from './postcode.ts';

describe('postcode normalisation', () => {
  it.each([
    ['DT1 1AA', 'DT1 1AA'],
    ['dt11aa', 'DT1 1AA'],
    ['  Dt1   1aA ', 'DT1 1AA'],
    ['DT1 OAA', 'DT1 0AA'], // letter O for zero in the inward code
    ['dt1o aa', 'DT1 0AA'],
    ['WC1A 1AA', 'WC1A 1AA'],
    ['wc1a1aa', 'WC1A 1AA'],
    ['SM1-1AA', 'SM1 1AA'],
    ['M1 1AE', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
  ])('%s -> %s', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  it.each(['', 'DT1', 'not a postcode', '12345', 'DT1 1A', 'DTT1 1AA', 'DT1 AAA'])('refuses %j with a reason', (input) => {
    const parsed = parsePostcode(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/postcode/);
  });

  it('is idempotent and ignores case and spacing', () => {
    const postcode = fc
      .tuple(
        fc.stringMatching(/^[A-Z]{1,2}[0-9][0-9A-Z]?$/),
        fc.stringMatching(/^[0-9][A-Z]{2}$/),
      )
      .map(([outward, inward]) => `${outward} ${inward}`);
    fc.assert(
      fc.property(postcode, fc.boolean(), (code, lower) => {
        const messy = (lower ? code.toLowerCase() : code).replace(' ', '   ');
        const once = normalisePostcode(messy);
        return once === code && normalisePostcode(once!) === once;
      }),
    );
  });
});
