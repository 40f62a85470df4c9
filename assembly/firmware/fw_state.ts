// The firmware section of the sealed state (assembly/firmware/state.ts):
// provisioning, device identity, trust anchors, revocations, owner grants,
// anti-rollback counters, and the next event sequence number.
//
// Section (FW_STATE_BYTES, little-endian):
//   0 u8 flags (bit 0 provisioning closed, bit 1 device set) | 1 u8 anchors |
//   2 u8 revoked | 3 u8 counters | 4 u8 grants | 5 u8[3] zero |
//   8 u32 next event sequence | 12 u32 zero | 16 vendor id | 32 class id |
//   48 anchor records (ANCHORS_MAX * 112) | revocation entries (REVOKED_MAX * 33) |
//   counter entries (COUNTERS_MAX * 40) | grant entries (GRANTS_MAX * 40) | zero padding to 8.
// Unused entries are zero.

import { OK } from "../status";
import { ANCHORS_MAX, REVOKED_MAX, COUNTERS_MAX, GRANTS_MAX, ANCHOR_RECORD_BYTES } from "../limits";
import {
  ANCHORS, REVOKED, GRANTS, DEVICE, REVOKED_ENTRY, GRANT_ENTRY, ROLE_SUPPLIER, ROLE_OWNER, A_ROLE, A_ALG, A_REVOKED,
  A_KID_LEN, A_KID, A_PK_LEN, A_PK, anchor_count, revoked_count, grant_count, device_set, provisioning_closed,
  anchors_restore, anchors_reset, pk_valid, revoked_has, revoke,
} from "./anchors";
import { COUNTERS, COUNTER_ENTRY, counter_count, counters_restore, counters_reset, counter_value, counter_raise } from "./counters";
import { events_next_seq, events_resume_seq } from "./events";

const F_CLOSED: u8 = 1;
const F_DEVICE: u8 = 2;

@inline const O_ANCHORS: usize = 48;
@inline const O_REVOKED: usize = O_ANCHORS + <usize>(ANCHORS_MAX * ANCHOR_RECORD_BYTES);
@inline const O_COUNTERS: usize = O_REVOKED + <usize>REVOKED_MAX * REVOKED_ENTRY;
@inline const O_GRANTS: usize = O_COUNTERS + <usize>COUNTERS_MAX * COUNTER_ENTRY;
@inline const O_END: usize = O_GRANTS + <usize>GRANTS_MAX * GRANT_ENTRY;
/** Size of the section, a multiple of 8. */
export const FW_STATE_BYTES: usize = (O_END + 7) & ~<usize>7;

export function fw_state_bytes(): usize { return FW_STATE_BYTES; }

export function fw_state_write(p: usize): void {
  memory.fill(p, 0, FW_STATE_BYTES);
  store<u8>(p, (provisioning_closed() ? F_CLOSED : 0) | (device_set() ? F_DEVICE : 0));
  store<u8>(p + 1, <u8>anchor_count());
  store<u8>(p + 2, <u8>revoked_count());
  store<u8>(p + 3, <u8>counter_count());
  store<u8>(p + 4, <u8>grant_count());
  store<u32>(p + 8, events_next_seq());
  memory.copy(p + 16, DEVICE, 32);
  memory.copy(p + O_ANCHORS, ANCHORS, <usize>(anchor_count() * ANCHOR_RECORD_BYTES));
  memory.copy(p + O_REVOKED, REVOKED, <usize>revoked_count() * REVOKED_ENTRY);
  memory.copy(p + O_COUNTERS, COUNTERS, <usize>counter_count() * COUNTER_ENTRY);
  memory.copy(p + O_GRANTS, GRANTS, <usize>grant_count() * GRANT_ENTRY);
}

function is_zero(p: usize, n: usize): bool {
  let acc: u32 = 0;
  for (let i: usize = 0; i < n; i++) acc |= load<u8>(p + i);
  return acc == 0;
}

