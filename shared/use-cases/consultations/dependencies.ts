/**
 * What the consultation use cases are given. Entry points build it once per cold start from
 * the adapters; unit tests build it from in-memory fakes.
 */
import type { ConsultationSettings } from '../../config/scheduling.js';
import { consultationExecutionName, type ConsultationWorkflowInput } from '../../domain/consultations.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ClientProfile, ClientRecords, WorkflowStarter } from '../ports.js';
import type { ConsultationDirectory, ConsultationRecords } from './ports.js';

export interface ConsultationDeps {
  consultations: ConsultationRecords;
  directory: ConsultationDirectory;
  clients: Pick<ClientRecords, 'getProfile'>;
  /** The consultation workflow (workflows/consultation.asl.json). */
  workflow: WorkflowStarter;
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
