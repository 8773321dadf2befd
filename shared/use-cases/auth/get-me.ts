/**
 * The caller's own profile. The role comes from the verified token (never from the record);
 * the record is read by the caller's own id, so nobody can read anyone else's here.
 */
import type { MeResponse } from '../../domain/auth.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import type { StaffReader } from '../../adapters/dynamodb/staff-repository.js';
import type { ClientRecords } from '../ports.js';

export interface GetMeDependencies {
  clients: Pick<ClientRecords, 'getProfile'>;
  staff: StaffReader;
}

export async function getMe(deps: GetMeDependencies, caller: Caller): Promise<MeResponse> {
  if (caller.role === 'client') {
    const profile = await deps.clients.getProfile(caller.userId);
    if (!profile) throw new NotFoundError('Your profile was not found.');
    return {
      userId: caller.userId,
      role: caller.role,
      email: profile.email,
      firstName: profile.firstName,
      lastName: profile.lastName,
      status: profile.stage,
      timezone: profile.timezone,
      state: profile.state,
      clientType: profile.clientType,
      emailVerified: profile.emailVerifiedAt !== undefined,
    };
  }
  const profile = await deps.staff.getStaffProfile(caller.userId);
  if (!profile) throw new NotFoundError('Your profile was not found.');
  return {
    userId: caller.userId,
    role: caller.role,
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.lastName,
    ...(profile.timezone ? { timezone: profile.timezone } : {}),
  };
}
