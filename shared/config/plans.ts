/**
 * The treatment plan's settings, in ONE place (shared/domain/plans/).
 *
 * | variable                        | default | meaning                                                              |
 * |---------------------------------|---------|----------------------------------------------------------------------|
 * | PLAN_REVIEW_DAYS                | 90      | a new version's review date, days after it is written, unless given  |
 * | PLAN_NOT_ON_TRACK_SESSIONS      | 6       | "not working" is checked after this many attended sessions...        |
 * | (thresholds.care.notOnTrackAfterWeeks) | 8 | ...or after 8 weeks of the course, whichever comes first         |
 *
 * Sources: a review at least every 90 days (DESIGN.md "Manage": the payer norm); not on track =
 * no reliable improvement and no response after 8 weeks of care (DESIGN.md "Clinical rules";
 * shared/domain/instruments/thresholds.ts); 6 attended sessions: issue 10 (at a weekly cadence,
 * 8 weeks with the usual cancellations; measures at sessions 1, 2, 3, 5, 8, DESIGN.md
 * "Progress reviews", give at least 4 scores by then).
 *
 * Unset = default; a set but invalid value fails at cold start, naming the variable.
 */
import * as z from 'zod';
import { DEFAULT_THRESHOLDS } from '../domain/instruments/thresholds.js';
import type { PlanCheckRules } from '../domain/plans/progress.js';
import { ConfigurationError } from './environment.js';

export const DEFAULT_PLAN_REVIEW_DAYS = 90;
export const DEFAULT_NOT_ON_TRACK_SESSIONS = 6;

export interface PlanSettings {
  reviewDays: number;
  check: PlanCheckRules;
}

export const DEFAULT_PLAN_SETTINGS: PlanSettings = {
  reviewDays: DEFAULT_PLAN_REVIEW_DAYS,
  check: { notOnTrackAfterWeeks: DEFAULT_THRESHOLDS.care.notOnTrackAfterWeeks, notOnTrackAfterSessions: DEFAULT_NOT_ON_TRACK_SESSIONS },
};

const Whole = (max: number) => z.coerce.number().int().min(1).max(max);

export function readPlanSettings(source: Record<string, string | undefined> = process.env): PlanSettings {
  const bad: string[] = [];
  const read = (name: string, max: number, fallback: number): number => {
    const raw = source[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const parsed = Whole(max).safeParse(raw.trim());
    if (!parsed.success) {
      bad.push(name);
      return fallback;
    }
    return parsed.data;
  };
  const reviewDays = read('PLAN_REVIEW_DAYS', 365, DEFAULT_PLAN_REVIEW_DAYS);
  const sessions = read('PLAN_NOT_ON_TRACK_SESSIONS', 52, DEFAULT_NOT_ON_TRACK_SESSIONS);
  if (bad.length > 0) throw new ConfigurationError(bad);
  return { reviewDays, check: { ...DEFAULT_PLAN_SETTINGS.check, notOnTrackAfterSessions: sessions } };
}
