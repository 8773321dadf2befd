/** The SES emulator's inbox, for tests: wait for a message with a deadline, never a sleep. */
import { fetchInbox, type InboxEmail } from '../../local/emulators/ses.js';
import { pollUntil } from '../../local/emulators/wait.js';

export type { InboxEmail };

function sesEndpoint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL_SES;
  if (!endpoint) throw new Error('AWS_ENDPOINT_URL_SES is not set: is tests/support/global-setup.ts the globalSetup?');
  return endpoint;
}

/** Messages sent to `to` (any letter case), oldest first. */
export async function emailsTo(to: string): Promise<InboxEmail[]> {
  const wanted = to.toLowerCase();
  const emails = await fetchInbox(sesEndpoint());
  return emails.filter((email) => email.destination.to.some((address) => address.toLowerCase().includes(wanted)));
}

/** The first message to `to` (whose subject includes `subjectIncludes`), or fails after `deadlineMs`. */
export async function waitForEmail(options: { to: string; subjectIncludes?: string; deadlineMs?: number }): Promise<InboxEmail> {
  return pollUntil(
    `An email to ${options.to}${options.subjectIncludes ? ` about "${options.subjectIncludes}"` : ''}`,
    async () => {
      const found = (await emailsTo(options.to)).find(
        (email) => options.subjectIncludes === undefined || email.subject.includes(options.subjectIncludes),
      );
      if (!found) throw new Error('not in the inbox yet');
      return found;
    },
    { deadlineMs: options.deadlineMs ?? 10_000, intervalMs: 50 },
  );
}
