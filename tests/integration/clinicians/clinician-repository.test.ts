/** The clinician repository against DynamoDB Local: profile + listings in one transaction, the by-state directory, availability. */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { now } from '../../../shared/adapters/clock.js';
import { createClinicianRepository } from '../../../shared/adapters/dynamodb/clinician-repository.js';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createStaffRepository } from '../../../shared/adapters/dynamodb/staff-repository.js';
import {
  applyClinicianUpdate,
  createClinicianRequestSchema,
  newClinicianProfile,
  utcToday,
  type ClinicianProfile,
} from '../../../shared/domain/clinicians.js';
import { AvailabilitySchema } from '../../../shared/domain/scheduling.js';
import { DEMO_STAFF, DEMO_WEEKLY_HOURS } from '../../../local/seed.js';
import { clinicianInput, daysFromToday } from '../../unit/clinicians/fixtures.js';

const tableName = process.env.TABLE_NAME as string;
const documentClient = createDocumentClient();
const clinicians = createClinicianRepository({ documentClient, tableName });

afterAll(() => documentClient.destroy());

function newProfile(overrides: Record<string, unknown> = {}): ClinicianProfile {
  return newClinicianProfile(randomUUID(), createClinicianRequestSchema(now).parse(clinicianInput(overrides)), new Date().toISOString());
}

async function listingStates(clinicianId: string): Promise<string[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.staffProfile(clinicianId).PK, ':prefix': 'CONSULTS_IN#' },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.state as string).sort();
}

describe('seeded consultation clinicians', () => {
  it('are listed for OH with their weekly hours, and clinicians who do not offer consultations are not', async () => {
    const listed = await clinicians.listConsultationClinicians('OH', utcToday(now()));
    const emails = listed.map((c) => c.email);
    expect(emails).toEqual(expect.arrayContaining(['coordinator@example.com', 'therapist.oh@example.com', 'therapist.fl@example.com']));
    for (const email of ['therapist.ca@example.com', 'therapist.ny@example.com', 'supervisor@example.com', 'admin@example.com']) {
      expect(emails).not.toContain(email);
    }
    const coordinator = listed.find((c) => c.email === 'coordinator@example.com')!;
    expect(coordinator).toMatchObject({
      firstName: 'Jordan',
      lastName: 'Reyland',
      credential: 'lpcc',
      timezone: 'America/New_York',
      offersConsultations: true,
      availability: DEMO_WEEKLY_HOURS,
    });
    expect(coordinator.videoRoomUrl).toMatch(/^https:\/\//);
    expect(coordinator.licenses.map((l) => l.state).sort()).toEqual(['CA', 'FL', 'NY', 'OH', 'TX']);
    expect(JSON.stringify(coordinator)).not.toContain('DEMO-OH');
  });

  it('keep the staff record shape GET /v1/me reads', async () => {
    const [coordinator] = (await clinicians.listConsultationClinicians('TX', utcToday(now()))).filter((c) => c.email === 'coordinator@example.com');
    const staff = await createStaffRepository(documentClient, tableName).getStaffProfile(coordinator!.clinicianId);
    expect(staff).toMatchObject({ userId: coordinator!.clinicianId, role: 'coordinator', email: 'coordinator@example.com', timezone: 'America/New_York' });
    expect(DEMO_STAFF.find((m) => m.role === 'coordinator')?.licensedStates).toEqual(expect.arrayContaining(['OH', 'CA', 'NY', 'TX', 'FL']));
  });
});

describe('createProfile', () => {
  it('writes the profile, the email record and one listing per licensed state in one transaction', async () => {
    const profile = newProfile();
    expect(await clinicians.createProfile(profile)).toEqual({ outcome: 'created' });
    expect(await clinicians.getProfile(profile.clinicianId)).toEqual(profile);
    expect(await listingStates(profile.clinicianId)).toEqual(['OH', 'PA']);
    const inPa = await clinicians.listConsultationClinicians('PA', utcToday(now()));
    expect(inPa.map((c) => c.clinicianId)).toContain(profile.clinicianId);
    expect(inPa.find((c) => c.clinicianId === profile.clinicianId)?.availability).toEqual({ weekly: [], exceptions: [] });
  });

  it('writes nothing when the email is taken, or when the clinician exists', async () => {
    const first = newProfile();
    await clinicians.createProfile(first);
    const sameEmail = { ...newProfile(), email: first.email };
    expect(await clinicians.createProfile(sameEmail)).toEqual({ outcome: 'email_taken', owner: { userId: first.clinicianId, kind: 'staff' } });
    expect(await clinicians.getProfile(sameEmail.clinicianId)).toBeUndefined();
    expect(await listingStates(sameEmail.clinicianId)).toEqual([]);

    const again = { ...first, bio: 'changed' };
    expect(await clinicians.createProfile(again, { claimEmail: false })).toEqual({ outcome: 'exists' });
    expect((await clinicians.getProfile(first.clinicianId))?.bio).toBe(first.bio);
  });

  it('lists nobody for a clinician who does not offer consultations', async () => {
    const profile = newProfile({ offersConsultations: false });
    await clinicians.createProfile(profile);
    expect(await listingStates(profile.clinicianId)).toEqual([]);
    expect(await clinicians.getConsultationClinician(profile.clinicianId)).toMatchObject({ offersConsultations: false });
  });
});

describe('replaceProfile', () => {
  it('removes stale listings and adds new ones with the profile, in one transaction', async () => {
    const before = newProfile();
    await clinicians.createProfile(before);
    const moved = applyClinicianUpdate(
      before,
      { licenses: [{ state: 'NJ', number: 'TEST-NJ-1', expiresOn: daysFromToday(300) }, before.licenses[0]!] },
      new Date().toISOString(),
    );
    expect(await clinicians.replaceProfile(before, moved)).toBe('updated');
    expect(await listingStates(before.clinicianId)).toEqual(['NJ', 'OH']);

    const stopped = applyClinicianUpdate(moved, { offersConsultations: false }, new Date().toISOString());
    expect(await clinicians.replaceProfile(moved, stopped)).toBe('updated');
    expect(await listingStates(before.clinicianId)).toEqual([]);
    expect(await clinicians.getProfile(before.clinicianId)).toEqual(stopped);
  });

  it('refuses a change made from a stale version', async () => {
    const before = newProfile();
    await clinicians.createProfile(before);
    const first = applyClinicianUpdate(before, { bio: 'First.' }, new Date().toISOString());
    const second = applyClinicianUpdate(before, { bio: 'Second.', offersConsultations: false }, new Date().toISOString());
    expect(await clinicians.replaceProfile(before, first)).toBe('updated');
    expect(await clinicians.replaceProfile(before, second)).toBe('conflict');
    expect((await clinicians.getProfile(before.clinicianId))?.bio).toBe('First.');
    expect(await listingStates(before.clinicianId)).toEqual(['OH', 'PA']);
  });
});

describe('consultation directory', () => {
  it('lists a clinician only while the license in that state is valid on the date', async () => {
    const expiresOn = daysFromToday(30);
    const profile = newProfile({ licenses: [{ state: 'VT', number: 'TEST-VT-1', expiresOn }] });
    await clinicians.createProfile(profile);
    const ids = async (onDate: string) => (await clinicians.listConsultationClinicians('VT', onDate)).map((c) => c.clinicianId);
    expect(await ids(expiresOn)).toContain(profile.clinicianId);
    expect(await ids(daysFromToday(31))).not.toContain(profile.clinicianId);
  });

  it('returns one clinician by id with their hours, and nothing for unknown ids or staff without a clinician profile', async () => {
    const profile = newProfile({ pronouns: 'they/them' });
    await clinicians.createProfile(profile);
    const hours = AvailabilitySchema.parse({ weekly: [{ day: 'tue', start: '10:00', end: '12:00' }] });
    expect(await clinicians.putAvailability(profile.clinicianId, hours, '2026-11-20T10:00:00.000Z')).toBe('written');
    expect(await clinicians.getConsultationClinician(profile.clinicianId)).toEqual({
      clinicianId: profile.clinicianId,
      firstName: profile.firstName,
      lastName: profile.lastName,
      pronouns: 'they/them',
      credential: profile.credential,
      email: profile.email,
      timezone: profile.timezone,
      videoRoomUrl: profile.videoRoomUrl,
      availability: hours,
      offersConsultations: true,
      licenses: profile.licenses.map(({ state, expiresOn }) => ({ state, expiresOn })),
    });
    expect(await clinicians.getConsultationClinician(randomUUID())).toBeUndefined();
    const admin = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'ROLE#admin' },
      }),
    );
    const adminId = admin.Items?.[0]?.userId as string;
    expect(adminId).toBeTruthy();
    expect(await clinicians.getConsultationClinician(adminId)).toBeUndefined();
    expect(await clinicians.getProfile(adminId)).toBeUndefined();
  });
});

