/**
 * The "not working" check (issue 10, item 2) on the REAL care-lifecycle definition with its
 * real tasks, DynamoDB Local and the controlled clock: a client in care with a signed plan
 * whose primary instrument is the PHQ-9, measured every two weeks without a reliable
 * improvement, gets exactly ONE plan review task, opened at the exact virtual instant the 8
 * weeks end (not a wake-up later, not one per wake-up), and the execution's history carries
 * ids and counters only.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statesEntered, type LocalExecution, type LocalWorkflow } from '../../local/step-functions/runner.js';
import { createCareTeamRepository } from '../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { stageUpdate } from '../../shared/adapters/dynamodb/client-stage.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { createPlanRepository } from '../../shared/adapters/dynamodb/plan-repository.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import { CreatePlanRequestSchema, resolveContent, type StoredPlan } from '../../shared/domain/plans/plan.js';
import { reviewIds } from '../../shared/domain/plans/progress.js';
import { uuidV7 } from '../../shared/use-cases/monitor/record-ids.js';
import { createStaff } from '../integration/risk/support.js';
import { DAY_MS, useControlledTime } from './controlled-time.js';
import { clientItems, disallowedHistoryFields, tableClient, tableName } from './support.js';

process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
const time = useControlledTime({ stepFunctionsWorkflows: ['careLifecycle'] });

let instance: LocalWorkflow | undefined;
const nowIso = () => time.clock.now().toISOString();
const plus = (from: string, days: number) => new Date(Date.parse(from) + days * DAY_MS).toISOString();

/** A client in care with a therapist since now (virtual). */
async function clientInCare(): Promise<{ clientId: string; therapistId: string; startedAt: string }> {
  const clientId = randomUUID();
  const createdAt = nowIso();
  const created = await createClientRepository({ documentClient: tableClient(), tableName: tableName() }).createClient({
    clientId,
    account: { email: `plan-${clientId.slice(0, 8)}@example.com`, firstName: 'Ines', lastName: 'Varrow', dateOfBirth: '1988-02-11', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage: 'awaiting_match',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.8', userAgent: 'vitest', acceptedAt: createdAt },
    requestId: `test-${clientId}`,
    emailVerifiedAt: createdAt,
    createdAt,
  });
  if (created.outcome !== 'created') throw new Error(created.outcome);
  const therapist = await createStaff('therapist', { signIn: false });
  const begun = await createCareTeamRepository({ documentClient: tableClient(), tableName: tableName() }).begin({ clientId, clinicianId: therapist.id, kind: 'therapist', startedAt: createdAt });
  if (begun.outcome !== 'begun') throw new Error(begun.outcome);
  const stage = stageUpdate(clientId, 'in_care');
  await tableClient().send(new UpdateCommand({ TableName: tableName(), Key: keys.clientProfile(clientId), UpdateExpression: `SET ${stage.set}${stage.remove}`, ExpressionAttributeValues: stage.values }));
  return { clientId, therapistId: therapist.id, startedAt: createdAt };
}

/** A signed plan following the PHQ-9 (objective PHQ-9 < 10, due in a year; review in 90 days). */
async function signedPlan(clientId: string, therapistId: string): Promise<StoredPlan> {
  const now = time.clock.now();
  const content = CreatePlanRequestSchema.parse({
    problems: [{ id: 'p1', description: 'Low mood' }],
    goals: [{ id: 'g1', problemIds: ['p1'], statement: 'Feel like myself again' }],
    objectives: [{ kind: 'measure', id: 'o1', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: new Date(now.getTime() + 365 * DAY_MS).toISOString().slice(0, 10) }],
    interventions: [{ id: 'i1', modality: 'cbt', goalIds: ['g1'], frequency: { every: 'week', sessions: 12 } }],
    sessionFrequency: { every: 'week' },
    dischargeCriteria: ['PHQ-9 below 10'],
  });
  const at = now.toISOString();
  const author = { userId: therapistId, role: 'therapist' as const };
  const draft: StoredPlan = {
    ...resolveContent(content, now, 90),
    planId: uuidV7(now),
    clientId,
    subject: { kind: 'client', clientId },
    version: 1,
    status: 'draft',
    createdAt: at,
    createdBy: author,
    updatedAt: at,
  };
  const plans = createPlanRepository({ documentClient: tableClient(), tableName: tableName() });
  expect(await plans.createDraft(draft)).toBe('written');
  const active: StoredPlan = { ...draft, status: 'active', signedAt: at, signedBy: author };
  expect(await plans.sign({ plan: active, closeReviews: [] })).toBe('written');
  return active;
}

/** A PHQ-9 total recorded now (virtual), as the assessment repository stores it. */
async function phq9(clientId: string, total: number): Promise<void> {
  const at = time.clock.now();
  const assessmentId = uuidV7(at);
  const record = { clientId, assessmentId, instrument: 'phq9', submittedAt: at.toISOString(), result: { instrument: 'phq9', total } };
  await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.assessment(clientId, assessmentId), ...record } }));
  await tableClient().send(new PutCommand({ TableName: tableName(), Item: { ...keys.assessmentOfInstrument(clientId, 'phq9', assessmentId), ...record } }));
}

async function reviews(clientId: string): Promise<Record<string, unknown>[]> {
  return [...(await clientItems(clientId)).values()].filter((item) => String(item.SK).startsWith(keys.planReviewPrefix()));
}

describe('plan review on the care lifecycle (controlled clock)', () => {
  it('8 weeks of PHQ-9 without a reliable improvement -> exactly one review task, at exactly day 56', async () => {
    instance ??= await time.workflow('careLifecycle');
    const { clientId, therapistId, startedAt } = await clientInCare();
    const plan = await signedPlan(clientId, therapistId);
    await phq9(clientId, 18);
    const execution: LocalExecution = time.started(instance.start({ clientId, generation: 1, wakeUps: 0 }, { name: `client-${clientId}-1` }));

    // Every two weeks a score: 17, 16, 16, then 15 at day 55 (18 -> 15: 3 points, under the PHQ-9's reliable change of 6; no 50 % response).
    for (const total of [17, 16, 16]) {
      await time.advance({ days: 14 });
      await phq9(clientId, total);
    }
    await time.advance({ days: 13 });
    await phq9(clientId, 15);
    await time.advance({ hours: 23, minutes: 59 });
    expect(await reviews(clientId)).toEqual([]);

    await time.advance({ minutes: 1 });
    const opened = await reviews(clientId);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      reviewId: reviewIds.notOnTrack(plan.planId),
      kind: 'not_on_track',
      instrument: 'phq9',
      planId: plan.planId,
      therapistId,
      status: 'open',
      openedAt: plus(startedAt, 56),
    });

    // Later wake-ups see the same trigger: still one task, opened at day 56.
    await time.advance({ days: 10 });
    expect((await reviews(clientId)).map((r) => [r.reviewId, r.openedAt])).toEqual([[reviewIds.notOnTrack(plan.planId), plus(startedAt, 56)]]);

    const record = execution.record;
    execution.stop();
    expect(statesEntered(record)).toContain('CheckPlanProgress');
    // Ids and counters only: no trigger, score or plan in the history.
    expect(disallowedHistoryFields(record)).toEqual([]);
    expect(JSON.stringify([record.input, record.output, record.events])).not.toMatch(/not_on_track|phq9|PLAN_REVIEW|planId/);
  });
});
