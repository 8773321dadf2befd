/**
 * Hard filters: a therapist who fails any of them is never offered, whatever their score.
 * Listed in the order a ranking attributes an exclusion to (the first that fails), from the
 * legal to the practical: without a license valid in the client's state the therapist may not
 * treat them at all; then whom and in which language they practise; then whether the client
 * has left them; then whether they can take someone on now.
 */
import { licenseValidOn } from '../clinicians.js';
import type { UsStateCode } from '../us-states.js';
import type { ClientType } from '../signup.js';
import type { MatchTherapist } from './input.js';

export const EXCLUSION_REASONS = [
  'not_licensed_in_state',
  'license_expired',
  'client_type_not_served',
  'no_shared_language',
  'previously_left',
  'not_accepting_new_clients',
  'caseload_full',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** What the filters need to know about the client, prepared once per ranking. */
export interface FilterContext {
  state: UsStateCode;
  clientType: ClientType;
  /** Languages the client can have therapy in. */
  languages: ReadonlySet<string>;
  leftTherapistIds: ReadonlySet<string>;
  onDate: string;
}

/** Absent a stated language, therapy is in English. */
export const DEFAULT_LANGUAGES: readonly string[] = ['en'];

/** Only the part of a therapist the filters read. */
export type FilterableTherapist = Pick<
  MatchTherapist,
  'clinicianId' | 'licenses' | 'clientTypes' | 'languages' | 'acceptingNewClients' | 'caseloadCapacity' | 'caseloadCount'
>;

function licenseProblem(therapist: FilterableTherapist, context: FilterContext): ExclusionReason | undefined {
  let held = false;
  for (const license of therapist.licenses) {
    if (license.state !== context.state) continue;
    if (licenseValidOn(license, context.onDate)) return undefined;
    held = true;
  }
  return held ? 'license_expired' : 'not_licensed_in_state';
}

function speaksOneOf(therapist: FilterableTherapist, languages: ReadonlySet<string>): boolean {
  return therapist.languages.some((l) => languages.has(l));
}

/** Every hard filter the therapist fails, in EXCLUSION_REASONS order (empty: eligible). */
export function exclusionReasons(therapist: FilterableTherapist, context: FilterContext): ExclusionReason[] {
  const reasons: ExclusionReason[] = [];
  const license = licenseProblem(therapist, context);
  if (license) reasons.push(license);
  if (!therapist.clientTypes.includes(context.clientType)) reasons.push('client_type_not_served');
  if (!speaksOneOf(therapist, context.languages)) reasons.push('no_shared_language');
  if (context.leftTherapistIds.has(therapist.clinicianId)) reasons.push('previously_left');
  if (!therapist.acceptingNewClients) reasons.push('not_accepting_new_clients');
  if (therapist.caseloadCount >= therapist.caseloadCapacity) reasons.push('caseload_full');
  return reasons;
}

/** The first hard filter the therapist fails (the one a ranking counts them under), or undefined. */
export function firstExclusion(therapist: FilterableTherapist, context: FilterContext): ExclusionReason | undefined {
  return exclusionReasons(therapist, context)[0];
}

/** Plain-language predicates for each exclusion, completing "The therapist ..." (for staff, e.g. why a pin is not shown). */
export const EXCLUSION_TEXT: Readonly<Record<ExclusionReason, string>> = {
  not_licensed_in_state: "holds no license in the client's state",
  license_expired: "holds only an expired license in the client's state",
  client_type_not_served: 'does not work with this type of client',
  no_shared_language: "speaks none of the client's languages",
  previously_left: 'was left by the client before',
  not_accepting_new_clients: 'is not accepting new clients',
  caseload_full: 'has a full caseload',
};
