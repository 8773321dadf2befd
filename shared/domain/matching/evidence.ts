/**
 * The evidence table: for a client's PRIMARY concern, which therapies have guideline support.
 * `recommended` = a first-line psychological treatment in at least one cited guideline;
 * `supported` = recommended as an alternative or for a subgroup, or supported by trials,
 * without being first-line. A concern without an entry (grief, stress, work and career...) has
 * no evidence component: no therapy is preferred on evidence for it.
 *
 * The table guides a match; it is not a treatment decision, which stays with the therapist and
 * the client (the plan is "worked out together").
 *
 * References (cited by key):
 * - [APA 2007] Koran LM, Hanna GL, Hollander E, Nestadt G, Simpson HB. Practice guideline for
 *   the treatment of patients with obsessive-compulsive disorder. American Psychiatric
 *   Association; Am J Psychiatry. 2007;164(7 Suppl):5-53. (CBT relying primarily on ERP.)
 * - [NICE CG31] NICE. Obsessive-compulsive disorder and body dysmorphic disorder: treatment.
 *   Clinical guideline CG31, 2005. (CBT including exposure and response prevention.)
 * - [VA/DoD 2023] VA/DoD Clinical Practice Guideline for the Management of Posttraumatic Stress
 *   Disorder and Acute Stress Disorder, version 4.0, 2023. (Strong for CPT, PE and EMDR.)
 * - [APA 2017] American Psychological Association. Clinical Practice Guideline for the
 *   Treatment of Posttraumatic Stress Disorder (PTSD) in Adults, 2017. (Strong for CBT, CPT,
 *   cognitive therapy and PE; conditional for EMDR.)
 * - [NICE NG116] NICE. Post-traumatic stress disorder. NICE guideline NG116, 2018.
 *   (Trauma-focused CBT; EMDR for non-combat trauma.)
 * - [NICE NG222] NICE. Depression in adults: treatment and management. NICE guideline NG222,
 *   2022. (Individual CBT, behavioural activation, IPT among the treatments for less and more
 *   severe depression; short-term psychodynamic psychotherapy and group mindfulness for less
 *   severe depression.)
 * - [APA 2019] American Psychological Association. Clinical Practice Guideline for the
 *   Treatment of Depression Across Three Age Cohorts, 2019. (Adults: behavioral therapy, CBT,
 *   cognitive therapy, IPT, psychodynamic therapy, supportive therapy.)
 * - [NICE CG113] NICE. Generalised anxiety disorder and panic disorder in adults: management.
 *   Clinical guideline CG113, 2011. (High-intensity CBT for GAD and for panic disorder.)
 * - [NICE CG159] NICE. Social anxiety disorder: recognition, assessment and treatment. Clinical
 *   guideline CG159, 2013. (Individual CBT.)
 * - [Wolitzky-Taylor 2008] Wolitzky-Taylor KB, Horowitz JD, Powers MB, Telch MJ. Psychological
 *   approaches in the treatment of specific phobias: a meta-analysis. Clin Psychol Rev.
 *   2008;28(6):1021-1037. (Exposure-based treatment, delivered within CBT.)
 * - [NICE NG225] NICE. Self-harm: assessment, management and preventing recurrence. NICE
 *   guideline NG225, 2022. (DBT-A for young people with frequent self-harm and emotional
 *   dysregulation; CBT-informed psychological intervention for adults.)
 * - [Linehan 2006] Linehan MM, Comtois KA, Murray AM, et al. Two-year randomized controlled
 *   trial and follow-up of dialectical behavior therapy vs therapy by experts for suicidal
 *   behaviors and borderline personality disorder. Arch Gen Psychiatry. 2006;63(7):757-766.
 * - [Lebow 2012] Lebow JL, Chambers AL, Christensen A, Johnson SM. Research on the treatment
 *   of couple distress. J Marital Fam Ther. 2012;38(1):145-168. (Behavioral and emotionally
 *   focused couple therapies.)
 * - [Carr 2019a] Carr A. Family therapy and systemic interventions for child-focused problems:
 *   the current evidence base. J Fam Ther. 2019;41(2):153-213.
 * - [Carr 2019b] Carr A. Couple therapy, family therapy and systemic interventions for
 *   adult-focused problems: the current evidence base. J Fam Ther. 2019;41(4):492-536.
 * - [ACP 2016] Qaseem A, Kansagara D, Forciea MA, Cooke M, Denberg TD. Management of chronic
 *   insomnia disorder in adults: a clinical practice guideline from the American College of
 *   Physicians. Ann Intern Med. 2016;165(2):125-133. (CBT-I as the initial treatment.)
 * - [AASM 2021] Edinger JD, Arnedt JT, Bertisch SM, et al. Behavioral and psychological
 *   treatments for chronic insomnia disorder in adults: an American Academy of Sleep Medicine
 *   clinical practice guideline. J Clin Sleep Med. 2021;17(2):255-262.
 * - [NICE CG115] NICE. Alcohol-use disorders: diagnosis, assessment and management of harmful
 *   drinking (high-risk drinking) and alcohol dependence. Clinical guideline CG115, 2011.
 *   (CBT and behavioural therapies.)
 * - [SAMHSA TIP 35] SAMHSA. Enhancing Motivation for Change in Substance Use Disorder
 *   Treatment. Treatment Improvement Protocol (TIP) Series No. 35, 2019. (Motivational
 *   interviewing.)
 * - [NICE NG69] NICE. Eating disorders: recognition and treatment. NICE guideline NG69, 2017.
 *   (Eating-disorder-focused CBT, CBT-ED, for adults.)
 * - [NICE CG192] NICE. Antenatal and postnatal mental health: clinical management and service
 *   guidance. Clinical guideline CG192, 2014. (High-intensity psychological intervention, e.g. CBT.)
 * - [O'Hara 2000] O'Hara MW, Stuart S, Gorman LL, Wenzel A. Efficacy of interpersonal
 *   psychotherapy for postpartum depression. Arch Gen Psychiatry. 2000;57(11):1039-1045.
 * - [NICE CG185] NICE. Bipolar disorder: assessment and management. Clinical guideline CG185,
 *   2014. (For bipolar depression, alongside medical care: a psychological intervention for
 *   bipolar disorder or a high-intensity one such as CBT or IPT.)
 */
