// SHA-256, FIPS 180-4 sections 5.1.1 (padding), 6.2 (hash computation).
import { wipe } from "../_mem";
import { bswap32, bswap64 } from "./_bswap";
import {
  sha256_compress,
  SHA256_IV0, SHA256_IV1, SHA256_IV2, SHA256_IV3,
  SHA256_IV4, SHA256_IV5, SHA256_IV6, SHA256_IV7,
} from "./_sha256_block";

export { sha256_compress };

export const SHA256_DIGEST_BYTES: usize = 32;
export const SHA256_BLOCK_BYTES: usize = 64;
/**
 * Streaming context, in caller-provided memory (8-byte aligned is enough):
 *   [ 0,  32)  chaining value H, eight u32 words, native (little-endian) order
 *   [32,  40)  total message length in bytes, u64
 *   [40,  44)  bytes waiting in the block buffer (0..63), u32
 *   [44,  64)  unused
 *   [64, 128)  block buffer
 */
export const SHA256_STATE_BYTES: usize = 128;

// @ts-ignore: decorator
@inline const LEN: usize = 32;
// @ts-ignore: decorator
@inline const NBUF: usize = 40;
// @ts-ignore: decorator
@inline const BUF: usize = 64;

/** Scratch context for the one-shot sha256(); wiped after each use. */
// @ts-ignore: decorator
@lazy const ONESHOT: usize = memory.data(128, 16);

/** H(0) as stored in a context. */
// @ts-ignore: decorator
@lazy const IV: usize = memory.data<u32>([
  SHA256_IV0, SHA256_IV1, SHA256_IV2, SHA256_IV3, SHA256_IV4, SHA256_IV5, SHA256_IV6, SHA256_IV7,
]);

export function sha256_init(st: usize): void {
  memory.copy(st, IV, 32);
  store<u64>(st, 0, LEN);
  store<u32>(st, 0, NBUF);
}

export function sha256_update(st: usize, msg: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(st, load<u64>(st, LEN) + <u64>len, LEN);
  let n = <usize>load<u32>(st, NBUF);
  if (n) {
    let take = SHA256_BLOCK_BYTES - n;
    if (take > len) take = len;
    memory.copy(st + BUF + n, msg, take);
    n += take;
    msg += take;
    len -= take;
    if (n < SHA256_BLOCK_BYTES) {
      store<u32>(st, <u32>n, NBUF);
      return;
    }
    sha256_compress(st, st + BUF, 1);
  }
  const nb = len >> 6;
  if (nb) {
    sha256_compress(st, msg, nb);
    msg += nb << 6;
    len &= 63;
  }
  if (len) memory.copy(st + BUF, msg, len);
  store<u32>(st, <u32>len, NBUF);
}

/**
 * Appends the padding (FIPS 180-4 section 5.1.1: 0x80, zeros, the 64-bit
 * big-endian bit length) and hashes it; the digest is then the chaining value
 * words of `st`. The block buffer is left zeroed.
 */
export function sha256_pad(st: usize): void {
  const total = load<u64>(st, LEN);
  const buf = st + BUF;
  let n = <usize>load<u32>(st, NBUF);
  store<u8>(buf + n, 0x80);
  n++;
  if (n > 56) {
    memory.fill(buf + n, 0, 64 - n);
    sha256_compress(st, buf, 1);
    n = 0;
  }
  memory.fill(buf + n, 0, 56 - n);
  store<u64>(buf, bswap64(total << 3), 56);
  sha256_compress(st, buf, 1);
  memory.fill(buf, 0, 64);
}

/** Writes the big-endian digest of the chaining value at st to out (may be the same). */
export function sha256_store_digest(st: usize, out: usize): void {
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap32(load<u32>(st + i)));
}

/** Writes the 32-byte digest to out and wipes the whole context. */
export function sha256_final(st: usize, out: usize): void {
  sha256_pad(st);
  sha256_store_digest(st, out);
  wipe(st, SHA256_STATE_BYTES);
}

/** One-shot SHA-256 of len bytes at msg into out (32 bytes). */
export function sha256(out: usize, msg: usize, len: usize): void {
  const st = ONESHOT;
  sha256_init(st);
  // Whole blocks straight from the input; only the tail is copied.
  const nb = len >> 6;
  if (nb) sha256_compress(st, msg, nb);
  const rest = len & 63;
  if (rest) memory.copy(st + BUF, msg + (nb << 6), rest);
  store<u64>(st, <u64>len, LEN);
  store<u32>(st, <u32>rest, NBUF);
  sha256_final(st, out);
}
