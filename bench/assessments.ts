/**
 * Assessments scored per second: the pure path of POST /v1/clients/{id}/assessments before
 * any I/O (request validation with AssessmentSubmissionSchema, then scoreAssessment, which
 * validates the answers again and computes total, band and flags), over a synthetic mix of the
 * four instruments with random valid answers. The p50 of the runs after warm-up. Prints
 * figures; it is not a timed test.
 *
 *   npm run bench:assessments -- [assessments per run] [runs]
 */
import { performance } from 'node:perf_hooks';
import { AssessmentSubmissionSchema, scoreAssessment, type AssessmentSubmission } from '../shared/domain/instruments/registry.js';

const perRun = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 15);

/** A small deterministic generator (mulberry32), so every run scores the same answers. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function syntheticSubmissions(count: number, seed = 42): unknown[] {
  const next = random(seed);
  const int = (max: number) => Math.floor(next() * (max + 1));
  const yes = () => next() < 0.2;
  const submissions: unknown[] = [];
  for (let i = 0; i < count; i += 1) {
    switch (i % 4) {
      case 0:
        submissions.push({ instrument: 'phq9', answers: Array.from({ length: 9 }, () => int(3)) });
        break;
      case 1:
        submissions.push({ instrument: 'gad7', answers: Array.from({ length: 7 }, () => int(3)) });
        break;
      case 2:
        submissions.push({ instrument: 'pcl5', answers: Array.from({ length: 20 }, () => int(4)) });
        break;
      default: {
        const q2 = yes();
        const q6 = yes();
        submissions.push({
          instrument: 'cssrs_screener',
          answers: { q1: yes(), q2, ...(q2 ? { q3: yes(), q4: yes(), q5: yes() } : {}), q6, ...(q6 ? { q6Within3Months: yes() } : {}) },
        });
      }
    }
  }
  return submissions;
}

function scoreAll(bodies: readonly unknown[]): number {
  let flagged = 0;
  for (const body of bodies) {
    const submission: AssessmentSubmission = AssessmentSubmissionSchema.parse(body);
    if (scoreAssessment(submission).riskFlags.length > 0) flagged += 1;
  }
  return flagged;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const bodies = syntheticSubmissions(perRun);
const flagged = scoreAll(bodies);
for (let i = 0; i < 3; i += 1) scoreAll(bodies); // warm-up (JIT)

const rates: number[] = [];
for (let i = 0; i < runs; i += 1) {
  const start = performance.now();
  scoreAll(bodies);
  rates.push(perRun / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
console.log(`assessments scored (validate + score, mixed PHQ-9/GAD-7/PCL-5/C-SSRS, ${perRun} per run, ${flagged} with a risk flag):`);
console.log(`  p50 ${perSecond(percentile(rates, 50))} (slowest run ${perSecond(rates[0]!)}, fastest ${perSecond(rates.at(-1)!)}) over ${runs} runs`);
console.log(`  one assessment: p50 ${(1_000_000 / percentile(rates, 50)).toFixed(1)} µs`);
