/**
 * What the consultation use cases are given. Entry points build it once per cold start from
 * the adapters; unit tests build it from in-memory fakes.
 */
import type { ConsultationSettings } from '../../config/scheduling.js';
import { consultationExecutionName, type ConsultationWorkflowInput } from '../../domain/consultations.js';
import { EmailNotVerifiedError, NotFoundError } from '../../domain/errors.js';
import type { AuditLog, CareRelationships, ClientProfile, ClientRecords, WorkflowStarter } from '../ports.js';
import type { ConsultationDirectory, ConsultationRecords } from './ports.js';

export interface ConsultationDeps {
  consultations: ConsultationRecords;
  directory: ConsultationDirectory;
  clients: Pick<ClientRecords, 'getProfile'>;
  /** The consultation workflow (workflows/consultation.asl.json). */
  workflow: WorkflowStarter;
  /**
   * The booked clinician is the client's consultation clinician (a `consultation` care
   * relationship) until matching: the access policy and the risk escalation's choice of the
   * responsible clinician read it (shared/domain/access.ts), and so do the consultation
   * routes' own access decisions (consultation-access.ts).
   */
  careTeam: Pick<CareRelationships, 'begin' | 'end' | 'relationshipsOf'>;
  /** Every read of the record and the client's details, every outcome write (consultation-access.ts). */
  auditLog: AuditLog;
  /** Days a former clinician keeps read access after their relationship ended (shared/config/access.ts). */
  formerClinicianAccessDays?: number;
  settings: ConsultationSettings;
  now: () => Date;
  newId: () => string;
}

/** Starts (or finds, for a retry) the workflow run of this input: the name is deterministic. */
export async function startConsultationWorkflow(workflow: WorkflowStarter, input: ConsultationWorkflowInput): Promise<void> {
  await workflow.start({ name: consultationExecutionName(input), input });
}

/** The signed-in client's profile; a client token without a profile is treated as not found. */
export async function clientProfileOf(clients: Pick<ClientRecords, 'getProfile'>, clientId: string): Promise<ClientProfile> {
  const profile = await clients.getProfile(clientId);
  if (!profile) throw new NotFoundError('Your client profile was not found.');
  return profile;
}

/**
 * The signed-in client's profile, only once their email is verified (issue 9, finding 4): an
 * unproven address must not get a booking, its confirmation or reminders. EmailNotVerifiedError
 * (403 `email_not_verified`) otherwise.
 */
export async function verifiedClientProfileOf(clients: Pick<ClientRecords, 'getProfile'>, clientId: string): Promise<ClientProfile> {
  const profile = await clientProfileOf(clients, clientId);
  if (profile.emailVerifiedAt === undefined) throw new EmailNotVerifiedError();
  return profile;
}

/**
 * Makes the booked clinician the client's consultation clinician (idempotent: a retry finds
 * the relationship). A relationship still held by another consultation clinician (an earlier
 * booking that was missed) is ended first: one consultation clinician per client.
 */
export async function beginConsultationCare(deps: Pick<ConsultationDeps, 'careTeam'>, consultation: { clientId: string; clinicianId: string }, at: Date): Promise<void> {
  const relationship = { clientId: consultation.clientId, clinicianId: consultation.clinicianId, kind: 'consultation' as const, startedAt: at.toISOString() };
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const result = await deps.careTeam.begin(relationship);
    if (result.outcome === 'client_not_found') throw new NotFoundError('Your client profile was not found.');
    if (result.outcome !== 'occupied') return;
    await deps.careTeam.end({ clientId: consultation.clientId, clinicianId: result.active.clinicianId, kind: 'consultation', endedAt: relationship.startedAt, endReason: 'consultation_closed' });
  }
  throw new Error('Could not begin the consultation relationship: another clinician took it meanwhile.');
}

/** Ends the clinician's consultation relationship with the client (a cancelled booking); none active is fine. */
export async function endConsultationCare(deps: Pick<ConsultationDeps, 'careTeam'>, consultation: { clientId: string; clinicianId: string }, at: Date): Promise<void> {
  await deps.careTeam.end({ clientId: consultation.clientId, clinicianId: consultation.clinicianId, kind: 'consultation', endedAt: at.toISOString(), endReason: 'consultation_closed' });
}
