// SHA-1, FIPS 180-4 sections 5.1.1 (padding), 6.1 (hash computation).
// In the module only for HMAC-SHA1 in TOTP/HOTP (RFC 6238, RFC 4226), where
// authenticator apps still default to it; HMAC-SHA1 does not rely on SHA-1's
// collision resistance (RFC 6194 section 3.3). Never use it for signatures.
import { wipe } from "../_mem";

export const SHA1_DIGEST_BYTES: usize = 20;
export const SHA1_BLOCK_BYTES: usize = 64;
/**
 * Streaming context, in caller-provided memory (8-byte aligned):
 *   [ 0,  20)  chaining value H, five u32 words, native order
 *   [24,  32)  total message length in bytes, u64
 *   [32,  36)  bytes waiting in the block buffer (0..63), u32
 *   [64, 128)  block buffer
 */
export const SHA1_STATE_BYTES: usize = 128;

// @ts-ignore: decorator
@inline const LEN: usize = 24;
// @ts-ignore: decorator
@inline const NBUF: usize = 32;
// @ts-ignore: decorator
@inline const BUF: usize = 64;

/** Message schedule W[0..80). */
// @ts-ignore: decorator
@lazy const W: usize = memory.data(320, 16);
// @ts-ignore: decorator
@lazy const ONESHOT: usize = memory.data(128, 16);

/** Compresses nb 64-byte blocks at p into the chaining value at st. */
export function sha1_compress(st: usize, p: usize, nb: usize): void {
  let h0 = load<u32>(st, 0), h1 = load<u32>(st, 4), h2 = load<u32>(st, 8), h3 = load<u32>(st, 12), h4 = load<u32>(st, 16);
  for (let b: usize = 0; b < nb; b++) {
    const blk = p + (b << 6);
    for (let t: usize = 0; t < 16; t++) store<u32>(W + (t << 2), bswap<u32>(load<u32>(blk + (t << 2))));
    for (let t: usize = 16; t < 80; t++) {
      const x = load<u32>(W + ((t - 3) << 2)) ^ load<u32>(W + ((t - 8) << 2))
        ^ load<u32>(W + ((t - 14) << 2)) ^ load<u32>(W + ((t - 16) << 2));
      store<u32>(W + (t << 2), rotl<u32>(x, 1));
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4;
    for (let t: usize = 0; t < 80; t++) {
      let f: u32, k: u32;
      if (t < 20) { f = (bb & c) | (~bb & d); k = 0x5a827999; }
      else if (t < 40) { f = bb ^ c ^ d; k = 0x6ed9eba1; }
      else if (t < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = bb ^ c ^ d; k = 0xca62c1d6; }
      const tmp = rotl<u32>(a, 5) + f + e + k + load<u32>(W + (t << 2));
      e = d; d = c; c = rotl<u32>(bb, 30); bb = a; a = tmp;
    }
    h0 += a; h1 += bb; h2 += c; h3 += d; h4 += e;
  }
  store<u32>(st, h0, 0); store<u32>(st, h1, 4); store<u32>(st, h2, 8); store<u32>(st, h3, 12); store<u32>(st, h4, 16);
  wipe(W, 320);
}

export function sha1_init(st: usize): void {
  store<u32>(st, 0x67452301, 0);
  store<u32>(st, 0xefcdab89, 4);
  store<u32>(st, 0x98badcfe, 8);
  store<u32>(st, 0x10325476, 12);
  store<u32>(st, 0xc3d2e1f0, 16);
  store<u64>(st, 0, LEN);
  store<u32>(st, 0, NBUF);
}

export function sha1_update(st: usize, msg: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(st, load<u64>(st, LEN) + <u64>len, LEN);
  let n = <usize>load<u32>(st, NBUF);
  if (n) {
    let take = SHA1_BLOCK_BYTES - n;
    if (take > len) take = len;
    memory.copy(st + BUF + n, msg, take);
    n += take;
    msg += take;
    len -= take;
    if (n < SHA1_BLOCK_BYTES) {
      store<u32>(st, <u32>n, NBUF);
      return;
    }
    sha1_compress(st, st + BUF, 1);
  }
  const nb = len >> 6;
  if (nb) {
    sha1_compress(st, msg, nb);
    msg += nb << 6;
    len &= 63;
  }
  if (len) memory.copy(st + BUF, msg, len);
  store<u32>(st, <u32>len, NBUF);
}

/** Padding (0x80, zeros, 64-bit big-endian bit length); leaves the buffer zeroed. */
export function sha1_pad(st: usize): void {
  const total = load<u64>(st, LEN);
  const buf = st + BUF;
  let n = <usize>load<u32>(st, NBUF);
  store<u8>(buf + n, 0x80);
  n++;
  if (n > 56) {
    memory.fill(buf + n, 0, 64 - n);
    sha1_compress(st, buf, 1);
    n = 0;
  }
  memory.fill(buf + n, 0, 56 - n);
  store<u64>(buf, bswap<u64>(total << 3), 56);
  sha1_compress(st, buf, 1);
  memory.fill(buf, 0, 64);
}

export function sha1_store_digest(st: usize, out: usize): void {
  for (let i: usize = 0; i < 20; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(st + i)));
}

/** Writes the 20-byte digest to out and wipes the context. */
export function sha1_final(st: usize, out: usize): void {
  sha1_pad(st);
  sha1_store_digest(st, out);
  wipe(st, SHA1_STATE_BYTES);
}

/** One-shot SHA-1 of len bytes at msg into out (20 bytes). */
export function sha1(out: usize, msg: usize, len: usize): void {
  sha1_init(ONESHOT);
  sha1_update(ONESHOT, msg, len);
  sha1_final(ONESHOT, out);
}
