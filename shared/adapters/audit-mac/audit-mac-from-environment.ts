/**
 * Which audit MAC a process uses, from its environment: the KMS key named by AUDIT_MAC_KEY_ARN
 * (every deployed function with `audit:write` or `audit:verify`), or else the local HMAC key in
 * AUDIT_LOCAL_HMAC_KEY (base64, set only by the local stack: local/audit-key.ts). Neither: a
 * ConfigurationError, so a function that was not granted the key fails closed instead of
 * appending unkeyed links.
 */
import { ConfigurationError, readEnvironment } from '../../config/environment.js';
import type { AuditMac } from '../../use-cases/ports.js';
import { createHmacAuditMac, MIN_AUDIT_HMAC_KEY_BYTES } from './hmac-audit-mac.js';
import { createKmsAuditMac, createKmsClient } from './kms-audit-mac.js';

/** Set by the local stack only; no deployed function has it. */
export const LOCAL_AUDIT_HMAC_KEY_VARIABLE = 'AUDIT_LOCAL_HMAC_KEY';

export function auditMacFromEnvironment(source: Record<string, string | undefined> = process.env): AuditMac {
  const { AUDIT_MAC_KEY_ARN } = readEnvironment(['AUDIT_MAC_KEY_ARN'], source);
  if (AUDIT_MAC_KEY_ARN) return createKmsAuditMac({ client: createKmsClient(), keyId: AUDIT_MAC_KEY_ARN });
  const local = source[LOCAL_AUDIT_HMAC_KEY_VARIABLE];
  const key = local ? Buffer.from(local, 'base64') : undefined;
  if (!key || key.byteLength < MIN_AUDIT_HMAC_KEY_BYTES) throw new ConfigurationError(['AUDIT_MAC_KEY_ARN']);
  return createHmacAuditMac(key);
}

/** Resolves the MAC at its first use: functions that build an audit log but never append need no key. */
export function lazyAuditMac(resolve: () => AuditMac = auditMacFromEnvironment): AuditMac {
  let resolved: AuditMac | undefined;
  const get = () => (resolved ??= resolve());
  return { mac: async (data) => get().mac(data), verify: async (data, mac) => get().verify(data, mac) };
}
