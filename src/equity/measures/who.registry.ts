import type { GroupInput, MeasureDefinition, MeasureOptions, MeasureResult } from './measure.ts';
import { PAF_METHODS, populationAttributableFraction, populationAttributableRisk } from './who.attributable.ts';
import { absoluteConcentrationIndex, relativeConcentrationIndex } from './who.concentration.ts';
import {
  IDISW_METHODS,
  betweenGroupStandardDeviation,
  betweenGroupVariance,
  coefficientOfVariation,
  indexOfDisparityUnweighted,
  indexOfDisparityWeighted,
  meanDifferenceFromBestUnweighted,
  meanDifferenceFromBestWeighted,
  meanDifferenceFromMeanUnweighted,
  meanDifferenceFromMeanWeighted,
  meanDifferenceFromReferenceUnweighted,
  meanDifferenceFromReferenceWeighted,
} from './who.dispersion.ts';
import { ENTROPY_METHODS, meanLogDeviation, theilIndex } from './who.entropy.ts';
import { difference, ratio } from './who.pairwise.ts';
import { whoRelativeIndex, whoSlopeIndex } from './who.regression.ts';

type Compute = (groups: readonly GroupInput[], options: MeasureOptions) => MeasureResult;

function entry(name: string, summary: string, compute: Compute, extra: { requiresOrder?: boolean; methods?: readonly string[] } = {}): MeasureDefinition {
  return {
    name,
    summary,
    requiresOrder: extra.requiresOrder ?? false,
    ...(extra.methods ? { methods: [...extra.methods] } : {}),
    compute: (groups, options) => compute(groups, options),
  };
}

/**
 * Measures following WHO's Health Equity Assessment Toolkit (the healthequal package).
 * `sii` belongs to the PHE family; WHO's logistic-regression SII and RII are `who-sii` and
 * `who-rii` (a future `sii --method who` can delegate to `who-sii`).
 */
export const whoMeasures: MeasureDefinition[] = [
  entry('d', 'WHO HEAT difference between two subgroups (healthequal::d)', difference),
  entry('r', 'WHO HEAT ratio of two subgroups (healthequal::r)', ratio),
  entry('aci', 'WHO HEAT absolute concentration index (healthequal::aci)', absoluteConcentrationIndex, { requiresOrder: true }),
  entry('rci', 'WHO HEAT relative concentration index (healthequal::rci)', relativeConcentrationIndex, { requiresOrder: true }),
  entry('who-sii', 'WHO HEAT slope index of inequality, logistic regression (healthequal::sii)', whoSlopeIndex, { requiresOrder: true }),
  entry('who-rii', 'WHO RII: relative index of inequality, logistic regression (healthequal::rii); differs from PHE\'s RII', whoRelativeIndex, { requiresOrder: true }),
  entry('bgv', 'WHO HEAT between-group variance (healthequal::bgv)', betweenGroupVariance),
  entry('bgsd', 'WHO HEAT between-group standard deviation (healthequal::bgsd)', betweenGroupStandardDeviation),
  entry('cov', 'WHO HEAT coefficient of variation (healthequal::covar)', coefficientOfVariation),
  entry('mdmu', 'WHO HEAT mean difference from mean, unweighted (healthequal::mdmu)', meanDifferenceFromMeanUnweighted),
  entry('mdmw', 'WHO HEAT mean difference from mean, weighted (healthequal::mdmw)', meanDifferenceFromMeanWeighted),
  entry('mdbu', 'WHO HEAT mean difference from best-performing subgroup, unweighted (healthequal::mdbu)', meanDifferenceFromBestUnweighted),
  entry('mdbw', 'WHO HEAT mean difference from best-performing subgroup, weighted (healthequal::mdbw)', meanDifferenceFromBestWeighted),
  entry('mdru', 'WHO HEAT mean difference from reference subgroup, unweighted (healthequal::mdru)', meanDifferenceFromReferenceUnweighted),
  entry('mdrw', 'WHO HEAT mean difference from reference subgroup, weighted (healthequal::mdrw)', meanDifferenceFromReferenceWeighted),
  entry('idisu', 'WHO HEAT index of disparity, unweighted (healthequal::idisu)', indexOfDisparityUnweighted),
  entry('idisw', 'WHO HEAT index of disparity, weighted (healthequal::idisw)', indexOfDisparityWeighted, { methods: IDISW_METHODS }),
  entry('ti', 'WHO HEAT Theil index x 1000 (healthequal::ti)', theilIndex, { methods: ENTROPY_METHODS }),
  entry('mld', 'WHO HEAT mean log deviation x 1000 (healthequal::mld)', meanLogDeviation, { methods: ENTROPY_METHODS }),
  entry('paf', 'WHO HEAT population attributable fraction (healthequal::paf)', populationAttributableFraction, { methods: PAF_METHODS }),
  entry('par', 'WHO HEAT population attributable risk (healthequal::parisk)', populationAttributableRisk),
];
