/**
 * The severity of each of the client's concerns: the consultation clinician's judgement when the
 * intake gives one, else the latest measure for that concern, else DEFAULT_SEVERITY.
 *
 * Measures map to concerns one to one (PHQ-9 -> depression, GAD-7 -> anxiety, PCL-5 ->
 * trauma_ptsd); other concerns have no instrument here. Bands [Kroenke 2001; Spitzer 2006, as in
 * instruments/thresholds.ts] fold into three levels: minimal and mild -> mild; moderate ->
 * moderate; moderately severe and severe -> severe. The PCL-5 has no bands: a total at or above
 * the probable-PTSD cut-off (thresholds.ts, [Weathers 2013; Bovin 2016]) counts as severe, and a
 * total below it says nothing about severity (a screen below cut-off is not "mild PTSD").
 */
import type { Specialty } from '../clinicians.js';
import { DEFAULT_THRESHOLDS, type Gad7BandId, type Phq9BandId } from '../instruments/thresholds.js';
import type { ClientConcern, LatestMeasures, Severity } from './input.js';
import { DEFAULT_SEVERITY } from './weights.js';

export const PHQ9_BAND_SEVERITY: Readonly<Record<Phq9BandId, Severity>> = {
  minimal: 'mild',
  mild: 'mild',
  moderate: 'moderate',
  moderately_severe: 'severe',
  severe: 'severe',
};

export const GAD7_BAND_SEVERITY: Readonly<Record<Gad7BandId, Severity>> = {
  minimal: 'mild',
  mild: 'mild',
  moderate: 'moderate',
  severe: 'severe',
};

export const SEVERITY_SOURCES = ['intake', 'phq9', 'gad7', 'pcl5', 'default'] as const;
export type SeveritySource = (typeof SEVERITY_SOURCES)[number];

export interface ConcernSeverity {
  severity: Severity;
  source: SeveritySource;
}

function measuredSeverity(concern: Specialty, measures: LatestMeasures | undefined, pcl5ProbableFrom: number): ConcernSeverity | undefined {
  if (!measures) return undefined;
  if (concern === 'depression' && measures.phq9 !== undefined) return { severity: PHQ9_BAND_SEVERITY[measures.phq9], source: 'phq9' };
  if (concern === 'anxiety' && measures.gad7 !== undefined) return { severity: GAD7_BAND_SEVERITY[measures.gad7], source: 'gad7' };
  if (concern === 'trauma_ptsd' && measures.pcl5Total !== undefined && measures.pcl5Total >= pcl5ProbableFrom) {
    return { severity: 'severe', source: 'pcl5' };
  }
  return undefined;
}

/** The severity used for one concern, and where it came from. */
export function concernSeverity(
  concern: ClientConcern,
  measures?: LatestMeasures,
  pcl5ProbableFrom: number = DEFAULT_THRESHOLDS.pcl5.probablePtsdFrom,
): ConcernSeverity {
  if (concern.severity !== undefined) return { severity: concern.severity, source: 'intake' };
  return measuredSeverity(concern.concern, measures, pcl5ProbableFrom) ?? { severity: DEFAULT_SEVERITY, source: 'default' };
}
