import type { GroupInput, MeasureDefinition, MeasureOptions, MeasureResult } from './measure.ts';
import { wilsonMeasure } from './wilson.ts';
import { rateMeasure } from './rate.ts';
import { dsrMeasure } from './dsr.ts';
import { isrMeasure } from './isr.ts';
import { meanMeasure } from './mean.ts';
import { medianMeasure } from './median.ts';
import { kmMeasure } from './km.ts';
import { RII_DEFINITION, SII_METHODS, slopeIndexOfInequality, type SiiMethod, type SiiResult } from './sii.ts';

function siiMethod(options: MeasureOptions): SiiMethod {
  const method = options.method ?? 'phe';
  if (method !== 'phe' && method !== 'nhse') throw new Error(`unknown method '${method}' for the slope index: use phe or nhse`);
  return method;
}

function runSii(groups: readonly GroupInput[], options: MeasureOptions, rii: boolean): { result: SiiResult; method: SiiMethod } {
  const method = siiMethod(options);
  const result = slopeIndexOfInequality(groups, {
    valueType: options.valueType,
    transform: options.transform,
    scale: options.scale,
    favourable: options.favourable,
    confidence: options.confidence,
    reps: options.reps,
    seed: options.seed,
    method,
    ...(options.inputConfidence === undefined ? {} : { inputConfidence: options.inputConfidence }),
    rii,
  });
  return { result, method };
}

function fitDetails(result: SiiResult): Record<string, unknown> {
  const { fit } = result;
  return {
    valueType: fit.valueType,
    transform: fit.transform ? (fit.valueType === 'rate' ? 'log' : 'logit') : 'none',
    multiplier: fit.multiplier,
    intercept: fit.interceptValue,
    slopeOnFittedScale: fit.slope,
    quantiles: fit.groups.map((group, i) => ({ group, order: fit.orders[i], share: fit.shares[i], ridit: fit.ridits[i], standardErrorSource: fit.seSource[i] })),
    ...(fit.warnings.length > 0 ? { warnings: fit.warnings } : {}),
  };
}

function siiMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  const { result, method } = runSii(groups, options, false);
  const simulated = result.siiIntervalMethod === 'monte-carlo' && result.simulation !== undefined;
  return {
    measure: 'sii',
    estimate: result.sii,
    intervals: result.siiIntervals,
    method: SII_METHODS[method],
    intervalMethod: result.siiIntervalMethod,
    ...(simulated
      ? { simulation: { reps: result.simulation!.reps, seed: result.simulation!.seed, limitStandardErrors: result.simulation!.siiLimitStandardErrors ?? [] }, simulationDesign: result.simulation!.design }
      : {}),
    ...(result.siiIntervalMethod === 'numerical' && result.numerical ? { numerical: result.numerical } : {}),
    ...(result.siiStandardError === undefined ? {} : { standardError: result.siiStandardError }),
    rii: result.rii,
    riiDefinition: RII_DEFINITION,
    ...fitDetails(result),
  };
}

function riiMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  const { result, method } = runSii(groups, options, true);
  const simulated = result.riiIntervalMethod === 'monte-carlo' && result.simulation !== undefined;
  return {
    measure: 'rii',
    estimate: result.rii,
    intervals: result.riiIntervals ?? [],
    method: `${RII_DEFINITION}; ${SII_METHODS[method]}`,
    label: 'PHE RII',
    intervalMethod: result.riiIntervalMethod ?? 'none',
    ...(simulated
      ? { simulation: { reps: result.simulation!.reps, seed: result.simulation!.seed, limitStandardErrors: result.simulation!.riiLimitStandardErrors ?? [] }, simulationDesign: result.simulation!.design }
      : {}),
    ...(result.riiIntervalMethod === 'numerical' && result.numerical ? { numerical: result.numerical } : {}),
    sii: result.sii,
    ...fitDetails(result),
  };
}

/** Measures following PHE / UKHSA (PHEindicatormethods) and NHS England methods. */
export const pheMeasures: MeasureDefinition[] = [
  {
    name: 'wilson',
    summary: 'Proportion with Wilson score limits for every row and all rows pooled (PHEindicatormethods phe_proportion); count and denominator',
    requiresOrder: false,
    compute: wilsonMeasure,
  },
  {
    name: 'rate',
    summary: 'Crude rate per scale with exact Poisson limits under 10 events, Byar otherwise, for every row and pooled (phe_rate); count and denominator',
    requiresOrder: false,
    compute: rateMeasure,
  },
  {
    name: 'dsr',
    summary: 'Directly standardised rate, Dobson limits, European Standard Population 2013 (calculate_dsr); rows are the 19 age bands in order',
    requiresOrder: false,
    compute: dsrMeasure,
  },
  {
    name: 'isr',
    summary: 'Indirectly standardised ratio, exact/Byar limits (calculate_ISRatio); age-band rows with referenceCount and referencePopulation',
    requiresOrder: false,
    compute: isrMeasure,
  },
  {
    name: 'mean',
    summary: "Mean with Student's t interval (phe_mean); each row is count (default 1) observations of value",
    requiresOrder: false,
    compute: meanMeasure,
  },
  {
    name: 'median',
    summary: 'Median with distribution-free binomial order-statistic interval; each row is count (default 1) observations of value',
    requiresOrder: false,
    compute: medianMeasure,
  },
  {
    name: 'sii',
    summary: 'Slope index of inequality: phe (phe_sii, local ridits) or nhse (NHS England "new" SII, national ridits); analytic or simulated intervals',
    requiresOrder: true,
    methods: ['phe', 'nhse'],
    compute: siiMeasure,
  },
  {
    name: 'rii',
    summary: 'PHE relative index of inequality, (intercept + slope) / intercept, with simulated intervals; methods phe or nhse as for sii',
    requiresOrder: true,
    methods: ['phe', 'nhse'],
    compute: riiMeasure,
  },
  {
    name: 'km',
    summary: 'Kaplan-Meier waiting times: median and centiles (Brookmeyer-Crowley) and the share still waiting at given times; order = time, count = ended, censored = still waiting',
    requiresOrder: true,
    compute: kmMeasure,
  },
];
