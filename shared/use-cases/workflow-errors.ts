/**
 * Errors raised by workflow tasks. A task's error NAME is what the state machine's Retry and
 * Catch match on (Lambda reports it as `errorType`), so each class sets `this.name` and the
 * names never change. Business errors shared with the API (EmailAlreadyRegisteredError) live in
 * shared/domain/errors.ts.
 */

/** The client's profile is not there (never created, or removed by compensation). */
export class ClientNotFoundError extends Error {
  constructor(readonly clientId: string) {
    super(`No profile for client ${clientId}.`);
    this.name = 'ClientNotFoundError';
  }
}

/** This client's records exist but the email record does not name this client: a state no retry can fix. */
export class ClientRecordsConflictError extends Error {
  constructor(readonly clientId: string) {
    super(`Records for client ${clientId} exist without its email record.`);
    this.name = 'ClientRecordsConflictError';
  }
}

/** The workflow already has an execution of this name with a different input. */
export class WorkflowExecutionConflictError extends Error {
  constructor(readonly executionName: string) {
    super(`An execution named ${executionName} exists with a different input.`);
    this.name = 'WorkflowExecutionConflictError';
  }
}
