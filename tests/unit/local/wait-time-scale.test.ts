/** LOCAL_WAIT_TIME_SCALE: one factor for every workflow, or factors by workflow id. */
import { describe, expect, it } from 'vitest';
import { describeWaitTimeScale, parseWaitTimeScale } from '../../../local/wait-time-scale.js';

describe('LOCAL_WAIT_TIME_SCALE', () => {
  it('unset or empty: real time', () => {
    expect(parseWaitTimeScale(undefined)).toBeUndefined();
    expect(parseWaitTimeScale('  ')).toBeUndefined();
  });

  it('one factor (number or fraction) for every workflow', () => {
    expect(parseWaitTimeScale('0.001')).toBe(0.001);
    expect(parseWaitTimeScale('1/60')).toBeCloseTo(1 / 60, 12);
    expect(parseWaitTimeScale('1e-3')).toBe(0.001);
    expect(describeWaitTimeScale(1 / 60)).toBe('every workflow x1/60');
  });

  it('factors by workflow id', () => {
    const scale = parseWaitTimeScale('risk-escalation=1/60, care-lifecycle=0.5');
    expect(scale).toEqual({ 'risk-escalation': 1 / 60, 'care-lifecycle': 0.5 });
    expect(describeWaitTimeScale(scale!)).toBe('risk-escalation x1/60, care-lifecycle x1/2');
  });

  it('refuses unknown workflows, zero, more than 1 and garbage, naming the variable', () => {
    for (const bad of ['0', '2', 'fast', '1/0', 'risk=1/60', 'risk-escalation', 'risk-escalation=1/60=2', 'risk-escalation=-1']) {
      expect(() => parseWaitTimeScale(bad), bad).toThrow(/LOCAL_WAIT_TIME_SCALE/);
    }
  });
});
