// Anti-rollback security counters, one per component (EDR 3.10 RE1: an
// authentic but older image must not replace a newer one). A component is
// named by the SHA-256 of its name; a component without an entry has 0.

import { OK, END, ERR_FULL } from "../status";
import { COUNTERS_MAX } from "../limits";

/** An entry: 32 bytes SHA-256(name), u64 counter (little-endian). */
export const COUNTER_ENTRY: usize = 40;

// @ts-ignore: decorator
@lazy export const COUNTERS: usize = memory.data(<i32>(COUNTERS_MAX * <u32>COUNTER_ENTRY), 8);

let counter_n: u32 = 0;

export function counter_count(): u32 { return counter_n; }
export function counters_restore(n: u32): void { counter_n = n; }

/** Back to factory-fresh: no counters. */
export function counters_reset(): void {
  memory.fill(COUNTERS, 0, <usize>(COUNTERS_MAX * <u32>COUNTER_ENTRY));
  counter_n = 0;
}

function find(name_hash: usize): i32 {
  for (let i: u32 = 0; i < counter_n; i++) {
    if (memory.compare(COUNTERS + <usize>i * COUNTER_ENTRY, name_hash, 32) == 0) return <i32>i;
  }
  return -1;
}

/** The stored counter of the component, 0 when it has none. */
export function counter_value(name_hash: usize): u64 {
  const i = find(name_hash);
  return i < 0 ? 0 : load<u64>(COUNTERS + <usize>i * COUNTER_ENTRY + 32);
}

/** OK when the component has an entry, END when 0 applies. */
export function counter_lookup(name_hash: usize, out: usize): i32 {
  const i = find(name_hash);
  store<u64>(out, i < 0 ? 0 : load<u64>(COUNTERS + <usize>i * COUNTER_ENTRY + 32));
  return i < 0 ? END : OK;
}

/** OK when raising the component to value would find room (it has an entry, value is 0, or a slot is free); else ERR_FULL. */
export function counter_room(name_hash: usize, value: u64): i32 {
  if (value == 0 || find(name_hash) >= 0 || counter_n < COUNTERS_MAX) return OK;
  return ERR_FULL;
}

/** Raises the component's counter to value if value is higher; never lowers it. Returns the old value. */
export function counter_raise(name_hash: usize, value: u64): u64 {
  const i = find(name_hash);
  if (i >= 0) {
    const p = COUNTERS + <usize>i * COUNTER_ENTRY + 32;
    const old = load<u64>(p);
    if (value > old) store<u64>(p, value);
    return old;
  }
  if (value != 0 && counter_n < COUNTERS_MAX) {
    const e = COUNTERS + <usize>counter_n * COUNTER_ENTRY;
    memory.copy(e, name_hash, 32);
    store<u64>(e + 32, value);
    counter_n++;
  }
  return 0;
}

/**
 * Sets the component's counter to value, lower or higher (only for a
 * supplier-signed set-counter statement; the caller checked the room).
 * Value 0 removes the entry. Returns the old value.
 */
export function counter_set(name_hash: usize, value: u64): u64 {
  const i = find(name_hash);
  if (i < 0) {
    counter_raise(name_hash, value);
    return 0;
  }
  const e = COUNTERS + <usize>i * COUNTER_ENTRY;
  const old = load<u64>(e + 32);
  if (value != 0) {
    store<u64>(e + 32, value);
    return old;
  }
  const last = COUNTERS + <usize>(counter_n - 1) * COUNTER_ENTRY;
  if (last != e) memory.copy(e, last, COUNTER_ENTRY);
  memory.fill(last, 0, COUNTER_ENTRY);
  counter_n--;
  return old;
}
