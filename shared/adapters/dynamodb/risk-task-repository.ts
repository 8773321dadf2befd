/**
 * Risk tasks in the single table (keys.ts, patterns 30-35):
 * - task          RISK_TASK#<taskId> / TASK      GSI1 RISK_TASKS_OF#<assignee> / OPEN#<dueAt>#<taskId>
 *                                                 (CLOSED#<assessedAt>#<taskId> once assessed)
 * - open marker   RISK_TASK#<taskId> / OPEN      GSI1 RISK_TASKS_OPEN / <dueAt>#<taskId> (until assessed)
 * - emails        RISK_TASK#<taskId> / NOTIFICATION#<key>  { state claimed|sent|unknown, claimId }
 * - pointer       CLIENT#<clientId> / RISK_TASK#<taskId>   { open }
 * - referral      CLIENT#<clientId> / REFERRAL#<taskId>
 *
 * Every invariant is a condition, never a read-then-write: the task is created "if absent";
 * acknowledge only while unacknowledged; an assessment only while not assessed (and the open
 * marker, the pointer and the referral change in the same transaction); an escalation round is
 * appended once; an email is claimed "if absent". Reads after a failed condition only tell the
 * caller why.
 */
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { STAFF_ROLES, type StaffRole } from '../../domain/roles.js';
import { compareDue, isOpenStatus, type Referral, type RiskAssessmentRecord, type RiskTask } from '../../domain/risk-tasks.js';
import type { AcknowledgeResult, AssessResult, RiskTasks, StaffContact, StaffDirectory } from '../../use-cases/risk/ports.js';
import { emailClaimCells } from './email-claims.js';
import { keys } from './keys.js';
import { batchGetAll, isConditionalCheckFailure, queryAll, transactionCancelledOn } from './table-operations.js';

export const RISK_TASK_ENTITY = 'risk-task';
export const OPEN_RISK_TASK_ENTITY = 'risk-task-open';
export const RISK_TASK_POINTER_ENTITY = 'risk-task-pointer';
export const RISK_TASK_NOTIFICATION_ENTITY = 'risk-task-notification';
export const REFERRAL_ENTITY = 'referral';

type Item = Record<string, unknown>;

const TASK_FIELDS = [
  'taskId',
  'clientId',
  'level',
  'source',
  'status',
  'responsibility',
  'responsibleClinicianId',
  'flaggedAt',
  'createdAt',
  'dueAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'escalations',
  'unresolvedAt',
  'assessment',
] as const satisfies readonly (keyof RiskTask)[];

function toTask(item: Item): RiskTask {
  const task: Partial<Record<keyof RiskTask, unknown>> = {};
  for (const field of TASK_FIELDS) if (item[field] !== undefined) task[field] = item[field];
  task.escalations ??= [];
  return task as unknown as RiskTask;
}


