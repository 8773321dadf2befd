/**
 * PATCH /v1/clinicians/{id}: the clinician edits their own profile, or an admin edits anyone's.
 *
 * 1. Check access (client -> 404, other staff -> 403; see clinicianAccess).
 * 2. A clinician sending credentialing fields (ADMIN_ONLY_CLINICIAN_FIELDS: licenses,
 *    credential, names, client types, consultations, accepting, capacity, video room): append a
 *    `denied` event to their staff audit chain and refuse the whole patch with 403
 *    `admin_only_fields` naming the fields. Nothing is applied: half a patch would surprise.
 * 3. Load the profile (404 when there is none).
 * 4. Apply the patch (a pure function) and replace the profile only if nobody changed it
 *    since step 3 (its version); its listings change with it (clinician-repository.ts).
 * 5. On a concurrent change, start again from 3 (a few times; then 503, retry later).
 * 6. When credentialing fields changed, append a `success` event with each changed field's value
 *    before and after, then answer. As for health records (client-access.ts), the answer waits
 *    for the event: if the trail cannot be written the caller gets an error, and the change made
 *    in step 4 is the one left without its event.
 */
import { randomUUID } from 'node:crypto';
import {
  adminOnlyFieldsIn,
  applyClinicianUpdate,
  clinicianAccess,
  type AdminOnlyClinicianField,
  type ClinicianProfile,
  type UpdateClinicianRequest,
} from '../../domain/clinicians.js';
import { AdminOnlyFieldsError, ForbiddenError, NotFoundError, ServiceUnavailableError } from '../../domain/errors.js';
import type { Caller } from '../../domain/roles.js';
import { credentialingChanges, type CredentialingChange, type StaffAuditEvent } from '../../domain/staff-audit.js';
import type { ClinicianRecords, StaffAuditLog } from '../ports.js';
import { CLINICIAN_NOT_FOUND } from './get-clinician.js';

export const UPDATE_ATTEMPTS = 3;

export interface UpdateClinicianDependencies {
  clinicians: Pick<ClinicianRecords, 'getProfile' | 'replaceProfile'>;
  staffAudit: StaffAuditLog;
  now: () => Date;
  /** Default: a random UUID. */
  newEventId?: () => string;
}

/** Throws the refusal the policy decided (shared by the profile and availability use cases). */
export function requireAccess(caller: Caller, clinicianId: string, action: 'edit-profile' | 'view-availability' | 'edit-availability'): void {
  const access = clinicianAccess(caller, clinicianId, action);
  if (access === 'not_found') throw new NotFoundError(CLINICIAN_NOT_FOUND);
  if (access === 'forbidden') throw new ForbiddenError('Only this clinician or an admin can change it.');
}

function staffEvent(
  deps: Pick<UpdateClinicianDependencies, 'now' | 'newEventId'>,
  caller: Caller,
  staffId: string,
  outcome: { changes: CredentialingChange[] } | { fields: AdminOnlyClinicianField[] },
  requestId: string | undefined,
): StaffAuditEvent {
  return {
    eventId: (deps.newEventId ?? randomUUID)(),
    at: deps.now().toISOString(),
    actor: { userId: caller.userId, role: caller.role },
    staffId,
    action: 'credentialing_change',
    ...('changes' in outcome ? { outcome: 'success', changes: outcome.changes } : { outcome: 'denied', fields: outcome.fields }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

export async function updateClinician(
  deps: UpdateClinicianDependencies,
  caller: Caller,
  clinicianId: string,
  patch: UpdateClinicianRequest,
  options: { requestId?: string } = {},
): Promise<ClinicianProfile> {
  requireAccess(caller, clinicianId, 'edit-profile');
  const adminOnly = adminOnlyFieldsIn(patch);
  if (adminOnly.length > 0 && caller.role !== 'admin') {
    await deps.staffAudit.record(staffEvent(deps, caller, clinicianId, { fields: adminOnly }, options.requestId));
    throw new AdminOnlyFieldsError(adminOnly);
  }
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt += 1) {
    const current = await deps.clinicians.getProfile(clinicianId);
    if (!current) throw new NotFoundError(CLINICIAN_NOT_FOUND);
    const next = applyClinicianUpdate(current, patch, deps.now().toISOString());
    if ((await deps.clinicians.replaceProfile(current, next)) === 'updated') {
      const changes = credentialingChanges(current, next);
      if (changes.length > 0) await deps.staffAudit.record(staffEvent(deps, caller, clinicianId, { changes }, options.requestId));
      return next;
    }
  }
  throw new ServiceUnavailableError('The profile was being changed by someone else at the same time. Please try again.');
}
