/**
 * PATCH /v1/clinicians/{id}: the clinician edits their own profile, or an admin edits anyone's.
 *
 * 1. Check access (client -> 404, other staff -> 403; see clinicianAccess).
 * 2. Load the profile (404 when there is none).
 * 3. Apply the patch (a pure function) and replace the profile only if nobody changed it
 *    since step 2 (its version); its consultation listings change in the same transaction.
 * 4. On a concurrent change, start again from 2 (a few times; then 503, retry later).
 */
import { applyClinicianUpdate, clinicianAccess, type ClinicianProfile, type UpdateClinicianRequest } from '../../domain/clinicians.js';
import { ForbiddenError, NotFoundError, ServiceUnavailableError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import type { ClinicianRecords } from '../ports.js';
import { CLINICIAN_NOT_FOUND } from './get-clinician.js';

export const UPDATE_ATTEMPTS = 3;

export interface UpdateClinicianDependencies {
  clinicians: Pick<ClinicianRecords, 'getProfile' | 'replaceProfile'>;
  now: () => Date;
}

/** Throws the refusal the policy decided (shared by the profile and availability use cases). */
export function requireAccess(caller: Caller, clinicianId: string, action: 'edit-profile' | 'view-availability' | 'edit-availability'): void {
  const access = clinicianAccess(caller, clinicianId, action);
  if (access === 'not_found') throw new NotFoundError(CLINICIAN_NOT_FOUND);
  if (access === 'forbidden') throw new ForbiddenError('Only this clinician or an admin can change it.');
}

export async function updateClinician(
  deps: UpdateClinicianDependencies,
  caller: Caller,
  clinicianId: string,
  patch: UpdateClinicianRequest,
): Promise<ClinicianProfile> {
  requireAccess(caller, clinicianId, 'edit-profile');
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt += 1) {
    const current = await deps.clinicians.getProfile(clinicianId);
    if (!current) throw new NotFoundError(CLINICIAN_NOT_FOUND);
    const next = applyClinicianUpdate(current, patch, deps.now().toISOString());
    if ((await deps.clinicians.replaceProfile(current, next)) === 'updated') return next;
  }
  throw new ServiceUnavailableError('The profile was being changed by someone else at the same time. Please try again.');
}
