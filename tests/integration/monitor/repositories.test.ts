/** The monitoring repositories against DynamoDB Local: transactions, conditions, pages, the pending-escalation index. */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAssessmentRepository } from '../../../shared/adapters/dynamodb/assessment-repository.js';
import { createCheckInRepository } from '../../../shared/adapters/dynamodb/check-in-repository.js';
import { createDiagnosisRepository } from '../../../shared/adapters/dynamodb/diagnosis-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createPendingRiskEscalations } from '../../../shared/adapters/dynamodb/monitor-items.js';
import { score } from '../../../shared/domain/instruments/registry.js';
import type { StoredAssessment } from '../../../shared/domain/monitor/assessments.js';
import type { StoredCheckIn } from '../../../shared/domain/monitor/check-ins.js';
import { diagnosisVersion, RecordDiagnosisRequestSchema } from '../../../shared/domain/monitor/diagnoses.js';
import { uuidV7 } from '../../../shared/use-cases/monitor/record-ids.js';
import { newClient } from './support.js';

const tableName = inject('localStack').env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const options = { documentClient, tableName };
const assessments = createAssessmentRepository(options);
const checkIns = createCheckInRepository(options);
const diagnoses = createDiagnosisRepository(options);
const pending = createPendingRiskEscalations(options);

afterAll(() => documentClient.destroy());

const DAY = 86_400_000;

function assessment(clientId: string, at: Date, answers: (0 | 1 | 2 | 3)[] = [1, 1, 1, 1, 1, 1, 1, 1, 0]): StoredAssessment {
  return {
    assessmentId: uuidV7(at),
    clientId,
    instrument: 'phq9',
    answers,
    result: score('phq9', answers),
    submittedAt: at.toISOString(),
    submittedBy: { userId: clientId, role: 'client' },
  };
}

describe('assessments', () => {
  it('store the record and its per-instrument copy together, page newest first, and give the series oldest first', async () => {
    const { userId } = await newClient();
    const start = Date.now() - 30 * DAY;
    const saved: StoredAssessment[] = [];
    for (let i = 0; i < 5; i += 1) {
      const record = assessment(userId, new Date(start + i * DAY), [Math.min(3, i) as 0 | 1 | 2 | 3, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(await assessments.save(record)).toEqual({ outcome: 'created', record });
      saved.push(record);
    }
    const gad = { ...assessment(userId, new Date(start + 10 * DAY)), instrument: 'gad7' as const, answers: [1, 1, 1, 1, 1, 1, 1] as const, result: score('gad7', [1, 1, 1, 1, 1, 1, 1]) };
    await assessments.save(gad);

    const page1 = await assessments.list(userId, { limit: 3, instrument: 'phq9' });
    expect(page1.items.map((a) => a.assessmentId)).toEqual([saved[4]!, saved[3]!, saved[2]!].map((a) => a.assessmentId));
    expect(page1.items[0]).toEqual(saved[4]);
    const page2 = await assessments.list(userId, { limit: 3, instrument: 'phq9', after: page1.lastKey! });
    expect(page2.items.map((a) => a.assessmentId)).toEqual([saved[1]!, saved[0]!].map((a) => a.assessmentId));
    expect(page2.lastKey).toBeUndefined();
    // Exactly a page full: no pointer to an empty page.
    expect((await assessments.list(userId, { limit: 6 })).lastKey).toBeUndefined();
    expect((await assessments.list(userId, { limit: 1 })).items[0]!.instrument).toBe('gad7');

    expect(await assessments.series(userId, 'phq9')).toEqual(saved.map((a) => ({ assessmentId: a.assessmentId, total: a.result.total, at: a.submittedAt })));
    expect(await assessments.existing(userId, [saved[0]!.assessmentId, gad.assessmentId, randomUUID()])).toEqual(new Set([saved[0]!.assessmentId, gad.assessmentId]));
    expect(await assessments.existing(randomUUID(), [saved[0]!.assessmentId])).toEqual(new Set());
  });

  it('a submission key finds the first record; the pending marker is indexed for a reconciler and cleared', async () => {
    const { userId } = await newClient();
    const first = assessment(userId, new Date(), [0, 0, 0, 0, 0, 0, 0, 0, 2]);
    const marker = { clientId: userId, level: 'high' as const, source: { type: 'assessment' as const, id: first.assessmentId }, flaggedAt: first.submittedAt };
    expect(await assessments.save(first, { submissionKey: 'a'.repeat(64), pendingEscalation: marker })).toMatchObject({ outcome: 'created' });
    const second = assessment(userId, new Date(Date.now() + 1000));
    expect(await assessments.save(second, { submissionKey: 'a'.repeat(64) })).toEqual({ outcome: 'existing', record: first });
    expect(await assessments.get(userId, second.assessmentId)).toBeUndefined();
    expect(await assessments.findBySubmissionKey(userId, 'a'.repeat(64))).toBe(first.assessmentId);

    const waiting = await pending.listPending(1000);
    expect(waiting).toContainEqual(marker);
    await pending.clear(userId, marker.source);
    expect(await pending.listPending(1000)).not.toContainEqual(marker);
    const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: keys.pendingRiskEscalation(userId, 'assessment', first.assessmentId), ConsistentRead: true }));
    expect(Item).toBeUndefined();
  });

  it('write nothing for a client without a profile', async () => {
    const clientId = randomUUID();
    expect(await assessments.save(assessment(clientId, new Date()))).toEqual({ outcome: 'client_not_found' });
    const { Items } = await documentClient.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId) } }),
    );
    expect(Items).toEqual([]);
  });
});

