// Trust statements (bindings/manifest.cddl, trust-statement): a supplier
// anchor authorizes adding an asset-owner anchor (with the components it may
// sign), revoking a key id, or setting a component's security counter
// (EDR 3.13). Only a non-revoked supplier anchor may sign one; an asset-owner
// anchor cannot change the roots of trust.

import {
  OK, ERR_INVALID, ERR_MALFORMED, ERR_CRITICAL, ERR_STATE, ERR_UNKNOWN_KEY, ERR_REVOKED, ERR_FULL, ERR_STALE,
  ERR_UNAUTHORIZED, ERR_UNSUPPORTED, ERR_WRONG_VENDOR, ERR_WRONG_CLASS, ERR_FAILSECURE,
} from "../status";
import { GRANTS_PER_STATEMENT_MAX, COMPONENT_MAX_BYTES } from "../limits";
import { failsecure } from "../state_mode";
import {
  MT_UINT, MT_BSTR, MT_TSTR, MT_NINT, MT_MAP, MT_ARRAY,
  cbor_check, cbor_init, cbor_head, cbor_arg, cbor_str, cbor_int_fits, cbor_int_value,
} from "../cbor/reader";
import {
  sign1_parse, sign1_check_protected, sign1_alg, sign1_kid, sign1_kid_len, sign1_payload, sign1_payload_len,
  sign1_verify_signature,
} from "../cose/sign1";
import { sha256 } from "../hash/sha256";
import {
  DEVICE, ROLE_SUPPLIER, ROLE_OWNER, ALG_EDDSA, ALG_ES256, A_ROLE, A_ALG, A_REVOKED, A_PK, A_PK_LEN,
  provisioning_closed, anchor_find, anchor_record, anchor_count, revoked_has, anchor_add, revoke, grants_room,
  grant_add,
} from "./anchors";
import { counter_value, counter_room, counter_set } from "./counters";
import { fw_session_open } from "./session";
import {
  EV_ANCHOR_ADDED, EV_ANCHOR_REVOKED, EV_TRUST_STATEMENT_REJECTED, EV_COUNTER_SET, ev_new, ev_kid, ev_component,
  ev_ab, ev_push,
} from "./events";

const OP_ADD: u64 = 1;
const OP_REVOKE: u64 = 2;
const OP_SET_COUNTER: u64 = 3;

// Keys present per operation (bit k for key k): required, and allowed.
const NEED_ADD: u32 = 0x7e;        // 1 2 3 4 5 6
const ALLOW_ADD: u32 = 0xfe;       // and 7 (granted components)
const NEED_REVOKE: u32 = 0x36;     // 1 2 4 5
const NEED_SET: u32 = 0x3b2;       // 1 4 5 7 8 9

let op: u64 = 0;
let kid_p: usize = 0, kid_n: usize = 0;
let pk_p: usize = 0, pk_n: usize = 0;
let new_alg: i32 = 0;
let vendor_p: usize = 0, class_p: usize = 0;
/** Key 7: an array of component names (add-owner) or one name (set-counter). */
let comp_p: usize = 0, comp_n: usize = 0, comp_count: u32 = 0, comp_is_array: bool = false;
let new_value: u64 = 0, expect_value: u64 = 0;
// Signer, for the rejection event.
let signer_p: usize = 0, signer_n: usize = 0;
let signer_role: u8 = 0;

// @ts-ignore: decorator
@lazy const NAME_HASH: usize = memory.data(32, 8);
/** The granted names of an add-owner statement: (u32 pointer, u32 length) each. */
// @ts-ignore: decorator
@lazy const NAMES: usize = memory.data(<i32>(GRANTS_PER_STATEMENT_MAX * 8), 8);

/** Reads key 7: one tstr of 1..64 bytes, or an array of 1..8 of them. */
function parse_components(m: i32): bool {
  if (m == MT_TSTR) {
    const l = <usize>cbor_arg();
    if (l < 1 || l > <usize>COMPONENT_MAX_BYTES) return false;
    comp_p = cbor_str(); comp_n = l; comp_count = 1; comp_is_array = false;
    return true;
  }
  if (m != MT_ARRAY) return false;
  const n = cbor_arg();
  if (n < 1 || n > <u64>GRANTS_PER_STATEMENT_MAX) return false;
  comp_count = <u32>n; comp_is_array = true;
  for (let i: u32 = 0; i < comp_count; i++) {
    if (cbor_head() != MT_TSTR) return false;
    const l = cbor_arg();
    if (l < 1 || l > <u64>COMPONENT_MAX_BYTES) return false;
    store<u32>(NAMES + (<usize>i << 3), <u32>cbor_str());
    store<u32>(NAMES + (<usize>i << 3) + 4, <u32>l);
  }
  return true;
}

