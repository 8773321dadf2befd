/**
 * The staff audit trail: changes to a clinician's credentialing (licenses, credential, names,
 * client types, consultation and caseload settings, video room; ADMIN_ONLY_CLINICIAN_FIELDS),
 * and refused attempts to change them (issue 9, finding 1).
 *
 * These values are not health data, so an event carries them: who changed what, and each
 * changed field's value before and after. A refused attempt names the fields only.
 *
 * Tamper evidence as for the clients' trail (shared/domain/audit.ts): one hash chain per staff
 * member whose record changed (not per actor), hashed the same way (`chainHashInput`), kept in
 * its own partition (shared/adapters/dynamodb/keys.ts, patterns 45-46) so it never mixes with a
 * client's chain and survives the removal of the profile.
 */
import * as z from 'zod';
import { ADMIN_ONLY_CLINICIAN_FIELDS, CREDENTIALS, type AdminOnlyClinicianField } from './clinicians.js';
import { ROLES } from './roles.js';
import { CLIENT_TYPES } from './signup.js';
import { US_STATE_CODES } from './us-states.js';

/** Ids in events: Cognito subs, UUIDs, request ids (as in shared/domain/audit.ts). */
const StaffAuditIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/);

const LicenseValueSchema = z.strictObject({ state: z.enum(US_STATE_CODES), number: z.string().max(40), expiresOn: z.string().max(10) });

/** The value of one credentialing field, as stored on the profile. */
const CredentialingValueSchema = z.union([
  z.boolean(),
  z.number().int(),
  z.enum(CREDENTIALS),
  // Names and the video room address.
  z.string().max(500),
  z.array(z.enum(CLIENT_TYPES)),
  z.array(LicenseValueSchema),
]);

export const CredentialingChangeSchema = z.strictObject({
  field: z.enum(ADMIN_ONLY_CLINICIAN_FIELDS),
  before: CredentialingValueSchema,
  after: CredentialingValueSchema,
});
export type CredentialingChange = z.infer<typeof CredentialingChangeSchema>;

export const STAFF_AUDIT_OUTCOMES = [
  /** Changed: `changes` lists each changed field with its value before and after. */
  'success',
  /** Refused (a clinician sending admin-only fields): `fields` names what was asked for. */
  'denied',
] as const;

export const StaffAuditEventSchema = z
  .strictObject({
    eventId: StaffAuditIdSchema,
    /** UTC ISO with milliseconds. */
    at: z.iso.datetime({ precision: 3 }),
    actor: z.strictObject({ userId: StaffAuditIdSchema, role: z.enum(ROLES) }),
    /** Whose record: the chain this event belongs to. */
    staffId: StaffAuditIdSchema,
    action: z.literal('credentialing_change'),
    outcome: z.enum(STAFF_AUDIT_OUTCOMES),
    changes: z.array(CredentialingChangeSchema).min(1).optional(),
    fields: z.array(z.enum(ADMIN_ONLY_CLINICIAN_FIELDS)).min(1).optional(),
    /** The API request, to join with logs. */
    requestId: StaffAuditIdSchema.optional(),
  })
  .refine((e) => (e.outcome === 'success' ? e.changes !== undefined && e.fields === undefined : e.fields !== undefined && e.changes === undefined), {
    error: 'A change lists its changes; a refusal names the fields asked for.',
  });
export type StaffAuditEvent = z.infer<typeof StaffAuditEventSchema>;

/** Compares stored values by content (licenses are arrays of objects). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The credentialing fields that differ between two versions of a profile, with both values.
 * Licenses compare as lists (the order an admin wrote them in is kept, so a reorder is a change
 * worth seeing).
 */
export function credentialingChanges(
  before: Readonly<Record<AdminOnlyClinicianField, unknown>>,
  after: Readonly<Record<AdminOnlyClinicianField, unknown>>,
): CredentialingChange[] {
  return ADMIN_ONLY_CLINICIAN_FIELDS.filter((field) => !sameValue(before[field], after[field])).map((field) =>
    CredentialingChangeSchema.parse({ field, before: before[field], after: after[field] }),
  );
}

