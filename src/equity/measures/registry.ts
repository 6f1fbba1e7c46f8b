import type { MeasureDefinition } from './measure.ts';
import { pheMeasures } from './phe.registry.ts';
import { whoMeasures } from './who.registry.ts';

/** Every measure `roots measure <name>` and the API can run, by name. */
export const measureRegistry: ReadonlyMap<string, MeasureDefinition> = new Map(
  [...pheMeasures, ...whoMeasures].map((definition) => [definition.name, definition]),
);
