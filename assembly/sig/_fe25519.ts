// Arithmetic in GF(p), p = 2^255 - 19 (RFC 7748 section 4.1, RFC 8032 section 5.1).
// An element is ten signed 32-bit limbs at a 40-byte slot, radix 2^25.5:
// limb i holds bits [ceil(25.5 i), ceil(25.5 (i+1))), 26 bits for even i, 25 for odd.
// Products are formed in i64. Every function here except the _vartime one runs
// in time independent of the values (no branches or indexes on limb data).

// @ts-ignore: decorator
@inline export const FE_BYTES: usize = 40;

// @ts-ignore: decorator
@lazy const T0: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const T1: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const T2: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const T3: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const TB: usize = memory.data(32, 8);

export function fe_0(h: usize): void {
  memory.fill(h, 0, 40);
}

export function fe_1(h: usize): void {
  memory.fill(h, 0, 40);
  store<i32>(h, 1);
}

// @ts-ignore: decorator
@inline export function fe_copy(h: usize, f: usize): void {
  memory.copy(h, f, 40);
}

/** h = f + g, no carry. */
export function fe_add(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) + load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) + load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) + load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) + load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) + load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) + load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) + load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) + load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) + load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) + load<i32>(g, 36), 36);
}

/** h = f - g, no carry. */
export function fe_sub(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) - load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) - load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) - load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) - load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) - load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) - load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) - load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) - load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) - load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) - load<i32>(g, 36), 36);
}

