/**
 * The audit chain's MAC computed in process: HMAC-SHA-256 with a key from the environment.
 * Used by the local stack and the tests only (the local stack generates a random key per data
 * folder, or per start in memory: local/audit-key.ts); in AWS the key never leaves KMS
 * (kms-audit-mac.ts). No key is ever committed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditMac } from '../../use-cases/ports.js';

/** HMAC-SHA-256 keys shorter than the hash output weaken it (RFC 2104 section 3). */
export const MIN_AUDIT_HMAC_KEY_BYTES = 32;

const HEX_MAC = /^[0-9a-f]{64}$/;

export class AuditMacKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditMacKeyError';
  }
}

export function createHmacAuditMac(key: Uint8Array): AuditMac {
  if (key.byteLength < MIN_AUDIT_HMAC_KEY_BYTES) {
    throw new AuditMacKeyError(`The audit HMAC key must have at least ${MIN_AUDIT_HMAC_KEY_BYTES} bytes.`);
  }
  const secret = Buffer.from(key);
  const compute = (data: string): Buffer => createHmac('sha256', secret).update(data, 'utf8').digest();
  return {
    mac: async (data) => compute(data).toString('hex'),
    async verify(data, mac) {
      if (typeof mac !== 'string' || !HEX_MAC.test(mac)) return false;
      return timingSafeEqual(compute(data), Buffer.from(mac, 'hex'));
    },
  };
}
