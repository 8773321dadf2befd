/**
 * Per-stage configuration of the CDK app, validated with zod before any construct exists, so a
 * typo fails `cdk synth` with a sentence instead of a half-built template.
 *
 * Select a stage with `-c stage=dev|prod` (cdk.json defaults to dev). A few values can be
 * overridden from the command line because they differ per account, e.g.
 * `npx cdk deploy -c stage=prod -c emailFrom=no-reply@example.org -c alarmEmail=ops@example.org`.
 */
import * as z from 'zod';
import { CLIENT_IDENTIFIER_SETTINGS } from '../shared/domain/reviews/facts.js';
import { HttpsOriginSchema } from '../shared/http/cors.js';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** The retention periods CloudWatch Logs accepts (aws-logs RetentionDays). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const ThrottlingSchema = z.strictObject({ rateLimit: z.number().positive(), burstLimit: z.int().positive() });

export const StageConfigSchema = z.strictObject({
  stage: z.enum(STAGES),
  /** Deploy target; unset means an environment-agnostic template (fine for synth and tests). */
  account: z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region looks like us-east-1').optional(),
  /** The From address of every email. */
  emailFrom: z.email(),
  /** The SES identity that authorizes `emailFrom`: the address itself or its domain. */
  emailIdentity: z.string().min(3),
  /** Where links in emails point: the client app. */
  appBaseUrl: z.url({ protocol: /^https$/ }),
  /**
   * Origins whose browser apps may call the API (CORS, shared/http/cors.ts): exact https
   * origins, no wildcard. Default: the origin of appBaseUrl. Override with
   * `-c corsOrigins=https://app.example.org,https://admin.example.org`.
   */
  corsOrigins: z.array(HttpsOriginSchema).min(1).max(10),
  /** Requests per client IP per 5 minutes before the WAF blocks that IP (WAF minimum: 10). */
  wafRateLimitPer5Min: z.int().min(10).max(2_000_000_000),
  /**
   * Requests per client IP per 5 minutes to the sign-in routes (`/v1/auth/*`) and signup before
   * the WAF blocks that IP there: password guessing and account farming need many tries.
   */
  wafAuthRateLimitPer5Min: z.int().min(10).max(2_000_000_000),
  /** API Gateway stage throttling, for every method. */
  apiThrottling: ThrottlingSchema,
  /** API Gateway throttling of each sign-in and signup method (`/v1/auth/*`, `/v1/signup`): below the stage's. */
  authThrottling: ThrottlingSchema,
  logRetentionDays: z.union(LOG_RETENTION_DAYS.map((days) => z.literal(days))),
  /** DynamoDB deletion protection, Cognito user pool deletion protection. */
  deletionProtection: z.boolean(),
  /** What CloudFormation does with stateful resources (table, keys, pools, logs) on stack deletion. */
  removalPolicy: z.enum(['retain', 'destroy']),
  /** Optional email subscription of the alarm topic (confirm the subscription once). */
  alarmEmail: z.email().optional(),
  /**
   * Cognito threat protection (Plus feature plan): `audit` records risk events, `enforced` also
   * blocks compromised credentials and risky sign-ins.
   */
  threatProtection: z.enum(['audit', 'enforced']),
  /** Daily AWS Backup recovery points of the table are kept this many days. */
  backupRetentionDays: z.int().min(1).max(36_500),
  /** CloudTrail data events of the table (who called it) are kept this many days in their bucket. */
  tableDataEventsRetentionDays: z.int().min(1).max(36_500),
  powertoolsLogLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
  /**
   * What the weekly progress-review email may say about a client (PROGRESS_REVIEW_IDENTIFIERS of
   * the email task, shared/config/progress-reviews.ts): `none` (counts only, the default) or
   * `initials`. Override with `-c progressReviewIdentifiers=initials`.
   */
  progressReviewIdentifiers: z.enum(CLIENT_IDENTIFIER_SETTINGS),
});
export type StageConfig = z.infer<typeof StageConfigSchema>;

type StageDefaults = Omit<StageConfig, 'stage' | 'account' | 'region' | 'emailIdentity' | 'corsOrigins'> & { emailIdentity?: string };

