/**
 * Diagnoses in the single table (keys.ts, patterns 26, 28): every version is its own item,
 * CLIENT#<clientId> / DIAGNOSIS#<diagnosisId>#V#<000001>. Version n+1 is put "if absent" in
 * ONE transaction with a check that version n exists (and the client profile), so two
 * concurrent changes cannot both become n+1 and no version is ever overwritten; nothing here
 * updates or deletes.
 */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DiagnosisVersion } from '../../domain/monitor/diagnoses.js';
import type { DiagnosisRecords, RecordDiagnosisResult, SaveOptions } from '../../use-cases/monitor/ports.js';
import { keys } from './keys.js';
import { queryAll, readSubmission, submissionPut, withoutKeys, type Item } from './monitor-items.js';
import { cancellationReasons, conditionFailed } from './table-operations.js';

export const DIAGNOSIS_ENTITY = 'diagnosis-version';

function toVersion(item: Item): DiagnosisVersion {
  const record = withoutKeys(item) as unknown as DiagnosisVersion;
  if (typeof record.diagnosisId !== 'string' || typeof record.version !== 'number') throw new Error('A stored diagnosis version is malformed.');
  return record;
}

export function createDiagnosisRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): DiagnosisRecords {
  const { documentClient: db, tableName: TableName } = options;

  async function findBySubmissionKey(clientId: string, submissionKey: string) {
    const pointer = await readSubmission(db, TableName, clientId, submissionKey);
    if (pointer?.recordType !== DIAGNOSIS_ENTITY || typeof pointer.recordId !== 'string' || typeof pointer.version !== 'number') return undefined;
    return { diagnosisId: pointer.recordId, version: pointer.version };
  }

  async function getVersion(clientId: string, diagnosisId: string, version: number): Promise<DiagnosisVersion | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.diagnosisVersion(clientId, diagnosisId, version), ConsistentRead: true }));
    return Item ? toVersion(Item) : undefined;
  }

  return {
    findBySubmissionKey,

    async record(diagnosis: DiagnosisVersion, saveOptions: Pick<SaveOptions, 'submissionKey'> = {}): Promise<RecordDiagnosisResult> {
      const { clientId, diagnosisId, version } = diagnosis;
      const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
        {
          Put: {
            TableName,
            Item: { ...keys.diagnosisVersion(clientId, diagnosisId, version), entityType: DIAGNOSIS_ENTITY, ...structuredClone(diagnosis) },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ];
      const previousIndex = version > 1 ? items.length : -1;
      if (version > 1) {
        items.push({ ConditionCheck: { TableName, Key: keys.diagnosisVersion(clientId, diagnosisId, version - 1), ConditionExpression: 'attribute_exists(PK)' } });
      }
      const submissionIndex = saveOptions.submissionKey ? items.length : -1;
      if (saveOptions.submissionKey) {
        items.push(
          submissionPut(TableName, clientId, saveOptions.submissionKey, { recordType: DIAGNOSIS_ENTITY, recordId: diagnosisId, version }, Date.parse(diagnosis.recordedAt)),
        );
      }
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return { outcome: 'created', record: diagnosis };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
        if (submissionIndex >= 0 && conditionFailed(reasons[submissionIndex])) {
          const earlier = await findBySubmissionKey(clientId, saveOptions.submissionKey!);
          const record = earlier && (await getVersion(clientId, earlier.diagnosisId, earlier.version));
          if (record) return { outcome: 'existing', record };
        }
        if (previousIndex >= 0 && conditionFailed(reasons[previousIndex])) return { outcome: 'revised_not_found' };
        if (conditionFailed(reasons[1])) return { outcome: 'conflict' };
        throw error;
      }
    },

    async list(clientId: string): Promise<DiagnosisVersion[]> {
      return (await queryAll(db, TableName, { clientId, prefix: keys.diagnosisPrefix() })).map(toVersion);
    },
  };
}
