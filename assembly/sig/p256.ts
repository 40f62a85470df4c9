// ECDSA P-256 signature verification with SHA-256 (FIPS 186-5 section 6.4.2;
// COSE "ES256", RFC 9053 section 2.1).
//
// Verification touches public data only (key, message, signature), so it
// runs in variable time throughout (the _vartime functions).

import { OK, ERR_INVALID, ERR_UNSUPPORTED } from "../status";
import { sha256 } from "../hash/sha256";
import { FE_R2, fe_mul, fe_sqr, fe_from_bytes, fe_eq_vartime } from "./_p256_field";
import { sc_from_bytes, sc_is_valid_vartime, sc_inv_vartime, sc_mul_vartime } from "./_p256_scalar";
import { PT_Z, pt_decode_sec1_vartime, pt_double_mul_vartime } from "./_p256_point";
import { der_decode_ecdsa_sig } from "./_der";

/** Signature as r || s, 32 bytes each, big-endian (IEEE P1363; COSE). */
export const P256_SIG_RAW: i32 = 0;
/** Signature as a DER SEQUENCE of two INTEGERs (X.509, TLS). */
export const P256_SIG_DER: i32 = 1;

@lazy const DIGEST: usize = memory.data(32, 8);
@lazy const RS: usize = memory.data(64, 8);
@lazy const SC_R: usize = memory.data(40, 8);
@lazy const SC_S: usize = memory.data(40, 8);
@lazy const SC_E: usize = memory.data(40, 8);
@lazy const SC_W: usize = memory.data(40, 8);
@lazy const SC_U1: usize = memory.data(40, 8);
@lazy const SC_U2: usize = memory.data(40, 8);
@lazy const QX: usize = memory.data(36, 8);
@lazy const QY: usize = memory.data(36, 8);
@lazy const PR: usize = memory.data(108, 8);
@lazy const FZ2: usize = memory.data(36, 8);
@lazy const FR: usize = memory.data(36, 8);
@lazy const RN: usize = memory.data(32, 8);

/**
 * Verifies an ECDSA P-256 signature over SHA-256(msg) with the SEC1 public
 * key at pk (65-byte uncompressed or 33-byte compressed). `format` is
 * P256_SIG_RAW or P256_SIG_DER. Returns OK, ERR_INVALID for any invalid or
 * undecodable key or signature, ERR_UNSUPPORTED for an unknown format.
 */
export function p256_verify(
  pk: usize, pklen: usize, msg: usize, msglen: usize, sig: usize, siglen: usize, format: i32,
): i32 {
  if (format != P256_SIG_RAW && format != P256_SIG_DER) return ERR_UNSUPPORTED;
  sha256(DIGEST, msg, msglen);
  return p256_verify_digest_vartime(pk, pklen, DIGEST, sig, siglen, format);
}

/**
 * As p256_verify, given the 32-byte SHA-256 digest of the message instead of
 * the message. Variable time (public inputs only).
 */
export function p256_verify_digest_vartime(
  pk: usize, pklen: usize, digest: usize, sig: usize, siglen: usize, format: i32,
): i32 {
  if (format == P256_SIG_RAW) {
    if (siglen != 64) return ERR_INVALID;
    memory.copy(RS, sig, 64);
  } else if (format == P256_SIG_DER) {
    if (!der_decode_ecdsa_sig(RS, sig, siglen)) return ERR_INVALID;
  } else {
    return ERR_UNSUPPORTED;
  }
  sc_from_bytes(SC_R, RS);
  sc_from_bytes(SC_S, RS + 32);
  // FIPS 186-5 section 6.4.2 step 1: r and s in [1, n-1].
  if (!sc_is_valid_vartime(SC_R) || !sc_is_valid_vartime(SC_S)) return ERR_INVALID;
  if (!pt_decode_sec1_vartime(QX, QY, pk, pklen)) return ERR_INVALID;
  // Step 2-3: e = the leftmost 256 bits of the digest (all of it for SHA-256).
  sc_from_bytes(SC_E, digest);
  // Steps 4-5: w = s^-1, u1 = e w, u2 = r w (mod n).
  sc_inv_vartime(SC_W, SC_S);
  sc_mul_vartime(SC_U1, SC_E, SC_W);
  sc_mul_vartime(SC_U2, SC_R, SC_W);
  // Step 6: R = u1 G + u2 Q; the identity is rejected.
  if (!pt_double_mul_vartime(PR, SC_U1, SC_U2, QX, QY)) return ERR_INVALID;
  // Steps 7-8: x(R) mod n == r, checked projectively: x(R) = X / Z^2 with
  // x(R) in [0, p), so x(R) mod n == r means x(R) = r or x(R) = r + n < p.
  fe_sqr(FZ2, PR + PT_Z);
  fe_from_bytes(FR, RS);                 // r < n < p
  fe_mul(FR, FR, FE_R2);
  fe_mul(FR, FR, FZ2);
  if (fe_eq_vartime(FR, PR)) return OK;
  // r + n, as 32 big-endian bytes, when it does not overflow 2^256.
  let c: u64 = 0;
  const n0: u64 = 0xf3b9cac2fc632551, n1: u64 = 0xbce6faada7179e84;
  const n2: u64 = 0xffffffffffffffff, n3: u64 = 0xffffffff00000000;
  let a = load<u64>(SC_R, 0);
  let s = a + n0; c = <u64>(s < a);
  store<u64>(RN, bswap<u64>(s), 24);
  a = load<u64>(SC_R, 8); s = a + n1 + c; c = <u64>(s < a || (s == a && c != 0));
  store<u64>(RN, bswap<u64>(s), 16);
  a = load<u64>(SC_R, 16); s = a + n2 + c; c = <u64>(s < a || (s == a && c != 0));
  store<u64>(RN, bswap<u64>(s), 8);
  a = load<u64>(SC_R, 24); s = a + n3 + c; c = <u64>(s < a || (s == a && c != 0));
  store<u64>(RN, bswap<u64>(s), 0);
  if (c != 0 || !fe_from_bytes(FR, RN)) return ERR_INVALID;
  fe_mul(FR, FR, FE_R2);
  fe_mul(FR, FR, FZ2);
  return fe_eq_vartime(FR, PR) ? OK : ERR_INVALID;
}
