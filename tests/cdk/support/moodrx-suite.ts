/**
 * The properties of the synthesized app that matter, asserted for one stage. The expected
 * values come from the sources of truth (route table, workflow registry, password policy,
 * capability table, table design), never from infra's own constants, so a drift in infra
 * fails here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_ENVIRONMENT } from '../../../shared/config/environment.js';
import { PASSWORD_POLICY } from '../../../shared/domain/password-policy.js';
import { STAFF_ROLES } from '../../../shared/domain/roles.js';
import { CORS_ALLOWED_HEADERS } from '../../../shared/http/cors.js';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../../../shared/http/problem.js';
import { ROUTES } from '../../../shared/http/routes.js';
import type { Capability } from '../../../shared/platform/capabilities.js';
import { TABLE_DESIGN } from '../../../shared/platform/table-design.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { SCHEDULED_TASKS } from '../../../workflows/schedules.js';
import { STREAM_CONSUMERS } from '../../../workflows/stream-consumers.js';
import { AUDIT_ARCHIVE_RETENTION_DAYS } from '../../../infra/stacks/data-stack.js';
import type { Stage } from '../../../infra/config.js';
import { REPO_ROOT } from '../../../infra/constructs/app-function.js';
import {
  acknowledgements,
  coveringAcknowledgement,
  find,
  props,
  rawFindings,
  resourcesOf,
  synthesize,
  validationReport,
  type CfnResourceJson,
  type Concern,
  type Synthesized,
} from './synth.js';

/**
 * What each function may do to the table, reviewed by a person: function id -> (partition-key
 * pattern -> actions) on the table, and the GSI1 partitions it may query. Any drift of the
 * synthesized policies from this file fails; a change to it is a change of permissions.
 */
const TABLE_PERMISSIONS_FIXTURE = path.join(REPO_ROOT, 'tests/cdk/fixtures/table-permissions.json');
/** capabilities.ts, table:stream row: what the event source mapping calls on the stream. */
const TABLE_STREAM = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

interface TablePermissions {
  table: Record<string, string[]>;
  index?: string[];
}
const ACCESS_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';
/** The web app of each stage (issue 9): the only origin a browser may call the API from. */
const STAGE_CORS_ORIGINS: Record<Stage, readonly string[]> = {
  dev: ['https://dev.moodrx.example'],
  prod: ['https://app.moodrx.example'],
};

interface DeployedFunction {
  readonly concern: Concern;
  readonly logicalId: string;
  readonly name: string;
  readonly resource: CfnResourceJson;
  readonly capabilities: readonly Capability[];
  readonly statements: Statement[];
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const resourcesOfStatement = (statement: Statement): unknown[] => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);
const json = (value: unknown): string => JSON.stringify(value);
const isTableArn = (resource: unknown): boolean => /Table[0-9A-F]{8}Arn/.test(json(resource)) && !json(resource).includes('/index/');
const isIndexArn = (resource: unknown): boolean => /Table[0-9A-F]{8}Arn/.test(json(resource)) && json(resource).includes('/index/GSI1');

/** The Allow statements on the table and its index, as the fixture states them. */
function tablePermissionsOf(fn: DeployedFunction): TablePermissions | undefined {
  const table: Record<string, Set<string>> = {};
  const index = new Set<string>();
  // The stream statement (table:stream) is not an item grant: checked on its own below.
  const itemGrants = fn.statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('dynamodb:')) && !actionsOf(s).every((a) => TABLE_STREAM.includes(a)));
  for (const statement of itemGrants) {
    const condition = statement.Condition ?? {};
    const leadingKeys = Object.values(condition).flatMap((c) => [c['dynamodb:LeadingKeys']].flat()) as string[];
    expect(leadingKeys.length, `${fn.name}: every table grant names its partitions`).toBeGreaterThan(0);
    expect(Object.keys(condition).sort(), fn.name).toEqual([expect.stringMatching(/^ForAllValues:String(Like|Equals)$/)]);
    for (const resource of resourcesOfStatement(statement)) {
      if (isIndexArn(resource)) {
        expect(actionsOf(statement), `${fn.name}: the index is only queried`).toEqual(['dynamodb:Query']);
        leadingKeys.forEach((k) => index.add(k));
      } else {
        expect(isTableArn(resource), `${fn.name}: ${json(resource)}`).toBe(true);
        for (const key of leadingKeys) {
          const actions = (table[key] ??= new Set<string>());
          actionsOf(statement).forEach((a) => actions.add(a.replace('dynamodb:', '')));
        }
      }
    }
  }
  if (Object.keys(table).length === 0 && index.size === 0) return undefined;
  return {
    table: Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()])),
    ...(index.size > 0 ? { index: [...index].sort() } : {}),
  };
}

/** Every function the registry and the route table declare: name -> capabilities. */
function declaredFunctions(stage: Stage): Map<string, readonly Capability[]> {
  const declared = new Map<string, readonly Capability[]>();
  for (const route of ROUTES) declared.set(`moodrx-${stage}-${route.id}`, route.capabilities);
  for (const workflow of Object.values(WORKFLOWS)) {
    for (const task of Object.values(workflow.tasks)) declared.set(`moodrx-${stage}-${task.id}`, task.capabilities);
  }
  for (const task of Object.values(SCHEDULED_TASKS)) declared.set(`moodrx-${stage}-${task.id}`, task.capabilities);
  for (const consumer of Object.values(STREAM_CONSUMERS)) declared.set(`moodrx-${stage}-${consumer.id}`, consumer.capabilities);
  return declared;
}

function deployedFunctions(synth: Synthesized): DeployedFunction[] {
  const declared = declaredFunctions(synth.config.stage);
  const result: DeployedFunction[] = [];
  for (const concern of Object.keys(synth.templates) as Concern[]) {
    const template = synth.templates[concern];
    const policies = Object.values(find(template, 'AWS::IAM::ManagedPolicy'));
    for (const [logicalId, resource] of Object.entries(find(template, 'AWS::Lambda::Function'))) {
      const name = props(resource).FunctionName as string;
      const roleId = (props(resource).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = policies
        .filter((policy) => json(props(policy).Roles).includes(`"${roleId}"`))
        .flatMap((policy) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement);
      result.push({ concern, logicalId, name, resource, capabilities: declared.get(name) ?? [], statements });
    }
  }
  return result;
}

/** The functions behind routes that take a token (the authorizer's). */
function protectedRouteFunctions(stage: Stage): Set<string> {
  return new Set(ROUTES.filter((route) => route.access !== 'public').map((route) => `moodrx-${stage}-${route.id}`));
}

/** `/v1/auth/login` for each AWS::ApiGateway::Resource of the API template. */
function resourcePaths(synth: Synthesized): Map<string, string> {
  const resources = find(synth.templates.api, 'AWS::ApiGateway::Resource');
  const paths = new Map<string, string>();
  const pathOf = (logicalId: string): string => {
    const known = paths.get(logicalId);
    if (known) return known;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`No API resource ${logicalId}`);
    const parent = props(resource).ParentId as { Ref?: string };
    const prefix = parent.Ref ? pathOf(parent.Ref) : '';
    const full = `${prefix}/${props(resource).PathPart as string}`;
    paths.set(logicalId, full);
    return full;
  };
  for (const logicalId of Object.keys(resources)) pathOf(logicalId);
  return paths;
}

