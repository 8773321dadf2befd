/**
 * The one DynamoDB table (shared/platform/table-design.ts: PK/SK, GSI1, TTL), on-demand,
 * encrypted with a customer-managed key, with point-in-time recovery and a daily AWS Backup
 * plan into a vault with its own key and a vault lock; CloudTrail data events of every
 * item-level call; deletion protection and RETAIN in prod. And the audit chain's MAC key: a KMS
 * HMAC key (shared/adapters/audit-mac/kms-audit-mac.ts) that only the functions declaring
 * `audit:write`, `audit:write-staff` or `audit:verify` may use (infra/constructs/app-function.ts).
 * And the workflows' key: the customer-managed key of every state machine's definition and
 * execution history (infra/stacks/workflows-stack.ts), which holds client ids for 90 days.
 * And the audit archive: the table's stream (NEW_IMAGE) feeds the archiver
 * (workflows/stream-consumers.ts), which copies every audit event into an S3 bucket with Object
 * Lock in COMPLIANCE mode for 6 years, under a key of its own.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../shared/platform/table-design.js';
import type { StageConfig } from '../config.js';
import { TableDataEvents } from '../constructs/table-data-events.js';
import { auditArchiveBucketName, resourceName } from '../naming.js';

/**
 * How long each archived audit event is locked: 6 years (2192 days, leap days included), the
 * HIPAA retention of documentation (45 CFR 164.316(b)(2)(i)). COMPLIANCE mode: nobody, the
 * account root included, can delete an object version or shorten its retention before then.
 */
export const AUDIT_ARCHIVE_RETENTION_DAYS = 2192;

export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
}

