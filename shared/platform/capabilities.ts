/**
 * What a Lambda function may touch. The route table and the workflow registry declare these
 * per function; infra turns each into the narrowest IAM grant plus the environment variables
 * the adapters read (infra/constructs/app-function.ts), and nothing else is granted.
 *
 * The table is reached by AREA: the partitions whose key starts with one prefix (keys.ts).
 * IAM can condition an item action on the partition key (`dynamodb:LeadingKeys`), not on the
 * sort key, so an area is the finest grain IAM can enforce; which items of a partition a
 * function touches is the code's business (reviewed per function in the CDK fixture
 * tests/cdk/fixtures/table-permissions.json).
 *
 * | capability                | IAM (dynamodb:LeadingKeys in the area's prefixes)          | environment                       |
 * |---------------------------|------------------------------------------------------------|-----------------------------------|
 * | table:read:<area>         | GetItem, BatchGetItem, Query, ConditionCheckItem           | TABLE_NAME                        |
 * | table:write:<area>        | PutItem, UpdateItem, ConditionCheckItem                    | TABLE_NAME                        |
 * | table:delete:<area>       | DeleteItem                                                 | TABLE_NAME                        |
 * | table:batch-write:<area>  | BatchWriteItem (puts AND deletes: only where batches run)  | TABLE_NAME                        |
 * |   (TransactWriteItems is authorized per item action: a transaction's Delete needs DeleteItem)                  |
 * | index:<partition>         | Query on GSI1, its partition key in that prefix            | TABLE_NAME                        |
 * | audit:write               | GetItem, PutItem on AUDIT#, AUDIT_HEAD# (a client's chain: | TABLE_NAME, AUDIT_MAC_KEY_ARN     |
 * |                           |   the head, the next event, the listing) and kms:GenerateMac on the audit MAC key;  |
 * |                           |   never Update/Delete: every role carries an explicit Deny on the audit partitions |
 * | audit:write-staff         | the same on STAFF_AUDIT#, STAFF_AUDIT_HEAD# (credentialing changes)                 |
 * | audit:verify              | GetItem, Query on the four audit prefixes, Query of GSI1   | TABLE_NAME, AUDIT_MAC_KEY_ARN     |
 * |                           |   AUDIT_CHAINS, kms:VerifyMac: the scheduled verifier, which can make no MAC        |
 * | identity:sign-in          | none (public app clients)                                  | CLIENT_/STAFF_USER_POOL_ID, _CLIENT_ID |
 * | identity:admin-clients    | cognito-idp:AdminCreateUser, AdminSetUserPassword,         | CLIENT_USER_POOL_ID               |
 * |                           |   AdminAddUserToGroup, AdminGetUser, AdminDeleteUser (it   |                                   |
 * |                           |   undoes its own half-made user) on the client pool        |                                   |
 * | identity:undo-client      | cognito-idp:AdminGetUser, AdminDeleteUser on the client pool (signup compensation) | CLIENT_USER_POOL_ID |
 * | identity:admin-staff      | cognito-idp:AdminCreateUser, AdminSetUserPassword,         | STAFF_USER_POOL_ID                |
 * |                           |   AdminAddUserToGroup, AdminGetUser, AdminDeleteUser on    |                                   |
 * |                           |   the staff user pool only                                 |                                   |
 * | workflow:signup           | states:StartSyncExecution on the signup state machine      | SIGNUP_STATE_MACHINE_ARN          |
 * | workflow:care-lifecycle   | states:StartExecution, DescribeExecution on it             | CARE_LIFECYCLE_STATE_MACHINE_ARN  |
 * | workflow:consultation     | states:StartExecution, DescribeExecution on it             | CONSULTATION_STATE_MACHINE_ARN    |
 * | workflow:risk-escalation  | states:StartExecution, DescribeExecution on it             | RISK_ESCALATION_STATE_MACHINE_ARN |
 * | workflow:session          | states:StartExecution, DescribeExecution on it             | SESSION_STATE_MACHINE_ARN         |
 * | workflow:progress-reviews | states:StartExecution, DescribeExecution on it             | PROGRESS_REVIEWS_STATE_MACHINE_ARN |
 * | email:send                | ses:SendEmail, SendRawEmail from the sender identity       | EMAIL_FROM, SES_CONFIGURATION_SET, APP_BASE_URL |
 * | idempotency               | Get/Put/Update/DeleteItem on IDEMPOTENCY#<function id>     | TABLE_NAME                        |
 * | cursor:sign               | none (the key is resolved into the environment at deploy)  | CURSOR_SIGNING_KEY                |
 * | audit:archive           | s3:PutObject on the audit archive's objects (no Delete, no | AUDIT_ARCHIVE_BUCKET                         |
 * |                         |   retention or legal-hold change), kms:GenerateDataKey on  |                                              |
 * |                         |   the archive key                                          |                                              |
 * | notes:psychotherapy     | kms:GenerateDataKey, kms:Decrypt on the psychotherapy-note | PSYCHOTHERAPY_NOTE_KEY_ARN                   |
 * |                         |   key only, with encryption context purpose =              |                                              |
 * |                         |   psychotherapy-note (the note functions, with the         |                                              |
 * |                         |   psychotherapy-note table area)                           |                                              |
 * | table:stream            | dynamodb:DescribeStream, GetRecords, GetShardIterator,     | none (the event source mapping reads the     |
 * |                         |   ListStreams on the table's stream; kms:Decrypt,          |   stream and invokes the function)           |
 * |                         |   DescribeKey on the table key                             |                                              |
 */

