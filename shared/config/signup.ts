/**
 * How long signup and verification answers take at least (shared/http/minimum-duration.ts), so
 * that a new and a taken email (signup), or a known and an unknown one (verify), answer in the
 * same time. Above the slower path's usual duration: a new account's identity, records and
 * code email against a taken email's one notice (measured locally: bench:signup).
 */
export const SIGNUP_MINIMUM_RESPONSE_MS = 1_500;
export const VERIFY_MINIMUM_RESPONSE_MS = 800;
