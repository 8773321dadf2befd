/**
 * A therapist's caseload counter (keys.ts pattern 40): STAFF#<id> / CASELOAD
 * { count, capacity, accepting }.
 *
 * `count` is the number of clients in care with the therapist now. It moves only inside the
 * transactions that begin or end a therapist relationship (match-repository.ts), so it cannot
 * drift from the relationships. `capacity` and `accepting` are copies of the profile's
 * `caseloadCapacity` and `acceptingNewClients`, written in the profile's own transaction
 * (clinician-repository.ts): DynamoDB compares attributes of ONE item in a condition, so the
 * limit has to live on the item whose count it limits.
 *
 * Lowering the capacity below the count is allowed (nobody is dropped); it only stops new
 * clients until the count falls below it.
 */
import { keys } from './keys.js';

export const CASELOAD_ENTITY = 'caseload';

type Item = Record<string, unknown>;

/** `count` and `capacity` are DynamoDB reserved words. */
const NAMES = { '#count': 'count', '#capacity': 'capacity', '#accepting': 'accepting' };

/** Creates the counter at 0 or keeps its count; sets capacity and accepting from the profile. */
export function caseloadSync(tableName: string, therapist: { clinicianId: string; caseloadCapacity: number; acceptingNewClients: boolean }) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.caseload(therapist.clinicianId),
      UpdateExpression: 'SET #count = if_not_exists(#count, :zero), #capacity = :capacity, #accepting = :accepting, entityType = :entity, clinicianId = :id',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':zero': 0,
        ':capacity': therapist.caseloadCapacity,
        ':accepting': therapist.acceptingNewClients,
        ':entity': CASELOAD_ENTITY,
        ':id': therapist.clinicianId,
      },
    },
  };
}

/** One more client, only while the therapist accepts new clients and has room. */
export function caseloadTake(tableName: string, therapistId: string) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.caseload(therapistId),
      UpdateExpression: 'SET #count = #count + :one',
      ConditionExpression: '#accepting = :true AND #count < #capacity',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':one': 1, ':true': true },
    },
  };
}

/** One client fewer; never below zero (a counter at zero fails the condition: see match-repository). */
export function caseloadRelease(tableName: string, therapistId: string) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.caseload(therapistId),
      UpdateExpression: 'SET #count = #count - :one',
      ConditionExpression: '#count > :zero',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
    },
  };
}

export interface CaseloadCounter {
  count: number;
  capacity: number;
  accepting: boolean;
}

export function caseloadFromItem(item: Item | undefined): CaseloadCounter | undefined {
  if (!item || typeof item.count !== 'number' || typeof item.capacity !== 'number') return undefined;
  return { count: item.count, capacity: item.capacity, accepting: item.accepting === true };
}
