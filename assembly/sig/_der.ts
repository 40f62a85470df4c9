// Strict DER decoding of an ECDSA signature (X.690 section 10 DER rules;
// SEC 1 v2 appendix C.8 / RFC 3279 section 2.2.3):
//   SEQUENCE { r INTEGER, s INTEGER }
// Only the unique DER form is accepted: short-form lengths (everything here is
// under 128 bytes), minimal non-negative INTEGERs, no trailing bytes. Accepting
// other encodings of the same (r, s) would make signatures malleable.

/**
 * Reads the INTEGER at sig[off..len) as an unsigned value of at most 32 bytes
 * into out (32 big-endian bytes, left-padded with zeros). Returns the offset
 * just past it, or -1 when it is malformed, negative, non-minimal or too long.
 */
function der_read_u256(out: usize, sig: usize, off: usize, len: usize): isize {
  if (off + 2 > len) return -1;
  if (load<u8>(sig + off) != 0x02) return -1;
  let l = <usize>load<u8>(sig + off + 1);
  // Long-form lengths (0x80 and up) are never minimal for values this short.
  if (l == 0 || l > 33) return -1;
  const end = off + 2 + l;
  if (end > len) return -1;
  let p = sig + off + 2;
  const b0 = load<u8>(p);
  if (b0 & 0x80) return -1;                       // negative
  if (b0 == 0 && l > 1) {
    if ((load<u8>(p + 1) & 0x80) == 0) return -1; // superfluous leading zero
    p++;
    l--;
  }
  if (l > 32) return -1;
  memory.fill(out, 0, 32 - l);
  memory.copy(out + 32 - l, p, l);
  return <isize>end;
}

/**
 * Decodes a DER ECDSA signature of len bytes at sig into r || s (64 bytes,
 * big-endian) at out. Returns false for any encoding that is not strict DER
 * or whose integers exceed 256 bits. Range checks on r, s are the caller's.
 */
export function der_decode_ecdsa_sig(out: usize, sig: usize, len: usize): bool {
  if (len < 2 || len > 2 + 2 * 35) return false;
  if (load<u8>(sig) != 0x30) return false;
  const body = <usize>load<u8>(sig + 1);
  if (body != len - 2) return false;   // short form only, and no trailing bytes
  const o1 = der_read_u256(out, sig, 2, len);
  if (o1 < 0) return false;
  const o2 = der_read_u256(out + 32, sig, <usize>o1, len);
  return o2 == <isize>len;
}
