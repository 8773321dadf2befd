/**
 * The weekly progress-review cycle at scale (issue 11, point 5): N therapists x 20 clients in care
 * each, 12 weeks of data per client, all due at the same hourly tick. For each N (default 50, 100,
 * 250 and 500 in one invocation) the table is emptied, seeded, and ONE cycle is run: the REAL
 * workflows/progress-reviews.asl.json in the local runner (local/step-functions/runner.ts), its
 * real task handlers and use cases against DynamoDB Local, the emails through the real SES
 * adapter to the stack's aws-ses-v2-local emulator (counted in its inbox), on the local stack's
 * controlled clock standing at the due tick (Monday 2027-03-01 12:00 UTC).
 *
 * Seeding (timed apart): BatchWrite straight to the table with the repositories' key functions
 * and item layouts (not the API: the point is the review). Per therapist: the staff profile (four
 * zones whose Monday review hour falls on 12:00 UTC: New York and Detroit 07:00 by default, no
 * preferences stored; Chicago 06:00 and London 12:00 with stored preferences), and 20 clients in
 * care for 12 weeks, each with the profile, the care relationship (3 items), weekly PHQ-9 (GAD-7
 * for half; each assessment twice: by time and by instrument), weekly sessions with an attendance
 * mix (attended / no-show / late cancel / cancel; session + client pointer) and next week's
 * booked one, check-ins (most weeks), an active plan (3 objectives), a PHQ-9 item-9 flag and a
 * check-in self-harm flag with their open risk tasks for two clients in twenty, a few missed
 * measures; and the previous week's review, built in memory by the real builder from the same
 * data, with dispositions on half its items (the carry-over). All synthetic: @example.com, made-up
 * names; nothing is logged but counts and timings.
 *
 * Measured per cycle: wall time of the execution; per task invocation (a task interceptor around
 * the real handler) its duration and every DynamoDB request it made (an AsyncLocalStorage count
 * around DynamoDBDocumentClient.send, which also asks for ReturnConsumedCapacity TOTAL); the facts
 * loader's own counter (the task's `reads` output); the states entered and retried in the
 * execution's events, cross-checked with the definition's formula.
 *
 * BuildAndStoreReview is composed here as its module composes it (task-dependencies.ts + the real
 * use case + taskHandler), with ONE difference: a fresh facts loader per invocation. The module's
 * loader is built once per cold start and its `reads` is a difference of one shared counter,
 * exact in Lambda (one invocation at a time per container) but mixed here, where the Map runs 10
 * builds at once in one process. The two other tasks are their modules, unchanged.
 *
 *   npm run bench:progress-reviews                 # N = 50, 100, 250, 500
 *   npm run bench:progress-reviews -- --n=50       # or --n=50,100
 */
import './quiet-logs.js';
import 'core-js/actual/promise/with-resolvers.js';
import { DeleteTableCommand, DynamoDBClient, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ensureTable } from '../local/emulators/dynamodb.js';
import { fetchInbox } from '../local/emulators/ses.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { startLocalStack } from '../local/stack.js';
import type { LambdaHandler } from '../local/step-functions/lambda-invoke.js';
import { LocalWorkflow, type ExecutionRecord, type TaskInterceptor } from '../local/step-functions/runner.js';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.js';
import { keys } from '../shared/adapters/dynamodb/keys.js';
import { createReviewFactsSource } from '../shared/adapters/dynamodb/progress-review-repository.js';
import { PlanContentSchema, resolveContent, type StoredPlan } from '../shared/domain/plans/plan.js';
import { buildProgressReview, DEFAULT_REVIEW_RULES, ReviewFactsSchema, type Disposition } from '../shared/domain/reviews/index.js';
import type { ReviewRiskFlag, ReviewRiskTask, ReviewScorePoint, ReviewSession } from '../shared/domain/reviews/facts.js';
import { progressReviewRunName } from '../shared/domain/reviews/schedule.js';
import { clientFactsOf } from '../shared/use-cases/reviews/progress-reviews.js';
import { percentile } from './local-clinic.js';

// The controlled clock runs in 2027, past the AWS SDK's notice date for Node 20: the notice is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const WEEKS = 12;
const CLIENTS = 20;
/** Monday 07:00 in New York (EST): the default review hour, 12:00 UTC. */
const TICK = '2027-03-01T12:00:00.000Z';
const TICK_MS = Date.parse(TICK);
const PREVIOUS_END = new Date(TICK_MS - WEEK).toISOString();
const PREVIOUS_START = new Date(TICK_MS - 2 * WEEK).toISOString();
/** Zones whose Monday review falls on 12:00 UTC on 2027-03-01; hour: stored preferences (undefined: the default Monday 07:00). */
const ZONES: { timeZone: string; hour?: number }[] = [
  { timeZone: 'America/New_York' },
  { timeZone: 'America/Detroit' },
  { timeZone: 'America/Chicago', hour: 6 },
  { timeZone: 'Europe/London', hour: 12 },
];

