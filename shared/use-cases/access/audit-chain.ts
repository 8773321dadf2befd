/**
 * The hash chain of a client's audit events (what is hashed: shared/domain/audit.ts), shared by
 * the DynamoDB audit log and the in-memory one of the unit tests, so both chain alike.
 */
import { createHash } from 'node:crypto';
import { AuditEventSchema, chainHashInput, GENESIS_HASH, type AuditChainLink, type AuditEvent, type ChainVerification } from '../../domain/audit.js';

/** hash_n = SHA-256(hash_{n-1} + canonicalJson({ seq: n, event })), lowercase hex. */
export function chainHash(prevHash: string, seq: number, event: unknown): string {
  return createHash('sha256').update(chainHashInput(prevHash, seq, event), 'utf8').digest('hex');
}

/** The link that appends `event` after `head` (undefined: the chain is empty). */
export function nextLink(head: { seq: number; hash: string } | undefined, event: AuditEvent): AuditChainLink {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { seq, prevHash, hash: chainHash(prevHash, seq, event), event };
}

/** A link as read back from storage: nothing about it is trusted. */
export interface StoredLink {
  seq: unknown;
  prevHash: unknown;
  hash: unknown;
  event: unknown;
}

/**
 * Recomputes a chain from its stored links (in sequence order) and reports the first link that
 * fails: gaps, broken links, changed events, events that are not the owner's (`ownEvent`), and
 * a `head` (the stored last sequence and hash; undefined when there is none) that disagrees with
 * the last link, so events cut off the end are caught too. One rule for every chain: a client's
 * (verifyLinks) and a staff member's (shared/use-cases/clinicians/staff-audit-chain.ts).
 */
export function verifyChainLinks(
  links: Iterable<StoredLink>,
  head: { seq: unknown; hash: unknown } | undefined,
  ownEvent: (event: unknown) => boolean,
): ChainVerification {
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
    if (!ownEvent(link.event)) return broken('malformed_event');
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

/** A client's chain (verifyChainLinks): every event an AuditEvent of this client. */
export function verifyLinks(clientId: string, links: Iterable<StoredLink>, head: { seq: unknown; hash: unknown } | undefined): ChainVerification {
  return verifyChainLinks(links, head, (event) => {
    const parsed = AuditEventSchema.safeParse(event);
    return parsed.success && parsed.data.clientId === clientId;
  });
}
