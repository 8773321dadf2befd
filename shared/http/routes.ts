/**
 * THE route table. It drives the CDK REST API (infra/stacks/api-stack.ts), the local
 * API-Gateway-shaped server (local/api-server.ts), the OpenAPI document
 * (shared/http/openapi.ts) and each handler's validation and authorization
 * (shared/http/api-handler.ts), so none of them can drift from the others.
 *
 * Bodies with a rule about today (signup's age, clinicians' license expiry) are built with the
 * `now` port (shared/adapters/clock.ts), which they read when a request is parsed.
 */
import type { z } from 'zod';
import { now } from '../adapters/clock.js';
import {
  ClientMfaSetupResponseSchema,
  ClientMfaVerifyRequestSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  LogoutRequestSchema,
  MeResponseSchema,
  MfaAnswerRequestSchema,
  MfaSetupRequestSchema,
  MfaSetupResponseSchema,
  NewPasswordRequestSchema,
  RefreshRequestSchema,
  TokensSchema,
} from '../domain/auth.js';
import {
  ClinicianAvailabilitySchema,
  ClinicianIdParamsSchema,
  ClinicianProfileSchema,
  ClinicianViewSchema,
  createClinicianRequestSchema,
  updateClinicianRequestSchema,
} from '../domain/clinicians.js';
import {
  BookConsultationRequestSchema,
  ConsultationListSchema,
  ConsultationParamsSchema,
  ConsultationSchema,
  HoldRequestSchema,
  HoldResponseSchema,
  OutcomeRequestSchema,
  RescheduleRequestSchema,
  SlotsQuerySchema,
  SlotsResponseSchema,
} from '../domain/consultations.js';
import {
  AssessmentHistoryQuerySchema,
  AssessmentHistorySchema,
  SubmitAssessmentResponseSchema,
} from '../domain/monitor/assessments.js';
import { CheckInListQuerySchema, CheckInListSchema, CheckInRequestSchema, RecordCheckInResponseSchema } from '../domain/monitor/check-ins.js';
import { DiagnosisListSchema, DiagnosisVersionSchema, RecordDiagnosisRequestSchema } from '../domain/monitor/diagnoses.js';
import { ClientParamsSchema } from '../domain/monitor/records.js';
import { AssessmentSubmissionSchema, InstrumentListSchema } from '../domain/instruments/registry.js';
import { LegalDocumentsResponseSchema } from '../domain/legal-documents.js';
import {
  AcceptMatchResponseSchema,
  IntakeRequestSchema,
  IntakeViewSchema,
  MatchesViewSchema,
  MatchParamsSchema,
  PinRequestSchema,
  PinViewSchema,
  RematchRequestSchema,
  RematchResponseSchema,
} from '../domain/matches.js';
import { RiskAssessmentRequestSchema, RiskTaskListSchema, RiskTaskParamsSchema, RiskTaskSchema } from '../domain/risk-tasks.js';
import { AvailabilitySchema } from '../domain/scheduling.js';
import { CLINICIAN_ROLES, ROLES, type Role } from '../domain/roles.js';
import { signupRequestSchema, SignupResponseSchema } from '../domain/signup.js';
import { VerifySignupRequestSchema, VerifySignupResponseSchema } from '../domain/email-verification.js';
import { ClientViewSchema, DischargeRequestSchema, DischargeResponseSchema } from '../domain/discharge.js';
import type { Capability } from '../platform/capabilities.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
}

export interface RouteDefinition {
  /** Stable id: names the Lambda function (`moodrx-<stage>-<id>`) and the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/clients/{clientId}`. */
  readonly path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** `public`: no token. Otherwise the roles allowed to call it (checked in the handler). */
  readonly access: 'public' | { readonly roles: readonly Role[] };
  readonly summary: string;
  readonly tags: readonly string[];
  readonly request?: {
    readonly body?: z.ZodType;
    readonly query?: z.ZodType;
    readonly params?: z.ZodType;
  };
  /** Success responses; the problem responses are added by the OpenAPI generator. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Honours `Idempotency-Key` (creating POSTs). */
  readonly idempotent?: boolean;
  /** What the function may touch: becomes its IAM grants and environment. */
  readonly capabilities: readonly Capability[];
}

const ANY_SIGNED_IN: { roles: readonly Role[] } = { roles: ROLES };

