/**
 * The README's walkthrough "from a match to a revised plan" (issue 10), run as a new user runs
 * it (./support.ts: `npm start` with the first block's environment, the other blocks verbatim
 * in one bash, every `# -> <JSON>` answer checked, Ctrl-C leaves nothing), plus the clinical
 * outcomes: the review task opened at exactly 8 weeks after care started, the revision's reason
 * and evidence, CBT stopped with its reason and ERP active, the objectives carried over.
 */
import { describe, expect, it } from 'vitest';
import { api, expectCtrlCStopsEverything, runWalkthrough } from './support.js';

const SECTION = '### Walkthrough: from a match to a revised plan';
const DAY_MS = 86_400_000;

describe('README walkthrough: from a match to a revised plan', () => {
  it('runs as written on npm start with the controlled clock, and Ctrl-C leaves nothing running', { timeout: 420_000 }, async () => {
    const { started, outputs, vars } = await runWalkthrough(SECTION, {
      blocks: 10,
      environment: { LOCAL_IN_MEMORY: '1', LOCAL_CLOCK: 'controlled' },
      vars: ['CLIENT', 'PLAN1', 'PLAN2', 'BASELINE', 'SESSION1', 'NOTE'] as const,
    });

    // Care started at the accept (block 3); the review task opened exactly 8 weeks later (block 8).
    const accepted = outputs[2]?.find((o): o is { startedAt: string } => typeof o === 'object' && o !== null && 'startedAt' in o);
    const opened = outputs[7]?.find((o): o is { openedAt: string; kind: string } => typeof o === 'object' && o !== null && 'openedAt' in o);
    expect(accepted && opened).toBeTruthy();
    expect(Date.parse(opened!.openedAt) - Date.parse(accepted!.startedAt)).toBe(56 * DAY_MS);
    expect(outputs[7]?.[0]).toEqual([]); // one minute before: none

    // The end state, read back as the therapist.
    const { accessToken: token } = await api<{ accessToken: string }>(started.api, '/v1/auth/login', { json: { email: 'therapist.oh@example.com', password: 'Demo-Password-2026!' } });
    const base = `/v1/clients/${vars.CLIENT}`;
    const phq9 = await api<{ items: { assessmentId: string }[] }>(started.api, `${base}/assessments?instrument=phq9`, { token });
    expect(phq9.items).toHaveLength(5);
    expect(phq9.items.map((a) => a.assessmentId)).toContain(vars.BASELINE);
    type Plan = {
      planId: string; version: number; status: string; replaces?: { planId: string };
      revision?: { reason: string; text?: string; evidence: { assessmentIds: string[] } };
      interventions: { id: string; modality: string; status: string; stopReason?: string }[];
      objectives: { id: string }[]; strengths: string[];
    };
    const { versions } = await api<{ versions: Plan[] }>(started.api, `${base}/plans`, { token });
    expect(versions.map((v) => [v.planId, v.version, v.status])).toEqual([[vars.PLAN2, 2, 'active'], [vars.PLAN1, 1, 'revised']]);
    const revised = versions[0] as Plan;
    expect(revised.replaces?.planId).toBe(vars.PLAN1);
    expect(revised.revision?.reason).toBe('not_on_track');
    expect([...(revised.revision?.evidence.assessmentIds ?? [])].sort()).toEqual(phq9.items.map((a) => a.assessmentId).sort());
    expect(revised.interventions).toEqual([
      expect.objectContaining({ id: 'i1', modality: 'cbt', status: 'stopped', stopReason: 'No reliable change on the PHQ-9 after 8 weeks' }),
      expect.objectContaining({ id: 'i2', modality: 'erp', status: 'active' }),
    ]);
    expect(revised.objectives.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(revised.strengths).toEqual((versions[1] as Plan).strengths);
    const reviews = await api<{ reviews: { reviewId: string; status: string; outcome?: string; revisionPlanId?: string }[] }>(started.api, `${base}/plan-reviews?status=all`, { token });
    expect(reviews.reviews).toEqual([expect.objectContaining({ reviewId: `not_on_track:${vars.PLAN1}`, status: 'closed', outcome: 'revised', revisionPlanId: vars.PLAN2 })]);
    const session = await api<{ status: string }>(started.api, `/v1/sessions/${vars.SESSION1}`, { token });
    expect(session.status).toBe('attended');
    const note = await api<{ status: string; format: string; sessionId: string }>(started.api, `/v1/notes/${vars.NOTE}`, { token });
    expect(note).toMatchObject({ status: 'signed', format: 'soap', sessionId: vars.SESSION1 });

    // Ctrl-C: the whole group stops, nothing is left.
    await expectCtrlCStopsEverything(started);
  });
});
