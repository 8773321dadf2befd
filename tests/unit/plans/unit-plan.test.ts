import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitPlanPrivacyError } from '../../../shared/domain/errors.js';
import { CreatePlanRequestSchema, resolveContent, type StoredPlan } from '../../../shared/domain/plans/plan.js';
import {
  AcknowledgeUnitPlanRequestSchema,
  mayAcknowledge,
  refuseUnitPlanIssues,
  unitPlanContentIssues,
  unitPlanEvidenceIssues,
  unitPlanView,
  UnitPlanViewSchema,
} from '../../../shared/domain/plans/unit-plan.js';
import { planView } from '../../../shared/domain/plans/views.js';

const BASE = {
  problems: [{ id: 'p1', description: 'Arguments about chores escalate (synthetic).' }],
  goals: [{ id: 'g1', problemIds: ['p1'], statement: 'We talk it through without shouting.' }],
  sessionFrequency: { every: 'week' },
  dischargeCriteria: ['Four weeks without an escalation (synthetic).'],
};
const BEHAVIOUR = { kind: 'behaviour', id: 'o1', goalId: 'g1', description: 'A weekly 20-minute check-in without devices.', dueDate: '2030-03-01' };
const MEASURE = { kind: 'measure', id: 'o2', goalId: 'g1', instrument: 'phq9', target: { kind: 'below', value: 10 }, dueDate: '2030-03-01' };
const DIAGNOSIS_ID = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';

const content = (extra: Record<string, unknown> = {}) => CreatePlanRequestSchema.parse({ ...BASE, ...extra });

describe('the unit plan privacy rule', () => {
  it('allows behavioural objectives with due dates and problems without diagnoses', () => {
    expect(unitPlanContentIssues(content({ objectives: [BEHAVIOUR] }))).toEqual([]);
    expect(() => refuseUnitPlanIssues([])).not.toThrow();
  });

  it('refuses an instrument objective (422 unit_plan_measure_objective, the field named)', () => {
    const issues = unitPlanContentIssues(content({ objectives: [BEHAVIOUR, MEASURE] }));
    expect(issues).toEqual([{ code: 'unit_plan_measure_objective', field: 'objectives.1' }]);
    const error = (() => {
      try {
        refuseUnitPlanIssues(issues);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnitPlanPrivacyError);
    expect((error as UnitPlanPrivacyError).code).toBe('unit_plan_measure_objective');
    expect((error as UnitPlanPrivacyError).extensions).toEqual({ fields: ['objectives.1'] });
    expect((error as UnitPlanPrivacyError).message).toMatch(/scores/);
  });

  it('refuses a primary instrument, a problem linked to diagnoses and assessments as evidence', () => {
    expect(unitPlanContentIssues(content({ primaryInstrument: 'gad7' }))).toEqual([{ code: 'unit_plan_measure_objective', field: 'primaryInstrument' }]);
    const linked = content({ problems: [{ id: 'p1', description: 'Synthetic.', diagnosisIds: [DIAGNOSIS_ID] }] });
    expect(unitPlanContentIssues(linked)).toEqual([{ code: 'unit_plan_member_diagnosis', field: 'problems.0.diagnosisIds' }]);
    expect(unitPlanEvidenceIssues([DIAGNOSIS_ID])).toEqual([{ code: 'unit_plan_member_evidence', field: 'revision.evidence.assessmentIds' }]);
    expect(unitPlanEvidenceIssues([])).toEqual([]);
  });

  it('finds an issue exactly when a measure objective, a primary instrument or a diagnosis link is present (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(3), (measure, primary, diagnosis, behaviours) => {
        const objectives = [...Array.from({ length: behaviours }, (_, i) => ({ ...BEHAVIOUR, id: `b${i}` })), ...(measure ? [MEASURE] : [])];
        const parsed = content({
          objectives,
          ...(primary ? { primaryInstrument: 'phq9' } : {}),
          problems: [{ id: 'p1', description: 'Synthetic.', diagnosisIds: diagnosis ? [DIAGNOSIS_ID] : [] }],
        });
        const codes = new Set(unitPlanContentIssues(parsed).map((i) => i.code));
        expect(codes.has('unit_plan_measure_objective')).toBe(measure || primary);
        expect(codes.has('unit_plan_member_diagnosis')).toBe(diagnosis);
      }),
    );
  });
});

