// Arithmetic modulo the P-256 group order
// n = ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
// (SP 800-186 section 3.2.1.3). A scalar is 32 bytes: four u64 limbs,
// little-endian limb order (equally eight u32 limbs).
//
// ECDSA verification only handles public values (the signature, the digest,
// the public key), so everything here runs in variable time.

export const SC_BYTES: usize = 32;

const N0: u64 = 0xf3b9cac2fc632551;
const N1: u64 = 0xbce6faada7179e84;
const N2: u64 = 0xffffffffffffffff;
const N3: u64 = 0xffffffff00000000;

/** n as eight u32 limbs, for the Montgomery product. */
@lazy const SC_N: usize = memory.data<u32>([
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
]);
/** 2^512 mod n: enters and leaves the Montgomery domain in one product. */
@lazy const SC_R2: usize = memory.data<u32>([
  0xbe79eea2, 0x83244c95, 0x49bd6fa6, 0x4699799c, 0x2b6bec59, 0x2845b239, 0xf3d95620, 0x66e12d94,
]);
/** -n^-1 mod 2^32. */
const SC_N0INV: u32 = 0xee00bc4f;

@lazy const SC_T: usize = memory.data(48, 8);
@lazy const SC_U: usize = memory.data(32, 8);

/** Reads 32 big-endian bytes at b as an integer into o, without reduction. */
export function sc_from_bytes(o: usize, b: usize): void {
  store<u64>(o, bswap<u64>(load<u64>(b, 24)), 0);
  store<u64>(o, bswap<u64>(load<u64>(b, 16)), 8);
  store<u64>(o, bswap<u64>(load<u64>(b, 8)), 16);
  store<u64>(o, bswap<u64>(load<u64>(b, 0)), 24);
}

/**
 * True when the scalar at a lies in [1, n-1], the range FIPS 186-5 section
 * 6.4.2 step 1 requires of r and s (r = 0 or s = 0 would let anyone forge).
 */
export function sc_is_valid_vartime(a: usize): bool {
  const a0 = load<u64>(a, 0), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  if ((a0 | a1 | a2 | a3) == 0) return false;
  if (a3 != N3) return a3 < N3;
  if (a2 != N2) return a2 < N2;
  if (a1 != N1) return a1 < N1;
  return a0 < N0;
}

/**
 * Montgomery product o = a * b * 2^-256 mod n (CIOS), for a < 2^256 and b < n.
 * Output < n. Variable time.
 */
function sc_mont_vartime(o: usize, a: usize, b: usize): void {
  const t = SC_T;
  memory.fill(t, 0, 40);
  for (let i: usize = 0; i < 8; i++) {
    const bi = <u64>load<u32>(b + (i << 2));
    let c: u64 = 0;
    for (let j: usize = 0; j < 8; j++) {
      const s = <u64>load<u32>(t + (j << 2)) + <u64>load<u32>(a + (j << 2)) * bi + c;
      store<u32>(t + (j << 2), <u32>s);
      c = s >> 32;
    }
    let s = <u64>load<u32>(t, 32) + c;
    store<u32>(t, <u32>s, 32);
    store<u32>(t, <u32>(s >> 32), 36);
    const m32: u32 = load<u32>(t) * SC_N0INV;
    const m = <u64>m32;
    s = <u64>load<u32>(t) + m * <u64>load<u32>(SC_N);
    c = s >> 32;
    for (let j: usize = 1; j < 8; j++) {
      s = <u64>load<u32>(t + (j << 2)) + m * <u64>load<u32>(SC_N + (j << 2)) + c;
      store<u32>(t + ((j - 1) << 2), <u32>s);
      c = s >> 32;
    }
    s = <u64>load<u32>(t, 32) + c;
    store<u32>(t, <u32>s, 28);
    store<u32>(t, load<u32>(t, 36) + <u32>(s >> 32), 32);
  }
  // t < 2n: subtract n once when t >= n.
  let t0 = load<u64>(t, 0), t1 = load<u64>(t, 8), t2 = load<u64>(t, 16), t3 = load<u64>(t, 24);
  const top = load<u32>(t, 32);
  let ge = top != 0;
  if (!ge) {
    if (t3 != N3) ge = t3 > N3;
    else if (t2 != N2) ge = t2 > N2;
    else if (t1 != N1) ge = t1 > N1;
    else ge = t0 >= N0;
  }
  if (ge) {
    let bw: u64 = <u64>(t0 < N0);
    t0 -= N0;
    let d = t1 - N1 - bw; bw = <u64>(t1 < N1 || (t1 == N1 && bw != 0)); t1 = d;
    d = t2 - N2 - bw; bw = <u64>(t2 < N2 || (t2 == N2 && bw != 0)); t2 = d;
    t3 = t3 - N3 - bw;
  }
  store<u64>(o, t0, 0);
  store<u64>(o, t1, 8);
  store<u64>(o, t2, 16);
  store<u64>(o, t3, 24);
}

