// Exports for signatures. Verify answers OK or ERR_INVALID, never the reason
// (a malformed key or signature is just "invalid"); argument errors that are
// the host's own (pointers outside the I/O area, unknown format) have their
// own codes.

import { OK, ERR_BOUNDS, ERR_INVALID, ERR_SELFTEST, ERR_UNSUPPORTED } from "../status";
import { in_io, overlaps } from "./_io";
import { selftest_passed } from "../selftest_state";
import {
  ED25519_PUBLICKEYBYTES, ED25519_SEEDBYTES, ED25519_BYTES,
} from "./_limits";
import { ed25519_verify, ed25519_sign, ed25519_public_key } from "../sig/ed25519";
import { p256_verify, P256_SIG_RAW, P256_SIG_DER } from "../sig/p256";


export function iacsec_ed25519_verify(pk: u32, msg: u32, msg_len: u32, sig: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(pk, ED25519_PUBLICKEYBYTES) || !in_io(msg, msg_len) || !in_io(sig, ED25519_BYTES)) return ERR_BOUNDS;
  return ed25519_verify(pk, msg, msg_len, sig) == OK ? OK : ERR_INVALID;
}

export function iacsec_ed25519_public_key(pk_out: u32, seed: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(pk_out, ED25519_PUBLICKEYBYTES) || !in_io(seed, ED25519_SEEDBYTES)) return ERR_BOUNDS;
  if (overlaps(pk_out, ED25519_PUBLICKEYBYTES, seed, ED25519_SEEDBYTES)) return ERR_INVALID;
  ed25519_public_key(pk_out, seed);
  return OK;
}

export function iacsec_ed25519_sign(sig_out: u32, seed: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(sig_out, ED25519_BYTES) || !in_io(seed, ED25519_SEEDBYTES) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  // The message is hashed twice (RFC 8032 5.1.6 steps 2 and 4) after R is
  // written: an output overlapping an input would change what is signed.
  if (overlaps(sig_out, ED25519_BYTES, seed, ED25519_SEEDBYTES) || overlaps(sig_out, ED25519_BYTES, msg, msg_len)) return ERR_INVALID;
  ed25519_sign(sig_out, seed, msg, msg_len);
  return OK;
}

export function iacsec_p256_verify(
  pk: u32, pk_len: u32, msg: u32, msg_len: u32, sig: u32, sig_len: u32, format: i32,
): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(pk, pk_len) || !in_io(msg, msg_len) || !in_io(sig, sig_len)) return ERR_BOUNDS;
  if (format != P256_SIG_RAW && format != P256_SIG_DER) return ERR_UNSUPPORTED;
  return p256_verify(pk, pk_len, msg, msg_len, sig, sig_len, format) == OK ? OK : ERR_INVALID;
}
