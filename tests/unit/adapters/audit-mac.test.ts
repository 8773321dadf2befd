/** The audit MAC adapters: KMS GenerateMac/VerifyMac (client mocked: no KMS emulator here) and the choice from the environment. */
import { randomBytes } from 'node:crypto';
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditMacFromEnvironment, lazyAuditMac } from '../../../shared/adapters/audit-mac/audit-mac-from-environment.js';
import { createHmacAuditMac } from '../../../shared/adapters/audit-mac/hmac-audit-mac.js';
import { createKmsAuditMac } from '../../../shared/adapters/audit-mac/kms-audit-mac.js';
import { ConfigurationError } from '../../../shared/config/environment.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000';
const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('the KMS audit MAC', () => {
  const mac = () => createKmsAuditMac({ client: new KMSClient({ region: 'us-east-1' }), keyId: KEY_ARN });

  it('asks KMS for HMAC_SHA_256 over the UTF-8 input with the audit key, and returns hex', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: Uint8Array.from(Buffer.from('ab'.repeat(32), 'hex')), KeyId: KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
    expect(await mac().mac('prev{"seq":1}')).toBe('ab'.repeat(32));
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString('utf8')).toBe('prev{"seq":1}');
  });

  it('verifies through VerifyMac, and answers false (not an error) for a MAC KMS rejects', async () => {
    kms.on(VerifyMacCommand).resolvesOnce({ MacValid: true }).rejectsOnce(new KMSInvalidMacException({ message: 'invalid', $metadata: {} }));
    expect(await mac().verify('data', 'cd'.repeat(32))).toBe(true);
    expect(Buffer.from(kms.commandCalls(VerifyMacCommand)[0]!.args[0].input.Mac!).toString('hex')).toBe('cd'.repeat(32));
    expect(await mac().verify('data', 'cd'.repeat(32))).toBe(false);
  });

  it('refuses a malformed MAC without calling KMS, and lets other KMS errors through', async () => {
    expect(await mac().verify('data', 'not-a-mac')).toBe(false);
    expect(kms.commandCalls(VerifyMacCommand)).toHaveLength(0);
    kms.on(VerifyMacCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(mac().verify('data', 'cd'.repeat(32))).rejects.toThrow('slow down');
  });

  it('refuses an input larger than KMS takes', async () => {
    await expect(mac().mac('x'.repeat(4097))).rejects.toThrow(RangeError);
  });
});

describe('auditMacFromEnvironment', () => {
  it('uses the KMS key when AUDIT_MAC_KEY_ARN is set', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32) });
    expect(await auditMacFromEnvironment({ AUDIT_MAC_KEY_ARN: KEY_ARN, AWS_REGION: 'us-east-1' }).mac('x')).toBe('00'.repeat(32));
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(1);
  });

  it('uses the local HMAC key otherwise, alike to an HMAC with that key', async () => {
    const key = randomBytes(32);
    const fromEnv = auditMacFromEnvironment({ AUDIT_LOCAL_HMAC_KEY: key.toString('base64') });
    expect(await fromEnv.mac('x')).toBe(await createHmacAuditMac(key).mac('x'));
  });

  it('fails closed with neither, or with a short local key', () => {
    expect(() => auditMacFromEnvironment({})).toThrow(ConfigurationError);
    expect(() => auditMacFromEnvironment({ AUDIT_LOCAL_HMAC_KEY: randomBytes(16).toString('base64') })).toThrow(ConfigurationError);
  });

  it('resolves lazily: a function that never appends needs no key, one that does fails at its first append', async () => {
    let resolved = 0;
    const lazy = lazyAuditMac(() => {
      resolved += 1;
      return auditMacFromEnvironment({});
    });
    expect(resolved).toBe(0);
    await expect(lazy.mac('x')).rejects.toThrow(ConfigurationError);
  });
});
