/**
 * The audit log in the single table (see keys.ts, patterns 22, 23 and 48): one keyed chain per
 * client, appended by keyed-chain-store.ts.
 * - event    AUDIT#<clientId>      / SEQ#<000000000001>  { seq, prevHash, hash, event }  (hash: a MAC)
 * - head     AUDIT_HEAD#<clientId> / HEAD                { seq, hash, updatedAt }
 * - listing  AUDIT_HEAD#<clientId> / CHAIN               GSI1 AUDIT_CHAINS / CLIENT#<clientId>
 *
 * The partitions are not CLIENT#: removing a client's records (signup compensation, erasure)
 * leaves the audit trail, which has its own retention.
 *
 * What verifyChain finds: a changed, removed, inserted or reordered event, an event rewritten
 * and re-linked without the key, a deleted head, a head rewound behind the stored events, and
 * events cut off behind an unchanged head. What it cannot find alone: the last events deleted
 * AND the head rewound to the last remaining one (a genuine, shorter chain), or a whole chain
 * deleted with its listing item; IAM forbids app roles both (no UpdateItem or DeleteItem on
 * AUDIT#, README Privacy), and the copy of every event in write-once storage shows them.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditEventSchema, type AuditEvent, type ChainVerification } from '../../domain/audit.js';
import { nextLink, verifyLinks } from '../../use-cases/access/audit-chain.js';
import type { AuditLog, AuditMac } from '../../use-cases/ports.js';
import { lazyAuditMac } from '../audit-mac/audit-mac-from-environment.js';
import { ChainAppendError, createKeyedChainStore, listChains, type ChainHead, type ChainShape } from './keyed-chain-store.js';
import { keys } from './keys.js';

export { ChainAppendError as AuditAppendError };
export type AuditChainHead = ChainHead;

/** Enough for dozens of simultaneous appends to one client's chain (one wins per round). */
const DEFAULT_MAX_ATTEMPTS = 40;

export interface DynamoAuditLog extends AuditLog {
  /** Verifies the client's chain under the key (every stored event) and reports the first broken link. */
  verifyChain(clientId: string): Promise<ChainVerification>;
  /** The last sequence number and MAC, or undefined when the client has no events. */
  head(clientId: string): Promise<AuditChainHead | undefined>;
  /** The client's events in order (for an accounting of accesses); nothing is verified here. */
  events(clientId: string, options?: { afterSeq?: number; limit?: number }): Promise<AuditEvent[]>;
  /** The client id of every chain, page by page from the AUDIT_CHAINS listing (pattern 48). */
  chains(): AsyncIterable<string>;
}

const CLIENT_CHAIN: ChainShape<AuditEvent> = {
  name: 'audit',
  eventKey: keys.auditEvent,
  eventsPartition: keys.auditPartition,
  headKey: keys.auditHead,
  listingItem: keys.auditChainListing,
  parse: (input) => AuditEventSchema.parse(input),
  ownerOf: (event) => event.clientId,
  at: (event) => event.at,
  verify: verifyLinks,
  next: nextLink,
};

export function createAuditLog(options: {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Appends tried before AuditAppendError. */
  maxAttempts?: number;
  /** The chain's MAC; by default the one the environment names, resolved at first use (audit-mac-from-environment.ts). */
  mac?: AuditMac;
}): DynamoAuditLog {
  const store = createKeyedChainStore(CLIENT_CHAIN, {
    documentClient: options.documentClient,
    tableName: options.tableName,
    mac: options.mac ?? lazyAuditMac(),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  return {
    record: store.append,
    head: store.head,
    verifyChain: store.verify,
    events: store.events,
    chains: () => listChains(options.documentClient, options.tableName, keys.auditChainsPartition(), keys.auditChainsSortPrefix()),
  };
}
