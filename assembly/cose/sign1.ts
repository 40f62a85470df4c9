// COSE_Sign1 (RFC 9052 section 4.2): parsing with the strict CBOR reader, and
// verification of the signature over the Sig_structure (section 4.4) with
// EdDSA / Ed25519 (alg -8) or ES256 (alg -7, raw r || s; RFC 9053 section 2.1).

import { OK, ERR_INVALID, ERR_LENGTH, ERR_MALFORMED, ERR_UNSUPPORTED, ERR_CRITICAL } from "../status";
import {
  MT_UINT, MT_NINT, MT_BSTR, MT_TSTR, MT_ARRAY, MT_MAP, MT_TAG,
  cbor_init, cbor_head, cbor_skip, cbor_skip_nested, cbor_check, cbor_pos, cbor_left, cbor_arg, cbor_str,
  cbor_int_fits, cbor_int_value,
} from "../cbor/reader";
import { IO_BYTES } from "../abi/_io";
import { SHA256_STATE_BYTES, sha256_init, sha256_update, sha256_final } from "../hash/sha256";
import { ed25519_verify } from "../sig/ed25519";
import { p256_verify_digest_vartime, P256_SIG_RAW } from "../sig/p256";

export const ALG_EDDSA: i32 = -8;
export const ALG_ES256: i32 = -7;
/** No alg header parameter. */
export const ALG_NONE: i32 = 0;
/** An alg this module does not implement (another integer, or a text string). */
export const ALG_OTHER: i32 = i32.MIN_VALUE;

/** CBOR tag of COSE_Sign1 (RFC 9052 section 2). */
const TAG_SIGN1: u64 = 18;
const H_ALG: i64 = 1;
const H_CRIT: i64 = 2;
const H_CTY: i64 = 3;
const H_KID: i64 = 4;

/** Largest Sig_structure built for Ed25519: any message and AAD that fit the I/O area side by side. */
export const SIGSTRUCT_MAX: usize = <usize>IO_BYTES + 64;
// @ts-ignore: decorator
@lazy const SIGBUF: usize = memory.data(<i32>SIGSTRUCT_MAX, 16);
// @ts-ignore: decorator
@lazy const HST: usize = memory.data(<i32>SHA256_STATE_BYTES, 16);
// @ts-ignore: decorator
@lazy const DIG: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const HEAD: usize = memory.data(16, 8);
/** 0x84 (array of 4), 0x6a (text of 10), "Signature1". */
// @ts-ignore: decorator
@lazy const SIG1_PREFIX: usize = memory.data<u8>([0x84, 0x6a, 0x53, 0x69, 0x67, 0x6e, 0x61, 0x74, 0x75, 0x72, 0x65, 0x31]);

// The parsed message: pointers into the caller's bytes.
let prot_p: usize = 0, prot_n: usize = 0;
let pay_p: usize = 0, pay_n: usize = 0;
let sig_p: usize = 0, sig_n: usize = 0;
let alg: i32 = ALG_NONE;
let alg_prot: bool = false;
let kid_p: usize = 0, kid_n: usize = 0;
let kid_prot: bool = false;
let crit_status: i32 = OK;

export function sign1_protected(): usize { return prot_p; }
export function sign1_protected_len(): usize { return prot_n; }
export function sign1_payload(): usize { return pay_p; }
export function sign1_payload_len(): usize { return pay_n; }
export function sign1_alg(): i32 { return alg; }
export function sign1_alg_protected(): bool { return alg_prot; }
export function sign1_kid(): usize { return kid_p; }
export function sign1_kid_len(): usize { return kid_n; }
export function sign1_kid_protected(): bool { return kid_prot; }
/** OK, or ERR_CRITICAL when crit lists a label this module does not understand. */
export function sign1_crit(): i32 { return crit_status; }

