/**
 * Matching records in the single table (keys.ts, patterns 19-21 and 36-40):
 * - intake        CLIENT#<clientId> / INTAKE#DRAFT, INTAKE#CONFIRMED
 * - pin           CLIENT#<clientId> / MATCH_PIN
 * - rematch       CLIENT#<clientId> / REMATCH#<endedAt>   { reason, note?, therapistId }
 * - caseload      STAFF#<therapistId> / CASELOAD          (caseload-counter.ts)
 * and the care relationships in the shapes care-team-repository.ts reads and writes.
 *
 * Assigning a therapist and ending one are each ONE TransactWriteItems, so the caseload count,
 * the relationships and the client's stage never disagree:
 *
 * assignTherapist                                   | endTherapistCare
 * 0 caseload + 1 if accepting and count < capacity  | 0 active-therapist marker deleted (if it names this one)
 * 1 active-therapist marker put if absent           | 1 relationship: endedAt, endReason, index -> ENDED#
 * 2 therapist relationship put if absent            | 2 client stage from -> to (condition: from)
 * 3 client stage awaiting_match -> in_care          | 3 caseload - 1 (if above 0)
 * 4 consultation marker deleted (if it names it)    | 4 rematch record put (a rematch only)
 * 5 consultation relationship ended (`matched`)     |
 *
 * A counter already at 0 while a relationship is active can only come from data written
 * outside these transactions; ending the relationship then goes ahead without the decrement
 * rather than keep the client with a therapist they left.
 */
import { DeleteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CareRelationship } from '../../domain/access.js';
import type { IntakeRecord, MatchPin } from '../../domain/matches.js';
import type { ClientStage } from '../../domain/signup.js';
import type { AssignOutcome, AssignTherapist, EndTherapistCare, EndTherapistOutcome, MatchRecords, StoredRematch, WriteOutcome } from '../../use-cases/matching/ports.js';
import { ACTIVE_CARE_ENTITY, CARE_RELATIONSHIP_ENTITY } from './care-team-repository.js';
import { caseloadRelease, caseloadTake } from './caseload-counter.js';
import { stageUpdate } from './client-stage.js';
import { keys } from './keys.js';
import { conditionFailed, transactOnce, type TransactItem } from './table-operations.js';

export const INTAKE_ENTITY = 'intake';
export const MATCH_PIN_ENTITY = 'match-pin';
export const REMATCH_ENTITY = 'rematch';

type Item = Record<string, unknown>;
type TransactItems = TransactItem[];


function intakeFromItem(item: Item | undefined): IntakeRecord | undefined {
  if (!item) return undefined;
  return {
    clientId: item.clientId as string,
    version: item.version as IntakeRecord['version'],
    intake: item.intake as IntakeRecord['intake'],
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as IntakeRecord['updatedBy'],
  };
}

/** The marker delete + relationship end of care-team-repository's `end`, as transaction items. */
export function endRelationshipItems(tableName: string, relationship: CareRelationship, endedAt: string, endReason: string): TransactItems {
  const { clientId, clinicianId, kind, startedAt } = relationship;
  return [
    {
      Delete: {
        TableName: tableName,
        Key: keys.activeCare(clientId, kind),
        ConditionExpression: 'clinicianId = :clinicianId AND startedAt = :startedAt',
        ExpressionAttributeValues: { ':clinicianId': clinicianId, ':startedAt': startedAt },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: keys.careRelationship(clientId, kind, clinicianId, startedAt),
        UpdateExpression: 'SET endedAt = :endedAt, endReason = :endReason, GSI1SK = :ended',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(endedAt)',
        ExpressionAttributeValues: {
          ':endedAt': endedAt,
          ':endReason': endReason,
          ':ended': keys.clinicianClientEnded(clinicianId, kind, endedAt, clientId).GSI1SK,
        },
      },
    },
  ];
}

/** The client's stage `from` -> `to`, with its place in the stage index (client-stage.ts); also the unit match's (care-unit-repository.ts). */
export function stageChange(tableName: string, clientId: string, from: ClientStage, to: ClientStage, at: string) {
  const u = stageUpdate(clientId, to);
  return {
    Update: {
      TableName: tableName,
      Key: keys.clientProfile(clientId),
      UpdateExpression: `SET ${u.set}, updatedAt = :at${u.remove}`,
      ConditionExpression: 'attribute_exists(PK) AND stage = :from',
      ExpressionAttributeValues: { ...u.values, ':from': from, ':at': at },
    },
  };
}

