import { contentFor, type Language } from '../../content/index.ts';
import { pathOf, stepById, type Answers, type Field, type FieldError, type Journey, type StepForm } from '../journey.ts';
import { unlistedSteps } from './steps.ts';

/**
 * What the /refer templates render, built from a step's fields and the content files: the
 * templates only lay it out with the NHS design system's macros.
 */

interface FieldContent {
  label?: string;
  hint?: string;
  options?: Record<string, string>;
  errors?: Record<string, string>;
  day?: string;
  month?: string;
  year?: string;
}
interface StepContent {
  title: string;
  summary: string;
  hint?: string;
  paragraphs?: readonly string[];
  fields: Record<string, FieldContent>;
}

const stepContent = (language: Language, id: string): StepContent => (contentFor(language).refer.steps as unknown as Record<string, StepContent>)[id]!;

export interface FieldView {
  kind: Field['kind'];
  name: string;
  id: string;
  label: string | null;
  hint: string | null;
  /** The question is the page's heading (one question on the page). */
  isPageHeading: boolean;
  value: string;
  items: { value: string; text: string; checked: boolean; exclusive: boolean }[];
  /** The date input's three boxes. */
  dateItems: { name: string; label: string; value: string; width: number; autocomplete: string }[];
  error: string | null;
  autocomplete: string | null;
  width: string | null;
  optional: boolean;
}

export interface StepView {
  id: string;
  title: string;
  hint: string | null;
  paragraphs: readonly string[];
  /** The title is the heading of the page, not the legend or label of a field. */
  ownHeading: boolean;
  fields: FieldView[];
  errors: { field: string; text: string }[];
  urgentHelp: boolean;
}

/** Where an error summary entry links: the field's first input. */
const anchorOf = (field: Field) => (field.kind === 'date' ? `${field.name}-day` : field.name);

export function stepView(step: StepForm, answers: Answers, values: Record<string, unknown>, errors: readonly FieldError[], language: Language): StepView {
  const content = stepContent(language, step.id);
  const fields = step.fields(answers);
  const single = fields.length === 1 && fields[0]!.kind !== 'consent' && !content.paragraphs;
  const errorText = (field: Field, code: string) => content.fields[field.name]?.errors?.[code] ?? content.fields[field.name]?.errors?.invalid ?? code;
  const errorsFor = new Map(errors.map((error) => [error.field, error.code]));
  const views = fields.map((field): FieldView => {
    const fieldContent = content.fields[field.name] ?? {};
    const raw = values[field.name];
    const chosen = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : raw === true ? ['yes'] : [];
    const code = errorsFor.get(field.name);
    const dateValue = typeof values.dateOfBirth === 'string' ? values.dateOfBirth.split('-') : null;
    const datePart = (part: 'day' | 'month' | 'year', index: number) => {
      const posted = values[`${field.name}[${part}]`];
      if (typeof posted === 'string') return posted;
      const stored = dateValue?.[index];
      return stored === undefined ? '' : part === 'year' ? stored : String(Number(stored));
    };
    return {
      kind: field.kind,
      name: field.name,
      id: field.name,
      label: single ? content.title : (fieldContent.label ?? null),
      hint: single ? (content.hint ?? null) : (fieldContent.hint ?? null),
      isPageHeading: single,
      value: typeof raw === 'string' ? raw : '',
      items: (field.options ?? []).map((option) => ({
        value: option,
        text: fieldContent.options?.[option] ?? option,
        checked: chosen.includes(option) || (option === 'yes' && field.name === 'noFixedAddress' && values.noFixedAddress === true),
        exclusive: option === 'none' || option === 'prefer_not_to_say',
      })),
      dateItems: field.kind === 'date'
        ? [
            { name: 'day', label: fieldContent.day ?? 'Day', value: datePart('day', 2), width: 2, autocomplete: 'bday-day' },
            { name: 'month', label: fieldContent.month ?? 'Month', value: datePart('month', 1), width: 2, autocomplete: 'bday-month' },
            { name: 'year', label: fieldContent.year ?? 'Year', value: datePart('year', 0), width: 4, autocomplete: 'bday-year' },
          ]
        : [],
      error: code ? errorText(field, code) : null,
      autocomplete: field.autocomplete ?? null,
      width: field.width ?? null,
      optional: field.optional === true,
    };
  });
  return {
    id: step.id,
    title: content.title,
    hint: single ? null : (content.hint ?? null),
    paragraphs: content.paragraphs ?? [],
    ownHeading: !single,
    fields: views,
    errors: errors.map((error) => {
      const field = fields.find((f) => f.name === error.field);
      return { field: field ? anchorOf(field) : error.field, text: field ? errorText(field, error.code) : error.code };
    }),
    urgentHelp: step.id === 'urgent-help',
  };
}

export interface CheckRow {
  step: string;
  key: string;
  lines: string[];
  href: string;
}

const months: Record<Language, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
};

/** "15 March 1984" (or "15 Mawrth 1984"). */
export function longDate(iso: string, language: Language): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${months[language][month! - 1]} ${year}`;
}

/** Check-your-answers rows: one per answered step on the path, each with a change link. */
export function checkRows(journey: Journey, answers: Answers, language: Language): CheckRow[] {
  const t = contentFor(language).refer;
  const rows: CheckRow[] = [];
  for (const id of pathOf(journey, answers).steps) {
    if (unlistedSteps.has(id) || !(id in answers)) continue;
    const step = stepById(journey, id)!;
    const content = stepContent(language, id);
    const values = answers[id]!;
    const lines: string[] = [];
    for (const field of step.fields(answers)) {
      const value = values[field.name];
      const options = content.fields[field.name]?.options ?? {};
      if (field.kind === 'date' && typeof value === 'string') lines.push(longDate(value, language));
      else if (field.name === 'noFixedAddress') {
        if (value === true) lines.push(t.check.noFixedAddress);
      } else if (Array.isArray(value)) lines.push(...value.map((v) => options[String(v)] ?? String(v)));
      else if (typeof value === 'string' && value !== '') lines.push(field.options ? (options[value] ?? value) : value);
    }
    if (id === 'date-of-birth' && typeof values.dateOfBirth === 'string' && lines.length === 0) lines.push(longDate(values.dateOfBirth, language));
    rows.push({ step: id, key: content.summary, lines: lines.length > 0 ? lines : [t.check.notAnswered], href: `/refer/${id}?change=1` });
  }
  return rows;
}
