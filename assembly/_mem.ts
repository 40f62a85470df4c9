// The one home of constant-time comparison and wiping of secrets.

/**
 * Compares n bytes at a and b in time that depends on n only.
 * Returns 0 when equal, -1 when not (Monocypher's convention).
 */
export function ct_eq(a: usize, b: usize, n: usize): i32 {
  let diff: u32 = 0;
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const x = load<u64>(a + i) ^ load<u64>(b + i);
    diff |= <u32>(x | (x >> 32));
  }
  for (; i < n; i++) diff |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  // (diff - 1) as a 64-bit value has its top bit set only when diff == 0.
  return <i32>((<u64>diff - 1) >>> 63) - 1;
}

/**
 * Overwrites n bytes at p with zeros. memory.fill is a single bulk-memory
 * instruction the optimizer does not remove as a dead store.
 */
export function wipe(p: usize, n: usize): void {
  memory.fill(p, 0, n);
}
