/**
 * Synthetic people for the matching tests on the shared local stack, made directly against the
 * emulators (the signup and admin APIs have their own tests):
 * - therapists: a staff identity in the therapist group, a clinician profile licensed in the
 *   test's state (through the clinician repository, which lists them by state and starts their
 *   caseload counter) and weekly hours;
 * - consultation clinicians and clients: from the consultation tests' support;
 * - a client awaiting a match: a consultation relationship begun and the stage awaiting_match,
 *   for tests that are not about the consultation itself.
 * Each test uses its own US state, so the directory it ranks holds only its own therapists.
 * Every name is invented and every email unique @example.com.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { DEMO_PASSWORD } from '../../../local/seed.js';
import { now as clockNow } from '../../../shared/adapters/clock.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { createMatchRepository } from '../../../shared/adapters/dynamodb/match-repository.js';
import { createClinicianRequestSchema, newClinicianProfile, type Modality, type Specialty } from '../../../shared/domain/clinicians.js';
import type { WeeklyRule } from '../../../shared/domain/scheduling.js';
import type { UsStateCode } from '../../../shared/domain/us-states.js';
import { signInDirectly, createTestIdentity } from '../../support/cognito.js';
import { createClient, type TestClient } from '../consultations/support.js';

const tableName = () => inject('localStack').env.TABLE_NAME as string;
let documentClient: ReturnType<typeof createDocumentClient> | undefined;
const db = () => (documentClient ??= createDocumentClient());

export const repositories = () => ({
  clinicians: createClinicianRepository({ documentClient: db(), tableName: tableName() }),
  matches: createMatchRepository({ documentClient: db(), tableName: tableName() }),
  careTeam: createCareTeamRepository({ documentClient: db(), tableName: tableName() }),
});

export const tag = () => randomUUID().slice(0, 8);

/** Weekday evenings, 17:00-21:00 in the therapist's zone. */
export const WEEKDAY_EVENINGS: WeeklyRule[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '17:00', end: '21:00' }));

export interface TestTherapist {
  clinicianId: string;
  email: string;
  lastName: string;
  token: () => Promise<string>;
}

async function staffIdentity(email: string, lastName: string, group: string): Promise<string> {
  return createTestIdentity({ pool: 'staff', email, group, password: DEMO_PASSWORD, firstName: 'Casey', lastName });
}

export interface TherapistOptions {
  state: UsStateCode;
  specialties?: Specialty[];
  modalities?: Modality[];
  capacity?: number;
  lastName?: string;
  weekly?: WeeklyRule[];
  /** Default: individual. */
  clientTypes?: ('individual' | 'couple' | 'family' | 'student')[];
}

/** A therapist licensed in `state` (identity, profile with its listing and caseload counter, hours). */
export async function createTherapist(options: TherapistOptions): Promise<TestTherapist> {
  const email = `therapist.${tag()}@example.com`;
  const lastName = options.lastName ?? `Matchwell${tag().slice(0, 4)}`;
  const clinicianId = await staffIdentity(email, lastName, 'therapist');
  const expiresOn = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  const request = createClinicianRequestSchema(clockNow).parse({
    email,
    role: 'therapist',
    firstName: 'Casey',
    lastName,
    credential: 'lpcc',
    licenses: [{ state: options.state, number: `TEST-${options.state}-${tag()}`, expiresOn }],
    specialties: options.specialties ?? ['ocd', 'anxiety'],
    modalities: options.modalities ?? ['erp', 'cbt'],
    clientTypes: options.clientTypes ?? ['individual'],
    languages: ['en'],
    bio: 'Synthetic therapist for the matching tests.',
    timezone: 'America/Denver',
    offersConsultations: false,
    acceptingNewClients: true,
    caseloadCapacity: options.capacity ?? 10,
    videoRoomUrl: `https://video.example.com/rooms/${tag()}`,
  });
  const now = new Date().toISOString();
  const { clinicians } = repositories();
  const created = await clinicians.createProfile(newClinicianProfile(clinicianId, request, now));
  if (created.outcome !== 'created') throw new Error(`Therapist not created: ${created.outcome}`);
  if ((await clinicians.putAvailability(clinicianId, { weekly: options.weekly ?? WEEKDAY_EVENINGS, exceptions: [] }, now)) !== 'written') throw new Error('No hours');
  let cached: string | undefined;
  return { clinicianId, email, lastName, token: async () => (cached ??= (await signInDirectly(email, { pool: 'staff' })).accessToken) };
}

/** A client whose consultation with `consultantId` is done: the consultation relationship and stage awaiting_match. */
export async function clientAwaitingMatch(state: UsStateCode, consultantId: string): Promise<TestClient> {
  const client = await createClient({ state, timezone: 'America/Denver', stage: 'awaiting_match' });
  const begun = await repositories().careTeam.begin({ clientId: client.clientId, clinicianId: consultantId, kind: 'consultation', startedAt: new Date(Date.now() - 3_600_000).toISOString() });
  if (begun.outcome !== 'begun') throw new Error(`Consultation relationship not begun: ${begun.outcome}`);
  return client;
}

/** An intake request for the tests: OCD first, weekday evenings in the client's zone. */
export function intakeRequest(state: UsStateCode, overrides: Record<string, unknown> = {}) {
  return {
    concerns: [{ concern: 'ocd', primary: true }, { concern: 'anxiety', severity: 'mild' }],
    goals: ['Spend less time checking'],
    preferences: { languages: ['en'], modalities: ['erp'] },
    availability: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '21:00' }],
    clientType: 'individual',
    state,
    ...overrides,
  };
}

export function destroyClients(): void {
  documentClient?.destroy();
}
