/**
 * Progress notes in the single table (keys.ts patterns 70-73): the note and its addenda under
 * the client (CLIENT#<clientId> / PROGRESS_NOTE#<noteId>[#ADDENDUM#<UUIDv7>]), the session's
 * one-note pointer (NOTE_OF_SESSION#<sessionId>) and a locator by note id (NOTE#<noteId> /
 * LOCATOR). One note per session is a condition ("if absent" on the pointer, in the note's
 * transaction), the lock is a condition (a draft is replaced only while `status = draft` at its
 * revision), and an addendum is put only while the note is signed: never read-then-write.
 *
 * A care unit's joint notes (patterns 91-94) by the SAME code: the repository is made for a
 * holder (`client`, the default, or `care_unit`, as plan-repository.ts), which only picks the
 * partition and the record that must exist (the client's profile, the unit). The methods' first
 * argument (and a note's `clientId`) is the holder's id; the locator records the holder.
 */
import * as z from 'zod';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NOTE_HOLDERS, type NoteHolder } from '../../domain/notes/joint-notes.js';
import { AddendumSchema, ProgressNoteSchema, type Addendum, type ProgressNote } from '../../domain/notes/progress-notes.js';
import type { CreateNoteResult, ProgressNoteRecords, StoredNote } from '../../use-cases/notes/ports.js';
import { keys } from './keys.js';
import { withoutKeys, type Item } from './monitor-items.js';
import { cancellationReasons, conditionFailed, isConditionalCheckFailure, queryAll } from './table-operations.js';

export const PROGRESS_NOTE_ENTITY = 'progress-note';
export const NOTE_ADDENDUM_ENTITY = 'progress-note-addendum';
export const NOTE_OF_SESSION_ENTITY = 'note-of-session';
export const NOTE_LOCATOR_ENTITY = 'progress-note-locator';

function group(items: readonly Item[]): StoredNote[] {
  const notes = new Map<string, StoredNote>();
  const addenda: Addendum[] = [];
  for (const item of items) {
    if (item.entityType === PROGRESS_NOTE_ENTITY) {
      const note = ProgressNoteSchema.parse(withoutKeys(item));
      notes.set(note.noteId, { note, addenda: [] });
    } else if (item.entityType === NOTE_ADDENDUM_ENTITY) {
      addenda.push(AddendumSchema.parse(withoutKeys(item)));
    }
  }
  for (const addendum of addenda) notes.get(addendum.noteId)?.addenda.push(addendum);
  return [...notes.values()];
}

type Key = { PK: string; SK: string };

/** Where a holder's notes are (keys.ts patterns 70-72 for a client, 91-93 for a care unit). */
interface NoteKeys {
  partition(holderId: string): string;
  /** The record that must exist for a note to be written. */
  holder(holderId: string): Key;
  note(holderId: string, noteId: string): Key;
  addendum(holderId: string, noteId: string, addendumId: string): Key;
  noteOfSession(holderId: string, sessionId: string): Key;
}

const NOTE_KEYS: Record<NoteHolder, NoteKeys> = {
  client: { partition: keys.clientPartition, holder: keys.clientProfile, note: keys.progressNote, addendum: keys.noteAddendum, noteOfSession: keys.noteOfSession },
  care_unit: { partition: keys.careUnitPartition, holder: keys.careUnit, note: keys.unitProgressNote, addendum: keys.unitNoteAddendum, noteOfSession: keys.unitNoteOfSession },
};

const LocatorSchema = z.looseObject({ clientId: z.string().min(1), holder: z.enum(NOTE_HOLDERS).optional() });

export function createProgressNoteRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string; holder?: NoteHolder }): ProgressNoteRecords {
  const { documentClient: db, tableName: TableName } = options;
  const holder = options.holder ?? 'client';
  const at = NOTE_KEYS[holder];
  const query = (holderId: string, prefix: string) =>
    queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': at.partition(holderId), ':prefix': prefix },
      ConsistentRead: true,
    });

  return {
    async create(note: ProgressNote): Promise<CreateNoteResult> {
      const { clientId, noteId, sessionId } = note;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: at.holder(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              { Put: { TableName, Item: { ...at.note(clientId, noteId), entityType: PROGRESS_NOTE_ENTITY, ...structuredClone(note) }, ConditionExpression: 'attribute_not_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...at.noteOfSession(clientId, sessionId), entityType: NOTE_OF_SESSION_ENTITY, noteId, sessionId },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              { Put: { TableName, Item: { ...keys.noteLocator(noteId), entityType: NOTE_LOCATOR_ENTITY, clientId, ...(holder === 'client' ? {} : { holder }) }, ConditionExpression: 'attribute_not_exists(PK)' } },
            ],
          }),
        );
        return { outcome: 'created' };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
        if (conditionFailed(reasons[2])) {
          const { Item } = await db.send(new GetCommand({ TableName, Key: at.noteOfSession(clientId, sessionId), ConsistentRead: true }));
          return { outcome: 'session_has_note', noteId: typeof Item?.noteId === 'string' ? Item.noteId : undefined };
        }
        throw error;
      }
    },

    async locate(noteId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.noteLocator(noteId), ConsistentRead: true }));
      if (!Item) return undefined;
      const locator = LocatorSchema.parse(Item);
      return { holder: locator.holder ?? 'client', holderId: locator.clientId };
    },

    async get(clientId, noteId) {
      const items = await query(clientId, at.note(clientId, noteId).SK);
      return group(items).find((stored) => stored.note.noteId === noteId);
    },

    async listOf(holderId) {
      return group(await query(holderId, keys.progressNotePrefix()));
    },

    async replaceDraft(previous, next) {
      if (next.noteId !== previous.noteId || next.clientId !== previous.clientId) throw new Error('A note is replaced by the same note.');
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...at.note(next.clientId, next.noteId), entityType: PROGRESS_NOTE_ENTITY, ...structuredClone(next) },
            ConditionExpression: 'attribute_exists(PK) AND #status = :draft AND #revision = :revision',
            ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
            ExpressionAttributeValues: { ':draft': 'draft', ':revision': previous.revision },
          }),
        );
        return 'updated';
      } catch (error) {
        if (isConditionalCheckFailure(error)) return 'conflict';
        throw error;
      }
    },

    async addAddendum(clientId, addendum) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName,
                  Key: at.note(clientId, addendum.noteId),
                  ConditionExpression: '#status = :signed',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':signed': 'signed' },
                },
              },
              {
                Put: {
                  TableName,
                  Item: { ...at.addendum(clientId, addendum.noteId, addendum.addendumId), entityType: NOTE_ADDENDUM_ENTITY, ...structuredClone(addendum) },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return 'added';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons && conditionFailed(reasons[0])) return 'not_signed';
        throw error;
      }
    },
  };
}
