/**
 * The middy stack every workflow task shares: Powertools logger context -> input validation
 * (zod) -> use case -> its result as the task output. A task module is wiring only.
 *
 * Errors are rethrown untouched: their NAME is what the state machine's Retry and Catch match
 * (Lambda reports it as `errorType`). Logs carry ids, the task name and error names only, never
 * the event (it can hold a password or health data).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../../shared/observability/logger.js';

/** The event did not match the task's input schema: a defect in the workflow definition. */
export class InvalidTaskInputError extends Error {
  constructor(task: string, fields: string[]) {
    // Field paths only: a message must never echo the values (a password, a birth date).
    super(`Invalid input for task ${task}: ${fields.join(', ') || '(root)'}`);
    this.name = 'InvalidTaskInputError';
  }
}

export function taskHandler<S extends z.ZodType, R>(
  task: string,
  schema: S,
  run: (input: z.output<S>) => Promise<R>,
): middy.MiddyfiedHandler<unknown, R, Error, Context> {
  return middy<unknown, R, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use({
      onError: async (request) => {
        logger.warn('Task failed', { task, errorName: request.error?.name ?? 'Error' });
      },
    })
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidTaskInputError(task, [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))]);
      }
      const requestId = (parsed.data as { requestId?: unknown }).requestId;
      if (typeof requestId === 'string') logger.appendKeys({ signupRequestId: requestId });
      const result = await run(parsed.data);
      logger.info('Task done', { task });
      return result;
    });
}