/** Parses the payload [p, p + n): OK, ERR_MALFORMED, ERR_CRITICAL, ERR_UNSUPPORTED (alg of the new anchor). */
function parse(p: usize, n: usize): i32 {
  if (cbor_check(p, n) != OK) return ERR_MALFORMED;
  cbor_init(p, n);
  if (cbor_head() != MT_MAP) return ERR_MALFORMED;
  const count = cbor_arg();
  let seen: u32 = 0;
  op = 0;
  for (let i: u64 = 0; i < count; i++) {
    const km = cbor_head();
    if (km == MT_NINT) return ERR_CRITICAL;
    if (km != MT_UINT) return ERR_MALFORMED;
    const k = cbor_arg();
    if (k < 1 || k > 9) return ERR_CRITICAL;
    seen |= <u32>1 << <u32>k;
    const m = cbor_head();
    if (k == 1) {
      if (m != MT_UINT || cbor_arg() < OP_ADD || cbor_arg() > OP_SET_COUNTER) return ERR_MALFORMED;
      op = cbor_arg();
    } else if (k == 6) {
      if ((m != MT_UINT && m != MT_NINT) || !cbor_int_fits()) return ERR_MALFORMED;
      const v = cbor_int_value(m);
      if (v != <i64>ALG_EDDSA && v != <i64>ALG_ES256) return ERR_UNSUPPORTED;
      new_alg = <i32>v;
    } else if (k == 7) {
      if (!parse_components(m)) return ERR_MALFORMED;
    } else if (k == 8 || k == 9) {
      if (m != MT_UINT) return ERR_MALFORMED;
      if (k == 8) new_value = cbor_arg(); else expect_value = cbor_arg();
    } else {
      if (m != MT_BSTR) return ERR_MALFORMED;
      const l = <usize>cbor_arg();
      if (k == 2) {
        if (l < 1 || l > 32) return ERR_MALFORMED;
        kid_p = cbor_str(); kid_n = l;
      } else if (k == 3) {
        pk_p = cbor_str(); pk_n = l;
      } else {
        if (l != 16) return ERR_MALFORMED;
        if (k == 4) vendor_p = cbor_str(); else class_p = cbor_str();
      }
    }
  }
  if (op == OP_ADD) {
    if ((seen & NEED_ADD) != NEED_ADD || (seen & ~ALLOW_ADD) != 0) return ERR_MALFORMED;
    if ((seen & 0x80) == 0) comp_count = 0;
    else if (!comp_is_array) return ERR_MALFORMED;
  } else if (op == OP_REVOKE) {
    if (seen != NEED_REVOKE) return ERR_MALFORMED;
  } else if (seen != NEED_SET || comp_is_array) {
    return ERR_MALFORMED;
  }
  return OK;
}

/** Hashes the i-th granted name into NAME_HASH. */
function grant_name(i: u32): void {
  const e = NAMES + (<usize>i << 3);
  sha256(NAME_HASH, <usize>load<u32>(e), <usize>load<u32>(e + 4));
}

function add_owner(): i32 {
  if (!grants_room(comp_count)) return ERR_FULL;
  const a = anchor_add(ROLE_OWNER, kid_p, kid_n, pk_p, pk_n, new_alg);
  if (a != OK) return a;
  const idx = anchor_count() - 1;
  for (let i: u32 = 0; i < comp_count; i++) {
    grant_name(i);
    grant_add(idx, NAME_HASH);
  }
  ev_new(EV_ANCHOR_ADDED, OK);
  ev_kid(kid_p, kid_n, ROLE_OWNER);
  ev_ab(<u64>comp_count, 0);
  ev_push();
  return OK;
}

