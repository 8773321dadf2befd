import { describe, expect, it } from 'vitest';
import type { StaffProfile } from '../../../shared/adapters/dynamodb/staff-repository.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import type { ClientProfile } from '../../../shared/use-cases/ports.js';
import { getMe } from '../../../shared/use-cases/auth/get-me.js';

const client: ClientProfile = {
  clientId: 'client-1',
  email: 'sam.patel@example.com',
  firstName: 'Sam',
  lastName: 'Patel',
  dateOfBirth: '1992-03-04',
  clientType: 'student',
  state: 'NY',
  timezone: 'America/New_York',
  stage: 'awaiting_consultation',
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
};
const therapist: StaffProfile = {
  userId: 'staff-1',
  role: 'therapist',
  email: 'therapist@example.com',
  firstName: 'Robin',
  lastName: 'Okafor',
  timezone: 'America/Chicago',
  createdAt: '2026-11-01T00:00:00.000Z',
};

const deps = {
  clients: { getProfile: async (id: string) => (id === client.clientId ? client : undefined) },
  staff: { getStaffProfile: async (id: string) => (id === therapist.userId ? therapist : undefined) },
};

describe('get me', () => {
  it("returns a client's profile and care stage, without the date of birth", async () => {
    const me = await getMe(deps, { userId: 'client-1', role: 'client', groups: ['client'] });
    expect(me).toEqual({
      userId: 'client-1',
      role: 'client',
      email: 'sam.patel@example.com',
      firstName: 'Sam',
      lastName: 'Patel',
      status: 'awaiting_consultation',
      timezone: 'America/New_York',
      state: 'NY',
      clientType: 'student',
      emailVerified: false,
    });
  });

  it('returns a staff profile with the role from the token', async () => {
    const me = await getMe(deps, { userId: 'staff-1', role: 'therapist', groups: ['therapist'] });
    expect(me).toMatchObject({ userId: 'staff-1', role: 'therapist', firstName: 'Robin' });
  });

  it('reads staff records only for staff tokens and client records only for client tokens', async () => {
    await expect(getMe(deps, { userId: 'staff-1', role: 'client', groups: ['client'] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMe(deps, { userId: 'client-1', role: 'admin', groups: ['admin'] })).rejects.toBeInstanceOf(NotFoundError);
  });
});
