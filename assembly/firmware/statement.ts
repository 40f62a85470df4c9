// Trust statements (bindings/manifest.cddl, trust-statement): a supplier
// anchor authorizes adding an asset-owner anchor or revoking a key id
// (EDR 3.13). Only a non-revoked supplier anchor may sign one; an
// asset-owner anchor cannot change the roots of trust.

import {
  OK, ERR_INVALID, ERR_MALFORMED, ERR_CRITICAL, ERR_STATE, ERR_UNKNOWN_KEY, ERR_REVOKED,
  ERR_UNAUTHORIZED, ERR_UNSUPPORTED, ERR_WRONG_VENDOR, ERR_WRONG_CLASS,
} from "../status";
import {
  MT_UINT, MT_BSTR, MT_NINT, MT_MAP,
  cbor_check, cbor_init, cbor_head, cbor_arg, cbor_str, cbor_int_fits, cbor_int_value,
} from "../cbor/reader";
import {
  sign1_parse, sign1_check_protected, sign1_alg, sign1_kid, sign1_kid_len, sign1_payload, sign1_payload_len,
  sign1_verify_signature,
} from "../cose/sign1";
import {
  DEVICE, ROLE_SUPPLIER, ROLE_OWNER, ALG_EDDSA, ALG_ES256, A_ROLE, A_ALG, A_REVOKED, A_PK, A_PK_LEN,
  provisioning_closed, anchor_find, anchor_record, revoked_has, anchor_add, revoke,
} from "./anchors";
import {
  EV_ANCHOR_ADDED, EV_ANCHOR_REVOKED, EV_TRUST_STATEMENT_REJECTED, ev_new, ev_kid, ev_push,
} from "./events";

const OP_ADD: u64 = 1;
const OP_REVOKE: u64 = 2;

let op: u64 = 0;
let kid_p: usize = 0, kid_n: usize = 0;
let pk_p: usize = 0, pk_n: usize = 0;
let new_alg: i32 = 0;
let vendor_p: usize = 0, class_p: usize = 0;
// Signer, for the rejection event.
let signer_p: usize = 0, signer_n: usize = 0;
let signer_role: u8 = 0;

/** Parses the payload [p, p + n): OK, ERR_MALFORMED, ERR_CRITICAL, ERR_UNSUPPORTED (alg of the new anchor). */
function parse(p: usize, n: usize): i32 {
  if (cbor_check(p, n) != OK) return ERR_MALFORMED;
  cbor_init(p, n);
  if (cbor_head() != MT_MAP) return ERR_MALFORMED;
  const count = cbor_arg();
  let seen: u32 = 0;
  for (let i: u64 = 0; i < count; i++) {
    const km = cbor_head();
    if (km == MT_NINT) return ERR_CRITICAL;
    if (km != MT_UINT) return ERR_MALFORMED;
    const k = cbor_arg();
    if (k < 1 || k > 6) return ERR_CRITICAL;
    seen |= <u32>1 << <u32>k;
    const m = cbor_head();
    if (k == 1) {
      if (m != MT_UINT || (cbor_arg() != OP_ADD && cbor_arg() != OP_REVOKE)) return ERR_MALFORMED;
      op = cbor_arg();
    } else if (k == 6) {
      if ((m != MT_UINT && m != MT_NINT) || !cbor_int_fits()) return ERR_MALFORMED;
      const v = cbor_int_value(m);
      if (v != <i64>ALG_EDDSA && v != <i64>ALG_ES256) return ERR_UNSUPPORTED;
      new_alg = <i32>v;
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
  // Required: 1, 2, 4, 5; 3 and 6 with operation 1 only.
  if ((seen & 0x36) != 0x36) return ERR_MALFORMED;
  const has_key = (seen & 0x48) != 0;
  if (op == OP_ADD ? (seen & 0x48) != 0x48 : has_key) return ERR_MALFORMED;
  return OK;
}

function apply(stmt: usize, len: usize): i32 {
  signer_n = 0; signer_role = 0;
  if (!provisioning_closed()) return ERR_STATE;
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
  if (op == OP_ADD) {
    const a = anchor_add(ROLE_OWNER, kid_p, kid_n, pk_p, pk_n, new_alg);
    if (a == OK) {
      ev_new(EV_ANCHOR_ADDED, OK);
      ev_kid(kid_p, kid_n, ROLE_OWNER);
      ev_push();
    }
    return a;
  }
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
 * Verifies and applies a trust statement (COSE_Sign1, tag 18). Returns OK,
 * or the first failed check's status: ERR_STATE (provisioning open), ERR_MALFORMED, ERR_UNSUPPORTED,
 * ERR_CRITICAL, ERR_UNKNOWN_KEY, ERR_REVOKED, ERR_UNAUTHORIZED (signer is not
 * a supplier anchor, or the last supplier would be revoked), ERR_INVALID,
 * ERR_WRONG_VENDOR, ERR_WRONG_CLASS, ERR_FULL. Every outcome is an event.
 */
export function statement_apply(stmt: usize, len: usize): i32 {
  const st = apply(stmt, len);
  if (st != OK) {
    ev_new(EV_TRUST_STATEMENT_REJECTED, st);
    if (signer_n != 0) ev_kid(signer_p, signer_n, signer_role);
    ev_push();
  }
  return st;
}
