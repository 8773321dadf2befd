/**
 * The copy of every audit event outside the table (issue 9, finding 2): each link a chain
 * appends (clients' `AUDIT#<clientId>`, staff `STAFF_AUDIT#<staffId>`) reaches this use case
 * from the table's stream and is put, as it was stored, into write-once storage (S3 Object Lock,
 * COMPLIANCE, 6 years). What the table alone cannot show - the last events deleted with the
 * head rewound, or a whole chain deleted with its listing - the archive still holds.
 *
 * 1. keep only INSERTs: an event is put once and never updated or deleted, so any other change
 *    to an audit event is itself suspect, and reported as a failure rather than skipped;
 * 2. validate the new image as a link of its chain (zod): entity type, sequence number, MACs,
 *    and the event under the schema of its chain. A malformed link is a failure, never skipped;
 * 3. put `{ seq, prevHash, hash, event }` (canonical JSON, so a redelivered record writes the
 *    same bytes) under `clients/<clientId>/<12-digit seq>.json` or `staff/<staffId>/...`;
 * 4. report each failed record by its id (the stream sequence number): the caller answers
 *    them as batch item failures, and the stream redelivers from the first.
 *
 * Idempotent: a redelivery puts the same key with the same body. Under Object Lock the bucket
 * is versioned, so that adds a second, identical, equally locked version; nothing is replaced.
 * Nothing here verifies MACs: the archive copies what the table holds, the verifier judges it.
 */
import * as z from 'zod';
import { AuditEventSchema, canonicalJson } from '../../domain/audit.js';
import { StaffAuditEventSchema } from '../../domain/staff-audit.js';
import type { AuditArchive } from '../ports.js';

/** The entity types the chains give their event items (shared/adapters/dynamodb/keyed-chain-store.ts). */
export const ARCHIVED_ENTITY_TYPES = { client: 'audit-event', staff: 'staff-audit-event' } as const;

/** The largest sequence number a 12-digit sort key (and archive key) can hold. */
const MAX_SEQ = 999_999_999_999;
const MacSchema = z.string().regex(/^[0-9a-f]{64}$/);
const LinkFields = {
  seq: z.int().min(1).max(MAX_SEQ),
  prevHash: MacSchema,
  hash: MacSchema,
};

/** An event item as the keyed-chain store writes it (keys and other attributes are not copied). */
const ArchivableLinkSchema = z.discriminatedUnion('entityType', [
  z.object({ entityType: z.literal(ARCHIVED_ENTITY_TYPES.client), ...LinkFields, event: AuditEventSchema }),
  z.object({ entityType: z.literal(ARCHIVED_ENTITY_TYPES.staff), ...LinkFields, event: StaffAuditEventSchema }),
]);

/** One change from the table's stream, its image already plain JSON (the handler unmarshals it). */
export interface StreamedItem {
  /** The stream record's sequence number: how a failure is reported back. */
  readonly id: string;
  /** INSERT, MODIFY or REMOVE (undefined if the record lacks it). */
  readonly eventName: string | undefined;
  /** The item after the change (NEW_IMAGE); undefined for a removal or an unreadable image. */
  readonly newImage: unknown;
}

export interface ArchiveObject {
  readonly key: string;
  readonly body: string;
}

export type ArchiveFailureReason =
  /** Not an INSERT: an audit event changed or removed in the table. */
  | 'not_an_insert'
  /** The image is not a well-formed link of a client or staff chain. */
  | 'malformed_link'
  /** Storage refused or failed the put. */
  | 'not_stored';

export interface ArchiveFailure {
  readonly id: string;
  readonly reason: ArchiveFailureReason;
  /** For `malformed_link`: the paths of the invalid fields (never their values). */
  readonly paths?: readonly string[];
  /** For `not_stored`: the archive key and the error's name (never the body). */
  readonly key?: string;
  readonly error?: string;
}

export interface ArchiveResult {
  readonly archived: number;
  readonly failures: readonly ArchiveFailure[];
}

/** Puts at a time: a batch is at most a few hundred records; this keeps sockets and memory modest. */
const PUT_CONCURRENCY = 16;

/** `clients/<clientId>/000000000042.json`: one object per link, listed in chain order. */
export function archiveKey(chain: 'client' | 'staff', ownerId: string, seq: number): string {
  return `${chain === 'client' ? 'clients' : 'staff'}/${ownerId}/${String(seq).padStart(12, '0')}.json`;
}

/** The archive object of one streamed item, or why it cannot be archived. Pure. */
export function toArchiveObject(item: StreamedItem): ArchiveObject | ArchiveFailure {
  if (item.eventName !== 'INSERT') return { id: item.id, reason: 'not_an_insert' };
  const parsed = ArchivableLinkSchema.safeParse(item.newImage);
  if (!parsed.success) {
    return { id: item.id, reason: 'malformed_link', paths: [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))] };
  }
  const link = parsed.data;
  const key =
    link.entityType === ARCHIVED_ENTITY_TYPES.client ? archiveKey('client', link.event.clientId, link.seq) : archiveKey('staff', link.event.staffId, link.seq);
  return { key, body: canonicalJson({ seq: link.seq, prevHash: link.prevHash, hash: link.hash, event: link.event }) };
}

/** Archives a batch of streamed items; every item that is not stored comes back as a failure. */
export async function archiveAuditEvents(items: readonly StreamedItem[], deps: { archive: AuditArchive }): Promise<ArchiveResult> {
  const failures: ArchiveFailure[] = [];
  const objects: { id: string; object: ArchiveObject }[] = [];
  for (const item of items) {
    const result = toArchiveObject(item);
    if ('reason' in result) failures.push(result);
    else objects.push({ id: item.id, object: result });
  }
  let archived = 0;
  for (let start = 0; start < objects.length; start += PUT_CONCURRENCY) {
    const slice = objects.slice(start, start + PUT_CONCURRENCY);
    const outcomes = await Promise.allSettled(slice.map(({ object }) => deps.archive.put(object.key, object.body)));
    outcomes.forEach((outcome, index) => {
      const { id, object } = slice[index]!;
      if (outcome.status === 'fulfilled') archived += 1;
      else failures.push({ id, reason: 'not_stored', key: object.key, error: errorName(outcome.reason) });
    });
  }
  // In stream order: the first failure is where the stream resumes.
  const position = new Map(items.map((item, index) => [item.id, index]));
  return { archived, failures: failures.sort((a, b) => position.get(a.id)! - position.get(b.id)!) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}
