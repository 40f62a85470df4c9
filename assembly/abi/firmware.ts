// Exports for signed firmware and software integrity: generic COSE_Sign1
// verification, device identity and roots of trust (EDR 3.12, 3.13),
// firmware manifests (EDR 3.10 RE1, CR 3.4, EDR 3.14 RE1), events and sealed
// state. Each export checks its pointers against the I/O area (ERR_BOUNDS)
// and, except the getters, needs the self-test passed (ERR_SELFTEST).

import {
  OK, END, ERR_BOUNDS, ERR_INVALID, ERR_LENGTH, ERR_STATE, ERR_SELFTEST, ERR_UNSUPPORTED, ERR_UNAUTHORIZED,
  ERR_FAILSECURE, ERR_BUFFER_SMALL,
} from "../status";
import { in_io } from "./_io";
import { selftest_passed } from "../selftest_state";
import { failsecure } from "../state_mode";
import {
  MANIFEST_MAX_BYTES, ANCHORS_MAX, REVOKED_MAX, COUNTERS_MAX, EVENT_BYTES, EVENTS_MAX, ANCHOR_RECORD_BYTES,
  STATE_MAX_BYTES, GRANTS_MAX, FW_INFO_BYTES, COMPONENT_MAX_BYTES,
} from "./_limits";
import { cose_sign1_verify } from "../cose/sign1";
import {
  ROLE_SUPPLIER, ALG_EDDSA, ALG_ES256, provisioning_closed, device_set, device_store, provisioning_close,
  suppliers_active, anchor_add, anchor_count, anchor_record, grant_count, GRANTS, GRANT_ENTRY,
} from "../firmware/anchors";
import { statement_apply } from "../firmware/statement";
import { PURPOSE_INSTALL, PURPOSE_BOOT, fw_begin, fw_update, fw_finish, fw_abort, fw_info } from "../firmware/session";
import { counter_lookup } from "../firmware/counters";
import { FW_STATE_BYTES, fw_state_write } from "../firmware/fw_state";
import { EV_ANCHOR_ADDED, EV_PROVISIONING_CLOSED, ev_new, ev_kid, ev_push, events_next } from "../firmware/events";
import {
  state_seal_key, state_export, state_import, state_generation, state_recover,
} from "../firmware/state";
import { sha256 } from "../hash/sha256";

// @ts-ignore: decorator
@lazy const NAME_HASH: usize = memory.data(32, 8);

// ---- generic COSE ----

export function iacsec_cose_sign1_verify(msg: u32, msg_len: u32, aad: u32, aad_len: u32, pk: u32, pk_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(msg, msg_len) || !in_io(aad, aad_len) || !in_io(pk, pk_len)) return ERR_BOUNDS;
  if (pk_len != 32 && pk_len != 33 && pk_len != 65) return ERR_LENGTH;
  return cose_sign1_verify(msg, msg_len, aad, aad_len, pk, pk_len);
}

// ---- device identity and supplier roots of trust (only while provisioning is open) ----

export function iacsec_device_set(vendor: u32, class_id: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(vendor, 16) || !in_io(class_id, 16)) return ERR_BOUNDS;
  if (failsecure()) return ERR_FAILSECURE;
  if (provisioning_closed()) return ERR_UNAUTHORIZED;
  device_store(vendor, class_id);
  return OK;
}

export function iacsec_anchor_add_supplier(kid: u32, kid_len: u32, pk: u32, pk_len: u32, alg: i32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(kid, kid_len) || !in_io(pk, pk_len)) return ERR_BOUNDS;
  if (failsecure()) return ERR_FAILSECURE;
  if (provisioning_closed()) return ERR_UNAUTHORIZED;
  if (alg != ALG_EDDSA && alg != ALG_ES256) return ERR_UNSUPPORTED;
  if (kid_len < 1 || kid_len > 32) return ERR_LENGTH;
  if (alg == ALG_EDDSA ? pk_len != 32 : pk_len != 33 && pk_len != 65) return ERR_LENGTH;
  const st = anchor_add(ROLE_SUPPLIER, kid, kid_len, pk, pk_len, alg);
  if (st == OK) {
    ev_new(EV_ANCHOR_ADDED, OK);
    ev_kid(kid, kid_len, ROLE_SUPPLIER);
    ev_push();
  }
  return st;
}

export function iacsec_provisioning_close(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (failsecure()) return ERR_FAILSECURE;
  if (provisioning_closed() || !device_set() || suppliers_active() == 0) return ERR_STATE;
  provisioning_close();
  ev_new(EV_PROVISIONING_CLOSED, OK);
  ev_push();
  return OK;
}

export function iacsec_provisioning_is_open(): i32 { return provisioning_closed() ? 0 : 1; }

// ---- asset-owner anchors and revocation ----

export function iacsec_trust_statement_apply(stmt: u32, stmt_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(stmt, stmt_len)) return ERR_BOUNDS;
  return statement_apply(stmt, stmt_len);
}

export function iacsec_anchor_count(): i32 { return <i32>anchor_count(); }

