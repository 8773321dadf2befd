/**
 * Issue 9, finding 8: a Standard execution's history (kept 90 days) holds ids, counters, flags
 * and Wait instants only (workflows/execution-data.ts). Checked here on the definitions (every
 * Parameters, ResultSelector, Pass Result and ResultPath), on the input schemas of the starters
 * and tasks, and on the starter itself; the workflow tests check the histories of real runs.
 * And logs: no logger call in shared/ or functions/ puts a level, score or stage next to an id.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { createRiskEscalationStarter } from '../../../shared/adapters/sfn/risk-escalation-starter.js';
import { ContinueAsNewInputSchema } from '../../../shared/use-cases/care-lifecycle/continue-as-new.js';
import { DoDueActionsTaskInputSchema } from '../../../shared/use-cases/care-lifecycle/do-due-actions.js';
import { CareLifecycleInputSchema, ReviewClientInputSchema } from '../../../shared/use-cases/care-lifecycle/review-client.js';
import { CheckOutcomeInputSchema, ConsultationTaskInputSchema, ReminderTaskInputSchema } from '../../../shared/use-cases/consultations/workflow-tasks.js';
import type { JsonValue, WorkflowStarter } from '../../../shared/use-cases/ports.js';
import { ListDueTherapistsInputSchema, TherapistPeriodInputSchema } from '../../../shared/use-cases/reviews/progress-reviews.js';
import { SessionReminderInputSchema, SessionTaskInputSchema } from '../../../shared/use-cases/sessions/workflow-tasks.js';
import {
  CheckAcknowledgedInputSchema,
  EscalateInputSchema,
  OpenRiskTaskInputSchema,
  ResolveResponsibleInputSchema,
  RiskEscalationInputSchema,
  TaskRefInputSchema,
} from '../../../shared/use-cases/risk/workflow-tasks.js';
import { EXECUTION_FIELDS, fieldNames, FORBIDDEN_EXECUTION_FIELDS, SIGNUP_EXECUTION_FIELDS } from '../../../workflows/execution-data.js';
import { WORKFLOWS } from '../../../workflows/registry.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const allowed = new Set<string>(EXECUTION_FIELDS);
const forbidden = new Set<string>(FORBIDDEN_EXECUTION_FIELDS);

interface AslState {
  Type: string;
  Parameters?: unknown;
  ResultSelector?: unknown;
  Result?: unknown;
  ResultPath?: string | null;
  Catch?: { ResultPath?: string }[];
}

interface AslMachine {
  States: Record<string, AslState & { ItemProcessor?: AslMachine; Iterator?: AslMachine; Branches?: AslMachine[] }>;
}

/** Every state of the definition, with those of its Map item processors and Parallel branches (names are unique per workflow). */
function states(definitionFile: string): Record<string, AslState> {
  const all: Record<string, AslState> = {};
  const collect = (machine: AslMachine) => {
    for (const [name, state] of Object.entries(machine.States)) {
      all[name] = state;
      for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (nested) collect(nested);
    }
  };
  collect(JSON.parse(readFileSync(path.join(ROOT, definitionFile), 'utf8')) as AslMachine);
  return all;
}

/** `$.a.b` -> ['a', 'b']. */
const pathFields = (jsonPath: string | null | undefined): string[] => (jsonPath ? jsonPath.replace(/^\$\.?/, '').split('.').filter(Boolean) : []);

/** Every field name a state can put into the history: task parameters, selected results, Pass results, result paths. */
function fieldsOf(state: AslState): Set<string> {
  const found = new Set<string>();
  fieldNames(state.Parameters, found);
  fieldNames(state.ResultSelector, found);
  if (state.Type === 'Pass') fieldNames(state.Result, found);
  for (const field of [...pathFields(state.ResultPath), ...(state.Catch ?? []).flatMap((c) => pathFields(c.ResultPath))]) found.add(field);
  return found;
}

/**
 * Tasks whose whole output enters the state (no ResultSelector), each with every field its
 * output can have: a ResultSelector cannot pick a field that is sometimes absent (it fails the
 * state), and these outputs have optional fields. The workflow tests check the real outputs.
 */
const WHOLE_OUTPUT_TASKS: Record<string, readonly string[]> = {
  // ResponsibilitySchema: { kind, staffId? }.
  ResolveResponsibleClinician: ['kind', 'staffId'],
  // shared/use-cases/consultations/workflow-tasks.ts
  ReadSchedule: ['current', 'start', 'endsAt', 'dayBeforeAt', 'hourBeforeAt', 'remindDayBefore', 'remindHourBefore', 'maxOutcomeChecks', 'outcomeCheckSeconds'],
  SendConfirmation: ['current', 'sent'],
  SendDayBeforeReminder: ['current', 'sent', 'skipped'],
  SendHourBeforeReminder: ['current', 'sent', 'skipped'],
  CheckOutcome: ['state', 'checks'],
  SendRebookOffer: ['sent', 'reason'],
  SendCancellation: ['current', 'sent'],
};

/** The top-level and nested field names of a zod object schema (unions: every option). */
function schemaFields(schema: z.ZodType, found = new Set<string>()): Set<string> {
  const def = (schema as unknown as { def: { type: string; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; innerType?: z.ZodType; element?: z.ZodType } }).def;
  if (def.type === 'object' && def.shape) {
    for (const [key, inner] of Object.entries(def.shape)) {
      found.add(key);
      schemaFields(inner, found);
    }
  } else if (def.type === 'union' && def.options) {
    for (const option of def.options) schemaFields(option, found);
  } else if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
    schemaFields(def.innerType, found);
  } else if (def.type === 'array' && def.element) {
    schemaFields(def.element, found);
  }
  return found;
}

