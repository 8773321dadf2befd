/**
 * The care-lifecycle reconciler (issue 5 item 4): every client in an active stage
 * (awaiting_consultation, awaiting_match, in_care) must have exactly one RUNNING lifecycle
 * execution. Daily in AWS (EventBridge Scheduler), and at start-up of the local stack, whose
 * executions live in memory.
 *
 * Per client (reconcileClient), from the generation recorded on the profile (the ARN's
 * `client-<id>-<g>`; 1 when none is recorded):
 *   describe client-<id>-<g>:
 *     RUNNING                 -> healthy (record it if the profile named an older one)
 *     SUCCEEDED               -> look at g + 1 (it continued as new), and so on
 *     FAILED, TIMED_OUT, ABORTED (or SUCCEEDED with no next one: ended while the stage was
 *                               closed, and reopened since) -> start g + 1
 *     no such execution       -> start g (verification's start never happened, or the local
 *                               emulator forgot it: same name, same generation)
 * A client whose email is not verified yet is skipped: the lifecycle emails them, so it starts
 * only with verification (POST /v1/signup/verify).
 * Names are deterministic and StartExecution of a running name with the same input is
 * idempotent, so two reconcilers (or a reconciler and signup) never make a second running
 * execution. A restarted generation begins at wake-up 0; the state lives in the table.
 */
import { ACTIVE_CLIENT_STAGES } from '../../domain/care-lifecycle.js';
import type { WorkflowStarter } from '../ports.js';
import type { CareLifecycleRecords, LifecycleExecutions } from './ports.js';
import { CARE_LIFECYCLE_FIRST_GENERATION, careLifecycleExecutionName, generationOf, type CareLifecycleInput } from './review-client.js';

export type ReconcileOutcome = 'running' | 'started' | 'skipped_closed' | 'skipped_unverified' | 'client_gone';

export interface ReconcileResult {
  clientId: string;
  outcome: ReconcileOutcome;
  generation?: number;
  executionArn?: string;
  /** Why a new execution was started. */
  reason?: 'missing' | 'failed' | 'timed_out' | 'aborted' | 'ended';
}

export interface ReconcileDeps {
  records: Pick<CareLifecycleRecords, 'recordExecution' | 'clientsInStage'>;
  clients: { getProfile(clientId: string): Promise<{ stage: string; careLifecycleExecutionArn?: string; emailVerifiedAt?: string } | undefined> };
  executions: LifecycleExecutions;
  careLifecycle: WorkflowStarter;
}

/** Generations followed from the recorded one in one pass (a chain of continued executions). */
const MAX_GENERATION_STEPS = 20;

/** The input a reconciler starts generation `g` with (generation 1: exactly what signup starts). */
export function reconcilerInput(clientId: string, generation: number): CareLifecycleInput {
  return { clientId, generation, wakeUps: 0 };
}

export async function reconcileClient(clientId: string, deps: ReconcileDeps): Promise<ReconcileResult> {
  const profile = await deps.clients.getProfile(clientId);
  if (!profile) return { clientId, outcome: 'client_gone' };
  if (!(ACTIVE_CLIENT_STAGES as readonly string[]).includes(profile.stage)) return { clientId, outcome: 'skipped_closed' };
  // Its emails go to the client's address: none before the address is proven (verification starts it).
  if (profile.emailVerifiedAt === undefined) return { clientId, outcome: 'skipped_unverified' };

  const recorded = profile.careLifecycleExecutionArn ? generationOf(profile.careLifecycleExecutionArn, clientId) : undefined;
  let generation = recorded ?? CARE_LIFECYCLE_FIRST_GENERATION;
  for (let step = 0; step < MAX_GENERATION_STEPS; step += 1) {
    const execution = await deps.executions.describe(careLifecycleExecutionName(clientId, generation));
    if (!execution) return start(clientId, generation, 'missing', deps);
    switch (execution.status) {
      case 'RUNNING':
        if (recorded === undefined || recorded < generation) await deps.records.recordExecution(clientId, generation, execution.executionArn);
        return { clientId, outcome: 'running', generation, executionArn: execution.executionArn };
      case 'SUCCEEDED': {
        const next = await deps.executions.describe(careLifecycleExecutionName(clientId, generation + 1));
        if (!next) return start(clientId, generation + 1, 'ended', deps);
        generation += 1;
        break;
      }
      case 'FAILED':
        return start(clientId, generation + 1, 'failed', deps);
      case 'TIMED_OUT':
        return start(clientId, generation + 1, 'timed_out', deps);
      case 'ABORTED':
      case 'PENDING_REDRIVE':
        return start(clientId, generation + 1, 'aborted', deps);
    }
  }
  throw new Error(`More than ${MAX_GENERATION_STEPS} ended generations after the recorded one.`);
}

async function start(clientId: string, generation: number, reason: NonNullable<ReconcileResult['reason']>, deps: ReconcileDeps): Promise<ReconcileResult> {
  const { executionArn } = await deps.careLifecycle.start({ name: careLifecycleExecutionName(clientId, generation), input: { ...reconcilerInput(clientId, generation) } });
  await deps.records.recordExecution(clientId, generation, executionArn);
  return { clientId, outcome: 'started', generation, executionArn, reason };
}

export interface ReconcileSummary {
  checked: number;
  running: number;
  started: number;
  failed: number;
  /** Started executions, by client (ids only). */
  startedFor: { clientId: string; generation: number; reason: string }[];
}

/**
 * Every client in an active stage, a page at a time, `concurrency` at once. A client that
 * fails is counted and left for the next run (never stops the others).
 */
export async function reconcileAll(
  deps: ReconcileDeps & { log?: (message: string, fields: Record<string, string | number>) => void },
  options: { pageSize?: number; concurrency?: number } = {},
): Promise<ReconcileSummary> {
  const pageSize = options.pageSize ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const summary: ReconcileSummary = { checked: 0, running: 0, started: 0, failed: 0, startedFor: [] };
  for (const stage of ACTIVE_CLIENT_STAGES) {
    let cursor: string | undefined;
    do {
      const page = await deps.records.clientsInStage(stage, { limit: pageSize, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      const queue = [...page.clientIds];
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let clientId = queue.shift(); clientId !== undefined; clientId = queue.shift()) {
            summary.checked += 1;
            try {
              const result = await reconcileClient(clientId, deps);
              if (result.outcome === 'running') summary.running += 1;
              if (result.outcome === 'started') {
                summary.started += 1;
                summary.startedFor.push({ clientId, generation: result.generation ?? 0, reason: result.reason ?? 'missing' });
              }
            } catch (error) {
              summary.failed += 1;
              deps.log?.('Could not reconcile a care lifecycle', { clientId, errorName: error instanceof Error ? error.name : 'Error' });
            }
          }
        }),
      );
    } while (cursor);
  }
  return summary;
}
