/**
 * Clinician records in the single table (see keys.ts, patterns 5, 9 and 10):
 * - profile       STAFF#<id> / PROFILE           (GSI1 ROLE#<role> / STAFF#<lastName>#<id>)
 * - availability  STAFF#<id> / AVAILABILITY      (weekly rules + exceptions, clinician's zone)
 * - listings      STAFF#<id> / CONSULTS_IN#<st>  (GSI1 CONSULTS_IN#<st> / STAFF#<id>), one per
 *                 licensed state while the clinician offers consultations
 * - email owner   EMAIL#<email> / EMAIL          (shared with clients; email-owner-record.ts)
 *
 * The profile and its listings change together in one transaction, guarded by the profile's
 * `version`, so the by-state index never disagrees with a profile for longer than GSI
 * propagation; readers re-check the profile they fetch anyway.
 *
 * The profile item keeps the staff record's shape (`userId`, `role`, `email`, names,
 * `timezone`, `licensedStates`) so StaffReader (GET /v1/me) reads it as before.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { CLINICIAN_PROFILE_ROLES, licenseValidOn, type ClinicianProfile } from '../../domain/clinicians.js';
import type { Availability } from '../../domain/scheduling.js';
import type { UsStateCode } from '../../domain/us-states.js';
import type {
  ClinicianRecords,
  ConsultationClinician,
  ConsultationDirectory,
  CreateClinicianResult,
  StoredAvailability,
} from '../../use-cases/ports.js';
import { emailOwnerItem, readEmailOwner } from './email-owner-record.js';
import { keys } from './keys.js';

export const STAFF_PROFILE_ENTITY = 'staff';
export const AVAILABILITY_ENTITY = 'availability';
export const CONSULTATION_LISTING_ENTITY = 'consultation-listing';

/** Attributes of the profile item that are storage or derived, not profile fields. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType', 'expiresAt', 'userId', 'licensedStates']);

/** BatchGetItem takes at most 100 keys; two per clinician (profile, availability). */
const BATCH_GET_KEYS = 100;
const BATCH_ATTEMPTS = 5;
const BATCH_WRITE_SIZE = 25;

const NO_HOURS: Availability = { weekly: [], exceptions: [] };

type Item = Record<string, unknown>;

interface CancellationReason {
  Code?: string;
}

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && error.name === 'TransactionCanceledException') {
    return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

function listingStates(profile: ClinicianProfile): UsStateCode[] {
  return profile.offersConsultations ? [...new Set(profile.licenses.map((l) => l.state))] : [];
}

function profileItem(profile: ClinicianProfile): Item {
  const { clinicianId, ...fields } = profile;
  return {
    ...keys.staffProfile(clinicianId),
    ...keys.staffByRole(profile.role, profile.lastName, clinicianId),
    entityType: STAFF_PROFILE_ENTITY,
    userId: clinicianId,
    ...fields,
    // Kept for StaffReader and older readers: every state with a license on file.
    licensedStates: [...new Set(profile.licenses.map((l) => l.state))].sort(),
  };
}

function listingItem(profile: ClinicianProfile, state: UsStateCode): Item {
  const license = profile.licenses.find((l) => l.state === state)!;
  return {
    ...keys.consultationListing(profile.clinicianId, state),
    entityType: CONSULTATION_LISTING_ENTITY,
    clinicianId: profile.clinicianId,
    state,
    licenseExpiresOn: license.expiresOn,
  };
}

/** A clinician profile from its item; undefined for staff records that are not clinician profiles. */
export function profileFromItem(item: Item | undefined): ClinicianProfile | undefined {
  if (!item || typeof item.credential !== 'string' || !(CLINICIAN_PROFILE_ROLES as readonly unknown[]).includes(item.role)) return undefined;
  const fields = Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name)));
  return { clinicianId: item.userId as string, ...fields } as ClinicianProfile;
}

function availabilityFromItem(item: Item | undefined): StoredAvailability | undefined {
  if (!item) return undefined;
  return {
    availability: { weekly: item.weekly as Availability['weekly'], exceptions: (item.exceptions as Availability['exceptions'] | undefined) ?? [] },
    updatedAt: item.updatedAt as string,
  };
}

