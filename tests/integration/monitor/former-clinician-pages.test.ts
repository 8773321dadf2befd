/**
 * Issue 9, finding 6, over HTTP: a former therapist pages a client's check-ins. Their pages
 * hold only check-ins made during their relationship, and no cursor comes from a row outside
 * it (UUIDv7 ids carry their creation time: a cursor made from a later row told them when the
 * client checked in after they left). Cursors are signed: a changed one is 400 invalid_cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInList, RecordCheckInResponse } from '../../../shared/domain/monitor/check-ins.js';
import { uuidV7Time } from '../../../shared/use-cases/monitor/record-ids.js';
import { getJson, postJson } from '../../support/http.js';
import { careTeam, demoStaff, destroyClients, newClient, type Person } from './support.js';

afterAll(destroyClients);

const checkIn = { mood: 5, anxiety: 4, sleepHours: 7, triggers: { tags: ['work_or_school'] }, copingSkills: ['deep_breathing'], selfHarmThoughts: false };

let formerTherapist: Person;
beforeAll(async () => {
  formerTherapist = await demoStaff('therapist.ny@example.com');
});

/** The id a cursor starts after (its payload; the signature is checked by the server). */
function cursorPosition(cursor: string): string {
  return (JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')) as { after: string }).after;
}

describe('a former therapist paging check-ins', () => {
  it('gets only their window, and no cursor from a row outside it; a tampered cursor is 400', async () => {
    const client = await newClient();
    const token = await client.token();
    const post = async () => {
      const res = await postJson<RecordCheckInResponse>(`/v1/clients/${client.userId}/check-ins`, checkIn, { token });
      expect(res.status).toBe(201);
      return res.body;
    };
    const before = await post();
    const startedAt = new Date(Date.parse(before.recordedAt) + 1).toISOString();
    const begun = await careTeam().begin({ clientId: client.userId, clinicianId: formerTherapist.userId, kind: 'therapist', startedAt });
    expect(begun.outcome).toBe('begun');
    const during = [await post(), await post(), await post()];
    const endedAt = new Date(Date.parse(during.at(-1)!.recordedAt) + 1).toISOString();
    await careTeam().end({ clientId: client.userId, clinicianId: formerTherapist.userId, kind: 'therapist', endedAt, endReason: 'rematch' });
    // After the end: the newest rows, read first by a newest-first query.
    const after = [await post(), await post(), await post()];
    expect(Date.parse(after[0]!.recordedAt)).toBeGreaterThanOrEqual(Date.parse(endedAt));

    const therapistToken = await formerTherapist.token();
    const page1 = await getJson<CheckInList>(`/v1/clients/${client.userId}/check-ins?limit=2`, therapistToken);
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((c) => c.checkInId)).toEqual([during[2]!.checkInId, during[1]!.checkInId]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const position = cursorPosition(page1.body.nextCursor!);
    expect(position).toBe(during[1]!.checkInId);
    expect(uuidV7Time(position).getTime()).toBeLessThan(Date.parse(endedAt));

    const page2 = await getJson<CheckInList>(`/v1/clients/${client.userId}/check-ins?limit=2&cursor=${page1.body.nextCursor}`, therapistToken);
    expect(page2.status).toBe(200);
    expect(page2.body.items.map((c) => c.checkInId)).toEqual([during[0]!.checkInId]);
    expect(page2.body.nextCursor).toBeNull();
    const seen = [...page1.body.items, ...page2.body.items].map((c) => c.checkInId);
    for (const outside of [before, ...after]) expect(seen).not.toContain(outside.checkInId);

    // The same position moved to a row after the end, under the old signature: refused.
    const [, signature] = page1.body.nextCursor!.split('.');
    const moved = `${Buffer.from(JSON.stringify({ v: 2, after: after[2]!.checkInId })).toString('base64url')}.${signature}`;
    for (const cursor of [moved, `${page1.body.nextCursor!.slice(0, -1)}${page1.body.nextCursor!.endsWith('A') ? 'B' : 'A'}`, page1.body.nextCursor!.split('.')[0]]) {
      const res = await getJson<{ code: string; status: number }>(`/v1/clients/${client.userId}/check-ins?limit=2&cursor=${cursor}`, therapistToken);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_cursor');
    }
    // Nor may the client page with the therapist's cursor: cursors are bound to their caller.
    const reused = await getJson<{ code: string }>(`/v1/clients/${client.userId}/check-ins?limit=2&cursor=${page1.body.nextCursor}`, token);
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('invalid_cursor');
  });
});
