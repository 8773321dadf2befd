/**
 * Application errors. Each has a stable `code`; shared/http/problem.ts maps codes to HTTP
 * statuses in ONE table, so no handler picks a status by hand. Messages are written for the
 * person using the app and never carry health data, tokens or passwords.
 */
export interface FieldError {
  /** Dotted path of the field in the request, e.g. `consents.privacyPolicy`. */
  field: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  /**
   * Extension members of the problem (RFC 9457 section 3.2), e.g. the alternative times a
   * lost booking race offers. Never health data: problems reach logs and caches.
   */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export class ValidationError extends AppError {
  readonly code = 'validation_failed';
  constructor(
    readonly errors: FieldError[],
    message = 'Some fields are missing or invalid.',
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** A list cursor this service did not give out for this list and caller (changed, forged or from elsewhere). */
export class InvalidCursorError extends AppError {
  readonly code = 'invalid_cursor';
  constructor() {
    super('This cursor is not one we gave out for this list. Start again without it.');
    this.name = 'InvalidCursorError';
  }
}

export class MalformedJsonError extends AppError {
  readonly code = 'malformed_json';
  constructor() {
    super('The request body is not valid JSON.');
    this.name = 'MalformedJsonError';
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  constructor() {
    super('Send the request body as application/json.');
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  constructor(limitBytes: number) {
    super(`The request body is larger than ${Math.round(limitBytes / 1024)} KB.`);
    this.name = 'PayloadTooLargeError';
  }
}

export class AuthenticationRequiredError extends AppError {
  readonly code = 'authentication_required';
  constructor() {
    super('Sign in to continue.');
    this.name = 'AuthenticationRequiredError';
  }
}

export class InvalidCredentialsError extends AppError {
  readonly code = 'invalid_credentials';
  constructor() {
    // The same words for an unknown email and a wrong password: no account enumeration.
    super('The email or password is incorrect.');
    this.name = 'InvalidCredentialsError';
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  constructor(message = 'You do not have access to this.') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * A clinician sent fields only an admin may change (credentialing: ADMIN_ONLY_CLINICIAN_FIELDS
 * in shared/domain/clinicians.ts). 403 rather than 400: the request is well formed, the caller
 * is just not the one who may make it. `fields` names them so a client can drop them.
 */
export class AdminOnlyFieldsError extends AppError {
  readonly code = 'admin_only_fields';
  override readonly extensions: { fields: string[] };
  constructor(fields: readonly string[]) {
    super(`Only an admin can change ${fields.join(', ')}. Ask your administrator to update your credentials.`);
    this.name = 'AdminOnlyFieldsError';
    this.extensions = { fields: [...fields] };
  }
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Someone (a client or a staff member) already owns this email. Signup never lets it reach the
 * caller (it answers as for a new account and notifies the owner); where it does reach one (an
 * admin creating a clinician), it says neither whose the address is nor what kind of account
 * it is: being a client of this service is health information (minimum necessary).
 */
export class EmailAlreadyRegisteredError extends AppError {
  readonly code = 'email_unavailable';
  constructor() {
    super('This email cannot be used for a new account. Use another address.');
    this.name = 'EmailAlreadyRegisteredError';
  }
}

/** POST /v1/signup/verify: one answer for an unknown email and a wrong, expired, used or locked code. */
export class VerificationFailedError extends AppError {
  readonly code = 'verification_failed';
  constructor() {
    super('This code does not verify this email. Check the latest email from us: a code works once, for 24 hours, and 5 wrong tries end it.');
    this.name = 'VerificationFailedError';
  }
}

/** A client whose email is not verified yet tried what needs it (booking). */
export class EmailNotVerifiedError extends AppError {
  readonly code = 'email_not_verified';
  constructor() {
    super('Verify your email first: enter the code we sent you (POST /v1/signup/verify).');
    this.name = 'EmailNotVerifiedError';
  }
}

export class IdempotencyKeyReuseError extends AppError {
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with a different request.');
    this.name = 'IdempotencyKeyReuseError';
  }
}

export class RequestInProgressError extends AppError {
  readonly code = 'request_in_progress';
  constructor() {
    super('A request with this Idempotency-Key is still being processed. Retry shortly.');
    this.name = 'RequestInProgressError';
  }
}

export class SignupFailedError extends AppError {
  readonly code = 'signup_failed';
  constructor() {
    super('We could not create your account. Nothing was saved; please try again.');
    this.name = 'SignupFailedError';
  }
}

export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable';
  constructor(message = 'The service is busy. Please try again shortly.') {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}

export class FreeConsultationUsedError extends AppError {
  readonly code = 'free_consultation_used';
  constructor(message = 'You already have your free consultation booked or done. See it under your consultations.') {
    super(message);
    this.name = 'FreeConsultationUsedError';
  }
}

/** A time one of the clinician's other bookings or holds took first. */
export class SlotTakenError extends AppError {
  readonly code = 'slot_taken';
  override readonly extensions: { alternatives: unknown[] };
  constructor(alternatives: unknown[] = []) {
    super(
      alternatives.length > 0
        ? 'Someone booked this time just before you. Here are other times you can book.'
        : 'Someone booked this time just before you. Pick another time from the list of free times.',
    );
    this.name = 'SlotTakenError';
    this.extensions = { alternatives };
  }
}

export class HoldLimitReachedError extends AppError {
  readonly code = 'hold_limit_reached';
  constructor(maxHolds = 2) {
    super(`You can hold at most ${maxHolds} times at once. Book one of them, or wait until a hold expires.`);
    this.name = 'HoldLimitReachedError';
  }
}

/** Cancel or reschedule after the cutoff before the start. */
export class ChangeTooLateError extends AppError {
  readonly code = 'change_too_late';
  constructor(reason = 'It is too late to change this consultation.') {
    super(reason);
    this.name = 'ChangeTooLateError';
  }
}

/** The consultation is cancelled or done: it cannot be changed any more. */
export class ConsultationClosedError extends AppError {
  readonly code = 'consultation_closed';
  constructor(status = 'closed') {
    super(`This consultation is ${String(status).replace('_', '-')} and can no longer be changed.`);
    this.name = 'ConsultationClosedError';
  }
}

export class OutcomeTooEarlyError extends AppError {
  readonly code = 'outcome_too_early';
  constructor(reason = 'The outcome can be recorded once the consultation has started.') {
    super(reason);
    this.name = 'OutcomeTooEarlyError';
  }
}

export class OutcomeAlreadyRecordedError extends AppError {
  readonly code = 'outcome_already_recorded';
  constructor() {
    super('A different outcome is already recorded for this consultation.');
    this.name = 'OutcomeAlreadyRecordedError';
  }
}

/** Another change to the same record won a race; re-reading and retrying is safe. */
export class ConcurrentChangeError extends AppError {
  readonly code = 'concurrent_change';
  constructor() {
    super('This changed while we were saving your request. Load it again and retry.');
    this.name = 'ConcurrentChangeError';
  }
}

/**
 * A record that raised a risk flag was saved, but the risk-escalation workflow could not be
 * started after retries. 503 rather than a success, so the app retries (with the same
 * Idempotency-Key: the saved record is found, not made again, and the start is idempotent);
 * the record stays marked for a reconciler meanwhile. A client also gets the crisis resources.
 */
export class RiskEscalationNotStartedError extends AppError {
  readonly code = 'risk_escalation_not_started';
  override readonly extensions: { recordId: string; crisisResources?: unknown };
  constructor(recordId: string, crisisResources?: unknown) {
    super(
      'Your answers are saved, but we could not alert your care team just now. Please retry in a moment. If you are in danger now, call or text 988, or call 911.',
    );
    this.name = 'RiskEscalationNotStartedError';
    this.extensions = crisisResources === undefined ? { recordId } : { recordId, crisisResources };
  }
}

/** Someone else acknowledged this risk task first: it is in their hands (the same person again is fine). */
export class RiskTaskAcknowledgedByOtherError extends AppError {
  readonly code = 'risk_task_acknowledged_by_other';
  constructor() {
    super('Another clinician has already acknowledged this risk task.');
    this.name = 'RiskTaskAcknowledgedByOtherError';
  }
}

/** The risk task has its assessment: it is closed and takes no more changes. */
export class RiskTaskClosedError extends AppError {
  readonly code = 'risk_task_closed';
  constructor() {
    super('This risk task has already been assessed.');
    this.name = 'RiskTaskClosedError';
  }
}

/** Why matching cannot run yet (or any more) for this client. */
export const MATCHING_NOT_READY_REASONS = ['consultation_not_completed', 'intake_not_confirmed', 'already_in_care', 'care_ended'] as const;
export type MatchingNotReadyReason = (typeof MATCHING_NOT_READY_REASONS)[number];

const MATCHING_NOT_READY_TEXT: Readonly<Record<MatchingNotReadyReason, string>> = {
  consultation_not_completed: 'Matches are offered after your free consultation.',
  intake_not_confirmed: 'Matches are offered once your consultation clinician has recorded your intake.',
  already_in_care: 'You already have a therapist. To change, ask for a rematch.',
  care_ended: 'Your care with us has ended.',
};

export class MatchingNotReadyError extends AppError {
  readonly code = 'matching_not_ready';
  override readonly extensions: { reason: MatchingNotReadyReason };
  constructor(reason: MatchingNotReadyReason) {
    super(MATCHING_NOT_READY_TEXT[reason]);
    this.name = 'MatchingNotReadyError';
    this.extensions = { reason };
  }
}

/** Accepting a match while another therapist is assigned. */
export class AlreadyMatchedError extends AppError {
  readonly code = 'already_matched';
  constructor() {
    super('You already have a therapist. To change, ask for a rematch.');
    this.name = 'AlreadyMatchedError';
  }
}

/** The therapist filled their caseload (or stopped taking new clients) since the matches were shown. */
export class TherapistFullError extends AppError {
  readonly code = 'therapist_full';
  override readonly extensions: { matches: unknown[] };
  constructor(matches: unknown[]) {
    super('This therapist has just become unavailable for new clients. Here are your matches as they stand now.');
    this.name = 'TherapistFullError';
    this.extensions = { matches };
  }
}

/** A therapist who is not among the client's matches now (never in them, or no longer). */
export class MatchNotOfferedError extends AppError {
  readonly code = 'match_not_offered';
  override readonly extensions: { matches: unknown[] };
  constructor(matches: unknown[]) {
    super('This therapist is not one of your matches now. Here are your matches as they stand now.');
    this.name = 'MatchNotOfferedError';
    this.extensions = { matches };
  }
}

/** A rematch without a therapist to leave. */
export class NotInCareError extends AppError {
  readonly code = 'not_in_care';
  constructor() {
    super('You do not have a therapist at the moment, so there is nobody to change from. See your matches instead.');
    this.name = 'NotInCareError';
  }
}

/** A session needs the client's current assigned therapist, and there is none. */
/** A joint session asked of a care unit whose JOINT care ended (shared/domain/care-units/units.ts `careEndedAt`). */
export class UnitCareEndedError extends AppError {
  readonly code = 'unit_care_ended';
  constructor() {
    super("This unit's joint care has ended: no joint session can be booked. Each member's own care goes on; joint care starts again with a new unit.");
    this.name = 'UnitCareEndedError';
  }
}

export class NoTherapistError extends AppError {
  readonly code = 'no_therapist';
  constructor() {
    super('Sessions are booked with your assigned therapist, and you do not have one at the moment. See your matches first.');
    this.name = 'NoTherapistError';
  }
}

/** The session is cancelled or its attendance recorded: it cannot be changed any more. */
export class SessionClosedError extends AppError {
  readonly code = 'session_closed';
  constructor(status = 'closed') {
    super(`This session is ${String(status).replaceAll('_', ' ')} and can no longer be changed.`);
    this.name = 'SessionClosedError';
  }
}

/** A signed progress note is locked: a change is an addendum (POST /v1/notes/{noteId}/addenda). */
export class NoteSignedError extends AppError {
  readonly code = 'note_signed';
  constructor() {
    super('This note is signed and locked. Add an addendum instead.');
    this.name = 'NoteSignedError';
  }
}

/** An addendum goes on a signed note; a draft is edited. */
export class NoteNotSignedError extends AppError {
  readonly code = 'note_not_signed';
  constructor() {
    super('This note is still a draft: edit it, or sign it before adding an addendum.');
    this.name = 'NoteNotSignedError';
  }
}

/** One progress note per session. */
export class SessionHasNoteError extends AppError {
  readonly code = 'session_has_note';
  override readonly extensions: { noteId?: string };
  constructor(noteId: string | undefined) {
    super('This session already has a note. Edit that draft, or add an addendum once it is signed.');
    this.name = 'SessionHasNoteError';
    this.extensions = noteId === undefined ? {} : { noteId };
  }
}

/** A progress note is written for an attended session only. */
export class SessionNotAttendedError extends AppError {
  readonly code = 'session_not_attended';
  constructor() {
    super('A progress note is written for an attended session. Record the attendance first.');
    this.name = 'SessionNotAttendedError';
  }
}

/** The session has no open task (none was raised for it, or it is closed already by someone else). */
export class SessionTaskNotOpenError extends AppError {
  readonly code = 'session_task_not_open';
  constructor() {
    super('This session has no open task to close.');
    this.name = 'SessionTaskNotOpenError';
  }
}

/** A treatment plan is not in the state the request needs (sign a draft, revise the active version...). */
export class PlanStateError extends AppError {
  readonly code = 'plan_state_conflict';
  constructor(message: string) {
    super(message);
    this.name = 'PlanStateError';
  }
}

/**
 * A care unit's plan asked to carry what one member keeps private (an instrument objective, a
 * member's diagnosis or assessment): the code says which (shared/domain/plans/unit-plan.ts).
 */
export type UnitPlanRefusal = 'unit_plan_measure_objective' | 'unit_plan_member_diagnosis' | 'unit_plan_member_evidence';

export class UnitPlanPrivacyError extends AppError {
  readonly code: UnitPlanRefusal;
  override readonly extensions: { fields: string[] };
  /** `issues`: from unitPlanContentIssues / unitPlanEvidenceIssues; the first one's code names the problem. */
  constructor(issues: readonly { code: UnitPlanRefusal; field: string }[], message = "The care unit's plan cannot carry what a member keeps private.") {
    super(message);
    this.code = issues[0]?.code ?? 'unit_plan_measure_objective';
    this.extensions = { fields: issues.filter((i) => i.code === this.code).map((i) => i.field) };
    this.name = 'UnitPlanPrivacyError';
  }
}

/** A care unit is not in the state the request needs (full, already a member, not a minor, already matched...). */
export class CareUnitStateError extends AppError {
  readonly code = 'care_unit_conflict';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'CareUnitStateError';
  }
}

/** A progress review's flagged client already has a different disposition (one per client per review, final). */
export class DispositionAlreadyRecordedError extends AppError {
  readonly code = 'disposition_already_recorded';
  override readonly extensions: { disposition: unknown };
  constructor(disposition: unknown) {
    super('This client already has a disposition in this review: it is final (the stored one is in `disposition`).');
    this.extensions = { disposition };
    this.name = 'DispositionAlreadyRecordedError';
  }
}
