/**
 * The care-lifecycle reconciler, invoked daily by EventBridge Scheduler (infra/stacks/
 * workflows-stack.ts) and at start-up of the local stack (local/stack.ts): restarts the
 * lifecycle of every client in an active stage whose execution is missing or ended, never a
 * second one (shared/use-cases/care-lifecycle/reconcile.ts). Logs counts and ids only.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createCareLifecycleRepository } from '../../shared/adapters/dynamodb/care-lifecycle-repository.js';
import { createClientRepository } from '../../shared/adapters/dynamodb/client-repository.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.js';
import { createLifecycleExecutions } from '../../shared/adapters/sfn/lifecycle-executions.js';
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { logger } from '../../shared/observability/logger.js';
import { reconcileAll, type ReconcileDeps, type ReconcileSummary } from '../../shared/use-cases/care-lifecycle/reconcile.js';

export function reconcilerDependencies(): ReconcileDeps {
  const env = readEnvironment(['TABLE_NAME', 'CARE_LIFECYCLE_STATE_MACHINE_ARN']);
  const documentClient = createDocumentClient();
  const sfn = createSfnClient();
  return {
    records: createCareLifecycleRepository({ documentClient, tableName: env.TABLE_NAME }),
    clients: createClientRepository({ documentClient, tableName: env.TABLE_NAME }),
    executions: createLifecycleExecutions({ client: sfn, stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN }),
    careLifecycle: createWorkflowStarter({ client: sfn, stateMachineArn: env.CARE_LIFECYCLE_STATE_MACHINE_ARN }),
  };
}

const deps = reconcilerDependencies();

export const handler = middy<unknown, Omit<ReconcileSummary, 'startedFor'>, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async () => {
    const summary = await reconcileAll({ ...deps, log: (message, fields) => logger.warn(message, fields) });
    for (const started of summary.startedFor) logger.info('Care lifecycle restarted', started);
    const { startedFor: _ids, ...counts } = summary;
    logger.info('Care lifecycles reconciled', counts);
    return counts;
  });
