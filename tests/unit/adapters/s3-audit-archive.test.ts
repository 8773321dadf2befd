/**
 * The S3 audit archive adapter. There is no S3 emulator in the local stack (and the local stack
 * does not run the archive), so the client is mocked (aws-sdk-client-mock): what is asserted is
 * the request - bucket, key, body, content type, SHA-256 checksum (which Object Lock requires on
 * every PUT) - and that a refusal reaches the caller.
 */
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { auditArchiveFromEnvironment, createS3AuditArchive } from '../../../shared/adapters/s3/audit-archive.js';
import { ConfigurationError } from '../../../shared/config/environment.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe('the S3 audit archive', () => {
  const archive = () => createS3AuditArchive({ client: new S3Client({ region: 'us-east-1' }), bucket: 'moodrx-audit-archive' });

  it('puts the object with its key and body, as JSON, with a SHA-256 checksum and nothing about retention', async () => {
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1' });
    await archive().put('clients/c-1/000000000001.json', '{"seq":1}');
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Bucket: 'moodrx-audit-archive',
      Key: 'clients/c-1/000000000001.json',
      Body: '{"seq":1}',
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
    });
  });

  it('lets a refusal through to the caller (the record is then reported as a failure)', async () => {
    s3.on(PutObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' }));
    await expect(archive().put('staff/s-1/000000000001.json', '{}')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('takes its bucket from AUDIT_ARCHIVE_BUCKET and fails at cold start without one', async () => {
    s3.on(PutObjectCommand).resolves({});
    await auditArchiveFromEnvironment({ AUDIT_ARCHIVE_BUCKET: 'moodrx-dev-archive', AWS_REGION: 'us-east-1' }).put('k', '{}');
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Bucket).toBe('moodrx-dev-archive');
    expect(() => auditArchiveFromEnvironment({})).toThrow(ConfigurationError);
    expect(() => auditArchiveFromEnvironment({ AUDIT_ARCHIVE_BUCKET: '' })).toThrow(ConfigurationError);
  });
});
