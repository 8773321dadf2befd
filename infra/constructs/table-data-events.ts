/**
 * CloudTrail data events of the application table: every item-level call (GetItem, Query,
 * PutItem, UpdateItem, DeleteItem, the batches and transactions) with the calling role, the
 * time and the source, delivered to a bucket of their own, encrypted with their own key, with
 * log-file integrity validation (signed digests) and a copy in CloudWatch Logs for alarms.
 * The application's audit chain records WHO in the product did what to a client's record; this
 * trail records which AWS principal called the table at all, including anyone who bypasses the
 * application (a rewritten audit chain shows here as calls a function role never makes).
 *
 * A trail only for these data events: management events are the account's organization trail's
 * business, and logging them here would charge for a second copy.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, ServicePrincipal, type Role } from 'aws-cdk-lib/aws-iam';
import { Trail, type CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './logs-key.js';

export interface TableDataEventsProps {
  readonly trailName: string;
  readonly table: ITable;
  readonly logRetentionDays: number;
  /** How long the trail's files are kept in the bucket. */
  readonly retentionDays: number;
  /** Of the CloudWatch copy only: the bucket and its key are always retained (evidence outlives a stage). */
  readonly removalPolicy: RemovalPolicy;
}

export class TableDataEvents extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TableDataEventsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `${props.trailName}: encryption of the table's CloudTrail data events`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail encrypts each file with this key (SSE-KMS), for trails of this account only.
    const stack = Stack.of(this);
    const trailsOfThisAccount = stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*' });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailEncryptsThisAccountsTrails',
        principals: [new ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailsOfThisAccount },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailDescribesTheKey',
        principals: [new ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
      }),
    );
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logGroup = encryptedLogGroup(this, 'Logs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.removalPolicy,
    });
    this.trail = new Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket: this.bucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      includeGlobalServiceEvents: false,
      isMultiRegionTrail: false,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
    });
    // The trail writes its CloudWatch copy with a role CDK gives an inline policy; MoodRx keeps
    // every policy managed (HIPAA.Security-IAMNoInlinePolicy): move the same statement.
    const logsRole = this.trail.node.findChild('LogsRole') as Role;
    logsRole.node.tryRemoveChild('DefaultPolicy');
    logsRole.addManagedPolicy(
      new ManagedPolicy(this, 'TrailLogsPolicy', {
        statements: [new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
      }),
    );
    const cfnTrail = this.trail.node.defaultChild as CfnTrail;
    // Advanced selectors only (CloudTrail refuses both kinds on one trail).
    cfnTrail.addPropertyDeletionOverride('EventSelectors');
    cfnTrail.addPropertyOverride('AdvancedEventSelectors', [
      {
        Name: 'Every item-level call on the application table',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'resources.ARN', Equals: [props.table.tableArn] },
        ],
      },
    ]);

    Validations.of(this.bucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          'The bucket holds only CloudTrail deliveries, written by cloudtrail.amazonaws.com and signed (log-file validation); reads of it are management events of the account trail. Server access logs would need another bucket that needs its own logs.',
      },
      {
        id: 'HIPAA.Security-S3BucketLoggingEnabled',
        reason: 'Same as AwsSolutions-S1: a bucket of CloudTrail deliveries only, integrity-validated by signed digest files.',
      },
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'The trail is regional like the table it records; cross-region replication of the trail belongs with a cross-region copy of the table, which this stage does not run. Versioning keeps overwritten or deleted files recoverable.',
      },
    );
  }
}
