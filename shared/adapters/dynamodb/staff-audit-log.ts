/**
 * The staff audit trail in the single table (see keys.ts, patterns 45, 46 and 48): one keyed
 * chain per staff member whose credentialing changed (shared/domain/staff-audit.ts), appended
 * by keyed-chain-store.ts exactly as the clients' chains (audit-log.ts), under the same key.
 * - event    STAFF_AUDIT#<staffId>      / SEQ#<000000000001>  { seq, prevHash, hash, event }
 * - head     STAFF_AUDIT_HEAD#<staffId> / HEAD                { seq, hash, updatedAt }
 * - listing  STAFF_AUDIT_HEAD#<staffId> / CHAIN               GSI1 AUDIT_CHAINS / STAFF#<staffId>
 *
 * A module of its own rather than a second event type in audit-log.ts so that the clients'
 * event schema stays strict and a client's accounting of accesses never meets a staff event.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChainVerification } from '../../domain/audit.js';
import { StaffAuditEventSchema, type StaffAuditEvent } from '../../domain/staff-audit.js';
import { nextStaffLink, verifyStaffLinks } from '../../use-cases/clinicians/staff-audit-chain.js';
import type { AuditMac, StaffAuditLog } from '../../use-cases/ports.js';
import { lazyAuditMac } from '../audit-mac/audit-mac-from-environment.js';
import { createKeyedChainStore, listChains, type ChainShape } from './keyed-chain-store.js';
import { keys } from './keys.js';

/** Credentialing changes to one person are rare; a few rounds absorb an admin's double click. */
const DEFAULT_MAX_ATTEMPTS = 10;

export interface DynamoStaffAuditLog extends StaffAuditLog {
  verifyChain(staffId: string): Promise<ChainVerification>;
  /** The staff member's events in order; nothing is verified here. */
  events(staffId: string): Promise<StaffAuditEvent[]>;
  /** The staff id of every chain (pattern 48). */
  chains(): AsyncIterable<string>;
}

const STAFF_CHAIN: ChainShape<StaffAuditEvent> = {
  name: 'staff-audit',
  eventKey: keys.staffAuditEvent,
  eventsPartition: keys.staffAuditPartition,
  headKey: keys.staffAuditHead,
  listingItem: keys.staffAuditChainListing,
  parse: (input) => StaffAuditEventSchema.parse(input),
  ownerOf: (event) => event.staffId,
  at: (event) => event.at,
  verify: verifyStaffLinks,
  next: nextStaffLink,
};

export function createStaffAuditLog(options: {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  maxAttempts?: number;
  mac?: AuditMac;
}): DynamoStaffAuditLog {
  const store = createKeyedChainStore(STAFF_CHAIN, {
    documentClient: options.documentClient,
    tableName: options.tableName,
    mac: options.mac ?? lazyAuditMac(),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  return {
    record: store.append,
    verifyChain: store.verify,
    events: (staffId) => store.events(staffId),
    chains: () => listChains(options.documentClient, options.tableName, keys.auditChainsPartition(), keys.auditChainsStaffSortPrefix()),
  };
}
