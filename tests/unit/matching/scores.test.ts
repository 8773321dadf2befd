import { describe, expect, it } from 'vitest';
import {
  concernSeverity,
  maxTotal,
  prepareClient,
  rankTherapists,
  scoreTherapist,
  SCORE_COMPONENTS,
  WEIGHTS,
  type Intake,
  type MatchTherapist,
  type ScoreComponent,
} from '../../../shared/domain/matching/index.js';
import { input, intake, ON_DATE, therapist } from './fixtures.js';

function points(t: MatchTherapist, i: Intake = intake(), measures?: Parameters<typeof prepareClient>[2]) {
  const scored = scoreTherapist(t, prepareClient(i, ON_DATE, measures));
  return Object.fromEntries(scored.components.map((c) => [c.component, c.points])) as Record<ScoreComponent, number>;
}
const maxOf = (i: Intake, component: ScoreComponent) => prepareClient(i, ON_DATE).max[component];

describe('weights', () => {
  it('add up to 100 for a moderate primary concern with evidence and every preference stated', () => {
    expect(SCORE_COMPONENTS.reduce((sum, c) => sum + WEIGHTS[c], 0)).toBe(100);
    const full = intake({
      concerns: [{ concern: 'ocd', primary: true, severity: 'moderate' }],
      preferences: { therapistGender: 'woman', languages: ['en'], modalities: ['erp'] },
    });
    expect(maxTotal(prepareClient(full, ON_DATE))).toBe(100);
  });
});

describe('specialty fit', () => {
  const two = (severities: { ocd?: 'mild' | 'moderate' | 'severe'; grief?: 'mild' | 'moderate' | 'severe' } = {}) =>
    intake({
      concerns: [
        { concern: 'ocd', primary: true, ...(severities.ocd ? { severity: severities.ocd } : {}) },
        { concern: 'grief', ...(severities.grief ? { severity: severities.grief } : {}) },
      ],
    });

  it('is full for a therapist who treats every concern, and zero for one who treats none', () => {
    expect(points(therapist({ specialties: ['ocd', 'grief', 'sleep'] }), two()).specialty).toBe(35);
    expect(points(therapist({ specialties: ['sleep'] }), two()).specialty).toBe(0);
  });

  it('weighs the primary concern three times another of the same severity', () => {
    expect(points(therapist({ specialties: ['ocd'] }), two()).specialty).toBe(26.25); // 35 x 3/4
    expect(points(therapist({ specialties: ['grief'] }), two()).specialty).toBe(8.75); // 35 x 1/4
  });

  it('weighs the primary more than any other concern, even a mild primary against a severe other', () => {
    const i = two({ ocd: 'mild', grief: 'severe' });
    expect(points(therapist({ specialties: ['ocd'] }), i).specialty).toBeGreaterThan(points(therapist({ specialties: ['grief'] }), i).specialty);
  });

  it('weighs a more severe concern more', () => {
    const mildGrief = points(therapist({ specialties: ['grief'] }), two({ grief: 'mild' })).specialty;
    const severeGrief = points(therapist({ specialties: ['grief'] }), two({ grief: 'severe' })).specialty;
    expect(severeGrief).toBeGreaterThan(mildGrief);
  });

  it('counts for more when the primary concern is severe, and less when it is mild', () => {
    expect(maxOf(two({ ocd: 'mild' }), 'specialty')).toBe(28);
    expect(maxOf(two({ ocd: 'moderate' }), 'specialty')).toBe(35);
    expect(maxOf(two({ ocd: 'severe' }), 'specialty')).toBe(42);
  });

  it('takes severity from the latest measure when the intake gives none', () => {
    const depressed = intake({ concerns: [{ concern: 'depression', primary: true }] });
    expect(prepareClient(depressed, ON_DATE, { phq9: 'severe' }).max.specialty).toBe(42);
    expect(prepareClient(depressed, ON_DATE, { phq9: 'mild' }).max.specialty).toBe(28);
    expect(prepareClient(depressed, ON_DATE).max.specialty).toBe(35);
  });
});

describe('severity', () => {
  it('prefers the clinician\'s judgement, then the measure for that concern, then moderate', () => {
    expect(concernSeverity({ concern: 'depression', severity: 'mild' }, { phq9: 'severe' })).toEqual({ severity: 'mild', source: 'intake' });
    expect(concernSeverity({ concern: 'depression' }, { phq9: 'moderately_severe' })).toEqual({ severity: 'severe', source: 'phq9' });
    expect(concernSeverity({ concern: 'depression' }, { phq9: 'moderate' })).toEqual({ severity: 'moderate', source: 'phq9' });
    expect(concernSeverity({ concern: 'depression' }, { phq9: 'minimal' })).toEqual({ severity: 'mild', source: 'phq9' });
    expect(concernSeverity({ concern: 'anxiety' }, { gad7: 'severe' })).toEqual({ severity: 'severe', source: 'gad7' });
    expect(concernSeverity({ concern: 'anxiety' }, { gad7: 'mild' })).toEqual({ severity: 'mild', source: 'gad7' });
    expect(concernSeverity({ concern: 'grief' }, { phq9: 'severe', gad7: 'severe' })).toEqual({ severity: 'moderate', source: 'default' });
  });

  it('reads a PCL-5 total at or above the probable-PTSD cut-off (33) as severe, and below it as nothing', () => {
    expect(concernSeverity({ concern: 'trauma_ptsd' }, { pcl5Total: 33 })).toEqual({ severity: 'severe', source: 'pcl5' });
    expect(concernSeverity({ concern: 'trauma_ptsd' }, { pcl5Total: 32 })).toEqual({ severity: 'moderate', source: 'default' });
  });
});

