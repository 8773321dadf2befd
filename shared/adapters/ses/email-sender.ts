/**
 * Sends email through SES with the v1 API of `@aws-sdk/client-ses` (SendEmail), as the design
 * names it; an email with attachments (a calendar invite) goes as a MIME message with
 * SendRawEmail (raw-message.ts). In AWS the configuration set adds TLS-required delivery and
 * bounce/complaint handling; the local SES emulator has none, so it is set only when configured.
 */
import { SendEmailCommand, SendRawEmailCommand, SESClient, type SESClientConfig } from '@aws-sdk/client-ses';
import type { EmailSender } from '../../use-cases/ports.js';
import { buildRawMessage } from './raw-message.js';

/**
 * One client per cold start. Request timeouts because an SES call must not hold a workflow
 * task until its own timeout (and some SES emulator operations never answer). Since
 * @smithy/node-http-handler 4.x an exceeded requestTimeout only logs a warning unless
 * `throwOnRequestTimeout` is set.
 */
export function createSesClient(overrides: Pick<SESClientConfig, 'endpoint' | 'maxAttempts'> = {}): SESClient {
  return new SESClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 4_000, throwOnRequestTimeout: true },
    ...overrides,
  });
}

export function createSesEmailSender(options: { client: SESClient; from: string; configurationSet: string }): EmailSender {
  const { client, from, configurationSet } = options;
  return {
    async send(email) {
      if (email.attachments && email.attachments.length > 0) {
        const raw = buildRawMessage({ from, to: email.to, subject: email.subject, text: email.text, html: email.html, attachments: email.attachments });
        const sent = await client.send(
          new SendRawEmailCommand({
            Source: from,
            Destinations: [email.to],
            RawMessage: { Data: Buffer.from(raw, 'utf8') },
            ...(configurationSet === '' ? {} : { ConfigurationSetName: configurationSet }),
          }),
        );
        if (!sent.MessageId) throw new Error('SES accepted the email without a message id.');
        return { messageId: sent.MessageId };
      }
      const result = await client.send(
        new SendEmailCommand({
          Source: from,
          Destination: { ToAddresses: [email.to] },
          Message: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
          ...(configurationSet === '' ? {} : { ConfigurationSetName: configurationSet }),
        }),
      );
      if (!result.MessageId) throw new Error('SES accepted the email without a message id.');
      return { messageId: result.MessageId };
    },
  };
}
