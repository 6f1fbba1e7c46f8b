/**
 * The audit as JSON: every disclosed figure, for analysts and other systems. The document names
 * its format and version, and carries the reference data's licence and attribution.
 */
import type { DisclosedAudit } from '../audit/audit.model.ts';
import { OGL_V3, REFERENCE_ATTRIBUTION } from '../../reference/reference.sources.ts';
import { projectAudit } from './audit.projection.ts';

export const JSON_FORMAT = { name: 'roots-equity-audit', version: 1 } as const;

export function toJson(audit: DisclosedAudit): string {
  const projected = projectAudit(audit);
  return `${JSON.stringify(
    {
      format: JSON_FORMAT.name,
      version: JSON_FORMAT.version,
      licence: { name: OGL_V3.name, url: OGL_V3.url },
      attribution: REFERENCE_ATTRIBUTION.split('\n'),
      ...projected,
    },
    null,
    2,
  )}\n`;
}
