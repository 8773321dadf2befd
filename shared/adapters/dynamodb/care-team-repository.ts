/**
 * Care relationships in the single table (see keys.ts, patterns 19-21):
 * - relationship  CLIENT#<clientId> / CARE#<kind>#<clinicianId>#<startedAt>
 *                 GSI1 CLINICIAN_CLIENTS#<clinicianId> / ACTIVE#<kind>#<startedAt>#<clientId>,
 *                 rewritten to ENDED#<endedAt>#<kind>#<clientId> when it ends; never deleted
 *                 (history stays attributable) except with all of the client's records
 * - active marker CLIENT#<clientId> / CARE_ACTIVE#<kind>  { clinicianId, startedAt }
 *
 * The marker makes "one active consultation clinician and one active therapist per client" a
 * condition, not a read: begin puts it "if absent" in the same transaction as the relationship,
 * end deletes it "if it still names this relationship" while it stamps the end.
 *
 * Access decisions read the client's partition with consistent reads, so an ended relationship
 * denies the very next request. The GSI1 listing ("my clients") may lag and is never used for
 * access.
 */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CARE_END_REASONS, CARE_RELATIONSHIP_KINDS, type CareRelationship } from '../../domain/access.js';
import type { BeginCareResult, CareRelationships, EndCareResult, NewCareRelationship } from '../../use-cases/ports.js';
import { keys } from './keys.js';
import { cancellationReasons, conditionFailed, queryAll } from './table-operations.js';

export const CARE_RELATIONSHIP_ENTITY = 'care-relationship';
export const ACTIVE_CARE_ENTITY = 'care-active';

/** A concurrent end or begin between our read and our write: try again a few times. */
const ATTEMPTS = 3;

type Item = Record<string, unknown>;


function toRelationship(item: Item): CareRelationship {
  const kind = item.kind as CareRelationship['kind'];
  if (!CARE_RELATIONSHIP_KINDS.includes(kind)) throw new Error(`Stored care relationship has an unknown kind: ${String(item.kind)}`);
  const relationship: CareRelationship = {
    clientId: String(item.clientId),
    clinicianId: String(item.clinicianId),
    kind,
    startedAt: String(item.startedAt),
  };
  if (typeof item.endedAt === 'string') relationship.endedAt = item.endedAt;
  if (typeof item.endReason === 'string' && (CARE_END_REASONS as readonly string[]).includes(item.endReason)) {
    relationship.endReason = item.endReason as CareRelationship['endReason'];
  }
  return relationship;
}

const byStart = (a: CareRelationship, b: CareRelationship) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.kind.localeCompare(b.kind);

