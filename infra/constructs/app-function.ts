/**
 * The one shape of every Lambda function of MoodRx: a bundled ESM handler on the newest Node.js
 * runtime (arm64), its own encrypted log group, X-Ray, Powertools settings, and - from the
 * capabilities the route table or the workflow registry declares - exactly the environment
 * variables (shared/config/environment.ts CAPABILITY_ENVIRONMENT) and the IAM statements
 * (shared/platform/capabilities.ts) it needs, nothing else.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CAPABILITY_ENVIRONMENT, type EnvironmentName } from '../../shared/config/environment.js';
import { isIndexCapability, isTableCapability, type Capability } from '../../shared/platform/capabilities.js';
import { IDEMPOTENCY_ACTIONS, READ_ONLY_TABLE_ACTIONS, reachesTable, tablePolicyOf, type TablePolicy } from '../../shared/platform/table-access.js';
import { TABLE_DESIGN } from '../../shared/platform/table-design.js';
import { WORKFLOWS } from '../../workflows/registry.js';
import type { StageConfig } from '../config.js';
import { auditArchiveBucketName, auditArchiveObjectsArn, resourceName, sesConfigurationSetName, stateMachineArn, stateMachineExecutionsArn } from '../naming.js';
import { iam5ResourceFinding } from '../nag.js';
import { encryptedLogGroup } from './logs-key.js';
import { ManagedPolicyRole } from './managed-policy-role.js';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/** The repository root: entries in the route table and the registry are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a Lambda event source mapping calls on the table's stream, with the function's role. */
export const TABLE_STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'] as const;
/**
 * What the audit archiver may do to the archive: put new objects. Not DeleteObject (Object Lock
 * would refuse it anyway), not PutObjectRetention or PutObjectLegalHold (so a put cannot ask for
 * a retention of its own), not BypassGovernanceRetention, not even GetObject.
 */
export const AUDIT_ARCHIVE_ACTIONS = ['s3:PutObject'] as const;
/** S3 asks KMS for a data key with the caller's permissions when it encrypts a new object (SSE-KMS). */
export const AUDIT_ARCHIVE_KEY_ACTIONS = ['kms:GenerateDataKey'] as const;
/** DynamoDB calls KMS with the caller's permissions to use the table's customer-managed key. */
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
const TABLE_KEY_WRITE_ACTIONS = [...TABLE_KEY_READ_ACTIONS, 'kms:Encrypt', 'kms:GenerateDataKey'] as const;
/** What the signup identity task calls on the client user pool (create, and undo its own half-made user). */
export const CLIENT_POOL_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminDeleteUser',
] as const;

/** What the signup compensation calls on the client user pool: find the user, delete it. */
export const CLIENT_POOL_UNDO_ACTIONS = ['cognito-idp:AdminGetUser', 'cognito-idp:AdminDeleteUser'] as const;

/** What creating a clinician calls on the staff user pool (create, group, undo). */
export const STAFF_POOL_ADMIN_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminDeleteUser',
] as const;

/** What `notes:psychotherapy` may do with the psychotherapy-note key (shared/adapters/note-cipher/kms-note-cipher.ts). */
export const PSYCHOTHERAPY_NOTE_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/** Everything a capability can bind to. Stacks pass what they have; a missing binding fails synth. */
export interface AppBindings {
  readonly config: StageConfig;
  readonly table?: { readonly table: ITable; readonly key: IKey };
  readonly clientPool?: { readonly pool: IUserPool; readonly client: IUserPoolClient };
  readonly staffPool?: { readonly pool: IUserPool; readonly client: IUserPoolClient };
  /** CURSOR_SIGNING_KEY (capability cursor:sign). */
  readonly cursorSigningKey?: ISecret;
  /** The audit chain's KMS HMAC key (audit:write, audit:verify). */
  readonly auditMacKey?: IKey;
  /** The psychotherapy-note key (notes:psychotherapy): GenerateDataKey and Decrypt, with purpose psychotherapy-note. */
  readonly psychotherapyNoteKey?: IKey;
  /** The state machines' customer-managed key (workflow:*; infra/stacks/workflows-stack.ts). */
  readonly workflowsKey?: IKey;
  /** The encryption key of the write-once audit archive (audit:archive); the bucket has a deterministic name (infra/naming.ts). */
  readonly auditArchive?: { readonly key: IKey };
}

