import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../store/schema.ts';
import type { EvidenceFigure, EvidenceFigureInput } from './evidence.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * The evidence register's rows (migration 0016): append-only figure versions and acceptances.
 * "Current" means the latest version of each key.
 */

interface FigureRow {
  id: number;
  key: string;
  version: number;
  pack: EvidenceFigure['pack'];
  edition: string;
  label: string;
  kind: EvidenceFigure['kind'];
  low: string | number | null;
  central: string | number;
  high: string | number | null;
  unit: string;
  price_year: number | null;
  geography: string;
  source_title: string;
  source_organisation: string;
  source_year: number | null;
  source_locator: string | null;
  source_url: string | null;
  report_reference: string | null;
  licence: string;
  confidence: EvidenceFigure['confidence'];
  traced: boolean;
  notes: string | null;
  recorded_by_label: string;
  recorded_at: Date | string;
  acceptance_reason: string | null;
  accepted_by_label: string | null;
  accepted_at: Date | string | null;
}

const number = (value: string | number | null): number | null => (value === null ? null : Number(value));
const instant = (value: Date | string): string => (value instanceof Date ? value.toISOString() : new Date(value).toISOString());

function figureOf(row: FigureRow): EvidenceFigure {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    pack: row.pack,
    edition: row.edition,
    label: row.label,
    kind: row.kind,
    low: number(row.low),
    central: Number(row.central),
    high: number(row.high),
    unit: row.unit,
    priceYear: row.price_year,
    geography: row.geography,
    source: { title: row.source_title, organisation: row.source_organisation, year: row.source_year, locator: row.source_locator, url: row.source_url, reportReference: row.report_reference },
    licence: row.licence,
    confidence: row.confidence,
    traced: row.traced,
    notes: row.notes,
    recordedBy: row.recorded_by_label,
    recordedAt: instant(row.recorded_at),
    acceptance: row.acceptance_reason === null ? null : { reason: row.acceptance_reason, by: row.accepted_by_label!, at: instant(row.accepted_at!) },
  };
}

const select = (where: ReturnType<typeof sql>) => sql<FigureRow>`
  select f.*, a.reason as acceptance_reason, a.accepted_by_label, a.accepted_at
  from evidence_figure f
  left join lateral (
    select reason, accepted_by_label, accepted_at from evidence_acceptance where figure_id = f.id order by id desc limit 1
  ) a on true
  ${where}
  order by f.pack, f.key, f.version`;

export interface EvidenceFilter {
  pack?: EvidenceFigure['pack'] | undefined;
  kind?: EvidenceFigure['kind'] | undefined;
  traced?: boolean | undefined;
}

/** The latest version of every key, filtered. */
export async function currentFigures(db: Db, filter: EvidenceFilter = {}): Promise<EvidenceFigure[]> {
  const conditions = [sql`f.version = (select max(version) from evidence_figure g where g.key = f.key)`];
  if (filter.pack) conditions.push(sql`f.pack = ${filter.pack}`);
  if (filter.kind) conditions.push(sql`f.kind = ${filter.kind}`);
  if (filter.traced !== undefined) conditions.push(sql`f.traced = ${filter.traced}`);
  const { rows } = await select(sql`where ${sql.join(conditions, sql` and `)}`).execute(db);
  return rows.map(figureOf);
}

/** Every version of one key, oldest first. */
export async function figureVersions(db: Db, key: string): Promise<EvidenceFigure[]> {
  const { rows } = await select(sql`where f.key = ${key}`).execute(db);
  return rows.map(figureOf);
}

/** The latest version number of each of `keys` (absent keys are not in the map). */
export async function latestVersions(db: Db, keys: readonly string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('evidence_figure').select(['key', (eb) => eb.fn.max('version').as('version')]).where('key', 'in', [...keys]).groupBy('key').execute();
  return new Map(rows.map((row) => [row.key, Number(row.version)]));
}

export async function insertFigure(db: Db, figure: EvidenceFigureInput, version: number, recordedBy: { id: number | null; label: string }): Promise<number> {
  const row = await db
    .insertInto('evidence_figure')
    .values({
      key: figure.key,
      version,
      pack: figure.pack,
      edition: figure.edition,
      label: figure.label,
      kind: figure.kind,
      low: figure.low,
      central: figure.central,
      high: figure.high,
      unit: figure.unit,
      price_year: figure.priceYear,
      geography: figure.geography,
      source_title: figure.source.title,
      source_organisation: figure.source.organisation,
      source_year: figure.source.year,
      source_locator: figure.source.locator,
      source_url: figure.source.url,
      report_reference: figure.source.reportReference,
      licence: figure.licence,
      confidence: figure.confidence,
      traced: figure.traced,
      notes: figure.notes,
      recorded_by: recordedBy.id,
      recorded_by_label: recordedBy.label,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertAcceptance(db: Db, figureId: number, reason: string, acceptedBy: { id: number | null; label: string }): Promise<number> {
  const row = await db.insertInto('evidence_acceptance').values({ figure_id: figureId, reason, accepted_by: acceptedBy.id, accepted_by_label: acceptedBy.label }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The figure and its key, by id. */
export async function figureById(db: Db, id: number): Promise<EvidenceFigure | undefined> {
  const { rows } = await select(sql`where f.id = ${id}`).execute(db);
  return rows[0] && figureOf(rows[0]);
}
