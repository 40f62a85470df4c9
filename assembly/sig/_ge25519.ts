// Group operations on edwards25519, -x^2 + y^2 = 1 + d x^2 y^2 (RFC 8032 section 5.1),
// in the extended coordinates of Hisil-Wong-Carter-Dawson (RFC 8032 section 5.1.4).
// Point layouts (each coordinate a 40-byte field element of _fe25519.ts):
//   p2    (X, Y, Z)                 x = X/Z, y = Y/Z
//   p3    (X, Y, Z, T)              and XY = ZT
//   p1p1  (X, Y, Z, T)              x = X/Z, y = Y/T
//   cached(Y+X, Y-X, Z, 2dT)
//   niels (y+x, y-x, 2dxy)          affine, precomputed
import {
  fe_0, fe_1, fe_copy, fe_add, fe_sub, fe_neg, fe_mul, fe_sq, fe_invert, fe_pow22523,
  fe_frombytes, fe_tobytes, fe_isnegative, fe_isnonzero,
} from "./_fe25519";
import { ED_D, ED_D2, ED_SQRTM1, ED_B, ED_BT, ED_BI_W, ED_BASE_TABLES } from "./_ed25519_precomp";

// @ts-ignore: decorator
@inline export const GE_P2_BYTES: usize = 120;
// @ts-ignore: decorator
@inline export const GE_P3_BYTES: usize = 160;
// @ts-ignore: decorator
@inline const X: usize = 0;
// @ts-ignore: decorator
@inline const Y: usize = 40;
// @ts-ignore: decorator
@inline const Z: usize = 80;
// @ts-ignore: decorator
@inline const T: usize = 120;
// @ts-ignore: decorator
@inline const NIELS_BYTES: usize = 120;
// @ts-ignore: decorator
@inline const CACHED_BYTES: usize = 160;

// @ts-ignore: decorator
@lazy const FT0: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const FT1: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const FT2: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const FT3: usize = memory.data(40, 8);
// @ts-ignore: decorator
@lazy const P1: usize = memory.data(160, 8);
// @ts-ignore: decorator
@lazy const P3: usize = memory.data(160, 8);
// @ts-ignore: decorator
@lazy const NI: usize = memory.data(120, 8);
/** 2A (p3), while building AI. */
// @ts-ignore: decorator
@lazy const A2: usize = memory.data(160, 8);
/** Odd multiples A, 3A, ..., 15A in cached form, for the verifier. */
// @ts-ignore: decorator
@lazy const AI: usize = memory.data(8 * 160, 8);
// @ts-ignore: decorator
@lazy const NAF_A: usize = memory.data(256, 8);
// @ts-ignore: decorator
@lazy const NAF_B: usize = memory.data(256, 8);
// @ts-ignore: decorator
@lazy const DIGITS: usize = memory.data(64, 8);

// @ts-ignore: decorator
@inline const A_W: i32 = 5;

// @ts-ignore: decorator
@inline const BI_ENTRIES: i32 = 1 << (ED_BI_W - 2);
// @ts-ignore: decorator
@inline const BASE_ENTRIES: i32 = ED_BASE_TABLES * 8;
/**
 * The verifier's odd multiples (2i + 1) B, i = 0..15, in niels form with
 * canonical limbs (1,920 bytes); built once from B by ge_bi_table().
 */
// @ts-ignore: decorator
@lazy const ED_BI: usize = memory.data(BI_ENTRIES * <i32>NIELS_BYTES, 8);
/**
 * The signer's fixed-base tables: table t, entry j-1 holds j 2^(256 t / 8) B
 * for j = 1..8, in niels form with canonical limbs (7,680 bytes); built once
 * from B by ge_base_table().
 */