/** Reads one header map at the reader's position (already checked well-formed). */
function parse_header(is_protected: bool): i32 {
  if (cbor_head() != MT_MAP) return ERR_MALFORMED;
  const n = cbor_arg();
  for (let i: u64 = 0; i < n; i++) {
    const km = cbor_head();
    let label: i64 = i64.MIN_VALUE;   // no label of ours
    if (km == MT_UINT || km == MT_NINT) {
      if (cbor_int_fits()) label = cbor_int_value(km);
    } else if (km != MT_TSTR) {
      return ERR_MALFORMED;           // labels are int / tstr (RFC 9052 section 1.5)
    }
    if (label == H_ALG) {
      if (alg != ALG_NONE) return ERR_MALFORMED;   // in both buckets (RFC 9052 section 3)
      const vm = cbor_head();
      if (vm == MT_UINT || vm == MT_NINT) {
        const v = cbor_int_fits() ? cbor_int_value(vm) : 0;
        alg = v == <i64>ALG_EDDSA || v == <i64>ALG_ES256 ? <i32>v : ALG_OTHER;
      } else if (vm == MT_TSTR) {
        alg = ALG_OTHER;
      } else {
        return ERR_MALFORMED;
      }
      alg_prot = is_protected;
    } else if (label == H_CRIT) {
      // crit is only meaningful when protected, and never empty (RFC 9052 section 3.1).
      if (!is_protected) return ERR_MALFORMED;
      if (cbor_head() != MT_ARRAY) return ERR_MALFORMED;
      const c = cbor_arg();
      if (c == 0) return ERR_MALFORMED;
      for (let j: u64 = 0; j < c; j++) {
        const cm = cbor_head();
        if (cm == MT_UINT || cm == MT_NINT) {
          const l = cbor_int_fits() ? cbor_int_value(cm) : 0;
          if (l != H_ALG && l != H_CTY && l != H_KID) crit_status = ERR_CRITICAL;
        } else if (cm == MT_TSTR) {
          crit_status = ERR_CRITICAL;
        } else {
          return ERR_MALFORMED;
        }
      }
    } else if (label == H_CTY) {
      const vm = cbor_head();
      if (vm != MT_UINT && vm != MT_TSTR) return ERR_MALFORMED;
    } else if (label == H_KID) {
      if (cbor_head() != MT_BSTR) return ERR_MALFORMED;
      if (is_protected || !kid_prot) {
        kid_p = cbor_str();
        kid_n = <usize>cbor_arg();
        kid_prot = is_protected;
      }
    } else {
      if (cbor_skip() != OK) return ERR_MALFORMED;
    }
  }
  return OK;
}

/**
 * Parses the COSE_Sign1 message [msg, msg + len): tag 18 (required when
 * tag_required; any other tag is rejected), an array of protected header
 * (bstr holding a map, or empty), unprotected header map, payload (bstr; a
 * detached payload is not supported) and signature (bstr), nothing after it.
 * Returns OK or ERR_MALFORMED; the parts are then read with the getters.
 */
export function sign1_parse(msg: usize, len: usize, tag_required: bool): i32 {
  alg = ALG_NONE; alg_prot = false;
  kid_p = 0; kid_n = 0; kid_prot = false;
  crit_status = OK;
  prot_p = 0; prot_n = 0; pay_p = 0; pay_n = 0; sig_p = 0; sig_n = 0;

  cbor_init(msg, len);
  let m = cbor_head();
  if (m == MT_TAG) {
    if (cbor_arg() != TAG_SIGN1) return ERR_MALFORMED;
    m = cbor_head();
  } else if (tag_required) {
    return ERR_MALFORMED;
  }
  if (m != MT_ARRAY || cbor_arg() != 4) return ERR_MALFORMED;
  if (cbor_head() != MT_BSTR) return ERR_MALFORMED;
  const pp = cbor_str(), pn = <usize>cbor_arg();
  const u0 = cbor_pos();
  if (cbor_left() == 0 || (load<u8>(u0) >> 5) != <u8>MT_MAP) return ERR_MALFORMED;
  if (cbor_skip_nested(1) != OK) return ERR_MALFORMED;
  const un = cbor_pos() - u0;
  if (cbor_head() != MT_BSTR) return ERR_MALFORMED;
  const yp = cbor_str(), yn = <usize>cbor_arg();
  if (cbor_head() != MT_BSTR) return ERR_MALFORMED;
  const sp = cbor_str(), sn = <usize>cbor_arg();
  if (cbor_left() != 0) return ERR_MALFORMED;

  // An empty protected header is a zero-length bstr (RFC 9052 section 3).
  if (pn != 0) {
    if (cbor_check(pp, pn) != OK || (load<u8>(pp) >> 5) != <u8>MT_MAP) return ERR_MALFORMED;
    cbor_init(pp, pn);
    if (parse_header(true) != OK) return ERR_MALFORMED;
  }
  cbor_init(u0, un);
  if (parse_header(false) != OK) return ERR_MALFORMED;

  // An empty protected map, even encoded as 0xa0, enters the Sig_structure as
  // a zero-length bstr (RFC 9052 section 4.4; cose-wg example sign-pass-01).
  prot_p = pp; prot_n = pn == 1 ? 0 : pn; pay_p = yp; pay_n = yn; sig_p = sp; sig_n = sn;
  return OK;
}

