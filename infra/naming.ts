/**
 * Physical names. Functions, state machines, the API, queues, the audit archive bucket and the SES configuration set have
 * deterministic names, so a stack can address another stack's resource (an alarm's metric, a
 * state machine ARN in an IAM policy) without a CloudFormation export: exports would pin the
 * producing stack and turn a rename into a two-step deployment.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Stage } from './config.js';

/** `moodrx-<stage>-<id>`: functions (route or task id), state machines (workflow id), the API. */
export function resourceName(stage: Stage, id: string): string {
  return `moodrx-${stage}-${id}`;
}

/** `MoodRx-<stage>-<Concern>`, e.g. `MoodRx-prod-Api`. */
export function stackName(stage: Stage, concern: string): string {
  return `MoodRx-${stage}-${concern}`;
}

export function stateMachineArn(scope: IConstruct, stage: Stage, workflowId: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: resourceName(stage, workflowId),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Executions of one state machine: `arn:...:execution:<state machine name>:*`. */
export function stateMachineExecutionsArn(scope: IConstruct, stage: Stage, workflowId: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${resourceName(stage, workflowId)}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export function sesConfigurationSetName(stage: Stage): string {
  return resourceName(stage, 'email');
}

/** The on-failure destination of a stream consumer's event source mapping (workflows/stream-consumers.ts). */
export function streamFailureQueueName(stage: Stage, consumerId: string): string {
  return resourceName(stage, `${consumerId}-failures`);
}

/**
 * The audit archive bucket (infra/stacks/data-stack.ts): S3 names are global, so the account and
 * region are part of it. Known to every stack, so the archiver's grant names it without an export.
 */
export function auditArchiveBucketName(scope: IConstruct, stage: Stage): string {
  const stack = Stack.of(scope);
  return `${resourceName(stage, 'audit-archive')}-${stack.account}-${stack.region}`;
}

/** The ARN of every object of the audit archive bucket. */
export function auditArchiveObjectsArn(scope: IConstruct, stage: Stage): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: auditArchiveBucketName(scope, stage), resourceName: '*' });
}

/** `signup-create-identity` -> `SignupCreateIdentity`: construct ids from route and task ids. */
export function pascal(id: string): string {
  return id
    .split('-')
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('');
}
