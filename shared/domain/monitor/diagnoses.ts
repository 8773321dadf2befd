/**
 * Diagnoses (issue 4, item 4): a clinician responsible for the client (the assigned therapist,
 * or before matching the consultation clinician; shared/domain/access.ts) records a DSM-5-TR
 * diagnosis with its ICD-10-CM code, severity, specifiers, what it rests on (assessments of
 * this client, a clinical interview) and a status. Nothing is ever overwritten or deleted: a
 * change (provisional -> confirmed, a new severity, resolved) is a new version of the same
 * diagnosis, and the history stays readable.
 *
 * Codes: ICD-10-CM is the code set HIPAA names for diagnoses in the US; DSM-5-TR lists the
 * ICD-10-CM code of each of its diagnoses [APA, DSM-5-TR (2022), with the ICD-10-CM coding
 * updates APA publishes]. We check the FORMAT of a code (a letter, a digit, a digit or letter
 * (C4A, Z3A), then optionally a dot and 1-4 digits or letters), not that it is a billable code of
 * this year's release: that list changes every October 1 and belongs to a terminology service.
 * COMMON_DIAGNOSES only fills in the name of frequent codes when the clinician leaves it out.
 */
import * as z from 'zod';
import { AuthorSchema, RecordIdSchema, type Author } from './records.js';

/** ICD-10-CM code format: category (3 characters), then optionally a dot and 1-4 more. */
export const ICD10CM_CODE_PATTERN = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** Frequent mental-health diagnoses: ICD-10-CM code -> DSM-5-TR name. */
export const COMMON_DIAGNOSES: Readonly<Record<string, string>> = Object.freeze({
  'F32.0': 'Major depressive disorder, single episode, mild',
  'F32.1': 'Major depressive disorder, single episode, moderate',
  'F32.2': 'Major depressive disorder, single episode, severe without psychotic features',
  'F32.9': 'Major depressive disorder, single episode, unspecified',
  'F32.A': 'Unspecified depressive disorder',
  'F33.0': 'Major depressive disorder, recurrent episode, mild',
  'F33.1': 'Major depressive disorder, recurrent episode, moderate',
  'F33.2': 'Major depressive disorder, recurrent episode, severe without psychotic features',
  'F34.1': 'Persistent depressive disorder (dysthymia)',
  'F41.0': 'Panic disorder',
  'F41.1': 'Generalized anxiety disorder',
  'F41.9': 'Unspecified anxiety disorder',
  'F40.10': 'Social anxiety disorder',
  'F42.2': 'Obsessive-compulsive disorder',
  'F43.0': 'Acute stress disorder',
  'F43.10': 'Posttraumatic stress disorder',
  'F43.20': 'Adjustment disorder, unspecified',
  'F43.21': 'Adjustment disorder with depressed mood',
  'F43.22': 'Adjustment disorder with anxiety',
  'F43.23': 'Adjustment disorder with mixed anxiety and depressed mood',
  'F31.81': 'Bipolar II disorder',
  'F90.0': 'Attention-deficit/hyperactivity disorder, predominantly inattentive presentation',
  'F90.2': 'Attention-deficit/hyperactivity disorder, combined presentation',
  'F10.10': 'Alcohol use disorder, mild',
  'F60.3': 'Borderline personality disorder',
});

export const DIAGNOSIS_SEVERITIES = ['mild', 'moderate', 'severe', 'not_specified'] as const;
export type DiagnosisSeverity = (typeof DIAGNOSIS_SEVERITIES)[number];

export const DIAGNOSIS_STATUSES = ['provisional', 'confirmed', 'resolved'] as const;
export type DiagnosisStatus = (typeof DIAGNOSIS_STATUSES)[number];

export const DIAGNOSIS_TEXT_MAX = 200;
export const DIAGNOSIS_NOTES_MAX = 2000;
export const MAX_BASIS_ASSESSMENTS = 20;
export const MAX_SPECIFIERS = 10;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

export const DiagnosisBasisSchema = z
  .strictObject({
    /** Assessments of THIS client the diagnosis rests on (checked when it is recorded). */
    assessmentIds: z
      .array(RecordIdSchema)
      .max(MAX_BASIS_ASSESSMENTS, { error: `Name at most ${MAX_BASIS_ASSESSMENTS} assessments.` })
      .refine(unique, { error: 'Name each assessment once.' })
      .default([]),
    /** Whether a diagnostic interview was held. */
    interview: z.boolean({ error: 'Say whether the diagnosis rests on a clinical interview (true or false).' }),
    notes: z.string().trim().min(1).max(DIAGNOSIS_NOTES_MAX, { error: `Keep the notes under ${DIAGNOSIS_NOTES_MAX} characters.` }).optional(),
  })
  .refine((basis) => basis.interview || basis.assessmentIds.length > 0, {
    error: 'A diagnosis rests on a clinical interview, on assessments, or both: give at least one.',
  });
export type DiagnosisBasis = z.infer<typeof DiagnosisBasisSchema>;