/**
 * For messages whose headers must be protected (manifests, trust
 * statements): ERR_UNSUPPORTED unless alg is in the protected header and is
 * -8 or -7; ERR_MALFORMED unless the protected header has a kid of 1..32
 * bytes; ERR_CRITICAL for an unknown crit label; else OK.
 */
export function sign1_check_protected(): i32 {
  if (!alg_prot || (alg != ALG_EDDSA && alg != ALG_ES256)) return ERR_UNSUPPORTED;
  if (!kid_prot || kid_n == 0 || kid_n > 32) return ERR_MALFORMED;
  return crit_status;
}

/** Writes the head of a byte string of length n at out; returns its size. */
function bstr_head(out: usize, n: usize): usize {
  if (n < 24) { store<u8>(out, <u8>(0x40 | n)); return 1; }
  if (n < 0x100) { store<u8>(out, 0x58); store<u8>(out + 1, <u8>n); return 2; }
  if (n < 0x10000) { store<u8>(out, 0x59); store<u16>(out + 1, bswap<u16>(<u16>n)); return 3; }
  store<u8>(out, 0x5a); store<u32>(out + 1, bswap<u32>(<u32>n)); return 5;
}

/** Appends bstr(n bytes at p) at out; returns the new end. */
function put_bstr(out: usize, p: usize, n: usize): usize {
  out += bstr_head(out, n);
  memory.copy(out, p, n);
  return out + n;
}

/** Feeds bstr(n bytes at p) into the SHA-256 state HST. */
function hash_bstr(p: usize, n: usize): void {
  sha256_update(HST, HEAD, bstr_head(HEAD, n));
  sha256_update(HST, p, n);
}

/**
 * Verifies the parsed message's signature with the public key (pk, pklen)
 * for algorithm a (ALG_EDDSA: 32-byte key; ALG_ES256: SEC1 33/65 bytes) over
 * Sig_structure = ["Signature1", protected, external_aad, payload]
 * (RFC 9052 section 4.4). Returns OK, ERR_INVALID, or ERR_LENGTH when an
 * Ed25519 Sig_structure would exceed SIGSTRUCT_MAX.
 */
export function sign1_verify_signature(pk: usize, pklen: usize, a: i32, aad: usize, aadlen: usize): i32 {
  if (sig_n != 64) return ERR_INVALID;
  if (a == ALG_EDDSA) {
    if (pklen != 32) return ERR_INVALID;
    const need: usize = 12 + 15 + prot_n + aadlen + pay_n;
    if (need > SIGSTRUCT_MAX) return ERR_LENGTH;
    memory.copy(SIGBUF, SIG1_PREFIX, 12);
    let o = put_bstr(SIGBUF + 12, prot_p, prot_n);
    o = put_bstr(o, aad, aadlen);
    o = put_bstr(o, pay_p, pay_n);
    return ed25519_verify(pk, SIGBUF, o - SIGBUF, sig_p) == OK ? OK : ERR_INVALID;
  }
  if (a == ALG_ES256) {
    if (pklen != 33 && pklen != 65) return ERR_INVALID;
    // ES256 signs SHA-256(Sig_structure): the structure is streamed, never stored.
    sha256_init(HST);
    sha256_update(HST, SIG1_PREFIX, 12);
    hash_bstr(prot_p, prot_n);
    hash_bstr(aad, aadlen);
    hash_bstr(pay_p, pay_n);
    sha256_final(HST, DIG);
    return p256_verify_digest_vartime(pk, pklen, DIG, sig_p, 64, P256_SIG_RAW) == OK ? OK : ERR_INVALID;
  }
  return ERR_INVALID;
}

/**
 * Verifies a COSE_Sign1 (tag 18 optional) with the given public key: 32
 * bytes for Ed25519 (alg -8), SEC1 33/65 bytes for P-256 (alg -7). alg may
 * be in either header bucket, not both. Returns OK, ERR_MALFORMED,
 * ERR_UNSUPPORTED (no alg, or one not implemented), ERR_CRITICAL, ERR_INVALID
 * (bad signature, or key and alg do not match), ERR_LENGTH (see
 * sign1_verify_signature).
 */
export function cose_sign1_verify(msg: usize, len: usize, aad: usize, aadlen: usize, pk: usize, pklen: usize): i32 {
  if (sign1_parse(msg, len, false) != OK) return ERR_MALFORMED;
  if (alg != ALG_EDDSA && alg != ALG_ES256) return ERR_UNSUPPORTED;
  if (crit_status != OK) return crit_status;
  const key_alg = pklen == 32 ? ALG_EDDSA : ALG_ES256;
  if (key_alg != alg) return ERR_INVALID;
  return sign1_verify_signature(pk, pklen, alg, aad, aadlen);
}
