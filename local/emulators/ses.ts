/**
 * aws-ses-v2-local, in this process, on 127.0.0.1 (its default is all interfaces). It takes
 * SES v1 SendEmail/SendRawEmail (what `@aws-sdk/client-ses` sends) and keeps every message in
 * memory: `GET /store` lists them, `POST /clear-store` empties it, `GET /` is a web inbox.
 * Messages do not survive a restart. Its v1 SendTemplatedEmail and VerifyEmailIdentity hang:
 * SES clients need request timeouts.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Clock } from '../../shared/adapters/clock.js';
import { portOrFree } from './ports.js';

export const DEFAULT_SES_PORT = 8005;

/**
 * Loaded with require: the package is CommonJS with `exports.default`, which Node's ESM loader
 * and Vite's module runner (the tests' global setup) expose differently as a default import.
 */
const requireCjs = createRequire(import.meta.url);
const { default: startSesServer } = requireCjs('aws-ses-v2-local') as {
  default: (config: { host: string; port: number }) => Promise<Server>;
};
/**
 * The emulator stamps each message (`at`, shown in its inbox) through this module's export,
 * read at call time. Pointed at the stack's clock, a reminder sent at a virtual instant shows
 * that instant, as SES would date it when it is really sent.
 */
const sesUtil = requireCjs('aws-ses-v2-local/dist/util.js') as { getCurrentTimestamp: () => number };

export interface SesEmulator {
  /** For AWS_ENDPOINT_URL_SES and for fetchInbox/clearInbox. */
  endpoint: string;
  /** The web inbox, for people. */
  inboxUrl: string;
  stop(): Promise<void>;
}

/** A message as the emulator stores it (aws-ses-v2-local's `Email`). */
export interface InboxEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Epoch seconds. */
  at: number;
}

export async function startSes(options: { port?: number; clock?: Clock } = {}): Promise<SesEmulator> {
  const port = await portOrFree(options.port, DEFAULT_SES_PORT);
  const { clock } = options;
  if (clock) sesUtil.getCurrentTimestamp = () => Math.floor(clock.now().getTime() / 1000);
  const server = await startSesServer({ host: '127.0.0.1', port });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const endpoint = `http://127.0.0.1:${boundPort}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The web inbox polls with keep-alive connections that would hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Every message the emulator has accepted, oldest first. */
export async function fetchInbox(endpoint: string, options: { sinceEpochSeconds?: number } = {}): Promise<InboxEmail[]> {
  const url = new URL('/store', endpoint);
  if (options.sinceEpochSeconds !== undefined) url.searchParams.set('since', String(Math.floor(options.sinceEpochSeconds)));
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`SES emulator store answered ${response.status}`);
  const store = (await response.json()) as { emails: InboxEmail[] };
  return store.emails;
}

export async function clearInbox(endpoint: string): Promise<void> {
  const response = await fetch(new URL('/clear-store', endpoint), { method: 'POST', signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`SES emulator clear-store answered ${response.status}`);
}
