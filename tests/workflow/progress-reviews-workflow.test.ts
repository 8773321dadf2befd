/**
 * The REAL workflows/progress-reviews.asl.json with its real tasks, DynamoDB Local and the SES
 * emulator, on the controlled clock (controlled-time.ts), started the way the hourly schedule
 * starts it (functions/scheduled/start-progress-reviews.ts through the Step Functions emulator,
 * which refuses a second execution of the same name). Exactly one email per therapist per
 * period, at the exact tick of the therapist's local Monday 07:00, under a duplicate scheduler
 * event, a task retry after a lost response, and a retry after a crash between the send and
 * its confirm (seeded stale claim, and a crash injected on the confirm write); none for a paused
 * therapist or one without clients. The history carries ids,
 * instants and counters only.
 *
 * The Map's `ProcessorConfig.Mode: DISTRIBUTED`: aws-local-stepfunctions 3.0.0 ignores
 * ProcessorConfig (verified in its MapStateAction: it builds the ItemProcessor as a nested state
 * machine and runs one per item in this process, p-limit(MaxConcurrency), with the parent's
 * run overrides). So locally the children are inline: no child executions, no per-child
 * history, the retry overrides and task interceptors apply to them. The Distributed Map's
 * StartExecution on itself is checked in the CDK tests only.
 *
 * The clock starts Monday 2027-01-04 09:00 UTC. Each test uses its own zone, so its therapists
 * are due at their own tick (New York 12:00 UTC, Chicago 13:00, Denver 14:00, Los Angeles 15:00).
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { runAsFunction } from '../../local/iam/table-guard.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { startHourlyProgressReviews } from '../../local/progress-review-scheduler.js';
import { statesEntered, type LocalWorkflow } from '../../local/step-functions/runner.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { createProgressReviewStore } from '../../shared/adapters/dynamodb/progress-review-repository.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import { REVIEW_EMAIL_SUBJECT, progressReviewId } from '../../shared/domain/reviews/index.js';
import { progressReviewRunName } from '../../shared/domain/reviews/schedule.js';
import { DAY_MS, useControlledTime } from './controlled-time.js';
import { SCHEDULED_TASKS } from '../../workflows/schedules.js';
import { disallowedHistoryFields, tableClient, tableName, transientLambdaError } from './support.js';

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const time = useControlledTime({ stepFunctionsWorkflows: ['progressReviews'] });

const FAST_RETRIES = { ListDueTherapists: 5, BuildAndStoreReview: 5, SendReviewEmail: 5 };
const store = () => createProgressReviewStore({ documentClient: tableClient(), tableName: tableName() });
const nowIso = () => time.clock.now().toISOString();

async function therapist(timeZone: string): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = `review.therapist.${id.slice(0, 8)}@example.com`;
  const lastName = `Synth${id.slice(0, 6)}`;
  await tableClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.staffProfile(id), ...keys.staffByRole('therapist', lastName, id), entityType: 'staff', userId: id, role: 'therapist', email, firstName: 'Rowan', lastName, timezone: timeZone, createdAt: nowIso() },
    }),
  );
  return { id, email };
}

/** A client in care with the therapist since 30 days before now (virtual), with a PHQ-9 at the start and one now. */
async function clientOf(therapistId: string): Promise<string> {
  const clientId = randomUUID();
  const startedAt = new Date(time.clock.now().getTime() - 30 * DAY_MS).toISOString();
  const created = await createClientRepository({ documentClient: tableClient(), tableName: tableName() }).createClient({
    clientId,
    account: { email: `review.client.${clientId.slice(0, 8)}@example.com`, firstName: 'Tamsin', lastName: 'Quillfeather', dateOfBirth: '1991-05-02', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage: 'in_care',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.9', userAgent: 'vitest', acceptedAt: startedAt },
    requestId: `test-${clientId}`,
    emailVerifiedAt: startedAt,
    createdAt: startedAt,
  });
  if (created.outcome !== 'created') throw new Error(created.outcome);
  const begun = await createCareTeamRepository({ documentClient: tableClient(), tableName: tableName() }).begin({ clientId, clinicianId: therapistId, kind: 'therapist', startedAt });
  if (begun.outcome !== 'begun') throw new Error(begun.outcome);
  for (const [at, total] of [[startedAt, 14], [nowIso(), 21]] as const) {
    const assessmentId = randomUUID();
    const record = { clientId, assessmentId, instrument: 'phq9', submittedAt: at, answers: [3, 3, 3, 3, 3, 3, 2, 1, 0], result: { instrument: 'phq9', total, riskFlags: [] } };
    await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.assessment(clientId, assessmentId), ...record } }));
    await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.assessmentOfInstrument(clientId, 'phq9', assessmentId), ...record } }));
  }
  return clientId;
}

