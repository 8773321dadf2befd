/**
 * Inputs of the session workflow (workflows/session.asl.json): ids only (workflows/execution-data.ts).
 * `schedule` runs ONE schedule version of a session: the confirmation with its .ics invite, then
 * the reminders 24 h and 1 h before (reminderPlan of shared/domain/consultations.ts: the same
 * rules as consultations). Every wake-up re-reads the session, and a run whose version was
 * cancelled or moved on ends without sending. `cancelled` is a short run for the cancellation
 * notice (METHOD:CANCEL).
 */
export const SESSION_WORKFLOW_PHASES = ['schedule', 'cancelled'] as const;
export type SessionWorkflowPhase = (typeof SESSION_WORKFLOW_PHASES)[number];

export interface SessionWorkflowInput {
  [key: string]: string | number;
  sessionId: string;
  scheduleVersion: number;
  phase: SessionWorkflowPhase;
}

/**
 * Execution names: unique per session and version (a retried start finds its run, a moved
 * session's new version gets its own), at most 80 characters.
 */
export function sessionExecutionName(input: SessionWorkflowInput): string {
  return `session-${input.sessionId}-${input.phase === 'schedule' ? `v${input.scheduleVersion}` : 'cancelled'}`;
}
