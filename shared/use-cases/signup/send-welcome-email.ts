/**
 * Signup task SendWelcomeEmail: the welcome email with the free consultation offer.
 *
 * 1. Already recorded as sent (a retry) -> skip.
 * 2. Render it (shared/notifications/welcome-email.ts: first name and a link, no health data).
 * 3. Send it.
 * 4. Record it as sent (only while the client exists).
 * A crash between 3 and 4 sends it twice on retry: at-least-once, the usual email contract.
 */
import * as z from 'zod';
import { NormalizedEmailSchema } from '../../domain/signup-workflow.js';
import { renderWelcomeEmail } from '../../notifications/welcome-email.js';
import type { ClientRecords, EmailSender } from '../ports.js';

export const WELCOME_NOTIFICATION_KEY = 'welcome';

export const SendWelcomeEmailInputSchema = z.strictObject({
  requestId: z.string().min(1),
  clientId: z.string().min(1),
  email: NormalizedEmailSchema,
  firstName: z.string().min(1),
});
export type SendWelcomeEmailInput = z.infer<typeof SendWelcomeEmailInputSchema>;

export type SendWelcomeEmailOutput = { sent: true; messageId: string } | { sent: false; reason: 'already_sent' };

export async function sendWelcomeEmail(
  input: SendWelcomeEmailInput,
  deps: { clients: ClientRecords; email: EmailSender; appBaseUrl: string; now: () => Date },
): Promise<SendWelcomeEmailOutput> {
  if (await deps.clients.hasNotification(input.clientId, WELCOME_NOTIFICATION_KEY)) {
    return { sent: false, reason: 'already_sent' };
  }
  const rendered = renderWelcomeEmail({ firstName: input.firstName, appBaseUrl: deps.appBaseUrl });
  const { messageId } = await deps.email.send({ to: input.email, ...rendered });
  await deps.clients.recordNotification(input.clientId, {
    key: WELCOME_NOTIFICATION_KEY,
    channel: 'email',
    messageId,
    sentAt: deps.now().toISOString(),
  });
  return { sent: true, messageId };
}