describe('execution data: ids only (issue 9, finding 8)', () => {
  const standard = Object.values(WORKFLOWS).filter((workflow) => workflow.type === 'STANDARD');

  it('covers every Standard workflow, and keeps the allowed and forbidden lists apart', () => {
    expect(standard.map((w) => w.id).sort()).toEqual(['care-lifecycle', 'consultation', 'progress-reviews', 'risk-escalation', 'session']);
    expect([...allowed].filter((field) => forbidden.has(field))).toEqual([]);
    expect(SIGNUP_EXECUTION_FIELDS.filter((field) => forbidden.has(field))).toEqual([]);
  });

  for (const workflow of standard) {
    it(`${workflow.id}: every Parameters, ResultSelector, Pass Result and ResultPath names allowed fields only`, () => {
      for (const [name, state] of Object.entries(states(workflow.definitionFile))) {
        const fields = [...fieldsOf(state)];
        expect(fields.filter((field) => !allowed.has(field)), `${workflow.id}/${name}`).toEqual([]);
        expect(fields.filter((field) => forbidden.has(field)), `${workflow.id}/${name}`).toEqual([]);
      }
    });

    it(`${workflow.id}: a task's result enters the state through a ResultSelector, or is one of the listed whole outputs`, () => {
      for (const [name, state] of Object.entries(states(workflow.definitionFile))) {
        if (state.Type !== 'Task' || state.ResultPath === null || state.ResultSelector !== undefined) continue;
        const output = WHOLE_OUTPUT_TASKS[name];
        expect(output, `${workflow.id}/${name} keeps its whole output without a ResultSelector`).toBeDefined();
        expect(output!.filter((field) => !allowed.has(field)), name).toEqual([]);
      }
    });
  }

  it('signup (Express, no stored history): the account it must create, and no health data', () => {
    const signupAllowed = new Set<string>(SIGNUP_EXECUTION_FIELDS);
    for (const [name, state] of Object.entries(states(WORKFLOWS.signup.definitionFile))) {
      const fields = [...fieldsOf(state)];
      expect(fields.filter((field) => !signupAllowed.has(field)), name).toEqual([]);
    }
  });

  it('the execution inputs and the task inputs are ids, counters and control fields only', () => {
    const schemas: Record<string, z.ZodType> = {
      RiskEscalationInputSchema,
      OpenRiskTaskInputSchema,
      ResolveResponsibleInputSchema,
      TaskRefInputSchema,
      CheckAcknowledgedInputSchema,
      EscalateInputSchema,
      CareLifecycleInputSchema,
      ReviewClientInputSchema,
      DoDueActionsTaskInputSchema,
      ContinueAsNewInputSchema,
      ConsultationTaskInputSchema,
      ReminderTaskInputSchema,
      CheckOutcomeInputSchema,
      SessionTaskInputSchema,
      SessionReminderInputSchema,
      ListDueTherapistsInputSchema,
      TherapistPeriodInputSchema,
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const fields = [...schemaFields(schema)];
      expect(fields.length, name).toBeGreaterThan(0);
      expect(fields.filter((field) => !allowed.has(field)), name).toEqual([]);
      expect(fields.filter((field) => forbidden.has(field)), name).toEqual([]);
    }
    expect([...schemaFields(RiskEscalationInputSchema)].sort()).toEqual(['clientId', 'id', 'source', 'type']);
  });

  it('the risk-escalation starter sends ids only, whatever else its caller holds (the pending marker has the level)', async () => {
    const started: { name: string; input: JsonValue }[] = [];
    const starter: WorkflowStarter = {
      start: (request) => {
        started.push(request);
        return Promise.resolve({ executionArn: 'arn:aws:states:us-east-1:111111111111:execution:m:n', alreadyStarted: false });
      },
    };
    const pending = { clientId: 'c-1', level: 'high' as const, source: { type: 'assessment' as const, id: 'a1' }, flaggedAt: '2026-11-26T10:00:00.000Z' };
    await createRiskEscalationStarter({ starter }).start(pending);
    expect(started).toEqual([{ name: 'risk-assessment-a1', input: { clientId: 'c-1', source: { type: 'assessment', id: 'a1' } } }]);
    expect(RiskEscalationInputSchema.safeParse({ ...pending }).success).toBe(false);
  });
});

describe('logs: no level, score or stage next to an id (issue 9, finding 8)', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return sources(full);
      return full.endsWith('.ts') ? [full] : [];
    });
  }

  it('no logger call in shared/ or functions/ names a level, score, stage, risk flag or referral field', () => {
    const offending: string[] = [];
    // A logger call and its arguments, up to the closing parenthesis of a one- or multi-line call.
    const call = /\b(?:logger|log)\s*\.\s*(?:debug|info|warn|error|critical|appendKeys)\s*\(([^;]*?)\)\s*;/gs;
    const field = /\b(?:level|riskLevel|score|total|stage|riskFlags|referral|diagnosis)\s*[:,}]/i;
    for (const file of [...sources(path.join(ROOT, 'shared')), ...sources(path.join(ROOT, 'functions'))]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(call)) {
        if (field.test(match[1] ?? '')) offending.push(`${path.relative(ROOT, file)}: ${match[0].slice(0, 120)}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
