/**
 * Signup task StartCareLifecycle: the client's long-running care-lifecycle execution.
 *
 * 1. Start it under a name derived from the client (`client-<clientId>-<generation>`), so a
 *    retry finds the execution it already started instead of starting a second one.
 * 2. Store the execution ARN on the profile (only while the profile exists).
 */
import * as z from 'zod';
import type { ClientRecords, WorkflowStarter } from '../ports.js';
import { CARE_LIFECYCLE_FIRST_GENERATION, careLifecycleExecutionName, type CareLifecycleInput } from '../care-lifecycle/review-client.js';

export const StartCareLifecycleInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
});
export type StartCareLifecycleInput = z.infer<typeof StartCareLifecycleInputSchema>;

export interface StartCareLifecycleOutput {
  executionArn: string;
}

export async function startCareLifecycle(
  input: StartCareLifecycleInput,
  deps: { careLifecycle: WorkflowStarter; clients: ClientRecords; now: () => Date },
): Promise<StartCareLifecycleOutput> {
  const executionInput: CareLifecycleInput = { clientId: input.clientId, generation: CARE_LIFECYCLE_FIRST_GENERATION, wakeUps: 0 };
  const { executionArn } = await deps.careLifecycle.start({
    name: careLifecycleExecutionName(input.clientId, CARE_LIFECYCLE_FIRST_GENERATION),
    input: { ...executionInput },
  });
  await deps.clients.setCareLifecycleExecution(input.clientId, executionArn, deps.now().toISOString());
  return { executionArn };
}
