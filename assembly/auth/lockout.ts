// Unsuccessful login attempts (CR 1.11), per account and per source.
//
// Rule: failures are counted in the module, in the same call that refused
// the login (no separate step to skip or to race). A run of failures is
// consecutive while each comes within the profile's window of the run's first
// one; a successful login ends the run. When a run reaches the threshold the
// account (or source) is locked for the profile's duration, or until an
// administrator unlocks it (duration 0). While locked, a login is refused
// without checking the password, so a right password cannot end the lock;
// only the lock's end in time, or an administrator, ends it. The counters and
// locks are part of the sealed state: a restart never clears them.
//
// Accounts flagged AF_DELAY (where a lock is a hazard: an operator who must
// act now) are never locked: from the threshold on, each failure makes the
// next attempt wait, base * 2^(failures - threshold) ms, at most the maximum.
//
// Sources: a fixed table of SOURCES_MAX records keyed by a keyed hash of the
// address. A new source takes a free record, else the oldest record that is
// not locked; when every record holds a locked source, a failure from a new
// source is refused and recorded (fail closed), and no locked source is ever
// pushed out.

import { SOURCES_MAX } from "./limits";
import {
  prof, P_LOCK_THRESHOLD, P_LOCK_WINDOW, P_LOCK_DURATION, P_SRC_THRESHOLD, P_SRC_WINDOW, P_SRC_DURATION,
  P_DELAY_BASE, P_DELAY_MAX,
} from "./profile";
import { A_FAILS, A_FIRST_FAIL, A_LOCKED_UNTIL, A_FLAGS, AF_DELAY, LOCK_FOREVER } from "./accounts";

/** Result of recording a failure. */
export const FAIL_COUNTED: i32 = 0;
export const FAIL_LOCKED: i32 = 1;    // this failure locked (or delayed) it
export const FAIL_NO_SLOT: i32 = 2;   // source table full of locked sources

// Source record: [0,8) key (0: free), [8,12) failures, [16,24) first failure, [24,32) locked until.
export const SOURCE_BYTES: u32 = 32;
// @ts-ignore: decorator
@lazy const SOURCES: usize = memory.data(<i32>(SOURCES_MAX * SOURCE_BYTES), 16);

export function sources_ptr(): usize { return SOURCES; }
export function sources_reset(): void { memory.fill(SOURCES, 0, SOURCES_MAX * SOURCE_BYTES); }

function ms(s: u32): i64 { return <i64>s * 1000; }

/** Locked until (ms), or 0 when the account at r is not locked at now. */
export function account_locked_until(r: usize, now: i64): i64 {
  const u = load<i64>(r + A_LOCKED_UNTIL);
  return u > now ? u : 0;
}

/** True when a timed lock has run out: the lock and the run are cleared. */
export function account_lock_expire(r: usize, now: i64): bool {
  const u = load<i64>(r + A_LOCKED_UNTIL);
  if (u == 0 || u > now) return false;
  store<i64>(r + A_LOCKED_UNTIL, 0);
  if ((load<u8>(r + A_FLAGS) & AF_DELAY) == 0) {
    store<u16>(r + A_FAILS, 0);
    store<i64>(r + A_FIRST_FAIL, 0);
    return true;
  }
  return false;
}

