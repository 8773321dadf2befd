/**
 * When the risk escalation cannot be started (Step Functions down: a fault the emulator cannot
 * produce, injected with aws-sdk-client-mock), the submit-assessment function answers 503 with
 * the assessment kept in DynamoDB Local and marked pending, and the client still gets the
 * crisis resources; the same request again with the same Idempotency-Key, once Step Functions
 * answers, returns the same assessment and starts its escalation on the real emulator.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '../../../local/emulators/wait.js';
import { createAssessmentRepository } from '../../../shared/adapters/dynamodb/assessment-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createPendingRiskEscalations } from '../../../shared/adapters/dynamodb/monitor-items.js';
import { CRISIS_RESOURCES } from '../../../shared/domain/monitor/crisis-resources.js';
import { destroyClients, newClient, riskEscalationExecution } from './support.js';

const tableName = inject('localStack').env.TABLE_NAME as string;
const documentClient = createDocumentClient();
afterAll(() => {
  documentClient.destroy();
  destroyClients();
});

const context = { awsRequestId: randomUUID(), functionName: 'moodrx-local-submit-assessment', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function event(clientId: string, idempotencyKey: string): APIGatewayProxyEvent {
  return {
    resource: '/v1/clients/{clientId}/assessments',
    path: `/v1/clients/${clientId}/assessments`,
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { clientId },
    stageVariables: null,
    body: JSON.stringify({ instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] }),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      identity: { sourceIp: '203.0.113.9', userAgent: 'vitest' },
      // What the authorizer passes for a client's access token (the handler checks client_id).
      authorizer: { claims: { sub: clientId, 'cognito:groups': 'client', client_id: inject('localStack').env.CLIENT_USER_POOL_CLIENT_ID as string } },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

describe('submit-assessment when the risk escalation cannot be started', () => {
  it('503 with the record kept, marked and the crisis resources; the same key later gives the same record and starts it', async () => {
    const { handler } = (await import('../../../functions/api/submit-assessment.js')) as {
      handler: (e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>;
    };
    const client = await newClient();
    const key = randomUUID();

    const sfn = mockClient(SFNClient);
    let starts = 0;
    sfn.on(StartExecutionCommand).callsFake(() => {
      starts += 1;
      throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
    });
    let failed: APIGatewayProxyResult;
    try {
      failed = await handler(event(client.userId, key), context);
    } finally {
      sfn.restore();
    }
    expect(failed.statusCode).toBe(503);
    const problem = JSON.parse(failed.body) as { code: string; recordId: string; crisisResources: unknown; detail: string };
    expect(problem).toMatchObject({ code: 'risk_escalation_not_started', crisisResources: CRISIS_RESOURCES });
    expect(problem.detail).toMatch(/saved.*988.*911/);
    expect(starts).toBeGreaterThanOrEqual(3);

    const stored = await createAssessmentRepository({ documentClient, tableName }).get(client.userId, problem.recordId);
    expect(stored).toMatchObject({ clientId: client.userId, result: { total: 1, riskFlags: [{ kind: 'phq9_item9' }] } });
    const marker = { clientId: client.userId, level: 'moderate', source: { type: 'assessment', id: problem.recordId }, flaggedAt: stored!.submittedAt };
    const pending = createPendingRiskEscalations({ documentClient, tableName });
    expect(await pending.listPending(1000)).toContainEqual(marker);
    expect(await riskEscalationExecution({ type: 'assessment', id: problem.recordId })).toBeUndefined();

    const retried = await handler(event(client.userId, key), context);
    expect(retried.statusCode).toBe(201);
    const body = JSON.parse(retried.body) as { assessmentId: string; submittedAt: string; crisisResources: unknown };
    expect(body).toMatchObject({ assessmentId: problem.recordId, submittedAt: stored!.submittedAt, crisisResources: CRISIS_RESOURCES });
    const execution = await pollUntil(
      'the escalation of the kept assessment',
      async () => (await riskEscalationExecution({ type: 'assessment', id: problem.recordId })) ?? Promise.reject(new Error('not started')),
      { deadlineMs: 10_000 },
    );
    expect(execution.input).toEqual({ clientId: client.userId, source: { type: 'assessment', id: problem.recordId } });
    expect(await pending.listPending(1000)).not.toContainEqual(marker);
    expect((await createAssessmentRepository({ documentClient, tableName }).list(client.userId, { limit: 10 })).items).toHaveLength(1);
  });
});
