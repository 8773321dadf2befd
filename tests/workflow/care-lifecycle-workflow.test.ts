/**
 * The REAL workflows/care-lifecycle.asl.json against DynamoDB Local: it ends for a client who
 * is gone or whose care is closed, and otherwise keeps waking up, counting wake-ups, until it
 * is. Waits are shortened: a fixed override, and the runner's time scale.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { ClientStage } from '../../shared/domain/signup.js';
import { pollUntil } from '../../local/emulators/wait.js';
import { LocalWorkflow, statesEntered } from '../../local/step-functions/runner.js';
import { signupInput, tableClient, tableName, uniqueEmail } from './support.js';

const workflows: LocalWorkflow[] = [];
afterAll(async () => {
  await Promise.all(workflows.map((workflow) => workflow.idle()));
});

async function load(options: { waitTimeScale?: number } = {}): Promise<LocalWorkflow> {
  const workflow = await LocalWorkflow.load('careLifecycle', options);
  workflows.push(workflow);
  return workflow;
}

async function clientIn(stage: ClientStage): Promise<string> {
  const clientId = randomUUID();
  const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() });
  const { account, consents, consentContext } = signupInput({ email: uniqueEmail('lifecycle') });
  await clients.createClient({ clientId, account, consents, consentContext, stage, requestId: 'test', createdAt: new Date().toISOString() });
  return clientId;
}

async function moveTo(clientId: string, stage: ClientStage): Promise<void> {
  await tableClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.clientProfile(clientId),
      UpdateExpression: 'SET stage = :stage',
      ExpressionAttributeValues: { ':stage': stage },
    }),
  );
}

const start = (clientId: string) => ({ clientId, generation: 1, wakeUps: 0 });

describe('care lifecycle workflow', () => {
  it('ends at once for a client who is gone (e.g. a compensated signup)', async () => {
    const record = await (await load()).run(start(randomUUID()));
    expect(record.status).toBe('SUCCEEDED');
    expect(statesEntered(record)).toEqual(['ReviewClient', 'CheckCareStatus', 'EndCareLifecycle']);
  });

  it.each(['discharged', 'referred'] as const)('ends when care is closed (%s)', async (stage) => {
    const record = await (await load()).run(start(await clientIn(stage)));
    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ wakeUps: 0, review: { clientExists: true, stage, closed: true } });
  });

  it('wakes up again while care is open, counting wake-ups, until the client is discharged', async () => {
    const clientId = await clientIn('awaiting_consultation');
    let reviews = 0;
    const record = await (await load()).run(start(clientId), {
      waitTimeOverrides: { WaitForNextReview: 10 },
      taskInterceptors: {
        ReviewClient: async (event, invoke) => {
          reviews += 1;
          if (reviews === 3) await moveTo(clientId, 'discharged');
          return invoke(event);
        },
      },
    });
    expect(record.status).toBe('SUCCEEDED');
    expect(reviews).toBe(3);
    expect(JSON.parse(record.output ?? '{}')).toEqual({
      clientId,
      generation: 1,
      wakeUps: 2,
      review: { clientExists: true, stage: 'discharged', closed: true, nextWakeInSeconds: 86_400 },
    });
    expect(statesEntered(record).filter((name) => name === 'WaitForNextReview')).toHaveLength(2);
  });

  it('sleeps the day between reviews on the local time scale', async () => {
    const clientId = await clientIn('in_care');
    let reviews = 0;
    // One day becomes ~86 ms.
    const workflow = await load({ waitTimeScale: 1 / 1_000_000 });
    const started = Date.now();
    const record = await workflow.run(start(clientId), {
      taskInterceptors: {
        ReviewClient: async (event, invoke) => {
          reviews += 1;
          if (reviews === 2) await moveTo(clientId, 'referred');
          return invoke(event);
        },
      },
    });
    const elapsed = Date.now() - started;
    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ wakeUps: 1, review: { stage: 'referred' } });
    expect(elapsed).toBeGreaterThanOrEqual(80);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('keeps running between reviews until stopped', async () => {
    const execution = (await load()).start(start(await clientIn('awaiting_match')));
    // The first review is done once the execution waits.
    await pollUntil(
      'the lifecycle to wait for its next review',
      async () => {
        if (!statesEntered(execution.record).includes('WaitForNextReview')) throw new Error(statesEntered(execution.record).join(' > '));
      },
      { deadlineMs: 5_000, intervalMs: 10 },
    );
    expect(execution.record.status).toBe('RUNNING');
    execution.stop();
    expect((await execution.done).status).toBe('ABORTED');
  });
});
