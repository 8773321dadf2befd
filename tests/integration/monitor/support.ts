/**
 * People for the monitoring tests on the shared local stack: synthetic clients made directly
 * against the emulators (a client identity in the client group and a profile), the demo staff
 * of local/seed.ts signed in, care relationships begun through the care-team repository, and
 * the audit log and Step Functions to look at what the API did. Every client is new and
 * unique per test; nothing assumes an empty table.
 */
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { riskEscalationExecutionName } from '../../../shared/adapters/sfn/risk-escalation-starter.js';
import { executionArnFor } from '../../../shared/adapters/sfn/workflow-starter.js';
import type { CareRelationshipKind } from '../../../shared/domain/access.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../../shared/domain/legal-documents.js';
import type { RiskSource } from '../../../shared/use-cases/ports.js';
import { createTestIdentity, signInDirectly } from '../../support/cognito.js';

const PASSWORD = 'Synthetic-Pass-42!';

let documentClient: ReturnType<typeof createDocumentClient> | undefined;
let sfn: SFNClient | undefined;
const db = () => (documentClient ??= createDocumentClient());
const tableName = () => inject('localStack').env.TABLE_NAME as string;

export const careTeam = () => createCareTeamRepository({ documentClient: db(), tableName: tableName() });
export const auditLog = () => createAuditLog({ documentClient: db(), tableName: tableName() });

export interface Person {
  userId: string;
  email: string;
  token: () => Promise<string>;
}

/** A new client (identity + profile), awaiting their consultation. */
export async function newClient(): Promise<Person> {
  const email = `monitor.${randomUUID().slice(0, 8)}@example.com`;
  const userId = await createTestIdentity({ pool: 'client', email, group: 'client', password: PASSWORD, firstName: 'Quinn', lastName: 'Testfield' });
  const now = new Date().toISOString();
  const created = await createClientRepository({ documentClient: db(), tableName: tableName() }).createClient({
    clientId: userId,
    account: { email, firstName: 'Quinn', lastName: 'Testfield', dateOfBirth: '1991-06-03', clientType: 'individual', state: 'OH', timezone: 'America/New_York' },
    stage: 'awaiting_consultation',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.9', userAgent: 'vitest', acceptedAt: now },
    requestId: `test-${randomUUID().slice(0, 8)}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: now,
    createdAt: now,
  });
  if (created.outcome !== 'created') throw new Error(`Client not created: ${created.outcome}`);
  let cached: string | undefined;
  return { userId, email, token: async () => (cached ??= (await signInDirectly(email, { pool: 'client', password: PASSWORD })).accessToken) };
}

function subOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub?: string };
  if (!payload.sub) throw new Error('A token without a sub');
  return payload.sub;
}

const staffCache = new Map<string, Promise<Person>>();

/** A demo staff member of local/seed.ts (e.g. therapist.oh@example.com), signed in once per file. */
export function demoStaff(email: string): Promise<Person> {
  let person = staffCache.get(email);
  if (!person) {
    person = signInDirectly(email, { pool: 'staff' }).then(({ accessToken }) => ({ userId: subOf(accessToken), email, token: async () => accessToken }));
    staffCache.set(email, person);
  }
  return person;
}

export async function beginCare(clientId: string, clinicianId: string, kind: CareRelationshipKind): Promise<void> {
  const result = await careTeam().begin({ clientId, clinicianId, kind, startedAt: new Date(Date.now() - 60_000).toISOString() });
  if (result.outcome !== 'begun') throw new Error(`Care relationship not begun: ${result.outcome}`);
}

/** The risk-escalation execution of a source record, or undefined when none was started. */
export async function riskEscalationExecution(source: RiskSource): Promise<{ status?: string; input: unknown } | undefined> {
  const arn = executionArnFor(inject('localStack').env.RISK_ESCALATION_STATE_MACHINE_ARN as string, riskEscalationExecutionName(source));
  try {
    const described = await (sfn ??= new SFNClient({})).send(new DescribeExecutionCommand({ executionArn: arn }));
    return { status: described.status, input: JSON.parse(described.input ?? 'null') };
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
    throw error;
  }
}

export function destroyClients(): void {
  documentClient?.destroy();
  sfn?.destroy();
}
