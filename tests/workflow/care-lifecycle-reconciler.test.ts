/**
 * The care-lifecycle reconciler with the adapters the scheduled function builds, against
 * DynamoDB Local and THIS file's Step Functions emulator on the controlled clock
 * (tests/workflow/controlled-time.ts): the lifecycles it starts run here, their real task
 * handlers reading the same virtual time, so each started execution is known to have done its
 * first review and to sleep until an exact instant before the test looks, and the listing holds
 * this file's executions only. It finds a client in an active stage through the stage index,
 * starts the missing lifecycle, never a second while one runs, the next generation after an
 * aborted one, and after one that ended while care was closed and has reopened since. Only this
 * file's clients are reconciled (other tests' clients share the table): reconcileClient per
 * client, and the index listing checked to contain them.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reconcilerDependencies } from '../../functions/scheduled/reconcile-care-lifecycles.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { stageUpdate } from '../../shared/adapters/dynamodb/client-stage.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { ActiveClientStage } from '../../shared/domain/care-lifecycle.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import type { ClientStage } from '../../shared/domain/signup.js';
import { reconcileClient, type ReconcileDeps } from '../../shared/use-cases/care-lifecycle/reconcile.js';
import { HOUR_MS, useControlledTime } from './controlled-time.js';
import { clientItems, tableName } from './support.js';

const time = useControlledTime({ stepFunctionsWorkflows: ['careLifecycle'] });

let clients: { sfn: SFNClient; deps: ReconcileDeps } | undefined;

/** After the emulators are up: the SDK clients must reach this file's Step Functions emulator. */
async function ready(): Promise<{ sfn: SFNClient; deps: ReconcileDeps }> {
  await time.ready();
  clients ??= { sfn: new SFNClient({}), deps: reconcilerDependencies() };
  return clients;
}

const nowIso = () => time.clock.now().toISOString();
const plusHours = (from: string, hours: number) => new Date(Date.parse(from) + hours * HOUR_MS).toISOString();
/** Lets every execution run to its next Wait (or its end) without moving the clock. */
const settle = () => time.advance({ seconds: 0 });

