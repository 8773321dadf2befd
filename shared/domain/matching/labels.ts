/** How concerns, therapies, genders and languages are written in reasons shown to people. */
import type { Gender, Modality, Specialty } from '../clinicians.js';
import type { ClientType } from '../signup.js';

export const CONCERN_LABELS: Readonly<Record<Specialty, string>> = {
  anxiety: 'anxiety',
  depression: 'depression',
  trauma_ptsd: 'trauma and PTSD',
  ocd: 'OCD',
  panic: 'panic',
  phobias: 'phobias',
  relationships: 'relationships',
  family_conflict: 'family conflict',
  parenting: 'parenting',
  grief: 'grief',
  stress: 'stress',
  work_career: 'work and career',
  life_transitions: 'life transitions',
  school_academic: 'school and studies',
  self_esteem: 'self-esteem',
  self_harm: 'self-harm',
  substance_use: 'substance use',
  eating: 'eating disorders',
  bipolar: 'bipolar disorder',
  adhd: 'ADHD',
  sleep: 'sleep problems',
  anger: 'anger',
  chronic_illness: 'living with chronic illness',
  perinatal: 'perinatal mental health',
  lgbtq_identity: 'LGBTQ+ identity',
};

export const MODALITY_LABELS: Readonly<Record<Modality, string>> = {
  cbt: 'CBT',
  dbt: 'DBT',
  erp: 'ERP',
  emdr: 'EMDR',
  act: 'ACT',
  cpt: 'CPT',
  pe: 'prolonged exposure',
  ipt: 'IPT',
  behavioral_activation: 'behavioral activation',
  cbt_i: 'CBT-I',
  tf_cbt: 'TF-CBT',
  mindfulness_based: 'mindfulness-based therapy',
  motivational_interviewing: 'motivational interviewing',
  psychodynamic: 'psychodynamic therapy',
  solution_focused: 'solution-focused therapy',
  family_systems: 'family systems therapy',
  couples_therapy: 'couples therapy',
  emotionally_focused: 'emotionally focused therapy',
};

/** Completes "is ..., as you preferred". */
export const GENDER_LABELS: Readonly<Record<Gender, string>> = {
  woman: 'a woman',
  man: 'a man',
  non_binary: 'non-binary',
  another_gender: 'of another gender',
};

/** Completes "works with ...". */
export const CLIENT_TYPE_LABELS: Readonly<Record<ClientType, string>> = {
  individual: 'individual clients',
  couple: 'couples',
  family: 'families',
  student: 'students',
};

let languageNames: Intl.DisplayNames | undefined;

/** "Spanish" for `es`; the code itself if the runtime has no name for it. */
export function languageLabel(code: string): string {
  languageNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
  return languageNames.of(code) ?? code;
}

/** "A", "A and B", "A, B and C". */
export function listText(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "45 min", "3 h", "4 h 30 min". */
export function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
