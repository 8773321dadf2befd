/**
 * Runs a Lambda handler in this process the way the Lambda service would for a Step Functions
 * Task: the event and the result cross a JSON boundary, the handler gets a Lambda context, and
 * a thrown error reaches the state machine as Lambda reports it: Error = the error's name
 * (`errorType`), Cause = the JSON of `{errorType, errorMessage, trace}`.
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaContext } from '../lambda-context.js';
import type { Json } from './definition.js';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** A task failure as the state machine sees it: `name` is matched by Retry/Catch, `message` is the Cause. */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

/** What Lambda's Node.js runtime reports for an error a handler threw. */
export function lambdaErrorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

/** Invokes `handler` with a copy of `event`; resolves to its JSON result or rejects with a LambdaFunctionError. */
export async function invokeLocally(handler: LambdaHandler, event: Json, options: { functionName: string; timeoutMs: number }): Promise<Json> {
  const payload = JSON.parse(JSON.stringify(event)) as unknown;
  let result: unknown;
  try {
    result = await handler(payload, lambdaContext({ functionName: options.functionName, requestId: randomUUID(), deadline: Date.now() + options.timeoutMs }));
  } catch (error) {
    const report = lambdaErrorPayload(error);
    throw new LambdaFunctionError(report.errorType, JSON.stringify(report));
  }
  // Lambda returns `null` for a handler that returned nothing.
  return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
}
