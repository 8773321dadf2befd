/**
 * The care lifecycle's rules (monitor-match-manage, issue 5 item 4), as pure functions: given
 * what is known about a client NOW (the facts, read afresh at every wake-up), what is due now
 * and when to look again. The workflow (workflows/care-lifecycle.asl.json) only sleeps and
 * loops; the state lives in the table, so a stage change made through the API is seen at the
 * next wake-up and never lost.
 *
 * | stage                 | due                                                                  | wakes again                        |
 * |-----------------------|----------------------------------------------------------------------|------------------------------------|
 * | awaiting_consultation | a reminder to book after 2 and after 7 days (none once booked), then none | the next reminder, else 1 day |
 * | awaiting_match        | nothing (a match moves the stage to in_care)                         | 1 hour: introductions follow an accept soon |
 * | in_care (therapist)   | introductions to client and therapist + baseline measures (once per relationship, within 7 days of its start); | the next measure period, the disengagement instant, the plan's next check, else 1 day |
 * |                       | measure reminders every 2 weeks from the start (skipped when every measure is at most 7 days old); |   |
 * |                       | no assessment or check-in for 3 weeks -> outreach to the client + disengagement flag for the therapist (once per quiet spell) | |
 * | any active stage      | a referral to a higher level of care not yet applied -> stage referred, care ends | (ends)                |
 * | discharged, referred  | nothing: the lifecycle ends                                          | -                                  |
 *
 * Durations come from shared/config/care-lifecycle.ts (defaults above). Times in the facts
 * are LIFECYCLE time (shared/config/care-lifecycle.ts, the clock: real time in AWS, a
 * compressed scale locally); identifiers that name a dedupe record are the stored values, so
 * a key never depends on the clock.
 *
 * Late reminders: when the lifecycle was down (a restart, a failed execution the reconciler
 * replaced), only the LATEST reminder that has come due is sent, never a backlog.
 */
import type { Specialty } from './clinicians.js';
import type { InstrumentId } from './instruments/definition.js';
import type { ClientStage } from './signup.js';

export const ACTIVE_CLIENT_STAGES = ['awaiting_consultation', 'awaiting_match', 'in_care'] as const satisfies readonly ClientStage[];
export type ActiveClientStage = (typeof ACTIVE_CLIENT_STAGES)[number];

/** Stages after which the service has nothing more to do for the client: the lifecycle ends. */
export const CLOSED_CLIENT_STAGES = ['discharged', 'referred'] as const satisfies readonly ClientStage[];

export function isClosedStage(stage: string): boolean {
  return (CLOSED_CLIENT_STAGES as readonly string[]).includes(stage);
}

export function isActiveStage(stage: string): stage is ActiveClientStage {
  return (ACTIVE_CLIENT_STAGES as readonly string[]).includes(stage);
}

/**
 * Measures by concern (issue 5: "PHQ-9 and/or GAD-7 by concern, PCL-5 for trauma"):
 * - PHQ-9 for depressive presentations (Kroenke, Spitzer & Williams 2001);
 * - GAD-7 for anxiety presentations; it also screens panic and social anxiety (Spitzer et al.
 *   2006; Kroenke et al. 2007);
 * - PCL-5 for trauma, the DSM-5 PTSD checklist (Weathers et al. 2013), the anxiety-disorder
 *   specific measure the NHS Talking Therapies manual names for PTSD.
 * A client with none of these concerns gets PHQ-9 and GAD-7, the pair NHS Talking Therapies
 * collects from everyone (and our outcome rules read: DESIGN.md, "Outcomes").
 */
export const MEASURES_BY_CONCERN: Readonly<Partial<Record<Specialty, readonly InstrumentId[]>>> = {
  depression: ['phq9'],
  grief: ['phq9'],
  perinatal: ['phq9'],
  bipolar: ['phq9'],
  self_harm: ['phq9'],
  anxiety: ['gad7'],
  panic: ['gad7'],
  phobias: ['gad7'],
  ocd: ['gad7'],
  stress: ['gad7'],
  trauma_ptsd: ['pcl5'],
};

export const DEFAULT_MEASURES: readonly InstrumentId[] = ['phq9', 'gad7'];
const MEASURE_ORDER: readonly InstrumentId[] = ['phq9', 'gad7', 'pcl5'];

/** The measures to ask for, in a stable order, from the intake's concerns (none: the default pair). */
export function measuresFor(concerns: readonly Specialty[]): InstrumentId[] {
  const wanted = new Set(concerns.flatMap((concern) => MEASURES_BY_CONCERN[concern] ?? []));
  const chosen = MEASURE_ORDER.filter((instrument) => wanted.has(instrument));
  return chosen.length > 0 ? chosen : [...DEFAULT_MEASURES];
}

