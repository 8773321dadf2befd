/**
 * The score components. Each gives a fit in [0, 1]; points = fit x the component's maximum
 * (weights.ts). Everything a component needs about the client is prepared once per ranking
 * (`prepareClient`), so scoring one therapist is a few array lookups and one overlap walk.
 */
import type { Gender, Modality, Specialty } from '../clinicians.js';
import { ClientWeek, type WeeklyOverlap } from './availability.js';
import { EVIDENCE, evidenceModalitiesUsed, type EvidenceEntry, type EvidenceTier } from './evidence.js';
import { DEFAULT_LANGUAGES } from './filters.js';
import type { Intake, LatestMeasures, MatchTherapist, Severity } from './input.js';
import type { ComponentScore } from './result.js';
import { concernSeverity, type SeveritySource } from './severity.js';
import {
  CONCERN_ROLE_WEIGHT,
  EVIDENCE_TIER_FIT,
  LANGUAGE_FIT,
  SCORE_COMPONENTS,
  SEVERITY_WEIGHT,
  SPECIALTY_SCALE_BY_PRIMARY_SEVERITY,
  TARGET_OVERLAP_MINUTES,
  WEIGHTS,
  type ScoreComponent,
} from './weights.js';

export interface WeightedConcern {
  concern: Specialty;
  primary: boolean;
  severity: Severity;
  severitySource: SeveritySource;
  /** role x severity */
  weight: number;
}

/** The client, prepared for scoring. */
export interface PreparedClient {
  primary: Specialty;
  concerns: WeightedConcern[];
  totalConcernWeight: number;
  evidence: EvidenceEntry | undefined;
  /** Languages the client can have therapy in, most preferred first. */
  languages: readonly string[];
  languagesStated: boolean;
  gender: Gender | undefined;
  modalities: readonly Modality[] | undefined;
  week: ClientWeek;
  /** Shared minutes that count as a full availability fit. */
  availabilityTarget: number;
  /** Each component's maximum for this client (0: does not apply). */
  max: Record<ScoreComponent, number>;
}

export function prepareClient(intake: Intake, onDate: string, measures?: LatestMeasures): PreparedClient {
  const concerns = intake.concerns.map((c) => {
    const { severity, source } = concernSeverity(c, measures);
    const primary = c.primary === true;
    return {
      concern: c.concern,
      primary,
      severity,
      severitySource: source,
      weight: (primary ? CONCERN_ROLE_WEIGHT.primary : CONCERN_ROLE_WEIGHT.other) * SEVERITY_WEIGHT[severity],
    };
  });
  const primaryConcern = concerns.find((c) => c.primary);
  if (!primaryConcern) throw new RangeError('An intake marks exactly one concern as primary.');
  const evidence = EVIDENCE[primaryConcern.concern];
  const preferences = intake.preferences ?? {};
  const week = new ClientWeek(intake.availability, intake.timezone, onDate);
  const stated = preferences.languages !== undefined;
  return {
    primary: primaryConcern.concern,
    concerns,
    totalConcernWeight: concerns.reduce((sum, c) => sum + c.weight, 0),
    evidence,
    languages: preferences.languages ?? DEFAULT_LANGUAGES,
    languagesStated: stated,
    gender: preferences.therapistGender,
    modalities: preferences.modalities,
    week,
    availabilityTarget: Math.min(TARGET_OVERLAP_MINUTES, week.usableMinutes),
    max: {
      specialty: WEIGHTS.specialty * SPECIALTY_SCALE_BY_PRIMARY_SEVERITY[primaryConcern.severity],
      evidence: evidence ? WEIGHTS.evidence : 0,
      availability: WEIGHTS.availability,
      gender: preferences.therapistGender !== undefined ? WEIGHTS.gender : 0,
      modalities: preferences.modalities !== undefined ? WEIGHTS.modalities : 0,
      language: stated ? WEIGHTS.language : 0,
      caseload: WEIGHTS.caseload,
    },
  };
}

