// SipHash-2-4 (Aumasson and Bernstein, 2012): the keyed hash that names a
// source address in the rate-limit and failed-login tables. The key is
// random per device (from the host's CSPRNG) and kept in the sealed state, so
// that nobody outside can choose addresses that collide in the tables.

import { random_fill } from "../auth/_random";

// @ts-ignore: decorator
@lazy const KEY: usize = memory.data(16, 16);
// @ts-ignore: decorator
@lazy const TAIL: usize = memory.data(8, 8);
let keyed: bool = false;

export function siphash_key_ptr(): usize { return KEY; }
export function siphash_key_ready(): bool { return keyed; }
export function siphash_key_loaded(): void { keyed = true; }
export function siphash_key_reset(): void { memory.fill(KEY, 0, 16); keyed = false; }

/** Draws the key on first use; false when the host gave no randomness. */
export function siphash_ensure_key(): bool {
  if (keyed) return true;
  if (!random_fill(KEY, 16)) return false;
  keyed = true;
  return true;
}

// @ts-ignore: decorator
@inline function rotl64(x: u64, b: u64): u64 { return (x << b) | (x >> (64 - b)); }

/** SipHash-2-4 of n bytes at p under the 16-byte key at k. */
export function siphash24(k: usize, p: usize, n: usize): u64 {
  const k0 = load<u64>(k), k1 = load<u64>(k + 8);
  let v0: u64 = 0x736f6d6570736575 ^ k0;
  let v1: u64 = 0x646f72616e646f6d ^ k1;
  let v2: u64 = 0x6c7967656e657261 ^ k0;
  let v3: u64 = 0x7465646279746573 ^ k1;
  const end = n & ~(<usize>7);
  for (let i: usize = 0; i <= end; i += 8) {
    let m: u64;
    if (i < end) m = load<u64>(p + i);
    else {
      store<u64>(TAIL, 0);
      memory.copy(TAIL, p + i, n - end);
      m = load<u64>(TAIL) | (<u64>(n & 0xff) << 56);
    }
    v3 ^= m;
    for (let r = 0; r < 2; r++) {
      v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);
      v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;
      v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;
      v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);
    }
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 4; r++) {
    v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);
    v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;
    v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;
    v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);
  }
  return v0 ^ v1 ^ v2 ^ v3;
}

/** The table key of a source address: never 0 (0 marks a free record). */
export function source_key(p: usize, n: usize): u64 {
  const h = siphash24(KEY, p, n);
  return h == 0 ? 1 : h;
}
