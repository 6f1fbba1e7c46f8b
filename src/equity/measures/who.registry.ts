import type { MeasureDefinition } from './measure.ts';

/** Measures following WHO's Health Equity Assessment Toolkit (the healthequal package). */
export const whoMeasures: MeasureDefinition[] = [];
