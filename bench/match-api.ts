/**
 * Match API figures through the whole local stack (HTTP -> API adapter -> handler -> DynamoDB
 * Local), for directories of growing size in one state:
 *
 * 1. GET /v1/clients/{id}/matches: the directory read (GSI1 THERAPISTS_IN#<state> + BatchGet of
 *    profile, hours and caseload counter per therapist), the latest measures, the ranking and
 *    the audit append. p50/p95 over BENCH_MATCH_RUNS requests after a warm-up.
 * 2. POST .../matches/{therapistId}/accept: ranked again, then the one-transaction assignment;
 *    one accept per fresh client (BENCH_ACCEPTS of them) at the largest directory.
 *
 *   npm run bench:match-api      # BENCH_DIRECTORY_SIZES=50,200,1000 BENCH_MATCH_RUNS=20 BENCH_ACCEPTS=20
 *
 * Synthetic therapists and clients only (bench-...@example.com). Therapists are written
 * through the clinician repository (no sign-in needed); clients get an identity to call the API.
 */
import { now } from '../shared/adapters/clock.js';
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
import { createCareTeamRepository } from '../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../shared/adapters/dynamodb/client-repository.js';
import { createClinicianRepository } from '../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.js';
import { createMatchRepository } from '../shared/adapters/dynamodb/match-repository.js';
import { createClinicianRequestSchema, MODALITIES, newClinicianProfile, SPECIALTIES } from '../shared/domain/clinicians.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../shared/domain/legal-documents.js';
import { intakeFrom } from '../shared/domain/matches.js';

// The handlers' INFO lines would drown the figures; they are created after this line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const SIZES = (process.env.BENCH_DIRECTORY_SIZES ?? '50,200,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_MATCH_RUNS ?? 20);
const ACCEPTS = Number(process.env.BENCH_ACCEPTS ?? 20);
const WARM_UP = 3;
const STATE = 'OH';
const PASSWORD = 'Bench-Password-1!';
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(timings: number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms`;
}

const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: false, log: () => undefined });
const cognito = new CognitoIdentityProviderClient({});
const documentClient = createDocumentClient();
const tableName = stack.env.TABLE_NAME as string;
const clinicians = createClinicianRepository({ documentClient, tableName });
const clients = createClientRepository({ documentClient, tableName });
const careTeam = createCareTeamRepository({ documentClient, tableName });
const matches = createMatchRepository({ documentClient, tableName });
const run = randomUUID().slice(0, 8);
const at = new Date().toISOString();
const expiresOn = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10);
const INTAKE = {
  concerns: [{ concern: 'ocd' as const, primary: true }, { concern: 'anxiety' as const }],
  goals: ['Synthetic goal'],
  preferences: { languages: ['en' as const] },
  availability: [{ days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const], start: '18:00', end: '21:00' }],
  clientType: 'individual' as const,
  state: STATE as 'OH',
};

async function therapist(i: number): Promise<string> {
  const id = `bench-therapist-${run}-${i}`;
  const request = createClinicianRequestSchema(now).parse({
    email: `${id}@example.com`,
    role: 'therapist',
    firstName: 'Bench',
    lastName: `Therapist${i}`,
    credential: 'lcsw',
    licenses: [{ state: STATE, number: `BENCH-${i}`, expiresOn }],
    specialties: [SPECIALTIES[i % SPECIALTIES.length], SPECIALTIES[(i * 7) % SPECIALTIES.length], 'anxiety'].filter((s, k, all) => all.indexOf(s) === k),
    modalities: [MODALITIES[i % MODALITIES.length], 'cbt'].filter((m, k, all) => all.indexOf(m) === k),
    clientTypes: ['individual'],
    languages: ['en'],
    bio: 'Synthetic bench therapist.',
    timezone: 'America/New_York',
    offersConsultations: false,
    acceptingNewClients: true,
    caseloadCapacity: 5 + (i % 20),
    videoRoomUrl: 'https://video.example.com/rooms/bench',
  });
  await clinicians.createProfile(newClinicianProfile(id, request, at), { claimEmail: false });
  const start = 8 + (i % 10);
  await clinicians.putAvailability(id, { weekly: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: `${String(start).padStart(2, '0')}:00`, end: `${String(start + 8).padStart(2, '0')}:00` })), exceptions: [] }, at);
  return id;
}

/** A client awaiting a match with a confirmed intake, signed in. */
async function client(i: number): Promise<{ clientId: string; token: string }> {
  const email = `bench-match-${run}-${i}@example.com`;
  const pool = stack.clientPool;
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: PASSWORD, Permanent: true }));
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: 'client' }));
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }));
  const clientId = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value as string;
  const auth = await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: email, PASSWORD } }));
  await clients.createClient({
    clientId,
    account: { email, firstName: 'Bench', lastName: `Client${i}`, dateOfBirth: '1990-01-15', clientType: 'individual', state: STATE, timezone: 'America/New_York' },
    stage: 'awaiting_match',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.9', userAgent: 'bench', acceptedAt: at },
    requestId: `bench-${run}-${i}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: at,
    createdAt: at,
  });
  await careTeam.begin({ clientId, clinicianId: `bench-consultant-${run}`, kind: 'consultation', startedAt: at });
  await matches.putIntake({ clientId, version: 'confirmed', intake: intakeFrom(INTAKE, 'America/New_York'), updatedAt: at, updatedBy: { userId: `bench-consultant-${run}`, role: 'coordinator' } });
  return { clientId, token: auth.AuthenticationResult?.AccessToken as string };
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.json();
  return { ms: performance.now() - started, status: response.status, body };
}

try {
  let created = 0;
  const viewer = await client(0);
  for (const size of SIZES) {
    for (; created < size; created += 1) await therapist(created);
    const timings: number[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i += 1) {
      const { ms, status } = await timed(`${stack.apiUrl}/v1/clients/${viewer.clientId}/matches`, { headers: { authorization: `Bearer ${viewer.token}` } });
      if (status !== 200) throw new Error(`GET matches answered ${status}`);
      if (i >= WARM_UP) timings.push(ms);
    }
    console.log(`GET matches, ${size} therapists in the state: ${summary(timings)} (${RUNS} requests)`);
  }

  const acceptTimings: number[] = [];
  let conflicts = 0;
  for (let i = 1; i <= ACCEPTS; i += 1) {
    const person = await client(i);
    const seen = await timed(`${stack.apiUrl}/v1/clients/${person.clientId}/matches`, { headers: { authorization: `Bearer ${person.token}` } });
    const first = (seen.body as { matches: { therapistId: string }[] }).matches[0]!.therapistId;
    const accepted = await timed(`${stack.apiUrl}/v1/clients/${person.clientId}/matches/${first}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${person.token}`, 'idempotency-key': randomUUID() },
    });
    if (accepted.status === 201) acceptTimings.push(accepted.ms);
    else conflicts += 1;
  }
  console.log(`accept (ranked again + one transaction), ${SIZES.at(-1)} therapists: ${summary(acceptTimings)} (${acceptTimings.length} accepted, ${conflicts} refused)`);
} finally {
  cognito.destroy();
  documentClient.destroy();
  await stack.stop();
}
