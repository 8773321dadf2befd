/**
 * Consultation records in the single table (keys.ts, patterns 11-18):
 * - consultation        CONSULTATION#<id> / CONSULTATION   (GSI1 CONSULTATIONS_OF#<clinician> / <start>#<id>)
 * - sent notifications  CONSULTATION#<id> / NOTIFICATION#<key>
 * - outcome notes       CONSULTATION#<id> / OUTCOME_NOTES  (clinical: apart from the record, never listed)
 * - client pointer      CLIENT#<clientId> / CONSULTATION#<id>
 * - free consultation   CLIENT#<clientId> / FREE_CONSULTATION
 * - holds               CLIENT#<clientId> / HOLD#<1..N>    (TTL expiresAt)
 * - lock cells          SLOTLOCK#<clinician> / CELL#<iso>  (one per 5-minute cell a booking or hold occupies)
 *
 * The invariants are conditions inside one TransactWriteItems each, never read-then-write:
 * - no double booking: every cell of a consultation is put "if absent, or a hold that expired
 *   (or the caller's own hold being converted)"; two consultations of one clinician conflict
 *   exactly when their cells intersect (shared/domain/scheduling.ts occupiedCells);
 * - one free consultation: the client's record is updated to `booked` only if absent or
 *   `available`, in the same transaction;
 * - at most N holds: a hold takes one of the client's numbered places "if absent or expired".
 *
 * DynamoDB cancels a transaction that collides with another in flight on the same item
 * (TransactionConflict): nothing was written, so it is tried again after a short random pause.
 */
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { stateAfterNoShow } from '../../domain/consultations.js';
import { ServiceUnavailableError } from '../../domain/errors.js';
import type {
  BookingResult,
  ConsultationNotes,
  ConsultationRecords,
  FreeConsultationRecord,
  HoldResult,
  StoredConsultation,
  StoredHold,
} from '../../use-cases/consultations/ports.js';
import { stageUpdate } from './client-stage.js';
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

export const CONSULTATION_ENTITY = 'consultation';
export const CONSULTATION_POINTER_ENTITY = 'client-consultation';
export const FREE_CONSULTATION_ENTITY = 'free-consultation';
export const HOLD_ENTITY = 'consultation-hold';
export const SLOT_LOCK_ENTITY = 'slot-lock';
export const CONSULTATION_NOTES_ENTITY = 'consultation-notes';
export const CONSULTATION_NOTIFICATION_ENTITY = 'consultation-notification';

/** Lock cells of a booking outlive it this long, then TTL removes them (history is the consultation item). */
const BOOKING_CELL_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const TRANSACTION_ATTEMPTS = 8;

/** The consultation item (with the cells it holds, so release never recomputes them under a changed policy). */
function consultationItem(consultation: StoredConsultation): Item {
  return {
    ...keys.consultation(consultation.consultationId),
    ...keys.consultationsOfClinician(consultation.clinicianId, consultation.start, consultation.consultationId),
    entityType: CONSULTATION_ENTITY,
    ...consultation,
  };
}

function toConsultation(item: Item): StoredConsultation {
  return withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as StoredConsultation;
}

