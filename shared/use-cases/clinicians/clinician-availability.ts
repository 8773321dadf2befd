/**
 * PUT and GET /v1/clinicians/{id}/availability: weekly hours and dated exceptions, as
 * wall-clock times in the clinician's own time zone (the profile's `timezone`), so they stay
 * right across daylight-saving changes (shared/domain/scheduling.ts turns them into instants
 * day by day). Changing the profile's zone moves the hours with it: "09:00" stays 09:00 local.
 *
 * PUT: the clinician or an admin. GET: also coordinators. A client gets 404, other staff 403.
 */
import type { ClinicianAvailability } from '../../domain/clinicians.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import type { Availability } from '../../domain/scheduling.js';
import type { ClinicianRecords } from '../ports.js';
import { CLINICIAN_NOT_FOUND } from './get-clinician.js';
import { requireAccess } from './update-clinician.js';

export interface AvailabilityDependencies {
  clinicians: Pick<ClinicianRecords, 'getProfile' | 'getAvailability' | 'putAvailability'>;
  now: () => Date;
}

export async function putClinicianAvailability(
  deps: AvailabilityDependencies,
  caller: Caller,
  clinicianId: string,
  availability: Availability,
): Promise<ClinicianAvailability> {
  requireAccess(caller, clinicianId, 'edit-availability');
  const profile = await deps.clinicians.getProfile(clinicianId);
  if (!profile) throw new NotFoundError(CLINICIAN_NOT_FOUND);
  const updatedAt = deps.now().toISOString();
  // The write re-checks that the profile exists, in the same transaction.
  if ((await deps.clinicians.putAvailability(clinicianId, availability, updatedAt)) === 'not_found') throw new NotFoundError(CLINICIAN_NOT_FOUND);
  return { clinicianId, timezone: profile.timezone, ...availability, updatedAt };
}

export async function getClinicianAvailability(deps: AvailabilityDependencies, caller: Caller, clinicianId: string): Promise<ClinicianAvailability> {
  requireAccess(caller, clinicianId, 'view-availability');
  const [profile, stored] = await Promise.all([deps.clinicians.getProfile(clinicianId), deps.clinicians.getAvailability(clinicianId)]);
  if (!profile) throw new NotFoundError(CLINICIAN_NOT_FOUND);
  if (!stored) return { clinicianId, timezone: profile.timezone, weekly: [], exceptions: [] };
  return { clinicianId, timezone: profile.timezone, ...stored.availability, updatedAt: stored.updatedAt };
}
