/**
 * RiskSources over the monitoring records (assessment-repository.ts, check-in-repository.ts):
 * the flagged record by client and id, strongly consistent (it was written, in one transaction
 * with its pending-escalation marker, before the workflow started).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RiskSources } from '../../use-cases/risk/ports.js';
import { createAssessmentRepository } from './assessment-repository.js';
import { createCheckInRepository } from './check-in-repository.js';

export function createRiskSourceReader(options: { documentClient: DynamoDBDocumentClient; tableName: string }): RiskSources {
  const assessments = createAssessmentRepository(options);
  const checkIns = createCheckInRepository(options);
  return {
    async get(clientId, source) {
      if (source.type === 'assessment') {
        const record = await assessments.get(clientId, source.id);
        return record ? { riskFlags: record.result.riskFlags, at: record.submittedAt } : undefined;
      }
      const record = await checkIns.get(clientId, source.id);
      return record ? { riskFlags: record.riskFlags, at: record.recordedAt } : undefined;
    },
  };
}