/** True when entry i (of stride bytes from base) has the same first klen bytes as an entry before it. */
function earlier(base: usize, stride: usize, i: u32, klen: usize): bool {
  const e = base + <usize>i * stride;
  for (let j: u32 = 0; j < i; j++) {
    if (memory.compare(base + <usize>j * stride, e, klen) == 0) return true;
  }
  return false;
}

function in_revoked(b: usize, nrev: u32, kid_len: u8, kid: usize): bool {
  for (let j: u32 = 0; j < nrev; j++) {
    const e = b + O_REVOKED + <usize>j * REVOKED_ENTRY;
    if (load<u8>(e) == kid_len && memory.compare(e + 1, kid, <usize>kid_len) == 0) return true;
  }
  return false;
}

/** Checks every field of a section whose seal is already verified. */
export function fw_state_valid(b: usize): bool {
  const flags = load<u8>(b);
  const na = <u32>load<u8>(b + 1), nr = <u32>load<u8>(b + 2), nc = <u32>load<u8>(b + 3), ng = <u32>load<u8>(b + 4);
  if ((flags & ~(F_CLOSED | F_DEVICE)) != 0) return false;
  if (na > ANCHORS_MAX || nr > REVOKED_MAX || nc > COUNTERS_MAX || ng > GRANTS_MAX) return false;
  if (!is_zero(b + 5, 3) || load<u32>(b + 8) == 0 || load<u32>(b + 12) != 0) return false;
  if (!is_zero(b + O_END, FW_STATE_BYTES - O_END)) return false;
  const closed = (flags & F_CLOSED) != 0;
  if ((flags & F_DEVICE) == 0 && !is_zero(b + 16, 32)) return false;
  // Revocations, asset-owner anchors and grants exist only once provisioning is closed.
  if ((nr != 0 || ng != 0) && !closed) return false;
  for (let i: u32 = 0; i < REVOKED_MAX; i++) {
    const e = b + O_REVOKED + <usize>i * REVOKED_ENTRY;
    if (i >= nr) { if (!is_zero(e, REVOKED_ENTRY)) return false; continue; }
    const l = <usize>load<u8>(e);
    if (l < 1 || l > 32 || !is_zero(e + 1 + l, 32 - l)) return false;
    if (earlier(b + O_REVOKED, REVOKED_ENTRY, i, REVOKED_ENTRY)) return false;
  }
  let suppliers: u32 = 0;
  for (let i: u32 = 0; i < ANCHORS_MAX; i++) {
    const r = b + O_ANCHORS + <usize>i * ANCHOR_RECORD_BYTES;
    if (i >= na) { if (!is_zero(r, ANCHOR_RECORD_BYTES)) return false; continue; }
    const role = load<u8>(r + A_ROLE), alg = <i32>load<i8>(r + A_ALG), rv = load<u8>(r + A_REVOKED);
    const kl = load<u8>(r + A_KID_LEN), pl = load<u8>(r + A_PK_LEN);
    if (role != ROLE_SUPPLIER && (role != ROLE_OWNER || !closed)) return false;
    if (rv > 1 || kl < 1 || kl > 32 || pl > 65) return false;
    if (!is_zero(r + A_KID + <usize>kl, 32 - <usize>kl)) return false;
    if (!is_zero(r + A_PK + <usize>pl, <usize>ANCHOR_RECORD_BYTES - A_PK - <usize>pl)) return false;
    if ((rv == 1) != in_revoked(b, nr, kl, r + A_KID)) return false;
    for (let j: u32 = 0; j < i; j++) {
      const q = b + O_ANCHORS + <usize>j * ANCHOR_RECORD_BYTES;
      if (load<u8>(q + A_KID_LEN) == kl && memory.compare(q + A_KID, r + A_KID, <usize>kl) == 0) return false;
    }
    if (!pk_valid(alg, r + A_PK, <usize>pl)) return false;
    if (role == ROLE_SUPPLIER && rv == 0) suppliers++;
  }
  if (closed && ((flags & F_DEVICE) == 0 || suppliers == 0)) return false;
  for (let i: u32 = 0; i < COUNTERS_MAX; i++) {
    const e = b + O_COUNTERS + <usize>i * COUNTER_ENTRY;
    if (i >= nc) { if (!is_zero(e, COUNTER_ENTRY)) return false; continue; }
    if (load<u64>(e + 32) == 0) return false;
    if (earlier(b + O_COUNTERS, COUNTER_ENTRY, i, 32)) return false;
  }
  for (let i: u32 = 0; i < GRANTS_MAX; i++) {
    const g = b + O_GRANTS + <usize>i * GRANT_ENTRY;
    if (i >= ng) { if (!is_zero(g, GRANT_ENTRY)) return false; continue; }
    // A grant names an existing asset-owner anchor.
    const a = <u32>load<u8>(g);
    if (a >= na || load<u8>(b + O_ANCHORS + <usize>a * ANCHOR_RECORD_BYTES + A_ROLE) != ROLE_OWNER) return false;
    if (!is_zero(g + 1, 7) || earlier(b + O_GRANTS, GRANT_ENTRY, i, GRANT_ENTRY)) return false;
  }
  return true;
}