import type { Modality, Specialty } from '../clinicians.js';

export const EVIDENCE_REFERENCES = {
  'APA 2007': 'Koran LM et al. Practice guideline for the treatment of patients with obsessive-compulsive disorder. American Psychiatric Association, 2007.',
  'NICE CG31': 'NICE. Obsessive-compulsive disorder and body dysmorphic disorder: treatment. CG31, 2005.',
  'VA/DoD 2023': 'VA/DoD Clinical Practice Guideline for the Management of PTSD and Acute Stress Disorder, v4.0, 2023.',
  'APA 2017': 'American Psychological Association. Clinical Practice Guideline for the Treatment of PTSD in Adults, 2017.',
  'NICE NG116': 'NICE. Post-traumatic stress disorder. NG116, 2018.',
  'NICE NG222': 'NICE. Depression in adults: treatment and management. NG222, 2022.',
  'APA 2019': 'American Psychological Association. Clinical Practice Guideline for the Treatment of Depression Across Three Age Cohorts, 2019.',
  'NICE CG113': 'NICE. Generalised anxiety disorder and panic disorder in adults: management. CG113, 2011.',
  'NICE CG159': 'NICE. Social anxiety disorder: recognition, assessment and treatment. CG159, 2013.',
  'Wolitzky-Taylor 2008': 'Wolitzky-Taylor KB et al. Psychological approaches in the treatment of specific phobias: a meta-analysis. Clin Psychol Rev. 2008;28(6):1021-1037.',
  'NICE NG225': 'NICE. Self-harm: assessment, management and preventing recurrence. NG225, 2022.',
  'Linehan 2006': 'Linehan MM et al. Two-year randomized controlled trial and follow-up of DBT vs therapy by experts. Arch Gen Psychiatry. 2006;63(7):757-766.',
  'Lebow 2012': 'Lebow JL et al. Research on the treatment of couple distress. J Marital Fam Ther. 2012;38(1):145-168.',
  'Carr 2019a': 'Carr A. Family therapy and systemic interventions for child-focused problems. J Fam Ther. 2019;41(2):153-213.',
  'Carr 2019b': 'Carr A. Couple therapy, family therapy and systemic interventions for adult-focused problems. J Fam Ther. 2019;41(4):492-536.',
  'ACP 2016': 'Qaseem A et al. Management of chronic insomnia disorder in adults (ACP guideline). Ann Intern Med. 2016;165(2):125-133.',
  'AASM 2021': 'Edinger JD et al. Behavioral and psychological treatments for chronic insomnia disorder in adults (AASM guideline). J Clin Sleep Med. 2021;17(2):255-262.',
  'NICE CG115': 'NICE. Alcohol-use disorders: diagnosis, assessment and management. CG115, 2011.',
  'SAMHSA TIP 35': 'SAMHSA. Enhancing Motivation for Change in Substance Use Disorder Treatment. TIP 35, 2019.',
  'NICE NG69': 'NICE. Eating disorders: recognition and treatment. NG69, 2017.',
  'NICE CG192': 'NICE. Antenatal and postnatal mental health: clinical management and service guidance. CG192, 2014.',
  "O'Hara 2000": "O'Hara MW et al. Efficacy of interpersonal psychotherapy for postpartum depression. Arch Gen Psychiatry. 2000;57(11):1039-1045.",
  'NICE CG185': 'NICE. Bipolar disorder: assessment and management. CG185, 2014.',
} as const;
export type EvidenceReference = keyof typeof EVIDENCE_REFERENCES;

