// The security profile: every policy figure of authentication, lockout and
// sessions, in one fixed record (PROFILE_BYTES, little-endian u32 fields).
// Defaults follow OWASP (PBKDF2-HMAC-SHA256, 600,000 iterations) and NIST SP
// 800-63B (15 characters for single-factor passwords). Set by a security
// administrator, or before the first account exists (provisioning).

import { PBKDF2_MAX_ITERATIONS } from "../abi/_limits";
import { HISTORY_MAX, PASSWORD_MAX_BYTES, SESSIONS_MAX } from "./limits";

export const P_ITERATIONS: usize = 0;        // PBKDF2 iterations for new password hashes
export const P_MIN_LENGTH: usize = 4;        // minimum password length in bytes
export const P_HISTORY: usize = 8;           // passwords remembered (the current one included)
export const P_MIN_LIFETIME: usize = 12;     // seconds before a user may change their password again
export const P_MAX_LIFETIME: usize = 16;     // seconds a password lives (0: no expiry)
export const P_LOCK_THRESHOLD: usize = 20;   // consecutive failures that lock an account
export const P_LOCK_WINDOW: usize = 24;      // seconds within which failures are consecutive
export const P_LOCK_DURATION: usize = 28;    // seconds locked (0: until an administrator unlocks)
export const P_SRC_THRESHOLD: usize = 32;    // failures that lock a source
export const P_SRC_WINDOW: usize = 36;
export const P_SRC_DURATION: usize = 40;     // (0: until an administrator unlocks)
export const P_IDLE_LOCK: usize = 44;        // seconds of inactivity that lock a session (CR 2.5)
export const P_IDLE_TERMINATE: usize = 48;   // seconds of inactivity that end it (CR 2.6)
export const P_SESSION_MAX: usize = 52;      // longest session lifetime in seconds
export const P_PER_USER: usize = 56;         // concurrent sessions per user (CR 2.7)
export const P_PER_IFACE: usize = 60;        // concurrent sessions per interface
export const P_FLAGS: usize = 64;            // PF_* bits
export const P_DELAY_BASE: usize = 68;       // first delay in ms for accounts that are delayed instead of locked
export const P_DELAY_MAX: usize = 72;        // longest delay in ms
export const P_RESERVED: usize = 76;         // zero

/** Every account needs a second factor (CR 1.1 RE2 by profile). */
export const PF_MFA_ALL: u32 = 1;

/** Lowest iteration count a profile may set. */
export const ITERATIONS_MIN: u32 = 1000;

// @ts-ignore: decorator
@lazy const PROFILE: usize = memory.data(80, 8);

export function profile_ptr(): usize { return PROFILE; }

// @ts-ignore: decorator
@inline export function prof(field: usize): u32 { return load<u32>(PROFILE + field); }

/** Factory defaults. */
export function profile_reset(): void {
  memory.fill(PROFILE, 0, 80);
  store<u32>(PROFILE + P_ITERATIONS, 600_000);
  store<u32>(PROFILE + P_MIN_LENGTH, 15);
  store<u32>(PROFILE + P_HISTORY, 5);
  store<u32>(PROFILE + P_MIN_LIFETIME, 86_400);
  store<u32>(PROFILE + P_MAX_LIFETIME, 0);
  store<u32>(PROFILE + P_LOCK_THRESHOLD, 5);
  store<u32>(PROFILE + P_LOCK_WINDOW, 900);
  store<u32>(PROFILE + P_LOCK_DURATION, 900);
  store<u32>(PROFILE + P_SRC_THRESHOLD, 20);
  store<u32>(PROFILE + P_SRC_WINDOW, 900);
  store<u32>(PROFILE + P_SRC_DURATION, 900);
  store<u32>(PROFILE + P_IDLE_LOCK, 900);
  store<u32>(PROFILE + P_IDLE_TERMINATE, 3600);
  store<u32>(PROFILE + P_SESSION_MAX, 43_200);
  store<u32>(PROFILE + P_PER_USER, 2);
  store<u32>(PROFILE + P_PER_IFACE, 8);
  store<u32>(PROFILE + P_FLAGS, 0);
  store<u32>(PROFILE + P_DELAY_BASE, 1000);
  store<u32>(PROFILE + P_DELAY_MAX, 60_000);
}

/** Checks a profile record at p (80 bytes): every field inside its range. */
export function profile_valid(p: usize): bool {
  const it = load<u32>(p + P_ITERATIONS);
  if (it < ITERATIONS_MIN || it > PBKDF2_MAX_ITERATIONS) return false;
  const ml = load<u32>(p + P_MIN_LENGTH);
  if (ml < 8 || ml > PASSWORD_MAX_BYTES) return false;
  if (load<u32>(p + P_HISTORY) > HISTORY_MAX) return false;
  const th = load<u32>(p + P_LOCK_THRESHOLD), sth = load<u32>(p + P_SRC_THRESHOLD);
  if (th < 1 || th > 1000 || sth < 1 || sth > 100_000) return false;
  if (load<u32>(p + P_LOCK_WINDOW) < 1 || load<u32>(p + P_SRC_WINDOW) < 1) return false;
  const il = load<u32>(p + P_IDLE_LOCK), it2 = load<u32>(p + P_IDLE_TERMINATE), sm = load<u32>(p + P_SESSION_MAX);
  if (il < 1 || it2 < il || sm < 1) return false;
  const pu = load<u32>(p + P_PER_USER), pi = load<u32>(p + P_PER_IFACE);
  if (pu < 1 || pu > SESSIONS_MAX || pi < 1 || pi > SESSIONS_MAX) return false;
  if ((load<u32>(p + P_FLAGS) & ~PF_MFA_ALL) != 0) return false;
  const db = load<u32>(p + P_DELAY_BASE), dm = load<u32>(p + P_DELAY_MAX);
  if (db < 1 || dm < db || dm > 86_400_000) return false;
  return load<u32>(p + P_RESERVED) == 0;
}

export function profile_load(p: usize): void { memory.copy(PROFILE, p, 80); }
profile_reset();
