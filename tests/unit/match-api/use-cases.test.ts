import { beforeEach, describe, expect, it } from 'vitest';
import {
  AlreadyMatchedError,
  MatchingNotReadyError,
  MatchNotOfferedError,
  NotFoundError,
  NotInCareError,
  TherapistFullError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import type { MatchView } from '../../../shared/domain/matches.js';
import { acceptMatch } from '../../../shared/use-cases/matching/accept-match.js';
import { getIntake, putIntake } from '../../../shared/use-cases/matching/intake.js';
import { listMatches, pinMatch } from '../../../shared/use-cases/matching/matches.js';
import { rematch } from '../../../shared/use-cases/matching/rematch.js';
import type { CareEndedSessions } from '../../../shared/use-cases/sessions/care-ended.js';
import { INTAKE_REQUEST, MatchWorld, NOW, therapistProfile } from './fakes.js';

const CLIENT = 'client-1';
const OTHER_CLIENT = 'client-2';
const CONSULTANT = 'consultant-1';
const asClient = (userId = CLIENT) => ({ userId, role: 'client' as const });
const consultant = { userId: CONSULTANT, role: 'coordinator' as const };
const otherCoordinator = { userId: 'coordinator-9', role: 'coordinator' as const };
const ids = (matches: readonly MatchView[]) => matches.map((m) => m.therapistId);

let world: MatchWorld;

/** A client after a completed consultation, with a confirmed intake and five therapists in OH (one only in PA). */
async function readyWorld(): Promise<MatchWorld> {
  const w = new MatchWorld();
  w.addClient(CLIENT);
  w.addClient(OTHER_CLIENT);
  await w.beginCare(CLIENT, CONSULTANT, 'consultation');
  w.confirmIntake(CLIENT);
  w.addTherapist(therapistProfile('t-a'), { count: 0 });
  w.addTherapist(therapistProfile('t-b'), { count: 1 });
  w.addTherapist(therapistProfile('t-c'), { count: 2 });
  w.addTherapist(therapistProfile('t-d', { specialties: ['grief'], modalities: ['act'] }), { count: 0 });
  w.addTherapist(therapistProfile('t-pa', { licenses: [{ state: 'PA', number: 'TEST-PA', expiresOn: '2027-06-30' }] }), { count: 0 });
  return w;
}

beforeEach(async () => {
  world = await readyWorld();
});

describe('intake', () => {
  it("stores a client's write as their draft, in the time zone of their profile", async () => {
    world.clients.get(CLIENT)!.timezone = 'America/Chicago';
    const view = await putIntake({ caller: asClient(), clientId: CLIENT, intake: { ...INTAKE_REQUEST, goals: ['Sleep better'] } }, world.deps());
    expect(view.draft).toMatchObject({ version: 'draft', intake: { timezone: 'America/Chicago', goals: ['Sleep better'] }, updatedBy: asClient() });
    // The confirmed intake is untouched by the client's draft.
    expect(view.confirmed?.intake.goals).toEqual(INTAKE_REQUEST.goals);
    expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ action: 'update', record: { category: 'intake' }, outcome: 'success', basis: 'self' });
  });

  it("stores the consultation clinician's write as the confirmed intake", async () => {
    const view = await putIntake({ caller: consultant, clientId: CLIENT, intake: { ...INTAKE_REQUEST, state: 'PA' } }, world.deps());
    expect(view.confirmed).toMatchObject({ version: 'confirmed', intake: { state: 'PA', timezone: 'America/New_York' }, updatedBy: consultant });
    expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ outcome: 'success', basis: 'consultation_clinician' });
  });

  it('answers both versions to the client and the consultation clinician', async () => {
    await putIntake({ caller: asClient(), clientId: CLIENT, intake: INTAKE_REQUEST }, world.deps());
    for (const caller of [asClient(), consultant]) {
      const view = await getIntake({ caller, clientId: CLIENT }, world.deps());
      expect(view.confirmed?.version).toBe('confirmed');
      expect(view.draft?.version).toBe('draft');
    }
  });

  it('is 404 for another client, a therapist without a relationship and a former clinician, each audited as denied', async () => {
    await world.beginCare(OTHER_CLIENT, 't-a', 'therapist');
    await world.careTeam.end({ clientId: OTHER_CLIENT, clinicianId: 't-a', kind: 'therapist', endedAt: NOW.toISOString(), endReason: 'rematch' });
    const attempts = [
      { caller: asClient(OTHER_CLIENT), clientId: CLIENT },
      { caller: { userId: 't-b', role: 'therapist' as const }, clientId: CLIENT },
      { caller: { userId: 't-a', role: 'therapist' as const }, clientId: OTHER_CLIENT },
    ];
    for (const attempt of attempts) {
      await expect(getIntake(attempt, world.deps())).rejects.toBeInstanceOf(NotFoundError);
      await expect(putIntake({ ...attempt, intake: INTAKE_REQUEST }, world.deps())).rejects.toBeInstanceOf(NotFoundError);
      expect(world.auditLog.events(attempt.clientId).at(-1)).toMatchObject({ outcome: 'denied', actor: attempt.caller });
    }
    expect(world.intakes.get(OTHER_CLIENT)).toBeUndefined();
  });
});

