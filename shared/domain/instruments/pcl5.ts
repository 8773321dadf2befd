/**
 * PCL-5 (PTSD Checklist for DSM-5): PTSD symptom severity in the past month, standard form
 * (without the Criterion A event questions; the person keeps their worst stressful experience
 * in mind).
 *
 * Source and terms: Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. The PTSD
 * Checklist for DSM-5 (PCL-5). National Center for PTSD, 2013 (www.ptsd.va.gov). A work of the
 * US Department of Veterans Affairs, in the public domain, so the items below are the form's
 * own words. One adaptation for screens: the instructions say "choose" an answer where the paper
 * form says "circle one of the numbers to the right".
 *
 * Scoring: total = sum of the 20 items (0-4 each), 0-80. No severity bands are defined for the
 * PCL-5. DSM-5 clusters: B intrusion (items 1-5), C avoidance (6-7), D negative alterations in
 * cognitions and mood (8-14), E alterations in arousal and reactivity (15-20). Probable PTSD
 * cut-point and the DSM-5 symptom rule are in thresholds.ts.
 */
import * as z from 'zod';
import { parseAnswers, ratingAnswersSchema, sum } from './answers.js';
import { deepFreeze } from './deep-freeze.js';
import { type InstrumentDefinition, ResultBaseShape } from './definition.js';
import type { ClinicalFlag } from './risk-flags.js';
import { DEFAULT_THRESHOLDS, PCL5_CLUSTER_IDS, type Pcl5ClusterId, type Thresholds } from './thresholds.js';

export const PCL5_VERSION = '1.0.0';
export const PCL5_MAX_TOTAL = 80;

export const PCL5_OPTIONS = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'A little bit' },
  { value: 2, label: 'Moderately' },
  { value: 3, label: 'Quite a bit' },
  { value: 4, label: 'Extremely' },
] as const;
export const PCL5_VALUES = [0, 1, 2, 3, 4] as const;
export type Pcl5Value = (typeof PCL5_VALUES)[number];

/** Items per DSM-5 cluster, 1-based and inclusive, as scored by the National Center for PTSD. */
export const PCL5_CLUSTERS: Readonly<Record<Pcl5ClusterId, { name: string; first: number; last: number }>> = {
  B: { name: 'Intrusion', first: 1, last: 5 },
  C: { name: 'Avoidance', first: 6, last: 7 },
  D: { name: 'Negative alterations in cognitions and mood', first: 8, last: 14 },
  E: { name: 'Alterations in arousal and reactivity', first: 15, last: 20 },
};

const ITEMS = [
  'Repeated, disturbing, and unwanted memories of the stressful experience?',
  'Repeated, disturbing dreams of the stressful experience?',
  'Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?',
  'Feeling very upset when something reminded you of the stressful experience?',
  'Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?',
  'Avoiding memories, thoughts, or feelings related to the stressful experience?',
  'Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?',
  'Trouble remembering important parts of the stressful experience?',
  'Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?',
  'Blaming yourself or someone else for the stressful experience or what happened after it?',
  'Having strong negative feelings such as fear, horror, anger, guilt, or shame?',
  'Loss of interest in activities that you used to enjoy?',
  'Feeling distant or cut off from other people?',
  'Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?',
  'Irritable behavior, angry outbursts, or acting aggressively?',
  'Taking too many risks or doing things that could cause you harm?',
  'Being “superalert” or watchful or on guard?',
  'Feeling jumpy or easily startled?',
  'Having difficulty concentrating?',
  'Trouble falling or staying asleep?',
] as const;

function clusterOf(itemNumber: number): Pcl5ClusterId {
  return PCL5_CLUSTER_IDS.find((id) => itemNumber >= PCL5_CLUSTERS[id].first && itemNumber <= PCL5_CLUSTERS[id].last)!;
}

