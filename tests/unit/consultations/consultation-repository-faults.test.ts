/**
 * What DynamoDB Local never does (150 concurrent booking transactions on one slot there: zero
 * TransactionConflict answers), injected with aws-sdk-client-mock: a booking transaction that
 * collides with another in flight is tried again; a condition failure is not.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createConsultationRepository } from '../../../shared/adapters/dynamodb/consultation-repository.js';
import { ServiceUnavailableError } from '../../../shared/domain/errors.js';
import type { StoredConsultation } from '../../../shared/use-cases/consultations/ports.js';

const documentClient = createDocumentClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = createConsultationRepository({ documentClient, tableName: 'moodrx-test' });

const consultation: StoredConsultation = {
  consultationId: '6f1c2b8e-8a47-4d0e-9a51-3c1f0b2f7e11',
  clientId: 'client-1',
  clinicianId: 'clinician-1',
  clinician: { id: 'clinician-1', displayName: 'Jordan Reyland, LPCC', credential: 'LPCC' },
  joinUrl: 'https://video.example.com/rooms/jr',
  clinicianTimezone: 'America/New_York',
  start: '2026-12-08T14:00:00.000Z',
  end: '2026-12-08T14:15:00.000Z',
  status: 'booked',
  scheduleVersion: 1,
  scheduledAt: '2026-12-07T12:00:00.000Z',
  createdAt: '2026-12-07T12:00:00.000Z',
  updatedAt: '2026-12-07T12:00:00.000Z',
  clientTimezone: 'America/Denver',
  lockCells: ['2026-12-08T14:00:00.000Z', '2026-12-08T14:05:00.000Z', '2026-12-08T14:10:00.000Z', '2026-12-08T14:15:00.000Z'],
};

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

beforeEach(() => dynamo.reset());

describe('booking transaction faults', () => {
  it('tries a transaction that collided with another again, and books', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'None', 'TransactionConflict', 'None', 'None', 'None']))
      .resolves({});
    expect(await repository.book({ consultation, now: new Date('2026-12-07T12:00:00Z') })).toEqual({ outcome: 'booked' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('reports the condition that failed without trying again', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None']));
    expect(await repository.book({ consultation, now: new Date('2026-12-07T12:00:00Z') })).toEqual({ outcome: 'slot_taken' });
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None']));
    expect(await repository.book({ consultation, now: new Date('2026-12-07T12:00:00Z') })).toEqual({ outcome: 'free_consultation_used' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up after repeated collisions with a retryable 503, never a guessed answer', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'TransactionConflict', 'None', 'None', 'None', 'None', 'None']));
    await expect(repository.book({ consultation, now: new Date('2026-12-07T12:00:00Z') })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(8);
  });

  it('writes the consultation, its client pointer, the free-consultation record and every cell in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository.book({ consultation, now: new Date('2026-12-07T12:00:00Z') });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3 + consultation.lockCells.length);
    expect(items[0]?.Update?.ConditionExpression).toBe('attribute_not_exists(PK) OR #state = :available');
    const cells = items.slice(3).map((item) => item.Put);
    expect(cells.map((put) => put?.Item?.SK)).toEqual(consultation.lockCells.map((cell) => `CELL#${cell}`));
    for (const put of cells) expect(put?.ConditionExpression).toBe('attribute_not_exists(PK) OR (#kind = :hold AND #expiresAt <= :nowSec)');
  });
});
