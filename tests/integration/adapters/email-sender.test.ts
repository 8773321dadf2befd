/** The SES sender against aws-ses-v2-local, and what it asks SES for (aws-sdk-client-mock). */
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSesClient, createSesEmailSender } from '../../../shared/adapters/ses/email-sender.js';
import { renderWelcomeEmail } from '../../../shared/notifications/welcome-email.js';
import { waitForEmail } from '../../support/inbox.js';
import { uniqueEmail } from '../../workflow/support.js';

const from = 'no-reply@moodrx.example';

describe('SES email sender', () => {
  it('delivers HTML and text to the SES emulator', async () => {
    const to = uniqueEmail('ses');
    const sender = createSesEmailSender({ client: createSesClient(), from, configurationSet: '' });
    const rendered = renderWelcomeEmail({ firstName: 'Skyler', appBaseUrl: 'https://app.example' });

    const { messageId } = await sender.send({ to, ...rendered });

    expect(messageId).toEqual(expect.any(String));
    const email = await waitForEmail({ to });
    expect(email).toMatchObject({ subject: rendered.subject, from });
    expect(email.body.html).toContain('Book your free consultation');
    expect(email.body.text).toBe(rendered.text);
  });

  it('names the configuration set only when one is configured', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    try {
      const email = { to: 'a@example.com', subject: 's', html: '<p>h</p>', text: 't' };
      await createSesEmailSender({ client: new SESClient({}), from, configurationSet: '' }).send(email);
      await createSesEmailSender({ client: new SESClient({}), from, configurationSet: 'moodrx-prod' }).send(email);
      const [withoutSet, withSet] = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
      expect(withoutSet).not.toHaveProperty('ConfigurationSetName');
      expect(withSet).toMatchObject({ ConfigurationSetName: 'moodrx-prod', Source: from, Destination: { ToAddresses: ['a@example.com'] } });
      expect(withSet?.Message?.Body).toEqual({ Html: { Data: '<p>h</p>', Charset: 'UTF-8' }, Text: { Data: 't', Charset: 'UTF-8' } });
    } finally {
      ses.restore();
    }
  });

  it('fails instead of hanging when SES does not answer (the request timeout of createSesClient)', async () => {
    // A TCP server that accepts and never answers, like the emulator's hanging operations.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const client = createSesClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    try {
      const started = Date.now();
      const failure = await createSesEmailSender({ client, from, configurationSet: '' })
        .send({ to: 'a@example.com', subject: 's', html: 'h', text: 't' })
        .catch((error: unknown) => error);
      // 4 s per attempt: two attempts stay inside SendWelcomeEmail's 10 s task timeout.
      expect(failure).toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_900);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      client.destroy();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