async function reviewEmailsTo(email: string) {
  return (await time.emailsTo(email)).filter((m) => m.subject === REVIEW_EMAIL_SUBJECT);
}

let instance: LocalWorkflow | undefined;
async function workflow(): Promise<LocalWorkflow> {
  instance ??= await time.workflow('progressReviews');
  return instance;
}

describe('progress reviews workflow (controlled clock)', () => {
  it('Monday 07:00 New York: one email at exactly 12:00 UTC, none for a paused therapist or one without clients; a duplicate scheduler event starts nothing', async () => {
    await time.ready();
    const active = await therapist('America/New_York');
    const clientId = await clientOf(active.id);
    const paused = await therapist('America/New_York');
    await clientOf(paused.id);
    await store().putPreferences(paused.id, { weekday: 1, hour: 7, paused: true });
    const idle = await therapist('America/New_York');

    // The schedule's event, delivered twice for the 12:00 UTC tick (Scheduler's at-least-once delivery).
    const { handler } = await import('../../functions/scheduled/start-progress-reviews.js');
    await time.advance({ until: '2027-01-04T12:00:00.000Z' });
    const context = {} as Parameters<typeof handler>[1];
    const first = await handler({ source: 'schedule', scheduledTime: '2027-01-04T12:00:00Z' }, context);
    const second = await handler({ source: 'schedule', scheduledTime: '2027-01-04T12:00:00Z' }, context);
    expect(first).toEqual({ name: 'progress-reviews-2027-01-04T12', alreadyStarted: false });
    // Same name: StartExecution either answers with the running execution (AWS: same name and input while it runs) or refuses the name: never a second run.
    expect(second.name).toBe('progress-reviews-2027-01-04T12');
    await time.advance({ seconds: 0 });

    const sent = await reviewEmailsTo(active.email);
    expect(sent.map((m) => m.sentAt)).toEqual(['2027-01-04T12:00:00.000Z']);
    expect(await reviewEmailsTo(paused.email)).toEqual([]);
    expect(await reviewEmailsTo(idle.email)).toEqual([]);
    // The email: counts and a link, never the client's name or score.
    expect(JSON.stringify(sent[0])).not.toMatch(/Tamsin|Quillfeather|\b21\b/);
    const review = await store().get(active.id, '2027-01-04T12:00:00.000Z');
    expect(review).toMatchObject({ reviewId: progressReviewId(active.id, '2027-01-04T12:00:00.000Z'), period: { start: '2026-12-28T12:00:00.000Z', end: '2027-01-04T12:00:00.000Z' } });
    expect(review?.caseload.clientsInCare).toBe(1);
    expect(review?.items.map((i) => i.clientId)).toEqual([clientId]);
    expect(await store().get(idle.id, '2027-01-04T12:00:00.000Z')).toBeUndefined();

    const runs = time.stepFunctions().executions().filter((e) => e.name === progressReviewRunName(new Date('2027-01-04T12:00:00Z')));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('SUCCEEDED');
    expect(disallowedHistoryFields(runs[0]!)).toEqual([]);

    // An hour later nothing is due for them: still one email.
    await time.advance({ hours: 1 });
    await handler({ source: 'schedule', scheduledTime: '2027-01-04T13:00:00Z' }, context);
    await time.advance({ seconds: 0 });
    expect((await reviewEmailsTo(active.email)).length).toBe(1);
  });

  it('a lost response after the send (task retried) and a retried build: still exactly one email, one stored review', async () => {
    const chicago = await therapist('America/Chicago');
    await clientOf(chicago.id);
    await time.advance({ until: '2027-01-04T13:00:00.000Z' });
    const calls = { build: 0, send: 0 };
    const execution = time.started(
      (await workflow()).start(
        { hourOf: '2027-01-04T13:00:00.000Z' },
        {
          name: 'retry-test-2027-01-04T13',
          retryIntervalOverrides: FAST_RETRIES,
          taskInterceptors: {
            BuildAndStoreReview: async (event, invoke) => {
              const result = await invoke(event);
              if ((event as { therapistId?: string }).therapistId === chicago.id && ++calls.build === 1) throw transientLambdaError();
              return result;
            },
            SendReviewEmail: async (event, invoke) => {
              const result = await invoke(event);
              if ((event as { therapistId?: string }).therapistId === chicago.id && ++calls.send <= 2) throw transientLambdaError();
              return result;
            },
          },
        },
      ),
    );
    await time.advance({ seconds: 0 });
    await execution.done;
    expect(execution.record.status).toBe('SUCCEEDED');
    expect(calls).toEqual({ build: 2, send: 3 });
    expect((await reviewEmailsTo(chicago.email)).map((m) => m.sentAt)).toEqual(['2027-01-04T13:00:00.000Z']);
    expect(statesEntered(execution.record).filter((s) => s === 'SendReviewEmail').length).toBeGreaterThanOrEqual(1);
    expect(disallowedHistoryFields(execution.record)).toEqual([]);
  });

  it('a crash between the send and its confirm: the retry finds the stale claim, records the outcome as unknown and sends nothing more', async () => {
    const denver = await therapist('America/Denver');
    await clientOf(denver.id);
    await time.advance({ until: '2027-01-04T14:00:00.000Z' });
    const periodEnd = '2027-01-04T14:00:00.000Z';
    // The crashed attempt: it claimed the email 20 minutes ago (older than the 15-minute stale limit), SES took it, and it died before the confirm.
    const crashedAt = new Date(time.clock.now().getTime() - 20 * 60_000).toISOString();
    await tableClient().send(
      new PutCommand({ TableName: tableName(), Item: { ...keys.reviewEmailClaim(denver.id, periodEnd), entityType: 'review-email', therapistId: denver.id, periodEnd, state: 'claimed', claimId: 'crashed', claimedAt: crashedAt } }),
    );
    const execution = time.started((await workflow()).start({ hourOf: periodEnd }, { name: 'crash-test-2027-01-04T14', retryIntervalOverrides: FAST_RETRIES }));
    await time.advance({ seconds: 0 });
    await execution.done;
    expect(execution.record.status).toBe('SUCCEEDED');
    expect(await reviewEmailsTo(denver.email)).toEqual([]);
    const { Item } = await tableClient().send(new GetCommand({ TableName: tableName(), Key: keys.reviewEmailClaim(denver.id, periodEnd), ConsistentRead: true }));
    expect(Item).toMatchObject({ state: 'unknown', abandonedAt: periodEnd });
    // The review is stored all the same: the therapist finds it in the app.
    expect((await store().get(denver.id, periodEnd))?.caseload.clientsInCare).toBe(1);
  });

  it('an injected crash between the send and its confirm (the confirm write fails): SES sent once, the retries find the claim in flight, a later run records the outcome as unknown and sends nothing more', async () => {
    const losAngeles = await therapist('America/Los_Angeles');
    await clientOf(losAngeles.id);
    const periodEnd = '2027-01-04T15:00:00.000Z';
    await time.advance({ until: periodEnd });
    const claimKey = keys.reviewEmailClaim(losAngeles.id, periodEnd);
    // The crash: the confirm write of this therapist's claim (pattern 103) fails once, after SES took the message.
    const original = DynamoDBDocumentClient.prototype.send;
    const confirms: string[] = [];
    const spy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: DynamoDBDocumentClient, ...args: unknown[]) {
      const [command] = args;
      if (command instanceof UpdateCommand && command.input.Key?.PK === claimKey.PK && command.input.Key?.SK === claimKey.SK && String(command.input.UpdateExpression).includes(':sent')) {
        confirms.push(nowIso());
        if (confirms.length === 1) return Promise.reject(Object.assign(new Error('Task timed out after 60.00 seconds (simulated crash)'), { name: 'Sandbox.Timedout' }));
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original);
    try {
      const crashed = time.started((await workflow()).start({ hourOf: periodEnd }, { name: 'crash-injected-2027-01-04T15', retryIntervalOverrides: FAST_RETRIES }));
      await time.advance({ seconds: 0 });
      await crashed.done;
      // The retries (no time passes on the controlled clock) find a recent unconfirmed claim: in flight, never a second send.
      const attempts = crashed.record.events.filter((e) => e.type === 'StateFailed' && e.state?.name === 'SendReviewEmail').map((e) => e.Error);
      expect(attempts[0]).toBe('Sandbox.Timedout');
      expect(attempts.slice(1).every((error) => error === 'NotificationInFlightError')).toBe(true);
      expect(crashed.record.status).toBe('FAILED');
      expect(confirms).toEqual([periodEnd]);
      expect((await reviewEmailsTo(losAngeles.email)).map((m) => m.sentAt)).toEqual([periodEnd]);
    } finally {
      spy.mockRestore();
    }
    // In AWS the in-flight retries alone outlast the stale limit (60 s x 1.5^n up to 300 s, 20
    // attempts; FULL jitter halves the expectation); here a new run of the same tick 16 minutes later does it.
    const inFlightRetry = (JSON.parse(readFileSync(new URL('../../workflows/progress-reviews.asl.json', import.meta.url), 'utf8')) as {
      States: { ReviewEachTherapist: { ItemProcessor: { States: { SendReviewEmail: { Retry: { ErrorEquals: string[]; IntervalSeconds: number; MaxAttempts: number; BackoffRate: number; MaxDelaySeconds: number }[] } } } } };
    }).States.ReviewEachTherapist.ItemProcessor.States.SendReviewEmail.Retry.find((r) => r.ErrorEquals.includes('NotificationInFlightError'))!;
    let budget = 0;
    for (let n = 0; n < inFlightRetry.MaxAttempts; n += 1) budget += Math.min(inFlightRetry.IntervalSeconds * inFlightRetry.BackoffRate ** n, inFlightRetry.MaxDelaySeconds);
    expect(budget / 2).toBeGreaterThan(900);

    await time.advance({ minutes: 16 });
    const rerun = time.started((await workflow()).start({ hourOf: periodEnd }, { name: 'crash-rerun-2027-01-04T15', retryIntervalOverrides: FAST_RETRIES }));
    await time.advance({ seconds: 0 });
    await rerun.done;
    expect(rerun.record.status).toBe('SUCCEEDED');
    expect((await reviewEmailsTo(losAngeles.email)).map((m) => m.sentAt)).toEqual([periodEnd]);
    const { Item } = await tableClient().send(new GetCommand({ TableName: tableName(), Key: claimKey, ConsistentRead: true }));
    expect(Item).toMatchObject({ state: 'unknown', abandonedAt: '2027-01-04T15:16:00.000Z' });
    expect(disallowedHistoryFields(rerun.record)).toEqual([]);
  });

  it("the local stack's hourly tick (local/progress-review-scheduler.ts, as local/stack.ts runs it): advancing past Monday 07:00 in Anchorage sends exactly one review, at 16:00 UTC", async () => {
    const anchorage = await therapist('America/Anchorage');
    await clientOf(anchorage.id);
    const { handler } = await import('../../functions/scheduled/start-progress-reviews.js');
    const ticked: string[] = [];
    const ticker = startHourlyProgressReviews({
      clock: time.clock,
      start: (scheduledTime) => {
        ticked.push(scheduledTime);
        return runAsFunction(SCHEDULED_TASKS.startProgressReviews, () =>
          handler({ source: 'local-schedule', scheduledTime }, lambdaContext({ functionName: 'moodrx-local-start-progress-reviews', requestId: scheduledTime, deadline: Date.now() + 60_000 })),
        );
      },
    });
    try {
      expect(nowIso()).toBe('2027-01-04T15:16:00.000Z');
      await time.advance({ until: '2027-01-04T17:30:00.000Z' });
      expect(ticked).toEqual(['2027-01-04T16:00:00.000Z', '2027-01-04T17:00:00.000Z']);
      expect((await reviewEmailsTo(anchorage.email)).map((m) => m.sentAt)).toEqual(['2027-01-04T16:00:00.000Z']);
      const runs = time.stepFunctions().executions().filter((e) => ['progress-reviews-2027-01-04T16', 'progress-reviews-2027-01-04T17'].includes(e.name));
      expect(runs.map((r) => [r.name, r.status, r.startDate.toISOString()]).sort()).toEqual([
        ['progress-reviews-2027-01-04T16', 'SUCCEEDED', '2027-01-04T16:00:00.000Z'],
        ['progress-reviews-2027-01-04T17', 'SUCCEEDED', '2027-01-04T17:00:00.000Z'],
      ]);
      expect((await store().get(anchorage.id, '2027-01-04T16:00:00.000Z'))?.caseload.clientsInCare).toBe(1);
    } finally {
      await ticker.stop();
    }
  });
});
