/**
 * A business case scenario as a file (`roots business-case run SCENARIO.json`) or a form: one zod
 * schema, the boundary of record. Each parameter is a number entered with a reason, a figure of
 * the evidence register (by key, optionally a version), or a measure of the service's own work in
 * Roots over the scenario's period.
 */
import { z } from 'zod';
import { dischargeOutcome } from '../domain/codes.ts';
import { payers } from './business-case.ts';

const finite = z.number().finite();
const spread = {
  low: finite.optional(),
  high: finite.optional(),
  distribution: z.object({ kind: z.enum(['beta', 'gamma', 'lognormal']), se: z.number().finite().min(0) }).strict().optional(),
};

export const serviceMeasures = ['discharges_per_year', 'discharge_outcome_share', 'did_not_attend_rate'] as const;

export const parameterInput = z.union([
  z.object({ value: finite, reason: z.string().trim().min(1).max(500), ...spread }).strict(),
  z
    .object({
      register: z.string().min(2).max(80),
      version: z.number().int().min(1).optional(),
      /** A register figure in other units (a cost per hour used per 10-minute appointment): multiplied, with the reason. */
      scale: z.object({ by: z.number().positive().finite(), reason: z.string().trim().min(1).max(500) }).strict().optional(),
      ...spread,
    })
    .strict(),
  z
    .object({ service: z.enum(serviceMeasures), code: z.enum(dischargeOutcome.values as unknown as [string, ...string[]]).optional(), ...spread })
    .strict()
    .refine((p) => (p.service === 'discharge_outcome_share') === (p.code !== undefined), { message: 'discharge_outcome_share needs a discharge outcome code (and only it takes one)' }),
]);
export type ParameterInput = z.infer<typeof parameterInput>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const scenarioInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** ORG/code of the service whose own outcomes feed `service` parameters. */
    service: z.string().min(3).max(120).optional(),
    period: z.object({ from: isoDate, to: isoDate }).strict().optional(),
    horizonYears: z.number().int().min(1).max(100),
    priceYear: z.number().int().min(1900).max(2200),
    discount: z.union([z.enum(['standard', 'health']), z.object({ flat: z.number().min(0).max(0.5) }).strict()]).default('standard'),
    priceIndex: z
      .object({ name: z.string().min(1).max(100), source: z.string().min(1).max(500), values: z.record(z.string().regex(/^\d{4}$/), z.number().positive()) })
      .strict()
      .optional(),
    costs: z
      .array(z.object({ name: z.string().trim().min(1).max(200), payer: z.enum(payers), byYear: z.array(z.number().finite().min(0)).min(1).max(100), priceYear: z.number().int().min(1900).max(2200) }).strict())
      .min(1),
    outcomes: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(200),
            beneficiary: z.enum(payers),
            quantity: parameterInput,
            proxy: parameterInput,
            /** Needed unless the proxy is a register figure with its own price year. */
            proxyPriceYear: z.number().int().min(1900).max(2200).optional(),
            deadweight: parameterInput.default({ value: 0, reason: 'none assumed' }),
            displacement: parameterInput.default({ value: 0, reason: 'none assumed' }),
            attribution: parameterInput.default({ value: 0, reason: 'none assumed' }),
            dropOff: parameterInput.default({ value: 0, reason: 'none assumed' }),
            duration: z.number().int().min(1).max(50).default(1),
            netEffect: z.boolean().default(false),
            quintileShares: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0), z.number().min(0), z.number().min(0)]).optional(),
          })
          .strict(),
      )
      .min(1),
    keyOutcome: z.string().min(1).max(200),
    psa: z.object({ draws: z.number().int().min(1).max(100_000), seed: z.number().int() }).strict().optional(),
  })
  .strict()
  .superRefine((scenario, context) => {
    if (!scenario.outcomes.some((o) => o.name === scenario.keyOutcome)) context.addIssue({ code: 'custom', path: ['keyOutcome'], message: 'the key outcome must be one of the outcomes' });
    const usesService = scenario.outcomes.some((o) => [o.quantity, o.proxy, o.deadweight, o.displacement, o.attribution, o.dropOff].some((p) => 'service' in p));
    if (usesService && (!scenario.service || !scenario.period)) context.addIssue({ code: 'custom', path: ['service'], message: 'a scenario that uses the service\'s own measures names the service and the period' });
  });
export type ScenarioInput = z.output<typeof scenarioInput>;
