/**
 * Clinician records in the single table (see keys.ts, patterns 5, 9 and 10):
 * - profile       STAFF#<id> / PROFILE           (GSI1 ROLE#<role> / STAFF#<lastName>#<id>)
 * - availability  STAFF#<id> / AVAILABILITY      (weekly rules + exceptions, clinician's zone)
 * - listings      STAFF#<id> / CONSULTS_IN#<st>  (GSI1 CONSULTS_IN#<st> / STAFF#<id>), one per
 *                 licensed state while the clinician offers consultations
 * - therapists    STAFF#<id> / THERAPISTS_IN#<st> (GSI1 THERAPISTS_IN#<st> / STAFF#<id>), one per
 *                 state with a license on file, role therapist only (patterns 39)
 * - caseload      STAFF#<id> / CASELOAD          (therapists; caseload-counter.ts, pattern 40)
 * - email owner   EMAIL#<email> / EMAIL          (shared with clients; email-owner-record.ts)
 *
 * The profile and its listings change together in one transaction, guarded by the profile's
 * `version`, so the by-state index never disagrees with a profile for longer than GSI
 * propagation; readers re-check the profile they fetch anyway. The caseload counter's copy of
 * capacity and accepting is written in that transaction too.
 *
 * Therapist listings are kept a SUPERSET of the profile's states instead: put before the
 * profile's transaction, stale ones deleted after it. A profile with 60 licenses that also
 * offers consultations would otherwise need more than the 100 items a transaction takes; a
 * listing the profile no longer backs costs a read and is dropped by the reader's re-check.
 *
 * The profile item keeps the staff record's shape (`userId`, `role`, `email`, names,
 * `timezone`, `licensedStates`) so StaffReader (GET /v1/me) reads it as before.
 */
