/**
 * Treatment plans in the single table (keys.ts patterns 49-52), all under CLIENT#<clientId>;
 * a care unit's plan (patterns 85-88) under CARE_UNIT#<unitId>, by the SAME code: the
 * repository is made for a holder (`client`, the default, or `care_unit`), which only picks the
 * keys and the record that must exist (the client's profile, the unit). The methods' first
 * argument is the holder's id; a unit member's acknowledgement is keyed by the member too.
 * - every version its own item PLAN#V#<n>, put "if absent" (with a check that the client
 *   exists); a draft is replaced only while still the draft read (status and updatedAt);
 * - signing is ONE transaction: the draft -> active (if still the draft read), ACTIVE_PLAN put
 *   "if absent" for a first plan or "if it names the version replaced" for a revision, the
 *   replaced version active -> revised (if unchanged), and the reviews it answers closed (if
 *   open). Two signs at once: one wins, the other is a conflict; never two active plans;
 * - acknowledgements PLAN_ACK#<n> and review tasks PLAN_REVIEW#<reviewId> put "if absent";
 *   a review is closed, never deleted (a unit's review task names its unit: `careUnitId`).
 * Items read back are checked for their ids and status (a malformed item is an error, not data).
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { holderIdOf, PLAN_STATUSES, type PlanAcknowledgement, type PlanSubject, type StoredPlan } from '../../domain/plans/plan.js';
import { REVIEW_TRIGGER_KINDS } from '../../domain/plans/progress.js';
import type { PlanReviewTask } from '../../domain/plans/views.js';
import type { PlanRecords, SignPlan, WriteResult } from '../../use-cases/plans/ports.js';
import { keys } from './keys.js';
import { withoutKeys, type Item } from './monitor-items.js';
import { cancellationReasons, conditionFailed, isConditionalCheckFailure, queryAll } from './table-operations.js';

export const PLAN_ENTITY = 'treatment-plan';
export const PLAN_ACK_ENTITY = 'treatment-plan-acknowledgement';
export const PLAN_REVIEW_ENTITY = 'treatment-plan-review';

const StoredPlanHead = z.looseObject({
  planId: z.string().min(1),
  clientId: z.string().min(1).optional(),
  version: z.int().min(1),
  status: z.enum(PLAN_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const StoredAckSchema = z.strictObject({
  planId: z.string().min(1),
  clientId: z.string().min(1).optional(),
  version: z.int().min(1),
  acknowledgedAt: z.string(),
  goalNotes: z.array(z.strictObject({ goalId: z.string(), note: z.string() })),
});
const StoredReviewHead = z.looseObject({
  reviewId: z.string().min(1),
  clientId: z.string().min(1).optional(),
  careUnitId: z.string().min(1).optional(),
  planId: z.string().min(1),
  kind: z.enum(REVIEW_TRIGGER_KINDS),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
});

function toPlan(item: Item): StoredPlan {
  const record = withoutKeys(item);
  StoredPlanHead.parse(record);
  return record as unknown as StoredPlan;
}

function toReview(item: Item): PlanReviewTask {
  const record = withoutKeys(item);
  StoredReviewHead.parse(record);
  return record as unknown as PlanReviewTask;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

type Key = { PK: string; SK: string };

/** Where a holder's plan items are (keys.ts patterns 49-52 for a client, 85-88 for a care unit). */
interface PlanKeys {
  partition(holderId: string): string;
  /** The record that must exist for a draft or a review to be written. */
  holder(holderId: string): Key;
  version(holderId: string, version: number): Key;
  active(holderId: string): Key;
  acknowledgement(holderId: string, acknowledgement: Pick<PlanAcknowledgement, 'version' | 'clientId'>): Key;
  review(holderId: string, reviewId: string): Key;
}

const PLAN_KEYS: Record<PlanSubject['kind'], PlanKeys> = {
  client: {
    partition: keys.clientPartition,
    holder: keys.clientProfile,
    version: keys.planVersion,
    active: keys.activePlan,
    acknowledgement: (clientId, a) => keys.planAcknowledgement(clientId, a.version),
    review: keys.planReview,
  },
  care_unit: {
    partition: keys.careUnitPartition,
    holder: keys.careUnit,
    version: keys.unitPlanVersion,
    active: keys.unitActivePlan,
    acknowledgement: (unitId, a) => {
      if (a.clientId === undefined) throw new Error('A unit plan acknowledgement names its member.');
      return keys.unitPlanAcknowledgement(unitId, a.version, a.clientId);
    },
    review: keys.unitPlanReview,
  },
};

