/**
 * The audit-chain verifier, invoked daily by EventBridge Scheduler (infra/stacks/
 * workflows-stack.ts): verifies every audit chain (clients' and staff's) under the KMS HMAC key and publishes
 * AuditChainsVerified, AuditChainsBroken and AuditChainsUnverified (the AuditChainBroken alarm
 * of the monitoring stack watches them); a broken or unverifiable chain fails the run
 * (shared/use-cases/access/verify-audit-chains.ts). Logs chain ids, positions and problem codes
 * only, never an event.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { auditMacFromEnvironment } from '../../shared/adapters/audit-mac/audit-mac-from-environment.js';
import { createAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { createStaffAuditLog } from '../../shared/adapters/dynamodb/staff-audit-log.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { logger } from '../../shared/observability/logger.js';
import { allChains, verifyAuditChains, type VerifyAuditChainsDeps } from '../../shared/use-cases/access/verify-audit-chains.js';

export function verifierDependencies(): Omit<VerifyAuditChainsDeps, 'log'> {
  const env = readEnvironment(['TABLE_NAME']);
  const metrics = new Metrics({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'moodrx' });
  // The key at cold start: a verifier without it fails now, not after listing the chains.
  const mac = auditMacFromEnvironment();
  const documentClient = createDocumentClient();
  return {
    chains: allChains({
      client: createAuditLog({ documentClient, tableName: env.TABLE_NAME, mac }),
      staff: createStaffAuditLog({ documentClient, tableName: env.TABLE_NAME, mac }),
    }),
    metrics: {
      publish(counts) {
        for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
        metrics.publishStoredMetrics();
      },
    },
  };
}

const deps = verifierDependencies();

export const handler = middy<unknown, { checked: number; intact: number }, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async () => {
    const summary = await verifyAuditChains({ ...deps, log: (message, fields) => logger.error(message, fields) });
    logger.info('Audit chains verified', { checked: summary.checked, intact: summary.intact });
    return { checked: summary.checked, intact: summary.intact };
  });
