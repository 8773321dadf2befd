/**
 * The workflows, their definition files and the Lambda task behind each `${...Arn}`
 * placeholder in those files. Infra creates one function per task and substitutes its ARN
 * (DefinitionBody.fromFile + definitionSubstitutions); the local stack substitutes a local ARN
 * and runs the same handler in-process. One list, so the two cannot drift.
 */
import type { Capability } from '../shared/platform/capabilities.js';

export interface WorkflowTask {
  /** Names the function: `moodrx-<stage>-<id>`. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly capabilities: readonly Capability[];
}

export interface WorkflowDefinition {
  readonly id: string;
  readonly type: 'EXPRESS' | 'STANDARD';
  /** ASL (JSONPath) file, relative to the repository root. */
  readonly definitionFile: string;
  /** Placeholder name in the file (without `${}`) -> task. */
  readonly tasks: Readonly<Record<string, WorkflowTask>>;
}

export const WORKFLOWS = {
  signup: {
    id: 'signup',
    type: 'EXPRESS',
    definitionFile: 'workflows/signup.asl.json',
    tasks: {
      CreateIdentityFunctionArn: {
        id: 'signup-create-identity',
        entry: 'functions/tasks/signup/create-identity.ts',
        capabilities: ['identity:admin-clients'],
      },
      PersistClientFunctionArn: {
        id: 'signup-persist-client',
        entry: 'functions/tasks/signup/persist-client.ts',
        capabilities: ['table:write:client', 'table:read:email', 'table:write:email'],
      },
      SendVerificationEmailFunctionArn: {
        id: 'signup-send-verification-email',
        entry: 'functions/tasks/signup/send-verification-email.ts',
        capabilities: ['table:read:client', 'table:write:client', 'email:send'],
      },
      SendSignupNoticeFunctionArn: {
        id: 'signup-send-signup-notice',
        entry: 'functions/tasks/signup/send-signup-notice.ts',
        capabilities: ['email:send'],
      },
      RemoveClientRecordsFunctionArn: {
        id: 'signup-remove-client-records',
        entry: 'functions/tasks/signup/remove-client-records.ts',
        capabilities: ['table:read:client', 'table:batch-write:client', 'table:delete:email'],
      },
      DeleteIdentityFunctionArn: {
        id: 'signup-delete-identity',
        entry: 'functions/tasks/signup/delete-identity.ts',
        capabilities: ['identity:undo-client'],
      },
    },
  },
  careLifecycle: {
    id: 'care-lifecycle',
    type: 'STANDARD',
    definitionFile: 'workflows/care-lifecycle.asl.json',
    tasks: {
      ReviewClientFunctionArn: {
        id: 'care-lifecycle-review-client',
        entry: 'functions/tasks/care-lifecycle/review-client.ts',
        // Care-unit area (read): the client's care units' active plans, whose next check wakes the lifecycle too.
        capabilities: ['table:read:client', 'table:read:care-unit'],
      },
      DoDueActionsFunctionArn: {
        id: 'care-lifecycle-do-due-actions',
        entry: 'functions/tasks/care-lifecycle/do-due-actions.ts',
        // Session area, lock cells, workflow:session: a referral cancels the client's future sessions (shared/use-cases/sessions/care-ended.ts).
        capabilities: ['table:read:client', 'table:write:client', 'table:delete:client', 'table:read:staff', 'table:write:staff', 'audit:write', 'email:send', 'table:read:session', 'table:write:session', 'table:delete:slot-lock', 'workflow:session'],
      },
      CheckPlanProgressFunctionArn: {
        id: 'care-lifecycle-check-plan-progress',
        entry: 'functions/tasks/care-lifecycle/check-plan-progress.ts',
        // Care-unit area: the client's units and their active plans read, the unit's plan review tasks written (pattern 88).
        capabilities: ['table:read:client', 'table:write:client', 'table:read:care-unit', 'table:write:care-unit', 'audit:write'],
      },
      ContinueAsNewFunctionArn: {
        id: 'care-lifecycle-continue-as-new',
        entry: 'functions/tasks/care-lifecycle/continue-as-new.ts',
        capabilities: ['table:read:client', 'table:write:client', 'workflow:care-lifecycle'],
      },
    },
  },
  consultation: {
    id: 'consultation',
    type: 'STANDARD',
    definitionFile: 'workflows/consultation.asl.json',
    tasks: {
      ReadScheduleFunctionArn: {
        id: 'consultation-read-schedule',
        entry: 'functions/tasks/consultation/read-schedule.ts',
        capabilities: ['table:read:consultation'],
      },
      SendConfirmationFunctionArn: {
        id: 'consultation-send-confirmation',
        entry: 'functions/tasks/consultation/send-confirmation.ts',
        capabilities: ['table:read:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'email:send'],
      },
      SendReminderFunctionArn: {
        id: 'consultation-send-reminder',
        entry: 'functions/tasks/consultation/send-reminder.ts',
        capabilities: ['table:read:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'email:send'],
      },
      CheckOutcomeFunctionArn: {
        id: 'consultation-check-outcome',
        entry: 'functions/tasks/consultation/check-outcome.ts',
        capabilities: ['table:read:consultation', 'table:write:consultation'],
      },
      SendRebookOfferFunctionArn: {
        id: 'consultation-send-rebook-offer',
        entry: 'functions/tasks/consultation/send-rebook-offer.ts',
        capabilities: ['table:read:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'email:send'],
      },
      SendCancellationFunctionArn: {
        id: 'consultation-send-cancellation',
        entry: 'functions/tasks/consultation/send-cancellation.ts',
        capabilities: ['table:read:client', 'table:read:consultation', 'table:write:consultation', 'table:read:staff', 'email:send'],
      },
    },
  },
  session: {
    id: 'session',
    type: 'STANDARD',
    definitionFile: 'workflows/session.asl.json',
    tasks: {
      ReadScheduleFunctionArn: {
        id: 'session-read-schedule',
        entry: 'functions/tasks/session/read-schedule.ts',
        capabilities: ['table:read:session'],
      },
      SendConfirmationFunctionArn: {
        id: 'session-send-confirmation',
        entry: 'functions/tasks/session/send-confirmation.ts',
        capabilities: ['table:read:client', 'table:read:session', 'table:write:session', 'table:read:staff', 'email:send'],
      },
      SendReminderFunctionArn: {
        id: 'session-send-reminder',
        entry: 'functions/tasks/session/send-reminder.ts',
        capabilities: ['table:read:client', 'table:read:session', 'table:write:session', 'table:read:staff', 'email:send'],
      },
      SendCancellationFunctionArn: {
        id: 'session-send-cancellation',
        entry: 'functions/tasks/session/send-cancellation.ts',
        capabilities: ['table:read:client', 'table:read:session', 'table:write:session', 'table:read:staff', 'email:send'],
      },
    },
  },
  riskEscalation: {
    id: 'risk-escalation',
    type: 'STANDARD',
    definitionFile: 'workflows/risk-escalation.asl.json',
    tasks: {
      ResolveResponsibleClinicianFunctionArn: {
        id: 'risk-resolve-clinician',
        entry: 'functions/tasks/risk-escalation/resolve-responsible-clinician.ts',
        capabilities: ['table:read:client', 'index:role'],
      },
      OpenRiskTaskFunctionArn: {
        id: 'risk-open-task',
        entry: 'functions/tasks/risk-escalation/open-risk-task.ts',
        // table:read:client: the level and flag time come from the flagged assessment or check-in (ids-only executions).
        capabilities: ['table:read:client', 'table:write:client', 'table:read:risk-task', 'table:write:risk-task', 'audit:write'],
      },
      AlertResponsibleClinicianFunctionArn: {
        id: 'risk-alert-clinician',
        entry: 'functions/tasks/risk-escalation/alert-responsible-clinician.ts',
        capabilities: ['table:read:staff', 'table:read:risk-task', 'table:write:risk-task', 'table:delete:risk-task', 'email:send', 'audit:write'],
      },
      CheckAcknowledgedFunctionArn: {
        id: 'risk-check-acknowledged',
        entry: 'functions/tasks/risk-escalation/check-acknowledged.ts',
        capabilities: ['table:read:risk-task'],
      },
      EscalateToSupervisorsFunctionArn: {
        id: 'risk-escalate-to-supervisors',
        entry: 'functions/tasks/risk-escalation/escalate-to-supervisors.ts',
        capabilities: ['table:read:risk-task', 'table:write:risk-task', 'table:delete:risk-task', 'index:role', 'audit:write', 'email:send'],
      },
      MarkUnresolvedFunctionArn: {
        id: 'risk-mark-unresolved',
        entry: 'functions/tasks/risk-escalation/mark-unresolved.ts',
        capabilities: ['table:read:risk-task', 'table:write:risk-task', 'audit:write'],
      },
    },
  },
  progressReviews: {
    id: 'progress-reviews',
    type: 'STANDARD',
    definitionFile: 'workflows/progress-reviews.asl.json',
    tasks: {
      ListDueTherapistsFunctionArn: {
        id: 'progress-reviews-list-due',
        entry: 'functions/tasks/progress-reviews/list-due-therapists.ts',
        // Therapists by role (GSI1 ROLE#therapist: id and zone) and their review preferences.
        capabilities: ['index:role', 'table:read:review'],
      },
      BuildAndStoreReviewFunctionArn: {
        id: 'progress-reviews-build-and-store',
        entry: 'functions/tasks/progress-reviews/build-and-store-review.ts',
        // Clients in care (GSI1 CLINICIAN_CLIENTS#), their records (scores, plan, sessions, check-ins, risk pointers),
        // open risk tasks (RISK_TASK#), the therapist's profile; stores the review (REVIEW#) and audits the reads.
        capabilities: ['index:clinician-clients', 'table:read:client', 'table:read:risk-task', 'table:read:staff', 'table:read:review', 'table:write:review', 'audit:write'],
      },
      SendReviewEmailFunctionArn: {
        id: 'progress-reviews-send-email',
        entry: 'functions/tasks/progress-reviews/send-review-email.ts',
        // The stored review (counts and initials only reach the email), the therapist's address, the claim (REVIEW#, deleted on release).
        capabilities: ['table:read:review', 'table:write:review', 'table:delete:review', 'table:read:staff', 'email:send'],
      },
    },
  },
} as const satisfies Record<string, WorkflowDefinition>;

export type WorkflowKey = keyof typeof WORKFLOWS;