// @ts-ignore: decorator
@lazy const ED_BASE: usize = memory.data(BASE_ENTRIES * <i32>NIELS_BYTES, 8);
/** Running products of the entries' Z while a table is built (2,560 bytes: the larger table's). */
// @ts-ignore: decorator
@lazy const TAB_ZP: usize = memory.data(BASE_ENTRIES * 40, 8);
/** A 32-byte encoding, to bring a field element to canonical limbs. */
// @ts-ignore: decorator
@lazy const ENC: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy let bi_ready: bool = false;
// @ts-ignore: decorator
@lazy let base_ready: bool = false;

export function ge_p2_0(h: usize): void {
  fe_0(h + X); fe_1(h + Y); fe_1(h + Z);
}

export function ge_p3_0(h: usize): void {
  fe_0(h + X); fe_1(h + Y); fe_1(h + Z); fe_0(h + T);
}

export function ge_p1p1_to_p2(r: usize, p: usize): void {
  fe_mul(r + X, p + X, p + T);
  fe_mul(r + Y, p + Y, p + Z);
  fe_mul(r + Z, p + Z, p + T);
}

export function ge_p1p1_to_p3(r: usize, p: usize): void {
  fe_mul(r + X, p + X, p + T);
  fe_mul(r + Y, p + Y, p + Z);
  fe_mul(r + Z, p + Z, p + T);
  fe_mul(r + T, p + X, p + Y);
}

export function ge_p3_to_cached(r: usize, p: usize): void {
  fe_add(r, p + Y, p + X);
  fe_sub(r + 40, p + Y, p + X);
  fe_copy(r + 80, p + Z);
  fe_mul(r + 120, p + T, ED_D2);
}

/** r = 2p; p is a p2 (or a p3, whose first three coordinates are a p2). */
export function ge_p2_dbl(r: usize, p: usize): void {
  const t0 = FT0;
  fe_sq(r + X, p + X);          // XX
  fe_sq(r + Z, p + Y);          // YY
  fe_sq(r + T, p + Z);
  fe_add(r + T, r + T, r + T);  // 2ZZ
  fe_add(r + Y, p + X, p + Y);
  fe_sq(t0, r + Y);             // (X+Y)^2
  fe_add(r + Y, r + Z, r + X);  // YY+XX
  fe_sub(r + Z, r + Z, r + X);  // YY-XX
  fe_sub(r + X, t0, r + Y);
  fe_sub(r + T, r + T, r + Z);
}

/** r = p + q, q in niels form; neg = 1 subtracts q instead. */
// @ts-ignore: decorator
@inline function madd(r: usize, p: usize, q: usize, neg: bool): void {
  const t0 = FT0;
  fe_add(r + X, p + Y, p + X);
  fe_sub(r + Y, p + Y, p + X);
  fe_mul(r + Z, r + X, neg ? q + 40 : q);
  fe_mul(r + Y, r + Y, neg ? q : q + 40);
  fe_mul(r + T, q + 80, p + T);
  fe_add(t0, p + Z, p + Z);
  fe_sub(r + X, r + Z, r + Y);
  fe_add(r + Y, r + Z, r + Y);
  if (neg) {
    fe_sub(r + Z, t0, r + T);
    fe_add(r + T, t0, r + T);
  } else {
    fe_add(r + Z, t0, r + T);
    fe_sub(r + T, t0, r + T);
  }
}

export function ge_madd(r: usize, p: usize, q: usize): void { madd(r, p, q, false); }
export function ge_msub(r: usize, p: usize, q: usize): void { madd(r, p, q, true); }

/** r = p + q, q in cached form; neg = 1 subtracts q instead. */
// @ts-ignore: decorator
@inline function add(r: usize, p: usize, q: usize, neg: bool): void {
  const t0 = FT0;
  fe_add(r + X, p + Y, p + X);
  fe_sub(r + Y, p + Y, p + X);
  fe_mul(r + Z, r + X, neg ? q + 40 : q);
  fe_mul(r + Y, r + Y, neg ? q : q + 40);
  fe_mul(r + T, q + 120, p + T);
  fe_mul(r + X, p + Z, q + 80);
  fe_add(t0, r + X, r + X);
  fe_sub(r + X, r + Z, r + Y);
  fe_add(r + Y, r + Z, r + Y);
  if (neg) {
    fe_sub(r + Z, t0, r + T);
    fe_add(r + T, t0, r + T);
  } else {
    fe_add(r + Z, t0, r + T);
    fe_sub(r + T, t0, r + T);
  }
}

