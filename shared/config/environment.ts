/**
 * Environment variables, named once. Each adapter reads the variables it needs through
 * `readEnvironment` at cold start and fails then, not on the first request. Infra sets them
 * from the capabilities a function declares (CAPABILITY_ENVIRONMENT); the local stack sets
 * them all for its single process.
 *
 * Endpoints are NOT configuration of ours: the AWS SDK reads the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which the local stack points at the emulators.
 */
import * as z from 'zod';
import { INDEX_CAPABILITIES, TABLE_CAPABILITIES, type Capability } from '../platform/capabilities.js';

export const ENVIRONMENT_SCHEMA = {
  TABLE_NAME: z.string().min(1),
  CLIENT_USER_POOL_ID: z.string().min(1),
  CLIENT_USER_POOL_CLIENT_ID: z.string().min(1),
  STAFF_USER_POOL_ID: z.string().min(1),
  STAFF_USER_POOL_CLIENT_ID: z.string().min(1),
  SIGNUP_STATE_MACHINE_ARN: z.string().min(1),
  CARE_LIFECYCLE_STATE_MACHINE_ARN: z.string().min(1),
  CONSULTATION_STATE_MACHINE_ARN: z.string().min(1),
  RISK_ESCALATION_STATE_MACHINE_ARN: z.string().min(1),
  SESSION_STATE_MACHINE_ARN: z.string().min(1),
  PROGRESS_REVIEWS_STATE_MACHINE_ARN: z.string().min(1),
  EMAIL_FROM: z.string().min(3),
  /** Empty locally: the SES emulator has no configuration sets. */
  SES_CONFIGURATION_SET: z.string().default(''),
  /** Where links in emails point: the client app. */
  APP_BASE_URL: z.url(),
  /**
   * The HMAC key of list cursors (shared/use-cases/monitor/cursors.ts), at least 32 characters:
   * in AWS from a Secrets Manager secret CDK generates at deploy (infra/stacks/data-stack.ts);
   * locally a random key made at each start. Never in the repo.
   */
  CURSOR_SIGNING_KEY: z.string().min(32),
  /** The KMS HMAC key of the audit chain; empty locally (the local stack sets AUDIT_LOCAL_HMAC_KEY instead). */
  AUDIT_MAC_KEY_ARN: z.string().default(''),
  /** The write-once (Object Lock) bucket of the audit archive; AWS only (the local stack has no archive). */
  AUDIT_ARCHIVE_BUCKET: z.string().min(3),
  /** The KMS key of psychotherapy notes (envelope encryption); empty locally (PSYCHOTHERAPY_NOTE_LOCAL_KEY instead). */
  PSYCHOTHERAPY_NOTE_KEY_ARN: z.string().default(''),
} as const;

export type EnvironmentName = keyof typeof ENVIRONMENT_SCHEMA;
type Environment<K extends EnvironmentName> = { [P in K]: z.output<(typeof ENVIRONMENT_SCHEMA)[P]> };

/** The same variables for each of a family of capabilities (every table area, every index partition). */
function each<K extends string>(capabilities: readonly K[], names: readonly EnvironmentName[]): Record<K, readonly EnvironmentName[]> {
  const result = {} as Record<K, readonly EnvironmentName[]>;
  for (const capability of capabilities) result[capability] = names;
  return result;
}

export const CAPABILITY_ENVIRONMENT: Readonly<Record<Capability, readonly EnvironmentName[]>> = {
  ...each(TABLE_CAPABILITIES, ['TABLE_NAME']),
  ...each(INDEX_CAPABILITIES, ['TABLE_NAME']),
  idempotency: ['TABLE_NAME'],
  'identity:sign-in': ['CLIENT_USER_POOL_ID', 'CLIENT_USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_ID', 'STAFF_USER_POOL_CLIENT_ID'],
  'identity:admin-clients': ['CLIENT_USER_POOL_ID'],
  'identity:undo-client': ['CLIENT_USER_POOL_ID'],
  'identity:admin-staff': ['STAFF_USER_POOL_ID'],
  'workflow:signup': ['SIGNUP_STATE_MACHINE_ARN'],
  'workflow:care-lifecycle': ['CARE_LIFECYCLE_STATE_MACHINE_ARN'],
  'workflow:consultation': ['CONSULTATION_STATE_MACHINE_ARN'],
  'workflow:risk-escalation': ['RISK_ESCALATION_STATE_MACHINE_ARN'],
  'workflow:session': ['SESSION_STATE_MACHINE_ARN'],
  'workflow:progress-reviews': ['PROGRESS_REVIEWS_STATE_MACHINE_ARN'],
  'email:send': ['EMAIL_FROM', 'SES_CONFIGURATION_SET', 'APP_BASE_URL'],
  'cursor:sign': ['CURSOR_SIGNING_KEY'],
  'audit:write': ['TABLE_NAME', 'AUDIT_MAC_KEY_ARN'],
  'audit:write-staff': ['TABLE_NAME', 'AUDIT_MAC_KEY_ARN'],
  'audit:verify': ['TABLE_NAME', 'AUDIT_MAC_KEY_ARN'],
  'audit:archive': ['AUDIT_ARCHIVE_BUCKET'],
  'table:stream': [],
  'notes:psychotherapy': ['PSYCHOTHERAPY_NOTE_KEY_ARN'],
};

export class ConfigurationError extends Error {
  constructor(names: string[]) {
    super(`Missing or invalid environment variables: ${names.join(', ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the named variables; throws one error naming every bad one. */
export function readEnvironment<K extends EnvironmentName>(
  names: readonly K[],
  source: Record<string, string | undefined> = process.env,
): Environment<K> {
  const shape = Object.fromEntries(names.map((n) => [n, ENVIRONMENT_SCHEMA[n]]));
  const parsed = z.object(shape).safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError([...new Set(parsed.error.issues.map((i) => String(i.path[0])))]);
  }
  return parsed.data as Environment<K>;
}
