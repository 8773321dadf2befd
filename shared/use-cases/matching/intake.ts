/**
 * The intake: PUT and GET /v1/clients/{clientId}/intake.
 *
 * putIntake:
 *   1. access (update, intake; audited): the client themself, their consultation clinician, a
 *      coordinator while the client awaits a consultation or a match (the stage is read first,
 *      for coordinators only), or their assigned therapist, as the access policy allows intake
 *      writes; former clinicians and anyone else 404
 *   2. read the client's time zone from their profile: the availability windows are wall-clock
 *      times there, and the zone is stored with them
 *   3. store the version the caller writes: a client's draft, or a clinician's confirmed
 *      intake (shared/domain/matches.ts says why matching uses only the confirmed one)
 *   4. answer both versions
 * getIntake: the same people, both versions.
 */
import { NotFoundError } from '../../domain/errors.js';
import { intakeFrom, intakeVersionFor, intakeView, type IntakeRequest, type IntakeView } from '../../domain/matches.js';
import type { AccessBasis } from '../../domain/access.js';
import type { Caller } from '../../domain/roles.js';
import type { ClientStage } from '../../domain/signup.js';
import { intakePurpose, withMatchAccess, type MatchDeps } from './dependencies.js';

const INTAKE_BASES: readonly AccessBasis[] = ['self', 'consultation_clinician', 'coordinator', 'assigned_therapist'];

export interface IntakeInput {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  requestId?: string;
}

/**
 * A coordinator's access depends on the client's stage (shared/domain/access.ts); nobody else's
 * does, so only their requests pay for the read. No profile: no stage, and the policy refuses.
 */
async function stageForPolicy(caller: IntakeInput['caller'], clientId: string, deps: MatchDeps): Promise<{ clientStage?: ClientStage }> {
  if (caller.role !== 'coordinator') return {};
  const profile = await deps.clients.getProfile(clientId);
  return profile ? { clientStage: profile.stage } : {};
}

export async function putIntake(input: IntakeInput & { intake: IntakeRequest }, deps: MatchDeps): Promise<IntakeView> {
  const { caller, clientId } = input;
  return withMatchAccess(
    deps,
    {
      caller,
      clientId,
      ...(await stageForPolicy(caller, clientId, deps)),
      purpose: intakePurpose(caller.role),
      action: 'update',
      category: 'intake',
      recordId: `intake-${intakeVersionFor(caller.role)}`,
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    },
    INTAKE_BASES,
    async () => {
      const profile = await deps.clients.getProfile(clientId);
      if (!profile) throw new NotFoundError();
      const version = intakeVersionFor(caller.role);
      const record = {
        clientId,
        version,
        intake: intakeFrom(input.intake, profile.timezone),
        updatedAt: deps.now().toISOString(),
        updatedBy: { userId: caller.userId, role: caller.role },
      };
      if ((await deps.matches.putIntake(record)) === 'client_not_found') throw new NotFoundError();
      const stored = await deps.matches.getIntakes(clientId);
      return intakeView(clientId, { ...stored, [version]: record });
    },
  );
}

export async function getIntake(input: IntakeInput, deps: MatchDeps): Promise<IntakeView> {
  const { caller, clientId } = input;
  return withMatchAccess(
    deps,
    {
      caller,
      clientId,
      ...(await stageForPolicy(caller, clientId, deps)),
      purpose: intakePurpose(caller.role),
      action: 'read',
      category: 'intake',
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    },
    INTAKE_BASES,
    async () => {
      if (!(await deps.clients.getProfile(clientId))) throw new NotFoundError();
      return intakeView(clientId, await deps.matches.getIntakes(clientId));
    },
  );
}
