/**
 * POST /v1/admin/clinicians: an admin creates a therapist or a consultation clinician.
 *
 * 1. Refuse an email that someone (client or staff) already owns: a quick 409 before any
 *    identity exists. The transaction in step 4 is what guarantees it.
 * 2. Create the staff identity with a generated temporary password; Cognito sends nothing.
 * 3. Put it in the group of its role.
 * 4. Write the profile, the email record and the by-state consultation listings in ONE
 *    transaction.
 * 5. Send our invitation (sign-in link, temporary password, what the first sign-in asks).
 * If any step after 2 fails, undo: remove what step 4 wrote and delete the identity, so there
 * is never a half-made clinician; then report (409 when the email was taken meanwhile, 503
 * otherwise, which the admin can retry with the same Idempotency-Key).
 */
import { newClinicianProfile, type ClinicianProfile, type CreateClinicianRequest } from '../../domain/clinicians.js';
import { AppError, EmailAlreadyRegisteredError, ServiceUnavailableError } from '../../domain/errors.js';
import { renderStaffInvitationEmail } from '../../notifications/staff-invitation-email.js';
import type { ClinicianRecords, EmailSender, StaffIdentityAdmin } from '../ports.js';
import { generateTemporaryPassword } from './temporary-password.js';

export interface CreateClinicianDependencies {
  identities: StaffIdentityAdmin;
  clinicians: Pick<ClinicianRecords, 'createProfile' | 'getEmailOwner' | 'removeClinician'>;
  emails: EmailSender;
  appBaseUrl: string;
  now: () => Date;
  temporaryPassword?: () => string;
}

export class ClinicianNotCreatedError extends ServiceUnavailableError {
  constructor() {
    super('We could not create the clinician. Nothing was saved; please try again.');
    this.name = 'ClinicianNotCreatedError';
  }
}

export async function createClinician(deps: CreateClinicianDependencies, request: CreateClinicianRequest): Promise<ClinicianProfile> {
  if (await deps.clinicians.getEmailOwner(request.email)) throw new EmailAlreadyRegisteredError();

  const temporaryPassword = (deps.temporaryPassword ?? generateTemporaryPassword)();
  const { userId } = await deps.identities.createUser({
    email: request.email,
    firstName: request.firstName,
    lastName: request.lastName,
    temporaryPassword,
  });

  let recordsWritten = false;
  try {
    await deps.identities.addToGroup(request.email, request.role);
    const profile = newClinicianProfile(userId, request, deps.now().toISOString());
    const created = await deps.clinicians.createProfile(profile);
    if (created.outcome === 'email_taken') throw new EmailAlreadyRegisteredError();
    if (created.outcome === 'exists') throw new Error('A clinician profile already exists for a new identity.');
    recordsWritten = true;
    const invitation = renderStaffInvitationEmail({ firstName: profile.firstName, email: profile.email, temporaryPassword, appBaseUrl: deps.appBaseUrl });
    await deps.emails.send({ to: profile.email, ...invitation });
    return profile;
  } catch (error) {
    await undo(deps, request.email, userId, recordsWritten, error);
    throw error instanceof AppError ? error : new ClinicianNotCreatedError();
  }
}

async function undo(deps: CreateClinicianDependencies, email: string, userId: string, recordsWritten: boolean, cause: unknown): Promise<void> {
  try {
    if (recordsWritten) await deps.clinicians.removeClinician(userId, email);
    await deps.identities.deleteUser(email);
  } catch (undoError) {
    // Surfaces as a 500 and is logged with both stacks: someone must clean up by hand.
    throw new AggregateError([cause, undoError], 'Creating a clinician failed and undoing it failed too.');
  }
}
