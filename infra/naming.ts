/**
 * Physical names. Functions, state machines, the API and the SES configuration set have
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

/** `signup-create-identity` -> `SignupCreateIdentity`: construct ids from route and task ids. */
export function pascal(id: string): string {
  return id
    .split('-')
    .map((part) => `${part[0]?.toUpperCase() ?? ''}${part.slice(1)}`)
    .join('');
}
