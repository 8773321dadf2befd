/**
 * Per-stage configuration of the CDK app, validated with zod before any construct exists, so a
 * typo fails `cdk synth` with a sentence instead of a half-built template.
 *
 * Select a stage with `-c stage=dev|prod` (cdk.json defaults to dev). A few values can be
 * overridden from the command line because they differ per account, e.g.
 * `npx cdk deploy -c stage=prod -c emailFrom=no-reply@example.org -c alarmEmail=ops@example.org`.
 */
import * as z from 'zod';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** The retention periods CloudWatch Logs accepts (aws-logs RetentionDays). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

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
  /** Requests per client IP per 5 minutes before the WAF blocks that IP (WAF minimum: 10). */
  wafRateLimitPer5Min: z.int().min(10).max(2_000_000_000),
  /** API Gateway stage throttling, for every method. */
  apiThrottling: z.strictObject({ rateLimit: z.number().positive(), burstLimit: z.int().positive() }),
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
});
export type StageConfig = z.infer<typeof StageConfigSchema>;

type StageDefaults = Omit<StageConfig, 'stage' | 'account' | 'region' | 'emailIdentity'> & { emailIdentity?: string };

const DEFAULTS: Record<Stage, StageDefaults> = {
  dev: {
    emailFrom: 'no-reply@moodrx.example',
    appBaseUrl: 'https://dev.moodrx.example',
    wafRateLimitPer5Min: 1_000,
    apiThrottling: { rateLimit: 50, burstLimit: 100 },
    logRetentionDays: 30,
    deletionProtection: false,
    removalPolicy: 'destroy',
    threatProtection: 'audit',
    backupRetentionDays: 7,
    tableDataEventsRetentionDays: 90,
    powertoolsLogLevel: 'INFO',
  },
  prod: {
    emailFrom: 'no-reply@moodrx.example',
    appBaseUrl: 'https://app.moodrx.example',
    wafRateLimitPer5Min: 2_000,
    apiThrottling: { rateLimit: 200, burstLimit: 400 },
    logRetentionDays: 365,
    deletionProtection: true,
    removalPolicy: 'retain',
    threatProtection: 'enforced',
    backupRetentionDays: 35,
    // Six years: HIPAA's retention of documentation (45 CFR 164.316(b)(2)).
    tableDataEventsRetentionDays: 2_190,
    powertoolsLogLevel: 'INFO',
  },
};

/** Context keys that may override a stage default from the command line (`-c key=value`). */
const OVERRIDABLE = ['account', 'region', 'emailFrom', 'emailIdentity', 'appBaseUrl', 'alarmEmail'] as const;

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
  const candidate = {
    stage,
    account: env.CDK_DEFAULT_ACCOUNT,
    region: env.CDK_DEFAULT_REGION,
    ...defaults,
    ...overrides,
  };
  candidate.emailIdentity ??= candidate.emailFrom;
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
  return config;
}
