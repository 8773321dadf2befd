/**
 * The care lifecycle's cost driver: Step Functions Standard bills per STATE TRANSITION, so what
 * matters is transitions per client-month. Measured by RUNNING the real definition
 * (workflows/care-lifecycle.asl.json) in the local runner for a simulated month per journey
 * and counting the states entered in the execution's events (what AWS bills: every state
 * entered, a retry included). The Wait passes at once (waitTimeOverrides 0) while the
 * lifecycle's own clock advances by exactly what it slept (start + sleptSeconds, which the
 * definition itself accumulates): a month of wake-ups in about a second, nothing skipped.
 *
 * The tasks run the REAL ReviewClient use case and rules (shared/domain/care-lifecycle.ts, the
 * default settings) over a simulated client whose stage, therapist, measures and check-ins
 * follow the journey's calendar; DoDueActions records the keys it would send (no email). The
 * month ends when the simulated client is discharged on day 30: the transitions of that last,
 * ending review are not counted.
 *
 * Cross-check from the definition: each wake-up is 6 transitions (ReviewClient, AnythingDue,
 * NothingDue or DoDueActions, CheckCareStatus, CountWakeUp, WaitForNextReview), and each
 * continue-as-new 6 more (a review that ends in ContinueAsNew, ContinuedAsNew), so a month is
 * 6 x wake-ups + 6 x continuations; wake-ups come from the schedule: daily at least (the review
 * interval), hourly while awaiting a match, plus one per reminder or disengagement instant that
 * is not on a daily boundary. Both figures are printed; they must agree.
 *
 *   npm run bench:lifecycle
 */
import 'core-js/actual/promise/with-resolvers.js';
import { LocalWorkflow, statesEntered } from '../local/step-functions/runner.js';
import type { CareLifecycleSettings } from '../shared/config/care-lifecycle.js';
import { DEFAULT_LIFECYCLE_RULES } from '../shared/domain/care-lifecycle.js';
import type { CareRelationship } from '../shared/domain/access.js';
import type { ClientStage } from '../shared/domain/signup.js';
import type { LifecycleSnapshot } from '../shared/use-cases/care-lifecycle/ports.js';
import { reviewClient, ReviewClientInputSchema } from '../shared/use-cases/care-lifecycle/review-client.js';
import { ContinueAsNewInputSchema, nextGenerationInput } from '../shared/use-cases/care-lifecycle/continue-as-new.js';
import { DoDueActionsInputSchema } from '../shared/use-cases/care-lifecycle/do-due-actions.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const DAY = 86_400_000;
const MONTH_DAYS = 30;
/** Step Functions Standard, us-east-1: $0.025 per 1,000 state transitions (beyond the free tier). */
const PRICE_PER_TRANSITION = 0.025 / 1_000;
const T0 = Date.parse('2026-01-05T14:00:00.000Z');
const at = (day: number) => new Date(T0 + day * DAY).toISOString();

interface Journey {
  name: string;
  /** [fromDay, stage], ascending. */
  stages: [number, ClientStage][];
  /** Day the free consultation was booked (until awaiting_match). */
  bookedOn?: number;
  /** Day the therapist relationship began. */
  matchedOn?: number;
  /** Days with an assessment (PHQ-9 and GAD-7) and with a check-in. */
  measuredOn?: number[];
  checkedInOn?: number[];
}

const everyDays = (from: number, step: number) => Array.from({ length: Math.floor((MONTH_DAYS - from) / step) + 1 }, (_, i) => from + i * step);

const JOURNEYS: Journey[] = [
  { name: 'awaiting consultation, never books', stages: [[0, 'awaiting_consultation']] },
  {
    name: 'typical first month: books day 1, consultation day 4, matched day 7, engaged',
    stages: [
      [0, 'awaiting_consultation'],
      [4, 'awaiting_match'],
      [7, 'in_care'],
    ],
    bookedOn: 1,
    matchedOn: 7,
    measuredOn: [7.5, 21.5],
    checkedInOn: everyDays(8, 3),
  },
  { name: 'awaiting a match the whole month (hourly checks)', stages: [[0, 'awaiting_match']] },
  { name: 'in care, engaged (measures on reminder, weekly check-ins)', stages: [[0, 'in_care']], matchedOn: 0, measuredOn: [0.5, 14.5, 28.5], checkedInOn: everyDays(3, 7) },
  { name: 'in care, disengaged (nothing after the match)', stages: [[0, 'in_care']], matchedOn: 0 },
];

function snapshotOf(journey: Journey, day: number, sent: Set<string>): LifecycleSnapshot {
  // The month ends with a discharge: the lifecycle's last review ends it.
  const stage: ClientStage = day >= MONTH_DAYS ? 'discharged' : ([...journey.stages].reverse().find(([from]) => from <= day)?.[1] ?? 'awaiting_consultation');
  const relationships: CareRelationship[] =
    journey.matchedOn !== undefined && day >= journey.matchedOn ? [{ clientId: 'bench', clinicianId: 'therapist', kind: 'therapist', startedAt: at(journey.matchedOn) }] : [];
  const latest = (days: number[] | undefined) => {
    const past = (days ?? []).filter((d) => d <= day);
    return past.length > 0 ? at(Math.max(...past)) : undefined;
  };
  const measured = latest(journey.measuredOn);
  const checkedIn = latest(journey.checkedInOn);
  const snapshot: LifecycleSnapshot = {
    profile: {
      clientId: 'bench',
      email: 'bench@example.com',
      firstName: 'Bench',
      lastName: 'Client',
      dateOfBirth: '1990-01-01',
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/New_York',
      stage,
      createdAt: at(0),
      updatedAt: at(0),
    },
    relationships,
    concerns: ['depression', 'anxiety'],
    lastMeasured: measured ? { phq9: measured, gad7: measured } : {},
    pendingReferrals: [],
    notifications: [...sent].map((key) => ({ key, state: 'sent' as const, claimedAt: at(0) })),
    flags: [],
  };
  if (journey.bookedOn !== undefined && day >= journey.bookedOn) snapshot.freeConsultation = 'booked';
  if (measured) snapshot.lastAssessmentAt = measured;
  if (checkedIn) snapshot.lastCheckInAt = checkedIn;
  return snapshot;
}

