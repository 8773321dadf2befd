/**
 * Signup latency through the whole local stack: HTTP -> API adapter -> signup handler ->
 * Step Functions emulator running workflows/signup.asl.json -> cognito-local, DynamoDB Local,
 * the SES emulator -> 201. Sequential requests (latency, not throughput), after a warm-up.
 *
 *   npm run bench:signup            # BENCH_SIGNUPS=50 by default
 *
 * Synthetic people only (bench-<n>@example.com).
 */
import { randomUUID } from 'node:crypto';
import { CURRENT_LEGAL_DOCUMENTS } from '../shared/domain/legal-documents.js';
import { startLocalStack } from '../local/stack.js';

// The handlers' INFO lines would drown the figures; they are created after this line.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const SIGNUPS = Number(process.env.BENCH_SIGNUPS ?? 50);
const WARM_UP = 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const stack = await startLocalStack({ apiPort: 0, inMemory: true, seed: false, log: () => undefined });
const run = randomUUID().slice(0, 8);
const timings: number[] = [];
let failures = 0;
try {
  for (let i = 0; i < WARM_UP + SIGNUPS; i += 1) {
    const body = {
      email: `bench-${run}-${i}@example.com`,
      password: 'Bench-Password-1!',
      firstName: 'Bench',
      lastName: `Person${i}`,
      dateOfBirth: '1990-01-15',
      clientType: 'individual',
      state: 'OH',
      timezone: 'America/New_York',
      ageConfirmed: true,
      consents: Object.fromEntries(Object.values(CURRENT_LEGAL_DOCUMENTS).map((d) => [d.type, d.version])),
    };
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 202) failures += 1;
    if (i >= WARM_UP) timings.push(elapsed);
  }
} finally {
  await stack.stop();
}
timings.sort((a, b) => a - b);
console.log(
  `signup latency over ${timings.length} signups (local stack, sequential): ` +
    `p50 ${percentile(timings, 50).toFixed(0)} ms, p95 ${percentile(timings, 95).toFixed(0)} ms, ` +
    `max ${timings.at(-1)?.toFixed(0)} ms (held to at least SIGNUP_MINIMUM_RESPONSE_MS); non-202 responses: ${failures}`,
);
if (failures > 0) process.exitCode = 1;