/** Every duration in whole seconds (shared/config/care-lifecycle.ts builds these from its settings). */
export interface LifecycleRules {
  /** After signup, ascending: one reminder to book at each (default 2 and 7 days). */
  bookingRemindersAfterSeconds: readonly number[];
  /** Measure reminders every this long from the start of care (default 14 days). */
  measureReminderEverySeconds: number;
  /** A measure taken at most this long before a reminder falls due makes it moot (default 7 days). */
  measureFreshSeconds: number;
  /** No assessment or check-in for this long -> outreach and a disengagement flag (default 21 days). */
  disengagedAfterSeconds: number;
  /** Introductions and the baseline request only this soon after the match (default 7 days): never months late. */
  introductionWithinSeconds: number;
  /** The longest sleep: a stage change is seen at most this late (default 1 day). */
  reviewEverySeconds: number;
  /** The longest sleep while awaiting a match (default 1 hour): introductions follow an accept soon. */
  matchCheckEverySeconds: number;
  /** The shortest sleep (default 60 s): a clock a little behind never makes the loop spin. */
  minSleepSeconds: number;
  /** Continue as new after this many wake-ups (default 500)... */
  generationMaxWakeUps: number;
  /** ...or this much sleep (default 300 days), well before Step Functions' 25,000 events and one year. */
  generationMaxSeconds: number;
}

const DAY = 86_400;

export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = {
  bookingRemindersAfterSeconds: [2 * DAY, 7 * DAY],
  measureReminderEverySeconds: 14 * DAY,
  measureFreshSeconds: 7 * DAY,
  disengagedAfterSeconds: 21 * DAY,
  introductionWithinSeconds: 7 * DAY,
  reviewEverySeconds: DAY,
  matchCheckEverySeconds: 3_600,
  minSleepSeconds: 60,
  generationMaxWakeUps: 500,
  generationMaxSeconds: 300 * DAY,
};

/** An instant in lifecycle time (UTC ISO) and the stored value it came from (for dedupe keys). */
export interface Moment {
  at: string;
  stored: string;
}

/** What the lifecycle knows about the client at one wake-up. Times are lifecycle time. */
export interface LifecycleFacts {
  now: string;
  stage: ClientStage;
  signedUpAt: string;
  /** The free consultation is booked (the consultation workflow reminds; no nudges to book). */
  consultationBooked: boolean;
  /** The active therapist relationship. */
  therapist?: { clinicianId: string; startedAt: Moment };
  /** Referrals to a higher level of care not yet applied (oldest first). */
  pendingReferrals: readonly { referralId: string }[];
  /** The intake's concerns (empty: no intake yet). */
  concerns: readonly Specialty[];
  /** The latest assessment of any instrument, and the latest check-in. */
  lastAssessment?: Moment;
  lastCheckIn?: Moment;
  /** The latest assessment per instrument. */
  lastMeasured: Readonly<Partial<Record<InstrumentId, string>>>;
  /** The lifecycle's notification keys already recorded (sent or being sent). */
  sentKeys: readonly string[];
  /**
   * The next instant time alone can make the active treatment plan due for a review
   * (shared/domain/plans/progress.ts nextPlanCheckAt): the lifecycle wakes then, so the check
   * (CheckPlanProgress) runs at that instant.
   */
  planCheckAt?: string;
}

export type LifecycleAction =
  | { kind: 'booking_reminder'; key: string; reminder: number }
  | { kind: 'introduce_client'; key: string; therapistId: string }
  | { kind: 'introduce_therapist'; key: string; therapistId: string }
  | { kind: 'request_baseline'; key: string }
  | { kind: 'measure_reminder'; key: string; period: number }
  | { kind: 'disengagement_outreach'; key: string }
  | { kind: 'disengagement_flag'; key: string; therapistId: string; since: string }
  | { kind: 'apply_referral'; referralId: string; therapistId?: string };

export type LifecycleActionKind = LifecycleAction['kind'];

/** What is coming, for GET /v1/clients/{id}: `at` is lifecycle time (`now` for what is due now). */
export interface UpcomingItem {
  kind: 'booking_reminder' | 'introductions' | 'baseline_measures' | 'measure_reminder' | 'engagement_check' | 'referral';
  at: string;
  /** For measures: which ones. */
  instruments?: InstrumentId[];
}

