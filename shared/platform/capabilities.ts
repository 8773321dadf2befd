/**
 * What a Lambda function may touch. The route table and the workflow registry declare these
 * per function; infra turns each into the narrowest IAM grant plus the environment variables
 * the adapters read (infra/constructs/app-function.ts), and nothing else is granted.
 *
 * | capability              | IAM                                                       | environment                                  |
 * |-------------------------|-----------------------------------------------------------|----------------------------------------------|
 * | table:read              | dynamodb:GetItem, BatchGetItem, Query, ConditionCheckItem | TABLE_NAME                                   |
 * | table:write             | + PutItem, UpdateItem, DeleteItem, BatchWriteItem          | TABLE_NAME                                   |
 * |                         |   (TransactWriteItems is authorized per item action)       |                                              |
 * | identity:sign-in        | none (public app clients)                                 | CLIENT_/STAFF_USER_POOL_ID, _CLIENT_ID       |
 * | identity:admin-clients  | cognito-idp:Admin* on the client user pool                | CLIENT_USER_POOL_ID                          |
 * | identity:admin-staff    | cognito-idp:AdminCreateUser, AdminSetUserPassword,        | STAFF_USER_POOL_ID                           |
 * |                         |   AdminAddUserToGroup, AdminGetUser, AdminDeleteUser on   |                                              |
 * |                         |   the staff user pool only                                |                                              |
 * | workflow:signup         | states:StartSyncExecution on the signup state machine     | SIGNUP_STATE_MACHINE_ARN                     |
 * | workflow:care-lifecycle | states:StartExecution, DescribeExecution on it            | CARE_LIFECYCLE_STATE_MACHINE_ARN             |
 * | workflow:consultation   | states:StartExecution, DescribeExecution on it            | CONSULTATION_STATE_MACHINE_ARN               |
 * | workflow:risk-escalation | states:StartExecution, DescribeExecution on it           | RISK_ESCALATION_STATE_MACHINE_ARN            |
 * | email:send              | ses:SendEmail, SendRawEmail from the sender identity      | EMAIL_FROM, SES_CONFIGURATION_SET, APP_BASE_URL |
 * | idempotency             | table:write on the idempotency records                    | TABLE_NAME                                   |
 * | cursor:sign             | none (the key is resolved into the environment at deploy) | CURSOR_SIGNING_KEY                           |
 * | audit:write             | kms:GenerateMac on the audit MAC key (to append audit      | AUDIT_MAC_KEY_ARN                            |
 * |                         |   events; the table access comes from table:write)         |                                              |
 * | audit:verify            | kms:VerifyMac on the audit MAC key (the scheduled verifier; | AUDIT_MAC_KEY_ARN                            |
 * |                         |   it reads the chains with table:read)                     |                                              |
 * | audit:archive           | s3:PutObject on the audit archive's objects (no Delete, no | AUDIT_ARCHIVE_BUCKET                         |
 * |                         |   retention or legal-hold change), kms:GenerateDataKey on  |                                              |
 * |                         |   the archive key                                          |                                              |
 * | table:stream            | dynamodb:DescribeStream, GetRecords, GetShardIterator,     | none (the event source mapping reads the     |
 * |                         |   ListStreams on the table's stream; kms:Decrypt,          |   stream and invokes the function)           |
 * |                         |   DescribeKey on the table key                             |                                              |
 */
export const CAPABILITIES = [
  'table:read',
  'table:write',
  'identity:sign-in',
  'identity:admin-clients',
  'identity:admin-staff',
  'workflow:signup',
  'workflow:care-lifecycle',
  'workflow:consultation',
  'workflow:risk-escalation',
  'email:send',
  'idempotency',
  'cursor:sign',
  'audit:write',
  'audit:verify',
  'audit:archive',
  'table:stream',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
