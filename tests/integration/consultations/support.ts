/**
 * Synthetic people for the consultation tests, made directly against the emulators of the
 * shared local stack (quicker than the signup and admin APIs, which have their own tests):
 * - a consultation clinician: a staff identity in the coordinator group, a clinician profile
 *   licensed in the given state, and weekly hours (clinician-repository.ts);
 * - a client: a client identity in the client group and a client profile (client-repository.ts).
 * Every name is invented, every email unique @example.com. Also: the use cases wired to the
 * real adapters with a clock and a workflow starter of the test's choosing.
 */
import { randomUUID } from 'node:crypto';
import { now as clockNow } from '../../../shared/adapters/clock.js';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createConsultationRepository } from '../../../shared/adapters/dynamodb/consultation-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { DEFAULT_CONSULTATION_SETTINGS } from '../../../shared/config/scheduling.js';
import { createClinicianRequestSchema, newClinicianProfile } from '../../../shared/domain/clinicians.js';
import type { ClientStage } from '../../../shared/domain/signup.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../../shared/domain/legal-documents.js';
import type { Availability } from '../../../shared/domain/scheduling.js';
import type { UsStateCode } from '../../../shared/domain/us-states.js';
import type { ConsultationDeps } from '../../../shared/use-cases/consultations/dependencies.js';
import type { JsonValue, WorkflowStarter } from '../../../shared/use-cases/ports.js';
import { DEMO_PASSWORD } from '../../../local/seed.js';
import { signInDirectly, createTestIdentity } from '../../support/cognito.js';

export const CLIENT_PASSWORD = 'Synthetic-Pass-42!';

/** Every day, 00:00-24:00: any start after the notice is on offer (in the clinician's zone). */
export const ALWAYS_OPEN: Availability = {
  weekly: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start: '00:00', end: '24:00' })),
  exceptions: [],
};

const tableName = () => process.env.TABLE_NAME as string;
let documentClient: ReturnType<typeof createDocumentClient> | undefined;
const db = () => (documentClient ??= createDocumentClient());

export const repositories = () => ({
  consultations: createConsultationRepository({ documentClient: db(), tableName: tableName() }),
  clinicians: createClinicianRepository({ documentClient: db(), tableName: tableName() }),
  clients: createClientRepository({ documentClient: db(), tableName: tableName() }),
});

/** The audit log of the table, to read the events a request wrote. */
export const auditLog = () => createAuditLog({ documentClient: db(), tableName: tableName() });

const tag = () => randomUUID().slice(0, 8);

async function createIdentity(pool: 'staff' | 'client', email: string, names: { firstName: string; lastName: string }, group: string, password: string) {
  return createTestIdentity({ pool, email, group, password, ...names });
}

export interface TestClinician {
  clinicianId: string;
  email: string;
  firstName: string;
  lastName: string;
  timezone: string;
  token: () => Promise<string>;
}

export async function createConsultationClinician(
  options: { states?: UsStateCode[]; timezone?: string; availability?: Availability; firstName?: string; lastName?: string } = {},
): Promise<TestClinician> {
  const email = `consult.${tag()}@example.com`;
  const firstName = options.firstName ?? 'Robin';
  const lastName = options.lastName ?? `Clinic${tag().slice(0, 4)}`;
  const timezone = options.timezone ?? 'America/New_York';
  const clinicianId = await createIdentity('staff', email, { firstName, lastName }, 'coordinator', DEMO_PASSWORD);
  const expiresOn = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  const request = createClinicianRequestSchema(clockNow).parse({
    email,
    role: 'coordinator',
    firstName,
    lastName,
    pronouns: 'they/them',
    credential: 'lpcc',
    licenses: (options.states ?? ['WY']).map((state, i) => ({ state, number: `TEST-${state}-${i}`, expiresOn })),
    specialties: ['anxiety'],
    modalities: ['cbt'],
    clientTypes: ['individual'],
    languages: ['en'],
    bio: 'Synthetic consultation clinician for tests.',
    timezone,
    offersConsultations: true,
    acceptingNewClients: true,
    caseloadCapacity: 20,
    videoRoomUrl: `https://video.example.com/rooms/${tag()}`,
  });
  const now = new Date().toISOString();
  const { clinicians } = repositories();
  const created = await clinicians.createProfile(newClinicianProfile(clinicianId, request, now));
  if (created.outcome !== 'created') throw new Error(`Clinician not created: ${created.outcome}`);
  if ((await clinicians.putAvailability(clinicianId, options.availability ?? ALWAYS_OPEN, now)) !== 'written') throw new Error('No availability');
  let cached: string | undefined;
  return {
    clinicianId,
    email,
    firstName,
    lastName,
    timezone,
    token: async () => (cached ??= (await signInDirectly(email, { pool: 'staff' })).accessToken),
  };
}

export interface TestClient {
  clientId: string;
  email: string;
  firstName: string;
  state: UsStateCode;
  timezone: string;
  token: () => Promise<string>;
}

export async function createClient(options: { state?: UsStateCode; timezone?: string; stage?: ClientStage; firstName?: string } = {}): Promise<TestClient> {
  const email = `client.${tag()}@example.com`;
  const firstName = options.firstName ?? 'Avery';
  const state = options.state ?? 'WY';
  const timezone = options.timezone ?? 'America/Denver';
  const clientId = await createIdentity('client', email, { firstName, lastName: 'Testwood' }, 'client', CLIENT_PASSWORD);
  const created = await repositories().clients.createClient({
    clientId,
    account: { email, firstName, lastName: 'Testwood', dateOfBirth: '1990-04-12', clientType: 'individual', state, timezone },
    stage: options.stage ?? 'awaiting_consultation',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: new Date().toISOString() },
    requestId: `test-${tag()}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
  });
  if (created.outcome !== 'created') throw new Error(`Client not created: ${created.outcome}`);
  let cached: string | undefined;
  return {
    clientId,
    email,
    firstName,
    state,
    timezone,
    token: async () => (cached ??= (await signInDirectly(email, { pool: 'client', password: CLIENT_PASSWORD })).accessToken),
  };
}

/** Records what would be started, starting nothing. */
export class RecordingStarter implements WorkflowStarter {
  readonly started: { name: string; input: { [key: string]: JsonValue } }[] = [];
  async start(execution: { name: string; input: { [key: string]: JsonValue } }) {
    this.started.push(execution);
    return { executionArn: `arn:test:${execution.name}`, alreadyStarted: false };
  }
}

/** The use cases' dependencies over the real table, with a chosen clock and starter. */
export function useCaseDeps(options: { now?: () => Date; workflow?: WorkflowStarter } = {}): ConsultationDeps {
  const { consultations, clinicians, clients } = repositories();
  return {
    consultations,
    directory: clinicians,
    clients,
    workflow: options.workflow ?? new RecordingStarter(),
    careTeam: createCareTeamRepository({ documentClient: db(), tableName: tableName() }),
    auditLog: createAuditLog({ documentClient: db(), tableName: tableName() }),
    settings: DEFAULT_CONSULTATION_SETTINGS,
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** A start on the 15-minute grid at least `hoursAhead` from `from` (UTC midnight-aligned blocks of ALWAYS_OPEN in UTC zones). */
export function gridStart(hoursAhead: number, from: number = Date.now()): string {
  return new Date(Math.ceil((from + hoursAhead * 3_600_000) / FIFTEEN_MINUTES) * FIFTEEN_MINUTES).toISOString();
}