export function ge_add(r: usize, p: usize, q: usize): void { add(r, p, q, false); }
export function ge_sub(r: usize, p: usize, q: usize): void { add(r, p, q, true); }

/** Encodes a p2 (or p3) point (RFC 8032 section 5.1.2). */
export function ge_tobytes(s: usize, h: usize): void {
  const recip = FT1, x = FT2, y = FT3;
  fe_invert(recip, h + Z);
  fe_mul(x, h + X, recip);
  fe_mul(y, h + Y, recip);
  fe_tobytes(s, y);
  store<u8>(s + 31, load<u8>(s + 31) ^ <u8>(fe_isnegative(x) << 7));
  memory.fill(FT1, 0, 40);
  memory.fill(FT2, 0, 40);
  memory.fill(FT3, 0, 40);
}

/**
 * Decodes the point encoded at s and stores its negation in h (p3).
 * RFC 8032 section 5.1.3; the caller has already checked y < p (step 1).
 * Returns 0, or -1 when no x exists (step 3). Public data only.
 */
export function ge_frombytes_negate_vartime(h: usize, s: usize): i32 {
  const u = FT0, v = FT1, v3 = FT2, vxx = FT3;
  fe_frombytes(h + Y, s);
  fe_1(h + Z);
  fe_sq(u, h + Y);
  fe_mul(v, u, ED_D);
  fe_sub(u, u, h + Z);          // u = y^2 - 1
  fe_add(v, v, h + Z);          // v = d y^2 + 1
  fe_sq(v3, v);
  fe_mul(v3, v3, v);            // v^3
  fe_sq(h + X, v3);
  fe_mul(h + X, h + X, v);
  fe_mul(h + X, h + X, u);      // u v^7
  fe_pow22523(h + X, h + X);    // (u v^7)^((p-5)/8)
  fe_mul(h + X, h + X, v3);
  fe_mul(h + X, h + X, u);      // x = u v^3 (u v^7)^((p-5)/8)
  fe_sq(vxx, h + X);
  fe_mul(vxx, vxx, v);
  fe_sub(h + T, vxx, u);        // v x^2 - u
  if (fe_isnonzero(h + T)) {
    fe_add(h + T, vxx, u);      // v x^2 + u
    if (fe_isnonzero(h + T)) return -1;
    fe_mul(h + X, h + X, ED_SQRTM1);
  }
  if (fe_isnegative(h + X) == <u32>(load<u8>(s + 31) >> 7)) fe_neg(h + X, h + X);
  fe_mul(h + T, h + X, h + Y);
  return 0;
}

/** 1 when [8]p is the identity (p of order 1, 2, 4 or 8), else 0. Public data only. */
export function ge_has_small_order_vartime(p: usize): i32 {
  const r = P1, q = P3;
  ge_p2_dbl(r, p);
  ge_p1p1_to_p2(q, r);
  ge_p2_dbl(r, q);
  ge_p1p1_to_p2(q, r);
  ge_p2_dbl(r, q);
  ge_p1p1_to_p2(q, r);
  // [8]p has x = 0 only when it is the identity: no point of order 16 exists.
  return fe_isnonzero(q + X) ? 0 : 1;
}

/**
 * Width-w non-adjacent form of the 256-bit little-endian scalar at s into 256
 * i8 digits at out: each digit 0 or odd with |digit| < 2^(w-1). s < 2^255.
 */
