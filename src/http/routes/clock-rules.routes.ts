import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTINUOUS_CLOCK_RULES, DEFAULT_CLOCK_RULES, type ClockRuleSet, type PolicyAction } from '../../waiting-list/clock-rules.ts';
import { compareClockRulesByCode } from '../../waiting-list/clock-recompute.service.ts';
import type { WaitSummary } from '../../waiting-list/clock-recompute.ts';
import { contentFor } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';

/**
 * What a change of a service's clock rules would do (issue 9): its waits as of today recomputed
 * from the same clock events under rule set A and rule set B, side by side. A GET form, so it
 * works without JavaScript; nothing is written but the audit entry. The access check and the
 * audit are the service's (`compareClockRules`): aggregates, so staff of the service's
 * organisation and its commissioners.
 */
const config = { access: 'staff' } as const;
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
const action = z.string().max(10).optional();
const query = z.object({
  organisation: z.string().max(40).optional(),
  dnaA: action,
  cancelledA: action,
  unavailableA: action,
  dnaB: action,
  cancelledB: action,
  unavailableB: action,
  lang: z.enum(['en', 'cy']).optional(),
});
const actions: PolicyAction[] = ['restart', 'pause', 'ignore'];
const oneOf = <T extends string>(values: readonly T[], value: string | undefined, fallback: T): T => ((values as readonly string[]).includes(value ?? '') ? (value as T) : fallback);

function rulesFrom(name: string, defaults: ClockRuleSet, dna: string | undefined, cancelled: string | undefined, unavailable: string | undefined): ClockRuleSet {
  return {
    name,
    didNotAttend: oneOf(actions, dna, defaults.didNotAttend),
    patientCancelled: oneOf(actions, cancelled, defaults.patientCancelled),
    patientUnavailable: oneOf(['pause', 'ignore'] as const, unavailable, defaults.patientUnavailable),
  };
}

export const clockRulesRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  app.get('/services/:service/clock-rules', { schema: { params: z.object({ service: z.string().min(1).max(100) }), querystring: query, hide: true }, config }, async (request, reply) => {
    const q = request.query;
    const [organisationCode, serviceCode] = request.params.service.includes('~') ? (request.params.service.split('~', 2) as [string, string]) : [q.organisation, request.params.service];
    const rulesA = rulesFrom('A', DEFAULT_CLOCK_RULES, q.dnaA, q.cancelledA, q.unavailableA);
    const rulesB = rulesFrom('B', CONTINUOUS_CLOCK_RULES, q.dnaB, q.cancelledB, q.unavailableB);
    const comparison = await compareClockRulesByCode(store.db, request.actor!, { serviceCode, organisationCode }, rulesA, rulesB, clock());
    const t = contentFor(request.language).clockRules;
    const select = (name: string, rules: ClockRuleSet, key: 'didNotAttend' | 'patientCancelled' | 'patientUnavailable') => ({
      id: name,
      name,
      label: t[key],
      items: (key === 'patientUnavailable' ? (['pause', 'ignore'] as const) : actions).map((value) => ({ value, text: t.actions[value], selected: rules[key] === value })),
    });
    const measures: (keyof WaitSummary)[] = ['waiting', 'medianDays', 'p92Days', 'over18Weeks', 'stopped'];
    const a = comparison.a.summary;
    const b = comparison.b.summary;
    return reply.page('pages/clock-rules.njk', {
      pageTitle: `${t.title}: ${comparison.serviceName}`,
      lead: fill(t.lead, { service: comparison.serviceName, asOf: comparison.asOf }),
      action: `/services/${encodeURIComponent(comparison.serviceRef)}/clock-rules`,
      sets: [
        { legend: t.setA, selects: [select('dnaA', rulesA, 'didNotAttend'), select('cancelledA', rulesA, 'patientCancelled'), select('unavailableA', rulesA, 'patientUnavailable')] },
        { legend: t.setB, selects: [select('dnaB', rulesB, 'didNotAttend'), select('cancelledB', rulesB, 'patientCancelled'), select('unavailableB', rulesB, 'patientUnavailable')] },
      ],
      rows: measures.map((measure) => ({
        measure,
        label: t.rows[measure],
        a: a[measure] ?? t.none,
        b: b[measure] ?? t.none,
        difference: a[measure] === null || b[measure] === null ? '' : (b[measure]! - a[measure]!).toString(),
      })),
    });
  });
};
