/** ReviewClient: when the lifecycle ends and when it wakes up next. */
import { describe, expect, it } from 'vitest';
import type { ClientStage } from '../../../shared/domain/signup.js';
import {
  careLifecycleExecutionName,
  CareLifecycleInputSchema,
  DEFAULT_REVIEW_INTERVAL_SECONDS,
  reviewClient,
} from '../../../shared/use-cases/care-lifecycle/review-client.js';
import { FakeClientRecords } from './fakes.js';

function recordsWithStage(stage: ClientStage | 'archived') {
  const clients = new FakeClientRecords();
  clients.profiles.set('c-1', {
    clientId: 'c-1',
    email: 'casey@example.com',
    firstName: 'Casey',
    lastName: 'Fernhill',
    dateOfBirth: '1988-02-29',
    clientType: 'individual',
    state: 'OH',
    timezone: 'America/New_York',
    stage: stage as ClientStage,
    createdAt: '2026-11-20T15:00:00.000Z',
    updatedAt: '2026-11-20T15:00:00.000Z',
  });
  return clients;
}

describe('reviewClient', () => {
  it('ends the lifecycle for a client who is gone', async () => {
    expect(await reviewClient({ clientId: 'c-1' }, { clients: new FakeClientRecords() })).toEqual({
      clientExists: false,
      stage: null,
      closed: true,
      nextWakeInSeconds: 0,
    });
  });

  it.each(['discharged', 'referred'] as const)('ends the lifecycle when care is closed (%s)', async (stage) => {
    expect(await reviewClient({ clientId: 'c-1' }, { clients: recordsWithStage(stage) })).toMatchObject({ clientExists: true, stage, closed: true });
  });

  it.each(['awaiting_consultation', 'awaiting_match', 'in_care'] as const)('wakes up again in a day while %s', async (stage) => {
    expect(await reviewClient({ clientId: 'c-1' }, { clients: recordsWithStage(stage) })).toEqual({
      clientExists: true,
      stage,
      closed: false,
      nextWakeInSeconds: DEFAULT_REVIEW_INTERVAL_SECONDS,
    });
    expect(DEFAULT_REVIEW_INTERVAL_SECONDS).toBe(86_400);
  });

  it('keeps reviewing a client whose stage it does not know (a newer writer), rather than ending their care', async () => {
    expect(await reviewClient({ clientId: 'c-1' }, { clients: recordsWithStage('archived') })).toMatchObject({ stage: null, closed: false });
  });
});

describe('care lifecycle execution', () => {
  it('is named per client and generation, within the 80 characters Step Functions allows', () => {
    const name = careLifecycleExecutionName('0f8fad5b-d9cb-469f-a165-70867728950e', 12);
    expect(name).toBe('client-0f8fad5b-d9cb-469f-a165-70867728950e-12');
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('takes {clientId, generation, wakeUps} and nothing else', () => {
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 1, wakeUps: 0 }).success).toBe(true);
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 0, wakeUps: 0 }).success).toBe(false);
    expect(CareLifecycleInputSchema.safeParse({ clientId: 'c-1', generation: 1, wakeUps: 0, extra: true }).success).toBe(false);
  });
});
