import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { RootsError } from '../errors/roots-error.ts';

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Every environment variable Roots reads, validated once at start. */
const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a PostgreSQL URL starting postgres:// or postgresql://' })
    .optional(),
  ROOTS_DATA_DIR: z.string().default('./.roots/data'),
  ROOTS_REFERENCE_DIR: z
    .string()
    .refine((path) => path === 'none' || (existsSync(path) && statSync(path).isDirectory()), {
      message: 'must be a folder that exists (the reference pack, e.g. ../shared/reference), or none',
    })
    .optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(0)
    .max(65535, { message: 'must be a port number between 0 and 65535' })
    .default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROOTS_DEMO: booleanText.default(true),
  ROOTS_DEMO_PEOPLE: z.coerce.number().int().min(0).max(1_000_000).default(4000),
  ROOTS_DEMO_SEED: z.coerce.number().int().default(20261121),
  ROOTS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  ROOTS_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  ROOTS_SESSION_IDLE_MINUTES: z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(1).max(1440).default(30),
  ROOTS_SESSION_ABSOLUTE_HOURS: z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(1).max(168).default(12),
  ROOTS_SECURE_COOKIES: booleanText.default(true),
  ROOTS_CSRF_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  ROOTS_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  ROOTS_SIGN_IN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  ROOTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ROOTS_EQUITY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  referenceDir: string | undefined;
  host: string;
  port: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  demo: { enabled: boolean; people: number; seed: number };
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  sessions: SessionSettings;
  /** Requests per minute per client address: on every route but /health, /ready and assets, and on the equity audit routes. */
  /** Per client address per minute: every route, the equity audit routes, the public self-referral (/refer) routes. */
  rateLimit: { perMinute: number; equityPerMinute: number; referralPerMinute: number };
}

/** Staff sign-in and session settings (README: "Sessions"). */
export interface SessionSettings {
  /** A session unused for this long ends (idle timeout). */
  idleMs: number;
  /** A session ends this long after sign-in, however busy (absolute timeout). */
  absoluteMs: number;
  /** Cookies marked Secure (and named __Host-...); turn off only for plain HTTP away from localhost. */
  secureCookies: boolean;
  /** Key for the CSRF tokens' HMAC; a random one per process when unset. */
  csrfKey: string | undefined;
  /** Failed sign-ins to one account (since its last success) before backoff starts. */
  accountMaxFailures: number;
  /** Failed sign-ins from one client address within the window before backoff starts. */
  clientMaxFailures: number;
  /** The first lockout; each further failure doubles it, up to backoffCapMs. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Failures older than this are forgotten. */
  failureWindowMs: number;
  /** Sign-in form posts per client address per minute (@fastify/rate-limit). */
  ratePerMinute: number;
}

/**
 * Read and check the configuration. Empty variables count as unset. Every problem is reported
 * at once, naming the variable, so a misconfigured start fails with one clear message.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: String(issue.path[0]),
      reason: issue.message,
    }));
    throw new RootsError('CONFIG_INVALID', {
      detail: `Roots cannot start: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}.`,
      problems,
    });
  }
  const value = parsed.data;
  return {
    databaseUrl: value.DATABASE_URL,
    dataDir: resolve(value.ROOTS_DATA_DIR),
    referenceDir: referenceDirOf(value.ROOTS_REFERENCE_DIR),
    host: value.HOST,
    port: value.PORT,
    logLevel: value.LOG_LEVEL,
    demo: { enabled: value.ROOTS_DEMO, people: value.ROOTS_DEMO_PEOPLE, seed: value.ROOTS_DEMO_SEED },
    requestTimeoutMs: value.ROOTS_REQUEST_TIMEOUT_MS,
    shutdownGraceMs: value.ROOTS_SHUTDOWN_GRACE_MS,
    sessions: {
      idleMs: value.ROOTS_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: value.ROOTS_SESSION_ABSOLUTE_HOURS * 3_600_000,
      secureCookies: value.ROOTS_SECURE_COOKIES,
      csrfKey: value.ROOTS_CSRF_KEY,
      accountMaxFailures: value.ROOTS_SIGN_IN_MAX_FAILURES,
      clientMaxFailures: value.ROOTS_SIGN_IN_MAX_FAILURES * 4,
      backoffBaseMs: 60_000,
      backoffCapMs: 3_600_000,
      failureWindowMs: 86_400_000,
      ratePerMinute: value.ROOTS_SIGN_IN_RATE_PER_MINUTE,
    },
    rateLimit: { perMinute: value.ROOTS_RATE_LIMIT_PER_MINUTE, equityPerMinute: value.ROOTS_EQUITY_RATE_LIMIT_PER_MINUTE, referralPerMinute: value.ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE },
  };
}

/**
 * The reference pack: ROOTS_REFERENCE_DIR when set ('none' for no pack); otherwise the sample
 * pack when it sits beside the repository (../shared/reference), so that a fresh clone next to it
 * needs no setting to start with real geography.
 */
export const defaultReferenceDir = '../shared/reference';
function referenceDirOf(setting: string | undefined): string | undefined {
  if (setting === 'none') return undefined;
  if (setting) return resolve(setting);
  return existsSync(defaultReferenceDir) && statSync(defaultReferenceDir).isDirectory() ? resolve(defaultReferenceDir) : undefined;
}

/** A description of the database in use that never shows a password. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded PGlite in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
