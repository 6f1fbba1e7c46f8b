import { sql, type Kysely, type Transaction } from 'kysely';
import type { Pathway, Priority } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import { CLINICAL_POINTS, EQUITY_WEIGHTS_OFF, INCLUSION_HEALTH_GROUPS, type EquityWeights } from './priority-score.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

export type WaitingSort = 'score' | 'wait' | 'received' | 'target';
export type BreachStatus = 'breached' | 'at_risk' | 'within';
/** Flags a list can be filtered by (each narrows the list to people with it). */
export const waitingFlags = ['urgent', 'no_fixed_address', 'interpreter', 'disability', 'most_deprived', 'inclusion_health'] as const;
export type WaitingFlag = (typeof waitingFlags)[number];

export interface WaitingListQuery {
  serviceId: number;
  asOf: IsoDate;
  targetDays: Readonly<Record<Priority, number>>;
  weights: EquityWeights;
  sort: WaitingSort;
  pathway?: Pathway | undefined;
  priority?: Priority | undefined;
  breach?: BreachStatus | undefined;
  flags?: readonly WaitingFlag[] | undefined;
  page: number;
  pageSize: number;
}

export interface WaitingRow {
  episodeId: number;
  referralId: number;
  givenName: string | null;
  familyName: string | null;
  nhsNumber: string | null;
  receivedOn: IsoDate;
  pathway: Pathway;
  priority: Priority;
  clockStartedOn: IsoDate;
  pausedDays: number;
  waitDays: number;
  targetDays: number;
  targetDate: IsoDate;
  breach: BreachStatus;
  deprivationQuintile: number | null;
  inclusionGroups: string[];
  interpreterNeeded: boolean;
  disability: boolean;
  noFixedAddress: boolean;
  urgentRisk: boolean;
  /** The priority score as SQL ordered it (waiting-list/priority-score.ts is the definition). */
  score: number;
}

/** Share of the target at which a wait is "at risk" of breaching. */
export const AT_RISK_SHARE = 0.8;

/**
 * The list's terms in SQL over `episode e`, `person p` and `area_deprivation d`: days paused and
 * waited to `asOf`, the priority's target days, and the priority score with the same terms as
 * `priorityScore` (waiting-list/priority-score.ts is the definition).
 */
export function scoreTerms(asOfDay: IsoDate, targetDays: Readonly<Record<Priority, number>>, w: EquityWeights) {
  const asOf = sql`${asOfDay}::date`;
  const target = sql.raw(`case e.priority ${Object.entries(targetDays).map(([p, d]) => `when '${p}' then ${Number(d)}`).join(' ')} end`);
  const clinical = sql.raw(`case e.priority ${Object.entries(CLINICAL_POINTS).map(([p, d]) => `when '${p}' then ${Number(d)}`).join(' ')} end`);
  const inclusionHealth = sql.raw(`array[${INCLUSION_HEALTH_GROUPS.map((g) => `'${g}'`).join(', ')}]::text[]`);
  // Days paused so far: the closed pauses cached on the episode, and an open pause up to today.
  const pausedDays = sql`(e.paused_days + case when e.clock_paused_since is not null and e.clock_paused_since < ${asOf} then ${asOf} - e.clock_paused_since else 0 end)`;
  const waitDays = sql`greatest(0, (${asOf} - e.clock_started_on) - ${pausedDays})`;
  const score = sql`round((${clinical}
          + round(${waitDays}::numeric / ${target}, 3)
          + case when d.quintile = 1 then ${w.mostDeprivedQuintile}::numeric else 0 end
          + case when p.inclusion_groups && ${inclusionHealth} then ${w.inclusionHealthGroup}::numeric else 0 end
          + case when p.interpreter_needed then ${w.interpreterNeeded}::numeric else 0 end
          + case when p.disability then ${w.disability}::numeric else 0 end), 3)`;
  return { target, clinical, inclusionHealth, pausedDays, waitDays, score };
}

/**
 * One page of the people waiting in a service (an episode on the list, not yet seen and the clock
 * not stopped), with the count of all that match, in one query. Waits are counted in days to
 * `asOf` from the episode's clock (start, less paused days, as cached by its one writer); the
 * priority score is computed in SQL with the same terms as `priorityScore`, so sorting 50,000
 * people never loads them into Node.
 */