// Prices (us-east-1, past the free tiers), and what AWS runs that differs from here.
const PRICE = {
  transition: 0.025 / 1_000,
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1_000_000,
  readRequestUnit: 0.125 / 1_000_000,
  writeRequestUnit: 0.625 / 1_000_000,
  email: 0.1 / 1_000,
};
/** infra/constructs/app-function.ts: memorySize ?? 512; the registry sets none for these three tasks. */
const LAMBDA_MEMORY_GB = 512 / 1024;
/** An assumed DynamoDB request latency in AWS, in the same Region (single-digit ms), for the uncontended Lambda estimate. */
const AWS_REQUEST_MS = 5;

const sizes = (() => {
  const flag = process.argv.slice(2).find((arg) => arg.startsWith('--n='));
  const list = (flag?.slice(4) ?? process.env.BENCH_REVIEW_SIZES ?? '50,100,250,500').split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--n takes therapist counts, e.g. --n=50,100');
  return list;
})();

// ---------------------------------------------------------------------------------------------
// Per invocation: DynamoDB requests and consumed capacity (AsyncLocalStorage around send)
// ---------------------------------------------------------------------------------------------

interface RequestCount {
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  /** Requests whose answer carried ConsumedCapacity. */
  withCapacity: number;
}
const READ_COMMANDS = new Set(['GetCommand', 'QueryCommand', 'BatchGetCommand', 'TransactGetCommand', 'ScanCommand']);
const counting = new AsyncLocalStorage<RequestCount>();
{
  const original = DynamoDBDocumentClient.prototype.send as (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]) => Promise<unknown>;
  const patched = async function (this: DynamoDBDocumentClient, command: unknown, ...rest: unknown[]): Promise<unknown> {
    const count = counting.getStore();
    if (!count) return original.call(this, command, ...rest);
    const cmd = command as { constructor: { name: string }; input?: Record<string, unknown> };
    const isRead = READ_COMMANDS.has(cmd.constructor.name);
    if (isRead) count.reads += 1;
    else count.writes += 1;
    if (cmd.input) cmd.input.ReturnConsumedCapacity = 'TOTAL';
    const output = (await original.call(this, command, ...rest)) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
    const consumed = output?.ConsumedCapacity;
    if (consumed) {
      const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      count.withCapacity += 1;
      if (isRead) count.readUnits += units;
      else count.writeUnits += units;
    }
    return output;
  };
  (DynamoDBDocumentClient.prototype as unknown as { send: typeof patched }).send = patched;
}

// ---------------------------------------------------------------------------------------------
// Synthetic data
// ---------------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32): the same data for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Parker', 'Quinn', 'Reese', 'Rowan', 'Sawyer', 'Taylor', 'Wren', 'Sky', 'Marlo'];
const LAST = ['Ashvale', 'Brindle', 'Corrow', 'Dunmere', 'Elsworth', 'Fennick', 'Galloway', 'Hollin', 'Ivesdale', 'Jarrow', 'Kestrel', 'Lindqvist', 'Morrow', 'Nettleby'];

type Item = Record<string, unknown>;
const iso = (ms: number) => new Date(ms).toISOString();
const SYNTHETIC_FLAG = { reason: 'Synthetic bench flag.', action: 'Synthetic bench action.' };

