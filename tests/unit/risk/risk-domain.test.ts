/** The pure parts of risk escalation: ids, deadlines, the responsible clinician, access, schemas, settings, emails. */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../shared/config/environment.js';
import { DEFAULT_RISK_ESCALATION_SETTINGS, readRiskEscalationSettings } from '../../../shared/config/risk-escalation.js';
import type { CareRelationship } from '../../../shared/domain/access.js';
import { RISK_LEVELS } from '../../../shared/domain/instruments/risk-flags.js';
import type { Role } from '../../../shared/domain/roles.js';
import {
  chooseResponsible,
  decideRiskTaskAccess,
  RiskAssessmentRequestSchema,
  riskTaskDueAt,
  riskTaskIdFor,
  RiskTaskIdSchema,
  SafetyPlanSchema,
  type RiskTask,
} from '../../../shared/domain/risk-tasks.js';
import { renderRiskAlert, renderRiskEscalation } from '../../../shared/notifications/risk-emails.js';

const C = 'client-1';
const rel = (clinicianId: string, kind: CareRelationship['kind'], endedAt?: string): CareRelationship => ({
  clientId: C,
  clinicianId,
  kind,
  startedAt: '2026-01-01T00:00:00.000Z',
  ...(endedAt ? { endedAt, endReason: 'rematch' as const } : {}),
});

describe('risk task ids', () => {
  it('are derived from the source, one per flagged record, and fit an execution name', () => {
    const id = '0192f0c4-8b9e-7a4c-9d3e-5f6a7b8c9d0e';
    expect(riskTaskIdFor({ type: 'assessment', id })).toBe(`risk-assessment-${id}`);
    expect(riskTaskIdFor({ type: 'check_in', id })).toBe(`risk-check_in-${id}`);
    expect(riskTaskIdFor({ type: 'check_in', id: 'x'.repeat(64) }).length).toBeLessThanOrEqual(80);
    expect(() => riskTaskIdFor({ type: 'assessment', id: 'a/b' })).toThrow(RangeError);
    expect(() => riskTaskIdFor({ type: 'assessment', id: '' })).toThrow(RangeError);
    expect(RiskTaskIdSchema.safeParse(`risk-assessment-${id}`).success).toBe(true);
    expect(RiskTaskIdSchema.safeParse('risk-diagnosis-1').success).toBe(false);
  });
});

describe('deadlines', () => {
  const flaggedAt = '2026-11-26T10:00:00.000Z';

  it('defaults to high 1 h, moderate 4 h, low 24 h after the flag', () => {
    const within = DEFAULT_RISK_ESCALATION_SETTINGS.acknowledgeWithinMinutes;
    expect(riskTaskDueAt('high', flaggedAt, within)).toBe('2026-11-26T11:00:00.000Z');
    expect(riskTaskDueAt('moderate', flaggedAt, within)).toBe('2026-11-26T14:00:00.000Z');
    expect(riskTaskDueAt('low', flaggedAt, within)).toBe('2026-11-27T10:00:00.000Z');
  });

  it('counts from the flag in UTC whatever the offset given, and refuses a non-instant', () => {
    expect(riskTaskDueAt('high', '2026-11-26T05:00:00-05:00', { high: 1, moderate: 2, low: 3 })).toBe('2026-11-26T10:01:00.000Z');
    expect(() => riskTaskDueAt('high', 'yesterday', DEFAULT_RISK_ESCALATION_SETTINGS.acknowledgeWithinMinutes)).toThrow(RangeError);
  });

  it('more urgent levels never wait longer (defaults)', () => {
    const within = DEFAULT_RISK_ESCALATION_SETTINGS.acknowledgeWithinMinutes;
    expect(within.high).toBeLessThanOrEqual(within.moderate);
    expect(within.moderate).toBeLessThanOrEqual(within.low);
    expect(Object.keys(within).sort()).toEqual([...RISK_LEVELS].sort());
  });
});

