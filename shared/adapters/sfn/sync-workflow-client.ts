/**
 * Runs an Express workflow synchronously (StartSyncExecution), so the API can answer with its
 * outcome. The execution's input may carry secrets (the signup password): nothing here logs it
 * and the returned result does not include it.
 */
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';

export type SyncExecutionResult =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED' | 'TIMED_OUT'; error: string | undefined };

export interface SyncWorkflowPort {
  run(stateMachineArn: string, name: string, input: unknown): Promise<SyncExecutionResult>;
}

export function createSfnClient(): SFNClient {
  return new SFNClient({
    // StartSyncExecution is served from a `sync-` host prefix in AWS; a custom endpoint (the
    // local emulator, AWS_ENDPOINT_URL_SFN) is one host for every operation.
    disableHostPrefix: Boolean(process.env.AWS_ENDPOINT_URL_SFN),
  });
}

export function createSyncWorkflowClient(client: SFNClient = createSfnClient()): SyncWorkflowPort {
  return {
    async run(stateMachineArn, name, input) {
      const result = await client.send(new StartSyncExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      if (result.status === 'SUCCEEDED') {
        return { status: 'SUCCEEDED', output: result.output ? (JSON.parse(result.output) as unknown) : undefined };
      }
      return { status: result.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED', error: result.error };
    },
  };
}
