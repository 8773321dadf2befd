/** The workflow starter against the local Step Functions service: deterministic names make a retried start safe. */
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSfnClient } from '../../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter, executionArnFor } from '../../../shared/adapters/sfn/workflow-starter.js';
import { WorkflowExecutionConflictError } from '../../../shared/use-cases/workflow-errors.js';
import { pollUntil } from '../../../local/emulators/wait.js';
import { signupInput, tableName, uniqueEmail } from '../../workflow/support.js';

const client = createSfnClient();
const stateMachineArn = process.env.CARE_LIFECYCLE_STATE_MACHINE_ARN as string;
const starter = createWorkflowStarter({ client, stateMachineArn });
afterAll(() => client.destroy());

describe('workflow starter', () => {
  it('derives the execution ARN of a Standard execution from its state machine and name', () => {
    expect(executionArnFor('arn:aws:states:us-east-1:123456789012:stateMachine:moodrx-prod-care-lifecycle', 'client-1-1')).toBe(
      'arn:aws:states:us-east-1:123456789012:execution:moodrx-prod-care-lifecycle:client-1-1',
    );
  });

  it('starts once per name: a retry with the same input gets the same execution, another input is a conflict', async () => {
    const clientId = randomUUID();
    const { account, consents, consentContext } = signupInput({ email: uniqueEmail('starter') });
    await createClientRepository({ documentClient: createDocumentClient(), tableName: tableName() }).createClient({
      clientId,
      account,
      consents,
      consentContext,
      stage: 'awaiting_consultation',
      requestId: 'test',
      createdAt: new Date().toISOString(),
    });
    const name = `client-${clientId}-1`;
    const input = { clientId, generation: 1, wakeUps: 0 };

    const first = await starter.start({ name, input });
    expect(first.executionArn).toBe(executionArnFor(stateMachineArn, name));
    expect((await starter.start({ name, input })).executionArn).toBe(first.executionArn);
    await expect(starter.start({ name, input: { ...input, wakeUps: 1 } })).rejects.toBeInstanceOf(WorkflowExecutionConflictError);

    // Ended executions keep their name: the same input is still the same execution.
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    expect(await starter.start({ name, input })).toEqual({ executionArn: first.executionArn, alreadyStarted: true });
  });

  it('recognises an execution that already ended by itself', async () => {
    const clientId = randomUUID(); // no profile: the lifecycle ends at its first review
    const name = `client-${clientId}-1`;
    const input = { clientId, generation: 1, wakeUps: 0 };
    const { executionArn } = await starter.start({ name, input });
    await pollUntil(
      'the lifecycle to end',
      async () => {
        const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
        if (status !== 'SUCCEEDED') throw new Error(String(status));
      },
      { deadlineMs: 10_000 },
    );
    expect(await starter.start({ name, input })).toEqual({ executionArn, alreadyStarted: true });
  });
});
