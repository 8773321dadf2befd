/**
 * Care units in the single table (keys.ts patterns 80-84):
 * - unit        CARE_UNIT#<unitId> / UNIT                         { kind, createdBy, therapistId?, version }
 * - member      CARE_UNIT#<unitId> / MEMBER#<clientId>            the membership
 * - pointer     CLIENT#<clientId> / UNIT_MEMBERSHIP#<unitId>      { unitId, kind, role, status }
 * - release     CARE_UNIT#<unitId> / RELEASE#<releaseId>
 * - decision    CARE_UNIT#<unitId> / RELEASE#<releaseId>#CONSENT#<forClientId>
 *
 * Every change is ONE transaction that also moves the unit's `version` from the value the use
 * case read (the optimistic lock: two invitations at once cannot both take the last place).
 * The unit match adds, in the same transaction, what match-repository's assignTherapist does
 * for one client, for each member, with ONE caseload place for the unit.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { CARE_UNIT_KINDS, MEMBER_ROLES, MEMBERSHIP_STATUSES, UNIT_CARE_END_REASONS, type CareUnit, type Membership } from '../../domain/care-units/units.js';
import { RELEASE_DECISIONS, RELEASE_SCOPES, type ReleaseConsent, type ReleaseRequest } from '../../domain/care-units/releases.js';
import type { CareRelationship } from '../../domain/access.js';
import type { CareUnitRecords, LoadedUnit, UnitPointer } from '../../use-cases/care-units/ports.js';
import { ACTIVE_CARE_ENTITY, CARE_RELATIONSHIP_ENTITY } from './care-team-repository.js';
import { caseloadTake } from './caseload-counter.js';
import { keys } from './keys.js';
import { endRelationshipItems, stageChange } from './match-repository.js';
import { conditionFailed, queryAll, transactOnce, type TransactItem } from './table-operations.js';

export const CARE_UNIT_ENTITY = 'care-unit';
export const UNIT_MEMBER_ENTITY = 'care-unit-member';
export const UNIT_POINTER_ENTITY = 'care-unit-pointer';
export const UNIT_RELEASE_ENTITY = 'care-unit-release';
export const UNIT_RELEASE_CONSENT_ENTITY = 'care-unit-release-consent';

type TransactItems = TransactItem[];

const UnitItemSchema = z.object({
  unitId: z.string(),
  kind: z.enum(CARE_UNIT_KINDS),
  createdBy: z.string(),
  createdAt: z.string(),
  therapistId: z.string().optional(),
  matchedAt: z.string().optional(),
  careEndedAt: z.string().optional(),
  careEndReason: z.enum(UNIT_CARE_END_REASONS).optional(),
  version: z.number().int().min(1),
});
const MemberItemSchema = z.object({
  unitId: z.string(),
  clientId: z.string(),
  role: z.enum(MEMBER_ROLES),
  status: z.enum(MEMBERSHIP_STATUSES),
  invitedBy: z.string(),
  invitedAt: z.string(),
  consentedAt: z.string().optional(),
  endedAt: z.string().optional(),
  personalRepresentativeIds: z.array(z.string()).optional(),
});
const ReleaseItemSchema = z.object({
  unitId: z.string(),
  releaseId: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  recipient: z.string(),
  purpose: z.string(),
  scope: z.array(z.enum(RELEASE_SCOPES)),
  status: z.enum(['pending', 'authorized', 'refused']),
  decidedAt: z.string().optional(),
});
const ConsentItemSchema = z.object({
  releaseId: z.string(),
  forClientId: z.string(),
  byClientId: z.string(),
  decision: z.enum(RELEASE_DECISIONS),
  at: z.string(),
});
const PointerItemSchema = z.object({ unitId: z.string(), kind: z.enum(CARE_UNIT_KINDS), role: z.enum(MEMBER_ROLES), status: z.enum(MEMBERSHIP_STATUSES) });

/** Only the fields of the schema, never the key attributes. */
function strip<T extends z.ZodObject>(schema: T, item: Record<string, unknown>): z.infer<T> {
  return schema.parse(Object.fromEntries(Object.keys(schema.shape).filter((k) => item[k] !== undefined).map((k) => [k, item[k]]))) as z.infer<T>;
}

