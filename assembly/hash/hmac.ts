// HMAC-SHA256 and HMAC-SHA512, RFC 2104 section 2 (FIPS 198-1).
import { wipe } from "../_mem";
import {
  sha256_compress, sha256_init, sha256_update, sha256_pad, sha256_store_digest,
  SHA256_STATE_BYTES, SHA256_BLOCK_BYTES,
} from "./sha256";
import {
  sha512_compress, sha512_init, sha512_update, sha512_pad, sha512_store_digest,
  SHA512_STATE_BYTES, SHA512_BLOCK_BYTES,
} from "./sha512";

/**
 * HMAC-SHA256 context, in caller-provided memory (8-byte aligned):
 *   [  0, 128)  SHA-256 context of the inner hash, keyed with K ^ ipad
 *   [128, 160)  outer chaining value after the block K ^ opad (u32 words)
 * Holds key-equivalent secrets: hmac_sha256_final wipes it.
 */
export const HMAC_SHA256_STATE_BYTES: usize = SHA256_STATE_BYTES + 32;
/**
 * HMAC-SHA512 context, in caller-provided memory (8-byte aligned):
 *   [  0, 256)  SHA-512 context of the inner hash, keyed with K ^ ipad
 *   [256, 320)  outer chaining value after the block K ^ opad (u64 words)
 * Holds key-equivalent secrets: hmac_sha512_final wipes it.
 */
export const HMAC_SHA512_STATE_BYTES: usize = SHA512_STATE_BYTES + 64;

// @ts-ignore: decorator
@inline const O256: usize = SHA256_STATE_BYTES;
// @ts-ignore: decorator
@inline const O512: usize = SHA512_STATE_BYTES;
// Offsets inside the SHA-2 contexts (see sha256.ts / sha512.ts).
// @ts-ignore: decorator
@inline const BUF256: usize = 64;
// @ts-ignore: decorator
@inline const LEN256: usize = 32;
// @ts-ignore: decorator
@inline const BUF512: usize = 128;
// @ts-ignore: decorator
@inline const LEN512: usize = 64;

// @ts-ignore: decorator
@inline const OPAD: u64 = 0x5c5c5c5c5c5c5c5c;
// @ts-ignore: decorator
@inline const OPAD_TO_IPAD: u64 = 0x5c5c5c5c5c5c5c5c ^ 0x3636363636363636;

/** One-shot scratch contexts; wiped by the final step. */
// @ts-ignore: decorator
@lazy const ONESHOT256: usize = memory.data(<i32>HMAC_SHA256_STATE_BYTES, 16);
// @ts-ignore: decorator
@lazy const ONESHOT512: usize = memory.data(<i32>HMAC_SHA512_STATE_BYTES, 16);

// @ts-ignore: decorator
@inline function xor_block(p: usize, n: usize, m: u64): void {
  for (let i: usize = 0; i < n; i += 8) store<u64>(p + i, load<u64>(p + i) ^ m);
}

export function hmac_sha256_init(st: usize, key: usize, keylen: usize): void {
  const blk = st + BUF256;
  if (keylen > SHA256_BLOCK_BYTES) {
    // RFC 2104 section 2: keys longer than B bytes are first hashed.
    sha256_init(st);
    sha256_update(st, key, keylen);
    sha256_pad(st); // leaves the buffer zeroed
    sha256_store_digest(st, blk);
  } else {
    memory.copy(blk, key, keylen);
    memory.fill(blk + keylen, 0, SHA256_BLOCK_BYTES - keylen);
  }
  sha256_init(st);
  memory.copy(st + O256, st, 32);
  xor_block(blk, SHA256_BLOCK_BYTES, OPAD);
  sha256_compress(st + O256, blk, 1);
  xor_block(blk, SHA256_BLOCK_BYTES, OPAD_TO_IPAD);
  sha256_compress(st, blk, 1);
  wipe(blk, SHA256_BLOCK_BYTES);
  store<u64>(st, <u64>SHA256_BLOCK_BYTES, LEN256);
}

export function hmac_sha256_update(st: usize, msg: usize, len: usize): void {
  sha256_update(st, msg, len);
}

/** Writes the 32-byte tag to out and wipes the whole context. */
export function hmac_sha256_final(st: usize, out: usize): void {
  sha256_pad(st); // inner digest now in st[0, 32), buffer zeroed
  // Outer hash of K ^ opad || inner digest: one padded block after the key
  // block (FIPS 180-4 section 5.1.1: 0x80, zeros, 64-bit length in bits).
  const blk = st + BUF256;
  sha256_store_digest(st, blk);
  store<u8>(blk, 0x80, 32);
  store<u32>(blk, bswap<u32>(<u32>(SHA256_BLOCK_BYTES + 32) << 3), 60);
  memory.copy(st, st + O256, 32);
  sha256_compress(st, blk, 1);
  sha256_store_digest(st, out);
  wipe(st, HMAC_SHA256_STATE_BYTES);
}

/** One-shot HMAC-SHA256 (32-byte tag). */
export function hmac_sha256(out: usize, key: usize, keylen: usize, msg: usize, len: usize): void {
  const st = ONESHOT256;
  hmac_sha256_init(st, key, keylen);
  sha256_update(st, msg, len);
  hmac_sha256_final(st, out);
}

export function hmac_sha512_init(st: usize, key: usize, keylen: usize): void {
  const blk = st + BUF512;
  if (keylen > SHA512_BLOCK_BYTES) {
    // RFC 2104 section 2: keys longer than B bytes are first hashed.
    sha512_init(st);
    sha512_update(st, key, keylen);
    sha512_pad(st); // leaves the buffer zeroed
    sha512_store_digest(st, blk);
  } else {
    memory.copy(blk, key, keylen);
    memory.fill(blk + keylen, 0, SHA512_BLOCK_BYTES - keylen);
  }
  sha512_init(st);
  memory.copy(st + O512, st, 64);
  xor_block(blk, SHA512_BLOCK_BYTES, OPAD);
  sha512_compress(st + O512, blk, 1);
  xor_block(blk, SHA512_BLOCK_BYTES, OPAD_TO_IPAD);
  sha512_compress(st, blk, 1);
  wipe(blk, SHA512_BLOCK_BYTES);
  store<u64>(st, <u64>SHA512_BLOCK_BYTES, LEN512);
}

export function hmac_sha512_update(st: usize, msg: usize, len: usize): void {
  sha512_update(st, msg, len);
}

/** Writes the 64-byte tag to out and wipes the whole context. */
export function hmac_sha512_final(st: usize, out: usize): void {
  sha512_pad(st); // inner digest now in st[0, 64), buffer zeroed
  // Outer hash of K ^ opad || inner digest: one padded block after the key
  // block (FIPS 180-4 section 5.1.2: 0x80, zeros, 128-bit length in bits).
  const blk = st + BUF512;
  sha512_store_digest(st, blk);
  store<u8>(blk, 0x80, 64);
  store<u64>(blk, bswap<u64>(<u64>(SHA512_BLOCK_BYTES + 64) << 3), 120);
  memory.copy(st, st + O512, 64);
  sha512_compress(st, blk, 1);
  sha512_store_digest(st, out);
  wipe(st, HMAC_SHA512_STATE_BYTES);
}

/** One-shot HMAC-SHA512 (64-byte tag). */
export function hmac_sha512(out: usize, key: usize, keylen: usize, msg: usize, len: usize): void {
  const st = ONESHOT512;
  hmac_sha512_init(st, key, keylen);
  sha512_update(st, msg, len);
  hmac_sha512_final(st, out);
}