const DEFAULTS: Record<Stage, StageDefaults> = {
  dev: {
    emailFrom: 'no-reply@moodrx.example',
    appBaseUrl: 'https://dev.moodrx.example',
    wafRateLimitPer5Min: 1_000,
    wafAuthRateLimitPer5Min: 100,
    apiThrottling: { rateLimit: 50, burstLimit: 100 },
    authThrottling: { rateLimit: 5, burstLimit: 10 },
    logRetentionDays: 30,
    deletionProtection: false,
    removalPolicy: 'destroy',
    threatProtection: 'audit',
    backupRetentionDays: 7,
    tableDataEventsRetentionDays: 90,
    powertoolsLogLevel: 'INFO',
    progressReviewIdentifiers: 'none',
  },
  prod: {
    emailFrom: 'no-reply@moodrx.example',
    appBaseUrl: 'https://app.moodrx.example',
    wafRateLimitPer5Min: 2_000,
    wafAuthRateLimitPer5Min: 100,
    apiThrottling: { rateLimit: 200, burstLimit: 400 },
    authThrottling: { rateLimit: 20, burstLimit: 40 },
    logRetentionDays: 365,
    deletionProtection: true,
    removalPolicy: 'retain',
    threatProtection: 'enforced',
    backupRetentionDays: 35,
    // Six years: HIPAA's retention of documentation (45 CFR 164.316(b)(2)).
    tableDataEventsRetentionDays: 2_190,
    powertoolsLogLevel: 'INFO',
    progressReviewIdentifiers: 'none',
  },
};

/** Context keys that may override a stage default from the command line (`-c key=value`). */
const OVERRIDABLE = ['account', 'region', 'emailFrom', 'emailIdentity', 'appBaseUrl', 'alarmEmail', 'progressReviewIdentifiers'] as const;

export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

/**
 * Reads the stage and its overrides from CDK context and validates the result.
 * `env` supplies CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, which the CDK CLI sets from the
 * caller's credentials when it has any.
 */
export function loadStageConfig(
  tryGetContext: (key: string) => unknown,
  env: Record<string, string | undefined> = process.env,
): StageConfig {
  const stage = tryGetContext('stage') ?? 'dev';
  if (typeof stage !== 'string' || !(STAGES as readonly string[]).includes(stage)) {
    throw new StageConfigError(`Unknown stage ${JSON.stringify(stage)}: use -c stage=${STAGES.join(' or -c stage=')}.`);
  }
  const defaults = DEFAULTS[stage as Stage];
  const overrides: Record<string, unknown> = {};
  for (const key of OVERRIDABLE) {
    const value = tryGetContext(key);
    if (value !== undefined && value !== '') overrides[key] = value;
  }
  const corsOrigins = tryGetContext('corsOrigins');
  if (corsOrigins !== undefined && corsOrigins !== '') {
    overrides.corsOrigins = typeof corsOrigins === 'string' ? corsOrigins.split(',').map((origin) => origin.trim()) : corsOrigins;
  }
  const candidate: Record<string, unknown> & { emailFrom: string; emailIdentity?: string; appBaseUrl: string; corsOrigins?: unknown } = {
    stage,
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
    ...defaults,
    ...overrides,
  };
  candidate.emailIdentity ??= candidate.emailFrom;
  candidate.corsOrigins ??= [originOf(candidate.appBaseUrl)];
  const parsed = StageConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new StageConfigError(`Invalid configuration for stage "${stage}":\n${problems.join('\n')}`);
  }
  const config = parsed.data;
  const identityCoversSender =
    config.emailIdentity.toLowerCase() === config.emailFrom.toLowerCase() ||
    config.emailFrom.toLowerCase().endsWith(`@${config.emailIdentity.toLowerCase()}`);
  if (!identityCoversSender) {
    throw new StageConfigError(
      `Invalid configuration for stage "${stage}": emailIdentity "${config.emailIdentity}" must be emailFrom itself or its domain.`,
    );
  }
  assertAuthLimitsBelowStage(config);
  return config;
}

/**
 * The sign-in and signup limits exist to be tighter than the API's: a WAF rule counting a
 * subset of requests never fires if its limit is the general one's, and a method throttle above
 * the stage's would let the sign-in routes use the whole account's capacity.
 */
export function assertAuthLimitsBelowStage(config: StageConfig): void {
  if (config.wafAuthRateLimitPer5Min >= config.wafRateLimitPer5Min) {
    throw new StageConfigError(
      `Invalid configuration for stage "${config.stage}": wafAuthRateLimitPer5Min (${config.wafAuthRateLimitPer5Min}) must be below wafRateLimitPer5Min (${config.wafRateLimitPer5Min}).`,
    );
  }
  const auth = config.authThrottling;
  const api = config.apiThrottling;
  if (auth.rateLimit >= api.rateLimit || auth.burstLimit >= api.burstLimit) {
    throw new StageConfigError(
      `Invalid configuration for stage "${config.stage}": authThrottling (${auth.rateLimit}/${auth.burstLimit}) must be below apiThrottling (${api.rateLimit}/${api.burstLimit}), rate and burst.`,
    );
  }
}

/** The origin of a URL, or the URL itself when it is not one (the schema then names the error). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
