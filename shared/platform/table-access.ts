/**
 * What each table capability (capabilities.ts) means as IAM: the actions, and the
 * partition-key prefixes (`dynamodb:LeadingKeys`, StringLike) they are limited to. The
 * prefixes come from keys.ts, the one place key shapes are built, so a renamed key shape
 * moves its grant with it. Infra builds the policy statements from this; the CDK fixture
 * (tests/cdk/fixtures/table-permissions.json) pins the result per function.
 */
import { keys } from '../adapters/dynamodb/keys.js';
import type { IndexPartition, TableArea, TableMode } from './capabilities.js';

/** A partition-key prefix as an IAM StringLike pattern: `CLIENT#*`. */
const under = (prefix: string): string => `${prefix}*`;

export const TABLE_AREA_LEADING_KEYS: Readonly<Record<TableArea, readonly string[]>> = {
  client: [under(keys.clientPartition(''))],
  staff: [under(keys.staffProfile('').PK)],
  email: [under(keys.emailOwner('').PK)],
  consultation: [under(keys.consultation('').PK)],
  'slot-lock': [under(keys.slotLockPartition(''))],
  'risk-task': [under(keys.riskTask('').PK)],
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
};

/** The audit chains (keys.ts patterns 22-23): their own partitions, apart from CLIENT#. */
export const AUDIT_LEADING_KEYS: readonly string[] = [under(keys.auditPartition(''))];

export const TABLE_MODE_ACTIONS: Readonly<Record<TableMode, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  // A write transaction's ConditionCheck (e.g. "the client exists") goes with the write.
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  delete: ['dynamodb:DeleteItem'],
  'batch-write': ['dynamodb:BatchWriteItem'],
};

/** An append reads the head and puts the next event and the head (audit-log.ts). */
export const AUDIT_APPEND_ACTIONS: readonly string[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];

/**
 * Denied to every role on the audit partitions, whatever else it is granted: an event or a
 * head is never updated or deleted by the application (PutItem stays with audit:append: IAM
 * cannot require its "if absent" condition, see the README's IAM section).
 */
export const AUDIT_DENIED_ACTIONS: readonly string[] = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
