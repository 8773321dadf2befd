/**
 * The care-lifecycle executions by name (DescribeExecution on the deterministic ARN
 * `...:execution:<machine>:client-<id>-<generation>`): what the reconciler checks. Needs the
 * `workflow:care-lifecycle` capability (states:DescribeExecution on the machine's executions);
 * no ListExecutions, whose listing of every client's executions the reconciler does not need.
 */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus, LifecycleExecutions } from '../../use-cases/care-lifecycle/ports.js';
import { executionArnFor } from './workflow-starter.js';

export function createLifecycleExecutions(options: { client: SFNClient; stateMachineArn: string }): LifecycleExecutions {
  return {
    async describe(name) {
      const executionArn = executionArnFor(options.stateMachineArn, name);
      try {
        const result = await options.client.send(new DescribeExecutionCommand({ executionArn }));
        return { executionArn, status: (result.status ?? 'RUNNING') as ExecutionStatus };
      } catch (error) {
        if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },
  };
}
