/** Pure monitoring rules: crisis resources, check-in validation and trends, diagnoses, record ids, cursors. */
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../../shared/domain/errors.js';
import { score } from '../../../shared/domain/instruments/registry.js';
import { assessmentView, type StoredAssessment } from '../../../shared/domain/monitor/assessments.js';
import { checkInTrends, CheckInRequestSchema, trendsStart, trendWindow, type TrendPoint } from '../../../shared/domain/monitor/check-ins.js';
import { CRISIS_RESOURCES, crisisResourcesFor } from '../../../shared/domain/monitor/crisis-resources.js';
import {
  COMMON_DIAGNOSES,
  diagnosisVersion,
  groupDiagnoses,
  ICD10CM_CODE_PATTERN,
  RecordDiagnosisRequestSchema,
} from '../../../shared/domain/monitor/diagnoses.js';
import { ROLES } from '../../../shared/domain/roles.js';
import { decodeCursor, encodeCursor } from '../../../shared/use-cases/monitor/cursors.js';
import { purposeFor, submissionKey } from '../../../shared/use-cases/monitor/dependencies.js';
import { uuidV7, uuidV7LowerBound, uuidV7Time } from '../../../shared/use-cases/monitor/record-ids.js';

const flag = { kind: 'phq9_item9', level: 'moderate', reason: 'r', action: 'a' } as const;

describe('crisis resources', () => {
  it('go to a client with a risk flag, and only then', () => {
    expect(crisisResourcesFor({ role: 'client' }, [flag])).toBe(CRISIS_RESOURCES);
    expect(crisisResourcesFor({ role: 'client' }, [])).toBeUndefined();
    for (const role of ROLES.filter((r) => r !== 'client')) expect(crisisResourcesFor({ role }, [flag]), role).toBeUndefined();
  });

  it('name 988 (call or text), 911 for immediate danger, and say messages are not monitored for emergencies', () => {
    const r988 = CRISIS_RESOURCES.resources.find((r) => r.id === '988')!;
    expect(r988.instructions).toMatch(/call or text 988/i);
    expect(r988).toMatchObject({ call: 'tel:988', text: 'sms:988' });
    const r911 = CRISIS_RESOURCES.resources.find((r) => r.id === '911')!;
    expect(r911.instructions).toMatch(/911.*immediate danger/i);
    expect(CRISIS_RESOURCES.notMonitoredForEmergencies).toMatch(/does not monitor messages.*for emergencies/i);
    expect(Object.isFrozen(CRISIS_RESOURCES.resources[0])).toBe(true);
  });
});

