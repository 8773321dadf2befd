/**
 * Starts the weekly progress reviews' run of the hour (workflows/progress-reviews.asl.json),
 * invoked every hour by EventBridge Scheduler (infra/stacks/workflows-stack.ts), whose input
 * carries the schedule's own time (`<aws.scheduler.scheduled-time>`): the execution name is
 * derived from that hour, so a duplicate or retried delivery is refused by name
 * (shared/use-cases/reviews/progress-reviews.ts startProgressReviews). Locally, the stack runs
 * it at every hour of its clock (local/progress-review-scheduler.ts). Logs ids only.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { now } from '../../shared/adapters/clock.js';
import { createSfnClient } from '../../shared/adapters/sfn/sync-workflow-client.js';
import { createWorkflowStarter } from '../../shared/adapters/sfn/workflow-starter.js';
import { readEnvironment } from '../../shared/config/environment.js';
import { logger } from '../../shared/observability/logger.js';
import { startProgressReviews } from '../../shared/use-cases/reviews/progress-reviews.js';

const ScheduleEventSchema = z.looseObject({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

export function starterDependencies() {
  const env = readEnvironment(['PROGRESS_REVIEWS_STATE_MACHINE_ARN']);
  return { workflow: createWorkflowStarter({ client: createSfnClient(), stateMachineArn: env.PROGRESS_REVIEWS_STATE_MACHINE_ARN }) };
}

const deps = starterDependencies();

export const handler = middy<unknown, { name: string; alreadyStarted: boolean }, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .handler(async (event) => {
    const parsed = ScheduleEventSchema.safeParse(event);
    const scheduled = parsed.success && parsed.data.scheduledTime ? new Date(parsed.data.scheduledTime) : now();
    const started = await startProgressReviews(scheduled, deps);
    logger.info('Progress reviews run', { name: started.name, alreadyStarted: started.alreadyStarted });
    return { name: started.name, alreadyStarted: started.alreadyStarted };
  });
