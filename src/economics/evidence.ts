/**
 * The evidence register's rules, as pure functions: what a figure is (one zod schema for every
 * boundary: the CLI import, the administrators' form and the API), which figures may stand in a
 * headline, and when a unit-cost pack's basis has changed between editions.
 *
 * Kinds (after the HM Treasury Green Book and the SROI guide's distinction of gross from net):
 * - `unit_cost`: a price of a unit of resource or of an outcome's value (a GP hour, a year in work);
 * - `gross_outcome_rate`: how often an outcome happened, with no comparison (before deadweight);
 * - `net_effect`: a difference against a comparison group, so deadweight and attribution are
 *   already taken (economics/sroi.ts forces attribution to 1 for these);
 * - `return_ratio`: a published return on investment (value per £1), never re-used as an input
 *   to another chain without saying so;
 * - `assumption`: a value chosen, not measured (a discount rate, a drop-off);
 * - `count`: a number of people or events.
 */
import { z } from 'zod';

export const evidencePacks = ['report', 'open', 'non_commercial', 'local'] as const;
export const evidenceKinds = ['unit_cost', 'gross_outcome_rate', 'net_effect', 'return_ratio', 'assumption', 'count'] as const;
export const evidenceConfidence = ['high', 'moderate', 'low'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));
const year = z.number().int().min(1900).max(2200);

/** One figure as it enters the register (a new key, or a new version of an existing one). */
export const evidenceFigureInput = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,79}$/, 'a key is 2 to 80 small letters, digits, dots, hyphens or underscores'),
    pack: z.enum(evidencePacks),
    edition: text(80),
    label: text(300),
    kind: z.enum(evidenceKinds),
    low: z.number().finite().nullish().transform((value) => value ?? null),
    central: z.number().finite(),
    high: z.number().finite().nullish().transform((value) => value ?? null),
    unit: text(80),
    priceYear: year.nullish().transform((value) => value ?? null),
    geography: text(80),
    source: z.object({
      title: text(500),
      organisation: text(200),
      year: year.nullish().transform((value) => value ?? null),
      locator: optionalText(200),
      url: z
        .string()
        .trim()
        .url()
        .max(1000)
        .nullish()
        .transform((value) => value ?? null),
      reportReference: optionalText(40),
    }),
    licence: text(200),
    confidence: z.enum(evidenceConfidence),
    traced: z.boolean(),
    notes: optionalText(4000),
  })
  .strict()
  .superRefine((figure, context) => {
    if (figure.low !== null && figure.low > figure.central) context.addIssue({ code: 'custom', path: ['low'], message: 'the low value must not be above the central value' });
    if (figure.high !== null && figure.high < figure.central) context.addIssue({ code: 'custom', path: ['high'], message: 'the high value must not be below the central value' });
    if (figure.kind === 'unit_cost' && figure.priceYear === null) context.addIssue({ code: 'custom', path: ['priceYear'], message: 'a unit cost needs the price year its money is in' });
    if (figure.kind === 'gross_outcome_rate' && (figure.central < 0 || figure.central > 1)) context.addIssue({ code: 'custom', path: ['central'], message: 'an outcome rate is a proportion between 0 and 1' });
  });

export type EvidenceFigureInput = z.output<typeof evidenceFigureInput>;

/** A figure as the register holds it: the input with its version and who recorded it. */
export interface EvidenceFigure extends EvidenceFigureInput {
  id: number;
  version: number;
  recordedBy: string;
  recordedAt: string;
  /** Untraced figures accepted for headline use: the latest acceptance, if any. */
  acceptance: { reason: string; by: string; at: string } | null;
}

/**
 * Whether a figure may stand in a headline (the first page of an impact report, the business
 * case's summary): traced to its primary source, or untraced but accepted by a named person with
 * a reason. Figures of the optional non-commercial pack are never headline figures by default.
 */
export function headlineEligible(figure: Pick<EvidenceFigure, 'traced' | 'acceptance' | 'pack'>): { eligible: boolean; why: string } {
  if (figure.pack === 'non_commercial' && !figure.acceptance) return { eligible: false, why: 'licensed for non-commercial use only: accept it to use it in a headline' };
  if (figure.traced) return { eligible: true, why: 'traced to its primary source' };
  if (figure.acceptance) return { eligible: true, why: `untraced, accepted by ${figure.acceptance.by}: ${figure.acceptance.reason}` };
  return { eligible: false, why: 'not traced to a primary source: kept out of headlines unless someone accepts it' };
}

export interface BasisChange {
  key: string;
  from: { version: number; edition: string; unit: string; priceYear: number | null; geography: string };
  to: { version: number; edition: string; unit: string; priceYear: number | null; geography: string };
  /** What changed, in words: the unit, the price year or the geography. */
  changes: string[];
}

/**
 * Warnings for figures whose basis changed between versions: a new edition of a unit-cost pack
 * often re-bases (another price year, a cost per hour with or without qualifications, England
 * rather than the UK), and a business case that compares across the change must say so.
 * `versions` are all versions of one or more keys, in any order.
 */
export function basisChanges(versions: readonly Pick<EvidenceFigure, 'key' | 'version' | 'edition' | 'unit' | 'priceYear' | 'geography'>[]): BasisChange[] {
  const byKey = new Map<string, (typeof versions)[number][]>();
  for (const figure of versions) byKey.set(figure.key, [...(byKey.get(figure.key) ?? []), figure]);
  const warnings: BasisChange[] = [];
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.version - b.version);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      const changes: string[] = [];
      if (before.unit !== after.unit) changes.push(`unit: ${before.unit} → ${after.unit}`);
      if (before.priceYear !== after.priceYear) changes.push(`price year: ${before.priceYear ?? 'none'} → ${after.priceYear ?? 'none'}`);
      if (before.geography !== after.geography) changes.push(`geography: ${before.geography} → ${after.geography}`);
      if (changes.length > 0) {
        const pick = (f: typeof before) => ({ version: f.version, edition: f.edition, unit: f.unit, priceYear: f.priceYear, geography: f.geography });
        warnings.push({ key, from: pick(before), to: pick(after), changes });
      }
    }
  }
  return warnings;
}