/** o = a * b mod n, for a < 2^256 and b < n. o may alias a or b. Variable time. */
export function sc_mul_vartime(o: usize, a: usize, b: usize): void {
  sc_mont_vartime(SC_U, a, b);
  sc_mont_vartime(o, SC_U, SC_R2);
}

/**
 * o = a^-1 mod n for a in [1, n-1], by the binary extended Euclidean
 * algorithm. Variable time: for public values only (here s of a signature).
 */
export function sc_inv_vartime(o: usize, a: usize): void {
  let u0 = load<u64>(a, 0), u1 = load<u64>(a, 8), u2 = load<u64>(a, 16), u3 = load<u64>(a, 24);
  let v0 = N0, v1 = N1, v2 = N2, v3 = N3;
  // Invariants: x1 * a = u and x2 * a = v (mod n); x1, x2 in [0, n).
  let x0: u64 = 1, x1: u64 = 0, x2: u64 = 0, x3: u64 = 0;
  let y0: u64 = 0, y1: u64 = 0, y2: u64 = 0, y3: u64 = 0;
  while (true) {
    while ((u0 & 1) == 0) {
      u0 = (u0 >> 1) | (u1 << 63); u1 = (u1 >> 1) | (u2 << 63); u2 = (u2 >> 1) | (u3 << 63); u3 >>= 1;
      let c: u64 = 0;
      if (x0 & 1) {
        // x += n (257-bit result), then halve.
        let s = x0 + N0; c = <u64>(s < x0); x0 = s;
        s = x1 + N1 + c; c = <u64>(s < x1 || (s == x1 && c != 0)); x1 = s;
        s = x2 + N2 + c; c = <u64>(s < x2 || (s == x2 && c != 0)); x2 = s;
        s = x3 + N3 + c; c = <u64>(s < x3 || (s == x3 && c != 0)); x3 = s;
      }
      x0 = (x0 >> 1) | (x1 << 63); x1 = (x1 >> 1) | (x2 << 63); x2 = (x2 >> 1) | (x3 << 63); x3 = (x3 >> 1) | (c << 63);
    }
    if (u0 == 1 && (u1 | u2 | u3) == 0) break;
    while ((v0 & 1) == 0) {
      v0 = (v0 >> 1) | (v1 << 63); v1 = (v1 >> 1) | (v2 << 63); v2 = (v2 >> 1) | (v3 << 63); v3 >>= 1;
      let c: u64 = 0;
      if (y0 & 1) {
        let s = y0 + N0; c = <u64>(s < y0); y0 = s;
        s = y1 + N1 + c; c = <u64>(s < y1 || (s == y1 && c != 0)); y1 = s;
        s = y2 + N2 + c; c = <u64>(s < y2 || (s == y2 && c != 0)); y2 = s;
        s = y3 + N3 + c; c = <u64>(s < y3 || (s == y3 && c != 0)); y3 = s;
      }
      y0 = (y0 >> 1) | (y1 << 63); y1 = (y1 >> 1) | (y2 << 63); y2 = (y2 >> 1) | (y3 << 63); y3 = (y3 >> 1) | (c << 63);
    }
    if (v0 == 1 && (v1 | v2 | v3) == 0) {
      x0 = y0; x1 = y1; x2 = y2; x3 = y3;
      break;
    }
    // Both odd and distinct (gcd = 1): subtract the smaller from the larger.
    let uge: bool;
    if (u3 != v3) uge = u3 > v3;
    else if (u2 != v2) uge = u2 > v2;
    else if (u1 != v1) uge = u1 > v1;
    else uge = u0 >= v0;
    if (uge) {
      let b: u64 = <u64>(u0 < v0); u0 -= v0;
      let d = u1 - v1 - b; b = <u64>(u1 < v1 || (u1 == v1 && b != 0)); u1 = d;
      d = u2 - v2 - b; b = <u64>(u2 < v2 || (u2 == v2 && b != 0)); u2 = d;
      u3 = u3 - v3 - b;
      // x -= y mod n
      b = <u64>(x0 < y0); x0 -= y0;
      d = x1 - y1 - b; b = <u64>(x1 < y1 || (x1 == y1 && b != 0)); x1 = d;
      d = x2 - y2 - b; b = <u64>(x2 < y2 || (x2 == y2 && b != 0)); x2 = d;
      d = x3 - y3 - b; b = <u64>(x3 < y3 || (x3 == y3 && b != 0)); x3 = d;
      if (b) {
        let s = x0 + N0; let c = <u64>(s < x0); x0 = s;
        s = x1 + N1 + c; c = <u64>(s < x1 || (s == x1 && c != 0)); x1 = s;
        s = x2 + N2 + c; c = <u64>(s < x2 || (s == x2 && c != 0)); x2 = s;
        x3 = x3 + N3 + c;
      }
    } else {
      let b: u64 = <u64>(v0 < u0); v0 -= u0;
      let d = v1 - u1 - b; b = <u64>(v1 < u1 || (v1 == u1 && b != 0)); v1 = d;
      d = v2 - u2 - b; b = <u64>(v2 < u2 || (v2 == u2 && b != 0)); v2 = d;
      v3 = v3 - u3 - b;
      b = <u64>(y0 < x0); y0 -= x0;
      d = y1 - x1 - b; b = <u64>(y1 < x1 || (y1 == x1 && b != 0)); y1 = d;
      d = y2 - x2 - b; b = <u64>(y2 < x2 || (y2 == x2 && b != 0)); y2 = d;
      d = y3 - x3 - b; b = <u64>(y3 < x3 || (y3 == x3 && b != 0)); y3 = d;
      if (b) {
        let s = y0 + N0; let c = <u64>(s < y0); y0 = s;
        s = y1 + N1 + c; c = <u64>(s < y1 || (s == y1 && c != 0)); y1 = s;
        s = y2 + N2 + c; c = <u64>(s < y2 || (s == y2 && c != 0)); y2 = s;
        y3 = y3 + N3 + c;
      }
    }
  }
  store<u64>(o, x0, 0);
  store<u64>(o, x1, 8);
  store<u64>(o, x2, 16);
  store<u64>(o, x3, 24);
}

