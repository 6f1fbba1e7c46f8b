import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCharacter, formatReference, isValidReference, makeReference, normaliseReference, referenceAlphabet, referenceDataLength } from './reference-number.ts';

const randomValues = fc.array(fc.nat({ max: 10_000 }), { minLength: referenceDataLength, maxLength: referenceDataLength });

describe('self-referral reference numbers', () => {
  it('uses 31 characters with no 0, O, 1, I or L', () => {
    expect(referenceAlphabet).toHaveLength(31);
    expect(new Set(referenceAlphabet).size).toBe(31);
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(referenceAlphabet).not.toContain(ambiguous);
  });

  it('computes the check character by hand for a worked example', () => {
    // Data "22222222": every value 0, weighted sum 0, so the check is the value 0: "2".
    expect(checkCharacter('22222222')).toBe('2');
    // Data "32222222": value 1 at weight 1; sum 1; 9c = -1 = 30 (mod 31); 9^-1 = 7 (63 = 2*31 + 1); c = 30*7 mod 31 = 210 mod 31 = 24 -> 'T'.
    expect(referenceAlphabet[24]).toBe('T');
    expect(checkCharacter('32222222')).toBe('T');
    expect(isValidReference('32222222T')).toBe(true);
    expect(isValidReference('32222222U')).toBe(false);
  });

  it('makes valid references of 9 characters from the alphabet only', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        const reference = makeReference(values);
        expect(reference).toMatch(/^[2-9A-HJKMNP-Z]{9}$/);
        expect(isValidReference(reference)).toBe(true);
      }),
    );
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(randomValues, fc.nat({ max: 8 }), fc.nat({ max: 29 }), (values, position, shift) => {
        const reference = makeReference(values);
        const index = referenceAlphabet.indexOf(reference[position]!);
        const replaced = referenceAlphabet[(index + 1 + shift) % 31]!;
        const wrong = reference.slice(0, position) + replaced + reference.slice(position + 1);
        expect(wrong).not.toBe(reference);
        expect(isValidReference(wrong)).toBe(false);
      }),
    );
  });

  it('detects every transposition of two different characters', () => {
    fc.assert(
      fc.property(randomValues, fc.nat({ max: 8 }), fc.nat({ max: 8 }), (values, i, j) => {
        const reference = makeReference(values);
        fc.pre(i !== j && reference[i] !== reference[j]);
        const characters = [...reference];
        [characters[i], characters[j]] = [characters[j]!, characters[i]!];
        expect(isValidReference(characters.join(''))).toBe(false);
      }),
    );
  });

  it('reads a reference written with hyphens, spaces or small letters', () => {
    fc.assert(
      fc.property(randomValues, (values) => {
        const reference = makeReference(values);
        const written = formatReference(reference);
        expect(written).toMatch(/^.{3}-.{3}-.{3}$/);
        expect(normaliseReference(written.toLowerCase().replace('-', ' '))).toBe(reference);
        expect(isValidReference(written.toLowerCase())).toBe(true);
      }),
    );
  });

  it('refuses characters outside the alphabet and wrong lengths', () => {
    expect(isValidReference('O2222222' + checkCharacter('22222222'))).toBe(false);
    expect(isValidReference('2222222')).toBe(false);
    expect(() => makeReference([1, 2, 3])).toThrow();
  });
});