export interface LifecyclePlan {
  stage: ClientStage;
  /** The client's care is closed: the lifecycle ends (after no actions). */
  end: boolean;
  actions: LifecycleAction[];
  /** Lifecycle time of the next wake-up, and the whole seconds to sleep until then. */
  nextWakeAt: string;
  nextWakeInSeconds: number;
  upcoming: UpcomingItem[];
  /** The measures this client is asked for (in care). */
  measures: InstrumentId[];
  /** In care and quiet for the disengagement period: since when (lifecycle time). */
  disengagedSince?: string;
}

/** Notification keys (CLIENT#<id> / NOTIFICATION#<key>): per action and period, built from stored values only. */
export const lifecycleKeys = {
  bookingReminder: (reminder: number) => `lifecycle#booking-reminder#${reminder}`,
  introClient: (therapistId: string, startedAt: string) => `lifecycle#intro-client#${therapistId}#${startedAt}`,
  introTherapist: (therapistId: string, startedAt: string) => `lifecycle#intro-therapist#${therapistId}#${startedAt}`,
  baseline: (therapistId: string, startedAt: string) => `lifecycle#baseline#${therapistId}#${startedAt}`,
  measureReminder: (therapistId: string, startedAt: string, period: number) => `lifecycle#measures#${therapistId}#${startedAt}#${period}`,
  outreach: (therapistId: string, startedAt: string, quietSince: string) => `lifecycle#outreach#${therapistId}#${startedAt}#${quietSince}`,
  disengagementFlag: (therapistId: string, startedAt: string, quietSince: string) => `lifecycle#disengaged#${therapistId}#${startedAt}#${quietSince}`,
} as const;

const ms = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new RangeError(`Not an ISO instant: ${iso}`);
  return value;
};
const iso = (value: number): string => new Date(value).toISOString();

/** Whether every measure was taken at or after `since` (ms). */
function measuredSince(facts: LifecycleFacts, measures: readonly InstrumentId[], since: number): boolean {
  return measures.every((instrument) => {
    const at = facts.lastMeasured[instrument];
    return at !== undefined && ms(at) >= since;
  });
}

/** The quiet spell: from the latest of the relationship's start, the last assessment and the last check-in. */
function lastActivity(facts: LifecycleFacts, start: Moment): Moment {
  let latest = start;
  for (const moment of [facts.lastAssessment, facts.lastCheckIn]) {
    if (moment !== undefined && ms(moment.at) > ms(latest.at)) latest = moment;
  }
  return latest;
}