export interface AppFunctionProps {
  /** Route id or workflow task id: the function is named `moodrx-<stage>-<id>`. */
  readonly id: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly capabilities: readonly Capability[];
  readonly bindings: AppBindings;
  readonly description: string;
  readonly timeout: Duration;
  /** How the function is invoked; it words the acknowledgements that depend on it. */
  readonly invokedBy: 'api' | 'state-machine' | 'schedule' | 'stream';
  readonly memorySize?: number;
  /** Settings of this function only (not a capability's), added to its environment. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Credential providers the SDK's default chain loads only with a dynamic `import()` and only
 * when no credentials are in the environment. Lambda always puts the role's credentials there,
 * so these never load in a function; leaving them out of the bundle saves about 120 KB per
 * function. (Should one ever be reached, the Node.js runtime ships the SDK and resolves it.)
 */
const LAZY_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
] as const;

export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: ManagedPolicyRole;
  /** The physical name, known at synth time: alarms and dashboards use it without an export. */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { config } = props.bindings;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.functionName = resourceName(config.stage, props.id);

    const logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy,
    });

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${this.functionName}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (any log group of the account): its own group only.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      functionName: this.functionName,
      description: props.description,
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'moodrx',
        POWERTOOLS_METRICS_NAMESPACE: 'MoodRx',
        POWERTOOLS_LOG_LEVEL: config.powertoolsLogLevel,
        ...this.environmentFor(props),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        // The AWS SDK v3 is bundled (and tree-shaken) rather than taken from the runtime: the
        // version we test is the version we run, and cold starts load only what is used.
        bundleAwsSDK: true,
        externalModules: [...LAZY_CREDENTIAL_PROVIDERS],
        // CommonJS dependencies bundled into ESM still call `require` for Node built-ins.
        banner: "import { createRequire as __moodrxCreateRequire } from 'node:module'; const require = __moodrxCreateRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
    this.function.node.addDependency(logGroup);

    for (const statement of this.statementsFor(props)) this.role.addToPrincipalPolicy(statement);
    this.acknowledgeFindings(props);
  }

  /** The one Errors alarm shape of a function; placed by the monitoring stack. */
  createErrorsAlarm(scope: Construct, id: string): Alarm {
    return new Alarm(scope, id, {
      alarmName: `${this.functionName}-errors`,
      alarmDescription: `${this.functionName} threw or timed out (a handled problem response is not an error).`,
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: { FunctionName: this.functionName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  private environmentFor(props: AppFunctionProps): Record<string, string> {
    const names = new Set<EnvironmentName>(props.capabilities.flatMap((capability) => CAPABILITY_ENVIRONMENT[capability]));
    return Object.fromEntries([...names].sort().map((name) => [name, this.environmentValue(name, props.bindings)]));
  }

  private environmentValue(name: EnvironmentName, bindings: AppBindings): string {
    const { config } = bindings;
    switch (name) {
      case 'TABLE_NAME':
        return need(bindings.table, name).table.tableName;
      case 'CLIENT_USER_POOL_ID':
        return need(bindings.clientPool, name).pool.userPoolId;
      case 'CLIENT_USER_POOL_CLIENT_ID':
        return need(bindings.clientPool, name).client.userPoolClientId;
      case 'STAFF_USER_POOL_ID':
        return need(bindings.staffPool, name).pool.userPoolId;
      case 'STAFF_USER_POOL_CLIENT_ID':
        return need(bindings.staffPool, name).client.userPoolClientId;
      case 'SIGNUP_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.signup.id);
      case 'CARE_LIFECYCLE_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.careLifecycle.id);
      case 'CONSULTATION_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.consultation.id);
      case 'RISK_ESCALATION_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.riskEscalation.id);
      case 'SESSION_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.session.id);
      case 'PROGRESS_REVIEWS_STATE_MACHINE_ARN':
        return stateMachineArn(this, config.stage, WORKFLOWS.progressReviews.id);
      case 'EMAIL_FROM':
        return config.emailFrom;
      case 'SES_CONFIGURATION_SET':
        return sesConfigurationSetName(config.stage);
      case 'APP_BASE_URL':
        return config.appBaseUrl;
      case 'CURSOR_SIGNING_KEY':
        // A CloudFormation dynamic reference: resolved into the (KMS-encrypted) environment at
        // deploy, so the function needs no Secrets Manager call or grant, and the value is never
        // in the template or the repo. Changing the secret takes effect at the next deploy.
        return need(bindings.cursorSigningKey, name).secretValue.unsafeUnwrap();
      case 'AUDIT_MAC_KEY_ARN':
        return need(bindings.auditMacKey, name).keyArn;
      case 'PSYCHOTHERAPY_NOTE_KEY_ARN':
        return need(bindings.psychotherapyNoteKey, name).keyArn;
      case 'AUDIT_ARCHIVE_BUCKET':
        need(bindings.auditArchive, name);
        return auditArchiveBucketName(this, config.stage);
      default:
        return unreachable(name);
    }
  }

  private statementsFor(props: AppFunctionProps): PolicyStatement[] {
    const { bindings, capabilities } = props;
    const { stage } = bindings.config;
    const statements: PolicyStatement[] = [];
    const keyActions = new Set<string>();
    // The table: one derivation (shared/platform/table-access.ts), enforced locally as well.
    const policy = tablePolicyOf(props.id, capabilities);
    for (const action of [...policy.table.keys(), ...(policy.idempotency.length > 0 ? IDEMPOTENCY_ACTIONS : [])]) {
      (READ_ONLY_TABLE_ACTIONS.has(action) ? TABLE_KEY_READ_ACTIONS : TABLE_KEY_WRITE_ACTIONS).forEach((a) => keyActions.add(a));
    }
    if (policy.index.size > 0) TABLE_KEY_READ_ACTIONS.forEach((a) => keyActions.add(a));
    for (const capability of capabilities) {
      if (isTableCapability(capability) || isIndexCapability(capability)) continue;
      switch (capability) {
        case 'idempotency':
          // Granted with the table's statements (tableStatements).
          break;
        case 'identity:sign-in':
          // USER_PASSWORD_AUTH, refresh and the MFA challenges are public Cognito APIs of the
          // app clients: no IAM permission is involved.
          need(bindings.clientPool, capability);
          need(bindings.staffPool, capability);
          break;
        case 'identity:admin-clients':
          statements.push(
            new PolicyStatement({
              sid: 'ClientPoolAdministration',
              actions: [...CLIENT_POOL_ADMIN_ACTIONS],
              resources: [need(bindings.clientPool, capability).pool.userPoolArn],
            }),
          );
          break;
        case 'identity:undo-client':
          statements.push(
            new PolicyStatement({
              sid: 'ClientPoolUndo',
              actions: [...CLIENT_POOL_UNDO_ACTIONS],
              resources: [need(bindings.clientPool, capability).pool.userPoolArn],
            }),
          );
          break;
        case 'identity:admin-staff':
          statements.push(
            new PolicyStatement({
              sid: 'StaffPoolAdministration',
              actions: [...STAFF_POOL_ADMIN_ACTIONS],
              resources: [need(bindings.staffPool, capability).pool.userPoolArn],
            }),
          );
          break;
        case 'workflow:signup':
          statements.push(
            new PolicyStatement({
              sid: 'StartSignup',
              actions: ['states:StartSyncExecution'],
              resources: [stateMachineArn(this, stage, WORKFLOWS.signup.id)],
            }),
            workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'Signup', WORKFLOWS.signup.id),
          );
          break;
        case 'workflow:care-lifecycle':
          statements.push(...startStandardWorkflow(this, stage, 'CareLifecycle', WORKFLOWS.careLifecycle.id), workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'CareLifecycle', WORKFLOWS.careLifecycle.id));
          break;
        case 'workflow:consultation':
          statements.push(...startStandardWorkflow(this, stage, 'Consultation', WORKFLOWS.consultation.id), workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'Consultation', WORKFLOWS.consultation.id));
          break;
        case 'workflow:risk-escalation':
          statements.push(...startStandardWorkflow(this, stage, 'RiskEscalation', WORKFLOWS.riskEscalation.id), workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'RiskEscalation', WORKFLOWS.riskEscalation.id));
          break;
        case 'workflow:session':
          statements.push(...startStandardWorkflow(this, stage, 'Session', WORKFLOWS.session.id), workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'Session', WORKFLOWS.session.id));
          break;
        case 'workflow:progress-reviews':
          statements.push(
            ...startStandardWorkflow(this, stage, 'ProgressReviews', WORKFLOWS.progressReviews.id),
            workflowKeyUse(this, need(bindings.workflowsKey, capability), stage, 'ProgressReviews', WORKFLOWS.progressReviews.id),
          );
          break;
        case 'email:send': {
          const stack = Stack.of(this);
          statements.push(
            new PolicyStatement({
              sid: 'SendEmailAsTheConfiguredSender',
              actions: ['ses:SendEmail', 'ses:SendRawEmail'],
              resources: [
                stack.formatArn({ service: 'ses', resource: 'identity', resourceName: bindings.config.emailIdentity }),
                stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: sesConfigurationSetName(stage) }),
              ],
              conditions: { StringEquals: { 'ses:FromAddress': bindings.config.emailFrom } },
            }),
          );
          break;
        }
        case 'cursor:sign':
          // The key is in the environment (environmentValue): no IAM permission is involved.
          need(bindings.cursorSigningKey, capability);
          break;
        case 'audit:write':
        case 'audit:write-staff':
          // Appends audit events: the MAC of each new link. Never VerifyMac: a writer has no use for it.
          if (!statements.some((statement) => statement.sid === 'AuditChainGenerateMac')) {
            statements.push(new PolicyStatement({ sid: 'AuditChainGenerateMac', actions: ['kms:GenerateMac'], resources: [need(bindings.auditMacKey, capability).keyArn] }));
          }
          break;
        case 'audit:verify':
          statements.push(new PolicyStatement({ sid: 'AuditChainVerifyMac', actions: ['kms:VerifyMac'], resources: [need(bindings.auditMacKey, capability).keyArn] }));
          break;
        case 'audit:archive': {
          const { key } = need(bindings.auditArchive, capability);
          statements.push(
            new PolicyStatement({ sid: 'AuditArchivePutObject', actions: [...AUDIT_ARCHIVE_ACTIONS], resources: [auditArchiveObjectsArn(this, stage)] }),
            new PolicyStatement({ sid: 'AuditArchiveKey', actions: [...AUDIT_ARCHIVE_KEY_ACTIONS], resources: [key.keyArn] }),
          );
          break;
        }
        case 'notes:psychotherapy':
          // Envelope encryption: a data key per note, opened again by Decrypt; never Encrypt
          // (nothing is encrypted by KMS directly), never another key, never another purpose.
          statements.push(
            new PolicyStatement({
              sid: 'PsychotherapyNoteKey',
              actions: [...PSYCHOTHERAPY_NOTE_KEY_ACTIONS],
              resources: [need(bindings.psychotherapyNoteKey, capability).keyArn],
              conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'psychotherapy-note' } },
            }),
          );
          break;
        case 'table:stream': {
          // The event source mapping reads the stream with the function's role; the stream is
          // encrypted with the table key. The exact stream, never `stream/*` or `*`.
          const { table } = need(bindings.table, capability);
          statements.push(new PolicyStatement({ sid: 'TableStreamRead', actions: [...TABLE_STREAM_ACTIONS], resources: [need(table.tableStreamArn, 'the table stream')] }));
          TABLE_KEY_READ_ACTIONS.forEach((a) => keyActions.add(a));
          break;
        }
        default:
          unreachable(capability);
      }
    }
    if (reachesTable(policy)) statements.push(...tableStatements(need(bindings.table, 'table access').table, policy));
    if (keyActions.size > 0) {
      const { key } = need(bindings.table, 'table encryption');
      statements.push(new PolicyStatement({ sid: 'TableKey', effect: Effect.ALLOW, actions: [...keyActions].sort(), resources: [key.keyArn] }));
    }
    return statements;
  }

  private acknowledgeFindings(props: AppFunctionProps): void {
    const { stage } = props.bindings.config;
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*".',
    });
    if (props.capabilities.includes('audit:archive')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, auditArchiveObjectsArn(this, stage)),
        reason:
          's3:PutObject (and nothing else) on the objects of the audit archive bucket only: one object per audit event, keyed by chain owner and sequence number, none known at deploy time; Object Lock (COMPLIANCE) keeps every version from deletion or overwrite.',
      });
    }
    if (props.capabilities.includes('workflow:care-lifecycle')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, stateMachineExecutionsArn(this, stage, WORKFLOWS.careLifecycle.id)),
        reason: 'states:DescribeExecution on the executions of the care-lifecycle state machine only; execution names (one per client) are not known at deploy time.',
      });
    }
    if (props.capabilities.includes('workflow:consultation')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, stateMachineExecutionsArn(this, stage, WORKFLOWS.consultation.id)),
        reason: 'states:DescribeExecution on the executions of the consultation state machine only; execution names (one per consultation and version) are not known at deploy time.',
      });
    }
    if (props.capabilities.includes('workflow:session')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, stateMachineExecutionsArn(this, stage, WORKFLOWS.session.id)),
        reason: 'states:DescribeExecution on the executions of the session state machine only; execution names (one per session and version) are not known at deploy time.',
      });
    }
    if (props.capabilities.includes('workflow:progress-reviews')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, stateMachineExecutionsArn(this, stage, WORKFLOWS.progressReviews.id)),
        reason: 'states:DescribeExecution on the executions of the progress-reviews state machine only; execution names (one per UTC hour) are not known at deploy time.',
      });
    }
    if (props.capabilities.includes('workflow:risk-escalation')) {
      Validations.of(this.role).acknowledge({
        id: iam5ResourceFinding(this, stateMachineExecutionsArn(this, stage, WORKFLOWS.riskEscalation.id)),
        reason: 'states:DescribeExecution on the executions of the risk-escalation state machine only; execution names (one per flagged assessment or check-in) are not known at deploy time.',
      });
    }
    const invocation =
      props.invokedBy === 'api'
        ? 'API Gateway invokes it synchronously (Lambda proxy): a failure goes back to the caller as a problem response, and the caller retries; a dead-letter queue only ever receives failed ASYNCHRONOUS invocations, and there are none.'
        : props.invokedBy === 'state-machine'
          ? 'Step Functions invokes it synchronously as a Task: a failure is retried and caught by the state machine (Retry/Catch), which compensates; a dead-letter queue only ever receives failed ASYNCHRONOUS invocations, and there are none.'
          : props.invokedBy === 'schedule'
            ? 'EventBridge Scheduler invokes it on its schedule (retried by the schedule\'s retry policy); the event carries nothing (the function reads its work from the table), so a dead-letter queue would keep nothing worth replaying: a failed run raises the function\'s Errors alarm and the next scheduled run does the same work, idempotently.'
            : 'A DynamoDB stream event source mapping invokes it synchronously: failed records are retried by the mapping and then sent to the mapping\'s own on-failure destination (an SQS queue with an alarm on its depth); a function-level dead-letter queue only ever receives failed ASYNCHRONOUS invocations, and there are none.';
    Validations.of(this.function).acknowledge(
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason: invocation,
      },
      {
        id: 'HIPAA.Security-LambdaInsideVPC',
        reason:
          'MoodRx has no VPC resources: the function only calls AWS APIs (DynamoDB, Cognito, Step Functions, SES) over TLS with IAM-signed requests; a VPC would add NAT or endpoint costs and cold-start latency without protecting any data path.',
      },
      {
        id: 'HIPAA.Security-LambdaConcurrency',
        reason:
          props.invokedBy === 'stream'
            ? 'Concurrency is bounded by the stream: one invocation at a time per shard (parallelization factor 1); reserving concurrency per function would subtract from the account pool and fails deployment in accounts with the default low limit.'
            : 'Concurrency is bounded upstream by API Gateway stage throttling and the WAF rate-based rule (per stage config); reserving concurrency per function would subtract from the account pool and fails deployment in accounts with the default low limit.',
      },
    );
  }
}