describe('assessment views', () => {
  const stored: StoredAssessment = {
    assessmentId: uuidV7(new Date('2026-03-01T00:00:00Z')),
    clientId: 'c1',
    instrument: 'phq9',
    answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
    result: score('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]),
    submittedAt: '2026-03-01T00:00:00.000Z',
    submittedBy: { userId: 'c1', role: 'client' },
  };

  it('give clinicians the flag reason and action, the client only kind and level', () => {
    const clinician = assessmentView(stored, 'clinician');
    expect(clinician.riskFlags[0]).toMatchObject({ kind: 'phq9_item9', level: 'moderate', reason: expect.stringContaining('item 9'), action: expect.any(String) });
    const client = assessmentView(stored, 'client');
    expect(client.riskFlags).toEqual([{ kind: 'phq9_item9', level: 'moderate' }]);
    expect(client).toMatchObject({ total: 1, band: { id: 'minimal' }, answers: [0, 0, 0, 0, 0, 0, 0, 0, 1], details: {} });
  });

  it('carry instrument details beyond total and band', () => {
    const gad = assessmentView({ ...stored, instrument: 'gad7', answers: [3, 3, 3, 1, 0, 0, 0], result: score('gad7', [3, 3, 3, 1, 0, 0, 0]) }, 'client');
    expect(gad.details).toEqual({ furtherEvaluation: true });
    expect(gad.clinicalFlags).toEqual([{ kind: 'gad7_further_evaluation' }]);
  });
});

describe('check-in requests', () => {
  const valid = { mood: 4, anxiety: 7, sleepHours: 6.5, triggers: { tags: ['work_or_school'], text: 'deadline' }, copingSkills: ['deep_breathing'], selfHarmThoughts: false };

  it('accept the scales at their ends', () => {
    for (const edge of [0, 10]) expect(CheckInRequestSchema.safeParse({ ...valid, mood: edge, anxiety: edge }).success).toBe(true);
    for (const sleep of [0, 24, 7.25]) expect(CheckInRequestSchema.safeParse({ ...valid, sleepHours: sleep }).success).toBe(true);
  });

  it.each([
    ['mood above 10', { mood: 11 }],
    ['mood below 0', { mood: -1 }],
    ['fractional anxiety', { anxiety: 2.5 }],
    ['more than 24 hours of sleep', { sleepHours: 24.5 }],
    ['an unknown trigger', { triggers: { tags: ['aliens'] } }],
    ['a repeated trigger', { triggers: { tags: ['family', 'family'] } }],
    ['an unknown coping skill', { copingSkills: ['doomscrolling'] }],
    ['a missing self-harm answer', { selfHarmThoughts: undefined }],
    ['an unknown field', { extra: 1 }],
    ['an overlong note', { note: 'x'.repeat(2001) }],
  ])('reject %s', (_label, change) => {
    expect(CheckInRequestSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});

describe('check-in trends', () => {
  const now = new Date('2026-03-29T12:00:00.000Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const point = (d: number, mood: number, anxiety: number, sleepHours: number): TrendPoint => ({ recordedAt: daysAgo(d), mood, anxiety, sleepHours });

  it('averages the last 7 and the last 28 days separately', () => {
    const points = [point(1, 6, 2, 8), point(3, 4, 4, 6), point(10, 2, 8, 4), point(27, 2, 8, 4)];
    const trends = checkInTrends(points, now);
    expect(trends.asOf).toBe(now.toISOString());
    expect(trends.last7Days).toEqual({ days: 7, count: 2, mood: 5, anxiety: 3, sleepHours: 7 });
    expect(trends.last28Days).toEqual({ days: 28, count: 4, mood: 3.5, anxiety: 5.5, sleepHours: 5.5 });
  });

  it('counts a check-in just inside a window and leaves out one exactly at its start or in the future', () => {
    const justInside = { recordedAt: new Date(now.getTime() - 7 * 86_400_000 + 1).toISOString(), mood: 9, anxiety: 1, sleepHours: 9 };
    expect(trendWindow([justInside, point(7, 1, 1, 1), { ...point(0, 1, 1, 1), recordedAt: new Date(now.getTime() + 1000).toISOString() }], now, 7)).toEqual({
      days: 7,
      count: 1,
      mood: 9,
      anxiety: 1,
      sleepHours: 9,
    });
    expect(trendWindow([point(0, 3, 3, 3)], now, 7).count).toBe(1);
  });

  it('is null without check-ins, and rounds to one decimal from the exact sum', () => {
    expect(checkInTrends([], now).last7Days).toEqual({ days: 7, count: 0, mood: null, anxiety: null, sleepHours: null });
    const thirds = [point(1, 1, 0, 7), point(2, 1, 0, 7), point(3, 2, 1, 7.25)];
    expect(trendWindow(thirds, now, 7)).toMatchObject({ mood: 1.3, anxiety: 0.3, sleepHours: 7.1 });
  });

  it('asks for 28 days of check-ins', () => {
    expect(trendsStart(now).toISOString()).toBe(daysAgo(28));
  });
});

describe('diagnoses', () => {
  const request = { code: 'f41.1', severity: 'moderate', basis: { interview: true }, status: 'provisional' };

  it('accept ICD-10-CM codes by format and reject others', () => {
    for (const code of ['F41.1', 'F43.10', 'F32.A', 'Z63.0', 'R45.851', 'F90.2', 'C4A.0', 'T14.91XA', 'F99']) expect(ICD10CM_CODE_PATTERN.test(code), code).toBe(true);
    for (const code of ['F4', '41.1', 'F41.', 'F41.11111', 'F41-1', 'DSM-300.02', '']) expect(ICD10CM_CODE_PATTERN.test(code), code).toBe(false);
  });

  it('upper-case the code and fill in the DSM-5-TR name of a common one', () => {
    const parsed = RecordDiagnosisRequestSchema.parse(request);
    expect(parsed).toMatchObject({ code: 'F41.1', specifiers: [], basis: { assessmentIds: [], interview: true } });
    const version = diagnosisVersion(parsed, { diagnosisId: 'd', clientId: 'c', version: 1 }, '2026-03-01T00:00:00.000Z', { userId: 't', role: 'therapist' });
    expect(version.name).toBe(COMMON_DIAGNOSES['F41.1']);
    expect(version.name).toBe('Generalized anxiety disorder');
  });

  it('need the name of a code outside the common list, and a basis', () => {
    const unknownCode = RecordDiagnosisRequestSchema.safeParse({ ...request, code: 'F44.4' });
    expect(unknownCode.success).toBe(false);
    expect(unknownCode.error?.issues.map((i) => i.path.join('.'))).toEqual(['name']);
    expect(RecordDiagnosisRequestSchema.safeParse({ ...request, code: 'F44.4', name: 'Functional neurological symptom disorder' }).success).toBe(true);
    const noBasis = RecordDiagnosisRequestSchema.safeParse({ ...request, basis: { interview: false, assessmentIds: [] } });
    expect(noBasis.error?.issues[0]?.message).toMatch(/interview, on assessments/);
    expect(RecordDiagnosisRequestSchema.safeParse({ ...request, basis: { interview: false, assessmentIds: [uuidV7(new Date())] } }).success).toBe(true);
  });

  it.each([
    ['a malformed code', { code: 'anxiety' }],
    ['an unknown status', { status: 'suspected' }],
    ['an unknown severity', { severity: 'extreme' }],
    ['a repeated assessment', { basis: { interview: true, assessmentIds: ['0190f5a2-7b3c-7def-8abc-0123456789ab', '0190f5a2-7b3c-7def-8abc-0123456789ab'] } }],
    ['a non-id assessment', { basis: { interview: true, assessmentIds: ['PHQ-9 last week'] } }],
    ['a version 0 revision', { revises: { diagnosisId: '0190f5a2-7b3c-7def-8abc-0123456789ab', version: 0 } }],
    ['an unknown field', { icd9: '300.02' }],
  ])('reject %s', (_label, change) => {
    expect(RecordDiagnosisRequestSchema.safeParse({ ...request, ...change }).success).toBe(false);
  });

  it('group versions into diagnoses with their history, the most recently changed first', () => {
    const base = diagnosisVersion(RecordDiagnosisRequestSchema.parse(request), { diagnosisId: 'a', clientId: 'c', version: 1 }, '2026-03-01T00:00:00.000Z', { userId: 't', role: 'therapist' });
    const other = { ...base, diagnosisId: 'b', recordedAt: '2026-03-02T00:00:00.000Z' };
    const changed = { ...base, version: 2, status: 'confirmed' as const, recordedAt: '2026-03-03T00:00:00.000Z' };
    const grouped = groupDiagnoses([changed, other, base]);
    expect(grouped.map((d) => d.diagnosisId)).toEqual(['a', 'b']);
    expect(grouped[0]!.current).toEqual(changed);
    expect(grouped[0]!.history.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('record ids (UUIDv7)', () => {
  it('are valid UUIDs whose text sorts by creation time', () => {
    const times = [0, 1, 999, 1_000_000, Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-03-01T00:00:00.001Z')];
    const ids = times.map((t) => uuidV7(new Date(t)));
    for (const id of ids) {
      expect(z.uuid().safeParse(id).success, id).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map((id) => uuidV7Time(id).getTime())).toEqual(times);
  });

  it('have a lower bound per instant: after every earlier id, before every id of that instant or later', () => {
    const at = new Date('2026-03-01T12:00:00.000Z');
    const bound = uuidV7LowerBound(at);
    expect(uuidV7(new Date(at.getTime() - 1), new Uint8Array(10).fill(255)) < bound).toBe(true);
    expect(uuidV7(at, new Uint8Array(10)) > bound).toBe(true);
  });
});

describe('cursors and keys', () => {
  const KEY = 'unit-tests-cursor-signing-key-0123456789';
  const CONTEXT = { list: 'check-ins', clientId: 'client-a', callerId: 'therapist-1' };

  it('round-trip an id and refuse anything we did not give out', () => {
    const id = uuidV7(new Date());
    expect(decodeCursor(encodeCursor(id, KEY, CONTEXT)!, KEY, CONTEXT)).toBe(id);
    expect(encodeCursor(undefined, KEY, CONTEXT)).toBeNull();
    expect(decodeCursor(undefined, KEY, CONTEXT)).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ v: 1, after: 'CLIENT#other' })).toString('base64url');
    for (const bad of ['not-base64-json', forged, Buffer.from('{"v":2}').toString('base64url'), `${forged}.${forged}`, 'a.b.c']) {
      expect(() => decodeCursor(bad, KEY, CONTEXT), bad).toThrow(InvalidCursorError);
    }
  });

  it('refuse a tampered cursor: another id under the old signature, a changed signature (issue 9, finding 6)', () => {
    const cursor = encodeCursor(uuidV7(new Date('2026-03-01T00:00:00Z')), KEY, CONTEXT)!;
    const [, signature] = cursor.split('.');
    // An earlier position (a time the caller may not see) with the signature of the given one.
    const moved = `${Buffer.from(JSON.stringify({ v: 2, after: uuidV7(new Date('2026-06-01T00:00:00Z')) })).toString('base64url')}.${signature}`;
    expect(() => decodeCursor(moved, KEY, CONTEXT)).toThrow(InvalidCursorError);
    const flipped = cursor.slice(0, -2) + (cursor.endsWith('AA') ? 'AB' : 'AA');
    expect(() => decodeCursor(flipped, KEY, CONTEXT)).toThrow(InvalidCursorError);
    // Unsigned, as the old cursors were.
    expect(() => decodeCursor(cursor.split('.')[0], KEY, CONTEXT)).toThrow(InvalidCursorError);
  });

  it('bind a cursor to its key, list, client and caller', () => {
    const id = uuidV7(new Date());
    const cursor = encodeCursor(id, KEY, CONTEXT)!;
    expect(() => decodeCursor(cursor, 'another-key-of-at-least-32-characters!!', CONTEXT)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, KEY, { ...CONTEXT, list: 'assessments:all' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, KEY, { ...CONTEXT, clientId: 'client-b' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor, KEY, { ...CONTEXT, callerId: 'therapist-2' })).toThrow(InvalidCursorError);
  });

  it('never signs or verifies without a key of at least 32 characters', () => {
    const id = uuidV7(new Date());
    expect(() => encodeCursor(id, undefined, CONTEXT)).toThrow(/CURSOR_SIGNING_KEY/);
    expect(() => encodeCursor(id, 'short', CONTEXT)).toThrow(/CURSOR_SIGNING_KEY/);
    expect(() => decodeCursor(encodeCursor(id, KEY, CONTEXT)!, '', CONTEXT)).toThrow(/CURSOR_SIGNING_KEY/);
  });

  it('bind an Idempotency-Key to the route and the caller', () => {
    expect(submissionKey('r', 'u', undefined)).toBeUndefined();
    expect(submissionKey('r', 'u', 'k')).toMatch(/^[0-9a-f]{64}$/);
    expect(submissionKey('r', 'u', 'k')).not.toBe(submissionKey('r', 'v', 'k'));
    expect(submissionKey('r', 'u', 'k')).not.toBe(submissionKey('s', 'u', 'k'));
  });

  it('fix the purpose by role', () => {
    expect(purposeFor('client')).toBe('self_access');
    for (const role of ['therapist', 'coordinator'] as const) expect(purposeFor(role)).toBe('treatment');
    expect(purposeFor('supervisor')).toBe('risk_review');
  });
});