function consultationClinician(profile: ClinicianProfile, availability: Availability | undefined): ConsultationClinician {
  return {
    clinicianId: profile.clinicianId,
    firstName: profile.firstName,
    lastName: profile.lastName,
    ...(profile.pronouns !== undefined ? { pronouns: profile.pronouns } : {}),
    credential: profile.credential,
    email: profile.email,
    timezone: profile.timezone,
    videoRoomUrl: profile.videoRoomUrl,
    availability: availability ?? NO_HOURS,
    offersConsultations: profile.offersConsultations,
    licenses: profile.licenses.map(({ state, expiresOn }) => ({ state, expiresOn })),
  };
}

export function createClinicianRepository(options: {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
}): ClinicianRecords & ConsultationDirectory {
  const { documentClient: db, tableName: TableName } = options;

  /** Consistent BatchGet of many keys, unprocessed keys retried a few times; items in no order. */
  async function batchGet(itemKeys: Item[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < itemKeys.length; start += BATCH_GET_KEYS) {
      let pending: Item[] = itemKeys.slice(start, start + BATCH_GET_KEYS);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_ATTEMPTS) throw new Error(`Could not read ${pending.length} items after ${BATCH_ATTEMPTS} attempts.`);
        const output = await db.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: pending, ConsistentRead: true } } }));
        found.push(...(output.Responses?.[TableName] ?? []));
        pending = (output.UnprocessedKeys?.[TableName]?.Keys ?? []) as Item[];
      }
    }
    return found;
  }

  /** Profiles and availability of these clinicians, by id. */
  async function loadClinicians(ids: readonly string[]): Promise<Map<string, { profile: ClinicianProfile; availability?: Availability }>> {
    const items = await batchGet(ids.flatMap((id) => [keys.staffProfile(id), keys.clinicianAvailability(id)]));
    const profiles = new Map<string, ClinicianProfile>();
    const hours = new Map<string, Availability>();
    for (const item of items) {
      if (item.SK === 'PROFILE') {
        const profile = profileFromItem(item);
        if (profile) profiles.set(profile.clinicianId, profile);
      } else if (item.SK === 'AVAILABILITY') {
        hours.set(item.clinicianId as string, availabilityFromItem(item)!.availability);
      }
    }
    return new Map([...profiles].map(([id, profile]) => [id, { profile, ...(hours.has(id) ? { availability: hours.get(id)! } : {}) }]));
  }

  async function getProfile(clinicianId: string): Promise<ClinicianProfile | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.staffProfile(clinicianId), ConsistentRead: true }));
    return profileFromItem(Item);
  }

  async function getEmailOwner(email: string) {
    const { Item } = await db.send(new GetCommand({ TableName, Key: keys.emailOwner(email), ConsistentRead: true }));
    return readEmailOwner(Item);
  }

  return {
    getProfile,
    getEmailOwner,

    async createProfile(profile, { claimEmail = true } = {}): Promise<CreateClinicianResult> {
      const transactItems = [
        // "No clinician profile here yet": a bare staff record (demo data of an older seed) is upgraded.
        { Put: { TableName, Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(credential)' } },
        ...(claimEmail
          ? [
              {
                Put: {
                  TableName,
                  Item: emailOwnerItem(profile.email, { userId: profile.clinicianId, kind: 'staff' }, profile.createdAt),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ]
          : []),
        ...listingStates(profile).map((state) => ({ Put: { TableName, Item: listingItem(profile, state) } })),
      ];
      try {
        await db.send(new TransactWriteCommand({ TransactItems: transactItems }));
        return { outcome: 'created' };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (claimEmail && reasons[1]?.Code === 'ConditionalCheckFailed') {
          return { outcome: 'email_taken', owner: await getEmailOwner(profile.email) };
        }
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return { outcome: 'exists' };
        throw error;
      }
    },

    async replaceProfile(previous, next) {
      if (previous.clinicianId !== next.clinicianId) throw new Error('replaceProfile: one clinician at a time');
      const keep = new Set(listingStates(next));
      const stale = listingStates(previous).filter((state) => !keep.has(state));
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: profileItem(next),
                  ConditionExpression: 'attribute_exists(credential) AND #version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': previous.version },
                },
              },
              ...stale.map((state) => {
                const { PK, SK } = keys.consultationListing(previous.clinicianId, state);
                return { Delete: { TableName, Key: { PK, SK } } };
              }),
              ...[...keep].map((state) => ({ Put: { TableName, Item: listingItem(next, state) } })),
            ],
          }),
        );
        return 'updated';
      } catch (error) {
        if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') return 'conflict';
        throw error;
      }
    },

    async putAvailability(clinicianId, availability, updatedAt, { onlyIfAbsent = false } = {}) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: keys.staffProfile(clinicianId), ConditionExpression: 'attribute_exists(credential)' } },
              {
                Put: {
                  TableName,
                  Item: {
                    ...keys.clinicianAvailability(clinicianId),
                    entityType: AVAILABILITY_ENTITY,
                    clinicianId,
                    weekly: availability.weekly,
                    exceptions: availability.exceptions,
                    updatedAt,
                  },
                  ...(onlyIfAbsent ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
                },
              },
            ],
          }),
        );
        return 'written';
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return 'not_found';
        if (reasons?.[1]?.Code === 'ConditionalCheckFailed') return 'exists';
        throw error;
      }
    },

    async getAvailability(clinicianId) {
      const { Item } = await db.send(new GetCommand({ TableName, Key: keys.clinicianAvailability(clinicianId), ConsistentRead: true }));
      return availabilityFromItem(Item);
    },

    async removeClinician(clinicianId, email) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :listing)',
          ExpressionAttributeValues: { ':pk': keys.staffProfile(clinicianId).PK, ':listing': keys.consultationListingPrefix() },
          ProjectionExpression: 'PK, SK',
          ConsistentRead: true,
        }),
      );
      const itemKeys = [keys.staffProfile(clinicianId), keys.clinicianAvailability(clinicianId), ...Items.map(({ PK, SK }) => ({ PK, SK }))];
      for (let start = 0; start < itemKeys.length; start += BATCH_WRITE_SIZE) {
        let requests = itemKeys.slice(start, start + BATCH_WRITE_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 1; requests.length > 0; attempt += 1) {
          if (attempt > BATCH_ATTEMPTS) throw new Error(`Could not delete ${requests.length} items after ${BATCH_ATTEMPTS} attempts.`);
          const output = await db.send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } }));
          requests = (output.UnprocessedItems?.[TableName] ?? []) as typeof requests;
        }
      }
      try {
        await db.send(
          new DeleteCommand({
            TableName,
            Key: keys.emailOwner(email),
            // Only this clinician's claim: the email may belong to someone else.
            ConditionExpression: '#owner.userId = :id',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':id': clinicianId },
          }),
        );
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    },

    async listConsultationClinicians(state, onDate) {
      const ids: string[] = [];
      let ExclusiveStartKey: Item | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            FilterExpression: 'licenseExpiresOn >= :onDate',
            ExpressionAttributeValues: { ':pk': keys.consultsInPartition(state), ':onDate': onDate },
            ProjectionExpression: 'clinicianId',
            ExclusiveStartKey,
          }),
        );
        ids.push(...(page.Items ?? []).map((item) => item.clinicianId as string));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);

      const loaded = await loadClinicians([...new Set(ids)]);
      // The index is eventually consistent: the profile read just now has the last word.
      return [...loaded.values()]
        .filter(({ profile }) => profile.offersConsultations && profile.licenses.some((l) => l.state === state && licenseValidOn(l, onDate)))
        .map(({ profile, availability }) => consultationClinician(profile, availability))
        .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.clinicianId.localeCompare(b.clinicianId));
    },

    async getConsultationClinician(clinicianId) {
      const found = (await loadClinicians([clinicianId])).get(clinicianId);
      return found && consultationClinician(found.profile, found.availability);
    },
  };
}