export const RecordDiagnosisRequestSchema = z
  .strictObject({
    /** To change a diagnosis: its id and the version you are changing (the latest). Absent: a new diagnosis. */
    revises: z.strictObject({ diagnosisId: RecordIdSchema, version: z.int().min(1) }).optional(),
    code: z
      .string({ error: 'Give the ICD-10-CM code, e.g. F41.1.' })
      .trim()
      .toUpperCase()
      .regex(ICD10CM_CODE_PATTERN, { error: 'Give an ICD-10-CM code such as F41.1 or F43.10 (letter, two characters, optionally a dot and up to 4 more).' }),
    /** The DSM-5-TR name; may be left out for a code of COMMON_DIAGNOSES. */
    name: z.string().trim().min(1).max(DIAGNOSIS_TEXT_MAX).optional(),
    severity: z.enum(DIAGNOSIS_SEVERITIES, { error: `Choose a severity: ${DIAGNOSIS_SEVERITIES.join(', ')}.` }),
    specifiers: z
      .array(z.string().trim().min(1).max(DIAGNOSIS_TEXT_MAX))
      .max(MAX_SPECIFIERS, { error: `Give at most ${MAX_SPECIFIERS} specifiers.` })
      .refine(unique, { error: 'List each specifier once.' })
      .default([]),
    basis: DiagnosisBasisSchema,
    status: z.enum(DIAGNOSIS_STATUSES, { error: `Choose a status: ${DIAGNOSIS_STATUSES.join(', ')}.` }),
  })
  .superRefine((request, ctx) => {
    if (request.name === undefined && COMMON_DIAGNOSES[request.code] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'Give the DSM-5-TR name of the diagnosis for this code.' });
    }
  })
  .meta({ id: 'RecordDiagnosisRequest' });
export type RecordDiagnosisRequest = z.infer<typeof RecordDiagnosisRequestSchema>;

/** One version of a diagnosis, as stored and shown. */
export const DiagnosisVersionSchema = z
  .strictObject({
    diagnosisId: z.string(),
    clientId: z.string(),
    /** 1, 2, 3... without gaps. */
    version: z.int().min(1),
    code: z.string(),
    name: z.string(),
    severity: z.enum(DIAGNOSIS_SEVERITIES),
    specifiers: z.array(z.string()),
    basis: z.strictObject({ assessmentIds: z.array(z.string()), interview: z.boolean(), notes: z.string().optional() }),
    status: z.enum(DIAGNOSIS_STATUSES),
    recordedAt: z.string(),
    recordedBy: AuthorSchema,
  })
  .meta({ id: 'DiagnosisVersion' });
export type DiagnosisVersion = z.infer<typeof DiagnosisVersionSchema>;

export const DiagnosisSchema = z
  .strictObject({
    diagnosisId: z.string(),
    /** The latest version. */
    current: DiagnosisVersionSchema,
    /** Every version, oldest first (the current one last). */
    history: z.array(DiagnosisVersionSchema),
  })
  .meta({ id: 'Diagnosis' });
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

export const DiagnosisListSchema = z.strictObject({ diagnoses: z.array(DiagnosisSchema) }).meta({ id: 'DiagnosisList' });
export type DiagnosisList = z.infer<typeof DiagnosisListSchema>;

/** The version a request makes. */
export function diagnosisVersion(
  request: RecordDiagnosisRequest,
  ids: { diagnosisId: string; clientId: string; version: number },
  recordedAt: string,
  recordedBy: Author,
): DiagnosisVersion {
  const basis: DiagnosisVersion['basis'] = { assessmentIds: [...request.basis.assessmentIds], interview: request.basis.interview };
  if (request.basis.notes !== undefined) basis.notes = request.basis.notes;
  return {
    diagnosisId: ids.diagnosisId,
    clientId: ids.clientId,
    version: ids.version,
    code: request.code,
    name: request.name ?? COMMON_DIAGNOSES[request.code]!,
    severity: request.severity,
    specifiers: [...request.specifiers],
    basis,
    status: request.status,
    recordedAt,
    recordedBy: { ...recordedBy },
  };
}

/**
 * Versions (any order, several diagnoses) -> one entry per diagnosis with its history, the
 * most recently changed diagnosis first.
 */
export function groupDiagnoses(versions: readonly DiagnosisVersion[]): Diagnosis[] {
  const byId = new Map<string, DiagnosisVersion[]>();
  for (const v of versions) byId.set(v.diagnosisId, [...(byId.get(v.diagnosisId) ?? []), v]);
  const diagnoses = [...byId.entries()].map(([diagnosisId, list]) => {
    const history = [...list].sort((a, b) => a.version - b.version);
    return { diagnosisId, current: history.at(-1)!, history };
  });
  return diagnoses.sort((a, b) => Date.parse(b.current.recordedAt) - Date.parse(a.current.recordedAt) || b.diagnosisId.localeCompare(a.diagnosisId));
}
