/**
 * Session notes and psychotherapy notes over HTTP on the local stack (issue 10).
 *
 * The world: client A in care with an assigned therapist (the AUTHOR of the notes here), a
 * former therapist (relationship ended by a rematch), another therapist, client B with a
 * consultation clinician, a coordinator, a supervisor (A has an open risk task), the seeded
 * admin, and anonymous. Sessions are written straight into the table (./support.ts).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { riskTaskIdFor } from '../../../shared/domain/risk-tasks.js';
import { signInDirectly } from '../../support/cognito.js';
import { callApi } from '../../support/http.js';
import { createClient, createConsultationClinician } from '../consultations/support.js';
import { createTherapist, repositories as matchingRepositories } from '../matching/support.js';
import { createStaff, repositories as riskRepositories } from '../risk/support.js';
import { putSession, signedNote, soapNote } from './support.js';

const ROLES = ['clientA', 'clientB', 'assignedTherapist', 'formerTherapist', 'otherTherapist', 'consultationClinician', 'coordinator', 'supervisor', 'admin', 'anonymous'] as const;
type MatrixRole = (typeof ROLES)[number];
const NOT_AUTHOR = ROLES.filter((r) => r !== 'assignedTherapist');

interface World {
  clientA: string;
  therapist: string;
  tokens: Record<Exclude<MatrixRole, 'anonymous'>, () => Promise<string>>;
}

const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();

async function buildWorld(): Promise<World> {
  const [assigned, former, other, bConsultant, coordinator, supervisor] = await Promise.all([
    createTherapist({ state: 'ME', lastName: 'Notewell' }),
    createTherapist({ state: 'ME', lastName: 'Formerly' }),
    createTherapist({ state: 'ME', lastName: 'Otherby' }),
    createConsultationClinician({ states: ['ME'], timezone: 'America/New_York' }),
    createStaff('coordinator'),
    createStaff('supervisor'),
  ]);
  const [clientA, clientB] = await Promise.all([
    createClient({ state: 'ME', timezone: 'America/New_York', stage: 'awaiting_match' }),
    createClient({ state: 'ME', timezone: 'America/New_York', stage: 'awaiting_match' }),
  ]);
  const { careTeam, matches } = matchingRepositories();
  for (const r of await Promise.all([
    careTeam.begin({ clientId: clientA.clientId, clinicianId: former.clinicianId, kind: 'therapist', startedAt: at(5) }),
    careTeam.begin({ clientId: clientB.clientId, clinicianId: bConsultant.clinicianId, kind: 'consultation', startedAt: at(5) }),
  ])) {
    if (r.outcome !== 'begun') throw new Error(`Relationship not begun: ${r.outcome}`);
  }
  const ended = await careTeam.end({ clientId: clientA.clientId, clinicianId: former.clinicianId, kind: 'therapist', endedAt: at(3), endReason: 'rematch' });
  if (ended.outcome !== 'ended') throw new Error('Former therapist not ended');
  if ((await matches.assignTherapist({ clientId: clientA.clientId, therapistId: assigned.clinicianId, startedAt: at(2) })) !== 'assigned') throw new Error('Not assigned');
  const source = { type: 'assessment' as const, id: randomUUID() };
  const created = await riskRepositories().tasks.create({
    taskId: riskTaskIdFor(source),
    clientId: clientA.clientId,
    level: 'high',
    source,
    status: 'open',
    responsibility: 'therapist',
    responsibleClinicianId: assigned.clinicianId,
    flaggedAt: at(0.1),
    createdAt: at(0.1),
    dueAt: new Date(Date.now() + 4 * 3_600_000).toISOString(),
    escalations: [],
  });
  if (created.outcome !== 'created') throw new Error('Risk task not created');
  const admin = await signInDirectly('admin@example.com');
  return {
    clientA: clientA.clientId,
    therapist: assigned.clinicianId,
    tokens: {
      clientA: clientA.token,
      clientB: clientB.token,
      assignedTherapist: assigned.token,
      formerTherapist: former.token,
      otherTherapist: other.token,
      consultationClinician: bConsultant.token,
      coordinator: coordinator.token,
      supervisor: supervisor.token,
      admin: async () => admin.accessToken,
    },
  };
}

let world: World;
const tokenOf = async (role: MatrixRole) => (role === 'anonymous' ? undefined : world.tokens[role]());
async function call(role: MatrixRole, method: 'GET' | 'POST' | 'PATCH', path: string, json?: unknown) {
  const token = await tokenOf(role);
  return callApi(method, path, { ...(token ? { token } : {}), ...(json === undefined ? {} : { json }) });
}

beforeAll(async () => {
  world = await buildWorld();
}, 60_000);

describe('progress notes: one per attended session, locked once signed', () => {
  it('drafts, edits, signs; an edit after signing is refused with 409 and an addendum is appended and kept', async () => {
    const sessionId = await putSession({ clientId: world.clientA, clinicianId: world.therapist });
    const created = await call('assignedTherapist', 'POST', `/v1/sessions/${sessionId}/note`, soapNote());
    expect(created.status).toBe(201);
    const note = created.body as { noteId: string; status: string; revision: number; sessionId: string; clientId: string };
    expect(note).toMatchObject({ status: 'draft', revision: 1, sessionId, clientId: world.clientA });

    const edited = await call('assignedTherapist', 'PATCH', `/v1/notes/${note.noteId}`, { intervention: { modality: 'act', description: 'Defusion exercise.' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'draft', revision: 2, intervention: { modality: 'act' } });

    // No addendum on a draft: it is simply edited.
    expect((await call('assignedTherapist', 'POST', `/v1/notes/${note.noteId}/addenda`, { text: 'Too early.' })).body).toMatchObject({ status: 409, code: 'note_not_signed' });

    const signed = await call('assignedTherapist', 'POST', `/v1/notes/${note.noteId}/sign`);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', signedBy: { userId: world.therapist } });

    const afterSign = await call('assignedTherapist', 'PATCH', `/v1/notes/${note.noteId}`, { intervention: { modality: 'cbt', description: 'Rewritten.' } });
    expect(afterSign.status).toBe(409);
    expect(afterSign.body).toMatchObject({ code: 'note_signed' });
    expect((await call('assignedTherapist', 'POST', `/v1/notes/${note.noteId}/sign`)).body).toMatchObject({ status: 409, code: 'note_signed' });

    const first = await call('assignedTherapist', 'POST', `/v1/notes/${note.noteId}/addenda`, { text: 'Client called after the session: sleep improved (synthetic).' });
    expect(first.status).toBe(201);
    const second = await call('assignedTherapist', 'POST', `/v1/notes/${note.noteId}/addenda`, { text: 'Second addendum (synthetic).' });
    expect(second.status).toBe(201);

    const read = await call('assignedTherapist', 'GET', `/v1/notes/${note.noteId}`);
    expect(read.status).toBe(200);
    const view = read.body as { intervention: { modality: string }; addenda: { text: string }[]; status: string; revision: number };
    // The signed content is what it was when signed; both addenda are kept, in order.
    expect(view).toMatchObject({ status: 'signed', revision: 2, intervention: { modality: 'act', description: 'Defusion exercise.' } });
    expect(view.addenda.map((a) => a.text)).toEqual(['Client called after the session: sleep improved (synthetic).', 'Second addendum (synthetic).']);
  });

  it('refuses a second note for the same session (409 naming the note), a session not attended, and a session the caller did not hold', async () => {
    const sessionId = await putSession({ clientId: world.clientA, clinicianId: world.therapist });
    const first = await call('assignedTherapist', 'POST', `/v1/sessions/${sessionId}/note`, soapNote());
    expect(first.status).toBe(201);
    const again = await call('assignedTherapist', 'POST', `/v1/sessions/${sessionId}/note`, soapNote({ format: 'dap', sections: { data: 'd', assessment: 'a', plan: 'p' } }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'session_has_note', noteId: (first.body as { noteId: string }).noteId });

    const noShow = await putSession({ clientId: world.clientA, clinicianId: world.therapist, attendance: 'no_show' });
    expect((await call('assignedTherapist', 'POST', `/v1/sessions/${noShow}/note`, soapNote())).body).toMatchObject({ status: 409, code: 'session_not_attended' });

    const notTheirs = await putSession({ clientId: world.clientA, clinicianId: randomUUID() });
    expect((await call('assignedTherapist', 'POST', `/v1/sessions/${notTheirs}/note`, soapNote())).status).toBe(404);
    expect((await call('assignedTherapist', 'POST', `/v1/sessions/${randomUUID()}/note`, soapNote())).status).toBe(404);
  });

  it('rejects sections that do not match the format', async () => {
    const sessionId = await putSession({ clientId: world.clientA, clinicianId: world.therapist });
    const wrong = await call('assignedTherapist', 'POST', `/v1/sessions/${sessionId}/note`, soapNote({ format: 'birp' }));
    expect(wrong.status).toBe(400);
  });

  it('open notes: the client reads signed notes only, without the risk check; the care team reads drafts too', async () => {
    const signedId = await signedNote({ clientId: world.clientA, clinicianId: world.therapist, token: await world.tokens.assignedTherapist() });
    const draftSession = await putSession({ clientId: world.clientA, clinicianId: world.therapist });
    const draft = await call('assignedTherapist', 'POST', `/v1/sessions/${draftSession}/note`, soapNote());
    const draftId = (draft.body as { noteId: string }).noteId;

    const mine = await call('clientA', 'GET', `/v1/notes/${signedId}`);
    expect(mine.status).toBe(200);
    expect(mine.body).not.toHaveProperty('riskCheck');
    expect(mine.body).toMatchObject({ noteId: signedId, status: 'signed' });
    expect((await call('clientA', 'GET', `/v1/notes/${draftId}`)).status).toBe(404);

    const list = (await call('clientA', 'GET', `/v1/clients/${world.clientA}/notes`)).body as { notes: { noteId: string; status: string }[] };
    expect(list.notes.map((n) => n.noteId)).toContain(signedId);
    expect(list.notes.map((n) => n.noteId)).not.toContain(draftId);
    expect(list.notes.every((n) => n.status === 'signed' && !('riskCheck' in n))).toBe(true);

    const team = (await call('assignedTherapist', 'GET', `/v1/clients/${world.clientA}/notes`)).body as { notes: { noteId: string }[] };
    expect(team.notes.map((n) => n.noteId)).toEqual(expect.arrayContaining([signedId, draftId]));
    expect((await call('clientB', 'GET', `/v1/notes/${signedId}`)).status).toBe(404);
  });
});

describe('psychotherapy notes: the author only', () => {
  const TEXT = `Synthetic process note ${randomUUID()}`;
  let noteId: string;

  beforeAll(async () => {
    const created = await call('assignedTherapist', 'POST', `/v1/clients/${world.clientA}/psychotherapy-notes`, { text: TEXT });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(TEXT);
    noteId = (created.body as { noteId: string }).noteId;
  });

  it('the author lists and reads them', async () => {
    const list = await call('assignedTherapist', 'GET', `/v1/clients/${world.clientA}/psychotherapy-notes`);
    expect(list.status).toBe(200);
    expect((list.body as { notes: { noteId: string; text: string }[] }).notes).toContainEqual(expect.objectContaining({ noteId, text: TEXT }));
    const one = await call('assignedTherapist', 'GET', `/v1/psychotherapy-notes/${noteId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ noteId, text: TEXT, authorId: world.therapist, clientId: world.clientA });
  });

  describe.each(NOT_AUTHOR)('as %s', (role) => {
    it('never sees them: not by id, not in a list, not in the client\'s notes', async () => {
      const one = await call(role, 'GET', `/v1/psychotherapy-notes/${noteId}`);
      expect([401, 403, 404]).toContain(one.status);
      expect(one.text).not.toContain(TEXT);

      const list = await call(role, 'GET', `/v1/clients/${world.clientA}/psychotherapy-notes`);
      expect(list.text).not.toContain(TEXT);
      expect(list.text).not.toContain(noteId);
      if (list.status === 200) expect((list.body as { notes: unknown[] }).notes).toEqual([]);
      else expect([401, 403, 404]).toContain(list.status);

      const notes = await call(role, 'GET', `/v1/clients/${world.clientA}/notes`);
      expect(notes.text).not.toContain(TEXT);
      expect(notes.text).not.toContain(noteId);
    });
  });

  it('are stored apart, in the author\'s partition, sealed (no text in clear), and audited without content', async () => {
    const db = createDocumentClient();
    const TableName = process.env.TABLE_NAME as string;
    const { Items } = await db.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.psychotherapyNotePartition(world.therapist) }, ConsistentRead: true }),
    );
    const stored = (Items ?? []).find((i) => i.noteId === noteId && i.sealed);
    expect(stored).toBeDefined();
    expect(JSON.stringify(Items)).not.toContain(TEXT);
    expect(stored!.sealed).toMatchObject({ alg: 'AES-256-GCM', keyProvider: 'local' });

    const client = await db.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.clientPartition(world.clientA) }, ConsistentRead: true }),
    );
    expect(JSON.stringify(client.Items)).not.toContain(noteId);

    const audit = await db.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditPartition(world.clientA) }, ConsistentRead: true }),
    );
    const events = JSON.stringify(audit.Items);
    expect(events).not.toContain(TEXT);
    const about = (audit.Items ?? []).map((i) => (typeof i.event === 'string' ? JSON.parse(i.event) : i.event) as { record?: { category?: string; id?: string }; outcome?: string; actor?: { userId?: string } });
    expect(about.some((e) => e.record?.category === 'psychotherapy_note' && e.record.id === noteId && e.outcome === 'success' && e.actor?.userId === world.therapist)).toBe(true);
  });
});
