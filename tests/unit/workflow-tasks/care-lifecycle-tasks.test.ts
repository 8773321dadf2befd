/** The care-lifecycle execution: its name and input (the use cases are tested in tests/unit/care-lifecycle/). */
import { describe, expect, it } from 'vitest';
import { nextGenerationInput } from '../../../shared/use-cases/care-lifecycle/continue-as-new.js';
import { reconcilerInput } from '../../../shared/use-cases/care-lifecycle/reconcile.js';
import { careLifecycleExecutionName, CareLifecycleInputSchema, ReviewClientInputSchema } from '../../../shared/use-cases/care-lifecycle/review-client.js';

describe('care lifecycle execution', () => {
  it('is named per client and generation, within the 80 characters Step Functions allows', () => {
    const name = careLifecycleExecutionName('0f8fad5b-d9cb-469f-a165-70867728950e', 12);
    expect(name).toBe('client-0f8fad5b-d9cb-469f-a165-70867728950e-12');
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('takes {clientId, generation, wakeUps} (signup, the reconciler) and the carried counters (continue as new), nothing else', () => {
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 1, wakeUps: 0 }).success).toBe(true);
    expect(CareLifecycleInputSchema.safeParse(reconcilerInput('c-1', 3)).success).toBe(true);
    expect(CareLifecycleInputSchema.safeParse(nextGenerationInput({ clientId: 'c-1', generation: 1, totalWakeUps: 500 })).success).toBe(true);
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 0, wakeUps: 0 }).success).toBe(false);
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 1, wakeUps: 0, extra: true }).success).toBe(false);
  });

  it('ReviewClient reads the whole execution state, whatever the loop added to it', () => {
    const loopState = { clientId: 'c-1', generation: 2, wakeUps: 4, sleptSeconds: 345_600, totalWakeUps: 504, nextWakeInSeconds: 86_400 };
    expect(ReviewClientInputSchema.parse({ lifecycle: loopState }).lifecycle).toEqual({ clientId: 'c-1', generation: 2, wakeUps: 4, sleptSeconds: 345_600, totalWakeUps: 504 });
    expect(ReviewClientInputSchema.safeParse({ lifecycle: { clientId: 'c-1', generation: 1 } }).success).toBe(false);
  });
});
