/**
 * Care-lifecycle task ReviewClient: at each wake-up, what is due now and when to look again.
 *
 * 1. Read the client afresh (profile, relationships, measures' times, the lifecycle's own
 *    notification records, referrals): the state lives in the table, not in the execution.
 * 2. Gone (e.g. signup compensated) or closed (discharged, referred) -> the lifecycle ends.
 *    So does an execution SUPERSEDED by a newer generation recorded on the profile (an accept
 *    woke the lifecycle, wake.ts): one execution stays in charge of the client.
 * 3. Otherwise the rules (shared/domain/care-lifecycle.ts, pure) give the actions due now (done
 *    by DoDueActions) and the sleep until the next wake-up, and this execution's counters say
 *    whether to continue as new (ContinueAsNew).
 * With `unitPlans`, it also reads the active plans of the client's care units in joint care
 * (shared/use-cases/plans/unit-plan-check.ts) so that the lifecycle wakes at their next check.
 * Reads only; writes nothing. It reads when records were made, never their content.
 */
import * as z from 'zod';
import type { CareLifecycleSettings } from '../../config/care-lifecycle.js';
import { shouldContinueAsNew, type LifecycleAction } from '../../domain/care-lifecycle.js';
import { CLIENT_STAGES, type ClientStage } from '../../domain/signup.js';
import { planFor } from './facts.js';
import { checkedUnitPlansOf, type MemberUnitPlanDeps } from '../plans/unit-plan-check.js';
import type { CareLifecycleRecords } from './ports.js';

/** The first execution of a client's lifecycle; continuing as new increments it. */
export const CARE_LIFECYCLE_FIRST_GENERATION = 1;

/**
 * The care-lifecycle execution input (workflows/care-lifecycle.asl.json). Signup starts
 * generation 1 with `{clientId, generation: 1, wakeUps: 0}`; a continued generation carries
 * `sleptSeconds: 0` and the running `totalWakeUps`.
 */
export const CareLifecycleInputSchema = z.strictObject({
  clientId: z.string().min(1),
  generation: z.number().int().min(1),
  /** Wake-ups so far in this execution. */
  wakeUps: z.number().int().min(0),
  /** Seconds slept so far in this execution (lifecycle time). */
  sleptSeconds: z.number().int().min(0).optional(),
  /** Wake-ups over every generation (carried when continuing as new). */
  totalWakeUps: z.number().int().min(0).optional(),
});
export type CareLifecycleInput = z.infer<typeof CareLifecycleInputSchema>;

/** Deterministic per client and generation (execution names: at most 80 characters). */
export function careLifecycleExecutionName(clientId: string, generation: number): string {
  return `client-${clientId}-${generation}`;
}

/** The generation a lifecycle execution name or ARN ends with; undefined if it is not one. */
export function generationOf(nameOrArn: string, clientId: string): number | undefined {
  const name = nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1);
  const prefix = `client-${clientId}-`;
  if (!name.startsWith(prefix)) return undefined;
  const generation = Number(name.slice(prefix.length));
  return Number.isInteger(generation) && generation >= 1 ? generation : undefined;
}

/**
 * The execution's state as ReviewClient receives it (`"lifecycle.$": "$"`): the input on the
 * first wake-up, then what CountWakeUp builds (plus `nextWakeInSeconds`, ignored here).
 */
const LifecycleStateSchema = z.object({
  clientId: z.string().min(1),
  generation: z.number().int().min(1),
  wakeUps: z.number().int().min(0),
  sleptSeconds: z.number().int().min(0).optional(),
  totalWakeUps: z.number().int().min(0).optional(),
});

export const ReviewClientInputSchema = z.strictObject({ lifecycle: LifecycleStateSchema });
export type ReviewClientInput = z.infer<typeof ReviewClientInputSchema>;

/** The counters, normalized: what CountWakeUp and ContinueAsNew read. */
export interface LifecycleCounters {
  clientId: string;
  generation: number;
  wakeUps: number;
  sleptSeconds: number;
  totalWakeUps: number;
}

export interface ReviewClientOutput {
  clientExists: boolean;
  stage: ClientStage | null;
  /** The lifecycle ends: the client is gone or their care is closed. */
  end: boolean;
  actions: LifecycleAction[];
  actionCount: number;
  /** Whole seconds until the next review (the Wait state's SecondsPath), lifecycle time. */
  nextWakeInSeconds: number;
  /** End this execution and continue in generation + 1 (after the actions). */
  continueAsNew: boolean;
  lifecycle: LifecycleCounters;
}

export async function reviewClient(
  input: ReviewClientInput,
  deps: { records: Pick<CareLifecycleRecords, 'snapshot'>; settings: CareLifecycleSettings; now: () => Date; unitPlans?: MemberUnitPlanDeps },
): Promise<ReviewClientOutput> {
  const state = input.lifecycle;
  const lifecycle: LifecycleCounters = {
    clientId: state.clientId,
    generation: state.generation,
    wakeUps: state.wakeUps,
    sleptSeconds: state.sleptSeconds ?? 0,
    totalWakeUps: state.totalWakeUps ?? state.wakeUps,
  };
  const snapshot = await deps.records.snapshot(state.clientId);
  if (!snapshot) {
    return { clientExists: false, stage: null, end: true, actions: [], actionCount: 0, nextWakeInSeconds: 0, continueAsNew: false, lifecycle };
  }
  const recorded = snapshot.profile.careLifecycleExecutionArn ? generationOf(snapshot.profile.careLifecycleExecutionArn, state.clientId) : undefined;
  if (recorded !== undefined && recorded > state.generation) {
    const stage = (CLIENT_STAGES as readonly string[]).includes(snapshot.profile.stage) ? snapshot.profile.stage : null;
    return { clientExists: true, stage, end: true, actions: [], actionCount: 0, nextWakeInSeconds: 0, continueAsNew: false, lifecycle };
  }
  if (deps.unitPlans && snapshot.profile.stage === 'in_care') snapshot.unitPlans = (await checkedUnitPlansOf(state.clientId, deps.unitPlans)).map((u) => u.plan);
  const plan = planFor(snapshot, deps.settings, deps.now());
  const stage = (CLIENT_STAGES as readonly string[]).includes(snapshot.profile.stage) ? snapshot.profile.stage : null;
  return {
    clientExists: true,
    stage,
    end: plan.end,
    actions: plan.actions,
    actionCount: plan.actions.length,
    nextWakeInSeconds: plan.nextWakeInSeconds,
    continueAsNew: !plan.end && shouldContinueAsNew(lifecycle, plan.nextWakeInSeconds, deps.settings.rules),
    lifecycle,
  };
}
