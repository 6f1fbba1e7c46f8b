import type { Kysely } from 'kysely';
import { z } from 'zod';
import { actorLabel, type Actor } from '../access/actor.ts';
import { mayAcceptEvidence, mayEditEvidence, mayReadEvidence } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import { builtInEvidence } from './evidence-seed.ts';
import { basisChanges, evidenceFigureInput, headlineEligible, type BasisChange, type EvidenceFigure, type EvidenceFigureInput } from './evidence.ts';
import * as repository from './evidence.repository.ts';

/**
 * The evidence register: reading it (every signed-in member of staff: the figures are public),
 * adding and editing figures (administrators; an edit is a new version), accepting an untraced
 * figure for headlines (administrators and team leads, with a reason), importing and exporting
 * packs. Every change is audited; a refusal too.
 */

const recorder = (actor: Actor) => ({ id: actor.kind === 'staff' ? actor.userId : null, label: actorLabel(actor) });

async function refuse(db: Kysely<Schema>, actor: Actor, what: string, subjectId: string | number | null = null): Promise<never> {
  await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'evidence', subjectId });
  throw new RootsError('FORBIDDEN', { detail: what });
}

export interface EvidenceListing {
  figures: (EvidenceFigure & { headline: { eligible: boolean; why: string } })[];
  /** Figures whose unit, price year or geography changed between versions. */
  basisWarnings: BasisChange[];
}

/** The current figures, each with whether it may stand in a headline, and basis-change warnings. */
export async function listEvidence(db: Kysely<Schema>, actor: Actor | null, filter: repository.EvidenceFilter = {}): Promise<EvidenceListing> {
  if (!mayReadEvidence(actor)) throw new RootsError('UNAUTHENTICATED', { detail: 'Sign in to see the evidence register.' });
  const figures = await repository.currentFigures(db, filter);
  const versioned = figures.filter((figure) => figure.version > 1).map((figure) => figure.key);
  const history = (await Promise.all(versioned.map((key) => repository.figureVersions(db, key)))).flat();
  return { figures: figures.map((figure) => ({ ...figure, headline: headlineEligible(figure) })), basisWarnings: basisChanges(history) };
}

/** Every version of one figure, oldest first. */
export async function evidenceHistory(db: Kysely<Schema>, actor: Actor | null, key: string): Promise<EvidenceFigure[]> {
  if (!mayReadEvidence(actor)) throw new RootsError('UNAUTHENTICATED', { detail: 'Sign in to see the evidence register.' });
  const versions = await repository.figureVersions(db, key);
  if (versions.length === 0) throw new RootsError('NOT_FOUND', { detail: `There is no figure ${key} in the register.` });
  return versions;
}

const sameFigure = (a: EvidenceFigureInput, b: EvidenceFigureInput): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(figure: EvidenceFigureInput): EvidenceFigureInput {
  const { key, pack, edition, label, kind, low, central, high, unit, priceYear, geography, source, licence, confidence, traced, notes } = figure;
  return { key, pack, edition, label, kind, low, central, high, unit, priceYear, geography, source: { title: source.title, organisation: source.organisation, year: source.year, locator: source.locator, url: source.url, reportReference: source.reportReference }, licence, confidence, traced, notes };
}

export interface RecordResult {
  key: string;
  version: number;
  outcome: 'created' | 'new_version' | 'unchanged';
}

/** Validates one figure, as every boundary does (the form, the import file). */
export function parseFigure(input: unknown, row?: number): EvidenceFigureInput {
  const parsed = evidenceFigureInput.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new RootsError('VALIDATION_FAILED', {
    detail: 'The figure cannot be recorded with these values.',
    problems: parsed.error.issues.map((issue) => ({ ...(row === undefined ? {} : { row }), field: issue.path.join('.'), reason: issue.message })),
  });
}

/**
 * Administrators add a figure or record a new version of it. A figure equal to the current
 * version writes nothing.
 */
export async function recordFigure(db: Kysely<Schema>, actor: Actor, input: unknown): Promise<RecordResult> {
  if (!mayEditEvidence(actor)) return refuse(db, actor, 'Only an administrator can add or edit figures in the evidence register.');
  const figure = parseFigure(input);
  const [result] = await writeFigures(db, actor, [figure]);
  return result!;
}

async function writeFigures(db: Kysely<Schema>, actor: Actor, figures: readonly EvidenceFigureInput[], options: { skipExisting?: boolean } = {}): Promise<RecordResult[]> {
  return db.transaction().execute(async (trx) => {
    const latest = await repository.latestVersions(trx, figures.map((figure) => figure.key));
    const results: RecordResult[] = [];
    for (const figure of figures) {
      const version = latest.get(figure.key);
      if (version !== undefined) {
        if (options.skipExisting) {
          results.push({ key: figure.key, version, outcome: 'unchanged' });
          continue;
        }
        const [current] = (await repository.figureVersions(trx, figure.key)).slice(-1);
        if (current && sameFigure(current, figure)) {
          results.push({ key: figure.key, version, outcome: 'unchanged' });
          continue;
        }
      }
      const next = (version ?? 0) + 1;
      const id = await repository.insertFigure(trx, figure, next, recorder(actor));
      latest.set(figure.key, next);
      await recordAuditTrail(trx, { actor, action: version === undefined ? 'create' : 'update', subjectKind: 'evidence', subjectId: id, detail: { key: figure.key, version: next, pack: figure.pack } });
      results.push({ key: figure.key, version: next, outcome: version === undefined ? 'created' : 'new_version' });
    }
    return results;
  });
}

