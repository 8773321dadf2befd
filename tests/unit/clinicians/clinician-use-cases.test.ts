import { describe, expect, it } from 'vitest';
import { now } from '../../../shared/adapters/clock.js';
import {
  ADMIN_ONLY_CLINICIAN_FIELDS,
  clinicianAccess,
  createClinicianRequestSchema,
  SELF_SERVICE_CLINICIAN_FIELDS,
  updateClinicianRequestSchema,
  type AdminOnlyClinicianField,
  type ClinicianProfile,
} from '../../../shared/domain/clinicians.js';
import {
  AdminOnlyFieldsError,
  EmailAlreadyRegisteredError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../../shared/domain/errors.js';
import { passwordProblems } from '../../../shared/domain/password-policy.js';
import type { Caller, Role } from '../../../shared/domain/roles.js';
import { AvailabilitySchema } from '../../../shared/domain/scheduling.js';
import { getClinicianAvailability, putClinicianAvailability } from '../../../shared/use-cases/clinicians/clinician-availability.js';
import { ClinicianNotCreatedError, createClinician } from '../../../shared/use-cases/clinicians/create-clinician.js';
import { getClinician } from '../../../shared/use-cases/clinicians/get-clinician.js';
import { generateTemporaryPassword, TEMPORARY_PASSWORD_LENGTH } from '../../../shared/use-cases/clinicians/temporary-password.js';
import { updateClinician, UPDATE_ATTEMPTS } from '../../../shared/use-cases/clinicians/update-clinician.js';
import { FakeClinicianRecords, FakeEmailSender, FakeStaffAuditLog, FakeStaffIdentities } from './fakes.js';
import { clinicianInput, daysFromToday } from './fixtures.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const caller = (role: Role, userId = `${role}-caller`): Caller => ({ userId, role, groups: [role] });

function setup() {
  const deps = {
    identities: new FakeStaffIdentities(),
    clinicians: new FakeClinicianRecords(),
    emails: new FakeEmailSender(),
    staffAudit: new FakeStaffAuditLog(),
    appBaseUrl: 'https://app.moodrx.example',
    now: () => NOW,
    temporaryPassword: () => 'Temp-Pass-1234!',
  };
  return deps;
}

async function created(deps = setup(), overrides: Record<string, unknown> = {}): Promise<{ deps: ReturnType<typeof setup>; profile: ClinicianProfile }> {
  const profile = await createClinician(deps, createClinicianRequestSchema(now).parse(clinicianInput(overrides)));
  return { deps, profile };
}

describe('createClinician', () => {
  it('creates the identity in the role group, the profile and the email record, and sends the invitation', async () => {
    const { deps, profile } = await created(setup(), { role: 'coordinator' });
    const user = deps.identities.users.get(profile.email)!;
    expect(user).toEqual({ userId: profile.clinicianId, groups: ['coordinator'], temporaryPassword: 'Temp-Pass-1234!' });
    expect(deps.clinicians.profiles.get(profile.clinicianId)).toEqual(profile);
    expect(deps.clinicians.emailOwners.get(profile.email)).toEqual({ userId: profile.clinicianId, kind: 'staff' });
    expect(profile).toMatchObject({ role: 'coordinator', version: 1, createdAt: NOW.toISOString() });
    expect(deps.emails.sent).toHaveLength(1);
    const [invitation] = deps.emails.sent;
    expect(invitation!.to).toBe(profile.email);
    expect(invitation!.text).toContain('Temp-Pass-1234!');
    expect(invitation!.text).toContain('https://app.moodrx.example/sign-in');
  });

  it('refuses an email someone already owns before creating any identity', async () => {
    const deps = setup();
    deps.clinicians.emailOwners.set('taken@example.com', { userId: 'client-1', kind: 'client' });
    await expect(created(deps, { email: 'taken@example.com' })).rejects.toBeInstanceOf(EmailAlreadyRegisteredError);
    expect(deps.identities.users.size).toBe(0);
  });

  it('refuses an email that already has a staff identity, and leaves that identity alone', async () => {
    const deps = setup();
    await deps.identities.createUser({ email: 'staff@example.com', firstName: 'A', lastName: 'B', temporaryPassword: 'x' });
    await expect(created(deps, { email: 'staff@example.com' })).rejects.toBeInstanceOf(EmailAlreadyRegisteredError);
    expect(deps.identities.users.has('staff@example.com')).toBe(true);
  });

  it('deletes the identity when the email is claimed between the check and the transaction', async () => {
    const deps = setup();
    const original = deps.clinicians.getEmailOwner.bind(deps.clinicians);
    deps.clinicians.getEmailOwner = async (email) => {
      const owner = await original(email);
      deps.clinicians.emailOwners.set(email, { userId: 'racer', kind: 'client' });
      return owner;
    };
    await expect(created(deps, { email: 'race@example.com' })).rejects.toBeInstanceOf(EmailAlreadyRegisteredError);
    expect(deps.identities.users.size).toBe(0);
    expect(deps.clinicians.emailOwners.get('race@example.com')).toEqual({ userId: 'racer', kind: 'client' });
  });

  it('leaves no half-made clinician when the invitation cannot be sent', async () => {
    const deps = setup();
    deps.emails.fail = new Error('SES down');
    await expect(created(deps)).rejects.toBeInstanceOf(ClinicianNotCreatedError);
    expect(deps.identities.users.size).toBe(0);
    expect(deps.clinicians.profiles.size).toBe(0);
    expect(deps.clinicians.emailOwners.size).toBe(0);
  });

  it('leaves no identity when the group or the records fail', async () => {
    const first = setup();
    first.identities.failAddToGroup = new Error('throttled');
    await expect(created(first)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(first.identities.users.size).toBe(0);

    const second = setup();
    second.clinicians.failCreate = new Error('TransactionConflict');
    await expect(created(second)).rejects.toBeInstanceOf(ClinicianNotCreatedError);
    expect(second.identities.users.size).toBe(0);
  });

  it('reports both errors when undoing fails too', async () => {
    const deps = setup();
    deps.emails.fail = new Error('SES down');
    deps.identities.deleteUser = async () => {
      throw new Error('Cognito down');
    };
    await expect(created(deps)).rejects.toBeInstanceOf(AggregateError);
  });
});

describe('temporary passwords', () => {
  it('meet the password policy, are long, and differ each time', () => {
    const passwords = Array.from({ length: 200 }, generateTemporaryPassword);
    for (const password of passwords) {
      expect(passwordProblems(password), password).toEqual([]);
      expect(password).toHaveLength(TEMPORARY_PASSWORD_LENGTH);
      expect(password).toMatch(/[a-z]/);
      expect(password).not.toMatch(/[<>&"'`\\ ]/);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
  });
});

describe('access policy', () => {
  const id = 'clinician-1';
  it.each([
    ['client', 'view-profile', 'public'],
    ['therapist', 'view-profile', 'public'],
    ['coordinator', 'view-profile', 'full'],
    ['supervisor', 'view-profile', 'full'],
    ['admin', 'view-profile', 'full'],
    ['client', 'edit-profile', 'not_found'],
    ['therapist', 'edit-profile', 'forbidden'],
    ['coordinator', 'edit-profile', 'forbidden'],
    ['supervisor', 'edit-profile', 'forbidden'],
    ['admin', 'edit-profile', 'allowed'],
    ['client', 'edit-availability', 'not_found'],
    ['therapist', 'edit-availability', 'forbidden'],
    ['coordinator', 'edit-availability', 'forbidden'],
    ['admin', 'edit-availability', 'allowed'],
    ['client', 'view-availability', 'not_found'],
    ['therapist', 'view-availability', 'forbidden'],
    ['supervisor', 'view-availability', 'forbidden'],
    ['coordinator', 'view-availability', 'allowed'],
    ['admin', 'view-availability', 'allowed'],
  ] as const)('%s, %s of someone else: %s', (role, action, expected) => {
    expect(clinicianAccess(caller(role), id, action)).toBe(expected);
  });

  it('lets clinicians do everything with their own records', () => {
    for (const role of ['therapist', 'coordinator'] as const) {
      expect(clinicianAccess(caller(role, id), id, 'view-profile')).toBe('full');
      for (const action of ['edit-profile', 'view-availability', 'edit-availability'] as const) {
        expect(clinicianAccess(caller(role, id), id, action)).toBe('allowed');
      }
    }
  });
});

describe('getClinician', () => {
  it('gives clients the public view and the clinician the full profile; unknown ids are 404', async () => {
    const { deps, profile } = await created();
    const publicView = await getClinician(deps, caller('client'), profile.clinicianId);
    expect(publicView).not.toHaveProperty('licenses');
    expect(publicView).toMatchObject({ licensedStates: ['OH', 'PA'] });
    expect(await getClinician(deps, caller('therapist', profile.clinicianId), profile.clinicianId)).toEqual(profile);
    expect(await getClinician(deps, caller('supervisor'), profile.clinicianId)).toEqual(profile);
    await expect(getClinician(deps, caller('admin'), 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('updateClinician', () => {
  it('applies a patch for the clinician themself and for an admin', async () => {
    const { deps, profile } = await created();
    const own = await updateClinician(deps, caller('therapist', profile.clinicianId), profile.clinicianId, { bio: 'Mine.' });
    expect(own).toMatchObject({ bio: 'Mine.', version: 2 });
    const byAdmin = await updateClinician(deps, caller('admin'), profile.clinicianId, { acceptingNewClients: false });
    expect(byAdmin).toMatchObject({ bio: 'Mine.', acceptingNewClients: false, version: 3 });
  });

  /** A valid new value for each admin-only field, different from clinicianInput's. */
  const CREDENTIALING_PATCHES: Record<AdminOnlyClinicianField, Record<string, unknown>> = {
    firstName: { firstName: 'Robin' },
    lastName: { lastName: 'Otherly' },
    credential: { credential: 'lmft' },
    licenses: {
      licenses: [
        { state: 'OH', number: 'TEST-OH-0001', expiresOn: daysFromToday(400) },
        { state: 'CA', number: 'TEST-CA-0003', expiresOn: daysFromToday(300) },
      ],
    },
    clientTypes: { clientTypes: ['individual', 'couple'] },
    offersConsultations: { offersConsultations: false },
    acceptingNewClients: { acceptingNewClients: false },
    caseloadCapacity: { caseloadCapacity: 35 },
    videoRoomUrl: { videoRoomUrl: 'https://video.example.com/rooms/elsewhere' },
  };
  const parsePatch = (input: Record<string, unknown>) => updateClinicianRequestSchema(now).parse(input);

  it('splits every editable field into self-service or admin-only, none in both', () => {
    const editable = Object.keys(updateClinicianRequestSchema(now).shape).sort();
    expect([...SELF_SERVICE_CLINICIAN_FIELDS, ...ADMIN_ONLY_CLINICIAN_FIELDS].sort()).toEqual(editable);
    expect(Object.keys(CREDENTIALING_PATCHES).sort()).toEqual([...ADMIN_ONLY_CLINICIAN_FIELDS].sort());
  });

  it.each(ADMIN_ONLY_CLINICIAN_FIELDS)('refuses the clinician their own %s (403 admin_only_fields), changes nothing and audits the refusal', async (field) => {
    const { deps, profile } = await created();
    const self = caller('therapist', profile.clinicianId);
    const attempt = updateClinician(deps, self, profile.clinicianId, parsePatch({ ...CREDENTIALING_PATCHES[field], bio: 'Also this.' }));
    await expect(attempt).rejects.toBeInstanceOf(AdminOnlyFieldsError);
    await attempt.catch((error: AdminOnlyFieldsError) => {
      expect(error.code).toBe('admin_only_fields');
      expect(error.extensions.fields).toEqual([field]);
      expect(error.message).toContain(field);
    });
    // Refused whole: not even the self-service bio went in.
    expect(deps.clinicians.replaceCalls).toBe(0);
    expect(deps.clinicians.profiles.get(profile.clinicianId)).toEqual(profile);
    const [event, ...more] = deps.staffAudit.events(profile.clinicianId);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor: { userId: profile.clinicianId, role: 'therapist' },
      staffId: profile.clinicianId,
      action: 'credentialing_change',
      outcome: 'denied',
      fields: [field],
      at: NOW.toISOString(),
    });
    expect(event).not.toHaveProperty('changes');
  });

  it('names every admin-only field of a mixed patch', async () => {
    const { deps, profile } = await created(setup(), { role: 'coordinator' });
    const patch = parsePatch({ ...CREDENTIALING_PATCHES.licenses, ...CREDENTIALING_PATCHES.caseloadCapacity, pronouns: 'they/them' });
    const error = await updateClinician(deps, caller('coordinator', profile.clinicianId), profile.clinicianId, patch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminOnlyFieldsError);
    expect((error as AdminOnlyFieldsError).extensions.fields).toEqual(['licenses', 'caseloadCapacity']);
  });

  it('lets the clinician change every self-service field, with nothing in the staff audit trail', async () => {
    const { deps, profile } = await created();
    const patch = parsePatch({
      pronouns: 'they/them',
      gender: null,
      bio: 'Rewritten.',
      languages: ['en', 'fr'],
      specialties: ['grief'],
      modalities: ['act'],
      timezone: 'America/Chicago',
    });
    expect(Object.keys(patch).sort()).toEqual([...SELF_SERVICE_CLINICIAN_FIELDS].sort());
    const next = await updateClinician(deps, caller('therapist', profile.clinicianId), profile.clinicianId, patch);
    expect(next).toMatchObject({ pronouns: 'they/them', bio: 'Rewritten.', languages: ['en', 'fr'], timezone: 'America/Chicago', version: 2 });
    expect(next).not.toHaveProperty('gender');
    expect(deps.staffAudit.events(profile.clinicianId)).toEqual([]);
  });

  it.each(ADMIN_ONLY_CLINICIAN_FIELDS)('lets an admin change %s and records who, before and after', async (field) => {
    const { deps, profile } = await created();
    const patch = parsePatch(CREDENTIALING_PATCHES[field]);
    const next = await updateClinician(deps, caller('admin', 'admin-7'), profile.clinicianId, patch, { requestId: 'req-1' });
    expect(next[field]).toEqual(patch[field]);
    expect(deps.staffAudit.events(profile.clinicianId)).toEqual([
      {
        eventId: expect.any(String),
        at: NOW.toISOString(),
        actor: { userId: 'admin-7', role: 'admin' },
        staffId: profile.clinicianId,
        action: 'credentialing_change',
        outcome: 'success',
        changes: [{ field, before: profile[field], after: patch[field] }],
        requestId: 'req-1',
      },
    ]);
    expect(await deps.staffAudit.verifyChain(profile.clinicianId)).toMatchObject({ intact: true, length: 1 });
  });

  it("records only the admin's credentialing fields that really changed, and chains one event per change", async () => {
    const { deps, profile } = await created();
    const admin = caller('admin', 'admin-7');
    // Same capacity, new bio: no credentialing change, no event.
    await updateClinician(deps, admin, profile.clinicianId, parsePatch({ caseloadCapacity: profile.caseloadCapacity, bio: 'New.' }));
    expect(deps.staffAudit.events(profile.clinicianId)).toEqual([]);
    await updateClinician(deps, admin, profile.clinicianId, parsePatch({ caseloadCapacity: profile.caseloadCapacity, acceptingNewClients: false }));
    await updateClinician(deps, admin, profile.clinicianId, parsePatch({ acceptingNewClients: true }));
    expect(deps.staffAudit.events(profile.clinicianId).map((e) => e.changes)).toEqual([
      [{ field: 'acceptingNewClients', before: true, after: false }],
      [{ field: 'acceptingNewClients', before: false, after: true }],
    ]);
    expect(await deps.staffAudit.verifyChain(profile.clinicianId)).toMatchObject({ intact: true, length: 2 });
  });

  it('fails closed: when the staff audit trail cannot be written the caller gets the error', async () => {
    const { deps, profile } = await created();
    deps.staffAudit.failWith = new Error('table unavailable');
    await expect(updateClinician(deps, caller('admin'), profile.clinicianId, parsePatch({ caseloadCapacity: 5 }))).rejects.toThrow('table unavailable');
    await expect(updateClinician(deps, caller('therapist', profile.clinicianId), profile.clinicianId, parsePatch({ caseloadCapacity: 5 }))).rejects.toThrow(
      'table unavailable',
    );
  });

  it('answers clients 404 and other staff 403, without reading anything', async () => {
    const { deps, profile } = await created();
    await expect(updateClinician(deps, caller('client'), profile.clinicianId, { bio: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateClinician(deps, caller('therapist'), profile.clinicianId, { bio: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateClinician(deps, caller('coordinator'), 'nobody', { bio: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.clinicians.replaceCalls).toBe(0);
    await expect(updateClinician(deps, caller('admin'), 'nobody', { bio: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('re-reads and re-applies after a concurrent change, then gives up with 503', async () => {
    const { deps, profile } = await created();
    deps.clinicians.pendingConflicts = UPDATE_ATTEMPTS - 1;
    await expect(updateClinician(deps, caller('admin'), profile.clinicianId, { bio: 'Third time.' })).resolves.toMatchObject({ bio: 'Third time.' });
    deps.clinicians.pendingConflicts = UPDATE_ATTEMPTS;
    await expect(updateClinician(deps, caller('admin'), profile.clinicianId, { bio: 'Never.' })).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('availability', () => {
  const hours = AvailabilitySchema.parse({ weekly: [{ day: 'mon', start: '09:00', end: '12:00' }] });

  it('stores the hours for the clinician or an admin and returns them with the zone', async () => {
    const { deps, profile } = await created();
    const stored = await putClinicianAvailability(deps, caller('therapist', profile.clinicianId), profile.clinicianId, hours);
    expect(stored).toEqual({ clinicianId: profile.clinicianId, timezone: 'America/New_York', ...hours, updatedAt: NOW.toISOString() });
    expect(await getClinicianAvailability(deps, caller('coordinator'), profile.clinicianId)).toEqual(stored);
    expect(await putClinicianAvailability(deps, caller('admin'), profile.clinicianId, hours)).toEqual(stored);
  });

  it('is empty until published, refuses clients (404) and other staff (403), and unknown clinicians are 404', async () => {
    const { deps, profile } = await created();
    expect(await getClinicianAvailability(deps, caller('admin'), profile.clinicianId)).toEqual({
      clinicianId: profile.clinicianId,
      timezone: 'America/New_York',
      weekly: [],
      exceptions: [],
    });
    await expect(getClinicianAvailability(deps, caller('client'), profile.clinicianId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getClinicianAvailability(deps, caller('therapist'), profile.clinicianId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(putClinicianAvailability(deps, caller('coordinator'), profile.clinicianId, hours)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(putClinicianAvailability(deps, caller('admin'), 'nobody', hours)).rejects.toBeInstanceOf(NotFoundError);
    expect(deps.clinicians.availability.size).toBe(0);
  });
});