export const PCL5: InstrumentDefinition = deepFreeze({
  id: 'pcl5',
  name: 'PTSD Checklist for DSM-5',
  shortName: 'PCL-5',
  version: PCL5_VERSION,
  measures: 'PTSD symptom severity',
  instructions:
    'Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then choose one of the answers to indicate how much you have been bothered by that problem in the past month. In the past month, how much were you bothered by:',
  recallPeriod: { text: 'In the past month', duration: 'P1M' },
  answerFormat: 'array',
  options: [...PCL5_OPTIONS],
  items: ITEMS.map((text, i) => ({ id: `pcl5_${i + 1}`, label: String(i + 1), text, cluster: clusterOf(i + 1) })),
  scoreRange: { min: 0, max: PCL5_MAX_TOTAL },
  attribution: 'PCL-5: Weathers, Litz, Keane, Palmieri, Marx & Schnurr, National Center for PTSD (2013). In the public domain.',
  references: [
    'Weathers FW, Litz BT, Keane TM, Palmieri PA, Marx BP, Schnurr PP. The PTSD Checklist for DSM-5 (PCL-5). National Center for PTSD; 2013. www.ptsd.va.gov',
    'Bovin MJ, Marx BP, Weathers FW, et al. Psychometric properties of the PTSD Checklist for Diagnostic and Statistical Manual of Mental Disorders-Fifth Edition (PCL-5) in veterans. Psychol Assess. 2016;28(11):1379-1391.',
  ],
});

/** Twenty answers, 0-4, in item order. */
export const Pcl5AnswersSchema = ratingAnswersSchema('PCL-5', ITEMS.length, PCL5_VALUES);
export type Pcl5Answers = readonly Pcl5Value[];

const PerCluster = z.strictObject({ B: z.int(), C: z.int(), D: z.int(), E: z.int() });

export const Pcl5ResultSchema = z
  .strictObject({
    instrument: z.literal('pcl5'),
    ...ResultBaseShape,
    total: z.int().min(0).max(PCL5_MAX_TOTAL),
    /** The PCL-5 defines no severity bands. */
    band: z.null(),
    /** Sum of each cluster's items: B 0-20, C 0-8, D 0-28, E 0-24. */
    clusterScores: PerCluster,
    /** Items per cluster rated at or above the "endorsed" rating (2, Moderately, by default). */
    endorsedSymptoms: PerCluster,
    /** Total at or above the probable-PTSD cut-point (33 by default). */
    probablePtsd: z.boolean(),
    /** The DSM-5 symptom pattern (1 B, 1 C, 2 D, 2 E endorsed by default) is present. */
    dsm5SymptomPattern: z.boolean(),
  })
  .meta({ id: 'Pcl5Result' });
export type Pcl5Result = z.infer<typeof Pcl5ResultSchema>;

/** Scores a PCL-5 (answers validated again here; a ValidationError if wrong). */
export function scorePcl5(answers: Pcl5Answers, thresholds: Thresholds = DEFAULT_THRESHOLDS): Pcl5Result {
  const valid = parseAnswers(Pcl5AnswersSchema, answers);
  const rules = thresholds.pcl5;
  const total = sum(valid);
  const clusterScores = { B: 0, C: 0, D: 0, E: 0 };
  const endorsedSymptoms = { B: 0, C: 0, D: 0, E: 0 };
  valid.forEach((value, i) => {
    const cluster = clusterOf(i + 1);
    clusterScores[cluster] += value;
    if (value >= rules.symptomEndorsedFrom) endorsedSymptoms[cluster] += 1;
  });
  const probablePtsd = total >= rules.probablePtsdFrom;
  const dsm5SymptomPattern = PCL5_CLUSTER_IDS.every((id) => endorsedSymptoms[id] >= rules.dsm5MinimumEndorsed[id]);
  const confirm = 'Confirm with a clinical interview (e.g. CAPS-5) before any diagnosis.';
  const clinicalFlags: ClinicalFlag[] = [];
  if (probablePtsd) {
    clinicalFlags.push({ kind: 'pcl5_probable_ptsd', reason: `PCL-5 total ${total} is at or above ${rules.probablePtsdFrom}.`, action: confirm });
  }
  if (dsm5SymptomPattern) {
    clinicalFlags.push({
      kind: 'pcl5_dsm5_symptom_pattern',
      reason: `PCL-5 answers rated ${rules.symptomEndorsedFrom} or higher meet the DSM-5 symptom pattern (B ${endorsedSymptoms.B}, C ${endorsedSymptoms.C}, D ${endorsedSymptoms.D}, E ${endorsedSymptoms.E}).`,
      action: confirm,
    });
  }
  return {
    instrument: 'pcl5',
    instrumentVersion: PCL5_VERSION,
    thresholdsVersion: thresholds.version,
    total,
    band: null,
    clusterScores,
    endorsedSymptoms,
    probablePtsd,
    dsm5SymptomPattern,
    riskFlags: [],
    clinicalFlags,
  };
}