export interface ImportReport {
  rows: number;
  created: number;
  newVersions: number;
  unchanged: number;
}

const importFile = z.array(z.unknown()).max(10_000);

/**
 * Imports a pack (a JSON array of figures). Every row is checked first; one bad row rejects the
 * file with a report of every problem by row, and nothing is written.
 */
export async function importEvidence(db: Kysely<Schema>, actor: Actor, data: unknown): Promise<ImportReport> {
  if (!mayEditEvidence(actor)) return refuse(db, actor, 'Only an administrator can import figures into the evidence register.');
  const file = importFile.safeParse(data);
  if (!file.success) throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: 'An evidence file is a JSON array of figures (at most 10,000).' });
  const figures: EvidenceFigureInput[] = [];
  const problems: { row: number; field?: string; reason: string }[] = [];
  const seen = new Set<string>();
  file.data.forEach((row, index) => {
    const parsed = evidenceFigureInput.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ row: index + 1, field: issue.path.join('.'), reason: issue.message });
    } else if (seen.has(parsed.data.key)) {
      problems.push({ row: index + 1, field: 'key', reason: `the key ${parsed.data.key} appears twice in the file` });
    } else {
      seen.add(parsed.data.key);
      figures.push(parsed.data);
    }
  });
  if (problems.length > 0) throw new RootsError('IMPORT_REJECTED', { detail: `${new Set(problems.map((p) => p.row)).size} of ${file.data.length} figures cannot be imported; nothing was written.`, problems });
  const results = await writeFigures(db, actor, figures);
  return {
    rows: figures.length,
    created: results.filter((r) => r.outcome === 'created').length,
    newVersions: results.filter((r) => r.outcome === 'new_version').length,
    unchanged: results.filter((r) => r.outcome === 'unchanged').length,
  };
}

/**
 * Writes the built-in packs (evidence-seed.ts) for keys not yet in the register; a key already
 * there (perhaps edited locally) is left as it is. `packs` limits which packs (the optional
 * non-commercial pack can be left out).
 */
export async function seedEvidence(db: Kysely<Schema>, actor: Actor, packs: readonly EvidenceFigureInput['pack'][] = ['report', 'open', 'non_commercial']): Promise<ImportReport> {
  if (!mayEditEvidence(actor)) return refuse(db, actor, 'Only an administrator can seed the evidence register.');
  const figures = builtInEvidence.filter((figure) => packs.includes(figure.pack));
  const results = await writeFigures(db, actor, figures, { skipExisting: true });
  return { rows: figures.length, created: results.filter((r) => r.outcome === 'created').length, newVersions: 0, unchanged: results.filter((r) => r.outcome === 'unchanged').length };
}

/** The current figures as an importable pack (the same shape `importEvidence` reads). */
export async function exportEvidence(db: Kysely<Schema>, actor: Actor | null, filter: repository.EvidenceFilter = {}): Promise<EvidenceFigureInput[]> {
  const { figures } = await listEvidence(db, actor, filter);
  return figures.map((figure) => canonical(figure));
}

export const acceptanceForm = z.object({ reason: z.string().trim().min(1, { error: 'reason' }).max(2000, { error: 'reason' }) });

/**
 * Lets an untraced figure (or one of the non-commercial pack) into headlines: a recorded
 * decision with who and why. A traced open figure needs no acceptance and is refused one.
 */
export async function acceptFigure(db: Kysely<Schema>, actor: Actor, figureId: number, input: unknown): Promise<number> {
  if (!mayAcceptEvidence(actor)) return refuse(db, actor, 'Only an administrator or a team lead can accept a figure for headline use.', figureId);
  const parsed = acceptanceForm.safeParse(input);
  if (!parsed.success) throw new RootsError('VALIDATION_FAILED', { detail: 'Give a reason for accepting this figure.', problems: [{ field: 'reason', reason: 'reason' }] });
  return db.transaction().execute(async (trx) => {
    const figure = await repository.figureById(trx, figureId);
    if (!figure) throw new RootsError('NOT_FOUND', { detail: 'There is no such figure in the register.' });
    if (figure.traced && figure.pack !== 'non_commercial') throw new RootsError('BAD_REQUEST', { detail: `${figure.key} is traced to its primary source and needs no acceptance.` });
    const id = await repository.insertAcceptance(trx, figureId, parsed.data.reason, recorder(actor));
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'evidence_acceptance', subjectId: id, detail: { figure: figureId, key: figure.key, version: figure.version } });
    return id;
  });
}
