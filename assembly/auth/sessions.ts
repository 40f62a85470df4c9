// Sessions (CR 2.5, 2.6, 2.7, 3.8). A session id is 128 bits from the host's
// CSPRNG, held only here and by its client; lookups compare every live id in
// constant time. An id is valid from login to logout, termination or expiry,
// then it is wiped: unknown, expired, terminated and forged ids all answer
// ERR_SESSION. Ids are never reused: a drawn id equal to a live one (or all
// zero) is drawn again, and a terminated id is forgotten, so it matches
// nothing. Each session also has a public serial number (never reused) by
// which administrators list and terminate it.
//
// Record (SESSION_BYTES): [0,16) id, [16] used, [17] interface, [18] state
// (1 active, 2 locked), [19] flags (SF_*), [20,24) account id, [24,28) serial,
// [28,32) account index, [32,40) created (ms), [40,48) last activity (ms),
// [48,56) source key.

import { SESSIONS_MAX, SESSION_ID_BYTES } from "./limits";
import { ct_eq, wipe } from "../_mem";
import { random_fill } from "./_random";
import { prof, P_IDLE_LOCK, P_IDLE_TERMINATE, P_SESSION_MAX } from "./profile";

export const SESSION_BYTES: u32 = 64;
export const S_ACTIVE: u8 = 1;
export const S_LOCKED: u8 = 2;
/** The session may only change its own password (CR 1.5). */
export const SF_MUST_CHANGE: u8 = 1;

// @ts-ignore: decorator
@lazy const TABLE: usize = memory.data(<i32>(SESSIONS_MAX * SESSION_BYTES), 16);
// @ts-ignore: decorator
@lazy const FRESH: usize = memory.data(16, 16);

let next_serial: u32 = 1;

export function sessions_next_serial(): u32 { return next_serial; }
export function sessions_set_next_serial(v: u32): void { next_serial = v; }

export function session_rec(i: u32): usize { return TABLE + <usize>i * SESSION_BYTES; }
export function session_used(i: u32): bool { return load<u8>(session_rec(i) + 16) == 1; }
export function sessions_reset(): void { wipe(TABLE, SESSIONS_MAX * SESSION_BYTES); }

/** Slot of the live session with this id, or -1. Every slot is compared (constant time in the id). */
export function session_find(id: usize): i32 {
  let found: i32 = -1;
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    const r = session_rec(i);
    const eq = ct_eq(r, id, SESSION_ID_BYTES) == 0;
    if (eq && load<u8>(r + 16) == 1) found = <i32>i;
  }
  return found;
}

export function session_by_serial(serial: u32): i32 {
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    const r = session_rec(i);
    if (load<u8>(r + 16) == 1 && load<u32>(r + 24) == serial) return <i32>i;
  }
  return -1;
}

/** Live sessions of an account, and on an interface. */
export function sessions_of_account(id: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    const r = session_rec(i);
    if (load<u8>(r + 16) == 1 && load<u32>(r + 20) == id) c++;
  }
  return c;
}
export function sessions_on_iface(iface: u8): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    const r = session_rec(i);
    if (load<u8>(r + 16) == 1 && load<u8>(r + 17) == iface) c++;
  }
  return c;
}

export function session_free_slot(): i32 {
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) if (load<u8>(session_rec(i) + 16) == 0) return <i32>i;
  return -1;
}

function zero16(p: usize): bool { return (load<u64>(p) | load<u64>(p + 8)) == 0; }

/** Opens a session in slot i and writes its id to out: false when the host gave no randomness. */
export function session_open(i: u32, out: usize, account_id: u32, account_index: u32, iface: u8, flags: u8, source: u64, now: i64): bool {
  // A fresh id that is not zero and not any live id (CR 3.8).
  let tries = 0;
  do {
    if (tries++ == 4 || !random_fill(FRESH, 16)) { wipe(FRESH, 16); return false; }
  } while (zero16(FRESH) || session_find(FRESH) >= 0);
  const r = session_rec(i);
  memory.fill(r, 0, SESSION_BYTES);
  memory.copy(r, FRESH, 16);
  store<u8>(r + 16, 1);
  store<u8>(r + 17, iface);
  store<u8>(r + 18, S_ACTIVE);
  store<u8>(r + 19, flags);
  store<u32>(r + 20, account_id);
  store<u32>(r + 24, next_serial++);
  store<u32>(r + 28, account_index);
  store<i64>(r + 32, now);
  store<i64>(r + 40, now);
  store<u64>(r + 48, source);
  memory.copy(out, FRESH, 16);
  wipe(FRESH, 16);
  return true;
}

export function session_close(i: u32): void { wipe(session_rec(i), SESSION_BYTES); }

/** Closes every session of the account; returns how many. */
export function sessions_close_account(id: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < SESSIONS_MAX; i++) {
    const r = session_rec(i);
    if (load<u8>(r + 16) == 1 && load<u32>(r + 20) == id) { session_close(i); c++; }
  }
  return c;
}

/** Timing state of a live session at now. */
export const T_OK: i32 = 0;
export const T_LOCK: i32 = 1;       // idle past the lock time: lock it (CR 2.5)
export const T_EXPIRE: i32 = 2;     // idle past the termination time, or past its lifetime (CR 2.6)

export function session_timing(i: u32, now: i64): i32 {
  const r = session_rec(i);
  const idle = now - load<i64>(r + 40);
  if (now - load<i64>(r + 32) >= <i64>prof(P_SESSION_MAX) * 1000) return T_EXPIRE;
  if (idle >= <i64>prof(P_IDLE_TERMINATE) * 1000) return T_EXPIRE;
  if (idle >= <i64>prof(P_IDLE_LOCK) * 1000) return T_LOCK;
  return T_OK;
}

export function session_touch(i: u32, now: i64): void {
  const r = session_rec(i);
  if (now > load<i64>(r + 40)) store<i64>(r + 40, now);
}
