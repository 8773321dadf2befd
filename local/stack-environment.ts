/**
 * The environment of the local stack's single process: every variable of
 * shared/config/environment.ts (a deployed function gets only those of its capabilities; here
 * one process runs them all), plus the standard AWS SDK variables that point every client at
 * an emulator. Business code never learns it is local: the SDK reads
 * AWS_ENDPOINT_URL_<SERVICE> by itself.
 *
 * Apply it BEFORE importing any handler: adapters read their configuration at module load
 * (cold start), as in Lambda.
 */
import { randomBytes } from 'node:crypto';
import { CORS_ALLOWED_ORIGINS, formatCorsAllowList } from '../shared/config/cors.js';
import { LOCAL_AUDIT_HMAC_KEY_VARIABLE } from '../shared/adapters/audit-mac/audit-mac-from-environment.js';
import { LOCAL_NOTE_KEY_VARIABLE } from '../shared/adapters/note-cipher/note-cipher-from-environment.js';
import type { EnvironmentName } from '../shared/config/environment.js';
import { WORKFLOWS } from '../workflows/registry.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_EMAIL_FROM = 'no-reply@moodrx.example';

export function localStateMachineArn(workflowId: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:moodrx-local-${workflowId}`;
}

export interface StackEndpoints {
  dynamodb: string;
  ses: string;
  stepFunctions: string;
  cognito: string;
}

export interface StackEnvironmentInput {
  tableName: string;
  clientPool: { userPoolId: string; clientId: string };
  staffPool: { userPoolId: string; clientId: string };
  endpoints: StackEndpoints;
  /** The API's own URL; links in emails point here locally (there is no web app yet). */
  appBaseUrl: string;
  /** Default: 32 random bytes. */
  cursorSigningKey?: string;
  /** The audit chain's HMAC key, base64 (local/audit-key.ts); in AWS a KMS key instead. */
  auditHmacKey: string;
  /** The psychotherapy-note key, base64 (local/note-key.ts); in AWS a KMS key instead. */
  noteKey: string;
}

/** A web app under development, on any port of this machine, may call the local API. */
export const LOCAL_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'] as const;

/** Variables the SDK would otherwise pick up from the developer's machine and send to AWS. */
const UNSET = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;

export function buildStackEnvironment(input: StackEnvironmentInput): Record<string, string> {
  const application: Record<EnvironmentName, string> = {
    TABLE_NAME: input.tableName,
    CLIENT_USER_POOL_ID: input.clientPool.userPoolId,
    CLIENT_USER_POOL_CLIENT_ID: input.clientPool.clientId,
    STAFF_USER_POOL_ID: input.staffPool.userPoolId,
    STAFF_USER_POOL_CLIENT_ID: input.staffPool.clientId,
    SIGNUP_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.signup.id),
    CARE_LIFECYCLE_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.careLifecycle.id),
    CONSULTATION_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.consultation.id),
    RISK_ESCALATION_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.riskEscalation.id),
    SESSION_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.session.id),
    PROGRESS_REVIEWS_STATE_MACHINE_ARN: localStateMachineArn(WORKFLOWS.progressReviews.id),
    EMAIL_FROM: LOCAL_EMAIL_FROM,
    SES_CONFIGURATION_SET: '',
    APP_BASE_URL: input.appBaseUrl,
    // A new key at each start: cursors of an earlier run answer 400 invalid_cursor (start the list again).
    CURSOR_SIGNING_KEY: input.cursorSigningKey ?? randomBytes(32).toString('base64url'),
    // No KMS here: the audit MAC is an HMAC with the local key below.
    AUDIT_MAC_KEY_ARN: '',
    // No audit archive locally (no S3 emulator, no table stream): nothing here reads it, and
    // the archive adapter would refuse this empty value at start-up.
    AUDIT_ARCHIVE_BUCKET: '',
    // No KMS here: psychotherapy notes are sealed with the local key below.
    PSYCHOTHERAPY_NOTE_KEY_ARN: '',
  };
  return {
    ...application,
    [CORS_ALLOWED_ORIGINS]: formatCorsAllowList(LOCAL_CORS_ORIGINS),
    [LOCAL_AUDIT_HMAC_KEY_VARIABLE]: input.auditHmacKey,
    [LOCAL_NOTE_KEY_VARIABLE]: input.noteKey,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    // Fake, and harmless: every endpoint below is an emulator on this machine.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SES: input.endpoints.ses,
    AWS_ENDPOINT_URL_SFN: input.endpoints.stepFunctions,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: input.endpoints.cognito,
    // Node 20 is what this machine has; the SDK's notice about Node 22 is known (README).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'moodrx-local',
    POWERTOOLS_METRICS_NAMESPACE: 'MoodRxLocal',
    // Metrics have no CloudWatch here; Powertools would print EMF lines on every request.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** Writes the environment into `target` (process.env by default) and removes the AWS variables that would leak in. */
export function applyStackEnvironment(env: Record<string, string>, target: NodeJS.ProcessEnv = process.env): void {
  for (const name of UNSET) delete target[name];
  Object.assign(target, env);
}
