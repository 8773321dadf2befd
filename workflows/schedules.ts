/**
 * Functions that run on a schedule (EventBridge Scheduler in AWS: infra/stacks/workflows-stack.ts;
 * the local stack runs what it must at start-up instead, and the progress reviews at every hour of its clock: local/progress-review-scheduler.ts). Like the registry's tasks, each names
 * its handler module and declares its capabilities, which become its IAM and environment.
 */
import type { Capability } from '../shared/platform/capabilities.js';

export interface ScheduledTask {
  /** Names the function: `moodrx-<stage>-<id>`, and its schedule. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly capabilities: readonly Capability[];
  /** EventBridge Scheduler expression, evaluated in UTC. */
  readonly scheduleExpression: string;
  readonly description: string;
  /** The function's timeout (at most 900). */
  readonly timeoutSeconds: number;
  /** Pass the schedule's own time as `scheduledTime` in the input (`<aws.scheduler.scheduled-time>`). */
  readonly withScheduledTime?: boolean;
}

export const SCHEDULED_TASKS = {
  reconcileCareLifecycles: {
    id: 'reconcile-care-lifecycles',
    entry: 'functions/scheduled/reconcile-care-lifecycles.ts',
    // It lists clients by stage (GSI1) and records the execution it finds or starts on the client's profile.
    capabilities: ['table:read:client', 'table:write:client', 'index:client-stage', 'workflow:care-lifecycle'],
    // Daily, at a quiet hour for US clients.
    scheduleExpression: 'cron(30 8 * * ? *)',
    description: 'Restarts the care lifecycle of every client in an active stage whose execution is missing or ended (never a second one)',
    timeoutSeconds: 900,
  },
  verifyAuditChains: {
    id: 'verify-audit-chains',
    entry: 'functions/scheduled/verify-audit-chains.ts',
    // Reads the chains (audit:verify: the audit partitions and the AUDIT_CHAINS listing only) and
    // verifies their MACs; it can neither write the table nor make a MAC.
    capabilities: ['audit:verify'],
    // Daily, after the nightly backup (05:00 UTC) and before the US working day.
    scheduleExpression: 'cron(0 7 * * ? *)',
    description: 'Verifies every audit chain (clients and staff) under the KMS HMAC key; fails and raises AuditChainsBroken on a broken chain',
    timeoutSeconds: 900,
  },
  startProgressReviews: {
    id: 'start-progress-reviews',
    entry: 'functions/scheduled/start-progress-reviews.ts',
    // Starts (and, for a duplicate delivery, describes) the hour's run of the progress-reviews workflow; no table access.
    capabilities: ['workflow:progress-reviews'],
    // Every hour on the hour: each therapist's local weekday and hour is checked by the workflow (shared/domain/reviews/schedule.ts).
    scheduleExpression: 'cron(0 * * * ? *)',
    description: 'Starts the hour\'s progress-review run (execution name per UTC hour: a duplicate delivery starts nothing)',
    timeoutSeconds: 60,
    withScheduledTime: true,
  },
} as const satisfies Record<string, ScheduledTask>;
