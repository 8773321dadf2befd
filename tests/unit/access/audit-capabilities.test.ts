/**
 * Every function that can append audit events declares `audit:write` (and so gets the KMS HMAC
 * key in AWS), and no other does: read from the handler modules' imports, so a new handler that
 * records audit events without the capability fails here, not in production at its first append.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/http/routes.js';
import type { Capability } from '../../../shared/platform/capabilities.js';
import { WORKFLOWS } from '../../../workflows/registry.js';
import { SCHEDULED_TASKS } from '../../../workflows/schedules.js';
import { STREAM_CONSUMERS } from '../../../workflows/stream-consumers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** What both audit logs (clients', staff) append through. */
const AUDIT_LOG_MODULE = path.join(ROOT, 'shared/adapters/dynamodb/keyed-chain-store.ts');

/** Whether `entry` reaches the DynamoDB audit log through its relative imports. */
function reachesAuditLog(entry: string, seen = new Set<string>()): boolean {
  if (entry === AUDIT_LOG_MODULE) return true;
  if (seen.has(entry)) return false;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const match of source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)';/gms)) {
    const target = path.resolve(path.dirname(entry), match[1]!.replace(/\.js$/, '.ts'));
    if (existsSync(target) && reachesAuditLog(target, seen)) return true;
  }
  return false;
}

const FUNCTIONS: { id: string; entry: string; capabilities: readonly Capability[] }[] = [
  ...ROUTES,
  ...Object.values(WORKFLOWS).flatMap((workflow) => Object.values(workflow.tasks)),
  ...Object.values(SCHEDULED_TASKS),
  ...Object.values(STREAM_CONSUMERS),
];

describe('audit:write', () => {
  it('is declared by every function that can write the table and builds the audit log, and by no other', () => {
    const writers = FUNCTIONS.filter((fn) => fn.capabilities.includes('table:write') && reachesAuditLog(path.join(ROOT, fn.entry))).map((fn) => fn.id);
    const declared = FUNCTIONS.filter((fn) => fn.capabilities.includes('audit:write')).map((fn) => fn.id);
    expect(writers.length).toBeGreaterThan(10);
    expect(declared.sort()).toEqual(writers.sort());
  });

  it('is never given with audit:verify: the verifier cannot make a MAC, the writers cannot check one', () => {
    for (const fn of FUNCTIONS) expect(fn.capabilities.includes('audit:write') && fn.capabilities.includes('audit:verify'), fn.id).toBe(false);
  });
});
