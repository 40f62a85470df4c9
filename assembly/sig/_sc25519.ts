// Arithmetic modulo L = 2^252 + 27742317777372353535851937790883648493, the
// order of the base point of edwards25519 (RFC 8032 section 5.1). Scalars are
// 32 little-endian bytes; the work is done in 21-bit limbs in i64.
// Constant time: no branch or index depends on limb values.

/** 24 limbs of the value being reduced. */
// @ts-ignore: decorator
@lazy const S: usize = memory.data(24 * 8, 8);
// @ts-ignore: decorator
@lazy const LA: usize = memory.data(12 * 8, 8);
// @ts-ignore: decorator
@lazy const LB: usize = memory.data(12 * 8, 8);

// @ts-ignore: decorator
@inline function limb(i: usize): i64 { return load<i64>(S + (i << 3)); }
// @ts-ignore: decorator
@inline function set(i: usize, v: i64): void { store<i64>(S + (i << 3), v); }

/** s[k] 2^(21k) for k >= 12 folded down with 2^252 = -(L - 2^252) mod L. */
// @ts-ignore: decorator
@inline function fold(k: usize): void {
  const c = limb(k);
  set(k - 12, limb(k - 12) + c * 666643);
  set(k - 11, limb(k - 11) + c * 470296);
  set(k - 10, limb(k - 10) + c * 654183);
  set(k - 9, limb(k - 9) - c * 997805);
  set(k - 8, limb(k - 8) + c * 136657);
  set(k - 7, limb(k - 7) - c * 683901);
  set(k, 0);
}

/** Rounding carry from limb i into i + 1 (limb i ends in [-2^20, 2^20)). */
// @ts-ignore: decorator
@inline function carry_round(i: usize): void {
  const c = (limb(i) + (1 << 20)) >> 21;
  set(i + 1, limb(i + 1) + c);
  set(i, limb(i) - (c << 21));
}

/** Floor carry from limb i into i + 1 (limb i ends in [0, 2^21)). */
// @ts-ignore: decorator
@inline function carry_floor(i: usize): void {
  const c = limb(i) >> 21;
  set(i + 1, limb(i + 1) + c);
  set(i, limb(i) & 0x1fffff);
}

/** Reduces S (limbs 0..23, each |limb| < 2^30) mod L and writes 32 bytes to out. */
function reduce_store(out: usize): void {
  for (let k: usize = 23; k >= 18; k--) fold(k);
  for (let i: usize = 6; i <= 16; i += 2) carry_round(i);
  for (let i: usize = 7; i <= 15; i += 2) carry_round(i);
  for (let k: usize = 17; k >= 12; k--) fold(k);
  for (let i: usize = 0; i <= 10; i += 2) carry_round(i);
  for (let i: usize = 1; i <= 11; i += 2) carry_round(i);
  fold(12);
  for (let i: usize = 0; i <= 11; i++) carry_floor(i);
  fold(12);
  for (let i: usize = 0; i <= 10; i++) carry_floor(i);
  // 12 limbs of 21 bits = 252 bits.
  let acc: u64 = 0;
  let nbits: u32 = 0;
  let o: usize = 0;
  for (let i: usize = 0; i < 12; i++) {
    acc |= <u64>limb(i) << nbits;
    nbits += 21;
    while (nbits >= 8) {
      store<u8>(out + o++, <u8>acc);
      acc >>= 8;
      nbits -= 8;
    }
  }
  store<u8>(out + 31, <u8>acc);
  memory.fill(S, 0, 24 * 8);
}

/** Loads a 32-byte scalar into 12 limbs at d (limb 11 takes the top 25 bits). */
function load12(d: usize, s: usize): void {
  for (let i: usize = 0; i < 11; i++) {
    const bit = i * 21;
    store<i64>(d + (i << 3), <i64>((load<u32>(s + (bit >> 3)) >> <u32>(bit & 7)) & 0x1fffff));
  }
  store<i64>(d + 88, <i64>(load<u32>(s + 28) >> 7));
}

/** out (32 bytes) = s (64 bytes, little-endian) mod L. */
export function sc_reduce(out: usize, s: usize): void {
  for (let i: usize = 0; i < 23; i++) {
    const bit = i * 21;
    set(i, <i64>((load<u32>(s + (bit >> 3)) >> <u32>(bit & 7)) & 0x1fffff));
  }
  set(23, <i64>(load<u32>(s + 60) >> 3));
  reduce_store(out);
}

/** out = (a b + c) mod L for 32-byte scalars a, b, c. */
export function sc_muladd(out: usize, a: usize, b: usize, c: usize): void {
  load12(LA, a);
  load12(LB, b);
  load12(S, c);
  for (let i: usize = 12; i < 24; i++) set(i, 0);
  for (let i: usize = 0; i < 12; i++) {
    const ai = load<i64>(LA + (i << 3));
    for (let j: usize = 0; j < 12; j++) {
      set(i + j, limb(i + j) + ai * load<i64>(LB + (j << 3)));
    }
  }
  for (let i: usize = 0; i <= 22; i += 2) carry_round(i);
  for (let i: usize = 1; i <= 21; i += 2) carry_round(i);
  memory.fill(LA, 0, 96);
  memory.fill(LB, 0, 96);
  reduce_store(out);
}

/** 1 when the 32-byte little-endian s is below L (RFC 8032 section 5.1.7), else 0. Public data only. */
export function sc_is_canonical_vartime(s: usize): i32 {
  // L, as four little-endian u64 words.
  const l0: u64 = 0x5812631a5cf5d3ed, l1: u64 = 0x14def9dea2f79cd6;
  const l2: u64 = 0, l3: u64 = 0x1000000000000000;
  const s0 = load<u64>(s, 0), s1 = load<u64>(s, 8), s2 = load<u64>(s, 16), s3 = load<u64>(s, 24);
  if (s3 != l3) return s3 < l3 ? 1 : 0;
  if (s2 != l2) return s2 < l2 ? 1 : 0;
  if (s1 != l1) return s1 < l1 ? 1 : 0;
  return s0 < l0 ? 1 : 0;
}
