/**
 * The DynamoDB document client. Create it once per cold start (module scope of a handler) and
 * pass it to repositories. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_DYNAMODB locally), never from our code.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    // Optional attributes (a phone number) are simply absent, not a marshalling error.
    marshallOptions: { removeUndefinedValues: true },
  });
  (globalThis as HookHolder)[HOOK]?.(client);
  return client;
}

/**
 * Something to add to every document client created from now on: the local stack's table guard
 * (local/iam/table-guard.ts), which holds each local invocation to its function's IAM. Nothing
 * installs one in AWS, where IAM itself does the job. On `globalThis` under a registered symbol,
 * like the clock (shared/adapters/clock.ts), so every copy of this module sees it.
 */
export type DocumentClientHook = (client: DynamoDBDocumentClient) => void;
const HOOK = Symbol.for('moodrx.dynamodb.document-client-hook');
type HookHolder = typeof globalThis & { [HOOK]?: DocumentClientHook };

/** Installs `hook`; returns the uninstall. */
export function installDocumentClientHook(hook: DocumentClientHook): () => void {
  const holder = globalThis as HookHolder;
  if (holder[HOOK]) throw new Error('A document client hook is already installed.');
  holder[HOOK] = hook;
  return () => {
    if (holder[HOOK] === hook) delete holder[HOOK];
  };
}