/** Loads a section that fw_state_valid accepted. */
export function fw_state_read(b: usize): void {
  const flags = load<u8>(b);
  memory.copy(DEVICE, b + 16, 32);
  memory.copy(ANCHORS, b + O_ANCHORS, <usize>(ANCHORS_MAX * ANCHOR_RECORD_BYTES));
  memory.copy(REVOKED, b + O_REVOKED, <usize>REVOKED_MAX * REVOKED_ENTRY);
  memory.copy(COUNTERS, b + O_COUNTERS, <usize>COUNTERS_MAX * COUNTER_ENTRY);
  memory.copy(GRANTS, b + O_GRANTS, <usize>GRANTS_MAX * GRANT_ENTRY);
  anchors_restore(<u32>load<u8>(b + 1), <u32>load<u8>(b + 2), <u32>load<u8>(b + 4), (flags & F_DEVICE) != 0, (flags & F_CLOSED) != 0);
  counters_restore(<u32>load<u8>(b + 3));
  events_resume_seq(load<u32>(b + 8));
}

export function fw_state_reset(): void {
  anchors_reset();
  counters_reset();
}

/** True when nothing is provisioned, anchored or counted (a fresh module). */
export function fw_state_fresh(): bool {
  return !device_set() && !provisioning_closed() && anchor_count() == 0 && revoked_count() == 0 && counter_count() == 0;
}

/**
 * After a restore from a backup, re-applies what must never go back from the
 * live state saved at `live` (a section written by fw_state_write before the
 * restore): every counter is at least its live value, and every live
 * revocation still holds. Returns false when a table would overflow (the
 * caller then refuses the restore).
 */
export function fw_state_merge_live(live: usize): bool {
  const nc = <u32>load<u8>(live + 3), nr = <u32>load<u8>(live + 2);
  for (let i: u32 = 0; i < nc; i++) {
    const e = live + O_COUNTERS + <usize>i * COUNTER_ENTRY;
    const v = load<u64>(e + 32);
    if (counter_value(e) < v) {
      if (counter_value(e) == 0 && counter_count() >= COUNTERS_MAX) return false;
      counter_raise(e, v);
    }
  }
  for (let i: u32 = 0; i < nr; i++) {
    const e = live + O_REVOKED + <usize>i * REVOKED_ENTRY;
    const l = <usize>load<u8>(e);
    if (revoked_has(e + 1, l)) continue;
    // Fails when the list is full, or when the backup's only active supplier
    // anchor is one the live state had revoked.
    if (revoke(e + 1, l) != OK) return false;
  }
  return true;
}
