// The account table (CR 1.1, 1.3, 1.4): fixed records, unique names, ids
// that are never reused (a counter that only moves up, persisted).
//
// Record (ACCOUNT_BYTES), little-endian:
//   [0] used  [1] name length  [2] role  [3] flags (AF_*)
//   [4,8) id   [8,12) iterations   [12,14) consecutive failures
//   [14] history count  [15] history next slot
//   [16,48) name   [48,64) salt   [64,96) PBKDF2 hash
//   [96,112) history salt   [112,116) history iterations
//   [116,118) recovery codes used (bit mask)  [118] TOTP digits  [119] TOTP algorithm
//   [120,128) password set at (ms)   [128,136) first failure of the run (ms)
//   [136,144) locked until (ms; 0 not locked; LOCK_FOREVER until an administrator unlocks)
//   [144,152) last login (ms)   [152,160) created (ms)   [160,168) last TOTP step accepted
//   [168] TOTP secret length  [169] TOTP period (s)  [170,176) 0
//   [176,240) TOTP secret   [240,272) recovery key   [272,400) history digests (HISTORY_MAX x 16)

import { ACCOUNTS_MAX, HISTORY_MAX, ROLES_MAX, ROLE_BYTES } from "./limits";
import { eq_bytes } from "./_text";
import { wipe } from "../_mem";

export const ACCOUNT_BYTES: u32 = 400;
/** Bytes kept of each history digest (128 bits: a false match is a 2^-128 event). */
export const HIST_DIGEST_BYTES: usize = 16;

export const AF_DISABLED: u8 = 1;
export const AF_MUST_CHANGE: u8 = 2;      // the next session may only change the password (CR 1.5)
export const AF_TOTP: u8 = 4;             // a confirmed TOTP enrolment: the second factor is required
export const AF_TOTP_PENDING: u8 = 8;     // enrolled, waiting for the first code
export const AF_DELAY: u8 = 16;           // failures delay instead of lock (accounts where a lock is a hazard)
export const AF_MFA: u8 = 32;             // a second factor is required for this account
/** Flags an administrator may set through iacsec_user_modify. */
export const AF_SETTABLE: u8 = AF_DELAY | AF_MFA;

export const A_USED: usize = 0;
export const A_NAME_LEN: usize = 1;
export const A_ROLE: usize = 2;
export const A_FLAGS: usize = 3;
export const A_ID: usize = 4;
export const A_ITER: usize = 8;
export const A_FAILS: usize = 12;
export const A_HIST_COUNT: usize = 14;
export const A_HIST_NEXT: usize = 15;
export const A_NAME: usize = 16;
export const A_SALT: usize = 48;
export const A_HASH: usize = 64;
export const A_HIST_SALT: usize = 96;
export const A_HIST_ITER: usize = 112;
export const A_RECOVERY_USED: usize = 116;
export const A_TOTP_DIGITS: usize = 118;
export const A_TOTP_ALG: usize = 119;
export const A_PW_SET: usize = 120;
export const A_FIRST_FAIL: usize = 128;
export const A_LOCKED_UNTIL: usize = 136;
export const A_LAST_LOGIN: usize = 144;
export const A_CREATED: usize = 152;
export const A_TOTP_LAST: usize = 160;
export const A_TOTP_LEN: usize = 168;
export const A_TOTP_PERIOD: usize = 169;
export const A_TOTP_SECRET: usize = 176;
export const A_RECOVERY_KEY: usize = 240;
export const A_HIST: usize = 272;

export const LOCK_FOREVER: i64 = i64.MAX_VALUE;

// @ts-ignore: decorator
@lazy const TABLE: usize = memory.data(<i32>(ACCOUNTS_MAX * ACCOUNT_BYTES), 16);

let next_id: u32 = 1;
let provisioned: bool = false;