/** Counts a failure against the account at r; FAIL_LOCKED when it now locks or delays. */
export function account_fail(r: usize, now: i64): i32 {
  let n = <u32>load<u16>(r + A_FAILS);
  const first = load<i64>(r + A_FIRST_FAIL);
  if (n == 0 || now - first > ms(prof(P_LOCK_WINDOW)) || now < first) {
    n = 0;
    store<i64>(r + A_FIRST_FAIL, now);
  }
  if (n < 0xffff) n++;
  store<u16>(r + A_FAILS, <u16>n);
  const th = prof(P_LOCK_THRESHOLD);
  if (n < th) return FAIL_COUNTED;
  if ((load<u8>(r + A_FLAGS) & AF_DELAY) != 0) {
    const shift = n - th;
    let d = <i64>prof(P_DELAY_BASE);
    const max = <i64>prof(P_DELAY_MAX);
    d = shift >= 32 ? max : d << shift;
    if (d > max) d = max;
    store<i64>(r + A_LOCKED_UNTIL, now + d);
    return FAIL_LOCKED;
  }
  const dur = prof(P_LOCK_DURATION);
  store<i64>(r + A_LOCKED_UNTIL, dur == 0 ? LOCK_FOREVER : now + ms(dur));
  return FAIL_LOCKED;
}

/** Ends the run of failures after a successful login (never called while locked). */
export function account_success(r: usize): void {
  store<u16>(r + A_FAILS, 0);
  store<i64>(r + A_FIRST_FAIL, 0);
  store<i64>(r + A_LOCKED_UNTIL, 0);
}

/** Administrator: lock now, until unlocked. */
export function account_lock(r: usize): void { store<i64>(r + A_LOCKED_UNTIL, LOCK_FOREVER); }

/** Administrator: unlock and reset the count. */
export function account_unlock(r: usize): void { account_success(r); }

function src_rec(i: u32): usize { return SOURCES + <usize>i * SOURCE_BYTES; }

function src_find(key: u64): i32 {
  for (let i: u32 = 0; i < SOURCES_MAX; i++) if (load<u64>(src_rec(i)) == key) return <i32>i;
  return -1;
}

/** Locked until (ms) for the source, or 0. */
export function source_locked_until(key: u64, now: i64): i64 {
  const i = src_find(key);
  if (i < 0) return 0;
  const u = load<i64>(src_rec(<u32>i) + 24);
  return u > now ? u : 0;
}

/** Counts a failure from the source. */
export function source_fail(key: u64, now: i64): i32 {
  let i = src_find(key);
  if (i < 0) {
    // A free record, else the oldest unlocked one; never a locked one.
    let best: i32 = -1;
    let best_first: i64 = i64.MAX_VALUE;
    for (let k: u32 = 0; k < SOURCES_MAX; k++) {
      const r = src_rec(k);
      if (load<u64>(r) == 0) { best = <i32>k; break; }
      if (load<i64>(r + 24) > now) continue;
      const f = load<i64>(r + 16);
      if (f < best_first) { best_first = f; best = <i32>k; }
    }
    if (best < 0) return FAIL_NO_SLOT;
    i = best;
    const r = src_rec(<u32>i);
    memory.fill(r, 0, SOURCE_BYTES);
    store<u64>(r, key);
  }
  const r = src_rec(<u32>i);
  let n = load<u32>(r + 8);
  const first = load<i64>(r + 16);
  if (n == 0 || now - first > ms(prof(P_SRC_WINDOW)) || now < first || load<i64>(r + 24) != 0 && load<i64>(r + 24) <= now) {
    n = 0;
    store<i64>(r + 16, now);
    store<i64>(r + 24, 0);
  }
  n++;
  store<u32>(r + 8, n);
  if (n < prof(P_SRC_THRESHOLD)) return FAIL_COUNTED;
  const dur = prof(P_SRC_DURATION);
  store<i64>(r + 24, dur == 0 ? LOCK_FOREVER : now + ms(dur));
  return FAIL_LOCKED;
}

/** A successful login ends the source's run (not its lock: a locked source never reaches a login). */
export function source_success(key: u64): void {
  const i = src_find(key);
  if (i >= 0) memory.fill(src_rec(<u32>i), 0, SOURCE_BYTES);
}

/** Administrator: clears the source's record; true when there was one. */
export function source_unlock(key: u64): bool {
  const i = src_find(key);
  if (i < 0) return false;
  memory.fill(src_rec(<u32>i), 0, SOURCE_BYTES);
  return true;
}
