/**
 * Independent restatements of what the engine claims, for the property tests: written from
 * the rules, not from the engine's code (hours go through scheduling's `openIntervals`, parts
 * of the day are read off a clock in the client's zone step by step).
 */
import { TZDate } from '@date-fns/tz';
import { expect } from 'vitest';
import {
  CLIENT_TYPE_LABELS,
  CONCERN_LABELS,
  EVIDENCE,
  GENDER_LABELS,
  languageLabel,
  MODALITY_LABELS,
  type Match,
  type MatchInput,
  type MatchReason,
  type MatchTherapist,
} from '../../../shared/domain/matching/index.js';
import { openIntervals, zonedInstant, type Interval, type WeeklyRule } from '../../../shared/domain/scheduling.js';
import { US_STATES } from '../../../shared/domain/us-states.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const STEP = 15 * MINUTE;

/** Passes every hard filter, by the letter of the rules. */
export function eligibleByRule(t: MatchTherapist, input: MatchInput): boolean {
  const languages = input.intake.preferences?.languages ?? ['en'];
  return (
    t.licenses.some((l) => l.state === input.intake.state && l.expiresOn >= input.onDate) &&
    t.clientTypes.includes(input.intake.clientType) &&
    t.languages.some((l) => languages.includes(l as never)) &&
    !(input.leftTherapistIds ?? []).includes(t.clinicianId) &&
    t.acceptingNewClients &&
    t.caseloadCount < t.caseloadCapacity
  );
}

function nextMonday(date: string): string {
  for (let d = 0; d < 7; d += 1) {
    const candidate = new Date(Date.parse(`${date}T12:00:00Z`) + d * DAY);
    if (candidate.getUTCDay() === 1) return candidate.toISOString().slice(0, 10);
  }
  throw new Error('unreachable');
}

/** Shared usable minutes in the reference week, and by part of the client's day. */
export function referenceOverlap(input: MatchInput, t: MatchTherapist): { minutes: number; byPart: Record<'morning' | 'afternoon' | 'evening', number> } {
  const zone = input.intake.timezone;
  const monday = nextMonday(input.onDate);
  const weekStart = zonedInstant(monday, '00:00', zone);
  const weekEnd = zonedInstant(new Date(Date.parse(`${monday}T12:00:00Z`) + 7 * DAY).toISOString().slice(0, 10), '00:00', zone);
  const from = weekStart - 3 * DAY;
  const to = weekEnd + 3 * DAY;
  const clientRules: WeeklyRule[] = input.intake.availability.flatMap((w) => w.days.map((day) => ({ day, start: w.start, end: w.end })));
  const client = openIntervals({ weekly: clientRules, exceptions: [] }, zone, from, to);
  const therapist = openIntervals({ weekly: t.weekly, exceptions: [] }, t.timezone, from, to);
  const shared: Interval[] = [];
  for (const c of client) {
    for (const h of therapist) {
      const start = Math.max(c.start, h.start);
      const end = Math.min(c.end, h.end);
      if (end - start >= 50 * MINUTE) shared.push({ start: Math.max(start, weekStart), end: Math.min(end, weekEnd) });
    }
  }
  const result = { minutes: 0, byPart: { morning: 0, afternoon: 0, evening: 0 } };
  for (const s of shared) {
    for (let at = s.start; at < s.end; at += STEP) {
      const hour = new TZDate(at, zone).getHours();
      const part = hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
      result.byPart[part] += STEP / MINUTE;
      result.minutes += STEP / MINUTE;
    }
  }
  return result;
}

/** Fails the test unless `reason` is true of `t` for this client. */
export function expectReasonTrue(reason: MatchReason, t: MatchTherapist, input: MatchInput, match: Match): void {
  const { intake } = input;
  const primary = intake.concerns.find((c) => c.primary)!.concern;
  const prefs = intake.preferences ?? {};
  switch (reason.kind) {
    case 'pinned':
      expect(input.pinnedTherapistId).toBe(t.clinicianId);
      expect(match.rank).toBe(1);
      return;
    case 'licensed':
      expect(reason.state).toBe(intake.state);
      expect(t.licenses.some((l) => l.state === reason.state && l.expiresOn >= input.onDate)).toBe(true);
      expect(reason.text).toBe(`licensed in ${US_STATES[reason.state]}`);
      return;
    case 'client_type':
      expect(reason.clientType).toBe(intake.clientType);
      expect(t.clientTypes).toContain(reason.clientType);
      expect(reason.text).toContain(CLIENT_TYPE_LABELS[reason.clientType]);
      return;
    case 'primary_concern':
      expect(reason.concern).toBe(primary);
      expect(t.specialties).toContain(primary);
      for (const m of reason.modalities) {
        expect(t.modalities).toContain(m);
        expect(EVIDENCE[primary]?.recommended).toContain(m);
        expect(reason.text).toContain(MODALITY_LABELS[m]);
      }
      expect(reason.text).toContain(CONCERN_LABELS[primary]);
      return;
    case 'other_concerns':
      expect(reason.concerns.length).toBeGreaterThan(0);
      for (const c of reason.concerns) {
        expect(t.specialties).toContain(c);
        expect(c).not.toBe(primary);
        expect(intake.concerns.map((x) => x.concern)).toContain(c);
        expect(reason.text).toContain(CONCERN_LABELS[c]);
      }
      return;
    case 'evidence':
      expect(reason.concern).toBe(primary);
      expect(reason.modalities.length).toBeGreaterThan(0);
      for (const m of reason.modalities) {
        expect(t.modalities).toContain(m);
        expect(EVIDENCE[primary]?.[reason.tier]).toContain(m);
        expect(reason.text).toContain(MODALITY_LABELS[m]);
      }
      return;
    case 'language':
      expect(reason.languages.length).toBeGreaterThan(0);
      for (const l of reason.languages) {
        expect(t.languages).toContain(l);
        expect(prefs.languages).toContain(l);
        expect(reason.text).toContain(languageLabel(l));
      }
      return;
    case 'gender':
      expect(t.gender).toBe(reason.gender);
      expect(prefs.therapistGender).toBe(reason.gender);
      expect(reason.text).toContain(GENDER_LABELS[reason.gender]);
      return;
    case 'modalities':
      expect(reason.modalities.length).toBeGreaterThan(0);
      for (const m of reason.modalities) {
        expect(t.modalities).toContain(m);
        expect(prefs.modalities).toContain(m);
      }
      return;
    case 'availability': {
      const truth = referenceOverlap(input, t);
      expect(reason.minutes).toBeGreaterThan(0);
      expect(reason.minutes).toBe(truth.minutes);
      expect(reason.parts).toEqual((['morning', 'afternoon', 'evening'] as const).filter((p) => truth.byPart[p] >= 50));
      for (const p of reason.parts) expect(reason.text).toContain(p);
      return;
    }
    case 'capacity':
      expect((t.caseloadCapacity - t.caseloadCount) * 2).toBeGreaterThanOrEqual(t.caseloadCapacity);
      return;
    default: {
      const unknown: never = reason;
      throw new Error(`Unchecked reason ${JSON.stringify(unknown)}`);
    }
  }
}