/** What is due now and when to wake next. Pure: same facts, same plan. */
export function planLifecycle(facts: LifecycleFacts, rules: LifecycleRules = DEFAULT_LIFECYCLE_RULES): LifecyclePlan {
  const now = ms(facts.now);
  const sent = new Set(facts.sentKeys);
  const actions: LifecycleAction[] = [];
  const upcoming: UpcomingItem[] = [];
  // Candidate wake-up instants; the earliest wins, never later than the stage's longest sleep.
  const wakes: number[] = [];
  let measures: InstrumentId[] = [];
  let disengagedSince: string | undefined;

  const plan = (end: boolean): LifecyclePlan => {
    const longest = facts.stage === 'awaiting_match' ? rules.matchCheckEverySeconds : rules.reviewEverySeconds;
    const future = wakes.filter((at) => at > now);
    const next = Math.min(now + longest * 1000, ...future);
    const seconds = end ? 0 : Math.max(rules.minSleepSeconds, Math.ceil((next - now) / 1000));
    return {
      stage: facts.stage,
      end,
      actions,
      nextWakeAt: iso(end ? now : now + seconds * 1000),
      nextWakeInSeconds: seconds,
      upcoming: upcoming.sort((a, b) => ms(a.at) - ms(b.at) || a.kind.localeCompare(b.kind)),
      measures,
      ...(disengagedSince !== undefined ? { disengagedSince } : {}),
    };
  };

  if (isClosedStage(facts.stage)) return plan(true);

  // A referral to a higher level of care closes care, whatever the active stage.
  const referral = facts.pendingReferrals[0];
  if (referral !== undefined) {
    actions.push({
      kind: 'apply_referral',
      referralId: referral.referralId,
      ...(facts.therapist !== undefined ? { therapistId: facts.therapist.clinicianId } : {}),
    });
    upcoming.push({ kind: 'referral', at: facts.now });
    return plan(false);
  }

  if (facts.stage === 'awaiting_consultation') {
    if (!facts.consultationBooked) {
      const signedUp = ms(facts.signedUpAt);
      const dueTimes = rules.bookingRemindersAfterSeconds.map((after) => signedUp + after * 1000);
      let latestDue = -1;
      dueTimes.forEach((at, index) => {
        if (at <= now) latestDue = index;
      });
      if (latestDue >= 0) {
        const key = lifecycleKeys.bookingReminder(latestDue + 1);
        if (!sent.has(key)) {
          actions.push({ kind: 'booking_reminder', key, reminder: latestDue + 1 });
          upcoming.push({ kind: 'booking_reminder', at: facts.now });
        }
      }
      const nextDue = dueTimes[latestDue + 1];
      if (nextDue !== undefined) {
        wakes.push(nextDue);
        upcoming.push({ kind: 'booking_reminder', at: iso(nextDue) });
      }
    }
    return plan(false);
  }

  if (facts.stage === 'in_care' && facts.therapist !== undefined) {
    const { clinicianId, startedAt } = facts.therapist;
    const start = ms(startedAt.at);
    const relationship = startedAt.stored;
    measures = measuresFor(facts.concerns);

    // On match: introductions and the baseline, once per relationship, only while the match is recent.
    if (now - start < rules.introductionWithinSeconds * 1000) {
      const introClient = lifecycleKeys.introClient(clinicianId, relationship);
      const introTherapist = lifecycleKeys.introTherapist(clinicianId, relationship);
      if (!sent.has(introClient)) actions.push({ kind: 'introduce_client', key: introClient, therapistId: clinicianId });
      if (!sent.has(introTherapist)) actions.push({ kind: 'introduce_therapist', key: introTherapist, therapistId: clinicianId });
      if (!sent.has(introClient) || !sent.has(introTherapist)) upcoming.push({ kind: 'introductions', at: facts.now });
      const baseline = lifecycleKeys.baseline(clinicianId, relationship);
      if (!sent.has(baseline) && !measuredSince(facts, measures, now - rules.measureFreshSeconds * 1000)) {
        actions.push({ kind: 'request_baseline', key: baseline });
        upcoming.push({ kind: 'baseline_measures', at: facts.now, instruments: measures });
      }
    }

    // Measure reminders: period k falls due at start + k * every (k >= 1); only the current period's.
    const every = rules.measureReminderEverySeconds * 1000;
    const period = Math.floor((now - start) / every);
    if (period >= 1) {
      const dueAt = start + period * every;
      const key = lifecycleKeys.measureReminder(clinicianId, relationship, period);
      // Measured shortly before it fell due (or since): the reminder would be noise.
      const moot = measuredSince(facts, measures, dueAt - rules.measureFreshSeconds * 1000);
      if (!sent.has(key) && !moot) {
        actions.push({ kind: 'measure_reminder', key, period });
        upcoming.push({ kind: 'measure_reminder', at: facts.now, instruments: measures });
      }
    }
    if (facts.planCheckAt !== undefined) wakes.push(ms(facts.planCheckAt));

    const nextPeriodAt = start + (period + 1) * every;
    wakes.push(nextPeriodAt);
    upcoming.push({ kind: 'measure_reminder', at: iso(nextPeriodAt), instruments: measures });

    // Disengagement: no assessment or check-in for the period, counted from the last activity.
    const quiet = lastActivity(facts, startedAt);
    const disengagedAt = ms(quiet.at) + rules.disengagedAfterSeconds * 1000;
    if (disengagedAt <= now) {
      disengagedSince = quiet.at;
      const outreach = lifecycleKeys.outreach(clinicianId, relationship, quiet.stored);
      const flag = lifecycleKeys.disengagementFlag(clinicianId, relationship, quiet.stored);
      if (!sent.has(outreach)) actions.push({ kind: 'disengagement_outreach', key: outreach });
      if (!sent.has(flag)) actions.push({ kind: 'disengagement_flag', key: flag, therapistId: clinicianId, since: quiet.stored });
    } else {
      wakes.push(disengagedAt);
      upcoming.push({ kind: 'engagement_check', at: iso(disengagedAt) });
    }
  }
  return plan(false);
}

/** The lifecycle's own counters, carried from wake-up to wake-up (and across generations). */
export interface GenerationProgress {
  /** Wake-ups in this execution. */
  wakeUps: number;
  /** Seconds slept in this execution (lifecycle time). */
  sleptSeconds: number;
}

/** Time to end this execution and continue in a new one (generation + 1). */
export function shouldContinueAsNew(progress: GenerationProgress, nextSleepSeconds: number, rules: LifecycleRules = DEFAULT_LIFECYCLE_RULES): boolean {
  return progress.wakeUps >= rules.generationMaxWakeUps || progress.sleptSeconds + nextSleepSeconds > rules.generationMaxSeconds;
}
