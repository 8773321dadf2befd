/**
 * Session tests' support: the use cases' dependencies over the local table, a client in care
 * with a therapist (relationship begun directly, as the matrix does), and starts inside the
 * therapists' weekday evening hours (17:00-21:00 America/Denver, matching/support.ts).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createConsultationRepository } from '../../../shared/adapters/dynamodb/consultation-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { zonedInstant } from '../../../shared/domain/scheduling.js';
import { DEFAULT_SESSION_POLICY } from '../../../shared/domain/sessions/sessions.js';
import { localDate } from '../../../shared/domain/time-zone.js';
import { careEndedSessions } from '../../../shared/use-cases/sessions/care-ended.js';
import type { SessionDeps } from '../../../shared/use-cases/sessions/dependencies.js';
import type { JsonValue, WorkflowStarter } from '../../../shared/use-cases/ports.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { callApi } from '../../support/http.js';
import { createClient } from '../consultations/support.js';

const tableName = () => process.env.TABLE_NAME as string;
let documentClient: ReturnType<typeof createDocumentClient> | undefined;
const db = () => (documentClient ??= createDocumentClient());

/** A starter that records the runs asked for (the integration tests of the use cases run no workflow). */
export class RecordingSessionStarter implements WorkflowStarter {
  readonly started: { name: string; input: { [key: string]: JsonValue } }[] = [];
  async start(execution: { name: string; input: { [key: string]: JsonValue } }) {
    this.started.push(execution);
    return { executionArn: `local:${execution.name}`, alreadyStarted: false };
  }
}

export function sessionDeps(options: { now?: () => Date; workflow?: WorkflowStarter } = {}): SessionDeps {
  const table = { documentClient: db(), tableName: tableName() };
  return {
    sessions: createSessionRepository(table),
    locks: createConsultationRepository(table),
    directory: createClinicianRepository(table),
    clients: createClientRepository(table),
    careTeam: createCareTeamRepository(table),
    auditLog: createAuditLog(table),
    workflow: options.workflow ?? new RecordingSessionStarter(),
    policy: DEFAULT_SESSION_POLICY,
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
}

export const careTeam = () => createCareTeamRepository({ documentClient: db(), tableName: tableName() });

/** `HH:MM` in America/Denver on the first of `weekdays` (0 = Sunday; default Monday-Friday) at least `daysAhead` days from now. */
export function eveningStart(daysAhead: number, time = '18:00', options: { from?: number; weekdays?: readonly number[] } = {}): string {
  const from = options.from ?? Date.now();
  const weekdays = options.weekdays ?? [1, 2, 3, 4, 5];
  for (let d = daysAhead; d < daysAhead + 7; d += 1) {
    const date = localDate(new Date(from + d * 86_400_000), 'America/Denver');
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekdays.includes(weekday)) return new Date(zonedInstant(date, time, 'America/Denver')).toISOString();
  }
  throw new Error('no weekday');
}

/** Makes `therapistId` the client's assigned therapist (an active therapist relationship). */
export async function assignTherapist(clientId: string, therapistId: string, startedAt = new Date(Date.now() - 3_600_000).toISOString()): Promise<void> {
  const begun = await careTeam().begin({ clientId, clinicianId: therapistId, kind: 'therapist', startedAt });
  if (begun.outcome !== 'begun') throw new Error(`Therapist relationship not begun: ${begun.outcome}`);
}

/** A couple made over the API (A creates, invites B, B accepts); the unit's therapist set directly, as a finished unit match leaves it. */
export async function matchedCouple(therapistId: string) {
  const [a, b] = await Promise.all([
    createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care', firstName: 'Rowan' }),
    createClient({ state: 'UT', timezone: 'America/Denver', stage: 'in_care', firstName: 'Sage' }),
  ]);
  const created = await callApi<{ unitId: string }>('POST', '/v1/care-units', { json: { kind: 'couple', role: 'partner', consent: true }, token: await a.token() });
  if (created.status !== 201) throw new Error(`Unit not created: ${created.status}`);
  const unitId = created.body.unitId;
  if ((await callApi('POST', `/v1/care-units/${unitId}/invitations`, { json: { email: b.email, role: 'partner' }, token: await a.token() })).status !== 202) throw new Error('Not invited');
  if ((await callApi('POST', `/v1/care-units/${unitId}/accept`, { json: { consent: true }, token: await b.token() })).status !== 200) throw new Error('Not accepted');
  const client = createDocumentClient();
  try {
    await client.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME as string,
        Key: keys.careUnit(unitId),
        UpdateExpression: 'SET therapistId = :t, matchedAt = :at',
        ConditionExpression: 'attribute_not_exists(therapistId)',
        ExpressionAttributeValues: { ':t': therapistId, ':at': new Date(Date.now() - 3_600_000).toISOString() },
      }),
    );
  } finally {
    client.destroy();
  }
  return { a, b, unitId };
}

/** The care-end cancellation over the real repository, but its second status change fails (a fault the emulator cannot make on cue). */
export function careEndedSessionsFailingOnSecondChange() {
  const base = sessionDeps();
  let changes = 0;
  return careEndedSessions({
    sessions: {
      ...base.sessions,
      change: async (change) => {
        changes += 1;
        if (changes === 2) throw new Error('Synthetic fault on the second cancellation.');
        return base.sessions.change(change);
      },
    },
    workflow: new RecordingSessionStarter(),
    auditLog: base.auditLog,
    now: () => new Date(),
  });
}
