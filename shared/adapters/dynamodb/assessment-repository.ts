/**
 * Assessments in the single table (keys.ts, patterns 24-26, 29):
 * - record       CLIENT#<clientId> / ASSESSMENT#<assessmentId>                  (by time, by id)
 * - copy         CLIENT#<clientId> / ASSESSMENT_OF#<instrument>#<assessmentId>  (per instrument)
 * - submission   CLIENT#<clientId> / SUBMISSION#<hash>   -> { recordId }         (retries)
 * - pending      CLIENT#<clientId> / RISK_PENDING#assessment#<id>                (flagged ones)
 * all written in ONE transaction, only while the client profile exists. Records are never
 * updated: a copy can therefore not drift from its record.
 */
import { BatchGetCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isInstrumentId } from '../../domain/instruments/registry.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { StoredAssessment } from '../../domain/monitor/assessments.js';
import type { AssessmentRecords, SaveOptions, SaveResult, ScorePointRecord } from '../../use-cases/monitor/ports.js';
import { keys } from './keys.js';
import {
  cancellationReasons,
  conditionFailed,
  pendingEscalationPut,
  queryAll,
  queryPage,
  readSubmission,
  submissionPut,
  withoutKeys,
  type Item,
} from './monitor-items.js';

export const ASSESSMENT_ENTITY = 'assessment';
export const ASSESSMENT_COPY_ENTITY = 'assessment-of-instrument';

/** BatchGetItem takes at most 100 keys. */
const BATCH = 100;

function toAssessment(item: Item): StoredAssessment {
  const record = withoutKeys(item) as unknown as StoredAssessment;
  if (!isInstrumentId(record.instrument) || typeof record.assessmentId !== 'string') throw new Error('A stored assessment is malformed.');
  return record;
}

export function createAssessmentRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): AssessmentRecords {
  const { documentClient: db, tableName: TableName } = options;

  async function get(clientId: string, assessmentId: string): Promise<StoredAssessment | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.assessment(clientId, assessmentId), ConsistentRead: true }));
    return Item ? toAssessment(Item) : undefined;
  }

  async function findBySubmissionKey(clientId: string, submissionKey: string): Promise<string | undefined> {
    const pointer = await readSubmission(db, TableName, clientId, submissionKey);
    return pointer?.recordType === ASSESSMENT_ENTITY && typeof pointer.recordId === 'string' ? pointer.recordId : undefined;
  }

  return {
    get,
    findBySubmissionKey,

    async save(assessment: StoredAssessment, saveOptions: SaveOptions = {}): Promise<SaveResult<StoredAssessment>> {
      const { clientId, assessmentId, instrument } = assessment;
      const body = structuredClone(assessment);
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          Put: {
            TableName,
            Item: { ...keys.assessment(clientId, assessmentId), entityType: ASSESSMENT_ENTITY, ...body },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName,
            Item: { ...keys.assessmentOfInstrument(clientId, instrument, assessmentId), entityType: ASSESSMENT_COPY_ENTITY, ...body },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ];
      const submissionIndex = saveOptions.submissionKey ? items.length : -1;
      if (saveOptions.submissionKey) {
        items.push(submissionPut(TableName, clientId, saveOptions.submissionKey, { recordType: ASSESSMENT_ENTITY, recordId: assessmentId }, Date.parse(assessment.submittedAt)));
      }
      if (saveOptions.pendingEscalation) items.push(pendingEscalationPut(TableName, saveOptions.pendingEscalation));
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return { outcome: 'created', record: assessment };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
        if (submissionIndex >= 0 && conditionFailed(reasons[submissionIndex])) {
          const earlier = await findBySubmissionKey(clientId, saveOptions.submissionKey!);
          const record = earlier === undefined ? undefined : await get(clientId, earlier);
          if (record) return { outcome: 'existing', record };
        }
        throw error;
      }
    },

    async existing(clientId: string, assessmentIds: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      const unique = [...new Set(assessmentIds)];
      for (let i = 0; i < unique.length; i += BATCH) {
        let requestKeys: Item[] | undefined = unique.slice(i, i + BATCH).map((id) => keys.assessment(clientId, id));
        // BatchGet may leave keys unprocessed under load: ask again for those.
        while (requestKeys && requestKeys.length > 0) {
          const result = await db.send(
            new BatchGetCommand({
              RequestItems: { [TableName]: { Keys: requestKeys, ConsistentRead: true, ProjectionExpression: 'assessmentId' } },
            }),
          );
          for (const item of result.Responses?.[TableName] ?? []) found.add(String(item.assessmentId));
          requestKeys = result.UnprocessedKeys?.[TableName]?.Keys as Item[] | undefined;
        }
      }
      return found;
    },

    async list(clientId, page) {
      const prefix = page.instrument ? keys.assessmentOfInstrumentPrefix(page.instrument) : keys.assessmentPrefix();
      return queryPage(db, TableName, clientId, prefix, page, (item) => {
        const record = toAssessment(item);
        return { ...record, id: record.assessmentId };
      });
    },

    async series(clientId: string, instrument: InstrumentId): Promise<ScorePointRecord[]> {
      const items = await queryAll(db, TableName, {
        clientId,
        prefix: keys.assessmentOfInstrumentPrefix(instrument),
        projection: { expression: '#id, #at, #result.#total', names: { '#id': 'assessmentId', '#at': 'submittedAt', '#result': 'result', '#total': 'total' } },
      });
      return items.flatMap((item) => {
        const total = (item.result as { total?: unknown } | undefined)?.total;
        return typeof total === 'number' ? [{ assessmentId: String(item.assessmentId), total, at: String(item.submittedAt) }] : [];
      });
    },
  };
}
