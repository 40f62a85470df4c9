// Every status code the module returns, once. The same table lives in
// bindings/abi.ts and bindings/c/iacsec.h; tests/host/abi.test.ts checks that
// the three agree.

/** Success. */
export const OK: i32 = 0;
/** End of data, or nothing found (not an error). */
export const END: i32 = 1;
/** Verification failed, or an argument's value is not acceptable. Verify functions give this one code, never the reason. */
export const ERR_INVALID: i32 = -1;
/** A length is outside what the function accepts. */
export const ERR_LENGTH: i32 = -2;
/** Encoded input is malformed. */
export const ERR_MALFORMED: i32 = -3;
/** The output buffer is too small. */
export const ERR_BUFFER_SMALL: i32 = -4;
/** Locked out or rate-limited. */
export const ERR_LOCKED: i32 = -5;
/** A pointer and length do not lie inside the module's I/O area. */
export const ERR_BOUNDS: i32 = -6;
/** Call out of order (update after final), or a stale or unknown handle. */
export const ERR_STATE: i32 = -7;
/** Every context slot of this kind is in use. */
export const ERR_NO_SLOT: i32 = -8;
/** The power-on self-test has not passed (not run yet, or failed): crypto is disabled (CR 3.3). */
export const ERR_SELFTEST: i32 = -9;
/** Unsupported algorithm, format or option. */
export const ERR_UNSUPPORTED: i32 = -10;
/** No trust anchor has this key id. */
export const ERR_UNKNOWN_KEY: i32 = -11;
/** The key id is on the revocation list. */
export const ERR_REVOKED: i32 = -12;
/** The security counter is below the stored minimum (anti-rollback). */
export const ERR_ROLLBACK: i32 = -13;
/** The manifest is for another vendor. */
export const ERR_WRONG_VENDOR: i32 = -14;
/** The manifest is for another device class. */
export const ERR_WRONG_CLASS: i32 = -15;
/** The image digest differs from the manifest. */
export const ERR_DIGEST: i32 = -16;
/** The image is longer or shorter than the manifest declares. */
export const ERR_SIZE: i32 = -17;
/** An unknown critical field or header. */
export const ERR_CRITICAL: i32 = -18;
/** The change needs an authorization it does not carry. */
export const ERR_UNAUTHORIZED: i32 = -19;
/** A fixed-capacity table is full. */
export const ERR_FULL: i32 = -20;
/** The audit ring is full of records the host has not acknowledged; the record was refused (reject policy). */
export const ERR_AUDIT_FULL: i32 = -30;
/** The cursor names records already acknowledged or overwritten; the oldest exportable cursor is returned. */
export const ERR_AUDIT_STALE: i32 = -31;
/** The cursor is past the next sequence number. */
export const ERR_AUDIT_CURSOR: i32 = -32;
/** Already present: the key id is already a trust anchor, or already revoked. */
export const ERR_EXISTS: i32 = -21;
/** The manifest is for another component than the slot being checked. */
export const ERR_WRONG_COMPONENT: i32 = -22;
/** The change would leave the device without an active supplier anchor. */
export const ERR_LAST_ANCHOR: i32 = -23;
/** The key id to add was revoked: a revoked key id is never trusted again. */
export const ERR_KID_REVOKED: i32 = -24;
/** The stored state failed to load (missing, damaged or rolled back): the module is fail-secure until a recovery. */
export const ERR_FAILSECURE: i32 = -25;
/** The statement expects another current value: stale or replayed. */
export const ERR_STALE: i32 = -26;
/** Authentication failed: unknown user, wrong password or code, disabled or locked account all give this one answer (CR 1.10). */
export const ERR_AUTH: i32 = -35;
/** The new password does not meet the password policy (CR 1.7): too short, on the blocklist, reused, or changed too soon. */
export const ERR_POLICY: i32 = -36;
/** The account must change its password before anything else (factory default, set by an administrator, or expired; CR 1.5). */
export const ERR_MUST_CHANGE: i32 = -37;
/** The session's role does not carry the permission (CR 2.1). */
export const ERR_DENIED: i32 = -38;
/** Unknown, expired, terminated or forged session id (CR 3.8). */
export const ERR_SESSION: i32 = -39;
/** The session is locked after inactivity: re-authenticate (CR 2.5). */
export const ERR_SESSION_LOCKED: i32 = -40;
/** The concurrent session limit is reached, per user, per interface, or in all (CR 2.7). */
export const ERR_SESSION_LIMIT: i32 = -41;
/** No role with this index. */
export const ERR_UNKNOWN_ROLE: i32 = -42;
/** The password was right but the account needs a second factor (CR 1.1 RE2). */
export const ERR_MFA_REQUIRED: i32 = -43;
/** The name is already taken (CR 1.4: identifiers are unique). */
export const ERR_NAME_TAKEN: i32 = -44;
