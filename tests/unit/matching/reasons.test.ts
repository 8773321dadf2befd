import { describe, expect, it } from 'vitest';
import { MatchResultSchema, rankTherapists, type Intake, type MatchReason, type MatchTherapist } from '../../../shared/domain/matching/index.js';
import { input, intake, therapist } from './fixtures.js';

function reasons(t: Partial<MatchTherapist>, i: Partial<Intake> = {}, pinned = false): MatchReason[] {
  const result = rankTherapists(input({ intake: intake(i), therapists: [therapist({ clinicianId: 'r', ...t })], ...(pinned ? { pinnedTherapistId: 'r' } : {}) }));
  expect(MatchResultSchema.safeParse(result).success).toBe(true);
  return result.matches[0]!.reasons;
}
const texts = (list: MatchReason[]) => list.map((r) => r.text);

describe('reasons', () => {
  it('say where the therapist is licensed', () => {
    expect(reasons({}, { state: 'OH' })).toContainEqual({ kind: 'licensed', state: 'OH', text: 'licensed in Ohio' });
    expect(texts(reasons({ licenses: [{ state: 'DC', expiresOn: '2030-01-01' }] }, { state: 'DC' }))).toContain('licensed in District of Columbia');
  });

  it('say "specializes in OCD and uses ERP" when both hold', () => {
    expect(reasons({ specialties: ['ocd'], modalities: ['erp', 'cbt'] })).toContainEqual({
      kind: 'primary_concern',
      concern: 'ocd',
      modalities: ['erp'],
      text: 'specializes in OCD and uses ERP',
    });
  });

  it('name every first-line therapy used, in table order', () => {
    const list = reasons({ specialties: ['trauma_ptsd'], modalities: ['emdr', 'cpt', 'pe'] }, { concerns: [{ concern: 'trauma_ptsd', primary: true }] });
    expect(texts(list)).toContain('specializes in trauma and PTSD and uses CPT, prolonged exposure and EMDR');
  });

  it('say the specialty alone, and evidence separately, when the therapy is only supported', () => {
    const list = reasons({ specialties: ['ocd'], modalities: ['cbt'] });
    expect(texts(list)).toContain('specializes in OCD');
    expect(list).toContainEqual({ kind: 'evidence', concern: 'ocd', tier: 'supported', modalities: ['cbt'], text: 'uses CBT, which has research support for OCD' });
  });

  it('say a first-line therapy used without the specialty', () => {
    const list = reasons({ specialties: ['grief'], modalities: ['erp'] });
    expect(list.some((r) => r.kind === 'primary_concern')).toBe(false);
    expect(texts(list)).toContain('uses ERP, a first-line therapy for OCD');
  });

  it('list the other concerns treated, with "also" after the primary', () => {
    const i: Partial<Intake> = { concerns: [{ concern: 'ocd', primary: true }, { concern: 'sleep' }, { concern: 'grief' }] };
    expect(texts(reasons({ specialties: ['grief', 'ocd', 'sleep'], modalities: ['act'] }, i))).toContain('also specializes in sleep problems and grief');
    expect(texts(reasons({ specialties: ['grief'], modalities: ['act'] }, i))).toContain('specializes in grief');
  });

  it('say the languages shared, in the client\'s order, only when the client stated languages', () => {
    expect(reasons({ languages: ['en', 'es'] }, { preferences: { languages: ['es', 'en'] } })).toContainEqual({
      kind: 'language',
      languages: ['es', 'en'],
      text: 'speaks Spanish and English',
    });
    expect(reasons({ languages: ['en', 'es'] }).some((r) => r.kind === 'language')).toBe(false);
  });

  it('say the gender matched, only when preferred', () => {
    expect(texts(reasons({ gender: 'woman' }, { preferences: { therapistGender: 'woman' } }))).toContain('is a woman, as you preferred');
    expect(reasons({ gender: 'woman' }).some((r) => r.kind === 'gender')).toBe(false);
    expect(reasons({ gender: 'man' }, { preferences: { therapistGender: 'woman' } }).some((r) => r.kind === 'gender')).toBe(false);
  });

  it('say which preferred therapies are offered', () => {
    expect(texts(reasons({ modalities: ['dbt', 'act'] }, { preferences: { modalities: ['act', 'emdr', 'dbt'] } }))).toContain('offers ACT and DBT, which you asked for');
  });

  it('say "has evening hours that fit yours" with the time a week', () => {
    const list = reasons({ weekly: [{ day: 'mon', start: '17:00', end: '21:00' }, { day: 'tue', start: '18:30', end: '20:00' }] });
    expect(list).toContainEqual({ kind: 'availability', minutes: 270, parts: ['evening'], text: 'has evening hours that fit yours (4 h 30 min a week)' });
  });

  it('name only parts of the day holding a session, and still say the time when none does', () => {
    const i: Partial<Intake> = { availability: [{ days: ['wed'], start: '16:00', end: '18:00' }] };
    // 16:30-17:30: half an hour each side of 17:00.
    const list = reasons({ weekly: [{ day: 'wed', start: '16:30', end: '17:30' }] }, i);
    expect(list).toContainEqual({ kind: 'availability', minutes: 60, parts: [], text: 'has 1 h a week that fits your hours' });
    expect(reasons({ weekly: [] }, i).some((r) => r.kind === 'availability')).toBe(false);
  });

  it('say the client type for couples, families and students', () => {
    expect(texts(reasons({}, { clientType: 'couple' }))).toContain('works with couples');
    expect(texts(reasons({}, { clientType: 'student' }))).toContain('works with students');
    expect(reasons({}, { clientType: 'individual' }).some((r) => r.kind === 'client_type')).toBe(false);
  });

  it('say there is plenty of room only when at least half the caseload is open', () => {
    expect(texts(reasons({ caseloadCapacity: 10, caseloadCount: 5 }))).toContain('has plenty of room for new clients');
    expect(reasons({ caseloadCapacity: 10, caseloadCount: 6 }).some((r) => r.kind === 'capacity')).toBe(false);
  });

  it('say a pinned therapist was recommended, first', () => {
    expect(reasons({}, {}, true)[0]).toEqual({ kind: 'pinned', text: 'recommended by your consultation clinician' });
    expect(reasons({}).some((r) => r.kind === 'pinned')).toBe(false);
  });
});
