/**
 * Joint notes over HTTP on the local stack: a couple's attended joint session, the unit's
 * therapist writes a SOAP note (a joint note ON THE UNIT), edits and signs it; both partners
 * read it once signed (never the draft, never the risk check), it is in neither partner's own
 * record or notes list, a third client and another therapist get 404, an addendum after
 * signing is read by the partners, and the partner who left gets 404. All synthetic.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import type { NoteList, ProgressNoteView } from '../../../shared/domain/notes/progress-notes.js';
import { callApi } from '../../support/http.js';
import { createClient } from '../consultations/support.js';
import { createTherapist } from '../matching/support.js';
import { putSession, soapNote } from '../notes/support.js';
import { matchedCouple } from '../sessions/support.js';

const TableName = () => process.env.TABLE_NAME as string;

async function partition(pk: string) {
  const db = createDocumentClient();
  try {
    return (await db.send(new QueryCommand({ TableName: TableName(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
  } finally {
    db.destroy();
  }
}

describe('joint notes on a care unit', () => {
  it("the unit's therapist writes and signs a couple's joint note; both partners read it signed, nobody else does; the partner who left 404", async () => {
    const therapist = await createTherapist({ state: 'UT' });
    const { a, b, unitId } = await matchedCouple(therapist.clinicianId);
    const sessionId = await putSession({ clientId: unitId, clinicianId: therapist.clinicianId, unitId, invitedMemberIds: [a.clientId, b.clientId].sort() });
    const T = await therapist.token();
    const [tokenA, tokenB] = [await a.token(), await b.token()];

    // The draft: a note on the unit, naming the invited members.
    const created = await callApi<ProgressNoteView>('POST', `/v1/sessions/${sessionId}/note`, { token: T, json: soapNote() });
    expect(created.status, created.text).toBe(201);
    const noteId = created.body.noteId;
    expect(created.body).toMatchObject({ unitId, clientId: unitId, sessionId, status: 'draft', memberIds: [a.clientId, b.clientId].sort() });
    // One note per joint session.
    const again = await callApi<{ code: string }>('POST', `/v1/sessions/${sessionId}/note`, { token: T, json: soapNote() });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('session_has_note');

    // A draft does not exist for the partners.
    for (const token of [tokenA, tokenB]) {
      expect((await callApi('GET', `/v1/notes/${noteId}`, { token })).status).toBe(404);
      const listed = await callApi<NoteList>('GET', `/v1/care-units/${unitId}/notes`, { token });
      expect(listed.status).toBe(200);
      expect(listed.body.notes).toEqual([]);
    }
    const asTherapist = await callApi<NoteList>('GET', `/v1/care-units/${unitId}/notes`, { token: T });
    expect(asTherapist.status).toBe(200);
    expect(asTherapist.body.notes.map((n) => n.noteId)).toEqual([noteId]);

    // The therapist edits the draft, then signs it: locked.
    const edited = await callApi<ProgressNoteView>('PATCH', `/v1/notes/${noteId}`, { token: T, json: { intervention: { modality: 'cbt', description: 'A shared communication exercise (synthetic).' } } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.revision).toBe(2);
    expect((await callApi('POST', `/v1/notes/${noteId}/addenda`, { token: T, json: { text: 'Too early.' } })).status).toBe(409);
    const signed = await callApi<ProgressNoteView>('POST', `/v1/notes/${noteId}/sign`, { token: T });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.status).toBe('signed');
    expect((await callApi('PATCH', `/v1/notes/${noteId}`, { token: T, json: { intervention: { modality: 'cbt', description: 'x' } } })).status).toBe(409);

    // Both partners read it (open notes), without the risk check.
    for (const token of [tokenA, tokenB]) {
      const read = await callApi<Record<string, unknown>>('GET', `/v1/notes/${noteId}`, { token });
      expect(read.status, read.text).toBe(200);
      expect(read.body).toMatchObject({ noteId, unitId, status: 'signed' });
      expect(read.body.riskCheck).toBeUndefined();
      const listed = await callApi<NoteList>('GET', `/v1/care-units/${unitId}/notes`, { token });
      expect(listed.body.notes.map((n) => n.noteId)).toEqual([noteId]);
    }

    // Never in a partner's individual record or notes list.
    for (const partner of [a, b]) {
      const own = await callApi<NoteList>('GET', `/v1/clients/${partner.clientId}/notes`, { token: await partner.token() });
      expect(own.status).toBe(200);
      expect(own.body.notes).toEqual([]);
      expect(JSON.stringify(await partition(keys.clientPartition(partner.clientId)))).not.toContain(noteId);
    }
    expect((await partition(keys.careUnitPartition(unitId))).some((i) => i.SK === `PROGRESS_NOTE#${noteId}`)).toBe(true);

    // A third client and another therapist: 404 on everything.
    const third = await createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care' });
    const other = await createTherapist({ state: 'UT' });
    for (const token of [await third.token(), await other.token()]) {
      expect((await callApi('GET', `/v1/notes/${noteId}`, { token })).status).toBe(404);
      expect((await callApi('GET', `/v1/care-units/${unitId}/notes`, { token })).status).toBe(404);
    }
    expect((await callApi('POST', `/v1/notes/${noteId}/addenda`, { token: await other.token(), json: { text: 'Not mine.' } })).status).toBe(404);
    expect((await callApi('POST', `/v1/sessions/${sessionId}/note`, { token: await other.token(), json: soapNote() })).status).toBe(404);

    // An addendum after signing, read by the partners.
    const addendum = await callApi<ProgressNoteView>('POST', `/v1/notes/${noteId}/addenda`, { token: T, json: { text: 'Correction: the exercise was started, not finished (synthetic).' } });
    expect(addendum.status, addendum.text).toBe(201);
    const withAddendum = await callApi<ProgressNoteView>('GET', `/v1/notes/${noteId}`, { token: tokenB });
    expect(withAddendum.body.addenda.map((x) => x.text)).toEqual(['Correction: the exercise was started, not finished (synthetic).']);

    // Audited on every invited member's chain.
    for (const partner of [a, b]) {
      const events = (await partition(keys.auditPartition(partner.clientId))).map(
        (i) => (typeof i.event === 'string' ? JSON.parse(i.event) : i.event) as { record?: { category?: string; id?: string }; action?: string; actor?: { userId?: string } },
      );
      expect(events.some((e) => e.record?.category === 'progress_note' && e.record.id === noteId && e.action === 'create' && e.actor?.userId === therapist.clinicianId)).toBe(true);
    }

    // The partner who leaves no longer reads it; the one who stays does.
    expect((await callApi('POST', `/v1/care-units/${unitId}/leave`, { token: tokenB })).status).toBe(200);
    expect((await callApi('GET', `/v1/notes/${noteId}`, { token: tokenB })).status).toBe(404);
    expect((await callApi('GET', `/v1/care-units/${unitId}/notes`, { token: tokenB })).status).toBe(404);
    expect((await callApi('GET', `/v1/notes/${noteId}`, { token: tokenA })).status).toBe(200);
  }, 120_000);
});
