import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { ROUTES } from '../../../shared/http/routes.js';
import { CAPABILITIES, TABLE_AREAS, type Capability } from '../../../shared/platform/capabilities.js';
import { AUDIT_DENIED_ACTIONS, AUDIT_LEADING_KEYS, INDEX_LEADING_KEYS, TABLE_AREA_LEADING_KEYS, TABLE_MODE_ACTIONS, matchesLike, tablePolicyOf } from '../../../shared/platform/table-access.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { SCHEDULED_TASKS } from '../../../workflows/schedules.js';

/** IAM StringLike, as DynamoDB evaluates dynamodb:LeadingKeys. */
const like = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
const areasOf = (partitionKey: string): string[] =>
  Object.entries(TABLE_AREA_LEADING_KEYS)
    .filter(([, patterns]) => patterns.some((p) => like(p, partitionKey)))
    .map(([area]) => area);

const declared: { id: string; method?: string; capabilities: readonly Capability[] }[] = [
  ...ROUTES.map((r) => ({ id: r.id, method: r.method, capabilities: r.capabilities })),
  ...Object.values(WORKFLOWS).flatMap((w) => Object.values(w.tasks).map((t) => ({ id: t.id, capabilities: t.capabilities }))),
  ...Object.values(SCHEDULED_TASKS).map((t) => ({ id: t.id, capabilities: t.capabilities })),
];

