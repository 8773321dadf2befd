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
 *
 * A rematch that failed AFTER its transaction (e.g. cancelling the sessions threw) has no
 * idempotency record (errors are not stored), and no active therapist any more: the rematch
 * record keeps the hash of the request's Idempotency-Key, so the client's retry with the same
 * key and body finishes it (the session cancellation, idempotent; the new matches) and answers
 * as the first attempt would have, instead of 409 not_in_care.
 */
import { ConcurrentChangeError, NotInCareError } from '../../domain/errors.js';
import type { CareRelationship } from '../../domain/access.js';
import type { RematchRequest, RematchResponse } from '../../domain/matches.js';
import { authorizeMatchReplay, withMatchAccess, type MatchAttempt, type MatchDeps } from './dependencies.js';
import { matchesFor, type MatchInputBase } from './matches.js';
import { requestKeyOf } from '../request-key.js';

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

type RematchInput = MatchInputBase & { request: RematchRequest; idempotencyKey?: string };

/** Steps after the transaction: the former therapist's future sessions cancelled, the new matches. */
async function afterCareEnded(input: RematchInput, deps: MatchDeps, ended: CareRelationship, endedAt: string, relationships: CareRelationship[]): Promise<RematchResponse> {
  const { clientId, request } = input;
  await deps.sessionsOnCareEnd?.cancelFutureSessions({
    clientId,
    therapistId: ended.clinicianId,
    caller: input.caller,
    ...(input.requestId !== undefined ? { requestId: input.requestId } : {}),
  });
  const { confirmed } = await deps.matches.getIntakes(clientId);
  return {
    clientId,
    stage: 'awaiting_match',
    ended: { therapistId: ended.clinicianId, startedAt: ended.startedAt, endedAt, reason: request.reason },
    matches: confirmed ? await matchesFor(deps, clientId, confirmed, relationships, 'client') : null,
  };
}

/** The relationship THIS request's key ended (same reason and note), if the latest rematch is it: a retry to finish. */
async function rematchToResume(input: RematchInput, deps: MatchDeps, relationships: CareRelationship[]): Promise<CareRelationship | undefined> {
  if (input.idempotencyKey === undefined) return undefined;
  const latest = await deps.matches.latestRematch(input.clientId);
  if (!latest || latest.requestKey !== requestKeyOf(input.idempotencyKey) || latest.reason !== input.request.reason || latest.note !== input.request.note) return undefined;
  return relationships.find((r) => r.kind === 'therapist' && r.clinicianId === latest.therapistId && r.endReason === 'rematch' && r.endedAt === latest.endedAt);
}

export async function rematch(input: RematchInput, deps: MatchDeps): Promise<RematchResponse> {
  const { clientId, request } = input;
  return withMatchAccess(
    deps,
    rematchAttempt(input),
    REMATCH_BASES,
    async ({ relationships: initial }) => {
      let relationships: CareRelationship[] = initial;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const active = relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined);
        if (!active) {
          const resumed = await rematchToResume(input, deps, relationships);
          if (resumed?.endedAt !== undefined) return afterCareEnded(input, deps, resumed, resumed.endedAt, relationships);
          throw new NotInCareError();
        }
        const endedAt = new Date(Math.max(deps.now().getTime(), Date.parse(active.startedAt))).toISOString();
        const outcome = await deps.matches.endTherapistCare({
          clientId,
          relationship: active,
          endedAt,
          endReason: 'rematch',
          stage: { from: 'in_care', to: 'awaiting_match' },
          rematch: {
            reason: request.reason,
            ...(request.note !== undefined ? { note: request.note } : {}),
            ...(input.idempotencyKey !== undefined ? { requestKey: requestKeyOf(input.idempotencyKey) } : {}),
          },
        });
        if (outcome === 'stage_changed') throw new NotInCareError();
        if (outcome === 'ended') {
          const after = relationships.map((r) => (r === active ? { ...r, endedAt, endReason: 'rematch' as const } : r));
          return afterCareEnded(input, deps, active, endedAt, after);
        }
        // not_active or conflict: read the relationships again.
        relationships = await deps.careTeam.relationshipsOf(clientId);
      }
      throw new ConcurrentChangeError();
    },
  );
}
