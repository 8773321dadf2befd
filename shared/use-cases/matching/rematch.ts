/**
 * POST /v1/clients/{clientId}/rematch {reason, note?}, by the client.
 *
 *   1. access (update, care; audited): the client themself only
 *   2. the active therapist relationship, else 409 not_in_care
 *   3. ONE transaction (match-repository.ts endTherapistCare): the relationship ends
 *      (`rematch`), the therapist's caseload - 1, stage in_care -> awaiting_match, and the
 *      rematch record (reason, the client's note) under the client. The access policy reads
 *      relationships with consistent reads, so from the next request the former therapist
 *      reads only records created during their relationship, and writes nothing.
 *   4. new matches with the therapist just left excluded (as every therapist left before), or
 *      null if no intake was ever confirmed
 * The note is the client's own words: it goes to the rematch record only, never to a log, a
 * problem or the audit trail.
 */
import { ConcurrentChangeError, NotInCareError } from '../../domain/errors.js';
import type { CareRelationship } from '../../domain/access.js';
import type { RematchRequest, RematchResponse } from '../../domain/matches.js';
import { authorizeMatchReplay, withMatchAccess, type MatchAttempt, type MatchDeps } from './dependencies.js';
import { matchesFor, type MatchInputBase } from './matches.js';

const ATTEMPTS = 3;

const REMATCH_BASES = ['self'] as const;

function rematchAttempt(input: Pick<MatchInputBase, 'caller' | 'clientId' | 'requestId'>): MatchAttempt {
  return {
    caller: input.caller,
    clientId: input.clientId,
    purpose: 'self_access',
    action: 'update',
    category: 'care',
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
  };
}

/** An `Idempotency-Key` replay of the rematch: the route's decision for the caller now, the read audited. */
export function authorizeRematchReplay(input: Pick<MatchInputBase, 'caller' | 'clientId' | 'requestId'>, deps: MatchDeps): Promise<void> {
  return authorizeMatchReplay(deps, rematchAttempt(input), REMATCH_BASES);
}

export async function rematch(input: MatchInputBase & { request: RematchRequest }, deps: MatchDeps): Promise<RematchResponse> {
  const { clientId, request } = input;
  return withMatchAccess(
    deps,
    rematchAttempt(input),
    REMATCH_BASES,
    async ({ relationships: initial }) => {
      let relationships: CareRelationship[] = initial;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const active = relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined);
        if (!active) throw new NotInCareError();
        const endedAt = new Date(Math.max(deps.now().getTime(), Date.parse(active.startedAt))).toISOString();
        const outcome = await deps.matches.endTherapistCare({
          clientId,
          relationship: active,
          endedAt,
          endReason: 'rematch',
          stage: { from: 'in_care', to: 'awaiting_match' },
          rematch: { reason: request.reason, ...(request.note !== undefined ? { note: request.note } : {}) },
        });
        if (outcome === 'stage_changed') throw new NotInCareError();
        if (outcome === 'ended') {
          await deps.sessionsOnCareEnd?.cancelFutureSessions({
            clientId,
            therapistId: active.clinicianId,
            caller: input.caller,
            ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
          });
          const after = relationships.map((r) => (r === active ? { ...r, endedAt, endReason: 'rematch' as const } : r));
          const { confirmed } = await deps.matches.getIntakes(clientId);
          return {
            clientId,
            stage: 'awaiting_match',
            ended: { therapistId: active.clinicianId, startedAt: active.startedAt, endedAt, reason: request.reason },
            matches: confirmed ? await matchesFor(deps, clientId, confirmed, after, 'client') : null,
          };
        }
        // not_active or conflict: read the relationships again.
        relationships = await deps.careTeam.relationshipsOf(clientId);
      }
      throw new ConcurrentChangeError();
    },
  );
}