function revoke_kid(): i32 {
  const j = anchor_find(kid_p, kid_n);
  const role: u8 = j < 0 ? 0 : load<u8>(anchor_record(<u32>j) + A_ROLE);
  const v = revoke(kid_p, kid_n);
  if (v == OK) {
    ev_new(EV_ANCHOR_REVOKED, OK);
    ev_kid(kid_p, kid_n, role);
    ev_push();
  }
  return v;
}

/**
 * Sets a component's counter, lower or higher: the supplier's recovery from
 * a counter pushed too far (for example by a since-revoked key). It applies
 * only while the stored counter equals the statement's expected value, so a
 * replay after the counter moved is refused (ERR_STALE).
 */
function set_counter(): i32 {
  sha256(NAME_HASH, comp_p, comp_n);
  const old = counter_value(NAME_HASH);
  if (old != expect_value) return ERR_STALE;
  if (counter_room(NAME_HASH, new_value) != OK) return ERR_FULL;
  counter_set(NAME_HASH, new_value);
  ev_new(EV_COUNTER_SET, OK);
  ev_kid(signer_p, signer_n, signer_role);
  ev_component(comp_p, comp_n);
  ev_ab(old, new_value);
  ev_push();
  return OK;
}

function apply(stmt: usize, len: usize): i32 {
  signer_n = 0; signer_role = 0; op = 0;
  if (failsecure()) return ERR_FAILSECURE;
  // Trust changes wait until no firmware session is open: a session checks
  // its signer once, at begin.
  if (!provisioning_closed() || fw_session_open()) return ERR_STATE;
  if (sign1_parse(stmt, len, true) != OK) return ERR_MALFORMED;
  const h = sign1_check_protected();
  if (h == ERR_MALFORMED || h == ERR_UNSUPPORTED) return h;
  signer_p = sign1_kid(); signer_n = sign1_kid_len();
  if (h != OK) return h;
  const i = anchor_find(signer_p, signer_n);
  if (i < 0) return ERR_UNKNOWN_KEY;
  const r = anchor_record(<u32>i);
  signer_role = load<u8>(r + A_ROLE);
  if (load<u8>(r + A_REVOKED) != 0 || revoked_has(signer_p, signer_n)) return ERR_REVOKED;
  if (signer_role != ROLE_SUPPLIER) return ERR_UNAUTHORIZED;
  if (<i32>load<i8>(r + A_ALG) != sign1_alg()) return ERR_INVALID;
  if (sign1_verify_signature(r + A_PK, <usize>load<u8>(r + A_PK_LEN), sign1_alg(), 0, 0) != OK) return ERR_INVALID;
  const st = parse(sign1_payload(), sign1_payload_len());
  if (st != OK) return st;
  if (memory.compare(vendor_p, DEVICE, 16) != 0) return ERR_WRONG_VENDOR;
  if (memory.compare(class_p, DEVICE + 16, 16) != 0) return ERR_WRONG_CLASS;
  if (op == OP_ADD) return add_owner();
  if (op == OP_REVOKE) return revoke_kid();
  return set_counter();
}

/**
 * Verifies and applies a trust statement (COSE_Sign1, tag 18). Returns OK,
 * or the first failed check's status: ERR_FAILSECURE, ERR_STATE
 * (provisioning open, or a firmware session open), ERR_MALFORMED,
 * ERR_UNSUPPORTED, ERR_CRITICAL, ERR_UNKNOWN_KEY, ERR_REVOKED (the signer),
 * ERR_UNAUTHORIZED (the signer is not a supplier anchor), ERR_INVALID,
 * ERR_WRONG_VENDOR, ERR_WRONG_CLASS; then per operation: add-owner
 * ERR_KID_REVOKED, ERR_EXISTS, ERR_INVALID (unusable key), ERR_FULL;
 * revoke ERR_EXISTS (already revoked), ERR_LAST_ANCHOR, ERR_FULL;
 * set-counter ERR_STALE, ERR_FULL. Every outcome is an event.
 */
export function statement_apply(stmt: usize, len: usize): i32 {
  const st = apply(stmt, len);
  if (st != OK) {
    ev_new(EV_TRUST_STATEMENT_REJECTED, st);
    if (signer_n != 0) ev_kid(signer_p, signer_n, signer_role);
    ev_ab(op, 0);
    ev_push();
  }
  return st;
}