describe('psychotherapy notes (issue 10): apart from every other function', () => {
  const PSYCHOTHERAPY_ROUTES = ['create-psychotherapy-note', 'list-psychotherapy-notes', 'get-psychotherapy-note'];

  it('only the psychotherapy-note functions reach the PSYNOTE# area or hold the notes key', () => {
    const partition = keys.psychotherapyNote('t-1', 'c-1', 'n-1').PK;
    for (const fn of declared) {
      const policy = tablePolicyOf(fn.id, fn.capabilities);
      const reaches = [...policy.table.values()].some((patterns) => [...patterns].some((p) => matchesLike(p, partition)));
      expect(reaches, fn.id).toBe(PSYCHOTHERAPY_ROUTES.includes(fn.id));
      expect(fn.capabilities.includes('notes:psychotherapy'), fn.id).toBe(PSYCHOTHERAPY_ROUTES.includes(fn.id));
    }
  });

  it('no psychotherapy-note function may touch the client record beyond reading relationships, nor delete anything', () => {
    for (const fn of declared.filter((f) => PSYCHOTHERAPY_ROUTES.includes(f.id))) {
      const policy = tablePolicyOf(fn.id, fn.capabilities);
      const client = keys.clientProfile('c-1').PK;
      for (const [action, patterns] of policy.table) {
        if ([...patterns].some((p) => matchesLike(p, client))) expect(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'], `${fn.id} ${action}`).toContain(action);
      }
      expect(policy.table.has('dynamodb:DeleteItem'), fn.id).toBe(false);
    }
  });
});

describe('table access (what IAM can tell apart)', () => {
  it('puts every partition of keys.ts in exactly one area, and the audit chains in none', () => {
    const partitions = {
      client: keys.clientProfile('c-1').PK,
      staff: keys.staffProfile('s-1').PK,
      email: keys.emailOwner('a@b.example').PK,
      consultation: keys.consultation('k-1').PK,
      'slot-lock': keys.slotLock('s-1', '2027-01-04T09:00:00.000Z').PK,
      'risk-task': keys.riskTask('risk-assessment-1').PK,
      note: keys.noteLocator('n-1').PK,
      'psychotherapy-note': keys.psychotherapyNote('t-1', 'c-1', 'n-1').PK,
      session: keys.session('x-1').PK,
      'care-unit': keys.careUnit('u-1').PK,
      review: keys.progressReview('t-1', '2027-01-04T12:00:00.000Z').PK,
    };
    expect(Object.keys(partitions).sort()).toEqual([...TABLE_AREAS].sort());
    for (const [area, partitionKey] of Object.entries(partitions)) expect(areasOf(partitionKey), partitionKey).toEqual([area]);
    expect(areasOf(keys.auditEvent('c-1', 1).PK)).toEqual([]);
    expect(areasOf(keys.auditHead('c-1').PK)).toEqual([]);
    expect(areasOf(keys.idempotencyPartition('signup'))).toEqual([]);
    expect(areasOf(keys.staffAuditEvent('s-1', 1).PK)).toEqual([]);
    expect(areasOf(keys.staffAuditHead('s-1').PK)).toEqual([]);
    // The Deny covers every audit partition: both chains' events, heads and listings.
    for (const partitionKey of [keys.auditEvent('c-1', 1).PK, keys.auditHead('c-1').PK, keys.staffAuditEvent('s-1', 1).PK, keys.staffAuditHead('s-1').PK, keys.auditChainListing('c-1').PK]) {
      expect(AUDIT_LEADING_KEYS.some((p) => like(p, partitionKey)), partitionKey).toBe(true);
    }
    // The open-task listing partition is not a risk task's partition (no overlap by prefix).
    expect(areasOf(keys.openRiskTasksPartition())).toEqual([]);
  });

  it('lets each index capability reach its own GSI1 partitions only', () => {
    expect(INDEX_LEADING_KEYS.role.some((p) => like(p, keys.staffByRole('therapist', 'x', 'y').GSI1PK))).toBe(true);
    expect(INDEX_LEADING_KEYS['risk-tasks-open']).toEqual([keys.openRiskTasksPartition()]);
    expect(INDEX_LEADING_KEYS['risk-tasks-of'].some((p) => like(p, keys.openRiskTasksPartition()))).toBe(false);
    expect(INDEX_LEADING_KEYS['client-stage'].some((p) => like(p, keys.clientStagePartition('in_care')))).toBe(true);
  });

  it('never grants Update or Delete on the audit partitions, and denies them to everyone', () => {
    expect(AUDIT_DENIED_ACTIONS).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
    // Deletion is its own mode: no write grant carries DeleteItem or BatchWriteItem with it.
    expect(TABLE_MODE_ACTIONS.write).not.toContain('dynamodb:DeleteItem');
    expect(TABLE_MODE_ACTIONS.write).not.toContain('dynamodb:BatchWriteItem');
    expect(TABLE_MODE_ACTIONS.read.every((a) => ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'].includes(a))).toBe(true);
  });
});

describe('declared table access', () => {
  it('declares only known capabilities', () => {
    for (const fn of declared) for (const c of fn.capabilities) expect(CAPABILITIES, fn.id).toContain(c);
  });

  it('gives read routes (GET) reads and an audit append only: no write, delete or batch of the table', () => {
    const gets = declared.filter((fn) => fn.method === 'GET');
    expect(gets.length).toBeGreaterThan(10);
    for (const fn of gets) {
      expect(fn.capabilities.filter((c) => /^table:(write|delete|batch-write):/.test(c)), fn.id).toEqual([]);
    }
  });

  it('appends to the audit chain from every route that audits health-data reads', () => {
    // The routes whose use cases write audit events (access/client-access.ts, matching, risk
    // routes, client care): without audit:write their events would be refused in AWS.
    for (const id of ['list-assessments', 'list-check-ins', 'list-diagnoses', 'get-intake', 'list-matches', 'get-client', 'list-risk-tasks']) {
      expect(declared.find((fn) => fn.id === id)?.capabilities, id).toContain('audit:write');
    }
  });

  it('lets only the functions that remove something delete, and only the signup compensation remove a client', () => {
    const deleters = declared.filter((fn) => fn.capabilities.some((c) => c.startsWith('table:delete:') || c.startsWith('table:batch-write:')));
    expect(deleters.length).toBeLessThan(declared.length / 2);
    const clientBatch = declared.filter((fn) => fn.capabilities.includes('table:batch-write:client')).map((fn) => fn.id);
    expect(clientBatch).toEqual(['signup-remove-client-records']);
  });

  it('gives the signup compensation only the undo of a client identity', () => {
    const task = WORKFLOWS.signup.tasks.DeleteIdentityFunctionArn;
    expect(task.capabilities).toEqual(['identity:undo-client']);
  });
});
