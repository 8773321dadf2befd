/**
 * POST /v1/care-units/{unitId}/matches/{therapistId}/accept: a unit is matched ONCE.
 *
 *   1. unit access (manage; audited on the caller's chain): an active member
 *   2. the unit has a therapist already: the same one 200 (nothing written), another 409
 *      already_matched
 *   3. the therapist must be among the CALLER's matches now (their confirmed intake, ranked
 *      again, never trusted as sent: 409 match_not_offered) and must see this kind of client
 *      (the profile's `clientTypes` holds the unit's kind, as matching's hard filter does)
 *   4. who begins care: every ACTIVE member (joined, so consented to joint care) awaiting a
 *      consultation or a match without an active therapist; a member already in care elsewhere
 *      keeps their own care (one therapist per client in this model) and is left out, silently
 *      (another member's care is not the caller's to learn)
 *   5. ONE transaction (care-unit-repository.ts assignUnitTherapist): the unit's therapist set,
 *      ONE caseload place for the unit, for each member the therapist relationship (the
 *      therapist gains access to that member's record), the consultation ended, stage in_care
 *   6. an event on each member's chain (care, create)
 *   7. each member whose care began has their care lifecycle woken (as a client's own accept:
 *      the introductions go out now; best effort, the match stands if a wake fails)
 */
import { AlreadyMatchedError, ConcurrentChangeError, MatchNotOfferedError, NotFoundError, TherapistFullError } from '../../domain/errors.js';
import { matchesView } from '../../domain/matches.js';
import { activeMembers, type UnitMatchResponse } from '../../domain/care-units/units.js';
import { buildAuditEvent } from '../access/client-access.js';
import { rankForClient, type MatchDeps } from '../matching/dependencies.js';
import { wakeLifecycle } from '../matching/accept-match.js';
import { readyIntake } from '../matching/matches.js';
import type { UnitMemberCare } from './ports.js';
import { withUnitAccess, type CareUnitDeps, type UnitCaller } from './units.js';

export type UnitMatchDeps = CareUnitDeps & MatchDeps;

export async function acceptUnitMatch(input: UnitCaller & { unitId: string; therapistId: string }, deps: UnitMatchDeps): Promise<{ created: boolean; body: UnitMatchResponse }> {
  const { caller, unitId, therapistId } = input;
  const result = await withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'create' }, async ({ loaded }) => {
    let current = loaded;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { unit } = current;
      if (unit.therapistId !== undefined) {
        if (unit.therapistId !== therapistId) throw new AlreadyMatchedError();
        const own = (await deps.careTeam.relationshipsOf(caller.userId)).some((r) => r.kind === 'therapist' && r.clinicianId === therapistId && r.endedAt === undefined);
        return { created: false, began: [] as string[], body: { unitId, therapistId, matchedAt: unit.matchedAt ?? unit.createdAt, yourCareBegan: own } };
      }
      const intake = await readyIntake(deps, caller.userId);
      const relationships = await deps.careTeam.relationshipsOf(caller.userId);
      const ranking = await rankForClient(deps, caller.userId, intake.intake, relationships);
      const offered = matchesView(caller.userId, ranking.result, ranking.profiles, 'client').matches;
      const profile = ranking.profiles.get(therapistId);
      if (!offered.some((m) => m.therapistId === therapistId) || !profile || !profile.clientTypes.includes(unit.kind)) throw new MatchNotOfferedError(offered);

      const members: UnitMemberCare[] = [];
      for (const member of activeMembers(current.memberships)) {
        const [memberProfile, memberRelationships] = await Promise.all([deps.clients.getProfile(member.clientId), deps.careTeam.relationshipsOf(member.clientId)]);
        if (!memberProfile || (memberProfile.stage !== 'awaiting_consultation' && memberProfile.stage !== 'awaiting_match')) continue;
        if (memberRelationships.some((r) => r.kind === 'therapist' && r.endedAt === undefined)) continue;
        const consultation = memberRelationships.find((r) => r.kind === 'consultation' && r.endedAt === undefined);
        members.push({ clientId: member.clientId, stage: memberProfile.stage, ...(consultation ? { consultation } : {}) });
      }
      const nowMs = deps.now().getTime();
      const latestConsultation = Math.max(nowMs, ...members.map((m) => (m.consultation ? Date.parse(m.consultation.startedAt) : nowMs)));
      const startedAt = new Date(latestConsultation).toISOString();
      const outcome = await deps.units.assignUnitTherapist({ unitId, therapistId, startedAt, members, expectedVersion: current.version });
      if (outcome === 'assigned') {
        return { created: true, began: members.map((m) => m.clientId), body: { unitId, therapistId, matchedAt: startedAt, yourCareBegan: members.some((m) => m.clientId === caller.userId) } };
      }
      if (outcome === 'therapist_full') throw new TherapistFullError(offered.filter((m) => m.therapistId !== therapistId));
      const again = await deps.units.getUnit(unitId);
      if (!again) throw new NotFoundError();
      current = again;
    }
    throw new ConcurrentChangeError();
  });
  for (const clientId of result.began) await wakeLifecycle(deps, clientId);
  for (const clientId of result.began) {
    if (clientId === caller.userId) continue;
    await deps.auditLog.record(
      buildAuditEvent(deps, { actor: caller, clientId, purpose: 'self_access', action: 'create', category: 'care', recordId: `therapist-${therapistId}`, outcome: 'success', ...(input.requestId === undefined ? {} : { requestId: input.requestId }) }),
    );
  }
  return { created: result.created, body: result.body };
}