/**
 * The table's statements: actions with the same partition-key patterns share one statement
 * (ForAllValues: every key a request touches, a batch's included, must match); the GSI1
 * queries; and, for every role that reaches the table, an explicit Deny of Update, Delete and
 * BatchWrite on the audit partitions (ForAnyValue: one audit key in a request is enough), which
 * no later Allow can undo.
 */
function tableStatements(table: ITable, policy: TablePolicy): PolicyStatement[] {
  const byPatterns = new Map<string, string[]>();
  for (const [action, patterns] of policy.table) {
    const signature = JSON.stringify([...patterns].sort());
    byPatterns.set(signature, [...(byPatterns.get(signature) ?? []), action]);
  }
  const statements = [...byPatterns.entries()]
    .map(([signature, actions]) => ({ patterns: JSON.parse(signature) as string[], actions: actions.sort() }))
    .sort((a, b) => a.actions.join().localeCompare(b.actions.join()))
    .map(
      ({ patterns, actions }, index) =>
        new PolicyStatement({
          sid: `TableItems${index + 1}`,
          actions,
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns } },
        }),
    );
  if (policy.idempotency.length > 0) {
    // Only the function's own idempotency partition (shared/http/idempotency.ts).
    statements.push(
      new PolicyStatement({
        sid: 'IdempotencyRecords',
        actions: [...IDEMPOTENCY_ACTIONS],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...policy.idempotency] } },
      }),
    );
  }
  if (policy.index.size > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'TableIndexQueries',
        actions: ['dynamodb:Query'],
        resources: TABLE_DESIGN.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...policy.index].sort() } },
      }),
    );
  }
  statements.push(
    new PolicyStatement({
      sid: 'NoAuditRewrite',
      effect: Effect.DENY,
      actions: [...policy.deny.actions],
      resources: [table.tableArn],
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [...policy.deny.leadingKeys] } },
    }),
  );
  return statements;
}

