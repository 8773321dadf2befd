/**
 * Check-ins in the single table (keys.ts, patterns 26, 27, 29):
 * - record       CLIENT#<clientId> / CHECK_IN#<checkInId (UUIDv7)>   (by time)
 * - submission   CLIENT#<clientId> / SUBMISSION#<hash> -> { recordId }
 * - pending      CLIENT#<clientId> / RISK_PENDING#check_in#<id>       (self-harm reported)
 * written in ONE transaction, only while the client profile exists; never updated.
 */
import { GetCommand, type DynamoDBDocumentClient, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredCheckIn } from '../../domain/monitor/check-ins.js';
import type { CheckInRecords, SaveOptions, SaveResult } from '../../use-cases/monitor/ports.js';
import { uuidV7LowerBound } from '../../use-cases/monitor/record-ids.js';
import { keys } from './keys.js';
import {
  queryAll,
  queryPage,
  readSubmission,
  saveNewRecord,
  withoutKeys,
  type Item,
} from './monitor-items.js';

export const CHECK_IN_ENTITY = 'check-in';

function toCheckIn(item: Item): StoredCheckIn {
  const record = withoutKeys(item) as unknown as StoredCheckIn;
  if (typeof record.checkInId !== 'string' || typeof record.recordedAt !== 'string') throw new Error('A stored check-in is malformed.');
  return record;
}

export function createCheckInRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): CheckInRecords {
  const { documentClient: db, tableName: TableName } = options;

  async function get(clientId: string, checkInId: string): Promise<StoredCheckIn | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.checkIn(clientId, checkInId), ConsistentRead: true }));
    return Item ? toCheckIn(Item) : undefined;
  }

  async function findBySubmissionKey(clientId: string, submissionKey: string): Promise<string | undefined> {
    const pointer = await readSubmission(db, TableName, clientId, submissionKey);
    return pointer?.recordType === CHECK_IN_ENTITY && typeof pointer.recordId === 'string' ? pointer.recordId : undefined;
  }

  return {
    get,
    findBySubmissionKey,

    async save(checkIn: StoredCheckIn, saveOptions: SaveOptions = {}): Promise<SaveResult<StoredCheckIn>> {
      const { clientId, checkInId } = checkIn;
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          Put: {
            TableName,
            Item: { ...keys.checkIn(clientId, checkInId), entityType: CHECK_IN_ENTITY, ...structuredClone(checkIn) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ];
      return saveNewRecord(db, TableName, {
        clientId,
        record: checkIn,
        items,
        pointer: { recordType: CHECK_IN_ENTITY, recordId: checkInId, at: checkIn.recordedAt },
        options: saveOptions,
        lookup: { findBySubmissionKey, get },
      });
    },

    async list(clientId, page) {
      return queryPage(db, TableName, clientId, keys.checkInPrefix(), page, (item) => {
        const record = toCheckIn(item);
        return { ...record, id: record.checkInId };
      });
    },

    async since(clientId: string, from: string): Promise<StoredCheckIn[]> {
      const at = new Date(from);
      if (Number.isNaN(at.getTime())) throw new RangeError('since() needs an ISO instant.');
      // Ids are UUIDv7: the sort key range starts at the first id that instant can have.
      const items = await queryAll(db, TableName, { clientId, prefix: keys.checkInPrefix(), from: uuidV7LowerBound(at), newestFirst: true });
      return items.map(toCheckIn).filter((c) => Date.parse(c.recordedAt) >= at.getTime());
    },
  };
}
