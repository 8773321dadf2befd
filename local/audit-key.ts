/**
 * The local stack's audit HMAC key (in AWS: a KMS HMAC key that never leaves KMS). Random, never
 * committed: generated once per data folder and kept beside the data (so chains written by an
 * earlier `npm start` still verify), or generated per start when the stack runs in memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_AUDIT_HMAC_KEY_BYTES } from '../shared/adapters/audit-mac/hmac-audit-mac.js';

export const AUDIT_KEY_FILE = 'audit-hmac.key';

/** The key, base64 (what AUDIT_LOCAL_HMAC_KEY carries). */
export function localAuditHmacKey(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(MIN_AUDIT_HMAC_KEY_BYTES).toString('base64');
  const file = join(dataDir, AUDIT_KEY_FILE);
  if (!existsSync(file)) writeFileSync(file, randomBytes(MIN_AUDIT_HMAC_KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