function wnaf_vartime(out: usize, s: usize, w: i32): void {
  memory.fill(out, 0, 256);
  const width: i64 = 1 << w;
  const half: i64 = width >> 1;
  const mask: u64 = <u64>width - 1;
  let carry: i64 = 0;
  let pos: i32 = 0;
  while (pos < 256) {
    const idx = pos >> 6;
    const bit = pos & 63;
    let bits: u64 = load<u64>(s + (<usize>idx << 3)) >> <u64>bit;
    if (bit + w > 64 && idx < 3) bits |= load<u64>(s + (<usize>(idx + 1) << 3)) << <u64>(64 - bit);
    const window = carry + <i64>(bits & mask);
    if ((window & 1) == 0) {
      pos++;
      continue;
    }
    if (window < half) {
      carry = 0;
      store<i8>(out + pos, <i8>window);
    } else {
      carry = 1;
      store<i8>(out + pos, <i8>(window - width));
    }
    pos += w;
  }
}

/**
 * r (p2) = [a]A + [b]B for public scalars a, b < 2^253 and a p3 point A
 * (Straus' method with wNAF digits). Variable time: public data only.
 */
export function ge_double_scalarmult_vartime(r: usize, a: usize, A: usize, b: usize): void {
  const bi = ge_bi_table();
  const t = P1, u = P3;
  wnaf_vartime(NAF_A, a, A_W);
  wnaf_vartime(NAF_B, b, ED_BI_W);
  // AI[i] = (2i + 1) A
  ge_p3_to_cached(AI, A);
  ge_p2_dbl(t, A);
  ge_p1p1_to_p3(A2, t);
  for (let i: usize = 0; i < (1 << (A_W - 2)) - 1; i++) {
    ge_add(t, A2, AI + i * CACHED_BYTES);
    ge_p1p1_to_p3(u, t);
    ge_p3_to_cached(AI + (i + 1) * CACHED_BYTES, u);
  }
  ge_p2_0(r);
  let i = 255;
  while (i >= 0 && load<i8>(NAF_A + i) == 0 && load<i8>(NAF_B + i) == 0) i--;
  for (; i >= 0; i--) {
    ge_p2_dbl(t, r);
    const da = <i32>load<i8>(NAF_A + i);
    const db = <i32>load<i8>(NAF_B + i);
    if (da > 0) {
      ge_p1p1_to_p3(u, t);
      ge_add(t, u, AI + <usize>(da >> 1) * CACHED_BYTES);
    } else if (da < 0) {
      ge_p1p1_to_p3(u, t);
      ge_sub(t, u, AI + <usize>((-da) >> 1) * CACHED_BYTES);
    }
    if (db > 0) {
      ge_p1p1_to_p3(u, t);
      ge_madd(t, u, bi + <usize>(db >> 1) * NIELS_BYTES);
    } else if (db < 0) {
      ge_p1p1_to_p3(u, t);
      ge_msub(t, u, bi + <usize>((-db) >> 1) * NIELS_BYTES);
    }
    ge_p1p1_to_p2(r, t);
  }
}

/**
 * NI = entry |b| of the 8-entry niels table at tab (identity for b = 0),
 * negated when b < 0; b in [-8, 8]. Constant time: every entry is read and
 * combined under masks, with no index or branch depending on b.
 */
