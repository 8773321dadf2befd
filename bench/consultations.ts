/**
 * Consultation figures:
 *
 * 1. Slot computation for 200 consultation clinicians over 14 days, pure domain
 *    (freeStartsAmongLocks per clinician + merge by start), and the same through the slots use
 *    case with in-memory ports (adds the per-start views in the client's zone). p50 of several
 *    runs after a warm-up. Clinicians: weekday hours in four US zones, a day off here and
 *    there, about a fifth of their starts already locked.
 * 2. Booking latency through the whole local stack: HTTP -> API adapter -> book-consultation
 *    handler -> DynamoDB Local transaction -> Step Functions emulator start -> 201, sequential
 *    bookings of distinct slots by distinct clients (the free consultation is one per client).
 *    Also the latency of listing slots over HTTP.
 *
 *   npm run bench:consultations     # BENCH_BOOKINGS=50, BENCH_SLOT_RUNS=15 by default
 *
 * Synthetic people only (bench-...@example.com).
 */
import { now as clockNow } from '../shared/adapters/clock.js';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';

import { startLocalStack } from '../local/stack.js';
import { createClientRepository } from '../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.js';
import { DEFAULT_CONSULTATION_SETTINGS } from '../shared/config/scheduling.js';
import { createClinicianRequestSchema, newClinicianProfile } from '../shared/domain/clinicians.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../shared/domain/legal-documents.js';
import { clearZonedInstantCache, freeStartsAmongLocks, occupiedCells, offeredStarts, type Availability } from '../shared/domain/scheduling.js';
import { listSlots } from '../shared/use-cases/consultations/list-slots.js';
import type { ConsultationRecords } from '../shared/use-cases/consultations/ports.js';
import type { ConsultationClinician } from '../shared/use-cases/ports.js';

