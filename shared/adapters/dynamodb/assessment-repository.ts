/**
 * Assessments in the single table (keys.ts, patterns 24-26, 29):
 * - record       CLIENT#<clientId> / ASSESSMENT#<assessmentId>                  (by time, by id)
 * - copy         CLIENT#<clientId> / ASSESSMENT_OF#<instrument>#<assessmentId>  (per instrument)
 * - submission   CLIENT#<clientId> / SUBMISSION#<hash>   -> { recordId }         (retries)
 * - pending      CLIENT#<clientId> / RISK_PENDING#assessment#<id>                (flagged ones)
 * all written in ONE transaction, only while the client profile exists. Records are never
 * updated: a copy can therefore not drift from its record.
 */
import { GetCommand, type DynamoDBDocumentClient, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isInstrumentId } from '../../domain/instruments/registry.js';
import type { InstrumentId } from '../../domain/instruments/definition.js';
import type { StoredAssessment } from '../../domain/monitor/assessments.js';
import type { AssessmentRecords, SaveOptions, SaveResult, ScorePointRecord } from '../../use-cases/monitor/ports.js';
import { keys } from './keys.js';
import {
  queryAll,
  queryPage,
  readSubmission,
  saveNewRecord,
  withoutKeys,
  type Item,
} from './monitor-items.js';
import { batchGetAll } from './table-operations.js';

export const ASSESSMENT_ENTITY = 'assessment';
export const ASSESSMENT_COPY_ENTITY = 'assessment-of-instrument';

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
      return saveNewRecord(db, TableName, {
        clientId,
        record: assessment,
        items,
        pointer: { recordType: ASSESSMENT_ENTITY, recordId: assessmentId, at: assessment.submittedAt },
        options: saveOptions,
        lookup: { findBySubmissionKey, get },
      });
    },

    async existing(clientId: string, assessmentIds: readonly string[]): Promise<Set<string>> {
      const requestKeys = [...new Set(assessmentIds)].map((id) => keys.assessment(clientId, id));
      const items = await batchGetAll(db, TableName, requestKeys, { consistent: true, projection: 'assessmentId' });
      return new Set(items.map((item) => String(item.assessmentId)));
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
