/**
 * Roles are Cognito groups. A person has one role; staff roles live in the staff user pool,
 * where MFA is required (see infra/stacks/auth-stack.ts).
 */
export const ROLES = ['client', 'therapist', 'coordinator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['therapist', 'coordinator', 'supervisor', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Clinicians see health data; an admin runs the directory and operations. */
export const CLINICIAN_ROLES = ['therapist', 'coordinator', 'supervisor'] as const satisfies readonly Role[];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/**
 * The role that governs a caller holding several groups: the most privileged first, so a
 * therapist who is also in `client` by mistake is never treated as a client of the service.
 */
export function primaryRole(groups: readonly string[]): Role | undefined {
  const precedence: readonly Role[] = ['admin', 'supervisor', 'coordinator', 'therapist', 'client'];
  return precedence.find((role) => groups.includes(role));
}

/** Who is calling, as the verified token says. */
export interface Caller {
  /** The Cognito `sub`: the same id as the person's record (client id or staff id). */
  userId: string;
  role: Role;
  groups: string[];
}
