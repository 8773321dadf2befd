/**
 * From what is stored (a LifecycleSnapshot) to what the rules read (LifecycleFacts), and the
 * rules' plan for it.
 * Shared by the workflow's ReviewClient and by GET /v1/clients/{clientId}, so the API shows
 * exactly what the lifecycle will do.
 */
import { planLifecycle, type LifecycleFacts, type LifecyclePlan } from '../../domain/care-lifecycle.js';
import type { CareLifecycleSettings } from '../../config/care-lifecycle.js';
import { DEFAULT_PLAN_SETTINGS } from '../../config/plans.js';
import { nextPlanCheckAt } from '../../domain/plans/progress.js';
import { nextUnitPlanCheckAt } from '../../domain/plans/unit-plan.js';
import type { LifecycleSnapshot } from './ports.js';

/** A claim older than this belongs to an attempt that died (task timeouts are at most 60 s): its key is due again. */
export const STALE_CLAIM_SECONDS = 180;

export function lifecycleFacts(snapshot: LifecycleSnapshot, now: Date): LifecycleFacts {
  const at = (stored: string) => new Date(stored).toISOString();
  const staleBefore = now.getTime() - STALE_CLAIM_SECONDS * 1000;
  const therapist = snapshot.relationships.find((r) => r.kind === 'therapist' && r.endedAt === undefined);
  const facts: LifecycleFacts = {
    now: now.toISOString(),
    stage: snapshot.profile.stage,
    signedUpAt: at(snapshot.profile.createdAt),
    // Booked, or already held: no nudges to book (the consultation workflow reminds of a booking).
    consultationBooked: snapshot.freeConsultation === 'booked' || snapshot.freeConsultation === 'completed',
    pendingReferrals: snapshot.pendingReferrals.map(({ referralId }) => ({ referralId })),
    concerns: snapshot.concerns,
    lastMeasured: Object.fromEntries(Object.entries(snapshot.lastMeasured).map(([instrument, stored]) => [instrument, at(stored)])),
    sentKeys: snapshot.notifications
      .filter((n) => n.state === 'sent' || Date.parse(n.claimedAt) >= staleBefore)
      .map((n) => n.key),
  };
  if (therapist) facts.therapist = { clinicianId: therapist.clinicianId, startedAt: { at: at(therapist.startedAt), stored: therapist.startedAt } };
  // The first of the client's own plan's next check and each care unit plan's (the member's lifecycle checks those too).
  const planChecks = [
    therapist && snapshot.activePlan ? nextPlanCheckAt({ now: facts.now, plan: snapshot.activePlan, careStartedAt: therapist.startedAt }, DEFAULT_PLAN_SETTINGS.check) : undefined,
    ...(snapshot.unitPlans ?? []).map((plan) => nextUnitPlanCheckAt({ now: facts.now, plan })),
  ].filter((at): at is string => at !== undefined);
  if (planChecks.length > 0) facts.planCheckAt = planChecks.reduce((first, at) => (Date.parse(at) < Date.parse(first) ? at : first));
  if (snapshot.lastAssessmentAt) facts.lastAssessment = { at: at(snapshot.lastAssessmentAt), stored: snapshot.lastAssessmentAt };
  if (snapshot.lastCheckInAt) facts.lastCheckIn = { at: at(snapshot.lastCheckInAt), stored: snapshot.lastCheckInAt };
  return facts;
}

/** The plan for a stored client now; a stage this code does not know is reviewed, never closed. */
export function planFor(snapshot: LifecycleSnapshot, settings: CareLifecycleSettings, now: Date): LifecyclePlan {
  return planLifecycle(lifecycleFacts(snapshot, now), settings.rules);
}

