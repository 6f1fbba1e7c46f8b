import { z } from 'zod';
import type { CompetencyLevel } from '../../domain/codes.ts';

/**
 * The allocation forms (src/http/routes/allocation.routes.ts): bounded strings in, parsed here,
 * each problem named by field and content key (`allocation.errors`) so the route shows it in the
 * page's language in the NHS error summary. Pure.
 */

const many = z.union([z.string().max(20), z.array(z.string().max(20)).max(200)]).optional();
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
const whole = (text: string): number | null => (/^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : null);

/** Confirming one therapist from the shortlist: the episode version the page showed travels with it. */
export const confirmFields = z.object({
  _csrf: z.string().max(200).optional(),
  version: z.string().max(12).default(''),
  therapist: z.string().max(12).default(''),
  note: z.string().max(20_000).default(''),
});

export type AllocationFormError = { field: string; key: 'conflict' | 'therapist' | 'note' | 'tasks' | 'capacity' | 'areas' | 'supervisor'; task?: string };

export function parseConfirm(body: z.output<typeof confirmFields>): { ok: true; version: number; therapist: number; note: string | null } | { ok: false; errors: AllocationFormError[]; version: number | null } {
  const version = whole(body.version);
  const therapist = whole(body.therapist);
  const errors: AllocationFormError[] = [];
  // A form without a version cannot prove it saw the current allocation: treated as stale.
  if (version === null) errors.push({ field: 'shortlist', key: 'conflict' });
  if (therapist === null) errors.push({ field: 'shortlist', key: 'therapist' });
  if (body.note.trim().length > 1000) errors.push({ field: therapist === null ? 'shortlist' : `note-${therapist}`, key: 'note' });
  if (errors.length > 0) return { ok: false, errors, version };
  return { ok: true, version: version!, therapist: therapist!, note: body.note.trim() || null };
}

/** The required tasks of an episode: catalogue ids, and the version. */
export const requirementsFields = z.object({
  _csrf: z.string().max(200).optional(),
  version: z.string().max(12).default(''),
  task: many,
});

export function parseRequirements(body: z.output<typeof requirementsFields>): { ok: true; version: number; taskIds: number[] } | { ok: false; errors: AllocationFormError[] } {
  const version = whole(body.version);
  if (version === null) return { ok: false, errors: [{ field: 'shortlist', key: 'conflict' }] };
  const ids = asList(body.task).map(whole);
  if (ids.some((id) => id === null)) return { ok: false, errors: [{ field: 'tasks', key: 'tasks' }] };
  return { ok: true, version, taskIds: ids as number[] };
}

/** One therapist's capacity, travel areas and, per task code, `level-<code>` and `supervisor-<code>`. */
export const therapistFields = z
  .object({
    _csrf: z.string().max(200).optional(),
    capacity: z.string().max(20).default(''),
    areas: z.string().max(2000).default(''),
  })
  .catchall(z.string().max(40));

export interface TherapistForm {
  capacityHours: number;
  areas: string[];
  levels: Record<string, { level: CompetencyLevel | null; supervisorId: number | null }>;
}

export function parseTherapist(body: z.output<typeof therapistFields>, taskCodes: readonly string[]): { ok: true; value: TherapistForm } | { ok: false; errors: AllocationFormError[] } {
  const errors: AllocationFormError[] = [];
  const capacityText = body.capacity.trim();
  const capacityHours = /^\d{1,2}(\.\d)?$/.test(capacityText) ? Number(capacityText) : NaN;
  if (!(capacityHours >= 0 && capacityHours <= 60)) errors.push({ field: 'capacity', key: 'capacity' });
  const areas = body.areas.split(/[\s,]+/).filter((area) => area !== '');
  if (areas.length > 50 || areas.some((area) => !/^[A-Za-z0-9]{2,12}$/.test(area))) errors.push({ field: 'areas', key: 'areas' });
  const levels: TherapistForm['levels'] = {};
  for (const code of taskCodes) {
    const level = String(body[`level-${code}`] ?? '');
    const held: CompetencyLevel | null = level === 'green' || level === 'amber' || level === 'red' ? level : null;
    const supervisor = whole(String(body[`supervisor-${code}`] ?? ''));
    if (held === 'amber' && supervisor === null) errors.push({ field: `supervisor-${code}`, key: 'supervisor', task: code });
    levels[code] = { level: held, supervisorId: held === 'amber' ? supervisor : null };
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { capacityHours, areas, levels } };
}
