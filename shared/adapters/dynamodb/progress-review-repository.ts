/**
 * The weekly progress review's storage and reads (keys.ts patterns 100-103, area `review`):
 *
 * - `createProgressReviewStore`: preferences (REVIEW#<t> / PREFERENCES), reviews
 *   (REVIEW#<t> / REVIEW_OF#<periodEnd>, put "if absent"), dispositions
 *   (REVIEW#<t> / DISPOSITION#<periodEnd>#<clientId>, put "if absent") and the email claim
 *   (REVIEW#<t> / NOTIFICATION#review-email#<periodEnd>; the risk-task claim's protocol).
 *   The stored review is health data (scores, reasons): it is read back through
 *   StoredReviewSchema, and only through the access policy by the routes.
 * - `createTherapistDirectory`: therapists by role (GSI1 ROLE#therapist, projection ALL) and one
 *   profile.
 * - `createReviewFactsSource`: what a review reads per client, with the existing repositories
 *   (care team, plans) and narrow projected queries of the client partition (assessments,
 *   check-ins, session pointers, risk pointers): no note text, no answers but PHQ-9 item 9.
 *   Every request goes through a counter (`reads()`): issue 11's "DynamoDB reads per therapist".
 *   Per therapist: 1 Query of the clients in care + 1 Get of the profile + 1 Get of the
 *   preferences + 1 Query for the previous review (+1 for its dispositions), and per client 8
 *   (profile, assessments, check-ins, sessions, active plan pointer, plan versions, plan reviews,
 *   risk pointers) + 1 BatchGet when the client has open risk tasks.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import { RISK_FLAG_KINDS, RiskLevelSchema } from '../../domain/instruments/risk-flags.js';
import { OBJECTIVE_INSTRUMENTS, type ObjectiveInstrument } from '../../domain/plans/plan.js';
import { DispositionSchema, type Disposition, type ReviewRiskFlag, type ReviewScorePoint } from '../../domain/reviews/facts.js';
import type { ProgressReview } from '../../domain/reviews/review.js';
import { ReviewPreferencesSchema } from '../../domain/reviews/schedule.js';
import { isOpenStatus, RISK_TASK_STATUSES } from '../../domain/risk-tasks.js';
import { SESSION_STATUSES } from '../../domain/sessions/sessions.js';
import type { ProgressReviewStore, ReviewFactsSource, ReviewListEntry, TherapistDirectory, TherapistEntry } from '../../use-cases/reviews/ports.js';
import { createCareTeamRepository } from './care-team-repository.js';
import { emailClaimCells } from './email-claims.js';
import { keys } from './keys.js';
import { createPlanRepository } from './plan-repository.js';
import { batchGetAll, decodeCursor, encodeCursor, isConditionalCheckFailure, queryAll, type Item } from './table-operations.js';

const REVIEW_ENTITY = 'progress-review';
const PREFERENCES_ENTITY = 'review-preferences';
const DISPOSITION_ENTITY = 'review-disposition';
const CLAIM_ENTITY = 'review-email';

/** A stored review read back: the envelope strictly, the review's own shape loosely (it is the builder's output, versioned by thresholdsVersion). */
const StoredReviewSchema = z.looseObject({
  reviewId: z.string(),
  therapistId: z.string(),
  timeZone: z.string(),
  identifiers: z.enum(['initials', 'none']),
  period: z.strictObject({ start: z.string(), end: z.string() }),
  generatedAt: z.string(),
  thresholdsVersion: z.string(),
  noFlagsLine: z.string(),
  caseload: z.looseObject({ clientsInCare: z.int(), listed: z.int() }),
  triageCounts: z.record(z.string(), z.int()),
  carriedOver: z.int(),
  items: z.array(z.looseObject({ clientId: z.string(), initials: z.string(), triageClass: z.string() })),
});

const StoredReviewItemSchema = z.strictObject({
  PK: z.string(),
  SK: z.string(),
  entityType: z.literal(REVIEW_ENTITY),
  reviewId: z.string(),
  therapistId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  generatedAt: z.string(),
  /** JSON text: DynamoDB maps cannot hold empty strings in every SDK path, and the review is read whole. */
  review: z.string(),
});