/** h = -f. */
export function fe_neg(h: usize, f: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

/** f = b ? g : f, for b in {0, 1}, without a branch. */
export function fe_cmov(f: usize, g: usize, b: u32): void {
  const m: u64 = 0 - <u64>b;
  for (let i: usize = 0; i < 40; i += 8) {
    const x = load<u64>(f + i);
    store<u64>(f + i, x ^ ((x ^ load<u64>(g + i)) & m));
  }
}

/** Loads 32 little-endian bytes, ignoring bit 255. */
export function fe_frombytes(h: usize, s: usize): void {
  store<i32>(h, load<u32>(s, 0) & 0x3ffffff, 0);
  store<i32>(h, (load<u32>(s, 3) >> 2) & 0x1ffffff, 4);
  store<i32>(h, (load<u32>(s, 6) >> 3) & 0x3ffffff, 8);
  store<i32>(h, (load<u32>(s, 9) >> 5) & 0x1ffffff, 12);
  store<i32>(h, (load<u32>(s, 12) >> 6) & 0x3ffffff, 16);
  store<i32>(h, load<u32>(s, 16) & 0x1ffffff, 20);
  store<i32>(h, (load<u32>(s, 19) >> 1) & 0x3ffffff, 24);
  store<i32>(h, (load<u32>(s, 22) >> 3) & 0x1ffffff, 28);
  store<i32>(h, (load<u32>(s, 25) >> 4) & 0x3ffffff, 32);
  store<i32>(h, (load<u32>(s, 28) >> 6) & 0x1ffffff, 36);
}

/**
 * True (1) when the 255-bit value in s (bit 255 ignored) is below p, the
 * canonical encoding RFC 8032 section 5.1.3 step 1 requires. Public data only.
 */
export function fe_bytes_canonical_vartime(s: usize): i32 {
  // y >= p only for y in [2^255 - 19, 2^255): bytes ed..ff, then ff..ff, then 7f.
  if ((load<u8>(s, 31) & 0x7f) != 0x7f) return 1;
  for (let i: usize = 1; i < 31; i++) if (load<u8>(s + i) != 0xff) return 1;
  return load<u8>(s) < 0xed ? 1 : 0;
}

/** Writes the canonical (fully reduced) 32-byte encoding of f. Limb bound: |limb| <= 4 * 2^26. */
export function fe_tobytes(s: usize, f: usize): void {
  // Adding 8p keeps every limb and the value non-negative.
  let h0: i64 = <i64>load<i32>(f, 0) + (0x3ffffed << 3);
  let h1: i64 = <i64>load<i32>(f, 4) + (0x1ffffff << 3);
  let h2: i64 = <i64>load<i32>(f, 8) + (0x3ffffff << 3);
  let h3: i64 = <i64>load<i32>(f, 12) + (0x1ffffff << 3);
  let h4: i64 = <i64>load<i32>(f, 16) + (0x3ffffff << 3);
  let h5: i64 = <i64>load<i32>(f, 20) + (0x1ffffff << 3);
  let h6: i64 = <i64>load<i32>(f, 24) + (0x3ffffff << 3);
  let h7: i64 = <i64>load<i32>(f, 28) + (0x1ffffff << 3);
  let h8: i64 = <i64>load<i32>(f, 32) + (0x3ffffff << 3);
  let h9: i64 = <i64>load<i32>(f, 36) + (0x1ffffff << 3);
  // Two passes of carries leave 0 <= h < 2^255 + 2^26, so h < 2p.
  for (let pass = 0; pass < 2; pass++) {
    h1 += h0 >> 26; h0 &= 0x3ffffff;
    h2 += h1 >> 25; h1 &= 0x1ffffff;
    h3 += h2 >> 26; h2 &= 0x3ffffff;
    h4 += h3 >> 25; h3 &= 0x1ffffff;
    h5 += h4 >> 26; h4 &= 0x3ffffff;
    h6 += h5 >> 25; h5 &= 0x1ffffff;
    h7 += h6 >> 26; h6 &= 0x3ffffff;
    h8 += h7 >> 25; h7 &= 0x1ffffff;
    h9 += h8 >> 26; h8 &= 0x3ffffff;
    h0 += (h9 >> 25) * 19; h9 &= 0x1ffffff;
  }
  // q = floor((h + 19) / 2^255) is 1 exactly when h >= p; then h - p = h + 19 - 2^255.
  let q = (h0 + 19) >> 26;
  q = (h1 + q) >> 25; q = (h2 + q) >> 26; q = (h3 + q) >> 25; q = (h4 + q) >> 26;
  q = (h5 + q) >> 25; q = (h6 + q) >> 26; q = (h7 + q) >> 25; q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  h0 += 19 * q;
  h1 += h0 >> 26; h0 &= 0x3ffffff;
  h2 += h1 >> 25; h1 &= 0x1ffffff;
  h3 += h2 >> 26; h2 &= 0x3ffffff;
  h4 += h3 >> 25; h3 &= 0x1ffffff;
  h5 += h4 >> 26; h4 &= 0x3ffffff;
  h6 += h5 >> 25; h5 &= 0x1ffffff;
  h7 += h6 >> 26; h6 &= 0x3ffffff;
  h8 += h7 >> 25; h7 &= 0x1ffffff;
  h9 += h8 >> 26; h8 &= 0x3ffffff;
  h9 &= 0x1ffffff;
  store<u64>(s, <u64>h0 | (<u64>h1 << 26) | (<u64>h2 << 51), 0);
  store<u64>(s, (<u64>h2 >> 13) | (<u64>h3 << 13) | (<u64>h4 << 38), 8);
  store<u64>(s, <u64>h5 | (<u64>h6 << 25) | (<u64>h7 << 51), 16);
  store<u64>(s, (<u64>h7 >> 13) | (<u64>h8 << 12) | (<u64>h9 << 38), 24);
}

/** 1 when f mod p is odd (the "negative" x of RFC 8032 section 5.1.2), else 0. */
export function fe_isnegative(f: usize): u32 {
  fe_tobytes(TB, f);
  const r = <u32>load<u8>(TB) & 1;
  memory.fill(TB, 0, 32);
  return r;
}

/** 1 when f mod p is not zero, else 0. */
export function fe_isnonzero(f: usize): u32 {
  fe_tobytes(TB, f);
  const x = load<u64>(TB, 0) | load<u64>(TB, 8) | load<u64>(TB, 16) | load<u64>(TB, 24);
  memory.fill(TB, 0, 32);
  return <u32>((x | (0 - x)) >> 63);
}

// BEGIN GENERATED: gen/fe25519_mul.mjs
/** h = f * g. Inputs: |limb| <= 4 * 2^26 (even) / 4 * 2^25 (odd). Output limbs in [0, 2^26) / [0, 2^25] (limb 1 may exceed by a few). */
export function fe_mul(h: usize, f: usize, g: usize): void {
  const f0: i64 = <i64>load<i32>(f, 0);
  const f1: i64 = <i64>load<i32>(f, 4);
  const f2: i64 = <i64>load<i32>(f, 8);
  const f3: i64 = <i64>load<i32>(f, 12);
  const f4: i64 = <i64>load<i32>(f, 16);
  const f5: i64 = <i64>load<i32>(f, 20);
  const f6: i64 = <i64>load<i32>(f, 24);
  const f7: i64 = <i64>load<i32>(f, 28);
  const f8: i64 = <i64>load<i32>(f, 32);
  const f9: i64 = <i64>load<i32>(f, 36);
  const g0: i64 = <i64>load<i32>(g, 0);
  const g1: i64 = <i64>load<i32>(g, 4);
  const g2: i64 = <i64>load<i32>(g, 8);
  const g3: i64 = <i64>load<i32>(g, 12);
  const g4: i64 = <i64>load<i32>(g, 16);
  const g5: i64 = <i64>load<i32>(g, 20);
  const g6: i64 = <i64>load<i32>(g, 24);
  const g7: i64 = <i64>load<i32>(g, 28);
  const g8: i64 = <i64>load<i32>(g, 32);
  const g9: i64 = <i64>load<i32>(g, 36);
  const f1_2 = f1 + f1;
  const f3_2 = f3 + f3;
  const f5_2 = f5 + f5;
  const f7_2 = f7 + f7;
  const f9_2 = f9 + f9;
  let h0 = f0 * g0 + 19 * (f1_2 * g9 + f2 * g8 + f3_2 * g7 + f4 * g6 + f5_2 * g5 + f6 * g4 + f7_2 * g3 + f8 * g2 + f9_2 * g1);
  let h1 = f0 * g1 + f1 * g0 + 19 * (f2 * g9 + f3 * g8 + f4 * g7 + f5 * g6 + f6 * g5 + f7 * g4 + f8 * g3 + f9 * g2);
  let h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + 19 * (f3_2 * g9 + f4 * g8 + f5_2 * g7 + f6 * g6 + f7_2 * g5 + f8 * g4 + f9_2 * g3);
  let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + 19 * (f4 * g9 + f5 * g8 + f6 * g7 + f7 * g6 + f8 * g5 + f9 * g4);
  let h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + 19 * (f5_2 * g9 + f6 * g8 + f7_2 * g7 + f8 * g6 + f9_2 * g5);
  let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + 19 * (f6 * g9 + f7 * g8 + f8 * g7 + f9 * g6);
  let h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + 19 * (f7_2 * g9 + f8 * g8 + f9_2 * g7);
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + 19 * (f8 * g9 + f9 * g8);
  let h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + 19 * (f9_2 * g9);
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  let c: i64;
  c = h0 >> 26; h1 += c; h0 &= 0x3ffffff;
  c = h4 >> 26; h5 += c; h4 &= 0x3ffffff;
  c = h1 >> 25; h2 += c; h1 &= 0x1ffffff;
  c = h5 >> 25; h6 += c; h5 &= 0x1ffffff;
  c = h2 >> 26; h3 += c; h2 &= 0x3ffffff;
  c = h6 >> 26; h7 += c; h6 &= 0x3ffffff;
  c = h3 >> 25; h4 += c; h3 &= 0x1ffffff;
  c = h7 >> 25; h8 += c; h7 &= 0x1ffffff;
  c = h4 >> 26; h5 += c; h4 &= 0x3ffffff;
  c = h8 >> 26; h9 += c; h8 &= 0x3ffffff;
  c = h9 >> 25; h0 += c * 19; h9 &= 0x1ffffff;
  c = h0 >> 26; h1 += c; h0 &= 0x3ffffff;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f^2. Same limb bounds as fe_mul. */
export function fe_sq(h: usize, f: usize): void {
  const f0: i64 = <i64>load<i32>(f, 0);
  const f1: i64 = <i64>load<i32>(f, 4);
  const f2: i64 = <i64>load<i32>(f, 8);
  const f3: i64 = <i64>load<i32>(f, 12);
  const f4: i64 = <i64>load<i32>(f, 16);
  const f5: i64 = <i64>load<i32>(f, 20);
  const f6: i64 = <i64>load<i32>(f, 24);
  const f7: i64 = <i64>load<i32>(f, 28);
  const f8: i64 = <i64>load<i32>(f, 32);
  const f9: i64 = <i64>load<i32>(f, 36);
  const f1_2 = f1 * 2;
  const f2_2 = f2 * 2;
  const f3_2 = f3 * 2;
  const f4_2 = f4 * 2;
  const f5_2 = f5 * 2;
  const f6_2 = f6 * 2;
  const f7_2 = f7 * 2;
  const f8_2 = f8 * 2;
  const f9_2 = f9 * 2;
  const f6_19 = f6 * 19;
  const f8_19 = f8 * 19;
  const f5_38 = f5 * 38;
  const f6_38 = f6 * 38;
  const f7_38 = f7 * 38;
  const f8_38 = f8 * 38;
  const f9_38 = f9 * 38;
  let h0 = f0 * f0 + f1_2 * f9_38 + f2 * f8_38 + f3_2 * f7_38 + f4 * f6_38 + f5 * f5_38;
  let h1 = f0 * f1_2 + f2 * f9_38 + f3 * f8_38 + f4 * f7_38 + f5 * f6_38;
  let h2 = f0 * f2_2 + f1 * f1_2 + f3_2 * f9_38 + f4 * f8_38 + f5_2 * f7_38 + f6 * f6_19;
  let h3 = f0 * f3_2 + f1 * f2_2 + f4 * f9_38 + f5 * f8_38 + f6 * f7_38;
  let h4 = f0 * f4_2 + f1_2 * f3_2 + f2 * f2 + f5_2 * f9_38 + f6 * f8_38 + f7 * f7_38;
  let h5 = f0 * f5_2 + f1 * f4_2 + f2 * f3_2 + f6 * f9_38 + f7 * f8_38;
  let h6 = f0 * f6_2 + f1_2 * f5_2 + f2 * f4_2 + f3 * f3_2 + f7_2 * f9_38 + f8 * f8_19;
  let h7 = f0 * f7_2 + f1 * f6_2 + f2 * f5_2 + f3 * f4_2 + f8 * f9_38;
  let h8 = f0 * f8_2 + f1_2 * f7_2 + f2 * f6_2 + f3_2 * f5_2 + f4 * f4 + f9 * f9_38;
  let h9 = f0 * f9_2 + f1 * f8_2 + f2 * f7_2 + f3 * f6_2 + f4 * f5_2;
  let c: i64;
  c = h0 >> 26; h1 += c; h0 &= 0x3ffffff;
  c = h4 >> 26; h5 += c; h4 &= 0x3ffffff;
  c = h1 >> 25; h2 += c; h1 &= 0x1ffffff;
  c = h5 >> 25; h6 += c; h5 &= 0x1ffffff;
  c = h2 >> 26; h3 += c; h2 &= 0x3ffffff;
  c = h6 >> 26; h7 += c; h6 &= 0x3ffffff;
  c = h3 >> 25; h4 += c; h3 &= 0x1ffffff;
  c = h7 >> 25; h8 += c; h7 &= 0x1ffffff;
  c = h4 >> 26; h5 += c; h4 &= 0x3ffffff;
  c = h8 >> 26; h9 += c; h8 &= 0x3ffffff;
  c = h9 >> 25; h0 += c * 19; h9 &= 0x1ffffff;
  c = h0 >> 26; h1 += c; h0 &= 0x3ffffff;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}
// END GENERATED

/** h = f^(2^n), n >= 1. */
export function fe_sqn(h: usize, f: usize, n: i32): void {
  fe_sq(h, f);
  for (let i = 1; i < n; i++) fe_sq(h, h);
}

/** Sets t1 = z^(2^250 - 1) and T0 = z^11 (shared head of inversion and square root). */
function fe_pow_2_250_1(t1: usize, z: usize): void {
  const t0 = T0, t2 = T2;
  fe_sq(t0, z);            // z^2
  fe_sqn(t1, t0, 2);       // z^8
  fe_mul(t1, z, t1);       // z^9
  fe_mul(t0, t0, t1);      // z^11
  fe_sq(t2, t0);           // z^22
  fe_mul(t1, t1, t2);      // z^(2^5 - 1)
  fe_sqn(t2, t1, 5);
  fe_mul(t1, t2, t1);      // z^(2^10 - 1)
  fe_sqn(t2, t1, 10);
  fe_mul(t2, t2, t1);      // z^(2^20 - 1)
  fe_sqn(T3, t2, 20);
  fe_mul(t2, T3, t2); // z^(2^40 - 1)
  fe_sqn(t2, t2, 10);
  fe_mul(t1, t2, t1);      // z^(2^50 - 1)
  fe_sqn(t2, t1, 50);
  fe_mul(t2, t2, t1);      // z^(2^100 - 1)
  fe_sqn(T3, t2, 100);
  fe_mul(t2, T3, t2); // z^(2^200 - 1)
  fe_sqn(t2, t2, 50);
  fe_mul(t1, t2, t1);      // z^(2^250 - 1)
}

/** out = z^(p - 2) = 1/z (0 for z = 0). */
export function fe_invert(out: usize, z: usize): void {
  fe_pow_2_250_1(T1, z);
  fe_sqn(T1, T1, 5);       // z^(2^255 - 2^5)
  fe_mul(out, T1, T0);     // z^(2^255 - 21)
  fe_wipe_tmp();
}

/** out = z^((p - 5) / 8) = z^(2^252 - 3), for square roots (RFC 8032 section 5.1.3 step 3). */
export function fe_pow22523(out: usize, z: usize): void {
  fe_pow_2_250_1(T1, z);
  fe_sqn(T1, T1, 2);       // z^(2^252 - 4)
  fe_mul(out, T1, z);      // z^(2^252 - 3)
  fe_wipe_tmp();
}

function fe_wipe_tmp(): void {
  memory.fill(T0, 0, 40);
  memory.fill(T1, 0, 40);
  memory.fill(T2, 0, 40);
  memory.fill(T3, 0, 40);
}
