/**
 * What an execution may carry (security review, issue 9, finding 8): a Standard execution's
 * history - its input, every state's input and output, every task's parameters - is kept by
 * Step Functions for 90 days, next to the client's id. So the state holds ids, counters,
 * control flags and the instants a Wait needs, and never health data (a risk level, a stage,
 * a referral, a diagnosis, a score, an action taken about a client, a name, an email, a note):
 * the tasks read what they need from the table by id.
 *
 * Enforced by tests/unit/workflows/execution-data.test.ts (the definitions, the input schemas)
 * and by the workflow tests (every field of a real execution's history).
 */

/** Field names an execution's state (at any depth) may hold, in the Standard workflows. */
export const EXECUTION_FIELDS = [
  // ids
  'clientId',
  'taskId',
  'consultationId',
  'sessionId',
  'scheduleVersion',
  'generation',
  'executionArn',
  'source',
  'type',
  'id',
  'responsible',
  'kind',
  'staffId',
  // workflow control: phases, counters, flags, sleeps and the instants Wait states wait for
  'phase',
  'wakeUps',
  'totalWakeUps',
  'sleptSeconds',
  'nextWakeInSeconds',
  'actionCount',
  'end',
  'continueAsNew',
  'closedCare',
  'deferred',
  'continued',
  'recorded',
  'review',
  'acted',
  // ReviewClient's parameter: the whole state (the counters above)
  'lifecycle',
  'task',
  'dueAt',
  'reEscalationSeconds',
  'created',
  'watch',
  'checks',
  'round',
  'handled',
  'exhausted',
  'alert',
  'escalation',
  'unresolved',
  'marked',
  'schedule',
  'current',
  'start',
  'endsAt',
  'dayBeforeAt',
  'hourBeforeAt',
  'remindDayBefore',
  'remindHourBefore',
  'maxOutcomeChecks',
  'outcomeCheckSeconds',
  'maxChecks',
  'confirmation',
  'dayBeforeReminder',
  'hourBeforeReminder',
  'sent',
  'skipped',
  'outcome',
  'state',
  'rebookOffer',
  'reason',
  'cancellation',
  // progress reviews: the hour's tick, the due therapists' ids and periods, flags and a read counter
  'hourOf',
  'due',
  'therapists',
  'count',
  'therapistId',
  'periodStart',
  'periodEnd',
  'build',
  'send',
  'stored',
  'reads',
  // a caught error (Catch ResultPath): its name and message (messages name ids and fields only)
  'failure',
  'alertFailure',
  'escalationFailure',
  'unresolvedFailure',
  'confirmationFailure',
  'dayBeforeReminderFailure',
  'hourBeforeReminderFailure',
  'actionFailure',
  'Error',
  'Cause',
] as const;

/** Never in any execution, whatever the workflow (the signup Express workflow included). */
export const FORBIDDEN_EXECUTION_FIELDS = [
  'level',
  'riskLevel',
  'riskFlags',
  'flaggedAt',
  'stage',
  'actions',
  'done',
  'referral',
  'referralId',
  'diagnosis',
  'score',
  'total',
  'answers',
  'notes',
  'note',
  'assessment',
  'instrument',
  'since',
] as const;

/**
 * The signup workflow is Express, run synchronously: Step Functions keeps no history of it (its
 * logs are ERROR-level without execution data), and it must carry the new account to create it.
 * Its fields are the account's, never health data.
 */
export const SIGNUP_EXECUTION_FIELDS = [
  'requestId',
  'account',
  'email',
  'firstName',
  'lastName',
  'dateOfBirth',
  'clientType',
  'state',
  'timezone',
  'password',
  'consents',
  'document',
  'version',
  'consentContext',
  'ipAddress',
  'userAgent',
  'acceptedAt',
  'clientId',
  'identity',
  'client',
  'status',
  'outcome',
  'failure',
  'noticeFailure',
  'compensationFailure',
  'Error',
  'Cause',
] as const;

/** Every field name in a JSON value, at any depth (array items included); `.$` suffixes dropped. */
export function fieldNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) fieldNames(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      found.add(key.endsWith('.$') ? key.slice(0, -2) : key);
      fieldNames(inner, found);
    }
  }
  return found;
}
