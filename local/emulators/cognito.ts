/**
 * cognito-local as a child process, with the two user pools of the service: clients, and
 * staff (the roles that see health data).
 *
 * Differences from Cognito that matter here (cognito-local 5.3.0):
 * - It does NOT enforce the password policy: we still set it (from shared/domain/password-policy.ts)
 *   so the pools describe themselves like the deployed ones, and the API validates passwords
 *   with the same rule before calling Cognito.
 * - MFA cannot be exercised as deployed (MfaConfiguration ON): a user without an enrolled factor
 *   gets NotAuthorizedException where Cognito answers with an MFA_SETUP challenge, and
 *   AssociateSoftwareToken/VerifySoftwareToken refuse a Session (the MFA_SETUP flow); they work
 *   only with an access token. The local staff pool is therefore OPTIONAL: unenrolled staff
 *   (the seeded demo accounts) sign in with a password alone, while a user who enrolled TOTP
 *   with an access token gets the SOFTWARE_TOKEN_MFA challenge. The deployed staff pool
 *   requires MFA (infra/stacks/auth-stack.ts).
 * - A wrong password gives InvalidPasswordException (Cognito: NotAuthorizedException).
 * - Tokens are signed with a key published in the package: a local token proves nothing.
 * - The token issuer is `http://<HOST>:<PORT>/<poolId>` from its environment (so the port must be
 *   known before it starts), while its openid-configuration hard-codes localhost:9229.
 */
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PASSWORD_POLICY } from '../../shared/domain/password-policy.js';
import { STAFF_ROLES, type Role } from '../../shared/domain/roles.js';
import { hasExited, spawnTiedToParent, stopChild, tailOutput } from './child-process.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb.js';
import { portOrFree } from './ports.js';
import { pollUntil } from './wait.js';

export const DEFAULT_COGNITO_PORT = 9229;
export const CLIENT_POOL_NAME = 'moodrx-clients';
export const STAFF_POOL_NAME = 'moodrx-staff';
const APP_CLIENT_NAME = 'moodrx-app';

export interface LocalUserPool {
  userPoolId: string;
  clientId: string;
  /** The `iss` claim of this pool's tokens. */
  issuer: string;
  jwksUrl: string;
}

export interface CognitoEmulator {
  endpoint: string;
  clientPool: LocalUserPool;
  staffPool: LocalUserPool;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Lower precedence wins in Cognito when a user is in several groups; mirrors primaryRole(). */
const GROUP_PRECEDENCE: Readonly<Record<Role, number>> = { admin: 0, supervisor: 1, coordinator: 2, therapist: 3, client: 10 };

const require = createRequire(import.meta.url);

/**
 * @param options.dataDir where cognito-local keeps its pools (it writes `<dataDir>/.cognito/`);
 *   undefined: a temporary folder removed by stop().
 */
export async function startCognito(options: { port?: number; dataDir?: string; deadlineMs?: number } = {}): Promise<CognitoEmulator> {
  const port = await portOrFree(options.port, DEFAULT_COGNITO_PORT);
  const temporary = options.dataDir === undefined;
  const workDir = temporary ? mkdtempSync(join(tmpdir(), 'moodrx-cognito-')) : resolve(options.dataDir as string);
  mkdirSync(workDir, { recursive: true });

  const startScript = join(require.resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');
  const child = spawnTiedToParent(process.execPath, [startScript], {
    cwd: workDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DEBUG: '', COGNITO_LOCAL_DEVMODE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tailOutput(child);
  let spawnFailure: Error | undefined;
  child.once('error', (error) => (spawnFailure = error));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const stop = async (): Promise<void> => {
    client.destroy();
    await stopChild(child);
    if (temporary) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      'cognito-local',
      async () => {
        const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
        if (!response.ok) throw new Error(`health answered ${response.status}`);
      },
      {
        deadlineMs: options.deadlineMs ?? 20_000,
        abortIf: () =>
          spawnFailure ?? (hasExited(child) ? new Error(`cognito-local exited (port ${port} in use?):\n${output()}`) : undefined),
      },
    );
    const clientPool = await ensureUserPool(client, endpoint, CLIENT_POOL_NAME, ['client'], 'OFF');
    const staffPool = await ensureUserPool(client, endpoint, STAFF_POOL_NAME, STAFF_ROLES, 'OPTIONAL');
    return { endpoint, clientPool, staffPool, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Finds the pool by name or creates it, then its app client and groups; safe on every start. */
async function ensureUserPool(
  client: CognitoIdentityProviderClient,
  endpoint: string,
  poolName: string,
  groups: readonly Role[],
  mfa: 'OFF' | 'OPTIONAL',
): Promise<LocalUserPool> {
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((pool) => pool.Name === poolName)?.Id;
  if (!userPoolId) {
    const created = await client.send(
      new CreateUserPoolCommand({
        PoolName: poolName,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        // See the header: never ON here, because cognito-local cannot run MFA enrolment.
        MfaConfiguration: mfa,
        Policies: {
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minLength,
            RequireUppercase: PASSWORD_POLICY.requireUppercase,
            RequireLowercase: PASSWORD_POLICY.requireLowercase,
            RequireNumbers: PASSWORD_POLICY.requireDigits,
            RequireSymbols: PASSWORD_POLICY.requireSymbols,
          },
        },
      }),
    );
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error(`cognito-local created ${poolName} without an id`);
  }

  const appClients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
  let clientId = appClients.UserPoolClients?.find((c) => c.ClientName === APP_CLIENT_NAME)?.ClientId;
  if (!clientId) {
    const created = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: APP_CLIENT_NAME,
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = created.UserPoolClient?.ClientId;
    if (!clientId) throw new Error(`cognito-local created the ${poolName} app client without an id`);
  }

  // CreateGroup in cognito-local overwrites an existing group: create only the missing ones.
  const existing = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId, Limit: 60 }));
  const existingNames = new Set(existing.Groups?.map((g) => g.GroupName));
  for (const group of groups) {
    if (existingNames.has(group)) continue;
    await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group, Precedence: GROUP_PRECEDENCE[group] }));
  }

  return {
    userPoolId,
    clientId,
    issuer: `${endpoint}/${userPoolId}`,
    jwksUrl: `${endpoint}/${userPoolId}/.well-known/jwks.json`,
  };
}