describe('listMatches', () => {
  it('gives the client three explained matches, best first, without the caseload numbers', async () => {
    const view = await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps());
    expect(view.audience).toBe('client');
    expect(ids(view.matches)).toEqual(['t-a', 't-b', 't-c']);
    for (const match of view.matches) {
      expect(match.therapist).toMatchObject({ clinicianId: match.therapistId, licensedStates: ['OH'] });
      expect(match.therapist).not.toHaveProperty('email');
      expect(match.score.components.map((c) => c.component)).not.toContain('caseload');
      expect(match.score.total).toBeCloseTo(match.score.components.reduce((sum, c) => sum + c.points, 0), 6);
      expect(match.reasons.map((r) => r.text)).toContain('licensed in Ohio');
      expect(match.reasons.some((r) => r.kind === 'primary_concern')).toBe(true);
    }
    expect(view).not.toHaveProperty('directory');
    expect(view).not.toHaveProperty('pin');
    expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ action: 'read', record: { category: 'care' }, outcome: 'success', basis: 'self' });
  });

  it('gives the consultation clinician the full breakdown, the directory counts and the pin', async () => {
    world.pins.set(CLIENT, { clientId: CLIENT, therapistId: 't-pa', pinnedBy: CONSULTANT, pinnedAt: NOW.toISOString() });
    const view = await listMatches({ caller: consultant, clientId: CLIENT }, world.deps());
    expect(view.audience).toBe('clinician');
    expect(view.matches[0]!.score.components.map((c) => c.component)).toContain('caseload');
    expect(view.directory).toMatchObject({ size: 4, eligible: 4 });
    expect(view.pin).toMatchObject({ therapistId: 't-pa', outcome: 'not_in_directory' });
  });

  it('shows a pinned therapist first, and never a therapist the client left', async () => {
    world.pins.set(CLIENT, { clientId: CLIENT, therapistId: 't-d', pinnedBy: CONSULTANT, pinnedAt: NOW.toISOString() });
    world.careTeam.items.push({ clientId: CLIENT, clinicianId: 't-a', kind: 'therapist', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-02-01T00:00:00.000Z', endReason: 'rematch' });
    const view = await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps());
    expect(ids(view.matches)).toEqual(['t-d', 't-b', 't-c']);
    expect(view.matches[0]!.pinned).toBe(true);
    expect(view.matches[0]!.reasons[0]).toMatchObject({ kind: 'pinned' });
  });

  it('takes severity from a PHQ-9 within its recall period only', async () => {
    world.confirmIntake(CLIENT, { ...INTAKE_REQUEST, concerns: [{ concern: 'depression', primary: true }] });
    const phq9 = (daysAgo: number, bandId: 'severe' | 'mild') => ({
      assessmentId: `a-${daysAgo}`,
      clientId: CLIENT,
      instrument: 'phq9' as const,
      answers: [],
      result: { instrument: 'phq9', total: bandId === 'severe' ? 22 : 6, band: { id: bandId, label: bandId, min: 0, max: 27 } },
      submittedAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
      submittedBy: asClient(),
    });
    world.assessments.push(phq9(20, 'severe') as never);
    expect((await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps())).concerns[0]).toMatchObject({ severity: 'moderate', severitySource: 'default' });
    world.assessments.push(phq9(3, 'severe') as never);
    expect((await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps())).concerns[0]).toMatchObject({ severity: 'severe', severitySource: 'phq9' });
  });

  it('is 409 matching_not_ready before the consultation, without a confirmed intake, and in care', async () => {
    world.addClient('early', 'awaiting_consultation');
    await expect(listMatches({ caller: asClient('early'), clientId: 'early' }, world.deps())).rejects.toMatchObject({ extensions: { reason: 'consultation_not_completed' } });
    world.intakes.set(CLIENT, { draft: world.intakes.get(CLIENT)!.confirmed! });
    await expect(listMatches({ caller: asClient(), clientId: CLIENT }, world.deps())).rejects.toMatchObject({ extensions: { reason: 'intake_not_confirmed' } });
    world.clients.get(CLIENT)!.stage = 'in_care';
    const error = await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatchingNotReadyError);
    expect(error).toMatchObject({ extensions: { reason: 'already_in_care' } });
  });

  it('is 404 for another client, a coordinator who is not the consultation clinician, and a therapist', async () => {
    for (const caller of [asClient(OTHER_CLIENT), otherCoordinator, { userId: 't-a', role: 'therapist' as const }, { userId: 'sup-1', role: 'supervisor' as const }]) {
      await expect(listMatches({ caller, clientId: CLIENT }, world.deps())).rejects.toBeInstanceOf(NotFoundError);
      expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ outcome: 'denied', actor: caller });
    }
  });
});

