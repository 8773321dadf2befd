/**
 * The weekly progress review (issue 11), pure: facts in (facts.ts), review out (review.ts),
 * triage (triage.ts), five change classes (change-classes.ts), and the minimum-necessary email
 * (email.ts). The workflow and routes build on these exports.
 */
export * from './change-classes.js';
export * from './email.js';
export * from './facts.js';
export * from './review.js';
export * from './triage.js';
export * from './schedule.js';