export function createRiskTaskRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): RiskTasks {
  const { documentClient: db, tableName: TableName } = options;
  const claims = emailClaimCells(db, TableName);

  async function get(taskId: string): Promise<RiskTask | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.riskTask(taskId), ConsistentRead: true }));
    return Item ? toTask(Item) : undefined;
  }

  async function batchGetTasks(taskIds: readonly string[]): Promise<RiskTask[]> {
    const items = await batchGetAll(
      db,
      TableName,
      taskIds.map((id) => keys.riskTask(id)),
    );
    return items.map(toTask);
  }

  return {
    get,

    async create(task) {
      const assignee = task.responsibleClinicianId;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: {
                    ...keys.riskTask(task.taskId),
                    ...(assignee === undefined ? {} : keys.riskTaskOfStaff(assignee, 'open', task.dueAt, task.taskId)),
                    entityType: RISK_TASK_ENTITY,
                    ...task,
                    lastEscalationRound: 0,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName,
                  Item: { ...keys.openRiskTask(task.taskId, task.dueAt), entityType: OPEN_RISK_TASK_ENTITY, taskId: task.taskId },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName,
                  Item: { ...keys.clientRiskTask(task.clientId, task.taskId), entityType: RISK_TASK_POINTER_ENTITY, taskId: task.taskId, open: true },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return { outcome: 'created', task };
      } catch (error) {
        if (!transactionCancelledOn(error)) throw error;
        const stored = await get(task.taskId);
        if (!stored) throw error;
        return { outcome: 'exists', task: stored };
      }
    },

    async listOpenAssignedTo(staffId) {
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :open)',
        ExpressionAttributeValues: { ':pk': keys.riskTasksOfStaffPartition(staffId), ':open': keys.riskTasksOfStaffOpenPrefix() },
      });
      return items.map(toTask).filter((task) => task.status !== 'assessed').sort(compareDue);
    },

    async listOpen() {
      const markers = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.openRiskTasksPartition() },
      });
      const tasks = await batchGetTasks(markers.map((marker) => String(marker.taskId)));
      // The index may lag an assessment by a moment: the task itself says.
      return tasks.filter((task) => task.status !== 'assessed').sort(compareDue);
    },

    async hasOpenTask(clientId) {
      const items = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: '#open = :true',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientRiskTaskPrefix(), ':true': true },
        ConsistentRead: true,
      });
      return items.length > 0;
    },

    async openTaskDeadlines(clientId) {
      const pointers = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: '#open = :true',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientRiskTaskPrefix(), ':true': true },
        ConsistentRead: true,
      });
      // A client has few open tasks: one consistent read each (the pointer has no deadline).
      const deadlines: string[] = [];
      for (const pointer of pointers) {
        const { Item } = await db.send(new GetCommand({ TableName, Key: keys.riskTask(pointer.taskId as string), ConsistentRead: true }));
        if (Item && isOpenStatus(Item.status as RiskTask['status'])) deadlines.push(Item.dueAt as string);
      }
      return deadlines;
    },

    async acknowledge(taskId, by, at): Promise<AcknowledgeResult> {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.riskTask(taskId),
            UpdateExpression: 'SET #status = :acknowledged, acknowledgedAt = :at, acknowledgedBy = :by',
            ConditionExpression: 'attribute_exists(PK) AND #status IN (:open, :escalated, :unresolved)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':acknowledged': 'acknowledged',
              ':at': at,
              ':by': by,
              ':open': 'open',
              ':escalated': 'escalated',
              ':unresolved': 'unresolved',
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { outcome: 'acknowledged', task: toTask(Attributes ?? {}) };
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        const task = await get(taskId);
        if (!task) return { outcome: 'not_found' };
        if (task.acknowledgedBy === by) return { outcome: 'already_acknowledged', task };
        return { outcome: task.status === 'assessed' ? 'closed' : 'acknowledged_by_other', task };
      }
    },

    async assess(taskId, assessment: RiskAssessmentRecord, referral: Referral | undefined): Promise<AssessResult> {
      const task = await get(taskId);
      if (!task) return { outcome: 'not_found' };
      if (task.status === 'assessed') return { outcome: 'closed', task };
      const closedIndex = keys.riskTaskOfStaff(task.responsibleClinicianId ?? 'none', 'closed', assessment.assessedAt, taskId);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: keys.riskTask(taskId),
                  UpdateExpression:
                    'SET #status = :assessed, assessment = :assessment, acknowledgedAt = if_not_exists(acknowledgedAt, :at), acknowledgedBy = if_not_exists(acknowledgedBy, :by), GSI1SK = :closed',
                  ConditionExpression: 'attribute_exists(PK) AND #status <> :assessed',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':assessed': 'assessed',
                    ':assessment': assessment,
                    ':at': assessment.assessedAt,
                    ':by': assessment.assessedBy,
                    ':closed': closedIndex.GSI1SK,
                  },
                },
              },
              { Delete: { TableName, Key: { PK: keys.riskTask(taskId).PK, SK: keys.openRiskTask(taskId, task.dueAt).SK } } },
              {
                Update: {
                  TableName,
                  Key: keys.clientRiskTask(task.clientId, taskId),
                  UpdateExpression: 'SET #open = :false, closedAt = :at',
                  ExpressionAttributeNames: { '#open': 'open' },
                  ExpressionAttributeValues: { ':false': false, ':at': assessment.assessedAt },
                },
              },
              ...(referral === undefined
                ? []
                : [
                    {
                      Put: {
                        TableName,
                        Item: {
                          ...keys.referral(task.clientId, taskId),
                          entityType: REFERRAL_ENTITY,
                          clientId: task.clientId,
                          taskId,
                          ...referral,
                          referredBy: assessment.assessedBy,
                          referredAt: assessment.assessedAt,
                        },
                        ConditionExpression: 'attribute_not_exists(PK)',
                      },
                    },
                  ]),
            ],
          }),
        );
      } catch (error) {
        if (!transactionCancelledOn(error)) throw error;
        const stored = await get(taskId);
        if (!stored) return { outcome: 'not_found' };
        return { outcome: 'closed', task: stored };
      }
      const assessed = await get(taskId);
      if (!assessed) return { outcome: 'not_found' };
      return { outcome: 'assessed', task: assessed };
    },

    async recordEscalation(taskId, round) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.riskTask(taskId),
            UpdateExpression: 'SET escalations = list_append(if_not_exists(escalations, :empty), :round), lastEscalationRound = :n',
            ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastEscalationRound) OR lastEscalationRound < :n)',
            ExpressionAttributeValues: { ':empty': [], ':round': [round], ':n': round.round },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        return (await get(taskId)) ? 'already_recorded' : 'not_found';
      }
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.riskTask(taskId),
            UpdateExpression: 'SET #status = :escalated',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':escalated': 'escalated', ':open': 'open' },
          }),
        );
      } catch (error) {
        // Acknowledged (or already escalated) meanwhile: the status stays.
        if (!isConditionalCheckFailure(error)) throw error;
      }
      return 'recorded';
    },

    async markUnresolved(taskId, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: keys.riskTask(taskId),
            UpdateExpression: 'SET #status = :unresolved, unresolvedAt = :at',
            ConditionExpression: 'attribute_exists(PK) AND #status IN (:open, :escalated)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':unresolved': 'unresolved', ':at': at, ':open': 'open', ':escalated': 'escalated' },
          }),
        );
        return 'marked';
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        const task = await get(taskId);
        if (!task) return 'not_found';
        return task.status === 'unresolved' ? 'already_marked' : 'handled';
      }
    },

    claimEmail: (taskId, key, claimId, at) => claims.claim(keys.riskTaskNotification(taskId, key), { entityType: RISK_TASK_NOTIFICATION_ENTITY, taskId, key }, claimId, at),
    confirmEmail: (taskId, key, claimId, messageId, at) => claims.confirm(keys.riskTaskNotification(taskId, key), claimId, messageId, at),
    releaseEmail: (taskId, key, claimId) => claims.release(keys.riskTaskNotification(taskId, key), claimId),
    abandonEmail: (taskId, key, at) => claims.abandon(keys.riskTaskNotification(taskId, key), at),
  };
}

function toContact(item: Item): StaffContact | undefined {
  const role = item.role as StaffRole;
  if (!STAFF_ROLES.includes(role) || typeof item.email !== 'string' || typeof item.userId !== 'string') return undefined;
  return { staffId: item.userId, role, email: item.email, createdAt: String(item.createdAt ?? '') };
}

/** Staff contacts from STAFF#<id> / PROFILE and the by-role index (GSI1 ROLE#<role>, projection ALL). */
export function createStaffDirectory(options: { documentClient: DynamoDBDocumentClient; tableName: string }): StaffDirectory {
  const { documentClient: db, tableName: TableName } = options;
  return {
    async contact(staffId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.staffProfile(staffId) }));
      return Item ? toContact(Item) : undefined;
    },
    async byRole(role) {
      const contacts: StaffContact[] = [];
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.staffByRole(role, '', '').GSI1PK },
      });
      for (const item of items) {
        const contact = toContact(item);
        if (contact && contact.role === role) contacts.push(contact);
      }
      return contacts;
    },
  };
}
