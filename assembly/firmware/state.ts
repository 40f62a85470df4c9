// Sealed persistence of the firmware trust state: the host stores the blob,
// the module checks it (HMAC-SHA256 under the sealing key, then every field)
// before any of it is used. All or nothing: a rejected blob changes nothing.
//
// Blob (STATE_MAX_BYTES, little-endian):
//   0 "IACS" | 4 u16 version | 6 u8 flags (bit 0 provisioning closed, bit 1
//   device set) | 7 u8 anchors | 8 u8 revoked | 9 u8 counters | 10 u16 zero |
//   12 u32 next event sequence | 16 vendor id | 32 class id |
//   48 anchor records (ANCHORS_MAX * 112) | revocation entries (REVOKED_MAX * 33) |
//   counter entries (COUNTERS_MAX * 40) | HMAC-SHA256 tag of all bytes before it.
// Unused entries are zero.

import { OK, ERR_INVALID, ERR_MALFORMED, ERR_STATE, ERR_BUFFER_SMALL } from "../status";
import { ct_eq, wipe } from "../_mem";
import { ANCHORS_MAX, REVOKED_MAX, COUNTERS_MAX, ANCHOR_RECORD_BYTES, STATE_MAX_BYTES } from "../abi/_limits";
import { hmac_sha256 } from "../hash/hmac";
import {
  ANCHORS, REVOKED, DEVICE, REVOKED_ENTRY, ROLE_SUPPLIER, ROLE_OWNER, A_ROLE, A_ALG, A_REVOKED, A_KID_LEN, A_KID,
  A_PK_LEN, A_PK, anchor_count, revoked_count, device_set, provisioning_closed, anchors_restore, pk_valid,
} from "./anchors";
import { COUNTERS, COUNTER_ENTRY, counter_count, counters_restore } from "./counters";
import { EV_STATE_IMPORTED, EV_STATE_IMPORT_REJECTED, ev_new, ev_push, events_next_seq, events_resume_seq } from "./events";
import { fw_session_open } from "./session";

const MAGIC: u32 = 0x53434149;   // "IACS"
const VERSION: u16 = 1;
const F_CLOSED: u8 = 1;
const F_DEVICE: u8 = 2;

@inline const O_ANCHORS: usize = 48;
@inline const O_REVOKED: usize = O_ANCHORS + <usize>(ANCHORS_MAX * ANCHOR_RECORD_BYTES);
@inline const O_COUNTERS: usize = O_REVOKED + <usize>REVOKED_MAX * REVOKED_ENTRY;
@inline const O_TAG: usize = O_COUNTERS + <usize>COUNTERS_MAX * COUNTER_ENTRY;
@inline const BLOB_BYTES: usize = O_TAG + 32;

// @ts-ignore: decorator
@lazy const KEY: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const TAG: usize = memory.data(32, 8);
let key_set: bool = false;

export function state_seal_key(key: usize): void {
  memory.copy(KEY, key, 32);
  key_set = true;
}

/** Writes the sealed blob at out (room for cap bytes): its length, ERR_BUFFER_SMALL, or ERR_STATE (no sealing key). */
export function state_export(out: usize, cap: usize): i32 {
  if (!key_set) return ERR_STATE;
  if (cap < BLOB_BYTES) return ERR_BUFFER_SMALL;
  memory.fill(out, 0, BLOB_BYTES);
  store<u32>(out, MAGIC);
  store<u16>(out + 4, VERSION);
  store<u8>(out + 6, (provisioning_closed() ? F_CLOSED : 0) | (device_set() ? F_DEVICE : 0));
  store<u8>(out + 7, <u8>anchor_count());
  store<u8>(out + 8, <u8>revoked_count());
  store<u8>(out + 9, <u8>counter_count());
  store<u32>(out + 12, events_next_seq());
  memory.copy(out + 16, DEVICE, 32);
  memory.copy(out + O_ANCHORS, ANCHORS, <usize>(anchor_count() * ANCHOR_RECORD_BYTES));
  memory.copy(out + O_REVOKED, REVOKED, <usize>revoked_count() * REVOKED_ENTRY);
  memory.copy(out + O_COUNTERS, COUNTERS, <usize>counter_count() * COUNTER_ENTRY);
  hmac_sha256(out + O_TAG, KEY, 32, out, O_TAG);
  return <i32>BLOB_BYTES;
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

/** Checks every field of a blob whose tag is already verified. */
function fields_valid(b: usize): bool {
  const flags = load<u8>(b + 6);
  const na = <u32>load<u8>(b + 7), nr = <u32>load<u8>(b + 8), nc = <u32>load<u8>(b + 9);
  if ((flags & ~(F_CLOSED | F_DEVICE)) != 0) return false;
  if (na > ANCHORS_MAX || nr > REVOKED_MAX || nc > COUNTERS_MAX) return false;
  if (load<u16>(b + 10) != 0 || load<u32>(b + 12) == 0) return false;
  const closed = (flags & F_CLOSED) != 0;
  if ((flags & F_DEVICE) == 0 && !is_zero(b + 16, 32)) return false;
  // Revocations and asset-owner anchors exist only once provisioning is closed.
  if (nr != 0 && !closed) return false;
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
  return true;
}

function import_blob(b: usize, len: usize): i32 {
  if (!key_set) return ERR_STATE;
  if (device_set() || provisioning_closed() || anchor_count() != 0 || revoked_count() != 0 || counter_count() != 0 || fw_session_open()) {
    return ERR_STATE;
  }
  if (len != BLOB_BYTES || load<u32>(b) != MAGIC || load<u16>(b + 4) != VERSION) return ERR_MALFORMED;
  hmac_sha256(TAG, KEY, 32, b, O_TAG);
  const ok = ct_eq(TAG, b + O_TAG, 32) == 0;
  wipe(TAG, 32);
  if (!ok) return ERR_INVALID;
  if (!fields_valid(b)) return ERR_MALFORMED;
  const flags = load<u8>(b + 6);
  const na = <u32>load<u8>(b + 7), nr = <u32>load<u8>(b + 8), nc = <u32>load<u8>(b + 9);
  memory.copy(DEVICE, b + 16, 32);
  memory.copy(ANCHORS, b + O_ANCHORS, <usize>(ANCHORS_MAX * ANCHOR_RECORD_BYTES));
  memory.copy(REVOKED, b + O_REVOKED, <usize>REVOKED_MAX * REVOKED_ENTRY);
  memory.copy(COUNTERS, b + O_COUNTERS, <usize>COUNTERS_MAX * COUNTER_ENTRY);
  anchors_restore(na, nr, (flags & F_DEVICE) != 0, (flags & F_CLOSED) != 0);
  counters_restore(nc);
  events_resume_seq(load<u32>(b + 12));
  return OK;
}

/**
 * Imports a sealed blob into a fresh module (nothing provisioned, no anchors,
 * no counters; a sealing key set), else ERR_STATE. Then ERR_MALFORMED (length,
 * magic, version), ERR_INVALID (tag, compared in constant time),
 * ERR_MALFORMED (any field). An event records the outcome.
 */
export function state_import(b: usize, len: usize): i32 {
  const st = import_blob(b, len);
  ev_new(st == OK ? EV_STATE_IMPORTED : EV_STATE_IMPORT_REJECTED, st);
  ev_push();
  return st;
}

/** The blob size, for the getter; equals STATE_MAX_BYTES. */
export function state_blob_bytes(): u32 { return <u32>BLOB_BYTES; }