const planContent = PlanContentSchema.parse({
  problems: [{ id: 'p1', description: 'Low mood most days' }, { id: 'p2', description: 'Worry that gets in the way of work' }],
  goals: [
    { id: 'g1', problemIds: ['p1'], statement: 'Enjoy weekends again' },
    { id: 'g2', problemIds: ['p2'], statement: 'Worry less at work' },
  ],
  objectives: [
    { kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2027-06-30' },
    { kind: 'measure', id: 'o2', goalId: 'g2', instrument: 'gad7', target: { kind: 'reduction_percent', percent: 50 }, dueDate: '2027-06-30' },
    { kind: 'behaviour', id: 'o3', goalId: 'g1', description: 'A planned pleasant activity three days a week', dueDate: '2027-06-30' },
  ],
  interventions: [{ id: 'i1', modality: 'cbt', goalIds: ['g1', 'g2'], frequency: { every: 'week', sessions: 12 } }],
  strengths: ['Motivated'],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['PHQ-9 below 10 twice in a row'],
  clinicianNotes: 'Synthetic formulation for the bench.',
});

interface SeededTherapist {
  items: Item[];
  /** Counts for the formula cross-check: clients with open risk tasks. */
  clientsWithOpenRiskTasks: number;
}

/** Everything one therapist's cycle reads, as the repositories write it. */
function therapistData(run: string, index: number): SeededTherapist & { therapistId: string } {
  const rand = random(index * 7919 + 17);
  const therapistId = randomUUID();
  const zone = ZONES[index % ZONES.length] as (typeof ZONES)[number];
  const lastName = `Synth${index}`;
  const items: Item[] = [
    {
      ...keys.staffProfile(therapistId),
      ...keys.staffByRole('therapist', lastName, therapistId),
      entityType: 'staff',
      userId: therapistId,
      role: 'therapist',
      email: `bench-review-${run}-t${index}@example.com`,
      firstName: 'Bench',
      lastName,
      timezone: zone.timeZone,
      createdAt: iso(TICK_MS - 200 * DAY),
    },
  ];
  if (zone.hour !== undefined) {
    items.push({ ...keys.reviewPreferences(therapistId), entityType: 'review-preferences', therapistId, preferences: { weekday: 1, hour: zone.hour, paused: false } });
  }
  const author = { userId: therapistId, role: 'therapist' as const };
  const previousClients: Parameters<typeof clientFactsOf>[0][] = [];
  let clientsWithOpenRiskTasks = 0;

  for (let c = 0; c < CLIENTS; c += 1) {
    const clientId = randomUUID();
    const firstName = FIRST[(index + c) % FIRST.length] as string;
    const clientLast = LAST[(index * 3 + c) % LAST.length] as string;
    const careStart = TICK_MS - WEEKS * WEEK - Math.floor(rand() * 2 * DAY);
    const startedAt = iso(careStart);
    items.push(
      {
        ...keys.clientProfile(clientId),
        entityType: 'client',
        clientId,
        email: `bench-review-${run}-t${index}-c${c}@example.com`,
        firstName,
        lastName: clientLast,
        dateOfBirth: '1990-01-15',
        clientType: 'individual',
        state: 'OH',
        timezone: 'America/New_York',
        stage: 'in_care',
        createdAt: iso(careStart - 14 * DAY),
        updatedAt: startedAt,
      },
      { ...keys.activeCare(clientId, 'therapist'), entityType: 'care-active', clientId, clinicianId: therapistId, kind: 'therapist', startedAt },
      {
        ...keys.careRelationship(clientId, 'therapist', therapistId, startedAt),
        ...keys.clinicianClientActive(therapistId, 'therapist', startedAt, clientId),
        entityType: 'care-relationship',
        clientId,
        clinicianId: therapistId,
        kind: 'therapist',
        startedAt,
      },
    );

    // Scores: improving, high and flat, worsening, low and flat (with noise); GAD-7 for half.
    const trajectory = c % 4;
    const phqAt = (week: number) => {
      const base = trajectory === 0 ? 18 - week : trajectory === 1 ? 16 : trajectory === 2 ? 9 + week : 6;
      return Math.max(0, Math.min(27, Math.round(base + (rand() - 0.5) * 3)));
    };
    const scores: { phq9: ReviewScorePoint[]; gad7: ReviewScorePoint[] } = { phq9: [], gad7: [] };
    const riskFlags: ReviewRiskFlag[] = [];
    const openRiskTasks: ReviewRiskTask[] = [];
    const measuredWeeks = c % 5 === 4 ? WEEKS - 3 : WEEKS; // one client in five: no measure in the last three weeks
    for (let week = 0; week < measuredWeeks; week += 1) {
      for (const instrument of c % 2 === 0 ? (['phq9', 'gad7'] as const) : (['phq9'] as const)) {
        const at = iso(careStart + week * WEEK + DAY + Math.floor(rand() * 3_600_000));
        const total = instrument === 'phq9' ? phqAt(week) : Math.max(0, Math.min(21, Math.round(phqAt(week) * 0.7)));
        const items9 = instrument === 'phq9' ? 9 : 7;
        const answers = Array.from({ length: items9 }, (_, k) => Math.min(3, Math.floor(total / items9) + (k < total % items9 ? 1 : 0)));
        const flagged = instrument === 'phq9' && c === 3 && week === WEEKS - 1;
        if (instrument === 'phq9') answers[8] = flagged ? 1 : 0;
        const flags = flagged ? [{ kind: 'phq9_item9', level: 'moderate', ...SYNTHETIC_FLAG }] : [];
        const assessmentId = randomUUID();
        const body = { clientId, assessmentId, instrument, submittedAt: at, answers, result: { instrument, total, riskFlags: flags } };
        items.push({ ...keys.assessment(clientId, assessmentId), entityType: 'assessment', ...body });
        items.push({ ...keys.assessmentOfInstrument(clientId, instrument, assessmentId), entityType: 'assessment-of-instrument', ...body });
        scores[instrument].push({ total, at, ...(instrument === 'phq9' ? { item9: answers[8] as number } : {}) });
        if (flagged) {
          riskFlags.push({ kind: 'phq9_item9', level: 'moderate', at });
          openRiskTasks.push(riskTask(items, { clientId, therapistId, level: 'moderate', sourceType: 'assessment', sourceId: assessmentId, at, status: 'open' }));
        }
      }
    }

    // Check-ins: most weeks; one client in seven stops four weeks before the tick; one self-harm flag.
    const checkInsAt: string[] = [];
    for (let week = 0; week < WEEKS; week += 1) {
      if ((c % 7 === 6 && week >= WEEKS - 4) || rand() < 0.2) continue;
      const checkInId = randomUUID();
      const recordedAt = iso(careStart + week * WEEK + 3 * DAY + Math.floor(rand() * 3_600_000));
      const selfHarm = c === 11 && week === WEEKS - 1;
      const flags = selfHarm ? [{ kind: 'check_in_self_harm', level: 'high', ...SYNTHETIC_FLAG }] : [];
      items.push({
        ...keys.checkIn(clientId, checkInId),
        entityType: 'check-in',
        checkInId,
        clientId,
        mood: 3 + Math.floor(rand() * 5),
        anxiety: 2 + Math.floor(rand() * 5),
        sleepHours: 6 + Math.floor(rand() * 3),
        triggers: { tags: [] },
        copingSkills: [],
        selfHarmThoughts: selfHarm,
        recordedAt,
        recordedBy: { userId: clientId, role: 'client' },
        riskFlags: flags,
      });
      checkInsAt.push(recordedAt);
      if (selfHarm) {
        riskFlags.push({ kind: 'check_in_self_harm', level: 'high', at: recordedAt });
        openRiskTasks.push(riskTask(items, { clientId, therapistId, level: 'high', sourceType: 'check_in', sourceId: checkInId, at: recordedAt, status: 'acknowledged' }));
      }
    }
    if (openRiskTasks.length > 0) clientsWithOpenRiskTasks += 1;

    // Sessions: weekly, an attendance mix, and next week's booked.
    const sessions: ReviewSession[] = [];
    for (let week = 0; week <= WEEKS; week += 1) {
      const sessionId = randomUUID();
      const start = iso(careStart + week * WEEK + 2 * DAY + 3_600_000);
      const roll = rand();
      const status = week === WEEKS ? 'booked' : roll < 0.8 ? 'attended' : roll < 0.88 ? 'no_show' : roll < 0.95 ? 'late_cancelled' : 'cancelled';
      const createdAt = iso(careStart);
      items.push(
        { ...keys.session(sessionId), ...keys.sessionsOfTherapist(therapistId, start, sessionId), entityType: 'session', sessionId, clientId, therapistId, type: 'individual', start, end: iso(Date.parse(start) + 50 * 60_000), status, createdAt },
        { ...keys.clientSession(clientId, sessionId), entityType: 'client-session', sessionId, therapistId, start, status, createdAt },
      );
      sessions.push({ sessionId, start, status });
    }

    // The active plan, signed a week into care.
    const planId = randomUUID();
    const signedAt = iso(careStart + WEEK);
    const plan: StoredPlan = {
      ...resolveContent(planContent, new Date(signedAt), 90),
      planId,
      clientId,
      subject: { kind: 'client', clientId },
      version: 1,
      status: 'active',
      createdAt: iso(careStart + 3 * DAY),
      createdBy: author,
      updatedAt: signedAt,
      signedAt,
      signedBy: author,
    };
    items.push({ ...keys.planVersion(clientId, 1), entityType: 'treatment-plan', ...plan }, { ...keys.activePlan(clientId), entityType: 'treatment-plan-active', planId, version: 1 });

    const before = (at: string) => at <= PREVIOUS_END;
    previousClients.push({
      clientId,
      firstName,
      lastName: clientLast,
      careStartedAt: startedAt,
      scores: { phq9: scores.phq9.filter((p) => before(p.at)), ...(scores.gad7.length > 0 ? { gad7: scores.gad7.filter((p) => before(p.at)) } : {}) },
      plan,
      planReviews: [],
      sessions: sessions.map((s) => (before(s.start) ? s : { ...s, status: 'booked' as const })),
      checkInsAt: checkInsAt.filter(before),
      riskFlags: riskFlags.filter((f) => before(f.at)),
      openRiskTasks: openRiskTasks.filter((t) => before(t.openedAt)),
    });
  }

  // The previous week's review, by the real builder over the same data as of its period end; dispositions on half its items.
  const previous = buildProgressReview(
    ReviewFactsSchema.parse({
      therapist: { id: therapistId, timeZone: zone.timeZone, identifiers: 'none' },
      period: { start: PREVIOUS_START, end: PREVIOUS_END },
      now: PREVIOUS_END,
      clients: previousClients.map((records) => clientFactsOf(records, new Date(PREVIOUS_END))),
    }),
    DEFAULT_REVIEW_RULES,
  );
  items.push({
    ...keys.progressReview(therapistId, PREVIOUS_END),
    entityType: 'progress-review',
    reviewId: previous.reviewId,
    therapistId,
    periodStart: PREVIOUS_START,
    periodEnd: PREVIOUS_END,
    generatedAt: previous.generatedAt,
    review: JSON.stringify(previous),
  });
  previous.items.forEach((item, i) => {
    if (i % 2 === 1) return;
    const disposition: Disposition = { action: i % 4 === 0 ? 'reviewed' : 'discussed_with_client', at: iso(Date.parse(PREVIOUS_END) + DAY) };
    items.push({ ...keys.reviewDisposition(therapistId, PREVIOUS_END, item.clientId), entityType: 'review-disposition', therapistId, periodEnd: PREVIOUS_END, clientId: item.clientId, disposition });
  });
  return { therapistId, items, clientsWithOpenRiskTasks };
}

function riskTask(
  items: Item[],
  t: { clientId: string; therapistId: string; level: 'moderate' | 'high'; sourceType: 'assessment' | 'check_in'; sourceId: string; at: string; status: 'open' | 'acknowledged' },
): ReviewRiskTask {
  const taskId = `risk-${t.sourceType}-${t.sourceId}`;
  const dueAt = iso(Date.parse(t.at) + 4 * 3_600_000);
  items.push(
    {
      ...keys.riskTask(taskId),
      ...keys.riskTaskOfStaff(t.therapistId, 'open', dueAt, taskId),
      entityType: 'risk-task',
      taskId,
      clientId: t.clientId,
      level: t.level,
      source: { type: t.sourceType, id: t.sourceId },
      status: t.status,
      responsibility: 'therapist',
      responsibleClinicianId: t.therapistId,
      flaggedAt: t.at,
      createdAt: t.at,
      dueAt,
      escalations: [],
      lastEscalationRound: 0,
      ...(t.status === 'acknowledged' ? { acknowledgedAt: iso(Date.parse(t.at) + 3_600_000), acknowledgedBy: t.therapistId } : {}),
    },
    { ...keys.openRiskTask(taskId, dueAt), entityType: 'risk-task-open', taskId },
    { ...keys.clientRiskTask(t.clientId, taskId), entityType: 'risk-task-pointer', taskId, open: true },
  );
  return { taskId, level: t.level, status: t.status, openedAt: t.at };
}

/** Runs `work` over `list` with at most `limit` at once. */
async function pool<T>(list: readonly T[], limit: number, work: (value: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, list.length) }, async () => {
      while (next < list.length) await work(list[next++] as T);
    }),
  );
}