export function createCareTeamRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): CareRelationships {
  const { documentClient: db, tableName: TableName } = options;

  async function relationshipsOf(clientId: string): Promise<CareRelationship[]> {
    const items = await queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :care)',
      ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':care': keys.careRelationshipPrefix() },
      ConsistentRead: true,
    });
    return items.map(toRelationship).sort(byStart);
  }

  /** The active relationship of a kind, through its marker; undefined when none. */
  async function active(clientId: string, kind: CareRelationship['kind']): Promise<CareRelationship | undefined> {
    const { Item: marker } = await db.send(new GetCommand({ TableName, Key: keys.activeCare(clientId, kind), ConsistentRead: true }));
    if (!marker) return undefined;
    const { Item } = await db.send(
      new GetCommand({
        TableName,
        Key: keys.careRelationship(clientId, kind, String(marker.clinicianId), String(marker.startedAt)),
        ConsistentRead: true,
      }),
    );
    // The marker and the relationship are written and ended together; a marker alone is not a relationship.
    return Item ? toRelationship(Item) : undefined;
  }

  return {
    relationshipsOf,

    async begin(input: NewCareRelationship): Promise<BeginCareResult> {
      const { clientId, clinicianId, kind, startedAt } = input;
      const relationship: CareRelationship = { clientId, clinicianId, kind, startedAt };
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                // Index 0: never attach a relationship to a client whose records are gone.
                { ConditionCheck: { TableName, Key: keys.clientProfile(clientId), ConditionExpression: 'attribute_exists(PK)' } },
                // Index 1: one active relationship of this kind per client.
                {
                  Put: {
                    TableName,
                    Item: { ...keys.activeCare(clientId, kind), entityType: ACTIVE_CARE_ENTITY, clientId, clinicianId, kind, startedAt },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: {
                      ...keys.careRelationship(clientId, kind, clinicianId, startedAt),
                      ...keys.clinicianClientActive(clinicianId, kind, startedAt, clientId),
                      entityType: CARE_RELATIONSHIP_ENTITY,
                      ...relationship,
                    },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
              ],
            }),
          );
          return { outcome: 'begun', relationship };
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (!reasons) throw error;
          if (conditionFailed(reasons[0])) return { outcome: 'client_not_found' };
          if (conditionFailed(reasons[1])) {
            const current = await active(clientId, kind);
            if (!current) continue; // ended meanwhile: try again
            return current.clinicianId === clinicianId ? { outcome: 'already_active', relationship: current } : { outcome: 'occupied', active: current };
          }
          if (conditionFailed(reasons[2])) {
            // No marker, yet this very relationship exists: it began and has ended since.
            throw new Error(`The ${kind} relationship of this client and clinician that started at ${startedAt} has ended; begin a new one with a new start.`);
          }
          // TransactionConflict with a concurrent begin or end: nothing was written.
        }
      }
      throw new Error(`Could not begin the ${kind} relationship after ${ATTEMPTS} attempts (concurrent changes).`);
    },

    async end(input): Promise<EndCareResult> {
      const { clientId, clinicianId, kind, endedAt, endReason } = input;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const current = await active(clientId, kind);
        if (!current || current.clinicianId !== clinicianId) return { outcome: 'not_active' };
        if (Date.parse(endedAt) < Date.parse(current.startedAt)) {
          throw new RangeError(`A relationship cannot end (${endedAt}) before it started (${current.startedAt}).`);
        }
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName,
                    Key: keys.activeCare(clientId, kind),
                    // Only the marker of the relationship we are ending.
                    ConditionExpression: 'clinicianId = :clinicianId AND startedAt = :startedAt',
                    ExpressionAttributeValues: { ':clinicianId': clinicianId, ':startedAt': current.startedAt },
                  },
                },
                {
                  Update: {
                    TableName,
                    Key: keys.careRelationship(clientId, kind, clinicianId, current.startedAt),
                    UpdateExpression: 'SET endedAt = :endedAt, endReason = :endReason, GSI1SK = :ended',
                    ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(endedAt)',
                    ExpressionAttributeValues: {
                      ':endedAt': endedAt,
                      ':endReason': endReason,
                      ':ended': keys.clinicianClientEnded(clinicianId, kind, endedAt, clientId).GSI1SK,
                    },
                  },
                },
              ],
            }),
          );
          return { outcome: 'ended', relationship: { ...current, endedAt, endReason } };
        } catch (error) {
          if (!cancellationReasons(error)) throw error;
          // Ended or replaced meanwhile, or a transaction conflict: read again.
        }
      }
      throw new Error(`Could not end the ${kind} relationship after ${ATTEMPTS} attempts (concurrent changes).`);
    },

    async activeFor(clientId) {
      return (await relationshipsOf(clientId)).filter((r) => r.endedAt === undefined);
    },

    async relationship(clientId, clinicianId) {
      return (await relationshipsOf(clientId)).filter((r) => r.clinicianId === clinicianId);
    },

    async clientsOf(clinicianId, status) {
      const items = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :status)',
        ExpressionAttributeValues: { ':pk': keys.clinicianClientsPartition(clinicianId), ':status': keys.clinicianClientsPrefix(status) },
        ScanIndexForward: false,
      });
      const relationships = items.map(toRelationship);
      // Active: newest start first (the sort key groups by kind first). Ended: the index order.
      return status === 'active' ? relationships.sort((a, b) => byStart(b, a)) : relationships;
    },
  };
}
