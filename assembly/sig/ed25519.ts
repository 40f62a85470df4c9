// Ed25519 signatures, RFC 8032 section 5.1 (pure EdDSA, no context or prehash).
import { OK, ERR_INVALID } from "../status";
import { ct_eq, wipe } from "../_mem";
import { sha512, sha512_init, sha512_update, sha512_final } from "../hash/sha512";
import { fe_bytes_canonical_vartime } from "./_fe25519";
import {
  ge_frombytes_negate_vartime, ge_has_small_order_vartime, ge_double_scalarmult_vartime,
  ge_scalarmult_base, ge_tobytes,
} from "./_ge25519";
import { sc_reduce, sc_muladd, sc_is_canonical_vartime } from "./_sc25519";

/** SHA-512 context (SHA512_STATE_BYTES). */
// @ts-ignore: decorator
@lazy const HST: usize = memory.data(256, 8);
/** A 64-byte digest. */
// @ts-ignore: decorator
@lazy const DIG: usize = memory.data(64, 8);
/** Expanded secret: clamped scalar s (32 bytes), then prefix (32 bytes). */
// @ts-ignore: decorator
@lazy const AZ: usize = memory.data(64, 8);
/** Nonce r, challenge k: reduced scalars. */
// @ts-ignore: decorator
@lazy const NONCE: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const K: usize = memory.data(32, 8);
/** A point (p3 or p2). */
// @ts-ignore: decorator
@lazy const PT: usize = memory.data(160, 8);
/** [S]B - [k]A (p2), in the verifier. */
// @ts-ignore: decorator
@lazy const VP2: usize = memory.data(120, 8);
/** R as encoded by the signer, or as recomputed by the verifier. */
// @ts-ignore: decorator
@lazy const RENC: usize = memory.data(32, 8);
/** Signature under construction (R, S): written to the caller only when complete. */
// @ts-ignore: decorator
@lazy const SIG: usize = memory.data(64, 8);
/** One-entry cache: the last seed seen and its public key; CACHE_FULL = 1 once filled. */
// @ts-ignore: decorator
@lazy const CACHE_SEED: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const CACHE_PK: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const CACHE_FULL: usize = memory.data(8, 8);

/** AZ = SHA-512(seed), with the scalar half clamped (RFC 8032 section 5.1.5 steps 1-2). */
function expand_seed(seed: usize): void {
  sha512(AZ, seed, 32);
  store<u8>(AZ, load<u8>(AZ) & 248);
  store<u8>(AZ + 31, (load<u8>(AZ + 31) & 127) | 64);
}

/** CACHE_PK = encoding of [s]B for the expanded seed in AZ; remembers seed. */
function fill_cache(seed: usize): void {
  ge_scalarmult_base(PT, AZ);
  ge_tobytes(CACHE_PK, PT);
  wipe(PT, 160);
  memory.copy(CACHE_SEED, seed, 32);
  store<u64>(CACHE_FULL, 1);
}

/** Makes CACHE_PK the public key of seed, with AZ already expanded from seed. */
function public_key_cached(seed: usize): void {
  // Constant-time comparison: the seed is secret. The branch that follows
  // reveals, by its timing, only whether this seed is the one of the last
  // call ("same key as before"), never anything about the seed itself.
  const hit = <u64>(ct_eq(seed, CACHE_SEED, 32) + 1) & load<u64>(CACHE_FULL);
  if (hit == 0) fill_cache(seed);
}

/** Writes the 32-byte public key of the 32-byte seed (RFC 8032 section 5.1.5). */
export function ed25519_public_key(pk_out: usize, seed: usize): void {
  expand_seed(seed);
  public_key_cached(seed);
  wipe(AZ, 64);
  memory.copy(pk_out, CACHE_PK, 32);
}

/** Erases the cached seed and public key (for key zeroization). */
export function ed25519_clear_cache(): void {
  wipe(CACHE_SEED, 32);
  wipe(CACHE_PK, 32);
  store<u64>(CACHE_FULL, 0);
}

/**
 * Writes the 64-byte signature of msg under the key derived from the 32-byte
 * seed (RFC 8032 section 5.1.6). Constant time in the seed and the nonce;
 * the public key is derived here, never taken from the caller, since signing
 * with a mismatched public key would reveal the secret scalar.
 */
export function ed25519_sign(sig_out: usize, seed: usize, msg: usize, msglen: usize): void {
  expand_seed(seed);
  public_key_cached(seed);
  // r = SHA-512(prefix || M) mod L
  sha512_init(HST);
  sha512_update(HST, AZ + 32, 32);
  sha512_update(HST, msg, msglen);
  sha512_final(HST, DIG);
  sc_reduce(NONCE, DIG);
  // R = [r]B
  ge_scalarmult_base(PT, NONCE);
  ge_tobytes(SIG, PT);
  // k = SHA-512(R || A || M) mod L
  sha512_init(HST);
  sha512_update(HST, SIG, 32);
  sha512_update(HST, CACHE_PK, 32);
  sha512_update(HST, msg, msglen);
  sha512_final(HST, DIG);
  sc_reduce(K, DIG);
  // S = (r + k s) mod L
  sc_muladd(SIG + 32, K, AZ, NONCE);
  memory.copy(sig_out, SIG, 64);
  wipe(AZ, 64);
  wipe(NONCE, 32);
  wipe(DIG, 64);
  wipe(HST, 256);
  wipe(PT, 160);
  wipe(SIG, 64);
}

/**
 * Verifies the 64-byte signature sig of msg under the 32-byte public key pk
 * (RFC 8032 section 5.1.7). Returns OK or ERR_INVALID.
 * Policy:
 *  - S >= L is rejected (section 5.1.7 step 1; stops malleability, section 8.4);
 *  - a non-canonical A (y >= p, section 5.1.3 step 1) or one that is not a point is rejected;
 *  - an A of small order (1, 2, 4 or 8) is rejected: with it, one signature
 *    verifies for many messages;
 *  - the cofactorless equation [S]B = R + [k]A is checked by encoding
 *    [S]B - [k]A and comparing its bytes with R, which also rejects any
 *    non-canonical or off-curve R. A of mixed order is accepted when the
 *    equation holds exactly.
 */
export function ed25519_verify(pk: usize, msg: usize, msglen: usize, sig: usize): i32 {
  if (!sc_is_canonical_vartime(sig + 32)) return ERR_INVALID;
  if (!fe_bytes_canonical_vartime(pk)) return ERR_INVALID;
  if (ge_frombytes_negate_vartime(PT, pk) != 0) return ERR_INVALID;
  if (ge_has_small_order_vartime(PT)) return ERR_INVALID;
  sha512_init(HST);
  sha512_update(HST, sig, 32);
  sha512_update(HST, pk, 32);
  sha512_update(HST, msg, msglen);
  sha512_final(HST, DIG);
  sc_reduce(K, DIG);
  ge_double_scalarmult_vartime(VP2, K, PT, sig + 32);
  ge_tobytes(RENC, VP2);
  return ct_eq(RENC, sig, 32) == 0 ? OK : ERR_INVALID;
}