async function batchWrite(db: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<void> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await pool(chunks, 4, async (chunk) => {
    let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 10) throw new Error('BatchWrite: items left unprocessed after 10 attempts');
      const output = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The cycle
// ---------------------------------------------------------------------------------------------

interface Invocation {
  state: string;
  ms: number;
  count: RequestCount;
  /** BuildAndStoreReview: the facts loader's counter (its `reads` output). */
  factsReads?: number;
}

interface CycleResult {
  n: number;
  items: number;
  seedMs: number;
  wallMs: number;
  status: string;
  due: number;
  emails: number;
  invocations: Invocation[];
  entered: number;
  enteredParent: number;
  retried: number;
  formula: number;
  expectedFactsReads: number[];
}

const clock = new VirtualClock({ mode: 'controlled', start: new Date(TICK) });
const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: false, clock, log: () => undefined });
const tableName = stack.env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const rawClient = new DynamoDBClient({});

// The tasks' modules read the stack's environment when imported (a cold start): import them now.
const { progressReviewDependencies } = await import('../functions/tasks/progress-reviews/task-dependencies.js');
const { taskHandler } = await import('../functions/tasks/task-handler.js');
const { buildAndStoreReview, TherapistPeriodInputSchema } = await import('../shared/use-cases/reviews/progress-reviews.js');
const buildDeps = progressReviewDependencies({ sendsEmail: false });
const buildHandler = taskHandler('BuildAndStoreReview', TherapistPeriodInputSchema, (input) =>
  buildAndStoreReview(input, { ...buildDeps, facts: createReviewFactsSource({ documentClient, tableName }) }),
) as unknown as LambdaHandler;
const workflow = await LocalWorkflow.load('progressReviews', { clock, handlers: { BuildAndStoreReview: buildHandler } });