describe('who acknowledges the unit plan', () => {
  const today = '2030-01-15';
  it('an active adult member; not a minor, not a member who left, was removed or is only invited', () => {
    expect(mayAcknowledge({ status: 'active' }, '1990-02-14', today)).toBe(true);
    // Unknown birth date: treated as adult (shared/domain/care-units/units.ts isMinor).
    expect(mayAcknowledge({ status: 'active' }, undefined, today)).toBe(true);
    expect(mayAcknowledge({ status: 'active' }, '2015-06-01', today)).toBe(false);
    expect(mayAcknowledge({ status: 'active' }, '2012-01-16', today)).toBe(false);
    expect(mayAcknowledge({ status: 'active' }, '2012-01-15', today)).toBe(true);
    for (const status of ['left', 'removed', 'invited', 'declined'] as const) expect(mayAcknowledge({ status }, '1990-02-14', today)).toBe(false);
    expect(mayAcknowledge(undefined, '1990-02-14', today)).toBe(false);
  });

  it('takes no body: goal notes stay on a member\'s own plan', () => {
    expect(AcknowledgeUnitPlanRequestSchema.safeParse({}).success).toBe(true);
    expect(AcknowledgeUnitPlanRequestSchema.safeParse({ goalNotes: [{ goalId: 'g1', note: 'x' }] }).success).toBe(false);
  });
});

describe('the unit plan view', () => {
  const now = new Date('2030-01-01T12:00:00.000Z');
  const plan: StoredPlan = {
    ...resolveContent(content({ objectives: [BEHAVIOUR], clinicianNotes: 'Formulation (synthetic).' }), now, 90),
    planId: '0190a1b2-c3d4-7e5f-8a6b-000000000001',
    subject: { kind: 'care_unit', careUnitId: 'unit-1' },
    version: 2,
    status: 'active',
    replaces: { planId: '0190a1b2-c3d4-7e5f-8a6b-000000000000', version: 1 },
    revision: { reason: 'client_preference', text: 'Clinician-only rationale (synthetic).', evidence: { assessmentIds: [] } },
    createdAt: now.toISOString(),
    createdBy: { userId: 't1', role: 'therapist' },
    updatedAt: now.toISOString(),
  };
  const acks = [
    { clientId: 'b', version: 2, acknowledgedAt: '2030-01-03T00:00:00.000Z' },
    { clientId: 'a', version: 2, acknowledgedAt: '2030-01-02T00:00:00.000Z' },
    { clientId: 'a', version: 1, acknowledgedAt: '2029-12-01T00:00:00.000Z' },
  ];
  const names = new Map([
    ['a', { firstName: 'Rowan', lastName: 'Example' }],
    ['b', { firstName: 'Sage', lastName: 'Example' }],
  ]);

  it("a member sees the client view: no clinician notes, no revision text, their own acknowledgement and everyone's by name", () => {
    const view = unitPlanView(planView(plan, 'client', new Map(), undefined), acks, names, 'a');
    expect(UnitPlanViewSchema.parse(view)).toEqual(view);
    expect(view.clinicianNotes).toBeUndefined();
    expect(view.revision).toEqual({ reason: 'client_preference', evidence: { assessmentIds: [] } });
    expect(view.subject).toEqual({ kind: 'care_unit', careUnitId: 'unit-1' });
    expect(view.clientId).toBeUndefined();
    expect(view.acknowledgement).toEqual({ acknowledgedAt: '2030-01-02T00:00:00.000Z', goalNotes: [] });
    // Names only, first first; no member ids.
    expect(view.acknowledgements).toEqual([
      { firstName: 'Rowan', lastName: 'Example', acknowledgedAt: '2030-01-02T00:00:00.000Z' },
      { firstName: 'Sage', lastName: 'Example', acknowledgedAt: '2030-01-03T00:00:00.000Z' },
    ]);
    expect(view.objectives[0]).toMatchObject({ kind: 'behaviour', status: expect.any(String) });
  });

  it('the care team sees every field; no acknowledgement of their own', () => {
    const view = unitPlanView(planView(plan, 'care_team', new Map(), undefined), acks, names, undefined);
    expect(view.clinicianNotes).toBe('Formulation (synthetic).');
    expect(view.revision?.text).toBe('Clinician-only rationale (synthetic).');
    expect(view.acknowledgement).toBeNull();
    expect(view.acknowledgements).toHaveLength(2);
  });

  it('a member who has not acknowledged this version: null (an earlier version does not count)', () => {
    const view = unitPlanView(planView(plan, 'client', new Map(), undefined), acks.filter((a) => a.version === 1), names, 'a');
    expect(view.acknowledgement).toBeNull();
    expect(view.acknowledgements).toEqual([]);
  });
});