// The handlers' INFO lines would drown the figures; they are created after this line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 50);
const SLOT_RUNS = Number(process.env.BENCH_SLOT_RUNS ?? 15);
const CLINICIANS = 200;
const WARM_UP = 3;
const DAY = 86_400_000;
const policy = DEFAULT_CONSULTATION_SETTINGS.policy;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(timings: number[], digits = 0): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(digits)} ms, p95 ${percentile(sorted, 95).toFixed(digits)} ms, max ${sorted.at(-1)?.toFixed(digits)} ms`;
}

// ---- 1. Slot computation, pure ------------------------------------------------------------

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const now = Date.now();

function syntheticClinician(i: number): { clinician: ConsultationClinician; locked: Set<number> } {
  const timezone = ZONES[i % ZONES.length] as string;
  const startHour = 8 + (i % 3);
  const availability: Availability = {
    weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
      day,
      start: `${String(startHour).padStart(2, '0')}:00`,
      end: `${String(startHour + 8).padStart(2, '0')}:00`,
    })),
    exceptions: [{ kind: 'unavailable', date: new Date(now + ((i % 10) + 1) * DAY).toISOString().slice(0, 10) }],
  };
  const clinician: ConsultationClinician = {
    clinicianId: `bench-${i}`,
    firstName: 'Bench',
    lastName: `Clinician${i}`,
    credential: 'lcsw',
    email: `bench-${i}@example.com`,
    timezone,
    videoRoomUrl: 'https://video.example.com/rooms/bench',
    availability,
    offersConsultations: true,
    licenses: [{ state: 'OH', expiresOn: new Date(now + 365 * DAY).toISOString().slice(0, 10) }],
  };
  // About one start in five already booked or held.
  const starts = offeredStarts({ availability, timeZone: timezone, from: now, to: now + policy.horizonDays * DAY, now, policy });
  const locked = new Set(starts.filter((_, k) => (k * 7 + i) % 5 === 0).flatMap((s) => occupiedCells(s, policy)));
  return { clinician, locked };
}

const population = Array.from({ length: CLINICIANS }, (_, i) => syntheticClinician(i));

function computeAll(): number {
  const byStart = new Map<number, string[]>();
  for (const { clinician, locked } of population) {
    const starts = freeStartsAmongLocks({
      availability: clinician.availability,
      timeZone: clinician.timezone,
      locked,
      from: now,
      to: now + policy.horizonDays * DAY,
      now,
      policy,
    });
    for (const start of starts) {
      const list = byStart.get(start);
      if (list) list.push(clinician.clinicianId);
      else byStart.set(start, [clinician.clinicianId]);
    }
  }
  return byStart.size;
}

// The first run with no zone conversion kept yet: a cold Lambda's first request.
clearZonedInstantCache();
const coldStarted = performance.now();
let distinctStarts = computeAll();
const cold = performance.now() - coldStarted;
const pure: number[] = [];
for (let i = 0; i < WARM_UP + SLOT_RUNS; i += 1) {
  const started = performance.now();
  distinctStarts = computeAll();
  if (i >= WARM_UP) pure.push(performance.now() - started);
}

const lockedById = new Map(population.map(({ clinician, locked }) => [clinician.clinicianId, [...locked]]));
const inMemory = {
  clients: {
    getProfile: async () => ({
      clientId: 'bench-client',
      email: 'bench-client@example.com',
      firstName: 'Bench',
      lastName: 'Client',
      dateOfBirth: '1990-01-15',
      clientType: 'individual' as const,
      state: 'OH' as const,
      timezone: 'America/New_York',
      stage: 'awaiting_consultation' as const,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    }),
  },
  directory: {
    listConsultationClinicians: async () => population.map((p) => p.clinician),
    getConsultationClinician: async (id: string) => population.find((p) => p.clinician.clinicianId === id)?.clinician,
  },
  consultations: {
    lockedCells: async (clinicianId: string, from: number, to: number) => (lockedById.get(clinicianId) ?? []).filter((c) => c >= from && c < to),
  } as unknown as ConsultationRecords,
  settings: DEFAULT_CONSULTATION_SETTINGS,
  now: () => new Date(now),
};
const useCase: number[] = [];
let listed = 0;
for (let i = 0; i < WARM_UP + SLOT_RUNS; i += 1) {
  const started = performance.now();
  listed = (await listSlots({ clientId: 'bench-client' }, inMemory)).slots.length;
  if (i >= WARM_UP) useCase.push(performance.now() - started);
}

console.log(
  `slots for ${CLINICIANS} consultation clinicians over ${policy.horizonDays} days (${distinctStarts} distinct free starts), ${SLOT_RUNS} runs: ` +
    `pure domain ${summary(pure, 1)} (first, cold run ${cold.toFixed(1)} ms); slots use case with in-memory ports (${listed} slots with views) ${summary(useCase, 1)}`,
);

// ---- 2. Booking latency through the local stack ----------------------------------------------

const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: false, log: () => undefined });
const cognito = new CognitoIdentityProviderClient({});
const documentClient = createDocumentClient();
const tableName = stack.env.TABLE_NAME as string;
const run = randomUUID().slice(0, 8);
const PASSWORD = 'Bench-Password-1!';

async function identity(pool: { userPoolId: string; clientId: string }, email: string, group: string): Promise<{ sub: string; token: string }> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: PASSWORD, Permanent: true }));
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: group }));
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
  const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value as string;
  const auth = await cognito.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  return { sub, token: auth.AuthenticationResult?.AccessToken as string };
}

const timings: number[] = [];
const slotTimings: number[] = [];
let failures = 0;
try {
  const clinicianEmail = `bench-clinician-${run}@example.com`;
  const { sub: clinicianId } = await identity(stack.staffPool, clinicianEmail, 'coordinator');
  const clinicians = createClinicianRepository({ documentClient, tableName });
  const at = new Date().toISOString();
  const request = createClinicianRequestSchema(clockNow).parse({
    email: clinicianEmail,
    role: 'coordinator',
    firstName: 'Bench',
    lastName: 'Clinician',
    credential: 'lcsw',
    licenses: [{ state: 'OH', number: 'BENCH-OH-1', expiresOn: new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10) }],
    specialties: ['anxiety'],
    modalities: ['cbt'],
    clientTypes: ['individual'],
    languages: ['en'],
    bio: 'Synthetic bench clinician.',
    timezone: 'America/New_York',
    offersConsultations: true,
    acceptingNewClients: true,
    caseloadCapacity: 20,
    videoRoomUrl: 'https://video.example.com/rooms/bench',
  });
  await clinicians.createProfile(newClinicianProfile(clinicianId, request, at));
  const allDay = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start: '00:00', end: '24:00' }));
  await clinicians.putAvailability(clinicianId, { weekly: allDay, exceptions: [] }, at);

  const clients = createClientRepository({ documentClient, tableName });
  const people: { token: string }[] = [];
  for (let i = 0; i < WARM_UP + BOOKINGS; i += 1) {
    const email = `bench-${run}-${i}@example.com`;
    const { sub, token } = await identity(stack.clientPool, email, 'client');
    await clients.createClient({
      clientId: sub,
      account: { email, firstName: 'Bench', lastName: `Client${i}`, dateOfBirth: '1990-01-15', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
      stage: 'awaiting_consultation',
      consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
      consentContext: { ipAddress: '203.0.113.9', userAgent: 'bench', acceptedAt: at },
      requestId: `bench-${run}-${i}`,
      // A signed-up client who has verified the email (issue 9): books and gets emails.
      emailVerifiedAt: at,
      createdAt: at,
    });
    people.push({ token });
  }

  const firstStart = Math.ceil((Date.now() + 3 * 3_600_000) / (15 * 60_000)) * (15 * 60_000);
  for (let i = 0; i < people.length; i += 1) {
    const { token } = people[i] as { token: string };
    const slotsStarted = performance.now();
    const slots = await fetch(`${stack.apiUrl}/v1/consultations/slots`, { headers: { authorization: `Bearer ${token}` } });
    await slots.arrayBuffer();
    if (i >= WARM_UP) slotTimings.push(performance.now() - slotsStarted);

    // Distinct slots, 30 minutes apart (beyond one another's buffer).
    const start = new Date(firstStart + i * 30 * 60_000).toISOString();
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/v1/consultations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ start, clinicianId }),
    });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 201) failures += 1;
    if (i >= WARM_UP) timings.push(elapsed);
  }
} finally {
  cognito.destroy();
  documentClient.destroy();
  await stack.stop();
}

console.log(`booking latency over ${timings.length} bookings of distinct slots (local stack, sequential, with Idempotency-Key): ${summary(timings)}; non-201 responses: ${failures}`);
console.log(`slot listing latency over HTTP (1 clinician around the clock, 14 days): ${summary(slotTimings)}`);
if (failures > 0) process.exitCode = 1;
