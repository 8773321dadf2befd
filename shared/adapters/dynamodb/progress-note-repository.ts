/**
 * Progress notes in the single table (keys.ts patterns 70-73): the note and its addenda under
 * the client (CLIENT#<clientId> / PROGRESS_NOTE#<noteId>[#ADDENDUM#<UUIDv7>]), the session's
 * one-note pointer (NOTE_OF_SESSION#<sessionId>) and a locator by note id (NOTE#<noteId> /
 * LOCATOR). One note per session is a condition ("if absent" on the pointer, in the note's
 * transaction), the lock is a condition (a draft is replaced only while `status = draft` at its
 * revision), and an addendum is put only while the note is signed: never read-then-write.
 */
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AddendumSchema, ProgressNoteSchema, type Addendum, type ProgressNote } from '../../domain/notes/progress-notes.js';
import type { CreateNoteResult, ProgressNoteRecords, StoredNote } from '../../use-cases/notes/ports.js';
import { keys } from './keys.js';
import { queryAll, withoutKeys, type Item } from './monitor-items.js';
import { cancellationReasons, conditionFailed, isConditionalCheckFailure } from './table-operations.js';

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

export function createProgressNoteRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): ProgressNoteRecords {
  const { documentClient: db, tableName: TableName } = options;

  return {
    async create(note: ProgressNote): Promise<CreateNoteResult> {
      const { clientId, noteId, sessionId } = note;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              { Put: { TableName, Item: { ...keys.progressNote(clientId, noteId), entityType: PROGRESS_NOTE_ENTITY, ...structuredClone(note) }, ConditionExpression: 'attribute_not_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...keys.noteOfSession(clientId, sessionId), entityType: NOTE_OF_SESSION_ENTITY, noteId, sessionId },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              { Put: { TableName, Item: { ...keys.noteLocator(noteId), entityType: NOTE_LOCATOR_ENTITY, clientId }, ConditionExpression: 'attribute_not_exists(PK)' } },
            ],
          }),
        );
        return { outcome: 'created' };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
        if (conditionFailed(reasons[2])) {
          const { Item } = await db.send(new GetCommand({ TableName, Key: keys.noteOfSession(clientId, sessionId), ConsistentRead: true }));
          return { outcome: 'session_has_note', noteId: typeof Item?.noteId === 'string' ? Item.noteId : undefined };
        }
        throw error;
      }
    },

    async locate(noteId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.noteLocator(noteId), ConsistentRead: true }));
      return typeof Item?.clientId === 'string' ? Item.clientId : undefined;
    },

    async get(clientId, noteId) {
      const items = await queryAll(db, TableName, { clientId, prefix: keys.progressNote(clientId, noteId).SK });
      return group(items).find((stored) => stored.note.noteId === noteId);
    },

    async listOfClient(clientId) {
      return group(await queryAll(db, TableName, { clientId, prefix: keys.progressNotePrefix() }));
    },

    async replaceDraft(previous, next) {
      if (next.noteId !== previous.noteId || next.clientId !== previous.clientId) throw new Error('A note is replaced by the same note.');
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...keys.progressNote(next.clientId, next.noteId), entityType: PROGRESS_NOTE_ENTITY, ...structuredClone(next) },
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
                  Key: keys.progressNote(clientId, addendum.noteId),
                  ConditionExpression: '#status = :signed',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':signed': 'signed' },
                },
              },
              {
                Put: {
                  TableName,
                  Item: { ...keys.noteAddendum(clientId, addendum.noteId, addendum.addendumId), entityType: NOTE_ADDENDUM_ENTITY, ...structuredClone(addendum) },
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
