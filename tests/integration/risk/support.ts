/**
 * Synthetic people and risk tasks for the risk-escalation workflow and API tests, made directly
 * against the emulators of the shared local stack. Every name is invented, every email unique
 * @example.com. The shared stack holds other tests' data: nothing here assumes an empty table,
 * and emails are told apart by the task id in their link (they carry nothing else).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { createAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { createCareTeamRepository } from '../../../shared/adapters/dynamodb/care-team-repository.js';
import { createClientRepository } from '../../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createRiskTaskRepository, createStaffDirectory } from '../../../shared/adapters/dynamodb/risk-task-repository.js';
import type { CareRelationshipKind } from '../../../shared/domain/access.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../../shared/domain/legal-documents.js';
import type { StaffRole } from '../../../shared/domain/roles.js';
import { fetchInbox, type InboxEmail } from '../../../local/emulators/ses.js';
import { signInDirectly, createTestIdentity } from '../../support/cognito.js';

export const PASSWORD = 'Synthetic-Pass-42!';

const tableName = () => process.env.TABLE_NAME as string;
let documentClient: ReturnType<typeof createDocumentClient> | undefined;
export const db = () => (documentClient ??= createDocumentClient());

export const repositories = () => ({
  tasks: createRiskTaskRepository({ documentClient: db(), tableName: tableName() }),
  staff: createStaffDirectory({ documentClient: db(), tableName: tableName() }),
  careTeam: createCareTeamRepository({ documentClient: db(), tableName: tableName() }),
  clients: createClientRepository({ documentClient: db(), tableName: tableName() }),
  auditLog: createAuditLog({ documentClient: db(), tableName: tableName() }),
});

export const tag = () => randomUUID().slice(0, 8);

async function createIdentity(pool: 'staff' | 'client', email: string, group: string): Promise<string> {
  return createTestIdentity({ pool, email, group, password: PASSWORD });
}

export interface Person {
  id: string;
  email: string;
  token: () => Promise<string>;
}

function person(id: string, email: string, pool: 'staff' | 'client', password?: string): Person {
  let cached: string | undefined;
  return {
    id,
    email,
    token: async () => (cached ??= (await signInDirectly(email, { pool, ...(password ? { password } : {}) })).accessToken),
  };
}

/**
 * A staff member with a bare staff record (no by-role listing, so no other test's role query
 * ever finds them). `signIn: false` skips the identity (workflow tests need only the record).
 */
export async function createStaff(role: Exclude<StaffRole, 'admin'>, options: { signIn?: boolean } = {}): Promise<Person> {
  const email = `risk.${role}.${tag()}@example.com`;
  const id = options.signIn === false ? randomUUID() : await createIdentity('staff', email, role);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.staffProfile(id), entityType: 'staff', userId: id, role, email, firstName: 'Sam', lastName: `Synth${tag()}`, createdAt: new Date().toISOString() },
    }),
  );
  return person(id, email, 'staff', PASSWORD);
}

/** A seeded demo account (password DEMO_PASSWORD). */
export async function demoStaff(email: string, role: StaffRole): Promise<Person> {
  const found = (await repositories().staff.byRole(role)).find((contact) => contact.email === email);
  if (!found) throw new Error(`No seeded ${role} ${email}`);
  return person(found.staffId, email, 'staff');
}

export const CLIENT_FIRST_NAME = 'Quillon';
export const CLIENT_LAST_NAME = 'Marrowby';

/** A client profile (and, unless `signIn: false`, a client identity with the same id). */
export async function createClient(options: { signIn?: boolean } = {}): Promise<Person> {
  const email = `risk.client.${tag()}@example.com`;
  const id = options.signIn === false ? randomUUID() : await createIdentity('client', email, 'client');
  const created = await repositories().clients.createClient({
    clientId: id,
    account: {
      email,
      firstName: CLIENT_FIRST_NAME,
      lastName: CLIENT_LAST_NAME,
      dateOfBirth: '1990-04-12',
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/New_York',
    },
    stage: 'in_care',
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: new Date().toISOString() },
    requestId: `test-${tag()}`,
    // A signed-up client who has verified the email (issue 9): books and gets emails.
    emailVerifiedAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
  });
  if (created.outcome !== 'created') throw new Error(`Client not created: ${created.outcome}`);
  return person(id, email, 'client', PASSWORD);
}

export async function relate(clientId: string, clinicianId: string, kind: CareRelationshipKind): Promise<void> {
  const result = await repositories().careTeam.begin({ clientId, clinicianId, kind, startedAt: new Date(Date.now() - 60_000).toISOString() });
  if (result.outcome !== 'begun') throw new Error(`Relationship not begun: ${result.outcome}`);
}

/** Emails about this task (its id is in the link), oldest first. */
export async function emailsAbout(taskId: string): Promise<InboxEmail[]> {
  const endpoint = process.env.AWS_ENDPOINT_URL_SES as string;
  return (await fetchInbox(endpoint)).filter((email) => (email.body.text ?? '').includes(`/risk-tasks/${taskId}`));
}

export const recipients = (emails: readonly InboxEmail[]) => emails.flatMap((email) => email.destination.to.map((to) => to.toLowerCase()));
