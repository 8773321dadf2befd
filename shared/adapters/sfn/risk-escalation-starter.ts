/**
 * RiskEscalationStarter over Step Functions StartExecution (workflow-starter.ts). The
 * execution name is derived from the source record (`risk-<assessment|check_in>-<id>`), so a
 * retried start (a lost response, a replayed request) finds the execution it already made
 * instead of alerting twice; the risk task's id is derived the same way (OpenRiskTask).
 *
 * The input is ids only (RiskEscalationInputSchema): no level, no flag time. An execution's
 * history keeps its input for 90 days; the tasks read the rest from the flagged record.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { readEnvironment } from '../../config/environment.js';
import { riskTaskIdFor } from '../../domain/risk-tasks.js';
import type { RiskEscalationStarter, RiskSource, WorkflowStarter } from '../../use-cases/ports.js';
import type { RiskEscalationInput } from '../../use-cases/risk/workflow-tasks.js';
import { createSfnClient } from './sync-workflow-client.js';
import { createWorkflowStarter } from './workflow-starter.js';

/** The execution name is the risk task's id: `risk-<assessment|check_in>-<sourceId>` (at most 80 characters). */
export function riskEscalationExecutionName(source: RiskSource): string {
  return riskTaskIdFor(source);
}

export function createRiskEscalationStarter(options: { starter?: WorkflowStarter; client?: SFNClient } = {}): RiskEscalationStarter {
  const starter =
    options.starter ??
    createWorkflowStarter({
      client: options.client ?? createSfnClient(),
      stateMachineArn: readEnvironment(['RISK_ESCALATION_STATE_MACHINE_ARN']).RISK_ESCALATION_STATE_MACHINE_ARN,
    });
  return {
    async start({ clientId, source }) {
      // Picked field by field: whatever else the caller holds (the pending marker has the level) stays out.
      const input: RiskEscalationInput = { clientId, source: { type: source.type, id: source.id } };
      await starter.start({ name: riskEscalationExecutionName(source), input });
    },
  };
}