function need<T>(binding: T | undefined, what: string): T {
  if (binding === undefined) {
    throw new Error(`AppFunction: "${what}" needs a binding this stack did not provide (see AppBindings).`);
  }
  return binding;
}

function unreachable(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}

/**
 * Start one Standard workflow, and describe its own executions (deterministic names make a
 * start idempotent; the describe tells a retry what the first start did).
 */
function startStandardWorkflow(scope: Construct, stage: StageConfig['stage'], sidName: string, workflowId: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: `Start${sidName}`,
      actions: ['states:StartExecution'],
      resources: [stateMachineArn(scope, stage, workflowId)],
    }),
    new PolicyStatement({
      sid: `Describe${sidName}Executions`,
      actions: ['states:DescribeExecution'],
      resources: [stateMachineExecutionsArn(scope, stage, workflowId)],
    }),
  ];
}

/**
 * The state machines' customer-managed key, for this one state machine only: Step Functions
 * encrypts an execution's input with a data key when it starts (kms:GenerateDataKey) and
 * decrypts what DescribeExecution returns (kms:Decrypt), both with the encryption context
 * aws:states:stateMachineArn (AWS: "Data at rest encryption in Step Functions").
 */
function workflowKeyUse(scope: Construct, key: IKey, stage: StageConfig['stage'], sidName: string, workflowId: string): PolicyStatement {
  return new PolicyStatement({
    sid: `${sidName}WorkflowKey`,
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn(scope, stage, workflowId) } },
  });
}
