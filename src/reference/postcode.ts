/**
 * UK postcode normalisation. People and systems write postcodes in many ways ("dt11aa",
 * "DT1  1AA", "DT1 IAA"...). Roots stores one form: upper case, outward code, one space,
 * inward code. Letter O written for zero at the start of the inward code (always a digit) is
 * corrected. Anything that still does not look like a postcode is reported as invalid; a
 * well-formed postcode missing from the reference data is kept and marked unknown elsewhere.
 */
const OUTWARD = /^[A-Z]{1,2}[0-9][0-9A-Z]?$/;
const INWARD = /^[0-9][A-Z]{2}$/;

export type PostcodeParse = { ok: true; postcode: string; outward: string; inward: string } | { ok: false; reason: string };

export function parsePostcode(input: string): PostcodeParse {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length < 5 || compact.length > 7) {
    return { ok: false, reason: 'a postcode has 5 to 7 letters and numbers, like DT1 1AA' };
  }
  let inward = compact.slice(-3);
  const outward = compact.slice(0, -3);
  if (inward[0] === 'O') inward = `0${inward.slice(1)}`;
  if (!OUTWARD.test(outward) || !INWARD.test(inward)) {
    return { ok: false, reason: 'not a UK postcode; it should look like DT1 1AA' };
  }
  return { ok: true, postcode: `${outward} ${inward}`, outward, inward };
}

/** The normalised postcode, or null when the input is not a postcode. */
export function normalisePostcode(input: string): string | null {
  const parsed = parsePostcode(input);
  return parsed.ok ? parsed.postcode : null;
}

/** Postcode district (outward code), a coarse geography safe to show in aggregates. */
export function postcodeDistrict(postcode: string): string | null {
  const parsed = parsePostcode(postcode);
  return parsed.ok ? parsed.outward : null;
}
