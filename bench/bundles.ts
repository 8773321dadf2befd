/**
 * Bundle size and module import time of every Lambda function, measured on the artifacts
 * `cdk synth` really produces (cdk.out), not on a separate build.
 *
 *   npm run bench:bundles            # synthesizes the dev stage first
 *
 * Import time: a fresh `node` process imports the bundle (what a cold start pays before the
 * handler runs), repeated RUNS times; the median is printed. The environment each function
 * reads at cold start is filled with placeholders; nothing is called.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ENVIRONMENT_SCHEMA } from '../shared/config/environment.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMIT_KB = 350;
const root = resolve(import.meta.dirname, '..');
const out = join(root, 'cdk.out');

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

function synth(): void {
  execFileSync('npx', ['cdk', 'synth', '--quiet', '-c', 'stage=dev'], { cwd: root, stdio: 'inherit' });
}

/** Function name -> asset directory, from the synthesized templates' asset metadata. */
function functionAssets(): { name: string; dir: string }[] {
  const found: { name: string; dir: string }[] = [];
  for (const file of readdirSync(out).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(out, file), 'utf8')) as Template;
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const asset = resource.Metadata?.['aws:asset:path'];
      const name = resource.Properties?.FunctionName;
      if (typeof asset !== 'string' || typeof name !== 'string') continue;
      found.push({ name, dir: join(out, asset) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function importMillis(bundle: string): number {
  const env = { ...process.env, NODE_NO_WARNINGS: '1', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' } as Record<string, string>;
  for (const name of Object.keys(ENVIRONMENT_SCHEMA)) env[name] ??= name.endsWith('_URL') ? 'https://app.example' : `bench-${name.toLowerCase()}`;
  const script = `const t = performance.now(); await import(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env }).toString());
}

if (!process.argv.includes('--no-synth') || !existsSync(out)) synth();
const rows = functionAssets().map(({ name, dir }) => {
  const bundle = join(dir, readdirSync(dir).find((f) => /^index\.(m?js)$/.test(f)) ?? 'index.mjs');
  const bytes = readFileSync(bundle);
  const times = Array.from({ length: RUNS }, () => importMillis(bundle));
  return {
    function: name,
    minifiedKB: +(statSync(bundle).size / 1024).toFixed(1),
    gzipKB: +(gzipSync(bytes).length / 1024).toFixed(1),
    importMsP50: +median(times).toFixed(1),
  };
});
console.table(rows);
const over = rows.filter((r) => r.minifiedKB > LIMIT_KB);
console.log(`${rows.length} functions; largest ${Math.max(...rows.map((r) => r.minifiedKB))} KB minified; ` +
  `${over.length === 0 ? `all within ${LIMIT_KB} KB` : `OVER ${LIMIT_KB} KB: ${over.map((r) => r.function).join(', ')}`}`);
