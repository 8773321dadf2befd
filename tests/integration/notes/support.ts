/**
 * Set-up for the notes tests. A session whose attendance is already recorded (a past session) is
 * written straight into the table in the sessions repository's item shape (keys.ts pattern 60,
 * shared/use-cases/sessions/ports.ts StoredSession): booking and attending over the API would
 * need the clock to pass the session's start.
 *
 * Also: a minimal valid progress note body and the API calls the tests repeat. All synthetic.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import type { SessionStatus } from '../../../shared/domain/sessions/sessions.js';
import type { SessionAttendance } from '../../../shared/use-cases/ports.js';
import type { StoredSession } from '../../../shared/use-cases/sessions/ports.js';
import { callApi } from '../../support/http.js';

let documentClient: ReturnType<typeof createDocumentClient> | undefined;
const db = () => (documentClient ??= createDocumentClient());

const STATUS_OF: Record<SessionAttendance, SessionStatus> = {
  scheduled: 'booked',
  attended: 'attended',
  no_show: 'no_show',
  late_cancel: 'late_cancelled',
  cancelled: 'cancelled',
};

/** `unitId` + `invitedMemberIds`: a JOINT session of that care unit (its clientId is the unit's id, as the booking writes it). */
export async function putSession(input: { clientId: string; clinicianId: string; attendance?: SessionAttendance; startsAt?: string; unitId?: string; invitedMemberIds?: string[] }): Promise<string> {
  const sessionId = randomUUID();
  const start = input.startsAt ?? new Date(Date.now() - 2 * 3_600_000).toISOString();
  const end = new Date(Date.parse(start) + 50 * 60_000).toISOString();
  const stored: StoredSession = {
    sessionId,
    clientId: input.clientId,
    therapistId: input.clinicianId,
    therapist: { id: input.clinicianId, displayName: 'Sam Synthetic, LPC', credential: 'LPC' },
    type: input.unitId === undefined ? 'individual' : 'couple',
    ...(input.unitId === undefined ? {} : { unitId: input.unitId, invitedMemberIds: input.invitedMemberIds ?? [] }),
    start,
    end,
    status: STATUS_OF[input.attendance ?? 'attended'],
    joinUrl: `http://127.0.0.1/rooms/${sessionId}`,
    therapistTimezone: 'America/New_York',
    clientTimezone: 'America/New_York',
    scheduleVersion: 1,
    scheduledAt: start,
    createdAt: start,
    updatedAt: start,
    bookedBy: 'therapist',
    lockCells: [],
  };
  await db().send(new PutCommand({ TableName: process.env.TABLE_NAME as string, Item: { ...keys.session(sessionId), entityType: 'session', ...stored } }));
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
