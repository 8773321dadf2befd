/**
 * The stores the care-unit use cases need, implemented by
 * shared/adapters/dynamodb/care-unit-repository.ts and by in-memory fakes in the unit tests.
 */
import type { CareRelationship } from '../../domain/access.js';
import type { ReleaseConsent, ReleaseRequest } from '../../domain/care-units/releases.js';
import type { CareUnit, CareUnitKind, MemberRole, Membership, MembershipStatus, UnitCareEndReason } from '../../domain/care-units/units.js';
import type { ClientStage } from '../../domain/signup.js';

export interface LoadedUnit {
  unit: CareUnit;
  /** Bumped by every membership, match and release decision write: the optimistic lock of the unit. */
  version: number;
  memberships: Membership[];
  releases: ReleaseRequest[];
  consents: ReleaseConsent[];
}

export interface UnitPointer {
  unitId: string;
  kind: CareUnitKind;
  role: MemberRole;
  status: MembershipStatus;
}

/** `written`, or `conflict`: the unit changed since `version` was read (read again and retry). */
export type UnitWriteOutcome = 'written' | 'conflict';

export interface UnitMemberCare {
  clientId: string;
  /** The member's stage now: awaiting_consultation or awaiting_match (it becomes in_care). */
  stage: ClientStage;
  /** Their active consultation relationship, ended (`matched`) in the same transaction. */
  consultation?: CareRelationship;
}

export type UnitAssignOutcome = 'assigned' | 'therapist_full' | 'conflict';

export interface CareUnitRecords {
  getUnit(unitId: string): Promise<LoadedUnit | undefined>;
  /** The unit (version 1), the creator's active membership and pointer, in ONE transaction. */
  createUnit(unit: CareUnit, creator: Membership): Promise<void>;
  /**
   * A membership (and the member's pointer) in ONE transaction with the unit's version check;
   * with `endJointCare`, the unit's joint care ends in it too (domain jointCareEnds).
   */
  putMembership(membership: Membership, expectedVersion: number, endJointCare?: { at: string; reason: UnitCareEndReason }): Promise<UnitWriteOutcome>;
  /** The unit's joint care ends (a member's care with the unit's therapist ended), with the unit's version check, only if it has not ended yet. */
  endJointCare(unitId: string, end: { at: string; reason: UnitCareEndReason }, expectedVersion: number): Promise<UnitWriteOutcome>;
  listUnitsOf(clientId: string): Promise<UnitPointer[]>;
  /** A release request (and its requester's decision) with the unit's version check. */
  createRelease(release: ReleaseRequest, requesterConsent: ReleaseConsent | undefined, expectedVersion: number): Promise<UnitWriteOutcome>;
  /**
   * A decision, put "if absent" (`already_decided` otherwise), and the release's status as the
   * rule says with it, in ONE transaction with the unit's version check.
   */
  decideRelease(unitId: string, consent: ReleaseConsent, status: ReleaseRequest['status'], decidedAt: string | undefined, expectedVersion: number): Promise<UnitWriteOutcome | 'already_decided'>;
  /**
   * ONE transaction: the unit's therapist set (only if none), ONE caseload place for the unit,
   * and for every member given: the therapist relationship begins, the consultation
   * relationship ends (`matched`), stage -> in_care.
   */
  assignUnitTherapist(input: { unitId: string; therapistId: string; startedAt: string; members: UnitMemberCare[]; expectedVersion: number }): Promise<UnitAssignOutcome>;
}
