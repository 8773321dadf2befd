/**
 * Releases of a care unit's joint record (shared/domain/care-units/releases.ts): a member asks
 * for one (their own authorization recorded with it), each member decides once, and the
 * release is marked authorized when `mayRelease` says every adult member (and a
 * representative for each minor) authorized. Marking is all it does: no export is built yet.
 */
import { randomUUID } from 'node:crypto';
import { mayDecideFor, mayRelease, type ReleaseConsent, type ReleaseMember, type ReleaseRequest, type ReleaseView } from '../../domain/care-units/releases.js';
import type { LoadedUnit } from './ports.js';
import { CareUnitStateError, NotFoundError } from '../../domain/errors.js';
import { auditEffectOn, today, withUnitAccess, type CareUnitDeps, type UnitCaller } from './units.js';

async function releaseMembers(deps: CareUnitDeps, loaded: LoadedUnit): Promise<ReleaseMember[]> {
  return Promise.all(
    loaded.memberships.map(async (m) => {
      const profile = m.status === 'active' ? await deps.clients.getProfile(m.clientId) : undefined;
      return {
        clientId: m.clientId,
        status: m.status,
        ...(m.personalRepresentativeIds ? { personalRepresentativeIds: m.personalRepresentativeIds } : {}),
        ...(profile?.dateOfBirth ? { dateOfBirth: profile.dateOfBirth } : {}),
      };
    }),
  );
}

function releaseView(release: ReleaseRequest, consents: readonly ReleaseConsent[], members: readonly ReleaseMember[], onDate: string): ReleaseView {
  const own = consents.filter((c) => c.releaseId === release.releaseId);
  const verdict = mayRelease(members, own, onDate);
  return {
    releaseId: release.releaseId,
    unitId: release.unitId,
    requestedBy: release.requestedBy,
    requestedAt: release.requestedAt,
    recipient: release.recipient,
    purpose: release.purpose,
    scope: release.scope,
    status: release.status,
    ...(release.decidedAt ? { decidedAt: release.decidedAt } : {}),
    awaiting: release.status === 'pending' && verdict.status === 'pending' ? verdict.awaiting : [],
    decisions: own.map(({ forClientId, byClientId, decision, at }) => ({ forClientId, byClientId, decision, at })),
    exportAvailable: false,
  };
}

/** POST /v1/care-units/{unitId}/releases: an active member asks; their own authorization is the first decision. */
export async function requestRelease(
  input: UnitCaller & { unitId: string; request: Pick<ReleaseRequest, 'recipient' | 'purpose' | 'scope'> },
  deps: CareUnitDeps,
): Promise<ReleaseView> {
  return withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'create' }, async ({ loaded }) => {
    const releaseId = (deps.newId ?? randomUUID)();
    const at = deps.now().toISOString();
    let current = loaded;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const members = await releaseMembers(deps, current);
      const consent: ReleaseConsent = { releaseId, forClientId: input.caller.userId, byClientId: input.caller.userId, decision: 'authorize', at };
      const verdict = mayRelease(members, [consent], today(deps));
      const release: ReleaseRequest = {
        unitId: input.unitId,
        releaseId,
        requestedBy: input.caller.userId,
        requestedAt: at,
        ...input.request,
        status: verdict.status === 'authorized' ? 'authorized' : 'pending',
        ...(verdict.status === 'authorized' ? { decidedAt: at } : {}),
      };
      if ((await deps.units.createRelease(release, consent, current.version)) === 'written') return releaseView(release, [consent], members, today(deps));
      const again = await deps.units.getUnit(input.unitId);
      if (!again) throw new NotFoundError();
      current = again;
    }
    throw new CareUnitStateError('The care unit changed meanwhile; try again.', 'concurrent_change');
  });
}

/**
 * POST /v1/care-units/{unitId}/releases/{releaseId}/consent: an active adult member decides for
 * themself, or a personal representative for their minor member (`forClientId`). One decision
 * per member, final (409 already_decided); the release becomes authorized or refused as the rule says.
 */
export async function decideRelease(
  input: UnitCaller & { unitId: string; releaseId: string; decision: ReleaseConsent['decision']; forClientId?: string },
  deps: CareUnitDeps,
): Promise<ReleaseView> {
  const forClientId = input.forClientId ?? input.caller.userId;
  const view = await withUnitAccess(deps, { ...input, action: 'manage', recordAction: 'update' }, async ({ loaded }) => {
    let current = loaded;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const release = current.releases.find((r) => r.releaseId === input.releaseId);
      if (!release) throw new NotFoundError();
      if (release.status !== 'pending') throw new CareUnitStateError('This release request is already decided.', 'release_decided');
      const members = await releaseMembers(deps, current);
      if (!mayDecideFor(members, input.caller.userId, forClientId, today(deps))) {
        throw new CareUnitStateError('You can decide for yourself, or as personal representative for a minor member.', 'not_decider');
      }
      const at = deps.now().toISOString();
      const consent: ReleaseConsent = { releaseId: input.releaseId, forClientId, byClientId: input.caller.userId, decision: input.decision, at };
      const consents = [...current.consents.filter((c) => c.releaseId === input.releaseId), consent];
      const verdict = mayRelease(members, consents, today(deps));
      const status = verdict.status === 'pending' ? 'pending' : verdict.status;
      const outcome = await deps.units.decideRelease(input.unitId, consent, status, status === 'pending' ? undefined : at, current.version);
      if (outcome === 'already_decided') throw new CareUnitStateError('A decision for this member is already recorded; decisions are final.', 'already_decided');
      if (outcome === 'written') {
        return releaseView({ ...release, status, ...(status === 'pending' ? {} : { decidedAt: at }) }, consents, members, today(deps));
      }
      const again = await deps.units.getUnit(input.unitId);
      if (!again) throw new NotFoundError();
      current = again;
    }
    throw new CareUnitStateError('The care unit changed meanwhile; try again.', 'concurrent_change');
  });
  if (forClientId !== input.caller.userId) await auditEffectOn(deps, { ...input, clientId: forClientId, action: 'update' });
  return view;
}

/** GET /v1/care-units/{unitId}/releases/{releaseId}: any member (the unit's therapist too) sees the request and its decisions. */
export async function getRelease(input: UnitCaller & { unitId: string; releaseId: string }, deps: CareUnitDeps): Promise<ReleaseView> {
  return withUnitAccess(deps, { ...input, action: 'view', recordAction: 'read' }, async ({ loaded }) => {
    const release = loaded.releases.find((r) => r.releaseId === input.releaseId);
    if (!release) throw new NotFoundError();
    return releaseView(release, loaded.consents, await releaseMembers(deps, loaded), today(deps));
  });
}