/** Table areas: a name per partition-key prefix (the prefixes are in table-access.ts). */
export const TABLE_AREAS = ['client', 'staff', 'email', 'consultation', 'slot-lock', 'risk-task', 'note', 'psychotherapy-note', 'session', 'care-unit', 'review'] as const;
export type TableArea = (typeof TABLE_AREAS)[number];

export const TABLE_MODES = ['read', 'write', 'delete', 'batch-write'] as const;
export type TableMode = (typeof TABLE_MODES)[number];

/** GSI1 partitions a function may query (keys.ts patterns 6, 10, 12, 21, 29, 31, 32, 39, 41). */
export const INDEX_PARTITIONS = [
  'role',
  'consults-in',
  'consultations-of',
  'clinician-clients',
  'risk-pending',
  'risk-tasks-of',
  'risk-tasks-open',
  'therapists-in',
  'client-stage',
  'session-tasks-of',
] as const;
export type IndexPartition = (typeof INDEX_PARTITIONS)[number];

export type TableCapability = `table:${TableMode}:${TableArea}`;
export type IndexCapability = `index:${IndexPartition}`;

export const TABLE_CAPABILITIES: readonly TableCapability[] = TABLE_MODES.flatMap((mode) =>
  TABLE_AREAS.map((area): TableCapability => `table:${mode}:${area}`),
);
export const INDEX_CAPABILITIES: readonly IndexCapability[] = INDEX_PARTITIONS.map((partition): IndexCapability => `index:${partition}`);

export const OTHER_CAPABILITIES = [
  'identity:sign-in',
  'identity:admin-clients',
  'identity:undo-client',
  'identity:admin-staff',
  'workflow:signup',
  'workflow:care-lifecycle',
  'workflow:consultation',
  'workflow:risk-escalation',
  'workflow:session',
  'workflow:progress-reviews',
  'email:send',
  'idempotency',
  'cursor:sign',
  'audit:write',
  'audit:write-staff',
  'audit:verify',
  'audit:archive',
  'table:stream',
  'notes:psychotherapy',
] as const;

export type Capability = TableCapability | IndexCapability | (typeof OTHER_CAPABILITIES)[number];

export const CAPABILITIES: readonly Capability[] = [...TABLE_CAPABILITIES, ...INDEX_CAPABILITIES, ...OTHER_CAPABILITIES];

export function isTableCapability(capability: Capability): capability is TableCapability {
  // Not 'table:stream' (the stream, not items): an area capability has a mode and an area.
  return (TABLE_CAPABILITIES as readonly string[]).includes(capability);
}

export function isIndexCapability(capability: Capability): capability is IndexCapability {
  return capability.startsWith('index:');
}
