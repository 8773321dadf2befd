/**
 * Synthetic demo data, safe to run on every start: staff accounts in the staff user pool and
 * their profiles in the table. Every name and address is invented; every email is @example.com.
 * An account that already exists is left as it is (someone may have changed its password).
 *
 * Runs with the stack environment applied: the SDK clients find the emulators through
 * AWS_ENDPOINT_URL_*, like the application's own adapters.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/adapters/dynamodb/keys.js';
import { passwordProblems } from '../shared/domain/password-policy.js';
import type { StaffRole } from '../shared/domain/roles.js';
import { normalizeEmail } from '../shared/domain/signup.js';

/** The one password of every demo account (printed by `npm start`; synthetic data only). */
export const DEMO_PASSWORD = 'Demo-Password-2026!';

export interface DemoStaffMember {
  email: string;
  role: StaffRole;
  firstName: string;
  lastName: string;
  /** US states where the clinician may practise (two-letter codes). */
  licensedStates: string[];
  timezone: string;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  { email: 'admin@example.com', role: 'admin', firstName: 'Morgan', lastName: 'Ellery', licensedStates: [], timezone: 'America/New_York' },
  { email: 'coordinator@example.com', role: 'coordinator', firstName: 'Jordan', lastName: 'Reyland', licensedStates: ['OH', 'NY'], timezone: 'America/New_York' },
  { email: 'supervisor@example.com', role: 'supervisor', firstName: 'Dana', lastName: 'Whitcombe', licensedStates: ['OH', 'CA', 'NY', 'TX', 'FL'], timezone: 'America/Chicago' },
  { email: 'therapist.oh@example.com', role: 'therapist', firstName: 'Priya', lastName: 'Natarell', licensedStates: ['OH'], timezone: 'America/New_York' },
  { email: 'therapist.ca@example.com', role: 'therapist', firstName: 'Samuel', lastName: 'Okaford', licensedStates: ['CA'], timezone: 'America/Los_Angeles' },
  { email: 'therapist.ny@example.com', role: 'therapist', firstName: 'Elena', lastName: 'Marvell', licensedStates: ['NY', 'FL'], timezone: 'America/New_York' },
  { email: 'therapist.tx@example.com', role: 'therapist', firstName: 'Thomas', lastName: 'Bergstrand', licensedStates: ['TX'], timezone: 'America/Chicago' },
  { email: 'therapist.fl@example.com', role: 'therapist', firstName: 'Aisha', lastName: 'Rahmani', licensedStates: ['FL', 'OH'], timezone: 'America/New_York' },
];

export interface SeedResult {
  /** Identities created by this run (0 on a re-run). */
  createdUsers: number;
  /** Table items written by this run (0 on a re-run). */
  createdItems: number;
}

export async function seedDemoData(options: { staffUserPoolId: string; tableName: string; now?: () => Date }): Promise<SeedResult> {
  if (passwordProblems(DEMO_PASSWORD).length > 0) throw new Error('The demo password must meet the password policy');
  const now = options.now ?? (() => new Date());
  const cognito = new CognitoIdentityProviderClient({});
  const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const result: SeedResult = { createdUsers: 0, createdItems: 0 };
  try {
    for (const member of DEMO_STAFF) {
      const email = normalizeEmail(member.email);
      const { userId, created } = await ensureStaffIdentity(cognito, options.staffUserPoolId, email, member);
      if (created) result.createdUsers += 1;
      const createdAt = now().toISOString();
      const profile = {
        ...keys.staffProfile(userId),
        ...keys.staffByRole(member.role, member.lastName, userId),
        entityType: 'staff',
        userId,
        role: member.role,
        email,
        firstName: member.firstName,
        lastName: member.lastName,
        licensedStates: member.licensedStates,
        timezone: member.timezone,
        createdAt,
      };
      const emailOwner = { ...keys.emailOwner(email), entityType: 'email', email, owner: { userId, kind: 'staff' }, createdAt };
      for (const item of [profile, emailOwner]) {
        if (await putIfAbsent(table, options.tableName, item)) result.createdItems += 1;
      }
    }
  } finally {
    cognito.destroy();
    table.destroy();
  }
  return result;
}

async function ensureStaffIdentity(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  member: DemoStaffMember,
): Promise<{ userId: string; created: boolean }> {
  let created = false;
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'given_name', Value: member.firstName },
          { Name: 'family_name', Value: member.lastName },
        ],
      }),
    );
    created = true;
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  if (created) {
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: email, Password: DEMO_PASSWORD, Permanent: true }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: member.role }));
  }
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  const userId = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!userId) throw new Error(`Demo account ${email} has no sub`);
  return { userId, created };
}

/** True when written; false when the item was already there (never overwritten). */
async function putIfAbsent(table: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await table.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