export function createConsultationRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): ConsultationRecords {
  const { documentClient: db, tableName: TableName } = options;

  /** undefined when written; the cancellation reasons when a condition failed (table-operations.ts). */
  const transact = (TransactItems: TransactItem[]) =>
    transactWithRetry(db, TransactItems, {
      attempts: TRANSACTION_ATTEMPTS,
      exhausted: () => new ServiceUnavailableError('Many people are booking right now. Please try again in a moment.'),
    });

  /** A cell may be taken when absent, or held by a hold that expired (or by `ownHoldId`). */
  function takeable(ownHoldId: string | undefined): { expression: string; values: Item } {
    const own = ownHoldId === undefined ? '' : ' OR (#kind = :hold AND ownerId = :ownHoldId)';
    return {
      expression: `attribute_not_exists(PK) OR (#kind = :hold AND #expiresAt <= :nowSec)${own}`,
      values: ownHoldId === undefined ? {} : { ':ownHoldId': ownHoldId },
    };
  }

  function cellItem(clinicianId: string, cell: string, owner: { kind: 'consultation' | 'hold'; ownerId: string; clientId: string; start: string; expiresAt: number }): Item {
    return { ...keys.slotLock(clinicianId, cell), entityType: SLOT_LOCK_ENTITY, clinicianId, cell, ...owner };
  }

  const batchGet = (itemKeys: Item[]) => batchGetAll(db, TableName, itemKeys, { consistent: true });

  async function getItem(Key: Item): Promise<Item | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    return Item;
  }

  return {
    async lockedCells(clinicianId, from, to, now) {
      const items = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt', '#cell': 'cell' },
        ExpressionAttributeValues: {
          ':pk': keys.slotLockPartition(clinicianId),
          ':from': keys.slotLockSortKey(iso(from)),
          ':to': keys.slotLockSortKey(iso(to)),
        },
        ProjectionExpression: '#cell, #kind, #expiresAt',
        ConsistentRead: true,
      });
      const nowSec = epochSeconds(now.getTime());
      return items
        .filter((item) => item.kind !== 'hold' || (item.expiresAt as number) > nowSec)
        .map((item) => Date.parse(item.cell as string))
        .filter((cell) => cell >= from && cell < to);
    },

    async book({ consultation, hold, now }): Promise<BookingResult> {
      const at = now.toISOString();
      const { lockCells } = consultation;
      const cellExpiry = epochSeconds(Date.parse(consultation.end)) + BOOKING_CELL_RETENTION_SECONDS;
      const take = takeable(hold?.holdId);
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.freeConsultation(consultation.clientId),
            UpdateExpression:
              'SET #state = :booked, consultationId = :id, clientId = :clientId, entityType = :entity, updatedAt = :at, noShows = if_not_exists(noShows, :zero)',
            ConditionExpression: 'attribute_not_exists(PK) OR #state = :available',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':booked': 'booked',
              ':available': 'available',
              ':id': consultation.consultationId,
              ':clientId': consultation.clientId,
              ':entity': FREE_CONSULTATION_ENTITY,
              ':at': at,
              ':zero': 0,
            },
          },
        },
        { Put: { TableName, Item: consultationItem(consultation), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            TableName,
            Item: {
              ...keys.clientConsultation(consultation.clientId, consultation.consultationId),
              entityType: CONSULTATION_POINTER_ENTITY,
              consultationId: consultation.consultationId,
              createdAt: consultation.createdAt,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...(hold
          ? [
              {
                Delete: {
                  TableName,
                  Key: keys.consultationHold(consultation.clientId, hold.place),
                  ConditionExpression: 'holdId = :holdId',
                  ExpressionAttributeValues: { ':holdId': hold.holdId },
                },
              } satisfies TransactItem,
            ]
          : []),
      ];
      const firstCell = items.length;
      for (const cell of lockCells) {
        items.push({
          Put: {
            TableName,
            Item: cellItem(consultation.clinicianId, cell, {
              kind: 'consultation',
              ownerId: consultation.consultationId,
              clientId: consultation.clientId,
              start: consultation.start,
              expiresAt: cellExpiry,
            }),
            ConditionExpression: take.expression,
            ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':hold': 'hold', ':nowSec': epochSeconds(now.getTime()), ...take.values },
          },
        });
      }
      const reasons = await transact(items);
      if (!reasons) return { outcome: 'booked' };
      if (conditionFailed(reasons[0])) return { outcome: 'free_consultation_used' };
      if (reasons.slice(firstCell).some(conditionFailed)) return { outcome: 'slot_taken' };
      // The new ids collided, or the hold changed under us: nothing was written.
      return { outcome: 'slot_taken' };
    },

    async hold({ hold, cells, maxHolds, now }): Promise<HoldResult> {
      const nowSec = epochSeconds(now.getTime());
      const expiresAtSec = Math.ceil(Date.parse(hold.expiresAt) / 1000);
      const existing = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(hold.clientId), ':prefix': keys.consultationHoldPrefix() },
        ConsistentRead: true,
      });
      const busy = new Set(existing.filter((item) => (item.expiresAt as number) > nowSec).map((item) => item.place as number));
      const places = Array.from({ length: maxHolds }, (_, i) => i + 1).filter((place) => !busy.has(place));
      for (const place of places) {
        const stored: StoredHold = { ...hold, place };
        const items: TransactItem[] = [
          {
            ConditionCheck: {
              TableName,
              Key: keys.freeConsultation(hold.clientId),
              ConditionExpression: 'attribute_not_exists(PK) OR #state = :available',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':available': 'available' },
            },
          },
          {
            Put: {
              TableName,
              Item: { ...keys.consultationHold(hold.clientId, place), entityType: HOLD_ENTITY, ...stored, expiresAt: expiresAtSec, expiresAtIso: hold.expiresAt },
              // Race-free cap: the place is taken only if free, whatever else runs concurrently.
              ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :nowSec',
              ExpressionAttributeValues: { ':nowSec': nowSec },
            },
          },
          ...cells.map(
            (cell): TransactItem => ({
              Put: {
                TableName,
                Item: cellItem(hold.clinicianId, iso(cell), { kind: 'hold', ownerId: hold.holdId, clientId: hold.clientId, start: hold.start, expiresAt: expiresAtSec }),
                ConditionExpression: takeable(undefined).expression,
                ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt' },
                ExpressionAttributeValues: { ':hold': 'hold', ':nowSec': nowSec },
              },
            }),
          ),
        ];
        const reasons = await transact(items);
        if (!reasons) return { outcome: 'held', hold: stored };
        if (conditionFailed(reasons[0])) return { outcome: 'free_consultation_used' };
        if (reasons.slice(2).some(conditionFailed)) return { outcome: 'slot_taken' };
        // Only the place was taken meanwhile (a concurrent hold of the same client): try the next.
      }
      return { outcome: 'hold_limit_reached' };
    },

    async findHold(clientId, holdId, now) {
      const items = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.consultationHoldPrefix() },
        ConsistentRead: true,
      });
      const item = items.find((candidate) => candidate.holdId === holdId && (candidate.expiresAt as number) > epochSeconds(now.getTime()));
      if (!item) return undefined;
      return {
        holdId: item.holdId as string,
        clientId: item.clientId as string,
        clinicianId: item.clinicianId as string,
        start: item.start as string,
        expiresAt: item.expiresAtIso as string,
        place: item.place as number,
        createdAt: item.createdAt as string,
      };
    },

    async get(consultationId) {
      const item = await getItem(keys.consultation(consultationId));
      return item ? toConsultation(item) : undefined;
    },

    async listForClient(clientId) {
      const pointers = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientConsultationPrefix() },
        ProjectionExpression: 'consultationId',
        ConsistentRead: true,
      });
      const items = await batchGet(pointers.map((pointer) => keys.consultation(pointer.consultationId as string)));
      return items.map(toConsultation).sort((a, b) => a.start.localeCompare(b.start));
    },

    async listForClinician(clinicianId, fromIso) {
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :from',
        ExpressionAttributeValues: { ':pk': keys.consultationsOfClinicianPartition(clinicianId), ':from': fromIso },
      });
      return items.map(toConsultation);
    },

    async getFreeConsultation(clientId) {
      const item = await getItem(keys.freeConsultation(clientId));
      return item ? (withoutAttributes(item, STORAGE_ATTRIBUTES) as unknown as FreeConsultationRecord) : undefined;
    },

    async cancel(consultation, by, now) {
      const at = now.toISOString();
      const id = consultation.consultationId;
      const reasons = await transact([
        {
          Update: {
            TableName,
            Key: keys.consultation(id),
            UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at, cancelledBy = :by, updatedAt = :at',
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':booked': 'booked', ':at': at, ':by': by, ':version': consultation.scheduleVersion },
          },
        },
        {
          // Released: the client may book their free consultation again.
          Update: {
            TableName,
            Key: keys.freeConsultation(consultation.clientId),
            UpdateExpression: 'SET #state = :available, updatedAt = :at',
            ConditionExpression: 'consultationId = :id AND #state = :booked',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':available': 'available', ':booked': 'booked', ':id': id, ':at': at },
          },
        },
        ...consultation.lockCells.map(
          (cell): TransactItem => ({
            Delete: {
              TableName,
              Key: keys.slotLock(consultation.clinicianId, cell),
              ConditionExpression: 'attribute_not_exists(PK) OR ownerId = :id',
              ExpressionAttributeValues: { ':id': id },
            },
          }),
        ),
      ]);
      return reasons ? 'conflict' : 'cancelled';
    },

    async reschedule({ consultation, start, end, newCells, now }) {
      const at = now.toISOString();
      const id = consultation.consultationId;
      const oldSet = new Set(consultation.lockCells);
      const next = newCells.map(iso);
      const nextSet = new Set(next);
      const nowSec = epochSeconds(now.getTime());
      const owner = { kind: 'consultation' as const, ownerId: id, clientId: consultation.clientId, start, expiresAt: epochSeconds(Date.parse(end)) + BOOKING_CELL_RETENTION_SECONDS };
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.consultation(id),
            UpdateExpression:
              'SET #start = :start, #end = :end, scheduleVersion = :next, scheduledAt = :at, updatedAt = :at, GSI1SK = :sortKey, lockCells = :cells',
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status', '#start': 'start', '#end': 'end' },
            ExpressionAttributeValues: {
              ':start': start,
              ':end': end,
              ':next': consultation.scheduleVersion + 1,
              ':version': consultation.scheduleVersion,
              ':booked': 'booked',
              ':at': at,
              ':sortKey': keys.consultationsOfClinician(consultation.clinicianId, start, id).GSI1SK,
              ':cells': next,
            },
          },
        },
      ];
      const newCellIndexes = new Set<number>();
      for (const cell of next) {
        newCellIndexes.add(items.length);
        // A cell of both times stays ours (one operation per item in a transaction).
        const ours = oldSet.has(cell);
        items.push({
          Put: {
            TableName,
            Item: cellItem(consultation.clinicianId, cell, owner),
            ConditionExpression: ours ? 'ownerId = :id' : takeable(undefined).expression,
            ...(ours ? {} : { ExpressionAttributeNames: { '#kind': 'kind', '#expiresAt': 'expiresAt' } }),
            ExpressionAttributeValues: ours ? { ':id': id } : { ':hold': 'hold', ':nowSec': nowSec },
          },
        });
      }
      for (const cell of oldSet) {
        if (nextSet.has(cell)) continue;
        items.push({
          Delete: {
            TableName,
            Key: keys.slotLock(consultation.clinicianId, cell),
            ConditionExpression: 'attribute_not_exists(PK) OR ownerId = :id',
            ExpressionAttributeValues: { ':id': id },
          },
        });
      }
      const reasons = await transact(items);
      if (!reasons) return 'rescheduled';
      if (conditionFailed(reasons[0])) return 'conflict';
      if (reasons.some((reason, index) => conditionFailed(reason) && newCellIndexes.has(index))) return 'slot_taken';
      return 'conflict';
    },

    async recordOutcome({ consultation, outcome, notes, free, now }) {
      const at = now.toISOString();
      const id = consultation.consultationId;
      const freeUpdate =
        outcome === 'completed'
          ? { expression: 'SET #state = :next, updatedAt = :at', values: { ':next': 'completed' } }
          : {
              expression: 'SET #state = :next, noShows = :noShowsAfter, updatedAt = :at',
              values: { ':next': stateAfterNoShow(free.noShows), ':noShowsAfter': free.noShows + 1 },
            };
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.consultation(id),
            UpdateExpression: 'SET #status = :outcome, outcome = :outcome, outcomeRecordedAt = :at, updatedAt = :at',
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':outcome': outcome, ':booked': 'booked', ':at': at, ':version': consultation.scheduleVersion },
          },
        },
        {
          Update: {
            TableName,
            Key: keys.freeConsultation(consultation.clientId),
            UpdateExpression: freeUpdate.expression,
            // Conditional on what was read: a concurrent change makes this a conflict, not a lost update.
            ConditionExpression: 'consultationId = :id AND #state = :booked AND noShows = :noShows',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ...freeUpdate.values, ':id': id, ':booked': 'booked', ':noShows': free.noShows, ':at': at },
          },
        },
      ];
      if (outcome === 'completed') {
        // Monitor-match-manage: a completed consultation hands the client over to matching
        // (the stage index moves with the stage: client-stage.ts).
        const stage = stageUpdate(consultation.clientId, 'awaiting_match');
        items.push({
          Update: {
            TableName,
            Key: keys.clientProfile(consultation.clientId),
            UpdateExpression: `SET ${stage.set}, updatedAt = :at${stage.remove}`,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ...stage.values, ':at': at },
          },
        });
      }
      if (notes !== undefined && notes !== '') {
        items.push({
          Put: {
            TableName,
            Item: { ...keys.consultationNotes(id), entityType: CONSULTATION_NOTES_ENTITY, consultationId: id, notes, recordedAt: at },
          },
        });
      }
      const reasons = await transact(items);
      return reasons ? 'conflict' : 'recorded';
    },

    async getNotes(consultationId): Promise<ConsultationNotes | undefined> {
      const item = await getItem(keys.consultationNotes(consultationId));
      return item ? { notes: item.notes as string, recordedAt: item.recordedAt as string } : undefined;
    },

    async closeOutcomeWatch(consultationId, scheduleVersion) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.consultation(consultationId),
            UpdateExpression: 'SET outcomeWatch = :closed',
            ConditionExpression: '#status = :booked AND scheduleVersion = :version',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':booked': 'booked', ':version': scheduleVersion },
          }),
        );
        return 'closed';
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        const item = await getItem(keys.consultation(consultationId));
        const recorded = item?.scheduleVersion === scheduleVersion && (item.status === 'completed' || item.status === 'no_show');
        return recorded ? 'outcome_recorded' : 'not_current';
      }
    },

    async hasNotification(consultationId, key) {
      const { Item } = await db.send(
        new GetCommand({ TableName, Key: keys.consultationNotification(consultationId, key), ConsistentRead: true, ProjectionExpression: 'PK' }),
      );
      return Item !== undefined;
    },

    async recordNotification(consultationId, notification) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...keys.consultationNotification(consultationId, notification.key), entityType: CONSULTATION_NOTIFICATION_ENTITY, consultationId, ...notification },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
      }
    },
  };
}
