/**
 * What each table capability (capabilities.ts) means as IAM: the actions, and the
 * partition-key prefixes (`dynamodb:LeadingKeys`, StringLike) they are limited to. The
 * prefixes come from keys.ts, the one place key shapes are built, so a renamed key shape
 * moves its grant with it.
 *
 * `tablePolicyOf` is the one derivation of a function's table policy: infra turns it into the
 * IAM statements (infra/constructs/app-function.ts; the CDK fixture
 * tests/cdk/fixtures/table-permissions.json pins the result per function), and the local stack
 * enforces the very same policy on every DynamoDB call a handler or task makes
 * (local/iam/table-guard.ts), so a missing grant fails the integration tests, not production.
 */
import { keys } from '../adapters/dynamodb/keys.js';
import { isIndexCapability, isTableCapability, type Capability, type IndexPartition, type TableArea, type TableMode } from './capabilities.js';

/** A partition-key prefix as an IAM StringLike pattern: `CLIENT#*`. */
const under = (prefix: string): string => `${prefix}*`;

export const TABLE_AREA_LEADING_KEYS: Readonly<Record<TableArea, readonly string[]>> = {
  client: [under(keys.clientPartition(''))],
  staff: [under(keys.staffProfile('').PK)],
  email: [under(keys.emailOwner('').PK)],
  consultation: [under(keys.consultation('').PK)],
  'slot-lock': [under(keys.slotLockPartition(''))],
  'risk-task': [under(keys.riskTask('').PK)],
  /** Progress-note locators (keys.ts pattern 73); the notes themselves are under CLIENT#. */
  note: [under(keys.notePartition(''))],
  /** Psychotherapy notes (patterns 74-75): apart from everything else, for their functions only. */
  'psychotherapy-note': [under(keys.psychotherapyNotePartition(''))],
  session: [under(keys.sessionPartition(''))],
  /** Care units (keys.ts patterns 80-84): the unit, its memberships and release decisions. */
  'care-unit': [under(keys.careUnitPartition(''))],
  /** Progress reviews (keys.ts patterns 100-103): preferences, reviews, dispositions, the email claims. */
  review: [under(keys.reviewPartition(''))],
};

export const INDEX_LEADING_KEYS: Readonly<Record<IndexPartition, readonly string[]>> = {
  role: [under(keys.staffByRole('', '', '').GSI1PK)],
  'consults-in': [under(keys.consultsInPartition(''))],
  'consultations-of': [under(keys.consultationsOfClinicianPartition(''))],
  'clinician-clients': [under(keys.clinicianClientsPartition(''))],
  // Single partitions: the exact value, no wildcard.
  'risk-pending': [keys.pendingRiskEscalationsPartition()],
  'risk-tasks-of': [under(keys.riskTasksOfStaffPartition(''))],
  'risk-tasks-open': [keys.openRiskTasksPartition()],
  'therapists-in': [under(keys.therapistsInPartition(''))],
  'client-stage': [under(keys.clientStagePartition(''))],
  'session-tasks-of': [under(keys.sessionTasksOfPartition(''))],
};

/** A client's chain (keys.ts patterns 22, 23, 48): events, and head + listing. */
export const CLIENT_AUDIT_LEADING_KEYS: readonly string[] = [under(keys.auditPartition('')), under(keys.auditHead('').PK)];
/** A staff member's chain (patterns 45, 46, 48). */
export const STAFF_AUDIT_LEADING_KEYS: readonly string[] = [under(keys.staffAuditPartition('')), under(keys.staffAuditHead('').PK)];
/** Every audit partition: the explicit Deny covers them all. */
export const AUDIT_LEADING_KEYS: readonly string[] = [...CLIENT_AUDIT_LEADING_KEYS, ...STAFF_AUDIT_LEADING_KEYS];

export const TABLE_MODE_ACTIONS: Readonly<Record<TableMode, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  // A write transaction's ConditionCheck (e.g. "the client exists") goes with the write.
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  delete: ['dynamodb:DeleteItem'],
  'batch-write': ['dynamodb:BatchWriteItem'],
};

/** An append reads the head and puts the next event, the head and (first event) the listing (keyed-chain-store.ts). */
export const AUDIT_APPEND_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];
/** The verifier reads heads and queries events. */
export const AUDIT_VERIFY_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:Query'];

