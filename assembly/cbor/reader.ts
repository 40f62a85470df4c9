// A strict CBOR reader (RFC 8949) over a byte range, for untrusted input.
// It accepts deterministically encoded items only (section 4.2.1): definite
// lengths, every argument in its shortest form, floats in the shortest form
// that keeps their value; text strings must be valid UTF-8 (section 3.1).
// Maps must not repeat a key (section 5.6), and containers nest at most
// CBOR_MAX_DEPTH deep. Map keys are not required to be sorted.
//
// Every read is tri-state: an item (its major type 0..7), CBOR_END when no
// byte is left, or ERR_MALFORMED. No read goes past the end of the range;
// each length is compared with the bytes left (end - pos), never added to
// a pointer before that check, so no sum can wrap.

import { OK, ERR_MALFORMED } from "../status";

export const MT_UINT: i32 = 0;
export const MT_NINT: i32 = 1;
export const MT_BSTR: i32 = 2;
export const MT_TSTR: i32 = 3;
export const MT_ARRAY: i32 = 4;
export const MT_MAP: i32 = 5;
export const MT_TAG: i32 = 6;
export const MT_SIMPLE: i32 = 7;
/** No byte left in the range (not an error). */
export const CBOR_END: i32 = 8;

/** Deepest nesting of arrays, maps and tags accepted. */
export const CBOR_MAX_DEPTH: i32 = 8;
/** Most entries in one map: keys are compared pairwise for duplicates. */
export const CBOR_MAP_MAX: u32 = 64;

let pos: usize = 0;
let end: usize = 0;
let arg: u64 = 0;
let str: usize = 0;

/** Start offsets and lengths of the keys of the map being checked at each depth. */
// @ts-ignore: decorator
@lazy const KEYS: usize = memory.data(<i32>(CBOR_MAX_DEPTH * <i32>CBOR_MAP_MAX * 8), 8);

/** Reads from [p, p + len). */
export function cbor_init(p: usize, len: usize): void {
  pos = p;
  end = p + len;
}
/** The position of the next item. */
export function cbor_pos(): usize { return pos; }
/** Moves back to a position returned by cbor_pos (of the same range). */
export function cbor_seek(p: usize): void { pos = p; }
/** Bytes left in the range. */
export function cbor_left(): usize { return end - pos; }
/** Argument of the last head: the value of an integer, a length, a count, a tag number, or a simple value / float bits. */
export function cbor_arg(): u64 { return arg; }
/** Start of the content of the last byte or text string. */
export function cbor_str(): usize { return str; }

/** True when the float16-or-wider value with float32 bits b is exactly a float16. */
function f32_fits_f16(b: u32): bool {
  const exp = <i32>((b >> 23) & 0xff);
  const man = b & 0x7fffff;
  if (exp == 0xff) return (man & 0x1fff) == 0;    // infinity, or NaN with a 10-bit payload
  if (exp == 0) return man == 0;                   // zeros fit; float32 subnormals are below float16's range
  const e = exp - 127;
  if (e >= -14 && e <= 15) return (man & 0x1fff) == 0;
  if (e < -24 || e > 15) return false;
  // float16 subnormal: a multiple of 2^-24.
  const full = man | 0x800000;
  const zeros = -(e + 1);                          // 14..23 low bits must be zero
  return (full & ((<u32>1 << <u32>zeros) - 1)) == 0;
}

/** True when the float64 with bits b is exactly a float32. */
function f64_fits_f32(b: u64): bool {
  const exp = <i32>((b >> 52) & 0x7ff);
  const man = b & 0xfffffffffffff;
  if (exp == 0x7ff) return (man & 0x1fffffff) == 0;
  if (exp == 0) return man == 0;
  const e = exp - 1023;
  if (e >= -126 && e <= 127) return (man & 0x1fffffff) == 0;
  if (e < -149 || e > 127) return false;
  const full = man | 0x10000000000000;
  const zeros = -(e + 97);                         // 30..52 low bits must be zero
  return (full & ((<u64>1 << <u64>zeros) - 1)) == 0;
}