async function clientIn(stage: ActiveClientStage): Promise<string> {
  const clientId = randomUUID();
  const createdAt = nowIso();
  const result = await createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() }).createClient({
    clientId,
    account: { email: `reconcile-${clientId.slice(0, 8)}@example.com`, firstName: 'Ines', lastName: 'Quarrel', dateOfBirth: '1985-02-11', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage,
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: createdAt },
    requestId: `test-${clientId}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: createdAt,
    createdAt,
  });
  if (result.outcome !== 'created') throw new Error(result.outcome);
  return clientId;
}

/** The stage as every writer sets it (the stage index with it). */
async function setStage(clientId: string, stage: ClientStage): Promise<void> {
  const update = stageUpdate(clientId, stage);
  await createDocumentClient().send(
    new UpdateCommand({ TableName: tableName(), Key: keys.clientProfile(clientId), UpdateExpression: `SET ${update.set}${update.remove}`, ExpressionAttributeValues: update.values }),
  );
}

/** [name, status] of this client's lifecycle executions on this file's emulator, newest first. */
async function executionsOf(clientId: string): Promise<[string, string][]> {
  const { sfn } = await ready();
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: process.env.CARE_LIFECYCLE_STATE_MACHINE_ARN, maxResults: 1000 }));
  return (executions ?? []).filter((execution) => execution.name?.startsWith(`client-${clientId}-`)).map((execution) => [execution.name ?? '', execution.status ?? '']);
}

/** The instants the execution named `name` sleeps until (it is waiting on the clock). */
const waitsOf = (name: string) =>
  time.clock
    .pending()
    .filter((wait) => wait.execution === name)
    .map((wait) => wait.due);

async function listed(stage: ActiveClientStage): Promise<string[]> {
  const { deps } = await ready();
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.records.clientsInStage(stage, { limit: 50, ...(cursor ? { cursor } : {}) });
    ids.push(...page.clientIds);
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('care-lifecycle reconciler (this file\'s Step Functions emulator, controlled clock)', () => {
  it('finds active clients through the stage index (written with the profile)', async () => {
    const [waiting, matching] = await Promise.all([clientIn('awaiting_consultation'), clientIn('awaiting_match')]);
    expect(await listed('awaiting_consultation')).toContain(waiting);
    expect(await listed('awaiting_match')).toContain(matching);
    expect(await listed('in_care')).not.toContain(waiting);
    expect(await listed('in_care')).not.toContain(matching);
  });

  it('starts a missing lifecycle, never a second while it runs (also a day of wake-ups later), and the next generation after an aborted one', async () => {
    const { sfn, deps } = await ready();
    const clientId = await clientIn('awaiting_match');
    const startedAt = nowIso();
    const first = await reconcileClient(clientId, deps);
    expect(first).toMatchObject({ outcome: 'started', generation: 1, reason: 'missing' });
    const firstName = `client-${clientId}-1`;
    // On this file's emulator (the one the reconciler's client reaches), started now.
    expect(time.stepFunctions().executions().map((record) => record.executionArn)).toContain(first.executionArn);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described.status).toBe('RUNNING');
    expect(described.startDate?.toISOString()).toBe(startedAt);
    // Exactly what signup would have started: a late signup retry finds this one.
    expect(JSON.parse(described.input ?? '{}')).toEqual({ clientId, generation: 1, wakeUps: 0 });
    expect((await clientItems(clientId)).get('PROFILE')).toMatchObject({ careLifecycleExecutionArn: first.executionArn, careLifecycleGeneration: 1 });
    // It has reviewed the client and sleeps until the next hourly review (awaiting a match).
    await settle();
    expect(waitsOf(firstName)).toEqual([plusHours(startedAt, 1)]);

    // Twice more, even at once: still one execution.
    const again = await Promise.all([reconcileClient(clientId, deps), reconcileClient(clientId, deps)]);
    expect(again.map((r) => [r.outcome, r.generation, r.executionArn])).toEqual([
      ['running', 1, first.executionArn],
      ['running', 1, first.executionArn],
    ]);
    expect(await executionsOf(clientId)).toEqual([[firstName, 'RUNNING']]);

    // A day of hourly reviews later: the same execution runs on, and is left alone.
    const report = await time.advance({ days: 1 });
    expect(report.woken.filter((wake) => wake.execution === firstName).map((wake) => wake.at)).toEqual(Array.from({ length: 24 }, (_, hour) => plusHours(startedAt, hour + 1)));
    expect(await reconcileClient(clientId, deps)).toMatchObject({ outcome: 'running', generation: 1, executionArn: first.executionArn });
    expect(await executionsOf(clientId)).toEqual([[firstName, 'RUNNING']]);

    // Aborted (an operator, a lost local stack): the next generation, and only one. StopExecution
    // answers once the execution has ended: no waiting for the abort.
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const aborted = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(aborted.status).toBe('ABORTED');
    expect(aborted.stopDate?.toISOString()).toBe(plusHours(startedAt, 24));
    const restarted = await Promise.all([reconcileClient(clientId, deps), reconcileClient(clientId, deps)]);
    // Both start generation 2 under its deterministic name: the second start is the same execution.
    expect(restarted.map((r) => [r.outcome, r.generation, r.reason])).toEqual([
      ['started', 2, 'aborted'],
      ['started', 2, 'aborted'],
    ]);
    expect(restarted[1]?.executionArn).toBe(restarted[0]?.executionArn);
    const secondName = `client-${clientId}-2`;
    expect(await executionsOf(clientId)).toEqual([
      [secondName, 'RUNNING'],
      [firstName, 'ABORTED'],
    ]);
    const second = await sfn.send(new DescribeExecutionCommand({ executionArn: restarted[0]?.executionArn }));
    expect(second.startDate?.toISOString()).toBe(plusHours(startedAt, 24));
    expect(JSON.parse(second.input ?? '{}')).toEqual({ clientId, generation: 2, wakeUps: 0 });
    expect((await clientItems(clientId)).get('PROFILE')).toMatchObject({ careLifecycleExecutionArn: restarted[0]?.executionArn, careLifecycleGeneration: 2 });
    await settle();
    expect(waitsOf(secondName)).toEqual([plusHours(startedAt, 25)]);
    await sfn.send(new StopExecutionCommand({ executionArn: restarted[0]?.executionArn }));
  });

  it('starts the next generation after one that ended while care was closed, once care is active again', async () => {
    const { sfn, deps } = await ready();
    const clientId = await clientIn('awaiting_match');
    const startedAt = nowIso();
    const first = await reconcileClient(clientId, deps);
    expect(first).toMatchObject({ outcome: 'started', generation: 1, reason: 'missing' });
    await settle();
    // Care closes; the lifecycle sees it at its next review, exactly an hour later, and ends.
    await setStage(clientId, 'discharged');
    expect(await reconcileClient(clientId, deps)).toEqual({ clientId, outcome: 'skipped_closed' });
    await time.advance({ hours: 1 });
    const ended = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(ended.status).toBe('SUCCEEDED');
    expect(ended.stopDate?.toISOString()).toBe(plusHours(startedAt, 1));

    // Reopened: generation 2 (not a replay of the ended name, which Step Functions refuses).
    await time.advance({ hours: 2 });
    await setStage(clientId, 'awaiting_match');
    const restarted = await reconcileClient(clientId, deps);
    expect(restarted).toMatchObject({ outcome: 'started', generation: 2, reason: 'ended' });
    expect(await executionsOf(clientId)).toEqual([
      [`client-${clientId}-2`, 'RUNNING'],
      [`client-${clientId}-1`, 'SUCCEEDED'],
    ]);
    const second = await sfn.send(new DescribeExecutionCommand({ executionArn: restarted.executionArn }));
    expect(second.startDate?.toISOString()).toBe(plusHours(startedAt, 3));
    expect(JSON.parse(second.input ?? '{}')).toEqual({ clientId, generation: 2, wakeUps: 0 });
    await settle();
    expect(waitsOf(`client-${clientId}-2`)).toEqual([plusHours(startedAt, 4)]);
    await sfn.send(new StopExecutionCommand({ executionArn: restarted.executionArn }));
  });

  it('leaves a client whose care is closed alone', async () => {
    const { deps } = await ready();
    const clientId = await clientIn('in_care');
    const items = await clientItems(clientId);
    expect(items.get('PROFILE')?.GSI1PK).toBe('CLIENT_STAGE#in_care');
    await createDocumentClient().send(
      new UpdateCommand({ TableName: tableName(), Key: { PK: `CLIENT#${clientId}`, SK: 'PROFILE' }, UpdateExpression: 'SET stage = :s REMOVE GSI1PK, GSI1SK', ExpressionAttributeValues: { ':s': 'discharged' } }),
    );
    expect(await reconcileClient(clientId, deps)).toEqual({ clientId, outcome: 'skipped_closed' });
    expect(await executionsOf(clientId)).toEqual([]);
  });
});
