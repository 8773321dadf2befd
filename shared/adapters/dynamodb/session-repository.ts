/**
 * Therapy session records in the single table (keys.ts, patterns 60-65):
 * - session         SESSION#<id> / SESSION   (GSI1 SESSIONS_OF#<therapist> / <start>#<id>)
 * - client pointer  CLIENT#<clientId> / SESSION#<id>   { start, status, seriesId, therapistId }
 * - no-show task    CLIENT#<clientId> / SESSION_TASK#no_shows#<id> (GSI1 SESSION_TASKS_OF#<therapist>)
 * - lock cells      SLOTLOCK#<therapist> / CELL#<iso>  (pattern 18, kind `session`)
 * - sent emails     SESSION#<id> / NOTIFICATION#<key>  (pattern 63, the workflow's once-only record)
 *
 * The cells are the consultations' cells: a session's cells are put "if absent, or a hold that
 * expired" in the booking transaction, exactly as a consultation's, and a consultation never
 * takes a cell of kind `session`, so one clinician's sessions and consultations can never
 * overlap, whatever the concurrency. A transaction holds at most 100 items, so a series (up to
 * 12 x 20 items) is booked one session per transaction; the use case gives back what it booked
 * when a later session of the series is lost (unbook).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors.js';
import { CANCELLED_STATUSES } from '../../domain/sessions/sessions.js';
import type { SessionRecords, StoredSession, StoredSessionTask } from '../../use-cases/sessions/ports.js';
import { SLOT_LOCK_ENTITY } from './consultation-repository.js';
import { keys } from './keys.js';
import {
  batchGetAll,
  conditionFailed,
  isConditionalCheckFailure,
  queryAll,
  withoutAttributes,
  epochSeconds,
  iso,
  STORAGE_ATTRIBUTES,
  type Item,
  type TransactItem,
  transactWithRetry,
} from './table-operations.js';

export const SESSION_ENTITY = 'session';
export const SESSION_POINTER_ENTITY = 'client-session';
export const NO_SHOW_TASK_ENTITY = 'session-no-show-task';
export const SESSION_NOTIFICATION_ENTITY = 'session-notification';

/** Lock cells outlive the session this long, then TTL removes them. */
const CELL_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const TRANSACTION_ATTEMPTS = 8;
/** A reservation of a series move (reserveCells) frees itself after this long if never turned into cells. */
const RESERVATION_SECONDS = 120;

function sessionItem(session: StoredSession): Item {
  return { ...keys.session(session.sessionId), ...keys.sessionsOfTherapist(session.therapistId, session.start, session.sessionId), entityType: SESSION_ENTITY, ...session };
}

/** Where a session's pointer lives: its client's record (pattern 62), or its care unit's for a joint session (pattern 90). */
function pointerKey(session: Pick<StoredSession, 'clientId' | 'unitId' | 'sessionId'>): { PK: string; SK: string } {
  return session.unitId ? keys.unitSession(session.unitId, session.sessionId) : keys.clientSession(session.clientId, session.sessionId);
}

function pointerItem(session: StoredSession): Item {
  return {
    ...pointerKey(session),
    entityType: SESSION_POINTER_ENTITY,
    sessionId: session.sessionId,
    therapistId: session.therapistId,
    start: session.start,
    status: session.status,
    createdAt: session.createdAt,
    ...(session.seriesId ? { seriesId: session.seriesId } : {}),
  };
}

