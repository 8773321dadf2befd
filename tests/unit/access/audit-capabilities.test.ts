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
const CLIENT_AUDIT_LOG = path.join(ROOT, 'shared/adapters/dynamodb/audit-log.ts');
const STAFF_AUDIT_LOG = path.join(ROOT, 'shared/adapters/dynamodb/staff-audit-log.ts');

/** Whether `entry` reaches `module` through its relative imports. */
function reaches(module: string, entry: string, seen = new Set<string>()): boolean {
  if (entry === module) return true;
  if (seen.has(entry)) return false;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const match of source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)';/gms)) {
    const target = path.resolve(path.dirname(entry), match[1]!.replace(/\.js$/, '.ts'));
    if (existsSync(target) && reaches(module, target, seen)) return true;
  }
  return false;
}

const FUNCTIONS: { id: string; entry: string; capabilities: readonly Capability[] }[] = [
  ...ROUTES,
  ...Object.values(WORKFLOWS).flatMap((workflow) => Object.values(workflow.tasks)),
  ...Object.values(SCHEDULED_TASKS),
  ...Object.values(STREAM_CONSUMERS),
];

/** Builds the log, and is not the verifier (which reads every chain and can append to none). */
const appendersTo = (module: string) =>
  FUNCTIONS.filter((fn) => !fn.capabilities.includes('audit:verify') && reaches(module, path.join(ROOT, fn.entry))).map((fn) => fn.id);

describe('audit:write', () => {
  it("is declared by every function that builds the clients' audit log, and by no other, except those that only share a dependencies module", () => {
    // These build the log through a dependencies module shared with appenders and never append:
    // no grant for them. Should one ever append, the local table guard (local/iam/table-guard.ts)
    // refuses the call as IAM would, and the integration tests fail.
    // The progress review routes that name no client (lists, adherence counts, preferences)
    // share reviewRouteDependencies with the review reads, which append.
    const buildOnly = [
      'list-consultation-slots',
      'risk-check-acknowledged',
      'risk-resolve-clinician',
      'progress-reviews-list-due',
      'progress-reviews-send-email',
      'list-progress-reviews',
      'get-review-adherence',
      'put-review-preferences',
    ];
    const writers = appendersTo(CLIENT_AUDIT_LOG).filter((id) => !buildOnly.includes(id));
    const declared = FUNCTIONS.filter((fn) => fn.capabilities.includes('audit:write')).map((fn) => fn.id);
    expect(writers.length).toBeGreaterThan(10);
    expect(declared.sort()).toEqual(writers.sort());
  });

  it('audit:write-staff is declared by every function that builds the staff audit log, and by no other', () => {
    const writers = appendersTo(STAFF_AUDIT_LOG);
    const declared = FUNCTIONS.filter((fn) => fn.capabilities.includes('audit:write-staff')).map((fn) => fn.id);
    expect(writers).toEqual(['update-clinician']);
    expect(declared.sort()).toEqual(writers.sort());
  });

  it('is never given with audit:verify: the verifier cannot make a MAC, the writers cannot check one', () => {
    for (const fn of FUNCTIONS) {
      const writes = fn.capabilities.includes('audit:write') || fn.capabilities.includes('audit:write-staff');
      expect(writes && fn.capabilities.includes('audit:verify'), fn.id).toBe(false);
    }
  });
});
