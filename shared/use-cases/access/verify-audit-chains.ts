/**
 * The scheduled audit-chain verifier (functions/scheduled/verify-audit-chains.ts, daily by
 * EventBridge Scheduler): the only place outside the tests where verifyChain runs.
 *
 * 1. list every chain, the clients' and the staff's (the write-once AUDIT_CHAINS listing:
 *    keys.ts pattern 48; no Scan);
 * 2. verify each under the key (every stored event, the head included);
 * 3. note the broken ones (chain id, first bad position, problem) and the ones that could not
 *    be verified (an error reading or calling KMS), and go on with the next chain: one bad
 *    chain must not hide another;
 * 4. publish the counts (the AuditChainsBroken alarm fires on any broken or unverified chain)
 *    and log each bad chain by id;
 * 5. fail the run (AuditChainsBrokenError) when anything is broken or unverified, so the
 *    function's Errors alarm fires too.
 */
import type { ChainProblem, ChainVerification } from '../../domain/audit.js';

/** Metric names, shared with the alarm of infra/stacks/monitoring-stack.ts. */
export const AUDIT_VERIFICATION_METRICS = {
  checked: 'AuditChainsVerified',
  broken: 'AuditChainsBroken',
  unverified: 'AuditChainsUnverified',
} as const;

export interface AuditChainSource {
  /** The id of every chain (a client id, a staff id, or `kind:id` from allChains). */
  chains(): AsyncIterable<string>;
  verifyChain(chain: string): Promise<ChainVerification>;
}

/**
 * One source of several kinds of chain: ids become `<kind>:<id>` (`client:…`, `staff:…`), so a
 * report names whose trail broke.
 */
export function allChains(sources: Record<string, AuditChainSource>): AuditChainSource {
  return {
    async *chains() {
      for (const [kind, source] of Object.entries(sources)) for await (const id of source.chains()) yield `${kind}:${id}`;
    },
    verifyChain(chain) {
      const separator = chain.indexOf(':');
      const source = sources[chain.slice(0, separator)];
      if (separator < 0 || !source) return Promise.reject(new Error(`Unknown kind of audit chain: ${chain}`));
      return source.verifyChain(chain.slice(separator + 1));
    },
  };
}

export interface BrokenChain {
  chain: string;
  brokenAt: number;
  problem: ChainProblem;
  intactLength: number;
}

export interface AuditVerificationSummary {
  checked: number;
  intact: number;
  broken: BrokenChain[];
  /** Chains whose verification threw (an error, not a verdict): checked again next run. */
  unverified: { chain: string; error: string }[];
}

export class AuditChainsBrokenError extends Error {
  constructor(readonly summary: AuditVerificationSummary) {
    // Ids and counts only: an audit event's content never leaves the table this way.
    super(`Audit chains: ${summary.broken.length} broken, ${summary.unverified.length} unverified of ${summary.checked}.`);
    this.name = 'AuditChainsBrokenError';
  }
}

/** Where the counts go: CloudWatch metrics in AWS (Powertools, EMF). */
export type AuditVerificationMetric = (typeof AUDIT_VERIFICATION_METRICS)[keyof typeof AUDIT_VERIFICATION_METRICS];
export interface AuditVerificationMetrics {
  publish(counts: Record<AuditVerificationMetric, number>): Promise<void> | void;
}

export interface VerifyAuditChainsDeps {
  chains: AuditChainSource;
  metrics: AuditVerificationMetrics;
  /** Ids, positions and problem codes only. */
  log: (message: string, fields: Record<string, unknown>) => void;
}

/** Steps 1-5 above; resolves with the summary when every chain is intact. */
export async function verifyAuditChains(deps: VerifyAuditChainsDeps): Promise<AuditVerificationSummary> {
  const summary = await checkChains(deps.chains);
  await deps.metrics.publish({
    [AUDIT_VERIFICATION_METRICS.checked]: summary.checked,
    [AUDIT_VERIFICATION_METRICS.broken]: summary.broken.length,
    [AUDIT_VERIFICATION_METRICS.unverified]: summary.unverified.length,
  });
  for (const broken of summary.broken) deps.log('Audit chain broken', { ...broken });
  for (const unverified of summary.unverified) deps.log('Audit chain not verified', { ...unverified });
  if (summary.broken.length > 0 || summary.unverified.length > 0) throw new AuditChainsBrokenError(summary);
  return summary;
}

async function checkChains(source: AuditChainSource): Promise<AuditVerificationSummary> {
  const summary: AuditVerificationSummary = { checked: 0, intact: 0, broken: [], unverified: [] };
  const seen = new Set<string>();
  for await (const chain of source.chains()) {
    if (seen.has(chain)) continue;
    seen.add(chain);
    summary.checked += 1;
    try {
      const verification = await source.verifyChain(chain);
      if (verification.intact) summary.intact += 1;
      else summary.broken.push({ chain, brokenAt: verification.brokenAt, problem: verification.problem, intactLength: verification.intactLength });
    } catch (error) {
      summary.unverified.push({ chain, error: error instanceof Error ? error.name : 'Error' });
    }
  }
  return summary;
}