const PreferencesItemSchema = z.strictObject({
  PK: z.string(),
  SK: z.string(),
  entityType: z.literal(PREFERENCES_ENTITY),
  therapistId: z.string(),
  preferences: ReviewPreferencesSchema,
  updatedAt: z.string().optional(),
});

const DispositionItemSchema = z.strictObject({
  PK: z.string(),
  SK: z.string(),
  entityType: z.literal(DISPOSITION_ENTITY),
  therapistId: z.string(),
  periodEnd: z.string(),
  clientId: z.string(),
  disposition: DispositionSchema,
});

function reviewOf(item: Item): ProgressReview {
  const stored = StoredReviewItemSchema.parse(item);
  return StoredReviewSchema.parse(JSON.parse(stored.review)) as unknown as ProgressReview;
}

function entryOf(item: Item): ReviewListEntry {
  const review = reviewOf(item);
  return {
    reviewId: review.reviewId,
    therapistId: review.therapistId,
    period: { ...review.period },
    generatedAt: review.generatedAt,
    clientsInCare: review.caseload.clientsInCare,
    listed: review.caseload.listed,
  };
}

export function createProgressReviewStore(options: { documentClient: DynamoDBDocumentClient; tableName: string }): ProgressReviewStore {
  const { documentClient: db, tableName: TableName } = options;
  const claims = emailClaimCells(db, TableName);
  return {
    async getPreferences(therapistId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.reviewPreferences(therapistId) }));
      return Item ? PreferencesItemSchema.parse(Item).preferences : undefined;
    },

    async preferencesOf(therapistIds) {
      const items = await batchGetAll(db, TableName, therapistIds.map((id) => keys.reviewPreferences(id)));
      return new Map(items.map((item) => {
        const parsed = PreferencesItemSchema.parse(item);
        return [parsed.therapistId, parsed.preferences] as const;
      }));
    },

    async putPreferences(therapistId, preferences) {
      await db.send(
        new PutCommand({
          TableName,
          Item: { ...keys.reviewPreferences(therapistId), entityType: PREFERENCES_ENTITY, therapistId, preferences: ReviewPreferencesSchema.parse(preferences) },
        }),
      );
    },

    async save(review) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: {
              ...keys.progressReview(review.therapistId, review.period.end),
              entityType: REVIEW_ENTITY,
              reviewId: review.reviewId,
              therapistId: review.therapistId,
              periodStart: review.period.start,
              periodEnd: review.period.end,
              generatedAt: review.generatedAt,
              review: JSON.stringify(review),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return 'stored';
      } catch (error) {
        if (isConditionalCheckFailure(error)) return 'exists';
        throw error;
      }
    },

    async get(therapistId, periodEnd) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.progressReview(therapistId, periodEnd), ConsistentRead: true }));
      return Item ? reviewOf(Item) : undefined;
    },

    async list(therapistId, page) {
      const output = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.reviewPartition(therapistId), ':prefix': keys.progressReviewPrefix() },
          ScanIndexForward: false,
          Limit: page.limit,
          ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor) } : {}),
        }),
      );
      const cursor = encodeCursor(output.LastEvaluatedKey);
      return { items: (output.Items ?? []).map(entryOf), ...(cursor ? { cursor } : {}) };
    },

    async latestBefore(therapistId, periodEnd) {
      const output = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :before',
          ExpressionAttributeValues: {
            ':pk': keys.reviewPartition(therapistId),
            ':from': keys.progressReviewPrefix(),
            // Strictly before: the sort keys of earlier period ends are smaller ISO strings.
            ':before': `${keys.progressReview(therapistId, periodEnd).SK.slice(0, -1)}`,
          },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = output.Items?.[0];
      return item && String(item.periodEnd) < periodEnd ? reviewOf(item) : undefined;
    },

    async dispositions(therapistId, periodEnd) {
      const items = await queryAll(db, {
        TableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.reviewPartition(therapistId), ':prefix': keys.reviewDispositionPrefix(periodEnd) },
      });
      return new Map(items.map((item) => {
        const parsed = DispositionItemSchema.parse(item);
        return [parsed.clientId, parsed.disposition] as const;
      }));
    },

    async recordDisposition(therapistId, periodEnd, clientId, disposition) {
      const parsed: Disposition = DispositionSchema.parse(disposition);
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { ...keys.reviewDisposition(therapistId, periodEnd, clientId), entityType: DISPOSITION_ENTITY, therapistId, periodEnd, clientId, disposition: parsed },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return { outcome: 'recorded', disposition: parsed };
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        const { Item } = await db.send(new GetCommand({ TableName, Key: keys.reviewDisposition(therapistId, periodEnd, clientId), ConsistentRead: true }));
        return { outcome: 'exists', disposition: DispositionItemSchema.parse(Item).disposition };
      }
    },

    claimEmail: (therapistId, periodEnd, claimId, at) => claims.claim(keys.reviewEmailClaim(therapistId, periodEnd), { entityType: CLAIM_ENTITY, therapistId, periodEnd }, claimId, at),
    confirmEmail: (therapistId, periodEnd, claimId, messageId, at) => claims.confirm(keys.reviewEmailClaim(therapistId, periodEnd), claimId, messageId, at),
    releaseEmail: (therapistId, periodEnd, claimId) => claims.release(keys.reviewEmailClaim(therapistId, periodEnd), claimId),
    abandonEmail: (therapistId, periodEnd, at) => claims.abandon(keys.reviewEmailClaim(therapistId, periodEnd), at),
  };
}