describe('settings', () => {
  it('are the defaults when nothing is set', () => {
    expect(readRiskEscalationSettings({})).toEqual(DEFAULT_RISK_ESCALATION_SETTINGS);
  });

  it('take each variable, and fail naming a bad one', () => {
    const settings = readRiskEscalationSettings({ RISK_ACK_MINUTES_HIGH: '30', RISK_REESCALATION_MINUTES: '15', RISK_ESCALATION_ROUNDS: '5' });
    expect(settings).toMatchObject({ acknowledgeWithinMinutes: { high: 30, moderate: 240, low: 1440 }, reEscalationMinutes: 15, maxEscalationRounds: 5 });
    expect(() => readRiskEscalationSettings({ RISK_ESCALATION_ROUNDS: '0' })).toThrow(/RISK_ESCALATION_ROUNDS/);
    expect(() => readRiskEscalationSettings({ RISK_ACK_MINUTES_LOW: 'soon' })).toThrow(ConfigurationError);
  });

  it('refuse a more urgent level with a later deadline', () => {
    expect(() => readRiskEscalationSettings({ RISK_ACK_MINUTES_HIGH: '300' })).toThrow(/RISK_ACK_MINUTES_HIGH/);
  });
});

describe('the responsible clinician', () => {
  const coordinators = [
    { staffId: 'k-new', createdAt: '2026-05-01T00:00:00.000Z' },
    { staffId: 'k-b', createdAt: '2026-01-01T00:00:00.000Z' },
    { staffId: 'k-a', createdAt: '2026-01-01T00:00:00.000Z' },
  ];

  it('is the active therapist, even with a consultation clinician still recorded', () => {
    expect(chooseResponsible([rel('c1', 'consultation'), rel('t1', 'therapist')], coordinators)).toEqual({ kind: 'therapist', staffId: 't1' });
  });

  it('is the consultation clinician before matching', () => {
    expect(chooseResponsible([rel('c1', 'consultation')], coordinators)).toEqual({ kind: 'consultation', staffId: 'c1' });
  });

  it('ignores ended relationships', () => {
    expect(chooseResponsible([rel('t0', 'therapist', '2026-02-01T00:00:00.000Z')], coordinators)).toMatchObject({ kind: 'on_call' });
  });

  it('else the longest-serving coordinator, ties by id, in any input order', () => {
    expect(chooseResponsible([], coordinators)).toEqual({ kind: 'on_call', staffId: 'k-a' });
    expect(chooseResponsible([], [...coordinators].reverse())).toEqual({ kind: 'on_call', staffId: 'k-a' });
    expect(chooseResponsible([], [{ staffId: 'k-0', createdAt: '' }, { staffId: 'k-z', createdAt: '2026-09-01T00:00:00.000Z' }])).toEqual({ kind: 'on_call', staffId: 'k-z' });
  });

  it('else nobody (the workflow escalates at once)', () => {
    expect(chooseResponsible([], [])).toEqual({ kind: 'unassigned' });
  });
});

