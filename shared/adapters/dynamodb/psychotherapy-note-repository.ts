/**
 * Psychotherapy notes in the single table (keys.ts patterns 74-75), in the AUTHOR's partition
 * PSYNOTE#<authorId>: the sealed note under CLIENT#<clientId>#NOTE#<noteId> and a locator
 * NOTE#<noteId> { clientId }. Only the psychotherapy-note functions are granted this area
 * (table:*:psychotherapy-note), and every request addresses the caller's own partition, so a
 * note is found by its author or by nobody. The text is sealed before it reaches this adapter.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoredPsychotherapyNoteSchema, type StoredPsychotherapyNote } from '../../domain/notes/psychotherapy-notes.js';
import type { PsychotherapyNoteRecords } from '../../use-cases/notes/ports.js';
import { keys } from './keys.js';
import { withoutKeys } from './monitor-items.js';
import type { Item } from './table-operations.js';

export const PSYCHOTHERAPY_NOTE_ENTITY = 'psychotherapy-note';
export const PSYCHOTHERAPY_NOTE_LOCATOR_ENTITY = 'psychotherapy-note-locator';

const toNote = (item: Item): StoredPsychotherapyNote => StoredPsychotherapyNoteSchema.parse(withoutKeys(item));

export function createPsychotherapyNoteRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): PsychotherapyNoteRecords {
  const { documentClient: db, tableName: TableName } = options;
  return {
    async create(note) {
      const { authorId, clientId, noteId } = note;
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { ...keys.psychotherapyNote(authorId, clientId, noteId), entityType: PSYCHOTHERAPY_NOTE_ENTITY, ...structuredClone(note) },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName,
                Item: { ...keys.psychotherapyNoteLocator(authorId, noteId), entityType: PSYCHOTHERAPY_NOTE_LOCATOR_ENTITY, clientId },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    },

    async listOf(authorId, clientId) {
      const items: Item[] = [];
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.psychotherapyNotePartition(authorId), ':prefix': keys.psychotherapyNotesOfClientPrefix(clientId) },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items.map(toNote);
    },

    async get(authorId, noteId) {
      const { Item: locator } = await db.send(new GetCommand({ TableName, Key: keys.psychotherapyNoteLocator(authorId, noteId), ConsistentRead: true }));
      if (typeof locator?.clientId !== 'string') return undefined;
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.psychotherapyNote(authorId, locator.clientId, noteId), ConsistentRead: true }));
      return Item ? toNote(Item) : undefined;
    },
  };
}
