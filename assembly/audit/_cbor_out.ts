// Deterministic CBOR output (RFC 8949 section 4.2.1): every head in its
// shortest form; definite lengths only. Callers order map keys ascending.

/** Writes a head of major type mt with argument v at p; returns the bytes written (1..9). */
export function cbor_put_head(p: usize, mt: u8, v: u64): usize {
  const m = mt << 5;
  if (v < 24) { store<u8>(p, m | <u8>v); return 1; }
  if (v < 0x100) { store<u8>(p, m | 24); store<u8>(p + 1, <u8>v); return 2; }
  if (v < 0x10000) { store<u8>(p, m | 25); store<u16>(p + 1, bswap<u16>(<u16>v)); return 3; }
  if (v < 0x100000000) { store<u8>(p, m | 26); store<u32>(p + 1, bswap<u32>(<u32>v)); return 5; }
  store<u8>(p, m | 27);
  store<u64>(p + 1, bswap<u64>(v));
  return 9;
}

/** An integer (major type 0 or 1). */
export function cbor_put_int(p: usize, v: i64): usize {
  return v >= 0 ? cbor_put_head(p, 0, <u64>v) : cbor_put_head(p, 1, <u64>(-1 - v));
}

/** A byte string (mt 2) or text string (mt 3) with its content. */
export function cbor_put_str(p: usize, mt: u8, src: usize, n: usize): usize {
  const h = cbor_put_head(p, mt, <u64>n);
  memory.copy(p + h, src, n);
  return h + n;
}