export function accounts_ptr(): usize { return TABLE; }
export function account_rec(i: u32): usize { return TABLE + <usize>i * ACCOUNT_BYTES; }
export function account_used(i: u32): bool { return load<u8>(account_rec(i)) == 1; }
export function accounts_next_id(): u32 { return next_id; }
export function accounts_set_next_id(v: u32): void { next_id = v; }
export function accounts_provisioned(): bool { return provisioned; }
export function accounts_set_provisioned(v: bool): void { provisioned = v; }

/** Index of the account with this name, or -1. */
export function account_find(name: usize, n: usize): i32 {
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) {
    const r = account_rec(i);
    if (load<u8>(r) == 1 && eq_bytes(r + A_NAME, <usize>load<u8>(r + A_NAME_LEN), name, n)) return <i32>i;
  }
  return -1;
}

/** Index of the account with this id, or -1. */
export function account_by_id(id: u32): i32 {
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) {
    const r = account_rec(i);
    if (load<u8>(r) == 1 && load<u32>(r + A_ID) == id) return <i32>i;
  }
  return -1;
}

/** A free slot, or -1 when the table is full. */
export function account_free_slot(): i32 {
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) if (load<u8>(account_rec(i)) == 0) return <i32>i;
  return -1;
}

export function account_count(): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < ACCOUNTS_MAX; i++) if (load<u8>(account_rec(i)) == 1) c++;
  return c;
}

/** Claims slot i for a new account and gives it the next id. */
export function account_claim(i: u32, name: usize, n: usize, role: u8, now: i64): u32 {
  const r = account_rec(i);
  memory.fill(r, 0, ACCOUNT_BYTES);
  store<u8>(r + A_USED, 1);
  store<u8>(r + A_NAME_LEN, <u8>n);
  store<u8>(r + A_ROLE, role);
  const id = next_id++;
  store<u32>(r + A_ID, id);
  memory.copy(r + A_NAME, name, n);
  store<i64>(r + A_CREATED, now);
  return id;
}

/** Removes the account: every secret of it is wiped. */
export function account_erase(i: u32): void { wipe(account_rec(i), ACCOUNT_BYTES); }

export function accounts_reset(): void {
  wipe(TABLE, ACCOUNTS_MAX * ACCOUNT_BYTES);
  next_id = 1;
  provisioned = false;
}

/**
 * Checks one account record image (used or zero) against a roles table image
 * (ROLES_MAX records of ROLE_BYTES) and the next id to be given.
 */
export function account_valid(r: usize, roles: usize, next: u32): bool {
  const used = load<u8>(r);
  if (used == 0) {
    for (let k: usize = 0; k < ACCOUNT_BYTES; k += 8) if (load<u64>(r + k) != 0) return false;
    return true;
  }
  if (used != 1) return false;
  const n = load<u8>(r + A_NAME_LEN);
  if (n < 1 || n > 32) return false;
  const role = <u32>load<u8>(r + A_ROLE);
  if (role >= ROLES_MAX || load<u8>(roles + <usize>role * ROLE_BYTES) != 1) return false;
  if ((load<u8>(r + A_FLAGS) & 0xc0) != 0) return false;
  if (load<u8>(r + A_HIST_COUNT) > <u8>HISTORY_MAX || load<u8>(r + A_HIST_NEXT) >= <u8>HISTORY_MAX) return false;
  const tl = load<u8>(r + A_TOTP_LEN);
  if (tl > 64) return false;
  if (tl != 0 && (load<u8>(r + A_TOTP_ALG) < 1 || load<u8>(r + A_TOTP_ALG) > 3 || load<u8>(r + A_TOTP_DIGITS) < 6
    || load<u8>(r + A_TOTP_DIGITS) > 8 || load<u8>(r + A_TOTP_PERIOD) == 0)) return false;
  const it = load<u32>(r + A_ITER);
  if (it < 1000 || it > 10_000_000) return false;
  const id = load<u32>(r + A_ID);
  return id != 0 && id < next;
}