/** What scoring found out about a therapist: the fits, and the facts reasons are made of. */
export interface TherapistFacts {
  fit: Record<ScoreComponent, number>;
  /** The client's concerns the therapist treats, in intake order. */
  matchedConcerns: Specialty[];
  evidenceTier: EvidenceTier | undefined;
  /** Modalities of `evidenceTier` for the primary concern that the therapist uses, in table order. */
  evidenceModalities: Modality[];
  /** The client's languages the therapist speaks, in the client's order. */
  sharedLanguages: string[];
  genderMatches: boolean;
  /** Preferred modalities the therapist uses, in the client's order. */
  preferredModalities: Modality[];
  overlap: WeeklyOverlap;
  /** Open share of the caseload, (capacity - count) / capacity. */
  openShare: number;
}

export interface ScoredTherapist {
  therapist: MatchTherapist;
  facts: TherapistFacts;
  components: ComponentScore[];
  /** In hundredths of a point: integer sums keep totals exact, so ties are real ties. */
  totalCentipoints: number;
}

/** Scores one therapist who passed the hard filters. */
export function scoreTherapist(therapist: MatchTherapist, client: PreparedClient): ScoredTherapist {
  let treated = 0;
  const matchedConcerns: Specialty[] = [];
  for (const c of client.concerns) {
    if (therapist.specialties.includes(c.concern)) {
      treated += c.weight;
      matchedConcerns.push(c.concern);
    }
  }

  let evidenceTier: EvidenceTier | undefined;
  let evidenceModalities: Modality[] = [];
  if (client.evidence) {
    for (const tier of ['recommended', 'supported'] as const) {
      const used = evidenceModalitiesUsed(client.primary, tier, therapist.modalities);
      if (used.length > 0) {
        evidenceTier = tier;
        evidenceModalities = used;
        break;
      }
    }
  }

  const sharedLanguages = client.languages.filter((l) => therapist.languages.includes(l));
  const genderMatches = client.gender !== undefined && therapist.gender === client.gender;
  const preferredModalities = client.modalities ? client.modalities.filter((m) => therapist.modalities.includes(m)) : [];
  const overlap = client.week.overlap(therapist);
  const openShare = therapist.caseloadCapacity > 0 ? (therapist.caseloadCapacity - therapist.caseloadCount) / therapist.caseloadCapacity : 0;

  const fit: Record<ScoreComponent, number> = {
    specialty: client.totalConcernWeight > 0 ? treated / client.totalConcernWeight : 0,
    evidence: evidenceTier ? EVIDENCE_TIER_FIT[evidenceTier] : 0,
    availability: client.availabilityTarget > 0 ? Math.min(1, overlap.minutes / client.availabilityTarget) : 0,
    gender: genderMatches ? 1 : 0,
    modalities: client.modalities ? preferredModalities.length / client.modalities.length : 0,
    language: sharedLanguages[0] === undefined ? 0 : sharedLanguages[0] === client.languages[0] ? LANGUAGE_FIT.first : LANGUAGE_FIT.other,
    caseload: Math.max(0, openShare),
  };

  let totalCentipoints = 0;
  const components = SCORE_COMPONENTS.map((component) => {
    const max = client.max[component];
    const centipoints = Math.round(max * fit[component] * 100);
    totalCentipoints += centipoints;
    return { component, points: centipoints / 100, max };
  });

  return {
    therapist,
    facts: { fit, matchedConcerns, evidenceTier, evidenceModalities, sharedLanguages, genderMatches, preferredModalities, overlap, openShare },
    components,
    totalCentipoints,
  };
}

/** The maximum total for this client (sum of the components that apply). */
export function maxTotal(client: PreparedClient): number {
  return SCORE_COMPONENTS.reduce((sum, c) => sum + Math.round(client.max[c] * 100), 0) / 100;
}
