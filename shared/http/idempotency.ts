/**
 * `Idempotency-Key` on creating POSTs, with Powertools Idempotency over the single table.
 * The key is bound to the caller, the method and the path with its parameters (set by the
 * parsing middleware as `moodrx.idempotencyKey`, see api-handler.ts idempotencyScope), and the
 * stored record to a hash of the raw body: the same key with another body is a 422, a retry
 * while the first is still running a 409, and a retry after success gets the first response
 * again, but only after the route's replay check (the route's authorization for the caller
 * now, and the audit event of the read) passes: a caller whose access ended meanwhile gets
 * 404, not the stored response. Errors are never stored (Powertools deletes the record), so a
 * failed request can be retried with the same key; a refused replay, a 409 or a 422 leaves the
 * record of the first request as it is. Records expire (TTL) after 24 hours, or after one hour
 * for routes on a client's record (their stored responses copy health data).
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { IdempotencyKeyReuseError, RequestInProgressError } from '../domain/errors.js';
import { keys } from '../adapters/dynamodb/keys.js';
import { readEnvironment } from '../config/environment.js';
import { TABLE_DESIGN } from '../platform/table-design.js';
import type { ApiEvent, ReplayCheck, StoredResponse } from './api-handler.js';
import type { RouteDefinition } from './routes.js';

/** Routes whose stored response holds no client health record (see replayWithRoleCheckOnly). */
export const RECORD_LIFETIME_SECONDS = 24 * 60 * 60;
/**
 * Routes on a client's record (assessments, check-ins, diagnoses, matches, discharge, risk
 * tasks): the stored response is a copy of health data outside the client's partition, so it
 * lives one hour, long enough for a client's retries after a lost answer. After that the
 * monitor routes still find their record by the key in the client's partition (through the
 * use case, its access check and audit); the others treat the key as new.
 */
export const HEALTH_RECORD_LIFETIME_SECONDS = 60 * 60;

export function idempotencyMiddleware(route: RouteDefinition, replay: ReplayCheck): middy.MiddlewareObj<ApiEvent> {
  const { TABLE_NAME } = readEnvironment(['TABLE_NAME']);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: TABLE_NAME,
    keyAttr: TABLE_DESIGN.partitionKey,
    sortKeyAttr: TABLE_DESIGN.sortKey,
    staticPkValue: keys.idempotencyPartition(route.id),
    expiryAttr: TABLE_DESIGN.timeToLiveAttribute,
  });
  const config = new IdempotencyConfig({
    // The caller, method, path with its parameters and the key (api-handler.ts idempotencyScope).
    eventKeyJmesPath: 'moodrx.idempotencyKey',
    payloadValidationJmesPath: 'body',
    throwOnNoIdempotencyKey: false,
    expiresAfterSeconds: replay === replayWithRoleCheckOnly ? RECORD_LIFETIME_SECONDS : HEALTH_RECORD_LIFETIME_SECONDS,
  });
  const inner = makeHandlerIdempotent({ persistenceStore, config, keyPrefix: route.id }) as middy.MiddlewareObj<ApiEvent>;
  return {
    before: async (request) => {
      let stored: unknown;
      try {
        stored = await inner.before?.(request);
      } catch (error) {
        // Nothing was saved for this request (another one holds the key): keep their record.
        (request.internal as Record<string, unknown>)[NOT_OURS] = true;
        throw translate(error);
      }
      if (stored === undefined) return undefined;
      try {
        await replay(request.event.moodrx!.request, storedResponseOf(stored as APIGatewayProxyResult));
      } catch (error) {
        // Refused now (e.g. access ended): the stored response stays for nobody else, and stays.
        (request.internal as Record<string, unknown>)[NOT_OURS] = true;
        throw error;
      }
      return stored;
    },
    after: async (request) => inner.after?.(request),
    onError: async (request) => {
      if ((request.internal as Record<string, unknown>)[NOT_OURS] === true) return;
      await inner.onError?.(request);
    },
  };
}

const NOT_OURS = 'moodrx.idempotency.notOurs';

function storedResponseOf(result: APIGatewayProxyResult): StoredResponse {
  let body: unknown = undefined;
  if (result.body) {
    try {
      body = JSON.parse(result.body);
    } catch {
      body = undefined;
    }
  }
  return { status: result.statusCode, body };
}

function translate(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) return new IdempotencyKeyReuseError();
  if (error instanceof IdempotencyAlreadyInProgressError) return new RequestInProgressError();
  return error;
}

/**
 * The replay check of routes whose whole authorization is the route's role check (run on every
 * request, before this middleware) and a caller bound into the key, and whose response is not
 * a client's health record: signup (public; the body, password included, is bound to the key),
 * creating a clinician (admin), a client's own consultation booking and slot hold.
 */
export const replayWithRoleCheckOnly: ReplayCheck = async () => undefined;
