/**
 * The audit trail of a client's health data (DESIGN.md: "Every read or write of health data
 * writes an audit event (who, role, action, record, client, time, outcome, purpose),
 * append-only and tamper-evident").
 *
 * An event names the record (category and id), never its content: the schema is strict and
 * has no free-text field, so a note, an answer or a score cannot ride along.
 *
 * Tamper evidence: each client's events form a KEYED chain. Event n stores
 * `hash_n = HMAC-SHA-256(key, hash_{n-1} + canonicalJson({ seq: n, event }))` (hex; hash_0 =
 * GENESIS_HASH; the attribute keeps the name `hash`, its value is a MAC), so changing, removing
 * or reordering a stored event breaks the link at that event, and whoever can write the table
 * but cannot use the key (a KMS HMAC key in AWS) cannot re-link the chain after a change. The
 * MAC is computed behind the AuditMac port (shared/use-cases/access/audit-chain.ts: the domain
 * does not import node:crypto or KMS); what is MACed is defined here. Truncation (the last
 * events deleted AND the head rewound to match) leaves a valid shorter chain: only a copy kept
 * outside the table can show it (docs/README: Privacy).
 */
import * as z from 'zod';
import { ACCESS_BASES, ACCESS_DENIAL_REASONS, ACCESS_PURPOSES, CLIENT_RECORD_CATEGORIES, RECORD_ACTIONS } from './access.js';
import { ROLES } from './roles.js';

/** Ids in events: Cognito subs, UUIDs, ULIDs, workflow names, request ids. */
const AuditIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/);

/** Workflows and scheduled tasks act as `system`, named by `userId` (e.g. `risk-escalation`). */
export const AUDIT_ACTOR_ROLES = [...ROLES, 'system'] as const;
export type AuditActorRole = (typeof AUDIT_ACTOR_ROLES)[number];

export const AUDIT_OUTCOMES = [
  /** Allowed and done. */
  'success',
  /** The access policy said no. */
  'denied',
  /** Allowed, but the read or write failed (a conflict, an error). */
  'failure',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AuditEventSchema = z
  .strictObject({
    eventId: AuditIdSchema,
    /** When it happened, UTC ISO with milliseconds (`toISOString()`). */
    at: z.iso.datetime({ precision: 3 }),
    /** Who, and in which role. */
    actor: z.strictObject({ userId: AuditIdSchema, role: z.enum(AUDIT_ACTOR_ROLES) }),
    action: z.enum(RECORD_ACTIONS),
    /** Which record: its category and, for one record, its id. Never its content. */
    record: z.strictObject({ category: z.enum(CLIENT_RECORD_CATEGORIES), id: AuditIdSchema.optional() }),
    clientId: AuditIdSchema,
    purpose: z.enum(ACCESS_PURPOSES),
    outcome: z.enum(AUDIT_OUTCOMES),
    /** On `success` and `failure` of a policy-checked access: the basis that allowed it. */
    basis: z.enum(ACCESS_BASES).optional(),
    /** On `denied` only. */
    denialReason: z.enum(ACCESS_DENIAL_REASONS).optional(),
    /** The API request or workflow execution, to join with logs. */
    requestId: AuditIdSchema.optional(),
  })
  .refine((e) => (e.outcome === 'denied') === (e.denialReason !== undefined), {
    error: 'A denied event names its denial reason; other events do not.',
    path: ['denialReason'],
  });
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** hash_0: what the first event of every chain links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** A stored link of a client's chain. */
export interface AuditChainLink {
  /** 1, 2, 3... without gaps. */
  seq: number;
  prevHash: string;
  hash: string;
  event: AuditEvent;
}

export const CHAIN_PROBLEMS = [
  /** The link's sequence number is not the next one (an event removed or inserted). */
  'sequence_gap',
  /** The link does not point at the previous link's hash. */
  'prev_hash_mismatch',
  /** The stored event does not hash to the stored hash (the event was changed). */
  'hash_mismatch',
  /** The stored event is not a valid event of this client (or not JSON). */
  'malformed_event',
  /** The head (last sequence and hash) disagrees with the last link (events cut off the end). */
  'head_mismatch',
  /** Events are stored but the head is gone (deleted, alone or with the first events). */
  'head_missing',
  /** The head names an earlier link than the last stored one (rewound to hide later events). */
  'head_rewound',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export type ChainVerification =
  | { intact: true; length: number; lastHash: string }
  | {
      intact: false;
      /** The sequence number of the first link that fails. */
      brokenAt: number;
      problem: ChainProblem;
      /** How many links before it are intact. */
      intactLength: number;
    };

/** JSON values that canonicalJson accepts (what DynamoDB hands back for an event). */
export type CanonicalJsonValue = string | number | boolean | null | CanonicalJsonValue[] | { [key: string]: CanonicalJsonValue | undefined };

/**
 * Canonical JSON (the subset of RFC 8785 JCS our events need): object members sorted by key
 * (UTF-16 code units, JavaScript's default order), no whitespace, `undefined` members left out,
 * strings and numbers as JSON.stringify writes them (ECMAScript number serialization, as JCS).
 * Two equal events therefore always hash alike, whatever order their keys were stored in.
 * Throws TypeError on what JSON cannot carry faithfully (NaN, Infinity, undefined in an array,
 * functions, sets, dates).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON cannot carry ${value}.`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map((item) => {
        if (item === undefined) throw new TypeError('Canonical JSON cannot carry undefined in an array.');
        return canonicalJson(item);
      })
      .join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`Canonical JSON cannot carry a ${typeof value === 'object' ? (value?.constructor?.name ?? 'object') : typeof value}.`);
}

/** What hash_n is the MAC of: the previous hash, then the canonical `{ seq, event }`. */
export function chainHashInput(prevHash: string, seq: number, event: unknown): string {
  return prevHash + canonicalJson({ seq, event });
}