export async function listWaiting(db: Db, query: WaitingListQuery): Promise<{ rows: WaitingRow[]; total: number }> {
  const asOf = sql`${query.asOf}::date`;
  const { target, pausedDays, waitDays, score, inclusionHealth } = scoreTerms(query.asOf, query.targetDays, query.weights);
  const order = {
    score: sql`score desc, wait_days desc, episode_id`,
    wait: sql`wait_days desc, episode_id`,
    received: sql`received_on, episode_id`,
    target: sql`target_date, episode_id`,
  }[query.sort];
  const filters = [sql`e.service_id = ${query.serviceId}`, sql`e.clock_stopped_on is null`, sql`e.first_contact_on is null`, sql`e.clock_started_on <= ${asOf}`];
  if (query.pathway) filters.push(sql`e.pathway_code = ${query.pathway}`);
  if (query.priority) filters.push(sql`e.priority = ${query.priority}`);
  const flagFilter: Record<WaitingFlag, ReturnType<typeof sql>> = {
    urgent: sql`r.urgent_risk`,
    no_fixed_address: sql`p.postcode_status = 'no_fixed_address'`,
    interpreter: sql`p.interpreter_needed is true`,
    disability: sql`p.disability is true`,
    most_deprived: sql`d.quintile = 1`,
    inclusion_health: sql`p.inclusion_groups && ${inclusionHealth}`,
  };
  for (const flag of new Set(query.flags ?? [])) filters.push(flagFilter[flag]);
  const breachFilter =
    query.breach === 'breached'
      ? sql`where wait_days > target_days`
      : query.breach === 'at_risk'
        ? sql`where wait_days <= target_days and wait_days >= target_days * ${AT_RISK_SHARE}::numeric`
        : query.breach === 'within'
          ? sql`where wait_days < target_days * ${AT_RISK_SHARE}::numeric`
          : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    with waiting as (
      select e.id as episode_id, e.referral_id, p.given_name, p.family_name, p.nhs_number, r.received_on, e.pathway_code, e.priority,
        e.clock_started_on, ${pausedDays} as paused_days, ${waitDays} as wait_days, ${target} as target_days,
        e.clock_started_on + ${pausedDays} + ${target} as target_date,
        d.quintile as deprivation_quintile, p.inclusion_groups, coalesce(p.interpreter_needed, false) as interpreter_needed,
        coalesce(p.disability, false) as disability, p.postcode_status = 'no_fixed_address' as no_fixed_address, r.urgent_risk,
        ${score} as score
      from episode e
      join referral r on r.id = e.referral_id
      join person p on p.id = r.person_id
      left join area_deprivation d on d.area_code = r.area_code
      where ${sql.join(filters, sql` and `)}
    )
    select *, count(*) over () as total from waiting ${breachFilter}
    order by ${order}
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`.execute(db);
  // Past the last page the window count has no row to ride on: ask for the first row instead.
  const total = rows.length > 0 ? Number(rows[0]!.total) : query.page === 1 ? 0 : (await listWaiting(db, { ...query, page: 1, pageSize: 1 })).total;
  return {
    total,
    rows: rows.map((row) => {
      const waitDaysValue = Number(row.wait_days);
      const targetDaysValue = Number(row.target_days);
      return {
        episodeId: Number(row.episode_id),
        referralId: Number(row.referral_id),
        givenName: (row.given_name as string | null) ?? null,
        familyName: (row.family_name as string | null) ?? null,
        nhsNumber: (row.nhs_number as string | null) ?? null,
        receivedOn: isoDay(row.received_on),
        pathway: row.pathway_code as Pathway,
        priority: row.priority as Priority,
        clockStartedOn: isoDay(row.clock_started_on),
        pausedDays: Number(row.paused_days),
        waitDays: waitDaysValue,
        targetDays: targetDaysValue,
        targetDate: isoDay(row.target_date),
        breach: breachOf(waitDaysValue, targetDaysValue),
        deprivationQuintile: row.deprivation_quintile === null || row.deprivation_quintile === undefined ? null : Number(row.deprivation_quintile),
        inclusionGroups: (row.inclusion_groups as string[] | null) ?? [],
        interpreterNeeded: Boolean(row.interpreter_needed),
        disability: Boolean(row.disability),
        noFixedAddress: Boolean(row.no_fixed_address),
        urgentRisk: Boolean(row.urgent_risk),
        score: Number(row.score),
      };
    }),
  };
}

export function breachOf(waitDays: number, targetDays: number): BreachStatus {
  if (waitDays > targetDays) return 'breached';
  if (waitDays >= targetDays * AT_RISK_SHARE) return 'at_risk';
  return 'within';
}

function isoDay(value: unknown): IsoDate {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

export interface EquityWeightDecision extends EquityWeights {
  id: number;
  reason: string;
  decidedBy: string;
  decidedAt: Date;
}

const weightColumns = [
  'id',
  'most_deprived_quintile',
  'inclusion_health_group',
  'interpreter_needed',
  'disability',
  'reason',
  'decided_by_label',
  'decided_at',
] as const;

function toDecision(row: {
  id: number;
  most_deprived_quintile: string | number;
  inclusion_health_group: string | number;
  interpreter_needed: string | number;
  disability: string | number;
  reason: string;
  decided_by_label: string;
  decided_at: Date;
}): EquityWeightDecision {
  return {
    id: row.id,
    mostDeprivedQuintile: Number(row.most_deprived_quintile),
    inclusionHealthGroup: Number(row.inclusion_health_group),
    interpreterNeeded: Number(row.interpreter_needed),
    disability: Number(row.disability),
    reason: row.reason,
    decidedBy: row.decided_by_label,
    decidedAt: new Date(row.decided_at),
  };
}

/** The service's current equity weights: the latest decision, or all off. */
export async function currentWeights(db: Db, serviceId: number): Promise<EquityWeights & { decisionId: number | null }> {
  const row = await db.selectFrom('equity_weight_decision').select(weightColumns).where('service_id', '=', serviceId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!row) return { ...EQUITY_WEIGHTS_OFF, decisionId: null };
  const { id, reason: _reason, decidedBy: _by, decidedAt: _at, ...weights } = toDecision(row);
  return { ...weights, decisionId: id };
}

/** Every decision on the service's weights, newest first. */
export async function weightHistory(db: Db, serviceId: number, limit = 50): Promise<EquityWeightDecision[]> {
  const rows = await db.selectFrom('equity_weight_decision').select(weightColumns).where('service_id', '=', serviceId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toDecision);
}

export async function insertWeightDecision(
  db: Db,
  decision: EquityWeights & { serviceId: number; reason: string; decidedBy: number | null; decidedByLabel: string },
): Promise<number> {
  const row = await db
    .insertInto('equity_weight_decision')
    .values({
      service_id: decision.serviceId,
      most_deprived_quintile: decision.mostDeprivedQuintile,
      inclusion_health_group: decision.inclusionHealthGroup,
      interpreter_needed: decision.interpreterNeeded,
      disability: decision.disability,
      reason: decision.reason,
      decided_by: decision.decidedBy,
      decided_by_label: decision.decidedByLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
