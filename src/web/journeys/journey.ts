import type { z } from 'zod';

/**
 * A multi-page form ("journey"), one question per page, following the NHS service manual:
 * GET renders a step, POST validates it and redirects to the next; a check-your-answers page;
 * then one call to the domain. Each step is a form object: the fields it shows, a zod schema
 * for its posted body, and `next(answers)`, the step that follows given every answer so far.
 *
 * The server never trusts the browser about where it is in the journey: the path of steps is
 * recomputed from the stored answers (`pathOf`), a step off that path is refused, and only
 * answers of steps on the path count when the journey is submitted (`answersOnPath`).
 * Answers are stored per step: `{ [stepId]: { field: value } }`.
 */

export type FieldKind = 'radios' | 'checkboxes' | 'text' | 'textarea' | 'date' | 'tel' | 'email' | 'consent';

export interface Field {
  name: string;
  kind: FieldKind;
  /** Values of radios and checkboxes, in order (labels are in the content files). */
  options?: readonly string[];
  /** An option that cannot be combined with others ("prefer not to say", "none of these"). */
  exclusive?: string;
  autocomplete?: string;
  /** Input width class of the NHS design system (text inputs). */
  width?: 'nhsuk-input--width-10' | 'nhsuk-input--width-20' | 'nhsuk-input--width-30';
  optional?: boolean;
}

export type StepAnswers = Record<string, unknown>;
export type Answers = Record<string, StepAnswers>;

/** Where a journey goes after a step: another step's id, or the check-your-answers page. */
export const checkAnswers = 'check';

/** What a step's schema may depend on besides the answers: today's date (injected for tests). */
export interface StepContext {
  today: string;
}

export interface StepForm {
  id: string;
  /** The fields, given the answers so far (a field may depend on an earlier answer). */
  fields(answers: Answers): readonly Field[];
  /** Validates the posted body; issue messages are error codes, paths the field names. */
  schema(answers: Answers, context: StepContext): z.ZodType<StepAnswers>;
  /** The next step's id, or `checkAnswers`. */
  next(answers: Answers): string;
  /** Steps whose answers this step's fields depend on: a changed answer there clears this one. */
  dependsOn?: readonly string[];
}

export interface Journey {
  steps: readonly StepForm[];
}

export function stepById(journey: Journey, id: string): StepForm | undefined {
  return journey.steps.find((step) => step.id === id);
}

/**
 * The steps a person passes through given their answers, from the first step: every answered
 * step, then the first unanswered one (the "frontier"), or up to check-your-answers when all
 * are answered. A cycle or an unknown step id is a programming error and throws.
 */
export function pathOf(journey: Journey, answers: Answers): { steps: string[]; complete: boolean } {
  const steps: string[] = [];
  let current: string = journey.steps[0]!.id;
  while (current !== checkAnswers) {
    const step = stepById(journey, current);
    if (!step) throw new Error(`Journey step "${current}" does not exist`);
    if (steps.includes(current)) throw new Error(`Journey step "${current}" repeats`);
    steps.push(current);
    if (!(current in answers)) return { steps, complete: false };
    current = step.next(answers);
  }
  return { steps, complete: true };
}

/** The first step still to answer, or `checkAnswers`. */
export function frontier(journey: Journey, answers: Answers): string {
  const path = pathOf(journey, answers);
  return path.complete ? checkAnswers : path.steps.at(-1)!;
}

/** A step may be shown and posted only when it is on the path (answered, or the next to answer). */
export function isReachable(journey: Journey, answers: Answers, id: string): boolean {
  return pathOf(journey, answers).steps.includes(id);
}

/** The step before this one on the path (for the back link), or null for the first. */
export function previousStep(journey: Journey, answers: Answers, id: string): string | null {
  const steps = pathOf(journey, answers).steps;
  const index = steps.indexOf(id);
  return index > 0 ? steps[index - 1]! : null;
}

/** Only the answers of steps on the path: answers left behind by a changed branch do not count. */
export function answersOnPath(journey: Journey, answers: Answers): Answers {
  const { steps } = pathOf(journey, answers);
  return Object.fromEntries(steps.filter((id) => id in answers).map((id) => [id, answers[id]!]));
}

export interface FieldError {
  field: string;
  code: string;
}

/**
 * Parses a posted body for one step. Unknown body keys (other than `_csrf`) are ignored; the
 * schema decides. Errors come back in the order of the step's fields, one per field.
 */
export function validateStep(step: StepForm, answers: Answers, body: Record<string, unknown>, context: StepContext): { ok: true; value: StepAnswers } | { ok: false; errors: FieldError[] } {
  const parsed = step.schema(answers, context).safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const order = step.fields(answers).map((field) => field.name);
  const errors = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? order[0] ?? 'form');
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return {
    ok: false,
    errors: [...errors.entries()]
      .map(([field, code]) => ({ field, code }))
      .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)),
  };
}

/** After a step is saved: the next step, or (when changing an answer from check-your-answers) the first step still to answer. */
export function afterSave(journey: Journey, answers: Answers, id: string, changing: boolean): string {
  if (changing) return frontier(journey, answers);
  return stepById(journey, id)!.next(answers);
}

/**
 * The answers after saving one step: a changed answer clears the answers of the steps that
 * depend on it (so they are asked again), and nothing else.
 */
export function saveStep(journey: Journey, answers: Answers, id: string, value: StepAnswers): Answers {
  const changed = JSON.stringify(answers[id]) !== JSON.stringify(value);
  const saved: Answers = { ...answers, [id]: value };
  if (!changed) return saved;
  for (const step of journey.steps) {
    if (step.dependsOn?.includes(id)) delete saved[step.id];
  }
  return saved;
}

/** Every answer on the path in one object (field names are unique across a journey's steps). */
export function flatAnswers(journey: Journey, answers: Answers): Record<string, unknown> {
  return Object.assign({}, ...Object.values(answersOnPath(journey, answers)));
}
