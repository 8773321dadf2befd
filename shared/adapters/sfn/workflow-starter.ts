/**
 * Starts executions of one Standard workflow (StartExecution). Execution names are chosen by
 * the caller and deterministic, so a retried start finds the execution it already made:
 * Step Functions answers a same-name-same-input start of a RUNNING execution with that
 * execution, and ExecutionAlreadyExists otherwise; we then compare the stored input and
 * accept it when it is the same (the execution may have ended since).
 */
import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { JsonValue, WorkflowStarter } from '../../use-cases/ports.js';
import { WorkflowExecutionConflictError } from '../../use-cases/workflow-errors.js';

/** `arn:...:stateMachine:<machine>` + name -> `arn:...:execution:<machine>:<name>` (Standard executions). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const marker = ':stateMachine:';
  const at = stateMachineArn.indexOf(marker);
  if (at < 0) throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:${name}`;
}

/** Key order must not make two equal inputs look different. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createWorkflowStarter(options: { client: SFNClient; stateMachineArn: string }): WorkflowStarter {
  const { client, stateMachineArn } = options;
  return {
    async start({ name, input }) {
      try {
        const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        if (!executionArn) throw new Error('StartExecution answered without an execution ARN.');
        return { executionArn, alreadyStarted: false };
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists')) throw error;
        const executionArn = executionArnFor(stateMachineArn, name);
        const existing = await client.send(new DescribeExecutionCommand({ executionArn }));
        const existingInput = JSON.parse(existing.input ?? 'null') as JsonValue;
        if (canonical(existingInput) !== canonical(input)) throw new WorkflowExecutionConflictError(name);
        return { executionArn, alreadyStarted: true };
      }
    },
  };
}
