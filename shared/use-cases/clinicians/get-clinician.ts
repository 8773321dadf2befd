/**
 * GET /v1/clinicians/{id}: the full profile for the clinician themself and the staff who run
 * the directory, the public view for everyone else (shared/domain/clinicians.ts clinicianAccess).
 */
import {
  clinicianAccess,
  publicView,
  utcToday,
  type ClinicianProfile,
  type PublicClinicianProfile,
} from '../../domain/clinicians.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import type { ClinicianRecords } from '../ports.js';

export interface GetClinicianDependencies {
  clinicians: Pick<ClinicianRecords, 'getProfile'>;
  now: () => Date;
}

export const CLINICIAN_NOT_FOUND = 'No clinician with this id.';

export async function getClinician(deps: GetClinicianDependencies, caller: Caller, clinicianId: string): Promise<ClinicianProfile | PublicClinicianProfile> {
  const profile = await deps.clinicians.getProfile(clinicianId);
  if (!profile) throw new NotFoundError(CLINICIAN_NOT_FOUND);
  return clinicianAccess(caller, clinicianId, 'view-profile') === 'full' ? profile : publicView(profile, utcToday(deps.now()));
}