/**
 * Writes the width-w NAF of the scalar at k (< 2^256) into naf[0..257] as i8
 * digits: each nonzero digit is odd, |d| < 2^(w-1), and any w consecutive
 * digits hold at most one nonzero. Returns the index of the highest nonzero
 * digit plus one (0 for k = 0). Variable time.
 */
export function sc_wnaf_vartime(naf: usize, k: usize, w: i32): i32 {
  memory.fill(naf, 0, 258);
  const mask: u64 = (<u64>1 << w) - 1;
  let carry: i32 = 0;
  let bit: i32 = 0;
  let top: i32 = 0;
  while (bit < 256) {
    const word = load<u64>(k + ((<usize>bit >> 5) << 2));
    const sh = bit & 31;
    if (<i32>((word >> sh) & 1) == carry) { bit++; continue; }
    // Bits past 255 read from the following word; mask them off.
    let d = <i32>((word >> sh) & mask);
    if (bit + w > 256) d &= (1 << (256 - bit)) - 1;
    d += carry;
    carry = (d >> (w - 1)) & 1;
    d -= carry << w;
    store<i8>(naf + bit, <i8>d);
    top = bit + 1;
    bit += w;
  }
  if (carry) { store<i8>(naf + 256, 1); top = 257; }
  return top;
}