describe('check-ins', () => {
  it('since() returns exactly the check-ins from an instant on, newest first', async () => {
    const { userId } = await newClient();
    const now = Date.now();
    const made: StoredCheckIn[] = [];
    for (const daysAgo of [40, 28.0001, 27.9999, 3, 0]) {
      const at = new Date(now - daysAgo * DAY);
      const checkIn: StoredCheckIn = {
        checkInId: uuidV7(at),
        clientId: userId,
        recordedAt: at.toISOString(),
        recordedBy: { userId, role: 'client' },
        mood: 5,
        anxiety: 5,
        sleepHours: 7,
        triggers: { tags: [] },
        copingSkills: [],
        selfHarmThoughts: false,
        riskFlags: [],
      };
      await checkIns.save(checkIn);
      made.push(checkIn);
    }
    const since = await checkIns.since(userId, new Date(now - 28 * DAY).toISOString());
    expect(since.map((c) => c.checkInId)).toEqual([made[4]!, made[3]!, made[2]!].map((c) => c.checkInId));
    expect((await checkIns.list(userId, { limit: 10 })).items).toHaveLength(5);
  });
});

describe('diagnoses', () => {
  it('version n+1 only after n, never twice; a submission key finds its version', async () => {
    const { userId } = await newClient();
    const request = RecordDiagnosisRequestSchema.parse({ code: 'F32.1', severity: 'moderate', basis: { interview: true }, status: 'provisional' });
    const diagnosisId = uuidV7(new Date());
    const by = { userId: randomUUID(), role: 'therapist' as const };
    const v1 = diagnosisVersion(request, { diagnosisId, clientId: userId, version: 1 }, new Date().toISOString(), by);
    const v2 = { ...v1, version: 2, status: 'confirmed' as const };
    const v2b = { ...v1, version: 2, status: 'resolved' as const };

    expect(await diagnoses.record(v2)).toEqual({ outcome: 'revised_not_found' });
    expect(await diagnoses.record(v1, { submissionKey: 'd'.repeat(64) })).toEqual({ outcome: 'created', record: v1 });
    expect(await diagnoses.record(v1)).toEqual({ outcome: 'conflict' });
    const raced = await Promise.all([diagnoses.record(v2), diagnoses.record(v2b)]);
    expect(raced.map((r) => r.outcome).sort()).toEqual(['conflict', 'created']);
    expect(await diagnoses.record({ ...v1, diagnosisId: uuidV7(new Date()) }, { submissionKey: 'd'.repeat(64) })).toEqual({ outcome: 'existing', record: v1 });
    expect(await diagnoses.findBySubmissionKey(userId, 'd'.repeat(64))).toEqual({ diagnosisId, version: 1 });
    const stored = await diagnoses.list(userId);
    expect(stored.map((v) => v.version)).toEqual([1, 2]);
    expect(await diagnoses.record({ ...v1, clientId: randomUUID() })).toEqual({ outcome: 'client_not_found' });
  });
});