async function resetTable(): Promise<void> {
  await rawClient.send(new DeleteTableCommand({ TableName: tableName }));
  await waitUntilTableNotExists({ client: rawClient, maxWaitTime: 300 }, { TableName: tableName });
  await ensureTable(rawClient, tableName);
}

async function cycle(n: number): Promise<CycleResult> {
  await resetTable();
  const run = randomUUID().slice(0, 8);
  const seedStart = performance.now();
  let items = 0;
  const expectedFactsReads: number[] = [];
  const indexes = Array.from({ length: n }, (_, i) => i);
  await pool(indexes, 4, async (i) => {
    const data = therapistData(run, i);
    items += data.items.length;
    // The facts loader's own requests: 1 Query of the clients in care, 8 per client, +1 BatchGet per client with open risk tasks.
    expectedFactsReads.push(1 + 8 * CLIENTS + data.clientsWithOpenRiskTasks);
    await batchWrite(documentClient, tableName, data.items);
  });
  const seedMs = performance.now() - seedStart;

  const invocations: Invocation[] = [];
  const measure =
    (state: string): TaskInterceptor =>
    async (event, invoke) => {
      const count: RequestCount = { reads: 0, writes: 0, readUnits: 0, writeUnits: 0, withCapacity: 0 };
      const started = performance.now();
      const output = await counting.run(count, () => invoke(event));
      const factsReads = state === 'BuildAndStoreReview' ? (output as { reads?: number }).reads : undefined;
      invocations.push({ state, ms: performance.now() - started, count, ...(factsReads !== undefined ? { factsReads } : {}) });
      return output;
    };
  const started = performance.now();
  const record: ExecutionRecord = await workflow.run(
    { hourOf: TICK },
    {
      name: `${progressReviewRunName(new Date(TICK))}-bench-${n}`,
      taskInterceptors: { ListDueTherapists: measure('ListDueTherapists'), BuildAndStoreReview: measure('BuildAndStoreReview'), SendReviewEmail: measure('SendReviewEmail') },
    },
  );
  const wallMs = performance.now() - started;
  const inbox = await fetchInbox(stack.sesEndpoint);
  const emails = inbox.filter((email) => email.destination.to.some((to) => to.startsWith(`bench-review-${run}-`))).length;
  const entered = record.events.filter((e) => e.type === 'StateEntered');
  const due = invocations.filter((i) => i.state === 'BuildAndStoreReview').length;
  return {
    n,
    items,
    seedMs,
    wallMs,
    status: record.status,
    due,
    emails,
    invocations,
    entered: entered.length,
    enteredParent: entered.filter((e) => e.index === undefined).length,
    retried: record.events.filter((e) => e.type === 'StateRetried').length,
    // From the definition: ListDueTherapists, ReviewEachTherapist, ProgressReviewsDone; per therapist BuildAndStoreReview, HasReviewToSend, SendReviewEmail.
    formula: 3 + 3 * n,
    expectedFactsReads,
  };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const p = (values: number[], q: number) => percentile(sorted(values), q);
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const money = (value: number) => `$${value.toFixed(4)}`;

interface Cost {
  transitionsAws: number;
  sfn: number;
  lambda: number;
  lambdaGbSeconds: number;
  lambdaRequests: number;
  lambdaAtAwsLatency: number;
  awsGbSeconds: number;
  rru: number;
  wru: number;
  dynamo: number;
  ses: number;
  total: number;
}

function costOf(r: CycleResult): Cost {
  // AWS: the parent's states, plus per child execution its own states and ONE transition for its start (Distributed Map).
  const transitionsAws = r.entered + r.retried + r.due;
  const lambdaGbSeconds = r.invocations.reduce((sum, i) => sum + Math.ceil(i.ms) / 1000, 0) * LAMBDA_MEMORY_GB;
  const lambdaRequests = r.invocations.length;
  const rru = r.invocations.reduce((sum, i) => sum + i.count.readUnits, 0);
  const wru = r.invocations.reduce((sum, i) => sum + i.count.writeUnits, 0);
  const sfn = transitionsAws * PRICE.transition;
  const lambda = lambdaGbSeconds * PRICE.lambdaGbSecond + lambdaRequests * PRICE.lambdaRequest;
  // Uncontended: each invocation alone on its function, its requests one after another at AWS_REQUEST_MS (CPU time ignored).
  const awsGbSeconds = r.invocations.reduce((sum, i) => sum + ((i.count.reads + i.count.writes) * AWS_REQUEST_MS) / 1000, 0) * LAMBDA_MEMORY_GB;
  const lambdaAtAwsLatency = awsGbSeconds * PRICE.lambdaGbSecond + lambdaRequests * PRICE.lambdaRequest;
  const dynamo = rru * PRICE.readRequestUnit + wru * PRICE.writeRequestUnit;
  const ses = r.emails * PRICE.email;
  return { transitionsAws, sfn, lambda, lambdaGbSeconds, lambdaRequests, lambdaAtAwsLatency, awsGbSeconds, rru, wru, dynamo, ses, total: sfn + lambda + dynamo + ses };
}

function report(r: CycleResult): Cost {
  const of = (state: string) => r.invocations.filter((i) => i.state === state);
  const builds = of('BuildAndStoreReview');
  const sends = of('SendReviewEmail');
  const list = of('ListDueTherapists');
  const cost = costOf(r);
  const capacityShare = r.invocations.reduce((s, i) => s + i.count.withCapacity, 0) / Math.max(1, r.invocations.reduce((s, i) => s + i.count.reads + i.count.writes, 0));
  console.log(`\n=== N = ${r.n} therapists x ${CLIENTS} clients x ${WEEKS} weeks ===`);
  console.log(`Seeded ${r.items.toLocaleString('en-US')} items in ${fmt(r.seedMs / 1000, 1)} s (BatchWrite, 4 therapists x 4 batches at once)`);
  console.log(`Cycle: ${r.status}, wall ${fmt(r.wallMs / 1000, 1)} s; ${r.due} therapists due, ${r.emails} review emails in the SES emulator's inbox`);
  console.log(`  ListDueTherapists: ${fmt(list[0]?.ms ?? NaN)} ms, ${list[0]?.count.reads ?? 0} DynamoDB reads`);
  console.log(`  BuildAndStoreReview per therapist: p50 ${fmt(p(builds.map((b) => b.ms), 50))} ms, p95 ${fmt(p(builds.map((b) => b.ms), 95))} ms, max ${fmt(Math.max(...builds.map((b) => b.ms)))} ms`);
  console.log(`  SendReviewEmail per therapist:     p50 ${fmt(p(sends.map((b) => b.ms), 50))} ms, p95 ${fmt(p(sends.map((b) => b.ms), 95))} ms`);
  const facts = builds.map((b) => b.factsReads ?? NaN);
  console.log(
    `  Facts loader reads per therapist (its counter): p50 ${fmt(p(facts, 50))}, max ${fmt(Math.max(...facts))}; expected from the data (1 + 8 x 20 + 1 per client with open risk tasks): p50 ${fmt(p(r.expectedFactsReads, 50))}, max ${fmt(Math.max(...r.expectedFactsReads))}`,
  );
  const perTherapist = (pick: (i: Invocation) => number) => builds.map((b, k) => pick(b) + (sends[k] ? pick(sends[k]) : 0));
  const reads = perTherapist((i) => i.count.reads);
  const writes = perTherapist((i) => i.count.writes);
  console.log(`  All DynamoDB requests per therapist (build + send): reads p50 ${fmt(p(reads, 50))} max ${fmt(Math.max(...reads))}; writes p50 ${fmt(p(writes, 50))} max ${fmt(Math.max(...writes))} (the review, 20 audit events on the clients' chains, the email claim and confirm)`);
  const rru = perTherapist((i) => i.count.readUnits);
  const wru = perTherapist((i) => i.count.writeUnits);
  console.log(
    `  Consumed capacity per therapist (ReturnConsumedCapacity TOTAL, as DynamoDB Local reports it; ${fmt(capacityShare * 100)}% of requests answered with it): RRU p50 ${fmt(p(rru, 50), 1)} max ${fmt(Math.max(...rru), 1)}; WRU p50 ${fmt(p(wru, 50), 1)} max ${fmt(Math.max(...wru), 1)}`,
  );
  console.log(`  State transitions: ${r.entered} states entered (${r.enteredParent} in the parent, ${r.entered - r.enteredParent} in the Map's iterations), ${r.retried} retries; formula 3 + 3 x N = ${r.formula}`);
  console.log(`  In AWS (Distributed Map, Standard children): + 1 transition per child execution started = ${cost.transitionsAws} billed transitions`);
  console.log(
    `  Estimated AWS cost of this cycle: ${money(cost.total)} = Step Functions ${money(cost.sfn)} (${cost.transitionsAws} x $0.025/1k) + Lambda ${money(cost.lambda)} (${cost.lambdaRequests} requests, ${fmt(cost.lambdaGbSeconds, 1)} GB-s at 512 MB from the measured durations) + DynamoDB ${money(cost.dynamo)} (${fmt(cost.rru, 0)} RRU x $0.125/M, ${fmt(cost.wru, 0)} WRU x $0.625/M) + SES ${money(cost.ses)} (${r.emails} x $0.10/1k)`,
  );
  console.log(
    `  Lambda if each invocation ran alone at ${AWS_REQUEST_MS} ms per DynamoDB request (an assumption, not a measurement): ${fmt(cost.awsGbSeconds, 1)} GB-s, ${money(cost.lambdaAtAwsLatency)}; the cycle would then cost ${money(cost.total - cost.lambda + cost.lambdaAtAwsLatency)}`,
  );
  return cost;
}

const results: { r: CycleResult; cost: Cost }[] = [];
try {
  console.log(`Progress reviews: one cycle at the tick ${TICK} (Monday 07:00 New York) per N; the real definition, tasks and use cases on DynamoDB Local and the SES emulator, on the controlled clock.`);
  for (const n of sizes) {
    const r = await cycle(n);
    results.push({ r, cost: report(r) });
    if (r.status !== 'SUCCEEDED' || r.due !== n || r.emails !== n) throw new Error(`N=${n}: ${r.status}, ${r.due} due, ${r.emails} emails: expected ${n} of each`);
  }
} finally {
  documentClient.destroy();
  rawClient.destroy();
  await stack.stop();
}

console.log('\n=== Scaling ===');
const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(
  `${pad('N', 5)}${pad('seed s', 9)}${pad('wall s', 9)}${pad('build p50', 11)}${pad('build p95', 11)}${pad('send p50', 10)}${pad('reads/th', 10)}${pad('transitions', 13)}${pad('AWS trans.', 12)}${pad('cost', 10)}${pad('wall ms/th', 12)}${pad('$/th', 10)}`,
);
for (const { r, cost } of results) {
  const builds = r.invocations.filter((i) => i.state === 'BuildAndStoreReview');
  const sends = r.invocations.filter((i) => i.state === 'SendReviewEmail');
  console.log(
    `${pad(r.n, 5)}${pad(fmt(r.seedMs / 1000, 1), 9)}${pad(fmt(r.wallMs / 1000, 1), 9)}${pad(`${fmt(p(builds.map((b) => b.ms), 50))} ms`, 11)}${pad(`${fmt(p(builds.map((b) => b.ms), 95))} ms`, 11)}${pad(`${fmt(p(sends.map((b) => b.ms), 50))} ms`, 10)}${pad(fmt(p(builds.map((b) => b.factsReads ?? NaN), 50)), 10)}${pad(r.entered + r.retried, 13)}${pad(cost.transitionsAws, 12)}${pad(money(cost.total), 10)}${pad(fmt(r.wallMs / r.n, 1), 12)}${pad(`$${(cost.total / r.n).toFixed(6)}`, 10)}`,
  );
}
console.log(`
Notes:
- Wall time: the execution only (ListDueTherapists, then the Map at MaxConcurrency 10, each branch BuildAndStoreReview -> HasReviewToSend -> SendReviewEmail), on this machine: every task, DynamoDB Local's JVM and the SES emulator share its CPUs, so the per-task times include waiting for them.
- Reads/therapist: the facts loader's counter (the task's \`reads\` output). The other reads of a build (the stored review's check, the therapist, preferences, the previous review and its dispositions, the audit chains' heads) and of the send are in the "all DynamoDB requests" line.
- AWS runs the Map as a Distributed Map: each therapist is a child Standard execution with its own history (here the branches run inline in one process, p-limit(10), no child executions). Billed transitions = the parent's states + per child its states + 1 for its start (AWS: "charged one state transition for each child workflow execution that the Distributed Map state starts"); retries are transitions too.
- Lambda cost: 512 MB (the app-function default), GB-seconds from the durations measured here rounded up to the ms (contention on this machine makes them pessimistic); one request per task invocation. The scheduler's starter function and EventBridge Scheduler (one invocation an hour) are left out.
- DynamoDB: on-demand (infra/stacks/data-stack.ts PAY_PER_REQUEST), $0.125 per million RRU and $0.625 per million WRU (us-east-1); units as DynamoDB Local reports them for ReturnConsumedCapacity TOTAL (an approximation of AWS's, not checked against AWS). Storage, streams and the GSI's write units are left out.
- SES: $0.10 per 1,000 emails; no attachment, no dedicated IP.`);
