/**
 * The staff audit trail in the single table (see keys.ts, patterns 45-46): one hash chain per
 * staff member whose credentialing changed (shared/domain/staff-audit.ts).
 * - event  STAFF_AUDIT#<staffId> / SEQ#<000000000001>  { seq, prevHash, hash, event }
 * - head   STAFF_AUDIT#<staffId> / HEAD                { seq, hash, updatedAt }
 *
 * Appends work as in audit-log.ts (the clients' chains): read the head, put the next event "if
 * absent" and move the head "if still at the sequence read" in ONE transaction, retry on a lost
 * race. It is a module of its own rather than a second event type in audit-log.ts so that the
 * clients' event schema stays strict and a client's accounting of accesses never meets a staff
 * event. Append-only: no update or delete here.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChainVerification } from '../../domain/audit.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../domain/staff-audit.js';
import type { StoredLink } from '../../use-cases/access/audit-chain.js';
import { nextStaffLink, verifyStaffLinks } from '../../use-cases/clinicians/staff-audit-chain.js';
import type { StaffAuditLog } from '../../use-cases/ports.js';
import { keys } from './keys.js';

export const STAFF_AUDIT_EVENT_ENTITY = 'staff-audit-event';
export const STAFF_AUDIT_HEAD_ENTITY = 'staff-audit-head';

/** Credentialing changes to one person are rare; a few rounds absorb an admin's double click. */
const DEFAULT_MAX_ATTEMPTS = 10;
const BACKOFF_CAP_MS = 50;

export class StaffAuditAppendError extends Error {
  constructor(staffId: string, attempts: number, options?: { cause?: unknown }) {
    super(`Could not append to the staff audit chain of ${staffId} after ${attempts} attempts.`, options);
    this.name = 'StaffAuditAppendError';
  }
}

export interface DynamoStaffAuditLog extends StaffAuditLog {
  verifyChain(staffId: string): Promise<ChainVerification>;
  /** The staff member's events in order; nothing is verified here. */
  events(staffId: string): Promise<StaffAuditEvent[]>;
}

function isRetryable(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TransactionCanceledException' || error.name === 'TransactionConflictException');
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createStaffAuditLog(options: { documentClient: DynamoDBDocumentClient; tableName: string; maxAttempts?: number }): DynamoStaffAuditLog {
  const { documentClient: db, tableName: TableName } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  async function readHead(staffId: string): Promise<{ seq: number; hash: string } | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.staffAuditHead(staffId), ConsistentRead: true }));
    return Item ? { seq: Number(Item.seq), hash: String(Item.hash) } : undefined;
  }

  async function queryLinks(staffId: string, toSeq: number): Promise<StoredLink[]> {
    const links: StoredLink[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.staffAuditPartition(staffId),
            ':from': keys.staffAuditEvent(staffId, 1).SK,
            ':to': keys.staffAuditEvent(staffId, toSeq).SK,
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) links.push({ seq: item.seq, prevHash: item.prevHash, hash: item.hash, event: item.event });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return links;
  }

  return {
    async record(input) {
      const event = StaffAuditEventSchema.parse(input);
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        const head = await readHead(event.staffId);
        const link = nextStaffLink(head, event);
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName,
                    Item: { ...keys.staffAuditEvent(event.staffId, link.seq), entityType: STAFF_AUDIT_EVENT_ENTITY, ...link },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { ...keys.staffAuditHead(event.staffId), entityType: STAFF_AUDIT_HEAD_ENTITY, seq: link.seq, hash: link.hash, updatedAt: event.at },
                    ...(head
                      ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': head.seq } }
                      : { ConditionExpression: 'attribute_not_exists(PK)' }),
                  },
                },
              ],
            }),
          );
          return;
        } catch (error) {
          if (!isRetryable(error)) throw error;
          lastError = error;
          await pause(Math.random() * Math.min(BACKOFF_CAP_MS, 2 ** attempt));
        }
      }
      throw new StaffAuditAppendError(event.staffId, maxAttempts, { cause: lastError });
    },

    async verifyChain(staffId) {
      const head = await readHead(staffId);
      return verifyStaffLinks(staffId, await queryLinks(staffId, head?.seq ?? 1), head);
    },

    async events(staffId) {
      const head = await readHead(staffId);
      if (!head) return [];
      return (await queryLinks(staffId, head.seq)).map((link) => StaffAuditEventSchema.parse(link.event));
    },
  };
}