function therapistOf(item: Item): TherapistEntry | undefined {
  if (item.role !== 'therapist' || typeof item.userId !== 'string') return undefined;
  return {
    therapistId: item.userId,
    ...(typeof item.timezone === 'string' ? { timeZone: item.timezone } : {}),
    ...(typeof item.email === 'string' ? { email: item.email } : {}),
  };
}

export function createTherapistDirectory(options: { documentClient: DynamoDBDocumentClient; tableName: string }): TherapistDirectory {
  const { documentClient: db, tableName: TableName } = options;
  return {
    async listTherapists() {
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.staffByRole('therapist', '', '').GSI1PK },
        // `timezone` is a DynamoDB reserved word: a bare one fails the query (ValidationException).
        ProjectionExpression: 'userId, #role, #tz',
        ExpressionAttributeNames: { '#role': 'role', '#tz': 'timezone' },
      });
      return items.flatMap((item) => therapistOf(item) ?? []);
    },
    async get(therapistId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.staffProfile(therapistId) }));
      return Item ? therapistOf(Item) : undefined;
    },
  };
}

/** `db` with every request counted. */
export function countingClient(db: DynamoDBDocumentClient): { client: DynamoDBDocumentClient; reads: () => number } {
  let count = 0;
  const client = new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'send') {
        return (...args: Parameters<DynamoDBDocumentClient['send']>) => {
          count += 1;
          return (target.send as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { client, reads: () => count };
}

const FlagSchema = z.looseObject({ kind: z.enum(RISK_FLAG_KINDS), level: RiskLevelSchema });

export function createReviewFactsSource(options: { documentClient: DynamoDBDocumentClient; tableName: string }): ReviewFactsSource {
  const { client: db, reads } = countingClient(options.documentClient);
  const TableName = options.tableName;
  const careTeam = createCareTeamRepository({ documentClient: db, tableName: TableName });
  const plans = createPlanRepository({ documentClient: db, tableName: TableName });
  const partition = (clientId: string, prefix: string, projection: string, names: Record<string, string>) =>
    queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': prefix },
      ProjectionExpression: projection,
      ExpressionAttributeNames: names,
    });

  return {
    reads,
    async clientsInCare(therapistId) {
      const active = await careTeam.clientsOf(therapistId, 'active');
      return active.filter((r) => r.kind === 'therapist' && r.clinicianId === therapistId).map((r) => ({ clientId: r.clientId, startedAt: r.startedAt }));
    },

    async clientRecords(clientId, therapistId, careStartedAt) {
      const { Item: profile } = await db.send(
        new GetCommand({ TableName, Key: keys.clientProfile(clientId), ProjectionExpression: 'firstName, lastName' }),
      );
      if (!profile) return undefined;

      // Assessments: instrument, time, total, PHQ-9 item 9 (answers[8]) and flags; nothing else of the answers.
      const assessments = await partition(clientId, keys.assessmentPrefix(), '#instrument, #at, #result.#total, #result.#flags, #answers[8]', {
        '#instrument': 'instrument',
        '#at': 'submittedAt',
        '#result': 'result',
        '#total': 'total',
        '#flags': 'riskFlags',
        '#answers': 'answers',
      });
      const scores: Partial<Record<ObjectiveInstrument, ReviewScorePoint[]>> = {};
      const riskFlags: ReviewRiskFlag[] = [];
      for (const item of assessments) {
        const instrument = item.instrument as InstrumentId;
        const at = String(item.submittedAt);
        const result = (item.result ?? {}) as { total?: unknown; riskFlags?: unknown };
        if ((OBJECTIVE_INSTRUMENTS as readonly string[]).includes(instrument) && typeof result.total === 'number') {
          const point: ReviewScorePoint = { total: result.total, at };
          const item9 = Array.isArray(item.answers) ? item.answers[0] : undefined;
          if (instrument === 'phq9' && typeof item9 === 'number') point.item9 = item9;
          (scores[instrument as ObjectiveInstrument] ??= []).push(point);
        }
        for (const flag of Array.isArray(result.riskFlags) ? result.riskFlags : []) {
          const parsed = FlagSchema.safeParse(flag);
          if (parsed.success) riskFlags.push({ kind: parsed.data.kind, level: parsed.data.level, at });
        }
      }
      for (const series of Object.values(scores)) series.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

      const checkIns = await partition(clientId, keys.checkInPrefix(), '#at, #flags', { '#at': 'recordedAt', '#flags': 'riskFlags' });
      const checkInsAt: string[] = [];
      for (const item of checkIns) {
        const at = String(item.recordedAt);
        if (at >= careStartedAt) checkInsAt.push(at);
        for (const flag of Array.isArray(item.riskFlags) ? item.riskFlags : []) {
          const parsed = FlagSchema.safeParse(flag);
          if (parsed.success) riskFlags.push({ kind: parsed.data.kind, level: parsed.data.level, at });
        }
      }
      riskFlags.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

      const sessionPointers = await partition(clientId, keys.clientSessionPrefix(), 'sessionId, #start, #status, therapistId', { '#start': 'start', '#status': 'status' });
      const sessions = sessionPointers
        .filter((p) => p.therapistId === therapistId && (SESSION_STATUSES as readonly string[]).includes(String(p.status)))
        .map((p) => ({ sessionId: String(p.sessionId), start: String(p.start), status: p.status as (typeof SESSION_STATUSES)[number] }))
        .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

      const pointer = await plans.activePointer(clientId);
      const plan = pointer ? (await plans.versions(clientId)).find((v) => v.planId === pointer.planId && v.version === pointer.version) : undefined;
      const planReviews = await plans.reviews(clientId);

      const riskPointers = await partition(clientId, keys.clientRiskTaskPrefix(), 'taskId, #open', { '#open': 'open' });
      const openIds = riskPointers.filter((p) => p.open === true).map((p) => String(p.taskId));
      const tasks = openIds.length > 0 ? await batchGetAll(db, TableName, openIds.map((id) => keys.riskTask(id))) : [];
      const openRiskTasks = tasks
        .filter((t) => (RISK_TASK_STATUSES as readonly string[]).includes(String(t.status)) && isOpenStatus(t.status as (typeof RISK_TASK_STATUSES)[number]))
        .map((t) => ({ taskId: String(t.taskId), level: RiskLevelSchema.parse(t.level), status: t.status as (typeof RISK_TASK_STATUSES)[number], openedAt: String(t.createdAt) }));

      return {
        clientId,
        firstName: String(profile.firstName ?? ''),
        lastName: String(profile.lastName ?? ''),
        careStartedAt,
        scores,
        ...(plan ? { plan } : {}),
        planReviews,
        sessions,
        checkInsAt,
        riskFlags,
        openRiskTasks,
      };
    },
  };
}
