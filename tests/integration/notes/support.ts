/**
 * Set-up for the notes tests. Sessions are built in parallel by the sessions area: until it
 * lands, a test writes the session item directly into the table, in the shape the notes'
 * AttendedSessionLookup adapter ASSUMES (shared/adapters/dynamodb/attended-session-lookup.ts):
 *
 *   SESSION#<sessionId> / SESSION  { sessionId, clientId, clinicianId, startsAt, attendance }
 *
 * Also: a minimal valid progress note body and the API calls the tests repeat. All synthetic.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import type { SessionAttendance } from '../../../shared/use-cases/ports.js';
import { callApi } from '../../support/http.js';

let documentClient: ReturnType<typeof createDocumentClient> | undefined;
const db = () => (documentClient ??= createDocumentClient());

export async function putSession(input: { clientId: string; clinicianId: string; attendance?: SessionAttendance; startsAt?: string }): Promise<string> {
  const sessionId = randomUUID();
  await db().send(
    new PutCommand({
      TableName: process.env.TABLE_NAME as string,
      Item: {
        ...keys.session(sessionId),
        entityType: 'session',
        sessionId,
        clientId: input.clientId,
        clinicianId: input.clinicianId,
        startsAt: input.startsAt ?? new Date(Date.now() - 2 * 3_600_000).toISOString(),
        attendance: input.attendance ?? 'attended',
      },
    }),
  );
  return sessionId;
}

export function soapNote(overrides: Record<string, unknown> = {}) {
  return {
    format: 'soap',
    sections: {
      subjective: 'Reports a calmer week (synthetic).',
      objective: 'Engaged, on time.',
      assessment: 'Improving sleep routine.',
      plan: 'Continue behavioural activation.',
    },
    intervention: { modality: 'cbt', description: 'Cognitive restructuring of one worry.' },
    riskCheck: { screened: true, level: 'none', notes: 'Denies thoughts of self-harm (synthetic).' },
    objectiveProgress: [{ objectiveId: 'objective-1', progress: 'some_progress' }],
    ...overrides,
  };
}

/** A signed note by `token` for a new attended session of `clientId` held by `clinicianId`. */
export async function signedNote(input: { clientId: string; clinicianId: string; token: string }): Promise<string> {
  const sessionId = await putSession({ clientId: input.clientId, clinicianId: input.clinicianId });
  const created = await callApi('POST', `/v1/sessions/${sessionId}/note`, { token: input.token, json: soapNote() });
  if (created.status !== 201) throw new Error(`Note not created: ${created.status} ${created.text}`);
  const noteId = (created.body as { noteId: string }).noteId;
  const signed = await callApi('POST', `/v1/notes/${noteId}/sign`, { token: input.token });
  if (signed.status !== 200) throw new Error(`Note not signed: ${signed.status} ${signed.text}`);
  return noteId;
}
