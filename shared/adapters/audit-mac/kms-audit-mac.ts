/**
 * The audit chain's MAC in AWS: a KMS HMAC key (KeySpec HMAC_256, KeyUsage GENERATE_VERIFY_MAC,
 * infra/stacks/data-stack.ts) used through GenerateMac and VerifyMac. The key never leaves KMS,
 * and only the roles of the functions that append audit events (capability `audit:write`) or
 * verify the chains (`audit:verify`) may call it: whoever can write the table but not use the
 * key cannot forge a link.
 *
 * Cost and latency: one GenerateMac per appended event (a few milliseconds in-region, billed
 * like any KMS request), and one VerifyMac per event each time the scheduled verifier walks a
 * chain. Batching (a MAC over the chain head per batch) would save calls but leave the events
 * between two signed heads forgeable; audit appends are one per health-data access, so one call
 * each is affordable and keeps every link keyed.
 */
import { GenerateMacCommand, KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import type { AuditMac } from '../../use-cases/ports.js';

/** KMS refuses larger messages for GenerateMac and VerifyMac. */
const KMS_MAX_MESSAGE_BYTES = 4096;
const HEX_MAC = /^[0-9a-f]{64}$/;

export function createKmsClient(): KMSClient {
  return new KMSClient({});
}

export function createKmsAuditMac(options: { client: KMSClient; keyId: string }): AuditMac {
  const { client, keyId: KeyId } = options;
  const message = (data: string): Buffer => {
    const bytes = Buffer.from(data, 'utf8');
    if (bytes.byteLength > KMS_MAX_MESSAGE_BYTES) throw new RangeError(`An audit chain input has ${bytes.byteLength} bytes; KMS takes at most ${KMS_MAX_MESSAGE_BYTES}.`);
    return bytes;
  };
  return {
    async mac(data) {
      const { Mac } = await client.send(new GenerateMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message(data) }));
      if (!Mac) throw new Error('KMS GenerateMac returned no MAC.');
      return Buffer.from(Mac).toString('hex');
    },
    async verify(data, mac) {
      if (typeof mac !== 'string' || !HEX_MAC.test(mac)) return false;
      try {
        const { MacValid } = await client.send(
          new VerifyMacCommand({ KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: message(data), Mac: Buffer.from(mac, 'hex') }),
        );
        return MacValid === true;
      } catch (error) {
        // KMS answers a wrong MAC with this exception; anything else (throttling, access) is an error.
        if (error instanceof Error && error.name === 'KMSInvalidMacException') return false;
        throw error;
      }
    },
  };
}
