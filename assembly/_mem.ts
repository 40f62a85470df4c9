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
  // (diff - 1) >> 31 is 1 only when diff == 0; computed without a branch.
  return <i32>(((diff | (diff >>> 1)) - 1) >>> 31) - 1;
}

/**
 * Overwrites n bytes at p with zeros. memory.fill is a single bulk-memory
 * instruction the optimizer does not remove as a dead store.
 */
export function wipe(p: usize, n: usize): void {
  memory.fill(p, 0, n);
}
