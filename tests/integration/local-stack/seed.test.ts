/** The demo data can be seeded on every start: a second run changes nothing. */
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { STAFF_ROLES } from '../../../shared/domain/roles.js';
import { DEMO_STAFF, seedDemoData } from '../../../local/seed.js';

const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.TABLE_NAME as string;

afterAll(() => {
  cognito.destroy();
  table.destroy();
});

const DEMO_EMAILS = new Set(DEMO_STAFF.map((m) => m.email));

/** Demo accounts only: other tests share the stack and create staff of their own (e.g. clinicians). */
async function staffCounts(): Promise<{ users: number; byRole: Record<string, number> }> {
  const UserPoolId = inject('localStack').staffPool.userPoolId;
  const users = await Promise.all(
    [...DEMO_EMAILS].map((Username) => cognito.send(new AdminGetUserCommand({ UserPoolId, Username })).then(() => 1, () => 0)),
  );
  const byRole: Record<string, number> = {};
  for (const role of STAFF_ROLES) {
    const result = await table.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.staffByRole(role, '', '').GSI1PK },
      }),
    );
    byRole[role] = (result.Items ?? []).filter((item) => DEMO_EMAILS.has(item.email as string)).length;
  }
  return { users: users.reduce((a, b) => a + b, 0), byRole };
}

describe('demo data', () => {
  it('has an admin, a coordinator, a supervisor and five therapists, each with a profile and an email record', async () => {
    const counts = await staffCounts();
    expect(counts.byRole).toEqual({ therapist: 5, coordinator: 1, supervisor: 1, admin: 1 });
    const therapistStates = new Set(DEMO_STAFF.filter((m) => m.role === 'therapist').flatMap((m) => m.licensedStates));
    expect(therapistStates).toEqual(new Set(['OH', 'CA', 'NY', 'TX', 'FL']));

    const owner = await table.send(new GetCommand({ TableName: tableName, Key: keys.emailOwner('therapist.oh@example.com') }));
    const userId = (owner.Item?.owner as { userId: string; kind: string }).userId;
    expect(owner.Item?.owner).toEqual({ userId, kind: 'staff' });
    const profile = await table.send(new GetCommand({ TableName: tableName, Key: keys.staffProfile(userId) }));
    expect(profile.Item).toMatchObject({ userId, role: 'therapist', email: 'therapist.oh@example.com', licensedStates: ['OH'] });
  });

  it('is idempotent: seeding again creates nothing and leaves the counts as they were', async () => {
    const before = await staffCounts();
    const again = await seedDemoData({ staffUserPoolId: inject('localStack').staffPool.userPoolId, tableName });
    expect(again).toEqual({ createdUsers: 0, createdItems: 0 });
    expect(await staffCounts()).toEqual(before);
  });
});
