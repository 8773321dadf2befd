/**
 * EVERY number the matching engine scores with, in one place, with the reason for it. A ranking
 * records `MATCHING_VERSION`, so a stored match can always be explained by the values that
 * produced it: change the version whenever anything here changes.
 *
 * A therapist's total is the sum of seven components, each `weight x fit` with fit in [0, 1].
 * The weights add up to 100 for a client with a moderate primary concern, an entry in the
 * evidence table and every preference stated. A component that cannot apply to a client (no
 * gender preference given, no evidence entry for the primary concern) has a maximum of 0 rather
 * than a score everyone gets, so totals are only ever compared within one client's ranking.
 */
import type { Severity } from './input.js';

export const MATCHING_VERSION = 'matching-v1';

export const SCORE_COMPONENTS = ['specialty', 'evidence', 'availability', 'gender', 'modalities', 'language', 'caseload'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

export const WEIGHTS: Readonly<Record<ScoreComponent, number>> = {
  /** Treats what the client brings: the heart of "matched for your particular concerns". */
  specialty: 35,
  /** Uses a therapy with guideline evidence for the primary concern (evidence.ts). */
  evidence: 25,
  /** Weekly hours that overlap the client's, in absolute time: care that cannot be scheduled does not happen. */
  availability: 15,
  /**
   * Preferences the client stated. Gender weighs most of the three: for many clients it decides
   * whether they feel safe to talk at all; modalities and language order are softer wishes.
   */
  gender: 10,
  modalities: 5,
  language: 5,
  /** Prefer lower utilisation: spreads new clients across the directory and keeps caseloads sustainable. */
  caseload: 5,
};

/**
 * Specialty fit is the weighted share of the client's concerns the therapist treats. A concern
 * weighs `role x severity`: the primary counts three times as much as another concern of the
 * same severity, and always more than any other concern (3 x mild 1 > 1 x severe 2).
 */
export const CONCERN_ROLE_WEIGHT = { primary: 3, other: 1 } as const;
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { mild: 1, moderate: 1.5, severe: 2 };

/**
 * The specialty component's maximum is also scaled by the severity of the PRIMARY concern:
 * the more severe the presentation, the more expertise matters relative to convenience
 * (hours, caseload, soft preferences). Moderate is the reference (1).
 */
export const SPECIALTY_SCALE_BY_PRIMARY_SEVERITY: Readonly<Record<Severity, number>> = { mild: 0.8, moderate: 1, severe: 1.2 };

/** Severity assumed when neither the intake nor a recent measure gives one. */
export const DEFAULT_SEVERITY: Severity = 'moderate';

/** Evidence fit by the best tier of the evidence table the therapist uses for the primary concern. */
export const EVIDENCE_TIER_FIT = { recommended: 1, supported: 0.5 } as const;

/** Language fit: speaks the client's first-listed language, or only a later one. */
export const LANGUAGE_FIT = { first: 1, other: 0.5 } as const;

/** The length of a therapy session: shared hours shorter than this cannot hold one and do not count. */
export const SESSION_MINUTES = 50;

/**
 * Availability fit saturates at this much usable shared time a week (or at all of the client's
 * hours, if they gave less): a weekly session needs one slot, and 4 hours leaves room to
 * reschedule; more than that adds nothing a client would notice.
 */
export const TARGET_OVERLAP_MINUTES = 240;

/**
 * Parts of the client's day, in the client's zone, used to say which hours fit ("has evening
 * hours that fit yours"). A part is named only when at least SESSION_MINUTES of the shared
 * time fall in it.
 */
export const DAY_PARTS = [
  { part: 'morning', from: '00:00' },
  { part: 'afternoon', from: '12:00' },
  { part: 'evening', from: '17:00' },
] as const;
export type DayPart = (typeof DAY_PARTS)[number]['part'];

/** "Has plenty of room for new clients" is said when at least this share of the caseload is open. */
export const PLENTY_OF_ROOM_SHARE = 0.5;

/** How many matches a ranking returns. */
export const MATCH_COUNT = 3;
