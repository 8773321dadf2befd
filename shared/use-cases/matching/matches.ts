/**
 * Matches: GET /v1/clients/{clientId}/matches and POST .../matches/pin.
 *
 * listMatches:
 *   1. access (read, care; audited): the client or their consultation clinician; anyone else
 *      404 (a coordinator reads intakes, not matches; a former clinician has no part in them)
 *   2. readiness: the client awaits a match (consultation completed) and a clinician has
 *      confirmed the intake; otherwise 409 matching_not_ready with the reason
 *   3. rank the therapists licensed in the intake's state (dependencies.ts rankForClient)
 *   4. answer the ranking as the caller's audience sees it (domain/matches.ts matchesView)
 *
 * pinMatch: the consultation clinician recommends a therapist (or removes the pin). The id
 * must be a therapist of the directory (400 otherwise); whether the pin is shown is the
 * engine's call at each ranking (never waiving a hard filter), and the clinician sees why not.
 */
import type { CareRelationship } from '../../domain/access.js';
import { MatchingNotReadyError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { matchesView, type IntakeRecord, type MatchAudience, type MatchesView, type PinView } from '../../domain/matches.js';
import type { Caller } from '../../domain/roles.js';
import type { ClientStage } from '../../domain/signup.js';
import { carePurpose, rankForClient, withMatchAccess, type MatchDeps } from './dependencies.js';

export interface MatchInputBase {
  caller: Pick<Caller, 'userId' | 'role'>;
  clientId: string;
  requestId?: string;
}

export function audienceFor(role: Caller['role']): MatchAudience {
  return role === 'client' ? 'client' : 'clinician';
}

/** Stage readiness for matching: undefined when the client awaits a match. */
export function stageProblem(stage: ClientStage): MatchingNotReadyError | undefined {
  switch (stage) {
    case 'awaiting_match':
      return undefined;
    case 'awaiting_consultation':
      return new MatchingNotReadyError('consultation_not_completed');
    case 'in_care':
      return new MatchingNotReadyError('already_in_care');
    default:
      return new MatchingNotReadyError('care_ended');
  }
}

/** The confirmed intake of a client who awaits a match, or the reason there is none. */
export async function readyIntake(deps: MatchDeps, clientId: string): Promise<IntakeRecord> {
  const profile = await deps.clients.getProfile(clientId);
  if (!profile) throw new NotFoundError();
  const problem = stageProblem(profile.stage);
  if (problem) throw problem;
  const { confirmed } = await deps.matches.getIntakes(clientId);
  if (!confirmed) throw new MatchingNotReadyError('intake_not_confirmed');
  return confirmed;
}

/** Ranks and shapes matches for the audience. */
export async function matchesFor(
  deps: MatchDeps,
  clientId: string,
  intake: IntakeRecord,
  relationships: readonly CareRelationship[],
  audience: MatchAudience,
): Promise<MatchesView> {
  const ranking = await rankForClient(deps, clientId, intake.intake, relationships);
  return matchesView(clientId, ranking.result, ranking.profiles, audience);
}

export async function listMatches(input: MatchInputBase, deps: MatchDeps): Promise<MatchesView> {
  const { caller, clientId } = input;
  return withMatchAccess(
    deps,
    {
      caller,
      clientId,
      purpose: carePurpose(caller.role),
      action: 'read',
      category: 'care',
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    },
    ['self', 'consultation_clinician'],
    async ({ relationships }) => matchesFor(deps, clientId, await readyIntake(deps, clientId), relationships, audienceFor(caller.role)),
  );
}

export async function pinMatch(input: MatchInputBase & { therapistId: string | null }, deps: MatchDeps): Promise<PinView> {
  const { caller, clientId, therapistId } = input;
  return withMatchAccess(
    deps,
    {
      caller,
      clientId,
      purpose: carePurpose(caller.role),
      action: 'update',
      category: 'care',
      recordId: 'match-pin',
      ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    },
    ['consultation_clinician'],
    async () => {
      if (therapistId === null) {
        await deps.matches.clearPin(clientId);
        return { clientId, therapistId: null };
      }
      const therapist = await deps.clinicians.getProfile(therapistId);
      if (therapist?.role !== 'therapist') {
        throw new ValidationError([{ field: 'therapistId', message: 'There is no therapist with this id in the directory.' }]);
      }
      const pin = { clientId, therapistId, pinnedBy: caller.userId, pinnedAt: deps.now().toISOString() };
      if ((await deps.matches.putPin(pin)) === 'client_not_found') throw new NotFoundError();
      return pin;
    },
  );
}
