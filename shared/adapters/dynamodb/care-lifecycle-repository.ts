/**
 * What the care lifecycle reads and writes in the single table (keys.ts):
 * - reads per wake-up (only what the stage needs): profile; care relationships (CARE#);
 *   FREE_CONSULTATION; INTAKE#CONFIRMED (concerns); the newest ASSESSMENT#, ASSESSMENT_OF#<i>#
 *   per measure and CHECK_IN# (times only, never answers); the lifecycle's NOTIFICATION#lifecycle#
 *   records; REFERRAL# (ids and times only, never the reason); LIFECYCLE_FLAG#
 * - notifications: claim ("if absent", or take over a stale claim), confirm, release
 * - disengagement flags       CLIENT#<id> / LIFECYCLE_FLAG#disengaged#<since>
 * - closing care: ONE transaction of the profile's stage (and its index, pattern 41), every
 *   active relationship's end (marker deleted "if it still names it", relationship stamped
 *   "if not ended", as care-team-repository.ts does), the therapist's caseload counter - 1
 *   (STAFF#<id> / CASELOAD), the referral's `appliedAt` and the discharge record
 * - the lifecycle execution on the profile, generation only moving forward
 * - clients by active stage (GSI1 CLIENT_STAGE#<stage>)
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CareRelationship } from '../../domain/access.js';
import { SPECIALTIES, type Specialty } from '../../domain/clinicians.js';
import type { FreeConsultationState } from '../../domain/consultations.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type {
  CareLifecycleRecords,
  ClaimResult,
  CloseCare,
  CloseCareResult,
  DischargeRecord,
  LifecycleNotification,
  LifecycleSnapshot,
} from '../../use-cases/care-lifecycle/ports.js';
import type { CareRelationships, ClientProfile, ClientRecords } from '../../use-cases/ports.js';
import { createCareTeamRepository } from './care-team-repository.js';
import { createClientRepository } from './client-repository.js';
import { stageUpdate } from './client-stage.js';
import { keys } from './keys.js';
import { createPlanRepository } from './plan-repository.js';
import { cancellationReasons, decodeCursor, encodeCursor, isConditionalCheckFailure, queryAll } from './table-operations.js';

export const LIFECYCLE_FLAG_ENTITY = 'lifecycle-flag';
export const DISCHARGE_ENTITY = 'discharge';
const NOTIFICATION_ENTITY = 'notification';

type Item = Record<string, unknown>;

const SPECIALTY_SET = new Set<string>(SPECIALTIES);
const TRACKED_MEASURES: readonly InstrumentId[] = ['phq9', 'gad7', 'pcl5'];

/** The concerns of a stored intake, whichever shape it has (`concerns` or `intake.concerns`); unknown terms are skipped. */
function concernsOf(item: Item | undefined): Specialty[] {
  if (!item) return [];
  const list = (Array.isArray(item.concerns) ? item.concerns : (item.intake as Item | undefined)?.concerns) as unknown;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const concern = typeof entry === 'string' ? entry : (entry as { concern?: unknown } | null)?.concern;
    return typeof concern === 'string' && SPECIALTY_SET.has(concern) ? [concern as Specialty] : [];
  });
}

