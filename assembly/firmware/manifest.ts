// The firmware manifest payload (bindings/manifest.cddl, manifest-payload),
// parsed strictly: deterministic CBOR, no duplicate keys, every required key
// with its type and size; an unknown key >= 0 is critical (rejected), a
// negative key is a vendor extension (ignored, but well-formed).

import { OK, ERR_MALFORMED, ERR_CRITICAL } from "../status";
import {
  MT_UINT, MT_NINT, MT_BSTR, MT_TSTR, MT_MAP,
  cbor_check, cbor_init, cbor_head, cbor_skip, cbor_arg, cbor_str, cbor_int_fits, cbor_int_value,
} from "../cbor/reader";

/** COSE algorithm ids of the image digest (RFC 9054 section 2). */
export const DIGEST_SHA256: i32 = -16;
export const DIGEST_SHA512: i32 = -44;

let vendor_p: usize = 0;
let class_p: usize = 0;
let name_p: usize = 0, name_n: usize = 0;
let version_p: usize = 0, version_n: usize = 0;
let counter: u64 = 0;
let size: u64 = 0;
let dalg: i32 = 0;
let digest_p: usize = 0, digest_n: usize = 0;

export function manifest_vendor(): usize { return vendor_p; }
export function manifest_class(): usize { return class_p; }
export function manifest_name(): usize { return name_p; }
export function manifest_name_len(): usize { return name_n; }
export function manifest_version(): usize { return version_p; }
export function manifest_version_len(): usize { return version_n; }
export function manifest_counter(): u64 { return counter; }
export function manifest_size(): u64 { return size; }
export function manifest_digest_alg(): i32 { return dalg; }
export function manifest_digest(): usize { return digest_p; }
export function manifest_digest_len(): usize { return digest_n; }

/** Reads a bstr (want_tstr false) or tstr whose length is in [lo, hi]; its content pointer, or 0. */
function string_in(want_tstr: bool, lo: u64, hi: u64): usize {
  const m = cbor_head();
  if (m != (want_tstr ? MT_TSTR : MT_BSTR)) return 0;
  const n = cbor_arg();
  if (n < lo || n > hi) return 0;
  return cbor_str();
}

/**
 * Parses the payload [p, p + n). Returns OK (fields through the getters,
 * pointing into the payload), ERR_MALFORMED, or ERR_CRITICAL.
 */
export function manifest_parse(p: usize, n: usize): i32 {
  name_n = 0; version_n = 0;
  if (cbor_check(p, n) != OK) return ERR_MALFORMED;
  cbor_init(p, n);
  if (cbor_head() != MT_MAP) return ERR_MALFORMED;
  const count = cbor_arg();
  let seen: u32 = 0;
  for (let i: u64 = 0; i < count; i++) {
    const km = cbor_head();
    if (km == MT_NINT) {
      if (cbor_skip() != OK) return ERR_MALFORMED;
      continue;
    }
    if (km != MT_UINT) return ERR_MALFORMED;
    const k = cbor_arg();
    if (k < 1 || k > 8) return ERR_CRITICAL;
    seen |= <u32>1 << <u32>k;
    if (k == 1) {
      if ((vendor_p = string_in(false, 16, 16)) == 0) return ERR_MALFORMED;
    } else if (k == 2) {
      if ((class_p = string_in(false, 16, 16)) == 0) return ERR_MALFORMED;
    } else if (k == 3) {
      if ((name_p = string_in(true, 1, 64)) == 0) return ERR_MALFORMED;
      name_n = <usize>cbor_arg();
    } else if (k == 4) {
      if ((version_p = string_in(true, 1, 32)) == 0) return ERR_MALFORMED;
      version_n = <usize>cbor_arg();
    } else if (k == 5 || k == 6) {
      if (cbor_head() != MT_UINT) return ERR_MALFORMED;
      if (k == 5) counter = cbor_arg(); else size = cbor_arg();
    } else if (k == 7) {
      const m = cbor_head();
      if (m != MT_NINT || !cbor_int_fits()) return ERR_MALFORMED;
      const v = cbor_int_value(m);
      if (v != <i64>DIGEST_SHA256 && v != <i64>DIGEST_SHA512) return ERR_MALFORMED;
      dalg = <i32>v;
    } else {
      if (cbor_head() != MT_BSTR) return ERR_MALFORMED;
      digest_p = cbor_str();
      digest_n = <usize>cbor_arg();
    }
  }
  if (seen != 0x1fe) return ERR_MALFORMED;
  if (digest_n != (dalg == DIGEST_SHA256 ? 32 : 64)) return ERR_MALFORMED;
  return OK;
}
