/**
 * The hash chain of a staff member's audit events (shared/domain/staff-audit.ts), shared by the
 * DynamoDB staff audit log and the in-memory one of the unit tests. Same link rule as the
 * clients' chains (shared/use-cases/access/audit-chain.ts `chainHash`); only the event schema
 * and the chain's owner differ.
 */
import { GENESIS_HASH, type ChainVerification } from '../../domain/audit.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../domain/staff-audit.js';
import { chainHash, verifyChainLinks, type StoredLink } from '../access/audit-chain.js';

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

/** A staff member's chain: the clients' verification rule (verifyChainLinks) over staff audit events of this member. */
export function verifyStaffLinks(staffId: string, links: Iterable<StoredLink>, head: { seq: unknown; hash: unknown } | undefined): ChainVerification {
  return verifyChainLinks(links, head, (event) => {
    const parsed = StaffAuditEventSchema.safeParse(event);
    return parsed.success && parsed.data.staffId === staffId;
  });
}
