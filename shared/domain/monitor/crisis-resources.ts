/**
 * What a client is shown when their own answers raise a risk flag (an assessment or a
 * check-in): the crisis resources and the statement that the service does not watch messages
 * for emergencies [DESIGN, "Clinical rules": "Crisis resources shown to clients: 988 (call or
 * text, US), 911 for immediate danger. The app must say that messages are not monitored for
 * emergencies."; issue 4, item 2]. The wording lives here and only here.
 *
 * Only the client gets them, and only with a risk flag: a clinician entering answers does not
 * need a crisis line, and showing one to a client on every submission would dull it.
 */
import * as z from 'zod';
import type { Role } from '../roles.js';
import { deepFreeze } from '../instruments/deep-freeze.js';

export const CrisisResourceSchema = z.strictObject({
  /** Stable id, e.g. to pick an icon. */
  id: z.enum(['988', '911']),
  name: z.string(),
  /** What to do, in one sentence. */
  instructions: z.string(),
  /** Links a phone opens directly. */
  call: z.string(),
  text: z.string().optional(),
});
export type CrisisResource = z.infer<typeof CrisisResourceSchema>;

export const CrisisResourcesSchema = z
  .strictObject({
    message: z.string(),
    resources: z.array(CrisisResourceSchema),
    /** The service does not monitor messages (or answers) for emergencies. */
    notMonitoredForEmergencies: z.string(),
  })
  .meta({ id: 'CrisisResources' });
export type CrisisResources = z.infer<typeof CrisisResourcesSchema>;

export const CRISIS_RESOURCES: CrisisResources = deepFreeze({
  message: 'Some of your answers tell us you may be having thoughts of harming yourself. You do not have to wait for your next session: help is available right now.',
  resources: [
    {
      id: '988',
      name: '988 Suicide & Crisis Lifeline',
      instructions: 'Call or text 988, any time, day or night (United States). It is free and confidential.',
      call: 'tel:988',
      text: 'sms:988',
    },
    {
      id: '911',
      name: 'Emergency services',
      instructions: 'Call 911 if you are in immediate danger or might act on these thoughts.',
      call: 'tel:911',
    },
  ],
  notMonitoredForEmergencies:
    'MoodRx does not monitor messages, check-ins or answers for emergencies. If you need help now, call or text 988, or call 911.',
});

/**
 * The crisis resources for this submission, or `undefined`: only for a client, and only when
 * at least one risk flag was raised.
 */
export function crisisResourcesFor(submittedBy: { role: Role }, riskFlags: readonly unknown[]): CrisisResources | undefined {
  return submittedBy.role === 'client' && riskFlags.length > 0 ? CRISIS_RESOURCES : undefined;
}
