/**
 * The care-lifecycle reconciler against the stack's Step Functions emulator and DynamoDB
 * Local, with the adapters the scheduled function builds: it finds a client in an active stage
 * through the stage index, starts the missing lifecycle, never a second while one runs, and
 * starts the next generation after an aborted one. Only this file's clients are reconciled
 * (other tests' clients share the table): reconcileClient per client, and the index listing
 * checked to contain them.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcilerDependencies } from '../../functions/scheduled/reconcile-care-lifecycles.js';
import { pollUntil } from '../../local/emulators/wait.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import type { ActiveClientStage } from '../../shared/domain/care-lifecycle.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import { reconcileClient } from '../../shared/use-cases/care-lifecycle/reconcile.js';
import { clientItems, tableName } from './support.js';

const sfn = new SFNClient({});
const deps = reconcilerDependencies();
const started: string[] = [];

afterAll(async () => {
  for (const executionArn of started) await sfn.send(new StopExecutionCommand({ executionArn })).catch(() => undefined);
});

async function clientIn(stage: ActiveClientStage): Promise<string> {
  const clientId = randomUUID();
  const result = await createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() }).createClient({
    clientId,
    account: { email: `reconcile-${clientId.slice(0, 8)}@example.com`, firstName: 'Ines', lastName: 'Quarrel', dateOfBirth: '1985-02-11', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage,
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: new Date().toISOString() },
    requestId: `test-${clientId}`,
    createdAt: new Date().toISOString(),
  });
  if (result.outcome !== 'created') throw new Error(result.outcome);
  return clientId;
}

async function executionsNamed(prefix: string) {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: process.env.CARE_LIFECYCLE_STATE_MACHINE_ARN, maxResults: 1000 }));
  return (executions ?? []).filter((execution) => execution.name?.startsWith(prefix));
}

async function listed(stage: ActiveClientStage): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.records.clientsInStage(stage, { limit: 50, ...(cursor ? { cursor } : {}) });
    ids.push(...page.clientIds);
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('care-lifecycle reconciler', () => {
  it('finds active clients through the stage index (written with the profile)', async () => {
    const [waiting, matching] = await Promise.all([clientIn('awaiting_consultation'), clientIn('awaiting_match')]);
    expect(await listed('awaiting_consultation')).toContain(waiting);
    expect(await listed('awaiting_match')).toContain(matching);
    expect(await listed('in_care')).not.toContain(waiting);
  });

  it('starts a missing lifecycle, never a second while it runs, and the next generation after an aborted one', async () => {
    const clientId = await clientIn('awaiting_match');
    const first = await reconcileClient(clientId, deps);
    expect(first).toMatchObject({ outcome: 'started', generation: 1, reason: 'missing' });
    started.push(first.executionArn as string);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described.status).toBe('RUNNING');
    // Exactly what signup would have started: a late signup retry finds this one.
    expect(JSON.parse(described.input ?? '{}')).toEqual({ clientId, generation: 1, wakeUps: 0 });
    expect((await clientItems(clientId)).get('PROFILE')).toMatchObject({ careLifecycleExecutionArn: first.executionArn, careLifecycleGeneration: 1 });

    // Twice more, even at once: still one execution.
    const again = await Promise.all([reconcileClient(clientId, deps), reconcileClient(clientId, deps)]);
    expect(again.map((r) => r.outcome)).toEqual(['running', 'running']);
    expect((await executionsNamed(`client-${clientId}-`)).map((e) => [e.name, e.status])).toEqual([[`client-${clientId}-1`, 'RUNNING']]);

    // Aborted (an operator, a lost local stack): the next generation, and only one.
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await pollUntil('the abort', async () => {
      const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
      if (status !== 'ABORTED') throw new Error(String(status));
    }, { deadlineMs: 10_000 });
    const restarted = await Promise.all([reconcileClient(clientId, deps), reconcileClient(clientId, deps)]);
    expect(restarted.map((r) => r.generation)).toEqual([2, 2]);
    started.push(restarted[0]?.executionArn as string);
    const running = (await executionsNamed(`client-${clientId}-`)).filter((e) => e.status === 'RUNNING');
    expect(running.map((e) => e.name)).toEqual([`client-${clientId}-2`]);
    expect((await clientItems(clientId)).get('PROFILE')).toMatchObject({ careLifecycleGeneration: 2 });
  });

  it('leaves a client whose care is closed alone', async () => {
    const clientId = await clientIn('in_care');
    const items = await clientItems(clientId);
    expect(items.get('PROFILE')?.GSI1PK).toBe('CLIENT_STAGE#in_care');
    await createDocumentClient().send(
      new UpdateCommand({ TableName: tableName(), Key: { PK: `CLIENT#${clientId}`, SK: 'PROFILE' }, UpdateExpression: 'SET stage = :s REMOVE GSI1PK, GSI1SK', ExpressionAttributeValues: { ':s': 'discharged' } }),
    );
    expect(await reconcileClient(clientId, deps)).toEqual({ clientId, outcome: 'skipped_closed' });
    expect(await executionsNamed(`client-${clientId}-`)).toEqual([]);
  });
});
