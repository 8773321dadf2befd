/**
 * One customer-managed KMS key per stack for its CloudWatch log groups (function logs, state
 * machine logs, API access logs): logs may carry identifiers of people in care, and the HIPAA
 * Security pack requires encrypted log groups. A key per stack keeps key policies local to the
 * stack that owns the log groups (no cross-stack key references).
 */
import { ArnFormat, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const KEY_ID = 'LogsKey';

export function logsKey(scope: Construct, removalPolicy: RemovalPolicy): Key {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(KEY_ID);
  if (existing) return existing as Key;
  const key = new Key(stack, KEY_ID, {
    description: `CloudWatch Logs encryption for ${stack.stackName}`,
    enableKeyRotation: true,
    removalPolicy,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchLogsUseForThisAccountsLogGroups',
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }),
  );
  return key;
}

export interface EncryptedLogGroupProps {
  readonly logGroupName?: string;
  readonly retention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/** A log group encrypted with its stack's logs key, with an explicit retention. */
export function encryptedLogGroup(scope: Construct, id: string, props: EncryptedLogGroupProps): LogGroup {
  return new LogGroup(scope, id, {
    ...(props.logGroupName ? { logGroupName: props.logGroupName } : {}),
    retention: props.retention,
    removalPolicy: props.removalPolicy,
    encryptionKey: logsKey(scope, props.removalPolicy),
  });
}
