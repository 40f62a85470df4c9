// Exports for hashing, MAC and key derivation. Each checks its arguments at
// the boundary and answers with a status code; none traps.

import { OK, ERR_BOUNDS, ERR_INVALID, ERR_LENGTH, ERR_STATE, ERR_SELFTEST } from "../status";
import { in_io, overlaps } from "./_io";
import { slot_acquire, slot_lookup, slot_release, SLOTS } from "./_slots";
import { selftest_passed } from "../selftest_state";
import { wipe } from "../_mem";
import { PBKDF2_MAX_ITERATIONS, HKDF_SHA256_MAX_BYTES, SHA256_BYTES, SHA512_BYTES } from "./_limits";
import { SHA256_STATE_BYTES, sha256, sha256_init, sha256_update, sha256_final } from "../hash/sha256";
import { SHA512_STATE_BYTES, sha512, sha512_init, sha512_update, sha512_final } from "../hash/sha512";
import { hmac_sha256, hmac_sha512 } from "../hash/hmac";
import { pbkdf2_sha256 } from "../hash/pbkdf2";
import { hkdf_sha256 } from "../hash/hkdf";


const SHA256_SLOTS: usize = memory.data(<i32>(<usize>SLOTS * SHA256_STATE_BYTES), 16);
const SHA256_META: usize = memory.data(<i32>(SLOTS * 4), 4);
const SHA512_SLOTS: usize = memory.data(<i32>(<usize>SLOTS * SHA512_STATE_BYTES), 16);
const SHA512_META: usize = memory.data(<i32>(SLOTS * 4), 4);

// ---- one-shot digests ----

export function iacsec_sha256(out: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, SHA256_BYTES) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, SHA256_BYTES, msg, msg_len)) return ERR_INVALID;
  sha256(out, msg, msg_len);
  return OK;
}

export function iacsec_sha512(out: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, SHA512_BYTES) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, SHA512_BYTES, msg, msg_len)) return ERR_INVALID;
  sha512(out, msg, msg_len);
  return OK;
}

// ---- streaming digests: init returns a handle; final and abort free it ----

export function iacsec_sha256_init(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  const h = slot_acquire(SHA256_META);
  if (h > 0) sha256_init(SHA256_SLOTS + <usize>slot_lookup(SHA256_META, h) * SHA256_STATE_BYTES);
  return h;
}

export function iacsec_sha256_update(handle: i32, msg: u32, msg_len: u32): i32 {
  const i = slot_lookup(SHA256_META, handle);
  if (i < 0) return ERR_STATE;
  if (!in_io(msg, msg_len)) return ERR_BOUNDS;
  sha256_update(SHA256_SLOTS + <usize>i * SHA256_STATE_BYTES, msg, msg_len);
  return OK;
}

export function iacsec_sha256_final(handle: i32, out: u32): i32 {
  const i = slot_lookup(SHA256_META, handle);
  if (i < 0) return ERR_STATE;
  if (!in_io(out, SHA256_BYTES)) return ERR_BOUNDS;
  const st = SHA256_SLOTS + <usize>i * SHA256_STATE_BYTES;
  sha256_final(st, out);
  wipe(st, SHA256_STATE_BYTES);
  slot_release(SHA256_META, i);
  return OK;
}

export function iacsec_sha256_abort(handle: i32): i32 {
  const i = slot_lookup(SHA256_META, handle);
  if (i < 0) return ERR_STATE;
  wipe(SHA256_SLOTS + <usize>i * SHA256_STATE_BYTES, SHA256_STATE_BYTES);
  slot_release(SHA256_META, i);
  return OK;
}

export function iacsec_sha512_init(): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  const h = slot_acquire(SHA512_META);
  if (h > 0) sha512_init(SHA512_SLOTS + <usize>slot_lookup(SHA512_META, h) * SHA512_STATE_BYTES);
  return h;
}

export function iacsec_sha512_update(handle: i32, msg: u32, msg_len: u32): i32 {
  const i = slot_lookup(SHA512_META, handle);
  if (i < 0) return ERR_STATE;
  if (!in_io(msg, msg_len)) return ERR_BOUNDS;
  sha512_update(SHA512_SLOTS + <usize>i * SHA512_STATE_BYTES, msg, msg_len);
  return OK;
}

export function iacsec_sha512_final(handle: i32, out: u32): i32 {
  const i = slot_lookup(SHA512_META, handle);
  if (i < 0) return ERR_STATE;
  if (!in_io(out, SHA512_BYTES)) return ERR_BOUNDS;
  const st = SHA512_SLOTS + <usize>i * SHA512_STATE_BYTES;
  sha512_final(st, out);
  wipe(st, SHA512_STATE_BYTES);
  slot_release(SHA512_META, i);
  return OK;
}

export function iacsec_sha512_abort(handle: i32): i32 {
  const i = slot_lookup(SHA512_META, handle);
  if (i < 0) return ERR_STATE;
  wipe(SHA512_SLOTS + <usize>i * SHA512_STATE_BYTES, SHA512_STATE_BYTES);
  slot_release(SHA512_META, i);
  return OK;
}

// ---- MAC and key derivation ----

export function iacsec_hmac_sha256(out: u32, key: u32, key_len: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, SHA256_BYTES) || !in_io(key, key_len) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, SHA256_BYTES, key, key_len) || overlaps(out, SHA256_BYTES, msg, msg_len)) return ERR_INVALID;
  hmac_sha256(out, key, key_len, msg, msg_len);
  return OK;
}

export function iacsec_hmac_sha512(out: u32, key: u32, key_len: u32, msg: u32, msg_len: u32): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, SHA512_BYTES) || !in_io(key, key_len) || !in_io(msg, msg_len)) return ERR_BOUNDS;
  if (overlaps(out, SHA512_BYTES, key, key_len) || overlaps(out, SHA512_BYTES, msg, msg_len)) return ERR_INVALID;
  hmac_sha512(out, key, key_len, msg, msg_len);
  return OK;
}

export function iacsec_pbkdf2_sha256(
  out: u32, out_len: u32, password: u32, password_len: u32, salt: u32, salt_len: u32, iterations: u32,
): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_len) || !in_io(password, password_len) || !in_io(salt, salt_len)) return ERR_BOUNDS;
  if (out_len == 0) return ERR_LENGTH;
  if (iterations == 0 || iterations > PBKDF2_MAX_ITERATIONS) return ERR_INVALID;
  if (overlaps(out, out_len, password, password_len) || overlaps(out, out_len, salt, salt_len)) return ERR_INVALID;
  pbkdf2_sha256(out, out_len, password, password_len, salt, salt_len, iterations);
  return OK;
}

export function iacsec_hkdf_sha256(
  out: u32, out_len: u32, ikm: u32, ikm_len: u32, salt: u32, salt_len: u32, info: u32, info_len: u32,
): i32 {
  if (!selftest_passed()) return ERR_SELFTEST;
  if (!in_io(out, out_len) || !in_io(ikm, ikm_len) || !in_io(salt, salt_len) || !in_io(info, info_len)) return ERR_BOUNDS;
  if (out_len == 0 || out_len > HKDF_SHA256_MAX_BYTES) return ERR_LENGTH;
  if (overlaps(out, out_len, ikm, ikm_len) || overlaps(out, out_len, salt, salt_len) || overlaps(out, out_len, info, info_len)) return ERR_INVALID;
  return hkdf_sha256(out, out_len, ikm, ikm_len, salt, salt_len, info, info_len);
}
