/**
 * The keyed chain of a staff member's audit events (shared/domain/staff-audit.ts), shared by the
 * DynamoDB staff audit log and the in-memory one of the unit tests. Same link rule and the same
 * key as the clients' chains (shared/use-cases/access/audit-chain.ts `chainMac`); only the event
 * schema and the chain's owner differ.
 */
import { GENESIS_HASH, type ChainVerification } from '../../domain/audit.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../domain/staff-audit.js';
import { chainMac, verifyChainLinks, type StoredLink } from '../access/audit-chain.js';
import type { AuditMac } from '../ports.js';

export interface StaffAuditChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  event: StaffAuditEvent;
}

/** The link that appends `event` after `head` (undefined: the chain is empty). */
export async function nextStaffLink(
  mac: AuditMac,
  head: { seq: number; hash: string } | undefined,
  event: StaffAuditEvent,
): Promise<StaffAuditChainLink> {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { seq, prevHash, hash: await chainMac(mac, prevHash, seq, event), event };
}

/** A staff member's chain: the clients' verification rule (verifyChainLinks) over staff audit events of this member. */
export function verifyStaffLinks(
  mac: AuditMac,
  staffId: string,
  links: Iterable<StoredLink>,
  head: { seq: unknown; hash: unknown } | undefined,
): Promise<ChainVerification> {
  return verifyChainLinks(mac, links, head, (event) => {
    const parsed = StaffAuditEventSchema.safeParse(event);
    return parsed.success && parsed.data.staffId === staffId;
  });
}