/** What Powertools Idempotency's DynamoDB persistence layer calls, on the function's own partition. */
export const IDEMPOTENCY_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Denied to every role on the audit partitions, whatever else it is granted: an event or a
 * head is never updated or deleted by the application (PutItem stays with the audit writers:
 * IAM cannot require its "if absent" condition, see the README's IAM section).
 */
export const AUDIT_DENIED_ACTIONS: readonly string[] = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export const READ_ONLY_TABLE_ACTIONS: ReadonlySet<string> = new Set(TABLE_MODE_ACTIONS.read);

/** A function's whole table policy: what IAM will allow and deny it. */
export interface TablePolicy {
  /** dynamodb action -> partition-key patterns (StringLike) it is allowed on, on the table. */
  readonly table: ReadonlyMap<string, ReadonlySet<string>>;
  /** Exact partition keys (StringEquals) of the function's idempotency records, with IDEMPOTENCY_ACTIONS. */
  readonly idempotency: readonly string[];
  /** GSI1 partition-key patterns it may Query. */
  readonly index: ReadonlySet<string>;
  /** Always the audit Deny, for any function that reaches the table. */
  readonly deny: { readonly actions: readonly string[]; readonly leadingKeys: readonly string[] };
}

export function tablePolicyOf(functionId: string, capabilities: readonly Capability[]): TablePolicy {
  const table = new Map<string, Set<string>>();
  const index = new Set<string>();
  const grant = (actions: readonly string[], leadingKeys: readonly string[]) => {
    for (const action of actions) {
      const patterns = table.get(action) ?? new Set<string>();
      leadingKeys.forEach((k) => patterns.add(k));
      table.set(action, patterns);
    }
  };
  for (const capability of capabilities) {
    if (isTableCapability(capability)) {
      const [, mode, area] = capability.split(':') as ['table', TableMode, TableArea];
      grant(TABLE_MODE_ACTIONS[mode], TABLE_AREA_LEADING_KEYS[area]);
    } else if (isIndexCapability(capability)) {
      INDEX_LEADING_KEYS[capability.slice('index:'.length) as IndexPartition].forEach((k) => index.add(k));
    } else if (capability === 'audit:write') {
      grant(AUDIT_APPEND_ACTIONS, CLIENT_AUDIT_LEADING_KEYS);
    } else if (capability === 'audit:write-staff') {
      grant(AUDIT_APPEND_ACTIONS, STAFF_AUDIT_LEADING_KEYS);
    } else if (capability === 'audit:verify') {
      grant(AUDIT_VERIFY_ACTIONS, AUDIT_LEADING_KEYS);
      index.add(keys.auditChainsPartition());
    }
  }
  return {
    table,
    idempotency: capabilities.includes('idempotency') ? [keys.idempotencyPartition(functionId)] : [],
    index,
    deny: { actions: AUDIT_DENIED_ACTIONS, leadingKeys: AUDIT_LEADING_KEYS },
  };
}

/** Whether the policy reaches the table at all (then the function needs TABLE_NAME and the table key). */
export function reachesTable(policy: TablePolicy): boolean {
  return policy.table.size > 0 || policy.index.size > 0 || policy.idempotency.length > 0;
}

/** IAM StringLike, as DynamoDB evaluates dynamodb:LeadingKeys: `*` any run, `?` one character. */
export function matchesLike(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/**
 * IAM's verdict on one DynamoDB action over the partition keys it touches (every key of a
 * batch; ForAllValues: each must be allowed; ForAnyValue on the Deny: one audit key is enough).
 * `index`: the call queries GSI1 rather than the table.
 */
export function isAllowed(policy: TablePolicy, call: { action: string; leadingKeys: readonly string[]; index?: boolean }): boolean {
  if (call.leadingKeys.length === 0) return false;
  if (!call.index && policy.deny.actions.includes(call.action) && call.leadingKeys.some((k) => policy.deny.leadingKeys.some((p) => matchesLike(p, k)))) {
    return false;
  }
  if (call.index) return call.action === 'dynamodb:Query' && call.leadingKeys.every((k) => [...policy.index].some((p) => matchesLike(p, k)));
  const patterns = [...(policy.table.get(call.action) ?? [])];
  const idempotent = IDEMPOTENCY_ACTIONS.includes(call.action) ? policy.idempotency : [];
  return call.leadingKeys.every((k) => patterns.some((p) => matchesLike(p, k)) || idempotent.includes(k));
}
