/**
 * The ONE translation from errors to HTTP: RFC 9457 problem details
 * (`application/problem+json`) with a stable `code`, a human `detail`, per-field `errors` for
 * validation, and the request id. Unknown errors become a 500 that says nothing about their
 * cause: no stack, no message, no input.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { AppError, ValidationError, type FieldError } from '../domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** code -> HTTP status and title. Every AppError code must be here (a unit test checks it). */
export const PROBLEM_CATALOG = {
  validation_failed: { status: 400, title: 'Invalid request' },
  verification_failed: { status: 400, title: 'Verification failed' },
  malformed_json: { status: 400, title: 'Malformed JSON' },
  invalid_header: { status: 400, title: 'Invalid header' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  authentication_required: { status: 401, title: 'Unauthorized' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  forbidden: { status: 403, title: 'Forbidden' },
  admin_only_fields: { status: 403, title: 'Admin-only fields' },
  email_not_verified: { status: 403, title: 'Email not verified' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  email_unavailable: { status: 409, title: 'Email unavailable' },
  request_in_progress: { status: 409, title: 'Request in progress' },
  free_consultation_used: { status: 409, title: 'Free consultation already used' },
  slot_taken: { status: 409, title: 'Slot taken' },
  hold_limit_reached: { status: 409, title: 'Hold limit reached' },
  change_too_late: { status: 409, title: 'Too late to change' },
  consultation_closed: { status: 409, title: 'Consultation closed' },
  outcome_too_early: { status: 409, title: 'Outcome too early' },
  outcome_already_recorded: { status: 409, title: 'Outcome already recorded' },
  concurrent_change: { status: 409, title: 'Concurrent change' },
  disposition_already_recorded: { status: 409, title: 'Disposition already recorded' },
  risk_task_acknowledged_by_other: { status: 409, title: 'Risk task acknowledged by another clinician' },
  risk_task_closed: { status: 409, title: 'Risk task closed' },
  matching_not_ready: { status: 409, title: 'Matching not ready' },
  already_matched: { status: 409, title: 'Already matched' },
  therapist_full: { status: 409, title: 'Therapist full' },
  match_not_offered: { status: 409, title: 'Not a current match' },
  not_in_care: { status: 409, title: 'Not in care' },
  no_therapist: { status: 409, title: 'No assigned therapist' },
  unit_care_ended: { status: 409, title: "Unit's joint care ended" },
  session_closed: { status: 409, title: 'Session closed' },
  note_signed: { status: 409, title: 'Note signed' },
  note_not_signed: { status: 409, title: 'Note not signed' },
  session_has_note: { status: 409, title: 'Session already has a note' },
  session_not_attended: { status: 409, title: 'Session not attended' },
  session_task_not_open: { status: 409, title: 'Session task not open' },
  plan_state_conflict: { status: 409, title: 'Plan state conflict' },
  care_unit_conflict: { status: 409, title: 'Care unit conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused' },
  unit_plan_measure_objective: { status: 422, title: "Instrument objectives are not for a care unit's plan" },
  unit_plan_member_diagnosis: { status: 422, title: "A member's diagnoses are not for a care unit's plan" },
  unit_plan_member_evidence: { status: 422, title: "A member's assessments are not for a care unit's plan" },
  /** Only API Gateway answers these two (infra/constructs/problem-gateway-responses.ts). */
  request_rejected: { status: 400, title: 'Request rejected' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  signup_failed: { status: 500, title: 'Signup failed' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  risk_escalation_not_started: { status: 503, title: 'Saved, escalation pending' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CATALOG;

export const ProblemSchema = z
  .strictObject({
    type: z.string().describe('A URI naming the problem type.'),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(PROBLEM_CATALOG) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string(),
    requestId: z.string(),
    errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
    alternatives: z
      .array(z.unknown())
      .optional()
      .describe('slot_taken: other free times, shaped like the slots of GET /v1/consultations/slots.'),
    recordId: z.string().optional().describe('risk_escalation_not_started: the record that was saved (retry with the same Idempotency-Key).'),
    crisisResources: z
      .unknown()
      .optional()
      .describe('risk_escalation_not_started, for a client: the crisis resources (988, 911) and that messages are not monitored for emergencies.'),
    matches: z
      .array(z.unknown())
      .optional()
      .describe('therapist_full, match_not_offered: the fresh matches, shaped like `matches` of GET /v1/clients/{clientId}/matches.'),
    fields: z
      .array(z.string())
      .optional()
      .describe('admin_only_fields: the fields of the request only an admin may change; unit_plan_*: the fields that carry what a member keeps private.'),
    disposition: z
      .unknown()
      .optional()
      .describe('disposition_already_recorded: the stored disposition ({action, note?, at}).'),
    reason: z
      .string()
      .optional()
      .describe('matching_not_ready: consultation_not_completed, intake_not_confirmed, already_in_care or care_ended.'),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CATALOG, code);
}

export function problem(
  code: ProblemCode,
  detail: string,
  requestId: string,
  errors?: FieldError[],
  extensions: Readonly<Record<string, unknown>> = {},
): Problem {
  const { status, title } = PROBLEM_CATALOG[code];
  return {
    // Extensions first: they can add members, never replace the standard ones.
    ...extensions,
    type: `https://moodrx.example/problems/${code.replaceAll('_', '-')}`,
    title,
    status,
    code,
    detail,
    requestId,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Maps any thrown value to a problem. Only AppErrors speak; everything else is a 500. */
export function problemFromError(error: unknown, requestId: string): Problem {
  if (error instanceof AppError && isProblemCode(error.code)) {
    return problem(error.code, error.message, requestId, error instanceof ValidationError ? error.errors : undefined, error.extensions);
  }
  return problem('internal_error', 'Something went wrong on our side. Quote the request id if you contact support.', requestId);
}

export function problemResponse(body: Problem, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: body.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** Sent on every API response: nothing here is cacheable or meant to be framed or sniffed. */
export const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Referrer-Policy': 'no-referrer',
} as const;

/** zod issues -> per-field errors a person understands (never echoing the input). */
export function fieldErrorsFrom(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ field: base ? `${base}.${key}` : key, message: 'This field is not allowed.' });
    } else if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      // zod's default wording ("Invalid input: expected string, received undefined") is for
      // developers; say it for people. Our schemas' own messages pass through unchanged.
      const missing = issue.message.endsWith('received undefined');
      errors.push({ field: base || '(body)', message: missing ? 'This field is required.' : `Enter a ${issue.expected}.` });
    } else {
      errors.push({ field: base || '(body)', message: issue.message });
    }
  }
  return errors;
}
