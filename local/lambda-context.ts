/**
 * The Lambda context a local invocation gets, for the API server and the Step Functions
 * emulator alike: what Powertools and middy read (name, ARN, request id, remaining time).
 */
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './stack-environment.js';

export function lambdaContext(options: { functionName: string; requestId: string; deadline: number }): Context {
  const { functionName, requestId, deadline } = options;
  const unsupported = (): never => {
    throw new Error('Callback-style Lambda context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
