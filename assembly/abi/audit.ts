// Exports of the audit log (assembly/audit/). Each checks its pointers
// against the I/O area (ERR_BOUNDS) and, except the getters, needs the
// self-test passed (ERR_SELFTEST); the checks of the record's fields are in
// audit/log.ts (audit_check), where internal callers meet them too.

import { OK, END, ERR_BOUNDS, ERR_INVALID, ERR_SELFTEST, ERR_STATE } from "../status";
import { in_io, overlaps } from "./_io";
import { selftest_passed } from "../selftest_state";
import { device_key_ready } from "../device/key";
import { AUDIT_RING_BYTES, AUDIT_DETAIL_MAX, AUDIT_TEXT_MAX, AUDIT_STATUS_BYTES } from "../audit/limits";
import {
  audit_append_internal, audit_configure, audit_next_seq, audit_last_seq, audit_ack_seq, audit_lost_total,
  audit_refused_total, audit_unacked, audit_cp_every, audit_policy, audit_threshold, audit_above,
  audit_lost_pending, checkpoint_now, notice_seal_key_set, notice_clock_sync,
} from "../audit/log";
import { ring_used } from "../audit/_ring";
import { audit_export, audit_export_ack, AUDIT_EXPORT_MIN_BYTES } from "../audit/export";
import { cp_last_index, cp_last_size, cp_seal_set, cp_seal_first, cp_seal_key_set } from "../audit/checkpoint";
import { clock_sync, clock_sync_set, CLOCK_SYNCED } from "../audit/clock";
import { AUDIT_STATE_BYTES } from "../audit/state";

/** Event types below this belong to the module's own parts; the host appends types 96..65535. */
const HOST_TYPE_MIN: u32 = 96;

/**
 * Appends a record from the host. seq_out[8] receives its sequence number.
 * ERR_INVALID: unknown category or outcome, or a type outside 96..65535;
 * ERR_LENGTH, ERR_MALFORMED, ERR_AUDIT_FULL as audit_append_internal.
 */
export function iacsec_audit_append(seq_out: u32, category: u32, type: u32, outcome: u32, iface: u32, iface_len: u32,
  peer: u32, peer_len: u32, subject: u32, subject_len: u32, detail: u32, detail_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(seq_out, 8) || !in_io(iface, iface_len) || !in_io(peer, peer_len) || !in_io(subject, subject_len)
    || !in_io(detail, detail_len)) return ERR_BOUNDS;
  if (overlaps(seq_out, 8, iface, iface_len) || overlaps(seq_out, 8, peer, peer_len)
    || overlaps(seq_out, 8, subject, subject_len) || overlaps(seq_out, 8, detail, detail_len)) return ERR_INVALID;
  if (type < HOST_TYPE_MIN || type > 0xffff) return ERR_INVALID;
  const st = audit_append_internal(category, type, outcome, iface, iface_len, peer, peer_len, subject, subject_len,
    detail, detail_len);
  if (st == OK) store<u64>(seq_out, audit_last_seq());
  return st;
}

/** (out, out_cap, cursor[16]): see audit/export.ts. */
export function iacsec_audit_export(out: u32, out_cap: u32, cursor: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_cap) || !in_io(cursor, 16)) return ERR_BOUNDS;
  if (overlaps(out, out_cap, cursor, 16)) return ERR_INVALID;
  return audit_export(out, out_cap, cursor);
}

/** (cursor[8]): the host has stored every record before this sequence number. */
export function iacsec_audit_ack(cursor: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(cursor, 8)) return ERR_BOUNDS;
  return audit_export_ack(load<u64>(cursor));
}

/** (out[AUDIT_STATUS_BYTES]): counters and settings (layout in bindings/c/iacsec.h). */
export function iacsec_audit_status(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, AUDIT_STATUS_BYTES)) return ERR_BOUNDS;
  memory.fill(out, 0, AUDIT_STATUS_BYTES);
  store<u64>(out, audit_next_seq());
  store<u64>(out + 8, audit_last_seq());
  store<u64>(out + 16, audit_ack_seq());
  store<u64>(out + 24, audit_lost_total());
  store<u64>(out + 32, audit_refused_total());
  store<u64>(out + 40, cp_last_index());
  store<u64>(out + 48, cp_last_size());
  store<u32>(out + 56, AUDIT_RING_BYTES);
  store<u32>(out + 60, <u32>ring_used());
  store<u32>(out + 64, <u32>audit_unacked());
  store<u32>(out + 68, audit_cp_every());
  store<u8>(out + 72, <u8>audit_policy());
  store<u8>(out + 73, <u8>audit_threshold());
  store<u8>(out + 74, audit_above() ? 1 : 0);
  store<u8>(out + 75, clock_sync());
  store<u8>(out + 76, device_key_ready() ? 1 : 0);
  store<u8>(out + 77, cp_seal_set() ? 1 : 0);
  store<u64>(out + 80, cp_seal_first());
  store<u64>(out + 88, audit_lost_pending());
  return OK;
}

/** (policy 0 overwrite / 1 reject, threshold percent 1..100, checkpoint interval 1..65535). */
export function iacsec_audit_configure(policy: u32, threshold: u32, checkpoint_every: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  return audit_configure(policy, threshold, checkpoint_every);
}

/** (state): the host clock's sync state, 0 unknown, 1 free-running, 2 synchronized (CR 2.11 RE1). */
export function iacsec_audit_clock_sync(state: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (state > <u32>CLOCK_SYNCED) return ERR_INVALID;
  const old = clock_sync();
  if (<u8>state != old) {
    clock_sync_set(<u8>state);
    notice_clock_sync(<u64>old, <u64>state);
  }
  return OK;
}

/** (first_out[8], key[32]): sets the seal key once; first_out receives the index of the first sealed checkpoint. */
export function iacsec_audit_seal_key_set(first_out: u32, key: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(first_out, 8) || !in_io(key, 32)) return ERR_BOUNDS;
  if (overlaps(first_out, 8, key, 32)) return ERR_INVALID;
  if (cp_seal_set()) return ERR_STATE;
  const first = cp_seal_key_set(key);
  store<u64>(first_out, first);
  notice_seal_key_set(first);
  return OK;
}

/** Signs a checkpoint now: OK, END (no record since the last one), ERR_STATE (no device key). */
export function iacsec_audit_checkpoint(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!device_key_ready()) return ERR_STATE;
  if (cp_last_index() != 0 && cp_last_size() == audit_last_seq()) return END;
  checkpoint_now(0);
  return OK;
}

// ---- size getters: each equals its IACSEC_* constant in bindings/ ----
export function iacsec_audit_ring_bytes(): i32 { return <i32>AUDIT_RING_BYTES; }
export function iacsec_audit_detail_max(): i32 { return <i32>AUDIT_DETAIL_MAX; }
export function iacsec_audit_text_max(): i32 { return <i32>AUDIT_TEXT_MAX; }
export function iacsec_audit_status_bytes(): i32 { return <i32>AUDIT_STATUS_BYTES; }
export function iacsec_audit_export_min_bytes(): i32 { return <i32>AUDIT_EXPORT_MIN_BYTES; }
export function iacsec_audit_state_bytes(): i32 { return <i32>AUDIT_STATE_BYTES; }
