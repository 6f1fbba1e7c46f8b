import type { MeasureDefinition } from './measure.ts';

/** Measures following PHE / UKHSA (PHEindicatormethods) and NHS England methods. */
export const pheMeasures: MeasureDefinition[] = [];
