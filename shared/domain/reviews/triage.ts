/**
 * Triage of the weekly progress review (issue 11): which clients the therapist should look at
 * first, and why, in plain language.
 *
 * Order of the classes (a client is listed once, under the most urgent class among its
 * reasons; every reason is shown):
 *
 * | class           | reasons                                                                                   |
 * |-----------------|-------------------------------------------------------------------------------------------|
 * | risk            | a risk flag raised in the period; an open risk task; a PHQ-9 item 9 above 0 in the period |
 * | deterioration   | a reliable worsening since baseline or since the last review, on any instrument           |
 * | not_on_track    | no reliable improvement and no response after 8 weeks (or 6 attended sessions)            |
 * | disengaged      | no-shows in a row; check-ins or measures missed in a row; no contact for 21 days; nothing booked |
 * | plan_review_due | the plan's review date has come; an open plan review task                                 |
 * | carried_over    | only that the last review listed the client and nobody dispositioned it                  |
 *
 * Why this order: risk is acted on the same day (and was already escalated on its own, the
 * risk-escalation workflow); deterioration is the strongest predictor of a poor outcome that
 * feedback can still change (Lambert 2017: among not-on-track clients feedback cut
 * deterioration from 21 % to 13 %); not on track is the signal feedback systems are built on
 * (about 15 % of clients at a time, psychoutcomes.org); disengagement comes before a plan
 * review date because a client who stops coming cannot be helped by a revised plan.
 *
 * A "possible worsening" (see change-classes.ts) is shown in the client's detail but does not
 * list a client on its own: the middle band is our convention, not a validated signal, and
 * listing on it would bury the reliable ones.
 *
 * Within a class: the highest risk level first (risk only), then more reasons first, then the
 * client id: a stable key, so the same facts always give the same order.
 */
import { compareRiskLevels, type RiskLevel } from '../instruments/risk-flags.js';

export const TRIAGE_CLASSES = ['risk', 'deterioration', 'not_on_track', 'disengaged', 'plan_review_due', 'carried_over'] as const;
export type TriageClass = (typeof TRIAGE_CLASSES)[number];

export const TRIAGE_CLASS_LABELS: Readonly<Record<TriageClass, string>> = {
  risk: 'Risk',
  deterioration: 'Deterioration',
  not_on_track: 'Not on track',
  disengaged: 'Disengaged',
  plan_review_due: 'Plan review due',
  carried_over: 'Carried over',
};

export const REASON_CODES = [
  'risk_flag',
  'open_risk_task',
  'phq9_item9',
  'reliable_worsening',
  'not_on_track',
  'no_shows_in_a_row',
  'check_ins_missed_in_a_row',
  'measures_missed_in_a_row',
  'no_contact',
  'no_session_booked',
  'plan_review_due',
  'plan_review_task_open',
  'carried_over',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The class each reason lists a client under. */
export const REASON_CLASS: Readonly<Record<ReasonCode, TriageClass>> = {
  risk_flag: 'risk',
  open_risk_task: 'risk',
  phq9_item9: 'risk',
  reliable_worsening: 'deterioration',
  not_on_track: 'not_on_track',
  no_shows_in_a_row: 'disengaged',
  check_ins_missed_in_a_row: 'disengaged',
  measures_missed_in_a_row: 'disengaged',
  no_contact: 'disengaged',
  no_session_booked: 'disengaged',
  plan_review_due: 'plan_review_due',
  plan_review_task_open: 'plan_review_due',
  carried_over: 'carried_over',
};

/** One reason a client is listed: a stable code, its class, and a sentence for the therapist (app only, never the email). */
export interface TriageReason {
  code: ReasonCode;
  triageClass: TriageClass;
  text: string;
}

export function reason(code: ReasonCode, text: string): TriageReason {
  return { code, triageClass: REASON_CLASS[code], text };
}

export function triageClassRank(value: TriageClass): number {
  return TRIAGE_CLASSES.indexOf(value);
}

/**
 * The class a client is listed under: the most urgent among its reasons; `null` with no
 * reason (the client is counted, not listed).
 */
export function triageClassOf(reasons: readonly Pick<TriageReason, 'triageClass'>[]): TriageClass | null {
  let best: TriageClass | null = null;
  for (const { triageClass } of reasons) if (best === null || triageClassRank(triageClass) < triageClassRank(best)) best = triageClass;
  return best;
}

/** What ordering needs to know about a listed client. */
export interface TriageKey {
  clientId: string;
  triageClass: TriageClass;
  reasons: readonly unknown[];
  /** The highest risk level among flags in the period and open risk tasks, if any. */
  riskLevel: RiskLevel | null;
}

/** Triage order (see the header): class, then risk level (risk class only), then reasons, then client id. */
export function compareTriage(a: TriageKey, b: TriageKey): number {
  const byClass = triageClassRank(a.triageClass) - triageClassRank(b.triageClass);
  if (byClass !== 0) return byClass;
  if (a.triageClass === 'risk') {
    const byLevel = compareLevels(b.riskLevel, a.riskLevel);
    if (byLevel !== 0) return byLevel;
  }
  const byReasons = b.reasons.length - a.reasons.length;
  if (byReasons !== 0) return byReasons;
  return a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0;
}

function compareLevels(a: RiskLevel | null, b: RiskLevel | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareRiskLevels(a, b);
}