describe('who may act on a risk task', () => {
  const DUE = '2026-03-02T16:00:00.000Z';
  const task = (over: Partial<RiskTask> = {}): Pick<RiskTask, 'clientId' | 'status' | 'dueAt' | 'responsibility' | 'responsibleClinicianId'> => ({
    clientId: C,
    status: 'open',
    dueAt: DUE,
    responsibility: 'therapist',
    responsibleClinicianId: 't1',
    ...over,
  });
  const decide = (
    userId: string,
    role: Role,
    action: 'read' | 'acknowledge' | 'assess',
    over: Partial<RiskTask> = {},
    relationships = [rel('t1', 'therapist')],
    at = '2026-03-02T15:00:00.000Z',
  ) => decideRiskTaskAccess({ caller: { userId, role }, task: task(over), relationships, action, at });

  it.each(['read', 'acknowledge', 'assess'] as const)('the assigned therapist and a supervisor (open task): %s', (action) => {
    expect(decide('t1', 'therapist', action)).toEqual({ allowed: true, basis: 'assigned_therapist' });
    expect(decide('s1', 'supervisor', action)).toEqual({ allowed: true, basis: 'supervisor' });
  });

  it('the consultation clinician before matching, whoever was alerted', () => {
    expect(decide('c1', 'coordinator', 'assess', { responsibility: 'on_call', responsibleClinicianId: 'k1' }, [rel('c1', 'consultation')])).toEqual({
      allowed: true,
      basis: 'consultation_clinician',
    });
  });

  it('404 for another therapist, the client, another client and an admin', () => {
    for (const [userId, role] of [
      ['t2', 'therapist'],
      [C, 'client'],
      ['client-2', 'client'],
      ['a1', 'admin'],
    ] as const) {
      const decision = decide(userId, role, 'read');
      expect(decision.allowed, `${role} ${userId}`).toBe(false);
      expect(decision.allowed ? undefined : decision.respondAs).toBe('not_found');
    }
  });

  it('a therapist rematched away since the alert loses the task (only an active relationship)', () => {
    expect(decide('t1', 'therapist', 'read', {}, [rel('t1', 'therapist', '2026-03-01T00:00:00.000Z'), rel('t2', 'therapist')])).toMatchObject({
      allowed: false,
      respondAs: 'not_found',
    });
    expect(decide('t2', 'therapist', 'acknowledge', {}, [rel('t1', 'therapist', '2026-03-01T00:00:00.000Z'), rel('t2', 'therapist')])).toMatchObject({
      allowed: true,
    });
  });

  it('a supervisor only while the task is open', () => {
    expect(decide('s1', 'supervisor', 'read', { status: 'assessed' })).toMatchObject({ allowed: false, reason: 'no_open_risk_task' });
    for (const status of ['acknowledged', 'escalated', 'unresolved'] as const) expect(decide('s1', 'supervisor', 'assess', { status }).allowed).toBe(true);
  });

  it('a supervisor keeps an open task however late (its record access ends 7 days after the deadline: access policy), the clinician too; a closed task no longer', () => {
    const lastInstant = new Date(Date.parse(DUE) + 7 * 86_400_000).toISOString();
    const after = new Date(Date.parse(DUE) + 7 * 86_400_000 + 1).toISOString();
    expect(decide('s1', 'supervisor', 'assess', { status: 'unresolved' }, undefined, lastInstant)).toEqual({ allowed: true, basis: 'supervisor' });
    expect(decide('s1', 'supervisor', 'read', { status: 'unresolved' }, undefined, after)).toEqual({ allowed: true, basis: 'supervisor' });
    expect(decide('s1', 'supervisor', 'assess', { status: 'unresolved' }, undefined, after)).toEqual({ allowed: true, basis: 'supervisor' });
    expect(decide('s1', 'supervisor', 'read', { status: 'assessed' }, undefined, after)).toMatchObject({ allowed: false, respondAs: 'not_found' });
    expect(decide('t1', 'therapist', 'assess', { status: 'unresolved' }, undefined, after)).toEqual({ allowed: true, basis: 'assigned_therapist' });
  });

  it('the on-call coordinator: their task only, read and acknowledge, assessment 403', () => {
    const onCall = { responsibility: 'on_call' as const, responsibleClinicianId: 'k1' };
    expect(decide('k1', 'coordinator', 'read', onCall, [])).toEqual({ allowed: true, basis: 'coordinator' });
    expect(decide('k1', 'coordinator', 'acknowledge', onCall, [])).toEqual({ allowed: true, basis: 'coordinator' });
    expect(decide('k1', 'coordinator', 'assess', onCall, [])).toMatchObject({ allowed: false, respondAs: 'forbidden' });
    expect(decide('k2', 'coordinator', 'read', onCall, [])).toMatchObject({ allowed: false, respondAs: 'not_found' });
    // Not on call for it (a therapist's task): 404, coordinators see intake data only.
    expect(decide('k1', 'coordinator', 'read')).toMatchObject({ allowed: false, respondAs: 'not_found' });
  });
});

