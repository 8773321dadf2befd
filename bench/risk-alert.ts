/**
 * Time from a flagged assessment to the clinician's alert in the inbox, through the whole local
 * stack: a client POSTs a PHQ-9 with item 9 answered 1 (POST /v1/clients/{id}/assessments) ->
 * the assessment is scored and stored -> the risk-escalation workflow starts on the Step
 * Functions emulator -> ResolveResponsibleClinician, OpenRiskTask, AlertResponsibleClinician ->
 * the SES emulator's store. Sequential (latency, not throughput), after a warm-up; each run
 * has its own client and therapist, so every alert is a first alert.
 *
 *   npm run bench:risk              # BENCH_RISK_ALERTS=30 by default
 *
 * Synthetic people only (@example.com).
 */
import { randomUUID } from 'node:crypto';
import { fetchInbox } from '../local/emulators/ses.js';
import { startLocalStack } from '../local/stack.js';

// The handlers' INFO lines would drown the figures; they are created after this line. The SDK's
// Node 22 notice is known (README); the SDK modules load below, after this line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ALERTS = Number(process.env.BENCH_RISK_ALERTS ?? 30);
const WARM_UP = 3;
const PASSWORD = 'Bench-Password-1!';
const POLL_MS = 5;
const DEADLINE_MS = 15_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: true, log: () => undefined });
// Imported after the stack applied its environment (adapters read it at import).
const { AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } = await import(
  '@aws-sdk/client-cognito-identity-provider'
);
const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
const { createDocumentClient } = await import('../shared/adapters/dynamodb/document-client.js');
const { createClientRepository } = await import('../shared/adapters/dynamodb/client-repository.js');
const { createCareTeamRepository } = await import('../shared/adapters/dynamodb/care-team-repository.js');
const { keys } = await import('../shared/adapters/dynamodb/keys.js');
const { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } = await import('../shared/domain/legal-documents.js');
const { RISK_ALERT_SUBJECT } = await import('../shared/notifications/risk-emails.js');
const { riskTaskIdFor } = await import('../shared/domain/risk-tasks.js');

const tableName = stack.env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const clients = createClientRepository({ documentClient, tableName });
const careTeam = createCareTeamRepository({ documentClient, tableName });
const cognito = new CognitoIdentityProviderClient({});
const run = randomUUID().slice(0, 8);

async function clientIdentity(email: string): Promise<string> {
  const UserPoolId = stack.clientPool.userPoolId;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: PASSWORD, Permanent: true }));
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: 'client' }));
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }));
  const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error(`No sub for ${email}`);
  return sub;
}

/** A client with an assigned therapist, signed in. */
async function prepare(i: number): Promise<{ clientId: string; therapistEmail: string; token: string }> {
  const email = `bench-risk-${run}-${i}@example.com`;
  const clientId = await clientIdentity(email);
  const created = await clients.createClient({
    clientId,
    account: { email, firstName: 'Bench', lastName: `Client${i}`, dateOfBirth: '1990-01-15', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage: 'in_care',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'bench', acceptedAt: new Date().toISOString() },
    requestId: `bench-${run}-${i}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
  });
  if (created.outcome !== 'created') throw new Error(`client not created: ${created.outcome}`);
  const therapistId = randomUUID();
  const therapistEmail = `bench-therapist-${run}-${i}@example.com`;
  await documentClient.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.staffProfile(therapistId), entityType: 'staff', userId: therapistId, role: 'therapist', email: therapistEmail, firstName: 'Bench', lastName: 'Therapist', createdAt: new Date().toISOString() },
    }),
  );
  await careTeam.begin({ clientId, clinicianId: therapistId, kind: 'therapist', startedAt: new Date().toISOString() });
  const login = await fetch(`${stack.apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const tokens = (await login.json()) as { accessToken?: string; tokens?: { accessToken?: string } };
  const token = tokens.accessToken ?? tokens.tokens?.accessToken;
  if (!token) throw new Error(`login failed (${login.status})`);
  return { clientId, therapistEmail, token };
}

const toResponse: number[] = [];
const toAlert: number[] = [];
let failures = 0;
try {
  for (let i = 0; i < WARM_UP + ALERTS; i += 1) {
    const { clientId, therapistEmail, token } = await prepare(i);
    const since = Math.floor(Date.now() / 1000) - 1;
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/v1/clients/${clientId}/assessments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ instrument: 'phq9', answers: [0, 0, 0, 0, 0, 0, 0, 0, 1] }),
    });
    const body = (await response.json()) as { assessmentId?: string };
    const responded = performance.now() - started;
    if (response.status !== 201 || !body.assessmentId) {
      failures += 1;
      continue;
    }
    const link = `/risk-tasks/${riskTaskIdFor({ type: 'assessment', id: body.assessmentId })}`;
    let alerted: number | undefined;
    while (performance.now() - started < DEADLINE_MS) {
      const inbox = await fetchInbox(stack.sesEndpoint, { sinceEpochSeconds: since });
      if (inbox.some((e) => e.subject === RISK_ALERT_SUBJECT && e.destination.to.includes(therapistEmail) && (e.body.text ?? '').includes(link))) {
        alerted = performance.now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    if (alerted === undefined) {
      failures += 1;
      continue;
    }
    if (i >= WARM_UP) {
      toResponse.push(responded);
      toAlert.push(alerted);
    }
  }
} finally {
  cognito.destroy();
  await stack.stop();
}
toResponse.sort((a, b) => a - b);
toAlert.sort((a, b) => a - b);
const figures = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${values.at(-1)?.toFixed(0)} ms`;
console.log(`flagged PHQ-9 -> 201 over ${toResponse.length} submissions (local stack, sequential): ${figures(toResponse)}`);
console.log(`flagged PHQ-9 -> the therapist's alert in the inbox: ${figures(toAlert)}; failures: ${failures}`);
if (failures > 0) process.exitCode = 1;
