/**
 * Starting the risk escalation for a record that raised a risk flag (an assessment or a
 * check-in). The record is ALWAYS stored first, with a pending-escalation marker in the same
 * transaction; only then is the workflow started, here.
 *
 * Why retry and then fail loudly (503) instead of answering 201 and leaving it to a
 * reconciler: a missed risk is the worst outcome this service can have. A 201 tells the app
 * all is well, so nobody retries, and the alert then waits for a background job. A 503 makes
 * the app retry now (with the same Idempotency-Key the saved record is found, not made again,
 * and the start is idempotent per source record), while the marker keeps the record findable
 * for a reconciler should every retry fail too. The client still gets the crisis resources in
 * the 503 (RiskEscalationNotStartedError).
 */
import { highestRiskLevel, type RiskFlag } from '../../domain/instruments/risk-flags.js';
import type { RiskSource } from '../ports.js';
import type { MonitorDeps } from './dependencies.js';
import type { PendingRiskEscalation } from './ports.js';

/** Waits before each attempt: three attempts within about 1.3 s (the API function has 10 s). */
export const ESCALATION_START_DELAYS_MS = [0, 250, 1000] as const;

const defaultPause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The escalation a record's flags call for, or undefined when it raised none. */
export function pendingEscalationFor(
  clientId: string,
  riskFlags: readonly RiskFlag[],
  source: RiskSource,
  flaggedAt: string,
): PendingRiskEscalation | undefined {
  const level = highestRiskLevel(riskFlags);
  return level === null ? undefined : { clientId, level, source: { ...source }, flaggedAt };
}

type EscalationDeps = Pick<MonitorDeps, 'riskEscalation' | 'pendingEscalations' | 'log' | 'pause'>;

/** What a log line may say about an escalation: ids only. The risk level next to a client id is health data. */
function ids(pending: PendingRiskEscalation) {
  return { clientId: pending.clientId, sourceType: pending.source.type, sourceId: pending.source.id };
}

/**
 * Starts the escalation, retrying; clears the pending marker once started. Resolves `true`
 * when started, `false` when every attempt failed (the marker stays). Never throws.
 */
export async function startRiskEscalation(pending: PendingRiskEscalation, deps: EscalationDeps): Promise<boolean> {
  const pause = deps.pause ?? defaultPause;
  for (const [index, delay] of ESCALATION_START_DELAYS_MS.entries()) {
    if (delay > 0) await pause(delay);
    try {
      await deps.riskEscalation.start(pending);
    } catch (error) {
      deps.log.warn('Risk escalation start failed', { ...ids(pending), attempt: index + 1, errorName: error instanceof Error ? error.name : typeof error });
      continue;
    }
    try {
      await deps.pendingEscalations.clear(pending.clientId, pending.source);
    } catch (error) {
      // Started: a marker left behind only makes a reconciler start it again, which is idempotent.
      deps.log.warn('Pending risk escalation marker not cleared', { ...ids(pending), errorName: error instanceof Error ? error.name : typeof error });
    }
    return true;
  }
  deps.log.error('Risk escalation NOT started after retries; the record is saved and marked pending', ids(pending));
  return false;
}