describe('acceptMatch', () => {
  it('assigns in one step: a caseload place, the therapist relationship, the consultation ended as matched, in care', async () => {
    const { created, body } = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-b' }, world.deps());
    expect(created).toBe(true);
    expect(body).toMatchObject({ clientId: CLIENT, stage: 'in_care', therapistId: 't-b', startedAt: NOW.toISOString(), match: { therapistId: 't-b', rank: 2 } });
    expect(world.caseloads.get('t-b')!.count).toBe(2);
    expect(world.clients.get(CLIENT)!.stage).toBe('in_care');
    const relationships = await world.careTeam.relationshipsOf(CLIENT);
    expect(relationships.find((r) => r.kind === 'consultation')).toMatchObject({ endedAt: NOW.toISOString(), endReason: 'matched' });
    expect(relationships.find((r) => r.kind === 'therapist')).toMatchObject({ clinicianId: 't-b', startedAt: NOW.toISOString() });
    expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ action: 'create', record: { category: 'care', id: 'therapist-t-b' }, outcome: 'success' });
  });

  it('wakes the care lifecycle once care began (so the introductions go out now), not on a repeat; a failed wake leaves the assignment standing', async () => {
    const woken: string[] = [];
    const deps = () => ({ ...world.deps(), careLifecycle: { wake: async (clientId: string) => (woken.push(clientId), { generation: 2, executionArn: 'arn:local' }) } });
    expect((await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, deps())).created).toBe(true);
    expect(woken).toEqual([CLIENT]);
    expect((await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, deps())).created).toBe(false);
    expect(woken).toEqual([CLIENT]);

    world.confirmIntake(OTHER_CLIENT);
    const failing = { ...world.deps(), careLifecycle: { wake: async () => Promise.reject(new Error('Synthetic: ExecutionAlreadyExists')) } };
    const accepted = await acceptMatch({ caller: asClient(OTHER_CLIENT), clientId: OTHER_CLIENT, therapistId: 't-b' }, failing);
    expect(accepted.created).toBe(true);
    expect(world.clients.get(OTHER_CLIENT)!.stage).toBe('in_care');
  });

  it('answers a repeat with the same assignment and changes nothing; another therapist afterwards is 409 already_matched', async () => {
    await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps());
    world.now = new Date(NOW.getTime() + 60_000);
    const again = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps());
    expect(again).toMatchObject({ created: false, body: { therapistId: 't-a', startedAt: NOW.toISOString(), stage: 'in_care' } });
    expect(world.caseloads.get('t-a')!.count).toBe(1);
    await expect(acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-b' }, world.deps())).rejects.toBeInstanceOf(AlreadyMatchedError);
  });

  it('never trusts the id: a therapist not among the matches now is 409 match_not_offered with the fresh matches', async () => {
    for (const therapistId of ['t-d', 't-pa', 'nobody']) {
      const error = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId }, world.deps()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MatchNotOfferedError);
      expect(ids((error as MatchNotOfferedError).extensions.matches as MatchView[])).toEqual(['t-a', 't-b', 't-c']);
    }
    expect(world.clients.get(CLIENT)!.stage).toBe('awaiting_match');
    expect([...world.caseloads.values()].map((c) => c.count)).toEqual([0, 1, 2, 0, 0]);
  });

  it('is 409 therapist_full with fresh matches when the therapist filled up after the client saw them', async () => {
    world.caseloads.get('t-a')!.count = 10;
    const error = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TherapistFullError);
    expect(ids((error as TherapistFullError).extensions.matches as MatchView[])).toEqual(['t-b', 't-c', 't-d']);
  });

  it('is 409 therapist_full when the last place goes between ranking and the transaction, with the matches ranked again', async () => {
    world.caseloads.get('t-a')!.capacity = 1;
    world.beforeAssign = () => {
      world.caseloads.get('t-a')!.count = 1; // another client took the last place
    };
    const error = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TherapistFullError);
    expect(ids((error as TherapistFullError).extensions.matches as MatchView[])).not.toContain('t-a');
    expect(world.clients.get(CLIENT)!.stage).toBe('awaiting_match');
    expect((await world.careTeam.relationshipsOf(CLIENT)).filter((r) => r.kind === 'therapist')).toEqual([]);
    expect(world.auditLog.events(CLIENT).at(-1)).toMatchObject({ outcome: 'failure' });
  });

  it('reads the relationships again and retries when the consultation relationship changed meanwhile', async () => {
    let calls = 0;
    world.beforeAssign = () => {
      calls += 1;
      if (calls > 1) return;
      // Another clinician took over the consultation between the read and the transaction.
      const current = world.careTeam.items.find((r) => r.kind === 'consultation' && r.endedAt === undefined)!;
      current.endedAt = new Date(NOW.getTime() - 1000).toISOString();
      current.endReason = 'consultation_closed';
      world.careTeam.items.push({ clientId: CLIENT, clinicianId: 'consultant-2', kind: 'consultation', startedAt: new Date(NOW.getTime() - 1000).toISOString() });
    };
    const { created } = await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps());
    expect(created).toBe(true);
    expect(calls).toBe(2);
    expect((await world.careTeam.relationshipsOf(CLIENT)).find((r) => r.clinicianId === 'consultant-2')).toMatchObject({ endReason: 'matched' });
  });

  it('gives up with 409 concurrent_change when the relationships keep changing', async () => {
    world.beforeAssign = () => {
      const current = world.careTeam.items.find((r) => r.kind === 'consultation' && r.endedAt === undefined)!;
      current.startedAt = new Date(Date.parse(current.startedAt) - 1000).toISOString();
    };
    await expect(acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps())).rejects.toMatchObject({ code: 'concurrent_change' });
    expect(world.caseloads.get('t-a')!.count).toBe(0);
  });

  it('a therapist who stopped accepting new clients is full too', async () => {
    world.caseloads.get('t-c')!.accepting = false;
    await expect(acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-c' }, world.deps())).rejects.toBeInstanceOf(TherapistFullError);
  });

  it('is 409 matching_not_ready before a confirmed intake, and 404 for another client', async () => {
    world.intakes.delete(CLIENT);
    await expect(acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps())).rejects.toMatchObject({ code: 'matching_not_ready' });
    await expect(acceptMatch({ caller: asClient(OTHER_CLIENT), clientId: CLIENT, therapistId: 't-a' }, world.deps())).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('rematch', () => {
  beforeEach(async () => {
    await acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps());
    world.now = new Date(NOW.getTime() + 7 * 86_400_000);
  });

  it('ends the relationship, frees the place, awaits a match again and offers matches without the therapist left', async () => {
    const result = await rematch({ caller: asClient(), clientId: CLIENT, request: { reason: 'communication_style', note: 'Synthetic note.' } }, world.deps());
    expect(result).toMatchObject({ stage: 'awaiting_match', ended: { therapistId: 't-a', startedAt: NOW.toISOString(), endedAt: world.now.toISOString(), reason: 'communication_style' } });
    expect(ids(result.matches!.matches)).toEqual(['t-b', 't-c', 't-d']);
    expect(world.caseloads.get('t-a')!.count).toBe(0);
    expect(world.clients.get(CLIENT)!.stage).toBe('awaiting_match');
    expect(world.rematches).toEqual([{ clientId: CLIENT, therapistId: 't-a', endedAt: world.now.toISOString(), reason: 'communication_style', note: 'Synthetic note.' }]);
    // The note is the client's own words: in the rematch record only.
    expect(JSON.stringify(world.auditLog.all())).not.toContain('Synthetic note');
    // And the therapist left stays out of later rankings too.
    expect(ids((await listMatches({ caller: asClient(), clientId: CLIENT }, world.deps())).matches)).not.toContain('t-a');
    await expect(acceptMatch({ caller: asClient(), clientId: CLIENT, therapistId: 't-a' }, world.deps())).rejects.toBeInstanceOf(MatchNotOfferedError);
  });

  it('a rematch that failed after its transaction (the session cancellation threw) is finished by a retry with the same Idempotency-Key', async () => {
    const cancelled: string[] = [];
    let failures = 1;
    const sessionsOnCareEnd: CareEndedSessions = {
      async cancelFutureSessions(ended) {
        if (failures-- > 0) throw new Error('Synthetic fault after the transaction.');
        cancelled.push(ended.therapistId);
        return [];
      },
    };
    const deps = () => ({ ...world.deps(), sessionsOnCareEnd });
    const request = { reason: 'scheduling' as const, note: 'Synthetic note.' };
    const endedAt = world.now.toISOString();
    await expect(rematch({ caller: asClient(), clientId: CLIENT, request, idempotencyKey: 'k-1' }, deps())).rejects.toThrow('Synthetic fault');
    expect(world.clients.get(CLIENT)!.stage).toBe('awaiting_match');
    world.now = new Date(world.now.getTime() + 5_000);
    // Another key, no key, another body: not this rematch (409 as before), nothing cancelled.
    for (const retry of [{ request, idempotencyKey: 'k-2' }, { request }, { request: { reason: 'other' as const }, idempotencyKey: 'k-1' }]) {
      await expect(rematch({ caller: asClient(), clientId: CLIENT, ...retry }, deps())).rejects.toBeInstanceOf(NotInCareError);
    }
    expect(cancelled).toEqual([]);
    const retried = await rematch({ caller: asClient(), clientId: CLIENT, request, idempotencyKey: 'k-1' }, deps());
    expect(retried).toMatchObject({ stage: 'awaiting_match', ended: { therapistId: 't-a', startedAt: NOW.toISOString(), endedAt, reason: 'scheduling' } });
    expect(ids(retried.matches!.matches)).toEqual(['t-b', 't-c', 't-d']);
    expect(cancelled).toEqual(['t-a']);
    expect(world.rematches).toHaveLength(1);
    expect(world.caseloads.get('t-a')!.count).toBe(0);
  });

  it('is 409 not_in_care without a therapist, and 404 for others', async () => {
    await rematch({ caller: asClient(), clientId: CLIENT, request: { reason: 'scheduling' } }, world.deps());
    await expect(rematch({ caller: asClient(), clientId: CLIENT, request: { reason: 'scheduling' } }, world.deps())).rejects.toBeInstanceOf(NotInCareError);
    await expect(rematch({ caller: asClient(OTHER_CLIENT), clientId: CLIENT, request: { reason: 'scheduling' } }, world.deps())).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('pinMatch', () => {
  it('lets the consultation clinician pin a therapist of the directory, and remove the pin', async () => {
    const pin = await pinMatch({ caller: consultant, clientId: CLIENT, therapistId: 't-d' }, world.deps());
    expect(pin).toEqual({ clientId: CLIENT, therapistId: 't-d', pinnedBy: CONSULTANT, pinnedAt: NOW.toISOString() });
    expect(world.pins.get(CLIENT)?.therapistId).toBe('t-d');
    expect(await pinMatch({ caller: consultant, clientId: CLIENT, therapistId: null }, world.deps())).toEqual({ clientId: CLIENT, therapistId: null });
    expect(world.pins.has(CLIENT)).toBe(false);
  });

  it('refuses an id that is not a therapist (400) and anyone but the consultation clinician (404)', async () => {
    world.addTherapist(therapistProfile('coord-x', { role: 'coordinator' }));
    for (const therapistId of ['coord-x', 'nobody']) {
      await expect(pinMatch({ caller: consultant, clientId: CLIENT, therapistId }, world.deps())).rejects.toBeInstanceOf(ValidationError);
    }
    for (const caller of [otherCoordinator, asClient(), { userId: 't-a', role: 'therapist' as const }]) {
      await expect(pinMatch({ caller, clientId: CLIENT, therapistId: 't-a' }, world.deps())).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(world.pins.has(CLIENT)).toBe(false);
  });
});
