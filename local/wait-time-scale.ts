/**
 * LOCAL_WAIT_TIME_SCALE for `npm start`: how fast the workflows' Wait states pass, so a demo
 * does not take hours (the Step Functions emulator runs each Wait for `factor` times its time,
 * a TimestampPath wait for `factor` times what is left until its timestamp).
 *
 *   LOCAL_WAIT_TIME_SCALE=risk-escalation=1/60     the risk escalation only: 1 h passes in 1 min
 *                                                  (an unacknowledged high task reaches the
 *                                                  supervisors about a minute after the alert)
 *   LOCAL_WAIT_TIME_SCALE=0.001                    every workflow (reminders, the care lifecycle too)
 *   LOCAL_WAIT_TIME_SCALE=risk-escalation=1/60,care-lifecycle=1/3600
 *
 * Factors are numbers or fractions, > 0 and <= 1. Unset or empty: real time.
 */
import { WORKFLOWS } from '../workflows/registry.js';

export type WaitTimeScale = number | Readonly<Record<string, number>>;

function factor(text: string, what: string): number {
  const trimmed = text.trim();
  const fraction = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(trimmed);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : /^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value > 0 && value <= 1)) throw new Error(`LOCAL_WAIT_TIME_SCALE: ${what} must be a number or fraction in (0, 1], not "${text}"`);
  return value;
}

export function parseWaitTimeScale(raw: string | undefined): WaitTimeScale | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!raw.includes('=')) return factor(raw, 'the factor');
  const known = new Set<string>(Object.values(WORKFLOWS).map((workflow) => workflow.id));
  const scales: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [id, value, ...rest] = part.split('=').map((piece) => piece.trim());
    if (!id || value === undefined || rest.length > 0) throw new Error(`LOCAL_WAIT_TIME_SCALE: write <workflow>=<factor>, not "${part.trim()}"`);
    if (!known.has(id)) throw new Error(`LOCAL_WAIT_TIME_SCALE: no workflow "${id}" (workflows: ${[...known].join(', ')})`);
    scales[id] = factor(value, id);
  }
  return scales;
}

/** For the banner: `risk-escalation x1/60` or `every workflow x0.001`. */
export function describeWaitTimeScale(scale: WaitTimeScale): string {
  const show = (value: number) => (value < 1 && Number.isInteger(1 / value) ? `1/${1 / value}` : String(value));
  if (typeof scale === 'number') return `every workflow x${show(scale)}`;
  return Object.entries(scale)
    .map(([id, value]) => `${id} x${show(value)}`)
    .join(', ');
}
