/**
 * Self-referral reference numbers: short, easy to read aloud and to type, with a check
 * character that catches a mistyped or swapped character.
 *
 * Alphabet: the digits 2-9 and the capital letters without I, L and O (31 characters). There is
 * no 0/O or 1/I/L to confuse. 31 is prime, so a weighted sum modulo 31 with distinct non-zero
 * weights detects every single-character substitution and every transposition of two
 * characters (adjacent or not) in a code of up to 30 characters: for a substitution a -> b at
 * weight w, (a - b) * w is not 0 mod 31; for a swap of a and b at weights u and v,
 * (a - b) * (u - v) is not 0 mod 31. The method is that of ISO/IEC 7064's pure systems, with
 * position weights 1, 2, 3, ... rather than powers of a radix.
 *
 * A reference is 8 random characters and 1 check character (31^8, about 8.5 x 10^11 codes),
 * written in three groups of three (K7D-4MX-2QP) for reading aloud. Pure: randomness comes in.
 */
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const modulus = referenceAlphabet.length; // 31, prime
export const referenceDataLength = 8;
export const referenceLength = referenceDataLength + 1;

function valuesOf(text: string): number[] | null {
  const values: number[] = [];
  for (const character of text) {
    const value = referenceAlphabet.indexOf(character);
    if (value < 0) return null;
    values.push(value);
  }
  return values;
}

/** The weighted sum the check character closes to 0 mod 31 (weights 1..n over data, n+1 for the check). */
function weightedSum(values: readonly number[]): number {
  return values.reduce((sum, value, index) => (sum + value * (index + 1)) % modulus, 0);
}

/** The modular inverse by Fermat (31 is prime): x^(p-2) mod p. */
function inverse(value: number): number {
  let result = 1;
  for (let i = 0; i < modulus - 2; i++) result = (result * value) % modulus;
  return result;
}

/** The check character for data characters (from the alphabet). */
export function checkCharacter(data: string): string {
  const values = valuesOf(data);
  if (!values || values.length === 0 || values.length >= modulus - 1) throw new Error('Reference data must be 1 to 29 characters of the reference alphabet');
  // sum + (n + 1) * c = 0 (mod 31)  =>  c = -sum * inverse(n + 1)
  const sum = weightedSum(values);
  const check = (((modulus - sum) % modulus) * inverse(values.length + 1)) % modulus;
  return referenceAlphabet[check]!;
}

/**
 * A new reference from random integers (one per data character, any non-negative integers:
 * each is taken modulo 31). Pass crypto.randomInt-backed values in production.
 */
export function makeReference(random: readonly number[]): string {
  if (random.length !== referenceDataLength) throw new Error(`A reference needs ${referenceDataLength} random values`);
  const data = random.map((value) => referenceAlphabet[Math.abs(Math.trunc(value)) % modulus]).join('');
  return data + checkCharacter(data);
}

/** Upper case, without spaces and hyphens: how a reference is stored. */
export function normaliseReference(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/** True for a well-formed reference whose check character matches (after normalising). */
export function isValidReference(text: string): boolean {
  const reference = normaliseReference(text);
  if (reference.length !== referenceLength) return false;
  const values = valuesOf(reference);
  return values !== null && weightedSum(values) === 0;
}

/** K7D4MX2QP -> K7D-4MX-2QP, for reading aloud. */
export function formatReference(reference: string): string {
  return normaliseReference(reference).replace(/(.{3})(?=.)/g, '$1-');
}
