/**
 * The hash chain of a staff member's audit events (shared/domain/staff-audit.ts), shared by the
 * DynamoDB staff audit log and the in-memory one of the unit tests. Same link rule as the
 * clients' chains (shared/use-cases/access/audit-chain.ts `chainHash`); only the event schema
 * and the chain's owner differ.
 */
import { GENESIS_HASH, type ChainVerification } from '../../domain/audit.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../domain/staff-audit.js';
import { chainHash, type StoredLink } from '../access/audit-chain.js';

export interface StaffAuditChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  event: StaffAuditEvent;
}

/** The link that appends `event` after `head` (undefined: the chain is empty). */
export function nextStaffLink(head: { seq: number; hash: string } | undefined, event: StaffAuditEvent): StaffAuditChainLink {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { seq, prevHash, hash: chainHash(prevHash, seq, event), event };
}

/**
 * Recomputes a staff member's chain from its stored links (in order) and reports the first link
 * that fails, as verifyLinks does for a client: gaps, broken links, changed events, events of
 * another staff member, and a head that disagrees with the last link.
 */
export function verifyStaffLinks(staffId: string, links: Iterable<StoredLink>, head: { seq: unknown; hash: unknown } | undefined): ChainVerification {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const broken = (problem: Extract<ChainVerification, { intact: false }>['problem'], brokenAt = expectedSeq): ChainVerification => ({
    intact: false,
    brokenAt,
    problem,
    intactLength: brokenAt - 1,
  });
  for (const link of links) {
    if (link.seq !== expectedSeq) return broken('sequence_gap');
    if (link.prevHash !== prevHash) return broken('prev_hash_mismatch');
    let hash: string;
    try {
      hash = chainHash(prevHash, expectedSeq, link.event);
    } catch {
      return broken('malformed_event');
    }
    if (link.hash !== hash) return broken('hash_mismatch');
    const parsed = StaffAuditEventSchema.safeParse(link.event);
    if (!parsed.success || parsed.data.staffId !== staffId) return broken('malformed_event');
    prevHash = hash;
    expectedSeq += 1;
  }
  const length = expectedSeq - 1;
  const headSeq = head?.seq ?? 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  if (headSeq !== length || headHash !== prevHash) {
    return broken('head_mismatch', typeof headSeq === 'number' && headSeq > length ? length + 1 : Math.max(length, 1));
  }
  return { intact: true, length, lastHash: prevHash };
}
