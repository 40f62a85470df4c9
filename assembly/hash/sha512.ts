// SHA-512, FIPS 180-4 sections 5.1.2 (padding), 6.4 (hash computation).
import { wipe } from "../_mem";
import { bswap64 } from "./_bswap";
import {
  sha512_compress,
  SHA512_IV0, SHA512_IV1, SHA512_IV2, SHA512_IV3,
  SHA512_IV4, SHA512_IV5, SHA512_IV6, SHA512_IV7,
} from "./_sha512_block";

export { sha512_compress };

export const SHA512_DIGEST_BYTES: usize = 64;
export const SHA512_BLOCK_BYTES: usize = 128;
/**
 * Streaming context, in caller-provided memory (8-byte aligned is enough):
 *   [  0,  64)  chaining value H, eight u64 words, native (little-endian) order
 *   [ 64,  72)  total message length in bytes, u64
 *   [ 72,  76)  bytes waiting in the block buffer (0..127), u32
 *   [ 76, 128)  unused
 *   [128, 256)  block buffer
 */
export const SHA512_STATE_BYTES: usize = 256;

// @ts-ignore: decorator
@inline const LEN: usize = 64;
// @ts-ignore: decorator
@inline const NBUF: usize = 72;
// @ts-ignore: decorator
@inline const BUF: usize = 128;

/** Scratch context for the one-shot sha512(); wiped after each use. */
// @ts-ignore: decorator
@lazy const ONESHOT: usize = memory.data(256, 16);

/** H(0) as stored in a context. */
// @ts-ignore: decorator
@lazy const IV: usize = memory.data<u64>([
  SHA512_IV0, SHA512_IV1, SHA512_IV2, SHA512_IV3, SHA512_IV4, SHA512_IV5, SHA512_IV6, SHA512_IV7,
]);

export function sha512_init(st: usize): void {
  memory.copy(st, IV, 64);
  store<u64>(st, 0, LEN);
  store<u32>(st, 0, NBUF);
}

export function sha512_update(st: usize, msg: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(st, load<u64>(st, LEN) + <u64>len, LEN);
  let n = <usize>load<u32>(st, NBUF);
  if (n) {
    let take = SHA512_BLOCK_BYTES - n;
    if (take > len) take = len;
    memory.copy(st + BUF + n, msg, take);
    n += take;
    msg += take;
    len -= take;
    if (n < SHA512_BLOCK_BYTES) {
      store<u32>(st, <u32>n, NBUF);
      return;
    }
    sha512_compress(st, st + BUF, 1);
  }
  const nb = len >> 7;
  if (nb) {
    sha512_compress(st, msg, nb);
    msg += nb << 7;
    len &= 127;
  }
  if (len) memory.copy(st + BUF, msg, len);
  store<u32>(st, <u32>len, NBUF);
}

/**
 * Appends the padding (FIPS 180-4 section 5.1.2: 0x80, zeros, the 128-bit
 * big-endian bit length) and hashes it; the digest is then the chaining value
 * words of `st`. The block buffer is left zeroed.
 */
export function sha512_pad(st: usize): void {
  const total = load<u64>(st, LEN);
  const buf = st + BUF;
  let n = <usize>load<u32>(st, NBUF);
  store<u8>(buf + n, 0x80);
  n++;
  if (n > 112) {
    memory.fill(buf + n, 0, 128 - n);
    sha512_compress(st, buf, 1);
    n = 0;
  }
  memory.fill(buf + n, 0, 112 - n);
  store<u64>(buf, bswap64(total >>> 61), 112);
  store<u64>(buf, bswap64(total << 3), 120);
  sha512_compress(st, buf, 1);
  memory.fill(buf, 0, 128);
}

/** Writes the big-endian digest of the chaining value at st to out (may be the same). */
export function sha512_store_digest(st: usize, out: usize): void {
  for (let i: usize = 0; i < 64; i += 8) store<u64>(out + i, bswap64(load<u64>(st + i)));
}

/** Writes the 64-byte digest to out and wipes the whole context. */
export function sha512_final(st: usize, out: usize): void {
  sha512_pad(st);
  sha512_store_digest(st, out);
  wipe(st, SHA512_STATE_BYTES);
}

/** One-shot SHA-512 of len bytes at msg into out (64 bytes). */
export function sha512(out: usize, msg: usize, len: usize): void {
  const st = ONESHOT;
  sha512_init(st);
  // Whole blocks straight from the input; only the tail is copied.
  const nb = len >> 7;
  if (nb) sha512_compress(st, msg, nb);
  const rest = len & 127;
  if (rest) memory.copy(st + BUF, msg + (nb << 7), rest);
  store<u64>(st, <u64>len, LEN);
  store<u32>(st, <u32>rest, NBUF);
  sha512_final(st, out);
}