export const EVIDENCE_TIERS = ['recommended', 'supported'] as const;
export type EvidenceTier = (typeof EVIDENCE_TIERS)[number];

export interface EvidenceEntry {
  readonly recommended: readonly Modality[];
  readonly supported: readonly Modality[];
  readonly sources: readonly EvidenceReference[];
}

/** Primary concern -> therapies with evidence for it. Order within a tier is the order reasons name them. */
export const EVIDENCE: Readonly<Partial<Record<Specialty, EvidenceEntry>>> = {
  // CBT with exposure and response prevention is THE psychological treatment for OCD.
  ocd: { recommended: ['erp'], supported: ['cbt'], sources: ['APA 2007', 'NICE CG31'] },
  // Trauma-focused therapies; generic (not trauma-focused) CBT is only supported.
  trauma_ptsd: { recommended: ['cpt', 'pe', 'emdr', 'tf_cbt'], supported: ['cbt'], sources: ['VA/DoD 2023', 'APA 2017', 'NICE NG116'] },
  depression: {
    recommended: ['cbt', 'behavioral_activation', 'ipt'],
    supported: ['psychodynamic', 'mindfulness_based'],
    sources: ['NICE NG222', 'APA 2019'],
  },
  // "anxiety" in our vocabulary is generalized anxiety.
  anxiety: { recommended: ['cbt'], supported: [], sources: ['NICE CG113'] },
  panic: { recommended: ['cbt'], supported: [], sources: ['NICE CG113'] },
  phobias: { recommended: ['cbt'], supported: [], sources: ['NICE CG159', 'Wolitzky-Taylor 2008'] },
  // Recurrent self-harm: DBT; for adults NICE also recommends CBT-informed interventions.
  self_harm: { recommended: ['dbt'], supported: ['cbt'], sources: ['NICE NG225', 'Linehan 2006'] },
  relationships: { recommended: ['couples_therapy', 'emotionally_focused'], supported: [], sources: ['Lebow 2012', 'Carr 2019b'] },
  family_conflict: { recommended: ['family_systems'], supported: [], sources: ['Carr 2019a', 'Carr 2019b'] },
  sleep: { recommended: ['cbt_i'], supported: [], sources: ['ACP 2016', 'AASM 2021'] },
  substance_use: { recommended: ['cbt', 'motivational_interviewing'], supported: [], sources: ['NICE CG115', 'SAMHSA TIP 35'] },
  eating: { recommended: ['cbt'], supported: [], sources: ['NICE NG69'] },
  perinatal: { recommended: ['cbt'], supported: ['ipt'], sources: ['NICE CG192', "O'Hara 2000"] },
  bipolar: { recommended: ['cbt', 'ipt'], supported: [], sources: ['NICE CG185'] },
};

/** The therapies of `tier` for `concern` that a therapist with `modalities` uses, in table order. */
export function evidenceModalitiesUsed(concern: Specialty, tier: EvidenceTier, modalities: readonly Modality[]): Modality[] {
  const entry = EVIDENCE[concern];
  return entry ? entry[tier].filter((m) => modalities.includes(m)) : [];
}

/** The best evidence tier among a therapist's modalities for `concern`, or undefined. */
export function bestEvidenceTier(concern: Specialty, modalities: readonly Modality[]): EvidenceTier | undefined {
  return EVIDENCE_TIERS.find((tier) => evidenceModalitiesUsed(concern, tier, modalities).length > 0);
}
