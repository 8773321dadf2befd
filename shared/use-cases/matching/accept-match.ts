/**
 * POST /v1/clients/{clientId}/matches/{therapistId}/accept, by the client.
 *
 *   1. access (create, care; audited): the client themself only (the route is client-only)
 *   2. already with this therapist (a repeat): 200 with the assignment, nothing written;
 *      with another one: 409 already_matched
 *   3. readiness (awaiting a match, confirmed intake), else 409 matching_not_ready
 *   4. rank again, now: the id in the path is accepted only if the therapist is among the
 *      client's matches at this moment (never trusted as sent); a therapist now full or not
 *      accepting -> 409 therapist_full, anyone else -> 409 match_not_offered, both with the
 *      fresh matches
 *   5. ONE transaction (match-repository.ts assignTherapist): caseload + 1 only below capacity,
 *      the therapist relationship begins (the therapist can read the client's records from
 *      now on), the consultation relationship ends (`matched`), stage awaiting_match -> in_care
 *   7. the care lifecycle woken (care-lifecycle/wake.ts: its next generation reviews now), so
 *      the introductions and the baseline request go out at once, not at the sleeping
 *      execution's next review. The assignment stands if the wake fails: the sleeping
 *      execution still sends them at its next review (at most a day later).
 *   6. lost the last place between 4 and 5 -> 409 therapist_full with the matches ranked
 *      again; a concurrent change to the relationships -> read again and retry (bounded)
 */
import { AlreadyMatchedError, ConcurrentChangeError, MatchingNotReadyError, MatchNotOfferedError, NotFoundError, TherapistFullError } from '../../domain/errors.js';
import { exclusionReasons, filterContext, type Intake, type MatchTherapist } from '../../domain/matching/index.js';
import { matchesView, type AcceptMatchResponse, type IntakeRecord } from '../../domain/matches.js';
import { publicView, utcToday } from '../../domain/clinicians.js';
import type { CareRelationship } from '../../domain/access.js';
import { authorizeMatchReplay, leftTherapists, rankForClient, withMatchAccess, type MatchAttempt, type MatchDeps } from './dependencies.js';
import { readyIntake, type MatchInputBase } from './matches.js';
import { logger } from '../../observability/logger.js';

const ATTEMPTS = 3;

export interface AcceptMatchInput extends MatchInputBase {
  therapistId: string;
}

export interface AcceptMatchResult {
  /** true: assigned now (201); false: the same acceptance again (200). */
  created: boolean;
  body: AcceptMatchResponse;
}

const activeOf = (relationships: readonly CareRelationship[], kind: CareRelationship['kind']) =>
  relationships.find((r) => r.kind === kind && r.endedAt === undefined);

/** Whether the therapist is out of the matches only because they have no room or stopped accepting. */
function fullNow(therapist: MatchTherapist | undefined, intake: Intake, relationships: readonly CareRelationship[], onDate: string): boolean {
  if (!therapist) return false;
  const reasons = exclusionReasons(therapist, filterContext({ intake, leftTherapistIds: leftTherapists(relationships), onDate }));
  return reasons.length > 0 && reasons.every((r) => r === 'caseload_full' || r === 'not_accepting_new_clients');
}

const ACCEPT_BASES = ['self'] as const;

function acceptAttempt(input: Pick<AcceptMatchInput, 'caller' | 'clientId' | 'therapistId' | 'requestId'>): MatchAttempt {
  return {
    caller: input.caller,
    clientId: input.clientId,
    purpose: 'self_access',
    action: 'create',
    category: 'care',
    recordId: `therapist-${input.therapistId}`,
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
  };
}

/** An `Idempotency-Key` replay of the accept: the route's decision for the caller now, the read audited. */
export function authorizeAcceptMatchReplay(input: Pick<AcceptMatchInput, 'caller' | 'clientId' | 'therapistId' | 'requestId'>, deps: MatchDeps): Promise<void> {
  return authorizeMatchReplay(deps, acceptAttempt(input), ACCEPT_BASES);
}

export async function acceptMatch(input: AcceptMatchInput, deps: MatchDeps): Promise<AcceptMatchResult> {
  const { clientId, therapistId } = input;
  return withMatchAccess(
    deps,
    acceptAttempt(input),
    ACCEPT_BASES,
    async ({ relationships: initial }) => {
      let relationships = initial;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const repeat = await repeated(deps, clientId, therapistId, relationships);
        if (repeat) return repeat;
        const intake: IntakeRecord = await readyIntake(deps, clientId);

        const ranking = await rankForClient(deps, clientId, intake.intake, relationships);
        const offered = matchesView(clientId, ranking.result, ranking.profiles, 'client').matches;
        const match = offered.find((m) => m.therapistId === therapistId);
        if (!match) {
          if (fullNow(ranking.therapists.get(therapistId), intake.intake, relationships, ranking.result.onDate)) throw new TherapistFullError(offered);
          throw new MatchNotOfferedError(offered);
        }

        const consultation = activeOf(relationships, 'consultation');
        const nowMs = deps.now().getTime();
        // A relationship cannot end before it began (clocks of two writers may disagree a little).
        const startedAt = new Date(Math.max(nowMs, consultation ? Date.parse(consultation.startedAt) : nowMs)).toISOString();
        const outcome = await deps.matches.assignTherapist({ clientId, therapistId, startedAt, ...(consultation ? { consultation } : {}) });
        if (outcome === 'assigned') {
          await wakeLifecycle(deps, clientId);
          return { created: true, body: { clientId, stage: 'in_care', therapistId, startedAt, therapist: match.therapist, match } };
        }
        if (outcome === 'therapist_full') {
          const again = await rankForClient(deps, clientId, intake.intake, relationships);
          throw new TherapistFullError(matchesView(clientId, again.result, again.profiles, 'client').matches);
        }
        // therapist_active, stage_changed, conflict: the next round reads what changed.
        relationships = await deps.careTeam.relationshipsOf(clientId);
      }
      throw new ConcurrentChangeError();
    },
  );
}

/** The answer to a repeated acceptance, an AlreadyMatchedError, or undefined (no therapist yet). */
async function repeated(deps: MatchDeps, clientId: string, therapistId: string, relationships: readonly CareRelationship[]): Promise<AcceptMatchResult | undefined> {
  const active = activeOf(relationships, 'therapist');
  if (!active) return undefined;
  if (active.clinicianId !== therapistId) throw new AlreadyMatchedError();
  const profile = await deps.clinicians.getProfile(therapistId);
  const client = await deps.clients.getProfile(clientId);
  if (!profile || !client) throw new NotFoundError();
  if (client.stage !== 'in_care') throw new MatchingNotReadyError('care_ended');
  return {
    created: false,
    body: { clientId, stage: client.stage, therapistId, startedAt: active.startedAt, therapist: publicView(profile, utcToday(deps.now())) },
  };
}

/** Step 7: best effort (see the header); the care is begun whatever happens here. Also used when a care unit's match begins its members' care. */
export async function wakeLifecycle(deps: MatchDeps, clientId: string): Promise<void> {
  try {
    await deps.careLifecycle?.wake(clientId);
  } catch (error) {
    // E.g. a continue-as-new starting the same generation at this moment (it reviews at once too). No client data in the line.
    logger.warn('Care lifecycle not woken after an accept', { errorName: error instanceof Error ? error.name : 'Error' });
  }
}