export const ROUTES = [
  {
    id: 'get-openapi',
    method: 'GET',
    path: '/v1/openapi.json',
    entry: 'functions/api/get-openapi.ts',
    access: 'public',
    summary: 'This API, described as OpenAPI 3.1.',
    tags: ['meta'],
    responses: { 200: { description: 'The OpenAPI document.' } },
    capabilities: [],
  },
  {
    id: 'list-legal-documents',
    method: 'GET',
    path: '/v1/legal/documents',
    entry: 'functions/api/list-legal-documents.ts',
    access: 'public',
    summary: 'The current versions of the documents a person accepts at signup.',
    tags: ['signup'],
    responses: { 200: { description: 'Current legal documents.', schema: LegalDocumentsResponseSchema } },
    capabilities: [],
  },
  {
    id: 'signup',
    method: 'POST',
    path: '/v1/signup',
    entry: 'functions/api/signup.ts',
    access: 'public',
    summary: 'Create a client account (free), record consents, email a verification code. The same answer whether or not the email already has an account (its owner gets a notice instead).',
    tags: ['signup'],
    request: { body: signupRequestSchema(now) },
    responses: {
      202: { description: 'Check your email: a verification code (or, for an address with an account, a notice to its owner).', schema: SignupResponseSchema },
    },
    idempotent: true,
    capabilities: ['workflow:signup', 'idempotency'],
  },
  {
    id: 'verify-signup',
    method: 'POST',
    path: '/v1/signup/verify',
    entry: 'functions/api/verify-signup.ts',
    access: 'public',
    summary: 'Prove the signup email with the emailed code: then the welcome email, the care lifecycle and booking. One answer (400 verification_failed) for an unknown email and a wrong, expired, used or locked code.',
    tags: ['signup'],
    request: { body: VerifySignupRequestSchema },
    responses: { 200: { description: 'The email is verified.', schema: VerifySignupResponseSchema } },
    capabilities: ['table:read:email', 'table:read:client', 'table:write:client', 'identity:admin-clients', 'email:send', 'workflow:care-lifecycle'],
  },
  {
    id: 'login',
    method: 'POST',
    path: '/v1/auth/login',
    entry: 'functions/api/login.ts',
    access: 'public',
    summary: 'Sign in with email and password.',
    tags: ['auth'],
    request: { body: LoginRequestSchema },
    responses: {
      200: { description: 'Tokens for the API, or (staff) the MFA step to complete.', schema: LoginResponseSchema },
    },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'answer-mfa',
    method: 'POST',
    path: '/v1/auth/mfa',
    entry: 'functions/api/answer-mfa.ts',
    access: 'public',
    summary: 'Staff: finish signing in with the code from the authenticator app.',
    tags: ['auth'],
    request: { body: MfaAnswerRequestSchema },
    responses: { 200: { description: 'Tokens for the API.', schema: TokensSchema } },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'begin-mfa-setup',
    method: 'POST',
    path: '/v1/auth/mfa/setup',
    entry: 'functions/api/begin-mfa-setup.ts',
    access: 'public',
    summary: 'Staff, first sign-in: get the authenticator secret.',
    tags: ['auth'],
    request: { body: MfaSetupRequestSchema },
    responses: { 200: { description: 'The TOTP secret and a new session.', schema: MfaSetupResponseSchema } },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'complete-mfa-setup',
    method: 'POST',
    path: '/v1/auth/mfa/verify',
    entry: 'functions/api/complete-mfa-setup.ts',
    access: 'public',
    summary: 'Staff, first sign-in: confirm the authenticator with a code and sign in.',
    tags: ['auth'],
    request: { body: MfaAnswerRequestSchema },
    responses: { 200: { description: 'Tokens for the API.', schema: TokensSchema } },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'answer-new-password',
    method: 'POST',
    path: '/v1/auth/new-password',
    entry: 'functions/api/answer-new-password.ts',
    access: 'public',
    summary: 'Staff, first sign-in of an account an admin created: replace the temporary password.',
    tags: ['auth'],
    request: { body: NewPasswordRequestSchema },
    responses: {
      200: { description: 'Tokens, or the next step (in AWS: MFA_SETUP, answered by /v1/auth/mfa/setup and /verify).', schema: LoginResponseSchema },
    },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'refresh',
    method: 'POST',
    path: '/v1/auth/refresh',
    entry: 'functions/api/refresh.ts',
    access: 'public',
    summary: 'Exchange a refresh token for new access and id tokens.',
    tags: ['auth'],
    request: { body: RefreshRequestSchema },
    responses: { 200: { description: 'Fresh tokens.', schema: TokensSchema } },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'logout',
    method: 'POST',
    path: '/v1/auth/logout',
    entry: 'functions/api/logout.ts',
    access: 'public',
    summary: 'Sign out: revoke the refresh token.',
    tags: ['auth'],
    request: { body: LogoutRequestSchema },
    responses: {
      204: {
        description:
          'Signed out: the refresh token no longer works; discard the access token too (the API accepts it until it expires, at most an hour). ' +
          'The same answer whether or not the token was valid, expired or already revoked.',
      },
    },
    capabilities: ['identity:sign-in'],
  },
  {
    id: 'get-me',
    method: 'GET',
    path: '/v1/me',
    entry: 'functions/api/get-me.ts',
    access: ANY_SIGNED_IN,
    summary: "The caller's profile and role.",
    tags: ['auth'],
    responses: { 200: { description: 'The profile.', schema: MeResponseSchema } },
    capabilities: ['table:read:client', 'table:read:staff'],
  },
  {
    id: 'begin-client-mfa-setup',
    method: 'POST',
    path: '/v1/me/mfa/setup',
    entry: 'functions/api/begin-client-mfa-setup.ts',
    access: { roles: ['client'] },
    summary: 'Client: start optional two-step sign-in (TOTP): get the authenticator secret.',
    tags: ['auth'],
    responses: { 200: { description: 'The TOTP secret; not in force until verified.', schema: ClientMfaSetupResponseSchema } },
    capabilities: [],
  },
  {
    id: 'complete-client-mfa-setup',
    method: 'POST',
    path: '/v1/me/mfa/verify',
    entry: 'functions/api/complete-client-mfa-setup.ts',
    access: { roles: ['client'] },
    summary: 'Client: confirm the authenticator with a code; from then on sign-in asks for a code (SOFTWARE_TOKEN_MFA).',
    tags: ['auth'],
    request: { body: ClientMfaVerifyRequestSchema },
    responses: { 204: { description: 'Two-step sign-in is on.' } },
    capabilities: [],
  },
  {
    id: 'create-clinician',
    method: 'POST',
    path: '/v1/admin/clinicians',
    entry: 'functions/api/create-clinician.ts',
    access: { roles: ['admin'] },
    summary: 'Admin: create a therapist or consultation clinician (staff identity, profile, invitation email).',
    tags: ['clinicians'],
    request: { body: createClinicianRequestSchema(now) },
    responses: { 201: { description: 'The clinician exists and was sent an invitation.', schema: ClinicianProfileSchema } },
    idempotent: true,
    capabilities: ['table:read:staff', 'table:write:staff', 'table:batch-write:staff', 'table:read:email', 'table:write:email', 'table:delete:email', 'identity:admin-staff', 'email:send', 'idempotency'],
  },
  {
    id: 'get-clinician',
    method: 'GET',
    path: '/v1/clinicians/{clinicianId}',
    entry: 'functions/api/get-clinician.ts',
    access: ANY_SIGNED_IN,
    summary: 'A clinician: the full profile for themself, admins, coordinators and supervisors; the public view for everyone else.',
    tags: ['clinicians'],
    request: { params: ClinicianIdParamsSchema },
    responses: { 200: { description: 'The profile, full or public.', schema: ClinicianViewSchema } },
    capabilities: ['table:read:staff'],
  },
  {
    id: 'update-clinician',
    method: 'PATCH',
    path: '/v1/clinicians/{clinicianId}',
    entry: 'functions/api/update-clinician.ts',
    // Checked per id in the use case: the clinician themself or an admin; clients get 404, other staff 403.
    access: ANY_SIGNED_IN,
    summary: 'The clinician (own profile) or an admin: change profile fields.',
    tags: ['clinicians'],
    request: { params: ClinicianIdParamsSchema, body: updateClinicianRequestSchema(now) },
    responses: { 200: { description: 'The updated profile.', schema: ClinicianProfileSchema } },
    capabilities: ['table:read:staff', 'table:write:staff', 'table:delete:staff', 'table:batch-write:staff', 'audit:write-staff'],
  },
  {
    id: 'put-clinician-availability',
    method: 'PUT',
    path: '/v1/clinicians/{clinicianId}/availability',
    entry: 'functions/api/put-clinician-availability.ts',
    access: ANY_SIGNED_IN,
    summary: "The clinician or an admin: replace the weekly hours and dated exceptions (wall-clock times in the clinician's zone).",
    tags: ['clinicians'],
    request: { params: ClinicianIdParamsSchema, body: AvailabilitySchema },
    responses: { 200: { description: 'The stored availability.', schema: ClinicianAvailabilitySchema } },
    capabilities: ['table:read:staff', 'table:write:staff'],
  },
  {
    id: 'get-clinician-availability',
    method: 'GET',
    path: '/v1/clinicians/{clinicianId}/availability',
    entry: 'functions/api/get-clinician-availability.ts',
    access: ANY_SIGNED_IN,
    summary: 'The clinician, an admin or a coordinator: the weekly hours and dated exceptions.',
    tags: ['clinicians'],
    request: { params: ClinicianIdParamsSchema },
    responses: { 200: { description: 'The availability (empty until published).', schema: ClinicianAvailabilitySchema } },
    capabilities: ['table:read:staff'],
  },
  {
    id: 'list-consultation-slots',
    method: 'GET',
    path: '/v1/consultations/slots',
    entry: 'functions/api/list-consultation-slots.ts',
    access: { roles: ['client'] },
    summary: 'Free 15-minute consultation starts with clinicians licensed in your state, in UTC and your time zone.',
    tags: ['consultations'],
    request: { query: SlotsQuerySchema },
    responses: { 200: { description: 'Free starts (booked and held times never appear).', schema: SlotsResponseSchema } },
    capabilities: ['table:read:client', 'table:read:staff', 'index:consults-in', 'table:read:slot-lock'],
  },
  {
    id: 'book-consultation',
    method: 'POST',
    path: '/v1/consultations',
    entry: 'functions/api/book-consultation.ts',
    access: { roles: ['client'] },
    summary: 'Book your free consultation (one per client); confirmation with a calendar invite by email.',
    tags: ['consultations'],
    request: { body: BookConsultationRequestSchema },
    responses: { 201: { description: 'Booked.', schema: ConsultationSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'index:consults-in', 'table:read:slot-lock', 'table:write:slot-lock', 'workflow:consultation', 'idempotency', 'audit:write'],
  },
  {
    id: 'hold-consultation-slot',
    method: 'POST',
    path: '/v1/consultations/holds',
    entry: 'functions/api/hold-consultation-slot.ts',
    access: { roles: ['client'] },
    summary: 'Hold a start for a few minutes while you confirm; book it with its holdId.',
    tags: ['consultations'],
    request: { body: HoldRequestSchema },
    responses: { 201: { description: 'Held until expiresAt.', schema: HoldResponseSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:read:staff', 'index:consults-in', 'table:read:slot-lock', 'table:write:slot-lock', 'idempotency', 'audit:write'],
  },
  {
    id: 'list-consultations',
    method: 'GET',
    path: '/v1/consultations',
    entry: 'functions/api/list-consultations.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: "Your consultations: a client's own; a clinician's from yesterday on.",
    tags: ['consultations'],
    responses: { 200: { description: 'The consultations, by start.', schema: ConsultationListSchema } },
    capabilities: ['table:read:client', 'table:read:consultation', 'index:consultations-of', 'audit:write'], // the audit events of the reads
  },
  {
    id: 'get-consultation',
    method: 'GET',
    path: '/v1/consultations/{id}',
    entry: 'functions/api/get-consultation.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'One consultation, for its client or its clinician (anyone else: 404).',
    tags: ['consultations'],
    request: { params: ConsultationParamsSchema },
    responses: { 200: { description: 'The consultation.', schema: ConsultationSchema } },
    capabilities: ['table:read:client', 'table:read:consultation', 'audit:write'], // the audit events of the reads
  },
  {
    id: 'cancel-consultation',
    method: 'POST',
    path: '/v1/consultations/{id}/cancel',
    entry: 'functions/api/cancel-consultation.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'Cancel, until the cutoff before the start; the free consultation can be booked again.',
    tags: ['consultations'],
    request: { params: ConsultationParamsSchema },
    responses: { 200: { description: 'Cancelled (again: the same answer).', schema: ConsultationSchema } },
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:consultation', 'table:write:consultation', 'table:delete:slot-lock', 'workflow:consultation', 'audit:write'],
  },
  {
    id: 'reschedule-consultation',
    method: 'POST',
    path: '/v1/consultations/{id}/reschedule',
    entry: 'functions/api/reschedule-consultation.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'Move to another free start of the same clinician, until the cutoff before the current start.',
    tags: ['consultations'],
    request: { params: ConsultationParamsSchema, body: RescheduleRequestSchema },
    responses: { 200: { description: 'Moved; a new confirmation and invite follow.', schema: ConsultationSchema } },
    capabilities: ['table:read:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'index:consults-in', 'table:read:slot-lock', 'table:write:slot-lock', 'table:delete:slot-lock', 'workflow:consultation', 'audit:write'],
  },
  {
    id: 'record-consultation-outcome',
    method: 'POST',
    path: '/v1/consultations/{id}/outcome',
    entry: 'functions/api/record-consultation-outcome.ts',
    access: { roles: CLINICIAN_ROLES },
    summary: "The consultation's clinician, from the start on: completed (client awaits matching) or no_show (rebook offered once).",
    tags: ['consultations'],
    request: { params: ConsultationParamsSchema, body: OutcomeRequestSchema },
    responses: { 200: { description: 'Recorded (the same outcome again: the same answer).', schema: ConsultationSchema } },
    capabilities: ['table:read:client', 'table:write:client', 'table:read:consultation', 'table:write:consultation', 'workflow:consultation', 'audit:write'],
  },
  {
    id: 'list-instruments',
    method: 'GET',
    path: '/v1/instruments',
    entry: 'functions/api/list-instruments.ts',
    access: ANY_SIGNED_IN,
    summary: 'The standardized measures (PHQ-9, GAD-7, PCL-5, C-SSRS screener): items, answer options, recall period, version.',
    tags: ['monitor'],
    responses: { 200: { description: 'The instruments, in the order apps show them.', schema: InstrumentListSchema } },
    capabilities: [],
  },
  {
    id: 'submit-assessment',
    method: 'POST',
    path: '/v1/clients/{clientId}/assessments',
    entry: 'functions/api/submit-assessment.ts',
    // Per client in the use case (access policy): the client, the assigned therapist, the consultation clinician before matching; anyone else 404.
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'Submit an instrument: scored at once; any risk flag starts the risk escalation, and a client gets the crisis resources.',
    tags: ['monitor'],
    request: { params: ClientParamsSchema, body: AssessmentSubmissionSchema },
    responses: { 201: { description: 'Stored and scored (flag reasons for clinicians; crisis resources for a flagged client).', schema: SubmitAssessmentResponseSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'audit:write', 'workflow:risk-escalation', 'idempotency', 'table:read:risk-task'],
  },
  {
    id: 'list-assessments',
    method: 'GET',
    path: '/v1/clients/{clientId}/assessments',
    entry: 'functions/api/list-assessments.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'Assessment history, newest first, with the outcome summary per instrument (baseline, latest, change, reliable change, response, remission).',
    tags: ['monitor'],
    request: { params: ClientParamsSchema, query: AssessmentHistoryQuerySchema },
    responses: { 200: { description: 'A page of assessments and the outcome summaries.', schema: AssessmentHistorySchema } },
    // Reads write their audit events.
    capabilities: ['table:read:client', 'audit:write', 'cursor:sign', 'table:read:risk-task'],
  },
  {
    id: 'record-check-in',
    method: 'POST',
    path: '/v1/clients/{clientId}/check-ins',
    entry: 'functions/api/record-check-in.ts',
    access: { roles: ['client'] },
    summary: 'The client logs mood, anxiety, sleep, triggers, coping skills and a note; thoughts of self-harm start the risk escalation.',
    tags: ['monitor'],
    request: { params: ClientParamsSchema, body: CheckInRequestSchema },
    responses: { 201: { description: 'Recorded (with the crisis resources when self-harm was reported).', schema: RecordCheckInResponseSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'audit:write', 'workflow:risk-escalation', 'idempotency'],
  },
  {
    id: 'list-check-ins',
    method: 'GET',
    path: '/v1/clients/{clientId}/check-ins',
    entry: 'functions/api/list-check-ins.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'Check-ins, newest first, with 7-day and 28-day averages of mood, anxiety and sleep.',
    tags: ['monitor'],
    request: { params: ClientParamsSchema, query: CheckInListQuerySchema },
    responses: { 200: { description: 'A page of check-ins and the trends.', schema: CheckInListSchema } },
    capabilities: ['table:read:client', 'audit:write', 'cursor:sign', 'table:read:risk-task'],
  },
  {
    id: 'record-diagnosis',
    method: 'POST',
    path: '/v1/clients/{clientId}/diagnoses',
    entry: 'functions/api/record-diagnosis.ts',
    access: { roles: CLINICIAN_ROLES },
    summary: "The client's responsible clinician records a diagnosis (ICD-10-CM code, DSM-5-TR name) or a new version of one; history kept, nothing deleted.",
    tags: ['monitor'],
    request: { params: ClientParamsSchema, body: RecordDiagnosisRequestSchema },
    responses: { 201: { description: 'The version recorded.', schema: DiagnosisVersionSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'audit:write', 'idempotency', 'table:read:risk-task'],
  },
  {
    id: 'list-diagnoses',
    method: 'GET',
    path: '/v1/clients/{clientId}/diagnoses',
    entry: 'functions/api/list-diagnoses.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: "The client's diagnoses, each with its history (the client reads their own).",
    tags: ['monitor'],
    request: { params: ClientParamsSchema },
    responses: { 200: { description: 'Every diagnosis, the most recently changed first.', schema: DiagnosisListSchema } },
    capabilities: ['table:read:client', 'audit:write', 'table:read:risk-task'],
  },
  {
    id: 'list-risk-tasks',
    method: 'GET',
    path: '/v1/risk-tasks',
    entry: 'functions/api/list-risk-tasks.ts',
    access: { roles: CLINICIAN_ROLES },
    summary: 'Open risk tasks: your own (assigned to you, or your on-call tasks); a supervisor sees every open task. Soonest deadline first.',
    tags: ['risk'],
    responses: { 200: { description: 'The open risk tasks.', schema: RiskTaskListSchema } },
    capabilities: ['table:read:client', 'table:read:risk-task', 'index:risk-tasks-of', 'index:risk-tasks-open', 'audit:write'],
  },
  {
    id: 'acknowledge-risk-task',
    method: 'POST',
    path: '/v1/risk-tasks/{id}/acknowledge',
    entry: 'functions/api/acknowledge-risk-task.ts',
    access: ANY_SIGNED_IN,
    summary: "Take the task: stops the escalation. The client's clinician, a supervisor or the on-call coordinator it is assigned to; anyone else 404.",
    tags: ['risk'],
    request: { params: RiskTaskParamsSchema },
    responses: { 200: { description: 'Acknowledged (by you again: the same answer).', schema: RiskTaskSchema } },
    capabilities: ['table:read:client', 'table:read:risk-task', 'table:write:risk-task', 'audit:write'],
  },
  {
    id: 'assess-risk-task',
    method: 'POST',
    path: '/v1/risk-tasks/{id}/assessment',
    entry: 'functions/api/assess-risk-task.ts',
    access: ANY_SIGNED_IN,
    summary: "The clinician's risk assessment with the Stanley-Brown safety plan and an optional referral to a higher level of care; closes the task. The client's clinician or a supervisor; the on-call coordinator 403; anyone else 404.",
    tags: ['risk'],
    request: { params: RiskTaskParamsSchema, body: RiskAssessmentRequestSchema },
    responses: { 200: { description: 'Assessed: the closed task.', schema: RiskTaskSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:read:risk-task', 'table:write:risk-task', 'table:delete:risk-task', 'audit:write', 'idempotency'],
  },
  {
    id: 'put-intake',
    method: 'PUT',
    path: '/v1/clients/{clientId}/intake',
    entry: 'functions/api/put-intake.ts',
    // Per client in the use case (access policy): the client (their draft), the consultation clinician, a coordinator or the assigned therapist (the confirmed intake); anyone else 404.
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: "Record the intake: concerns (one primary), goals, preferences, availability windows (in the client's time zone), client type and state. A client's write is their draft; a clinician's is the confirmed intake matching uses.",
    tags: ['matching'],
    request: { params: ClientParamsSchema, body: IntakeRequestSchema },
    responses: { 200: { description: 'Both versions of the intake, as stored.', schema: IntakeViewSchema } },
    capabilities: ['table:read:client', 'table:write:client', 'audit:write'],
  },
  {
    id: 'get-intake',
    method: 'GET',
    path: '/v1/clients/{clientId}/intake',
    entry: 'functions/api/get-intake.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: "The client's intake: the confirmed version and the client's draft.",
    tags: ['matching'],
    request: { params: ClientParamsSchema },
    responses: { 200: { description: 'Both versions (null where none was written).', schema: IntakeViewSchema } },
    // Reads write their audit events.
    capabilities: ['table:read:client', 'audit:write'],
  },
  {
    id: 'list-matches',
    method: 'GET',
    path: '/v1/clients/{clientId}/matches',
    entry: 'functions/api/list-matches.ts',
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: 'The top 3 therapists for the client, each with a score breakdown and plain-language reasons. The client or their consultation clinician; anyone else 404.',
    tags: ['matching'],
    request: { params: ClientParamsSchema },
    responses: { 200: { description: 'The matches, as the caller may see them.', schema: MatchesViewSchema } },
    capabilities: ['table:read:client', 'table:read:staff', 'index:therapists-in', 'audit:write'],
  },
  {
    id: 'accept-match',
    method: 'POST',
    path: '/v1/clients/{clientId}/matches/{therapistId}/accept',
    entry: 'functions/api/accept-match.ts',
    access: { roles: ['client'] },
    summary: 'The client chooses one of their current matches: a place in the caseload is taken atomically, the therapist relationship begins (the therapist gains access) and care starts.',
    tags: ['matching'],
    request: { params: MatchParamsSchema },
    responses: {
      201: { description: 'Assigned.', schema: AcceptMatchResponseSchema },
      200: { description: 'Already assigned to this therapist: the same assignment.', schema: AcceptMatchResponseSchema },
    },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:read:staff', 'table:write:staff', 'index:therapists-in', 'audit:write', 'idempotency', 'table:delete:client'],
  },
  {
    id: 'rematch',
    method: 'POST',
    path: '/v1/clients/{clientId}/rematch',
    entry: 'functions/api/rematch.ts',
    access: { roles: ['client'] },
    summary: 'The client leaves their therapist (who loses access to new records at once) and gets new matches without them.',
    tags: ['matching'],
    request: { params: ClientParamsSchema, body: RematchRequestSchema },
    responses: { 200: { description: 'The relationship ended; the new matches.', schema: RematchResponseSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:staff', 'table:write:staff', 'index:therapists-in', 'audit:write', 'idempotency'],
  },
  {
    id: 'pin-match',
    method: 'POST',
    path: '/v1/clients/{clientId}/matches/pin',
    entry: 'functions/api/pin-match.ts',
    access: { roles: CLINICIAN_ROLES },
    summary: 'The consultation clinician recommends a therapist: shown first whenever they pass the hard filters (null removes the pin). Anyone else 404.',
    tags: ['matching'],
    request: { params: ClientParamsSchema, body: PinRequestSchema },
    responses: { 200: { description: 'The pin as stored.', schema: PinViewSchema } },
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:staff', 'index:therapists-in', 'audit:write'],
  },
  {
    id: 'get-client',
    method: 'GET',
    path: '/v1/clients/{clientId}',
    entry: 'functions/api/get-client.ts',
    // Per client in the use case: the client, the assigned therapist, the consultation clinician before matching; anyone else 404.
    access: { roles: ['client', ...CLINICIAN_ROLES] },
    summary: "The client's profile basics, stage, care team and what the care lifecycle does next (audited).",
    tags: ['care'],
    request: { params: ClientParamsSchema },
    responses: { 200: { description: 'The client and their care.', schema: ClientViewSchema } },
    // Reads write their audit events.
    capabilities: ['table:read:client', 'table:read:staff', 'audit:write'],
  },
  {
    id: 'discharge-client',
    method: 'POST',
    path: '/v1/clients/{clientId}/discharge',
    entry: 'functions/api/discharge-client.ts',
    access: { roles: CLINICIAN_ROLES },
    summary: 'The assigned therapist ends care with a reason: stage discharged, relationship ended, caseload freed, in one transaction (audited); the care lifecycle ends at its next wake-up.',
    tags: ['care'],
    request: { params: ClientParamsSchema, body: DischargeRequestSchema },
    responses: { 200: { description: 'Discharged.', schema: DischargeResponseSchema } },
    idempotent: true,
    capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:staff', 'table:write:staff', 'audit:write', 'idempotency'],
  },
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

export function route(id: RouteId): RouteDefinition {
  const found = ROUTES.find((r) => r.id === id);
  if (!found) throw new Error(`Unknown route ${id}`);
  return found;
}