export class DataStack extends Stack {
  readonly table: Table;
  readonly tableKey: Key;
  /** The HMAC key of list cursors (CURSOR_SIGNING_KEY): generated here at the first deploy, never in the repo. */
  readonly cursorSigningKey: Secret;
  /** HMAC_256, GENERATE_VERIFY_MAC: links the audit chain. */
  readonly auditMacKey: Key;
  /**
   * Encrypts every state machine's definition and execution history (inputs, outputs, state):
   * the state machines' roles and the functions that start or describe executions use it, each
   * only for its own state machine (encryption context aws:states:stateMachineArn).
   */
  readonly workflowsKey: Key;
  /**
   * Encrypts psychotherapy notes (45 CFR 164.501; envelope encryption, a data key per note with
   * the encryption context purpose/authorId/noteId): only the psychotherapy-note functions
   * (capability `notes:psychotherapy`) may use it, and only with purpose = psychotherapy-note.
   */
  readonly psychotherapyNoteKey: Key;
  /** Write-once copy of every audit event (Object Lock, COMPLIANCE, AUDIT_ARCHIVE_RETENTION_DAYS) and its key. */
  readonly auditArchive: { readonly bucket: Bucket; readonly key: Key };

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.tableKey = new Key(this, 'TableKey', {
      description: `MoodRx ${config.stage}: encryption of the application table and its backups`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // The audit chain's MAC key: whoever can write the table but not use this key cannot forge
    // a link. Retained whatever the stage: without it no stored chain can be verified again.
    this.auditMacKey = new Key(this, 'AuditMacKey', {
      description: `MoodRx ${config.stage}: HMAC key of the audit chain (GenerateMac by audit writers, VerifyMac by the verifier)`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Here, not in the workflows stack: the API's functions (another stack, which depends on
    // the workflows) start executions and must be granted the key too. The key policy delegates
    // to IAM (the account root); the grants are the roles' own, per state machine.
    this.workflowsKey = new Key(this, 'WorkflowsKey', {
      description: `MoodRx ${config.stage}: encryption of the Step Functions definitions and execution histories`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // Retained whatever the stage: without it no stored psychotherapy note opens again.
    this.psychotherapyNoteKey = new Key(this, 'PsychotherapyNoteKey', {
      description: `MoodRx ${config.stage}: envelope encryption of psychotherapy notes (their functions only)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // No rotation: KMS rotates symmetric encryption keys only (cdk-nag's KMS5 rule knows it),
    // and a new HMAC key would leave every stored chain unverifiable.

    this.table = new Table(this, 'Table', {
      tableName: resourceName(config.stage, 'data'),
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      // For the audit archiver (workflows/stream-consumers.ts): the item as written. Encrypted
      // with the table key; only the archiver's role may read it, through a filter that lets
      // audit events through and nothing else.
      stream: StreamViewType.NEW_IMAGE,
      removalPolicy,
    });
    this.cursorSigningKey = new Secret(this, 'CursorSigningKey', {
      description: `MoodRx ${config.stage}: HMAC key of list cursors (CURSOR_SIGNING_KEY)`,
      encryptionKey: this.tableKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    for (const [id, reason] of [
      ['AwsSolutions-SMG4', 'Cursor signing key: rotating it only invalidates the list cursors then in flight (400 invalid_cursor, the client starts the list again); it is rotated by a redeploy after replacing the secret value, and guards no stored data.'],
      ['HIPAA.Security-SecretsManagerRotationEnabled', 'Cursor signing key, not a credential: see AwsSolutions-SMG4 on this secret.'],
    ] as const) {
      Validations.of(this.cursorSigningKey).acknowledge({ id, reason });
    }
    for (const index of TABLE_DESIGN.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // PITR covers the last 35 days to the second; AWS Backup adds daily recovery points that
    // survive a deleted table and can be copied or locked by operations.
    // The vault has its own key: whoever may use the table's key (every function role) gets no
    // use of the backups' key, and disabling one key cannot take both the table and its backups.
    const backupKey = new Key(this, 'BackupKey', {
      description: `MoodRx ${config.stage}: encryption of the backup vault's recovery points`,
      enableKeyRotation: true,
      // Recovery points outlive the stack with their vault.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: backupKey,
      // A vault that holds recovery points cannot be deleted by CloudFormation; keep it and let
      // the plan's lifecycle expire the points.
      removalPolicy: RemovalPolicy.RETAIN,
      // Vault lock: no recovery point can be deleted (or its lifecycle shortened) before the plan's
      // retention, not even by an administrator. With `changeableFor` (prod) the lock becomes
      // immutable (compliance mode) once those days pass; without it (dev) it stays a
      // governance-mode lock that a privileged operator can remove to tear a stage down.
      lockConfiguration: {
        minRetention: Duration.days(config.backupRetentionDays),
        ...(config.removalPolicy === 'retain' ? { changeableFor: Duration.days(3) } : {}),
      },
    });
    const plan = new BackupPlan(this, 'BackupPlan', {
      backupPlanName: resourceName(config.stage, 'data-backup'),
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: Schedule.cron({ minute: '0', hour: '5' }),
          deleteAfter: Duration.days(config.backupRetentionDays),
        }),
      ],
    });
    const selection = plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: 'The AWS Backup service role uses the AWS-managed backup policy AWS Backup documents for this purpose; it is assumed only by backup.amazonaws.com.',
    });

    new TableDataEvents(this, 'TableDataEvents', {
      trailName: resourceName(config.stage, 'table-data-events'),
      table: this.table,
      logRetentionDays: config.logRetentionDays,
      retentionDays: config.tableDataEventsRetentionDays,
      removalPolicy: config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.auditArchive = this.createAuditArchive(config);

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The application table' });
    new CfnOutput(this, 'AuditArchiveBucketName', { value: this.auditArchive.bucket.bucketName, description: 'The write-once audit archive' });
  }

  /**
   * The audit archive: one object per audit event (shared/use-cases/access/archive-audit-events.ts),
   * locked for AUDIT_ARCHIVE_RETENTION_DAYS as it lands. Retained whatever the stage (CloudFormation
   * could not delete a bucket of locked objects anyway), and so is its key.
   *
   * A dedicated key rather than the table key: the table key follows the stage's removal policy
   * (destroyed with a dev stack) and every table writer may use it, while the archive must stay
   * readable for 6 years after any stack is gone and only the archiver may encrypt with its key
   * (kms:GenerateDataKey, capability audit:archive); reading it back is a grant for an auditor.
   *
   * No lifecycle transition: objects are about 1 KB, and the cheaper classes bill at least
   * 128 KB per object (S3 does not even transition objects that small by default).
   */
  private createAuditArchive(config: StageConfig): { bucket: Bucket; key: Key } {
    const key = new Key(this, 'AuditArchiveKey', {
      description: `MoodRx ${config.stage}: encryption of the write-once audit archive`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Server access logs of the archive (who put or read what, when). S3 delivers access logs
    // only to buckets encrypted with S3-managed keys, not SSE-KMS, and here through a bucket
    // policy for logging.s3.amazonaws.com rather than an ACL (cdk.json:
    // @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy), so ACLs stay disabled.
    const accessLogs = new Bucket(this, 'AuditArchiveAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bucket = new Bucket(this, 'AuditArchive', {
      bucketName: auditArchiveBucketName(this, config.stage),
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(AUDIT_ARCHIVE_RETENTION_DAYS)),
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      // One KMS call per bucket key rather than per object.
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'audit-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const replication =
      'Cross-Region replication of the audit archive is a per-deployment decision (a second Region with its own Object Lock bucket and key); within its Region S3 keeps every object redundantly across Availability Zones, and the table (point-in-time recovery, AWS Backup) holds the same events.';
    Validations.of(bucket).acknowledge({ id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: replication });
    Validations.of(accessLogs).acknowledge(
      { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: `The archive's server access logs: ${replication}` },
      {
        id: 'HIPAA.Security-S3DefaultEncryptionKMS',
        reason: 'S3 delivers server access logs only to buckets whose default encryption is SSE-S3 (S3-managed keys); a bucket with SSE-KMS default encryption cannot receive them. The logs name requests and keys (chain owner ids), no event content.',
      },
    );
    return { bucket, key };
  }
}
