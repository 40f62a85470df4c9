// Points of P-256, y^2 = x^3 - 3x + b over GF(p) (SP 800-186 section 3.2.1.3),
// in Jacobian coordinates (X, Y, Z) ~ (X/Z^2, Y/Z^3), each coordinate a
// Montgomery-form element of _p256_field.ts. The point at infinity is never
// stored: callers track it with a flag.
//
// Everything here serves signature verification, which works on public data
// only (public key, signature, digest), so it runs in variable time.

import {
  FE_BYTES, FE_R2, FE_B, FE_ONE,
  fe_mul, fe_sqr, fe_add, fe_sub, fe_neg, fe_dbl, fe_mul_small, fe_msub, fe_copy, fe_canon,
  fe_from_bytes, fe_is_zero_vartime, fe_eq_vartime, fe_sqrt_candidate,
} from "./_p256_field";
import { G_TABLE, G_WNAF_W, G_ENTRY_BYTES } from "./_p256_precomp";
import { sc_wnaf_vartime } from "./_p256_scalar";

/** Bytes of a Jacobian point: X, Y, Z at offsets 0, 36, 72. */
export const PT_BYTES: usize = 108;
export const PT_Y: usize = 36;
export const PT_Z: usize = 72;

/** Width of the NAF of u2 (multiples of the public key, built per call). */
const Q_WNAF_W: i32 = 5;
const Q_TABLE_LEN: usize = 8; // 1Q, 3Q, ..., 15Q

@lazy const T0: usize = memory.data(36, 8);
@lazy const T1: usize = memory.data(36, 8);
@lazy const T2: usize = memory.data(36, 8);
@lazy const T3: usize = memory.data(36, 8);
@lazy const T4: usize = memory.data(36, 8);
@lazy const T5: usize = memory.data(36, 8);
@lazy const T6: usize = memory.data(36, 8);
@lazy const NY: usize = memory.data(36, 8);
@lazy const Q2: usize = memory.data(108, 8);
@lazy const Q_TABLE: usize = memory.data(108 * 8, 8);
@lazy const NAF1: usize = memory.data(260, 8);
@lazy const NAF2: usize = memory.data(260, 8);
/** 1 as a plain (non-Montgomery) element: a product with it leaves the Montgomery domain. */
@lazy const FE_PLAIN_ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * o = 2a for a finite point a (dbl-2001-b for a = -3, with Z3 = 2YZ:
 * 4M + 4S). o may alias a.
 * On P-256 (odd prime order) the double of a finite point is finite.
 */
export function pt_dbl_vartime(o: usize, a: usize): void {
  const x = a, y = a + PT_Y, z = a + PT_Z;
  const delta = T0, gamma = T1, beta = T2, alpha = T3, t = T4;
  fe_sqr(delta, z);
  fe_sqr(gamma, y);
  fe_mul(beta, x, gamma);
  fe_sub(t, x, delta);
  fe_add(alpha, x, delta);
  fe_mul(alpha, alpha, t);
  fe_mul_small(alpha, alpha, 3);         // alpha = 3(x - delta)(x + delta)
  fe_mul(t, y, z);
  fe_dbl(o + PT_Z, t);                   // Z3 = 2yz
  fe_mul_small(beta, beta, 4);           // 4 beta
  fe_sqr(t, alpha);
  fe_msub(o, t, beta, 2);                // X3 = alpha^2 - 8 beta
  fe_sub(beta, beta, o);
  fe_mul(beta, beta, alpha);
  fe_sqr(gamma, gamma);
  fe_msub(o + PT_Y, beta, gamma, 8);     // Y3 = alpha(4 beta - X3) - 8 gamma^2
}

/**
 * o = a + (bx, by, bz) for finite points (add-1998-cmo-2: 12M + 4S); with
 * bz = 0 the second point is affine (bx, by) (madd-2004-hmv: 8M + 3S).
 * o may alias a. Returns false when the sum is the point at infinity.
 */
function pt_add_vartime(o: usize, a: usize, bx: usize, by: usize, bz: usize): bool {
  const x1 = a, y1 = a + PT_Y, z1 = a + PT_Z;
  const u1 = T0, u2 = T1, s1 = T2, s2 = T3, h = T4, r = T5, t = T6;
  fe_sqr(t, z1);                         // Z1^2
  fe_mul(u2, bx, t);
  fe_mul(t, t, z1);
  fe_mul(s2, by, t);
  let px = x1, py = y1;
  if (bz) {
    fe_sqr(t, bz);
    fe_mul(u1, x1, t);
    fe_mul(t, t, bz);
    fe_mul(s1, y1, t);
    px = u1; py = s1;
  }
  fe_sub(h, u2, px);
  fe_sub(r, s2, py);
  if (fe_is_zero_vartime(h)) {
    // Same x: either the same point (double it) or opposite points.
    if (fe_is_zero_vartime(r)) { pt_dbl_vartime(o, a); return true; }
    return false;
  }
  fe_mul(o + PT_Z, z1, h);
  if (bz) fe_mul(o + PT_Z, o + PT_Z, bz); // Z3 = Z1 Z2 H
  fe_sqr(t, h);                           // H^2
  fe_mul(h, t, h);                        // H^3
  fe_mul(t, t, px);                       // V = U1 H^2
  fe_mul(s1, py, h);                      // S1 H^3
  fe_sqr(u2, r);
  fe_sub(u2, u2, h);
  fe_msub(o, u2, t, 2);                   // X3 = r^2 - H^3 - 2V
  fe_sub(t, t, o);
  fe_mul(t, t, r);
  fe_sub(o + PT_Y, t, s1);                // Y3 = r(V - X3) - S1 H^3
  return true;
}

