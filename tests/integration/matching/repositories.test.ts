/**
 * The match records against DynamoDB Local: therapists listed by state (a superset the
 * profile re-checks), the caseload counter kept with the profile, assigning and ending a
 * therapist in one transaction each, intake and pin under the client.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/document-client.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { applyClinicianUpdate } from '../../../shared/domain/clinicians.js';
import { intakeFrom } from '../../../shared/domain/matches.js';
import { createClient, createConsultationClinician } from '../consultations/support.js';
import { clientAwaitingMatch, createTherapist, destroyClients, intakeRequest, repositories } from './support.js';

const db = createDocumentClient();
const TableName = () => inject('localStack').env.TABLE_NAME as string;
const today = () => new Date().toISOString().slice(0, 10);

afterAll(() => {
  db.destroy();
  destroyClients();
});

async function item({ PK, SK }: { PK: string; SK: string }) {
  return (await db.send(new GetCommand({ TableName: TableName(), Key: { PK, SK }, ConsistentRead: true }))).Item;
}

describe('therapist directory', () => {
  it('lists therapists by licensed state with their caseload, not other clinicians, and follows profile changes', async () => {
    const { clinicians } = repositories();
    const therapist = await createTherapist({ state: 'AK', capacity: 7 });
    const coordinator = await createConsultationClinician({ states: ['AK'] });
    const profile = (await clinicians.getProfile(therapist.clinicianId))!;
    const expiresOn = profile.licenses[0]!.expiresOn;
    // A second state, a lower capacity, not accepting.
    const wider = applyClinicianUpdate(
      profile,
      { licenses: [...profile.licenses, { state: 'HI', number: 'TEST-HI-1', expiresOn }], caseloadCapacity: 3, acceptingNewClients: false },
      new Date().toISOString(),
    );
    expect(await clinicians.replaceProfile(profile, wider)).toBe('updated');

    const inAlaska = await clinicians.listTherapists('AK', today());
    expect(inAlaska.map((t) => t.profile.clinicianId)).toContain(therapist.clinicianId);
    expect(inAlaska.map((t) => t.profile.clinicianId)).not.toContain(coordinator.clinicianId);
    const listed = inAlaska.find((t) => t.profile.clinicianId === therapist.clinicianId)!;
    expect(listed.caseload).toEqual({ count: 0, capacity: 3, accepting: false });
    expect(listed.weekly.length).toBeGreaterThan(0);
    expect((await clinicians.listTherapists('HI', today())).map((t) => t.profile.clinicianId)).toContain(therapist.clinicianId);
    // A license past its expiry is not listed for a later date.
    const after = new Date(Date.parse(expiresOn) + 86_400_000).toISOString().slice(0, 10);
    expect((await clinicians.listTherapists('HI', after)).map((t) => t.profile.clinicianId)).not.toContain(therapist.clinicianId);

    const narrower = applyClinicianUpdate(wider, { licenses: profile.licenses }, new Date().toISOString());
    expect(await clinicians.replaceProfile(wider, narrower)).toBe('updated');
    expect((await clinicians.listTherapists('HI', today())).map((t) => t.profile.clinicianId)).not.toContain(therapist.clinicianId);
    expect(await item(keys.therapistListing(therapist.clinicianId, 'HI'))).toBeUndefined();

    await clinicians.removeClinician(therapist.clinicianId, therapist.email);
    expect(await item(keys.caseload(therapist.clinicianId))).toBeUndefined();
    expect(await item(keys.therapistListing(therapist.clinicianId, 'AK'))).toBeUndefined();
  });

  it('drops a listing the profile no longer backs (the superset), on read', async () => {
    const { clinicians } = repositories();
    const therapist = await createTherapist({ state: 'KS' });
    await db.send(
      new UpdateCommand({
        TableName: TableName(),
        Key: { PK: keys.therapistListing(therapist.clinicianId, 'AK').PK, SK: keys.therapistListing(therapist.clinicianId, 'AK').SK },
        UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk, clinicianId = :id, licenseExpiresOn = :exp',
        ExpressionAttributeValues: { ':pk': keys.therapistsInPartition('AK'), ':sk': `STAFF#${therapist.clinicianId}`, ':id': therapist.clinicianId, ':exp': '2999-01-01' },
      }),
    );
    expect((await clinicians.listTherapists('AK', today())).map((t) => t.profile.clinicianId)).not.toContain(therapist.clinicianId);
  });
});

describe('assigning and ending a therapist', () => {
  it('assigns in one transaction and refuses, writing nothing, when full, occupied or not awaiting a match', async () => {
    const { matches, careTeam } = repositories();
    const consultant = await createConsultationClinician({ states: ['AK'] });
    const [therapist, other] = await Promise.all([createTherapist({ state: 'AK', capacity: 1 }), createTherapist({ state: 'AK' })]);
    const client = await clientAwaitingMatch('AK', consultant.clinicianId);
    const consultation = (await careTeam.activeFor(client.clientId)).find((r) => r.kind === 'consultation')!;
    const startedAt = new Date().toISOString();

    expect(await matches.assignTherapist({ clientId: client.clientId, therapistId: therapist.clinicianId, startedAt, consultation })).toBe('assigned');
    expect(await item(keys.caseload(therapist.clinicianId))).toMatchObject({ count: 1, capacity: 1 });
    expect(await item(keys.clientProfile(client.clientId))).toMatchObject({ stage: 'in_care', ...keys.clientStageIndex(client.clientId, 'in_care') });
    const relationships = await careTeam.relationshipsOf(client.clientId);
    expect(relationships.find((r) => r.kind === 'consultation')).toMatchObject({ endedAt: startedAt, endReason: 'matched' });
    expect(relationships.find((r) => r.kind === 'therapist')).toMatchObject({ clinicianId: therapist.clinicianId, startedAt });
    expect((await careTeam.clientsOf(therapist.clinicianId, 'active')).map((r) => r.clientId)).toContain(client.clientId);

    expect(await matches.assignTherapist({ clientId: client.clientId, therapistId: other.clinicianId, startedAt: new Date().toISOString() })).toBe('therapist_active');
    const second = await clientAwaitingMatch('AK', consultant.clinicianId);
    expect(await matches.assignTherapist({ clientId: second.clientId, therapistId: therapist.clinicianId, startedAt: new Date().toISOString() })).toBe('therapist_full');
    const early = await createClient({ state: 'AK' });
    expect(await matches.assignTherapist({ clientId: early.clientId, therapistId: other.clinicianId, startedAt: new Date().toISOString() })).toBe('stage_changed');
    for (const id of [second.clientId, early.clientId]) expect((await careTeam.relationshipsOf(id)).filter((r) => r.kind === 'therapist')).toEqual([]);
    expect(await item(keys.caseload(other.clinicianId))).toMatchObject({ count: 0 });
    expect(await item(keys.clientProfile(second.clientId))).toMatchObject({ stage: 'awaiting_match' });
  });

  it('ends in one transaction: relationship, caseload, stage and the rematch record; a second end is not_active', async () => {
    const { matches, careTeam } = repositories();
    const consultant = await createConsultationClinician({ states: ['HI'] });
    const therapist = await createTherapist({ state: 'HI' });
    const client = await clientAwaitingMatch('HI', consultant.clinicianId);
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    expect(await matches.assignTherapist({ clientId: client.clientId, therapistId: therapist.clinicianId, startedAt })).toBe('assigned');
    const relationship = (await careTeam.activeFor(client.clientId)).find((r) => r.kind === 'therapist')!;
    const endedAt = new Date().toISOString();
    const end = { clientId: client.clientId, relationship, endedAt, endReason: 'rematch' as const, stage: { from: 'in_care' as const, to: 'awaiting_match' as const } };

    expect(await matches.endTherapistCare({ ...end, stage: { from: 'awaiting_match', to: 'in_care' } })).toBe('stage_changed');
    expect(await matches.endTherapistCare({ ...end, rematch: { reason: 'scheduling', note: 'Synthetic note' } })).toBe('ended');
    expect(await item(keys.caseload(therapist.clinicianId))).toMatchObject({ count: 0 });
    expect(await item(keys.clientProfile(client.clientId))).toMatchObject({ stage: 'awaiting_match', ...keys.clientStageIndex(client.clientId, 'awaiting_match') });
    expect(await item(keys.rematch(client.clientId, endedAt))).toMatchObject({ therapistId: therapist.clinicianId, reason: 'scheduling', note: 'Synthetic note' });
    expect((await careTeam.relationshipsOf(client.clientId)).find((r) => r.kind === 'therapist')).toMatchObject({ endedAt, endReason: 'rematch' });
    expect((await careTeam.clientsOf(therapist.clinicianId, 'ended')).map((r) => r.clientId)).toContain(client.clientId);
    expect(await matches.endTherapistCare(end)).toBe('not_active');
  });

  it('ends the relationship without the decrement when the counter is already at 0, and moves a closed stage out of the index', async () => {
    const { matches, careTeam } = repositories();
    const consultant = await createConsultationClinician({ states: ['KS'] });
    const therapist = await createTherapist({ state: 'KS' });
    const client = await clientAwaitingMatch('KS', consultant.clinicianId);
    expect(await matches.assignTherapist({ clientId: client.clientId, therapistId: therapist.clinicianId, startedAt: new Date(Date.now() - 60_000).toISOString() })).toBe('assigned');
    await db.send(new UpdateCommand({ TableName: TableName(), Key: keys.caseload(therapist.clinicianId), UpdateExpression: 'SET #c = :zero', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':zero': 0 } }));
    const relationship = (await careTeam.activeFor(client.clientId)).find((r) => r.kind === 'therapist')!;
    const outcome = await matches.endTherapistCare({ clientId: client.clientId, relationship, endedAt: new Date().toISOString(), endReason: 'discharged', stage: { from: 'in_care', to: 'discharged' } });
    expect(outcome).toBe('ended');
    expect(await item(keys.caseload(therapist.clinicianId))).toMatchObject({ count: 0 });
    const profile = await item(keys.clientProfile(client.clientId));
    expect(profile).toMatchObject({ stage: 'discharged' });
    expect(profile).not.toHaveProperty('GSI1PK');
  });
});

describe('intake and pin', () => {
  it('keeps the draft and the confirmed version apart, only for an existing client; the pin is put, read and cleared', async () => {
    const { matches } = repositories();
    const client = await createClient({ state: 'KS' });
    const record = (version: 'draft' | 'confirmed') => ({
      clientId: client.clientId,
      version,
      intake: intakeFrom(intakeRequest('KS') as never, 'America/Denver'),
      updatedAt: new Date().toISOString(),
      updatedBy: { userId: client.clientId, role: 'client' as const },
    });
    expect(await matches.putIntake(record('draft'))).toBe('written');
    expect(await matches.getIntakes(client.clientId)).toEqual({ draft: expect.objectContaining({ version: 'draft' }) });
    expect(await matches.putIntake(record('confirmed'))).toBe('written');
    const both = await matches.getIntakes(client.clientId);
    expect(both.draft?.version).toBe('draft');
    expect(both.confirmed?.intake.timezone).toBe('America/Denver');
    expect(await matches.putIntake({ ...record('draft'), clientId: randomUUID() })).toBe('client_not_found');

    const pin = { clientId: client.clientId, therapistId: 't-x', pinnedBy: 'c-1', pinnedAt: new Date().toISOString() };
    expect(await matches.putPin(pin)).toBe('written');
    expect(await matches.getPin(client.clientId)).toEqual(pin);
    await matches.clearPin(client.clientId);
    expect(await matches.getPin(client.clientId)).toBeUndefined();
    expect(await matches.putPin({ ...pin, clientId: randomUUID() })).toBe('client_not_found');
  });
});