export function describeMoodRx(stage: Stage): void {
  let synth: Synthesized;
  let functions: DeployedFunction[];

  beforeAll(() => {
    synth = synthesize(stage);
    functions = deployedFunctions(synth);
  });

  describe(`cdk-nag (${stage})`, () => {
    it('leaves no finding unacknowledged, warnings included', () => {
      // synth() throws on an error finding (in-memory app mode); warnings only reach the report.
      const report = validationReport(synth);
      expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    });

    it('acknowledges only what the packs actually find, each with a reason', () => {
      const findings = rawFindings(synth);
      const acks = acknowledgements(synth);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.filter((f) => !coveringAcknowledgement(acks, f))).toEqual([]);
      const used = new Set(findings.map((f) => coveringAcknowledgement(acks, f)));
      expect(acks.filter((a) => !used.has(a)).map((a) => `${a.rule} @ ${a.path}`)).toEqual([]);
      for (const ack of acks) expect(ack.reason.length, `${ack.rule} @ ${ack.path}`).toBeGreaterThan(40);
    });

    it('never acknowledges a wildcard IAM action or a table wildcard', () => {
      const wildcardAcks = acknowledgements(synth).filter((a) => a.rule.startsWith('AwsSolutions-IAM5'));
      expect(wildcardAcks.filter((a) => a.rule.includes('Action::'))).toEqual([]);
      expect(wildcardAcks.filter((a) => /Table|dynamodb/i.test(a.rule))).toEqual([]);
    });
  });

  describe(`user pools (${stage})`, () => {
    const pools = (): Record<string, CfnResourceJson> => find(synth.templates.auth, 'AWS::Cognito::UserPool');
    const pool = (name: string): Record<string, unknown> => {
      const found = Object.values(pools()).find((p) => props(p).UserPoolName === `moodrx-${stage}-${name}`);
      if (!found) throw new Error(`no ${name} pool`);
      return props(found);
    };

    it('have the password policy of shared/domain/password-policy.ts, both of them', () => {
      expect(Object.keys(pools())).toHaveLength(2);
      for (const p of Object.values(pools())) {
        expect(props(p).Policies).toMatchObject({
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minLength,
            RequireUppercase: PASSWORD_POLICY.requireUppercase,
            RequireLowercase: PASSWORD_POLICY.requireLowercase,
            RequireNumbers: PASSWORD_POLICY.requireDigits,
            RequireSymbols: PASSWORD_POLICY.requireSymbols,
          },
        });
      }
    });

    it('require TOTP MFA (and only TOTP) in the staff pool', () => {
      expect(pool('staff').MfaConfiguration).toBe('ON');
      expect(pool('staff').EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    });

    it('let clients turn on TOTP MFA (optional, TOTP only: no SMS)', () => {
      expect(pool('clients').MfaConfiguration).toBe('OPTIONAL');
      expect(pool('clients').EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    });

    it('let a retried CreateIdentity recognize its own user (custom:signupRequestId)', () => {
      expect(pool('clients').Schema).toEqual(
        expect.arrayContaining([expect.objectContaining({ Name: 'signupRequestId', AttributeDataType: 'String', Mutable: true })]),
      );
    });

    it('sign clients in by email, case-insensitively, with no self sign-up', () => {
      const clients = pool('clients');
      expect(clients.UsernameAttributes).toEqual(['email']);
      expect(clients.UsernameConfiguration).toEqual({ CaseSensitive: false });
      expect(clients.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
      expect(clients.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
    });

    it('run on the Plus plan with threat protection', () => {
      for (const name of ['clients', 'staff']) {
        expect(pool(name).UserPoolTier).toBe('PLUS');
        expect(pool(name).UserPoolAddOns).toEqual({ AdvancedSecurityMode: synth.config.threatProtection === 'enforced' ? 'ENFORCED' : 'AUDIT' });
      }
    });

    it('have the role groups in the right pools', () => {
      const groups = Object.values(find(synth.templates.auth, 'AWS::Cognito::UserPoolGroup')).map((g) => ({
        name: props(g).GroupName,
        pool: json(props(g).UserPoolId),
      }));
      expect(groups.filter((g) => g.pool.includes('ClientUserPool')).map((g) => g.name)).toEqual(['client']);
      expect(groups.filter((g) => g.pool.includes('StaffUserPool')).map((g) => g.name).sort()).toEqual([...STAFF_ROLES].sort());
    });

    it('have public app clients for the password flow with short access tokens, revocable refresh tokens', () => {
      const clients = Object.values(find(synth.templates.auth, 'AWS::Cognito::UserPoolClient')).map(props);
      expect(clients).toHaveLength(2);
      for (const client of clients) {
        expect(client).toMatchObject({
          GenerateSecret: false,
          PreventUserExistenceErrors: 'ENABLED',
          AccessTokenValidity: 60,
          EnableTokenRevocation: true,
          TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
        });
        expect((client.ExplicitAuthFlows as string[]).sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
        expect(client.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
      }
    });

    it('keep staff signed in for a working day (12 h refresh tokens), clients for 30 days', () => {
      const refreshMinutes = (pool: string): unknown =>
        Object.values(find(synth.templates.auth, 'AWS::Cognito::UserPoolClient'))
          .map(props)
          .find((client) => json(client.UserPoolId).includes(pool))?.RefreshTokenValidity;
      expect(refreshMinutes('StaffUserPool')).toBe(12 * 60);
      expect(refreshMinutes('ClientUserPool')).toBe(30 * 24 * 60);
    });

    // Issue 9, finding 11: without WriteAttributes an app client lets a signed-in user write every
    // mutable attribute with their own access token (UpdateUserAttributes): their sign-in email,
    // unverified, and custom:signupRequestId, which signup trusts.
    it('let a signed-in user write no attribute but locale (not email, names or custom:signupRequestId)', () => {
      const clients = Object.values(find(synth.templates.auth, 'AWS::Cognito::UserPoolClient')).map(props);
      expect(clients).toHaveLength(2);
      for (const client of clients) expect(client.WriteAttributes).toEqual(['locale']);
    });

    it('keep the verified email until a new one is verified, in both pools', () => {
      for (const name of ['clients', 'staff']) {
        expect(pool(name).UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
        expect(pool(name).AutoVerifiedAttributes).toEqual(['email']);
      }
    });
  });

  describe(`table (${stage})`, () => {
    const table = (): [string, CfnResourceJson] => {
      const tables = Object.entries(find(synth.templates.data, 'AWS::DynamoDB::Table'));
      expect(tables).toHaveLength(1);
      return tables[0]!;
    };

    it('is the table design: PK/SK, GSI1, TTL, on demand', () => {
      const p = props(table()[1]);
      expect(p.KeySchema).toEqual([
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ]);
      expect(p.GlobalSecondaryIndexes).toEqual(
        TABLE_DESIGN.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true });
      expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    });

    it('has point-in-time recovery and a daily backup plan', () => {
      expect(props(table()[1]).PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      const selections = Object.values(find(synth.templates.data, 'AWS::Backup::BackupSelection'));
      expect(json(selections)).toContain(table()[0]);
    });

    it('is encrypted with its customer-managed key, which rotates', () => {
      const keys = find(synth.templates.data, 'AWS::KMS::Key');
      const sse = props(table()[1]).SSESpecification as { KMSMasterKeyId: { 'Fn::GetAtt': [string, string] } };
      expect(sse).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      const keyId = sse.KMSMasterKeyId['Fn::GetAtt'][0];
      expect(props(keys[keyId]!).EnableKeyRotation).toBe(true);
    });

    it('backs up into a vault with its own rotating key (not the table key) and a vault lock', () => {
      const vaults = Object.values(find(synth.templates.data, 'AWS::Backup::BackupVault'));
      expect(vaults).toHaveLength(1);
      const vault = props(vaults[0]!);
      const vaultKeyId = (vault.EncryptionKeyArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const tableKeyId = (props(table()[1]).SSESpecification as { KMSMasterKeyId: { 'Fn::GetAtt': [string, string] } }).KMSMasterKeyId['Fn::GetAtt'][0];
      expect(vaultKeyId).not.toBe(tableKeyId);
      expect(props(find(synth.templates.data, 'AWS::KMS::Key')[vaultKeyId]!).EnableKeyRotation).toBe(true);
      // Compliance mode (immutable after 3 days) where the stage retains its data; governance mode otherwise.
      expect(vault.LockConfiguration).toEqual({
        MinRetentionDays: synth.config.backupRetentionDays,
        ...(synth.config.removalPolicy === 'retain' ? { ChangeableForDays: 3 } : {}),
      });
    });

    it('records every item-level call on the table as CloudTrail data events, in an encrypted, validated trail', () => {
      const trails = Object.values(find(synth.templates.data, 'AWS::CloudTrail::Trail')).map(props);
      expect(trails).toHaveLength(1);
      const trail = trails[0]!;
      expect(trail.AdvancedEventSelectors).toEqual([
        {
          Name: expect.any(String),
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
            { Field: 'resources.ARN', Equals: [{ 'Fn::GetAtt': [table()[0], 'Arn'] }] },
          ],
        },
      ]);
      expect(trail).toMatchObject({ IsLogging: true, EnableLogFileValidation: true, KMSKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
      const bucketId = (trail.S3BucketName as { Ref: string }).Ref;
      const bucket = props(find(synth.templates.data, 'AWS::S3::Bucket')[bucketId]!);
      expect(json(bucket.BucketEncryption)).toContain('"SSEAlgorithm":"aws:kms"');
      expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    });

    it(`follows the stage on deletion (protection ${stage === 'prod' ? 'on, retained' : 'off, destroyed'})`, () => {
      const [, resource] = table();
      expect(props(resource).DeletionProtectionEnabled).toBe(stage === 'prod');
      expect(resource.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    });
  });

  describe(`audit chain (${stage})`, () => {
    const macActions = ['kms:GenerateMac', 'kms:VerifyMac'];
    const auditKeyId = (): string => {
      const keys = Object.keys(find(synth.templates.data, 'AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256' } }));
      expect(keys).toHaveLength(1);
      return keys[0]!;
    };

    it('is keyed with a KMS HMAC key (HMAC_256, GENERATE_VERIFY_MAC) that outlives the stack', () => {
      const key = find(synth.templates.data, 'AWS::KMS::Key')[auditKeyId()]!;
      expect(props(key)).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
      expect(key.DeletionPolicy).toBe('Retain');
      // The key policy delegates to IAM (the account root) and names no other principal.
      const statements = (props(key).KeyPolicy as { Statement: { Principal?: unknown }[] }).Statement;
      expect(statements.map((st) => json(st.Principal))).toEqual([expect.stringMatching(/:root/)]);
    });

    it('lets only the audit writers GenerateMac and only the verifier VerifyMac, on that key only', () => {
      const writers = functions.filter((fn) => fn.capabilities.includes('audit:write'));
      const verifiers = functions.filter((fn) => fn.capabilities.includes('audit:verify'));
      expect(writers.length).toBeGreaterThan(10);
      expect(verifiers.map((fn) => fn.name)).toEqual([`moodrx-${stage}-${SCHEDULED_TASKS.verifyAuditChains.id}`]);
      for (const fn of functions) {
        const granted = fn.statements.filter((st) => actionsOf(st).some((a) => macActions.includes(a)));
        expect(granted.flatMap(actionsOf).sort(), fn.name).toEqual([
          ...(fn.capabilities.includes('audit:write') || fn.capabilities.includes('audit:write-staff') ? ['kms:GenerateMac'] : []),
          ...(fn.capabilities.includes('audit:verify') ? ['kms:VerifyMac'] : []),
        ]);
        for (const statement of granted) {
          expect(resourcesOfStatement(statement), fn.name).toHaveLength(1);
          expect(json(statement.Resource), fn.name).toMatch(/AuditMacKey/);
        }
      }
      // No other policy in the app (schedules, state machines, services) mentions the MAC actions.
      const functionStatements = new Set(functions.flatMap((fn) => fn.statements.map(json)));
      const elsewhere = [...resourcesOf(synth, 'AWS::IAM::ManagedPolicy'), ...resourcesOf(synth, 'AWS::IAM::Policy')]
        .flatMap(([, policy]) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((st) => !functionStatements.has(json(st)) && actionsOf(st).some((a) => macActions.includes(a) || a === 'kms:*'));
      expect(elsewhere).toEqual([]);
    });

    it('verifies every chain daily with a read-only verifier whose failures and findings alarm', () => {
      const verifier = SCHEDULED_TASKS.verifyAuditChains;
      expect(verifier.capabilities).toEqual(['audit:verify']);
      const fn = functions.find((f) => f.name === `moodrx-${stage}-${verifier.id}`)!;
      expect(fn.statements.filter((st) => st.Effect === 'Allow').flatMap(actionsOf).filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
      const alarms = Object.values(find(synth.templates.monitoring, 'AWS::CloudWatch::Alarm', { Properties: { AlarmName: `moodrx-${stage}-audit-chain-broken` } })).map(props);
      expect(alarms).toHaveLength(1);
      const alarm = alarms[0]!;
      expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const metrics = (alarm.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } } }[])
        .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
      expect(metrics.map((m) => m.MetricName).sort()).toEqual(['AuditChainsBroken', 'AuditChainsUnverified']);
      for (const metric of metrics) expect(metric).toMatchObject({ Namespace: 'MoodRx', Dimensions: [{ Name: 'service', Value: 'moodrx' }] });
      expect(props(fn.resource).Environment).toMatchObject({ Variables: { POWERTOOLS_METRICS_NAMESPACE: 'MoodRx', POWERTOOLS_SERVICE_NAME: 'moodrx' } });
      const errors = Object.values(find(synth.templates.monitoring, 'AWS::CloudWatch::Alarm', { Properties: { AlarmName: `moodrx-${stage}-${verifier.id}-errors` } }));
      expect(errors).toHaveLength(1);
    });
  });

  describe(`psychotherapy notes (${stage})`, () => {
    const noteFunctions = () => functions.filter((fn) => fn.capabilities.includes('notes:psychotherapy'));

    it('have a KMS key of their own, rotated and retained', () => {
      const keys = Object.entries(find(synth.templates.data, 'AWS::KMS::Key')).filter(([id]) => /PsychotherapyNoteKey/.test(id));
      expect(keys).toHaveLength(1);
      const [, key] = keys[0]!;
      expect(props(key)).toMatchObject({ EnableKeyRotation: true });
      expect(key.DeletionPolicy).toBe('Retain');
    });

    it('only the psychotherapy-note functions may use the key (GenerateDataKey and Decrypt, purpose psychotherapy-note) and reach PSYNOTE#', () => {
      expect(noteFunctions().map((fn) => fn.name).sort()).toEqual(
        ['create-psychotherapy-note', 'get-psychotherapy-note', 'list-psychotherapy-notes'].map((id) => `moodrx-${stage}-${id}`),
      );
      for (const fn of functions) {
        const onKey = fn.statements.filter((st) => /PsychotherapyNoteKey/.test(json(st.Resource)));
        const onPartition = fn.statements.filter((st) => st.Effect === 'Allow' && (json(st.Condition) ?? '').includes('PSYNOTE#'));
        if (!fn.capabilities.includes('notes:psychotherapy')) {
          expect(onKey, fn.name).toEqual([]);
          expect(onPartition, fn.name).toEqual([]);
          continue;
        }
        expect(onKey, fn.name).toHaveLength(1);
        expect(actionsOf(onKey[0]!).sort(), fn.name).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
        expect(resourcesOfStatement(onKey[0]!), fn.name).toHaveLength(1);
        expect(onKey[0]!.Condition, fn.name).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': 'psychotherapy-note' } });
        expect(onPartition.length, fn.name).toBeGreaterThan(0);
        // Never a delete or batch write there.
        expect(onPartition.flatMap(actionsOf).filter((a) => /Delete|BatchWrite/.test(a)), fn.name).toEqual([]);
      }
      // No policy outside the functions (state machines, schedules, services) names the key.
      const functionStatements = new Set(functions.flatMap((fn) => fn.statements.map(json)));
      const elsewhere = [...resourcesOf(synth, 'AWS::IAM::ManagedPolicy'), ...resourcesOf(synth, 'AWS::IAM::Policy')]
        .flatMap(([, policy]) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((st) => !functionStatements.has(json(st)) && /PsychotherapyNoteKey/.test(json(st.Resource)));
      expect(elsewhere).toEqual([]);
    });
  });

  describe(`audit archive (${stage})`, () => {
    const archiver = (): DeployedFunction => functions.find((f) => f.name === `moodrx-${stage}-${STREAM_CONSUMERS.archiveAuditEvents.id}`)!;
    const archiveBucket = (): [string, CfnResourceJson] => {
      const buckets = Object.entries(find(synth.templates.data, 'AWS::S3::Bucket')).filter(([, b]) => props(b).ObjectLockEnabled === true);
      expect(buckets).toHaveLength(1);
      return buckets[0]!;
    };

    it('is write-once: Object Lock in COMPLIANCE mode for 6 years (2192 days), versioned, retained', () => {
      const [, bucket] = archiveBucket();
      expect(AUDIT_ARCHIVE_RETENTION_DAYS).toBe(2192);
      expect(props(bucket).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } } });
      expect(props(bucket).VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
    });

    it('is encrypted with its own rotating, retained KMS key, private, SSL-only, with server access logs', () => {
      const [bucketId, bucket] = archiveBucket();
      const encryption = (props(bucket).BucketEncryption as { ServerSideEncryptionConfiguration: Record<string, unknown>[] }).ServerSideEncryptionConfiguration;
      expect(encryption).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^AuditArchiveKey/), 'Arn'] } }, BucketKeyEnabled: true }]);
      const keyId = (encryption[0]!.ServerSideEncryptionByDefault as { KMSMasterKeyID: { 'Fn::GetAtt': [string, string] } }).KMSMasterKeyID['Fn::GetAtt'][0];
      const key = find(synth.templates.data, 'AWS::KMS::Key')[keyId]!;
      expect(props(key).EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
      const tableSse = props(Object.values(find(synth.templates.data, 'AWS::DynamoDB::Table'))[0]!).SSESpecification as { KMSMasterKeyId: { 'Fn::GetAtt': [string, string] } };
      expect(tableSse.KMSMasterKeyId['Fn::GetAtt'][0]).not.toBe(keyId);
      expect(props(bucket).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      const policies = Object.values(find(synth.templates.data, 'AWS::S3::BucketPolicy')).map(props).filter((p) => json(p.Bucket) === json({ Ref: bucketId }));
      expect(policies).toHaveLength(1);
      const statements = (policies[0]!.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }).Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const logging = props(bucket).LoggingConfiguration as { DestinationBucketName: { Ref: string } };
      const logs = find(synth.templates.data, 'AWS::S3::Bucket')[logging.DestinationBucketName.Ref]!;
      expect(props(logs).PublicAccessBlockConfiguration).toEqual(props(bucket).PublicAccessBlockConfiguration);
      expect(logs.DeletionPolicy).toBe('Retain');
    });

    it('is fed from the table stream (NEW_IMAGE) through a filter that passes new audit events only, with partial batch failures', () => {
      const table = props(Object.values(find(synth.templates.data, 'AWS::DynamoDB::Table'))[0]!);
      expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      const mappings = resourcesOf(synth, 'AWS::Lambda::EventSourceMapping');
      expect(mappings).toHaveLength(1);
      const mapping = props(mappings[0]![1]);
      expect(json(mapping.FunctionName)).toContain(archiver().logicalId);
      expect(json(mapping.EventSourceArn)).toMatch(/Table[0-9A-F]{8}StreamArn/);
      const filters = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
      expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['audit-event', 'staff-audit-event'] } } } },
      ]);
      expect(mapping).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: STREAM_CONSUMERS.archiveAuditEvents.retryAttempts,
        ParallelizationFactor: 1,
      });
      const destination = (mapping.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } }).OnFailure.Destination['Fn::GetAtt'][0];
      const queue = find(synth.templates.workflows, 'AWS::SQS::Queue')[destination]!;
      expect(props(queue)).toMatchObject({ QueueName: `moodrx-${stage}-archive-audit-events-failures`, SqsManagedSseEnabled: true });
      // Only the archiver reads the stream.
      const readers = functions.filter((fn) => fn.statements.some((st) => actionsOf(st).includes('dynamodb:GetRecords')));
      expect(readers.map((fn) => fn.name)).toEqual([archiver().name]);
    });

    it('lets the archiver put objects into that bucket only: no read, delete, retention, legal hold or bypass', () => {
      const fn = archiver();
      const s3 = fn.statements.filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
      expect(s3.flatMap(actionsOf)).toEqual(['s3:PutObject']);
      // The bucket by its deterministic name (no export), every object of it and nothing else.
      const bucketName = json(props(archiveBucket()[1]).BucketName);
      expect(bucketName).toContain(`moodrx-${stage}-audit-archive-`);
      expect(s3.flatMap(resourcesOfStatement).map(json)).toEqual([expect.stringMatching(new RegExp(`:s3:::moodrx-${stage}-audit-archive-.*/\\*"\\]\\]\\}$`))]);
      expect(json(props(fn.resource).Environment)).toContain(`moodrx-${stage}-audit-archive-`);
      const actions = fn.statements.flatMap(actionsOf);
      for (const forbidden of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention', 's3:GetObject', 's3:PutBucketObjectLockConfiguration']) {
        expect(actions).not.toContain(forbidden);
      }
      // It reads the stream, never the table's items.
      expect(tablePermissionsOf(fn)).toBeUndefined();
      const archiveKey = fn.statements.filter((st) => json(st.Resource).includes('AuditArchiveKey'));
      expect(archiveKey.flatMap(actionsOf)).toEqual(['kms:GenerateDataKey']);
      // No other function touches the archive or its key.
      for (const other of functions.filter((f) => f !== fn)) {
        expect(other.statements.filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')) || /AuditArchive|audit-archive/.test(json(st.Resource))), other.name).toEqual([]);
      }
    });

    it('alarms on the failure queue and on a stream consumer falling behind', () => {
      const alarms = Object.values(find(synth.templates.monitoring, 'AWS::CloudWatch::Alarm')).map(props);
      const queueAlarm = alarms.find((a) => a.AlarmName === `moodrx-${stage}-archive-audit-events-failures`);
      expect(queueAlarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: `moodrx-${stage}-archive-audit-events-failures` }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      const ageAlarm = alarms.find((a) => a.AlarmName === `moodrx-${stage}-archive-audit-events-iterator-age`);
      expect(ageAlarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Dimensions: [{ Name: 'FunctionName', Value: archiver().name }] });
    });
  });

  describe(`functions (${stage})`, () => {
    it('exist once per route and per workflow task, and nothing else', () => {
      expect(functions.map((f) => f.name).sort()).toEqual([...declaredFunctions(stage).keys()].sort());
    });

    it('run the newest Node.js runtime on arm64, traced, logging to their own group', () => {
      for (const fn of functions) {
        expect(props(fn.resource), fn.name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('get exactly the environment their capabilities imply, plus Powertools settings', () => {
      for (const fn of functions) {
        const variables = (props(fn.resource).Environment as { Variables: Record<string, unknown> }).Variables;
        const expected = new Set<string>(fn.capabilities.flatMap((c) => CAPABILITY_ENVIRONMENT[c]));
        expected.add('POWERTOOLS_SERVICE_NAME').add('POWERTOOLS_METRICS_NAMESPACE').add('POWERTOOLS_LOG_LEVEL');
        // A handler of a route that takes a token checks its client_id against the app clients.
        if (protectedRouteFunctions(stage).has(fn.name)) expected.add('CLIENT_USER_POOL_CLIENT_ID').add('STAFF_USER_POOL_CLIENT_ID');
        // API functions answer browsers: the stage's CORS allow-list (shared/config/cors.ts).
        const isRoute = ROUTES.some((route) => fn.name === `moodrx-${stage}-${route.id}`);
        if (isRoute) expected.add('CORS_ALLOWED_ORIGINS');
        // The progress-review email task: what it may say about a client (infra/config.ts progressReviewIdentifiers).
        if (fn.name === `moodrx-${stage}-${WORKFLOWS.progressReviews.tasks.SendReviewEmailFunctionArn.id}`) expected.add('PROGRESS_REVIEW_IDENTIFIERS');
        expect(Object.keys(variables).sort(), fn.name).toEqual([...expected].sort());
        if (isRoute) expect(variables.CORS_ALLOWED_ORIGINS, fn.name).toBe(STAGE_CORS_ORIGINS[stage].join(','));
        expect(variables.POWERTOOLS_SERVICE_NAME).toBe('moodrx');
        expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('MoodRx');
        if ('EMAIL_FROM' in variables) expect(variables.EMAIL_FROM).toBe(synth.config.emailFrom);
        if ('SES_CONFIGURATION_SET' in variables) expect(variables.SES_CONFIGURATION_SET).toBe(`moodrx-${stage}-email`);
      }
    });

    it('that serve a route with a token know both app clients, so the handler can refuse a token of another client', () => {
      const names = protectedRouteFunctions(stage);
      expect(names.size).toBeGreaterThan(10);
      const clientIds = Object.keys(find(synth.templates.auth, 'AWS::Cognito::UserPoolClient'));
      const appClient = (pool: string): string => clientIds.find((id) => id.includes(pool))!;
      for (const fn of functions.filter((f) => names.has(f.name))) {
        const variables = (props(fn.resource).Environment as { Variables: Record<string, unknown> }).Variables;
        expect(json(variables.CLIENT_USER_POOL_CLIENT_ID), fn.name).toContain(appClient('ClientUserPool'));
        expect(json(variables.STAFF_USER_POOL_CLIENT_ID), fn.name).toContain(appClient('StaffUserPool'));
      }
    });

    it('are bundled as ESM with the AWS SDK inside and a require shim', () => {
      for (const fn of functions) {
        const key = (props(fn.resource).Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
        const bundle = path.join(synth.outdir, `asset.${key}`, 'index.mjs');
        expect(existsSync(bundle), fn.name).toBe(true);
        const code = readFileSync(bundle, 'utf8');
        expect(code.startsWith('import { createRequire as __moodrxCreateRequire }'), fn.name).toBe(true);
        expect(code, fn.name).not.toMatch(/from\s*["']@aws-sdk\//);
      }
    });

    it('carry no local-only code: no clock control, no virtual clock, no emulator (time in AWS is the system clock)', () => {
      for (const fn of functions) {
        const key = (props(fn.resource).Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
        const code = readFileSync(path.join(synth.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
        expect(code, fn.name).not.toMatch(/\/local\/clock|VirtualClock|ClockNotControlledError|aws-local-stepfunctions|aws-ses-v2-local/);
      }
    });
  });

  describe(`IAM (${stage})`, () => {
    const allStatements = (): Statement[] =>
      [...resourcesOf(synth, 'AWS::IAM::ManagedPolicy'), ...resourcesOf(synth, 'AWS::IAM::Policy')].flatMap(
        ([, policy]) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement,
      );

    it('has no inline policies (HIPAA) and no wildcard action anywhere', () => {
      expect(resourcesOf(synth, 'AWS::IAM::Policy')).toEqual([]);
      const actions = allStatements().flatMap(actionsOf);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions).not.toContain('dynamodb:Scan');
    });

    it('grants each function exactly the table actions and partitions of the reviewed fixture', () => {
      const expected = JSON.parse(readFileSync(TABLE_PERMISSIONS_FIXTURE, 'utf8')) as Record<string, TablePermissions>;
      const actual: Record<string, TablePermissions> = {};
      for (const fn of [...functions].sort((a, b) => a.name.localeCompare(b.name))) {
        const permissions = tablePermissionsOf(fn);
        if (permissions) actual[fn.name.replace(`moodrx-${stage}-`, '')] = permissions;
      }
      // After a deliberate change of capabilities: UPDATE_TABLE_PERMISSIONS=1 rewrites the
      // fixture from the synthesized policies; review its diff like any change of permissions.
      if (process.env.UPDATE_TABLE_PERMISSIONS === '1') writeFileSync(TABLE_PERMISSIONS_FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(expected);
    });

    it('lets only table:stream functions read the stream, on the table stream ARN only', () => {
      for (const fn of functions) {
        const stream = fn.statements.filter((s) => actionsOf(s).some((a) => TABLE_STREAM.includes(a)));
        expect(stream.length > 0, fn.name).toBe(fn.capabilities.includes('table:stream'));
        for (const statement of stream) {
          expect(actionsOf(statement).sort(), fn.name).toEqual([...TABLE_STREAM].sort());
          for (const resource of resourcesOfStatement(statement)) expect(json(resource), fn.name).toMatch(/Table[0-9A-F]{8}StreamArn/);
        }
      }
    });

    it('lets no function update or delete an audit item, and only appenders put one', () => {
      for (const fn of functions) {
        const permissions = tablePermissionsOf(fn);
        const deny = fn.statements.filter((s) => s.Effect === 'Deny');
        if (!permissions) {
          expect(deny, fn.name).toEqual([]);
          continue;
        }
        // An explicit Deny: no other statement, now or later, can grant these on an audit partition.
        expect(deny, fn.name).toEqual([
          {
            Sid: 'NoAuditRewrite',
            Effect: 'Deny',
            Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
            Resource: expect.anything(),
            Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', 'AUDIT_HEAD#*', 'STAFF_AUDIT#*', 'STAFF_AUDIT_HEAD#*'] } },
          },
        ]);
        expect(isTableArn(deny[0]!.Resource), fn.name).toBe(true);
        const audit = Object.fromEntries(Object.entries(permissions.table).filter(([key]) => key.includes('AUDIT')));
        const has = (capability: Capability) => fn.capabilities.includes(capability);
        const append = ['GetItem', 'PutItem'];
        const verify = ['GetItem', 'Query'];
        expect(audit, fn.name).toEqual({
          ...(has('audit:write') ? { 'AUDIT#*': append, 'AUDIT_HEAD#*': append } : {}),
          ...(has('audit:write-staff') ? { 'STAFF_AUDIT#*': append, 'STAFF_AUDIT_HEAD#*': append } : {}),
          ...(has('audit:verify') ? { 'AUDIT#*': verify, 'AUDIT_HEAD#*': verify, 'STAFF_AUDIT#*': verify, 'STAFF_AUDIT_HEAD#*': verify } : {}),
        });
        // Only the patterns of keys.ts: no grant reaches a partition no area names.
        for (const key of Object.keys(permissions.table)) {
          expect(key, fn.name).toMatch(/^(CLIENT|STAFF|EMAIL|CONSULTATION|SLOTLOCK|RISK_TASK|NOTE|PSYNOTE|SESSION|CARE_UNIT|REVIEW|AUDIT|AUDIT_HEAD|STAFF_AUDIT|STAFF_AUDIT_HEAD)#\*$|^IDEMPOTENCY#[a-z-]+$/);
        }
      }
    });

    it('gives every read route no write, except its audit append and its own idempotency records', () => {
      const readRoutes = ROUTES.filter((r) => r.method === 'GET').map((r) => `moodrx-${stage}-${r.id}`);
      expect(readRoutes.length).toBeGreaterThan(10);
      for (const fn of functions.filter((f) => readRoutes.includes(f.name))) {
        for (const [key, actions] of Object.entries(tablePermissionsOf(fn)?.table ?? {})) {
          const allowed = key.includes('AUDIT') ? ['GetItem', 'PutItem'] : ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'Query'];
          expect(actions.filter((a) => !allowed.includes(a)), `${fn.name} on ${key}`).toEqual([]);
        }
      }
    });

    it('uses the table key exactly when it reaches the table, decrypting only unless it writes', () => {
      for (const fn of functions) {
        const permissions = tablePermissionsOf(fn);
        const tableKey = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')) && json(s.Resource).includes('TableKey'));
        // The stream is encrypted with the table key too (table:stream decrypts it).
        expect(tableKey.length > 0, `${fn.name} uses the table key`).toBe(permissions !== undefined || fn.capabilities.includes('table:stream'));
        const writes = Object.values(permissions?.table ?? {}).flat().some((a) => !['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'Query'].includes(a));
        if (tableKey.length > 0) expect(tableKey.flatMap(actionsOf).includes('kms:GenerateDataKey'), fn.name).toBe(writes);
      }
    });

    it('limits idempotency records to the function’s own partition', () => {
      for (const fn of functions.filter((f) => f.capabilities.includes('idempotency'))) {
        const routeId = fn.name.replace(`moodrx-${stage}-`, '');
        const statement = fn.statements.find((s) => s.Condition?.['ForAllValues:StringEquals']);
        expect(statement?.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`IDEMPOTENCY#${routeId}`] } });
      }
    });

    it('grants Cognito admin actions, Step Functions and SES only to the functions that declare them', () => {
      for (const fn of functions) {
        const actions = fn.statements.flatMap(actionsOf);
        const has = (capability: Capability): boolean => fn.capabilities.includes(capability);
        const cognito = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));
        const clientPoolAdmin = cognito.filter((s) => json(s.Resource).includes('ClientUserPool'));
        const staffPoolAdmin = cognito.filter((s) => json(s.Resource).includes('StaffUserPool'));
        expect(clientPoolAdmin.length > 0, fn.name).toBe(has('identity:admin-clients') || has('identity:undo-client'));
        expect(staffPoolAdmin.length > 0, fn.name).toBe(has('identity:admin-staff'));
        expect(cognito.length, `${fn.name}: Cognito grants on one pool each`).toBe(clientPoolAdmin.length + staffPoolAdmin.length);
        for (const statement of cognito) {
          expect(actionsOf(statement).every((a) => a.startsWith('cognito-idp:Admin')), fn.name).toBe(true);
          expect(resourcesOfStatement(statement), fn.name).toHaveLength(1);
        }
        for (const statement of clientPoolAdmin) {
          // The signup compensation only finds and deletes; creating is the identity task's alone.
          const expected = has('identity:admin-clients')
            ? ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminSetUserPassword']
            : ['cognito-idp:AdminDeleteUser', 'cognito-idp:AdminGetUser'];
          expect(actionsOf(statement).sort(), fn.name).toEqual(expected);
        }
        for (const statement of staffPoolAdmin) {
          expect(actionsOf(statement).sort(), fn.name).toEqual(
            ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminSetUserPassword'],
          );
        }
        expect(actions.includes('states:StartSyncExecution'), fn.name).toBe(has('workflow:signup'));
        expect(actions.includes('states:StartExecution'), fn.name).toBe(has('workflow:care-lifecycle') || has('workflow:consultation') || has('workflow:risk-escalation') || has('workflow:session') || has('workflow:progress-reviews'));
        const starts = fn.statements.filter((s) => actionsOf(s).includes('states:StartExecution')).map((s) => json(s.Resource));
        expect(starts.some((r) => r.includes(`stateMachine:moodrx-${stage}-consultation`)), fn.name).toBe(has('workflow:consultation'));
        expect(starts.some((r) => r.includes(`stateMachine:moodrx-${stage}-care-lifecycle`)), fn.name).toBe(has('workflow:care-lifecycle'));
        expect(starts.some((r) => r.includes(`stateMachine:moodrx-${stage}-risk-escalation`)), fn.name).toBe(has('workflow:risk-escalation'));
        expect(starts.some((r) => r.includes(`stateMachine:moodrx-${stage}-session`)), fn.name).toBe(has('workflow:session'));
        expect(starts.some((r) => r.includes(`stateMachine:moodrx-${stage}-progress-reviews`)), fn.name).toBe(has('workflow:progress-reviews'));
        const describes = fn.statements.filter((s) => actionsOf(s).includes('states:DescribeExecution')).map((s) => json(s.Resource));
        expect(describes.some((r) => r.includes(`execution:moodrx-${stage}-risk-escalation:`)), fn.name).toBe(has('workflow:risk-escalation'));
        const ses = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
        expect(ses.length > 0, fn.name).toBe(has('email:send'));
        for (const statement of ses) {
          expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': synth.config.emailFrom } });
        }
      }
    });

    it('lets each state machine invoke its own task functions only', () => {
      for (const workflow of Object.values(WORKFLOWS)) {
        const template = synth.templates.workflows;
        const machines = find(template, 'AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: `moodrx-${stage}-${workflow.id}` } });
        const machine = Object.values(machines)[0] as CfnResourceJson;
        const roleId = (props(machine).RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const policies = Object.values(find(template, 'AWS::IAM::ManagedPolicy')).filter((p) => json(props(p).Roles).includes(`"${roleId}"`));
        const invoke = policies.flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
        const invoked = invoke.flatMap(resourcesOfStatement).map((r) => (r as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
        const expected = Object.values(workflow.tasks).map((task) => functions.find((f) => f.name === `moodrx-${stage}-${task.id}`)?.logicalId);
        expect(invoked.sort()).toEqual(expected.sort());
      }
    });
  });

  describe(`API (${stage})`, () => {
    // The CORS preflights (OPTIONS, MOCK) are asserted on their own below.
    const methods = (): CfnResourceJson[] => Object.values(find(synth.templates.api, 'AWS::ApiGateway::Method')).filter((m) => props(m).HttpMethod !== 'OPTIONS');
    const preflights = (): CfnResourceJson[] => Object.values(find(synth.templates.api, 'AWS::ApiGateway::Method')).filter((m) => props(m).HttpMethod === 'OPTIONS');

    it('has exactly the methods of the route table, each proxied to its own function', () => {
      const paths = resourcePaths(synth);
      const deployedNames = new Set(functions.filter((f) => f.concern === 'routeFunctions').map((f) => f.name));
      const deployed = methods().map((m) => {
        const p = props(m);
        // The function by its deterministic name (route-functions-stack.ts): no export.
        const target = /function:(moodrx-[a-z]+-[a-z0-9-]+)/.exec(json((p.Integration as { Uri: unknown }).Uri))?.[1] ?? '';
        return `${p.HttpMethod as string} ${paths.get((p.ResourceId as { Ref: string }).Ref)} -> ${deployedNames.has(target) ? target : `(not deployed) ${target}`}`;
      });
      expect(deployed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path} -> moodrx-${stage}-${r.id}`).sort());
      for (const m of methods()) expect((props(m).Integration as { Type: string }).Type).toBe('AWS_PROXY');
    });

    it('has no local-only route: the clock control (/local/clock) exists in the local API server only', () => {
      const deployedPaths = [...resourcePaths(synth).values()];
      expect(deployedPaths.length).toBeGreaterThan(0);
      expect(deployedPaths.filter((p) => /(^|\/)local(\/|$)/.test(String(p)))).toEqual([]);
      expect(ROUTES.filter((route) => route.path.includes('/local'))).toEqual([]);
    });

    it('puts the Cognito authorizer (access-token scope) on every non-public route, and nothing on public ones', () => {
      const paths = resourcePaths(synth);
      for (const route of ROUTES) {
        const method = methods().find((m) => props(m).HttpMethod === route.method && paths.get((props(m).ResourceId as { Ref: string }).Ref) === route.path);
        expect(method, route.id).toBeDefined();
        const p = props(method!);
        if (route.access === 'public') {
          expect(p.AuthorizationType, route.id).toBe('NONE');
          expect(p.AuthorizerId, route.id).toBeUndefined();
        } else {
          expect(p.AuthorizationType, route.id).toBe('COGNITO_USER_POOLS');
          expect(p.AuthorizationScopes, route.id).toEqual([ACCESS_TOKEN_SCOPE]);
          expect(p.AuthorizerId, route.id).toEqual({ Ref: expect.stringMatching(/^Authorizer/) });
        }
      }
    });

    it('answers the CORS preflight on every resource of the route table, without authorizer or function, for the stage origins only', () => {
      const paths = resourcePaths(synth);
      const origins = STAGE_CORS_ORIGINS[stage];
      expect(synth.config.corsOrigins).toEqual(origins);
      const byPath = new Map(preflights().map((m) => [paths.get((props(m).ResourceId as { Ref: string }).Ref), props(m)]));
      expect([...byPath.keys()].sort()).toEqual([...new Set(ROUTES.map((r) => r.path))].sort());
      for (const route of ROUTES) {
        const p = byPath.get(route.path)!;
        expect(p.AuthorizationType, route.path).toBe('NONE');
        expect(p.AuthorizerId, route.path).toBeUndefined();
        const integration = p.Integration as { Type: string; IntegrationResponses: { StatusCode: string; ResponseParameters: Record<string, string>; ResponseTemplates?: Record<string, string> }[] };
        expect(integration.Type, route.path).toBe('MOCK');
        const [answer] = integration.IntegrationResponses;
        expect(answer!.StatusCode).toBe('204');
        const headers = answer!.ResponseParameters;
        expect(headers['method.response.header.Access-Control-Allow-Origin'], route.path).toBe(`'${origins[0]}'`);
        expect(headers['method.response.header.Vary']).toBe(`'Origin'`);
        expect(headers['method.response.header.Access-Control-Allow-Methods']!.replace(/'/g, '').split(',')).toEqual(
          expect.arrayContaining([route.method, 'OPTIONS']),
        );
        expect(headers['method.response.header.Access-Control-Allow-Headers']!.replace(/'/g, '').split(',').sort()).toEqual([...CORS_ALLOWED_HEADERS].sort());
        // Bearer tokens, not cookies: a browser must never send credentials.
        expect(Object.keys(headers).filter((h) => /credentials/i.test(h)), route.path).toEqual([]);
        // Any further allowed origin is echoed by the template, and only when it is the request's Origin.
        const template = answer!.ResponseTemplates?.['application/json'] ?? '';
        for (const other of origins.slice(1)) expect(template).toContain(`$origin == "${other}"`);
        expect(template.includes('*')).toBe(false);
      }
    });

    it('authorizes tokens of both user pools', () => {
      const authorizers = Object.values(find(synth.templates.api, 'AWS::ApiGateway::Authorizer')).map(props);
      expect(authorizers).toHaveLength(1);
      expect(authorizers[0]).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
      const providers = json(authorizers[0]!.ProviderARNs);
      expect(providers).toContain('ClientUserPool');
      expect(providers).toContain('StaffUserPool');
    });

    it('has a stage with X-Ray, JSON access logs, metrics, no data traces and the configured throttling', () => {
      const stages = Object.values(find(synth.templates.api, 'AWS::ApiGateway::Stage')).map(props);
      expect(stages).toHaveLength(1);
      const s = stages[0]!;
      expect(s).toMatchObject({ StageName: stage, TracingEnabled: true });
      const access = s.AccessLogSetting as { Format: string; DestinationArn: unknown };
      expect(JSON.parse(access.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      const settings = s.MethodSettings as { HttpMethod: string; ResourcePath: string }[];
      expect(settings.filter((m) => m.ResourcePath === '/*')).toEqual([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: synth.config.apiThrottling.rateLimit,
          ThrottlingBurstLimit: synth.config.apiThrottling.burstLimit,
        }),
      ]);
    });

    it('throttles each sign-in and signup method below the stage, with the same logging', () => {
      const stages = Object.values(find(synth.templates.api, 'AWS::ApiGateway::Stage')).map(props);
      const settings = stages[0]!.MethodSettings as { HttpMethod: string; ResourcePath: string }[];
      const authRoutes = ROUTES.filter((r) => r.path.startsWith('/v1/auth/') || r.path === '/v1/signup' || r.path.startsWith('/v1/signup/'));
      expect(authRoutes.map((r) => r.id)).toEqual(expect.arrayContaining(['signup', 'login', 'refresh', 'answer-mfa', 'logout']));
      // A method setting names its resource `/` + the path with each `/` escaped as `~1`.
      const byKey = new Map(settings.map((m) => [`${m.HttpMethod} ${m.ResourcePath.slice(1).replaceAll('~1', '/')}`, m]));
      for (const route of authRoutes) {
        expect(byKey.get(`${route.method} ${route.path}`), `${route.method} ${route.path}`).toMatchObject({
          ThrottlingRateLimit: synth.config.authThrottling.rateLimit,
          ThrottlingBurstLimit: synth.config.authThrottling.burstLimit,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
        });
      }
      expect(synth.config.authThrottling.rateLimit).toBeLessThan(synth.config.apiThrottling.rateLimit);
      expect(synth.config.authThrottling.burstLimit).toBeLessThan(synth.config.apiThrottling.burstLimit);
      // Nothing else is throttled apart from the stage: a signed-in client is not held to sign-in limits.
      expect(settings.filter((m) => m.ResourcePath !== '/*')).toHaveLength(authRoutes.length);
    });

    it('answers its own errors as problem+json with the request id, readable by the stage web app (CORS)', () => {
      const responses = Object.values(find(synth.templates.api, 'AWS::ApiGateway::GatewayResponse')).map(props);
      const byType = new Map(responses.map((r) => [r.ResponseType as string, r]));
      const expected = { UNAUTHORIZED: 401, ACCESS_DENIED: 403, DEFAULT_4XX: 400, DEFAULT_5XX: 500 } as const;
      for (const [type, status] of Object.entries(expected)) {
        const response = byType.get(type);
        expect(response, type).toBeDefined();
        expect(response!.StatusCode).toBe(String(status));
        expect((response!.ResponseParameters as Record<string, string>)['gatewayresponse.header.Content-Type']).toBe(`'${PROBLEM_CONTENT_TYPE}'`);
        const body = JSON.parse((response!.ResponseTemplates as Record<string, string>)['application/json']!) as Record<string, unknown>;
        expect(body).toMatchObject({ status, requestId: '$context.requestId' });
        expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'requestId', 'status', 'title', 'type']);
      }
      for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_5XX']) {
        const body = JSON.parse((byType.get(type)!.ResponseTemplates as Record<string, string>)['application/json']!) as unknown;
        expect(ProblemSchema.safeParse(body).success, type).toBe(true);
      }
      for (const response of responses) {
        const headers = response.ResponseParameters as Record<string, string>;
        expect(headers['gatewayresponse.header.Access-Control-Allow-Origin'], String(response.ResponseType)).toBe(`'${STAGE_CORS_ORIGINS[stage][0]}'`);
        expect(headers['gatewayresponse.header.Vary']).toBe(`'Origin'`);
        expect(Object.keys(headers).filter((h) => /credentials/i.test(h))).toEqual([]);
      }
      expect(JSON.parse((byType.get('UNAUTHORIZED')!.ResponseTemplates as Record<string, string>)['application/json']!)).toMatchObject({
        code: 'authentication_required',
      });
    });

    it('is behind a regional WAF with the AWS managed rules and a per-IP rate limit', () => {
      const acls = Object.entries(find(synth.templates.api, 'AWS::WAFv2::WebACL'));
      expect(acls).toHaveLength(1);
      const [aclId, acl] = acls[0]!;
      const rules = props(acl).Rules as { Statement: Record<string, { Name?: string; Limit?: number; AggregateKeyType?: string }> }[];
      const managed = rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name).filter(Boolean);
      expect(managed.sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
      const rate = rules.map((r) => r.Statement.RateBasedStatement).find(Boolean);
      expect(rate).toMatchObject({ Limit: synth.config.wafRateLimitPer5Min, AggregateKeyType: 'IP' });
      expect(props(acl).Scope).toBe('REGIONAL');
      const associations = Object.values(find(synth.templates.api, 'AWS::WAFv2::WebACLAssociation')).map(props);
      expect(associations).toHaveLength(1);
      expect(json(associations[0]!.WebACLArn)).toContain(aclId);
      expect(json(associations[0]!.ResourceArn)).toMatch(/\/restapis\/.*\/stages\//);
      const logging = Object.values(find(synth.templates.api, 'AWS::WAFv2::LoggingConfiguration')).map(props);
      expect(logging[0]?.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
    });

    type WafRule = {
      Name: string;
      Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string; ResponseHeaders: { Name: string; Value: string }[] } } };
      Statement: { RateBasedStatement?: { Limit: number; AggregateKeyType: string; ScopeDownStatement?: unknown } };
    };
    const webAcl = (): Record<string, unknown> => props(Object.values(find(synth.templates.api, 'AWS::WAFv2::WebACL'))[0]!);

    it('limits sign-in and signup per IP more tightly, on the paths with and without the stage in front', () => {
      const rules = webAcl().Rules as WafRule[];
      const rateRules = rules.filter((r) => r.Statement.RateBasedStatement);
      expect(rateRules.map((r) => r.Name).sort()).toEqual(['AuthRateLimitPerIp', 'RateLimitPerIp']);
      const auth = rateRules.find((r) => r.Name === 'AuthRateLimitPerIp')!.Statement.RateBasedStatement!;
      expect(auth).toMatchObject({ Limit: synth.config.wafAuthRateLimitPer5Min, AggregateKeyType: 'IP' });
      expect(auth.Limit).toBeLessThan(synth.config.wafRateLimitPer5Min);
      const matches = (auth.ScopeDownStatement as { OrStatement: { Statements: { ByteMatchStatement: Record<string, unknown> }[] } }).OrStatement.Statements.map(
        (st) => st.ByteMatchStatement,
      );
      for (const match of matches) {
        expect(match).toMatchObject({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH' });
        expect((match.TextTransformations as { Type: string }[]).map((t) => t.Type)).toEqual(['URL_DECODE', 'NORMALIZE_PATH', 'LOWERCASE']);
      }
      expect(matches.map((m) => m.SearchString).sort()).toEqual([`/${stage}/v1/auth/`, `/${stage}/v1/signup`, '/v1/auth/', '/v1/signup'].sort());
    });

    it('answers a rate block with 429, Retry-After and a problem document, not a bare 403', () => {
      const acl = webAcl();
      const rateRules = (acl.Rules as WafRule[]).filter((r) => r.Statement.RateBasedStatement);
      const bodies = acl.CustomResponseBodies as Record<string, { ContentType: string; Content: string }>;
      for (const rule of rateRules) {
        const response = rule.Action?.Block?.CustomResponse;
        expect(response, rule.Name).toMatchObject({ ResponseCode: 429 });
        const headers = new Map(response!.ResponseHeaders.map((h) => [h.Name, h.Value]));
        expect(Number(headers.get('Retry-After')), rule.Name).toBeGreaterThan(0);
        expect(headers.get('Cache-Control')).toBe('no-store');
        const body = bodies[response!.CustomResponseBodyKey]!;
        expect(body.ContentType).toBe('APPLICATION_JSON');
        const document = JSON.parse(body.Content) as unknown;
        expect(ProblemSchema.parse(document)).toMatchObject({ status: 429, code: 'too_many_requests' });
      }
    });
  });

  describe(`workflows (${stage})`, () => {
    const workflowCapabilities: Record<string, Capability> = {
      [WORKFLOWS.signup.id]: 'workflow:signup',
      [WORKFLOWS.careLifecycle.id]: 'workflow:care-lifecycle',
      [WORKFLOWS.consultation.id]: 'workflow:consultation',
      [WORKFLOWS.riskEscalation.id]: 'workflow:risk-escalation',
      [WORKFLOWS.session.id]: 'workflow:session',
      [WORKFLOWS.progressReviews.id]: 'workflow:progress-reviews',
    };
    const keyContext = 'kms:EncryptionContext:aws:states:stateMachineArn';
    const machineArnOf = (statement: Statement): string => json(statement.Condition?.StringEquals?.[keyContext]);

    it('encrypts every state machine (definition and history) with the workflows key, which rotates', () => {
      const keys = find(synth.templates.data, 'AWS::KMS::Key');
      const keyIds = Object.keys(keys).filter((id) => id.startsWith('WorkflowsKey'));
      expect(keyIds).toHaveLength(1);
      expect(props(keys[keyIds[0]!]!).EnableKeyRotation).toBe(true);
      const machines = Object.values(find(synth.templates.workflows, 'AWS::StepFunctions::StateMachine'));
      expect(machines).toHaveLength(Object.keys(WORKFLOWS).length);
      for (const machine of machines) {
        const encryption = props(machine).EncryptionConfiguration as { Type: string; KmsKeyId: unknown; KmsDataKeyReusePeriodSeconds: number };
        expect(encryption.Type, json(props(machine).StateMachineName)).toBe('CUSTOMER_MANAGED_KMS_KEY');
        expect(json(encryption.KmsKeyId)).toContain('WorkflowsKey');
        expect(encryption.KmsDataKeyReusePeriodSeconds).toBeGreaterThanOrEqual(60);
      }
    });

    it('lets each state machine role use the key for its own state machine only', () => {
      const template = synth.templates.workflows;
      for (const workflow of Object.values(WORKFLOWS)) {
        const machine = Object.values(find(template, 'AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: `moodrx-${stage}-${workflow.id}` } }))[0]!;
        const roleId = (props(machine).RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const statements = Object.values(find(template, 'AWS::IAM::ManagedPolicy'))
          .filter((p) => json(props(p).Roles).includes(`"${roleId}"`))
          .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement)
          .filter((s) => json(s.Resource).includes('WorkflowsKey'));
        const history = statements.filter((s) => s.Condition?.StringEquals?.[keyContext] !== undefined);
        expect(history.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
        expect(machineArnOf(history[0]!)).toContain(`stateMachine:moodrx-${stage}-${workflow.id}"`);
        // Anything else on the key is log delivery (GenerateDataKey, logs encryption context).
        for (const other of statements.filter((s) => !history.includes(s))) {
          expect(actionsOf(other)).toEqual(['kms:GenerateDataKey']);
          expect(json(other.Condition)).toContain('kms:EncryptionContext:SourceArn');
        }
      }
    });

    it('lets exactly the functions that start or describe executions use the key, for that state machine only', () => {
      for (const fn of functions) {
        const granted = fn.statements.filter((s) => json(s.Resource).includes('WorkflowsKey'));
        const expected = Object.entries(workflowCapabilities).filter(([, capability]) => fn.capabilities.includes(capability)).map(([id]) => id);
        expect(granted.map(machineArnOf).map((arn) => /stateMachine:moodrx-[a-z]+-([a-z-]+)"/.exec(arn)?.[1]).sort(), fn.name).toEqual(expected.sort());
        for (const statement of granted) expect(actionsOf(statement).sort(), fn.name).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      }
      expect(functions.filter((fn) => fn.capabilities.includes('workflow:risk-escalation')).length).toBeGreaterThan(0);
    });

    for (const workflow of Object.values(WORKFLOWS)) {
      it(`deploys ${workflow.id} from its ASL file with every placeholder substituted`, () => {
        const machines = find(synth.templates.workflows, 'AWS::StepFunctions::StateMachine', {
          Properties: { StateMachineName: `moodrx-${stage}-${workflow.id}` },
        });
        const machine = props(Object.values(machines)[0] as CfnResourceJson);
        expect(machine).toMatchObject({
          StateMachineType: workflow.type,
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
        });
        const substitutions = machine.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
        expect(Object.keys(substitutions).sort()).toEqual(Object.keys(workflow.tasks).sort());
        for (const [placeholder, task] of Object.entries(workflow.tasks)) {
          const target = functions.find((f) => f.logicalId === substitutions[placeholder]!['Fn::GetAtt'][0]);
          expect(target?.name, placeholder).toBe(`moodrx-${stage}-${task.id}`);
        }
        const asset = (machine.DefinitionS3Location as { Key: string }).Key;
        const definition = readFileSync(path.join(synth.outdir, `asset.${asset}`), 'utf8');
        expect(definition).toBe(readFileSync(path.join(REPO_ROOT, workflow.definitionFile), 'utf8'));
        const unresolved = [...definition.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => !(p! in substitutions));
        expect(unresolved).toEqual([]);
      });
    }

    it('runs the progress reviews as a Standard state machine: a Map of at most 10 therapists at a time, whose Distributed Map children it may start on itself only', () => {
      const name = `moodrx-${stage}-${WORKFLOWS.progressReviews.id}`;
      const machine = props(Object.values(find(synth.templates.workflows, 'AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: name } }))[0]!);
      expect(machine.StateMachineType).toBe('STANDARD');
      const asl = JSON.parse(readFileSync(path.join(REPO_ROOT, WORKFLOWS.progressReviews.definitionFile), 'utf8')) as {
        States: Record<string, { Type: string; MaxConcurrency?: number; ItemProcessor?: { ProcessorConfig?: { Mode?: string; ExecutionType?: string } } }>;
      };
      expect(asl.States.ReviewEachTherapist).toMatchObject({ Type: 'Map', MaxConcurrency: 10, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } });
      const roleId = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = Object.values(find(synth.templates.workflows, 'AWS::IAM::ManagedPolicy'))
        .filter((policy) => json(props(policy).Roles).includes(`"${roleId}"`))
        .flatMap((policy) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement);
      const starts = statements.filter((statement) => actionsOf(statement).includes('states:StartExecution'));
      expect(starts).toHaveLength(1);
      expect(actionsOf(starts[0]!)).toEqual(['states:StartExecution']);
      expect(resourcesOfStatement(starts[0]!).map(json)).toEqual([expect.stringContaining(`:stateMachine:${name}`)]);
      const watches = statements.filter((statement) => actionsOf(statement).includes('states:DescribeExecution'));
      expect(watches.flatMap(actionsOf).sort()).toEqual(['states:DescribeExecution', 'states:StopExecution']);
      expect(watches.flatMap(resourcesOfStatement).map(json)).toEqual([expect.stringContaining(`:execution:${name}/*`)]);
      // No other state machine of the stage starts anything.
      for (const workflow of Object.values(WORKFLOWS).filter((w) => w !== WORKFLOWS.progressReviews)) {
        const other = props(Object.values(find(synth.templates.workflows, 'AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: `moodrx-${stage}-${workflow.id}` } }))[0]!);
        const otherRole = (other.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const otherActions = Object.values(find(synth.templates.workflows, 'AWS::IAM::ManagedPolicy'))
          .filter((policy) => json(props(policy).Roles).includes(`"${otherRole}"`))
          .flatMap((policy) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement)
          .flatMap(actionsOf);
        expect(otherActions.filter((a) => a.startsWith('states:')), workflow.id).toEqual([]);
      }
    });

    it('starts the progress reviews every hour with the schedule\'s own time, and tells only the email task which client identifiers it may use', () => {
      const schedule = props(Object.values(find(synth.templates.workflows, 'AWS::Scheduler::Schedule', { Properties: { Name: `moodrx-${stage}-${SCHEDULED_TASKS.startProgressReviews.id}` } }))[0]!);
      expect(schedule.ScheduleExpression).toBe('cron(0 * * * ? *)');
      expect(JSON.parse((schedule.Target as { Input: string }).Input)).toEqual({ source: 'schedule', task: 'start-progress-reviews', scheduledTime: '<aws.scheduler.scheduled-time>' });
      const starter = functions.find((f) => f.name === `moodrx-${stage}-${SCHEDULED_TASKS.startProgressReviews.id}`)!;
      expect(json(props(starter.resource).Environment)).toContain('PROGRESS_REVIEWS_STATE_MACHINE_ARN');
      for (const fn of functions) {
        const variables = (props(fn.resource).Environment as { Variables: Record<string, unknown> }).Variables;
        const isEmailTask = fn.name === `moodrx-${stage}-${WORKFLOWS.progressReviews.tasks.SendReviewEmailFunctionArn.id}`;
        expect(variables.PROGRESS_REVIEW_IDENTIFIERS, fn.name).toBe(isEmailTask ? synth.config.progressReviewIdentifiers : undefined);
      }
      expect(synth.config.progressReviewIdentifiers).toBe('none');
    });

    for (const task of Object.values(SCHEDULED_TASKS)) {
      it(`runs ${task.id} on its EventBridge Scheduler schedule, with a role that may invoke that function only`, () => {
        const schedules = Object.values(find(synth.templates.workflows, 'AWS::Scheduler::Schedule', { Properties: { Name: `moodrx-${stage}-${task.id}` } })).map(props);
        expect(schedules).toHaveLength(1);
        const schedule = schedules[0]!;
        expect(schedule).toMatchObject({ ScheduleExpression: task.scheduleExpression, ScheduleExpressionTimezone: 'UTC', State: 'ENABLED', FlexibleTimeWindow: { Mode: 'OFF' } });
        const target = schedule.Target as { Arn: { 'Fn::GetAtt': [string, string] }; RoleArn: { 'Fn::GetAtt': [string, string] }; RetryPolicy: unknown };
        expect(functions.find((f) => f.logicalId === target.Arn['Fn::GetAtt'][0])?.name).toBe(`moodrx-${stage}-${task.id}`);
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3_600 });
        const roleId = target.RoleArn['Fn::GetAtt'][0];
        const role = props(find(synth.templates.workflows, 'AWS::IAM::Role')[roleId]!);
        expect(json(role.AssumeRolePolicyDocument)).toContain('scheduler.amazonaws.com');
        expect(json(role.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
        const statements = Object.values(find(synth.templates.workflows, 'AWS::IAM::ManagedPolicy'))
          .filter((policy) => json(props(policy).Roles).includes(`"${roleId}"`))
          .flatMap((policy) => (props(policy).PolicyDocument as { Statement: Statement[] }).Statement);
        expect(statements.map((statement) => actionsOf(statement))).toEqual([['lambda:InvokeFunction']]);
        expect(json(statements[0]!.Resource)).toContain(target.Arn['Fn::GetAtt'][0]);
        const fn = functions.find((f) => f.name === `moodrx-${stage}-${task.id}`)!;
        expect(props(fn.resource).Timeout).toBe(task.timeoutSeconds);
      });
    }
  });

  describe(`notifications (${stage})`, () => {
    it('sends through a configuration set that requires TLS and suppresses bounces and complaints', () => {
      const sets = Object.values(find(synth.templates.notifications, 'AWS::SES::ConfigurationSet')).map(props);
      expect(sets).toEqual([
        expect.objectContaining({
          Name: `moodrx-${stage}-email`,
          DeliveryOptions: { TlsPolicy: 'REQUIRE' },
          SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
          ReputationOptions: { ReputationMetricsEnabled: true },
        }),
      ]);
      const identities = Object.values(find(synth.templates.notifications, 'AWS::SES::EmailIdentity')).map(props);
      expect(identities).toEqual([expect.objectContaining({ EmailIdentity: synth.config.emailIdentity })]);
    });
  });

  describe(`logs and monitoring (${stage})`, () => {
    it('encrypts every log group and keeps it for the configured retention', () => {
      const groups = resourcesOf(synth, 'AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThanOrEqual(functions.length + Object.keys(WORKFLOWS).length + 2);
      for (const [id, group] of groups) {
        expect(props(group).KmsKeyId, id).toBeDefined();
        expect(props(group).RetentionInDays, id).toBe(synth.config.logRetentionDays);
      }
    });

    it('alarms on API 5xx, every function’s errors and every workflow’s failures and timeouts, to the encrypted topic', () => {
      const alarms = Object.values(find(synth.templates.monitoring, 'AWS::CloudWatch::Alarm')).map(props);
      const watched = alarms.map((a) => `${a.Namespace as string}/${a.MetricName as string}/${json(a.Dimensions)}`);
      expect(watched.filter((w) => w.startsWith('AWS/ApiGateway/5XXError/'))).toHaveLength(1);
      for (const fn of functions) expect(watched, fn.name).toContain(`AWS/Lambda/Errors/${json([{ Name: 'FunctionName', Value: fn.name }])}`);
      for (const workflow of Object.values(WORKFLOWS)) {
        for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
          expect(watched.filter((w) => w.startsWith(`AWS/States/${metric}/`) && w.includes(`stateMachine:moodrx-${stage}-${workflow.id}`))).toHaveLength(1);
        }
      }
      const topics = Object.entries(find(synth.templates.monitoring, 'AWS::SNS::Topic'));
      expect(topics).toHaveLength(1);
      expect(props(topics[0]![1]).KmsMasterKeyId).toBeDefined();
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topics[0]![0] }]);
      expect(Object.keys(find(synth.templates.monitoring, 'AWS::CloudWatch::Dashboard'))).toHaveLength(1);
    });

    it("keeps every stack under 450 resources: CloudFormation refuses a stack over 500, and each route costs about 4 in the API and 4 in the route functions", () => {
      for (const concern of Object.keys(synth.templates) as Concern[]) {
        const count = Object.keys(synth.templates[concern].toJSON().Resources ?? {}).length;
        expect(count, `${concern}: ${count} resources`).toBeLessThan(450);
      }
    });

    it('outputs what a deployment needs', () => {
      const outputs = (concern: Concern): string[] => Object.keys(synth.templates[concern].findOutputs('*'));
      expect(outputs('api')).toContain('ApiUrl');
      expect(outputs('data')).toEqual(expect.arrayContaining(['TableName', 'AuditArchiveBucketName']));
      expect(outputs('auth')).toEqual(expect.arrayContaining(['ClientUserPoolId', 'ClientUserPoolClientId', 'StaffUserPoolId', 'StaffUserPoolClientId']));
      expect(outputs('workflows').filter((o) => o.endsWith('StateMachineArn'))).toHaveLength(Object.keys(WORKFLOWS).length);
    });
  });
}