/**
 * Decodes a SEC1 public key (SEC 1 v2 section 2.3.4): 0x04 || X || Y (65
 * bytes) or 0x02/0x03 || X (33 bytes) into affine Montgomery-form x, y.
 * Returns false unless the coordinates are < p and the point is on the curve
 * (an off-curve key enables invalid-curve attacks; SP 800-186 appendix D.1.1,
 * FIPS 186-5 section 6.4.2). The identity has no encoding accepted here.
 */
export function pt_decode_sec1_vartime(x: usize, y: usize, pk: usize, len: usize): bool {
  if (len == 0) return false;
  const tag = load<u8>(pk);
  if (len == 65 && tag == 4) {
    if (!fe_from_bytes(x, pk + 1)) return false;
    if (!fe_from_bytes(y, pk + 33)) return false;
  } else if (len == 33 && (tag == 2 || tag == 3)) {
    if (!fe_from_bytes(x, pk + 1)) return false;
  } else {
    return false;
  }
  fe_mul(x, x, FE_R2);
  // rhs = x^3 - 3x + b
  const rhs = T5, t = T6;
  fe_sqr(rhs, x);
  fe_mul(rhs, rhs, x);
  fe_dbl(t, x);
  fe_add(t, t, x);
  fe_sub(rhs, rhs, t);
  fe_add(rhs, rhs, FE_B);
  if (len == 65) {
    fe_mul(y, y, FE_R2);
    fe_sqr(t, y);
    return fe_eq_vartime(t, rhs);
  }
  // Compressed: y = rhs^((p+1)/4) if rhs is a square (SEC 1 v2 section 2.3.4 step 2.4.1).
  fe_sqrt_candidate(y, rhs);
  fe_sqr(t, y);
  if (!fe_eq_vartime(t, rhs)) return false;
  fe_mul(t, y, FE_PLAIN_ONE);
  fe_canon(t, t);
  const odd = load<u32>(t) & 1;
  if (odd != <u32>(tag & 1)) {
    if (fe_is_zero_vartime(t)) return false;
    fe_neg(y, y);
  }
  return true;
}

/**
 * o = u1 G + u2 Q (Jacobian) by interleaved wNAF (Shamir's trick): the
 * G multiples come from the fixed table, the Q multiples (Q affine (qx, qy),
 * Montgomery form) are built here. u1, u2 < 2^256 (four u64 limbs).
 * Returns false when the result is the point at infinity.
 */
export function pt_double_mul_vartime(o: usize, u1: usize, u2: usize, qx: usize, qy: usize): bool {
  // Q table: (2i+1)Q, Jacobian.
  const qt = Q_TABLE;
  fe_copy(qt, qx);
  fe_copy(qt + PT_Y, qy);
  fe_copy(qt + PT_Z, FE_ONE);
  pt_dbl_vartime(Q2, qt);
  for (let i: usize = 1; i < Q_TABLE_LEN; i++) {
    const dst = qt + i * PT_BYTES;
    memory.copy(dst, Q2, PT_BYTES);
    // Q has prime order n > 15, so (2i+1)Q is never the identity.
    pt_add_vartime(dst, dst, dst - PT_BYTES, dst - PT_BYTES + PT_Y, dst - PT_BYTES + PT_Z);
  }
  const top1 = sc_wnaf_vartime(NAF1, u1, G_WNAF_W);
  const top2 = sc_wnaf_vartime(NAF2, u2, Q_WNAF_W);
  let i = top1 > top2 ? top1 : top2;
  let inf = true;
  while (i > 0) {
    i--;
    if (!inf) pt_dbl_vartime(o, o);
    const d1 = <i32>load<i8>(NAF1 + i);
    if (d1 != 0) {
      const e = G_TABLE + <usize>((d1 < 0 ? -d1 : d1) >> 1) * G_ENTRY_BYTES;
      let ey = e + FE_BYTES;
      if (d1 < 0) { fe_neg(NY, ey); ey = NY; }
      if (inf) {
        fe_copy(o, e);
        fe_copy(o + PT_Y, ey);
        fe_copy(o + PT_Z, FE_ONE);
        inf = false;
      } else {
        inf = !pt_add_vartime(o, o, e, ey, 0);
      }
    }
    const d2 = <i32>load<i8>(NAF2 + i);
    if (d2 != 0) {
      const e = qt + <usize>((d2 < 0 ? -d2 : d2) >> 1) * PT_BYTES;
      let ey = e + PT_Y;
      if (d2 < 0) { fe_neg(NY, ey); ey = NY; }
      if (inf) {
        fe_copy(o, e);
        fe_copy(o + PT_Y, ey);
        fe_copy(o + PT_Z, e + PT_Z);
        inf = false;
      } else {
        inf = !pt_add_vartime(o, o, e, ey, e + PT_Z);
      }
    }
  }
  return !inf;
}