describe('evidence fit (primary concern only)', () => {
  it('is full for a first-line therapy, half for a supported one, zero otherwise', () => {
    expect(points(therapist({ modalities: ['erp'] })).evidence).toBe(25);
    expect(points(therapist({ modalities: ['cbt'] })).evidence).toBe(12.5);
    expect(points(therapist({ modalities: ['emdr'] })).evidence).toBe(0);
  });

  it('follows the primary concern, not the others', () => {
    const i = intake({ concerns: [{ concern: 'trauma_ptsd', primary: true }, { concern: 'ocd' }] });
    expect(points(therapist({ modalities: ['erp'] }), i).evidence).toBe(0);
    expect(points(therapist({ modalities: ['emdr'] }), i).evidence).toBe(25);
  });

  it('does not apply to a primary concern without an evidence entry', () => {
    const i = intake({ concerns: [{ concern: 'grief', primary: true }] });
    expect(maxOf(i, 'evidence')).toBe(0);
    expect(points(therapist({ modalities: ['cbt'] }), i).evidence).toBe(0);
  });
});

describe('preferences', () => {
  it('gender: full when the therapist is the preferred gender, zero otherwise or when not shared', () => {
    const i = intake({ preferences: { therapistGender: 'non_binary' } });
    expect(points(therapist({ gender: 'non_binary' }), i).gender).toBe(10);
    expect(points(therapist({ gender: 'woman' }), i).gender).toBe(0);
    expect(points(therapist({}), i).gender).toBe(0);
    expect(maxOf(intake(), 'gender')).toBe(0);
  });

  it('modalities: the share of the preferred therapies the therapist offers', () => {
    const i = intake({ preferences: { modalities: ['dbt', 'act'] } });
    expect(points(therapist({ modalities: ['act', 'dbt'] }), i).modalities).toBe(5);
    expect(points(therapist({ modalities: ['act'] }), i).modalities).toBe(2.5);
    expect(points(therapist({ modalities: ['cbt'] }), i).modalities).toBe(0);
    expect(maxOf(intake(), 'modalities')).toBe(0);
  });

  it('language: full for the first-listed language, half for a later one, and none unless stated', () => {
    const i = intake({ preferences: { languages: ['es', 'en'] } });
    expect(points(therapist({ languages: ['es'] }), i).language).toBe(5);
    expect(points(therapist({ languages: ['en'] }), i).language).toBe(2.5);
    expect(maxOf(intake(), 'language')).toBe(0);
  });
});

describe('availability fit', () => {
  const client = intake({ availability: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '21:00' }] });

  it('grows with shared hours up to 4 hours a week', () => {
    const hours = (weekly: MatchTherapist['weekly']) => points(therapist({ weekly }), client).availability;
    expect(hours([])).toBe(0);
    expect(hours([{ day: 'mon', start: '18:00', end: '20:00' }])).toBe(7.5); // 2 h of 4
    expect(hours([{ day: 'mon', start: '18:00', end: '21:00' }, { day: 'tue', start: '18:00', end: '19:00' }])).toBe(15); // 4 h
    expect(hours([{ day: 'mon', start: '12:00', end: '24:00' }, { day: 'tue', start: '12:00', end: '24:00' }])).toBe(15); // 6 h, capped
  });

  it('is full when a therapist covers all of a client who offers less than 4 hours', () => {
    const narrow = intake({ availability: [{ days: ['sat'], start: '10:00', end: '11:00' }] });
    expect(points(therapist({ weekly: [{ day: 'sat', start: '09:00', end: '17:00' }] }), narrow).availability).toBe(15);
  });
});

describe('caseload balance', () => {
  it('prefers lower utilisation', () => {
    expect(points(therapist({ caseloadCapacity: 10, caseloadCount: 0 })).caseload).toBe(5);
    expect(points(therapist({ caseloadCapacity: 10, caseloadCount: 5 })).caseload).toBe(2.5);
    expect(points(therapist({ caseloadCapacity: 10, caseloadCount: 9 })).caseload).toBe(0.5);
  });
});

describe('totals', () => {
  it('are the sum of the component points, to the hundredth, and never above the maximum', () => {
    const i = intake({
      concerns: [{ concern: 'depression', primary: true }, { concern: 'sleep', severity: 'severe' }, { concern: 'grief', severity: 'mild' }],
      preferences: { modalities: ['ipt', 'act', 'cbt'] },
    });
    const result = rankTherapists(input({ intake: i, therapists: [therapist({ clinicianId: 'x', specialties: ['sleep', 'depression'], modalities: ['act', 'ipt'], caseloadCount: 3 })] }));
    const [match] = result.matches;
    const sum = match!.score.components.reduce((s, c) => s + Math.round(c.points * 100), 0) / 100;
    expect(match!.score.total).toBe(sum);
    expect(match!.score.total).toBeLessThanOrEqual(match!.score.max);
    for (const c of match!.score.components) expect(c.points).toBeLessThanOrEqual(c.max);
  });
});
