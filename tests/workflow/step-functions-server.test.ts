/**
 * The local Step Functions service through @aws-sdk/client-sfn, as the application and the
 * local stack use it: the JSON protocol, AWS's idempotency rules for StartExecution, the
 * synchronous Express response, the AWS error shapes, and a clean stop.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { pollUntil } from '../../local/emulators/wait.js';
import { startStepFunctionsEmulator, type StepFunctionsEmulator } from '../../local/step-functions/server.js';
import { localStateMachineArn } from '../../local/stack-environment.js';
import { signupInput, tableName, uniqueEmail } from './support.js';

const CARE_LIFECYCLE = localStateMachineArn('care-lifecycle');
const SIGNUP = localStateMachineArn('signup');

let emulator: StepFunctionsEmulator;
let sfn: SFNClient;

beforeAll(async () => {
  emulator = await startStepFunctionsEmulator({ port: 0 });
  sfn = new SFNClient({ endpoint: emulator.endpoint, disableHostPrefix: true, maxAttempts: 1 });
});

afterAll(async () => {
  sfn.destroy();
  await emulator.stop();
});

/** A client whose care lifecycle stays RUNNING (it waits a day between reviews). */
async function existingClient(): Promise<string> {
  const clientId = randomUUID();
  const clients = createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() });
  const { account, consents, consentContext } = signupInput({ email: uniqueEmail('sfn') });
  await clients.createClient({ clientId, account, consents, consentContext, stage: 'awaiting_consultation', requestId: 'test', createdAt: new Date().toISOString() });
  return clientId;
}

async function statusOf(executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

describe('StartExecution (Standard)', () => {
  it('runs in the background; the same name and input while running give the same execution; another input is a conflict', async () => {
    const clientId = await existingClient();
    const name = `client-${clientId}-1`;
    const input = JSON.stringify({ clientId, generation: 1, wakeUps: 0 });

    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, name, input }));
    expect(first.executionArn).toBe(`arn:aws:states:us-east-1:000000000000:execution:moodrx-local-care-lifecycle:${name}`);
    expect(first.startDate).toBeInstanceOf(Date);

    // Same input, keys in another order: the same execution.
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, name, input: JSON.stringify({ wakeUps: 0, generation: 1, clientId }) }));
    expect(again.executionArn).toBe(first.executionArn);

    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, name, input: JSON.stringify({ clientId, generation: 1, wakeUps: 5 }) })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described).toMatchObject({ status: 'RUNNING', name, stateMachineArn: CARE_LIFECYCLE, input });
    expect(described.stopDate).toBeUndefined();

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: CARE_LIFECYCLE, statusFilter: 'RUNNING' }));
    expect(listed.executions?.map((execution) => execution.executionArn)).toContain(first.executionArn);

    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn, error: 'Test.Stop', cause: 'done with it' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Test.Stop',
      cause: 'done with it',
    });
    // A closed execution's name is taken for good, even with the same input.
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, name, input }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('lets the lifecycle of a client who is gone end by itself', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, input: JSON.stringify({ clientId: randomUUID(), generation: 1, wakeUps: 0 }) }),
    );
    await pollUntil(
      'the lifecycle to succeed',
      async () => {
        const status = await statusOf(executionArn as string);
        if (status !== 'SUCCEEDED') throw new Error(`still ${status}`);
      },
      { deadlineMs: 10_000 },
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    // The review's selected output: ids and counters only (whether the client exists is not carried).
    expect(JSON.parse(described.output ?? '{}')).toMatchObject({ review: { end: true, actionCount: 0 } });
    expect(described.stopDate).toBeInstanceOf(Date);
  });
});

describe('StartSyncExecution (Express)', () => {
  it('answers with the outcome when the execution ends, like AWS', async () => {
    // An email not normalized fails CreateIdentity's input validation: the workflow ends with SignupFailed.
    const input = signupInput({ email: 'Not.Normalized@Example.com' });
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: SIGNUP, name: 'sync-test', input: JSON.stringify(input) }));
    expect(result).toMatchObject({ status: 'FAILED', error: 'SignupFailed', cause: 'Signup failed; nothing was kept.', name: 'sync-test' });
    expect(result.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:moodrx-local-signup:sync-test:[0-9a-f-]{36}$/);
    expect(result.startDate).toBeInstanceOf(Date);
    expect(result.stopDate).toBeInstanceOf(Date);
    expect(result.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  });

  it('reports a path that points nowhere as States.Runtime, as AWS does', async () => {
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: SIGNUP, input: JSON.stringify({ nothing: true }) }));
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('needs disableHostPrefix against a custom endpoint: the SDK sends it to sync-<host> otherwise', async () => {
    const prefixed = new SFNClient({ endpoint: emulator.endpoint, maxAttempts: 1 });
    try {
      await expect(prefixed.send(new StartSyncExecutionCommand({ stateMachineArn: SIGNUP, input: '{}' }))).rejects.toThrow(/sync-127\.0\.0\.1|ENOTFOUND|EAI_AGAIN/);
    } finally {
      prefixed.destroy();
    }
  });

  it('is for Express state machines only', async () => {
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, input: '{}' }))).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });
});

describe('errors in the AWS shape', () => {
  it('StateMachineDoesNotExist for an unknown state machine', async () => {
    const error = await sfn
      .send(new StartExecutionCommand({ stateMachineArn: localStateMachineArn('nope'), input: '{}' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateMachineDoesNotExist);
    expect((error as StateMachineDoesNotExist).$metadata.httpStatusCode).toBe(400);
    expect((error as Error).message).toContain('moodrx-local-nope');
  });

  it('ExecutionDoesNotExist, InvalidExecutionInput and InvalidName', async () => {
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:moodrx-local-care-lifecycle:none' })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, input: '{not json' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, name: 'has space', input: '{}' }))).rejects.toBeInstanceOf(InvalidName);
  });
});

describe('stop', () => {
  it('aborts running executions and closes the port', async () => {
    const own = await startStepFunctionsEmulator({ port: 0, workflows: ['careLifecycle'] });
    const client = new SFNClient({ endpoint: own.endpoint, maxAttempts: 1 });
    try {
      const clientId = await existingClient();
      await client.send(new StartExecutionCommand({ stateMachineArn: CARE_LIFECYCLE, input: JSON.stringify({ clientId, generation: 1, wakeUps: 0 }) }));
      expect(own.executions()[0]?.status).toBe('RUNNING');
      await own.stop();
      expect(own.executions()[0]).toMatchObject({ status: 'ABORTED', error: 'States.Aborted' });
      await expect(fetch(own.endpoint, { method: 'POST', signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    } finally {
      client.destroy();
      await own.stop();
    }
  });
});
