import { describe, expect, it } from 'vitest';
import { IntakeSchema, MatchInputSchema, MatchTherapistSchema } from '../../../shared/domain/matching/index.js';
import { input, intake, therapist } from './fixtures.js';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

describe('intake schema', () => {
  it('accepts a complete intake', () => {
    const full = intake({
      concerns: [{ concern: 'ocd', primary: true, severity: 'severe' }, { concern: 'depression' }],
      preferences: { therapistGender: 'woman', languages: ['es', 'en'], modalities: ['erp'], notes: 'Prefers video in the evening.' },
    });
    expect(IntakeSchema.parse(full)).toEqual(full);
  });

  it('needs exactly one primary concern, each concern once', () => {
    expect(messages(IntakeSchema.safeParse(intake({ concerns: [{ concern: 'ocd' }] })))).toContain('Mark exactly one concern as the primary one.');
    expect(
      messages(IntakeSchema.safeParse(intake({ concerns: [{ concern: 'ocd', primary: true }, { concern: 'grief', primary: true }] }))),
    ).toContain('Mark exactly one concern as the primary one.');
    expect(messages(IntakeSchema.safeParse(intake({ concerns: [{ concern: 'ocd', primary: true }, { concern: 'ocd' }] })))).toContain('List each concern once.');
    expect(IntakeSchema.safeParse(intake({ concerns: [{ concern: 'worry' as never, primary: true }] })).success).toBe(false);
  });

  it('needs availability windows long enough for a session', () => {
    expect(IntakeSchema.safeParse(intake({ availability: [] })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ availability: [{ days: ['mon'], start: '12:00', end: '12:30' }] })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ availability: [{ days: ['mon'], start: '20:00', end: '19:00' }] })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ availability: [{ days: ['mon', 'mon'], start: '18:00', end: '20:00' }] })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ availability: [{ days: ['sun'], start: '23:00', end: '24:00' }] })).success).toBe(true);
  });

  it('checks languages, state, zone and client type', () => {
    expect(IntakeSchema.safeParse(intake({ preferences: { languages: ['english' as never] } })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ state: 'XX' as never })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ timezone: 'Mars/Olympus' })).success).toBe(false);
    expect(IntakeSchema.safeParse(intake({ clientType: 'group' as never })).success).toBe(false);
  });
});

describe('match input schema', () => {
  it('accepts a clinician profile with hours and a caseload as a therapist (extra fields ignored)', () => {
    const parsed = MatchTherapistSchema.parse({ ...therapist(), firstName: 'Rowan', bio: 'Synthetic.' });
    expect(parsed).toEqual(therapist());
  });

  it('rejects a directory listing a therapist twice, and a bad date', () => {
    expect(messages(MatchInputSchema.safeParse(input({ therapists: [therapist(), therapist()] })))).toContain('Each therapist appears once.');
    expect(MatchInputSchema.safeParse(input({ onDate: '2026-02-30' })).success).toBe(false);
    expect(MatchInputSchema.safeParse(input({ therapists: [therapist()] })).success).toBe(true);
  });
});