export function createMatchRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): MatchRecords {
  const { documentClient: db, tableName: TableName } = options;

  const transact = (items: TransactItems) => transactOnce(db, items);

  async function putUnderClient(clientId: string, item: Item): Promise<WriteOutcome> {
    const reasons = await transact([
      // Never attach records to a client whose records are gone.
      { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
      { Put: { TableName, Item: item } },
    ]);
    if (!reasons) return 'written';
    if (conditionFailed(reasons[0])) return 'client_not_found';
    throw new Error('The write was cancelled by a concurrent change; retry.');
  }

  return {
    async getIntakes(clientId) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :intake)',
          ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':intake': 'INTAKE#' },
          ConsistentRead: true,
        }),
      );
      const records: { draft?: IntakeRecord; confirmed?: IntakeRecord } = {};
      for (const item of Items) {
        const record = intakeFromItem(item);
        if (record?.version === 'draft' || record?.version === 'confirmed') records[record.version] = record;
      }
      return records;
    },

    putIntake(record) {
      return putUnderClient(record.clientId, { ...keys.intake(record.clientId, record.version), entityType: INTAKE_ENTITY, ...record });
    },

    async getPin(clientId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.matchPin(clientId), ConsistentRead: true }));
      if (!Item) return undefined;
      return { clientId, therapistId: Item.therapistId as string, pinnedBy: Item.pinnedBy as string, pinnedAt: Item.pinnedAt as string };
    },

    putPin(pin: MatchPin) {
      return putUnderClient(pin.clientId, { ...keys.matchPin(pin.clientId), entityType: MATCH_PIN_ENTITY, ...pin });
    },

    async clearPin(clientId) {
      await db.send(new DeleteCommand({ TableName, Key: keys.matchPin(clientId) }));
    },

    async assignTherapist(input: AssignTherapist): Promise<AssignOutcome> {
      const { clientId, therapistId, startedAt, consultation } = input;
      const relationship: CareRelationship = { clientId, clinicianId: therapistId, kind: 'therapist', startedAt };
      const items: TransactItems = [
        caseloadTake(TableName, therapistId),
        {
          Put: {
            TableName,
            Item: { ...keys.activeCare(clientId, 'therapist'), entityType: ACTIVE_CARE_ENTITY, clientId, clinicianId: therapistId, kind: 'therapist', startedAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName,
            Item: {
              ...keys.careRelationship(clientId, 'therapist', therapistId, startedAt),
              ...keys.clinicianClientActive(therapistId, 'therapist', startedAt, clientId),
              entityType: CARE_RELATIONSHIP_ENTITY,
              ...relationship,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        stageChange(TableName, clientId, 'awaiting_match', 'in_care', startedAt),
        ...(consultation ? endRelationshipItems(TableName, consultation, startedAt, 'matched') : []),
      ];
      const reasons = await transact(items);
      if (!reasons) return 'assigned';
      if (conditionFailed(reasons[1])) return 'therapist_active';
      if (conditionFailed(reasons[3])) return 'stage_changed';
      if (conditionFailed(reasons[0])) return 'therapist_full';
      // The consultation relationship moved, the same start collided, or TransactionConflict.
      return 'conflict';
    },

    async latestRematch(clientId) {
      const { Items } = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.rematchPrefix() },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const item = Items?.[0];
      if (!item) return undefined;
      return {
        therapistId: item.therapistId as string,
        endedAt: item.endedAt as string,
        reason: item.reason as StoredRematch['reason'],
        ...(item.note !== undefined ? { note: item.note as string } : {}),
        ...(item.requestKey !== undefined ? { requestKey: item.requestKey as string } : {}),
      };
    },

    async endTherapistCare(input: EndTherapistCare): Promise<EndTherapistOutcome> {
      const { clientId, relationship, endedAt, endReason, stage, rematch } = input;
      if (relationship.kind !== 'therapist' || relationship.clientId !== clientId) throw new RangeError('endTherapistCare ends a therapist relationship of this client.');
      if (Date.parse(endedAt) < Date.parse(relationship.startedAt)) {
        throw new RangeError(`A relationship cannot end (${endedAt}) before it started (${relationship.startedAt}).`);
      }
      const head: TransactItems = [...endRelationshipItems(TableName, relationship, endedAt, endReason), stageChange(TableName, clientId, stage.from, stage.to, endedAt)];
      const tail: TransactItems = rematch
        ? [
            {
              Put: {
                TableName,
                Item: {
                  ...keys.rematch(clientId, endedAt),
                  entityType: REMATCH_ENTITY,
                  clientId,
                  therapistId: relationship.clinicianId,
                  relationshipStartedAt: relationship.startedAt,
                  endedAt,
                  reason: rematch.reason,
                  ...(rematch.note !== undefined ? { note: rematch.note } : {}),
                  ...(rematch.requestKey !== undefined ? { requestKey: rematch.requestKey } : {}),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ]
        : [];
      let reasons = await transact([...head, caseloadRelease(TableName, relationship.clinicianId), ...tail]);
      if (reasons && conditionFailed(reasons[3]) && !conditionFailed(reasons[0]) && !conditionFailed(reasons[1]) && !conditionFailed(reasons[2])) {
        // The counter is at 0 (see the header): end the relationship without the decrement.
        reasons = await transact([...head, ...tail]);
        if (!reasons) return 'ended';
        if (conditionFailed(reasons[0]) || conditionFailed(reasons[1])) return 'not_active';
        if (conditionFailed(reasons[2])) return 'stage_changed';
        return 'conflict';
      }
      if (!reasons) return 'ended';
      if (conditionFailed(reasons[0]) || conditionFailed(reasons[1])) return 'not_active';
      if (conditionFailed(reasons[2])) return 'stage_changed';
      return 'conflict';
    },
  };
}
