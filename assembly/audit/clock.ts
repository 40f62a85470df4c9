// Timestamps of audit records (CR 2.11): the host's real-time clock through
// WASI clock_time_get, in milliseconds since the Unix epoch, with the sync
// state the host reports (CR 2.11 RE1: whether the clock is synchronized
// with a time source the integrator trusts).

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "clock_time_get")
declare function wasi_clock_time_get(id: u32, precision: u64, time: usize): u16;

/** The host has said nothing about its clock. */
export const CLOCK_UNKNOWN: u8 = 0;
/** The clock runs free: it is not synchronized. */
export const CLOCK_UNSYNCED: u8 = 1;
/** The clock is synchronized (NTP, PTP, GNSS) within the integrator's bound. */
export const CLOCK_SYNCED: u8 = 2;

// @ts-ignore: decorator
@lazy const NOW: usize = memory.data(8, 8);
let sync_state: u8 = CLOCK_UNKNOWN;

/** Milliseconds since 1970-01-01T00:00:00Z from the host clock, or 0 when it has none. */
export function clock_now_ms(): u64 {
  store<u64>(NOW, 0);
  if (wasi_clock_time_get(0, 1000000, NOW) != 0) return 0;
  return load<u64>(NOW) / 1000000;
}

export function clock_sync(): u8 { return sync_state; }
export function clock_sync_set(s: u8): void { sync_state = s; }