/** Grant record i (GRANT_ENTRY bytes: u8 anchor index, 7 zero, SHA-256 of the component name): OK or END. */
export function iacsec_grant_get(index: i32, out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, <u32>GRANT_ENTRY)) return ERR_BOUNDS;
  if (index < 0) return ERR_INVALID;
  if (<u32>index >= grant_count()) return END;
  memory.copy(out, GRANTS + <usize>index * GRANT_ENTRY, GRANT_ENTRY);
  return OK;
}

export function iacsec_anchor_get(index: i32, out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, ANCHOR_RECORD_BYTES)) return ERR_BOUNDS;
  if (index < 0) return ERR_INVALID;
  if (<u32>index >= anchor_count()) return END;
  memory.copy(out, anchor_record(<u32>index), ANCHOR_RECORD_BYTES);
  return OK;
}

// ---- firmware verification ----

export function iacsec_fw_begin(manifest: u32, manifest_len: u32, component: u32, component_len: u32, purpose: i32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(manifest, manifest_len) || !in_io(component, component_len)) return ERR_BOUNDS;
  if (purpose != PURPOSE_INSTALL && purpose != PURPOSE_BOOT) return ERR_INVALID;
  if (component_len < 1 || component_len > COMPONENT_MAX_BYTES) return ERR_LENGTH;
  return fw_begin(manifest, manifest_len, component, component_len, purpose);
}

/** The verified manifest's fields (FW_INFO_BYTES record): OK, or ERR_STATE when the last begin verified none. */
export function iacsec_fw_manifest(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, FW_INFO_BYTES)) return ERR_BOUNDS;
  return fw_info(out);
}

export function iacsec_fw_update(chunk: u32, len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(chunk, len)) return ERR_BOUNDS;
  return fw_update(chunk, len);
}

export function iacsec_fw_finish(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  return fw_finish();
}

export function iacsec_fw_abort(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  return fw_abort();
}

export function iacsec_counter_get(name: u32, name_len: u32, out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(name, name_len) || !in_io(out, 8)) return ERR_BOUNDS;
  sha256(NAME_HASH, name, name_len);
  return counter_lookup(NAME_HASH, out);
}

// ---- events ----

export function iacsec_event_next(out: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, EVENT_BYTES)) return ERR_BOUNDS;
  return events_next(out);
}

// ---- sealed state ----

export function iacsec_state_seal_key(key: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(key, 32)) return ERR_BOUNDS;
  state_seal_key(key);
  return OK;
}

export function iacsec_state_export(out: u32, out_cap: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_cap)) return ERR_BOUNDS;
  return state_export(out, out_cap);
}

/**
 * (out, out_cap): the firmware section of the state held, in the layout of
 * assembly/firmware/fw_state.ts (IACSEC_FW_STATE_BYTES): device ids,
 * anchors, revocations, counters and grants, all public, for the
 * configuration report (CR 7.6). No other section is ever given out: they
 * hold secrets (CR 1.14). Returns its length, or ERR_BOUNDS,
 * ERR_BUFFER_SMALL, ERR_FAILSECURE.
 */
export function iacsec_fw_state_read(out: u32, out_cap: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_cap)) return ERR_BOUNDS;
  if (failsecure()) return ERR_FAILSECURE;
  if (<usize>out_cap < FW_STATE_BYTES) return ERR_BUFFER_SMALL;
  fw_state_write(out);
  return <i32>FW_STATE_BYTES;
}

export function iacsec_state_import(blob: u32, len: u32, min_generation: u64): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(blob, len)) return ERR_BOUNDS;
  return state_import(blob, len, min_generation);
}

/** Generation of the state the module holds (raised by every export). */
export function iacsec_state_generation(): u64 { return state_generation(); }

/** 1 while the module is fail-secure (the stored state failed to load), else 0. */
export function iacsec_state_failsecure(): i32 { return failsecure() ? 1 : 0; }

export function iacsec_state_recover(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  return state_recover();
}

// ---- size getters: each equals its IACSEC_* constant in bindings/ ----

export function iacsec_manifest_max_bytes(): i32 { return <i32>MANIFEST_MAX_BYTES; }
export function iacsec_anchors_max(): i32 { return <i32>ANCHORS_MAX; }
export function iacsec_revoked_max(): i32 { return <i32>REVOKED_MAX; }
export function iacsec_counters_max(): i32 { return <i32>COUNTERS_MAX; }
export function iacsec_event_bytes(): i32 { return <i32>EVENT_BYTES; }
export function iacsec_events_max(): i32 { return <i32>EVENTS_MAX; }
export function iacsec_anchor_record_bytes(): i32 { return <i32>ANCHOR_RECORD_BYTES; }
export function iacsec_state_max_bytes(): i32 { return <i32>STATE_MAX_BYTES; }
export function iacsec_fw_state_bytes(): i32 { return <i32>FW_STATE_BYTES; }
export function iacsec_grants_max(): i32 { return <i32>GRANTS_MAX; }
export function iacsec_fw_info_bytes(): i32 { return <i32>FW_INFO_BYTES; }
export function iacsec_component_max_bytes(): i32 { return <i32>COMPONENT_MAX_BYTES; }