function select_niels(tab: usize, b: i32): void {
  const neg: u64 = <u64>(<u32>b >> 31);          // 1 when b < 0
  const babs: u32 = <u32>(b - ((-<i32>neg & b) << 1));
  // m_i is all ones when babs = i + 1, else 0.
  const m0: u64 = 0 - <u64>(((babs ^ 1) - 1) >> 31);
  const m1: u64 = 0 - <u64>(((babs ^ 2) - 1) >> 31);
  const m2: u64 = 0 - <u64>(((babs ^ 3) - 1) >> 31);
  const m3: u64 = 0 - <u64>(((babs ^ 4) - 1) >> 31);
  const m4: u64 = 0 - <u64>(((babs ^ 5) - 1) >> 31);
  const m5: u64 = 0 - <u64>(((babs ^ 6) - 1) >> 31);
  const m6: u64 = 0 - <u64>(((babs ^ 7) - 1) >> 31);
  const m7: u64 = 0 - <u64>(((babs ^ 8) - 1) >> 31);
  for (let w: usize = 0; w < 120; w += 8) {
    const e = tab + w;
    store<u64>(NI + w,
      (load<u64>(e, 0) & m0) | (load<u64>(e, 120) & m1) |
      (load<u64>(e, 240) & m2) | (load<u64>(e, 360) & m3) |
      (load<u64>(e, 480) & m4) | (load<u64>(e, 600) & m5) |
      (load<u64>(e, 720) & m6) | (load<u64>(e, 840) & m7));
  }
  // b = 0: the identity (y+x, y-x, 2dxy) = (1, 1, 0).
  const z: u64 = <u64>((babs - 1) >> 31);
  store<u64>(NI, load<u64>(NI) | z);
  store<u64>(NI + 40, load<u64>(NI + 40) | z);
  // b < 0: -(x, y) = (-x, y), so swap y+x with y-x and negate 2dxy.
  const m: u64 = 0 - neg;
  for (let w: usize = 0; w < 40; w += 8) {
    const a = load<u64>(NI + w), c = load<u64>(NI + 40 + w);
    const d = (a ^ c) & m;
    store<u64>(NI + w, a ^ d);
    store<u64>(NI + 40 + w, c ^ d);
  }
  const mi: i32 = -<i32>neg;
  for (let w: usize = 80; w < 120; w += 4) {
    const a = load<i32>(NI + w);
    store<i32>(NI + w, a ^ ((a ^ -a) & mi));
  }
}

/** Reduces the field element at f to its canonical limbs (those of its 32-byte encoding). */
function fe_canonical(f: usize): void {
  fe_tobytes(ENC, f);
  fe_frombytes(f, ENC);
}

/**
 * Stores (X, Y, Z) of the p3 point p as entry k of tab, and the running
 * product of the entries' Z up to k in TAB_ZP.
 */
function put_projective(tab: usize, k: i32, p: usize): void {
  const e = tab + <usize>k * NIELS_BYTES;
  fe_copy(e, p + X);
  fe_copy(e + 40, p + Y);
  fe_copy(e + 80, p + Z);
  const zp = TAB_ZP + <usize>k * 40;
  if (k == 0) fe_copy(zp, p + Z);
  else fe_mul(zp, zp - 40, p + Z);
}

/**
 * Turns the n entries (X, Y, Z) stored by put_projective into affine niels
 * form (y + x, y - x, 2 d x y) with canonical limbs, with one inversion for
 * all (Montgomery's trick).
 */
function to_niels(tab: usize, n: i32): void {
  // Walking back: inv = 1 / (Z_0 ... Z_k), so 1/Z_k = inv * (Z_0 ... Z_(k-1)).
  const inv = FT0, zi = FT1, x = FT2, y = FT3;
  fe_invert(inv, TAB_ZP + <usize>(n - 1) * 40);
  for (let k = n - 1; k >= 0; k--) {
    const e = tab + <usize>k * NIELS_BYTES;
    if (k != 0) {
      fe_mul(zi, inv, TAB_ZP + <usize>(k - 1) * 40);
      fe_mul(inv, inv, e + 80);
    } else {
      fe_copy(zi, inv);
    }
    fe_mul(x, e, zi);
    fe_mul(y, e + 40, zi);
    fe_add(e, y, x);
    fe_sub(e + 40, y, x);
    fe_mul(e + 80, x, y);
    fe_mul(e + 80, e + 80, ED_D2);
    fe_canonical(e);
    fe_canonical(e + 40);
    fe_canonical(e + 80);
  }
}

/** p (p3) = the point with affine x, y encoded at enc (32 bytes each, canonical). */
function from_affine(p: usize, enc: usize): void {
  fe_frombytes(p + X, enc);
  fe_frombytes(p + Y, enc + 32);
  fe_1(p + Z);
  fe_mul(p + T, p + X, p + Y);
}

