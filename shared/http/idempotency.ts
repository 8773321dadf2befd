/**
 * `Idempotency-Key` on creating POSTs, with Powertools Idempotency over the single table.
 * The key is scoped to the caller (set by the parsing middleware as `moodrx.idempotencyKey`)
 * and the stored record is bound to a hash of the raw body: the same key with another body is
 * a 422, a retry while the first is still running a 409, and a retry after success gets the
 * first response again. Errors are never stored (Powertools deletes the record), so a failed
 * request can be retried with the same key. Records expire after 24 hours (TTL).
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type middy from '@middy/core';
import { IdempotencyKeyReuseError, RequestInProgressError } from '../domain/errors.js';
import { keys } from '../adapters/dynamodb/keys.js';
import { readEnvironment } from '../config/environment.js';
import { TABLE_DESIGN } from '../platform/table-design.js';
import type { RouteDefinition } from './routes.js';

const RECORD_LIFETIME_SECONDS = 24 * 60 * 60;

export function idempotencyMiddleware(route: RouteDefinition): middy.MiddlewareObj {
  const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: TABLE_NAME,
    keyAttr: TABLE_DESIGN.partitionKey,
    sortKeyAttr: TABLE_DESIGN.sortKey,
    staticPkValue: keys.idempotencyPartition(route.id),
    expiryAttr: TABLE_DESIGN.timeToLiveAttribute,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'moodrx.idempotencyKey',
    payloadValidationJmesPath: 'body',
    throwOnNoIdempotencyKey: false,
    expiresAfterSeconds: RECORD_LIFETIME_SECONDS,
  });
  const inner = makeHandlerIdempotent({ persistenceStore, config, keyPrefix: route.id }) as middy.MiddlewareObj;
  return {
    ...inner,
    before: async (request) => {
      try {
        return await inner.before?.(request);
      } catch (error) {
        throw translate(error);
      }
    },
  };
}

function translate(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) return new IdempotencyKeyReuseError();
  if (error instanceof IdempotencyAlreadyInProgressError) return new RequestInProgressError();
  return error;
}
