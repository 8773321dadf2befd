/**
 * Wakes a client's care lifecycle now, when something happened through the API that makes
 * work due at once (a client accepting a match: the introductions to client and therapist and
 * the baseline request should go out within the hour, not at the sleeping execution's next
 * review, up to a day later after a stage that sleeps daily). Step Functions cannot wake a Wait
 * (and we use no task tokens), so:
 *
 * 1. Read the generation recorded on the profile (`client-<id>-<g>`); none recorded: nothing
 *    to wake (the lifecycle starts with email verification and reviews at once then).
 * 2. Start generation g + 1 with exactly the reconciler's input (reconcile.ts reconcilerInput:
 *    the same name and input whoever starts it, so a reconciler starting it too is the same
 *    execution). Its first review runs now and does what is due; the notification keys
 *    (claims) keep every email exactly once whichever execution gets there.
 * 3. Record it on the profile (the generation only moves forward).
 * Generation g, asleep, ends at its next wake-up: its review sees a newer generation recorded
 * (review-client.ts, superseded). So one execution stays in charge.
 */
import type { ClientProfile, WorkflowStarter } from '../ports.js';
import type { CareLifecycleRecords } from './ports.js';
import { reconcilerInput } from './reconcile.js';
import { careLifecycleExecutionName, generationOf } from './review-client.js';

export interface WakeCareLifecycleDeps {
  clients: { getProfile(clientId: string): Promise<Pick<ClientProfile, 'careLifecycleExecutionArn'> | undefined> };
  records: Pick<CareLifecycleRecords, 'recordExecution'>;
  careLifecycle: WorkflowStarter;
}

/** The port the accept routes call once care began; what was started, if anything. */
export interface CareLifecycleWaker {
  wake(clientId: string): Promise<{ generation: number; executionArn: string } | undefined>;
}

export function careLifecycleWaker(deps: WakeCareLifecycleDeps): CareLifecycleWaker {
  return {
    async wake(clientId) {
      const profile = await deps.clients.getProfile(clientId);
      const recorded = profile?.careLifecycleExecutionArn ? generationOf(profile.careLifecycleExecutionArn, clientId) : undefined;
      if (recorded === undefined) return undefined;
      const generation = recorded + 1;
      const { executionArn } = await deps.careLifecycle.start({ name: careLifecycleExecutionName(clientId, generation), input: { ...reconcilerInput(clientId, generation) } });
      await deps.records.recordExecution(clientId, generation, executionArn);
      return { generation, executionArn };
    },
  };
}