describe('the risk assessment and the Stanley-Brown safety plan', () => {
  const plan = {
    warningSigns: ['w'],
    internalCopingStrategies: ['c'],
    socialDistractions: { people: [], places: ['library'] },
    peopleToAskForHelp: [],
    professionalsAndAgencies: [{ name: 'Lifeline', contact: '988' }],
    environmentSafety: ['e'],
  };

  it('accepts the six steps with 988 in step 5 (any spelling of the number)', () => {
    expect(SafetyPlanSchema.safeParse(plan).success).toBe(true);
    expect(SafetyPlanSchema.safeParse({ ...plan, professionalsAndAgencies: [{ name: 'Lifeline', contact: '9-8-8' }] }).success).toBe(true);
  });

  it('refuses a missing step, an unknown field, step 5 without 988, step 3 empty', () => {
    const { environmentSafety: _e, ...five } = plan;
    expect(SafetyPlanSchema.safeParse(five).success).toBe(false);
    expect(SafetyPlanSchema.safeParse({ ...plan, notes: 'x' }).success).toBe(false);
    expect(SafetyPlanSchema.safeParse({ ...plan, professionalsAndAgencies: [{ name: 'Dr', contact: '555-0100' }] }).success).toBe(false);
    expect(SafetyPlanSchema.safeParse({ ...plan, socialDistractions: { people: [], places: [] } }).success).toBe(false);
    expect(SafetyPlanSchema.safeParse({ ...plan, warningSigns: ['  '] }).success).toBe(false);
  });

  it('needs a safety plan for moderate and high, not for none or low', () => {
    const base = { rationale: 'r', actions: ['a'] };
    for (const level of ['moderate', 'high'] as const) {
      expect(RiskAssessmentRequestSchema.safeParse({ ...base, level }).success).toBe(false);
      expect(RiskAssessmentRequestSchema.safeParse({ ...base, level, safetyPlan: plan }).success).toBe(true);
    }
    for (const level of ['none', 'low'] as const) expect(RiskAssessmentRequestSchema.safeParse({ ...base, level }).success).toBe(true);
  });

  it('takes a referral to a known level of care only', () => {
    const base = { level: 'high', rationale: 'r', actions: ['a'], safetyPlan: plan };
    expect(RiskAssessmentRequestSchema.safeParse({ ...base, referral: { levelOfCare: 'partial_hospitalization', to: 'PHP', reason: 'r' } }).success).toBe(true);
    expect(RiskAssessmentRequestSchema.safeParse({ ...base, referral: { levelOfCare: 'outpatient', to: 'x', reason: 'r' } }).success).toBe(false);
    expect(RiskAssessmentRequestSchema.safeParse({ ...base, actions: [] }).success).toBe(false);
  });
});

describe('risk emails', () => {
  it('carry "a client needs review" and the task link, nothing else', () => {
    const taskId = 'risk-assessment-0192f0c4';
    for (const email of [renderRiskAlert({ taskId, appBaseUrl: 'https://app.example/moodrx' }), renderRiskEscalation({ taskId, appBaseUrl: 'https://app.example/moodrx', round: 2 })]) {
      expect(email.text).toContain('A client needs review');
      expect(email.text).toContain(`https://app.example/moodrx/risk-tasks/${taskId}`);
      expect(email.html).toContain(`https://app.example/moodrx/risk-tasks/${taskId}`);
      expect(`${email.subject} ${email.text}`.toLowerCase()).not.toMatch(/phq|gad|c-ssrs|score|answer|high|moderate|severe|suicid/);
    }
  });
});