export function createCareUnitRepository(options: { documentClient: DynamoDBDocumentClient; tableName: string }): CareUnitRecords {
  const { documentClient: db, tableName: TableName } = options;

  const transact = (items: TransactItems) => transactOnce(db, items);

  const bumpVersion = (unitId: string, expected: number, extra?: { set: string; values: Record<string, unknown>; condition?: string }) => ({
    Update: {
      TableName,
      Key: keys.careUnit(unitId),
      UpdateExpression: `SET version = :next${extra ? `, ${extra.set}` : ''}`,
      ConditionExpression: `version = :expected${extra?.condition ? ` AND ${extra.condition}` : ''}`,
      ExpressionAttributeValues: { ':next': expected + 1, ':expected': expected, ...(extra?.values ?? {}) },
    },
  });

  const memberItems = (membership: Membership, kind: CareUnit['kind']): TransactItems => [
    { Put: { TableName, Item: { ...keys.unitMember(membership.unitId, membership.clientId), entityType: UNIT_MEMBER_ENTITY, ...membership } } },
    {
      Put: {
        TableName,
        Item: { ...keys.clientUnitMembership(membership.clientId, membership.unitId), entityType: UNIT_POINTER_ENTITY, unitId: membership.unitId, kind, role: membership.role, status: membership.status },
      },
    },
  ];

  async function getUnit(unitId: string): Promise<LoadedUnit | undefined> {
    const items = await queryAll(db, {
      TableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.careUnitPartition(unitId) },
      ConsistentRead: true,
    });
    const unitItem = items.find((i) => i.entityType === CARE_UNIT_ENTITY);
    if (!unitItem) return undefined;
    const { version, ...unit } = strip(UnitItemSchema, unitItem);
    return {
      unit,
      version,
      memberships: items.filter((i) => i.entityType === UNIT_MEMBER_ENTITY).map((i) => strip(MemberItemSchema, i)),
      releases: items.filter((i) => i.entityType === UNIT_RELEASE_ENTITY).map((i) => strip(ReleaseItemSchema, i)),
      consents: items.filter((i) => i.entityType === UNIT_RELEASE_CONSENT_ENTITY).map((i) => strip(ConsentItemSchema, i)),
    };
  }

  async function kindOf(unitId: string): Promise<CareUnit['kind']> {
    const loaded = await getUnit(unitId);
    if (!loaded) throw new Error('No such care unit.');
    return loaded.unit.kind;
  }

  return {
    getUnit,

    async createUnit(unit, creator) {
      const reasons = await transact([
        { ConditionCheck: { TableName, Key: keys.clientProfile(creator.clientId), ConditionExpression: 'attribute_exists(PK)' } },
        { Put: { TableName, Item: { ...keys.careUnit(unit.unitId), entityType: CARE_UNIT_ENTITY, ...unit, version: 1 }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...memberItems(creator, unit.kind),
      ]);
      if (reasons) throw new Error('The care unit was not created (the client is gone or the id is taken).');
    },

    async putMembership(membership, expectedVersion, endJointCare) {
      const kind = await kindOf(membership.unitId);
      const reasons = await transact([
        bumpVersion(
          membership.unitId,
          expectedVersion,
          endJointCare
            ? { set: 'careEndedAt = :ended, careEndReason = :reason', values: { ':ended': endJointCare.at, ':reason': endJointCare.reason }, condition: 'attribute_not_exists(careEndedAt)' }
            : undefined,
        ),
        // Never attach a membership to a client whose records are gone.
        { ConditionCheck: { TableName, Key: keys.clientProfile(membership.clientId), ConditionExpression: 'attribute_exists(PK)' } },
        ...memberItems(membership, kind),
      ]);
      if (!reasons) return 'written';
      if (conditionFailed(reasons[1])) throw new Error('The member has no client record.');
      return 'conflict';
    },

    async endJointCare(unitId, end, expectedVersion) {
      const reasons = await transact([
        bumpVersion(unitId, expectedVersion, { set: 'careEndedAt = :ended, careEndReason = :reason', values: { ':ended': end.at, ':reason': end.reason }, condition: 'attribute_not_exists(careEndedAt)' }),
      ]);
      return reasons ? 'conflict' : 'written';
    },

    async listUnitsOf(clientId): Promise<UnitPointer[]> {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.clientPartition(clientId), ':prefix': keys.clientUnitMembershipPrefix() },
          ConsistentRead: true,
        }),
      );
      return Items.map((i) => strip(PointerItemSchema, i));
    },

    async createRelease(release: ReleaseRequest, consent: ReleaseConsent | undefined, expectedVersion: number) {
      const reasons = await transact([
        bumpVersion(release.unitId, expectedVersion),
        { Put: { TableName, Item: { ...keys.unitRelease(release.unitId, release.releaseId), entityType: UNIT_RELEASE_ENTITY, ...release }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...(consent
          ? [{ Put: { TableName, Item: { ...keys.unitReleaseConsent(release.unitId, release.releaseId, consent.forClientId), entityType: UNIT_RELEASE_CONSENT_ENTITY, ...consent }, ConditionExpression: 'attribute_not_exists(PK)' } }]
          : []),
      ]);
      return reasons ? 'conflict' : 'written';
    },

    async decideRelease(unitId, consent, status, decidedAt, expectedVersion) {
      const reasons = await transact([
        bumpVersion(unitId, expectedVersion),
        { Put: { TableName, Item: { ...keys.unitReleaseConsent(unitId, consent.releaseId, consent.forClientId), entityType: UNIT_RELEASE_CONSENT_ENTITY, ...consent }, ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Update: {
            TableName,
            Key: keys.unitRelease(unitId, consent.releaseId),
            UpdateExpression: decidedAt === undefined ? 'SET #status = :status' : 'SET #status = :status, decidedAt = :decidedAt',
            ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':pending': 'pending', ...(decidedAt === undefined ? {} : { ':decidedAt': decidedAt }) },
          },
        },
      ]);
      if (!reasons) return 'written';
      if (conditionFailed(reasons[1])) return 'already_decided';
      return 'conflict';
    },

    async assignUnitTherapist({ unitId, therapistId, startedAt, members, expectedVersion }) {
      const items: TransactItems = [
        bumpVersion(unitId, expectedVersion, { set: 'therapistId = :therapist, matchedAt = :at', values: { ':therapist': therapistId, ':at': startedAt }, condition: 'attribute_not_exists(therapistId)' }),
        caseloadTake(TableName, therapistId),
      ];
      for (const member of members) {
        const { clientId } = member;
        const relationship: CareRelationship = { clientId, clinicianId: therapistId, kind: 'therapist', startedAt };
        items.push(
          {
            Put: {
              TableName,
              Item: { ...keys.activeCare(clientId, 'therapist'), entityType: ACTIVE_CARE_ENTITY, clientId, clinicianId: therapistId, kind: 'therapist', startedAt },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName,
              Item: { ...keys.careRelationship(clientId, 'therapist', therapistId, startedAt), ...keys.clinicianClientActive(therapistId, 'therapist', startedAt, clientId), entityType: CARE_RELATIONSHIP_ENTITY, ...relationship },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          stageChange(TableName, clientId, member.stage, 'in_care', startedAt),
          ...(member.consultation ? endRelationshipItems(TableName, member.consultation, startedAt, 'matched') : []),
        );
      }
      const reasons = await transact(items);
      if (!reasons) return 'assigned';
      if (conditionFailed(reasons[1]) && !conditionFailed(reasons[0])) return 'therapist_full';
      return 'conflict';
    },
  };
}
