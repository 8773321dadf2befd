/**
 * The audit archive in AWS: an S3 bucket with Object Lock (COMPLIANCE, 6 years), versioned and
 * encrypted with its own KMS key (infra/stacks/data-stack.ts). One PutObject per link; the
 * bucket's default retention locks each object version as it lands, so nobody - not the
 * archiver, not an administrator, not the account root - can delete or shorten it before the
 * retention ends. The archiver's role may PutObject and nothing else (capability
 * `audit:archive`).
 *
 * Object Lock requires an integrity checksum on every PUT: the SHA-256 checksum asked for here
 * (x-amz-checksum-sha256, computed by the SDK) is it, and S3 refuses the object if the bytes
 * that arrive do not match.
 *
 * Putting the same key again (a redelivered stream record) adds a second version with the same
 * bytes, locked like the first: harmless, and nothing is overwritten.
 *
 * The local stack has no S3 emulator and does not run the archive (README: The audit trail).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readEnvironment } from '../../config/environment.js';
import type { AuditArchive } from '../../use-cases/ports.js';

export function createS3AuditArchive(options: { client: S3Client; bucket: string }): AuditArchive {
  const { client, bucket: Bucket } = options;
  return {
    async put(key, body) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
  };
}

/** The archive the environment names (AUDIT_ARCHIVE_BUCKET, set by CDK from `audit:archive`); fails at cold start without it. */
export function auditArchiveFromEnvironment(source: Record<string, string | undefined> = process.env): AuditArchive {
  const { AUDIT_ARCHIVE_BUCKET } = readEnvironment(['AUDIT_ARCHIVE_BUCKET'], source);
  return createS3AuditArchive({ client: new S3Client({}), bucket: AUDIT_ARCHIVE_BUCKET });
}
