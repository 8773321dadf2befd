/**
 * Care-lifecycle task ContinueAsNew: this execution has woken up enough times (or slept long
 * enough) that it should end before Step Functions' limits (25,000 history events, one year);
 * the client's lifecycle continues in the next generation.
 *
 * 1. Start `client-<id>-<generation + 1>` with the carried state (the counters; everything
 *    else is in the table). The name and the input are derived from this execution's state,
 *    so a retried task finds the execution it started (same name, same input).
 * 2. Record it on the profile (the generation only moves forward: a late or repeated write
 *    never points the profile back at an older execution).
 * Then this execution succeeds. The next generation reviews the client at once (a review is
 * idempotent: nothing already done is done again).
 */
import * as z from 'zod';
import type { WorkflowStarter } from '../ports.js';
import type { CareLifecycleRecords } from './ports.js';
import { careLifecycleExecutionName, type CareLifecycleInput } from './review-client.js';

export const ContinueAsNewInputSchema = z.strictObject({
  clientId: z.string().min(1),
  generation: z.number().int().min(1),
  totalWakeUps: z.number().int().min(0),
});
export type ContinueAsNewInput = z.infer<typeof ContinueAsNewInputSchema>;

export interface ContinueAsNewOutput {
  generation: number;
  executionArn: string;
  /** The profile was gone: the new generation ends at its first review. */
  recorded: boolean;
}

/** The input of the next generation: deterministic, so a retried start is the same start. */
export function nextGenerationInput(input: ContinueAsNewInput): CareLifecycleInput {
  return { clientId: input.clientId, generation: input.generation + 1, wakeUps: 0, sleptSeconds: 0, totalWakeUps: input.totalWakeUps };
}

export async function continueAsNew(
  input: ContinueAsNewInput,
  deps: { careLifecycle: WorkflowStarter; records: Pick<CareLifecycleRecords, 'recordExecution'> },
): Promise<ContinueAsNewOutput> {
  const next = nextGenerationInput(input);
  const { executionArn } = await deps.careLifecycle.start({ name: careLifecycleExecutionName(input.clientId, next.generation), input: { ...next } });
  const recorded = await deps.records.recordExecution(input.clientId, next.generation, executionArn);
  return { generation: next.generation, executionArn, recorded: recorded !== 'client_not_found' };
}
