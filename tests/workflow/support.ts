/**
 * Helpers for the workflow and adapter tests: synthetic signup inputs and direct looks at the
 * emulators (user pool, table, Step Functions) through the same SDK clients the adapters use.
 * The local stack's environment (endpoints, table, pools) is in process.env, applied by
 * tests/support/global-setup.ts.
 */
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { emailOwnerItem } from '../../shared/adapters/dynamodb/email-owner-record.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { CURRENT_LEGAL_DOCUMENTS, LEGAL_DOCUMENT_TYPES } from '../../shared/domain/legal-documents.js';
import type { SignupWorkflowInput } from '../../shared/domain/signup-workflow.js';
import type { ExecutionRecord } from '../../local/step-functions/runner.js';
import { EXECUTION_FIELDS, fieldNames } from '../../workflows/execution-data.js';

export const TEST_PASSWORD = 'Synthetic-Pass-42!';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: is tests/support/global-setup.ts the globalSetup?`);
  return value;
}

export const tableName = (): string => required('TABLE_NAME');
export const clientPoolId = (): string => required('CLIENT_USER_POOL_ID');

/** A unique synthetic address per call, so tests never see each other's data. */
export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export function signupInput(overrides: { email?: string; firstName?: string; password?: string } = {}): SignupWorkflowInput {
  return {
    requestId: `test-${randomUUID()}`,
    account: {
      email: overrides.email ?? uniqueEmail('signup'),
      firstName: overrides.firstName ?? 'Avery',
      lastName: 'Testwood',
      dateOfBirth: '1990-04-12',
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/New_York',
    },
    password: overrides.password ?? TEST_PASSWORD,
    consents: LEGAL_DOCUMENT_TYPES.map((document) => ({ document, version: CURRENT_LEGAL_DOCUMENTS[document].version })),
    consentContext: { ipAddress: '203.0.113.7', userAgent: 'vitest', acceptedAt: new Date().toISOString() },
  };
}

let cognito: CognitoIdentityProviderClient | undefined;
let table: DynamoDBDocumentClient | undefined;

export function cognitoClient(): CognitoIdentityProviderClient {
  cognito ??= new CognitoIdentityProviderClient({});
  return cognito;
}

export function tableClient(): DynamoDBDocumentClient {
  table ??= DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return table;
}

/** The client-pool user with this email: its sub, status, attributes and groups; undefined if none. */
export async function findClientUser(email: string): Promise<
  { sub: string; status: string | undefined; attributes: Record<string, string>; groups: string[] } | undefined
> {
  try {
    const user = await cognitoClient().send(new AdminGetUserCommand({ UserPoolId: clientPoolId(), Username: email }));
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name ?? '', a.Value ?? '']));
    // By the pool's own username (the sub): cognito-local 5.3.0 matches group members by the
    // name given, so an email alias would list no groups.
    const groups = await cognitoClient().send(new AdminListGroupsForUserCommand({ UserPoolId: clientPoolId(), Username: user.Username }));
    return { sub: attributes.sub ?? '', status: user.UserStatus, attributes, groups: (groups.Groups ?? []).map((g) => g.GroupName ?? '') };
  } catch (error) {
    if (error instanceof Error && error.name === 'UserNotFoundException') return undefined;
    throw error;
  }
}

/** True when the client pool accepts this email and password. */
export async function canSignIn(email: string, password: string): Promise<boolean> {
  return (await signInGroups(email, password)) !== undefined;
}

/** The `cognito:groups` of the access token the client pool issues for this email and password; undefined if refused. */
export async function signInGroups(email: string, password: string): Promise<string[] | undefined> {
  try {
    const result = await cognitoClient().send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: inject('localStack').clientPool.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = result.AuthenticationResult?.AccessToken;
    if (!token) return undefined;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { 'cognito:groups'?: string[] };
    return claims['cognito:groups'] ?? [];
  } catch (error) {
    if (error instanceof Error && ['NotAuthorizedException', 'InvalidPasswordException', 'UserNotFoundException'].includes(error.name)) return undefined;
    throw error;
  }
}

/** Every item of the client's partition, keyed by SK. */
export async function clientItems(clientId: string): Promise<Map<string, Record<string, unknown>>> {
  const result = await tableClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId) },
      ConsistentRead: true,
    }),
  );
  return new Map((result.Items ?? []).map((item) => [item.SK as string, item]));
}

export async function emailRecord(email: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await tableClient().send(new GetCommand({ TableName: tableName(), Key: keys.emailOwner(email), ConsistentRead: true }));
  return Item;
}

/** Claims an email for a (synthetic) staff member, as the staff directory does. */
export async function claimEmailForStaff(email: string): Promise<string> {
  const staffId = randomUUID();
  await tableClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: emailOwnerItem(email, { userId: staffId, kind: 'staff' }, new Date().toISOString()),
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return staffId;
}

/** A Lambda service error (throttling, a lost response): what Retry is for. */
export function transientLambdaError(): Error {
  const error = new Error('Rate exceeded (simulated)');
  error.name = 'Lambda.TooManyRequestsException';
  return error;
}

/**
 * Every field name in an execution's history - its input, each state's input and output, its
 * output - that workflows/execution-data.ts does not allow (issue 9, finding 8): [] when the
 * execution carried ids, counters, flags and Wait instants only.
 */
export function disallowedHistoryFields(record: Pick<ExecutionRecord, 'input' | 'output' | 'events'>): string[] {
  const found = fieldNames(JSON.parse(record.input) as unknown);
  if (record.output) fieldNames(JSON.parse(record.output) as unknown, found);
  for (const event of record.events) {
    fieldNames(event.state?.input, found);
    fieldNames(event.state?.output, found);
  }
  const allowed = new Set<string>(EXECUTION_FIELDS);
  return [...found].filter((field) => !allowed.has(field)).sort();
}
