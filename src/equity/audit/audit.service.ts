import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.ts';
import { mayReadAggregates } from '../../access/policies.ts';
import { recordAuditTrail } from '../../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Schema } from '../../store/schema.ts';
import { discloseAudit } from './audit.disclosure.ts';
import { nhsDisclosureRule, type DisclosureRule } from '../../disclosure/disclosure.ts';
import { findingsOf } from '../findings/findings.ts';
import { auditAggregates } from './audit.engine.ts';
import type { AuditRequest, DisclosedAudit } from './audit.model.ts';

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

/** The audit for an actor: checks access to the service's aggregates and records the run. */
export async function equityAuditFor(
  db: Kysely<Schema>,
  actor: Actor,
  request: AuditRequest,
  options: EquityAuditOptions = {},
): Promise<DisclosedAudit> {
  const service = await db.selectFrom('service').select(['id', 'organisation_id']).where('id', '=', request.serviceId).executeTakeFirst();
  if (!service) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
  if (!mayReadAggregates(actor, { organisationId: service.organisation_id })) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'equity_audit', subjectId: service.id, organisationId: service.organisation_id });
    throw new RootsError('FORBIDDEN', { detail: 'You can only see the equity audit of your own organisation\'s services.' });
  }
  const { cache, ...rest } = options;
  const audit = cache ? await cache.audit(db, request, rest) : await runEquityAudit(db, request, rest);
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'equity_audit',
    subjectId: service.id,
    organisationId: service.organisation_id,
    detail: { from: request.from, to: request.to, rule: `${audit.disclosure.suppressUpTo}/${audit.disclosure.roundTo}` },
  });
  return audit;
}

/** The default audit period: the twelve months ending on `today`. */
export function lastTwelveMonths(today: string): { from: string; to: string } {
  const end = new Date(`${today}T00:00:00Z`);
  const start = new Date(end);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  start.setUTCDate(start.getUTCDate() + 1);
  return { from: start.toISOString().slice(0, 10), to: today };
}