export function createCareLifecycleRepository(options: {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Default: the DynamoDB repositories on the same table. */
  clients?: Pick<ClientRecords, 'getProfile'>;
  careTeam?: Pick<CareRelationships, 'relationshipsOf'>;
}): CareLifecycleRecords {
  const { documentClient: db, tableName: TableName } = options;
  const clients = options.clients ?? createClientRepository({ documentClient: db, tableName: TableName });
  const careTeam = options.careTeam ?? createCareTeamRepository({ documentClient: db, tableName: TableName });
  const plans = createPlanRepository({ documentClient: db, tableName: TableName });

  async function get(key: Item, projection?: { expression: string; names?: Record<string, string> }): Promise<Item | undefined> {
    const { Item } = await db.send(
      new GetCommand({
        TableName,
        Key: key,
        ConsistentRead: true,
        ...(projection ? { ProjectionExpression: projection.expression, ...(projection.names ? { ExpressionAttributeNames: projection.names } : {}) } : {}),
      }),
    );
    return Item;
  }

  /** The newest item under a prefix of the client's partition, one attribute of it. */
  async function newest(clientId: string, prefix: string, attribute: string): Promise<string | undefined> {
    const { Items } = await db.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': prefix },
        ExpressionAttributeNames: { '#at': attribute },
        ProjectionExpression: '#at',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const value = Items?.[0]?.[attribute];
    return typeof value === 'string' ? value : undefined;
  }

  async function underPrefix(clientId: string, prefix: string, projection: string, names: Record<string, string>): Promise<Item[]> {
    return queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': prefix },
      ProjectionExpression: projection,
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ConsistentRead: true,
    });
  }

  async function inCareReads(clientId: string) {
    const [intake, lastAssessmentAt, lastCheckInAt, ...measured] = await Promise.all([
      get(keys.intake(clientId, 'confirmed')),
      newest(clientId, keys.assessmentPrefix(), 'submittedAt'),
      newest(clientId, keys.checkInPrefix(), 'recordedAt'),
      ...TRACKED_MEASURES.map((instrument) => newest(clientId, keys.assessmentOfInstrumentPrefix(instrument), 'submittedAt')),
    ]);
    const lastMeasured: Partial<Record<InstrumentId, string>> = {};
    TRACKED_MEASURES.forEach((instrument, index) => {
      const at = measured[index];
      if (at !== undefined) lastMeasured[instrument] = at;
    });
    const activePlan = await plans.activePointer(clientId).then(async (pointer) =>
      pointer === undefined ? undefined : (await plans.versions(clientId)).find((v) => v.planId === pointer.planId && v.status === 'active'),
    );
    const openPlanReviews = (await plans.reviews(clientId)).filter((r) => r.status === 'open').sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    return { concerns: concernsOf(intake), lastAssessmentAt, lastCheckInAt, lastMeasured, activePlan, openPlanReviews };
  }

  return {
    async snapshot(clientId): Promise<LifecycleSnapshot | undefined> {
      const profile: ClientProfile | undefined = await clients.getProfile(clientId);
      if (!profile) return undefined;
      const [relationships, notifications, referrals, flags, free, care] = await Promise.all([
        careTeam.relationshipsOf(clientId),
        underPrefix(clientId, keys.lifecycleNotificationPrefix(), '#key, #state, claimedAt', { '#key': 'key', '#state': 'state' }),
        underPrefix(clientId, keys.referralPrefix(), 'taskId, referredAt, appliedAt', {}),
        underPrefix(clientId, keys.lifecycleFlagPrefix(), '#kind, since, therapistId, raisedAt', { '#kind': 'kind' }),
        profile.stage === 'awaiting_consultation' ? get(keys.freeConsultation(clientId), { expression: '#state', names: { '#state': 'state' } }) : undefined,
        profile.stage === 'in_care' ? inCareReads(clientId) : undefined,
      ]);
      const snapshot: LifecycleSnapshot = {
        profile,
        relationships,
        concerns: care?.concerns ?? [],
        lastMeasured: care?.lastMeasured ?? {},
        pendingReferrals: referrals
          .filter((item) => item.appliedAt === undefined && typeof item.taskId === 'string')
          .map((item) => ({ referralId: String(item.taskId), referredAt: String(item.referredAt) }))
          .sort((a, b) => a.referredAt.localeCompare(b.referredAt)),
        notifications: notifications.map(
          (item): LifecycleNotification => ({
            key: String(item.key),
            // Records written before claims existed (or by recordNotification) are sent ones.
            state: item.state === 'sending' ? 'sending' : 'sent',
            claimedAt: typeof item.claimedAt === 'string' ? item.claimedAt : '',
          }),
        ),
        flags: flags
          .filter((item) => item.kind === 'disengaged')
          .map((item) => ({ kind: 'disengaged' as const, since: String(item.since), therapistId: String(item.therapistId), raisedAt: String(item.raisedAt) })),
      };
      if (typeof free?.state === 'string') snapshot.freeConsultation = free.state as FreeConsultationState;
      if (care?.lastAssessmentAt !== undefined) snapshot.lastAssessmentAt = care.lastAssessmentAt;
      if (care?.lastCheckInAt !== undefined) snapshot.lastCheckInAt = care.lastCheckInAt;
      if (care?.activePlan !== undefined) snapshot.activePlan = care.activePlan;
      if (care !== undefined) snapshot.openPlanReviews = care.openPlanReviews;
      return snapshot;
    },

    async claimNotification(clientId, key, claimId, at, staleBefore): Promise<ClaimResult> {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              // Never leave a record behind a removed client.
              { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...keys.notification(clientId, key), entityType: NOTIFICATION_ENTITY, clientId, key, channel: 'email', state: 'sending', claimId, claimedAt: at },
                  // Absent, or a claim whose attempt died (older than staleBefore): at-least-once.
                  ConditionExpression: 'attribute_not_exists(PK) OR (#state = :sending AND claimedAt < :stale)',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: { ':sending': 'sending', ':stale': staleBefore },
                },
              },
            ],
          }),
        );
        return 'claimed';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'client_not_found';
        if (reasons[1]?.Code !== 'ConditionalCheckFailed') throw error;
        const stored = await get(keys.notification(clientId, key), { expression: '#state', names: { '#state': 'state' } });
        return stored?.state === 'sending' ? 'in_flight' : 'sent';
      }
    },

    async confirmNotification(clientId, key, claimId, messageId, sentAt) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.notification(clientId, key),
            UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :sentAt',
            ConditionExpression: 'claimId = :claimId',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':sentAt': sentAt, ':claimId': claimId },
          }),
        );
      } catch (error) {
        // Another attempt took the claim over (ours looked dead): its confirm is the record.
        if (!isConditionalCheckFailure(error)) throw error;
      }
    },

    async releaseNotification(clientId, key, claimId) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName,
                  Key: keys.notification(clientId, key),
                  ConditionExpression: 'claimId = :claimId AND #state = :sending',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: { ':claimId': claimId, ':sending': 'sending' },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!cancellationReasons(error)) throw error;
      }
    },

    async raiseDisengagementFlag(clientId, flag) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...keys.lifecycleFlag(clientId, 'disengaged', flag.since), entityType: LIFECYCLE_FLAG_ENTITY, clientId, kind: 'disengaged', ...flag },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return 'raised';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'client_not_found';
        if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'exists';
        throw error;
      }
    },

    async closeCare(close: CloseCare): Promise<CloseCareResult> {
      const { clientId, at } = close;
      const stage = stageUpdate(clientId, close.stage);
      const fromValues = Object.fromEntries(close.from.map((s, i) => [`:from${i}`, s]));
      type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: keys.clientProfile(clientId),
            UpdateExpression: `SET ${stage.set}, updatedAt = :at${stage.remove}`,
            ConditionExpression: `attribute_exists(PK) AND stage IN (${Object.keys(fromValues).join(', ')})`,
            ExpressionAttributeValues: { ...stage.values, ...fromValues, ':at': at },
          },
        },
      ];
      for (const relationship of close.relationships) {
        items.push(...(await endRelationshipItems(relationship, close)));
      }
      if (close.referralId !== undefined) {
        items.push({
          Update: {
            TableName,
            Key: keys.referral(clientId, close.referralId),
            UpdateExpression: 'SET appliedAt = :at',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(appliedAt)',
            ExpressionAttributeValues: { ':at': at },
          },
        });
      }
      if (close.discharge !== undefined) {
        items.push({
          Put: {
            TableName,
            Item: { ...keys.discharge(clientId, close.discharge.dischargedAt), entityType: DISCHARGE_ENTITY, ...close.discharge },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      }
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return 'closed';
      } catch (error) {
        if (!cancellationReasons(error)) throw error;
        return (await get(keys.clientProfile(clientId), { expression: 'PK' })) ? 'conflict' : 'client_not_found';
      }

      async function endRelationshipItems(relationship: CareRelationship, end: CloseCare): Promise<TransactItem[]> {
        const ended: TransactItem[] = [
          {
            Delete: {
              TableName,
              Key: keys.activeCare(clientId, relationship.kind),
              ConditionExpression: 'clinicianId = :clinicianId AND startedAt = :startedAt',
              ExpressionAttributeValues: { ':clinicianId': relationship.clinicianId, ':startedAt': relationship.startedAt },
            },
          },
          {
            Update: {
              TableName,
              Key: keys.careRelationship(clientId, relationship.kind, relationship.clinicianId, relationship.startedAt),
              UpdateExpression: 'SET endedAt = :endedAt, endReason = :endReason, GSI1SK = :ended',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(endedAt)',
              ExpressionAttributeValues: {
                ':endedAt': end.at,
                ':endReason': end.endReason,
                ':ended': keys.clinicianClientEnded(relationship.clinicianId, relationship.kind, end.at, clientId).GSI1SK,
              },
            },
          },
        ];
        if (relationship.kind === 'therapist') {
          // The caseload counter of the matching issue (keys.ts pattern 40), when the therapist has one:
          // the relationship's end above happens once, so this decrement happens once.
          const caseload = await get(keys.caseload(relationship.clinicianId), { expression: '#count', names: { '#count': 'count' } });
          if (typeof caseload?.count === 'number' && caseload.count > 0) {
            ended.push({
              Update: {
                TableName,
                Key: keys.caseload(relationship.clinicianId),
                UpdateExpression: 'SET #count = #count - :one',
                ConditionExpression: '#count > :zero',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
              },
            });
          }
        }
        return ended;
      }
    },

    async latestDischarge(clientId) {
      const { Items } = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.dischargePrefix() },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const item = Items?.[0];
      if (!item) return undefined;
      const { PK: _pk, SK: _sk, entityType: _entity, ...record } = item;
      return record as unknown as DischargeRecord;
    },

    async recordExecution(clientId, generation, executionArn) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.clientProfile(clientId),
            UpdateExpression: 'SET careLifecycleExecutionArn = :arn, careLifecycleGeneration = :generation',
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(careLifecycleGeneration) OR careLifecycleGeneration < :generation)',
            ExpressionAttributeValues: { ':arn': executionArn, ':generation': generation },
          }),
        );
        return 'recorded';
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        return (await get(keys.clientProfile(clientId), { expression: 'PK' })) ? 'stale' : 'client_not_found';
      }
    },

    async clientsInStage(stage, page) {
      const result = await db.send(
        new QueryCommand({
          TableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.clientStagePartition(stage) },
          ProjectionExpression: 'clientId',
          Limit: page.limit,
          ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor) } : {}),
        }),
      );
      const cursor = encodeCursor(result.LastEvaluatedKey);
      return { clientIds: (result.Items ?? []).map((item) => String(item.clientId)), ...(cursor ? { cursor } : {}) };
    },
  };
}

