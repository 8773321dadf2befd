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

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(message = 'Not found.') {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class EmailAlreadyRegisteredError extends AppError {
  readonly code = 'email_already_registered';
  constructor() {
    super('An account with this email already exists. Sign in instead, or reset your password.');
    this.name = 'EmailAlreadyRegisteredError';
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
