/**
 * Care-lifecycle task ReviewClient: at each wake-up, where the client is and when to look again.
 *
 * 1. Read the profile; gone (e.g. signup compensated, account deleted) -> the lifecycle ends.
 * 2. Closed care (discharged, referred) -> the lifecycle ends.
 * 3. Otherwise wake up again after the review interval. Later issues add what is due at each
 *    stage (booking nudges, measure reminders, plan reviews) and shorter intervals for them.
 */
import * as z from 'zod';
import { CLIENT_STAGES, type ClientStage } from '../../domain/signup.js';
import type { ClientRecords } from '../ports.js';

/** Stages after which the service has nothing more to do for the client. */
export const CLOSED_CLIENT_STAGES: readonly ClientStage[] = ['discharged', 'referred'];

/** How long the lifecycle sleeps when nothing sooner is due: one day. */
export const DEFAULT_REVIEW_INTERVAL_SECONDS = 86_400;

/** The first execution of a client's lifecycle; continuing as new increments it. */
export const CARE_LIFECYCLE_FIRST_GENERATION = 1;

/** The care-lifecycle execution input (workflows/care-lifecycle.asl.json). */
export const CareLifecycleInputSchema = z.strictObject({
  clientId: z.string().min(1),
  generation: z.number().int().min(1),
  /** Wake-ups so far in this generation: a later issue continues as new before the history limit. */
  wakeUps: z.number().int().min(0),
});
export type CareLifecycleInput = z.infer<typeof CareLifecycleInputSchema>;

/** Deterministic per client and generation (execution names: at most 80 characters). */
export function careLifecycleExecutionName(clientId: string, generation: number): string {
  return `client-${clientId}-${generation}`;
}

export const ReviewClientInputSchema = z.strictObject({
  clientId: z.string().min(1),
});
export type ReviewClientInput = z.infer<typeof ReviewClientInputSchema>;

export interface ReviewClientOutput {
  clientExists: boolean;
  stage: ClientStage | null;
  /** True when the lifecycle should end: the client is gone or their care is closed. */
  closed: boolean;
  /** Whole seconds until the next review (the Wait state's SecondsPath). */
  nextWakeInSeconds: number;
}

export async function reviewClient(input: ReviewClientInput, deps: { clients: ClientRecords }): Promise<ReviewClientOutput> {
  const profile = await deps.clients.getProfile(input.clientId);
  if (!profile) return { clientExists: false, stage: null, closed: true, nextWakeInSeconds: 0 };
  const stage = (CLIENT_STAGES as readonly string[]).includes(profile.stage) ? profile.stage : null;
  return {
    clientExists: true,
    stage,
    closed: stage !== null && CLOSED_CLIENT_STAGES.includes(stage),
    nextWakeInSeconds: DEFAULT_REVIEW_INTERVAL_SECONDS,
  };
}
