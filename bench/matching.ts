/**
 * Ranking time for a synthetic directory (default 10,000 therapists): p50/p90/min/max over
 * several runs after warm-up, for a realistic directory (licenses spread over all states) and
 * the worst case (everyone licensed in the client's state, so everyone passes licensure and
 * most reach scoring). Prints figures; it is not a timed test.
 *
 *   npm run bench:matching -- [size] [runs]
 */
import { performance } from 'node:perf_hooks';
import { rankTherapists } from '../shared/domain/matching/index.js';
import { syntheticDirectory, syntheticInput } from '../tests/unit/matching/synthetic-directory.js';

const size = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 25);
const onDate = '2026-03-04';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

for (const scenario of [
  { name: 'realistic directory', therapists: syntheticDirectory({ size, seed: 7, onDate }) },
  { name: 'worst case (all licensed in OH)', therapists: syntheticDirectory({ size, seed: 7, onDate, allLicensedIn: 'OH' }) },
]) {
  const input = syntheticInput(scenario.therapists, onDate);
  const coldStart = performance.now();
  rankTherapists(input);
  const cold = performance.now() - coldStart;
  for (let i = 0; i < 5; i += 1) rankTherapists(input); // warm-up (JIT)
  const times: number[] = [];
  let result = rankTherapists(input);
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    result = rankTherapists(input);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `${scenario.name}: ${size} therapists, ${result.eligibleCount} eligible, top ${result.matches.map((m) => `${m.therapistId} (${m.score.total})`).join(', ')}`,
  );
  console.log(`  rank: p50 ${ms(percentile(times, 50))}, p90 ${ms(percentile(times, 90))}, min ${ms(times[0]!)}, max ${ms(times.at(-1)!)} over ${runs} runs; first call ${ms(cold)}`);
}
