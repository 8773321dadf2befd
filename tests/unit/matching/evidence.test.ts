import { describe, expect, it } from 'vitest';
import { MODALITIES, SPECIALTIES, type Modality, type Specialty } from '../../../shared/domain/clinicians.js';
import { bestEvidenceTier, EVIDENCE, EVIDENCE_REFERENCES, evidenceModalitiesUsed } from '../../../shared/domain/matching/index.js';

describe('evidence table', () => {
  // The mappings the product asks for (issue 5), each a first-line therapy.
  const required: [Specialty, Modality[]][] = [
    ['ocd', ['erp']],
    ['trauma_ptsd', ['cpt', 'pe', 'emdr']],
    ['depression', ['cbt', 'behavioral_activation', 'ipt']],
    ['anxiety', ['cbt']],
    ['self_harm', ['dbt']],
    ['relationships', ['couples_therapy']],
    ['family_conflict', ['family_systems']],
  ];

  it.each(required)('recommends for %s: %j', (concern, modalities) => {
    for (const m of modalities) expect(EVIDENCE[concern]?.recommended).toContain(m);
  });

  it('uses only known concerns and therapies, each at most once per concern', () => {
    for (const [concern, entry] of Object.entries(EVIDENCE)) {
      expect(SPECIALTIES).toContain(concern);
      const all = [...entry.recommended, ...entry.supported];
      for (const m of all) expect(MODALITIES).toContain(m);
      expect(new Set(all).size).toBe(all.length);
      expect(entry.recommended.length).toBeGreaterThan(0);
    }
  });

  it('cites at least one known source for every entry', () => {
    for (const entry of Object.values(EVIDENCE)) {
      expect(entry.sources.length).toBeGreaterThan(0);
      for (const source of entry.sources) expect(Object.keys(EVIDENCE_REFERENCES)).toContain(source);
    }
  });

  it('has no entry for concerns without a guideline-preferred therapy', () => {
    for (const concern of ['grief', 'stress', 'work_career', 'life_transitions', 'self_esteem'] as const) expect(EVIDENCE[concern]).toBeUndefined();
  });

  it('finds the best tier and the therapies used in it, in table order', () => {
    expect(bestEvidenceTier('trauma_ptsd', ['cbt', 'emdr', 'cpt'])).toBe('recommended');
    expect(evidenceModalitiesUsed('trauma_ptsd', 'recommended', ['cbt', 'emdr', 'cpt'])).toEqual(['cpt', 'emdr']);
    expect(bestEvidenceTier('ocd', ['cbt'])).toBe('supported');
    expect(bestEvidenceTier('ocd', ['emdr'])).toBeUndefined();
    expect(bestEvidenceTier('grief', ['cbt'])).toBeUndefined();
  });
});
