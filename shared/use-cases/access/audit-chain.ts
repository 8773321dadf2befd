/**
 * The keyed chain of a client's audit events (what is MACed: shared/domain/audit.ts), shared by
 * the DynamoDB audit log and the in-memory one of the unit tests, so both chain alike.
 *
 * Each link's `hash` is a MAC (HMAC-SHA-256, the AuditMac port) rather than a plain hash: who
 * can write the table but not use the key cannot rewrite an event and re-link the chain after
 * it, because they cannot compute the MACs that would follow.
 */
import { AuditEventSchema, chainHashInput, GENESIS_HASH, type AuditChainLink, type AuditEvent, type ChainVerification } from '../../domain/audit.js';
import type { AuditMac } from '../ports.js';

/** mac_n = HMAC-SHA-256(key, mac_{n-1} + canonicalJson({ seq: n, event })), lowercase hex. */
export function chainMac(mac: AuditMac, prevHash: string, seq: number, event: unknown): Promise<string> {
  return mac.mac(chainHashInput(prevHash, seq, event));
}

/** The link that appends `event` after `head` (undefined: the chain is empty). */
export async function nextLink(mac: AuditMac, head: { seq: number; hash: string } | undefined, event: AuditEvent): Promise<AuditChainLink> {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { seq, prevHash, hash: await chainMac(mac, prevHash, seq, event), event };
}

/** A link as read back from storage: nothing about it is trusted. */
export interface StoredLink {
  seq: unknown;
  prevHash: unknown;
  hash: unknown;
  event: unknown;
}

/**
/**
 * Verifies EVERY stored link of a chain (in sequence order) under the key and reports the first
 * that fails: gaps, broken links, changed events (a MAC the key does not vouch for), events that
 * are not the owner's (`ownEvent`). `head` is the stored last sequence and MAC (undefined when
 * there is none). The head must name the last stored link exactly:
 * - no head while events exist (the head deleted, with or without the first events): broken;
 * - a head behind the last stored event (rewound to an earlier, genuine state to hide the
 *   events after it): broken at the first event beyond the head;
 * - a head ahead of the last stored event (events cut off the end): broken where they are missing.
 * One rule for every chain: a client's (verifyLinks) and a staff member's
 * (shared/use-cases/clinicians/staff-audit-chain.ts).
 */
export async function verifyChainLinks(
  mac: AuditMac,
  links: Iterable<StoredLink>,
  head: { seq: unknown; hash: unknown } | undefined,
  ownEvent: (event: unknown) => boolean,
): Promise<ChainVerification> {
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
    let input: string;
    try {
      input = chainHashInput(prevHash, expectedSeq, link.event);
    } catch {
      return broken('malformed_event');
    }
    if (typeof link.hash !== 'string' || !(await mac.verify(input, link.hash))) return broken('hash_mismatch');
    if (!ownEvent(link.event)) return broken('malformed_event');
    prevHash = link.hash;
    expectedSeq += 1;
  }
  const length = expectedSeq - 1;
  if (head === undefined) {
    // Events without a head: the head was deleted (the chain's end can no longer be vouched for).
    return length === 0 ? { intact: true, length: 0, lastHash: GENESIS_HASH } : broken('head_missing', 1);
  }
  const headSeq = typeof head.seq === 'number' && Number.isInteger(head.seq) ? head.seq : Number.NaN;
  if (headSeq < length) return broken('head_rewound', headSeq + 1);
  if (headSeq !== length || head.hash !== prevHash) {
    return broken('head_mismatch', headSeq > length ? length + 1 : Math.max(length, 1));
  }
  return { intact: true, length, lastHash: prevHash };
}

/** A client's chain (verifyChainLinks): every event an AuditEvent of this client. */
export function verifyLinks(
  mac: AuditMac,
  clientId: string,
  links: Iterable<StoredLink>,
  head: { seq: unknown; hash: unknown } | undefined,
): Promise<ChainVerification> {
  return verifyChainLinks(mac, links, head, (event) => {
    const parsed = AuditEventSchema.safeParse(event);
    return parsed.success && parsed.data.clientId === clientId;
  });
}