describe('availability', () => {
  it('round-trips rules and exceptions, refuses unknown clinicians, and never overwrites with onlyIfAbsent', async () => {
    const profile = newProfile();
    await clinicians.createProfile(profile);
    const hours = AvailabilitySchema.parse({
      weekly: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'sun', start: '01:00', end: '04:00' },
      ],
      exceptions: [
        { kind: 'unavailable', date: '2027-03-14' },
        { kind: 'available', date: '2027-11-07', start: '00:30', end: '03:00' },
        { kind: 'unavailable', date: '2027-03-15', start: '09:00', end: '10:00' },
      ],
    });
    expect(await clinicians.putAvailability(profile.clinicianId, hours, '2026-11-20T10:00:00.000Z')).toBe('written');
    expect(await clinicians.getAvailability(profile.clinicianId)).toEqual({ availability: hours, updatedAt: '2026-11-20T10:00:00.000Z' });
    expect(await clinicians.putAvailability(profile.clinicianId, DEMO_WEEKLY_HOURS, '2026-11-21T10:00:00.000Z', { onlyIfAbsent: true })).toBe('exists');
    expect((await clinicians.getAvailability(profile.clinicianId))?.availability).toEqual(hours);
    expect(await clinicians.putAvailability(randomUUID(), hours, '2026-11-20T10:00:00.000Z')).toBe('not_found');
  });
});

describe('removeClinician', () => {
  it('deletes profile, listings, hours and the email record, and can run twice', async () => {
    const profile = newProfile();
    await clinicians.createProfile(profile);
    await clinicians.putAvailability(profile.clinicianId, DEMO_WEEKLY_HOURS, new Date().toISOString());
    await clinicians.removeClinician(profile.clinicianId, profile.email);
    await clinicians.removeClinician(profile.clinicianId, profile.email);
    expect(await clinicians.getProfile(profile.clinicianId)).toBeUndefined();
    expect(await clinicians.getAvailability(profile.clinicianId)).toBeUndefined();
    expect(await listingStates(profile.clinicianId)).toEqual([]);
    // The email is free again.
    expect(await clinicians.createProfile({ ...newProfile(), email: profile.email })).toEqual({ outcome: 'created' });
  });
});