import {
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
import type { DirectoryTherapist, TherapistDirectory } from '../../use-cases/matching/ports.js';
import { caseloadFromItem, caseloadSync } from './caseload-counter.js';
import { emailOwnerItem, readEmailOwner } from './email-owner-record.js';
import { keys } from './keys.js';
import { batchGetAll, cancellationReasons, isConditionalCheckFailure, queryAll, withoutAttributes } from './table-operations.js';

export const STAFF_PROFILE_ENTITY = 'staff';
export const AVAILABILITY_ENTITY = 'availability';
export const CONSULTATION_LISTING_ENTITY = 'consultation-listing';
export const THERAPIST_LISTING_ENTITY = 'therapist-listing';

/** Attributes of the profile item that are storage or derived, not profile fields. */
const STORAGE_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType', 'expiresAt', 'userId', 'licensedStates']);

/** BatchWriteItem requests sent for a chunk (the first and the retries of unprocessed ones) before giving up. */
const BATCH_ATTEMPTS = 5;
/** BatchGets in flight at once for a large directory (a state's therapists). */
const BATCH_GET_PARALLEL = 8;
const BATCH_WRITE_SIZE = 25;

const NO_HOURS: Availability = { weekly: [], exceptions: [] };

type Item = Record<string, unknown>;

function listingStates(profile: ClinicianProfile): UsStateCode[] {
  return profile.offersConsultations ? [...new Set(profile.licenses.map((l) => l.state))] : [];
}

/** States of the therapist listings: every state with a license on file, for therapists only. */
function therapistStates(profile: ClinicianProfile): UsStateCode[] {
  return profile.role === 'therapist' ? [...new Set(profile.licenses.map((l) => l.state))] : [];
}

function therapistListingItem(profile: ClinicianProfile, state: UsStateCode): Item {
  const license = profile.licenses.find((l) => l.state === state)!;
  return {
    ...keys.therapistListing(profile.clinicianId, state),
    entityType: THERAPIST_LISTING_ENTITY,
    clinicianId: profile.clinicianId,
    state,
    licenseExpiresOn: license.expiresOn,
  };
}

/** The caseload counter's copy of the profile, for therapists (nothing for other roles). */
function caseloadItems(tableName: string, profile: ClinicianProfile) {
  return profile.role === 'therapist' ? [caseloadSync(tableName, profile)] : [];
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
  const fields = withoutAttributes(item, STORAGE_ATTRIBUTES);
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
}): ClinicianRecords & ConsultationDirectory & TherapistDirectory {
  const { documentClient: db, tableName: TableName } = options;

  /** BatchWriteItem in chunks of 25, unprocessed requests sent again a few times. */
  async function batchWrite(requests: ({ PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } })[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_SIZE) {
      let pending = requests.slice(start, start + BATCH_WRITE_SIZE);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_ATTEMPTS) throw new Error(`Could not write ${pending.length} items after ${BATCH_ATTEMPTS} attempts.`);
        const output = await db.send(new BatchWriteCommand({ RequestItems: { [TableName]: pending } }));
        pending = (output.UnprocessedItems?.[TableName] ?? []) as typeof pending;
      }
    }
  }

  const putTherapistListings = (profile: ClinicianProfile) =>
    batchWrite(therapistStates(profile).map((state) => ({ PutRequest: { Item: therapistListingItem(profile, state) } })));

  /** Consistent BatchGet of many keys, a few chunks in flight at once, unprocessed keys retried; items in no order. */
  const batchGet = (itemKeys: Item[]) => batchGetAll(db, TableName, itemKeys, { consistent: true, parallel: BATCH_GET_PARALLEL });

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
      await putTherapistListings(profile);
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
        ...caseloadItems(TableName, profile),
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
      await putTherapistListings(next);
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
              ...caseloadItems(TableName, next),
            ],
          }),
        );
        const backed = new Set(therapistStates(next));
        await batchWrite(
          therapistStates(previous)
            .filter((state) => !backed.has(state))
            .map((state) => {
              const { PK, SK } = keys.therapistListing(previous.clinicianId, state);
              return { DeleteRequest: { Key: { PK, SK } } };
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
      const listings: Item[] = [];
      for (const prefix of [keys.consultationListingPrefix(), keys.therapistListingPrefix()]) {
        const { Items = [] } = await db.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :listing)',
            ExpressionAttributeValues: { ':pk': keys.staffProfile(clinicianId).PK, ':listing': prefix },
            ProjectionExpression: 'PK, SK',
            ConsistentRead: true,
          }),
        );
        listings.push(...Items.map(({ PK, SK }) => ({ PK, SK })));
      }
      const itemKeys = [keys.staffProfile(clinicianId), keys.clinicianAvailability(clinicianId), keys.caseload(clinicianId), ...listings];
      await batchWrite(itemKeys.map((Key) => ({ DeleteRequest: { Key } })));
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
        if (!isConditionalCheckFailure(error)) throw error;
      }
    },

    async listConsultationClinicians(state, onDate) {
      const listed = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: 'licenseExpiresOn >= :onDate',
        ExpressionAttributeValues: { ':pk': keys.consultsInPartition(state), ':onDate': onDate },
        ProjectionExpression: 'clinicianId',
      });
      const ids = listed.map((item) => item.clinicianId as string);

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

    async listTherapists(state, onDate): Promise<DirectoryTherapist[]> {
      const listed = await queryAll(db, {
        TableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: 'licenseExpiresOn >= :onDate',
        ExpressionAttributeValues: { ':pk': keys.therapistsInPartition(state), ':onDate': onDate },
        ProjectionExpression: 'clinicianId',
      });
      const ids = new Set(listed.map((item) => item.clinicianId as string));

      const items = await batchGet([...ids].flatMap((id) => [keys.staffProfile(id), keys.clinicianAvailability(id), keys.caseload(id)]));
      const profiles = new Map<string, ClinicianProfile>();
      const weekly = new Map<string, Availability['weekly']>();
      const caseloads = new Map<string, NonNullable<DirectoryTherapist['caseload']>>();
      for (const item of items) {
        if (item.SK === 'PROFILE') {
          const profile = profileFromItem(item);
          if (profile) profiles.set(profile.clinicianId, profile);
        } else if (item.SK === 'AVAILABILITY') {
          weekly.set(item.clinicianId as string, (item.weekly as Availability['weekly'] | undefined) ?? []);
        } else if (item.SK === 'CASELOAD') {
          const caseload = caseloadFromItem(item);
          if (caseload) caseloads.set(item.clinicianId as string, caseload);
        }
      }
      // The listing is a superset (see the header): the profile read just now has the last word.
      return [...profiles.values()]
        .filter((profile) => profile.role === 'therapist' && profile.licenses.some((l) => l.state === state))
        .sort((a, b) => (a.clinicianId < b.clinicianId ? -1 : a.clinicianId > b.clinicianId ? 1 : 0))
        .map((profile) => {
          const caseload = caseloads.get(profile.clinicianId);
          return { profile, weekly: weekly.get(profile.clinicianId) ?? [], ...(caseload ? { caseload } : {}) };
        });
    },
  };
}
