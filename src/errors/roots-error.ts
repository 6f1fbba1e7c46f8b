import { errorCatalogue, type ErrorCode } from './catalogue.ts';

/** One problem with one field or row, for validation and import reports. */
export interface Problem {
  /** Row number in a file (1 = first data row), when the problem comes from a file. */
  row?: number;
  /** Field, column or form input name. */
  field?: string;
  /** The offending value, when it is safe to show (never personal data in logs). */
  value?: string;
  reason: string;
}

export interface RootsErrorOptions {
  /** A plain-English explanation for the person who met the error. */
  detail?: string;
  problems?: Problem[];
  cause?: unknown;
}

/** The one error type Roots throws on purpose; anything else is reported as INTERNAL. */
export class RootsError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly problems: Problem[];

  constructor(code: ErrorCode, options: RootsErrorOptions = {}) {
    super(options.detail ?? errorCatalogue[code].title, { cause: options.cause });
    this.name = 'RootsError';
    this.code = code;
    this.detail = options.detail;
    this.problems = options.problems ?? [];
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }

  get title(): string {
    return errorCatalogue[this.code].title;
  }
}

export function isRootsError(error: unknown): error is RootsError {
  return error instanceof RootsError;
}

/** RFC 9457 problem details for the API. Messages of unexpected (5xx INTERNAL) errors are hidden. */
export function toProblemJson(error: unknown, instance?: string) {
  const known = isRootsError(error) ? error : new RootsError('INTERNAL');
  return {
    type: `/problems/${known.code.toLowerCase().replaceAll("_", "-")}`,
    title: known.title,
    status: known.status,
    code: known.code,
    ...(known.detail ? { detail: known.detail } : {}),
    ...(known.problems.length > 0 ? { problems: known.problems } : {}),
    ...(instance ? { instance } : {}),
  };
}
