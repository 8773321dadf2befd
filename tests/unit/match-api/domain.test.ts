import { describe, expect, it } from 'vitest';
import { publicView } from '../../../shared/domain/clinicians.js';
import { rankTherapists } from '../../../shared/domain/matching/index.js';
import {
  currentMeasures,
  intakeFrom,
  intakeVersionFor,
  IntakeRequestSchema,
  matchesView,
  PinRequestSchema,
  recallStart,
  RematchRequestSchema,
} from '../../../shared/domain/matches.js';
import type { StoredAssessment } from '../../../shared/domain/monitor/assessments.js';
import { INTAKE_REQUEST, NOW, therapistProfile } from './fakes.js';

describe('IntakeRequestSchema', () => {
  it('takes the intake without a time zone (the profile gives it) and exactly one primary concern', () => {
    expect(IntakeRequestSchema.safeParse(INTAKE_REQUEST).success).toBe(true);
    expect(IntakeRequestSchema.safeParse({ ...INTAKE_REQUEST, timezone: 'America/New_York' }).success).toBe(false);
    const none = IntakeRequestSchema.safeParse({ ...INTAKE_REQUEST, concerns: [{ concern: 'ocd' }] });
    expect(none.error?.issues.map((i) => i.message)).toContain('Mark exactly one concern as the primary one.');
    const two = IntakeRequestSchema.safeParse({ ...INTAKE_REQUEST, concerns: [{ concern: 'ocd', primary: true }, { concern: 'grief', primary: true }] });
    expect(two.success).toBe(false);
    expect(IntakeRequestSchema.safeParse({ ...INTAKE_REQUEST, concerns: [{ concern: 'astrology', primary: true }] }).success).toBe(false);
    expect(IntakeRequestSchema.safeParse({ ...INTAKE_REQUEST, availability: [{ days: ['mon'], start: '18:00', end: '18:30' }] }).success).toBe(false);
  });

  it('makes the full intake with the time zone, and a client writes the draft, clinicians the confirmed version', () => {
    expect(intakeFrom(INTAKE_REQUEST, 'America/Denver').timezone).toBe('America/Denver');
    expect(intakeVersionFor('client')).toBe('draft');
    expect(intakeVersionFor('coordinator')).toBe('confirmed');
    expect(intakeVersionFor('therapist')).toBe('confirmed');
  });

  it('rematch reasons are a closed list with an optional bounded note; a pin is an id or null', () => {
    expect(RematchRequestSchema.safeParse({ reason: 'scheduling' }).success).toBe(true);
    expect(RematchRequestSchema.safeParse({ reason: 'because' }).success).toBe(false);
    expect(RematchRequestSchema.safeParse({ reason: 'other', note: 'x'.repeat(1001) }).success).toBe(false);
    expect(PinRequestSchema.safeParse({ therapistId: null }).success).toBe(true);
    expect(PinRequestSchema.safeParse({ therapistId: '../x' }).success).toBe(false);
  });
});

describe('currentMeasures', () => {
  const at = (instrument: 'phq9' | 'gad7' | 'pcl5', daysAgo: number, result: Record<string, unknown>) =>
    ({ instrument, submittedAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(), result: { instrument, ...result } }) as unknown as StoredAssessment;

  it('keeps each latest score only within its own recall period (2 weeks; PCL-5 a calendar month)', () => {
    const measures = currentMeasures(
      { phq9: at('phq9', 13, { band: { id: 'severe' } }), gad7: at('gad7', 15, { band: { id: 'mild' } }), pcl5: at('pcl5', 27, { total: 40 }) },
      NOW,
    );
    expect(measures).toEqual({ phq9: 'severe', pcl5Total: 40 });
    expect(currentMeasures({ pcl5: at('pcl5', 29, { total: 40 }) }, NOW)).toEqual({});
  });

  it('reads ISO durations of days, weeks and calendar months', () => {
    expect(recallStart('P2W', NOW).toISOString()).toBe('2026-02-18T15:00:00.000Z');
    expect(recallStart('P1M', NOW).toISOString()).toBe('2026-02-04T15:00:00.000Z');
    expect(recallStart('P3D', NOW).toISOString()).toBe('2026-03-01T15:00:00.000Z');
    expect(() => recallStart('P1Y', NOW)).toThrow(RangeError);
  });
});

describe('matchesView', () => {
  const profiles = [therapistProfile('t-a'), therapistProfile('t-b'), therapistProfile('t-full')];
  const result = rankTherapists({
    intake: intakeFrom(INTAKE_REQUEST, 'America/New_York'),
    therapists: profiles.map((p, i) => ({
      ...p,
      caseloadCapacity: 10,
      caseloadCount: p.clinicianId === 't-full' ? 10 : i * 3,
      weekly: [{ day: 'mon' as const, start: '17:00', end: '21:00' }],
    })),
    pinnedTherapistId: 't-full',
    onDate: '2026-03-04',
  });
  const byId = new Map(profiles.map((p) => [p.clinicianId, publicView(p, '2026-03-04')]));

  it('shows clients every component but caseload balance, with total and maximum without it', () => {
    const view = matchesView('c', result, byId, 'client');
    for (const [i, match] of view.matches.entries()) {
      const full = result.matches[i]!;
      const caseload = full.score.components.find((c) => c.component === 'caseload')!;
      expect(caseload.points).toBeGreaterThan(0);
      expect(match.score.components).toEqual(full.score.components.filter((c) => c.component !== 'caseload'));
      expect(match.score.total).toBeCloseTo(full.score.total - caseload.points, 6);
      expect(match.score.max).toBeCloseTo(full.score.max - caseload.max, 6);
    }
    expect(view.directory).toBeUndefined();
    expect(view.pin).toBeUndefined();
    expect(view.ranking).toMatch(/more room/);
  });

  it('shows clinicians the whole ranking with the directory counts and the pin outcome', () => {
    const view = matchesView('c', result, byId, 'clinician');
    expect(view.matches.map((m) => m.score)).toEqual(result.matches.map((m) => m.score));
    expect(view.directory).toEqual({ size: 3, eligible: 2, excluded: result.excluded.byReason });
    expect(view.pin).toMatchObject({ therapistId: 't-full', outcome: 'excluded', exclusions: ['caseload_full'] });
  });

  it('leaves out a therapist whose profile is gone, renumbering the ranks', () => {
    const view = matchesView('c', result, new Map([...byId].filter(([id]) => id !== result.matches[0]!.therapistId)), 'client');
    expect(view.matches.map((m) => m.rank)).toEqual([1]);
    expect(view.matches[0]!.therapistId).toBe(result.matches[1]!.therapistId);
  });
});
