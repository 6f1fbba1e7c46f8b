/**
 * The one catalogue of Roots errors. Every error a user can meet has a stable code, an HTTP
 * status for the API and a process exit code for the CLI (sysexits.h values, so scripts can
 * tell bad input from a missing server). docs/errors.md documents each code; a test keeps the
 * two in step.
 */
export const errorCatalogue = {
  BAD_REQUEST: { status: 400, exitCode: 64, title: 'The request or command is not valid' },
  VALIDATION_FAILED: { status: 400, exitCode: 65, title: 'Some values are not valid' },
  UNAUTHENTICATED: { status: 401, exitCode: 77, title: 'Sign in to continue' },
  FORBIDDEN: { status: 403, exitCode: 77, title: 'You do not have access to this' },
  CSRF_INVALID: { status: 403, exitCode: 77, title: 'This form has expired: go back, reload the page and try again' },
  SIGN_IN_LOCKED: { status: 429, exitCode: 75, title: 'Too many failed sign-in attempts: wait and try again' },
  NOT_FOUND: { status: 404, exitCode: 66, title: 'Not found' },
  FILE_NOT_FOUND: { status: 404, exitCode: 66, title: 'The file cannot be read' },
  CONFLICT: { status: 409, exitCode: 75, title: 'The record was changed by someone else' },
  ALREADY_EXISTS: { status: 409, exitCode: 73, title: 'That already exists' },
  IMPORT_REJECTED: { status: 422, exitCode: 65, title: 'The file has rows that cannot be imported' },
  FORMAT_NOT_RECOGNISED: { status: 422, exitCode: 65, title: 'The file layout is not recognised' },
  REFERENCE_DATA_MISSING: { status: 409, exitCode: 66, title: 'Reference data has not been imported' },
  UNKNOWN_MEASURE: { status: 404, exitCode: 64, title: 'There is no measure with that name' },
  MEASURE_INPUT_INVALID: { status: 422, exitCode: 65, title: 'The measure cannot be computed from this input' },
  PAYLOAD_TOO_LARGE: { status: 413, exitCode: 65, title: 'The request is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, exitCode: 65, title: 'The content type is not supported' },
  HEADERS_TOO_LARGE: { status: 431, exitCode: 65, title: 'The request headers are too large' },
  RATE_LIMITED: { status: 429, exitCode: 75, title: 'Too many requests' },
  CONFIG_INVALID: { status: 500, exitCode: 78, title: 'The configuration is not valid' },
  INTERNAL: { status: 500, exitCode: 70, title: 'Something went wrong' },
  NETWORK_UNAVAILABLE: { status: 502, exitCode: 69, title: 'A remote source cannot be reached' },
  DATABASE_UNAVAILABLE: { status: 503, exitCode: 69, title: 'The database cannot be reached' },
  DATA_DIR_IN_USE: { status: 503, exitCode: 75, title: 'The embedded database is in use by another process' },
  SHUTTING_DOWN: { status: 503, exitCode: 75, title: 'Roots is shutting down' },
} as const satisfies Record<string, { status: number; exitCode: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
