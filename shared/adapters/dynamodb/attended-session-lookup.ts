/**
 * AttendedSessionLookup over the table: reads SESSION#<sessionId> / SESSION (keys.ts pattern 76)
 * and keeps the fields the notes area needs.
 *
 * STUB until the sessions area lands: the item shape { sessionId, clientId, clinicianId,
 * startsAt, attendance } is ASSUMED here; this adapter is to be wired to the sessions
 * repository when it lands (then this file delegates to it and the shape is theirs). Anything
 * not matching the assumed shape reads as no session (a note is then refused, never written
 * for a session we cannot read).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { AttendedSessionLookup } from '../../use-cases/ports.js';
import { keys } from './keys.js';

const SessionItemSchema = z.looseObject({
  sessionId: z.string().min(1),
  clientId: z.string().min(1),
  clinicianId: z.string().min(1),
  startsAt: z.string().min(1),
  attendance: z.enum(['attended', 'late_cancel', 'no_show', 'cancelled', 'scheduled']).optional(),
});

export function createAttendedSessionLookup(options: { documentClient: DynamoDBDocumentClient; tableName: string }): AttendedSessionLookup {
  const { documentClient: db, tableName: TableName } = options;
  return {
    async find(sessionId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.session(sessionId), ConsistentRead: true }));
      const parsed = SessionItemSchema.safeParse(Item);
      if (!parsed.success || parsed.data.sessionId !== sessionId) return undefined;
      const { clientId, clinicianId, startsAt, attendance } = parsed.data;
      return { sessionId, clientId, clinicianId, startsAt, ...(attendance === undefined ? {} : { attendance }) };
    },
  };
}
