import type { Kysely } from 'kysely';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import { rankIndex, type RankingResult } from './deprivation.parser.ts';
import type {
  AreaFact,
  DatasetDefinition,
  DeprivationFact,
  GeographyFact,
  LsoaChangeFact,
  PopulationFact,
  PostcodeFact,
  ReferenceSink,
} from './reference.layout.ts';
import { BatchInsert, referenceTables } from './reference.repository.ts';

export interface WriterResult {
  /** Rows written per table. */
  written: Record<string, number>;
  skipped: number;
  warnings: string[];
  ranking?: Pick<RankingResult, 'index' | 'nation' | 'areaCount' | 'checked'> & { disagreements: number };
}

/**
 * The sink of an import: buffers the facts of one file and writes them in batches inside the
 * dataset's transaction. Deprivation ranks are held until the end because the deciles depend on
 * how many areas the file ranks (at most a few tens of thousands of small rows).
 */
export class DatabaseSink implements ReferenceSink {
  readonly #tables = new Map<string, BatchInsert>();
  readonly #deprivation: DeprivationFact[] = [];
  readonly #areas = new Map<AreaFact['kind'], Set<string>>();
  readonly #geographies = new Map<string, GeographyFact>();
  readonly #skipped: { row: number; reason: string }[] = [];
  #skippedCount = 0;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dataset: DatasetDefinition,
    private readonly fileName: string,
    private readonly batchSize = 5_000,
  ) {}

  #table(name: keyof typeof referenceTables): BatchInsert {
    let table = this.#tables.get(name);
    if (!table) {
      table = referenceTables[name]();
      this.#tables.set(name, table);
    }
    return table;
  }

  deprivation(fact: DeprivationFact): void {
    this.#deprivation.push(fact);
  }

  population(fact: PopulationFact): void {
    this.#table('population').add([fact.source, fact.areaCode, fact.band.label, fact.band.from, fact.band.to, fact.population]);
  }

  area(fact: AreaFact): void {
    // Lookups list an area once per row they map it in (a split LSOA appears once per part): the
    // first row speaks for the area.
    let seen = this.#areas.get(fact.kind);
    if (!seen) this.#areas.set(fact.kind, (seen = new Set()));
    if (seen.has(fact.code)) return;
    seen.add(fact.code);
    this.#table('areaSource').add([
      this.dataset.name,
      fact.kind,
      fact.code,
      fact.name ?? null,
      fact.msoaCode ?? null,
      fact.localAuthorityCode ?? null,
      fact.subIcbCode ?? null,
      fact.icbCode ?? null,
      fact.ruralUrbanCode ?? null,
    ]);
  }

  geography(fact: GeographyFact): void {
    const known = this.#geographies.get(fact.code);
    if (!known) {
      this.#geographies.set(fact.code, { ...fact });
      return;
    }
    known.nhsCode ??= fact.nhsCode ?? null;
    known.parentCode ??= fact.parentCode ?? null;
  }

  postcode(fact: PostcodeFact): void {
    this.#table('postcode').add([fact.postcode, fact.areaCode, fact.localAuthorityCode, fact.regionCode, fact.countryCode, fact.introduced, fact.terminated]);
  }

  lsoaChange(fact: LsoaChangeFact): void {
    this.#table('lsoaChange').add([fact.lsoa11Code, fact.lsoa21Code, fact.changeCode]);
  }

  skip(row: number, reason: string): void {
    this.#skippedCount++;
    if (this.#skipped.length < 5) this.#skipped.push({ row, reason });
  }

  /** Starts writing any batch that is full; undefined (nothing to wait for) on most rows. */
  afterRow = (): Promise<void> | undefined => {
    for (const table of this.#tables.values()) if (table.pending >= this.batchSize) return this.#flush(false);
    return undefined;
  };

  // One batch may be in flight while the next is parsed: on PostgreSQL the server inserts while
  // Node reads the file. A failed batch is reported at the next flush or at the end.
  #inflight: Promise<void> | undefined;
  #failure: unknown;

  async #settle(): Promise<void> {
    await this.#inflight;
    this.#inflight = undefined;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #flush(all: boolean): Promise<void> {
    await this.#settle();
    const writes: Promise<void>[] = [];
    for (const table of this.#tables.values()) {
      if (!all && table.pending < this.batchSize) continue;
      writes.push(
        table.flush(this.db).catch((error: unknown) => {
          this.#failure ??= this.#describeWriteFailure(table.table, error);
        }),
      );
    }
    this.#inflight = Promise.all(writes).then(() => undefined);
    if (all) await this.#settle();
  }

  /** Ranks the index, writes what is still buffered and reports what was written. */
  async finish(): Promise<WriterResult> {
    const warnings: string[] = [];
    let ranking: WriterResult['ranking'];
    const index = this.dataset.deprivation;
    if (index) {
      const result = rankIndex(index, this.#deprivation);
      if (result.problems.length > 0) {
        throw new RootsError('FORMAT_NOT_RECOGNISED', {
          detail: `${this.fileName}: the ${index.index} ranks are not a ranking of distinct areas (${result.problems.length} problem(s); first: ${result.problems[0]})`,
          problems: result.problems.slice(0, 50).map((reason) => ({ reason })),
        });
      }
      if (result.areaCount !== index.publishedAreaCount) {
        warnings.push(
          `${this.fileName} ranks ${result.areaCount.toLocaleString('en-GB')} areas but ${index.index} ranks ${index.publishedAreaCount.toLocaleString('en-GB')}: deciles and quintiles are relative to the areas in this file`,
        );
      }
      if (result.disagreements.length > 0) {
        const first = result.disagreements.slice(0, 5).map((d) => `${d.areaCode} rank ${d.rank}: stated ${d.stated}, cut-offs give ${d.official}`);
        warnings.push(`${result.disagreements.length} of ${result.checked} deciles stated in ${this.fileName} differ from the official cut-offs; the cut-offs were used (${first.join('; ')})`);
      }
      const table = this.#table('deprivation');
      for (const area of result.areas) {
        table.add([index.index, index.nation, area.areaCode, area.score, area.rank, area.areaCount, area.decile, area.quintile]);
        if (table.pending >= this.batchSize) await this.#flush(false);
      }
      ranking = { index: result.index, nation: result.nation, areaCount: result.areaCount, checked: result.checked, disagreements: result.disagreements.length };
    }
    const geographies = this.#table('geographySource');
    for (const fact of this.#geographies.values()) {
      geographies.add([this.dataset.name, fact.code, fact.kind, fact.name, fact.nhsCode ?? null, fact.parentCode ?? null]);
    }
    await this.#flush(true);
    if (this.#skippedCount > 0) {
      const examples = this.#skipped.map((skip) => `row ${skip.row}: ${skip.reason}`).join('; ');
      warnings.push(`${this.#skippedCount} row(s) of ${this.fileName} left out (${examples})`);
    }
    const written: Record<string, number> = {};
    for (const table of this.#tables.values()) if (table.inserted > 0) written[table.table] = table.inserted;
    return { written, skipped: this.#skippedCount, warnings, ...(ranking ? { ranking } : {}) };
  }

  #describeWriteFailure(table: string, error: unknown): RootsError {
    const code = (error as { code?: string })?.code;
    const detail = (error as { detail?: string })?.detail;
    if (code === '23505') {
      return new RootsError('FORMAT_NOT_RECOGNISED', {
        detail: `${this.fileName}: the same key appears twice in ${table}${detail ? ` (${detail})` : ''}`,
        cause: error,
      });
    }
    if (code?.startsWith('23') || code?.startsWith('22')) {
      return new RootsError('FORMAT_NOT_RECOGNISED', {
        detail: `${this.fileName}: a value does not fit ${table}: ${(error as Error).message}${detail ? ` (${detail})` : ''}`,
        cause: error,
      });
    }
    return error instanceof RootsError ? error : new RootsError('INTERNAL', { detail: `Writing ${table} failed: ${(error as Error)?.message}`, cause: error });
  }
}
