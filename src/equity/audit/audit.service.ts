import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { requireServiceAccess } from '../../access/service-access.ts';
import { recordAuditTrail } from '../../audit-trail/audit-trail.repository.ts';
import type { Schema } from '../../store/schema.ts';
import { discloseAudit } from './audit.disclosure.ts';
import { nhsDisclosureRule, type DisclosureRule } from '../../disclosure/disclosure.ts';
import { findingsOf } from '../findings/findings.ts';
import { auditAggregates } from './audit.engine.ts';
import type { AuditRequest, DisclosedAudit } from './audit.model.ts';
import { twelveMonthsEndingOn } from './audit.periods.ts';

export interface EquityAuditOptions {
  rule?: DisclosureRule;
  now?: Date;
  /** Run the audit's reads at once on separate connections (PostgreSQL). */
  parallel?: boolean;
  /** Where finished audits are kept (audit.cache.ts); without it every call runs the engine. */
  cache?: { audit(db: Kysely<Schema>, request: AuditRequest, options: EquityAuditOptions): Promise<DisclosedAudit> };
}

/**
 * The equity audit from database to disclosed result: SQL aggregates, then disclosure control
 * (the one choke point), then plain-English findings from the disclosed figures. Raw aggregates
 * never leave this function.
 */
export async function runEquityAudit(db: Kysely<Schema>, request: AuditRequest, options: EquityAuditOptions = {}): Promise<DisclosedAudit> {
  const aggregates = await auditAggregates(db, request, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.parallel ? { parallel: true } : {}),
  });
  const disclosed = discloseAudit(aggregates, options.rule ?? nhsDisclosureRule);
  return { ...disclosed, findings: findingsOf(disclosed) };
}

/**
 * The audit for an actor: checks access to the service's aggregates first (its own
 * organisation's staff, or a commissioner of the service; anyone else is told there is no such
 * service, and the refusal is recorded), then runs the audit and records the read.
 */
export async function equityAuditFor(
  db: Kysely<Schema>,
  actor: Actor,
  request: AuditRequest,
  options: EquityAuditOptions = {},
): Promise<DisclosedAudit> {
  const on = (options.now ?? new Date()).toISOString().slice(0, 10);
  const service = await requireServiceAccess(db, actor, request.serviceId, 'read_aggregates', { on, subjectKind: 'equity_audit' });
  const { cache, ...rest } = options;
  const audit = cache ? await cache.audit(db, request, rest) : await runEquityAudit(db, request, rest);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'equity_audit',
    subjectId: service.serviceId,
    organisationId: service.organisationId,
    detail: { from: request.from, to: request.to, rule: `${audit.disclosure.suppressUpTo}/${audit.disclosure.roundTo}` },
  });
  return audit;
}

/** The default audit period: the twelve months ending on `today` (see audit.periods.ts). */
export const lastTwelveMonths = twelveMonthsEndingOn;

/** The first and last day a service received a referral, or null when it has none. */
export async function referralDateRange(db: Kysely<Schema>, serviceId: number): Promise<{ earliest: string; latest: string } | null> {
  const row = await db
    .selectFrom('referral')
    .select((eb) => [eb.fn.min('received_on').as('earliest'), eb.fn.max('received_on').as('latest')])
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return row?.earliest && row.latest ? { earliest: String(row.earliest), latest: String(row.latest) } : null;
}