/**
 * The address of ED_BI, built on the first call: B, then 15 additions of 2B.
 * Public data only (the first verification pays for it once).
 */
export function ge_bi_table(): usize {
  if (!bi_ready) {
    const p = A2, t = P1, c = AI;
    from_affine(p, ED_B);
    put_projective(ED_BI, 0, p);
    ge_p2_dbl(t, p);
    ge_p1p1_to_p3(P3, t);
    ge_p3_to_cached(c, P3);        // 2B
    for (let k = 1; k < BI_ENTRIES; k++) {
      ge_add(t, p, c);
      ge_p1p1_to_p3(p, t);
      put_projective(ED_BI, k, p);
    }
    to_niels(ED_BI, BI_ENTRIES);
    bi_ready = true;
  }
  return ED_BI;
}

/**
 * The address of ED_BASE, built on the first call: each table from its first
 * entry B_t (B, then ED_BT) by 7 additions. Public data only (the first signature or
 * key derivation pays for it once).
 */
export function ge_base_table(): usize {
  if (!base_ready) {
    const p = A2, t = P1, c = AI;
    for (let k = 0; k < BASE_ENTRIES; k++) {
      if ((k & 7) == 0) {
        from_affine(p, k == 0 ? ED_B : ED_BT + <usize>((k >> 3) - 1) * 64);
        ge_p3_to_cached(c, p);
      } else {
        ge_add(t, p, c);
        ge_p1p1_to_p3(p, t);
      }
      put_projective(ED_BASE, k, p);
    }
    to_niels(ED_BASE, BASE_ENTRIES);
    base_ready = true;
  }
  return ED_BASE;
}

/**
 * h (p3) = [a]B for the 32-byte scalar a, a[31] <= 127. Constant time in a:
 * signed radix-16 digits, table lookups by masked scans.
 */
export function ge_scalarmult_base(h: usize, a: usize): void {
  const base = ge_base_table();
  const e = DIGITS, r = P1, s = P3;
  for (let i: usize = 0; i < 32; i++) {
    const x = load<u8>(a + i);
    store<i8>(e + 2 * i, <i8>(x & 15));
    store<i8>(e + 2 * i + 1, <i8>(x >> 4));
  }
  // Now each digit is in [0, 15]; recentre to [-8, 7] with a carry, the last in [-8, 8].
  let carry: i32 = 0;
  for (let i: usize = 0; i < 63; i++) {
    const x = <i32>load<i8>(e + i) + carry;
    carry = (x + 8) >> 4;
    store<i8>(e + i, <i8>(x - (carry << 4)));
  }
  store<i8>(e + 63, <i8>(<i32>load<i8>(e + 63) + carry));
  // a = sum_k e[k] 16^k; k = n t + j with n = 64 / tables: Horner in 16^j.
  const n: i32 = 64 / ED_BASE_TABLES;
  ge_p3_0(h);
  for (let j = n - 1; j >= 0; j--) {
    if (j != n - 1) {
      ge_p2_dbl(r, h); ge_p1p1_to_p2(s, r);
      ge_p2_dbl(r, s); ge_p1p1_to_p2(s, r);
      ge_p2_dbl(r, s); ge_p1p1_to_p2(s, r);
      ge_p2_dbl(r, s); ge_p1p1_to_p3(h, r);
    }
    for (let t = 0; t < ED_BASE_TABLES; t++) {
      select_niels(base + <usize>(t * 8) * NIELS_BYTES, <i32>load<i8>(e + <usize>(n * t + j)));
      ge_madd(r, h, NI);
      ge_p1p1_to_p3(h, r);
    }
  }
  memory.fill(e, 0, 64);
  memory.fill(NI, 0, 120);
  memory.fill(r, 0, 160);
  memory.fill(s, 0, 160);
  memory.fill(FT0, 0, 40);
}
