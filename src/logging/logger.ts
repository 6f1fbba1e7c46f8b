import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs with no personal data. Roots logs identifiers (pseudonyms, record ids,
 * counts) and never names, NHS numbers, postcodes, dates of birth or free text. Redaction is a
 * second line of defence for the fields that could carry them if a mistake were made.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.nhs_number',
  '*.nhsNumber',
  '*.given_name',
  '*.family_name',
  '*.givenName',
  '*.familyName',
  '*.date_of_birth',
  '*.dateOfBirth',
  '*.postcode',
  '*.email',
  '*.phone',
  '*.password',
  '*.body',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'roots' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      // The request line is logged without its query string, which could carry a search term.
      req: (request: { method?: string; url?: string; routeOptions?: { url?: string }; id?: string }) => ({
        id: request.id,
        method: request.method,
        route: request.routeOptions?.url ?? request.url?.split('?')[0],
      }),
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
