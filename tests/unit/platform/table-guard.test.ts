/**
 * The local table guard (local/iam/table-guard.ts) judges DynamoDB calls as IAM would, from the
 * same policy infra deploys (shared/platform/table-access.ts): what each command touches, and
 * the verdict for a function's capabilities.
 */
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { isAllowed, matchesLike, tablePolicyOf } from '../../../shared/platform/table-access.js';
import { callsOf } from '../../../local/iam/table-guard.js';

const CLIENT = keys.clientProfile('c-1');
const verdicts = (policy: ReturnType<typeof tablePolicyOf>, commandName: string, input: Record<string, unknown>) =>
  callsOf(commandName, input).map((call) => isAllowed(policy, call));

describe('callsOf: what a command touches', () => {
  it('reads the partition key of single-item commands, marshalled or not', () => {
    expect(callsOf('GetCommand', { Key: CLIENT })).toEqual([{ action: 'dynamodb:GetItem', leadingKeys: ['CLIENT#c-1'], index: false }]);
    expect(callsOf('GetItemCommand', { Key: { PK: { S: 'CLIENT#c-1' }, SK: { S: 'PROFILE' } } })).toEqual([
      { action: 'dynamodb:GetItem', leadingKeys: ['CLIENT#c-1'], index: false },
    ]);
    expect(callsOf('PutCommand', { Item: { ...CLIENT, name: 'x' } })[0]).toMatchObject({ action: 'dynamodb:PutItem', leadingKeys: ['CLIENT#c-1'] });
    expect(callsOf('UpdateCommand', { Key: CLIENT })[0]!.action).toBe('dynamodb:UpdateItem');
    expect(callsOf('DeleteCommand', { Key: CLIENT })[0]!.action).toBe('dynamodb:DeleteItem');
  });

  it("reads a Query's partition from its key condition, aliases included, and tells the index from the table", () => {
    expect(callsOf('QueryCommand', { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)', ExpressionAttributeValues: { ':pk': 'CLIENT#c-1', ':p': 'A' } })).toEqual([
      { action: 'dynamodb:Query', leadingKeys: ['CLIENT#c-1'], index: false },
    ]);
    expect(
      callsOf('QueryCommand', { IndexName: 'GSI1', KeyConditionExpression: '#pk = :v', ExpressionAttributeNames: { '#pk': 'GSI1PK' }, ExpressionAttributeValues: { ':v': 'ROLE#therapist' } }),
    ).toEqual([{ action: 'dynamodb:Query', leadingKeys: ['ROLE#therapist'], index: true }]);
  });

  it('judges each item of a transaction by its own action, and every key of a batch', () => {
    expect(
      callsOf('TransactWriteCommand', {
        TransactItems: [{ Put: { Item: keys.auditEvent('c-1', 1) } }, { Update: { Key: CLIENT } }, { Delete: { Key: CLIENT } }, { ConditionCheck: { Key: CLIENT } }],
      }).map((call) => call.action),
    ).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem']);
    expect(callsOf('BatchWriteCommand', { RequestItems: { t: [{ PutRequest: { Item: CLIENT } }, { DeleteRequest: { Key: keys.staffProfile('s-1') } }] } })).toEqual([
      { action: 'dynamodb:BatchWriteItem', leadingKeys: ['CLIENT#c-1', 'STAFF#s-1'], index: false },
    ]);
  });
});

describe('isAllowed: IAM on the table policy', () => {
  it("allows a read of the client area and refuses a write, another area or a Scan", () => {
    const policy = tablePolicyOf('get-client', ['table:read:client']);
    expect(verdicts(policy, 'GetCommand', { Key: CLIENT })).toEqual([true]);
    expect(verdicts(policy, 'PutCommand', { Item: CLIENT })).toEqual([false]);
    expect(verdicts(policy, 'GetCommand', { Key: keys.staffProfile('s-1') })).toEqual([false]);
    expect(verdicts(policy, 'ScanCommand', {})).toEqual([false]);
  });

  it('refuses a batch when one of its keys is outside the grant (ForAllValues)', () => {
    const policy = tablePolicyOf('f', ['table:batch-write:client']);
    expect(verdicts(policy, 'BatchWriteCommand', { RequestItems: { t: [{ PutRequest: { Item: CLIENT } }] } })).toEqual([true]);
    expect(verdicts(policy, 'BatchWriteCommand', { RequestItems: { t: [{ PutRequest: { Item: CLIENT } }, { DeleteRequest: { Key: keys.staffProfile('s-1') } }] } })).toEqual([false]);
  });

  it("lets audit writers put their chain's items and never update or delete any audit item (the Deny wins)", () => {
    const writer = tablePolicyOf('f', ['table:write:client', 'table:delete:client', 'audit:write']);
    expect(verdicts(writer, 'PutCommand', { Item: keys.auditEvent('c-1', 1) })).toEqual([true]);
    expect(verdicts(writer, 'PutCommand', { Item: keys.auditHead('c-1') })).toEqual([true]);
    expect(verdicts(writer, 'UpdateCommand', { Key: keys.auditHead('c-1') })).toEqual([false]);
    expect(verdicts(writer, 'DeleteCommand', { Key: keys.auditEvent('c-1', 1) })).toEqual([false]);
    // A client-chain writer cannot touch a staff chain.
    expect(verdicts(writer, 'PutCommand', { Item: keys.staffAuditEvent('s-1', 1) })).toEqual([false]);
    const staffWriter = tablePolicyOf('update-clinician', ['audit:write-staff']);
    expect(verdicts(staffWriter, 'PutCommand', { Item: keys.staffAuditHead('s-1') })).toEqual([true]);
    expect(verdicts(staffWriter, 'PutCommand', { Item: keys.auditHead('c-1') })).toEqual([false]);
  });

  it('lets the verifier read every chain and the listing, and write nothing', () => {
    const verifier = tablePolicyOf('verify-audit-chains', ['audit:verify']);
    expect(verdicts(verifier, 'QueryCommand', { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.staffAuditPartition('s-1') } })).toEqual([true]);
    expect(verdicts(verifier, 'QueryCommand', { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': 'AUDIT_CHAINS' } })).toEqual([true]);
    expect(verdicts(verifier, 'PutCommand', { Item: keys.auditEvent('c-1', 1) })).toEqual([false]);
    expect(verdicts(verifier, 'GetCommand', { Key: CLIENT })).toEqual([false]);
  });

  it("limits idempotency records to the function's own partition", () => {
    const policy = tablePolicyOf('discharge-client', ['idempotency']);
    expect(verdicts(policy, 'PutCommand', { Item: { PK: keys.idempotencyPartition('discharge-client'), SK: 'x' } })).toEqual([true]);
    expect(verdicts(policy, 'PutCommand', { Item: { PK: keys.idempotencyPartition('signup'), SK: 'x' } })).toEqual([false]);
  });

  it('matches StringLike as IAM does: * any run, ? one character, nothing else special', () => {
    expect(matchesLike('CLIENT#*', 'CLIENT#a.b+c')).toBe(true);
    expect(matchesLike('CLIENT#*', 'CLIENT_STAGE#x')).toBe(false);
    expect(matchesLike('AUDIT#*', 'AUDIT_HEAD#x')).toBe(false);
    expect(matchesLike('A?C', 'ABC')).toBe(true);
    expect(matchesLike('RISK_PENDING', 'RISK_PENDING')).toBe(true);
  });
});
