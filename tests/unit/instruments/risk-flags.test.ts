import { describe, expect, it } from 'vitest';
import { checkInSelfHarmFlag } from '../../../shared/domain/instruments/check-in-risk.js';
import { scoreCssrsScreener } from '../../../shared/domain/instruments/cssrs-screener.js';
import { scorePhq9 } from '../../../shared/domain/instruments/phq9.js';
import { compareRiskLevels, highestRiskLevel, RISK_LEVELS, RiskFlagSchema } from '../../../shared/domain/instruments/risk-flags.js';
import { resolveThresholds } from '../../../shared/domain/instruments/thresholds.js';

describe('risk levels', () => {
  it('are ordered low < moderate < high', () => {
    expect(RISK_LEVELS).toEqual(['low', 'moderate', 'high']);
    expect(compareRiskLevels('low', 'moderate')).toBeLessThan(0);
    expect(compareRiskLevels('high', 'moderate')).toBeGreaterThan(0);
    expect(compareRiskLevels('moderate', 'moderate')).toBe(0);
  });

  it('highestRiskLevel picks the most urgent, or null for no flags', () => {
    expect(highestRiskLevel([])).toBeNull();
    expect(highestRiskLevel([{ level: 'low' }, { level: 'high' }, { level: 'moderate' }])).toBe('high');
    expect(highestRiskLevel([{ level: 'low' }, { level: 'moderate' }])).toBe('moderate');
  });
});

describe('check-in self-harm flag', () => {
  it('is null when no self-harm thoughts are reported', () => {
    expect(checkInSelfHarmFlag(false)).toBeNull();
  });

  it('is a same-day (moderate) risk flag, like PHQ-9 item 9 "several days", in the same shape', () => {
    const flag = checkInSelfHarmFlag(true)!;
    expect(flag).toEqual({
      kind: 'check_in_self_harm',
      level: 'moderate',
      reason: 'A check-in reported thoughts of self-harm.',
      action: 'Same-day suicide risk assessment (e.g. C-SSRS).',
    });
    const phq9Flag = scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, 1]).riskFlags[0]!;
    expect(flag.level).toBe(phq9Flag.level);
    expect(Object.keys(flag).sort()).toEqual(Object.keys(phq9Flag).sort());
    expect(RiskFlagSchema.parse(flag)).toEqual(flag);
  });

  it('takes its level from the thresholds passed in', () => {
    const t = resolveThresholds({ version: 'test-checkin-high', checkIn: { selfHarmThoughtsLevel: 'high' } });
    expect(checkInSelfHarmFlag(true, t)).toMatchObject({ level: 'high', action: 'Immediate suicide risk assessment (e.g. C-SSRS).' });
  });

  it('every instrument flag fits the one risk flag schema', () => {
    const flags = [
      ...scorePhq9([0, 0, 0, 0, 0, 0, 0, 0, 3]).riskFlags,
      ...scoreCssrsScreener({ q1: true, q2: false, q6: false }).riskFlags,
      checkInSelfHarmFlag(true)!,
    ];
    expect(flags).toHaveLength(3);
    for (const flag of flags) expect(RiskFlagSchema.parse(flag)).toEqual(flag);
  });
});