interface Result {
  journey: string;
  wakeUps: number;
  generations: number;
  transitions: number;
  lambdaInvocations: number;
  actions: number;
}

async function simulate(journey: Journey): Promise<Result> {
  const sent = new Set<string>();
  let actions = 0;
  /** Lifecycle seconds slept by the generations before the current one. */
  let before = 0;
  let next: { clientId: string; generation: number; wakeUps: number; sleptSeconds?: number; totalWakeUps?: number } | undefined;
  const workflow = await LocalWorkflow.load('careLifecycle', {
    handlers: {
      ReviewClient: async (event) => {
        const input = ReviewClientInputSchema.parse(event);
        // Lifecycle time = the start + what the executions have slept (the definition's own sum).
        const now = new Date(T0 + (before + (input.lifecycle.sleptSeconds ?? 0)) * 1000);
        const settings: CareLifecycleSettings = { rules: DEFAULT_LIFECYCLE_RULES };
        const day = (now.getTime() - T0) / DAY;
        return reviewClient(input, { records: { snapshot: async () => snapshotOf(journey, day, sent) }, settings, now: () => now });
      },
      DoDueActions: async (event) => {
        const input = DoDueActionsInputSchema.parse(event);
        for (const action of input.actions) if ('key' in action) sent.add(action.key);
        actions += input.actions.length;
        return { closedCare: false, done: input.actions.map((action) => ({ kind: action.kind, outcome: 'sent' })) };
      },
      // The next generation is run here in turn (the real task starts it on Step Functions).
      ContinueAsNew: async (event) => {
        const input = ContinueAsNewInputSchema.parse(event);
        next = nextGenerationInput(input);
        return { generation: next.generation, executionArn: `local:client-bench-${next.generation}`, recorded: true };
      },
    },
  });
  const transitions: string[] = [];
  let input: NonNullable<typeof next> = { clientId: 'bench', generation: 1, wakeUps: 0 };
  for (;;) {
    next = undefined;
    const record = await workflow.run(input, { waitTimeOverrides: { WaitForNextReview: 0 }, retryIntervalOverrides: { ReviewClient: 0, DoDueActions: 0 } });
    if (record.status !== 'SUCCEEDED') throw new Error(`${journey.name}: ${record.status} ${record.error ?? ''}`);
    transitions.push(...statesEntered(record));
    const carried: typeof next = next;
    if (carried === undefined) break;
    before += (JSON.parse(record.output ?? '{}') as { review: { lifecycle: { sleptSeconds: number } } }).review.lifecycle.sleptSeconds;
    input = carried;
  }
  // Everything before the last (ending) review: the month's wake-ups.
  const month = transitions.slice(0, transitions.lastIndexOf('ReviewClient'));
  return {
    journey: journey.name,
    wakeUps: month.filter((name) => name === 'WaitForNextReview').length,
    generations: month.filter((name) => name === 'ContinuedAsNew').length + 1,
    transitions: month.length,
    lambdaInvocations: month.filter((name) => name === 'ReviewClient' || name === 'DoDueActions' || name === 'ContinueAsNew').length,
    actions,
  };
}

const started = performance.now();
const results: Result[] = [];
for (const journey of JOURNEYS) results.push(await simulate(journey));
const elapsed = performance.now() - started;

console.log(`Care lifecycle: state transitions per client-month (the real definition run for ${MONTH_DAYS} simulated days per journey; default settings)\n`);
const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`${'journey'.padEnd(80)}${pad('wake-ups', 9)}${pad('gens', 6)}${pad('transitions', 13)}${pad('computed', 10)}${pad('Lambda', 8)}${pad('actions', 9)}${pad('$/client-month', 16)}`);
for (const r of results) {
  // From the definition: 6 per wake-up; a continue-as-new is a review without a Wait (ReviewClient,
  // AnythingDue, NothingDue, CheckCareStatus, ContinueAsNew, ContinuedAsNew): 6 more.
  const computed = 6 * r.wakeUps + 6 * (r.generations - 1);
  console.log(
    `${r.journey.padEnd(80)}${pad(r.wakeUps, 9)}${pad(r.generations, 6)}${pad(r.transitions, 13)}${pad(computed, 10)}${pad(r.lambdaInvocations, 8)}${pad(r.actions, 9)}${pad(`$${(r.transitions * PRICE_PER_TRANSITION).toFixed(5)}`, 16)}`,
  );
}
console.log(`\nMeasured: states entered in the execution events; computed: 6 per wake-up + 6 per continue-as-new, from the definition. Price: $0.025 per 1,000 transitions (Standard, us-east-1, past the free tier). ${elapsed.toFixed(0)} ms.`);
