/**
 * The email-uniqueness record: one item per normalized email, naming who owns it. Clients and
 * staff share it, so an email belongs to one person across both user pools. Written with
 * `attribute_not_exists` in the same transaction as the owner's profile; never read-then-write.
 *
 * Item: EMAIL#<email> / EMAIL, `owner: { userId, kind }` (`owner` is a DynamoDB reserved word:
 * name it through ExpressionAttributeNames in expressions).
 */
import type { EmailOwner } from '../../use-cases/ports.js';
import { keys } from './keys.js';

export type { EmailOwner };

export const EMAIL_OWNER_ENTITY = 'email';

/** The item to Put (with `attribute_not_exists(PK)`); staff seeding uses it too. */
export function emailOwnerItem(email: string, owner: EmailOwner, createdAt: string): Record<string, unknown> {
  return { ...keys.emailOwner(email), entityType: EMAIL_OWNER_ENTITY, email, owner: { userId: owner.userId, kind: owner.kind }, createdAt };
}

/** Reads `owner` from a stored item; undefined when the item is not an email-owner record. */
export function readEmailOwner(item: Record<string, unknown> | undefined): EmailOwner | undefined {
  const owner = item?.owner as { userId?: unknown; kind?: unknown } | undefined;
  if (typeof owner?.userId !== 'string' || (owner.kind !== 'client' && owner.kind !== 'staff')) return undefined;
  return { userId: owner.userId, kind: owner.kind };
}
