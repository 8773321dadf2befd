/**
 * The contract between POST /v1/signup and the `signup` workflow (workflows/signup.asl.json):
 * what the API hands the workflow, what a successful execution returns, and the error names a
 * failed execution ends with. The API maps those names to HTTP statuses; every other error is
 * a 500 with the request id.
 *
 * A taken email is not a failure: the workflow sends its owner a notice and succeeds with
 * `account_exists`, and the API answers exactly as for a new account (issue 9, finding 4).
 *
 * The input carries the password because the first task (CreateIdentity) needs it; the workflow
 * drops it from its state right after that task, so no later state, and not the output, sees
 * it. Express workflows must not log execution data (infra: `includeExecutionData: false`).
 */
import * as z from 'zod';
import { LEGAL_DOCUMENT_TYPES, type LegalDocumentType } from './legal-documents.js';
import { CLIENT_TYPES, CalendarDateSchema, EmailSchema, TimeZoneSchema, normalizeEmail, type SignupRequest } from './signup.js';
import { US_STATE_CODES } from './us-states.js';

/** Error names a failed signup execution ends with (the Fail states' `Error`). */
export const SIGNUP_WORKFLOW_ERRORS = {
  /** Any failure, compensated so no half-made account remains: 500 with the request id. */
  signupFailed: 'SignupFailed',
} as const;

/**
 * The task error that means "someone (a client or a staff member) already owns this email":
 * caught inside the workflow, which then notifies the owner instead of failing.
 */
export const EMAIL_ALREADY_REGISTERED_ERROR = 'EmailAlreadyRegisteredError';
export type SignupWorkflowError = (typeof SIGNUP_WORKFLOW_ERRORS)[keyof typeof SIGNUP_WORKFLOW_ERRORS];

/** The stage every new client starts in, and the status the workflow answers with. */
export const INITIAL_CLIENT_STAGE = 'awaiting_consultation' as const;

/** An email already in the one stored form (lower case, trimmed): keys and usernames use it. */
export const NormalizedEmailSchema = EmailSchema.refine((email) => email === normalizeEmail(email), {
  error: 'The email must be normalized (trimmed, lower case).',
});

export const SignupAccountSchema = z.strictObject({
  email: NormalizedEmailSchema,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  dateOfBirth: CalendarDateSchema,
  clientType: z.enum(CLIENT_TYPES),
  state: z.enum(US_STATE_CODES),
  timezone: TimeZoneSchema,
  phone: z.string().optional(),
});
export type SignupAccount = z.infer<typeof SignupAccountSchema>;

export const ConsentAcceptanceSchema = z.strictObject({
  document: z.enum(LEGAL_DOCUMENT_TYPES),
  version: z.string().min(1),
});
export type ConsentAcceptance = z.infer<typeof ConsentAcceptanceSchema>;

const USER_AGENT_MAX_LENGTH = 512;

/** Where and when the consents were given: kept with each consent record as evidence. */
export const ConsentContextSchema = z.strictObject({
  ipAddress: z.string().min(1).max(64),
  userAgent: z.string().max(USER_AGENT_MAX_LENGTH),
  acceptedAt: z.iso.datetime({ offset: true }),
});
export type ConsentContext = z.infer<typeof ConsentContextSchema>;

export const SignupWorkflowInputSchema = z.strictObject({
  /** The API request id: names the execution and travels into logs and records. */
  requestId: z.string().min(1).max(128),
  account: SignupAccountSchema,
  /** Checked against the password policy by the API; the identity provider enforces it too. */
  password: z.string().min(1),
  consents: z
    .array(ConsentAcceptanceSchema)
    .min(1)
    .refine((consents) => new Set(consents.map((c) => c.document)).size === consents.length, {
      error: 'Each document is accepted once.',
    }),
  consentContext: ConsentContextSchema,
});
export type SignupWorkflowInput = z.infer<typeof SignupWorkflowInputSchema>;

/**
 * What a successful execution returns. Internal: the API answers both outcomes alike and
 * never passes the client id on.
 */
export const SignupWorkflowOutputSchema = z.discriminatedUnion('outcome', [
  /** A new, unverified account; the code is on its way. */
  z.strictObject({ outcome: z.literal('verification_sent'), clientId: z.string().min(1) }),
  /** The email had an account (client or staff): its owner got a notice; nothing was created. */
  z.strictObject({ outcome: z.literal('account_exists') }),
]);
export type SignupWorkflowOutput = z.infer<typeof SignupWorkflowOutputSchema>;

/**
 * Builds the workflow input from a validated signup request (the API's side of the contract).
 * The consents object of the request becomes one entry per document.
 */
export function toSignupWorkflowInput(
  request: SignupRequest,
  context: { requestId: string; ipAddress: string; userAgent: string; acceptedAt: Date },
): SignupWorkflowInput {
  const consents = (Object.entries(request.consents) as [LegalDocumentType, string][]).map(([document, version]) => ({
    document,
    version,
  }));
  return {
    requestId: context.requestId,
    account: {
      email: normalizeEmail(request.email),
      firstName: request.firstName,
      lastName: request.lastName,
      dateOfBirth: request.dateOfBirth,
      clientType: request.clientType,
      state: request.state,
      timezone: request.timezone,
      ...(request.phone === undefined ? {} : { phone: request.phone }),
    },
    password: request.password,
    consents,
    consentContext: {
      ipAddress: context.ipAddress,
      // Evidence, not an input to trust: a very long header is cut rather than failing signup.
      userAgent: context.userAgent.slice(0, USER_AGENT_MAX_LENGTH),
      acceptedAt: context.acceptedAt.toISOString(),
    },
  };
}