export function createPlanRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string; holder?: PlanSubject['kind'] }): PlanRecords {
  const { documentClient: db, tableName: TableName } = options;
  const at = PLAN_KEYS[options.holder ?? 'client'];
  const planItem = (plan: StoredPlan) => ({ ...at.version(holderIdOf(plan.subject), plan.version), entityType: PLAN_ENTITY, ...structuredClone(plan) });
  const query = (holderId: string, prefix: string) =>
    queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': at.partition(holderId), ':prefix': prefix },
      ConsistentRead: true,
    });

  return {
    async versions(clientId) {
      return (await query(clientId, keys.planVersionPrefix())).map(toPlan);
    },

    async activePointer(clientId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: at.active(clientId), ConsistentRead: true }));
      if (!Item) return undefined;
      return z.looseObject({ planId: z.string().min(1), version: z.int().min(1) }).parse(Item);
    },

    async createDraft(plan): Promise<WriteResult> {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: at.holder(holderIdOf(plan.subject)), ConditionExpression: 'attribute_exists(PK)' } },
              { Put: { TableName, Item: planItem(plan), ConditionExpression: 'attribute_not_exists(PK)' } },
            ],
          }),
        );
        return 'written';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return 'client_not_found';
        if (conditionFailed(reasons[1])) return 'conflict';
        throw error;
      }
    },

    async updateDraft(plan, expectedUpdatedAt) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: planItem(plan),
            ConditionExpression: '#status = :draft AND updatedAt = :expected AND planId = :planId',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':draft': 'draft', ':expected': expectedUpdatedAt, ':planId': plan.planId },
          }),
        );
        return 'written';
      } catch (error) {
        if (isConditionalCheckFailure(error)) return 'conflict';
        throw error;
      }
    },

    async sign({ plan, replaced, closeReviews }: SignPlan) {
      const holderId = holderIdOf(plan.subject);
      const items: TransactItems = [
        {
          Put: {
            TableName,
            Item: planItem(plan),
            ConditionExpression: '#status = :draft AND planId = :planId',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':draft': 'draft', ':planId': plan.planId },
          },
        },
        {
          Put: {
            TableName,
            Item: { ...at.active(holderId), entityType: 'treatment-plan-active', planId: plan.planId, version: plan.version },
            ...(replaced === undefined
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : { ConditionExpression: 'planId = :replaced', ExpressionAttributeValues: { ':replaced': replaced.planId } }),
          },
        },
      ];
      if (replaced !== undefined) {
        items.push({
          Update: {
            TableName,
            Key: at.version(holderId, replaced.version),
            UpdateExpression: 'SET #status = :revised, closedAt = :at, closedBy = :by, updatedAt = :at',
            ConditionExpression: '#status = :active AND updatedAt = :expected',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revised': 'revised', ':active': 'active', ':at': plan.signedAt, ':by': plan.signedBy, ':expected': replaced.updatedAt },
          },
        });
      }
      for (const reviewId of closeReviews) {
        items.push({
          Update: {
            TableName,
            Key: at.review(holderId, reviewId),
            UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by, outcome = :revised, revisionPlanId = :planId',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': plan.signedAt, ':by': plan.signedBy, ':revised': 'revised', ':planId': plan.planId },
          },
        });
      }
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return 'written';
      } catch (error) {
        if (cancellationReasons(error)) return 'conflict';
        throw error;
      }
    },

    async end(plan, expectedUpdatedAt) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: planItem(plan),
                  ConditionExpression: '#status = :active AND updatedAt = :expected',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':active': 'active', ':expected': expectedUpdatedAt },
                },
              },
              {
                Delete: {
                  TableName,
                  Key: at.active(holderIdOf(plan.subject)),
                  ConditionExpression: 'planId = :planId',
                  ExpressionAttributeValues: { ':planId': plan.planId },
                },
              },
            ],
          }),
        );
        return 'written';
      } catch (error) {
        if (cancellationReasons(error)) return 'conflict';
        throw error;
      }
    },

    async acknowledgements(clientId) {
      return (await query(clientId, keys.planAcknowledgementPrefix())).map((item) => StoredAckSchema.parse(withoutKeys(item)));
    },

    async acknowledge(clientId, acknowledgement) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...at.acknowledgement(clientId, acknowledgement), entityType: PLAN_ACK_ENTITY, ...structuredClone(acknowledgement) },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return { outcome: 'created', acknowledgement };
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        const { Item } = await db.send(new GetCommand({ TableName, Key: at.acknowledgement(clientId, acknowledgement), ConsistentRead: true }));
        if (!Item) throw error;
        return { outcome: 'existing', acknowledgement: StoredAckSchema.parse(withoutKeys(Item)) as PlanAcknowledgement };
      }
    },

    async reviews(clientId) {
      return (await query(clientId, keys.planReviewPrefix())).map(toReview);
    },

    async openReview(task) {
      // The holder: the client (a client's plan) or the care unit (a unit's plan: `careUnitId`).
      const holderId = options.holder === 'care_unit' ? task.careUnitId : task.clientId;
      if (holderId === undefined) throw new Error('A review task names its holder.');
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: at.holder(holderId), ConditionExpression: 'attribute_exists(PK)' } },
              {
                Put: {
                  TableName,
                  Item: { ...at.review(holderId, task.reviewId), entityType: PLAN_REVIEW_ENTITY, ...structuredClone(task) },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return 'opened';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return 'client_not_found';
        if (conditionFailed(reasons[1])) return 'exists';
        throw error;
      }
    },

    async closeReview(clientId, reviewId, closure) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: at.review(clientId, reviewId),
            UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by, outcome = :outcome, reason = :reason',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': closure.closedAt, ':by': closure.closedBy, ':outcome': 'no_change', ':reason': closure.reason },
          }),
        );
        return 'closed';
      } catch (error) {
        if (isConditionalCheckFailure(error)) return 'not_open';
        throw error;
      }
    },
  };
}
