/**
 * A local stack on a controlled clock for the manage benches (bench/plans.ts,
 * bench/session-slots.ts): the demo therapist Priya Natarell (therapist.oh@example.com, Mon-Fri
 * 09:00-17:00 New York) signed in through the API, and synthetic clients in care with her,
 * written straight to the table (no identity: the therapist makes every call). Every name is
 * invented, every email @example.com.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '../local/seed.js';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { VirtualClock } from '../local/clock/virtual-clock.js';
import { createCareTeamRepository } from '../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../shared/adapters/dynamodb/client-repository.js';
import { stageUpdate } from '../shared/adapters/dynamodb/client-stage.js';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.js';
import { keys } from '../shared/adapters/dynamodb/keys.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../shared/domain/legal-documents.js';

// The controlled clock runs in 2027, past the AWS SDK's notice date for Node 20: the notice is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const DAY_MS = 86_400_000;

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function summary(timings: readonly number[]): string {
  const sorted = [...timings].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
}

export interface Clinic {
  stack: LocalStack;
  therapistId: string;
  /** The therapist's access token. */
  token: string;
  /** A client of the therapist since the clock's time now. */
  clientInCare(i: number): Promise<string>;
  /** Calls the API as the therapist; throws unless the answer is 2xx. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** The call's time in ms, with the answer's status checked. */
  timed(path: string): Promise<number>;
  advanceUntil(at: string): Promise<void>;
  stop(): Promise<void>;
}

export async function openClinic(start: string): Promise<Clinic> {
  const clock = new VirtualClock({ mode: 'controlled', start: new Date(start) });
  const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: true, clock, log: () => undefined });
  const documentClient = createDocumentClient();
  const tableName = stack.env.TABLE_NAME as string;
  const clients = createClientRepository({ documentClient, tableName });
  const careTeam = createCareTeamRepository({ documentClient, tableName });
  const run = randomUUID().slice(0, 8);

  const login = await fetch(`${stack.apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'therapist.oh@example.com', password: DEMO_PASSWORD }),
  });
  const { accessToken: token } = (await login.json()) as { accessToken: string };
  const me = (await (await fetch(`${stack.apiUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { userId: string };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  return {
    stack,
    therapistId: me.userId,
    token,
    call,
    async timed(path) {
      const started = performance.now();
      const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
      return ms;
    },
    async clientInCare(i) {
      const clientId = randomUUID();
      const at = clock.now().toISOString();
      const created = await clients.createClient({
        clientId,
        account: { email: `bench-manage-${run}-${i}@example.com`, firstName: 'Bench', lastName: `Client${i}`, dateOfBirth: '1990-01-15', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
        stage: 'awaiting_match',
        consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
        consentContext: { ipAddress: '203.0.113.10', userAgent: 'bench', acceptedAt: at },
        requestId: `bench-${run}-${i}`,
        emailVerifiedAt: at,
        createdAt: at,
      });
      if (created.outcome !== 'created') throw new Error(created.outcome);
      const begun = await careTeam.begin({ clientId, clinicianId: me.userId, kind: 'therapist', startedAt: at });
      if (begun.outcome !== 'begun') throw new Error(begun.outcome);
      const stage = stageUpdate(clientId, 'in_care');
      await documentClient.send(new UpdateCommand({ TableName: tableName, Key: keys.clientProfile(clientId), UpdateExpression: `SET ${stage.set}${stage.remove}`, ExpressionAttributeValues: stage.values }));
      return clientId;
    },
    async advanceUntil(at) {
      await clock.advance({ until: at });
    },
    async stop() {
      documentClient.destroy();
      await stack.stop();
    },
  };
}
