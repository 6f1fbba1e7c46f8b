import type { Kysely } from 'kysely';
import { z } from 'zod';
import { earlierDate, isoDate } from '../../domain/dates.ts';
import { lastTwelveMonths } from '../../equity/audit/audit.service.ts';
import type { AuditRequest } from '../../equity/audit/audit.model.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { defaultService, findServiceByReference } from '../../organisations/service.repository.ts';
import type { Schema } from '../../store/schema.ts';

/** A service code, or ORG~code (or ORG/code) when service codes repeat across organisations. */
export const serviceCode = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}[~/])?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });

/** The equity audit's query string, shared by the page, the downloads and the API. */
export const auditQuery = z.object({
  service: serviceCode.optional(),
  // Service codes are unique within an organisation: this names it when several match (or use ORG~code).
  organisation: z.string().regex(/^[A-Z0-9-]{2,20}$/, { message: 'is not an organisation code' }).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  lang: z.enum(['en', 'cy']).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export interface ResolvedAuditRequest {
  request: AuditRequest & { asOf: string };
  serviceCode: string;
  period: { from: string; to: string };
  /** True when the period ends after today, so waits are counted up to today, not to its end. */
  asOfClamped: boolean;
}

/**
 * The service and period an audit query asks for. The period defaults to the twelve months
 * ending today; people still waiting are counted up to the period's end or today, whichever is
 * earlier (a period ending in 2099 must not make waits run to 2099).
 */
export async function resolveAuditRequest(db: Kysely<Schema>, query: AuditQuery, today: string): Promise<ResolvedAuditRequest> {
  const reference = query.service && query.organisation && !/[~/]/.test(query.service) ? `${query.organisation}~${query.service}` : query.service;
  const service = reference ? await findServiceByReference(db, reference) : await defaultService(db);
  if (!service) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
  const period = { ...lastTwelveMonths(query.to ?? today), ...(query.from ? { from: query.from } : {}) };
  if (period.from > period.to) throw new RootsError('VALIDATION_FAILED', { detail: 'The period starts after it ends.', problems: [{ field: 'from', reason: 'is after to' }] });
  const asOf = earlierDate(period.to, today);
  return { request: { serviceId: service.id, ...period, asOf }, serviceCode: service.code, period, asOfClamped: asOf !== period.to };
}