export function createSessionRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): SessionRecords {
  const { documentClient: db, tableName: TableName } = options;
  /** A no-show task (pattern 64/65), put "if absent" in the attendance's transaction: one per session and member. */
  const noShowTaskPut = (clientId: string, session: Pick<StoredSession, 'sessionId' | 'therapistId'>, raisedAt: string): TransactItem => ({
    Put: {
      TableName,
      Item: {
        ...keys.noShowTask(clientId, session.sessionId, session.therapistId, raisedAt),
        entityType: NO_SHOW_TASK_ENTITY,
        kind: 'no_shows_in_a_row',
        clientId,
        therapistId: session.therapistId,
        sessionId: session.sessionId,
        raisedAt,
        status: 'open',
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });

  /** undefined when written; the cancellation reasons when a condition failed (table-operations.ts). */
  const transact = (TransactItems: TransactItem[]) =>
    transactWithRetry(db, TransactItems, {
      attempts: TRANSACTION_ATTEMPTS,
      exhausted: () => new ServiceUnavailableError('Many people are booking right now. Please try again in a moment.'),
    });

  function cellPut(session: StoredSession, cell: string, nowSec: number, own: boolean): TransactItem {
    return {
      Put: {
        TableName,
        Item: {
          ...keys.slotLock(session.therapistId, cell),
          entityType: SLOT_LOCK_ENTITY,
          clinicianId: session.therapistId,
          cell,
          kind: 'session',
          ownerId: session.sessionId,
          clientId: session.clientId,
          start: session.start,
          expiresAt: epochSeconds(Date.parse(session.end)) + CELL_RETENTION_SECONDS,
        },
        // Free: absent, or a consultation hold that expired (the consultations' own rule); or ours
        // already (our cell, our reservation). `own` also accepts absent: a series moving onto its
        // own times takes a cell its sibling session released in the swap just before.
        ConditionExpression: own ? 'attribute_not_exists(PK) OR ownerId = :id' : 'attribute_not_exists(PK) OR (#kind = :hold AND #expiresAt <= :nowSec)',
        ...(own
          ? { ExpressionAttributeValues: { ':id': session.sessionId } }
          : { ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt' }, ExpressionAttributeValues: { ':hold': 'hold', ':nowSec': nowSec } }),
      },
    };
  }

  function cellDelete(therapistId: string, cell: string, sessionId: string): TransactItem {
    return {
      Delete: {
        TableName,
        Key: keys.slotLock(therapistId, cell),
        ConditionExpression: 'attribute_not_exists(PK) OR ownerId = :id',
        ExpressionAttributeValues: { ':id': sessionId },
      },
    };
  }

  async function getItem(Key: Item): Promise<Item | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    return Item;
  }

  const toSession = (item: Item) => withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as StoredSession;

  return {
    async book(session, now) {
      const nowSec = epochSeconds(now.getTime());
      const reasons = await transact([
        { Put: { TableName, Item: sessionItem(session), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName, Item: pointerItem(session), ConditionExpression: 'attribute_not_exists(PK)' } },
        ...session.lockCells.map((cell) => cellPut(session, cell, nowSec, false)),
      ]);
      return reasons ? 'slot_taken' : 'booked';
    },

    async unbook(session) {
      // Only what this booking wrote: each delete is conditional on its owner.
      await transact([
        { Delete: { TableName, Key: keys.session(session.sessionId), ConditionExpression: 'attribute_not_exists(PK) OR scheduleVersion = :one', ExpressionAttributeValues: { ':one': 1 } } },
        ...session.lockCells.map((cell) => cellDelete(session.therapistId, cell, session.sessionId)),
      ]);
      await db.send(new DeleteCommand({ TableName, Key: pointerKey(session) }));
    },

    async get(sessionId) {
      const item = await getItem(keys.session(sessionId));
      return item ? toSession(item) : undefined;
    },

    async listForClient(clientId) {
      const pointers = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientSessionPrefix() },
        ProjectionExpression: 'sessionId',
        ConsistentRead: true,
      });
      const items = await batchGetAll(db, TableName, pointers.map((p) => keys.session(p.sessionId as string)), { consistent: true });
      return items.map(toSession).sort((a, b) => a.start.localeCompare(b.start));
    },

    async recordMemberAttendance({ session, clientId, status, overall, now, noShowTask }) {
      const at = now.toISOString();
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.session(session.sessionId),
            UpdateExpression: `SET memberAttendance.#member = :member, updatedAt = :at${overall ? ', #status = :overall, attendanceRecordedAt = :at' : ''}`,
            ConditionExpression: '#status = :booked AND scheduleVersion = :version AND attribute_not_exists(memberAttendance.#member)',
            ExpressionAttributeNames: { '#status': 'status', '#member': clientId },
            ExpressionAttributeValues: { ':member': status, ':booked': 'booked', ':version': session.scheduleVersion, ':at': at, ...(overall ? { ':overall': overall } : {}) },
          },
        },
      ];
      if (overall) {
        items.push({
          Update: { TableName, Key: pointerKey(session), UpdateExpression: 'SET #status = :status', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': overall } },
        });
      }
      if (noShowTask) items.push(noShowTaskPut(clientId, session, noShowTask.raisedAt));
      return (await transact(items)) ? 'conflict' : 'changed';
    },

    async listForUnit(unitId) {
      const pointers = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.careUnitPartition(unitId), ':prefix': keys.unitSessionPrefix() },
        ProjectionExpression: 'sessionId',
        ConsistentRead: true,
      });
      const items = await batchGetAll(db, TableName, pointers.map((p) => keys.session(p.sessionId as string)), { consistent: true });
      return items.map(toSession).sort((a, b) => a.start.localeCompare(b.start));
    },

    async change({ session, status, by, now, releaseCells, noShowTask }) {
      const at = now.toISOString();
      const cancel = CANCELLED_STATUSES.includes(status);
      const stamp = cancel && releaseCells ? 'cancelledAt = :at, cancelledBy = :by' : 'attendanceRecordedAt = :at';
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.session(session.sessionId),
            UpdateExpression: `SET #status = :status, updatedAt = :at, ${stamp}`,
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':booked': 'booked',
              ':at': at,
              ':version': session.scheduleVersion,
              ...(cancel && releaseCells ? { ':by': by } : {}),
            },
          },
        },
        {
          Update: {
            TableName,
            Key: pointerKey(session),
            UpdateExpression: 'SET #status = :status',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
          },
        },
        ...(releaseCells ? session.lockCells.map((cell) => cellDelete(session.therapistId, cell, session.sessionId)) : []),
      ];
      if (noShowTask) items.push(noShowTaskPut(session.clientId, session, noShowTask.raisedAt));
      return (await transact(items)) ? 'conflict' : 'changed';
    },

    async reschedule({ session, start, end, newCells, now, reserved }) {
      const at = now.toISOString();
      const id = session.sessionId;
      const oldSet = new Set(session.lockCells);
      const next = newCells.map(iso);
      const nextSet = new Set(next);
      const nowSec = epochSeconds(now.getTime());
      const moved: StoredSession = { ...session, start, end };
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.session(id),
            UpdateExpression: 'SET #start = :start, #end = :end, scheduleVersion = :next, scheduledAt = :at, updatedAt = :at, GSI1SK = :sortKey, lockCells = :cells',
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status', '#start': 'start', '#end': 'end' },
            ExpressionAttributeValues: {
              ':start': start,
              ':end': end,
              ':next': session.scheduleVersion + 1,
              ':version': session.scheduleVersion,
              ':booked': 'booked',
              ':at': at,
              ':sortKey': keys.sessionsOfTherapist(session.therapistId, start, id).GSI1SK,
              ':cells': next,
            },
          },
        },
        {
          Update: {
            TableName,
            Key: pointerKey(session),
            UpdateExpression: 'SET #start = :start',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#start': 'start' },
            ExpressionAttributeValues: { ':start': start },
          },
        },
      ];
      const newCellIndexes = new Set<number>();
      for (const cell of next) {
        newCellIndexes.add(items.length);
        items.push(cellPut(moved, cell, nowSec, oldSet.has(cell) || reserved === true));
      }
      for (const cell of oldSet) if (!nextSet.has(cell)) items.push(cellDelete(session.therapistId, cell, id));
      const reasons = await transact(items);
      if (!reasons) return 'rescheduled';
      if (conditionFailed(reasons[0])) return 'conflict';
      return reasons.some((reason, index) => conditionFailed(reason) && newCellIndexes.has(index)) ? 'slot_taken' : 'conflict';
    },

    async reserveCells({ session, start, newCells, now }) {
      const nowSec = epochSeconds(now.getTime());
      const own = new Set(session.lockCells);
      const cells = newCells.map(iso).filter((cell) => !own.has(cell));
      if (cells.length === 0) return 'reserved';
      const reasons = await transact(
        cells.map((cell) => ({
          Put: {
            TableName,
            Item: {
              ...keys.slotLock(session.therapistId, cell),
              entityType: SLOT_LOCK_ENTITY,
              clinicianId: session.therapistId,
              cell,
              // A hold: lockedCells counts it while unexpired, and anyone may take it once expired.
              kind: 'hold',
              ownerId: session.sessionId,
              clientId: session.clientId,
              start,
              expiresAt: nowSec + RESERVATION_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR (#kind = :hold AND #expiresAt <= :nowSec)',
            ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':hold': 'hold', ':nowSec': nowSec },
          },
        })),
      );
      return reasons ? 'slot_taken' : 'reserved';
    },

    async releaseReservedCells({ session, newCells }) {
      const own = new Set(session.lockCells);
      const cells = newCells.map(iso).filter((cell) => !own.has(cell));
      if (cells.length > 0) await transact(cells.map((cell) => cellDelete(session.therapistId, cell, session.sessionId)));
    },

    async attendedSessions(clientId, since) {
      const pointers = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeNames: { '#status': 'status', '#start': 'start' },
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientSessionPrefix() },
        ProjectionExpression: '#status, #start',
        ConsistentRead: true,
      });
      return pointers.filter((p) => p.status === 'attended' && (since === undefined || (p.start as string) >= since)).length;
    },

    async openTasksOf(therapistId) {
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :open)',
        ExpressionAttributeValues: { ':pk': keys.sessionTasksOfPartition(therapistId), ':open': keys.openSessionTaskPrefix() },
      });
      return items.map((item) => withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as StoredSessionTask).filter((task) => task.status === 'open');
    },

    async getTask(clientId, sessionId) {
      const item = await getItem(keys.noShowTaskKey(clientId, sessionId));
      return item ? (withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as StoredSessionTask) : undefined;
    },

    async openTasksOfClient(clientId) {
      const items = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.sessionTaskPrefix() },
        ConsistentRead: true,
      });
      return items.map((item) => withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as StoredSessionTask).filter((task) => task.status === 'open');
    },

    async closeTask({ task, by, note, reason, now }) {
      // The therapist's note, or the system's reason (care ended): one or the other is stored.
      const [closing, value] = note !== undefined ? ['closeNote', note] : ['closeReason', reason];
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.noShowTaskKey(task.clientId, task.sessionId),
            UpdateExpression: `SET #status = :closed, closedAt = :at, closedBy = :by, ${closing} = :closing REMOVE GSI1PK, GSI1SK`,
            ConditionExpression: '#status = :open AND therapistId = :therapist',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': now.toISOString(), ':by': by, ':closing': value, ':therapist': task.therapistId },
          }),
        );
        return 'closed';
      } catch (error) {
        if (isConditionalCheckFailure(error)) return 'not_open';
        throw error;
      }
    },

    async hasNotification(sessionId, key) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.sessionNotification(sessionId, key), ConsistentRead: true, ProjectionExpression: 'PK' }));
      return Item !== undefined;
    },

    async recordNotification(sessionId, notification) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...keys.sessionNotification(sessionId, notification.key), entityType: SESSION_NOTIFICATION_ENTITY, sessionId, ...notification },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
      }
    },
  };
}