/** True when [p, p + n) is valid UTF-8 (RFC 3629 section 4: no overlongs, surrogates, or values above U+10FFFF). */
export function utf8_valid(p: usize, n: usize): bool {
  let i: usize = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) { i++; continue; }
    let need: usize;
    let lo: u32 = 0x80, hi: u32 = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0) lo = 0xa0;
      else if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0) lo = 0x90;
      else if (c == 0xf4) hi = 0x8f;
    } else return false;
    if (need > n - i - 1) return false;
    const c1 = <u32>load<u8>(p + i + 1);
    if (c1 < lo || c1 > hi) return false;
    for (let k: usize = 2; k <= need; k++) {
      const ck = <u32>load<u8>(p + i + k);
      if (ck < 0x80 || ck > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

/**
 * Reads the head of the next item. Returns its major type with the argument
 * in cbor_arg(); for a byte or text string also checks that its content is
 * in range, sets cbor_str() and moves past the content. Returns CBOR_END at
 * the end of the range, ERR_MALFORMED for an indefinite length (additional
 * info 31), reserved values (28..30), a non-shortest argument, a simple
 * value below 32 in two bytes (RFC 8949 section 3.3), a float that fits a
 * narrower float, a string running past the end, or invalid UTF-8.
 */
export function cbor_head(): i32 {
  if (pos >= end) return CBOR_END;
  const ib = <u32>load<u8>(pos);
  const mt = <i32>(ib >> 5);
  const ai = ib & 31;
  let p = pos + 1;
  const avail = end - p;
  let v: u64;
  if (ai < 24) {
    v = ai;
  } else if (ai == 24) {
    if (avail < 1) return ERR_MALFORMED;
    v = <u64>load<u8>(p);
    p += 1;
    if (mt == MT_SIMPLE ? v < 32 : v < 24) return ERR_MALFORMED;
  } else if (ai == 25) {
    if (avail < 2) return ERR_MALFORMED;
    v = <u64>bswap<u16>(load<u16>(p));
    p += 2;
    if (mt != MT_SIMPLE && v < 0x100) return ERR_MALFORMED;
  } else if (ai == 26) {
    if (avail < 4) return ERR_MALFORMED;
    v = <u64>bswap<u32>(load<u32>(p));
    p += 4;
    if (mt == MT_SIMPLE ? f32_fits_f16(<u32>v) : v < 0x10000) return ERR_MALFORMED;
  } else if (ai == 27) {
    if (avail < 8) return ERR_MALFORMED;
    v = bswap<u64>(load<u64>(p));
    p += 8;
    if (mt == MT_SIMPLE ? f64_fits_f32(v) : v < 0x100000000) return ERR_MALFORMED;
  } else {
    return ERR_MALFORMED;
  }
  if (mt == MT_BSTR || mt == MT_TSTR) {
    if (v > <u64>(end - p)) return ERR_MALFORMED;
    if (mt == MT_TSTR && !utf8_valid(p, <usize>v)) return ERR_MALFORMED;
    str = p;
    p += <usize>v;
  }
  arg = v;
  pos = p;
  return mt;
}

/** Reads and checks one whole item whose enclosing containers number depth. */
function skip_item(depth: i32): i32 {
  const mt = cbor_head();
  if (mt < 0 || mt == CBOR_END) return ERR_MALFORMED;
  if (mt < MT_ARRAY || mt == MT_SIMPLE) return OK;
  if (depth >= CBOR_MAX_DEPTH) return ERR_MALFORMED;
  const n = arg;
  if (mt == MT_TAG) return skip_item(depth + 1);
  // Every item takes at least one byte: a count above the bytes left cannot be met.
  if (n > <u64>(end - pos)) return ERR_MALFORMED;
  if (mt == MT_ARRAY) {
    for (let i: u64 = 0; i < n; i++) {
      if (skip_item(depth + 1) != OK) return ERR_MALFORMED;
    }
    return OK;
  }
  if (n > <u64>CBOR_MAP_MAX) return ERR_MALFORMED;
  const keys = KEYS + <usize>depth * <usize>CBOR_MAP_MAX * 8;
  const cnt = <usize>n;
  for (let i: usize = 0; i < cnt; i++) {
    const k = pos;
    if (skip_item(depth + 1) != OK) return ERR_MALFORMED;
    const klen = <u32>(pos - k);
    // With every argument in shortest form, equal keys have equal encodings.
    for (let j: usize = 0; j < i; j++) {
      const q = <usize>load<u32>(keys + j * 8);
      if (load<u32>(keys + j * 8, 4) == klen && memory.compare(q, k, klen) == 0) return ERR_MALFORMED;
    }
    store<u32>(keys + i * 8, <u32>k);
    store<u32>(keys + i * 8, klen, 4);
    if (skip_item(depth + 1) != OK) return ERR_MALFORMED;
  }
  return OK;
}

/** Checks and moves past one whole item. OK, or ERR_MALFORMED (also at the end of the range). */
export function cbor_skip(): i32 {
  return skip_item(0);
}

/** As cbor_skip, for an item inside `depth` enclosing containers (they count toward CBOR_MAX_DEPTH). */
export function cbor_skip_nested(depth: i32): i32 {
  return skip_item(depth);
}

/** OK when [p, p + len) holds exactly one well-formed item and nothing after it, else ERR_MALFORMED. */
export function cbor_check(p: usize, len: usize): i32 {
  cbor_init(p, len);
  if (cbor_skip() != OK) return ERR_MALFORMED;
  return pos == end ? OK : ERR_MALFORMED;
}

/** For a head of major type 0 or 1 just read whose value fits an i64 (cbor_int_fits): that value. */
export function cbor_int_value(mt: i32): i64 {
  return mt == MT_UINT ? <i64>arg : -1 - <i64>arg;
}
/** True when the last integer head's value fits an i64. */
export function cbor_int_fits(): bool {
  return arg <= <u64>i64.MAX_VALUE;
}
